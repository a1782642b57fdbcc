#!/usr/bin/env bash
# `datadao attribute knn-shapley` through the real binary: values against exact brute-force
# Shapley values (computed with rational arithmetic), --json, and refusals.
# Usage: cli_knn_shapley.sh path/to/datadao
set -euo pipefail
bin=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

printf '0,0,0\n1,0,1\n0,1,1\n2,2,0\n1,0,1\n' >"$dir/train.csv"  # row 4 copies row 1
printf '0.2,0.1,1\n1.5,1.5,0\n' >"$dir/valid.csv"

# Brute force over all 2^5 coalitions, K = 2: -1/40, 1/10, 1/10, 9/40, 1/10.
"$bin" attribute knn-shapley --train "$dir/train.csv" --valid "$dir/valid.csv" --k 2 \
  --threads 2 >"$dir/out.txt"
printf -- '-0.025\n0.1\n0.1\n0.225\n0.1\n' >"$dir/expected.txt"
[ "$(wc -l <"$dir/out.txt")" -eq 5 ] || fail "expected 5 lines, got: $(cat "$dir/out.txt")"
paste "$dir/out.txt" "$dir/expected.txt" | awk '
  { d = $1 - $2; if (d < 0) d = -d; if (d > 1e-12) { print "row " NR-1 ": " $1 " != " $2; bad = 1 } }
  END { exit bad }' || fail "values differ from brute force"
grep -Eq '^-?[0-9.]+(e-?[0-9]+)?$' "$dir/out.txt" || fail "unexpected format"

"$bin" attribute knn-shapley --train "$dir/train.csv" --valid "$dir/valid.csv" --k 2 --json \
  >"$dir/out.json"
json=$(tr -d ' \n' <"$dir/out.json")
[[ $json == '{"k":2,"values":['*']}' ]] || fail "json: $json"
json=${json#*[}
echo "${json%]\}}" | tr ',' '\n' | paste - "$dir/expected.txt" | awk '
  { d = $1 - $2; if (d < 0) d = -d; if (d > 1e-12 || NF != 2) bad = 1 } END { exit bad || NR != 5 }' ||
  fail "json values: $(cat "$dir/out.json")"

# A bad label: non-zero exit, the message names the file and the line.
printf '0,0,0\n1,0,x\n' >"$dir/bad.csv"
if "$bin" attribute knn-shapley --train "$dir/bad.csv" --valid "$dir/valid.csv" --k 2 \
    2>"$dir/err.txt" >/dev/null; then
  fail "bad label accepted"
fi
grep -q "bad.csv: line 2: label 'x' is not an integer" "$dir/err.txt" || fail "error: $(cat "$dir/err.txt")"

# Usage errors exit 2.
set +e
"$bin" attribute knn-shapley --train "$dir/train.csv" --valid "$dir/valid.csv" --k 0 \
  >/dev/null 2>"$dir/err.txt"
code=$?
set -e
[ "$code" -eq 2 ] || fail "--k 0 exited $code, expected 2"
grep -q -- "--k" "$dir/err.txt" || fail "usage error does not name --k: $(cat "$dir/err.txt")"
echo "cli_knn_shapley: ok"
