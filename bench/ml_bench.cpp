// Text model training: C++ (libtorch, the module TextModel trains) against the same model and
// batch in PyTorch's Python API on the same libtorch (bench/text_model_bench.py run with
// Debian's /usr/bin/python3), and the DP-SGD step against the non-private step on one batch.
// Fixed batch (not Poisson), N warm-up + M timed steps, same thread count on both sides.
//
//   ml_bench [--layers 2 --width 64 --heads 4 --context 64 --vocab 512 --batch 32
//             --warmup 3 --steps 10 --threads 1 --python /usr/bin/python3]
#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "../src/ml/dp_sgd.hpp"
#include "../src/ml/gpt.hpp"

namespace {

using datadao::ml::TextSpec;
using torch::Tensor;

double seconds_per_step(const std::function<void()>& step, int warmup, int steps) {
  for (int i = 0; i < warmup; ++i) step();
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < steps; ++i) step();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / steps;
}

// Runs the Python anchor and returns its JSON line (empty on failure).
nlohmann::json run_python(const std::string& python, const std::map<std::string, int>& args) {
  std::string cmd = python + " " + DATADAO_SOURCE_DIR "/bench/text_model_bench.py";
  for (const auto& [k, v] : args) cmd += " --" + k + " " + std::to_string(v);
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (!pipe) return {};
  std::string out;
  char buf[4096];
  while (size_t n = std::fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  if (::pclose(pipe) != 0) return {};
  const size_t line = out.rfind('{');
  if (line == std::string::npos) return {};
  return nlohmann::json::parse(out.substr(line), nullptr, /*allow_exceptions=*/false);
}

// What torch was built against (BLAS_INFO) and which BLAS the process actually mapped (Debian's
// torch says "generic": it calls libblas.so.3, which the alternatives point at OpenBLAS).
std::string blas_lines() {
  std::string out;
  const std::string config = at::show_config();
  for (const char* key : {"BLAS_INFO=", "LAPACK_INFO="}) {
    const size_t at = config.find(key);
    if (at != std::string::npos) out += config.substr(at, config.find(',', at) - at) + " ";
  }
  std::ifstream maps("/proc/self/maps");
  std::set<std::string> libs;
  for (std::string line; std::getline(maps, line);) {
    const size_t slash = line.find('/');
    if (slash != std::string::npos && line.find("blas", slash) != std::string::npos) {
      libs.insert(line.substr(slash));
    }
  }
  for (const std::string& l : libs) out += "mapped " + l + " ";
  return out + "\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, int> a = {{"layers", 2},   {"width", 64},  {"heads", 4},
                                  {"context", 64}, {"vocab", 512}, {"batch", 32},
                                  {"warmup", 3},   {"steps", 10},  {"threads", 1}};
  std::string python = "/usr/bin/python3";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = std::string(argv[i]).substr(2);
    if (key == "python") {
      python = argv[i + 1];
    } else if (a.count(key)) {
      a[key] = std::stoi(argv[i + 1]);
    } else {
      std::cerr << "unknown option " << argv[i] << "\n";
      return 2;
    }
  }
  torch::set_num_threads(a["threads"]);
  TextSpec spec;
  spec.layers = uint32_t(a["layers"]);
  spec.width = uint32_t(a["width"]);
  spec.heads = uint32_t(a["heads"]);
  spec.context = uint32_t(a["context"]);
  const int64_t vocab = a["vocab"], batch = a["batch"], context = a["context"];

  datadao::ml::detail::Gpt model(spec, vocab);
  model->initialise(at::detail::createCPUGenerator(1));
  model->train();
  torch::manual_seed(1);
  Tensor tokens = torch::randint(0, vocab, {batch, context + 1}, torch::kLong);
  Tensor x = tokens.slice(1, 0, context), y = tokens.slice(1, 1);
  torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-3));
  namespace F = torch::nn::functional;

  auto plain_step = [&] {
    optimizer.zero_grad();
    Tensor logits = model->forward(x);
    F::cross_entropy(logits.reshape({-1, vocab}), y.reshape({-1})).backward();
    optimizer.step();
  };
  at::Generator noise_gen = at::detail::createCPUGenerator(2);
  auto dp_step = [&] {
    optimizer.zero_grad();
    auto clipped = datadao::ml::detail::clipped_gradient_sum(
        *model,
        [&] {
          Tensor logits = model->forward(x);
          return F::cross_entropy(logits.reshape({-1, vocab}), y.reshape({-1}),
                                  F::CrossEntropyFuncOptions().reduction(torch::kNone))
              .reshape({batch, context})
              .mean(1);
        },
        1.0);
    if (!clipped.ok()) throw std::runtime_error(clipped.error().to_string());
    torch::NoGradGuard no_grad;
    for (Tensor& p : model->parameters()) {
      p.mutable_grad().add_(torch::randn(p.sizes(), noise_gen)).div_(double(batch));
    }
    optimizer.step();
  };

  const double plain = seconds_per_step(plain_step, a["warmup"], a["steps"]);
  const double dp = seconds_per_step(dp_step, a["warmup"], a["steps"]);
  const double ours_tps = double(batch * context) / plain;
  nlohmann::json anchor = run_python(python, a);
  const bool have_anchor = anchor.is_object() && anchor.contains("tokens_per_second");
  const double anchor_tps = have_anchor ? anchor["tokens_per_second"].get<double>() : 0;

  std::printf(
      "text model layers=%d width=%d heads=%d context=%d vocab=%d, batch %d, threads %d "
      "(torch reports %d), %d warm-up + %d timed steps\n",
      a["layers"], a["width"], a["heads"], a["context"], a["vocab"], a["batch"], a["threads"],
      torch::get_num_threads(), a["warmup"], a["steps"]);
  std::printf("%s", blas_lines().c_str());
  std::printf("%-44s %14s %14s %8s\n", "measure", "anchor", "ours", "ratio");
  if (have_anchor) {
    std::printf("%-44s %14.0f %14.0f %8.2f\n", "train tokens/s (anchor: PyTorch Python API)",
                anchor_tps, ours_tps, ours_tps / anchor_tps);
  } else {
    std::printf("%-44s %14s %14.0f %8s\n", "train tokens/s (anchor: PyTorch Python API)", "failed",
                ours_tps, "-");
  }
  std::printf("%-44s %14.2f %14.2f %7.2fx\n", "step ms (anchor: non-private, ours: DP-SGD)",
              plain * 1e3, dp * 1e3, dp / plain);
  return have_anchor ? 0 : 1;
}
