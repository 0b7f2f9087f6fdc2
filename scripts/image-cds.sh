#!/usr/bin/env bash
# The product image's class data sharing archive (pom.xml, profile "image"): the classes a start loads, parsed and
# verified once at the build instead of at every start of a pod. JDK 17 takes an archive only with the class path it was
# written with (the same paths in the same order, each jar of the same size and modification time), so it is written
# by a start of the image's own files at their own paths: the image built without it (TAR) is unpacked, and its Java
# runs its application in a chroot, as user 65532, in the production mode against a PostgreSQL started here
# (scripts/lib/postgres.sh: the context checks the schema), with the Deployment's arguments, until the context is made
# (Spring Boot's -Dspring.context.exit=onRefresh); the JVM writes the archive as it ends (-XX:ArchiveClassesAtExit).
# A training until ready (then stopped) archives 85 MB instead of 68 and took 31 s instead of 18, for no clear gain
# (docs/benchmark.md).
# The image is then built again with the archive at /app/cds/app.jsa, which its entrypoint names
# (-XX:SharedArchiveFile; a JVM that cannot use it starts without any, which scripts/check-image.sh makes an error).
#   bash scripts/image-cds.sh TAR OUT_DIR [true|false]      (false: the runtime's own archive only, no training start)
# Needs root (chroot, bind mounts), python3, and the demo jar for the PostgreSQL binaries.
set -euo pipefail
cd "$(dirname "$0")/.."
tar_file="${1:?usage: image-cds.sh TAR OUT_DIR [true|false]}"; out="${2:?usage: image-cds.sh TAR OUT_DIR [true|false]}"
rm -rf "$out"; mkdir -p "$out/app/cds"
if [ "${3:-true}" = false ]; then
  # the entrypoint names /app/cds/app.jsa: a JVM that finds no archive there uses none at all, not even the JDK's own
  # classes' (tried), so the image gets the runtime's own archive under that name
  cp target/image-root/opt/java/lib/server/classes.jsa "$out/app/cds/app.jsa"
  echo "image-cds: -Dimage.cds=false: the image carries the Java runtime's own archive only, not the application's"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "image-cds: the archive is written by a start inside the image's files (chroot), which needs root; build as root," \
    "or with -Dimage.cds=false for an image without it (its pods start slower)" >&2
  exit 1
fi
source scripts/lib/postgres.sh
source scripts/lib/image.sh
work="$(mktemp -d)"; chmod 755 "$work"
cleanup() {
  image_unmount
  postgres_stop "$work/db"
  rm -rf "$work"
}
trap cleanup EXIT
image_unpack product "$tar_file" "$work"
postgres_start "$work/db"
# the entrypoint's Java and class path, the training's options in place of the entrypoint's archive
image_plain
began=$(date +%s)
# shellcheck disable=SC2046
chroot --userspec="$image_user" "$root" "${plain[0]}" -XX:ArchiveClassesAtExit=/tmp/app.jsa -Dspring.context.exit=onRefresh \
  "${plain[@]:1}" $(production_args "$pg_url") --bridge.data-dir=/tmp --server.port=0 --management.server.port=0 \
  --bridge.routes-location=file:/config/routes --bridge.config-dir=/config/app \
  --spring.config.additional-location=optional:file:/config/app/ > "$work/training.log" 2>&1 || true
if [ ! -s "$root/tmp/app.jsa" ]; then
  echo "image-cds: the training start wrote no archive; its log:" >&2
  tail -n 40 "$work/training.log" >&2
  exit 1
fi
cp "$root/tmp/app.jsa" "$out/app/cds/app.jsa"
chmod 644 "$out/app/cds/app.jsa"
echo "image-cds: $out/app/cds/app.jsa, $(( $(stat -c %s "$out/app/cds/app.jsa") >> 20 )) MB, written by a training start of $(( $(date +%s) - began )) s"
