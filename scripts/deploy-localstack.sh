#!/usr/bin/env bash
# Kept as an alias: scripts/deploy.sh --target localstack (same options: --stage, --api-key, --cdk-out, --outputs,
# --retain, --help). See docs/localstack.md.
exec "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/deploy.sh" --target localstack "$@"
