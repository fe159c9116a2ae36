#!/usr/bin/env bash
# Re-projects notification-records from command-records (after a missed stream window);
# idempotent and resumable (--resume), --dry-run shows what it would do.
#
#   scripts/rebuild.sh [options]     (scripts/rebuild.sh --help for every option and examples)
#
# Reads the endpoint, API URL and key from .local/outputs.json (written by scripts/local-up.sh and
# scripts/deploy-localstack.sh); --endpoint / AWS_ENDPOINT_URL, --api-url, --api-key override it.
# See docs/operator-scripts.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$ROOT/ops-cli/run.sh" rebuild "$@"
