#include "datadao/ingest/csv_reader.hpp"

#include <algorithm>
#include <cstring>

#include "datadao/codec/codec.hpp"

namespace datadao::ingest {
namespace {
constexpr size_t kReadBuffer = 64 * 1024;
}

CsvReader::CsvReader(ByteSource& source, std::string file_name, uint64_t max_record_bytes)
    : source_(source), file_name_(std::move(file_name)), max_record_bytes_(max_record_bytes) {
  buf_.resize(kReadBuffer);
}

Error CsvReader::error_at(uint64_t line, const std::string& what) const {
  return make_error(ErrorCode::kInvalidArgument,
                    file_name_ + " line " + std::to_string(line) + ": " + what);
}

Result<int> CsvReader::get() {
  DD_ASSIGN(bool have, fill());
  if (!have) return -1;
  return static_cast<unsigned char>(buf_[pos_++]);
}

Result<bool> CsvReader::fill() {
  if (pos_ < len_) return true;
  if (eof_) return false;
  DD_ASSIGN(size_t n, source_.read(buf_.data(), buf_.size()));
  if (n == 0) {
    eof_ = true;
    return false;
  }
  pos_ = 0;
  len_ = n;
  return true;
}

Result<bool> CsvReader::next(std::vector<std::string>* fields) {
  if (!started_) {
    started_ = true;
    // Skip a UTF-8 BOM.
    DD_ASSIGN(int c0, get());
    if (c0 == 0xEF) {
      DD_ASSIGN(int c1, get());
      DD_ASSIGN(int c2, get());
      if (c1 != 0xBB || c2 != 0xBF) return error_at(1, "invalid byte-order mark");
    } else if (c0 >= 0) {
      --pos_;
    }
  }
  DD_ASSIGN(bool have, fill());
  if (!have) return false;
  record_line_ = line_;
  fields->clear();
  fields->emplace_back();
  uint64_t record_bytes = 0;
  auto add = [&](size_t n) -> Status {
    record_bytes += n;
    if (record_bytes > max_record_bytes_) {
      return make_error(ErrorCode::kLimitExceeded,
                        file_name_ + " line " + std::to_string(record_line_) +
                            ": record longer than " + std::to_string(max_record_bytes_) +
                            " bytes (max_record_bytes)");
    }
    return Status::Ok();
  };
  bool field_start = true;
  // Scans whole runs of ordinary bytes inside the read buffer; only delimiters and quotes are
  // handled one at a time.
  for (;;) {
    DD_ASSIGN(have, fill());
    if (!have) return true;  // last record without a final line break
    if (field_start && buf_[pos_] == '"') {
      ++pos_;
      DD_TRY(add(1));
      for (;;) {
        DD_ASSIGN(have, fill());
        if (!have) return error_at(record_line_, "unterminated quoted field");
        const char* start = buf_.data() + pos_;
        size_t avail = len_ - pos_;
        const char* quote = static_cast<const char*>(std::memchr(start, '"', avail));
        size_t run = quote != nullptr ? static_cast<size_t>(quote - start) : avail;
        DD_TRY(add(run));
        line_ += static_cast<uint64_t>(std::count(start, start + run, '\n'));
        fields->back().append(start, run);
        pos_ += run;
        if (quote == nullptr) continue;
        ++pos_;  // the quote
        DD_TRY(add(1));
        DD_ASSIGN(have, fill());
        if (have && buf_[pos_] == '"') {  // doubled quote: a literal one
          fields->back().push_back('"');
          ++pos_;
          DD_TRY(add(1));
          continue;
        }
        break;
      }
      DD_ASSIGN(have, fill());
      if (!have) return true;
      char c = buf_[pos_++];
      DD_TRY(add(1));
      if (c == ',') {
        fields->emplace_back();
        continue;  // field_start stays true
      }
      if (c == '\n') {
        ++line_;
        return true;
      }
      if (c == '\r') {
        DD_ASSIGN(have, fill());
        if (!have) return true;
        if (buf_[pos_] == '\n') {
          ++pos_;
          ++line_;
          return true;
        }
        return error_at(record_line_, "bare carriage return after a quoted field");
      }
      return error_at(record_line_, "unexpected character after a closing quote");
    }
    field_start = false;
    const char* start = buf_.data() + pos_;
    size_t avail = len_ - pos_;
    size_t run = 0;
    while (run < avail && start[run] != ',' && start[run] != '\n' && start[run] != '\r') ++run;
    DD_TRY(add(run));
    fields->back().append(start, run);
    pos_ += run;
    if (run == avail) continue;  // refill and keep scanning this field
    char c = buf_[pos_++];
    DD_TRY(add(1));
    if (c == ',') {
      fields->emplace_back();
      field_start = true;
    } else if (c == '\n') {
      ++line_;
      return true;
    } else {  // '\r'
      DD_ASSIGN(have, fill());
      if (!have) return true;
      if (buf_[pos_] == '\n') {
        ++pos_;
        ++line_;
        return true;
      }
      fields->back().push_back('\r');  // a lone CR inside an unquoted field is data
    }
  }
}

CsvTable::CsvTable(ByteSource& source, std::string file_name, uint64_t max_record_bytes)
    : reader_(source, std::move(file_name), max_record_bytes) {}

Status CsvTable::read_header(const std::vector<std::string>& required) {
  DD_ASSIGN(bool got, reader_.next(&header_));
  if (!got) {
    return make_error(ErrorCode::kInvalidArgument, file_name() + ": empty file, no header row");
  }
  for (size_t i = 0; i < header_.size(); ++i) {
    if (!codec::is_valid_utf8(header_[i])) {
      return make_error(ErrorCode::kInvalidArgument,
                        file_name() + " line 1: header: invalid UTF-8");
    }
  }
  for (const auto& col : required) {
    if (!column_index(col)) {
      return make_error(ErrorCode::kInvalidArgument,
                        file_name() + " line 1: missing required column '" + col + "'");
    }
  }
  return Status::Ok();
}

Result<bool> CsvTable::next() {
  DD_ASSIGN(bool got, reader_.next(&row_));
  if (!got) return false;
  if (row_.size() != header_.size()) {
    return make_error(ErrorCode::kInvalidArgument, file_name() + " line " + std::to_string(line()) +
                                                       ": " + std::to_string(row_.size()) +
                                                       " fields, the header has " +
                                                       std::to_string(header_.size()));
  }
  for (size_t i = 0; i < row_.size(); ++i) {
    if (!codec::is_valid_utf8(row_[i])) {
      return make_error(ErrorCode::kInvalidArgument, file_name() + " line " +
                                                         std::to_string(line()) + ": column '" +
                                                         header_[i] + "': invalid UTF-8");
    }
  }
  return true;
}

// Exports have a handful of columns: a linear scan beats hashing a temporary string per lookup.
std::optional<size_t> CsvTable::column_index(std::string_view column) const {
  for (size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == column) return i;
  }
  return std::nullopt;
}

bool CsvTable::has_column(std::string_view column) const {
  return column_index(column).has_value();
}

std::string_view CsvTable::get(std::string_view column) const {
  std::optional<size_t> i = column_index(column);
  if (!i || *i >= row_.size()) return {};
  return row_[*i];
}

Result<std::string_view> CsvTable::get_required(std::string_view column) const {
  std::string_view v = get(column);
  if (v.empty()) {
    return make_error(ErrorCode::kInvalidArgument, file_name() + " line " + std::to_string(line()) +
                                                       ": column '" + std::string(column) +
                                                       "': empty");
  }
  return v;
}

}  // namespace datadao::ingest
