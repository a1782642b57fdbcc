# Shared by the scenario scripts (walkthrough.sh, pools_walkthrough.sh); sourced, not run.
#
#   scenario_init NAME [path/to/datadao]   sets DD (absolute) and W (a fresh work dir removed on
#                                          exit, with the node started by start_node stopped),
#                                          a random $DATADAO_PASSPHRASE, and `operator CMD...`
#                                          (the CLI with the node's home, $W/operator)
#   people NAME...                         defines `NAME CMD...`: the CLI as NAME's wallet, in
#                                          NAME's own home ($W/NAME)
#   step TEXT / fail TEXT                  print a step heading / fail the scenario
#   start_node PORT_FILE                   start the node of $W/operator on a free port (stderr
#                                          appended to $W/node.log), set NODE_PID and DATADAO_NODE
#   jstr / jnum / jbool KEY                the first string / number / boolean "KEY": in the JSON
#                                          on stdin (the CLI prints one key per line with --json)
#   refused CODE TEXT CMD...               CMD must exit CODE and say TEXT on stderr (shown)

scenario_init() {
  SCENARIO=$1
  DD=${2:-build/src/cli/datadao}
  DD=$(cd "$(dirname "$DD")" && pwd)/$(basename "$DD")
  W=$(mktemp -d "/tmp/datadao-$SCENARIO.XXXXXX")
  NODE_PID=""
  trap scenario_cleanup EXIT
  DATADAO_PASSPHRASE=$(head -c 18 /dev/urandom | base64)
  export DATADAO_PASSPHRASE
}

operator() { DATADAO_HOME=$W/operator "$DD" "$@"; }

people() {
  local n
  for n in "$@"; do
    eval "$n() { DATADAO_HOME=\$W/$n \"\$DD\" --wallet $n \"\$@\"; }"
  done
}

scenario_cleanup() {
  [ -n "$NODE_PID" ] && kill "$NODE_PID" 2>/dev/null && wait "$NODE_PID" 2>/dev/null
  rm -rf "$W"
}

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
fail() { echo "$SCENARIO FAILED: $*" >&2; exit 1; }

start_node() {
  local port_file=$1
  # Started directly (not through a shell function) so that $! is the node's own pid.
  DATADAO_HOME=$W/operator "$DD" node start --port 0 --port-file "$port_file" 2>>"$W/node.log" &
  NODE_PID=$!
  for _ in $(seq 100); do [ -s "$port_file" ] && break; sleep 0.1; done
  [ -s "$port_file" ] || { cat "$W/node.log"; fail "node did not start"; }
  export DATADAO_NODE="http://127.0.0.1:$(cat "$port_file")"
}

jstr() { sed -n "s/^ *\"$1\": \"\([^\"]*\)\".*/\1/p" | head -n 1; }
jnum() { sed -n "s/^ *\"$1\": \([0-9][0-9]*\).*/\1/p" | head -n 1; }
jbool() { sed -n "s/^ *\"$1\": \(true\|false\).*/\1/p" | head -n 1; }

refused() {
  local code=$1 says=$2 rc=0
  shift 2
  "$@" 2>"$W/err" || rc=$?
  cat "$W/err"
  [ "$rc" -eq "$code" ] || fail "'$*' exited $rc, expected $code"
  grep -qF -- "$says" "$W/err" || fail "'$*' should say: $says"
}
