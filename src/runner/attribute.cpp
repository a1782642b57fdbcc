#include "attribute.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <set>

#include "datadao/attribution/shares.hpp"
#include "datadao/crypto/crypto.hpp"
#include "datadao/ml/tracin.hpp"

namespace datadao::runner::detail {

namespace {

uint64_t fingerprint(const void* data, size_t size) {
  const crypto::Hash32 h =
      crypto::blake2b256(crypto::ByteView(static_cast<const uint8_t*>(data), size));
  uint64_t v = 0;
  std::memcpy(&v, h.data(), sizeof v);
  return v;
}

// Lower-cased, whitespace collapsed: the same normalisation for "is this a copy".
uint64_t text_fingerprint(const std::string& text) {
  std::string norm;
  bool space = false;
  for (unsigned char c : text) {
    if (std::isspace(c)) {
      space = !norm.empty();
      continue;
    }
    if (space) norm.push_back(' ');
    space = false;
    norm.push_back(static_cast<char>(std::tolower(c)));
  }
  return fingerprint(norm.data(), norm.size());
}

// Clamp, and fall back to an equal split among contributors with data of their own when no
// value is positive (the share supply must be assigned to someone who contributed).
void finish(Attribution& a, const std::vector<bool>& has_own_data) {
  bool any = false;
  for (double& v : a.values) {
    if (!(v > 0)) v = 0;
    any = any || v > 0;
  }
  if (!any) {
    a.fallback_equal = true;
    for (size_t i = 0; i < a.values.size(); ++i) a.values[i] = has_own_data[i] ? 1.0 : 0.0;
  }
}

Error bad(const std::string& why) { return make_error(ErrorCode::kInvalidArgument, why); }

}  // namespace

Result<Attribution> attribute_text_knn(const ml::TextModel& model, const ml::LabeledTexts& texts,
                                       const ml::TrainReport& report, size_t contributors,
                                       uint32_t k) {
  const size_t n = texts.texts.size();
  if (texts.contributors.size() != n || texts.labels.size() != n) {
    return bad("attribution: texts, contributors and labels differ in length");
  }
  std::vector<bool> held(n, false);
  size_t held_count = 0;
  for (size_t r : report.holdout_rows) {
    if (r < n && !held[r]) {
      held[r] = true;
      ++held_count;
    }
  }
  if (held_count == 0 || held_count == n) {
    // Too few texts for a held-out split of real records (the trainer may have held out only
    // canaries): nothing to value against. Every contributor with data of its own shares
    // equally rather than the model never publishing.
    Attribution a;
    a.values.assign(contributors, 0.0);
    std::map<uint64_t, uint64_t> first;
    std::vector<bool> own(contributors, false);
    for (size_t i = 0; i < n; ++i) {
      const uint64_t who = texts.contributors[i];
      if (who == 0 || who > contributors) return bad("attribution: contributor index out of range");
      auto [it, fresh] = first.emplace(text_fingerprint(texts.texts[i]), who);
      if (fresh || it->second == who) own[who - 1] = true;
    }
    finish(a, own);
    return a;
  }
  std::map<std::string, int64_t> label_ids;
  for (const auto& l : texts.labels) label_ids.emplace(l, 0);
  int64_t next = 0;
  for (auto& [l, id] : label_ids) id = next++;

  const std::vector<std::vector<float>> emb = model.embed(texts.texts);
  if (emb.size() != n || emb.empty() || emb[0].empty()) {
    return bad("attribution: the model gave no embeddings");
  }
  const size_t dim = emb[0].size();
  attribution::ContributorRecordSet train;
  train.contributors = contributors;
  train.dim = dim;
  attribution::LabeledPoints valid;
  valid.dim = dim;
  for (size_t i = 0; i < n; ++i) {
    const uint64_t who = texts.contributors[i];
    if (who == 0 || who > contributors) return bad("attribution: contributor index out of range");
    if (held[i]) {
      valid.features.insert(valid.features.end(), emb[i].begin(), emb[i].end());
      valid.labels.push_back(label_ids[texts.labels[i]]);
      continue;
    }
    train.embeddings.insert(train.embeddings.end(), emb[i].begin(), emb[i].end());
    train.labels.push_back(label_ids[texts.labels[i]]);
    train.contributor_of.push_back(static_cast<uint32_t>(who - 1));
    train.fingerprints.push_back(text_fingerprint(texts.texts[i]));
  }
  // First contribution wins over ALL rows: a training row that copies an earlier contributor's
  // row is dropped even when the original sits in the held-out split.
  std::map<uint64_t, uint64_t> first_owner;  // fingerprint -> contributor index
  for (size_t i = 0; i < n; ++i) {
    first_owner.emplace(text_fingerprint(texts.texts[i]), texts.contributors[i]);
  }
  std::vector<bool> any_train(contributors, false), own(contributors, false);
  size_t copies = 0;
  {
    attribution::ContributorRecordSet kept = train;
    kept.embeddings.clear();
    kept.labels.clear();
    kept.contributor_of.clear();
    kept.fingerprints.clear();
    for (size_t r = 0; r < train.labels.size(); ++r) {
      const uint32_t c = train.contributor_of[r];
      any_train[c] = true;
      if (first_owner.at(train.fingerprints[r]) != c + 1) {
        ++copies;
        continue;
      }
      own[c] = true;
      kept.embeddings.insert(kept.embeddings.end(),
                             train.embeddings.begin() + static_cast<ptrdiff_t>(r * dim),
                             train.embeddings.begin() + static_cast<ptrdiff_t>((r + 1) * dim));
      kept.labels.push_back(train.labels[r]);
      kept.contributor_of.push_back(c);
      kept.fingerprints.push_back(train.fingerprints[r]);
    }
    train = std::move(kept);
  }
  if (train.labels.empty()) return bad("attribution: every training row is a copy");
  attribution::KnnShapleyOptions opt;
  opt.k = k;
  opt.threads = 2;
  DD_ASSIGN(attribution::ContributorValues cv,
            attribution::contributor_knn_shapley(train, valid, opt,
                                                 attribution::ContributorGame::kSumOfRecords));
  Attribution a;
  a.values = cv.values;
  a.duplicate_records = copies + cv.duplicate_records;
  for (size_t c = 0; c < contributors; ++c) {
    if (any_train[c] && !own[c]) ++a.duplicate_contributors;
  }
  finish(a, own);
  return a;
}

Result<Attribution> attribute_tabular_tracin(const ml::TabularDataset& data,
                                             const ml::TrainReport& report, size_t contributors,
                                             uint32_t projection_dim) {
  const size_t n = data.targets.size();
  if (data.contributors.size() != n || data.features.size() != n) {
    return bad("attribution: rows, targets and contributors differ in length");
  }
  if (report.snapshots.empty()) return bad("attribution: the trainer kept no snapshots");
  std::vector<bool> held(n, false);
  for (size_t r : report.holdout_rows) {
    if (r < n) held[r] = true;
  }
  ml::TabularDataset train, valid;
  train.feature_names = valid.feature_names = data.feature_names;
  std::vector<size_t> train_rows;
  for (size_t i = 0; i < n; ++i) {
    ml::TabularDataset& d = held[i] ? valid : train;
    d.features.push_back(data.features[i]);
    d.targets.push_back(data.targets[i]);
    if (!held[i]) train_rows.push_back(i);
  }
  if (train.targets.empty() || valid.targets.empty()) {
    return bad("attribution: need both held-out and training rows");
  }
  std::vector<ml::TracInCheckpoint> ckpts;
  for (const auto& [bytes, lr] : report.snapshots) ckpts.push_back({bytes, lr});
  ml::TracInOptions opt;
  opt.projection_dim = projection_dim;
  DD_ASSIGN(ml::TracInResult tr, ml::tracin_regressor(ckpts, train, valid, opt));

  Attribution a;
  a.values.assign(contributors, 0.0);
  std::vector<bool> own(contributors, false);
  std::vector<bool> any_row(contributors, false);
  // First contribution wins over ALL rows (held-out ones included).
  auto row_fingerprint = [&](size_t i) {
    std::vector<float> key = data.features[i];
    key.push_back(data.targets[i]);
    return fingerprint(key.data(), key.size() * sizeof(float));
  };
  std::map<uint64_t, uint64_t> first_owner;  // row fingerprint -> contributor who had it first
  for (size_t i = 0; i < n; ++i) first_owner.emplace(row_fingerprint(i), data.contributors[i]);
  for (size_t j = 0; j < train_rows.size(); ++j) {
    const size_t i = train_rows[j];
    const uint64_t who = data.contributors[i];
    if (who == 0 || who > contributors) return bad("attribution: contributor index out of range");
    const size_t c = who - 1;
    any_row[c] = true;
    if (first_owner.at(row_fingerprint(i)) != who) {
      ++a.duplicate_records;
      continue;
    }
    own[c] = true;
    a.values[c] += tr.influence[j];
  }
  for (size_t c = 0; c < contributors; ++c) {
    if (any_row[c] && !own[c]) ++a.duplicate_contributors;
  }
  if (std::none_of(own.begin(), own.end(), [](bool b) { return b; })) {
    return bad("attribution: every training row is a copy");
  }
  finish(a, own);
  return a;
}

}  // namespace datadao::runner::detail
