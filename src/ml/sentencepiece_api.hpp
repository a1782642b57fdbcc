// The function table of the sentencepiece shim (src/ml/sentencepiece/shim.cpp), internal to
// src/ml.
//
// Why a shim: Debian's libsentencepiece exports the protobuf-lite it bundles. In one process with
// libtorch's libprotobuf, whichever loads first captures the other's protobuf symbols, and either
// libprotobuf's static initialisers crash before main or sentencepiece's fail a CHECK when
// training. So only the shim links sentencepiece, and tokenizer.cpp loads it with dlopen
// (RTLD_LOCAL | RTLD_DEEPBIND): sentencepiece then binds to its own protobuf and nothing else
// sees it. Both sides share the process's libstdc++, so the table passes C++ types. The cost of
// RTLD_DEEPBIND: the shim's references to libstdc++ globals (std::cerr) bind to libstdc++'s own
// copies, not the executable's copy-relocated ones, so sentencepiece's logging is switched off.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace datadao::ml::detail {

struct SpmPiece {
  int id;
  uint32_t begin;
  uint32_t end;
};

struct SpmApi {
  int version;  // kSpmApiVersion
  // Trains on the non-empty `texts` with sentencepiece's command-line `args`; returns an error
  // message or "" and the serialised model in *proto.
  std::string (*train)(const std::vector<std::string>& texts, const std::string& args,
                       uint32_t seed, std::string* proto);
  // A processor for a serialised model, or nullptr with *error set.
  void* (*load)(const std::string& proto, std::string* error);
  void (*release)(void* processor);
  void (*encode)(const void* processor, std::string_view text, std::vector<SpmPiece>* pieces);
  void (*decode)(const void* processor, const std::vector<int>& ids, std::string* text);
  // piece count, bos, eos, unk
  void (*ids)(const void* processor, int* size, int* bos, int* eos, int* unk);
};

inline constexpr int kSpmApiVersion = 1;
inline constexpr const char* kSpmApiSymbol = "datadao_sentencepiece_api";

}  // namespace datadao::ml::detail
