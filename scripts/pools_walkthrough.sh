#!/usr/bin/env bash
# Pools (data DAOs) end to end, runnable: alice creates a Reddit pool validated by "val"; alice
# and bob contribute synthetic Reddit exports under their own handles; bob also contributes a
# copy of alice's export; the validator scores them (the copy earns nothing); token holders
# change the pool's reward by proposal and vote. Every step checks its result; the script fails
# on the first surprise.
#
# Usage: scripts/pools_walkthrough.sh [path/to/datadao]   (CTest runs it as cli_pools_walkthrough)
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
scenario_init pools-walkthrough "${1:-}"
people alice bob val val2

step "alice, bob and the validator val create wallets"
alice wallet create alice --kdf interactive
bob wallet create bob --kdf interactive
val wallet create val --kdf interactive
for who in alice bob val; do
  DATADAO_HOME=$W/$who "$DD" --wallet $who wallet export-public -o "$W/$who.pub.json"
done

step "the operator starts a node whose genesis gives each of them credits"
operator node init --alloc "$W/alice.pub.json=1000000" --alloc "$W/bob.pub.json=1000000" \
  --alloc "$W/val.pub.json=1000000" --block-interval-ms 20
start_node "$W/port"

# While a proposal is open the node makes a heartbeat block every 200 ms (10 block intervals), so
# the voting period must outlast the votes' CLI calls: 100 blocks is 20 s at the least.
step "alice creates the pool reddit-dao, validated by val (votes close after 100 blocks)"
POOL=$(alice --json pool create reddit-dao --source reddit --validator "$W/val.pub.json" \
  --reward-per-point 1000 --quorum-bps 2000 --voting-period 100 | jnum pool_id)
[ -n "$POOL" ] && [ "$POOL" -gt 0 ] || fail "pool create printed no pool id"
alice pool list | grep -q "reddit-dao" || fail "pool list does not show reddit-dao"
alice pool show reddit-dao
[ "$(alice --json pool show "$POOL" | jstr validator)" = \
  "$(sed -n 's/.*"account": "\([0-9a-f]*\)".*/\1/p' "$W/val.pub.json")" ] ||
  fail "the pool's validator is not val"
if alice pool create reddit-dao --source reddit --validator "$W/val.pub.json" 2>"$W/err"; then
  fail "a second pool with the same name was created"
fi
cat "$W/err"

# Puts an export in the vault as $1 and registers it as $3 data; prints the file id.
register() {
  local who=$1 zip=$2 source=$3 hash file
  hash=$("$who" --json vault put "$zip" | jstr blob_hash)
  [ ${#hash} -eq 64 ] || fail "$who: vault put printed no blob hash"
  file=$("$who" --json file register "$hash" --source "$source" | jnum file_id)
  [ -n "$file" ] || fail "$who: file register printed no file id"
  echo "$file"
}

# Puts a Reddit export in the vault, registers it and contributes it; prints the contribution id.
contribute() {
  local who=$1 zip=$2 handle=$3 file
  file=$(register "$who" "$zip" reddit)
  "$who" --json pool contribute reddit-dao "$file" --handle "$handle" | jnum contribution_id
}

step "alice and bob each make a synthetic Reddit export (their own handle inside) and contribute it"
alice fixture reddit --seed 11 --user alice_r --records 15 --pii jane.doe@example.org \
  -o "$W/alice.zip" | tee "$W/out"
grep -q "alice_r" "$W/out" || fail "fixture should name the account it carries"
bob fixture reddit --seed 22 --user bob_r --records 15 --duplicates 2 -o "$W/bob.zip"
ALICE_C=$(contribute alice "$W/alice.zip" alice_r)
BOB_C=$(contribute bob "$W/bob.zip" bob_r)
[ -n "$ALICE_C" ] && [ -n "$BOB_C" ] || fail "pool contribute printed no contribution id"
echo "alice: contribution $ALICE_C, bob: contribution $BOB_C"

step "bob also contributes a copy of alice's export, claiming her handle"
cp "$W/alice.zip" "$W/copy.zip"
COPY_C=$(contribute bob "$W/copy.zip" alice_r)
[ -n "$COPY_C" ] || fail "the copy's contribution printed no id"
bob contribution list
[ "$(bob --json contribution list | grep -c '"pool_id"')" -eq 2 ] ||
  fail "bob should have two contributions"

step "contributions are checked before anything is sent"
X=$(bob --json fixture x --seed 5 -o "$W/bob_x.zip" | jstr account_identity)
[ -n "$X" ] || fail "fixture x printed no account identity"
XHASH=$(bob --json vault put "$W/bob_x.zip" | jstr blob_hash)
XFILE=$(bob --json file register "$XHASH" --source x | jnum file_id)
if bob pool contribute reddit-dao "$XFILE" --handle "$X" 2>"$W/err"; then
  fail "an X export went into a Reddit pool"
fi
cat "$W/err"
grep -q "takes only 'reddit'" "$W/err" || fail "the refusal should name the pool's source"
if alice pool contribute reddit-dao "$XFILE" --handle alice_r 2>"$W/err"; then
  fail "alice contributed bob's file"
fi
cat "$W/err"
# The same X export registered as Reddit data: the local import check refuses it.
XRFILE=$(register bob "$W/bob_x.zip" reddit)
refused 1 "file $XRFILE does not import as a reddit export" \
  bob pool contribute reddit-dao "$XRFILE" --handle bob_r
# alice's second export under someone else's handle: refused, naming the export's account.
alice fixture reddit --seed 33 --user alice_r --records 6 -o "$W/alice2.zip" >/dev/null
A2FILE=$(register alice "$W/alice2.zip" reddit)
refused 1 "account 'alice_r', not of --handle 'bob_r'" \
  alice pool contribute reddit-dao "$A2FILE" --handle bob_r
[ "$(alice --json contribution list | grep -c '"pool_id"')" -eq 1 ] ||
  fail "a refused contribution reached the ledger"

step "a pool for a source no importer reads is refused (usage error: exit 2)"
refused 2 "sources with importers: reddit, x, spotify, oura" \
  alice pool create fb-dao --source facebook --validator "$W/val.pub.json"

step "before the validator runs, the contributions are pending"
alice contribution show "$ALICE_C"
[ "$(alice --json contribution show "$ALICE_C" | jbool attested)" = false ] ||
  fail "contribution $ALICE_C should be pending"

step "val runs the validator once: decrypts, imports, scores and attests every contribution"
val validator run --pool reddit-dao --once

step "a validator whose account has no credits cannot attest: --once exits 1 and says why"
val2 wallet create val2 --kdf interactive
val2 wallet export-public -o "$W/val2.pub.json"
alice pool create unfunded-dao --source reddit --validator "$W/val2.pub.json" >/dev/null
alice pool contribute unfunded-dao "$A2FILE" --handle alice_r
refused 1 "the validator's account needs credits" val2 validator run --pool unfunded-dao --once

points() { alice --json contribution show "$1" | jnum points; }
for c in "$ALICE_C" "$BOB_C" "$COPY_C"; do alice contribution show "$c"; done
[ "$(alice --json contribution show "$ALICE_C" | jbool attested)" = true ] ||
  fail "alice's contribution was not attested"
A_PTS=$(points "$ALICE_C")
B_PTS=$(points "$BOB_C")
C_PTS=$(points "$COPY_C")
[ "${A_PTS:-0}" -gt 0 ] || fail "alice's export should earn points"
[ "${B_PTS:-0}" -gt 0 ] || fail "bob's own export should earn points"
[ "$C_PTS" = 0 ] || fail "the copy of alice's export earned $C_PTS points"
[ "$(alice --json contribution show "$COPY_C" | jbool handle_conflict)" = true ] ||
  fail "bob's claim of alice's handle should be a handle conflict"
A_TOK=$(alice --json pool tokens reddit-dao | jnum tokens)
B_TOK=$(alice --json pool tokens reddit-dao --of "$W/bob.pub.json" | jnum tokens)
[ "$A_TOK" -eq $((A_PTS * 1000)) ] || fail "alice holds $A_TOK tokens, expected $A_PTS x 1000"
[ "$B_TOK" -eq $((B_PTS * 1000)) ] || fail "bob holds $B_TOK tokens, expected $B_PTS x 1000"
[ "$(alice --json pool show reddit-dao | jnum token_supply)" -eq $((A_TOK + B_TOK)) ] ||
  fail "the token supply is not the sum of the holdings"

step "Oura exports carry no account: no --handle; a re-upload is owned but all duplicates"
alice fixture oura --seed 44 --records 5 -o "$W/alice_oura.zip" | tee "$W/out"
grep -q "Oura exports carry no account name" "$W/out" || fail "fixture oura should say it has no account"
grep -q "account ''" "$W/out" && fail "fixture oura printed an empty account"
alice pool create oura-dao --source oura --validator "$W/val.pub.json" >/dev/null
oura_contribute() {
  local who=$1 file
  file=$(register "$who" "$W/alice_oura.zip" oura)
  "$who" --json pool contribute oura-dao "$file" | jnum contribution_id
}
OURA_A=$(oura_contribute alice)
val validator run --pool oura-dao --once
OURA_B=$(oura_contribute bob)
val validator run --pool oura-dao --once
alice contribution show "$OURA_A" | tee "$W/out"
grep -q "an oura export" "$W/out" || fail "the explanation should say 'an oura export'"
grep -q "ownership rests on the contributing wallet" "$W/out" ||
  fail "the explanation should say ownership rests on the wallet"
[ "$(points "$OURA_A")" -gt 0 ] || fail "alice's Oura export should earn points"
bob contribution show "$OURA_B" | tee "$W/out"
[ "$(bob --json contribution show "$OURA_B" | jbool owned)" = true ] ||
  fail "bob's re-upload of Oura days is his wallet's: owned"
[ "$(points "$OURA_B")" = 0 ] || fail "a re-upload of the same Oura days earned points"
grep -q "no record was accepted" "$W/out" || fail "points 0 should be explained by the records"

step "alice proposes doubling the reward; alice and bob vote yes"
PROP=$(alice --json pool propose reddit-dao --param reward_per_point --value 2000 \
  --description "double the reward" | jnum proposal_id)
[ -n "$PROP" ] || fail "pool propose printed no proposal id"
alice pool vote reddit-dao "$PROP" --yes
bob pool vote reddit-dao "$PROP" --yes
if bob pool vote reddit-dao "$PROP" --no 2>"$W/err"; then fail "bob voted twice"; fi
cat "$W/err"
refused 2 "say --yes or --no" alice pool vote reddit-dao "$PROP"
if val pool vote reddit-dao "$PROP" --yes 2>"$W/err"; then fail "val voted without tokens"; fi
cat "$W/err"
alice pool proposals reddit-dao
[ "$(alice --json pool show reddit-dao | jnum reward_per_point)" = 1000 ] ||
  fail "the reward changed before the vote closed"

step "blocks pass (heartbeat blocks while the proposal is open; small transfers add more)"
DEADLINE=$(alice --json pool proposals reddit-dao | jnum deadline)
while [ "$(operator --json node status | jnum height)" -le "$DEADLINE" ]; do
  alice transfer --to "$W/bob.pub.json" --amount 1 >/dev/null
done
alice pool proposals reddit-dao
[ "$(alice --json pool proposals reddit-dao | jstr status)" = passed ] ||
  fail "the proposal should have passed"
[ "$(alice --json pool show reddit-dao | jnum reward_per_point)" = 2000 ] ||
  fail "the reward per point should now be 2000"
alice pool show reddit-dao

echo
echo "pools walkthrough: all steps passed"
