// read_points_csv: "f1,...,fd,label" rows from an untrusted file, with hard limits.
#include <charconv>
#include <cmath>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>

#include "datadao/attribution/knn_shapley.hpp"

namespace datadao::attribution {
namespace {

constexpr size_t kMaxQuoted = 40;  // characters of an offending field echoed in an error

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

std::string quoted(std::string_view field) {
  std::string out = "'";
  out += field.substr(0, kMaxQuoted);
  if (field.size() > kMaxQuoted) out += "...";
  return out + "'";
}

}  // namespace

Result<LabeledPoints> read_points_csv(const std::filesystem::path& path) {
  const std::string name = path.string();
  auto fail = [&](ErrorCode code, size_t line, const std::string& what) {
    return make_error(code, name + ": line " + std::to_string(line) + ": " + what);
  };
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(path, ec);
  if (ec) return make_error(ErrorCode::kIoError, name + ": " + ec.message());
  if (bytes > kMaxCsvBytes) {
    return make_error(ErrorCode::kLimitExceeded, name + ": " + std::to_string(bytes) +
                                                     " bytes, more than the limit of " +
                                                     std::to_string(kMaxCsvBytes));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorCode::kIoError, name + ": cannot open");
  std::string text(bytes, '\0');
  in.read(text.data(), static_cast<std::streamsize>(bytes));
  if (static_cast<uint64_t>(in.gcount()) != bytes) {
    return make_error(ErrorCode::kIoError, name + ": short read");
  }

  LabeledPoints points;
  size_t columns = 0, first_line = 0, line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    const std::string_view line = trim(std::string_view(text).substr(pos, end - pos));
    pos = end + 1;
    ++line_no;
    if (line.empty()) continue;
    if (points.size() >= kMaxCsvRows) {
      return fail(ErrorCode::kLimitExceeded, line_no,
                  "more than " + std::to_string(kMaxCsvRows) + " rows");
    }
    // Count the columns first so that ragged and oversized rows are refused before parsing.
    size_t n = 1;
    for (char c : line) n += c == ',';
    if (n > kMaxCsvColumns) {
      return fail(
          ErrorCode::kLimitExceeded, line_no,
          std::to_string(n) + " columns, more than the limit of " + std::to_string(kMaxCsvColumns));
    }
    if (n < 2)
      return fail(ErrorCode::kInvalidArgument, line_no, "1 column: need features and a label");
    if (columns == 0) {
      columns = n;
      first_line = line_no;
      points.dim = n - 1;
    } else if (n != columns) {
      return fail(ErrorCode::kInvalidArgument, line_no,
                  std::to_string(n) + " columns, but line " + std::to_string(first_line) + " has " +
                      std::to_string(columns));
    }
    size_t col = 0, start = 0;
    while (true) {
      const size_t comma = line.find(',', start);
      const std::string_view field =
          trim(line.substr(start, comma == std::string_view::npos ? line.npos : comma - start));
      const char* b = field.data();
      const char* e = field.data() + field.size();
      // from_chars takes no leading '+'; a CSV writer may emit one.
      if (field.size() > 1 && *b == '+' && b[1] != '-' && b[1] != '+') ++b;
      if (col + 1 < columns) {
        double x = 0;
        auto [p, err] = std::from_chars(b, e, x);
        if (err == std::errc::result_out_of_range) {
          return fail(
              ErrorCode::kInvalidArgument, line_no,
              "feature " + std::to_string(col + 1) + " " + quoted(field) + " is out of range");
        }
        if (field.empty() || err != std::errc() || p != e) {
          return fail(
              ErrorCode::kInvalidArgument, line_no,
              "feature " + std::to_string(col + 1) + " " + quoted(field) + " is not a number");
        }
        if (!std::isfinite(x)) {
          return fail(
              ErrorCode::kInvalidArgument, line_no,
              "feature " + std::to_string(col + 1) + " " + quoted(field) + " is not finite");
        }
        points.features.push_back(x);
      } else {
        int64_t label = 0;
        auto [p, err] = std::from_chars(b, e, label);
        if (field.empty() || err != std::errc() || p != e) {
          return fail(ErrorCode::kInvalidArgument, line_no,
                      "label " + quoted(field) + " is not an integer");
        }
        points.labels.push_back(label);
      }
      ++col;
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
  }
  if (points.size() == 0) return make_error(ErrorCode::kInvalidArgument, name + ": no rows");
  return points;
}

}  // namespace datadao::attribution
