// kill -9 at random moments while a child process produces blocks; every block the child
// reported as committed must survive, and nothing half-applied may be visible after reopening.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <random>

#include "datadao/ledger/chain.hpp"
#include "datadao/store/sqlite.hpp"

namespace datadao::ledger {
namespace {

constexpr char kChainId[] = "datadao-recovery";
constexpr int kAccounts = 8;
constexpr int kRounds = 8;

std::vector<crypto::SigningKeyPair> make_keys() {
  std::vector<crypto::SigningKeyPair> keys;
  for (int i = 0; i < kAccounts; ++i) {
    std::array<uint8_t, 32> seed{};
    seed.fill(static_cast<uint8_t>(i + 1));
    keys.push_back(crypto::SigningKeyPair::from_seed(crypto::as_bytes(seed)));
  }
  return keys;
}

bool write_all(int fd, const void* data, size_t n) {
  const auto* p = static_cast<const uint8_t*>(data);
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

// Reads one reported height; false at EOF.
bool read_height(int fd, uint64_t& height) {
  auto* p = reinterpret_cast<uint8_t*>(&height);
  size_t got = 0;
  while (got < sizeof(height)) {
    ssize_t r = ::read(fd, p + got, sizeof(height) - got);
    if (r <= 0) return false;
    got += static_cast<size_t>(r);
  }
  return true;
}

// The child: produce blocks of random transfers forever, reporting each committed height.
[[noreturn]] void produce_forever(const std::filesystem::path& db, int fd, uint32_t seed,
                                  const std::vector<crypto::SigningKeyPair>& keys,
                                  const crypto::SigningKeyPair& op) {
  auto chain = Chain::open(db);
  if (!chain.ok()) ::_exit(2);
  std::mt19937 rng(seed);
  uint64_t timestamp = (*chain)->head().header.timestamp;
  for (;;) {
    std::vector<Transaction> txs;
    std::vector<uint64_t> next_nonce(kAccounts);
    for (int i = 0; i < kAccounts; ++i) {
      next_nonce[i] = (*chain)->state().account(keys[i].public_key)->nonce + 1;
    }
    int n = 1 + static_cast<int>(rng() % 30);
    for (int i = 0; i < n; ++i) {
      int from = static_cast<int>(rng() % kAccounts);
      int to = (from + 1 + static_cast<int>(rng() % (kAccounts - 1))) % kAccounts;
      txs.push_back(make_tx(kChainId, keys[from], next_nonce[from]++,
                            Transfer{keys[to].public_key, 1 + rng() % 1000}));
    }
    timestamp += rng() % 3;
    auto r = (*chain)->produce_block(txs, timestamp, op);
    if (!r.ok() || !r->produced() || !r->rejected.empty()) ::_exit(3);
    uint64_t h = r->header.header.height;
    if (!write_all(fd, &h, sizeof(h))) ::_exit(4);
  }
}

// Everything a restarted node must find: the blocks, linked, each fully applied.
void check_chain(const std::filesystem::path& db, const Genesis& genesis, uint64_t min_height) {
  auto chain = Chain::open(db);  // checks state table vs head header and head signature
  ASSERT_TRUE(chain.ok()) << chain.error().to_string();
  Chain& c = **chain;
  ASSERT_GE(c.height(), min_height) << "a block reported as committed was lost";

  auto replay = State::from_genesis(genesis);
  ASSERT_TRUE(replay.ok());
  Hash32 prev = header_hash(c.header(0)->header);
  uint64_t total_txs = 0;
  for (uint64_t h = 1; h <= c.height(); ++h) {
    auto b = c.block(h);  // checks tx count and tx root against the header
    ASSERT_TRUE(b.ok()) << "block " << h << ": " << b.error().to_string();
    const BlockHeader& hdr = b->header.header;
    ASSERT_TRUE(verify_header_signature(b->header).ok());
    ASSERT_EQ(hdr.prev_hash, prev) << "block " << h << " does not link";
    prev = header_hash(hdr);
    for (const Transaction& tx : b->txs) {
      Status s = replay->apply(tx, BlockContext{hdr.height, hdr.timestamp});
      ASSERT_TRUE(s.ok()) << "block " << h << ": " << s.error().to_string();
    }
    replay->commit_block();
    ASSERT_EQ(replay->state_hash(), hdr.state_hash) << "replay diverges at block " << h;
    total_txs += hdr.tx_count;
  }
  EXPECT_EQ(replay->state_hash(), c.state().state_hash());
  EXPECT_FALSE(c.header(c.height() + 1).ok()) << "a block exists beyond the head";

  // No stray rows from a half-written block.
  auto raw = store::Database::open(db);
  ASSERT_TRUE(raw.ok());
  auto count = raw->prepare("SELECT count(*), coalesce(max(height), 0) FROM txs");
  ASSERT_TRUE(count.ok());
  ASSERT_TRUE(*count->step());
  EXPECT_EQ(static_cast<uint64_t>(count->column_int64(0)), total_txs);
  EXPECT_LE(static_cast<uint64_t>(count->column_int64(1)), c.height());
}

TEST(RecoveryTest, KillNineAtRandomMomentsLosesNoCommittedBlockAndLeavesNoHalfBlock) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("datadao_recovery_test_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto db = dir / "chain.db";

  const auto keys = make_keys();
  std::array<uint8_t, 32> op_seed{};
  op_seed.fill(0xee);
  const auto op = crypto::SigningKeyPair::from_seed(crypto::as_bytes(op_seed));
  Genesis genesis;
  genesis.chain_id = kChainId;
  genesis.timestamp = 1'700'000'000;
  for (const auto& k : keys) genesis.allocations.emplace_back(k.public_key, 1'000'000'000);
  ASSERT_TRUE(Chain::create(db, genesis, op).ok());

  std::mt19937 rng(12345);
  uint64_t committed = 0;
  for (int round = 0; round < kRounds; ++round) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(fds[0]);
      produce_forever(db, fds[1], 1000u + static_cast<uint32_t>(round), keys, op);
    }
    ::close(fds[1]);
    // Let the child commit a few blocks, then kill it at a random moment (often mid-block).
    int wait_blocks = 1 + static_cast<int>(rng() % 4);
    for (int i = 0; i < wait_blocks; ++i) {
      uint64_t h = 0;
      ASSERT_TRUE(read_height(fds[0], h)) << "child died early in round " << round;
      committed = std::max(committed, h);
    }
    ::usleep(static_cast<useconds_t>(rng() % 20'000));
    ASSERT_EQ(::kill(pid, SIGKILL), 0);
    // Heights written before the kill were committed too.
    for (uint64_t h = 0; read_height(fds[0], h);) committed = std::max(committed, h);
    ::close(fds[0]);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "child exited on its own with status " << status << " in round " << round;

    check_chain(db, genesis, committed);
    if (HasFatalFailure()) break;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace datadao::ledger
