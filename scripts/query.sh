#!/usr/bin/env bash
# Runs the API's queries (user, marketing, failures, tx, sns) and prints a table or JSON.
#
#   scripts/query.sh [options]     (scripts/query.sh --help for every option and examples)
#
# Reads the endpoint, API URL and key from .local/outputs.json (written by scripts/local-up.sh and
# scripts/deploy-localstack.sh); --endpoint / AWS_ENDPOINT_URL, --api-url, --api-key override it.
# See docs/operator-scripts.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$ROOT/ops-cli/run.sh" query "$@"
