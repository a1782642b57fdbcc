#include <httplib.h>
#include <unistd.h>

#include <cstdio>
#include <system_error>
#include <vector>

#include "datadao/codec/codec.hpp"
#include "datadao/vault/backend.hpp"
#include "file_util.hpp"

namespace datadao::vault {

namespace fs = std::filesystem;

namespace {

constexpr size_t kUploadPieceBytes = 256u << 10;

std::string snippet(const std::string& body) {
  std::string s = body.substr(0, 200);
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return s;
}

}  // namespace

HttpBackend::HttpBackend(std::string base_url) : HttpBackend(std::move(base_url), Options{}) {}

HttpBackend::HttpBackend(std::string base_url, Options options) : options_(std::move(options)) {
  size_t scheme_end = base_url.find("://");
  size_t path_start = base_url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
  scheme_host_port_ = base_url.substr(0, path_start);
  if (path_start != std::string::npos) prefix_ = base_url.substr(path_start);
  while (!prefix_.empty() && prefix_.back() == '/') prefix_.pop_back();
}

std::string HttpBackend::url_path(const Hash32& hash) const {
  return prefix_ + "/v1/blobs/" + codec::to_hex(hash);
}

std::string HttpBackend::locator(const Hash32& hash) const {
  return scheme_host_port_ + url_path(hash);
}

fs::path HttpBackend::scratch_dir() const {
  return options_.scratch_dir.empty() ? Backend::scratch_dir() : options_.scratch_dir;
}

namespace {

std::unique_ptr<httplib::Client> make_client(const std::string& scheme_host_port,
                                             const HttpBackend::Options& o) {
  auto cli = std::make_unique<httplib::Client>(scheme_host_port);
  cli->set_connection_timeout(o.connect_timeout_seconds, 0);
  cli->set_read_timeout(o.io_timeout_seconds, 0);
  cli->set_write_timeout(o.io_timeout_seconds, 0);
  return cli;
}

Error transport_error(const std::string& what, httplib::Error err) {
  std::string why;
  switch (err) {
    case httplib::Error::Connection:
      why = "cannot connect (refused or unreachable)";
      break;
    case httplib::Error::ConnectionTimeout:
      why = "connection timed out";
      break;
    case httplib::Error::Read:
      why = "connection broke while reading the response";
      break;
    case httplib::Error::Write:
      why = "connection broke while sending";
      break;
    case httplib::Error::Canceled:
      why = "transfer aborted (server hung up?)";
      break;
    default:
      why = "transfer failed";
      break;
  }
  return make_error(ErrorCode::kIoError,
                    what + ": " + why + " (httplib: " + httplib::to_string(err) + ")");
}

}  // namespace

Status HttpBackend::put_file(const Hash32& hash, const fs::path& ciphertext_file) {
  const std::string what = blob_label(hash) + ": PUT " + locator(hash);
  DD_ASSIGN(auto in, store::open_read(ciphertext_file));
  DD_ASSIGN(uint64_t size, store::file_size(in.get(), ciphertext_file.string()));
  auto cli = make_client(scheme_host_port_, options_);
  const int fd = in.get();
  std::string read_error;
  std::vector<char> buf(kUploadPieceBytes);
  auto res = cli->Put(
      url_path(hash), static_cast<size_t>(size),
      [&](size_t offset, size_t length, httplib::DataSink& sink) {
        size_t want = std::min(length, buf.size());
        ssize_t n = ::pread(fd, buf.data(), want, static_cast<off_t>(offset));
        if (n <= 0) {
          read_error = ciphertext_file.string() + ": short read while uploading";
          return false;
        }
        return sink.write(buf.data(), static_cast<size_t>(n));
      },
      "application/octet-stream");
  if (!read_error.empty()) return make_error(ErrorCode::kIoError, what + ": " + read_error);
  if (!res) return transport_error(what, res.error());
  switch (res->status) {
    case 200:
    case 201:
    case 204:
      return Status::Ok();
    case 400:
      return make_error(ErrorCode::kCorruption,
                        what + ": server refused the bytes (400: " + snippet(res->body) + ")");
    case 413:
      return make_error(ErrorCode::kLimitExceeded, what + ": " + std::to_string(size) +
                                                       " bytes is too large for the server (413)");
    default:
      return make_error(ErrorCode::kIoError,
                        what + ": HTTP " + std::to_string(res->status) + " " + snippet(res->body));
  }
}

Status HttpBackend::get_file(const Hash32& hash, const fs::path& out) {
  const std::string what = blob_label(hash) + ": GET " + locator(hash);
  // A download, not the store: no fsync (a crash may lose it).
  DD_ASSIGN(auto file, store::AtomicFile::create(out, store::WriteOptions{.durable = false},
                                                 blob_label(hash)));

  crypto::Blake2b256 hasher;
  uint64_t received = 0;
  int status = 0;
  std::optional<Error> body_error;
  auto cli = make_client(scheme_host_port_, options_);
  auto res = cli->Get(
      url_path(hash), httplib::Headers{},
      [&](const httplib::Response& r) {
        status = r.status;
        if (status != 200) return false;
        if (r.has_header("Content-Length")) {
          uint64_t announced =
              std::strtoull(r.get_header_value("Content-Length").c_str(), nullptr, 10);
          if (announced > options_.max_download_bytes) {
            body_error = make_error(ErrorCode::kLimitExceeded,
                                    what + ": server announces " + std::to_string(announced) +
                                        " bytes, above the limit of " +
                                        std::to_string(options_.max_download_bytes));
            return false;
          }
        }
        return true;
      },
      [&](const char* data, size_t len) {
        received += len;
        if (received > options_.max_download_bytes) {
          body_error = make_error(ErrorCode::kLimitExceeded,
                                  what + ": download exceeds the limit of " +
                                      std::to_string(options_.max_download_bytes) + " bytes");
          return false;
        }
        ByteView piece(reinterpret_cast<const uint8_t*>(data), len);
        hasher.update(piece);
        Status st = file.write(piece);
        if (!st.ok()) {
          body_error = st.error();
          return false;
        }
        return true;
      });
  if (body_error) return *body_error;
  if (status == 404) return make_error(ErrorCode::kNotFound, what + ": not on the server");
  if (status != 0 && status != 200) {
    return make_error(ErrorCode::kIoError, what + ": HTTP " + std::to_string(status));
  }
  if (!res) return transport_error(what, res.error());
  Hash32 actual = hasher.finish();
  if (actual != hash) {
    return make_error(ErrorCode::kCorruption,
                      what + ": downloaded bytes hash to " + codec::to_hex(actual));
  }
  DD_TRY(file.commit());
  return Status::Ok();
}

Result<bool> HttpBackend::exists(const Hash32& hash) {
  const std::string what = blob_label(hash) + ": HEAD " + locator(hash);
  auto cli = make_client(scheme_host_port_, options_);
  auto res = cli->Head(url_path(hash));
  if (!res) return transport_error(what, res.error());
  if (res->status == 200) return true;
  if (res->status == 404) return false;
  return make_error(ErrorCode::kIoError, what + ": HTTP " + std::to_string(res->status));
}

}  // namespace datadao::vault
