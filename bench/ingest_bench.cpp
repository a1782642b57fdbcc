// ingest_bench: importing (and scrubbing) a Reddit export vs a plain streaming CSV read of it.
//
//   ingest_bench [--mib N] [--zip PATH] [--store] [--reps R]
//
// Input: a synthetic Reddit data export (statistics.csv, posts.csv, comments.csv, messages.csv)
// whose CSV files add up to N MiB decompressed (default 1024). Texts are English-like sentences
// from a fixed vocabulary with sentence capitals, numbers, subreddit and web links, and planted
// PII in about one record in twenty (emails, phones, handles, names, profile URLs, cards, IBANs),
// so the scrubber sees the kind of text it will meet, not only lower-case words. The archive is
// built once per run with libzip (deflate, or stored with --store) and written to a temporary
// file (or PATH with --zip; an existing PATH is reused as is), then every row reads that file.
//
// Rows, one thread, the same archive, MB/s of decompressed CSV bytes:
//   context  decompress only: ZipReader + EntryStream::read into a 64 KiB buffer
//   anchor   plain streaming CSV read: ZipReader + CsvReader::next over every CSV entry (fields
//            split and unquoted, nothing else: no UTF-8 check, no record built)
//   import   import_file(kReddit): records built (UTF-8 checked, fields copied), sink counts
//   import + scrub  the validator's path: import_file, and for every record Scrubber::scrub of
//            its text and Scrubber::pseudonymise of its author (pool key configured)
//   context  scrub alone over the same texts already in memory (MB/s of text bytes)
//   context  pseudonymise alone over the same records' authors in memory (ns per author)
// With --reps R each row is the best of R.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "datadao/crypto/crypto.hpp"
#include "datadao/ingest/csv_reader.hpp"
#include "datadao/testing/fixtures.hpp"
#include "datadao/ingest/importers.hpp"
#include "datadao/privacy/scrubber.hpp"

namespace fs = std::filesystem;
using namespace datadao;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// mt19937_64's output is fixed by the standard, so the same bytes on every run and platform
// (the std distributions are not; reduce with % instead).
class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}
  uint64_t below(uint64_t n) { return engine_() % n; }
  template <class T, size_t N>
  const T& pick(const T (&a)[N]) {
    return a[below(N)];
  }

 private:
  std::mt19937_64 engine_;
};

constexpr const char* kWords[] = {
    "the",     "a",        "to",       "and",        "of",       "it",       "that",     "is",
    "in",      "you",      "for",      "this",       "was",      "but",      "with",     "on",
    "not",     "just",     "have",     "be",         "my",       "so",       "like",     "they",
    "if",      "what",     "at",       "are",        "can",      "about",    "get",      "would",
    "people",  "think",    "one",      "all",        "do",       "or",       "your",     "really",
    "time",    "because",  "know",     "when",       "there",    "more",     "out",      "from",
    "good",    "some",     "an",       "up",         "no",       "how",      "even",     "only",
    "still",   "game",     "work",     "year",       "much",     "pretty",   "actually", "thing",
    "never",   "first",    "going",    "back",       "new",      "same",     "better",   "right",
    "problem", "code",     "compiler", "build",      "library",  "team",     "season",   "recipe",
    "running", "book",     "movie",    "phone",      "city",     "weekend",  "price",    "update",
    "version", "issue",    "post",     "comment",    "thread",   "question", "answer",   "point",
    "though",  "probably", "maybe",    "definitely", "honestly", "anyway",   "since",    "while",
    "don't",   "doesn't",  "can't",    "it's",       "that's",   "you're",   "didn't",   "isn't",
};
// Capitalised words that are not names: where most false candidates for the name rules come from.
constexpr const char* kProper[] = {
    "Google",  "Linux",  "Windows", "Python",  "Rust",    "London",  "Berlin", "Texas",
    "Netflix", "Amazon", "Reddit",  "Monday",  "Friday",  "January", "Steam",  "Nintendo",
    "Costco",  "Toyota", "Chicago", "Europe",  "English", "GPU",     "CPU",    "NBA",
    "Paris",   "Tokyo",  "YouTube", "Android", "iPhone",  "Spotify", "Canada", "Ubuntu",
};
constexpr const char* kSubs[] = {"cpp", "AskReddit", "running", "Cooking", "datascience", "books"};
constexpr const char* kGiven[] = {"Sarah", "Mohammed", "Priya", "James", "Olga", "Kwame", "Mei"};
constexpr const char* kSurname[] = {"Johnson", "Okafor", "Kowalski", "Nguyen", "Silva", "Berg"};

std::string digits(Rng& rng, size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += static_cast<char>('0' + rng.below(10));
  return s;
}

std::string luhn_card(Rng& rng) {
  std::string body = "4" + digits(rng, 14);
  int sum = 0;
  bool twice = true;
  for (size_t i = body.size(); i-- > 0;) {
    int d = body[i] - '0';
    if (twice && (d *= 2) > 9) d -= 9;
    sum += d;
    twice = !twice;
  }
  body += static_cast<char>('0' + (10 - sum % 10) % 10);
  return body.substr(0, 4) + " " + body.substr(4, 4) + " " + body.substr(8, 4) + " " +
         body.substr(12, 4);
}

std::string pii(Rng& rng) {
  std::string given = rng.pick(kGiven), surname = rng.pick(kSurname);
  switch (rng.below(8)) {
    case 0:
      return "email me at " + given + "." + surname + digits(rng, 2) + "@gmail.com";
    case 1: {
      const std::string line = digits(rng, 4);  // drawn first (see ip() in make_export)
      return "call me on (555) " + digits(rng, 3) + "-" + line;
    }
    case 2:
      return "ask u/" + given + "_" + digits(rng, 3) + " about it";
    case 3:
      return "my friend " + given + " " + surname + " said so";
    case 4:
      return "see https://www.reddit.com/user/" + given + digits(rng, 2) + "/";
    case 5:
      return "my card is " + luhn_card(rng);
    case 6:
      return "thanks @" + given + "_" + surname;
    default:
      return "my IBAN is GB82 WEST 1234 5698 7654 32";
  }
}

std::string sentence(Rng& rng) {
  std::string s;
  size_t n = 5 + rng.below(16);
  for (size_t i = 0; i < n; ++i) {
    if (i) s += ' ';
    uint64_t r = rng.below(100);
    std::string w;
    if (r < 6) {
      w = rng.pick(kProper);
    } else if (r < 9) {
      w = std::to_string(rng.below(r < 7 ? 100 : 3000));
    } else if (r < 10) {
      w = rng.below(2) ? "r/" + std::string(rng.pick(kSubs)) : "I";
    } else {
      w = rng.pick(kWords);
    }
    if (i == 0) w[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(w[0])));
    s += w;
    if (i + 1 < n && rng.below(12) == 0) s += ',';
  }
  if (rng.below(30) == 0) s += " https://www.youtube.com/watch?v=" + digits(rng, 11);
  s += ".?!."[rng.below(4)];
  return s;
}

std::string paragraph(Rng& rng, size_t min_sentences, size_t max_sentences) {
  std::string p;
  size_t n = min_sentences + rng.below(max_sentences - min_sentences + 1);
  for (size_t i = 0; i < n; ++i) {
    if (i) p += rng.below(5) == 0 ? "\n\n" : " ";
    p += sentence(rng);
  }
  if (rng.below(20) == 0) p += " " + pii(rng) + ".";
  return p;
}

std::string row(const std::vector<std::string>& fields) {
  std::string r;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) r += ',';
    r += testkit::csv_field(fields[i]);
  }
  return r + "\r\n";
}

std::string base36(Rng& rng, size_t n) {
  static const char* kDigits = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string s;
  for (size_t i = 0; i < n; ++i) s += kDigits[rng.below(36)];
  return s;
}

// posts 30%, comments 50%, messages 20% of `bytes` (decompressed CSV bytes in total).
std::vector<testkit::ZipFileSpec> make_export(uint64_t bytes, bool store) {
  Rng rng(20261125);
  const std::string me = "user_" + base36(rng, 6);
  std::string date = "2023-04-05 06:07:08 UTC";
  auto ip = [&] {
    // One draw per statement, the last octet first: the order g++ drew them in when they were
    // operands of one expression (unsequenced), so the input stays the bytes it has been.
    const uint64_t d = rng.below(256), c = rng.below(256), b = rng.below(256);
    const uint64_t a = 1 + rng.below(223);
    return std::to_string(a) + "." + std::to_string(b) + "." + std::to_string(c) + "." +
           std::to_string(d);
  };
  std::string posts = "id,permalink,date,ip,subreddit,gildings,title,url,body\r\n";
  while (posts.size() < bytes * 3 / 10) {
    std::string id = base36(rng, 6), sub = rng.pick(kSubs);
    std::string link = "https://www.reddit.com/r/" + sub + "/comments/" + id + "/";
    std::string title = sentence(rng);
    posts += row({id, link, date, ip(), sub, "0", title, link, paragraph(rng, 1, 12)});
  }
  std::string comments = "id,permalink,date,ip,subreddit,gildings,link,parent,body,media\r\n";
  while (comments.size() < bytes * 5 / 10) {
    std::string id = base36(rng, 7), sub = rng.pick(kSubs);
    std::string link = "https://www.reddit.com/r/" + sub + "/comments/" + base36(rng, 6) + "/";
    comments += row({id, link + "comment/" + id + "/", date, ip(), sub, "0", link,
                     "t1_" + base36(rng, 7), paragraph(rng, 1, 5), ""});
  }
  std::string messages = "id,permalink,thread_id,date,ip,from,to,subject,body\r\n";
  while (messages.size() < bytes * 2 / 10) {
    std::string id = base36(rng, 6), other = "user_" + base36(rng, 6);
    bool sent = rng.below(2) == 0;
    messages += row({id, "https://www.reddit.com/message/messages/" + id, "", date, ip(),
                     sent ? me : other, sent ? other : me, sentence(rng), paragraph(rng, 1, 4)});
  }
  std::string stats = "statistic,value\r\naccount name," + me + "\r\n";
  return {{"statistics.csv", stats, store},
          {"posts.csv", std::move(posts), store},
          {"comments.csv", std::move(comments), store},
          {"messages.csv", std::move(messages), store}};
}

bool is_csv(const std::string& name) {
  return name.size() > 4 && name.compare(name.size() - 4, 4, ".csv") == 0;
}

int fail(const Error& e) {
  std::fprintf(stderr, "ingest_bench: %s\n", e.to_string().c_str());
  return 1;
}

int usage() {
  std::fprintf(stderr,
               "usage: ingest_bench [--mib N] [--zip PATH] [--store] [--reps R]\n"
               "example: ingest_bench --mib 16\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t mib = 1024;
  int reps = 1;
  bool store = false;
  fs::path zip_path;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--store") {
      store = true;
      continue;
    }
    if (i + 1 >= argc) return usage();
    if (a == "--mib") {
      mib = std::strtoull(argv[++i], nullptr, 10);
    } else if (a == "--zip") {
      zip_path = argv[++i];
    } else if (a == "--reps") {
      reps = std::max(1, std::atoi(argv[++i]));
    } else {
      return usage();
    }
  }
  if (mib == 0 || mib > 3072) return usage();

  bool temporary = zip_path.empty();
  if (temporary) {
    const char* tmp = std::getenv("TMPDIR");
    zip_path =
        fs::path(tmp ? tmp : "/tmp") / ("ingest-bench-" + std::to_string(::getpid()) + ".zip");
  }
  double gen_seconds = 0;
  if (!fs::exists(zip_path)) {
    auto t0 = std::chrono::steady_clock::now();
    auto zip = testkit::make_zip(make_export(mib << 20, store));
    if (!zip.ok()) return fail(zip.error());
    std::ofstream(zip_path, std::ios::binary).write(zip->data(), zip->size());
    gen_seconds = seconds_since(t0);
  }
  struct Cleanup {
    fs::path p;
    bool on;
    ~Cleanup() {
      if (on) fs::remove(p);
    }
  } cleanup{zip_path, temporary};

  ingest::Limits limits;
  double decompress = 1e100, anchor = 1e100, import = 1e100, scrubbed = 1e100, scrub_only = 1e100,
         pseudonymise_only = 1e100;
  uint64_t csv_bytes = 0, records = 0, fields_seen = 0, text_bytes = 0, checksum = 0;
  crypto::SymmetricKey pool_key;
  std::memset(pool_key.data(), 7, pool_key.size());
  privacy::Scrubber scrubber(privacy::ScrubOptions{pool_key, "reddit"});
  std::vector<std::string> texts, authors;

  for (int rep = 0; rep < reps; ++rep) {
    // Context: decompression alone.
    auto t0 = std::chrono::steady_clock::now();
    {
      auto zip = ingest::ZipReader::open(zip_path, limits);
      if (!zip.ok()) return fail(zip.error());
      std::vector<char> buf(64 * 1024);
      for (const auto& e : (*zip)->entries()) {
        if (!is_csv(e.name)) continue;
        auto s = (*zip)->open_entry(e);
        if (!s.ok()) return fail(s.error());
        for (;;) {
          auto n = (*s)->read(buf.data(), buf.size());
          if (!n.ok()) return fail(n.error());
          if (*n == 0) break;
          checksum += static_cast<unsigned char>(buf[0]);
        }
      }
      csv_bytes = (*zip)->total_bytes_read();
    }
    decompress = std::min(decompress, seconds_since(t0));

    // Anchor: the same bytes through the CSV reader, nothing built.
    t0 = std::chrono::steady_clock::now();
    {
      auto zip = ingest::ZipReader::open(zip_path, limits);
      if (!zip.ok()) return fail(zip.error());
      std::vector<std::string> fields;
      fields_seen = 0;
      for (const auto& e : (*zip)->entries()) {
        if (!is_csv(e.name)) continue;
        auto s = (*zip)->open_entry(e);
        if (!s.ok()) return fail(s.error());
        ingest::CsvReader reader(**s, e.name, limits.max_record_bytes);
        for (;;) {
          auto more = reader.next(&fields);
          if (!more.ok()) return fail(more.error());
          if (!*more) break;
          fields_seen += fields.size();
        }
      }
    }
    anchor = std::min(anchor, seconds_since(t0));

    // Import: records built, counted.
    t0 = std::chrono::steady_clock::now();
    ingest::ImportSummary summary;
    Status st = ingest::import_file(
        ingest::Source::kReddit, zip_path, limits,
        [&](const ingest::Record& r) {
          checksum += r.text.size();
          return Status::Ok();
        },
        &summary);
    if (!st.ok()) return fail(st.error());
    import = std::min(import, seconds_since(t0));
    records = summary.records;

    // Import + scrub: the validator's path.
    t0 = std::chrono::steady_clock::now();
    st = ingest::import_file(
        ingest::Source::kReddit, zip_path, limits,
        [&](const ingest::Record& r) {
          checksum += scrubber.scrub(r.text).size();
          checksum += scrubber.pseudonymise("reddit", r.author).size();
          return Status::Ok();
        },
        nullptr);
    if (!st.ok()) return fail(st.error());
    scrubbed = std::min(scrubbed, seconds_since(t0));

    // Context: the scrubber alone, texts already in memory.
    if (texts.empty()) {
      st = ingest::import_file(
          ingest::Source::kReddit, zip_path, limits,
          [&](const ingest::Record& r) {
            texts.push_back(r.text);
            authors.push_back(r.author);
            text_bytes += r.text.size();
            return Status::Ok();
          },
          nullptr);
      if (!st.ok()) return fail(st.error());
    }
    t0 = std::chrono::steady_clock::now();
    for (const std::string& t : texts) checksum += scrubber.scrub(t).size();
    scrub_only = std::min(scrub_only, seconds_since(t0));

    // Context: author pseudonyms alone.
    t0 = std::chrono::steady_clock::now();
    for (const std::string& a : authors) checksum += scrubber.pseudonymise("reddit", a)[5];
    pseudonymise_only = std::min(pseudonymise_only, seconds_since(t0));
  }

  const double mb = static_cast<double>(csv_bytes) / 1e6;
  std::printf(
      "ingest_bench: Reddit export, %.1f MB of CSV decompressed (%s zip of %.1f MB, built in "
      "%.1f s), %llu records, %llu fields, %.1f MB of text, one thread, best of %d (checksum "
      "%llu)\n",
      mb, store ? "stored" : "deflate", static_cast<double>(fs::file_size(zip_path)) / 1e6,
      gen_seconds, static_cast<unsigned long long>(records),
      static_cast<unsigned long long>(fields_seen), static_cast<double>(text_bytes) / 1e6, reps,
      static_cast<unsigned long long>(checksum));
  std::printf("%-58s %9s %9s %9s\n", "", "seconds", "MB/s", "vs anchor");
  auto line = [&](const char* what, double s) {
    std::printf("%-58s %9.3f %9.1f %9.2f\n", what, s, mb / s, anchor / s);
  };
  line("context: decompress only (ZipReader + EntryStream)", decompress);
  line("anchor: streaming CSV read (ZipReader + CsvReader)", anchor);
  line("import_file: records built (b/a)", import);
  line("import_file + scrub text + pseudonymise author (c/a)", scrubbed);
  std::printf("%-58s %9.3f %9.1f %9s\n", "context: scrub alone, texts in memory (MB/s of text)",
              scrub_only, static_cast<double>(text_bytes) / 1e6 / scrub_only, "");
  std::printf("%-58s %9.3f %9s %9s   %.0f ns per author\n",
              "context: pseudonymise alone, authors in memory", pseudonymise_only, "", "",
              pseudonymise_only * 1e9 / static_cast<double>(std::max<size_t>(1, authors.size())));
  std::printf("end to end import + scrub: %.1f MB/s (target >= 100 MB/s on one core): %s\n",
              mb / scrubbed, mb / scrubbed >= 100 ? "met" : "not met");
  return 0;
}
