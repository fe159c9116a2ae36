#!/usr/bin/env bash
# Compares command-records with notification-records and reports in sync / missing / stale /
# orphan / unmappable; exit code 0 only when in sync. --wait polls until in sync or --timeout.
#
#   scripts/check-sync.sh [options]     (scripts/check-sync.sh --help for every option and examples)
#
# Reads the endpoint, API URL and key from .local/outputs.json (written by scripts/local-up.sh and
# scripts/deploy-localstack.sh); --endpoint / AWS_ENDPOINT_URL, --api-url, --api-key override it.
# See docs/operator-scripts.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$ROOT/ops-cli/run.sh" check-sync "$@"
