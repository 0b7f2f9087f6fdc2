#!/usr/bin/env bash
# Checks the image tar that `mvn -B -Pimage package` wrote, without a container engine: its config runs as the
# non-root user, then its layers are unpacked into a folder and the image's own entrypoint starts there (chroot,
# as user 65532, configuration read from the /config mount as on Kubernetes) in the simulators-only mode until its
# readiness probe answers. (The bridge itself needs a PostgreSQL server: the image carries no embedded one, which
# this checks too.) Needs root (chroot, bind mounts) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
tar_file="${1:-target/absence-bridge-image.tar}"
work="$(mktemp -d)"; root="$work/root"; mkdir -p "$root"
cleanup() {
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  for m in proc dev config/routes config/app; do umount "$root/$m" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
tar --warning=no-unknown-keyword -xf "$tar_file" -C "$work"
python3 - "$work" > "$work/plan" <<'PY'
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
grep '^user' "$work/plan"
while read -r kind value; do
  [ "$kind" = layer ] && tar --warning=no-unknown-keyword -xzf "$work/$value" -C "$root"
done < "$work/plan"
if compgen -G "$root/app/libs/embedded-postgres-binaries-*" >/dev/null; then
  echo "the image carries embedded PostgreSQL binaries:" $(cd "$root/app/libs" && ls embedded-postgres-binaries-*) >&2
  exit 1
fi
IFS=$'\x1f' read -r -a entrypoint <<< "$(sed -n 's/^entrypoint //p' "$work/plan")"
mkdir -p "$root/proc" "$root/dev"
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
# the routes and the configuration as the Deployment mounts them
mount --bind routes "$root/config/routes"
mount --bind config "$root/config/app"
port=$((20000 + RANDOM % 20000)); mport=$((port + 1))
chmod 1777 "$root/tmp"
chroot --userspec=65532:65532 "$root" "${entrypoint[@]}" --spring.profiles.active=sim --bridge.sync.enabled=false \
  --server.port=$port --management.server.port=$mport --bridge.config-dir=/config/app \
  --spring.config.additional-location=optional:file:/config/app/ --bridge.sim.push-url=http://127.0.0.1:9 > "$work/app.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$mport/actuator/health/readiness" >/dev/null 2>&1; then
    echo "image OK: started as $(grep '^user' "$work/plan" | cut -d' ' -f2) from its own entrypoint, ready"
    exit 0
  fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 1
done
echo "image did not start; its log:" >&2
tail -n 40 "$work/app.log" >&2
exit 1
