// The blob routes a node mounts to serve a blob Backend (its LocalDirBackend) as a blob store (the protocol
// HttpBackend speaks): GET (and HEAD) and PUT of /v1/blobs/<64 lowercase hex>. Statuses, limits
// and bodies are in docs/http-api.md, with every other route of the node.
//
// The body of a PUT is streamed through the backend's temporary file, never held in memory.
// Thread-safety: the handlers may run concurrently on httplib's worker threads; `backend` must
// outlive the server.
#pragma once

#include <cstdint>

#include "datadao/common/route_table.hpp"

namespace httplib {
class Server;
}

namespace datadao::vault {

class Backend;

// Registers the blob routes through `routes` (which records them); max_put_bytes bounds a PUT.
void register_blob_routes(RouteTable<httplib::Server>& routes, Backend& backend,
                          uint64_t max_put_bytes);

}  // namespace datadao::vault
