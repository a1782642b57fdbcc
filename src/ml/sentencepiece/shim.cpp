// The only code that links sentencepiece; loaded by src/ml/tokenizer.cpp with dlopen (see
// src/ml/sentencepiece_api.hpp for why).
#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include "../sentencepiece_api.hpp"

// Exported by libsentencepiece (its util header is not installed).
namespace sentencepiece::logging {
void SetMinLogLevel(int level);
}

namespace {

using datadao::ml::detail::SpmApi;
using datadao::ml::detail::SpmPiece;

// Feeds the non-empty texts to the trainer without a temporary file.
class TextIterator : public sentencepiece::SentenceIterator {
 public:
  explicit TextIterator(const std::vector<std::string>& texts) : texts_(texts) { skip_empty(); }
  bool done() const override { return i_ >= texts_.size(); }
  void Next() override {
    ++i_;
    skip_empty();
  }
  const std::string& value() const override { return texts_[i_]; }
  sentencepiece::util::Status status() const override { return {}; }

 private:
  void skip_empty() {
    while (i_ < texts_.size() && texts_[i_].empty()) ++i_;
  }
  const std::vector<std::string>& texts_;
  size_t i_ = 0;
};

std::string train(const std::vector<std::string>& texts, const std::string& args, uint32_t seed,
                  std::string* proto) {
  // sentencepiece logs to std::cerr. Loaded with RTLD_DEEPBIND it would reach libstdc++'s own
  // std::cerr rather than the executable's copy-relocated one (the one initialised), and crash;
  // errors come back as a Status anyway. 3 = only FATAL, which aborts regardless.
  sentencepiece::logging::SetMinLogLevel(3);
  sentencepiece::SetRandomGeneratorSeed(seed);
  TextIterator it(texts);
  proto->clear();
  auto status = sentencepiece::SentencePieceTrainer::Train(args, &it, proto);
  return status.ok() ? std::string() : status.ToString();
}

void* load(const std::string& proto, std::string* error) {
  auto* sp = new sentencepiece::SentencePieceProcessor();
  auto status = sp->LoadFromSerializedProto(proto);
  if (!status.ok()) {
    *error = status.ToString();
    delete sp;
    return nullptr;
  }
  return sp;
}

void release(void* p) { delete static_cast<sentencepiece::SentencePieceProcessor*>(p); }

const sentencepiece::SentencePieceProcessor& sp(const void* p) {
  return *static_cast<const sentencepiece::SentencePieceProcessor*>(p);
}

void encode(const void* p, std::string_view text, std::vector<SpmPiece>* pieces) {
  auto spt = sp(p).EncodeAsImmutableProto(text);
  pieces->clear();
  pieces->reserve(spt.pieces_size());
  for (const auto& piece : spt.pieces()) {
    pieces->push_back(SpmPiece{static_cast<int>(piece.id()), piece.begin(), piece.end()});
  }
}

void decode(const void* p, const std::vector<int>& ids, std::string* text) {
  text->clear();
  sp(p).Decode(ids, text).IgnoreError();
}

void ids(const void* p, int* size, int* bos, int* eos, int* unk) {
  *size = sp(p).GetPieceSize();
  *bos = sp(p).bos_id();
  *eos = sp(p).eos_id();
  *unk = sp(p).unk_id();
}

const SpmApi kApi = {
    datadao::ml::detail::kSpmApiVersion, train, load, release, encode, decode, ids};

}  // namespace

extern "C" __attribute__((visibility("default"))) const SpmApi* datadao_sentencepiece_api() {
  return &kApi;
}
