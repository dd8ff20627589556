#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server (Debian's postgresql package) on 127.0.0.1:${PGPORT:-54329}
# for the production-database tests, and prints the URL to export as TEST_POSTGRES_URL.
# Usage: eval "$(bash scripts/pg-test-server.sh)"     Stop: bash scripts/pg-test-server.sh stop
set -euo pipefail
PGPORT="${PGPORT:-54329}"
PGDATA_DIR="${PGDATA_DIR:-/tmp/isecg-pg-test}"
bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -x "$bindir/pg_ctl" ] || { echo "PostgreSQL is not installed: apt-get install -y postgresql" >&2; exit 1; }
# runuser lives in /usr/sbin or /sbin, which a minimal PATH may lack
runuser="$(PATH="$PATH:/usr/sbin:/sbin" command -v runuser || true)"
run() { if [ "$(id -u)" = 0 ]; then "$runuser" -u postgres -- "$@"; else "$@"; fi; }

if [ "${1:-}" = stop ]; then
  run "$bindir/pg_ctl" -D "$PGDATA_DIR" -m fast stop >/dev/null 2>&1 || true
  exit 0
fi

if ! run "$bindir/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; then
  rm -rf "$PGDATA_DIR" && mkdir -p "$PGDATA_DIR"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$PGDATA_DIR"
  run "$bindir/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust -E UTF8 >/dev/null
  run "$bindir/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$PGPORT -c unix_socket_directories=$PGDATA_DIR" start >/dev/null
fi
echo "export TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:$PGPORT/postgres"
