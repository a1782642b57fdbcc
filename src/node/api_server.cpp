#include "datadao/node/api_server.hpp"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "datadao/codec/codec.hpp"
#include "datadao/common/clock.hpp"
#include "datadao/ledger/json.hpp"
#include "datadao/node/node.hpp"
#include "datadao/node/views.hpp"
#include "datadao/vault/http_routes.hpp"
#include "datadao/vault/vault.hpp"
#include "http_util.hpp"

namespace datadao::node {

using nlohmann::json;

namespace {

constexpr size_t kMaxTxBodyBytes = 256 * 1024;  // base64 of a 64 KiB tx plus JSON framing

// "Now" for reads: the head block's time, or the node's clock if later, so that a grant expires
// on time even when no block has been made since (the state machine itself only knows block
// time; this is the I/O layer).
uint64_t read_time(const ledger::Chain& chain) { return std::max(latest_time(chain), unix_now()); }

// A pool by id (all digits) or by name; names are never all digits (CreatePool's rule).
Result<ledger::Pool> find_pool(const ledger::State& st, const std::string& spec) {
  const bool numeric = !spec.empty() && spec.find_first_not_of("0123456789") == std::string::npos;
  std::optional<ledger::Pool> p;
  if (numeric) {
    DD_ASSIGN(uint64_t id, u64_param(spec, "pool id"));
    p = st.pool(id);
  } else {
    p = st.pool_by_name(spec);
  }
  if (!p) return make_error(ErrorCode::kNotFound, "pool '" + spec + "' not found");
  return *p;
}

// kNotFound unless pool `id` exists (routes under /v1/pools/<id>/...).
Status require_pool(const ledger::State& st, uint64_t id) {
  if (st.pool(id)) return Status::Ok();
  return make_error(ErrorCode::kNotFound, "pool " + std::to_string(id) + " not found");
}

json contributions_json(const ledger::State& st, const std::vector<ledger::Contribution>& list) {
  json a = json::array();
  for (const auto& c : list) {
    auto f = st.file(c.file_id);
    a.push_back(contribution_json(c, f ? &*f : nullptr));
  }
  return a;
}

// Chain: status, transactions (submit, look up, prove), block headers, an account's credits.
void register_chain_routes(Routes& routes, Node& node) {
  routes.get("/v1/status", [&node](const httplib::Request&, httplib::Response& res) {
    json j = node.read(
        [&](ledger::Chain& chain) { return status_json(chain, node.operator_public_key()); });
    j["mempool"] = node.mempool_size();
    j["serving_box_key"] = codec::to_hex(node.serving_key().public_key);
    send_json(res, j);
  });

  routes.post("/v1/tx", [&node](const httplib::Request& req, httplib::Response& res,
                                const httplib::ContentReader& reader) {
    auto body = read_body(reader, kMaxTxBodyBytes);
    if (!body.ok()) return send_error(res, body.error());
    json j = json::parse(*body, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("tx") || !j["tx"].is_string()) {
      return send_error(res, make_error(ErrorCode::kInvalidArgument,
                                        "body must be {\"tx\": \"<base64 transaction>\"}"));
    }
    auto bytes = codec::from_base64(j["tx"].get<std::string>(), "tx");
    if (!bytes.ok()) return send_error(res, bytes.error());
    const bool wait = req.get_param_value("wait") == "1";
    auto outcome = node.submit(*bytes, wait);
    if (!outcome.ok()) return send_error(res, outcome.error());
    const int status = outcome->status == TxOutcome::Status::kRejected ? 409 : 200;
    send_json(res, outcome_json(*outcome), status);
  });

  routes.get(R"(/v1/tx/([0-9a-fA-F]{64}))",
             [&node](const httplib::Request& req, httplib::Response& res) {
               auto id = hex_param<32>(req.matches[1], "transaction id");
               if (!id.ok()) return send_error(res, id.error());
               auto j = node.read([&](ledger::Chain& chain) -> Result<json> {
                 DD_ASSIGN(ledger::TxLocation loc, chain.locate(*id));
                 DD_ASSIGN(ledger::Transaction tx, chain.tx(*id));
                 json out = ledger::to_json(tx);
                 out["height"] = loc.height;
                 out["index"] = loc.index;
                 return out;
               });
               if (!j.ok()) return send_error(res, j.error());
               send_json(res, *j);
             });

  routes.get(R"(/v1/proof/([0-9a-fA-F]{64}))",
             [&node](const httplib::Request& req, httplib::Response& res) {
               auto id = hex_param<32>(req.matches[1], "transaction id");
               if (!id.ok()) return send_error(res, id.error());
               auto proof = node.read([&](ledger::Chain& chain) { return chain.prove(*id); });
               if (!proof.ok()) return send_error(res, proof.error());
               send_json(res, ledger::tx_proof_to_json(*proof));
             });

  routes.get(R"(/v1/blocks/(\d+))", [&node](const httplib::Request& req, httplib::Response& res) {
    auto h = u64_param(req.matches[1], "block height");
    if (!h.ok()) return send_error(res, h.error());
    auto header = node.read([&](ledger::Chain& chain) { return chain.header(*h); });
    if (!header.ok()) return send_error(res, header.error());
    send_json(res, ledger::to_json(*header));
  });

  routes.get(R"(/v1/accounts/([0-9a-fA-F]{64}))", [&node](const httplib::Request& req,
                                                          httplib::Response& res) {
    auto id = hex_param<32>(req.matches[1], "account");
    if (!id.ok()) return send_error(res, id.error());
    auto acct = node.read([&](ledger::Chain& chain) { return chain.state().account(*id); });
    send_json(res, account_json(*id, acct.value_or(ledger::Account{}), acct.has_value()));
  });
}

// Files registered on the ledger and the grants on them.
void register_file_routes(Routes& routes, Node& node) {
  routes.get("/v1/files", [&node](const httplib::Request& req, httplib::Response& res) {
    auto owner = hex_param<32>(req.get_param_value("owner"), "owner");
    if (!owner.ok()) return send_error(res, owner.error());
    json arr = node.read([&](ledger::Chain& chain) {
      json a = json::array();
      for (const auto& f : chain.state().files_owned_by(*owner)) a.push_back(ledger::to_json(f));
      return a;
    });
    send_json(res, {{"files", arr}});
  });

  routes.get(R"(/v1/files/(\d+))", [&node](const httplib::Request& req, httplib::Response& res) {
    auto id = u64_param(req.matches[1], "file id");
    if (!id.ok()) return send_error(res, id.error());
    auto j = node.read([&](ledger::Chain& chain) -> Result<json> {
      auto f = chain.state().file(*id);
      if (!f) return make_error(ErrorCode::kNotFound, "file " + std::to_string(*id) + " not found");
      json out = ledger::to_json(*f);
      out["grants"] = json::array();
      for (const auto& g : chain.state().grants_for_file(*id)) {
        out["grants"].push_back(grant_json(g, chain.state().grant_active(g, read_time(chain))));
      }
      return out;
    });
    if (!j.ok()) return send_error(res, j.error());
    send_json(res, *j);
  });

  routes.get("/v1/grants", [&node](const httplib::Request& req, httplib::Response& res) {
    auto grantee = hex_param<32>(req.get_param_value("grantee"), "grantee");
    if (!grantee.ok()) return send_error(res, grantee.error());
    json arr = node.read([&](ledger::Chain& chain) {
      json a = json::array();
      const uint64_t now = read_time(chain);
      for (const auto& g : chain.state().grants_to(*grantee)) {
        json gj = grant_json(g, chain.state().grant_active(g, now));
        if (auto f = chain.state().file(g.file_id)) gj["file"] = ledger::to_json(*f);
        a.push_back(gj);
      }
      return a;
    });
    send_json(res, {{"grants", arr}});
  });
}

// Pools (data DAOs): pools, contributions and their scores, pool tokens, proposals and votes.
void register_pool_routes(Routes& routes, Node& node) {
  routes.get("/v1/pools", [&node](const httplib::Request&, httplib::Response& res) {
    json arr = node.read([&](ledger::Chain& chain) {
      json a = json::array();
      for (const auto& p : chain.state().pools()) a.push_back(ledger::to_json(p));
      return a;
    });
    send_json(res, {{"pools", arr}});
  });

  routes.get(R"(/v1/pools/([A-Za-z0-9._-]{1,64}))",
             [&node](const httplib::Request& req, httplib::Response& res) {
               const std::string spec = req.matches[1];
               auto j = node.read([&](ledger::Chain& chain) -> Result<json> {
                 DD_ASSIGN(ledger::Pool p, find_pool(chain.state(), spec));
                 return ledger::to_json(p);
               });
               if (!j.ok()) return send_error(res, j.error());
               send_json(res, *j);
             });

  routes.get(R"(/v1/pools/(\d+)/contributions)",
             [&node](const httplib::Request& req, httplib::Response& res) {
               auto pool_id = u64_param(req.matches[1], "pool id");
               if (!pool_id.ok()) return send_error(res, pool_id.error());
               auto page = page_param(req);
               if (!page.ok()) return send_error(res, page.error());
               const uint64_t after = page->after;
               const uint64_t limit = page->limit;
               const bool pending = req.get_param_value("pending") == "1";
               auto j = node.read([&](ledger::Chain& chain) -> Result<json> {
                 const auto& st = chain.state();
                 DD_TRY(require_pool(st, *pool_id));
                 // One more than asked tells whether another page exists.
                 auto list = st.pool_contributions(*pool_id, after, limit + 1, pending);
                 const bool more = list.size() > limit;
                 if (more) list.resize(limit);
                 json out = {{"contributions", contributions_json(st, list)}};
                 out["next_after"] = more ? json(list.back().id) : json(nullptr);
                 return out;
               });
               if (!j.ok()) return send_error(res, j.error());
               send_json(res, *j);
             });

  routes.get(R"(/v1/contributions/(\d+))",
             [&node](const httplib::Request& req, httplib::Response& res) {
               auto id = u64_param(req.matches[1], "contribution id");
               if (!id.ok()) return send_error(res, id.error());
               auto j = node.read([&](ledger::Chain& chain) -> Result<json> {
                 const auto& st = chain.state();
                 auto c = st.contribution(*id);
                 if (!c) {
                   return make_error(ErrorCode::kNotFound,
                                     "contribution " + std::to_string(*id) + " not found");
                 }
                 return contributions_json(st, {*c})[0];
               });
               if (!j.ok()) return send_error(res, j.error());
               send_json(res, *j);
             });

  routes.get(R"(/v1/accounts/([0-9a-fA-F]{64})/contributions)",
             [&node](const httplib::Request& req, httplib::Response& res) {
               auto id = hex_param<32>(req.matches[1], "account");
               if (!id.ok()) return send_error(res, id.error());
               json arr = node.read([&](ledger::Chain& chain) {
                 const auto& st = chain.state();
                 return contributions_json(st, st.contributions_by(*id));
               });
               send_json(res, {{"contributions", arr}});
             });

  routes.get(R"(/v1/pools/(\d+)/tokens/([0-9a-fA-F]{64}))",
             [&node](const httplib::Request& req, httplib::Response& res) {
               auto pool_id = u64_param(req.matches[1], "pool id");
               if (!pool_id.ok()) return send_error(res, pool_id.error());
               auto id = hex_param<32>(req.matches[2], "account");
               if (!id.ok()) return send_error(res, id.error());
               auto j = node.read([&](ledger::Chain& chain) -> Result<json> {
                 const auto& st = chain.state();
                 DD_TRY(require_pool(st, *pool_id));
                 return json{{"pool_id", *pool_id},
                             {"account", codec::to_hex(*id)},
                             {"tokens", st.pool_tokens(*pool_id, *id)}};
               });
               if (!j.ok()) return send_error(res, j.error());
               send_json(res, *j);
             });

  routes.get(R"(/v1/pools/(\d+)/proposals)",
             [&node](const httplib::Request& req, httplib::Response& res) {
               auto pool_id = u64_param(req.matches[1], "pool id");
               if (!pool_id.ok()) return send_error(res, pool_id.error());
               auto j = node.read([&](ledger::Chain& chain) -> Result<json> {
                 const auto& st = chain.state();
                 DD_TRY(require_pool(st, *pool_id));
                 json a = json::array();
                 for (const auto& p : st.proposals(*pool_id)) a.push_back(ledger::to_json(p));
                 return json{{"proposals", a}};
               });
               if (!j.ok()) return send_error(res, j.error());
               send_json(res, *j);
             });

  routes.get(R"(/v1/pools/(\d+)/proposals/(\d+))", [&node](const httplib::Request& req,
                                                           httplib::Response& res) {
    auto pool_id = u64_param(req.matches[1], "pool id");
    auto pid = u64_param(req.matches[2], "proposal id");
    if (!pool_id.ok()) return send_error(res, pool_id.error());
    if (!pid.ok()) return send_error(res, pid.error());
    auto j = node.read([&](ledger::Chain& chain) -> Result<json> {
      auto p = chain.state().proposal(*pool_id, *pid);
      if (!p) {
        return make_error(ErrorCode::kNotFound, "proposal " + std::to_string(*pid) + " of pool " +
                                                    std::to_string(*pool_id) + " not found");
      }
      return ledger::to_json(*p);
    });
    if (!j.ok()) return send_error(res, j.error());
    send_json(res, *j);
  });

  routes.get(R"(/v1/pools/(\d+)/proposals/(\d+)/votes/([0-9a-fA-F]{64}))",
             [&node](const httplib::Request& req, httplib::Response& res) {
               auto pool_id = u64_param(req.matches[1], "pool id");
               auto pid = u64_param(req.matches[2], "proposal id");
               auto voter = hex_param<32>(req.matches[3], "account");
               if (!pool_id.ok()) return send_error(res, pool_id.error());
               if (!pid.ok()) return send_error(res, pid.error());
               if (!voter.ok()) return send_error(res, voter.error());
               json j = node.read([&](ledger::Chain& chain) {
                 return vote_json(chain.state().vote(*pool_id, *pid, *voter));
               });
               send_json(res, j);
             });
}

}  // namespace

struct ApiServer::Impl {
  Node& node;
  httplib::Server server;
  Routes routes{server};
  std::thread thread;
  std::atomic<bool> listening_done{false};
  explicit Impl(Node& n) : node(n) {}
  void register_routes();
};

void ApiServer::Impl::register_routes() {
  server.set_payload_max_length(node.config().max_blob_bytes);
  // httplib's default also sets SO_REUSEPORT, which lets a second node bind the same port and
  // receive half the requests. Only SO_REUSEADDR (fast restarts) is wanted.
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });

  // Every route is registered through `routes`, which records it for ApiServer::routes().
  register_chain_routes(routes, node);
  register_file_routes(routes, node);
  register_pool_routes(routes, node);
  register_model_routes(routes, node);
  register_share_routes(routes, node);
  register_use_routes(routes, node);
  vault::register_blob_routes(routes, node.blobs(), node.config().max_blob_bytes);

  server.set_exception_handler([](const httplib::Request&, httplib::Response& res,
                                  std::exception_ptr) {
    send_error(res, make_error(ErrorCode::kInternal, "internal error while serving the request"));
  });
}

ApiServer::ApiServer(Node& node) : impl_(std::make_unique<Impl>(node)) { impl_->register_routes(); }

const std::vector<Route>& ApiServer::routes() const { return impl_->routes.routes(); }

ApiServer::~ApiServer() { stop(); }

Status ApiServer::start(const std::string& host, int port) {
  if (port == 0) {
    port_ = impl_->server.bind_to_any_port(host);
    if (port_ <= 0) return make_error(ErrorCode::kIoError, "cannot bind to " + host);
  } else {
    if (!impl_->server.bind_to_port(host, port)) {
      return make_error(
          ErrorCode::kIoError,
          "cannot listen on " + host + ":" + std::to_string(port) + " (is another node running?)");
    }
    port_ = port;
  }
  impl_->listening_done = false;
  impl_->thread = std::thread([this] {
    impl_->server.listen_after_bind();
    impl_->listening_done = true;
  });
  // httplib's stop() is a no-op until the accept loop runs: wait for it, so that a stop()
  // right after start() cannot leave the loop running forever.
  while (!impl_->server.is_running() && !impl_->listening_done)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return Status::Ok();
}

void ApiServer::stop() {
  if (!impl_) return;
  impl_->server.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

}  // namespace datadao::node
