#include "datadao/vault/http_routes.hpp"

#include <httplib.h>
#include <memory>

#include "datadao/codec/codec.hpp"
#include "datadao/vault/backend.hpp"

namespace datadao::vault {

namespace {

constexpr const char* kBlobRoute = R"(/v1/blobs/([0-9a-f]{64}))";
constexpr size_t kServePieceBytes = 256u << 10;
constexpr uint64_t kDrainBytes = 64ull << 20;

void reply(httplib::Response& res, int status, const std::string& text) {
  res.status = status;
  res.set_content(text + "\n", "text/plain");
}

std::optional<Hash32> parse_name(const httplib::Request& req) {
  auto h = codec::from_hex_fixed<32>(req.matches[1].str(), "blob name");
  if (!h.ok()) return std::nullopt;
  return *h;
}

}  // namespace

void register_blob_routes(RouteTable<httplib::Server>& routes, Backend& backend,
                          uint64_t max_put_bytes) {
  // GET: 200 + bytes, 404 if unknown (httplib also routes HEAD here and sends the headers only).
  routes.get(kBlobRoute, [&backend](const httplib::Request& req, httplib::Response& res) {
    auto hash = parse_name(req);
    if (!hash) return reply(res, 400, "bad blob name");
    auto source = backend.open_reader(*hash);
    if (!source.ok()) {
      if (source.error().code == ErrorCode::kNotFound) return reply(res, 404, "no such blob");
      return reply(res, 500, "cannot read blob");
    }
    const uint64_t size = (*source)->size();
    // httplib asks for the body in order; a reader is sequential, so any other offset ends the
    // response rather than sending the wrong bytes.
    struct Stream {
      std::unique_ptr<BlobSource> source;
      uint64_t sent = 0;
    };
    auto stream = std::make_shared<Stream>(Stream{std::move(source).value()});
    res.status = 200;
    res.set_content_provider(static_cast<size_t>(size), "application/octet-stream",
                             [stream](size_t offset, size_t length, httplib::DataSink& sink) {
                               if (offset != stream->sent) return false;
                               std::vector<uint8_t> buf(std::min(length, kServePieceBytes));
                               auto n = stream->source->read(buf);
                               if (!n.ok() || *n == 0) return false;
                               stream->sent += *n;
                               return sink.write(reinterpret_cast<const char*>(buf.data()), *n);
                             });
  });

  // PUT: 201 stored (or already present); 400 if the body does not hash to the name, 413 past
  // max_put_bytes (nothing stored either way); 500 on I/O.
  routes.put(
      kBlobRoute, [&backend, max_put_bytes](const httplib::Request& req, httplib::Response& res,
                                            const httplib::ContentReader& content_reader) {
        auto hash = parse_name(req);
        if (!hash) return reply(res, 400, "bad blob name");
        // An oversized body is still read (and dropped) up to kDrainBytes past the limit: a client
        // only sees the 413 if the server consumes what it sends; beyond that we hang up.
        auto sink = backend.begin_write();
        if (!sink.ok()) return reply(res, 500, "cannot store blob");
        uint64_t received = 0;
        bool too_big = false;
        bool write_failed = false;
        if (req.has_header("Content-Length")) {
          uint64_t announced =
              std::strtoull(req.get_header_value("Content-Length").c_str(), nullptr, 10);
          too_big = announced > max_put_bytes;
          if (announced > max_put_bytes + kDrainBytes) {
            res.set_header("Connection", "close");
            return reply(res, 413, "blob larger than " + std::to_string(max_put_bytes) + " bytes");
          }
        }
        content_reader([&](const char* data, size_t len) {
          received += len;
          if (received > max_put_bytes) too_big = true;
          if (too_big) return received <= max_put_bytes + kDrainBytes;
          if (!(*sink)->write(ByteView(reinterpret_cast<const uint8_t*>(data), len)).ok()) {
            write_failed = true;
            return false;
          }
          return true;
        });
        if (too_big) {
          res.set_header("Connection", "close");
          return reply(res, 413, "blob larger than " + std::to_string(max_put_bytes) + " bytes");
        }
        if (write_failed) return reply(res, 500, "cannot store blob");
        auto stored = (*sink)->commit(*hash);
        if (!stored.ok()) {
          if (stored.error().code == ErrorCode::kCorruption) {
            return reply(res, 400, "body does not hash to the blob name");
          }
          return reply(res, 500, "cannot store blob");
        }
        reply(res, 201, "stored");
      });
}

}  // namespace datadao::vault
