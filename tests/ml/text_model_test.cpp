#include "datadao/ml/text_model.hpp"
#include "datadao/testing/assertions.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace datadao::ml {
namespace {

// Posts from a small grammar: the next word is mostly predictable from the previous ones, so a
// model that learned anything beats the unigram frequencies.
std::vector<std::string> patterned_corpus(size_t n) {
  const char* subjects[] = {"my cat", "the dog", "our team", "this game", "my sister"};
  const char* verbs[] = {"loves", "hates", "watches", "plays with"};
  const char* objects[] = {"the red ball", "old movies", "the new update", "rainy days"};
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) {
    out.push_back(std::string(subjects[i % 5]) + " " + verbs[(i / 5) % 4] + " " +
                  objects[(i / 3) % 4] + " every single day, honestly.");
  }
  return out;
}

TextSpec tiny_spec() {
  TextSpec s;
  s.vocab = 300;
  s.layers = 1;
  s.width = 32;
  s.heads = 2;
  s.context = 32;
  return s;
}

TrainConfig tiny_config() {
  TrainConfig c;
  c.steps = 60;
  c.batch_size = 16;
  c.learning_rate = 1e-2;
  c.seed = 3;
  c.holdout_fraction = 0.2;
  return c;
}

class TextModelTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto m = TextModel::train(patterned_corpus(200), tiny_spec(), tiny_config(), {}, &report_);
    ASSERT_TRUE(m.ok()) << m.error().to_string();
    model_ = new TextModel(std::move(m).value());
  }
  static void TearDownTestSuite() {
    delete model_;
    model_ = nullptr;
  }
  static TextModel* model_;
  static TrainReport report_;
};
TextModel* TextModelTest::model_ = nullptr;
TrainReport TextModelTest::report_;

TEST_F(TextModelTest, HeldOutLossBeatsTheUnigramBaseline) {
  ASSERT_NE(model_, nullptr);
  EXPECT_EQ(report_.steps, 60u);
  EXPECT_GT(report_.holdout_examples, 0u);
  EXPECT_GT(report_.baseline_loss, 0);
  EXPECT_LT(report_.holdout_loss, report_.baseline_loss * 0.8);
  std::printf("holdout %.3f nats/token, unigram baseline %.3f, %llu parameters, %.2f s\n",
              report_.holdout_loss, report_.baseline_loss,
              static_cast<unsigned long long>(model_->parameter_count()), report_.seconds);
  EXPECT_EQ(report_.epsilon, 0);
}

TEST_F(TextModelTest, SaveLoadRoundTripKeepsScoresAndSpec) {
  ASSERT_NE(model_, nullptr);
  auto loaded = TextModel::load(model_->save());
  ASSERT_TRUE(loaded.ok()) << loaded.error().to_string();
  EXPECT_EQ(loaded->parameter_count(), model_->parameter_count());
  EXPECT_EQ(loaded->spec().vocab, model_->spec().vocab);
  const std::string prefix = "my cat loves ";
  EXPECT_EQ(loaded->log_perplexity(prefix, "the red ball"),
            model_->log_perplexity(prefix, "the red ball"));
  EXPECT_EQ(loaded->save(), model_->save());
}

TEST_F(TextModelTest, CorruptBytesAreRejectedNotCrashed) {
  ASSERT_NE(model_, nullptr);
  const crypto::Bytes good = model_->save();
  for (size_t at : {size_t(3), size_t(20), good.size() / 2, good.size() - 1}) {
    crypto::Bytes bad = good;
    bad[at] ^= 0x40;
    auto r = TextModel::load(bad);
    ASSERT_FALSE(r.ok()) << "flip at " << at;
    EXPECT_EQ(r.error().code, ErrorCode::kCorruption);
  }
  crypto::Bytes truncated(good.begin(), good.begin() + long(good.size() / 3));
  EXPECT_ERROR_CODE(TextModel::load(truncated), ErrorCode::kCorruption);
  EXPECT_ERROR_CODE(TextModel::load(crypto::Bytes{}), ErrorCode::kCorruption);
  EXPECT_ERROR_CODE(TextModel::load(crypto::Bytes(100, 0xff)), ErrorCode::kCorruption);
}

TEST_F(TextModelTest, GenerateReturnsThePromptThenTextAndIsDeterministicBySeed) {
  ASSERT_NE(model_, nullptr);
  auto a = model_->generate("my cat", 12, 0.8, 42);
  auto b = model_->generate("my cat", 12, 0.8, 42);
  ASSERT_TRUE(a.ok()) << a.error().to_string();
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(a->rfind("my cat", 0), 0u) << *a;
  EXPECT_GT(a->size(), std::string("my cat").size()) << *a;
  std::printf("sample: %s\n", a->c_str());
  bool differs = false;
  for (uint64_t seed = 1; seed <= 5 && !differs; ++seed) {
    differs = *model_->generate("my cat", 12, 1.5, seed) != *a;
  }
  EXPECT_TRUE(differs);
  EXPECT_ERROR_CODE(model_->generate("x", 5, 0.0, 1),
                    ErrorCode::kInvalidArgument);  // temperature must be > 0
}

TEST_F(TextModelTest, TrainedPatternsAreMoreLikelyThanScrambledOnes) {
  ASSERT_NE(model_, nullptr);
  const std::string prefix = "our team watches ";
  auto scores = model_->log_perplexities(
      prefix, {"old movies every single day, honestly.", "honestly. day single every movies old"});
  ASSERT_EQ(scores.size(), 2u);
  EXPECT_LT(scores[0], scores[1]);
  // Batched scores equal one-at-a-time ones.
  EXPECT_NEAR(scores[0], model_->log_perplexity(prefix, "old movies every single day, honestly."),
              1e-3);
  EXPECT_NEAR(scores[1], model_->log_perplexity(prefix, "honestly. day single every movies old"),
              1e-3);
}

TEST_F(TextModelTest, AnyTextEncodesThanksToByteFallback) {
  ASSERT_NE(model_, nullptr);
  const double lp = model_->log_perplexity("", "Zürich 🙂 ∑ \x01 tabs\tand\nnewlines");
  EXPECT_TRUE(std::isfinite(lp));
  EXPECT_GT(lp, 0);
  EXPECT_TRUE(std::isfinite(model_->loss({"ümlaut", ""})));
}

TEST(TextModelTrain, PrivateTrainingStaysWithinTheTargetEpsilon) {
  TrainConfig c = tiny_config();
  c.dp.enabled = true;
  c.dp.noise_multiplier = 1.0;
  c.dp.max_grad_norm = 1.0;
  c.dp.target_epsilon = 4.0;
  c.dp.delta = 1e-3;
  c.steps = 40;
  TrainReport report;
  auto m = TextModel::train(patterned_corpus(120), tiny_spec(), c, {}, &report);
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_GT(report.epsilon, 0);
  EXPECT_LE(report.epsilon, 4.0);
  EXPECT_GT(report.steps, 0u);
  EXPECT_TRUE(std::isfinite(report.holdout_loss));
}

TEST(TextModelTrain, OversizedRecordIsRejectedByIndex) {
  std::vector<std::string> texts = patterned_corpus(10);
  texts[7] = std::string(kMaxTextRecordBytes + 1, 'a');
  auto m = TextModel::train(texts, tiny_spec(), tiny_config(), {}, nullptr);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(m.error().message.find("text 7"), std::string::npos) << m.error().message;
}

TEST(TextModelTrain, FewerThanTwoNonEmptyTextsIsRejected) {
  auto m = TextModel::train({"only one", "", ""}, tiny_spec(), tiny_config(), {}, nullptr);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(TextModelTest, HoldoutRowsAreTheHeldOutSplit) {
  ASSERT_NE(model_, nullptr);
  const std::vector<std::string> texts = patterned_corpus(200);
  const std::vector<size_t>& rows = report_.holdout_rows;
  // 20% of the texts; an example is a window, and every post here is cut into the same number
  // of windows, so the examples split in the same proportion.
  ASSERT_EQ(rows.size(), 40u);
  EXPECT_EQ(report_.holdout_examples % rows.size(), 0u);
  EXPECT_EQ(report_.train_examples * rows.size(),
            report_.holdout_examples * (texts.size() - rows.size()));
  EXPECT_TRUE(std::is_sorted(rows.begin(), rows.end()));
  EXPECT_EQ(std::adjacent_find(rows.begin(), rows.end()), rows.end());
  EXPECT_LT(rows.back(), texts.size());
  // The reported held-out loss is the model's loss on exactly these texts.
  std::vector<std::string> held;
  for (size_t r : rows) held.push_back(texts[r]);
  EXPECT_NEAR(model_->loss(held), report_.holdout_loss, 1e-9);
}

// Posts about two topics with disjoint vocabularies.
std::vector<std::string> topic_corpus(size_t n, size_t topic, uint64_t salt) {
  const std::vector<std::vector<std::string>> words = {
      {"pasta", "garlic", "oven", "sauce", "basil", "simmer", "butter", "onion", "bake", "salt"},
      {"goal", "striker", "referee", "penalty", "league", "keeper", "match", "pitch", "coach",
       "offside"}};
  std::vector<std::string> out;
  uint64_t state = salt * 7919 + topic;
  for (size_t i = 0; i < n; ++i) {
    std::string text;
    for (int w = 0; w < 8; ++w) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      text += (w ? " " : "") + words[topic][(state >> 33) % words[topic].size()];
    }
    out.push_back(text);
  }
  return out;
}

double cosine(const std::vector<float>& a, const std::vector<float>& b) {
  double dot = 0;
  for (size_t i = 0; i < a.size(); ++i) dot += double(a[i]) * b[i];
  return dot;  // both unit length
}

TEST(TextModelEmbed, EmbedIsNormalisedAndDeterministic) {
  std::vector<std::string> corpus = topic_corpus(100, 0, 1);
  for (std::string& t : topic_corpus(100, 1, 1)) corpus.push_back(std::move(t));
  TrainConfig c = tiny_config();
  c.steps = 40;
  auto m = TextModel::train(corpus, tiny_spec(), c, {}, nullptr);
  ASSERT_TRUE(m.ok()) << m.error().to_string();

  std::vector<std::string> probe = topic_corpus(15, 0, 2);
  for (std::string& t : topic_corpus(15, 1, 2)) probe.push_back(std::move(t));
  probe.push_back("");
  const auto e = m->embed(probe);
  ASSERT_EQ(e.size(), probe.size());
  for (size_t i = 0; i + 1 < e.size(); ++i) {
    ASSERT_EQ(e[i].size(), m->spec().width);
    double norm = 0;
    for (float v : e[i]) norm += double(v) * v;
    EXPECT_NEAR(std::sqrt(norm), 1.0, 1e-5) << probe[i];
  }
  EXPECT_EQ(e.back(), std::vector<float>(m->spec().width, 0.0f));
  EXPECT_EQ(m->embed(probe), e);
  // One text alone embeds as it does in a batch.
  const auto alone = m->embed({probe[3]});
  for (size_t j = 0; j < alone[0].size(); ++j) EXPECT_NEAR(alone[0][j], e[3][j], 1e-5);

  double within = 0, across = 0;
  size_t n_within = 0, n_across = 0;
  for (size_t i = 0; i < 30; ++i) {
    for (size_t j = i + 1; j < 30; ++j) {
      if ((i < 15) == (j < 15)) {
        within += cosine(e[i], e[j]);
        ++n_within;
      } else {
        across += cosine(e[i], e[j]);
        ++n_across;
      }
    }
  }
  within /= double(n_within);
  across /= double(n_across);
  std::printf("mean cosine within topic %.3f, across topics %.3f\n", within, across);
  EXPECT_GT(within, across + 0.05);
}

TEST(TextSpecParse, ReadsKeysOverDefaultsAndNamesBadOnes) {
  auto s = parse_text_spec("width=32 layers=3");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->width, 32u);
  EXPECT_EQ(s->layers, 3u);
  EXPECT_EQ(s->heads, 4u);
  auto unknown = parse_text_spec("depth=3");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("depth"), std::string::npos);
  EXPECT_ERROR_CODE(parse_text_spec("width=30 heads=4"),
                    ErrorCode::kInvalidArgument);  // heads must divide width
  EXPECT_ERROR_CODE(parse_text_spec("layers=13"), ErrorCode::kInvalidArgument);
  EXPECT_ERROR_CODE(parse_text_spec("vocab=abc"), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace datadao::ml
