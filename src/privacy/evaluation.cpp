// Labelled-set parsing and per-type precision/recall of the PII detector.
#include "datadao/privacy/evaluation.hpp"

#include <cstdio>
#include <string>

namespace datadao::privacy {

Result<LabelledText> parse_labelled(std::string_view marked, std::string_view what) {
  LabelledText out;
  size_t pos = 0;
  while (pos < marked.size()) {
    size_t open = marked.find("{{", pos);
    if (open == std::string_view::npos) {
      out.text.append(marked.substr(pos));
      break;
    }
    out.text.append(marked.substr(pos, open - pos));
    size_t colon = marked.find(':', open + 2);
    size_t close = marked.find("}}", open + 2);
    if (close == std::string_view::npos || colon == std::string_view::npos || colon > close) {
      return make_error(
          ErrorCode::kInvalidArgument,
          std::string(what) + ": unclosed or malformed marker at byte " + std::to_string(open));
    }
    std::string_view label = marked.substr(open + 2, colon - open - 2);
    auto type = pii_type_from_label(label);
    if (!type) {
      return make_error(ErrorCode::kInvalidArgument,
                        std::string(what) + ": unknown label '" + std::string(label) + "'");
    }
    std::string_view value = marked.substr(colon + 1, close - colon - 1);
    if (value.empty()) {
      return make_error(ErrorCode::kInvalidArgument,
                        std::string(what) + ": empty " + std::string(label) + " span");
    }
    size_t b = out.text.size();
    out.text.append(value);
    out.spans.push_back(PiiSpan{*type, b, out.text.size()});
    pos = close + 2;
  }
  return out;
}

Result<std::vector<LabelledText>> parse_labelled_set(std::string_view tsv, std::string_view what) {
  std::vector<LabelledText> set;
  size_t line_no = 0;
  size_t pos = 0;
  while (pos < tsv.size()) {
    size_t nl = tsv.find('\n', pos);
    std::string_view line = tsv.substr(pos, nl == std::string_view::npos ? tsv.npos : nl - pos);
    pos = nl == std::string_view::npos ? tsv.size() : nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    std::string where = std::string(what) + " line " + std::to_string(line_no);
    size_t tab = line.find('\t');
    if (tab == std::string_view::npos) {
      return make_error(ErrorCode::kInvalidArgument, where + ": expected '<id>\\t<text>'");
    }
    // Literal "\n" in the text column stands for a line break (multi-line posts).
    std::string text;
    std::string_view col = line.substr(tab + 1);
    for (size_t i = 0; i < col.size(); ++i) {
      if (col[i] == '\\' && i + 1 < col.size() && col[i + 1] == 'n') {
        text.push_back('\n');
        ++i;
      } else {
        text.push_back(col[i]);
      }
    }
    auto item = parse_labelled(text, where);
    if (!item.ok()) return item.error();
    item->id = std::string(line.substr(0, tab));
    set.push_back(std::move(item).value());
  }
  return set;
}

double TypeCounts::precision() const {
  return predicted == 0 ? 1.0 : static_cast<double>(predicted_correct) / predicted;
}
double TypeCounts::recall() const {
  return gold == 0 ? 1.0 : static_cast<double>(gold_recalled) / gold;
}

namespace {
bool overlaps(const PiiSpan& a, const PiiSpan& b) {
  return a.type == b.type && a.begin < b.end && b.begin < a.end;
}
}  // namespace

EvaluationReport evaluate(const Scrubber& scrubber, const std::vector<LabelledText>& set) {
  EvaluationReport r;
  for (const LabelledText& item : set) {
    std::vector<PiiSpan> predicted = scrubber.detect(item.text);
    auto quote = [&](const PiiSpan& s) {
      return "'" + item.text.substr(s.begin, s.end - s.begin) + "'";
    };
    for (const PiiSpan& g : item.spans) {
      TypeCounts& c = r.per_type[static_cast<size_t>(g.type)];
      ++c.gold;
      bool hit = false;
      for (const PiiSpan& p : predicted) hit = hit || overlaps(g, p);
      if (hit) {
        ++c.gold_recalled;
      } else {
        r.mistakes.push_back(item.id + ": missed " + std::string(pii_type_label(g.type)) + " " +
                             quote(g) + " in: " + item.text);
      }
    }
    for (const PiiSpan& p : predicted) {
      TypeCounts& c = r.per_type[static_cast<size_t>(p.type)];
      ++c.predicted;
      bool hit = false;
      for (const PiiSpan& g : item.spans) hit = hit || overlaps(g, p);
      if (hit) {
        ++c.predicted_correct;
      } else {
        r.mistakes.push_back(item.id + ": false " + std::string(pii_type_label(p.type)) + " " +
                             quote(p) + " in: " + item.text);
      }
    }
  }
  return r;
}

std::string EvaluationReport::table() const {
  std::string out = "type      gold  pred  precision  recall\n";
  char line[96];
  for (size_t i = 0; i < kPiiTypeCount; ++i) {
    const TypeCounts& c = per_type[i];
    std::snprintf(line, sizeof line, "%-8s %5zu %5zu     %6.3f  %6.3f\n",
                  std::string(pii_type_label(static_cast<PiiType>(i))).c_str(), c.gold, c.predicted,
                  c.precision(), c.recall());
    out += line;
  }
  return out;
}

}  // namespace datadao::privacy
