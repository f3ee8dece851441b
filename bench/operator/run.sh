#!/usr/bin/env bash
# Fleet benchmark of the operator on a real kube-apiserver (fake Deployment and Job controllers): time for N new
# installations to become Ready at a rollout limit, API writes per installation, writes during idle resyncs
# (resync every 5 s), heap after GC of the JVM running operator, controllers and client. Prints Markdown.
set -euo pipefail
cd "$(dirname "$0")/../.."
testenv/build.sh >/dev/null
mvn -B -q install -DskipTests
mvn -B -q -pl operator dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
cd operator
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"
echo "| installations | rollout limit | seconds to all Ready | Ready/s | writes to Ready | writes per installation | writes in 30 s idle | heap after GC (MiB) |"
echo "|---|---|---|---|---|---|---|---|"
for run in "10 5" "100 5" "100 100"; do
  # shellcheck disable=SC2086
  java -Xmx1g -Dlogback.configurationFile=src/test/resources/logback-bench.xml -cp "$cp" \
    io.infracast.operator.bench.FleetBench $run 30
done
