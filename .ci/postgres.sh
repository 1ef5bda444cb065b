#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL cluster.
#
#   .ci/postgres.sh COMMAND [ARGS...]
#
# Creates a cluster under var/pg/run.* (fsync off, trust auth, listening on 127.0.0.1 only, on a
# free port), exports DATABASE_URL=postgres://forum@127.0.0.1:PORT/forum, runs the command,
# then stops the cluster and deletes it, also when the command fails or is interrupted.
# As root the server runs as the `postgres` system user (initdb refuses to run as root).
set -euo pipefail

[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }
repo=$(cd "$(dirname "$0")/.." && pwd)
bash "$repo/.ci/system-deps.sh" postgresql
bin=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || { echo "postgres.sh: no 'postgres' system user" >&2; exit 1; }
    as_pg() { (cd / && exec runuser -u postgres -- "$@"); }
else
    as_pg() { "$@"; }
fi

mkdir -p "$repo/var/pg"
# A cluster of its own for every run, so two runs at once (a test suite and a benchmark)
# never stop each other's database.
base=$(mktemp -d "$repo/var/pg/run.XXXXXX")
if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$repo/var/pg"; then
    # The checkout is not reachable by the postgres user (say under /root): use /tmp.
    rmdir "$base"
    base=$(mktemp -d /tmp/forum-pg.XXXXXX)
fi
data="$base/data"
log="$base/server.log"

seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

stop_cluster() {
    if [ -f "$data/postmaster.pid" ]; then
        as_pg "$bin/pg_ctl" stop -D "$data" -m fast -w -t 30 >/dev/null 2>&1 ||
            as_pg "$bin/pg_ctl" stop -D "$data" -m immediate -w -t 30 >/dev/null 2>&1 || true
    fi
    if [ -n "${server:-}" ]; then wait "$server" 2>/dev/null || true; fi
    rm -rf "$base"
}

# Clusters left by earlier runs that were killed outright: stop and remove them.
for old in "$repo"/var/pg/run.*/; do
    [ "$old" != "$base/" ] && [ -d "$old" ] || continue
    pid=$(head -n 1 "$old/data/postmaster.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        # Alive: another run's, unless its owner (the run's shell) is gone.
        owner=$(cat "$old/owner" 2>/dev/null || true)
        if [ -z "$owner" ] || kill -0 "$owner" 2>/dev/null; then continue; fi
        as_pg "$bin/pg_ctl" stop -D "$old/data" -m immediate -w -t 30 >/dev/null 2>&1 || true
    fi
    rm -rf "$old"
done
echo $$ >"$base/owner"

started=$(date +%s.%N)
mkdir -p "$base"
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$base"; fi
chmod 700 "$base"
trap stop_cluster EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg "$bin/initdb" --pgdata="$data" --username=forum --auth=trust --encoding=UTF8 \
    --locale=C.UTF-8 --no-sync >"$base/initdb.log" 2>&1 ||
    { cat "$base/initdb.log" >&2; exit 1; }
as_pg tee -a "$data/postgresql.conf" >/dev/null <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = ''
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 50
EOF
# The server runs as this script's child (not daemonised by pg_ctl) so that it is reaped here.
as_pg "$bin/postgres" -D "$data" >"$log" 2>&1 &
server=$!
for _ in $(seq 600); do
    as_pg "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" && break
    kill -0 "$server" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.1
done
as_pg "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" || { cat "$log" >&2; exit 1; }
as_pg "$bin/createdb" -h 127.0.0.1 -p "$port" -U forum forum
ready=$(date +%s.%N)

export DATABASE_URL="postgres://forum@127.0.0.1:$port/forum"
version=$(as_pg "$bin/psql" -h 127.0.0.1 -p "$port" -U forum -d forum -Atc 'SHOW server_version')
echo "PostgreSQL $version ready in $(seconds "$started" "$ready")s at $DATABASE_URL (data in $data)"

status=0
"$@" || status=$?
stopping=$(date +%s.%N)
stop_cluster
trap - EXIT
echo "PostgreSQL stopped and removed in $(seconds "$stopping" "$(date +%s.%N)")s"
exit "$status"
