#include "datadao/ingest/zip_reader.hpp"

#include <zip.h>

#include <algorithm>
#include <cstring>

namespace datadao::ingest {
namespace {

std::string zip_error_text(int code) {
  zip_error_t err;
  zip_error_init_with_code(&err, code);
  std::string text = zip_error_strerror(&err);
  zip_error_fini(&err);
  return text;
}

Error limit_error(const std::string& archive, std::string_view entry, const std::string& what,
                  std::string_view limit) {
  return make_error(ErrorCode::kLimitExceeded, archive + ": entry '" + std::string(entry) +
                                                   "': " + what + " (" + std::string(limit) + ")");
}

}  // namespace

Result<size_t> StringSource::read(char* out, size_t n) {
  size_t k = std::min(n, data_.size() - pos_);
  std::memcpy(out, data_.data() + pos_, k);
  pos_ += k;
  return k;
}

Status check_entry_name(std::string_view name) {
  auto bad = [&](const char* why) {
    return make_error(ErrorCode::kInvalidArgument,
                      "entry '" + std::string(name) + "': unsafe path: " + why);
  };
  if (name.empty()) return bad("empty name");
  if (name.find('\0') != std::string_view::npos) return bad("NUL in name");
  if (name.find('\\') != std::string_view::npos) return bad("backslash in name");
  if (name.front() == '/') return bad("absolute path");
  if (name.size() >= 2 && name[1] == ':') return bad("drive letter");
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('/', start);
    if (end == std::string_view::npos) end = name.size();
    if (name.substr(start, end - start) == "..") return bad("'..' component");
    start = end + 1;
  }
  return Status::Ok();
}

ZipReader::ZipReader(zip* archive, std::string name, const Limits& limits,
                     std::unique_ptr<std::string> buffer)
    : archive_(archive), name_(std::move(name)), limits_(limits), buffer_(std::move(buffer)) {}

ZipReader::~ZipReader() {
  if (archive_ != nullptr) zip_discard(archive_);  // read-only: never writes anything back
}

Result<std::unique_ptr<ZipReader>> ZipReader::open(const std::filesystem::path& path,
                                                   const Limits& limits, std::string display_name) {
  if (display_name.empty()) display_name = path.filename().string();
  int code = 0;
  zip* archive = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &code);
  if (archive == nullptr) {
    ErrorCode ec = (code == ZIP_ER_NOENT || code == ZIP_ER_OPEN || code == ZIP_ER_READ)
                       ? ErrorCode::kIoError
                       : ErrorCode::kCorruption;
    if (code == ZIP_ER_NOENT) ec = ErrorCode::kNotFound;
    return make_error(ec, display_name + ": not a readable zip archive: " + zip_error_text(code));
  }
  std::unique_ptr<ZipReader> reader(new ZipReader(archive, display_name, limits, nullptr));
  DD_TRY(reader->load_entries());
  return reader;
}

Result<std::unique_ptr<ZipReader>> ZipReader::open_buffer(std::string_view bytes,
                                                          std::string display_name,
                                                          const Limits& limits) {
  auto buffer = std::make_unique<std::string>(bytes);
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(buffer->data(), buffer->size(), 0, &err);
  if (src == nullptr) {
    std::string text = zip_error_strerror(&err);
    zip_error_fini(&err);
    return make_error(ErrorCode::kInternal, display_name + ": " + text);
  }
  zip* archive = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
  if (archive == nullptr) {
    std::string text = zip_error_strerror(&err);
    zip_error_fini(&err);
    zip_source_free(src);
    return make_error(ErrorCode::kCorruption,
                      display_name + ": not a readable zip archive: " + text);
  }
  zip_error_fini(&err);
  std::unique_ptr<ZipReader> reader(
      new ZipReader(archive, std::move(display_name), limits, std::move(buffer)));
  DD_TRY(reader->load_entries());
  return reader;
}

Status ZipReader::load_entries() {
  zip_int64_t n = zip_get_num_entries(archive_, 0);
  if (n < 0) return make_error(ErrorCode::kCorruption, name_ + ": cannot count entries");
  if (static_cast<uint64_t>(n) > limits_.max_entries) {
    return make_error(ErrorCode::kLimitExceeded,
                      name_ + ": " + std::to_string(n) + " entries, more than " +
                          std::to_string(limits_.max_entries) + " (max_entries)");
  }
  uint64_t claimed_total = 0;
  entries_.reserve(static_cast<size_t>(n));
  for (zip_int64_t i = 0; i < n; ++i) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(archive_, static_cast<zip_uint64_t>(i), ZIP_FL_ENC_RAW, &st) != 0 ||
        (st.valid & ZIP_STAT_NAME) == 0) {
      return make_error(ErrorCode::kCorruption,
                        name_ + ": entry #" + std::to_string(i) + ": unreadable header");
    }
    ZipEntry e;
    e.index = static_cast<uint64_t>(i);
    e.name = st.name;
    if (Status s = check_entry_name(e.name); !s.ok()) return s.error().with_context(name_);
    e.size = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
    e.compressed_size = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
    e.is_directory = !e.name.empty() && e.name.back() == '/';
    if (e.size > limits_.max_entry_bytes) {
      return limit_error(name_, e.name,
                         "claims " + std::to_string(e.size) + " bytes, more than " +
                             std::to_string(limits_.max_entry_bytes),
                         "max_entry_bytes");
    }
    if (e.size > limits_.ratio_grace_bytes &&
        e.size > std::max<uint64_t>(e.compressed_size, 1) * limits_.max_compression_ratio) {
      return limit_error(name_, e.name,
                         "claims a compression ratio above " +
                             std::to_string(limits_.max_compression_ratio) + ":1",
                         "max_compression_ratio");
    }
    claimed_total += e.size;
    if (claimed_total > limits_.max_total_bytes) {
      return limit_error(name_, e.name,
                         "archive claims more than " + std::to_string(limits_.max_total_bytes) +
                             " decompressed bytes in total",
                         "max_total_bytes");
    }
    entries_.push_back(std::move(e));
  }
  return Status::Ok();
}

const ZipEntry* ZipReader::find(std::string_view entry_name) const {
  for (const auto& e : entries_) {
    if (e.name == entry_name) return &e;
  }
  return nullptr;
}

Result<std::unique_ptr<EntryStream>> ZipReader::open_entry(const ZipEntry& entry) {
  zip_file* f = zip_fopen_index(archive_, entry.index, 0);
  if (f == nullptr) {
    return make_error(ErrorCode::kCorruption, name_ + ": entry '" + entry.name +
                                                  "': cannot open: " + zip_strerror(archive_));
  }
  return std::unique_ptr<EntryStream>(new EntryStream(this, entry, f));
}

Result<std::string> ZipReader::read_all(const ZipEntry& entry, uint64_t max_bytes) {
  if (entry.size > max_bytes) {
    return limit_error(name_, entry.name,
                       "is " + std::to_string(entry.size) + " bytes, more than " +
                           std::to_string(max_bytes) + " allowed for a whole document",
                       "max_json_document_bytes");
  }
  DD_ASSIGN(auto stream, open_entry(entry));
  std::string out;
  out.reserve(static_cast<size_t>(entry.size));
  char buf[64 * 1024];
  for (;;) {
    DD_ASSIGN(size_t n, stream->read(buf, sizeof buf));
    if (n == 0) break;
    if (out.size() + n > max_bytes) {
      return limit_error(name_, entry.name,
                         "decompresses to more than " + std::to_string(max_bytes) +
                             " bytes allowed for a whole document",
                         "max_json_document_bytes");
    }
    out.append(buf, n);
  }
  return out;
}

EntryStream::EntryStream(ZipReader* owner, const ZipEntry& entry, zip_file* file)
    : owner_(owner), entry_(entry), file_(file), name_(entry.name) {}

EntryStream::~EntryStream() {
  if (file_ != nullptr) zip_fclose(file_);
}

Result<size_t> EntryStream::read(char* out, size_t n) {
  if (done_ || n == 0) return size_t{0};
  const Limits& lim = owner_->limits_;
  const std::string& archive = owner_->name_;
  zip_int64_t got = zip_fread(file_, out, n);
  if (got < 0) {
    return make_error(ErrorCode::kCorruption,
                      archive + ": entry '" + entry_.name +
                          "': read failed: " + zip_error_strerror(zip_file_get_error(file_)));
  }
  if (got == 0) {
    done_ = true;
    return size_t{0};
  }
  uint64_t k = static_cast<uint64_t>(got);
  read_ += k;
  owner_->total_read_ += k;
  if (read_ > lim.max_entry_bytes) {
    return limit_error(
        archive, entry_.name,
        "decompresses to more than " + std::to_string(lim.max_entry_bytes) + " bytes",
        "max_entry_bytes");
  }
  if (read_ > lim.ratio_grace_bytes &&
      read_ > std::max<uint64_t>(entry_.compressed_size, 1) * lim.max_compression_ratio) {
    return limit_error(archive, entry_.name,
                       "decompressed more than " + std::to_string(lim.max_compression_ratio) +
                           "x its compressed size",
                       "max_compression_ratio");
  }
  if (owner_->total_read_ > lim.max_total_bytes) {
    return limit_error(archive, entry_.name,
                       "archive decompresses to more than " + std::to_string(lim.max_total_bytes) +
                           " bytes in total",
                       "max_total_bytes");
  }
  return static_cast<size_t>(k);
}

}  // namespace datadao::ingest
