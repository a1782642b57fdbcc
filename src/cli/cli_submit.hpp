// Template part of cli.hpp: building, signing and submitting one transaction.
#pragma once

namespace datadao::cli {

template <class P>
nlohmann::json submit_signed(const Context& ctx, const wallet::Wallet& w, const P& payload) {
  auto client = ctx.client();
  const std::string chain_id = unwrap(client.chain_id());
  const uint64_t nonce = unwrap(client.next_nonce(w.account()));
  return submit_tx(ctx, ledger::make_tx(chain_id, w.sign, nonce, payload));
}

}  // namespace datadao::cli
