#!/usr/bin/env bash
# Deploys the CDK app to a running LocalStack (cdk bootstrap + cdk deploy), prints the API URL and key, and writes
# the stack's outputs in the embedded stack's flat form (Endpoint, ApiUrl, ApiKey, CommandTable, NotificationTable,
# DlqUrl, ...) to .local/outputs.json, so the operator scripts and the integration suite work against it by
# endpoint alone. Fails with a clear message when LocalStack is not reachable. See docs/localstack.md.
#
#   scripts/deploy-localstack.sh [--stage NAME] [--api-key VALUE] [--cdk-out DIR] [--outputs FILE]
#
#   --stage NAME     stage to synthesize (default dev): every name starts with NAME-
#   --api-key VALUE  value of the API key, 20-128 printable characters (default: LocalStack generates one)
#   --cdk-out DIR    deploy this synthesized cloud assembly as it is (no build, no synthesis; --stage and
#                    --api-key then do not apply)
#   --outputs FILE   where the flat outputs go (default .local/outputs.json)
#   -h, --help       this text
#
# Environment: AWS_ENDPOINT_URL (default http://localhost:4566); AWS_ENDPOINT_URL_S3 (default: the same endpoint
# with its host as an IP address, so that the CDK's asset upload uses S3 path-style addressing); AWS_REGION
# (us-east-1); AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (test / test); LOCALSTACK_ACCOUNT (000000000000).
# Exit codes: 0 deployed; 1 LocalStack not reachable, or a build, synthesis or deployment failed; 2 bad option.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

STAGE=dev
API_KEY=
CDK_OUT=
OUTPUTS=.local/outputs.json
OUTPUTS_GIVEN=false

die() { echo "deploy-localstack: $*" >&2; exit 1; }
usage_error() { echo "deploy-localstack: $* (try --help)" >&2; exit 2; }
need_value() { [[ $# -ge 2 && -n "$2" ]] || usage_error "$1 needs a value"; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) sed -n '2,/^set -euo pipefail/{/^#/p}' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --stage) need_value "$@"; STAGE="$2"; shift 2 ;;
    --api-key) need_value "$@"; API_KEY="$2"; shift 2 ;;
    --cdk-out) need_value "$@"; CDK_OUT="$2"; shift 2 ;;
    --outputs) need_value "$@"; OUTPUTS="$2"; OUTPUTS_GIVEN=true; shift 2 ;;
    --stage=*) STAGE="${1#*=}"; shift ;;
    --api-key=*) API_KEY="${1#*=}"; shift ;;
    --cdk-out=*) CDK_OUT="${1#*=}"; shift ;;
    --outputs=*) OUTPUTS="${1#*=}"; OUTPUTS_GIVEN=true; shift ;;
    *) usage_error "unknown option $1" ;;
  esac
done
[[ "$STAGE" =~ ^[a-z][a-z0-9-]{0,19}$ ]] || usage_error "--stage must be 1-20 of [a-z0-9-], starting with a letter (got '$STAGE')"
[[ -z "$API_KEY" || "$API_KEY" =~ ^[!-~]{20,128}$ ]] || usage_error "--api-key must be 20-128 printable characters without spaces"

ENDPOINT="${AWS_ENDPOINT_URL:-http://localhost:4566}"
ENDPOINT="${ENDPOINT%/}"
export AWS_ENDPOINT_URL="$ENDPOINT"
export AWS_REGION="${AWS_REGION:-${AWS_DEFAULT_REGION:-us-east-1}}"
export AWS_DEFAULT_REGION="$AWS_REGION"
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
ACCOUNT="${LOCALSTACK_ACCOUNT:-000000000000}"
export CDK_DISABLE_VERSION_CHECK=true CDK_DISABLE_CLI_TELEMETRY=true
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="${JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION:-20}"

command -v python3 >/dev/null || die "python3 is not on PATH (it reads LocalStack's answers and writes the outputs)"

# GET a URL: "<status> <body>", or "000 <why>" when nothing answers.
http_get() {
  python3 - "$1" <<'PY'
import sys, urllib.request, urllib.error
try:
    with urllib.request.urlopen(sys.argv[1], timeout=5) as r:
        print(r.status, r.read().decode("utf-8", "replace"))
except urllib.error.HTTPError as e:
    print(e.code, e.read().decode("utf-8", "replace"))
except Exception as e:
    print("000", e)
PY
}

# ---- 1. LocalStack must answer at the endpoint
HEALTH="$(http_get "$ENDPOINT/_localstack/health")"
CODE="${HEALTH%% *}"
BODY="${HEALTH#* }"
if [[ "$CODE" == "000" ]]; then
  die "LocalStack is not reachable at $ENDPOINT ($BODY).
  Start it first, for example:
    docker run --rm -d -p 4566:4566 -v /var/run/docker.sock:/var/run/docker.sock \\
      \${LOCALSTACK_AUTH_TOKEN:+-e LOCALSTACK_AUTH_TOKEN} localstack/localstack:4.14.0
  or point AWS_ENDPOINT_URL at the LocalStack you run (see docs/localstack.md).
  No Docker here? The embedded stack runs the same app without it: scripts/local-up.sh"
fi
if [[ "$CODE" != "200" ]] || ! printf '%s' "$BODY" | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if "services" in d else 1)' 2>/dev/null; then
  OURS="$(http_get "$ENDPOINT/_local/health")"
  if [[ "${OURS%% *}" == "200" && "$OURS" == *pushcqrs-local-stack* ]]; then
    die "$ENDPOINT is the embedded local stack (scripts/local-up.sh), not LocalStack: it runs cdk.out as it is and
  needs no deployment (its outputs are in its state folder, .local/outputs.json by default)."
  fi
  die "$ENDPOINT answers, but not as LocalStack (GET /_localstack/health: HTTP $CODE). Check AWS_ENDPOINT_URL."
fi
read -r LS_VERSION LS_EDITION MISSING < <(printf '%s' "$BODY" | python3 -c '
import json, sys
d = json.load(sys.stdin)
services = d.get("services", {})
needed = ["cloudformation", "s3", "ssm", "iam", "sts", "lambda", "dynamodb", "dynamodbstreams", "sqs", "apigateway", "logs"]
missing = [s for s in needed if services.get(s) in (None, "disabled", "error")]
print(d.get("version", "?"), d.get("edition", "?"), ",".join(missing) or "-")')
echo "deploy-localstack: LocalStack $LS_VERSION ($LS_EDITION) at $ENDPOINT"
[[ "$MISSING" == "-" ]] || die "LocalStack at $ENDPOINT lacks services this app needs: $MISSING (check its SERVICES setting)"

# The CDK CLI uploads the Lambda jars to the bootstrap bucket. With a host name endpoint the S3 client addresses
# the bucket as <bucket>.<host>, which only resolves for *.localhost.localstack.cloud; with an IP address it uses
# path-style URLs, which work everywhere.
if [[ -z "${AWS_ENDPOINT_URL_S3:-}" ]]; then
  AWS_ENDPOINT_URL_S3="$(python3 - "$ENDPOINT" <<'PY'
import socket, sys
from urllib.parse import urlsplit
u = urlsplit(sys.argv[1])
host = u.hostname or "localhost"
try:
    socket.inet_aton(host); ip = host
except OSError:
    try:
        ip = socket.gethostbyname(host)
    except OSError:
        ip = host
print(f"{u.scheme}://{ip}:{u.port or (443 if u.scheme == 'https' else 80)}")
PY
)"
fi
export AWS_ENDPOINT_URL_S3

# ---- 2. what it needs: the CDK CLI, and a cloud assembly
command -v node >/dev/null || die "node is not on PATH (the CDK CLI runs in it)"
if [[ ! -x node_modules/.bin/cdk ]]; then
  command -v npm >/dev/null || die "the CDK CLI is not installed (node_modules/.bin/cdk) and npm is not on PATH"
  echo "deploy-localstack: installing the pinned CDK CLI (npm ci)..."
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
fi
CDK=(node_modules/.bin/cdk)

if [[ -z "$CDK_OUT" ]]; then
  LAMBDA_JARS=(command-lambda/target/command-lambda.jar stream-processor/target/stream-processor.jar
               query-result-lambda/target/query-result-lambda.jar query-lambda/target/query-lambda.jar)
  for jar in "${LAMBDA_JARS[@]}"; do
    if [[ ! -f "$jar" ]]; then
      command -v mvn >/dev/null || die "the Lambda jars are not built and mvn is not on PATH"
      echo "deploy-localstack: building the Lambda jars (mvn -B -q -DskipTests package)..."
      mvn -B -q -DskipTests package -pl command-lambda,stream-processor,query-result-lambda,query-lambda -am
      break
    fi
  done
  CDK_OUT=.local/localstack-cdk.out
  CONTEXT=(-c "stage=$STAGE" -c ephemeral=true)
  [[ -n "$API_KEY" ]] && CONTEXT+=(-c "apiKeyValue=$API_KEY")
  echo "deploy-localstack: synthesizing stage $STAGE into $CDK_OUT (cdk synth)..."
  mkdir -p .local
  "${CDK[@]}" synth -q -o "$CDK_OUT" "${CONTEXT[@]}" >/dev/null || die "cdk synth failed (see above)"
fi
[[ -d "$CDK_OUT" ]] || die "no cloud assembly at $CDK_OUT"
TEMPLATE="$(ls "$CDK_OUT"/*.template.json 2>/dev/null | head -n1 || true)"
[[ -n "$TEMPLATE" ]] || die "no *.template.json in $CDK_OUT: synthesize first (npx cdk synth)"
STACK="$(basename "$TEMPLATE" .template.json)"

if ! $OUTPUTS_GIVEN && [[ -f .local/local.pid ]] && kill -0 "$(tr -dc '0-9' < .local/local.pid)" 2>/dev/null; then
  die "an embedded local stack is running from .local (pid $(tr -dc '0-9' < .local/local.pid)) and owns .local/outputs.json:
  stop it (scripts/local-down.sh) or write these outputs elsewhere with --outputs FILE"
fi

# ---- 3. bootstrap (idempotent) and deploy
echo "deploy-localstack: cdk bootstrap aws://$ACCOUNT/$AWS_REGION (S3 at $AWS_ENDPOINT_URL_S3)..."
"${CDK[@]}" bootstrap --app "$CDK_OUT" "aws://$ACCOUNT/$AWS_REGION" \
  || die "cdk bootstrap failed against $ENDPOINT (see above)"
mkdir -p "$(dirname "$OUTPUTS")"
CDK_OUTPUTS="$(dirname "$OUTPUTS")/$STACK.cdk-outputs.json"
echo "deploy-localstack: cdk deploy $STACK from $CDK_OUT..."
"${CDK[@]}" deploy --app "$CDK_OUT" "$STACK" --require-approval never --progress events --outputs-file "$CDK_OUTPUTS" \
  || die "cdk deploy failed against $ENDPOINT (see above; LocalStack's own log says more: docker logs <container>)"

# ---- 4. the outputs in the embedded stack's flat form, with the API key's value
API_KEY_ID="$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d.get(sys.argv[2], {}).get("ApiKeyId", ""))' "$CDK_OUTPUTS" "$STACK")"
KEY_VALUE="$API_KEY"
if [[ -n "$API_KEY_ID" ]]; then
  if command -v aws >/dev/null; then
    KEY_VALUE="$(aws --endpoint-url "$ENDPOINT" apigateway get-api-key --api-key "$API_KEY_ID" --include-value \
                   --query value --output text 2>/dev/null || true)"
  fi
  if [[ -z "$KEY_VALUE" || "$KEY_VALUE" == "None" ]]; then
    # No AWS CLI: LocalStack does not check signatures, so a plain GetApiKey call with a dummy SigV4 header will do.
    KEY_VALUE="$(python3 - "$ENDPOINT" "$API_KEY_ID" "$AWS_ACCESS_KEY_ID" "$AWS_REGION" <<'PY' || true
import json, sys, urllib.request
endpoint, key_id, access_key, region = sys.argv[1:5]
req = urllib.request.Request(f"{endpoint}/apikeys/{key_id}?includeValue=true", headers={
    "Authorization": f"AWS4-HMAC-SHA256 Credential={access_key}/20240101/{region}/apigateway/aws4_request, "
                     "SignedHeaders=host, Signature=0", "Accept": "application/json"})
print(json.load(urllib.request.urlopen(req, timeout=10)).get("value", ""))
PY
)"
  fi
fi
[[ -n "$KEY_VALUE" ]] || echo "deploy-localstack: WARNING could not read the value of API key $API_KEY_ID;" \
  "get it with: aws --endpoint-url $ENDPOINT apigateway get-api-key --api-key $API_KEY_ID --include-value" >&2

python3 - "$CDK_OUTPUTS" "$STACK" "$ENDPOINT" "$KEY_VALUE" "$OUTPUTS" <<'PY'
import json, os, re, sys
cdk_outputs, stack, endpoint, key, target = sys.argv[1:6]
outputs = json.load(open(cdk_outputs)).get(stack, {})
flat = {"Endpoint": endpoint}
api_url = outputs.get("ApiUrl", "")
m = re.match(r"^https?://([a-z0-9]+)\.execute-api\.[^/]+/([^/]+)/?", api_url)
if m:
    # LocalStack's URL form, no trailing slash (append /commands), as the embedded stack writes it
    flat["ApiUrl"] = f"{endpoint}/restapis/{m.group(1)}/{m.group(2)}/_user_request_"
    flat["ApiUrlAws"] = api_url
elif api_url:
    flat["ApiUrl"] = api_url.rstrip("/")
if key:
    flat["ApiKey"] = key
for k, v in outputs.items():
    if k not in flat:
        flat[k] = v
flat["StackName"] = stack
flat["Target"] = "localstack"
tmp = target + ".tmp"
with open(tmp, "w") as f:
    json.dump(flat, f, indent=2)
    f.write("\n")
os.replace(tmp, target)
PY

out() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2], ""))' "$OUTPUTS" "$1"; }
cat <<EOF

Stack $STACK is deployed to LocalStack $LS_VERSION
  Endpoint   $ENDPOINT   (AWS_ENDPOINT_URL for any AWS SDK or the AWS CLI)
  API        $(out ApiUrl)
  API key    $(out ApiKey)   (header x-api-key)
  Tables     $(out CommandTable), $(out NotificationTable)
  DLQ        $(out DlqUrl)
  Outputs    $OUTPUTS   (cdk's own: $CDK_OUTPUTS)
Try:  curl -s "$(out ApiUrl)/health"
      curl -s "$(out ApiUrl)/query/user?user_id=u-1" -H "x-api-key: $(out ApiKey)"
EOF
