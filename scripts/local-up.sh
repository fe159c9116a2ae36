#!/usr/bin/env bash
# Starts the embedded local stack (no Docker): builds what is missing or stale, synthesizes the CDK app,
# then runs io.pushcqrs.local.LocalStackMain from local-runtime/. See docs/local-runtime.md.
#
#   scripts/local-up.sh [--detach] [--empty] [--no-build] [--port N] [other LocalStackMain options...]
#
#   --detach      run in the background (pid in .local/local.pid, output in .local/logs/local.log);
#                 returns once the stack answers, stop it with scripts/local-down.sh
#   --empty       start with nothing deployed (no synthesis); deploy into it with the CDK CLI:
#                 scripts/deploy.sh --target local (cdk bootstrap + cdk deploy against the edge)
#   --no-build    use the jars and cdk.out as they are (no Maven build, no synthesis)
#   --build-only  build and synthesize what is missing or stale, then exit without starting anything
#                 (what scripts/bench.sh runs before it starts a stack of its own)
#   --port N      edge port (default 4566); --host, --moto-port, --cdk-out, --stack, --state-dir,
#                 --log-dir, --api-key, --max-envs, --lambda-jvm-option, --iam are passed to LocalStackMain
#   --persist [DIR] keep tables, queues, items and the stream position across local-down / local-up
#                 (moto's request recorder in DIR, default <state-dir>/persist, replayed at the next start;
#                 what a hard kill loses: docs/reliability.md, "Persistence")
#   --faults SPEC inject faults (seeded): docs/reliability.md, "Faults"
#
# In the foreground, Ctrl-C stops everything the stack started. A second start while one runs says
# so and exits 1 without starting anything.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

DETACH=false
EMPTY=false
BUILD=true
BUILD_ONLY=false
PORT=4566
HOST=127.0.0.1
STATE_DIR=.local
LOG_DIR=
CDK_OUT=cdk.out
PASS=()
PERSIST=

need_value() { [[ $# -ge 2 && -n "$2" ]] || { echo "local-up: $1 needs a value" >&2; exit 2; }; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --detach) DETACH=true; shift ;;
    --empty) EMPTY=true; PASS+=(--empty); shift ;;
    --no-build) BUILD=false; shift ;;
    --build-only) BUILD_ONLY=true; shift ;;
    --persist)
      # an optional folder: the next argument unless it is another option
      if [[ $# -ge 2 && -n "$2" && "$2" != --* ]]; then PERSIST="$2"; shift 2; else PERSIST=DEFAULT; shift; fi ;;
    --persist=*) PERSIST="${1#*=}"; shift ;;
    -h|--help) sed -n '2,/^set -euo pipefail/{/^#/p}' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --port|--host|--state-dir|--log-dir|--cdk-out)
      need_value "$@"
      case "$1" in
        --port) PORT="$2" ;; --host) HOST="$2" ;; --state-dir) STATE_DIR="$2" ;;
        --log-dir) LOG_DIR="$2" ;; --cdk-out) CDK_OUT="$2" ;;
      esac
      PASS+=("$1" "$2"); shift 2 ;;
    --port=*|--host=*|--state-dir=*|--log-dir=*|--cdk-out=*)
      value="${1#*=}"
      case "$1" in
        --port=*) PORT="$value" ;; --host=*) HOST="$value" ;; --state-dir=*) STATE_DIR="$value" ;;
        --log-dir=*) LOG_DIR="$value" ;; --cdk-out=*) CDK_OUT="$value" ;;
      esac
      PASS+=("$1"); shift ;;
    *) PASS+=("$1"); shift ;;
  esac
done
[[ "$PORT" =~ ^[0-9]+$ ]] || { echo "local-up: --port must be a number, got '$PORT'" >&2; exit 2; }
mkdir -p "$STATE_DIR"
STATE_DIR="$(cd "$STATE_DIR" && pwd)"
if [[ -n "$PERSIST" ]]; then
  [[ "$PERSIST" == DEFAULT ]] && PERSIST="$STATE_DIR/persist"
  mkdir -p "$PERSIST"
  PASS+=(--persist "$(cd "$PERSIST" && pwd)")
fi
LOG_DIR="${LOG_DIR:-$STATE_DIR/logs}"
PID_FILE="$STATE_DIR/local.pid"
CLIENT_HOST="$HOST"; [[ "$HOST" == "0.0.0.0" || "$HOST" == "::" ]] && CLIENT_HOST=127.0.0.1
ENDPOINT="http://$CLIENT_HOST:$PORT"

# GET /_local/health of the edge, or nothing when it does not answer.
health() {
  if command -v curl >/dev/null; then
    curl -s --max-time 2 "$ENDPOINT/_local/health" 2>/dev/null || true
  else
    python3 - "$ENDPOINT/_local/health" <<'PY' 2>/dev/null || true
import sys, urllib.request
print(urllib.request.urlopen(sys.argv[1], timeout=2).read().decode())
PY
  fi
}
json_field() { python3 -c 'import json,sys; d=json.loads(sys.stdin.read() or "{}"); print(d.get(sys.argv[1], ""))' "$1" 2>/dev/null || true; }

# ---- 1. a stack already running? (before building anything; not asked when only building)
if ! $BUILD_ONLY && [[ -f "$PID_FILE" ]]; then
  RUNNING_PID="$(tr -dc '0-9' < "$PID_FILE")"
  if [[ -n "$RUNNING_PID" ]] && kill -0 "$RUNNING_PID" 2>/dev/null; then
    echo "local-up: a local stack is already running (pid $RUNNING_PID, see $PID_FILE);" \
         "stop it with scripts/local-down.sh" >&2
    exit 1
  fi
fi
HEALTH="$($BUILD_ONLY || health)"
if [[ "$(printf '%s' "$HEALTH" | json_field service)" == "pushcqrs-local-stack" ]]; then
  echo "local-up: a local stack is already running on $ENDPOINT (pid $(printf '%s' "$HEALTH" | json_field pid)," \
       "see $(printf '%s' "$HEALTH" | json_field stateDir)/local.pid); stop it with scripts/local-down.sh" >&2
  exit 1
fi

# ---- 2. what it needs
command -v java >/dev/null || { echo "local-up: java (17+) is not on PATH" >&2; exit 1; }
PYTHON="${MOTO_PYTHON:-python3}"
if ! "$PYTHON" -c 'import moto.server' 2>/dev/null; then
  echo "local-up: moto's server is not installed for $PYTHON (the local stack's AWS backend):" \
       "install it with  pip install \"moto[server]\"" >&2
  exit 1
fi

LAMBDA_JARS=(command-lambda/target/command-lambda.jar stream-processor/target/stream-processor.jar
             query-result-lambda/target/query-result-lambda.jar query-lambda/target/query-lambda.jar)
RUNTIME_CP=local-runtime/target/classpath.txt

# true when a target is missing or a source is newer than it
stale() { # TARGET SOURCE...
  local target="$1"; shift
  [[ -e "$target" ]] || return 0
  [[ -n "$(find "$@" -newer "$target" -type f -print -quit 2>/dev/null)" ]]
}

if $BUILD; then
  # ---- 3. build the jars and the runtime when missing or older than their sources
  NEEDS_BUILD=false
  for jar in "${LAMBDA_JARS[@]}"; do
    module="${jar%%/*}"
    stale "$jar" "$module/src/main" "$module/pom.xml" shared-model/src/main && NEEDS_BUILD=true
  done
  stale "$RUNTIME_CP" local-runtime/src/main local-runtime/pom.xml moto-support/src/main pom.xml && NEEDS_BUILD=true
  [[ -d local-runtime/target/ric-lib ]] || NEEDS_BUILD=true
  if $NEEDS_BUILD; then
    command -v mvn >/dev/null || { echo "local-up: mvn is not on PATH (needed to build the jars)" >&2; exit 1; }
    echo "local-up: building (mvn -B -q -DskipTests package)..."
    mvn -B -q -DskipTests package
    touch "$RUNTIME_CP"
  fi

  # ---- 4. synthesize when cdk.out is missing or older than the jars or the CDK app (not for an empty stack:
  #         scripts/deploy.sh synthesizes what it deploys)
  TEMPLATE="$(ls "$CDK_OUT"/*.template.json 2>/dev/null | head -n1 || true)"
  if $EMPTY; then
    :
  elif [[ -z "$TEMPLATE" ]] || stale "$TEMPLATE" "${LAMBDA_JARS[@]}" infra/src/main infra/pom.xml cdk.json; then
    if command -v npx >/dev/null && [[ ! -x node_modules/.bin/cdk ]] && command -v npm >/dev/null; then
      echo "local-up: installing the CDK CLI (npm ci)..."
      npm ci --no-audit --no-fund >/dev/null
    fi
    if command -v npx >/dev/null && [[ -x node_modules/.bin/cdk ]]; then
      echo "local-up: synthesizing the CDK app into $CDK_OUT (npx cdk synth)..."
      npx --no-install cdk synth -q -o "$CDK_OUT" >/dev/null
    else
      [[ "$CDK_OUT" == "cdk.out" ]] || { echo "local-up: without the CDK CLI only cdk.out can be synthesized" >&2; exit 1; }
      echo "local-up: synthesizing the CDK app with Maven (no CDK CLI: mvn -f infra/pom.xml -Psynth package)..."
      mvn -B -q -f infra/pom.xml -Psynth package -DskipTests
    fi
  fi
fi

$BUILD_ONLY && exit 0

[[ -f "$RUNTIME_CP" && -d local-runtime/target/classes ]] || {
  echo "local-up: local-runtime is not built ($RUNTIME_CP is missing): run without --no-build" >&2; exit 1; }
CP="local-runtime/target/classes:$(cat "$RUNTIME_CP")"
MAIN=io.pushcqrs.local.LocalStackMain
# shellcheck disable=SC2206
JAVA_OPTS=(${LOCAL_STACK_JAVA_OPTS:--XX:+UseSerialGC})

# ---- 5. run
if ! $DETACH; then
  exec java "${JAVA_OPTS[@]}" -cp "$CP" "$MAIN" "${PASS[@]}"
fi

mkdir -p "$LOG_DIR"
OUT="$LOG_DIR/local.log"
: > "$OUT"
if command -v setsid >/dev/null; then
  setsid nohup java "${JAVA_OPTS[@]}" -cp "$CP" "$MAIN" "${PASS[@]}" >>"$OUT" 2>&1 < /dev/null &
else
  nohup java "${JAVA_OPTS[@]}" -cp "$CP" "$MAIN" "${PASS[@]}" >>"$OUT" 2>&1 < /dev/null &
fi
JAVA_PID=$!
echo "local-up: starting in the background (pid $JAVA_PID, output in $OUT)..."
DEADLINE=$(( SECONDS + ${LOCAL_UP_TIMEOUT:-180} ))
while (( SECONDS < DEADLINE )); do
  if ! kill -0 "$JAVA_PID" 2>/dev/null; then
    echo "local-up: the local stack exited during start-up. The end of $OUT:" >&2
    tail -n 30 "$OUT" >&2
    exit 1
  fi
  if [[ "$(health | json_field status)" == "running" ]]; then
    if $EMPTY; then
      HINT="scripts/deploy.sh --target local"
      [[ "$ENDPOINT" == "http://127.0.0.1:4566" ]] || HINT="AWS_ENDPOINT_URL=$ENDPOINT $HINT"
      echo "local-up: the stack is up, empty; deploy into it with: $HINT"
    fi
    sed -n '/^Local stack .*is running/,/^Stop with Ctrl-C/p' "$OUT"
    echo "Detached: stop it with scripts/local-down.sh (output goes on in $OUT)."
    exit 0
  fi
  sleep 0.5
done
echo "local-up: the local stack did not answer on $ENDPOINT within ${LOCAL_UP_TIMEOUT:-180} s; stopping it. The end of $OUT:" >&2
tail -n 30 "$OUT" >&2
kill "$JAVA_PID" 2>/dev/null || true
exit 1
