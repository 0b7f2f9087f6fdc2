#!/usr/bin/env bash
# Checks the two image tars `mvn -B -Pimage package` writes, without a container engine: each image's config runs as
# the non-root user; its layers are unpacked into a folder and its own entrypoint starts there (chroot, as user 65532,
# configuration read from the /config mount as on Kubernetes) until its readiness probe answers.
# - the product (target/absence-bridge-image.tar): no simulator, no embedded PostgreSQL; started in the production
#   mode (profile kubernetes) against a PostgreSQL server that already runs (scripts/lib/postgres.sh);
# - the demo (target/absence-bridge-demo-image.tar): the simulators alone, as the demo overlay's simulators pod.
# Needs root (chroot, bind mounts), python3, and the demo jar (`mvn -B package`) for the PostgreSQL binaries.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/postgres.sh
work="$(mktemp -d)"; chmod 755 "$work"
roots=()
cleanup() {
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  for root in "${roots[@]}"; do
    for m in proc dev config/routes config/app; do umount "$root/$m" 2>/dev/null || true; done
  done
  postgres_stop "$work/db"
  rm -rf "$work"
}
trap cleanup EXIT

# unpack NAME TAR: the image's layers into $work/NAME/root; sets entrypoint (an array) and root
unpack() {
  local name="$1" tar_file="$2" dir="$work/$1"
  mkdir -p "$dir/root"; root="$dir/root"; roots+=("$root")
  tar --warning=no-unknown-keyword -xf "$tar_file" -C "$dir"
  python3 - "$dir" > "$dir/plan" <<'PY'
import json, sys
work = sys.argv[1]
manifest = json.load(open(f"{work}/manifest.json"))[0]
config = json.load(open(f"{work}/{manifest['Config']}"))["config"]
user = config.get("User", "")
assert user and not user.startswith("0") and user.split(":")[0] not in ("root", "0"), f"image runs as {user!r}"
print("user", user)
print("entrypoint", "\x1f".join(config["Entrypoint"]))
for layer in manifest["Layers"]:
    print("layer", layer)
PY
  echo "$name: $(grep '^user' "$dir/plan")"
  while read -r kind value; do
    [ "$kind" = layer ] && tar --warning=no-unknown-keyword -xzf "$dir/$value" -C "$root"
  done < "$dir/plan"
  IFS=$'\x1f' read -r -a entrypoint <<< "$(sed -n 's/^entrypoint //p' "$dir/plan")"
  mkdir -p "$root/proc" "$root/dev" "$root/etc"
  # what a container runtime (Kubernetes, Docker) gives every container: its own host name resolves (Quartz's
  # clustered job store names its instance after it)
  printf '127.0.0.1 localhost %s\n' "$(hostname)" > "$root/etc/hosts"
  mount -t proc proc "$root/proc"
  mount --bind /dev "$root/dev"
  # the routes and the configuration as the Deployment mounts them
  mount --bind routes "$root/config/routes"
  mount --bind config "$root/config/app"
  chmod 1777 "$root/tmp"
}

# start NAME ARGS...: the entrypoint in the chroot as the image's user, until its readiness answers
start() {
  local name="$1"; shift
  local port=$((20000 + RANDOM % 20000)); local mport=$((port + 1))
  chroot --userspec=65532:65532 "$root" "${entrypoint[@]}" "$@" --server.port=$port --management.server.port=$mport \
    --bridge.config-dir=/config/app --spring.config.additional-location=optional:file:/config/app/ > "$work/$name.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 180); do
    if curl -fsS "http://127.0.0.1:$mport/actuator/health/readiness" >/dev/null 2>&1; then
      echo "$name image OK: started as user 65532 from its own entrypoint, ready"
      kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  echo "$name image did not start; its log:" >&2
  tail -n 40 "$work/$name.log" >&2
  exit 1
}

unpack product "${1:-target/absence-bridge-image.tar}"
if compgen -G "$root/app/libs/embedded-postgres*" >/dev/null; then
  echo "the product image carries an embedded PostgreSQL:" $(cd "$root/app/libs" && ls embedded-postgres*) >&2
  exit 1
fi
if [ -e "$root/app/classes/be/absencebridge/sim" ] || [ -e "$root/app/demo" ] || [ -e "$root/app/resources/application-sim.yaml" ]; then
  echo "the product image carries the simulators or the demo" >&2
  exit 1
fi
postgres_start "$work/db"
# shellcheck disable=SC2046
start product $(production_args "$pg_url") --bridge.data-dir=/tmp

unpack demo "${2:-target/absence-bridge-demo-image.tar}"
start demo --spring.profiles.active=sim --bridge.sync.enabled=false --bridge.sim.push-url=http://127.0.0.1:9
