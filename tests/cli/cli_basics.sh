#!/usr/bin/env bash
# What a new user meets first, through the real binary: --version; text by default and one
# JSON error line under --json; `import` names the entries it skipped; the model commands run in
# datadao-ml without the user knowing.
# Usage: tests/cli/cli_basics.sh path/to/datadao
set -euo pipefail
DD=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export DATADAO_HOME="$T/home"
fail() { echo "FAIL: $*" >&2; exit 1; }

v=$("$DD" --version)
[[ "$v" =~ ^datadao\ [0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "--version printed '$v'"

# A usage error under --json: exit 2, one JSON line on stderr with code "usage".
set +e; "$DD" --json tx show 2>"$T/err" >"$T/out"; rc=$?; set -e
[ "$rc" -eq 2 ] || fail "usage error exited $rc"
python3 - "$T/err" <<'PY' || fail "usage error is not a JSON error line: $(cat "$T/err")"
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 1, lines
e = json.loads(lines[0])["error"]
assert e["code"] == "usage" and "id" in e["message"], e
PY

# A bad argument under --json: exit 1, code "invalid argument", the message names the input.
set +e; "$DD" tx show nothex --json 2>"$T/err"; rc=$?; set -e
[ "$rc" -eq 1 ] || fail "bad id exited $rc"
python3 -c 'import json,sys; e=json.loads(open(sys.argv[1]).read())["error"]; assert e["code"]=="invalid argument" and "transaction id" in e["message"], e' "$T/err" ||
  fail "bad id: $(cat "$T/err")"

# An unreachable node under --json: the hint rides in the JSON; in text it is its own line.
set +e; "$DD" --json --node http://127.0.0.1:9 tx show "$(printf '%064d' 0)" 2>"$T/err"; rc=$?; set -e
[ "$rc" -eq 1 ] || fail "unreachable node exited $rc"
python3 -c 'import json,sys; e=json.loads(open(sys.argv[1]).read())["error"]; assert e["code"]=="I/O error" and "--node" in e["hint"], e' "$T/err" ||
  fail "unreachable node: $(cat "$T/err")"
set +e; "$DD" --node http://127.0.0.1:9 tx show "$(printf '%064d' 0)" 2>"$T/err"; set -e
grep -q '^error: ' "$T/err" && grep -q '^hint: ' "$T/err" || fail "text error: $(cat "$T/err")"

# import: records on stdout, a text summary on stderr that names each skipped entry and why.
"$DD" fixture reddit --seed 3 --records 2 -o "$T/export.zip" >/dev/null
python3 -c 'import zipfile,sys; z=zipfile.ZipFile(sys.argv[1],"a"); z.writestr("comment_headers.csv","id\r\n"); z.close()' "$T/export.zip"
"$DD" import reddit "$T/export.zip" >"$T/records.jsonl" 2>"$T/summary"
[ -s "$T/records.jsonl" ] || fail "import wrote no records"
grep -q '^imported [0-9]* records from a reddit export' "$T/summary" || fail "summary: $(cat "$T/summary")"
grep -q '^  comment_headers.csv: ' "$T/summary" || fail "skipped entry not named: $(cat "$T/summary")"
"$DD" --json import reddit "$T/export.zip" >/dev/null 2>"$T/summary.json"
python3 -c 'import json,sys; s=json.loads(open(sys.argv[1]).read()); assert "comment_headers.csv" in [e["name"] for e in s["skipped"]], s' "$T/summary.json" ||
  fail "json summary: $(cat "$T/summary.json")"
# `datadao` loads no libtorch; the model commands it hands to datadao-ml beside it, and without
# that binary it says which file is missing.
if readelf -d "$DD" | grep -q 'NEEDED.*torch'; then fail "datadao links libtorch"; fi
[ -x "$(dirname "$DD")/datadao-ml" ] || fail "no datadao-ml beside $DD"
"$DD" --help | grep -q '^  demo ' || fail "--help does not list the demo (datadao-ml's help)"
mkdir "$T/alone" && cp "$DD" "$T/alone/datadao"
set +e; "$T/alone/datadao" demo models 2>"$T/err"; rc=$?; set -e
[ "$rc" -eq 1 ] || fail "datadao without datadao-ml exited $rc"
grep -q "datadao-ml" "$T/err" && grep -q "$T/alone/datadao-ml" "$T/err" || fail "missing datadao-ml: $(cat "$T/err")"
"$T/alone/datadao" --version >/dev/null || fail "datadao alone cannot run a light command"
echo "cli basics: ok"
