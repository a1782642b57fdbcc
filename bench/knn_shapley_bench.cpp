// Exact KNN-Shapley: C++ (attribution::knn_shapley, 1 and 2 threads) against a straightforward
// NumPy implementation of the same recursion (bench/knn_shapley_reference.py under Debian's
// /usr/bin/python3), on the same CSV files, in one run. Prints the seconds, the ratio
// Python / C++, and how far the values are apart (max relative difference over values with
// |python| > 1e-12, max absolute difference for the rest).
//
// Data: `labels` cluster centres on the unit sphere, points = centre + N(0, 0.35²) per coordinate
// with 10% of the labels drawn at random (so that some points hurt), fixed seed.
//
//   knn_shapley_bench [--n 140000 --m 1000 --k 5 --dim 32 --labels 10
//                      --python /usr/bin/python3 --skip-python]
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "datadao/attribution/knn_shapley.hpp"

namespace {

using datadao::attribution::LabeledPoints;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

struct Args {
  size_t n = 140'000, m = 1'000, dim = 32;
  uint32_t k = 5;
  int labels = 10;
  std::string python = "/usr/bin/python3";
  bool skip_python = false;
};

[[noreturn]] void usage(const char* what) {
  std::fprintf(stderr,
               "knn_shapley_bench: %s\nusage: knn_shapley_bench [--n N] [--m M] [--k K] [--dim D] "
               "[--labels L] [--python PATH] [--skip-python]\n",
               what);
  std::exit(2);
}

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--skip-python") {
      a.skip_python = true;
      continue;
    }
    if (i + 1 >= argc) usage(("missing value for " + flag).c_str());
    const std::string value = argv[++i];
    char* end = nullptr;
    const unsigned long long x = std::strtoull(value.c_str(), &end, 10);
    const bool number = !value.empty() && *end == '\0' && x > 0 && x <= 100'000'000;
    if (flag == "--python") {
      a.python = value;
    } else if (!number) {
      usage((flag + " needs a positive integer, got '" + value + "'").c_str());
    } else if (flag == "--n") {
      a.n = x;
    } else if (flag == "--m") {
      a.m = x;
    } else if (flag == "--k") {
      a.k = static_cast<uint32_t>(x);
    } else if (flag == "--dim") {
      a.dim = x;
    } else if (flag == "--labels") {
      a.labels = static_cast<int>(std::min<unsigned long long>(x, 1000));
    } else {
      usage(("unknown flag " + flag).c_str());
    }
  }
  return a;
}

LabeledPoints make_points(std::mt19937_64& rng, const std::vector<std::vector<double>>& centres,
                          size_t n) {
  LabeledPoints p;
  p.dim = centres[0].size();
  std::normal_distribution<double> noise(0.0, 0.35);
  std::uniform_int_distribution<size_t> cluster(0, centres.size() - 1);
  std::uniform_real_distribution<double> unit(0, 1);
  p.features.reserve(n * p.dim);
  for (size_t i = 0; i < n; ++i) {
    const size_t c = cluster(rng);
    for (double x : centres[c]) p.features.push_back(x + noise(rng));
    p.labels.push_back(static_cast<int64_t>(unit(rng) < 0.1 ? cluster(rng) : c));
  }
  return p;
}

void write_csv(const std::filesystem::path& path, const LabeledPoints& p) {
  FILE* f = std::fopen(path.c_str(), "w");
  if (!f) usage(("cannot write " + path.string()).c_str());
  for (size_t i = 0; i < p.size(); ++i) {
    for (size_t j = 0; j < p.dim; ++j) std::fprintf(f, "%.17g,", p.features[i * p.dim + j]);
    std::fprintf(f, "%lld\n", static_cast<long long>(p.labels[i]));
  }
  std::fclose(f);
}

std::vector<double> timed_cpp(const LabeledPoints& train, const LabeledPoints& valid, uint32_t k,
                              int threads, double& seconds) {
  const auto t0 = Clock::now();
  auto r = datadao::attribution::knn_shapley(train, valid, {.k = k, .threads = threads});
  seconds = seconds_since(t0);
  if (!r.ok()) {
    std::fprintf(stderr, "knn_shapley: %s\n", r.error().to_string().c_str());
    std::exit(1);
  }
  return std::move(r).value();
}

}  // namespace

int main(int argc, char** argv) {
  const Args a = parse(argc, argv);
  const auto dir = std::filesystem::temp_directory_path() /
                   ("datadao_knn_shapley_bench_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);

  std::mt19937_64 rng(20261126);
  std::normal_distribution<double> gauss;
  std::vector<std::vector<double>> centres(static_cast<size_t>(a.labels),
                                           std::vector<double>(a.dim));
  for (auto& c : centres) {
    double norm = 0;
    for (double& x : c) {
      x = gauss(rng);
      norm += x * x;
    }
    for (double& x : c) x /= std::sqrt(norm);
  }
  const LabeledPoints train0 = make_points(rng, centres, a.n);
  const LabeledPoints valid0 = make_points(rng, centres, a.m);
  const auto train_csv = dir / "train.csv", valid_csv = dir / "valid.csv";
  write_csv(train_csv, train0);
  write_csv(valid_csv, valid0);

  // Both sides read the same files (the printed values round-trip, so these equal train0/valid0).
  auto t0 = Clock::now();
  auto train = datadao::attribution::read_points_csv(train_csv);
  auto valid = datadao::attribution::read_points_csv(valid_csv);
  const double cpp_load = seconds_since(t0);
  if (!train.ok() || !valid.ok()) {
    std::fprintf(stderr, "read: %s\n",
                 (train.ok() ? valid.error() : train.error()).to_string().c_str());
    return 1;
  }
  if (train->features != train0.features || valid->features != valid0.features) {
    std::fprintf(stderr, "CSV round trip changed the features\n");
    return 1;
  }

  double cpp1 = 0, cpp2 = 0;
  const auto values1 = timed_cpp(*train, *valid, a.k, 1, cpp1);
  const auto values2 = timed_cpp(*train, *valid, a.k, 2, cpp2);
  const bool threads_identical = values1 == values2;

  double py_load = NAN, py_compute = NAN, py_wall = NAN, max_rel = NAN, max_abs = NAN;
  size_t compared_rel = 0, compared_abs = 0;
  if (!a.skip_python) {
    const auto out = dir / "values.txt";
    const std::string cmd = a.python + " " DATADAO_SOURCE_DIR "/bench/knn_shapley_reference.py" +
                            " --train " + train_csv.string() + " --valid " + valid_csv.string() +
                            " --k " + std::to_string(a.k) + " --out " + out.string();
    std::fprintf(stderr, "running the NumPy reference (minutes at full size): %s\n", cmd.c_str());
    t0 = Clock::now();
    FILE* pipe = ::popen(cmd.c_str(), "r");
    char line[256] = {};
    const bool got = pipe && std::fgets(line, sizeof line, pipe) != nullptr;
    const int status = pipe ? ::pclose(pipe) : -1;
    py_wall = seconds_since(t0);
    if (!got || status != 0 ||
        std::sscanf(line, "load_s %lf compute_s %lf", &py_load, &py_compute) != 2) {
      std::fprintf(stderr, "the Python reference failed (status %d): %s\n", status, line);
      return 1;
    }
    std::ifstream in(out);
    std::vector<double> ref;
    for (double v; in >> v;) ref.push_back(v);
    if (ref.size() != values1.size()) {
      std::fprintf(stderr, "Python wrote %zu values for %zu rows\n", ref.size(), values1.size());
      return 1;
    }
    max_rel = 0;
    max_abs = 0;
    for (size_t i = 0; i < ref.size(); ++i) {
      const double diff = std::fabs(values1[i] - ref[i]);
      if (std::fabs(ref[i]) > 1e-12) {
        max_rel = std::max(max_rel, diff / std::max(std::fabs(ref[i]), 1e-300));
        ++compared_rel;
      } else {
        max_abs = std::max(max_abs, diff);
        ++compared_abs;
      }
    }
  }
  std::filesystem::remove_all(dir);

  std::printf("Exact KNN-Shapley: N=%zu train, M=%zu valid, dim %zu, %d labels, K=%u\n\n", a.n, a.m,
              a.dim, a.labels, a.k);
  std::printf("%-34s %12s %12s\n", "side", "seconds", "Python/C++");
  std::printf("%-34s %12.3f %12s\n", "NumPy reference (compute)", py_compute, "1.0");
  std::printf("%-34s %12.3f %12.1f\n", "C++ knn_shapley, 1 thread", cpp1, py_compute / cpp1);
  std::printf("%-34s %12.3f %12.1f\n", "C++ knn_shapley, 2 threads", cpp2, py_compute / cpp2);
  std::printf("%-34s %12.3f\n", "NumPy CSV load", py_load);
  std::printf("%-34s %12.3f\n", "C++ CSV load (read_points_csv)", cpp_load);
  std::printf("%-34s %12.3f\n", "Python process wall time", py_wall);
  std::printf("\nC++ 1 vs 2 threads: %s\n", threads_identical ? "identical" : "DIFFERENT");
  std::printf(
      "C++ vs NumPy: max relative difference %.3g over %zu values with |v| > 1e-12; "
      "max absolute difference %.3g over the other %zu\n",
      max_rel, compared_rel, max_abs, compared_abs);
  const bool ok = threads_identical && (a.skip_python || (max_rel <= 1e-9 && max_abs <= 1e-12));
  std::printf("values %s (target: equal to 1e-9 relative; ratio >= 20x)\n",
              ok ? "agree" : "DISAGREE");
  return ok ? 0 : 1;
}
