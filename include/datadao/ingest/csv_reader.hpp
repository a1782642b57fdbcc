// Streaming RFC 4180 CSV reader for untrusted exports.
//
// Accepts: quoted fields with embedded commas, doubled quotes ("") and line breaks; CRLF or LF
// record ends; a UTF-8 byte-order mark at the start; a missing final line break. Rejects, with an
// error naming the file and the line where the record starts: text after a closing quote, an
// unterminated quoted field, a record longer than `max_record_bytes` (kLimitExceeded), a row whose
// field count differs from the header's, and (CsvTable) fields that are not valid UTF-8:
//   "comments.csv line 812: column 'body': invalid UTF-8".
// Memory use is bounded by max_record_bytes plus a fixed read buffer.
//
// Thread-safety: not thread-safe; one reader per thread. The ByteSource must outlive the reader.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "datadao/common/result.hpp"
#include "datadao/ingest/zip_reader.hpp"

namespace datadao::ingest {

class CsvReader {
 public:
  CsvReader(ByteSource& source, std::string file_name, uint64_t max_record_bytes);
  // Reads the next record into *fields. Returns false at end of input (fields untouched).
  // A blank line is a record with one empty field.
  Result<bool> next(std::vector<std::string>* fields);
  // 1-based physical line on which the last returned record started.
  uint64_t record_line() const { return record_line_; }
  const std::string& file_name() const { return file_name_; }

 private:
  Result<int> get();    // next byte or -1 at end
  Result<bool> fill();  // true if the buffer has a byte at pos_
  Error error_at(uint64_t line, const std::string& what) const;
  ByteSource& source_;
  std::string file_name_;
  uint64_t max_record_bytes_;
  std::string buf_;
  size_t pos_ = 0;
  size_t len_ = 0;
  bool eof_ = false;
  bool started_ = false;
  uint64_t line_ = 1;
  uint64_t record_line_ = 0;
};

// A CSV file with a header row: columns are looked up by name, unknown extra columns are ignored,
// and every field of every row is checked to be valid UTF-8.
class CsvTable {
 public:
  CsvTable(ByteSource& source, std::string file_name, uint64_t max_record_bytes);
  // Reads the header; each name in `required` must be present (error names file and column).
  Status read_header(const std::vector<std::string>& required);
  // Advances to the next row; false at end.
  Result<bool> next();
  bool has_column(std::string_view column) const;
  // The current row's value of `column`, or "" if the file has no such column.
  std::string_view get(std::string_view column) const;
  // Like get(), but an empty value is an error naming file, line and column.
  Result<std::string_view> get_required(std::string_view column) const;
  uint64_t line() const { return reader_.record_line(); }
  const std::string& file_name() const { return reader_.file_name(); }
  const std::vector<std::string>& header() const { return header_; }

 private:
  std::optional<size_t> column_index(std::string_view column) const;  // first match
  CsvReader reader_;
  std::vector<std::string> header_;
  std::vector<std::string> row_;
};

}  // namespace datadao::ingest
