#!/usr/bin/env bash
# Fleet benchmark of the operator on a real kube-apiserver (fake Deployment and Job controllers): time for N new
# installations to become Ready at a rollout limit, API writes per installation, writes during idle resyncs
# (at the shipped 600 s resync, and at 5 s to show what a resync costs), heap after GC of the JVM running
# operator, controllers and client. Every run uses the shipped 15 s waiting recheck. Prints Markdown.
set -euo pipefail
cd "$(dirname "$0")/../.."
testenv/build.sh >/dev/null
# Maven's own output stays out of the Markdown (and its colour codes with it).
mvn -B -q -Dstyle.color=never install -DskipTests >&2
mvn -B -q -Dstyle.color=never -pl operator dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench.classpath >&2
cd operator
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"
echo "| installations | rollout limit | resync / recheck | seconds to all Ready | Ready/s | writes to Ready | writes per installation | writes in 30 s idle | heap after GC (MiB) |"
echo "|---|---|---|---|---|---|---|---|---|"
for run in "10 5 30 600 15" "100 5 30 600 15" "100 100 30 600 15" "100 5 30 5 15"; do
  # shellcheck disable=SC2086
  java -Xmx1g -Dlogback.configurationFile=src/test/resources/logback-bench.xml -cp "$cp" \
    io.infracast.operator.bench.FleetBench $run
done
