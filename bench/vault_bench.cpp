// vault_bench: sealing a file through the vault vs libsodium's raw AEAD over the same bytes.
//
//   vault_bench [--mib N] [--dir DIR] [--chunk-kib K] [--reps R]
//
// Anchor: crypto_aead_xchacha20poly1305_ietf_encrypt over the plaintext already in memory, chunk
// by chunk (same chunk size), into one reused buffer: the cost of the encryption alone.
// Project: seal_file from a file (just written, so in the page cache) into a LocalDirBackend:
// read, encrypt (secretstream), BLAKE2b-256 over the ciphertext, write, fsync, rename.
// Both are timed in this one run; with --reps the best of R is reported for each. The input file
// and the store are created under DIR (default $TMPDIR or /tmp) and deleted afterwards.
#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "datadao/codec/codec.hpp"
#include "datadao/vault/vault.hpp"

namespace fs = std::filesystem;
using datadao::vault::Bytes;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void fill_pseudo_random(Bytes& b) {
  uint64_t x = 0x9E3779B97F4A7C15ull;
  size_t i = 0;
  for (; i + 8 <= b.size(); i += 8) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    std::memcpy(b.data() + i, &x, 8);
  }
  for (; i < b.size(); ++i) b[i] = static_cast<uint8_t>(i);
}

// A backend that hashes what it is given and throws it away: isolates the sealing pipeline
// (read, encrypt, hash) from the cost of storing the bytes.
class DiscardingBackend final : public datadao::vault::Backend {
 public:
  class Sink final : public datadao::vault::BlobSink {
   public:
    datadao::Status write(datadao::vault::ByteView data) override {
      hasher_.update(data);
      written_ += data.size();
      return datadao::Status::Ok();
    }
    datadao::Result<datadao::vault::Hash32> commit(
        const std::optional<datadao::vault::Hash32>&) override {
      return hasher_.finish();
    }
    uint64_t bytes_written() const override { return written_; }

   private:
    datadao::crypto::Blake2b256 hasher_;
    uint64_t written_ = 0;
  };
  datadao::Status put_file(const datadao::vault::Hash32&, const fs::path&) override {
    return datadao::Status::Ok();
  }
  datadao::Status get_file(const datadao::vault::Hash32&, const fs::path&) override {
    return datadao::make_error(datadao::ErrorCode::kNotFound, "discarded");
  }
  datadao::Result<bool> exists(const datadao::vault::Hash32&) override { return false; }
  std::string locator(const datadao::vault::Hash32&) const override { return "null:"; }
  datadao::Result<std::unique_ptr<datadao::vault::BlobSink>> begin_write() override {
    return std::unique_ptr<datadao::vault::BlobSink>(new Sink);
  }
};

int usage() {
  std::fprintf(stderr,
               "usage: vault_bench [--mib N] [--dir DIR] [--chunk-kib K] [--reps R]\n"
               "example: vault_bench --mib 256\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t mib = 1024;
  size_t chunk = datadao::vault::kDefaultChunkSize;
  int reps = 1;
  const char* tmp_env = std::getenv("TMPDIR");
  fs::path dir = tmp_env != nullptr ? tmp_env : "/tmp";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (i + 1 >= argc) return usage();
    if (a == "--mib") {
      mib = std::strtoull(argv[++i], nullptr, 10);
    } else if (a == "--dir") {
      dir = argv[++i];
    } else if (a == "--chunk-kib") {
      chunk = std::strtoull(argv[++i], nullptr, 10) << 10;
    } else if (a == "--reps") {
      reps = std::max(1, std::atoi(argv[++i]));
    } else {
      return usage();
    }
  }
  if (mib == 0 || chunk == 0 || chunk > datadao::vault::kMaxChunkSize) return usage();
  if (sodium_init() < 0) return 1;

  const uint64_t size = mib << 20;
  std::array<uint8_t, 8> r{};
  datadao::crypto::random_bytes(r);
  fs::path work = dir / ("vault-bench-" + datadao::codec::to_hex(r));
  fs::create_directories(work);
  fs::path input = work / "input.bin";

  Bytes plain(size);
  fill_pseudo_random(plain);
  {
    std::ofstream f(input, std::ios::binary);
    f.write(reinterpret_cast<const char*>(plain.data()), static_cast<std::streamsize>(size));
  }

  // Anchor: raw one-shot AEAD per chunk, in memory.
  std::vector<uint8_t> out(chunk + crypto_aead_xchacha20poly1305_ietf_ABYTES);
  uint8_t key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
  uint8_t nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES] = {};
  crypto_aead_xchacha20poly1305_ietf_keygen(key);
  double anchor = 1e100;
  double hash_only = 1e100;
  double project = 1e100;
  double no_storage = 1e100;
  uint8_t sink = 0;
  datadao::vault::BlobInfo info;
  datadao::crypto::SymmetricKey file_key;
  // Each repetition measures every row back to back, so they see similar machine load.
  for (int rep = 0; rep < reps; ++rep) {
    auto t0 = std::chrono::steady_clock::now();
    for (uint64_t off = 0; off < size; off += chunk) {
      size_t n = static_cast<size_t>(std::min<uint64_t>(chunk, size - off));
      sodium_increment(nonce, sizeof nonce);
      crypto_aead_xchacha20poly1305_ietf_encrypt(out.data(), nullptr, plain.data() + off, n,
                                                 nullptr, 0, nullptr, nonce, key);
      sink ^= out[0];
    }
    anchor = std::min(anchor, seconds_since(t0));

    // Project: seal_file into a local store (includes fsync of the blob).
    fs::path store_dir = work / ("store" + std::to_string(rep));
    datadao::vault::LocalDirBackend store(store_dir);
    t0 = std::chrono::steady_clock::now();
    auto sealed = datadao::vault::seal_file(input, store, chunk);
    double t = seconds_since(t0);
    if (!sealed.ok()) {
      std::fprintf(stderr, "seal_file failed: %s\n", sealed.error().to_string().c_str());
      fs::remove_all(work);
      return 1;
    }
    project = std::min(project, t);
    info = sealed->first;
    file_key = sealed->second;
    if (rep + 1 < reps) fs::remove_all(store_dir);

    // The same pipeline with storage excluded.
    DiscardingBackend discard;
    t0 = std::chrono::steady_clock::now();
    auto discarded = datadao::vault::seal_file(input, discard, chunk);
    if (discarded.ok()) no_storage = std::min(no_storage, seconds_since(t0));

    // BLAKE2b alone: the other half of what sealing costs.
    t0 = std::chrono::steady_clock::now();
    auto digest = datadao::crypto::blake2b256(plain);
    hash_only = std::min(hash_only, seconds_since(t0));
    sink ^= digest[0];
  }
  // Opening, for context (verify + decrypt + write + fsync the plaintext).
  datadao::vault::LocalDirBackend store(work / ("store" + std::to_string(reps - 1)));
  auto t0 = std::chrono::steady_clock::now();
  auto opened = datadao::vault::open_blob(store, info.hash, file_key, work / "output.bin");
  double open_time = seconds_since(t0);
  fs::remove_all(work);
  if (!opened.ok()) {
    std::fprintf(stderr, "open_blob failed: %s\n", opened.error().to_string().c_str());
    return 1;
  }

  const double mb = static_cast<double>(size) / 1e6;
  std::printf("vault_bench: %llu MiB, chunk %zu KiB, best of %d, (checksum %u)\n",
              static_cast<unsigned long long>(mib), chunk >> 10, reps, sink);
  std::printf("%-52s %10s %10s\n", "", "seconds", "MB/s");
  std::printf("%-52s %10.3f %10.1f\n", "anchor: raw XChaCha20-Poly1305 AEAD, in memory", anchor,
              mb / anchor);
  std::printf("%-52s %10.3f %10.1f\n", "project: seal_file -> LocalDirBackend (fsync)", project,
              mb / project);
  std::printf("%-52s %10.2f %10s\n", "ratio project/anchor (target >= 0.70)", anchor / project, "");
  std::printf("%-52s %10.3f %10.1f\n", "project, storage excluded: seal_file -> hash only",
              no_storage, mb / no_storage);
  std::printf("%-52s %10.2f %10s\n", "ratio storage-excluded/anchor", anchor / no_storage, "");
  std::printf("%-52s %10.3f %10.1f\n", "context: BLAKE2b-256 alone, in memory", hash_only,
              mb / hash_only);
  std::printf("%-52s %10.3f %10.1f\n", "context: open_blob -> file (verify, decrypt, fsync)",
              open_time, mb / open_time);
  return 0;
}
