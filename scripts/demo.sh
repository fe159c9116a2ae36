#!/usr/bin/env bash
# The main job, end to end, with no Docker: build, bring up the embedded stack empty, deploy the
# CDK app into it with the CDK CLI (scripts/deploy.sh --target local: cdk bootstrap + cdk deploy,
# as against LocalStack or AWS), insert sample commands through the API, wait until the read side
# is in sync, and query them back through the API. Stops the stack at the end unless
# --keep-running is given.
#
#   scripts/demo.sh [--keep-running] [--port N]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

KEEP=false
PORT=4566
while [[ $# -gt 0 ]]; do
  case "$1" in
    --keep-running) KEEP=true; shift ;;
    --port) PORT="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "demo: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
json() { python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin), indent=2))'; }
out() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' .local/outputs.json "$1"; }

stop_stack() { "$ROOT/scripts/local-down.sh" || true; }

step "1/5 build, start the embedded stack empty, and deploy the CDK app into it with the CDK CLI"
"$ROOT/scripts/local-up.sh" --detach --empty --port "$PORT"
$KEEP || trap stop_stack EXIT
AWS_ENDPOINT_URL="http://127.0.0.1:$PORT" "$ROOT/scripts/deploy.sh" --target local

API="$(out ApiUrl)"; KEY="$(out ApiKey)"
api() { # METHOD PATH [BODY]
  local method="$1" path="$2" body="${3:-}"
  if [[ -n "$body" ]]; then
    curl -sS -X "$method" "$API$path" -H "x-api-key: $KEY" -H 'Content-Type: application/json' --data "$body"
  else
    curl -sS -X "$method" "$API$path" -H "x-api-key: $KEY"
  fi
}

RUN="demo-$(date +%s)"
NOW_MS=$(( $(date +%s) * 1000 ))
step "2/5 insert sample commands through the API (POST $API/commands)"
for i in 1 2 3; do
  case $i in 1) P=IOS;; 2) P=ANDROID;; 3) P=WEBPUSH;; esac
  BODY=$(printf '{"transaction_id":"%s-tx-%d","created_at":%d,"user_id":"%s-user","marketing_id":"%s-campaign","notification_title":"Hello %d","notification_body":"Sample notification %d","platform":"%s","device_token":"token-%d","status":"SENT","sns_id":"%s-sns-%d","payload":{"deep_link":"app://offers/%d","badge":%d}}' \
    "$RUN" $i $((NOW_MS + i)) "$RUN" "$RUN" $i $i "$P" $i "$RUN" $i $i $i)
  echo "POST /commands ($P):"; api POST /commands "$BODY" | json
done
echo "PATCH /commands/$RUN-tx-3 -> FAILED (retry_cnt 2):"
api PATCH "/commands/$RUN-tx-3" '{"status":"FAILED","version":1,"retry_cnt":2,"error_msg":"device unregistered"}' | json

step "3/5 wait until the stream has projected every command into notification-records"
"$ROOT/scripts/check-sync.sh" --wait --timeout 60s

step "4/5 query the read side through the API"
echo "GET /query/user?user_id=$RUN-user"; api GET "/query/user?user_id=$RUN-user" | json
echo "GET /query/failures?transaction_id=$RUN-tx-3"; api GET "/query/failures?transaction_id=$RUN-tx-3" | json
echo "GET /query/marketing?marketing_id=$RUN-campaign&limit=2"; api GET "/query/marketing?marketing_id=$RUN-campaign&limit=2" | json

step "5/5 done"
if $KEEP; then
  echo "The stack keeps running: API $API (x-api-key: $KEY). Stop it with scripts/local-down.sh"
else
  echo "Stopping the stack (pass --keep-running to keep it)."
fi
