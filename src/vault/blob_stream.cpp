#include "blob_stream.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

#include "datadao/codec/codec.hpp"

namespace datadao::vault {

namespace detail {

namespace {

constexpr uint8_t kTagMessage = crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
constexpr uint8_t kTagFinal = crypto_secretstream_xchacha20poly1305_TAG_FINAL;

bool checked_add(uint64_t a, uint64_t b, uint64_t* out) {
  return !__builtin_add_overflow(a, b, out);
}

Error corruption(const std::string& what, const std::string& why) {
  return make_error(ErrorCode::kCorruption, what + ": " + why);
}

// Reads exactly out.size() bytes unless the source ends first; returns the count.
Result<size_t> read_exact(BlobSource& source, std::span<uint8_t> out) {
  size_t got = 0;
  while (got < out.size()) {
    DD_ASSIGN(size_t n, source.read(out.subspan(got)));
    if (n == 0) break;
    got += n;
  }
  return got;
}

}  // namespace

Result<Layout> make_layout(uint64_t plaintext_size, uint64_t chunk_size) {
  if (chunk_size == 0 || chunk_size > kMaxChunkSize) {
    return make_error(ErrorCode::kInvalidArgument, "chunk size " + std::to_string(chunk_size) +
                                                       " is outside 1.." +
                                                       std::to_string(kMaxChunkSize));
  }
  Layout l;
  l.chunk_size = static_cast<uint32_t>(chunk_size);
  l.plaintext_size = plaintext_size;
  l.chunks = plaintext_size / chunk_size + 1;
  uint64_t overhead = 0;
  if (__builtin_mul_overflow(l.chunks, uint64_t{kChunkOverheadBytes}, &overhead) ||
      !checked_add(plaintext_size, overhead, &l.ciphertext_size) ||
      !checked_add(l.ciphertext_size, kBlobHeaderBytes, &l.ciphertext_size)) {
    return make_error(ErrorCode::kLimitExceeded,
                      "plaintext size " + std::to_string(plaintext_size) + " overflows the format");
  }
  return l;
}

StreamEncryptor::StreamEncryptor(const crypto::SymmetricKey& key, const Layout& layout,
                                 std::span<uint8_t, kBlobHeaderBytes> header_out) {
  crypto::init();
  codec::Writer w(kAdBytes);
  w.fixed(ByteView(reinterpret_cast<const uint8_t*>(kBlobMagic), 4))
      .u8(kBlobVersion)
      .u32(layout.chunk_size)
      .u64(layout.plaintext_size);
  std::memcpy(ad_.data(), w.data().data(), kAdBytes);
  std::memcpy(header_out.data(), ad_.data(), kAdBytes);
  crypto_secretstream_xchacha20poly1305_init_push(&state_, header_out.data() + kAdBytes,
                                                  key.data());
}

StreamEncryptor::~StreamEncryptor() { sodium_memzero(&state_, sizeof state_); }

void StreamEncryptor::encrypt_chunk(ByteView plaintext, bool final, uint8_t* out) {
  crypto_secretstream_xchacha20poly1305_push(&state_, out, nullptr, plaintext.data(),
                                             plaintext.size(), ad_.data(), ad_.size(),
                                             final ? kTagFinal : kTagMessage);
}

Result<size_t> MemorySource::read(std::span<uint8_t> out) {
  size_t n = std::min(out.size(), data_.size() - pos_);
  if (n > 0) std::memcpy(out.data(), data_.data() + pos_, n);
  pos_ += n;
  return n;
}

Result<BlobInfo> decode_stream(BlobSource& source, const crypto::SymmetricKey& key,
                               const std::string& what, const std::optional<Hash32>& expected,
                               uint64_t max_plaintext, const PlaintextSink& out) {
  crypto::init();
  crypto::Blake2b256 hasher;
  const uint64_t total = source.size();
  if (total < kBlobHeaderBytes) {
    return corruption(
        what, "truncated: " + std::to_string(total) + " bytes, shorter than the 41-byte header");
  }
  std::array<uint8_t, kBlobHeaderBytes> header{};
  DD_ASSIGN(size_t got, read_exact(source, header));
  if (got != header.size()) return corruption(what, "truncated inside the header");
  hasher.update(header);

  codec::Reader r(header, what + " header");
  auto magic = r.fixed<4>("magic");
  uint8_t version = r.u8("version");
  uint32_t chunk_size = r.u32("chunk size");
  uint64_t plaintext_size = r.u64("plaintext size");
  auto stream_header = r.fixed<crypto_secretstream_xchacha20poly1305_HEADERBYTES>("stream header");
  DD_TRY(r.finish());
  if (std::memcmp(magic.data(), kBlobMagic, 4) != 0) {
    return corruption(what, "not a vault blob (bad magic)");
  }
  if (version != kBlobVersion) {
    return corruption(what, "unsupported format version " + std::to_string(version));
  }
  if (chunk_size == 0) return corruption(what, "chunk size 0 in header");
  if (chunk_size > kMaxChunkSize) {
    return make_error(ErrorCode::kLimitExceeded,
                      what + ": chunk size " + std::to_string(chunk_size) +
                          " in header is above the limit of " + std::to_string(kMaxChunkSize));
  }
  if (plaintext_size > max_plaintext) {
    return make_error(ErrorCode::kLimitExceeded,
                      what + ": plaintext size " + std::to_string(plaintext_size) +
                          " is above the limit of " + std::to_string(max_plaintext));
  }
  auto layout = make_layout(plaintext_size, chunk_size);
  if (!layout.ok()) return corruption(what, layout.error().message);
  if (total < layout->ciphertext_size) {
    return corruption(what, "truncated: header promises " +
                                std::to_string(layout->ciphertext_size) + " bytes, blob has " +
                                std::to_string(total));
  }
  if (total > layout->ciphertext_size) {
    return corruption(
        what, std::to_string(total - layout->ciphertext_size) + " bytes after the final chunk");
  }

  crypto_secretstream_xchacha20poly1305_state state;
  struct Wipe {
    crypto_secretstream_xchacha20poly1305_state* s;
    ~Wipe() { sodium_memzero(s, sizeof *s); }
  } wipe{&state};
  if (crypto_secretstream_xchacha20poly1305_init_pull(&state, stream_header.data(), key.data()) !=
      0) {
    return corruption(what, "invalid stream header");
  }

  const size_t max_chunk = static_cast<size_t>(std::min<uint64_t>(chunk_size, plaintext_size));
  std::vector<uint8_t> cipher(max_chunk + kChunkOverheadBytes);
  std::vector<uint8_t> plain(max_chunk);
  struct WipePlain {
    std::vector<uint8_t>& v;
    ~WipePlain() { crypto::wipe(v); }
  } wipe_plain{plain};
  for (uint64_t i = 0; i < layout->chunks; ++i) {
    const std::string chunk_what = what + ": chunk " + std::to_string(i);
    const size_t len = layout->chunk_plain(i) + kChunkOverheadBytes;
    std::span<uint8_t> ct(cipher.data(), len);
    DD_ASSIGN(size_t n, read_exact(source, ct));
    if (n != len) return corruption(chunk_what, "truncated (stream ended without the final tag)");
    hasher.update(ct);
    unsigned long long plain_len = 0;
    uint8_t tag = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(&state, plain.data(), &plain_len, &tag,
                                                   ct.data(), ct.size(), header.data(),
                                                   kAdBytes) != 0) {
      if (!expected) {
        return corruption(chunk_what, "authentication failed (altered, reordered or wrong key)");
      }
      // Tell a wrong key from altered bytes: hash the rest of the blob.
      for (;;) {
        auto m = source.read(cipher);
        if (!m.ok() || *m == 0) break;
        hasher.update(ByteView(cipher.data(), *m));
      }
      if (hasher.finish() == *expected) {
        return make_error(ErrorCode::kUnauthenticated,
                          chunk_what +
                              ": authentication failed: the blob is intact, so the key "
                              "is wrong");
      }
      return corruption(chunk_what, "authentication failed (content hash mismatch: blob altered)");
    }
    const bool last = i + 1 == layout->chunks;
    if (!last && tag == kTagFinal) {
      return corruption(chunk_what, "final tag before the last chunk");
    }
    if (last && tag != kTagFinal) {
      return corruption(chunk_what, "last chunk lacks the final tag (truncated stream)");
    }
    if (!last && tag != kTagMessage) return corruption(chunk_what, "unexpected tag");
    DD_TRY(out(ByteView(plain.data(), static_cast<size_t>(plain_len))));
  }
  std::array<uint8_t, 1> extra{};
  DD_ASSIGN(size_t more, source.read(extra));
  if (more != 0) return corruption(what, "bytes after the final chunk");
  BlobInfo info;
  info.hash = hasher.finish();
  info.plaintext_size = plaintext_size;
  info.ciphertext_size = total;
  if (expected && info.hash != *expected) {
    return corruption(what,
                      "content hash mismatch (bytes hash to " + codec::to_hex(info.hash) + ")");
  }
  return info;
}

}  // namespace detail

Result<uint64_t> ciphertext_size_for(uint64_t plaintext_size, size_t chunk_size) {
  DD_ASSIGN(detail::Layout l, detail::make_layout(plaintext_size, chunk_size));
  return l.ciphertext_size;
}

Result<Bytes> encode_blob(ByteView plaintext, const crypto::SymmetricKey& key, size_t chunk_size) {
  DD_ASSIGN(detail::Layout l, detail::make_layout(plaintext.size(), chunk_size));
  Bytes blob(l.ciphertext_size);
  detail::StreamEncryptor enc(key, l,
                              std::span<uint8_t, kBlobHeaderBytes>(blob.data(), kBlobHeaderBytes));
  size_t in = 0;
  size_t out = kBlobHeaderBytes;
  for (uint64_t i = 0; i < l.chunks; ++i) {
    size_t n = l.chunk_plain(i);
    enc.encrypt_chunk(plaintext.subspan(in, n), i + 1 == l.chunks, blob.data() + out);
    in += n;
    out += n + kChunkOverheadBytes;
  }
  return blob;
}

Result<Bytes> decode_blob(ByteView blob, const crypto::SymmetricKey& key, std::string_view what,
                          uint64_t max_plaintext) {
  detail::MemorySource source(blob);
  Bytes plaintext;
  auto info = detail::decode_stream(source, key, std::string(what), std::nullopt, max_plaintext,
                                    [&](ByteView chunk) {
                                      plaintext.insert(plaintext.end(), chunk.begin(), chunk.end());
                                      return Status::Ok();
                                    });
  if (!info.ok()) return info.error();
  return plaintext;
}

Result<std::pair<BlobInfo, crypto::SymmetricKey>> seal_bytes(ByteView plaintext, Backend& backend,
                                                             size_t chunk_size) {
  crypto::SymmetricKey key = crypto::random_key();
  DD_ASSIGN(Bytes blob, encode_blob(plaintext, key, chunk_size));
  BlobInfo info;
  info.hash = crypto::blake2b256(blob);
  info.plaintext_size = plaintext.size();
  info.ciphertext_size = blob.size();
  DD_TRY(backend.put_bytes(info.hash, blob));
  return std::make_pair(info, key);
}

Result<Bytes> open_bytes(Backend& backend, const crypto::Hash32& hash,
                         const crypto::SymmetricKey& key, uint64_t max_plaintext) {
  DD_ASSIGN(Bytes blob, backend.get_bytes(hash));
  detail::MemorySource source(blob);
  Bytes plaintext;
  auto info = detail::decode_stream(source, key, blob_label(hash), hash, max_plaintext,
                                    [&](ByteView chunk) {
                                      plaintext.insert(plaintext.end(), chunk.begin(), chunk.end());
                                      return Status::Ok();
                                    });
  if (!info.ok()) return info.error();
  return plaintext;
}

}  // namespace datadao::vault
