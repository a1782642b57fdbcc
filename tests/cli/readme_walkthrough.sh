#!/usr/bin/env bash
# Runs the README's walkthrough block exactly as written, so the README cannot drift from the
# CLI. The block starts from the repository root and puts $PWD/build/src/cli on PATH: here a
# scratch "repository" whose build/src/cli/datadao is the binary under test stands in for it.
#
# Usage: tests/cli/readme_walkthrough.sh path/to/datadao     (CTest: cli_readme_walkthrough)
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
DD=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
W=$(mktemp -d /tmp/datadao-readme.XXXXXX)
trap 'rm -rf "$W"' EXIT

# The first ```sh block after "## Walkthrough".
awk '/^## Walkthrough/ { in_section = 1 }
     in_section && /^```sh$/ { in_block = 1; next }
     in_block && /^```$/ { exit }
     in_block { print }' "$REPO/README.md" > "$W/block.sh"
[ -s "$W/block.sh" ] || { echo "no walkthrough block in $REPO/README.md" >&2; exit 1; }

mkdir -p "$W/repo/build/src/cli" "$W/tmp"
ln -s "$DD" "$W/repo/build/src/cli/datadao"
cd "$W/repo"
# Fail on the first failing command, and stop the block's node whatever happens.
TMPDIR=$W/tmp env -u DATADAO_NODE -u DATADAO_HOME -u DATADAO_WALLET bash -c '
  trap "kill \$(jobs -p) 2>/dev/null || true" EXIT
  set -euo pipefail
  . "$1"' readme-walkthrough "$W/block.sh"
echo "README walkthrough: ran as written"
