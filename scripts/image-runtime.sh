#!/usr/bin/env bash
# The bottom of the container image, for Jib's extraDirectories (pom.xml, profile "image"): a Java runtime made
# with jlink from the JDK that builds the project, the shared libraries it links (glibc, libstdc++, zlib),
# /etc/passwd with the non-root user 65532 and an empty /tmp. No base image is pulled from a registry, so the
# image builds without a Docker daemon or registry access: `mvn -B -Pimage verify`.
set -euo pipefail
out="${1:?usage: image-runtime.sh OUTPUT_DIR}"
java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
rm -rf "$out"
mkdir -p "$out/opt" "$out/etc" "$out/tmp" "$out/config/routes" "$out/config/app" "$out/home/nonroot"
# --generate-cds-archive: the runtime's own classes in a class data sharing archive (lib/server/classes.jsa), as a
# JDK has it; a jlinked runtime has none without it, and every start then loads and verifies them from the modules
"$java_home/bin/jlink" --output "$out/opt/java" --strip-debug --no-man-pages --no-header-files --compress=2 --generate-cds-archive \
  --add-modules java.base,java.compiler,java.desktop,java.instrument,java.management,java.management.rmi,java.naming,java.net.http,java.prefs,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.sql.rowset,java.transaction.xa,java.xml,java.xml.crypto,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.httpserver,jdk.jfr,jdk.management,jdk.management.agent,jdk.management.jfr,jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs,jdk.charsets,jdk.localedata
# the archive for heaps of 32 GB and more (no compressed object pointers) is never used in a pod of 1 GiB: 11 MB less
rm -f "$out/opt/java/lib/server/classes_nocoops.jsa"
# the runtime is headless: drop the desktop's native parts that would pull in X11, sound, font and image libraries
find "$out/opt/java/lib" \( -name 'libawt_xawt.so' -o -name 'libsplashscreen.so' -o -name 'libjsound.so' -o -name 'libfontmanager.so' -o -name 'liblcms.so' -o -name 'libjavajpeg.so' \) -delete
# every shared library the runtime's binaries and libraries link, with the dynamic loader, from this machine
find "$out/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' -o -name jspawnhelper \) -print0 \
  | xargs -0 -n1 ldd 2>/dev/null \
  | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | sort -u \
  | while read -r lib; do
      case "$lib" in "$out"*) continue ;; esac
      mkdir -p "$out$(dirname "$lib")"
      cp -L "$lib" "$out$lib"
    done
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > "$out/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' > "$out/etc/group"
printf 'hosts: files dns\n' > "$out/etc/nsswitch.conf"
echo "image runtime in $out: $(du -sh "$out" | cut -f1)"
