// Deterministic synthetic posts for the proof tests: random words from a generated vocabulary,
// and near copies made by replacing words.
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace datadao::proof::testing {

class TextGenerator {
 public:
  explicit TextGenerator(uint64_t seed, size_t vocabulary = 5000) : rng_(seed) {
    std::uniform_int_distribution<int> len(2, 9), letter(0, 25);
    for (size_t i = 0; i < vocabulary; ++i) {
      std::string w;
      for (int k = len(rng_); k > 0; --k) w.push_back(static_cast<char>('a' + letter(rng_)));
      words_.push_back(w);
    }
  }

  std::vector<std::string> words(size_t n) {
    std::uniform_int_distribution<size_t> pick(0, words_.size() - 1);
    std::vector<std::string> out;
    for (size_t i = 0; i < n; ++i) out.push_back(words_[pick(rng_)]);
    return out;
  }

  // Replaces `edits` distinct positions with other vocabulary words.
  std::vector<std::string> edit(std::vector<std::string> text, size_t edits) {
    std::uniform_int_distribution<size_t> pick(0, words_.size() - 1);
    std::vector<size_t> positions(text.size());
    for (size_t i = 0; i < positions.size(); ++i) positions[i] = i;
    std::shuffle(positions.begin(), positions.end(), rng_);
    for (size_t e = 0; e < edits && e < positions.size(); ++e) {
      text[positions[e]] = words_[pick(rng_)];
    }
    return text;
  }

  static std::string join(const std::vector<std::string>& w) {
    std::string s;
    for (const auto& x : w) {
      if (!s.empty()) s.push_back(' ');
      s += x;
    }
    return s;
  }

  std::string text(size_t n) { return join(words(n)); }

  std::mt19937_64& rng() { return rng_; }

 private:
  std::mt19937_64 rng_;
  std::vector<std::string> words_;
};

}  // namespace datadao::proof::testing
