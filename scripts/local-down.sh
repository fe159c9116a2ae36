#!/usr/bin/env bash
# Stops a local stack started with scripts/local-up.sh --detach (or one running in another terminal),
# with every process it started: moto's server and the function JVMs. Idempotent: says so when
# nothing runs. See docs/local-runtime.md.
#
#   scripts/local-down.sh [--state-dir DIR] [--grace SECONDS]
#
#   --state-dir DIR   the state folder the stack was started with (default .local)
#   --grace SECONDS   how long it may take to stop cleanly before it is killed (default 30)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

STATE_DIR=.local
GRACE=30
while [[ $# -gt 0 ]]; do
  case "$1" in
    --state-dir) [[ $# -ge 2 ]] || { echo "local-down: --state-dir needs a value" >&2; exit 2; }; STATE_DIR="$2"; shift 2 ;;
    --state-dir=*) STATE_DIR="${1#*=}"; shift ;;
    --grace) [[ $# -ge 2 ]] || { echo "local-down: --grace needs a value" >&2; exit 2; }; GRACE="$2"; shift 2 ;;
    --grace=*) GRACE="${1#*=}"; shift ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "local-down: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done
[[ "$GRACE" =~ ^[0-9]+$ ]] || { echo "local-down: --grace must be a number of seconds" >&2; exit 2; }
PID_FILE="$STATE_DIR/local.pid"

PID=""
[[ -f "$PID_FILE" ]] && PID="$(tr -dc '0-9' < "$PID_FILE")"
if [[ -z "$PID" ]] || ! kill -0 "$PID" 2>/dev/null; then
  [[ -f "$PID_FILE" ]] && rm -f "$PID_FILE" && echo "local-down: removed the stale $PID_FILE"
  echo "local-down: no local stack is running (no live pid in $PID_FILE)."
  exit 0
fi

# every process below the stack (moto's server, function JVMs), collected before they lose their parent
descendants() {
  local kids kid
  kids="$(pgrep -P "$1" 2>/dev/null || true)"
  for kid in $kids; do
    echo "$kid"
    descendants "$kid"
  done
}
CHILDREN=($(descendants "$PID"))
describe() { # PID -> "python3 (moto's server)" / "java (function JVM)"
  local args
  args="$(ps -o args= -p "$1" 2>/dev/null || true)"
  case "$args" in
    *moto.server*) echo "moto's server" ;;
    *AWSLambda*|*lambda.runtime.api.client*) echo "function JVM" ;;
    "") echo "process" ;;
    *) echo "${args%% *}" ;;
  esac
}
declare -A KINDS=()
for c in "${CHILDREN[@]}"; do
  kind="$(describe "$c")"
  KINDS[$kind]=$(( ${KINDS[$kind]:-0} + 1 ))
done

echo "local-down: stopping the local stack (pid $PID)..."
kill -TERM "$PID" 2>/dev/null || true
DEADLINE=$(( SECONDS + GRACE ))
while kill -0 "$PID" 2>/dev/null && (( SECONDS < DEADLINE )); do sleep 0.2; done
if kill -0 "$PID" 2>/dev/null; then
  echo "local-down: it did not stop within ${GRACE} s: killing it"
  kill -KILL "$PID" 2>/dev/null || true
  sleep 0.2
fi

# whatever outlived it (after a KILL, or a child that ignored TERM)
LEFT=()
for c in "${CHILDREN[@]}"; do kill -0 "$c" 2>/dev/null && LEFT+=("$c"); done
if (( ${#LEFT[@]} > 0 )); then
  kill -TERM "${LEFT[@]}" 2>/dev/null || true
  for _ in $(seq 1 25); do
    STILL=()
    for c in "${LEFT[@]}"; do kill -0 "$c" 2>/dev/null && STILL+=("$c"); done
    (( ${#STILL[@]} == 0 )) && break
    sleep 0.2
  done
  for c in "${LEFT[@]}"; do kill -0 "$c" 2>/dev/null && kill -KILL "$c" 2>/dev/null || true; done
  echo "local-down: stopped ${#LEFT[@]} left-over process(es): ${LEFT[*]}"
fi
rm -f "$PID_FILE"

SUMMARY=""
for kind in "${!KINDS[@]}"; do
  n=${KINDS[$kind]}
  if [[ "$kind" == "moto's server" ]]; then
    SUMMARY+="${SUMMARY:+, }moto's server"
  elif (( n > 1 )); then
    SUMMARY+="${SUMMARY:+, }$n ${kind}s"
  else
    SUMMARY+="${SUMMARY:+, }1 $kind"
  fi
done
ORPHANS=()
for c in "${CHILDREN[@]}"; do kill -0 "$c" 2>/dev/null && ORPHANS+=("$c"); done
if (( ${#ORPHANS[@]} > 0 )); then
  echo "local-down: these processes would not stop: ${ORPHANS[*]}" >&2
  exit 1
fi
echo "local-down: stopped the local stack (pid $PID)${SUMMARY:+ and $SUMMARY}."
