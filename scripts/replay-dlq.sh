#!/usr/bin/env bash
# Re-projects the records the stream's on-failure queue (DLQ) names, once their cause is fixed, and deletes
# those messages; idempotent, --dry-run shows what it would do, a summary at the end.
#
#   scripts/replay-dlq.sh [options]     (scripts/replay-dlq.sh --help for every option and examples)
#
# Reads the endpoint, tables and DlqUrl from .local/outputs.json (written by scripts/local-up.sh and
# scripts/deploy.sh); --endpoint / AWS_ENDPOINT_URL, --queue-url, --command-table, --notification-table
# override it. See docs/operator-scripts.md and docs/reliability.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$ROOT/ops-cli/run.sh" replay-dlq "$@"
