// The JSON views: payload views built from the ledger records' renderers show exactly what the
// payload carries, and a record's view is the same wherever it is composed.
#include "datadao/ledger/json.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "datadao/testing/ledger.hpp"

namespace datadao::ledger {
namespace {

using namespace test;  // keys, genesis, submit, must, err (datadao/testing/ledger.hpp)

std::set<std::string> keys_of(const nlohmann::json& j) {
  std::set<std::string> out;
  for (const auto& [k, v] : j.items()) out.insert(k);
  return out;
}

nlohmann::json payload_view(const auto& payload) {
  return to_json(make_tx(kChain, key_for(1), 1, payload))["payload"];
}

TEST(LedgerJson, AttestViewShowsTheValidatorsScoresNotWhatTheLedgerDecides) {
  Attest a;
  a.contribution_id = 5;
  a.authentic = true;
  a.owned = true;
  a.handle_tag[0] = 1;
  a.records_total = 10;
  a.accepted = 7;
  a.note = "authentic";
  const nlohmann::json j = payload_view(a);
  EXPECT_EQ(keys_of(j), (std::set<std::string>{
                            "contribution_id", "authentic", "owned", "handle_tag", "records_total",
                            "exact_duplicates", "near_duplicates", "low_quality", "accepted",
                            "refined_blob_hash", "refined_size", "refined_sealed_key", "note"}));
  EXPECT_EQ(j["contribution_id"], 5);
  EXPECT_EQ(j["accepted"], 7);
  EXPECT_EQ(j["note"], "authentic");
}

TEST(LedgerJson, CreatePoolViewFlattensTheParamsThePoolViewNests) {
  CreatePool c;
  c.name = "reddit-dao";
  c.source = "reddit";
  c.params.reward_per_point = 3;
  const nlohmann::json j = payload_view(c);
  EXPECT_EQ(j["reward_per_point"], 3);
  EXPECT_EQ(j["name"], "reddit-dao");
  EXPECT_FALSE(j.contains("params"));
  Pool p;
  p.params = c.params;
  EXPECT_EQ(to_json(p)["params"], to_json(c.params));
}

TEST(LedgerJson, SetConsentPolicyViewOmitsTheHeightTheStateSets) {
  SetConsentPolicy s;
  s.policy.enabled = true;
  s.policy.purposes = {"research"};
  const nlohmann::json j = payload_view(s);
  EXPECT_FALSE(j.contains("height"));
  nlohmann::json record = to_json(s.policy);
  record.erase("height");
  EXPECT_EQ(j, record);
}

}  // namespace
}  // namespace datadao::ledger
