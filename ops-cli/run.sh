#!/usr/bin/env bash
# Runs the operators' CLI (ops-cli/target/ops-cli.jar): `ops-cli/run.sh <insert|check-sync|query|rebuild|replay-dlq|scale-model> [args...]`.
# scripts/insert.sh, check-sync.sh, query.sh, rebuild.sh, replay-dlq.sh and scale-model.sh are thin wrappers around it. Builds the jar with Maven
# only when it is missing (delete it, or run `mvn -f ops-cli/pom.xml package`, to pick up source changes).
# Defaults (.local/outputs.json, .local/rebuild-checkpoint.json) resolve against the repository root; other
# relative paths (--file, --ids-out, --outputs) against the directory you run it from.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/ops-cli/target/ops-cli.jar"

if ! command -v java >/dev/null 2>&1; then
  echo "ops-cli: java is not on the PATH (Java 17 or newer is needed)" >&2
  exit 2
fi
if [[ ! -f "$JAR" ]]; then
  echo "ops-cli: $JAR is missing; building it (mvn -q -B -DskipTests package)..." >&2
  if grep -q '<module>ops-cli</module>' "$ROOT/pom.xml"; then
    (cd "$ROOT" && mvn -q -B -Dstyle.color=never -DskipTests -pl ops-cli -am package) >&2
  else
    (cd "$ROOT" && mvn -q -B -Dstyle.color=never -f ops-cli/pom.xml -DskipTests package) >&2
  fi
  [[ -f "$JAR" ]] || { echo "ops-cli: the build did not produce $JAR" >&2; exit 2; }
fi

export OPS_REPO_ROOT="$ROOT"
export OPS_SCRIPT="scripts/${1:-ops-cli}.sh"
exec java -jar "$JAR" "$@"
