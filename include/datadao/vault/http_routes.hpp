// HTTP routes that serve a LocalDirBackend as a blob store (the protocol HttpBackend speaks):
//
//   GET  /v1/blobs/<64 lowercase hex>   200 + bytes (application/octet-stream), 404 if unknown
//   HEAD /v1/blobs/<64 lowercase hex>   200 with Content-Length, 404 if unknown
//   PUT  /v1/blobs/<64 lowercase hex>   201 stored (or already present); 400 if the body does not
//                                       hash to the name (nothing stored); 413 if the body is
//                                       longer than max_put_bytes (nothing stored); 500 on I/O
//
// The body is streamed through the backend's temporary file, never held in memory.
// Thread-safety: the handlers may run concurrently on httplib's worker threads; `backend` must
// outlive the server.
#pragma once

#include <cstdint>

namespace httplib {
class Server;
}

namespace datadao::vault {

class LocalDirBackend;

void mount_blob_routes(httplib::Server& server, LocalDirBackend& backend, uint64_t max_put_bytes);

}  // namespace datadao::vault
