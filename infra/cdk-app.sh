#!/usr/bin/env bash
# The "app" of cdk.json: runs the CDK app (io.pushcqrs.infra.InfraApp) with plain java.
#
# infra/target/classes and infra/target/classpath.txt come from `mvn -f infra/pom.xml process-classes`;
# this script runs that first when they are missing or older than infra/src/main or infra/pom.xml,
# so `npx cdk synth` works on a fresh clone. Everything else is offline once ~/.m2 holds the CDK jars.
set -euo pipefail

infra="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
target="$infra/target"
classpath_file="$target/classpath.txt"

command -v java >/dev/null || { echo "cdk-app.sh: java (17+) is not on PATH" >&2; exit 1; }
command -v node >/dev/null || { echo "cdk-app.sh: node is not on PATH (the CDK's jsii runtime needs it)" >&2; exit 1; }

if [[ ! -f "$classpath_file" || ! -d "$target/classes/io" \
      || -n "$(find "$infra/src/main" "$infra/pom.xml" -newer "$classpath_file" -print -quit)" ]]; then
  echo "cdk-app.sh: building infra/ (mvn -q -B -f infra/pom.xml process-classes)" >&2
  mvn -q -B -f "$infra/pom.xml" process-classes >&2
  touch "$classpath_file"
fi

# Node 20 is past jsii's end of life: it works, say so once here instead of on every run.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="${JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION:-20}"
# The jsii runtime unpacks itself into java.io.tmpdir: keep that under infra/target.
exec java -Djava.io.tmpdir="$target" ${INFRA_JAVA_OPTS:-} \
  -cp "$target/classes:$(cat "$classpath_file")" io.pushcqrs.infra.InfraApp "$@"
