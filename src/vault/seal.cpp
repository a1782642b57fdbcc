// seal_file / open_blob: streaming, constant memory.
//
// seal_file is a two-stage pipeline: the calling thread reads and encrypts chunks, a helper
// thread hashes and writes them (the sink hashes as it writes). BLAKE2b costs about as much as
// the AEAD, so on two cores this roughly halves the wall time of a single-threaded loop.
#include <sys/stat.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "blob_stream.hpp"
#include "datadao/codec/codec.hpp"
#include "datadao/vault/vault.hpp"
#include "file_util.hpp"

namespace datadao::vault {

namespace fs = std::filesystem;

namespace {

constexpr size_t kPipelineBuffers = 4;

// A chunk buffer; allocated once, never zero-filled.
struct Buffer {
  std::unique_ptr<uint8_t[]> bytes;
  size_t len = 0;
};

// Bounded hand-off of filled buffers from the encrypting thread to the writing thread.
class WritePipeline {
 public:
  WritePipeline(BlobSink& sink, size_t buffer_bytes) : sink_(sink) {
    storage_.resize(kPipelineBuffers);
    for (auto& b : storage_) {
      b.bytes.reset(new uint8_t[buffer_bytes]);
      free_.push_back(&b);
    }
    writer_ = std::thread([this] { run(); });
  }
  ~WritePipeline() { (void)finish(); }

  // Returns an empty buffer to fill, or nullptr if the writer failed.
  Buffer* acquire() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !free_.empty() || failed_; });
    if (failed_) return nullptr;
    auto* b = free_.back();
    free_.pop_back();
    return b;
  }
  void submit(Buffer* b) {
    {
      std::lock_guard lock(mu_);
      full_.push_back(b);
    }
    cv_.notify_all();
  }
  // Waits for every submitted buffer to be written; returns the first write error.
  Status finish() {
    {
      std::lock_guard lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    if (writer_.joinable()) writer_.join();
    return status_;
  }

 private:
  void run() {
    for (;;) {
      Buffer* b = nullptr;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return !full_.empty() || done_; });
        if (full_.empty()) return;
        b = full_.front();
        full_.pop_front();
      }
      Status st = failed_ ? Status::Ok() : sink_.write(ByteView(b->bytes.get(), b->len));
      {
        std::lock_guard lock(mu_);
        if (!st.ok() && !failed_) {
          failed_ = true;
          status_ = st;
        }
        b->len = 0;
        free_.push_back(b);
      }
      cv_.notify_all();
    }
  }

  BlobSink& sink_;
  std::vector<Buffer> storage_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Buffer*> free_;
  std::deque<Buffer*> full_;
  bool done_ = false;
  bool failed_ = false;
  Status status_;
  std::thread writer_;
};

}  // namespace

Result<std::pair<BlobInfo, crypto::SymmetricKey>> seal_file(const fs::path& input, Backend& backend,
                                                            size_t chunk_size) {
  const std::string what = input.string();
  DD_ASSIGN(auto fd, store::open_read(input));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return store::io_error("stat " + what, errno);
  if (!S_ISREG(st.st_mode)) {
    return make_error(ErrorCode::kInvalidArgument, what + ": not a regular file");
  }
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  auto layout_r = detail::make_layout(size, chunk_size);
  if (!layout_r.ok()) return layout_r.error().with_context(what);
  const detail::Layout layout = *layout_r;

  crypto::SymmetricKey key = crypto::random_key();
  std::array<uint8_t, kBlobHeaderBytes> header{};
  detail::StreamEncryptor enc(key, layout, header);
  DD_ASSIGN(auto sink, backend.begin_write());

  std::vector<uint8_t> plain(std::min<uint64_t>(chunk_size, size));
  {
    WritePipeline pipe(*sink, kBlobHeaderBytes + plain.size() + kChunkOverheadBytes);
    Status read_status;
    for (uint64_t i = 0; i < layout.chunks; ++i) {
      const size_t n = layout.chunk_plain(i);
      auto got = store::read_full(fd.get(), std::span<uint8_t>(plain.data(), n), what);
      if (!got.ok()) {
        read_status = got.error();
        break;
      }
      if (*got != n) {
        read_status =
            make_error(ErrorCode::kFailedPrecondition, what + ": file shrank while being sealed");
        break;
      }
      Buffer* buf = pipe.acquire();
      if (buf == nullptr) break;  // the writer failed; finish() reports why
      size_t off = 0;
      if (i == 0) {
        std::memcpy(buf->bytes.get(), header.data(), header.size());
        off = header.size();
      }
      buf->len = off + n + kChunkOverheadBytes;
      enc.encrypt_chunk(ByteView(plain.data(), n), i + 1 == layout.chunks, buf->bytes.get() + off);
      pipe.submit(buf);
    }
    Status write_status = pipe.finish();
    crypto::wipe(plain);
    if (!read_status.ok()) return read_status.error();
    if (!write_status.ok()) return write_status.error().with_context("sealing " + what);
  }
  std::array<uint8_t, 1> extra{};
  DD_ASSIGN(size_t more, store::read_full(fd.get(), extra, what));
  if (more != 0) {
    return make_error(ErrorCode::kFailedPrecondition, what + ": file grew while being sealed");
  }
  if (sink->bytes_written() != layout.ciphertext_size) {
    return make_error(ErrorCode::kInternal, what + ": sealed size does not match the layout");
  }
  DD_ASSIGN(Hash32 hash, sink->commit());
  BlobInfo info{hash, size, layout.ciphertext_size};
  return std::make_pair(info, key);
}

Result<BlobInfo> open_blob(Backend& backend, const crypto::Hash32& hash,
                           const crypto::SymmetricKey& key, const fs::path& output) {
  const std::string what = blob_label(hash);
  DD_ASSIGN(auto source, backend.open_reader(hash));
  auto file = store::AtomicFile::create(output, store::WriteOptions{}, what);
  if (!file.ok()) return file.error();
  auto info = detail::decode_stream(*source, key, what, hash, UINT64_MAX,
                                    [&](ByteView chunk) { return file->write(chunk); });
  if (!info.ok()) return info.error();  // the temporary file goes with `file`
  DD_TRY(file->commit());
  return info;
}

}  // namespace datadao::vault
