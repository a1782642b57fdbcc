#include "tokenizer.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <regex>

#include "sentencepiece_api.hpp"

namespace datadao::ml::detail {
namespace {

std::string trainer_args(uint32_t vocab, int threads) {
  // Identity normalisation and kept whitespace: what the model generates is what it saw. Rare
  // characters (outside 99.95% coverage) are left to byte fallback. Sentences up to the record
  // limit (64 KiB) are used; at most 1M sampled sentences train the vocabulary (pooled corpora
  // can be far larger, and the pieces settle long before).
  char buf[640];
  std::snprintf(buf, sizeof buf,
                "--model_type=unigram --vocab_size=%u --byte_fallback=true "
                "--character_coverage=0.9995 --normalization_rule_name=identity "
                "--remove_extra_whitespaces=false --hard_vocab_limit=false "
                "--max_sentence_length=65536 --input_sentence_size=1000000 "
                "--shuffle_input_sentence=true --num_threads=%d --unk_id=0 --bos_id=1 --eos_id=2 "
                "--pad_id=-1 --minloglevel=3",
                vocab, std::max(1, threads));
  return buf;
}

// The shim next to the build's libraries, else beside the executable, else the loader's search.
const SpmApi* load_api(std::string* error) {
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("DATADAO_SENTENCEPIECE_SHIM")) candidates.push_back(env);
#ifdef DATADAO_SENTENCEPIECE_SHIM
  candidates.push_back(DATADAO_SENTENCEPIECE_SHIM);
#endif
  char exe[4096];
  const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    std::string dir(exe, size_t(n));
    dir = dir.substr(0, dir.rfind('/') + 1);
    candidates.push_back(dir + "libdatadao_sentencepiece.so");
  }
  candidates.push_back("libdatadao_sentencepiece.so");
  for (const std::string& path : candidates) {
    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
    if (!handle) {
      *error += std::string("\n  ") + ::dlerror();
      continue;
    }
    using Fn = const SpmApi* (*)();
    auto fn = reinterpret_cast<Fn>(::dlsym(handle, kSpmApiSymbol));
    const SpmApi* api = fn ? fn() : nullptr;
    if (api && api->version == kSpmApiVersion) return api;  // stays loaded for the process
    *error += "\n  " + path + ": wrong shim version";
    ::dlclose(handle);
  }
  return nullptr;
}

Result<const SpmApi*> api() {
  static std::string error;
  static const SpmApi* loaded = load_api(&error);
  if (!loaded) {
    return make_error(ErrorCode::kInternal,
                      "cannot load the sentencepiece shim libdatadao_sentencepiece.so (set "
                      "DATADAO_SENTENCEPIECE_SHIM to its path):" +
                          error);
  }
  return loaded;
}

// The trainer's random seed is process-wide: one training at a time.
std::mutex& trainer_mutex() {
  static std::mutex m;
  return m;
}

}  // namespace

struct Tokenizer::Processor {
  Processor(const SpmApi* a, void* h) : api(a), handle(h) { api->ids(h, &size, &bos, &eos, &unk); }
  ~Processor() { api->release(handle); }
  Processor(const Processor&) = delete;
  Processor& operator=(const Processor&) = delete;
  const SpmApi* api;
  void* handle;
  int size = 0, bos = 0, eos = 0, unk = 0;
};

Tokenizer::Tokenizer(std::unique_ptr<Processor> sp, std::string proto)
    : sp_(std::move(sp)), proto_(std::move(proto)) {}
Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;
Tokenizer& Tokenizer::operator=(Tokenizer&&) noexcept = default;
Tokenizer::~Tokenizer() = default;

Result<Tokenizer> Tokenizer::train(const std::vector<std::string>& texts, uint32_t vocab,
                                   int threads) {
  auto spm = api();
  if (!spm.ok()) return spm.error();
  std::string proto;
  uint32_t size = vocab;
  for (int attempt = 0;; ++attempt) {
    std::string error;
    {
      std::lock_guard lock(trainer_mutex());
      error = (*spm)->train(texts, trainer_args(size, threads), /*seed=*/1, &proto);
    }
    if (error.empty()) break;
    // Byte fallback needs room for 256 byte pieces and every character kept: grow to that.
    std::smatch m;
    static const std::regex kTooSmall("smaller than required_chars\\. (\\d+) vs (\\d+)");
    if (attempt < 2 && std::regex_search(error, m, kTooSmall)) {
      size = static_cast<uint32_t>(std::stoul(m[2].str())) + 4;
      continue;
    }
    return make_error(ErrorCode::kInvalidArgument, "tokenizer training: " + error);
  }
  return load(proto);
}

Result<Tokenizer> Tokenizer::load(const std::string& model_proto) {
  auto spm = api();
  if (!spm.ok()) return spm.error();
  std::string error;
  void* handle = (*spm)->load(model_proto, &error);
  if (!handle) return make_error(ErrorCode::kCorruption, "tokenizer model: " + error);
  auto p = std::make_unique<Processor>(*spm, handle);
  if (p->bos < 0 || p->eos < 0 || p->size < 4) {
    return make_error(ErrorCode::kCorruption, "tokenizer model: missing BOS/EOS pieces");
  }
  return Tokenizer(std::move(p), model_proto);
}

std::vector<int> Tokenizer::encode(std::string_view text) const {
  std::vector<Piece> pieces = encode_with_offsets(text);
  std::vector<int> ids(pieces.size());
  for (size_t i = 0; i < pieces.size(); ++i) ids[i] = pieces[i].id;
  return ids;
}

std::vector<Tokenizer::Piece> Tokenizer::encode_with_offsets(std::string_view text) const {
  std::vector<SpmPiece> raw;
  sp_->api->encode(sp_->handle, text, &raw);
  std::vector<Piece> out(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) out[i] = Piece{raw[i].id, raw[i].begin, raw[i].end};
  return out;
}

std::string Tokenizer::decode(const std::vector<int>& ids) const {
  std::string out;
  sp_->api->decode(sp_->handle, ids, &out);
  return out;
}

int Tokenizer::vocab_size() const { return sp_->size; }
int Tokenizer::bos_id() const { return sp_->bos; }
int Tokenizer::eos_id() const { return sp_->eos; }
int Tokenizer::unk_id() const { return sp_->unk; }

}  // namespace datadao::ml::detail
