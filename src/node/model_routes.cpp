// The model routes of the node's API (listed in api_server.hpp): proposals, consents, standing
// policies, training sets, share holders, rewards and an account's holdings, and the runner's
// progress reports. Reads only, except progress, which the node keeps in memory.
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "datadao/common/u128.hpp"
#include "datadao/node/node.hpp"
#include "datadao/node/progress.hpp"
#include "datadao/node/views.hpp"
#include "http_util.hpp"

namespace datadao::node {

using nlohmann::json;

namespace {

// Most items one request looks at when it filters a list (policy candidates, an account's
// models), so that a request's time under the chain lock stays bounded whatever the list size.
constexpr uint64_t kMaxScan = 5000;
constexpr uint64_t kScanChunk = 500;

json next_after_json(const std::optional<uint64_t>& next) {
  return next ? json(*next) : json(nullptr);
}

// A page of `fetch(after, limit + 1)`: one more than asked tells whether another page exists.
template <class T, class Fetch>
std::pair<std::vector<T>, std::optional<uint64_t>> page_of(const Page& page, Fetch fetch,
                                                           uint64_t (*id_of)(const T&)) {
  std::vector<T> list = fetch(page.after, page.limit + 1);
  std::optional<uint64_t> next;
  if (list.size() > page.limit) {
    list.resize(page.limit);
    next = id_of(list.back());
  }
  return {std::move(list), next};
}

// Walks a list in id order from page.after, keeping what `keep` accepts, until page.limit are
// kept or kMaxScan items were looked at. The second member resumes the walk; it is empty once
// the list is exhausted (a page may hold fewer than limit items and still have a next one).
template <class T, class Fetch, class Keep>
std::pair<std::vector<T>, std::optional<uint64_t>> filter_page(const Page& page, Fetch fetch,
                                                               Keep keep) {
  std::vector<T> kept;
  uint64_t cursor = page.after;
  uint64_t scanned = 0;
  while (kept.size() < page.limit && scanned < kMaxScan) {
    const uint64_t want = std::min(kScanChunk, kMaxScan - scanned);
    const std::vector<T> chunk = fetch(cursor, static_cast<size_t>(want));
    for (const T& item : chunk) {
      ++scanned;
      cursor = item.id;
      if (keep(item)) kept.push_back(item);
      if (kept.size() == page.limit) break;
    }
    if (chunk.size() < want && kept.size() < page.limit) return {std::move(kept), std::nullopt};
  }
  return {std::move(kept), cursor};
}

uint64_t model_id_of(const ledger::Model& m) { return m.id; }
uint64_t id_itself(const uint64_t& id) { return id; }

json models_json(const std::vector<ledger::Model>& list, const std::optional<uint64_t>& next) {
  json a = json::array();
  for (const auto& m : list) a.push_back(ledger::to_json(m));
  return {{"models", a}, {"next_after", next_after_json(next)}};
}

Result<ledger::Model> find_model(const ledger::State& st, uint64_t id) {
  auto m = st.model(id);
  if (!m) return make_error(ErrorCode::kNotFound, "model " + std::to_string(id) + " not found");
  return *m;
}

// {contribution_id, pool_id, contributor} of a contribution the state holds.
json contribution_ref(const ledger::State& st, uint64_t contribution_id) {
  json j = {{"contribution_id", contribution_id}};
  if (auto c = st.contribution(contribution_id)) {
    j["pool_id"] = c->pool_id;
    j["contributor"] = codec::to_hex(c->contributor);
  }
  return j;
}

// With full=1, each entry also carries the contribution as /v1/contributions/<id> serves it
// (the runner needs the refined blob of each; one request per page instead of one per id).
void add_full_contribution(const ledger::State& st, uint64_t contribution_id, json& entry) {
  auto c = st.contribution(contribution_id);
  if (!c) return;
  auto f = st.file(c->file_id);
  entry["contribution"] = contribution_json(*c, f ? &*f : nullptr);
}

// Parses the path's ids and the page, runs `fn(state, id, page)` under the chain lock.
template <class Fn>
void paged_model_route(Node& node, const httplib::Request& req, httplib::Response& res,
                       std::string_view what, Fn fn) {
  auto id = u64_param(req.matches[1], what);
  if (!id.ok()) return send_error(res, id.error());
  auto page = page_param(req);
  if (!page.ok()) return send_error(res, page.error());
  auto j = node.read(
      [&](ledger::Chain& chain) -> Result<json> { return fn(chain.state(), *id, *page); });
  if (!j.ok()) return send_error(res, j.error());
  send_json(res, *j);
}

// One holder's view of a model: shares, reward units accrued (decimal string: u128) and the
// whole credits a Claim would pay now.
json holding_json(const ledger::Model& m, const ledger::ShareHolding& h) {
  return {{"shares", h.shares},
          {"accrued_units", u128_to_string(ledger::accrued_units(m, h))},
          {"claimable_credits", ledger::claimable_credits(m, h)}};
}

// ?limit=<1..kMaxPageSize> alone (the shares route pages by account, not by id).
Result<uint64_t> limit_param(const httplib::Request& req) {
  if (!req.has_param("limit")) return kDefaultPageSize;
  DD_ASSIGN(uint64_t limit, u64_param(req.get_param_value("limit"), "limit"));
  if (limit == 0 || limit > kMaxPageSize) {
    return make_error(ErrorCode::kInvalidArgument,
                      "limit must be 1.." + std::to_string(kMaxPageSize));
  }
  return limit;
}

}  // namespace

void register_model_routes(Routes& routes, Node& node) {
  routes.get("/v1/models", [&node](const httplib::Request& req, httplib::Response& res) {
    auto page = page_param(req);
    if (!page.ok()) return send_error(res, page.error());
    json j = node.read([&](ledger::Chain& chain) {
      const auto& st = chain.state();
      auto [list, next] = page_of<ledger::Model>(
          *page, [&](uint64_t a, size_t n) { return st.models(a, n); }, model_id_of);
      return models_json(list, next);
    });
    send_json(res, j);
  });

  routes.get(R"(/v1/models/(\d+))", [&node](const httplib::Request& req, httplib::Response& res) {
    auto id = u64_param(req.matches[1], "model id");
    if (!id.ok()) return send_error(res, id.error());
    auto m = node.read([&](ledger::Chain& chain) { return find_model(chain.state(), *id); });
    if (!m.ok()) return send_error(res, m.error());
    json j = ledger::to_json(*m);
    if (auto p = node.model_progress(*id)) j["progress"] = progress_json(*p);
    send_json(res, j);
  });

  routes.get(
      R"(/v1/pools/(\d+)/models)", [&node](const httplib::Request& req, httplib::Response& res) {
        paged_model_route(
            node, req, res, "pool id",
            [](const ledger::State& st, uint64_t pool_id, const Page& page) -> Result<json> {
              if (!st.pool(pool_id)) {
                return make_error(ErrorCode::kNotFound,
                                  "pool " + std::to_string(pool_id) + " not found");
              }
              auto [list, next] = page_of<ledger::Model>(
                  page, [&](uint64_t a, size_t n) { return st.models_of_pool(pool_id, a, n); },
                  model_id_of);
              return models_json(list, next);
            });
      });

  routes.get(
      R"(/v1/models/(\d+)/consents)", [&node](const httplib::Request& req, httplib::Response& res) {
        const bool full = req.get_param_value("full") == "1";
        paged_model_route(
            node, req, res, "model id",
            [full](const ledger::State& st, uint64_t model_id, const Page& page) -> Result<json> {
              DD_TRY(find_model(st, model_id));
              auto [ids, next] = page_of<uint64_t>(
                  page, [&](uint64_t a, size_t n) { return st.model_consents(model_id, a, n); },
                  id_itself);
              json a = json::array();
              for (uint64_t cid : ids) {
                json e = contribution_ref(st, cid);
                const auto rec = st.consent(model_id, cid);
                e["by_policy"] = rec && rec->by_policy;
                e["height"] = rec ? rec->height : 0;
                if (full) add_full_contribution(st, cid, e);
                a.push_back(std::move(e));
              }
              return json{{"consents", a}, {"next_after", next_after_json(next)}};
            });
      });

  routes.get(R"(/v1/models/(\d+)/training-set)", [&node](const httplib::Request& req,
                                                         httplib::Response& res) {
    paged_model_route(
        node, req, res, "model id",
        [](const ledger::State& st, uint64_t model_id, const Page& page) -> Result<json> {
          DD_TRY(find_model(st, model_id));
          auto [ids, next] = page_of<uint64_t>(
              page, [&](uint64_t a, size_t n) { return st.model_training_set(model_id, a, n); },
              id_itself);
          json a = json::array();
          for (uint64_t cid : ids) a.push_back(contribution_ref(st, cid));
          return json{{"training_set", a}, {"next_after", next_after_json(next)}};
        });
  });

  routes.get(R"(/v1/models/(\d+)/consents/(\d+))",
             [&node](const httplib::Request& req, httplib::Response& res) {
               auto model_id = u64_param(req.matches[1], "model id");
               if (!model_id.ok()) return send_error(res, model_id.error());
               auto cid = u64_param(req.matches[2], "contribution id");
               if (!cid.ok()) return send_error(res, cid.error());
               auto j = node.read([&](ledger::Chain& chain) -> Result<json> {
                 const auto& st = chain.state();
                 DD_TRY(find_model(st, *model_id));
                 if (!st.contribution(*cid)) {
                   return make_error(ErrorCode::kNotFound,
                                     "contribution " + std::to_string(*cid) + " not found");
                 }
                 json out = consent_status_json(st.consent(*model_id, *cid),
                                                st.consent_denied(*model_id, *cid));
                 out["model_id"] = *model_id;
                 out.update(contribution_ref(st, *cid));
                 return out;
               });
               if (!j.ok()) return send_error(res, j.error());
               send_json(res, *j);
             });

  routes.get(R"(/v1/accounts/([0-9a-fA-F]{64})/consent-policy)",
             [&node](const httplib::Request& req, httplib::Response& res) {
               auto id = hex_param<32>(req.matches[1], "account");
               if (!id.ok()) return send_error(res, id.error());
               json j = node.read([&](ledger::Chain& chain) {
                 return consent_policy_json(chain.state().consent_policy(*id));
               });
               j["account"] = codec::to_hex(*id);
               send_json(res, j);
             });

  routes.get(R"(/v1/models/(\d+)/policy-candidates)", [&node](const httplib::Request& req,
                                                              httplib::Response& res) {
    auto pool_id = u64_param(req.get_param_value("pool"), "pool");
    if (!pool_id.ok()) return send_error(res, pool_id.error());
    paged_model_route(
        node, req, res, "model id",
        [&](const ledger::State& st, uint64_t model_id, const Page& page) -> Result<json> {
          DD_ASSIGN(ledger::Model m, find_model(st, model_id));
          if (std::find(m.pools.begin(), m.pools.end(), *pool_id) == m.pools.end()) {
            return make_error(ErrorCode::kInvalidArgument, "model " + std::to_string(model_id) +
                                                               " does not draw on pool " +
                                                               std::to_string(*pool_id));
          }
          if (m.status != ledger::ModelStatus::kVoting &&
              m.status != ledger::ModelStatus::kConsent) {
            return make_error(ErrorCode::kFailedPrecondition,
                              "model " + std::to_string(model_id) + " is " +
                                  std::string(ledger::model_status_name(m.status)) +
                                  ": policies apply only while it is in voting or consent");
          }
          // One policy lookup per contributor: contributors often hold many contributions.
          std::map<ledger::AccountId, bool> matches;
          auto policy_ok = [&](const ledger::AccountId& who) {
            auto it = matches.find(who);
            if (it != matches.end()) return it->second;
            const auto policy = st.consent_policy(who);
            const bool ok = policy && ledger::policy_matches(*policy, m);
            matches.emplace(who, ok);
            return ok;
          };
          auto [list, next] = filter_page<ledger::Contribution>(
              page,
              [&](uint64_t a, size_t n) { return st.pool_contributions(*pool_id, a, n, false); },
              [&](const ledger::Contribution& c) {
                return c.attested && c.attestation.points > 0 && policy_ok(c.contributor) &&
                       !st.consent(model_id, c.id) && !st.consent_denied(model_id, c.id);
              });
          json a = json::array();
          for (const auto& c : list) {
            a.push_back({{"contribution_id", c.id},
                         {"pool_id", c.pool_id},
                         {"contributor", codec::to_hex(c.contributor)}});
          }
          return json{{"candidates", a}, {"next_after", next_after_json(next)}};
        });
  });

  routes.get(R"(/v1/accounts/([0-9a-fA-F]{64})/models)",
             [&node](const httplib::Request& req, httplib::Response& res) {
               auto who = hex_param<32>(req.matches[1], "account");
               if (!who.ok()) return send_error(res, who.error());
               auto page = page_param(req);
               if (!page.ok()) return send_error(res, page.error());
               json j = node.read([&](ledger::Chain& chain) {
                 const auto& st = chain.state();
                 auto [list, next] = filter_page<ledger::Model>(
                     *page, [&](uint64_t a, size_t n) { return st.models(a, n); },
                     [&](const ledger::Model& m) { return m.developer == *who; });
                 return models_json(list, next);
               });
               send_json(res, j);
             });

  routes.post(
      R"(/v1/models/(\d+)/progress)", [&node](const httplib::Request& req, httplib::Response& res,
                                              const httplib::ContentReader& reader) {
        auto id = u64_param(req.matches[1], "model id");
        if (!id.ok()) return send_error(res, id.error());
        auto body = read_body(reader, kMaxProgressBodyBytes);
        if (!body.ok()) return send_error(res, body.error());
        json j = json::parse(*body, nullptr, false);
        if (j.is_discarded()) {
          return send_error(
              res, make_error(ErrorCode::kInvalidArgument, "progress: the body is not JSON"));
        }
        auto p = verify_progress(*id, j);
        if (!p.ok()) return send_error(res, p.error());
        const Status s = node.report_model_progress(*id, *p);
        if (!s.ok()) return send_error(res, s.error());
        send_json(res, {{"accepted", true}, {"model_id", *id}});
      });
}

void register_share_routes(Routes& routes, Node& node) {
  routes.get(R"(/v1/models/(\d+)/shares)",
             [&node](const httplib::Request& req, httplib::Response& res) {
               auto id = u64_param(req.matches[1], "model id");
               if (!id.ok()) return send_error(res, id.error());
               std::optional<ledger::AccountId> after;
               if (req.has_param("after")) {
                 auto a = hex_param<32>(req.get_param_value("after"), "after");
                 if (!a.ok()) return send_error(res, a.error());
                 after = *a;
               }
               auto limit = limit_param(req);
               if (!limit.ok()) return send_error(res, limit.error());
               auto j = node.read([&](ledger::Chain& chain) -> Result<json> {
                 const auto& st = chain.state();
                 DD_ASSIGN(ledger::Model m, find_model(st, *id));
                 auto list = st.share_holders(*id, after, static_cast<size_t>(*limit + 1));
                 json next = nullptr;
                 if (list.size() > *limit) {
                   list.resize(*limit);
                   next = codec::to_hex(list.back().first);
                 }
                 json holders = json::array();
                 for (const auto& [account, h] : list) {
                   json e = holding_json(m, h);
                   e["account"] = codec::to_hex(account);
                   holders.push_back(std::move(e));
                 }
                 return json{{"model_id", m.id},
                             {"supply", ledger::kShareSupply},
                             {"holders", std::move(holders)},
                             {"next_after", std::move(next)}};
               });
               if (!j.ok()) return send_error(res, j.error());
               send_json(res, *j);
             });

  routes.get(
      R"(/v1/models/(\d+)/rewards)", [&node](const httplib::Request& req, httplib::Response& res) {
        auto id = u64_param(req.matches[1], "model id");
        if (!id.ok()) return send_error(res, id.error());
        auto m = node.read([&](ledger::Chain& chain) { return find_model(chain.state(), *id); });
        if (!m.ok()) return send_error(res, m.error());
        send_json(res, {{"model_id", m->id},
                        {"price_per_call", m->terms.price_per_call},
                        {"uses", m->uses},
                        {"rewards_paid", m->rewards_paid},
                        {"rewards_claimed", m->rewards_claimed},
                        {"escrow", m->rewards_paid - m->rewards_claimed},
                        {"reward_per_share", u128_to_string(m->reward_per_share)},
                        {"reward_remainder", u128_to_string(m->reward_remainder)},
                        {"share_holders", m->share_holders},
                        {"shares_assigned", m->shares_assigned}});
      });

  // Any path segment, so that a malformed account is a 400 naming it rather than a 404.
  routes.get(R"(/v1/accounts/([^/]+)/holdings)",
             [&node](const httplib::Request& req, httplib::Response& res) {
               auto who = hex_param<32>(req.matches[1], "account");
               if (!who.ok()) return send_error(res, who.error());
               json j = node.read([&](ledger::Chain& chain) {
                 const auto& st = chain.state();
                 const auto account = st.account(*who);
                 json pools = json::array();
                 for (const ledger::Pool& p : st.pools()) {
                   const uint64_t tokens = st.pool_tokens(p.id, *who);
                   if (tokens > 0)
                     pools.push_back({{"pool_id", p.id}, {"pool", p.name}, {"tokens", tokens}});
                 }
                 json models = json::array();
                 for (uint64_t id : st.models_held_by(*who, 0, kMaxPageSize)) {
                   const auto m = st.model(id);
                   const auto h = st.share_holding(id, *who);
                   if (!m || !h) continue;
                   json e = holding_json(*m, *h);
                   e["model_id"] = id;
                   e["kind"] = m->kind;
                   models.push_back(std::move(e));
                 }
                 return json{{"account", codec::to_hex(*who)},
                             {"credits", account ? account->credits : 0},
                             {"pool_tokens", std::move(pools)},
                             {"models", std::move(models)}};
               });
               send_json(res, j);
             });
}

}  // namespace datadao::node
