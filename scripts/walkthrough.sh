#!/usr/bin/env bash
# The README walkthrough with every step checked (tests/cli/readme_walkthrough.sh runs the
# README's block itself): two wallets, a fixture export encrypted and registered by one, granted
# to the other, fetched and decrypted by the grantee, revoked, an inclusion proof of the grant
# verified offline, and the chain reopened after kill -9. Fails on the first surprise.
#
# Usage: scripts/walkthrough.sh [path/to/datadao]     (CTest runs it as cli_walkthrough)
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
scenario_init walkthrough "${1:-}"
people alice bob

# Three people on one machine: each has their own $DATADAO_HOME (people, scripts/lib.sh),
# with a fresh random passphrase per run (the demo never stores a real secret).

step "alice and bob create wallets (keys encrypted under a passphrase, Argon2id)"
alice wallet create alice --kdf interactive
bob wallet create bob --kdf interactive
alice wallet export-public -o "$W/alice.pub.json"
bob wallet export-public -o "$W/bob.pub.json"
[ "$(stat -c %a "$W/alice/wallets/alice.wallet")" = 600 ] || fail "wallet file is not mode 0600"

step "the operator starts a node whose genesis gives alice 1,000,000 credits, on a free port"
operator node init --alloc "$W/alice.pub.json=1000000" --block-interval-ms 20
# Alice's home holds no node: her CLI finds one through --node or $DATADAO_NODE, and when the
# node it was pointed at does not answer, the error says where that URL came from.
refused 1 "came from \$DATADAO_NODE" env DATADAO_NODE=http://127.0.0.1:1 DATADAO_HOME="$W/alice" \
  "$DD" --wallet alice account show
start_node "$W/port"   # exports DATADAO_NODE: how alice's and bob's CLI find it
operator node status
NODE_KEY=$(operator --json node status | sed -n 's/.*"operator_key": "\([0-9a-f]*\)".*/\1/p')

step "alice pays bob 250 credits"
alice transfer --to "$W/bob.pub.json" --amount 250
bob account show | grep -q "credits  250" || fail "bob should have 250 credits"

step "alice makes a synthetic Reddit export and encrypts it into the vault (random per-file key, kept in her keyring)"
"$DD" fixture reddit --seed 7 --user alice_on_reddit -o "$W/export.zip"
HASH=$(alice --json vault put "$W/export.zip" | sed -n 's/.*"blob_hash": "\([0-9a-f]*\)".*/\1/p')
[ ${#HASH} -eq 64 ] || fail "vault put printed no blob hash"
echo "blob $HASH"

step "alice registers it on the ledger"
alice file register "$HASH" --source reddit

step "bob cannot read it yet"
if bob vault get "$HASH" -o "$W/bob.zip" 2>"$W/err"; then fail "bob read a file never granted"; fi
cat "$W/err"

step "alice grants bob access: her file key, sealed to bob's box key, on the ledger"
GRANT_TX=$(alice --json file grant 1 --to "$W/bob.pub.json" --purpose "walkthrough" |
  sed -n 's/.*"tx_id": "\([0-9a-f]*\)".*/\1/p')
bob file list

step "bob fetches and decrypts it"
bob vault get "$HASH" -o "$W/bob.zip"
cmp "$W/export.zip" "$W/bob.zip" || fail "bob's copy differs"
echo "bob's copy is identical"

step "alice revokes the grant; bob can no longer fetch the key"
alice file revoke 1 --from "$W/bob.pub.json"
if bob vault get "$HASH" -o "$W/bob2.zip" 2>"$W/err"; then fail "revoked grant still works"; fi
cat "$W/err"
grep -q "revoked" "$W/err" || fail "the refusal should say the grant was revoked"

step "anyone can verify, offline, that the grant is in a block signed by the operator"
operator proof get "$GRANT_TX" -o "$W/grant.proof.json"
operator proof verify --proof "$W/grant.proof.json" --node-key "$NODE_KEY"
# A proof whose transaction was altered (one hex digit changed) must fail.
sed 's/"tx": "0/"tx": "1/;t;s/"tx": "[1-9a-f]/"tx": "0/' "$W/grant.proof.json" > "$W/bad.proof.json"
cmp -s "$W/grant.proof.json" "$W/bad.proof.json" && fail "the tampering step changed nothing"
if operator proof verify --proof "$W/bad.proof.json" --node-key "$NODE_KEY" 2>"$W/err"; then
  fail "an altered proof verified"
fi
cat "$W/err"

step "the chain survives a restart with the same state"
BEFORE=$(operator --json node status | sed -n 's/.*"state_hash": "\([0-9a-f]*\)".*/\1/p')
kill -9 "$NODE_PID"; wait "$NODE_PID" 2>/dev/null || true
kill -0 "$NODE_PID" 2>/dev/null && fail "node still running after kill -9"
start_node "$W/port2"
AFTER=$(operator --json node status | sed -n 's/.*"state_hash": "\([0-9a-f]*\)".*/\1/p')
[ -n "$BEFORE" ] && [ "$BEFORE" = "$AFTER" ] || fail "state hash changed across kill -9: $BEFORE vs $AFTER"
echo "state hash $AFTER before and after kill -9"

echo
echo "walkthrough: all steps passed"
