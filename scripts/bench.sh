#!/usr/bin/env bash
# The stack's performance in one run (docs/benchmarks.md): raw backend write rate, projection rate over a sustained
# burst and its ratio to the raw rate, sync latency p50/p90/p99/max at a light and a saturating rate, API vs direct
# query, start-up to first query, cold and warm invokes per function, each jar's size.
#
#   scripts/bench.sh [--quick] [--before] [--name NAME] [bench options...]
#   scripts/bench.sh --outputs FILE [bench options...]     # a running stack: embedded, LocalStack, AWS
#
#   (no --outputs)  starts an embedded stack of its own on a free port (state in .local/bench-<port>), from the
#                   cloud assembly in cdk.out (built and synthesized first when missing or older than their sources), measures, stops it
#   --quick         small numbers (300 commands instead of 20,000): a first look, or a test
#   --before        the embedded stack as it was before issue 13: batching window 1 s, poller idle 250 ms, no
#                   connection reuse (functions -> edge: -Dhttp.keepAlive=false; edge -> moto: MOTO_KEEP_ALIVE=false),
#                   stream-processor writing one record at a time (PROJECTION_CONCURRENCY=1); name "before"
#   --window N      the batching window of the embedded stack's template (default 0, as the CDK app synthesizes)
#   --poller-idle-ms N   the embedded stack's poller idle pause (default: its own, 50)
#   --jfr           record a JFR profile of the stack's JVM and of every function JVM into the state folder
#   --keep-running  leave the embedded stack up afterwards (stop it with scripts/local-down.sh --state-dir DIR)
#   every other option goes to ops-cli bench (scripts/bench.sh --help-bench lists them: --count, --burst, --samples,
#   --threads, --users, --timeout, --out-dir, --date ...)
#
# Writes bench/results/<date>-<name>.json and .md; progress on stderr. Exit codes: 0 written, 1 a measurement
# failed (still written), 2 usage, connection or start-up error.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

usage() { sed -n '2,/^set -euo pipefail/{/^#/p}' "$0" | sed 's/^# \{0,1\}//'; }
BEFORE=false
WINDOW=
IDLE=
JFR=false
KEEP=false
EXTERNAL=false
NAME=
PASS=()
need_value() { [[ $# -ge 2 && -n "$2" ]] || { echo "bench: $1 needs a value" >&2; exit 2; }; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --help-bench) exec "$ROOT/ops-cli/run.sh" bench --help ;;
    --before) BEFORE=true; shift ;;
    --window) need_value "$@"; WINDOW="$2"; shift 2 ;;
    --poller-idle-ms) need_value "$@"; IDLE="$2"; shift 2 ;;
    --jfr) JFR=true; shift ;;
    --keep-running) KEEP=true; shift ;;
    --name) need_value "$@"; NAME="$2"; shift 2 ;;
    --outputs|--endpoint|--api-url) EXTERNAL=true; PASS+=("$1"); shift ;;
    --outputs=*|--endpoint=*|--api-url=*) EXTERNAL=true; PASS+=("$1"); shift ;;
    *) PASS+=("$1"); shift ;;
  esac
done

if $EXTERNAL; then
  $BEFORE && { echo "bench: --before configures the embedded stack bench starts; not with --outputs" >&2; exit 2; }
  exec "$ROOT/ops-cli/run.sh" bench --name "${NAME:-bench}" "${PASS[@]}"
fi

if $BEFORE; then
  WINDOW="${WINDOW:-1}"; IDLE="${IDLE:-250}"; NAME="${NAME:-before}"
fi
WINDOW="${WINDOW:-0}"
NAME="${NAME:-bench}"
[[ "$WINDOW" =~ ^[0-9]+$ && "$WINDOW" -le 300 ]] || { echo "bench: --window must be 0..300 seconds" >&2; exit 2; }
[[ -z "$IDLE" || "$IDLE" =~ ^[0-9]+$ ]] || { echo "bench: --poller-idle-ms must be a number" >&2; exit 2; }

# ---- what the stack runs from: the jars and the cloud assembly, built and synthesized when missing or older than
#      their sources, by scripts/local-up.sh's own rules
scripts/local-up.sh --build-only >&2

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
STATE=".local/bench-$PORT"
rm -rf "$STATE"
mkdir -p "$STATE"
# the cloud assembly with this run's batching window (what -c streamBatchingWindowSeconds=N synthesizes) and, for
# --before, the stream processor writing one record at a time
cp -r cdk.out "$STATE/cdk.out"
python3 - "$STATE/cdk.out" "$WINDOW" "$BEFORE" <<'PY'
import glob, json, sys
out, window, before = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "true"
for path in glob.glob(out + "/*.template.json"):
    t = json.load(open(path))
    for r in t.get("Resources", {}).values():
        p = r.get("Properties", {})
        if r.get("Type") == "AWS::Lambda::EventSourceMapping":
            p["MaximumBatchingWindowInSeconds"] = window
        if before and r.get("Type") == "AWS::Lambda::Function" and "NOTIFICATION_TABLE" in p.get("Environment", {}).get("Variables", {}) \
                and "MARKETING_INDEX" not in p["Environment"]["Variables"]:
            p["Environment"]["Variables"]["PROJECTION_CONCURRENCY"] = "1"
    json.dump(t, open(path, "w"), indent=1)
PY

STACK_ARGS=(--detach --no-build --port "$PORT" --state-dir "$STATE" --cdk-out "$STATE/cdk.out")
CONFIG="embedded stack on port $PORT, batching window $WINDOW s"
[[ -n "$IDLE" ]] && STACK_ARGS+=(--poller-idle-ms "$IDLE")
CONFIG="$CONFIG, poller idle ${IDLE:-50 (default)} ms"
if $BEFORE; then
  STACK_ARGS+=(--lambda-jvm-option -Dhttp.keepAlive=false)
  export MOTO_KEEP_ALIVE=false
  CONFIG="$CONFIG, no connection reuse (functions -Dhttp.keepAlive=false, moto closing), PROJECTION_CONCURRENCY=1"
else
  CONFIG="$CONFIG, connections kept alive, PROJECTION_CONCURRENCY default"
fi
if $JFR; then
  STACK_ARGS+=(--lambda-jvm-option "-XX:StartFlightRecording=filename=$ROOT/$STATE/jfr/,settings=profile")
  mkdir -p "$STATE/jfr"
  export LOCAL_STACK_JAVA_OPTS="-XX:+UseSerialGC -XX:StartFlightRecording=filename=$ROOT/$STATE/jfr/stack.jfr,settings=profile"
  CONFIG="$CONFIG, JFR profiles in $STATE/jfr"
fi

stop() {
  if $KEEP; then
    echo "bench: the stack keeps running: scripts/local-down.sh --state-dir $STATE" >&2
  else
    scripts/local-down.sh --state-dir "$STATE" >&2 || true
  fi
}
trap stop EXIT
echo "bench: starting the embedded stack ($CONFIG)..." >&2
STARTED_AT="$(python3 -c 'import time; print(int(time.time() * 1000))')"
scripts/local-up.sh "${STACK_ARGS[@]}" >&2 || { echo "bench: the stack did not start (see $STATE/logs)" >&2; exit 2; }
set +e
"$ROOT/ops-cli/run.sh" bench --name "$NAME" --outputs "$STATE/outputs.json" --started-at "$STARTED_AT" \
  --invocations-log "$STATE/logs/invocations.log" --config "$CONFIG" "${PASS[@]}"
CODE=$?
set -e
exit $CODE
