// A sentencepiece unigram tokenizer trained in memory (internal to src/ml; no libtorch).
//
// Byte fallback is on, so every byte string encodes (characters the vocabulary lacks become
// byte pieces) and decode(encode(text)) == text for valid UTF-8. Normalisation is the identity
// and whitespace is kept as is, so generated text is not rewritten.
//
// Const methods may be called from several threads (sentencepiece's processor is read-only
// after loading). sentencepiece itself is reached through a shim loaded at run time
// (sentencepiece_api.hpp); if the shim cannot be loaded, train/load return kInternal.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "datadao/common/result.hpp"

namespace datadao::ml::detail {

class Tokenizer {
 public:
  // Trains on `texts` (empty ones are skipped). The vocabulary is `vocab` pieces if the text has
  // enough distinct pieces, fewer if not, and at least what byte fallback needs (256 byte pieces
  // + the characters seen + 3 control pieces) even when `vocab` is smaller.
  static Result<Tokenizer> train(const std::vector<std::string>& texts, uint32_t vocab,
                                 int threads);
  // From a serialised model proto (as proto() returns). kCorruption if it does not parse.
  static Result<Tokenizer> load(const std::string& model_proto);

  struct Piece {
    int id;
    uint32_t begin;  // byte offsets of the piece's surface in the input
    uint32_t end;
  };
  std::vector<int> encode(std::string_view text) const;
  std::vector<Piece> encode_with_offsets(std::string_view text) const;
  std::string decode(const std::vector<int>& ids) const;

  int vocab_size() const;
  int bos_id() const;
  int eos_id() const;
  int unk_id() const;
  const std::string& proto() const { return proto_; }

  Tokenizer(Tokenizer&&) noexcept;
  Tokenizer& operator=(Tokenizer&&) noexcept;
  ~Tokenizer();

 private:
  struct Processor;
  Tokenizer(std::unique_ptr<Processor> sp, std::string proto);
  std::unique_ptr<Processor> sp_;
  std::string proto_;
};

}  // namespace datadao::ml::detail
