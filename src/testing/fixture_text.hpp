// Private to the fixture generator: its random source and the realistic texts
// (FixtureOptions::realistic_text).
//
// Texts are expanded from templates with slot fillers ("What's the best {thing_done}?"), per
// subreddit for Reddit and per topic for X. Each text joins several independently chosen
// sentences, so that thousands of texts of one seed or of many seeds rarely repeat one another
// (near-duplicates are what the pools' uniqueness checks reject; fixtures_test measures the
// share). Deterministic from the Rng; thread-safe (the tables are immutable).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace datadao::testkit::text {

// splitmix64: deterministic on every platform (std distributions are not).
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t next() {
    uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  uint64_t below(uint64_t n) { return n == 0 ? 0 : next() % n; }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // Approximately standard normal (Irwin-Hall, 12 uniforms): plain arithmetic, so the same
  // values on every platform, unlike std::normal_distribution or libm-based Box-Muller.
  double gauss() {
    double s = 0;
    for (int i = 0; i < 12; ++i) s += uniform();
    return s - 6.0;
  }

 private:
  uint64_t s_;
};

// The subreddits realistic Reddit texts are written for.
size_t reddit_subreddit_count();
std::string_view reddit_subreddit(size_t i);

std::string reddit_post_title(Rng& rng, size_t subreddit);
std::string reddit_post_body(Rng& rng, size_t subreddit);
std::string reddit_comment(Rng& rng, size_t subreddit);
// A private message; `sent`: written by the export's owner, else received from someone else.
std::string reddit_message(Rng& rng, size_t subreddit, bool sent);
std::string reddit_message_subject(Rng& rng, size_t subreddit);
std::string tweet(Rng& rng);
// A plausible word, to change the last word of a planted near-duplicate.
std::string plain_word(Rng& rng);
// Track, album and artist names for Spotify.
std::string track_name(Rng& rng);
std::string album_name(Rng& rng);
std::string artist_name(Rng& rng);

}  // namespace datadao::testkit::text
