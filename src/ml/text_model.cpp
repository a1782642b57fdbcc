#include "datadao/ml/text_model.hpp"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <optional>
#include <sstream>
#include <unordered_map>

#include "datadao/codec/codec.hpp"
#include "datadao/store/file.hpp"
#include "dp_sgd.hpp"
#include "gpt.hpp"
#include "tokenizer.hpp"

namespace datadao::ml {
namespace {

using detail::Gpt;
using detail::Tokenizer;
using torch::Tensor;

constexpr int64_t kIgnore = -100;   // cross_entropy's ignore_index
constexpr size_t kScoreBatch = 64;  // windows per forward when scoring
constexpr uint32_t kMaxGenerateTokens = 4096;
constexpr int64_t kTopK = 40;
// The tokenizer saved beside a checkpoint: a 32000-piece model is about 1 MiB.
constexpr size_t kMaxTokenizerFileBytes = 64ull << 20;

// ---- spec -------------------------------------------------------------------------------------

Status check_spec(const TextSpec& s) {
  auto bad = [](const std::string& what) {
    return Status(make_error(ErrorCode::kInvalidArgument, "text model spec: " + what));
  };
  if (s.layers < 1 || s.layers > 12) return bad("layers must be 1..12");
  if (s.width < 8 || s.width > 1024) return bad("width must be 8..1024");
  if (s.heads < 1 || s.width % s.heads != 0) return bad("heads must divide width");
  if (s.context < 8 || s.context > 1024) return bad("context must be 8..1024");
  if (s.vocab < 64 || s.vocab > 32000) return bad("vocab must be 64..32000");
  return Status::Ok();
}

std::string spec_string(const TextSpec& s) {
  return "layers=" + std::to_string(s.layers) + " width=" + std::to_string(s.width) +
         " heads=" + std::to_string(s.heads) + " context=" + std::to_string(s.context) +
         " vocab=" + std::to_string(s.vocab);
}

// ---- token windows ----------------------------------------------------------------------------

// Sequences cut into windows of at most `context` inputs; window w predicts
// tokens[offset + 1 .. offset + len] from tokens[offset .. offset + len - 1], and counts the
// targets from index count_from on (earlier ones are context only).
struct Windows {
  struct Window {
    uint64_t offset;
    uint32_t len;
    uint32_t count_from;
    uint32_t source;  // which sequence it came from
  };
  std::vector<int32_t> tokens;
  std::vector<Window> windows;

  // ids: the whole sequence (BOS first). Targets before first_counted are not scored.
  void add(const std::vector<int>& ids, uint32_t context, uint32_t source,
           uint32_t first_counted = 0) {
    const uint64_t base = tokens.size();
    tokens.insert(tokens.end(), ids.begin(), ids.end());
    const uint32_t targets = ids.size() > 1 ? static_cast<uint32_t>(ids.size() - 1) : 0;
    for (uint32_t s = 0; s < targets; s += context) {
      const uint32_t len = std::min(context, targets - s);
      const uint32_t from = first_counted > s ? first_counted - s : 0;
      if (from >= len) continue;
      windows.push_back(Window{base + s, len, from, source});
    }
  }
};

struct Batch {
  Tensor input;   // [B, L] int64, padded with 0
  Tensor target;  // [B, L] int64, kIgnore where padded or not counted
};

Batch make_batch(const Windows& w, const int64_t* idx, size_t n) {
  uint32_t longest = 1;
  for (size_t i = 0; i < n; ++i) longest = std::max(longest, w.windows[idx[i]].len);
  Tensor input = torch::zeros({int64_t(n), longest}, torch::kLong);
  Tensor target = torch::full({int64_t(n), longest}, kIgnore, torch::kLong);
  auto in = input.accessor<int64_t, 2>();
  auto tg = target.accessor<int64_t, 2>();
  for (size_t i = 0; i < n; ++i) {
    const auto& win = w.windows[idx[i]];
    const int32_t* t = w.tokens.data() + win.offset;
    for (uint32_t j = 0; j < win.len; ++j) {
      in[i][j] = t[j];
      if (j >= win.count_from) tg[i][j] = t[j + 1];
    }
  }
  return {input, target};
}

// [B, L] next-token negative log-likelihood, 0 where the target is ignored.
Tensor token_nll(Gpt& model, const Batch& b) {
  Tensor logits = model->forward(b.input);
  const int64_t v = logits.size(2);
  namespace F = torch::nn::functional;
  return F::cross_entropy(
             logits.reshape({-1, v}), b.target.reshape({-1}),
             F::CrossEntropyFuncOptions().reduction(torch::kNone).ignore_index(kIgnore))
      .reshape(b.target.sizes());
}

struct Scored {
  double nll = 0;
  uint64_t tokens = 0;
};
// Sum of NLL and count of counted targets per source sequence.
std::vector<Scored> score(Gpt& model, const Windows& w, size_t sources) {
  torch::NoGradGuard no_grad;
  std::vector<Scored> out(sources);
  std::vector<int64_t> idx(w.windows.size());
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = int64_t(i);
  for (size_t start = 0; start < idx.size(); start += kScoreBatch) {
    const size_t n = std::min(kScoreBatch, idx.size() - start);
    Batch b = make_batch(w, idx.data() + start, n);
    Tensor sums = token_nll(model, b).sum(1).to(torch::kDouble).contiguous();
    Tensor counts = (b.target != kIgnore).sum(1).contiguous();
    for (size_t i = 0; i < n; ++i) {
      Scored& s = out[w.windows[start + i].source];
      s.nll += sums[int64_t(i)].item<double>();
      s.tokens += uint64_t(counts[int64_t(i)].item<int64_t>());
    }
  }
  return out;
}

std::vector<int> with_bos(const Tokenizer& tok, std::string_view text, bool eos) {
  std::vector<int> ids{tok.bos_id()};
  std::vector<int> pieces = tok.encode(text);
  ids.insert(ids.end(), pieces.begin(), pieces.end());
  if (eos) ids.push_back(tok.eos_id());
  return ids;
}

// Deterministic Fisher-Yates on splitmix64 (std::shuffle's output is implementation-defined).
void shuffle_records(std::vector<size_t>& v, uint64_t seed) {
  uint64_t state = seed ^ 0x686f6c646f7574ull;  // "holdout"
  auto next = [&] {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  };
  for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[next() % i]);
}

// ---- serialisation helpers --------------------------------------------------------------------

constexpr char kMagic[8] = {'D', 'D', 'T', 'E', 'X', 'T', 'M', '\n'};
constexpr uint32_t kVersion = 1;

// Raw bytes of a tensor or string for the codec.
crypto::ByteView raw(const void* p, size_t n) { return {static_cast<const uint8_t*>(p), n}; }
std::span<uint8_t> raw_out(void* p, size_t n) { return {static_cast<uint8_t*>(p), n}; }

}  // namespace

// ---- parse_text_spec --------------------------------------------------------------------------

Result<TextSpec> parse_text_spec(const std::string& text) {
  TextSpec spec;
  std::istringstream in(text);
  std::string item;
  while (in >> item) {
    const size_t eq = item.find('=');
    if (eq == std::string::npos) {
      return make_error(ErrorCode::kInvalidArgument,
                        "text model spec: '" + item + "' is not key=value");
    }
    const std::string key = item.substr(0, eq), value = item.substr(eq + 1);
    uint32_t* field = key == "layers"    ? &spec.layers
                      : key == "width"   ? &spec.width
                      : key == "heads"   ? &spec.heads
                      : key == "context" ? &spec.context
                      : key == "vocab"   ? &spec.vocab
                                         : nullptr;
    if (!field) {
      return make_error(
          ErrorCode::kInvalidArgument,
          "text model spec: unknown key '" + key + "' (layers, width, heads, context, vocab)");
    }
    if (value.empty() || value.size() > 9 ||
        !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return make_error(ErrorCode::kInvalidArgument,
                        "text model spec: " + key + "='" + value + "' is not a number");
    }
    *field = static_cast<uint32_t>(std::stoul(value));
  }
  if (Status s = check_spec(spec); !s.ok()) return s.error();
  return spec;
}

// ---- TextModel --------------------------------------------------------------------------------

struct TextModel::Impl {
  Impl(TextSpec s, Tokenizer t) : spec(s), tokenizer(std::move(t)), model(spec, spec.vocab) {
    model->eval();
  }
  TextSpec spec;  // vocab = the tokenizer's actual size
  Tokenizer tokenizer;
  Gpt model;
};

TextModel::TextModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TextModel::TextModel(TextModel&&) noexcept = default;
TextModel& TextModel::operator=(TextModel&&) noexcept = default;
TextModel::~TextModel() = default;

const TextSpec& TextModel::spec() const { return impl_->spec; }

uint64_t TextModel::parameter_count() const {
  uint64_t n = 0;
  for (const Tensor& p : impl_->model->parameters()) n += uint64_t(p.numel());
  return n;
}

Result<TextModel> TextModel::train(const std::vector<std::string>& texts, const TextSpec& spec,
                                   const TrainConfig& config, const ProgressFn& progress,
                                   TrainReport* report) {
  if (Status s = check_spec(spec); !s.ok()) return s.error();
  // Oversized records are rejected, not skipped: a record silently left out would still be
  // reported as used by the runner.
  size_t total = 0;
  std::vector<size_t> records;
  for (size_t i = 0; i < texts.size(); ++i) {
    if (texts[i].size() > kMaxTextRecordBytes) {
      return make_error(ErrorCode::kInvalidArgument, "text " + std::to_string(i) + ": " +
                                                         std::to_string(texts[i].size()) +
                                                         " bytes exceeds the record limit of " +
                                                         std::to_string(kMaxTextRecordBytes));
    }
    total += texts[i].size();
    if (!texts[i].empty()) records.push_back(i);
  }
  if (total > kMaxTextTrainingBytes) {
    return make_error(ErrorCode::kInvalidArgument,
                      std::to_string(total) + " bytes of text exceeds the training limit of " +
                          std::to_string(kMaxTextTrainingBytes));
  }
  if (records.size() < 2) {
    return make_error(
        ErrorCode::kInvalidArgument,
        "text model needs at least 2 non-empty texts, got " + std::to_string(records.size()));
  }
  if (!(config.holdout_fraction >= 0 && config.holdout_fraction < 1)) {
    return make_error(ErrorCode::kInvalidArgument, "holdout_fraction must be in [0, 1)");
  }
  if (config.threads > 0) torch::set_num_threads(config.threads);

  try {
    // Split by record, so that the windows of one post are all on the same side.
    shuffle_records(records, config.seed);
    size_t n_holdout = size_t(std::llround(config.holdout_fraction * double(records.size())));
    if (config.holdout_fraction > 0) n_holdout = std::max<size_t>(n_holdout, 1);
    n_holdout = std::min(n_holdout, records.size() - 1);
    std::vector<size_t> holdout(records.begin(), records.begin() + long(n_holdout));
    std::vector<size_t> train(records.begin() + long(n_holdout), records.end());
    std::sort(train.begin(), train.end());
    std::sort(holdout.begin(), holdout.end());

    // The tokenizer is trained on the training split. A run resuming from a checkpoint reuses
    // the tokenizer saved beside it, so the checkpoint's token ids keep their meaning.
    const std::string tokenizer_path =
        config.checkpoint_path.empty() ? "" : config.checkpoint_path + ".spm";
    std::optional<Tokenizer> tokenizer;
    if (!tokenizer_path.empty() && std::filesystem::exists(tokenizer_path)) {
      auto proto = store::read_text_file(tokenizer_path, kMaxTokenizerFileBytes);
      if (!proto.ok()) return proto.error();
      auto loaded = Tokenizer::load(*proto);
      if (!loaded.ok()) return loaded.error().with_context(tokenizer_path);
      tokenizer.emplace(std::move(loaded).value());
    } else {
      std::vector<std::string> train_texts;
      train_texts.reserve(train.size());
      for (size_t i : train) train_texts.push_back(texts[i]);
      auto trained = Tokenizer::train(train_texts, spec.vocab, config.threads);
      if (!trained.ok()) return trained.error();
      tokenizer.emplace(std::move(trained).value());
      if (!tokenizer_path.empty()) {
        DD_TRY(store::write_file_atomic(tokenizer_path, tokenizer->proto()));
      }
    }
    TextSpec actual = spec;
    actual.vocab = uint32_t(tokenizer->vocab_size());

    Windows train_w, holdout_w;
    for (size_t i : train) train_w.add(with_bos(*tokenizer, texts[i], true), spec.context, 0);
    for (size_t i : holdout) holdout_w.add(with_bos(*tokenizer, texts[i], true), spec.context, 0);

    auto impl = std::make_unique<Impl>(actual, std::move(*tokenizer));
    impl->model->initialise(at::detail::createCPUGenerator(config.seed));

    crypto::Blake2b256 fp;
    const std::string head = spec_string(actual) + "\n" + impl->tokenizer.proto();
    fp.update(crypto::ByteView(reinterpret_cast<const uint8_t*>(head.data()), head.size()));
    fp.update(crypto::ByteView(reinterpret_cast<const uint8_t*>(train_w.tokens.data()),
                               train_w.tokens.size() * sizeof(int32_t)));
    const crypto::Hash32 digest = fp.finish();
    const std::string fingerprint(digest.begin(), digest.end());

    Gpt& model = impl->model;
    auto per_example_loss = [&](const Tensor& indices) {
      Tensor idx = indices.contiguous();
      Batch b = make_batch(train_w, idx.data_ptr<int64_t>(), size_t(idx.size(0)));
      Tensor counts = (b.target != kIgnore).sum(1).to(torch::kFloat);
      return token_nll(model, b).sum(1) / counts;
    };
    auto trained = detail::train_loop(*model, int64_t(train_w.windows.size()), per_example_loss,
                                      config, progress, fingerprint);
    if (!trained.ok()) return trained.error();
    model->eval();

    TrainReport r = *trained;
    r.train_examples = train_w.windows.size();
    r.holdout_examples = holdout_w.windows.size();
    r.holdout_rows = holdout;
    // Unigram baseline: add-one smoothed frequencies of the training targets.
    std::vector<double> counts(size_t(actual.vocab), 1.0);
    double n = double(actual.vocab);
    for (const auto& win : train_w.windows) {
      for (uint32_t j = 0; j < win.len; ++j) {
        counts[size_t(train_w.tokens[win.offset + 1 + j])] += 1;
        n += 1;
      }
    }
    if (!holdout_w.windows.empty()) {
      Scored s = score(model, holdout_w, 1)[0];
      double base = 0;
      uint64_t tokens = 0;
      for (const auto& win : holdout_w.windows) {
        for (uint32_t j = 0; j < win.len; ++j) {
          base -= std::log(counts[size_t(holdout_w.tokens[win.offset + 1 + j])] / n);
          ++tokens;
        }
      }
      r.holdout_loss = s.nll / double(std::max<uint64_t>(1, s.tokens));
      r.baseline_loss = base / double(std::max<uint64_t>(1, tokens));
      r.metrics["holdout_tokens"] = double(tokens);
    }
    r.metrics["vocab"] = actual.vocab;
    r.metrics["parameters"] = 0;
    TextModel out(std::move(impl));
    r.metrics["parameters"] = double(out.parameter_count());
    if (report) *report = r;
    return out;
  } catch (const std::exception& e) {
    return make_error(ErrorCode::kInternal, std::string("text model training: ") + e.what());
  }
}

Result<std::string> TextModel::generate(const std::string& prompt, uint32_t max_tokens,
                                        double temperature, uint64_t seed) const {
  if (!(temperature > 0) || !std::isfinite(temperature)) {
    return make_error(ErrorCode::kInvalidArgument, "temperature must be > 0");
  }
  if (max_tokens > kMaxGenerateTokens) {
    return make_error(ErrorCode::kInvalidArgument,
                      "max_tokens must be <= " + std::to_string(kMaxGenerateTokens));
  }
  if (prompt.size() > kMaxTextRecordBytes) {
    return make_error(ErrorCode::kInvalidArgument,
                      "prompt longer than " + std::to_string(kMaxTextRecordBytes) + " bytes");
  }
  const Tokenizer& tok = impl_->tokenizer;
  std::vector<int> ids = with_bos(tok, prompt, false);
  const size_t prompt_len = ids.size();
  at::Generator gen = at::detail::createCPUGenerator(seed);
  torch::NoGradGuard no_grad;
  const int64_t context = impl_->spec.context;
  for (uint32_t i = 0; i < max_tokens; ++i) {
    const size_t start = ids.size() > size_t(context) ? ids.size() - size_t(context) : 0;
    Tensor input =
        torch::tensor(std::vector<int64_t>(ids.begin() + long(start), ids.end()), torch::kLong)
            .unsqueeze(0);
    Tensor logits = impl_->model->forward(input)[0][-1].to(torch::kFloat) / temperature;
    logits[tok.bos_id()].fill_(-std::numeric_limits<float>::infinity());
    auto [top, top_ids] = logits.topk(std::min<int64_t>(kTopK, logits.size(0)));
    Tensor pick = torch::multinomial(torch::softmax(top, 0), 1, false, gen);
    const int next = int(top_ids[pick.item<int64_t>()].item<int64_t>());
    if (next == tok.eos_id()) break;
    ids.push_back(next);
  }
  std::vector<int> prompt_ids(ids.begin() + 1, ids.begin() + long(prompt_len));
  std::vector<int> generated(ids.begin() + long(prompt_len), ids.end());
  std::vector<int> all(ids.begin() + 1, ids.end());
  const std::string whole = tok.decode(all), head = tok.decode(prompt_ids);
  // Decoding the whole keeps the spacing between prompt and continuation right.
  if (whole.compare(0, head.size(), head) == 0) return prompt + whole.substr(head.size());
  return prompt + tok.decode(generated);
}

std::vector<double> TextModel::log_perplexities(const std::string& prefix,
                                                const std::vector<std::string>& texts) const {
  const Tokenizer& tok = impl_->tokenizer;
  Windows w;
  for (size_t i = 0; i < texts.size(); ++i) {
    const std::string joined = prefix + texts[i];
    std::vector<int> ids{tok.bos_id()};
    uint32_t first = std::numeric_limits<uint32_t>::max();
    for (const auto& p : tok.encode_with_offsets(joined)) {
      if (first == std::numeric_limits<uint32_t>::max() && p.begin >= prefix.size()) {
        first = uint32_t(ids.size() - 1);  // target index of this piece
      }
      ids.push_back(p.id);
    }
    if (first != std::numeric_limits<uint32_t>::max()) {
      w.add(ids, impl_->spec.context, uint32_t(i), first);
    }
  }
  std::vector<Scored> s = score(impl_->model, w, texts.size());
  std::vector<double> out(texts.size());
  for (size_t i = 0; i < texts.size(); ++i) out[i] = s[i].nll;
  return out;
}

double TextModel::log_perplexity(const std::string& prefix, const std::string& text) const {
  return log_perplexities(prefix, {text})[0];
}

double TextModel::loss(const std::vector<std::string>& texts) const {
  Windows w;
  for (const std::string& t : texts) {
    w.add(with_bos(impl_->tokenizer, t, true), impl_->spec.context, 0);
  }
  if (w.windows.empty()) return 0;
  Scored s = score(impl_->model, w, 1)[0];
  return s.nll / double(std::max<uint64_t>(1, s.tokens));
}

std::vector<std::vector<float>> TextModel::embed(const std::vector<std::string>& texts) const {
  const Tokenizer& tok = impl_->tokenizer;
  const int64_t width = impl_->spec.width;
  // Windows as in training (BOS + pieces + EOS), source = the text's index. A window's inputs
  // are tokens [offset, offset + len): BOS and every piece, never the EOS.
  Windows w;
  for (size_t i = 0; i < texts.size(); ++i) {
    if (!texts[i].empty()) w.add(with_bos(tok, texts[i], true), impl_->spec.context, uint32_t(i));
  }
  std::vector<Tensor> sums(texts.size());
  std::vector<int64_t> counts(texts.size(), 0);
  torch::NoGradGuard no_grad;
  std::vector<int64_t> idx(w.windows.size());
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = int64_t(i);
  for (size_t start = 0; start < idx.size(); start += kScoreBatch) {
    const size_t n = std::min(kScoreBatch, idx.size() - start);
    Batch b = make_batch(w, idx.data() + start, n);
    Tensor h = impl_->model->hidden(b.input).to(torch::kDouble);  // [n, L, width]
    for (size_t i = 0; i < n; ++i) {
      const auto& win = w.windows[start + i];
      // The BOS (first input of a text's first window) is the same for every text: skipped.
      const int64_t from = w.tokens[win.offset] == tok.bos_id() ? 1 : 0;
      if (int64_t(win.len) <= from) continue;
      Tensor part = h[int64_t(i)].narrow(0, from, int64_t(win.len) - from).sum(0);
      Tensor& sum = sums[win.source];
      sum = sum.defined() ? sum + part : part;
      counts[win.source] += int64_t(win.len) - from;
    }
  }
  std::vector<std::vector<float>> out(texts.size(), std::vector<float>(size_t(width), 0.0f));
  for (size_t i = 0; i < texts.size(); ++i) {
    if (counts[i] == 0) continue;
    Tensor mean = sums[i] / double(counts[i]);
    const double norm = mean.norm().item<double>();
    if (!(norm > 0)) continue;
    Tensor unit = (mean / norm).to(torch::kFloat).contiguous();
    std::memcpy(out[i].data(), unit.data_ptr<float>(), size_t(width) * sizeof(float));
  }
  return out;
}

// Format (little-endian): magic "DDTEXTM\n", u32 version, u32 layers width heads context vocab,
// u64 tokenizer proto size + proto, u32 parameter count, then per parameter (in
// named_parameters order): u32 name size + name, u32 rank, u64 dims, float32 data; finally the
// BLAKE2b-256 of everything before it.
crypto::Bytes TextModel::save() const {
  codec::Writer w;
  w.fixed(raw(kMagic, sizeof kMagic)).u32(kVersion);
  const TextSpec& s = impl_->spec;
  for (uint32_t v : {s.layers, s.width, s.heads, s.context, s.vocab}) w.u32(v);
  const std::string& proto = impl_->tokenizer.proto();
  w.u64(proto.size()).fixed(raw(proto.data(), proto.size()));
  auto params = impl_->model->named_parameters();
  w.u32(uint32_t(params.size()));
  for (const auto& item : params) {
    w.u32(uint32_t(item.key().size())).fixed(raw(item.key().data(), item.key().size()));
    Tensor t = item.value().detach().to(torch::kFloat).contiguous();
    w.u32(uint32_t(t.dim()));
    for (int64_t d : t.sizes()) w.u64(uint64_t(d));
    w.fixed(raw(t.data_ptr<float>(), size_t(t.numel()) * sizeof(float)));
  }
  const crypto::Hash32 h = crypto::blake2b256(w.data());
  w.fixed(h);
  return w.take();
}

Result<TextModel> TextModel::load(crypto::ByteView bytes) {
  auto corrupt = [](const std::string& what) {
    return make_error(ErrorCode::kCorruption, "text model: " + what);
  };
  if (bytes.size() < sizeof kMagic + 32 || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) {
    return corrupt("not a datadao text model");
  }
  const crypto::ByteView body = bytes.first(bytes.size() - 32);
  const crypto::Hash32 h = crypto::blake2b256(body);
  if (std::memcmp(h.data(), bytes.data() + body.size(), 32) != 0) {
    return corrupt("checksum mismatch");
  }
  codec::Reader r(body.subspan(sizeof kMagic), "text model");
  const uint32_t version = r.u32("version");
  if (!r.ok() || version != kVersion) return corrupt("unsupported version");
  TextSpec spec;
  for (uint32_t* v : {&spec.layers, &spec.width, &spec.heads, &spec.context, &spec.vocab}) {
    *v = r.u32("spec");
  }
  if (!r.ok()) return corrupt("truncated spec");
  TextSpec check = spec;
  check.vocab = std::clamp<uint32_t>(spec.vocab, 64, 32000);  // actual vocab may exceed the ask
  if (Status s = check_spec(check); !s.ok() || spec.vocab > 65536) {
    return corrupt("bad spec " + spec_string(spec));
  }
  const uint64_t proto_size = r.u64("tokenizer size");
  if (!r.ok() || proto_size > bytes.size()) return corrupt("truncated tokenizer");
  std::string proto(proto_size, '\0');
  r.fixed("tokenizer", raw_out(proto.data(), proto.size()));
  if (!r.ok()) return corrupt("truncated tokenizer");
  auto tokenizer = Tokenizer::load(proto);
  if (!tokenizer.ok()) return tokenizer.error();
  if (uint32_t(tokenizer->vocab_size()) != spec.vocab) return corrupt("tokenizer size mismatch");
  try {
    auto impl = std::make_unique<Impl>(spec, std::move(tokenizer).value());
    auto params = impl->model->named_parameters();
    const uint32_t count = r.u32("parameter count");
    if (!r.ok() || count != params.size()) return corrupt("parameter count mismatch");
    torch::NoGradGuard no_grad;
    for (auto& item : params) {
      const uint32_t name_size = r.u32("name size");
      if (!r.ok() || name_size != item.key().size()) return corrupt("bad name");
      std::string name(name_size, '\0');
      r.fixed("name", raw_out(name.data(), name.size()));
      if (!r.ok() || name != item.key()) return corrupt("expected parameter " + item.key());
      const uint32_t rank = r.u32("rank");
      if (!r.ok() || rank != uint32_t(item.value().dim())) return corrupt("bad rank");
      for (int64_t d : item.value().sizes()) {
        const uint64_t got = r.u64("dim");
        if (!r.ok() || got != uint64_t(d)) return corrupt("bad shape of " + name);
      }
      Tensor t = torch::empty(item.value().sizes(), torch::kFloat);
      r.fixed("weights", raw_out(t.data_ptr<float>(), size_t(t.numel()) * sizeof(float)));
      if (!r.ok()) return corrupt("truncated " + name);
      if (!torch::isfinite(t).all().item<bool>()) return corrupt("non-finite values in " + name);
      item.value().copy_(t);
    }
    if (r.remaining() != 0) return corrupt("trailing bytes");
    impl->model->eval();
    return TextModel(std::move(impl));
  } catch (const std::exception& e) {
    return corrupt(e.what());
  }
}

}  // namespace datadao::ml
