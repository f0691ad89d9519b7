#!/usr/bin/env bash
# A throwaway PostgreSQL cluster (build/pg, or a folder of its own under /tmp when run as
# root), from the PostgreSQL binaries on the machine.
# usage: scripts/pg.sh start|stop|url
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
port="${HH_PG_PORT:-55432}"
# The cluster runs as an unprivileged user (initdb refuses root). As root, the project may
# sit in a folder that user cannot enter (mktemp -d makes 0700), so the cluster then lives
# in a folder of its own under /tmp, named after the project's path and the port.
if [ "$(id -u)" = 0 ]; then
  dir="/tmp/hiddenharm-pg-$(printf '%s:%s' "$here" "$port" | md5sum | cut -c1-12)"
else
  dir="$here/build/pg"
fi
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bindir" ] || bindir=$(dirname "$(command -v initdb)")
# initdb refuses to run as root: run the cluster as an unprivileged user.
as_user() {
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    su postgres -s /bin/bash -c "cd / && $*"
  else
    bash -c "$*"
  fi
}
case "${1:-start}" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown -R postgres "$dir" && chmod 700 "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_user "$bindir/initdb -D '$dir/data' -U hh --auth=trust -E UTF8 --locale=C.UTF-8 >'$dir/initdb.log' 2>&1"
    fi
    if ! as_user "$bindir/pg_ctl -D '$dir/data' status" >/dev/null 2>&1; then
      as_user "$bindir/pg_ctl -D '$dir/data' -l '$dir/server.log' -w -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off\" start" >/dev/null
    fi
    as_user "$bindir/psql -h 127.0.0.1 -p $port -U hh -d postgres -tAc \"SELECT 1 FROM pg_database WHERE datname='hiddenharm'\"" | grep -q 1 \
      || as_user "$bindir/createdb -h 127.0.0.1 -p $port -U hh hiddenharm"
    echo "postgres://hh@127.0.0.1:$port/hiddenharm"
    ;;
  stop)
    [ -d "$dir/data" ] && as_user "$bindir/pg_ctl -D '$dir/data' -m fast stop" >/dev/null 2>&1 || true
    ;;
  url)
    echo "postgres://hh@127.0.0.1:$port/hiddenharm"
    ;;
esac
