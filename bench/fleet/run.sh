#!/usr/bin/env bash
# Fleet benchmark: N installations in N namespaces reconciled by the operator at the chart's default settings on
# the real kube-apiserver (testenv), fake Deployment and Job controllers reporting instant success. Prints
# Markdown tables for RESULTS.md. Usage: bench/fleet/run.sh N [idle seconds, at least 60]
set -euo pipefail
n=${1:?usage: bench/fleet/run.sh N [idle seconds]}
idle=${2:-60}
cd "$(dirname "$0")/../.."
testenv/build.sh >/dev/null
testenv/helm/build.sh >/dev/null
# Maven's own output stays out of the Markdown (and its colour codes with it).
mvn -B -q -Dstyle.color=never -pl operator -am package -DskipTests dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >&2
cd operator
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"
echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1); $(date -u +%Y-%m-%dT%H:%MZ)"
# The operator runs in a JVM of its own, sized as the chart's pod (FleetBench.OperatorJvm).
java -Xmx1g -Dlogback.configurationFile=src/test/resources/logback-bench.xml -cp "$cp" \
  io.infracast.operator.bench.FleetBench "$n" "$idle"
