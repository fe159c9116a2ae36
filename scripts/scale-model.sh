#!/usr/bin/env bash
# The scale model of docs/scaling.md: capacity and cost at 1k/10k/100k notifications a second, and a
# second-by-second simulation of the hot partition keys (a 1M-user campaign in 10 minutes, a 5 % failure
# wave, steady traffic) before and after write sharding. Needs no stack; runs in seconds.
#
#   scripts/scale-model.sh [options]     (scripts/scale-model.sh --help for every option)
#
# Writes bench/results/<date>-scale-model.json and a Markdown summary next to it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$ROOT/ops-cli/run.sh" scale-model "$@"
