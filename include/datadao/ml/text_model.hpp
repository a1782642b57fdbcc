// A small decoder-only transformer that generates Reddit- and X-style posts, over a
// sentencepiece tokenizer trained on the same texts. Plain types only; libtorch stays in
// src/ml/*.cpp.
//
// Training (train.hpp for the shared rules): texts are tokenized (BOS + pieces + EOS) and cut
// into windows of `context` tokens; one example = one window (so DP protects a window; a record
// longer than the context is several examples). The loss is next-token cross-entropy. The
// baseline is a unigram model (token frequencies of the training split, add-one smoothed) on the
// held-out split: report.baseline_loss, in nats per token like holdout_loss.
//
// A TextModel is immutable after training/loading; const methods may be called from several
// threads only if each caller passes its own seed (generation draws from a per-call generator).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "datadao/common/result.hpp"
#include "datadao/crypto/crypto.hpp"
#include "datadao/ml/train.hpp"

namespace datadao::ml {

struct TextSpec {
  uint32_t vocab = 512;  // sentencepiece vocabulary (unigram model); shrunk if the text is small
  uint32_t layers = 2;
  uint32_t width = 64;  // model dimension; divisible by heads
  uint32_t heads = 4;
  uint32_t context = 64;  // tokens
};
// Parses "layers=2 width=64 heads=4 context=64 vocab=512" (any subset, any order) over defaults;
// kInvalidArgument names an unknown key or a value out of range (layers 1..12, width 8..1024,
// heads divides width, context 8..1024, vocab 64..32000).
Result<TextSpec> parse_text_spec(const std::string& spec);

// Hard limits on training input (untrusted: pooled records).
inline constexpr size_t kMaxTextTrainingBytes = 512ull << 20;
inline constexpr size_t kMaxTextRecordBytes = 64 * 1024;

class TextModel {
 public:
  // Trains tokenizer and model on `texts`. kInvalidArgument if there are fewer than 2 non-empty
  // texts or a limit is exceeded (naming it).
  static Result<TextModel> train(const std::vector<std::string>& texts, const TextSpec& spec,
                                 const TrainConfig& config, const ProgressFn& progress,
                                 TrainReport* report);
  // Serialised form: spec, tokenizer model and weights; `load` checks it strictly.
  crypto::Bytes save() const;
  static Result<TextModel> load(crypto::ByteView bytes);

  // Samples up to max_tokens tokens after `prompt` (temperature > 0; top-k 40). Returns the
  // prompt followed by the generated text.
  Result<std::string> generate(const std::string& prompt, uint32_t max_tokens, double temperature,
                               uint64_t seed) const;
  // Sum of -log p(token) in nats over the tokens of `text` after `prefix` (both tokenized
  // together; the prefix's own tokens are not counted). Used by the canary audit.
  double log_perplexity(const std::string& prefix, const std::string& text) const;
  // Same for many suffixes at once (batched; the audit scores thousands of candidates).
  std::vector<double> log_perplexities(const std::string& prefix,
                                       const std::vector<std::string>& texts) const;
  // Mean next-token cross-entropy (nats/token) of `texts`.
  double loss(const std::vector<std::string>& texts) const;
  // One embedding per text (KNN-Shapley attribution): the mean over the text's tokens of the
  // model's final hidden states (before the output projection), L2-normalised; spec().width
  // floats. The text is read as in training (BOS first, then windows of `context` tokens; the BOS
  // position is not averaged). An empty text gives the zero vector. Deterministic.
  std::vector<std::vector<float>> embed(const std::vector<std::string>& texts) const;

  const TextSpec& spec() const;
  uint64_t parameter_count() const;

  TextModel(TextModel&&) noexcept;
  TextModel& operator=(TextModel&&) noexcept;
  ~TextModel();

 private:
  struct Impl;
  explicit TextModel(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace datadao::ml
