#!/usr/bin/env bash
# Benchmarks the Infracast API server (vulcan-api) on loopback:
#   (a) process start -> first GET /healthz 200, several runs, median (DATABASE_URL set, schema current)
#   (b) the one-shot `migrate` on an empty database and on a current one
#   (c) GET /healthz throughput and latency percentiles under wrk, side by side with the ceiling: the bare
#       HTTP library (Javalin 7 / Jetty 12) answering a constant {"status":"ok"} (CeilingMain, test sources)
#   (d) the asset graph: bulk ingest of NODES nodes and NODES edges through the API, side by side with
#       PostgreSQL's COPY of the same rows into the same tables as the ceiling, then list/get/neighbours latency
#       p50/p99 over that graph (GraphBenchMain, test sources)
# Needs: JDK 17, Maven, PostgreSQL 15 server binaries (Debian postgresql-15), wrk (Debian package), curl.
# Everything runs on 127.0.0.1; every load run is bounded in time. Prints a Markdown report on stdout.
#
# Usage: bench/api-server/run.sh            (from anywhere; builds the module first)
# Knobs: RUNS=7 DURATION=15s WARMUP=5s CONNECTIONS=32 THREADS=2 SKIP_BUILD=1 NODES=100000 BATCH=5000 SAMPLES=500
#        PARTS=start,load,graph,discovery (which of (a), (c), (d), (e) to run; (b) always runs, the others need its
#        schema)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RUNS=${RUNS:-7}
DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-5s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
PARTS=${PARTS:-start,load,graph,discovery}
part() { [[ ",$PARTS," == *",$1,"* ]]; }
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
JAR=$ROOT/api-server/target/infracast-api-server.jar

for tool in curl java mvn $(part load && echo wrk); do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool (wrk: apt-get install wrk)" >&2; exit 2; }
done
[ -x "$PG_BIN/postgres" ] || { echo "missing PostgreSQL 15 server binaries in $PG_BIN (apt-get install postgresql-15)" >&2; exit 2; }

WORK=$(mktemp -d -t infracast-bench-XXXXXX)
chmod 755 "$WORK"
PIDS=()
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill -TERM "$p" 2>/dev/null || true; done
  sleep 1
  as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }
wait_healthy() { # port timeout_s
  local deadline=$(( $(now_ms) + $2 * 1000 ))
  until curl -fs -o /dev/null "http://127.0.0.1:$1/healthz"; do
    [ "$(now_ms)" -lt "$deadline" ] || { echo "not healthy on port $1" >&2; return 1; }
    sleep 0.01
  done
}

# --- build --------------------------------------------------------------------------------------------------
# One reactor build, so the classpath names this tree's modules (under target/), never stale copies in ~/.m2.
# SKIP_BUILD=1 keeps the jar as it is and only compiles what changed.
(cd "$ROOT" && mvn -B -q -pl api-server -am $([ -z "${SKIP_BUILD:-}" ] && echo "package -DskipTests" || echo test-compile) \
  dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/cp.txt" >&2)
TEST_CP="$ROOT/api-server/target/test-classes:$ROOT/api-server/target/classes:$(cat "$WORK/cp.txt")"

# --- a throwaway PostgreSQL 15 ------------------------------------------------------------------------------
PG_PORT=$(free_port)
PG_PASS=bench-$RANDOM$RANDOM
mkdir -p "$WORK/pg"
echo "$PG_PASS" > "$WORK/pg/pw"
[ "$(id -u)" = 0 ] && chown -R postgres:postgres "$WORK/pg"
as_pg "$PG_BIN/initdb" -D "$WORK/pg/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
  --pwfile="$WORK/pg/pw" -E UTF8 --locale=C --no-sync >/dev/null
as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/log" -w \
  -o "-p $PG_PORT -k $WORK/pg -c listen_addresses=127.0.0.1" start >/dev/null
export DATABASE_URL="postgres://postgres:$PG_PASS@127.0.0.1:$PG_PORT/postgres?sslmode=disable"
export JWT_SECRET=bench-jwt-secret-0123456789abcdef0123456789
export MIGRATE_ON_START=false
export INFRACAST_BOOTSTRAP_ADMIN_EMAIL=bench@example.test
export INFRACAST_BOOTSTRAP_ADMIN_PASSWORD=bench-password-$RANDOM$RANDOM

# --- (b) migrate ----------------------------------------------------------------------------------------------
t0=$(now_ms); java -jar "$JAR" migrate > "$WORK/migrate-1.log" 2>&1; MIGRATE_EMPTY=$(( $(now_ms) - t0 ))
t0=$(now_ms); java -jar "$JAR" migrate > "$WORK/migrate-2.log" 2>&1; MIGRATE_CURRENT=$(( $(now_ms) - t0 ))
APPLIED=$(grep -c '"applying migration version=' "$WORK/migrate-1.log" || true)

# --- (a) start -> first healthy /healthz ------------------------------------------------------------------------
STARTS=()
part start && for i in $(seq "$RUNS"); do
  port=$(free_port)
  t0=$(now_ms)
  API_PORT=$port java -jar "$JAR" serve > "$WORK/serve-$i.log" 2>&1 &
  pid=$!; PIDS+=("$pid")
  wait_healthy "$port" 60
  STARTS+=($(( $(now_ms) - t0 )))
  kill -TERM "$pid"; wait "$pid" || true
done
part start && START_MEDIAN=$(printf '%s\n' "${STARTS[@]}" | median)

# --- (c) throughput: service vs ceiling ---------------------------------------------------------------------------
load() { # name port -> "rps p50 p99"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "http://127.0.0.1:$2/healthz" > /dev/null
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$2/healthz" > "$WORK/wrk-$1.txt"
  local rps p50 p99 non2xx
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$WORK/wrk-$1.txt")
  p50=$(awk '$1=="50%" {print $2}' "$WORK/wrk-$1.txt")
  p99=$(awk '$1=="99%" {print $2}' "$WORK/wrk-$1.txt")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$WORK/wrk-$1.txt")
  echo "$rps $p50 $p99 ${non2xx:-0}"
}

if part load; then
port=$(free_port)
API_PORT=$port java -jar "$JAR" serve > "$WORK/serve-load.log" 2>&1 &
pid=$!; PIDS+=("$pid")
wait_healthy "$port" 60
read -r SVC_RPS SVC_P50 SVC_P99 SVC_NON2XX < <(load service "$port")
kill -TERM "$pid"; wait "$pid" || true

port=$(free_port)
API_PORT=$port java -cp "$TEST_CP" io.infracast.api.bench.CeilingMain > "$WORK/ceiling.log" 2>&1 &
pid=$!; PIDS+=("$pid")
wait_healthy "$port" 60
read -r CEIL_RPS CEIL_P50 CEIL_P99 CEIL_NON2XX < <(load ceiling "$port")
kill -TERM "$pid"; wait "$pid" || true

RATIO=$(awk -v a="$SVC_RPS" -v b="$CEIL_RPS" 'BEGIN {printf "%.2f", a / b}')
fi

# --- (d) the asset graph ------------------------------------------------------------------------------------------
if part graph; then
  port=$(free_port)
  API_PORT=$port java -jar "$JAR" serve > "$WORK/serve-graph.log" 2>&1 &
  pid=$!; PIDS+=("$pid")
  wait_healthy "$port" 60
  API_URL=http://127.0.0.1:$port NODES=${NODES:-100000} BATCH=${BATCH:-5000} SAMPLES=${SAMPLES:-500} \
    java -cp "$TEST_CP" io.infracast.api.bench.GraphBenchMain > "$WORK/graph.txt"
  kill -TERM "$pid"; wait "$pid" || true
fi

# --- (e) discovery end to end --------------------------------------------------------------------------------------
if part discovery; then
  DNODES=${NODES:-100000}
  NODES=$DNODES java -cp "$TEST_CP" io.infracast.api.bench.DiscoveryBenchMain inventory "$WORK/inventory.json"
  INVENTORY_MB=$(( $(stat -c %s "$WORK/inventory.json") / 1048576 ))
  # The plugin alone, as the service starts it, its output thrown away: what the job costs beyond it is ingest.
  t0=$(now_ms)
  echo "{\"job_id\":\"bench\",\"tenant\":\"bench\",\"config\":{\"path\":\"$WORK/inventory.json\"}}" \
    | INFRACAST_JAVA=$(command -v java) INFRACAST_CLASSPATH=$JAR "$ROOT/api-server/plugins/inventory" > /dev/null
  PLUGIN_MS=$(( $(now_ms) - t0 ))
  port=$(free_port)
  PLUGIN_DIR=$ROOT/api-server/plugins DATA_DIR=$WORK/data API_PORT=$port java -jar "$JAR" serve \
    > "$WORK/serve-discovery.log" 2>&1 &
  pid=$!; PIDS+=("$pid")
  wait_healthy "$port" 60
  API_URL=http://127.0.0.1:$port NODES=$DNODES java -cp "$TEST_CP" io.infracast.api.bench.DiscoveryBenchMain job \
    "$WORK/inventory.json" > "$WORK/discovery.txt"
  field() { sed -n "s/^$1=//p" "$WORK/discovery.txt"; }
  epoch_ms() { date -d "$1" +%s%3N; }
  JOB_MS=$(( $(epoch_ms "$(field finished_at)") - $(epoch_ms "$(field started_at)") ))
  # The evaluation runs after the job, on the worker's thread, and the evidence after it; their log lines carry
  # their durations.
  deadline=$(( $(now_ms) + 1800000 ))
  until grep -q '"evidence signed' "$WORK/serve-discovery.log"; do
    [ "$(now_ms)" -lt "$deadline" ] || { echo "no evidence signed within 30 minutes" >&2; exit 1; }
    sleep 0.2
  done
  json_field() { # message field
    python3 -c 'import json,sys
for line in open(sys.argv[1]):
    if line.startswith("{") and json.loads(line).get("message") == sys.argv[2]:
        print(json.loads(line).get(sys.argv[3], "")); break' "$WORK/serve-discovery.log" "$1" "$2"
  }
  EVAL_MS=$(json_field "compliance evaluation" duration_ms); EVAL_NODES=$(json_field "compliance evaluation" nodes)
  EVAL_MATCHED=$(json_field "compliance evaluation" matched); EVAL_RULES=$(json_field "compliance evaluation" rules)
  ASSESS_MS=$(json_field "compliance evaluation" assessment_ms)
  EVIDENCE_MS=$(json_field "evidence signed" ms); ARTIFACTS=$(json_field "evidence signed" artifacts)
  RSS_MB=$(( $(awk '/VmHWM/ {print $2}' "/proc/$pid/status") / 1024 ))
  kill -TERM "$pid"; wait "$pid" || true
fi

cat <<REPORT
## Run of $(date -u +%Y-%m-%dT%H:%MZ)

Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/^Mem:/ {print $2}') GiB RAM, $(uname -sr); $(java -version 2>&1 | head -1); PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}')$(part load && wrk --version 2>&1 | head -1 | awk '{print "; " $1, $2}'). Load generator, service and PostgreSQL share the same cores; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg).

| measure | value |
|---|---|
| \`migrate\` on an empty database (ms, $APPLIED migrations) | $MIGRATE_EMPTY |
| \`migrate\` on a current database (ms) | $MIGRATE_CURRENT |
REPORT
part start && cat <<REPORT
| start -> first /healthz 200 (median of $RUNS, ms) | $START_MEDIAN |
| start runs (ms) | ${STARTS[*]} |
REPORT
part load && cat <<REPORT

/healthz under wrk ($THREADS threads, $CONNECTIONS connections, ${DURATION} after ${WARMUP} warm-up):

| server | requests/s | p50 | p99 | non-2xx |
|---|---|---|---|---|
| infracast-api serve (DB check cached 500 ms, metrics, JSON) | $SVC_RPS | $SVC_P50 | $SVC_P99 | $SVC_NON2XX |
| ceiling: bare Javalin, constant {"status":"ok"} | $CEIL_RPS | $CEIL_P50 | $CEIL_P99 | $CEIL_NON2XX |

Ratio service / ceiling (requests/s): **$RATIO**
REPORT
part graph && cat <<REPORT

Asset graph ingest (rows/s; COPY streams the same rows into the same tables, indexes and constraints, as the owner):

| what | rows | seconds | rows/s |
|---|---|---|---|
$(grep '^| [ne]' "$WORK/graph.txt" | grep -v '^| GET' | head -4)

$(grep '^RATIO' "$WORK/graph.txt" | awk '{printf "API / COPY throughput: nodes **%s**, edges **%s**", $3, $5}')

Read latency over that graph (one client, sequential, ms, after as many warm-up requests):

| request | samples | p50 | p99 |
|---|---|---|---|
$(grep '^| GET' "$WORK/graph.txt")
REPORT
part discovery && cat <<REPORT

Discovery of $DNODES nodes and as many edges, end to end (inventory file $INVENTORY_MB MiB, JSON):

| stage | ms | rate |
|---|---|---|
| inventory plugin alone (JVM start, parse, write lines; output discarded) | $PLUGIN_MS | $(( DNODES * 1000 / (PLUGIN_MS > 0 ? PLUGIN_MS : 1) )) nodes/s |
| job: plugin + ingest through the bulk path (started_at -> finished_at) | $JOB_MS | $(( DNODES * 1000 / (JOB_MS > 0 ? JOB_MS : 1) )) nodes/s |
| compliance evaluation ($EVAL_RULES rules over $EVAL_NODES nodes, $EVAL_MATCHED matches; of it the per-control assessment $ASSESS_MS ms) | $EVAL_MS | $(( EVAL_NODES * 1000 / (EVAL_MS > 0 ? EVAL_MS : 1) )) nodes/s |
| evidence: $ARTIFACTS artifacts signed, stored (local folder) and indexed | $EVIDENCE_MS | |

Peak RSS of the service during the run: $RSS_MB MiB.
REPORT
true
