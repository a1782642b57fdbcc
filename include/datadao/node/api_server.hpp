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
// Models (model_routes.cpp; lists page with ?after=<id>&limit=<1..1000> and answer
// "next_after": the id to pass as `after` for the next page, null on the last page):
//   GET  /v1/models                               every model, id order
//   GET  /v1/models/<id>                          the model, plus "progress" once its runner
//                                                 reported some (latest report, node memory)
//   GET  /v1/pools/<id>/models                    models drawing on a pool
//   GET  /v1/accounts/<hex>/models                models the account proposed (filtered*)
//   GET  /v1/models/<id>/consents[?full=1]        [{contribution_id, pool_id, contributor,
//                                                 by_policy, height}]; full=1 adds each
//                                                 "contribution" as /v1/contributions serves it
//   GET  /v1/models/<id>/consents/<contribution>  {"status": consented|denied|none, ...}
//   GET  /v1/models/<id>/training-set             [{contribution_id, pool_id, contributor}]
//   GET  /v1/models/<id>/policy-candidates?pool=<id>   attested contributions (points > 0) of
//                                                 the pool whose contributor's standing policy
//                                                 matches the model and that are neither
//                                                 consented nor denied (filtered*); 409 unless
//                                                 the model is in voting or consent
//   GET  /v1/accounts/<hex>/consent-policy        the account's standing policy
//   POST /v1/models/<id>/progress                 the runner's signed progress report
//                                                 (datadao/node/progress.hpp): body <= 4 KiB,
//                                                 {"step", "total_steps", "loss", "epsilon",
//                                                 "eta_seconds", "phase", "runner", "signature"};
//                                                 signature = Ed25519 by "runner" over
//                                                 "datadao/progress/v1" | model id u64 LE |
//                                                 the body without "signature" dumped compactly
//                                                 (keys sorted). 401 bad signature, 403 runner
//                                                 is not the validator of the model's pools[0],
//                                                 409 model not in training, 413 body too big.
//   GET  /v1/models/<id>/shares?after=<account hex>&limit=   share holders in account order:
//                                                 {"model_id", "supply", "holders": [{"account",
//                                                 "shares", "accrued_units" (decimal string),
//                                                 "claimable_credits"}], "next_after": the last
//                                                 account of the page (hex), null on the last}
//   GET  /v1/models/<id>/rewards                  {"model_id", "price_per_call", "uses",
//                                                 "rewards_paid", "rewards_claimed", "escrow",
//                                                 "reward_per_share", "reward_remainder" (decimal
//                                                 strings), "share_holders", "shares_assigned"}
//   GET  /v1/accounts/<hex>/holdings              {"account", "credits", "pool_tokens":
//                                                 [{"pool_id", "pool", "tokens"}] (pools where
//                                                 tokens > 0), "models": [{"model_id", "kind",
//                                                 "shares", "accrued_units", "claimable_credits"}]
//                                                 (the first 1000 models held, id order)}; 400 for
//                                                 a malformed account
//   POST /v1/models/<id>/use                      one paid call (datadao/node/serving.hpp):
//                                                 body <= 96 KiB {"op": "generate"|"predict",
//                                                 "input": {...}, "salt": secret string,
//                                                 "tx": base64 UseModel whose request_hash
//                                                 covers op, input and salt}; answered
//                                                 once the payment is in a block: {"model_id",
//                                                 "op", "tx_id", "height", "output"}. 400 bad or
//                                                 mismatched request (nothing paid), 402 payment
//                                                 rejected, 409 not published or not served
//                                                 here, 413 input nested too deep, 503 no
//                                                 engine, 504 payment still pending
//                                                 (retry with the same tx: never charged twice).
//   GET  /v1/status also gives "serving_box_key": runners seal published weights keys to it.
// * A filtered list looks at no more than 5000 items per request, so a page may hold fewer
//   than `limit` entries and still have a next_after.
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
