#include "datadao/ingest/csv_reader.hpp"

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
  if (pos_ == len_) {
    if (eof_) return -1;
    DD_ASSIGN(size_t n, source_.read(buf_.data(), buf_.size()));
    if (n == 0) {
      eof_ = true;
      return -1;
    }
    pos_ = 0;
    len_ = n;
  }
  return static_cast<unsigned char>(buf_[pos_++]);
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
  DD_ASSIGN(int c, get());
  if (c < 0) return false;
  record_line_ = line_;
  fields->clear();
  fields->emplace_back();
  uint64_t record_bytes = 0;
  auto count = [&]() -> Status {
    if (++record_bytes > max_record_bytes_) {
      return make_error(ErrorCode::kLimitExceeded,
                        file_name_ + " line " + std::to_string(record_line_) +
                            ": record longer than " + std::to_string(max_record_bytes_) +
                            " bytes (max_record_bytes)");
    }
    return Status::Ok();
  };
  bool at_field_start = true;
  for (;;) {
    if (c < 0) return true;  // last record without a final line break
    if (at_field_start && c == '"') {
      // Quoted field.
      for (;;) {
        DD_ASSIGN(c, get());
        if (c < 0) return error_at(record_line_, "unterminated quoted field");
        DD_TRY(count());
        if (c == '"') {
          DD_ASSIGN(c, get());
          if (c == '"') {
            fields->back().push_back('"');
            continue;
          }
          break;  // closing quote; c is the byte after it
        }
        if (c == '\n') ++line_;
        fields->back().push_back(static_cast<char>(c));
      }
      if (c == '\r') {
        DD_ASSIGN(c, get());
        if (c != '\n' && c >= 0) {
          return error_at(record_line_, "bare carriage return after a quoted field");
        }
      }
      if (c < 0) return true;
      if (c == '\n') {
        ++line_;
        return true;
      }
      if (c != ',') return error_at(record_line_, "unexpected character after a closing quote");
      fields->emplace_back();
      DD_TRY(count());
      DD_ASSIGN(c, get());
      at_field_start = true;
      continue;
    }
    at_field_start = false;
    if (c == ',') {
      fields->emplace_back();
      at_field_start = true;
    } else if (c == '\n') {
      ++line_;
      return true;
    } else if (c == '\r') {
      DD_ASSIGN(int d, get());
      if (d == '\n') {
        ++line_;
        return true;
      }
      // A lone CR inside an unquoted field is kept as data.
      fields->back().push_back('\r');
      c = d;
      DD_TRY(count());
      continue;
    } else {
      fields->back().push_back(static_cast<char>(c));
    }
    DD_TRY(count());
    DD_ASSIGN(c, get());
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
    index_.emplace(header_[i], i);  // first occurrence wins
  }
  for (const auto& col : required) {
    if (!index_.count(col)) {
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

bool CsvTable::has_column(std::string_view column) const {
  return index_.count(std::string(column)) != 0;
}

std::string_view CsvTable::get(std::string_view column) const {
  auto it = index_.find(std::string(column));
  if (it == index_.end() || it->second >= row_.size()) return {};
  return row_[it->second];
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
