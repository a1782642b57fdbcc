// The decoder-only transformer of the text model (internal to src/ml; includes libtorch).
// Header-only so that bench/ml_bench.cpp times exactly the module TextModel trains.
//
// Token + learned position embeddings, pre-LN blocks (causal multi-head attention, 4x GELU MLP),
// final layer norm, output projection. Every parameter is in a DP layer (dp_sgd.hpp), so DP-SGD
// applies; the forward mixes nothing across the batch dimension.
#pragma once

#include <torch/torch.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "datadao/ml/text_model.hpp"
#include "dp_sgd.hpp"

namespace datadao::ml::detail {

// Pre-LN block: x + attention(LN(x)), then + MLP(LN(.)) with a 4x GELU hidden layer.
struct BlockImpl : torch::nn::Module {
  BlockImpl(int64_t width, int64_t heads) : heads_(heads) {
    ln1 = register_module("ln1", DpLayerNorm(width));
    qkv = register_module("qkv", DpLinear(width, 3 * width));
    proj = register_module("proj", DpLinear(width, width));
    ln2 = register_module("ln2", DpLayerNorm(width));
    fc = register_module("fc", DpLinear(width, 4 * width));
    out = register_module("out", DpLinear(4 * width, width));
  }
  // x: [B, T, W]; future: [T, T] true above the diagonal.
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& future) {
    const int64_t b = x.size(0), t = x.size(1), w = x.size(2), dh = w / heads_;
    torch::Tensor parts = qkv(ln1(x)).view({b, t, 3, heads_, dh}).permute({2, 0, 3, 1, 4});
    torch::Tensor q = parts[0], k = parts[1], v = parts[2];  // [B, H, T, dh]
    torch::Tensor att = torch::matmul(q, k.transpose(-2, -1)) * (1.0 / std::sqrt(double(dh)));
    att = torch::softmax(att.masked_fill(future, -std::numeric_limits<float>::infinity()), -1);
    torch::Tensor y = torch::matmul(att, v).transpose(1, 2).reshape({b, t, w});
    torch::Tensor h = x + proj(y);
    return h + out(torch::gelu(fc(ln2(h))));
  }
  int64_t heads_;
  DpLayerNorm ln1{nullptr}, ln2{nullptr};
  DpLinear qkv{nullptr}, proj{nullptr}, fc{nullptr}, out{nullptr};
};
TORCH_MODULE(Block);

struct GptImpl : torch::nn::Module {
  GptImpl(const TextSpec& s, int64_t vocab) {
    tok = register_module("tok", DpEmbedding(vocab, s.width));
    pos = register_module("pos", DpEmbedding(s.context, s.width));
    for (uint32_t i = 0; i < s.layers; ++i) {
      blocks.push_back(register_module("block" + std::to_string(i), Block(s.width, s.heads)));
    }
    ln_f = register_module("ln_f", DpLayerNorm(s.width));
    head = register_module("head", DpLinear(s.width, vocab));
  }
  // GPT-2's initialisation: N(0, 0.02), residual projections scaled by 1/sqrt(2 layers).
  void initialise(at::Generator gen) {
    torch::NoGradGuard no_grad;
    const double residual = 0.02 / std::sqrt(2.0 * blocks.size());
    tok->weight.normal_(0, 0.02, gen);
    pos->weight.normal_(0, 0.02, gen);
    for (Block& b : blocks) {
      for (DpLinear* l : {&b->qkv, &b->fc}) {
        (*l)->weight.normal_(0, 0.02, gen);
        (*l)->bias.zero_();
      }
      for (DpLinear* l : {&b->proj, &b->out}) {
        (*l)->weight.normal_(0, residual, gen);
        (*l)->bias.zero_();
      }
    }
    head->weight.normal_(0, 0.02, gen);
    head->bias.zero_();
  }
  // tokens [B, T] (T <= context) -> final hidden states [B, T, width] (before the output
  // projection; what TextModel::embed averages)
  torch::Tensor hidden(const torch::Tensor& tokens) {
    const int64_t b = tokens.size(0), t = tokens.size(1);
    torch::Tensor positions = torch::arange(t, torch::kLong).unsqueeze(0).expand({b, t});
    torch::Tensor x = tok(tokens) + pos(positions);
    torch::Tensor future = torch::ones({t, t}, torch::kBool).triu(1);
    for (Block& block : blocks) x = block->forward(x, future);
    return ln_f(x);
  }
  // tokens [B, T] (T <= context) -> logits [B, T, vocab]
  torch::Tensor forward(const torch::Tensor& tokens) { return head(hidden(tokens)); }
  DpEmbedding tok{nullptr}, pos{nullptr};
  std::vector<Block> blocks;
  DpLayerNorm ln_f{nullptr};
  DpLinear head{nullptr};
};
TORCH_MODULE(Gpt);

}  // namespace datadao::ml::detail
