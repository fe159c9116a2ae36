#!/usr/bin/env bash
# Soak with faults on (docs/reliability.md, "Soak"): --count commands through the API (creates, status
# changes, duplicates, deletes, re-creates), poison records written straight to command-records, then
# waits until the read side has no missing, stale or orphan view and every poison record is in the
# on-failure queue; writes bench/results/<date>-chaos.json and .md. Exit code 0 only when it passed.
#
#   scripts/local-up.sh --detach --faults seed=42,invoke.throw=0.05,backend.throttle=0.05,backend.outage=20s@30s
#   scripts/chaos.sh [--count N] [options]     (scripts/chaos.sh --help for every option)
#
# Reads the endpoint, API URL, key and DlqUrl from .local/outputs.json, like check-sync.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$ROOT/ops-cli/run.sh" chaos "$@"
