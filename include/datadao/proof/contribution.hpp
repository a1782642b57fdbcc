// Proof of contribution: what a pool validator checks before it attests a contribution, and the
// refined, PII-free records it keeps.
//
// evaluate_contribution() imports one export (zip bytes, already decrypted), then for each record:
//   1. authenticity: the archive has the platform's structure and consistent data (below);
//   2. refinement: the record becomes the pool's refined schema (below), PII removed;
//   3. quality: source-specific pass/fail with a reason (below), on the REFINED record;
//   4. uniqueness: records passing quality are compared, on their REFINED form, with the pool
//      (PoolIndex) and with the earlier records of the same contribution: text records (reddit,
//      x) by exact content hash and MinHash near-duplicates (assess(), uniqueness.hpp); structured
//      records (spotify, oura) by exact hash of a canonical string only. Because uniqueness only
//      reads refined records, the index can be rebuilt from stored refined blobs alone
//      (add_refined_to_index) and gives the same verdicts as the live one.
// Ownership compares the export's account identity with the claimed handle. Records are
// accepted when they pass quality and are unique, and only if the export is authentic and owned;
// otherwise accepted = 0 and refined_jsonl is empty. When the export is authentic but not owned
// the counts are still reported, so the contributor learns what was wrong; when it is not
// authentic they are all 0 (the import stops at the first inconsistency).
//
// Every record lands in exactly one of: empty, low_quality, exact_duplicates, near_duplicates,
// unique, so these add up to records_total; accepted = unique when owned, else 0.
//
// Authenticity rules (the first violation is the reason; reasons name the file or record kind and
// the record's ordinal number, never record text nor export ids, which link back to a person):
//   import   a bad zip, a hard limit, a missing required column or field: the importer's message
//            (JSON parser excerpts of the input are cut off).
//   all      timestamps parse, lie after the platform's launch (reddit 2005-06-23, x 2006-03-21,
//            spotify 2008-10-07, oura 2015-01-01: the ring's first data) and at most one day
//            after `now_unix` (the validator's clock, given by the caller; no clock is read here).
//   reddit   posts.csv and comments.csv present (every real export ships both, even empty);
//            ids unique per kind; permalinks, when present, match the subreddit and id:
//            posts ".../r/<sub>/comments/<id>/...", comments ".../r/<sub>/comments/.../<id>/",
//            messages ".../<id>".
//   x        account.js with a username (the importer requires it); tweet ids are decimal and
//            unique; created_at parses ("Wed Oct 10 20:19:24 +0000 2018").
//   spotify  timestamps parse ("2023-01-02 03:04" or "2023-01-02T03:04:05Z"); ms_played is a
//            non-negative integer (the importer requires it).
//   oura     days parse (YYYY-MM-DD) and are unique per kind (sleep, readiness, activity).
//
// Quality rules (reason -> when), applied to the refined record:
//   reddit, x   empty (counted as `empty`, not low quality): no text left after normalisation;
//               "deleted": the text is "[deleted]" or "[removed]";
//               "received_message": a Reddit message whose sender is not the account owner
//               (someone else's words: the contributor cannot contribute them);
//               "mostly_urls": at least half of the white-space separated tokens are URLs;
//               "too_short": fewer than 3 words after normalisation;
//               "repetitive": one word makes up more than half of the words (3 words or more),
//               e.g. "lol lol lol", "buy buy buy now".
//   spotify     "not_played": ms_played == 0; "implausible_duration": ms_played >= 24 h;
//               "no_track": neither a track nor a podcast episode name.
//   oura        "implausible_value": score, efficiency or a contributor outside 0..100, a
//               duration (*_duration, seconds) outside 0..86400, a heart rate outside 20..250,
//               steps outside 0..200000, calories outside 0..20000;
//               "no_values": no numeric value left (refinement keeps numbers only, so a
//               string where a number belongs counts here).
//
// Refined schema: one JSON object per line (keys sorted), per record:
//   key      reddit                 x                      spotify             oura
//   source   "reddit"               "x"                    "spotify"           "oura"
//   kind     post|comment|message   tweet                  stream              sleep|readiness|
//                                                                              activity
//   id       P("<source>_id", export id): keeps identity of a record across re-exports without
//            linking back to the public post; reddit "t1_"/"t3_" prefixes are stripped first so
//            reply_to matches the parent's id
//   time     UTC, hour precision    hour precision         minute precision    the day
//            "2023-01-02T03:00Z"    (same)                 "2023-01-02T03:04Z" "2023-01-02"
//   author   P("reddit", author)    P("x", handle)         P("spotify", user)  (absent)
//   text     scrubbed: post title + "\n\n" + body, comment/message body, tweet full text;
//            absent for spotify and oura
//   fields   subreddit (profile     lang,                  artist, track,      the numeric values
//            subreddits "u_name"    favorite_count,        album, episode,     as exported (score,
//            become P), gildings,   retweet_count          show, track_uri,    durations, heart
//            reply_to (P of         (integers), reply_to   ms_played,          rates, steps, ...,
//            parent), thread (P),   (P of the replied      reason_start,       contributors.*);
//            to (P), subject        tweet), reply_to_user  reason_end,         strings dropped
//            (scrubbed)             (P("x", screen name))  shuffle, skipped,   (the "timestamp"
//                                                          offline             carries a UTC
//                                                                              offset = location)
//   P(kind, v) = scrubber.pseudonymise(kind, v): keyed with the pool secret, so stable within a
//   pool and unlinkable across pools. Never copied: ip, permalink, url, link, media, e-mail,
//   ip_addr_decrypted, the Oura record's own id. Mentions in text (@handle, u/name) are
//   pseudonymised by the Scrubber; build it with ScrubOptions{pool_secret, handle_kind = the
//   source name} so mentions and author fields map to the same pseudonym.
//   Time precision: Reddit and X timestamps are public; to the second they find the public post
//   (and so the person) by a search; an hour keeps time-of-day and seasonality for training.
//   Spotify streams are not public; the minute is what the basic export has, and truncating the
//   extended export's seconds makes both formats of one stream refine identically. Oura is daily.
//
// Uniqueness key of a refined record (uniqueness_key): text sources use the text itself
// (record_content_hash(text), the same hash assess() uses, and its MinHash); structured sources
// use the exact hash of "source|kind|time|author|fields" (fields as sorted JSON), so a re-upload
// of the same streams or days is an exact duplicate. The author pseudonym is part of the Spotify
// key: two listeners finishing the same song in the same minute are not copies of each other.
// MinHash is not used on structured records: it rejects genuine ones (measured in
// contribution_test.cpp at J >= 0.8: 20 of 180 fixture Oura days, consecutive days with close
// values; 4 of 5 plays of one song in full on five days).
//
// Thread-safety: evaluate_contribution and the free functions are reentrant; they only read the
// PoolIndex and the Scrubber (whose const methods are thread-safe). add_to_index and
// add_refined_to_index need exclusive access to the PoolIndex.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "datadao/common/result.hpp"
#include "datadao/crypto/crypto.hpp"
#include "datadao/ingest/importers.hpp"
#include "datadao/privacy/scrubber.hpp"
#include "datadao/proof/exact_index.hpp"
#include "datadao/proof/near_duplicate_index.hpp"

namespace datadao::proof {

// The pool's memory of what it already holds: exact content hashes of every accepted refined
// record and a MinHash index of the refined texts. Record ids are assigned from next_record_id.
struct PoolIndex {
  ExactIndex exact;
  NearDuplicateIndex near;
  uint64_t next_record_id = 1;
};

struct EvaluateOptions {
  ingest::Limits limits;
  // The validator's clock (Unix seconds, e.g. the block time). Required: timestamps more than a
  // day after it are implausible. 0 is rejected as "not set".
  int64_t now_unix = 0;
  // Near-duplicate threshold on the Jaccard similarity of refined texts (see assess()).
  double min_jaccard = 0.8;
  // Oura exports carry no account identity, so they can never be `owned`. A pool that accepts
  // them anyway (ownership resting on the wallet that registered the file) sets this; `owned`
  // stays false and the reason says so, but records may be accepted.
  bool accept_without_identity = false;
};

struct ContributionScore {
  bool authentic = false;
  std::string authenticity_reason;  // "ok" or why not
  bool owned = false;
  std::string ownership_reason;  // "ok" or why not; never names the handle or the identity
  uint64_t records_total = 0;
  uint64_t exact_duplicates = 0;
  uint64_t near_duplicates = 0;
  uint64_t empty = 0;
  uint64_t low_quality = 0;
  uint64_t unique = 0;    // passed quality and is new to the pool and to this contribution
  uint64_t accepted = 0;  // unique records kept: `unique` if owned (or allowed), else 0
  std::map<std::string, uint64_t> low_quality_reasons;  // reason -> count
};

// What add_to_index needs of one accepted record.
struct UniquenessKey {
  Hash32 content_hash{};
  bool near = false;  // true: `text` also goes into the MinHash index
  std::string text;   // the refined text (text sources); empty otherwise
};

struct Evaluation {
  ContributionScore score;
  std::string refined_jsonl;  // accepted records only, refined schema, one object per line
  uint64_t refined_records = 0;
  std::vector<UniquenessKey> accepted_keys;  // one per refined line, same order
};

// Imports `zip_bytes` as an export of `source` and scores it against `index` (read only).
// An unreadable or inconsistent archive is not an error: it yields authentic = false with the
// reason. Fails only on invalid options (now_unix unset) or an internal error.
Result<Evaluation> evaluate_contribution(ingest::Source source, std::string_view zip_bytes,
                                         std::string_view claimed_handle,
                                         const EvaluateOptions& options, const PoolIndex& index,
                                         const privacy::Scrubber& scrubber);

// Adds the accepted records of `eval` to the index (after the ledger accepted the attestation).
Status add_to_index(PoolIndex& index, const Evaluation& eval);

// Adds every record of a refined blob (refined_jsonl of an earlier evaluation) to the index, as
// add_to_index did: rebuilds the index on validator restart. Fails naming the line on a line
// that is not a refined record; the records before it stay added.
Status add_refined_to_index(PoolIndex& index, std::string_view refined_jsonl);

// The uniqueness key of one refined record (see "Uniqueness key" above).
Result<UniquenessKey> uniqueness_key(const nlohmann::json& refined);
// The canonical string hashed for structured records ("source|kind|time|author|fields").
std::string structured_canonical(const nlohmann::json& refined);

// True if the export identity and the claimed handle name the same account:
// privacy::normalise_identity of both is equal and non-empty ("@Name", "u/name", "NAME" alike).
bool same_account(std::string_view export_identity, std::string_view claimed_handle);

// The tag the ledger stores instead of the handle: keyed BLAKE2b-256 (key = pool_secret) of a
// domain tag, the source name and the normalised handle. One pool, one platform, one account:
// one tag; without the pool secret the handle cannot be recovered or confirmed.
Hash32 handle_tag(const crypto::SymmetricKey& pool_secret, ingest::Source source,
                  std::string_view handle);

}  // namespace datadao::proof
