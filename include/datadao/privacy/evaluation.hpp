// Evaluation of the PII detector against a labelled set.
//
// Labelled text marks PII inline: "Contact me at {{EMAIL:jane.doe@example.org}} tomorrow".
// Labels are those of pii_type_label(). A labelled set is a TSV file: one "<id>\t<marked text>"
// per line; blank lines and lines starting with '#' are ignored.
//
// Matching rule: a predicted span is a true positive if it overlaps (shares at least one byte
// with) a gold span of the same type; a gold span is recalled if some predicted span of the same
// type overlaps it. Precision = matched predictions / predictions, recall = recalled gold spans
// / gold spans, per type. All functions are pure and thread-safe.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "datadao/common/result.hpp"
#include "datadao/privacy/scrubber.hpp"

namespace datadao::privacy {

struct LabelledText {
  std::string id;
  std::string text;            // with the markers removed
  std::vector<PiiSpan> spans;  // gold spans, byte offsets into `text`
};

// Parses one marked text. Fails (naming `what`) on an unknown label or an unclosed marker.
Result<LabelledText> parse_labelled(std::string_view marked, std::string_view what);
// Parses a whole TSV set; errors name the line ("pii_eval.tsv line 12: unknown label 'MAIL'").
Result<std::vector<LabelledText>> parse_labelled_set(std::string_view tsv, std::string_view what);

struct TypeCounts {
  size_t gold = 0;               // gold spans
  size_t predicted = 0;          // predicted spans
  size_t gold_recalled = 0;      // gold spans overlapped by a same-type prediction
  size_t predicted_correct = 0;  // predictions overlapping a same-type gold span
  double precision() const;      // 1.0 when nothing was predicted
  double recall() const;         // 1.0 when there is no gold span
};

struct EvaluationReport {
  std::array<TypeCounts, kPiiTypeCount> per_type{};
  // Per-item misses and false alarms, "id: missed PHONE '555 1234' in: <text>" (for tuning;
  // contains evaluation text, so never log it in production).
  std::vector<std::string> mistakes;
  const TypeCounts& of(PiiType t) const { return per_type[static_cast<size_t>(t)]; }
  // A fixed-width table: type, gold, predicted, precision, recall.
  std::string table() const;
};

EvaluationReport evaluate(const Scrubber& scrubber, const std::vector<LabelledText>& set);

}  // namespace datadao::privacy
