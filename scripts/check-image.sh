#!/usr/bin/env bash
# Checks the two image tars `mvn -B -Pimage verify` writes, without a container engine: each image's config runs as
# the non-root user; its layers are unpacked into a folder and its own entrypoint starts there (chroot, as user 65532,
# configuration read from the /config mount as on Kubernetes) until its readiness probe answers.
# - the product (target/absence-bridge-image.tar): no simulator, no embedded PostgreSQL; started in the production
#   mode (profile kubernetes) against a PostgreSQL server that already runs (scripts/lib/postgres.sh), with its class
#   data sharing archive in use (-Xshare:on: the JVM refuses to start without it); IMAGE_START_RUNS=N times its start
#   N times each way, with and without the application's archive;
# - the demo (target/absence-bridge-demo-image.tar): the simulators alone, as the demo overlay's simulators pod.
# Needs root (chroot, bind mounts), python3, and the demo jar (`mvn -B package`) for the PostgreSQL binaries.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/postgres.sh
source scripts/lib/image.sh
work="$(mktemp -d)"; chmod 755 "$work"
cleanup() {
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  image_unmount
  postgres_stop "$work/db"
  rm -rf "$work"
}
trap cleanup EXIT
cmd=()

# start NAME ARGS...: the entrypoint in the chroot as the image's user, until its readiness answers (JAVA_TOOL_OPTIONS
# as the caller sets it, as the Deployment sets its own)
start() {
  local name="$1"; shift
  # ports nothing listens on now (a random pick once met a port in use, one start in some dozens)
  local port mport began
  read -r port mport < <(free_ports 2)
  local run=("${entrypoint[@]}"); [ "${#cmd[@]}" -gt 0 ] && run=("${cmd[@]}")
  began=$(date +%s%N)
  chroot --userspec=65532:65532 "$root" "${run[@]}" "$@" --server.port=$port --management.server.port=$mport \
    --bridge.config-dir=/config/app --spring.config.additional-location=optional:file:/config/app/ > "$work/$name.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 900); do
    if curl -fsS "http://127.0.0.1:$mport/actuator/health/readiness" >/dev/null 2>&1; then
      ready_ms=$(( ($(date +%s%N) - began) / 1000000 ))
      echo "$name image OK: started as user 65532 from its own entrypoint, ready after $ready_ms ms (one start, on this machine's load)"
      kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  echo "$name image did not start; its log:" >&2
  tail -n 40 "$work/$name.log" >&2
  exit 1
}

image_unpack product "${1:-target/absence-bridge-image.tar}" "$work"
echo "product: runs as $image_user"
if compgen -G "$root/app/libs/embedded-postgres*" >/dev/null; then
  echo "the product image carries an embedded PostgreSQL:" $(cd "$root/app/libs" && ls embedded-postgres*) >&2
  exit 1
fi
# the application's classes are one jar in /app/classpath (a class data sharing archive cannot name a folder)
app_jar="$(ls "$root"/app/classpath/*.jar)"
if [ -e "$root/app/demo" ] || unzip -l "$app_jar" | grep -Eq ' (be/absencebridge/sim/|application-sim\.yaml$)'; then
  echo "the product image carries the simulators or the demo" >&2
  exit 1
fi
postgres_start "$work/db"
# the application's class data sharing archive, made at the build by a start of the image's own files: -Xshare:on
# makes the JVM refuse to start when it cannot use it (another class path, a jar changed since), instead of quietly
# loading every class without it
[ -s "$root/app/cds/app.jsa" ] || { echo "the product image has no class data sharing archive (/app/cds/app.jsa)" >&2; exit 1; }
export JAVA_TOOL_OPTIONS=-Xshare:on
# shellcheck disable=SC2046
start product $(production_args "$pg_url") --bridge.data-dir=/tmp --bridge.routes-location=file:/config/routes
unset JAVA_TOOL_OPTIONS
# IMAGE_START_RUNS=N: N starts each way, in turn: the entrypoint as it is, and without the application's archive (the
# Java runtime's own archive only, as the image had before); the median of each
if [ "${IMAGE_START_RUNS:-0}" -gt 0 ]; then
  image_plain
  with=() without=()
  for _ in $(seq 1 "$IMAGE_START_RUNS"); do
    cmd=("${plain[@]}"); start product-plain $(production_args "$pg_url") --bridge.data-dir=/tmp --bridge.routes-location=file:/config/routes; without+=("$ready_ms")
    cmd=(); start product $(production_args "$pg_url") --bridge.data-dir=/tmp --bridge.routes-location=file:/config/routes; with+=("$ready_ms")
  done
  median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
  echo "product image start to ready, median of $IMAGE_START_RUNS: $(median "${with[@]}") ms with the application's archive" \
    "(${with[*]}), $(median "${without[@]}") ms with the runtime's own only (${without[*]})"
fi

image_unpack demo "${2:-target/absence-bridge-demo-image.tar}" "$work"
echo "demo: runs as $image_user"
start demo --spring.profiles.active=sim --bridge.sync.enabled=false --bridge.sim.push-url=http://127.0.0.1:9
