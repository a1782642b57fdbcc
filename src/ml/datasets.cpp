// Training examples from refined pool records. Plain C++ and nlohmann::json: no libtorch here, so
// the runner and its tests compile this without paying for torch headers.
#include "datadao/ml/datasets.hpp"

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_map>

#include <nlohmann/json.hpp>

namespace datadao::ml {

namespace {

using nlohmann::json;

// Calls `fn` with every refined record (a JSON object) of one contributor, in order. Blank
// lines are skipped; anything else that is not a JSON object is kCorruption naming the
// contributor index and the line (counted over all of the contributor's entries, from 1).
Status for_each_record(const ContributorRecords& c, const std::function<Status(const json&)>& fn) {
  uint64_t line_no = 0;
  for (const std::string& blob : c.refined_jsonl) {
    size_t pos = 0;
    while (pos < blob.size()) {
      size_t end = blob.find('\n', pos);
      if (end == std::string::npos) end = blob.size();
      const std::string_view line(blob.data() + pos, end - pos);
      pos = end + 1;
      ++line_no;
      if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      const std::string where = "contributor " + std::to_string(c.contributor) + ": refined line " +
                                std::to_string(line_no);
      json record = json::parse(line, nullptr, /*allow_exceptions=*/false);
      if (record.is_discarded()) {
        return make_error(ErrorCode::kCorruption, where + ": not JSON");
      }
      if (!record.is_object()) {
        return make_error(ErrorCode::kCorruption, where + ": not a JSON object");
      }
      Status s = fn(record);
      if (!s.ok()) return s.error().with_context(where);
    }
  }
  return Status::Ok();
}

std::string string_of(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<double> number_of(const json& fields, const char* key) {
  auto it = fields.find(key);
  if (it == fields.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

const json& fields_of(const json& record) {
  static const json kEmpty = json::object();
  auto it = record.find("fields");
  return it != record.end() && it->is_object() ? *it : kEmpty;
}

// Days since 1970-01-01 of the "YYYY-MM-DD" that starts `time` (H. Hinnant's days_from_civil).
std::optional<int64_t> day_number(std::string_view time) {
  if (time.size() < 10 || time[4] != '-' || time[7] != '-') return std::nullopt;
  auto digits = [&](size_t from, size_t n) -> std::optional<int> {
    int v = 0;
    for (size_t i = from; i < from + n; ++i) {
      if (time[i] < '0' || time[i] > '9') return std::nullopt;
      v = v * 10 + (time[i] - '0');
    }
    return v;
  };
  auto y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
  if (!y || !m || !d || *m < 1 || *m > 12 || *d < 1 || *d > 31) return std::nullopt;
  const int64_t yy = *y - (*m <= 2 ? 1 : 0);
  const int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
  const int64_t yoe = yy - era * 400;
  const int64_t doy = (153 * (*m + (*m > 2 ? -3 : 9)) + 2) / 5 + *d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Error bad_time(const json& record) {
  return make_error(ErrorCode::kCorruption,
                    "'time' is not a date: '" + string_of(record, "time").substr(0, 40) + "'");
}

// One contributor's Oura days: the first record of each (day, kind) counts.
struct OuraDay {
  std::optional<double> sleep_score, total_sleep_s, efficiency;
  std::optional<double> steps, active_calories, activity_score;
  std::optional<double> readiness_score;
  bool has_sleep = false, has_activity = false, has_readiness = false;
};

Result<std::map<int64_t, OuraDay>> oura_days(const std::vector<const ContributorRecords*>& parts) {
  std::map<int64_t, OuraDay> days;
  for (const ContributorRecords* c : parts) {
    Status s = for_each_record(*c, [&](const json& r) -> Status {
      if (string_of(r, "source") != "oura") return Status::Ok();
      const std::string kind = string_of(r, "kind");
      if (kind != "sleep" && kind != "activity" && kind != "readiness") return Status::Ok();
      auto day = day_number(string_of(r, "time"));
      if (!day) return bad_time(r);
      const json& f = fields_of(r);
      OuraDay& d = days[*day];
      if (kind == "sleep" && !d.has_sleep) {
        d.has_sleep = true;
        d.sleep_score = number_of(f, "score");
        d.total_sleep_s = number_of(f, "total_sleep_duration");
        d.efficiency = number_of(f, "efficiency");
      } else if (kind == "activity" && !d.has_activity) {
        d.has_activity = true;
        d.steps = number_of(f, "steps");
        d.active_calories = number_of(f, "active_calories");
        d.activity_score = number_of(f, "score");
      } else if (kind == "readiness" && !d.has_readiness) {
        d.has_readiness = true;
        d.readiness_score = number_of(f, "score");
      }
      return Status::Ok();
    });
    if (!s.ok()) return s.error();
  }
  return days;
}

// One contributor's listening on one day.
struct ListeningDay {
  double ms = 0, ms_late = 0;
  std::set<std::string> tracks;
  uint64_t streams_with_skip_flag = 0, skipped = 0;
};

struct Listening {
  std::map<int64_t, ListeningDay> days;
  int64_t first = 0, last = -1;  // the days the history covers (first > last: none)
};

Result<Listening> spotify_days(const std::vector<const ContributorRecords*>& parts) {
  Listening out;
  for (const ContributorRecords* c : parts) {
    Status s = for_each_record(*c, [&](const json& r) -> Status {
      if (string_of(r, "source") != "spotify" || string_of(r, "kind") != "stream") {
        return Status::Ok();
      }
      const std::string time = string_of(r, "time");
      auto day = day_number(time);
      if (!day) return bad_time(r);
      if (out.first > out.last) {
        out.first = out.last = *day;
      } else {
        out.first = std::min(out.first, *day);
        out.last = std::max(out.last, *day);
      }
      const json& f = fields_of(r);
      ListeningDay& d = out.days[*day];
      const double ms = number_of(f, "ms_played").value_or(0);
      d.ms += ms;
      // The time is when the stream ended, in UTC ("2023-01-02T23:04Z").
      if (time.size() >= 13 && time[10] == 'T' && std::atoi(time.substr(11, 2).c_str()) >= 22) {
        d.ms_late += ms;
      }
      std::string track = string_of(f, "track_uri");
      if (track.empty()) track = string_of(f, "artist") + '\x1f' + string_of(f, "track");
      if (track == "\x1f") track = string_of(f, "show") + '\x1f' + string_of(f, "episode");
      d.tracks.insert(track);
      if (auto it = f.find("skipped"); it != f.end() && it->is_boolean()) {
        ++d.streams_with_skip_flag;
        if (it->get<bool>()) ++d.skipped;
      }
      return Status::Ok();
    });
    if (!s.ok()) return s.error();
  }
  return out;
}

// Contributor index -> its entries, in order of first appearance (a contributor may come as
// several entries, e.g. one per contribution).
struct Grouped {
  std::vector<uint64_t> order;
  std::unordered_map<uint64_t, std::vector<const ContributorRecords*>> parts;
};

Grouped group(const std::vector<ContributorRecords>& records) {
  Grouped g;
  for (const ContributorRecords& c : records) {
    auto& v = g.parts[c.contributor];
    if (v.empty()) g.order.push_back(c.contributor);
    v.push_back(&c);
  }
  return g;
}

const std::vector<std::string> kSleepFeatures = {
    "sleep_score_1", "sleep_score_2", "sleep_score_3",    "total_sleep_h_1",  "efficiency_1",
    "steps_k_1",     "active_kcal_1", "activity_score_1", "readiness_score_1"};
const std::vector<std::string> kListeningFeatures = {"minutes_played_1", "minutes_late_1",
                                                     "distinct_tracks_1", "skip_share_1"};

// The sleep features for night `d`, or nothing when a required value is missing.
std::optional<std::vector<float>> sleep_row(const std::map<int64_t, OuraDay>& days, int64_t d,
                                            float* target) {
  auto at = [&](int64_t day) -> const OuraDay* {
    auto it = days.find(day);
    return it == days.end() ? nullptr : &it->second;
  };
  const OuraDay* tonight = at(d);
  const OuraDay* n1 = at(d - 1);
  const OuraDay* n2 = at(d - 2);
  const OuraDay* n3 = at(d - 3);
  if (!tonight || !n1 || !n2 || !n3) return std::nullopt;
  if (!tonight->sleep_score || !n1->sleep_score || !n2->sleep_score || !n3->sleep_score ||
      !n1->total_sleep_s || !n1->efficiency || !n1->steps || !n1->active_calories ||
      !n1->activity_score) {
    return std::nullopt;
  }
  *target = static_cast<float>(*tonight->sleep_score);
  return std::vector<float>{static_cast<float>(*n1->sleep_score),
                            static_cast<float>(*n2->sleep_score),
                            static_cast<float>(*n3->sleep_score),
                            static_cast<float>(*n1->total_sleep_s / 3600),
                            static_cast<float>(*n1->efficiency),
                            static_cast<float>(*n1->steps / 1000),
                            static_cast<float>(*n1->active_calories),
                            static_cast<float>(*n1->activity_score),
                            static_cast<float>(n1->readiness_score.value_or(0))};
}

// Adds the examples of one contributor (tagged with its index); `listening` adds the day's
// listening when given.
void add_examples(uint64_t contributor, const std::map<int64_t, OuraDay>& days,
                  const Listening* listening, TabularDataset& out) {
  for (const auto& [d, day] : days) {
    if (listening && (d - 1 < listening->first || d - 1 > listening->last)) continue;
    float target = 0;
    auto row = sleep_row(days, d, &target);
    if (!row) continue;
    if (listening) {
      ListeningDay none;
      auto it = listening->days.find(d - 1);
      const ListeningDay& l = it == listening->days.end() ? none : it->second;
      row->push_back(static_cast<float>(l.ms / 60000));
      row->push_back(static_cast<float>(l.ms_late / 60000));
      row->push_back(static_cast<float>(l.tracks.size()));
      row->push_back(l.streams_with_skip_flag == 0
                         ? 0.0f
                         : static_cast<float>(l.skipped) /
                               static_cast<float>(l.streams_with_skip_flag));
    }
    out.baseline_predictions.push_back((*row)[0]);
    out.features.push_back(std::move(*row));
    out.targets.push_back(target);
    out.contributors.push_back(contributor);
  }
}

}  // namespace

Result<std::vector<std::string>> text_examples(const std::vector<ContributorRecords>& records) {
  DD_ASSIGN(LabeledTexts labeled, labeled_text_examples(records));
  return std::move(labeled.texts);
}

Result<LabeledTexts> labeled_text_examples(const std::vector<ContributorRecords>& records) {
  LabeledTexts out;
  for (const ContributorRecords& c : records) {
    Status s = for_each_record(c, [&](const json& r) -> Status {
      const std::string source = string_of(r, "source");
      if (source != "reddit" && source != "x") return Status::Ok();
      std::string text = string_of(r, "text");
      if (text.empty()) return Status::Ok();
      out.texts.push_back(std::move(text));
      out.contributors.push_back(c.contributor);
      out.labels.push_back(string_of(fields_of(r), source == "reddit" ? "subreddit" : "lang"));
      return Status::Ok();
    });
    if (!s.ok()) return s.error();
  }
  return out;
}

Result<TabularDataset> sleep_examples(const std::vector<ContributorRecords>& oura) {
  TabularDataset out;
  out.feature_names = kSleepFeatures;
  const Grouped g = group(oura);
  for (uint64_t who : g.order) {
    DD_ASSIGN(auto days, oura_days(g.parts.at(who)));
    add_examples(who, days, nullptr, out);
  }
  return out;
}

Result<TabularDataset> listening_sleep_examples(const std::vector<ContributorRecords>& spotify,
                                                const std::vector<ContributorRecords>& oura) {
  TabularDataset out;
  out.feature_names = kSleepFeatures;
  out.feature_names.insert(out.feature_names.end(), kListeningFeatures.begin(),
                           kListeningFeatures.end());
  const Grouped listeners = group(spotify);
  const Grouped sleepers = group(oura);
  for (uint64_t who : sleepers.order) {
    auto it = listeners.parts.find(who);
    if (it == listeners.parts.end()) continue;  // in one pool only: no examples
    DD_ASSIGN(auto days, oura_days(sleepers.parts.at(who)));
    DD_ASSIGN(auto listening, spotify_days(it->second));
    add_examples(who, days, &listening, out);
  }
  return out;
}

}  // namespace datadao::ml
