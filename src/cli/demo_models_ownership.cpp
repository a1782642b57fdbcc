// The models demo, part 5 and 6: the shares the runner assigned (only the training set's
// contributors, nothing for the planted copycat and noise) and metered use paying exact rewards
// that the contributors claim.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "cli.hpp"
#include "datadao/codec/codec.hpp"
#include "datadao/common/u128.hpp"
#include "datadao/testing/fixtures.hpp"
#include "datadao/ledger/models.hpp"
#include "datadao/ml/text_model.hpp"
#include "datadao/runner/runner.hpp"
#include "datadao/validator/validator.hpp"
#include "datadao/vault/vault.hpp"
#include "demo_net.hpp"

#include "demo_models.hpp"

namespace datadao::cli::demo_models {

json ModelsDemo::holders(uint64_t model_id) {
  json all = json::array();
  std::string after;
  for (;;) {
    const json page =
        unwrap(net_.client().get("/v1/models/" + std::to_string(model_id) + "/shares?limit=1000" +
                                 (after.empty() ? "" : "&after=" + after)));
    for (const json& h : page.value("holders", json::array())) all.push_back(h);
    if (!page.contains("next_after") || page["next_after"].is_null()) return all;
    after = page["next_after"].get<std::string>();
  }
}

// A u128 the node printed as decimal text; a malformed one fails the demo loudly.
unsigned __int128 u128_of(const std::string& s) {
  const auto v = u128_from_string(s);
  if (!v) throw CliError(ErrorCode::kCorruption, "the node printed '" + s + "' as a u128");
  return *v;
}

void ModelsDemo::ownership_and_rewards(uint64_t model_id, const std::set<uint64_t>& training) {
  const std::string label = "model " + std::to_string(model_id);
  std::cout << "\n== ownership of " << label
            << " (exact KNN-Shapley per contributor over the model's embeddings)\n";
  // Who contributed the training set (accounts), and who was planted.
  std::set<std::string> contributors;
  for (uint64_t c : training) {
    const json cj = unwrap(net_.client().get("/v1/contributions/" + std::to_string(c)));
    contributors.insert(cj.value("contributor", ""));
  }
  const json hs = holders(model_id);
  std::map<std::string, uint64_t> share;
  uint64_t total = 0;
  for (const json& h : hs) {
    share[h.value("account", "")] = h.value("shares", uint64_t{0});
    total += h.value("shares", uint64_t{0});
  }
  std::vector<std::pair<uint64_t, std::string>> ranked;
  for (const auto& [a, s] : share) ranked.emplace_back(s, a);
  std::sort(ranked.rbegin(), ranked.rend());
  auto name_of = [&](const std::string& hex) -> std::string {
    for (const auto& u : users_)
      if (codec::to_hex(u.w.account()) == hex) return u.w.name;
    if (hex == codec::to_hex(noisy_.account())) return "noisy (planted)";
    if (hex == codec::to_hex(copycat_.account())) return "copycat (planted)";
    return hex.substr(0, 8) + "..";
  };
  std::cout << "  " << hs.size() << " holders, " << total << " share units ("
            << ledger::kShareSupply << " minted)\n";
  for (size_t i = 0; i < ranked.size(); ++i) {
    if (i < 5 || i + 3 >= ranked.size()) {
      std::cout << "    " << std::left << std::setw(18) << name_of(ranked[i].second) << std::right
                << std::setw(11) << ranked[i].first << " units  " << format_share(ranked[i].first)
                << "\n";
    } else if (i == 5) {
      std::cout << "    ...\n";
    }
  }
  const std::string noisy_hex = codec::to_hex(noisy_.account());
  const std::string copy_hex = codec::to_hex(copycat_.account());
  const uint64_t noisy_units = share.count(noisy_hex) ? share[noisy_hex] : 0;
  const double fair =
      static_cast<double>(ledger::kShareSupply) / std::max<size_t>(1, contributors.size());
  std::cout << "  planted noise: " << noisy_units << " units (" << format_share(noisy_units)
            << "; an equal split would give " << format_share(static_cast<uint64_t>(fair))
            << ")\n  planted copycat: " << (share.count(copy_hex) ? share[copy_hex] : 0)
            << " units (its records were all exact copies of user01's)\n";
  std::set<std::string> holder_set;
  for (const auto& [a, s] : share) holder_set.insert(a);
  check(total == ledger::kShareSupply, label + ": share units sum to exactly the supply");
  // Every holder contributed to the training set; a contributor whose data added nothing (value
  // <= 0, e.g. the planted noise in some runs) holds nothing.
  const bool only_contributors =
      std::includes(contributors.begin(), contributors.end(), holder_set.begin(), holder_set.end());
  check(only_contributors && !holder_set.count(copy_hex),
        label + ": shares went to the training set's (consenting) contributors only (" +
            std::to_string(holder_set.size()) + " holders of " +
            std::to_string(contributors.size()) + " contributors)");
  check(static_cast<double>(noisy_units) < 0.25 * fair,
        label + ": the planted noise contributor's share is near zero (" +
            format_share(noisy_units) + " < a quarter of an equal split)");

  // ---- a consumer calls the model 1,000 times ------------------------------------------------
  const uint64_t calls = 1000;
  const json before =
      unwrap(net_.client().get("/v1/models/" + std::to_string(model_id) + "/rewards"));
  const uint64_t price = before.value("price_per_call", uint64_t{0});
  const uint64_t consumer_before =
      unwrap(net_.client().get("/v1/accounts/" + codec::to_hex(consumer_.account())))
          .value("credits", uint64_t{0});
  std::cout << "\n== a consumer calls " << label << " " << calls
            << " times through the node (generate; each call a signed UseModel paying " << price
            << " credits)\n";
  const auto t0 = std::chrono::steady_clock::now();
  uint64_t nonce = unwrap(net_.client().next_nonce(consumer_.account()));
  const char* prompts[] = {"What is the best", "Ran my first", "Why does", "This is"};
  std::vector<std::string> samples;
  std::atomic<uint64_t> served{0};
  std::atomic<int> call_failures{0};
  std::mutex mu;
  constexpr size_t kBatch = 50;
  for (uint64_t start = 0; start < calls; start += kBatch) {
    const size_t n = std::min<uint64_t>(kBatch, calls - start);
    std::vector<UseCall> txs;
    for (size_t i = 0; i < n; ++i) {
      json input = {{"prompt", prompts[(start + i) % 4]}, {"temperature", 0.8}, {"tokens", 12}};
      txs.push_back(
          make_use_call(kDemoChainId, consumer_.sign, nonce++, model_id, "generate", input));
      // Payments go out in nonce order; the calls below then run in parallel.
      unwrap(net_.client().submit(txs.back().tx, /*wait=*/false));
    }
    std::vector<std::thread> workers;
    std::atomic<size_t> next{0};
    for (int t = 0; t < 8; ++t) {
      workers.emplace_back([&] {
        node::NodeClient client(net_.url());
        for (size_t i = next++; i < n; i = next++) {
          auto out = call_model(client, txs[i]);
          if (!out.ok()) {
            ++call_failures;
            std::lock_guard lock(mu);
            std::cout << "  call failed: " << out.error().message << "\n";
            continue;
          }
          ++served;
          std::lock_guard lock(mu);
          if (samples.size() < 3) samples.push_back((*out)["output"].value("text", ""));
        }
      });
    }
    for (auto& w : workers) w.join();
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("  %llu calls served in %.1f s (%.0f calls/s), e.g.:\n",
              static_cast<unsigned long long>(served.load()), secs, served.load() / secs);
  for (const auto& s : samples) std::cout << "    > " << s << "\n";
  const json after =
      unwrap(net_.client().get("/v1/models/" + std::to_string(model_id) + "/rewards"));
  const uint64_t consumer_after =
      unwrap(net_.client().get("/v1/accounts/" + codec::to_hex(consumer_.account())))
          .value("credits", uint64_t{0});
  const uint64_t uses = after.value("uses", uint64_t{0}) - before.value("uses", uint64_t{0});
  check(call_failures == 0 && served == calls && uses == calls,
        label + ": " + std::to_string(calls) + " calls served, " + std::to_string(uses) +
            " paid uses on the ledger");
  check(consumer_before - consumer_after == price * calls,
        "the consumer paid exactly price x calls = " + std::to_string(price * calls) + " credits");

  // Conservation over every holder: paid x 10^9 = Σ accrued + claimed x 10^9 + remainder.
  unsigned __int128 accrued_sum = 0;
  const json hs_after = holders(model_id);
  for (const json& h : hs_after) accrued_sum += u128_of(h.value("accrued_units", "0"));
  const unsigned __int128 unit = ledger::kRewardUnitsPerCredit;
  const unsigned __int128 paid = after.value("rewards_paid", uint64_t{0});
  const unsigned __int128 claimed = after.value("rewards_claimed", uint64_t{0});
  const unsigned __int128 remainder = u128_of(after.value("reward_remainder", "0"));
  check(paid * unit == accrued_sum + claimed * unit + remainder,
        "every reward unit paid is accrued to a holder or in the remainder account (" +
            u128_to_string(accrued_sum) + " accrued + " + u128_to_string(remainder) +
            " remainder = " + u128_to_string(paid) + " credits x 10^9)");

  // Three contributors look at their accounts: rewards = price x uses x share units, exactly.
  std::cout << "\n== three contributors: datadao account show, then datadao rewards claim\n";
  std::vector<std::string> three;
  if (!ranked.empty()) three.push_back(ranked.front().second);
  if (ranked.size() > 2) three.push_back(ranked[ranked.size() / 2].second);
  if (share.count(noisy_hex)) {
    three.push_back(noisy_hex);
  } else if (ranked.size() > 1) {
    three.push_back(ranked.back().second);
  }
  std::sort(three.begin(), three.end());
  three.erase(std::unique(three.begin(), three.end()), three.end());
  for (const std::string& hex : three) {
    const wallet::Wallet* w = nullptr;
    for (const auto& u : users_)
      if (codec::to_hex(u.w.account()) == hex) w = &u.w;
    if (hex == noisy_hex) w = &noisy_;
    if (!w) continue;
    json acct = unwrap(net_.client().get("/v1/accounts/" + hex));
    const json hold = unwrap(net_.client().get("/v1/accounts/" + hex + "/holdings"));
    acct["pool_tokens"] = hold.value("pool_tokens", json::array());
    acct["models"] = hold.value("models", json::array());
    std::cout << "  $ datadao account show " << w->name << "\n";
    print_account(acct);
    json mine;
    for (const json& m : acct["models"])
      if (m.value("model_id", uint64_t{0}) == model_id) mine = m;
    const uint64_t units = mine.value("shares", uint64_t{0});
    const unsigned __int128 accrued = u128_of(mine.value("accrued_units", "0"));
    const unsigned __int128 expected =
        static_cast<unsigned __int128>(price) * uses * units;  // reward units
    check(accrued == expected,
          w->name + ": rewards " + format_reward_units(u128_to_string(accrued)) +
              " credits = " + std::to_string(price) + " x " + std::to_string(uses) + " x " +
              std::to_string(units) + " / 10^9, exactly");
    const uint64_t credits_before = acct.value("credits", uint64_t{0});
    const uint64_t claimable = mine.value("claimable_credits", uint64_t{0});
    if (claimable == 0) {
      std::cout << "  (" << w->name << " has less than one whole credit accrued: nothing to claim "
                << "yet; it stays accrued)\n";
      continue;
    }
    ledger::Claim c;
    c.model_id = model_id;
    net_.submit(*w, c);
    const uint64_t credits_after =
        unwrap(net_.client().get("/v1/accounts/" + hex)).value("credits", uint64_t{0});
    const json hold2 = unwrap(net_.client().get("/v1/accounts/" + hex + "/holdings"));
    unsigned __int128 left = 0;
    for (const json& m : hold2.value("models", json::array()))
      if (m.value("model_id", uint64_t{0}) == model_id)
        left = u128_of(m.value("accrued_units", "0"));
    std::cout << "  $ datadao rewards claim   (" << w->name << ")\n  claimed " << claimable
              << " credits from " << label << "; " << format_reward_units(u128_to_string(left))
              << " stays accrued\n";
    check(credits_after - credits_before == claimable && claimable == expected / unit &&
              left == expected % unit,
          w->name + " claimed " + std::to_string(claimable) +
              " whole credits; the sub-credit rest stays theirs");
  }
}

}  // namespace datadao::cli::demo_models
