#include "json_stream.hpp"

#include <cctype>

namespace datadao::ingest::internal {

bool is_ytd_prefix(std::string_view p) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
  };
  p = trim(p);
  if (p.empty() || p.back() != '=') return false;
  p = trim(p.substr(0, p.size() - 1));
  constexpr std::string_view kHead = "window.YTD.";
  if (p.substr(0, kHead.size()) != kHead) return false;
  p.remove_prefix(kHead.size());
  size_t dot = p.find('.');
  if (dot == 0 || dot == std::string_view::npos) return false;
  for (char c : p.substr(0, dot)) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  }
  std::string_view part = p.substr(dot + 1);
  if (part.substr(0, 4) != "part" || part.size() == 4) return false;
  for (char c : part.substr(4)) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

JsonArrayStream::JsonArrayStream(ByteSource& source, std::string file_name,
                                 uint64_t max_record_bytes, bool allow_js_prefix)
    : source_(source),
      file_name_(std::move(file_name)),
      max_record_bytes_(max_record_bytes),
      allow_js_prefix_(allow_js_prefix) {
  buf_.resize(64 * 1024);
}

std::string JsonArrayStream::where() const {
  return file_name_ + " line " + std::to_string(item_line_) + " (item " +
         std::to_string(index_ == 0 ? 0 : index_ - 1) + ")";
}

Error JsonArrayStream::error(const std::string& what) const {
  return make_error(ErrorCode::kInvalidArgument,
                    file_name_ + " line " + std::to_string(line_) + ": " + what);
}

Result<bool> JsonArrayStream::fill() {
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

Result<int> JsonArrayStream::get() {
  DD_ASSIGN(bool have, fill());
  if (!have) return -1;
  int c = static_cast<unsigned char>(buf_[pos_++]);
  if (c == '\n') ++line_;
  return c;
}

Result<int> JsonArrayStream::skip_ws() {
  for (;;) {
    DD_ASSIGN(int c, get());
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return c;
  }
}

Status JsonArrayStream::open() {
  opened_ = true;
  std::string prefix;
  for (;;) {
    DD_ASSIGN(int c, get());
    if (c < 0) return error("no JSON array found");
    if (c == '[') break;
    prefix.push_back(static_cast<char>(c));
    if (prefix.size() > 256) return error("unexpected text before the JSON array");
  }
  if (prefix.size() >= 3 && prefix.compare(0, 3, "\xEF\xBB\xBF") == 0) prefix.erase(0, 3);
  bool blank = prefix.find_first_not_of(" \t\r\n") == std::string::npos;
  if (!blank && !(allow_js_prefix_ && is_ytd_prefix(prefix))) {
    return error("unexpected text before the JSON array: '" + prefix.substr(0, 64) + "'");
  }
  return Status::Ok();
}

Result<bool> JsonArrayStream::next(nlohmann::json* out) {
  if (!opened_) DD_TRY(open());
  if (closed_) return false;
  DD_ASSIGN(int c, skip_ws());
  if (index_ > 0) {
    if (c == ']') {
      closed_ = true;
    } else if (c != ',') {
      return error("expected ',' or ']' after item " + std::to_string(index_ - 1));
    } else {
      DD_ASSIGN(c, skip_ws());
    }
  } else if (c == ']') {
    closed_ = true;
  }
  if (closed_) {
    // Only whitespace or a trailing ';' may follow (X files end with "]" and a newline).
    for (;;) {
      DD_ASSIGN(int t, get());
      if (t < 0) return false;
      if (t != ' ' && t != '\t' && t != '\n' && t != '\r' && t != ';') {
        return error("unexpected text after the JSON array");
      }
    }
  }
  if (c < 0) return error("truncated: the JSON array is not closed");
  item_line_ = line_;
  item_.clear();
  // Copy one complete value: track nesting and strings.
  int depth = 0;
  bool in_string = false, escape = false;
  for (;;) {
    item_.push_back(static_cast<char>(c));
    if (item_.size() > max_record_bytes_) {
      return make_error(ErrorCode::kLimitExceeded,
                        file_name_ + " line " + std::to_string(item_line_) + ": item " +
                            std::to_string(index_) + " longer than " +
                            std::to_string(max_record_bytes_) + " bytes (max_record_bytes)");
    }
    if (in_string) {
      if (escape) {
        escape = false;
      } else if (c == '\\') {
        escape = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      --depth;
    }
    bool scalar_end = false;
    if (depth == 0 && !in_string) {
      if (c == '}' || c == ']' || (c == '"' && item_.size() > 1)) break;
      // Scalars (numbers, literals) end at the next ',' / ']' / whitespace: peek.
      DD_ASSIGN(bool have, fill());
      if (have) {
        char p = buf_[pos_];
        scalar_end = (p == ',' || p == ']' || p == ' ' || p == '\n' || p == '\r' || p == '\t');
      }
      if (scalar_end) break;
    }
    DD_ASSIGN(c, get());
    if (c < 0) return error("truncated inside item " + std::to_string(index_));
  }
  ++index_;
  try {
    *out = nlohmann::json::parse(item_);
  } catch (const nlohmann::json::parse_error& e) {
    std::string why = e.what();
    bool utf8 = why.find("UTF-8") != std::string::npos || why.find("utf-8") != std::string::npos;
    return make_error(ErrorCode::kInvalidArgument,
                      where() + (utf8 ? ": invalid UTF-8" : ": malformed JSON: " + why));
  }
  return true;
}

}  // namespace datadao::ingest::internal
