#!/usr/bin/env bash
# Ownership and paid use end to end through the real binary and a real node: alice and bob
# contribute Reddit exports to a pool run by "val"; a developer proposes a model; alice and bob
# approve and consent; val's runner trains it, values each contributor (exact KNN-Shapley) and
# publishes the shares; carol calls the model through the node, each call paid; the owners'
# rewards are exactly price x calls x share units; the larger holder claims, gives share units
# to the other, who earns more from the next call. Every step checks its result.
#
# Usage: scripts/models_walkthrough.sh [path/to/datadao]   (CTest: cli_models_walkthrough)
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
scenario_init models-walkthrough "${1:-}"
people alice bob val dev carol

step "wallets; a node whose genesis gives everyone credits"
for who in alice bob val dev carol; do
  DATADAO_HOME=$W/$who "$DD" --wallet $who wallet create $who --kdf interactive >/dev/null
  DATADAO_HOME=$W/$who "$DD" --wallet $who wallet export-public -o "$W/$who.pub.json"
done
operator node init --alloc "$W/alice.pub.json=1000" --alloc "$W/bob.pub.json=1000" \
  --alloc "$W/val.pub.json=1000" --alloc "$W/dev.pub.json=1000" \
  --alloc "$W/carol.pub.json=100" --block-interval-ms 20
start_node "$W/port"
alice pool create reddit-dao --source reddit --validator "$W/val.pub.json" \
  --reward-per-point 1000 --quorum-bps 2000 --voting-period 100 >/dev/null

step "alice and bob contribute Reddit exports; val validates"
for who in alice bob; do
  seed=$([ $who = alice ] && echo 11 || echo 22)
  "$who" fixture reddit --seed "$seed" --user "${who}_r" --records 20 --realistic-text \
    -o "$W/$who.zip" >/dev/null
  hash=$("$who" --json vault put "$W/$who.zip" | jstr blob_hash)
  file=$("$who" --json file register "$hash" --source reddit | jnum file_id)
  "$who" pool contribute reddit-dao "$file" --handle "${who}_r" >/dev/null
done
val validator run --pool reddit-dao --once >/dev/null

step "dev proposes a model (price 3 credits per call); alice and bob approve and consent"
MODEL=$(dev --json model propose --pool reddit-dao --kind text --purpose research \
  --description "post generator" --field text --no-dp --min-contributors 2 --price 3 --fee 10 \
  --consent-blocks 75 \
  --spec "layers=1 width=16 heads=2 context=16 vocab=80 steps=8 batch=4 lr=0.01" | jnum id)
[ -n "$MODEL" ] || fail "model propose printed no model id"
# Windows are counted in blocks (a heartbeat block every 10 block intervals while a model is
# open: 100 blocks is 20 s at the least); vote first, the CLI's passphrase KDF takes a moment.
alice model vote "$MODEL" --pool reddit-dao --yes >/dev/null
bob model vote "$MODEL" --pool reddit-dao --yes >/dev/null
dev model show "$MODEL" | grep -q "attribution       knn_shapley" ||
  fail "model show should name the attribution method"
refused 2 "tracin is not implemented for text models" \
  dev model propose --pool reddit-dao --kind text --purpose research --description x \
  --field text --no-dp --price 1 --attribution tracin
status() { dev --json model show "$MODEL" | jstr status; }
wait_status() {
  for _ in $(seq 1200); do
    [ "$(status)" = "$1" ] && return 0
    sleep 0.1
  done
  fail "model $MODEL is $(status), expected $1"
}
wait_status consent
alice model consent "$MODEL" --all >/dev/null
bob model consent "$MODEL" --all >/dev/null
wait_status training

step "val's runner trains, values each contributor and publishes the shares"
val runner run --pool reddit-dao --once
wait_status published
dev model show "$MODEL"
dev model shares "$MODEL"
HOLDERS=$(dev --json model shares "$MODEL" | grep -c '"account"')
[ "$HOLDERS" -ge 1 ] && [ "$HOLDERS" -le 2 ] || fail "only alice and bob may hold shares"
# A holder's share units and accrued reward units of the model (0 when it holds none).
shares_of() {
  local v
  v=$("$1" --json account show | tr -d ' \n' |
    sed -n "s/.*\"model_id\":$MODEL,\"shares\":\([0-9]*\).*/\1/p")
  echo "${v:-0}"
}
accrued_of() {
  local v
  v=$("$1" --json account show | tr -d ' \n' | sed -n "s/.*\"accrued_units\":\"\([0-9]*\)\",\"claimable_credits\":[0-9]*,\"kind\":\"[a-z_]*\",\"model_id\":$MODEL,.*/\1/p")
  echo "${v:-0}"
}
A_SH=$(shares_of alice)
B_SH=$(shares_of bob)
echo "alice holds $A_SH, bob $B_SH of 10^9 share units"
[ $((A_SH + B_SH)) -eq 1000000000 ] || fail "shares $A_SH + $B_SH should be 10^9"
[ "$(carol --json account show | tr -d ' \n' | grep -c "\"model_id\":$MODEL")" -eq 0 ] ||
  fail "carol contributed nothing and must hold nothing"

step "carol calls the model 4 times through the node; each call pays 3 credits"
carol model use "$MODEL" --prompt "the best" --tokens 6 --calls 4 | tee "$W/out"
[ "$(wc -l <"$W/out")" -eq 4 ] || fail "four calls should print four texts"
[ "$(carol --json account show | jnum credits)" -eq $((100 - 12)) ] ||
  fail "carol should have paid 12 credits"
dev model rewards "$MODEL"
[ "$(dev --json model rewards "$MODEL" | jnum uses)" -eq 4 ] || fail "the ledger should count 4 uses"
refused 1 "give --prompt" carol model use "$MODEL" --prompt x --features 1,2
[ "$(dev --json model rewards "$MODEL" | jnum uses)" -eq 4 ] || fail "a refused call was charged"

step "alice's and bob's rewards are exactly price x calls x share units (reward units: 10^9 per credit)"
alice account show
[ "$(accrued_of alice)" = "$((3 * 4 * A_SH))" ] || fail "alice accrued $(accrued_of alice), expected $((3 * 4 * A_SH))"
[ "$(accrued_of bob)" = "$((3 * 4 * B_SH))" ] || fail "bob accrued $(accrued_of bob), expected $((3 * 4 * B_SH))"

# The larger holder (TOP) claims and then gives share units to the other (OTHER).
if [ "$A_SH" -ge "$B_SH" ]; then TOP=alice OTHER=bob T_SH=$A_SH O_SH=$B_SH; else TOP=bob OTHER=alice T_SH=$B_SH O_SH=$A_SH; fi

step "$TOP claims whole credits; the sub-credit rest stays accrued"
BEFORE=$("$TOP" --json account show | jnum credits)
"$TOP" rewards claim
AFTER=$("$TOP" --json account show | jnum credits)
[ $((AFTER - BEFORE)) -eq $((3 * 4 * T_SH / 1000000000)) ] || fail "$TOP claimed $((AFTER - BEFORE))"
[ "$(accrued_of "$TOP")" = "$((3 * 4 * T_SH % 1000000000))" ] || fail "the sub-credit rest was lost"

step "$TOP gives $OTHER 1000 share units: what accrued before stays; the next call pays $OTHER more"
O_BEFORE=$(accrued_of "$OTHER")
T_REST=$(accrued_of "$TOP")
"$TOP" model transfer-shares "$MODEL" --to "$W/$OTHER.pub.json" --amount 1000
carol model use "$MODEL" --prompt "why" --tokens 4 >/dev/null
[ "$(accrued_of "$TOP")" = "$((T_REST + 3 * (T_SH - 1000)))" ] || fail "$TOP's rewards after the transfer"
[ "$(accrued_of "$OTHER")" = "$((O_BEFORE + 3 * (O_SH + 1000)))" ] || fail "$OTHER's rewards after the transfer"
refused 1 "nothing to claim" carol rewards claim

echo
echo "models walkthrough: all steps passed"
