// HttpBackend against a real httplib::Server on 127.0.0.1 serving register_blob_routes, and against
// a lying server.
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "datadao/codec/codec.hpp"
#include "datadao/vault/http_routes.hpp"
#include "datadao/vault/vault.hpp"
#include "datadao/testing/temp_dir.hpp"

namespace datadao::vault {
namespace {

namespace fs = std::filesystem;

constexpr uint64_t kMaxPut = 1u << 20;
constexpr size_t kHttpChunk = 4096;

// An httplib::Server listening on a free port of 127.0.0.1 in a background thread.
class RunningServer {
 public:
  RunningServer() {
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::yield();
  }
  ~RunningServer() { stop(); }
  void stop() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }
  httplib::Server& server() { return server_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

class VaultHttpBackend : public ::testing::Test {
 protected:
  void SetUp() override {
    std::array<uint8_t, 8> r{};
    crypto::random_bytes(r);
    dir_ = fs::temp_directory_path() / ("vault-http-test-" + codec::to_hex(r));
    fs::create_directories(dir_ / "work");
    fs::create_directories(dir_ / "scratch");
    store_ = std::make_unique<LocalDirBackend>(dir_ / "server-store");
    server_ = std::make_unique<RunningServer>();
    RouteTable<httplib::Server> routes(server_->server());
    register_blob_routes(routes, *store_, kMaxPut);
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(dir_);
  }

  HttpBackend client(uint64_t max_download = 1ull << 30) {
    HttpBackend::Options o;
    o.max_download_bytes = max_download;
    o.scratch_dir = dir_ / "scratch";
    return HttpBackend(server_->url(), o);
  }
  size_t scratch_entries() const {
    return static_cast<size_t>(
        std::distance(fs::directory_iterator(dir_ / "scratch"), fs::directory_iterator()));
  }

  fs::path dir_;
  std::unique_ptr<LocalDirBackend> store_;
  std::unique_ptr<RunningServer> server_;
};

TEST_F(VaultHttpBackend, SealAndOpenRoundTripThroughTheServer) {
  HttpBackend http = client();
  Bytes data = testkit::patterned_bytes(50 * kHttpChunk + 11, 1);
  fs::path in = dir_ / "work" / "plain";
  testkit::write_bytes(in, data);
  auto sealed = seal_file(in, http, kHttpChunk);
  ASSERT_TRUE(sealed.ok()) << sealed.error().to_string();
  auto [info, key] = std::move(sealed).value();
  // The server stored exactly the blob, under its hash.
  EXPECT_TRUE(*store_->exists(info.hash));
  EXPECT_EQ(crypto::blake2b256(testkit::read_bytes(store_->blob_path(info.hash))), info.hash);
  EXPECT_TRUE(*http.exists(info.hash));
  EXPECT_EQ(http.locator(info.hash), server_->url() + "/v1/blobs/" + codec::to_hex(info.hash));

  fs::path out = dir_ / "work" / "plain.out";
  auto opened = open_blob(http, info.hash, key, out);
  ASSERT_TRUE(opened.ok()) << opened.error().to_string();
  EXPECT_EQ(testkit::read_bytes(out), data);
  EXPECT_EQ(scratch_entries(), 0u) << "temporary downloads/uploads were left behind";

  auto record = seal_bytes(testkit::patterned_bytes(300, 2), http, kHttpChunk);
  ASSERT_TRUE(record.ok());
  auto back = open_bytes(http, record->first.hash, record->second);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(*back, testkit::patterned_bytes(300, 2));
}

TEST_F(VaultHttpBackend, UnknownBlobIsNotFound) {
  HttpBackend http = client();
  Hash32 h{};
  h[0] = 0x42;
  EXPECT_FALSE(*http.exists(h));
  fs::path out = dir_ / "work" / "x";
  Status st = http.get_file(h, out);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kNotFound);
  EXPECT_NE(st.error().message.find(blob_label(h)), std::string::npos);
  EXPECT_FALSE(fs::exists(out));
  auto opened = open_blob(http, h, crypto::random_key(), out);
  EXPECT_EQ(opened.error().code, ErrorCode::kNotFound);

  httplib::Client raw(server_->url());
  EXPECT_EQ(raw.Get("/v1/blobs/" + codec::to_hex(h))->status, 404);
  EXPECT_EQ(raw.Get("/v1/blobs/not-a-hash")->status, 404);
}

TEST_F(VaultHttpBackend, PutWhoseBodyDoesNotHashToTheNameIsRefused) {
  Bytes data = testkit::patterned_bytes(1000, 3);
  Hash32 wrong = crypto::blake2b256(testkit::patterned_bytes(1000, 4));
  httplib::Client raw(server_->url());
  auto res = raw.Put("/v1/blobs/" + codec::to_hex(wrong), std::string(data.begin(), data.end()),
                     "application/octet-stream");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_FALSE(*store_->exists(wrong));

  // Through the backend: a clear kCorruption error naming the blob.
  fs::path f = dir_ / "work" / "blob";
  testkit::write_bytes(f, data);
  HttpBackend http = client();
  Status st = http.put_file(wrong, f);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kCorruption);
  EXPECT_NE(st.error().message.find(blob_label(wrong)), std::string::npos) << st.error().message;
  EXPECT_FALSE(*http.exists(wrong));
}

TEST_F(VaultHttpBackend, PutAboveTheServerLimitIsRefusedWith413) {
  Bytes data = testkit::patterned_bytes(kMaxPut + 1, 5);
  Hash32 h = crypto::blake2b256(data);
  fs::path f = dir_ / "work" / "big";
  testkit::write_bytes(f, data);
  HttpBackend http = client();
  Status st = http.put_file(h, f);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kLimitExceeded) << st.error().to_string();
  EXPECT_FALSE(*store_->exists(h));

  Bytes fits = testkit::patterned_bytes(kMaxPut, 5);
  testkit::write_bytes(f, fits);
  EXPECT_TRUE(http.put_file(crypto::blake2b256(fits), f).ok());
}

TEST_F(VaultHttpBackend, ServerReturningTamperedBytesIsDetected) {
  HttpBackend honest = client();
  Bytes data = testkit::patterned_bytes(10 * kHttpChunk, 6);
  fs::path in = dir_ / "work" / "plain";
  testkit::write_bytes(in, data);
  auto sealed = seal_file(in, honest, kHttpChunk);
  ASSERT_TRUE(sealed.ok());
  auto [info, key] = std::move(sealed).value();

  // A second server that flips one byte of whatever it serves.
  RunningServer liar;
  Bytes stored = testkit::read_bytes(store_->blob_path(info.hash));
  liar.server().Get(R"(/v1/blobs/([0-9a-f]{64}))",
                    [&](const httplib::Request&, httplib::Response& res) {
                      Bytes b = stored;
                      b[b.size() / 2] ^= 0x01;
                      res.set_content(std::string(b.begin(), b.end()), "application/octet-stream");
                    });
  HttpBackend::Options o;
  o.scratch_dir = dir_ / "scratch";
  HttpBackend lying(liar.url(), o);
  fs::path out = dir_ / "work" / "plain.out";
  Status st = lying.get_file(info.hash, out);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kCorruption);
  EXPECT_NE(st.error().message.find(blob_label(info.hash)), std::string::npos);
  EXPECT_FALSE(fs::exists(out));

  auto opened = open_blob(lying, info.hash, key, out);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, ErrorCode::kCorruption);
  EXPECT_NE(opened.error().message.find(blob_label(info.hash)), std::string::npos);
  EXPECT_FALSE(fs::exists(out));
  EXPECT_EQ(scratch_entries(), 0u);
}

TEST_F(VaultHttpBackend, DownloadLimitIsEnforced) {
  Bytes data = testkit::patterned_bytes(100000, 7);
  Hash32 h = crypto::blake2b256(data);
  ASSERT_TRUE(store_->put_bytes(h, data).ok());
  HttpBackend small = client(/*max_download=*/99999);
  fs::path out = dir_ / "work" / "x";
  Status st = small.get_file(h, out);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kLimitExceeded);
  EXPECT_FALSE(fs::exists(out));
  EXPECT_TRUE(client(100000).get_file(h, out).ok());
  EXPECT_EQ(testkit::read_bytes(out), data);
}

TEST_F(VaultHttpBackend, HeadReportsSizeWithoutABody) {
  Bytes data = testkit::patterned_bytes(12345, 8);
  Hash32 h = crypto::blake2b256(data);
  ASSERT_TRUE(store_->put_bytes(h, data).ok());
  httplib::Client raw(server_->url());
  auto res = raw.Head("/v1/blobs/" + codec::to_hex(h));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Length"), "12345");
  EXPECT_TRUE(res->body.empty());
}

TEST_F(VaultHttpBackend, ConnectionRefusedIsAClearError) {
  std::string url;
  {
    RunningServer gone;
    url = gone.url();
  }  // stopped: nothing listens on that port now
  HttpBackend http(url);
  Hash32 h{};
  auto e = http.exists(h);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code, ErrorCode::kIoError);
  EXPECT_NE(e.error().message.find(url), std::string::npos) << e.error().message;
  EXPECT_NE(e.error().message.find("Connection"), std::string::npos) << e.error().message;
  Status st = http.get_file(h, dir_ / "work" / "x");
  EXPECT_EQ(st.error().code, ErrorCode::kIoError);
  EXPECT_FALSE(fs::exists(dir_ / "work" / "x"));
}

TEST(VaultHttpBackendUrl, BaseUrlWithAPathPrefixIsKept) {
  HttpBackend http("http://example.org:8080/store/");
  Hash32 h{};
  EXPECT_EQ(http.locator(h), "http://example.org:8080/store/v1/blobs/" + codec::to_hex(h));
}

}  // namespace
}  // namespace datadao::vault
