// evaluate_contribution: import, authenticity, refinement, quality, uniqueness (contribution.hpp).
#include "datadao/proof/contribution.hpp"

#include <sodium.h>

#include "contribution_internal.hpp"
#include "datadao/privacy/pseudonym.hpp"
#include "datadao/proof/normalize.hpp"
#include "datadao/proof/uniqueness.hpp"

namespace datadao::proof {
namespace {

using ingest::Source;
using nlohmann::json;

// Importer messages name files and positions; the JSON parser's also quote the bytes it read
// last ("...; last read: '<record text>'"), which must not reach a reason that may be published.
std::string without_input_excerpt(std::string message) {
  size_t cut = message.find("; last read");
  if (cut != std::string::npos) message.resize(cut);
  return message;
}

Status add_key(PoolIndex& index, const UniquenessKey& key) {
  uint64_t id = index.next_record_id++;
  index.exact.insert(key.content_hash, id);
  if (key.near) DD_TRY(index.near.add(id, key.text));
  return Status::Ok();
}

}  // namespace

bool same_account(std::string_view export_identity, std::string_view claimed_handle) {
  std::string a = privacy::normalise_identity(export_identity);
  return !a.empty() && a == privacy::normalise_identity(claimed_handle);
}

Hash32 handle_tag(const crypto::SymmetricKey& pool_secret, Source source, std::string_view handle) {
  static constexpr std::string_view kDomain = "datadao/handle-tag/v1";
  std::string msg(kDomain);
  msg += '\0';
  msg += ingest::source_name(source);
  msg += '\0';
  msg += privacy::normalise_identity(handle);
  Hash32 out{};
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(msg.data()),
                     msg.size(), pool_secret.data(), pool_secret.size());
  return out;
}

std::string structured_canonical(const json& refined) {
  auto str = [&](const char* key) {
    auto it = refined.find(key);
    return it != refined.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  auto fields = refined.find("fields");
  return str("source") + "|" + str("kind") + "|" + str("time") + "|" + str("author") + "|" +
         (fields != refined.end() ? fields->dump() : std::string("{}"));
}

Result<UniquenessKey> uniqueness_key(const json& refined) {
  if (!refined.is_object() || !refined.contains("source") || !refined["source"].is_string()) {
    return make_error(ErrorCode::kInvalidArgument, "refined record: missing field 'source'");
  }
  UniquenessKey key;
  if (internal::is_text_source(refined["source"].get_ref<const std::string&>())) {
    auto text = refined.find("text");
    if (text == refined.end() || !text->is_string()) {
      return make_error(ErrorCode::kInvalidArgument, "refined record: missing field 'text'");
    }
    DD_ASSIGN(key.content_hash, record_content_hash(text->get_ref<const std::string&>()));
    key.near = true;
    key.text = text->get<std::string>();
  } else {
    // Key fields, not text: hashed verbatim and apart from every text hash.
    std::string canonical = structured_canonical(refined);
    std::string_view parts[] = {"structured", canonical};
    key.content_hash = normalised_content_hash("", parts);
  }
  return key;
}

Result<Evaluation> evaluate_contribution(Source source, std::string_view zip_bytes,
                                         std::string_view claimed_handle,
                                         const EvaluateOptions& options, const PoolIndex& index,
                                         const privacy::Scrubber& scrubber) {
  if (options.now_unix <= 0) {
    return make_error(ErrorCode::kInvalidArgument, "evaluate_contribution: now_unix is not set");
  }
  Evaluation eval;
  ContributionScore& score = eval.score;
  const bool text_source = internal::is_text_source(ingest::source_name(source));
  internal::AuthenticityChecker checker(source, options.now_unix);
  ingest::ImportSummary summary;
  std::string inconsistency;
  std::vector<json> candidates;  // refined records that passed quality, in export order

  auto sink = [&](const ingest::Record& r) -> Status {
    ++score.records_total;
    int64_t t = 0;
    if (std::string why = checker.check(r, &t); !why.empty()) {
      inconsistency = why;
      return make_error(ErrorCode::kCorruption, why);
    }
    json refined = internal::refine(source, r, t, scrubber);
    std::string normalised;
    if (text_source) {
      auto n = normalize_text(refined["text"].get_ref<const std::string&>());
      if (!n.ok()) {  // scrubbed text is valid UTF-8, so this is the size limit
        ++score.low_quality;
        ++score.low_quality_reasons["too_long"];
        return Status::Ok();
      }
      if (n->empty()) {
        ++score.empty;
        return Status::Ok();
      }
      normalised = std::move(n).value();
    }
    std::string reason =
        internal::quality_reason(source, r, refined, normalised, summary.account_identity);
    if (!reason.empty()) {
      ++score.low_quality;
      ++score.low_quality_reasons[reason];
      return Status::Ok();
    }
    candidates.push_back(std::move(refined));
    return Status::Ok();
  };

  Status imported =
      ingest::import_buffer(source, zip_bytes, "export.zip", options.limits, sink, &summary);
  std::string why = !imported.ok()
                        ? (inconsistency.empty() ? without_input_excerpt(imported.error().message)
                                                 : inconsistency)
                        : checker.finish(summary);
  if (!why.empty()) {
    score = ContributionScore{};
    score.authenticity_reason = why;
    score.ownership_reason = "not checked: the export is not authentic";
    return eval;
  }
  score.authentic = true;
  score.authenticity_reason = "ok";

  const bool has_identity = !summary.account_identity.empty();
  score.owned = same_account(summary.account_identity, claimed_handle);
  score.ownership_reason = score.owned     ? "ok"
                           : !has_identity ? "the export carries no account identity"
                                           : "the export's account is not the claimed handle";
  const bool eligible = score.owned || (!has_identity && options.accept_without_identity);
  if (!has_identity && options.accept_without_identity) {
    score.ownership_reason += " (accepted by pool policy)";
  }

  std::vector<UniquenessKey> keys;
  keys.reserve(candidates.size());
  for (const json& c : candidates) {
    DD_ASSIGN(UniquenessKey k, uniqueness_key(c));
    keys.push_back(std::move(k));
  }
  std::vector<Verdict> verdicts(candidates.size(), Verdict::kUnique);
  if (text_source) {
    std::vector<std::string> texts;
    texts.reserve(keys.size());
    for (const auto& k : keys) texts.push_back(k.text);
    DD_ASSIGN(UniquenessReport report,
              assess(texts, index.exact, index.near, AssessOptions{options.min_jaccard, true}));
    for (size_t i = 0; i < verdicts.size(); ++i) verdicts[i] = report.records[i].verdict;
  } else {
    ExactIndex batch;
    for (size_t i = 0; i < keys.size(); ++i) {
      if (index.exact.find(keys[i].content_hash) || !batch.insert(keys[i].content_hash, i)) {
        verdicts[i] = Verdict::kExactDuplicate;
      }
    }
  }

  for (size_t i = 0; i < candidates.size(); ++i) {
    switch (verdicts[i]) {
      case Verdict::kExactDuplicate:
        ++score.exact_duplicates;
        break;
      case Verdict::kNearDuplicate:
        ++score.near_duplicates;
        break;
      case Verdict::kEmpty:  // cannot happen: empty texts never become candidates
        ++score.empty;
        break;
      case Verdict::kUnique:
        ++score.unique;
        if (eligible) {
          eval.refined_jsonl += candidates[i].dump();
          eval.refined_jsonl += '\n';
          eval.accepted_keys.push_back(std::move(keys[i]));
        }
        break;
    }
  }
  score.accepted = eval.accepted_keys.size();
  eval.refined_records = score.accepted;
  return eval;
}

Status add_to_index(PoolIndex& index, const Evaluation& eval) {
  for (const UniquenessKey& key : eval.accepted_keys) DD_TRY(add_key(index, key));
  return Status::Ok();
}

Status add_refined_to_index(PoolIndex& index, std::string_view refined_jsonl) {
  size_t line_no = 0;
  for (size_t pos = 0; pos < refined_jsonl.size();) {
    size_t end = refined_jsonl.find('\n', pos);
    if (end == std::string_view::npos) end = refined_jsonl.size();
    std::string_view line = refined_jsonl.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (line.empty()) continue;
    const std::string where = "refined line " + std::to_string(line_no);
    json record = json::parse(line, nullptr, false);
    if (record.is_discarded() || !record.is_object()) {
      return make_error(ErrorCode::kInvalidArgument, where + ": not a JSON object");
    }
    auto key = uniqueness_key(record);
    if (!key.ok()) return key.error().with_context(where);
    DD_TRY(add_key(index, *key));
  }
  return Status::Ok();
}

}  // namespace datadao::proof
