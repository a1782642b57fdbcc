// Private to ingest: splits a top-level JSON array (optionally behind a JavaScript assignment
// prefix such as "window.YTD.tweets.part0 = ") into its elements without holding the whole file,
// so each element is parsed on its own and bounded by max_record_bytes. Not thread-safe.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "datadao/common/result.hpp"
#include "datadao/ingest/zip_reader.hpp"

namespace datadao::ingest::internal {

class JsonArrayStream {
 public:
  // `allow_js_prefix`: text before the '[' must be "window.YTD.<name>.part<N> =" (X archives);
  // otherwise only whitespace (and a UTF-8 BOM) may precede it.
  JsonArrayStream(ByteSource& source, std::string file_name, uint64_t max_record_bytes,
                  bool allow_js_prefix);
  // Parses the next element into *out; false after the closing ']'.
  Result<bool> next(nlohmann::json* out);
  // 1-based line on which the last returned element starts; index is 0-based.
  uint64_t line() const { return item_line_; }
  uint64_t index() const { return index_ - 1; }
  const std::string& file_name() const { return file_name_; }
  // "data/tweets.js line 12 (item 3)"
  std::string where() const;

 private:
  Result<bool> fill();  // true if the buffer has a byte at pos_ (reads more when empty)
  Result<int> get();
  Result<int> skip_ws();
  Status open();
  Error error(const std::string& what) const;
  ByteSource& source_;
  std::string file_name_;
  uint64_t max_record_bytes_;
  bool allow_js_prefix_;
  std::string buf_;
  size_t pos_ = 0, len_ = 0;
  bool eof_ = false, opened_ = false, closed_ = false;
  uint64_t line_ = 1, item_line_ = 0, index_ = 0;
  std::string item_;
};

// Checks that a JavaScript prefix reads "window.YTD.<name>.part<N> =".
bool is_ytd_prefix(std::string_view prefix);

}  // namespace datadao::ingest::internal
