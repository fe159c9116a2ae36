#!/usr/bin/env bash
# Sends N test commands (random or from a JSON file) at a chosen rate, through the API or straight
# into command-records, with a progress bar and a summary.
#
#   scripts/insert.sh [options]     (scripts/insert.sh --help for every option and examples)
#
# Reads the endpoint, API URL and key from .local/outputs.json (written by scripts/local-up.sh and
# scripts/deploy-localstack.sh); --endpoint / AWS_ENDPOINT_URL, --api-url, --api-key override it.
# See docs/operator-scripts.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$ROOT/ops-cli/run.sh" insert "$@"
