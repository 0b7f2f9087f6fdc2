# An image tar (Jib's `buildTar`) unpacked into a folder and made ready to run its own files with chroot, as a
# container runtime would: no container engine here. Source it after scripts/lib/postgres.sh, then:
#   image_unpack NAME TAR WORK   the layers into WORK/NAME/root; sets root, entrypoint (an array) and image_user
#   image_unmount                unmounts what image_unpack mounted (call it on exit)
#   image_plain                  sets plain: the entrypoint without its -XX:SharedArchiveFile (the application's archive)
# Needs root (chroot, bind mounts) and python3.

image_roots=()

image_unpack() {
  local name="$1" tar_file="$2" dir="$3/$1"
  mkdir -p "$dir/root"; root="$dir/root"; image_roots+=("$root")
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
  image_user="$(sed -n 's/^user //p' "$dir/plan")"
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

image_unmount() {
  local r m
  for r in "${image_roots[@]}"; do
    for m in proc dev config/routes config/app; do umount "$r/$m" 2>/dev/null || true; done
  done
}

image_plain() {
  local arg
  plain=()
  for arg in "${entrypoint[@]}"; do
    case "$arg" in -XX:SharedArchiveFile=*) ;; *) plain+=("$arg") ;; esac
  done
}
