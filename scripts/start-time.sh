#!/usr/bin/env bash
# The production mode's start-to-ready time: the jar started as on Kubernetes (profile kubernetes, no simulators),
# without the Lease (no API server here; Quartz's clustered job store picks the pollers' instance), against a
# PostgreSQL that already runs: one made here from the Linux binaries the demo jar carries (scripts/lib/postgres.sh),
# started once, before the runs.
# Each run is timed from the JVM's launch to the first 200 of /actuator/health/readiness (polled every 100 ms),
# then stopped. The first run also creates the schema (Flyway) and is not counted; the median of the others is printed.
#   bash scripts/start-time.sh [JAR] [RUNS]      (after `mvn -B package`; defaults: target/absence-bridge-<version>.jar, 7)
set -euo pipefail
cd "$(dirname "$0")/.."
jar="${1:-$(ls target/absence-bridge-*.jar | grep -v demo | head -n1)}"
runs="${2:-7}"
work="$(mktemp -d)"
source scripts/lib/postgres.sh
read -r port mport < <(free_ports 2)
cleanup() {
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  postgres_stop "$work"
  rm -rf "$work"
}
trap cleanup EXIT
postgres_start "$work"
mkdir -p "$work/bridge"
# shellcheck disable=SC2207
args=($(production_args "$pg_url") --server.port=$port --management.server.port=$mport --bridge.data-dir="$work/bridge")
times=()
for run in $(seq 0 "$runs"); do
  start=$(date +%s%N)
  java -jar "$jar" "${args[@]}" > "$work/run-$run.log" 2>&1 &
  pid=$!
  ready=""
  for _ in $(seq 1 1200); do
    if curl -fsS "http://127.0.0.1:$mport/actuator/health/readiness" >/dev/null 2>&1; then
      ready=$(( ($(date +%s%N) - start) / 1000000 )); break
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  if [ -z "$ready" ]; then echo "run $run did not get ready; its log:" >&2; tail -n 40 "$work/run-$run.log" >&2; exit 1; fi
  if [ "$run" = 0 ]; then echo "run 0 (creates the schema, not counted): ${ready} ms"; continue; fi
  echo "run $run: ${ready} ms"; times+=("$ready")
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m = NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2;
  printf "median start-to-ready of %d runs: %d ms (min %d, max %d)\n", NR, m, a[1], a[NR]}'
