// The node's HTTP API (JSON over HTTP/1.1, loopback by default). A thin adapter: every route
// calls a Node method; no ledger logic lives here.
//
//   GET  /v1/status                      chain id, height, head hash, operator key
//   POST /v1/tx[?wait=1]                 body {"tx": base64 of the encoded signed transaction}
//   GET  /v1/tx/<id>                     the transaction, decoded, and where it is
//   GET  /v1/proof/<id>                  inclusion proof of a transaction (offline-verifiable)
//   GET  /v1/blocks/<height>             signed block header
//   GET  /v1/accounts/<account hex>      credits and nonce (zero for an unknown account)
//   GET  /v1/files?owner=<hex>           files registered by an account
//   GET  /v1/files/<id>                  one file and its grants
//   GET  /v1/grants?grantee=<hex>        grants made to an account
//   GET/HEAD/PUT /v1/blobs/<hash hex>    ciphertext blobs (the vault's HTTP backend)
//
// Errors are {"error": {"code": "...", "message": "..."}} with a matching HTTP status.
// Request bodies are size-limited before they are read in full.
#pragma once

#include <memory>
#include <string>

#include "datadao/common/result.hpp"

namespace datadao::node {

class Node;

class ApiServer {
 public:
  explicit ApiServer(Node& node);
  ~ApiServer();

  // Binds host:port (port 0 = any free port) and serves on a background thread.
  Status start(const std::string& host, int port);
  int port() const { return port_; }
  // Stops accepting and joins the serving thread.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

}  // namespace datadao::node
