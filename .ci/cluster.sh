#!/usr/bin/env bash
# The scaled-out site on one machine, from real components, everything under var/cluster/:
#
#   .ci/cluster.sh up          start whatever is not running; the first time also create the
#                              database, migrate, collect static files and seed the demo
#   .ci/cluster.sh down        stop everything it started (the data stays for the next `up`)
#   .ci/cluster.sh status      what runs, on which port
#   .ci/cluster.sh kill NAME   SIGKILL one piece (app1, app2, worker, cron, redis, nginx): drills
#   .ci/cluster.sh env         the environment the app servers and the worker run with
#   .ci/cluster.sh route N     nginx sends requests to the first N app servers only
#
# The pieces: PostgreSQL and Redis (Debian's packages, installed when missing), two gunicorn
# app servers (app1, app2), the task worker (`manage.py db_worker`), cron (.ci/cluster-cron.sh)
# and nginx in front on 127.0.0.1:$PORT. Knobs: PORT (8080), CLUSTER_DIR (var/cluster), CLUSTER_APPS (2),
# CLUSTER_WORKERS (gunicorn workers per app server, 2), EMAIL_URL (mail as files in
# var/cluster/mail), CLUSTER_SEED (1: the demo content). Ports and settings are chosen at the
# first `up` and kept in CLUSTER_DIR/env; `down` then `rm -r var/cluster` starts afresh.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
dir=${CLUSTER_DIR:-$repo/var/cluster}
mkdir -p "$dir/logs" "$dir/nginx"
dir=$(cd "$dir" && pwd)
py=$repo/.venv/bin/python
envfile=$dir/env

say() { printf 'cluster: %s\n' "$*"; }
free_port() { "$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# Running, and not a zombie waiting to be reaped.
alive() {
    local pid
    pid=$(cat "$dir/$1.pid" 2>/dev/null) && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
        ! grep -q '^[0-9]* (.*) Z' "/proc/$pid/stat" 2>/dev/null
}

# Wait until URL answers 200 (at most $2 seconds, 60 by default); $3 names a pid that must
# stay alive meanwhile.
wait_http() {
    "$py" - "$1" "${2:-60}" "${3:-}" <<'EOF'
import os, sys, time, urllib.request
url, seconds, pid = sys.argv[1], float(sys.argv[2]), sys.argv[3]
deadline = time.monotonic() + seconds
while time.monotonic() < deadline:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            if response.status == 200:
                sys.exit(0)
    except OSError:
        pass
    if pid:
        try:
            os.kill(int(pid), 0)
        except OSError:
            sys.exit(f"cluster: the process behind {url} died; see its log")
    time.sleep(0.2)
sys.exit(f"cluster: {url} did not answer 200 within {seconds:.0f} s")
EOF
}

pg_bin=""
as_pg() { if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }

# -- settings, chosen once ----------------------------------------------------------------
write_env() {
    [ -s "$dir/secret_key" ] ||
        (umask 077 && "$py" -c 'import secrets; print(secrets.token_urlsafe(50))' >"$dir/secret_key")
    local pgdata=$dir/pg
    if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$dir"; then
        # The checkout is out of the postgres user's reach (under /root, say): keep its data in /tmp.
        pgdata=/tmp/forum-cluster-$(printf '%s' "$dir" | md5sum | cut -c1-8)/pg
    fi
    local apps=() n
    for ((n = 1; n <= ${CLUSTER_APPS:-2}; n++)); do apps+=("$(free_port)"); done
    local pg_port redis_port port=${PORT:-8080}
    pg_port=$(free_port)
    redis_port=$(free_port)
    cat >"$envfile" <<EOF
# Written by .ci/cluster.sh at the first \`up\`; the app servers and the worker run with it.
export CLUSTER_PORT=$port CLUSTER_PG_PORT=$pg_port CLUSTER_REDIS_PORT=$redis_port
export CLUSTER_APP_PORTS="${apps[*]}" CLUSTER_PGDATA=$pgdata
export DJANGO_DEBUG=0 DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export DJANGO_SECRET_KEY=\$(cat $dir/secret_key)
export DJANGO_VAR_DIR=$dir/var DJANGO_PROXY_HOPS=1 DJANGO_SERVE_MEDIA=0
export DATABASE_URL=postgres://forum@127.0.0.1:$pg_port/forum
export CACHE_URL=redis://127.0.0.1:$redis_port/0 DJANGO_SESSION_ENGINE=cached_db
export TASKS_BACKEND=database EMAIL_URL=${EMAIL_URL:-file://$dir/mail}
export SITE_URL=http://127.0.0.1:$port DONATIONS_ALLOW_DEV_PROVIDER=1
export WORKERS=${CLUSTER_WORKERS:-2}
EOF
}

# -- the pieces -----------------------------------------------------------------------------
start_postgres() {
    pg_bin=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    local data=$CLUSTER_PGDATA/data log=$CLUSTER_PGDATA/server.log
    if as_pg "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$CLUSTER_PG_PORT"; then return; fi
    if [ ! -s "$data/PG_VERSION" ]; then
        mkdir -p "$CLUSTER_PGDATA"
        [ "$(id -u)" -ne 0 ] || chown postgres: "$CLUSTER_PGDATA"
        chmod 700 "$CLUSTER_PGDATA"
        as_pg "$pg_bin/initdb" --pgdata="$data" --username=forum --auth=trust --encoding=UTF8 \
            --locale=C.UTF-8 >"$dir/logs/initdb.log" 2>&1 || { cat "$dir/logs/initdb.log" >&2; exit 1; }
        as_pg tee -a "$data/postgresql.conf" >/dev/null <<EOF
listen_addresses = '127.0.0.1'
port = $CLUSTER_PG_PORT
unix_socket_directories = ''
max_connections = 100
EOF
    fi
    as_pg "$pg_bin/pg_ctl" start -D "$data" -l "$log" -w -t 60 >/dev/null
    as_pg "$pg_bin/psql" -h 127.0.0.1 -p "$CLUSTER_PG_PORT" -U forum -d postgres -Atc \
        "select 1 from pg_database where datname = 'forum'" | grep -q 1 ||
        as_pg "$pg_bin/createdb" -h 127.0.0.1 -p "$CLUSTER_PG_PORT" -U forum forum
    say "PostgreSQL on 127.0.0.1:$CLUSTER_PG_PORT (data in $data)"
}

start_redis() {
    alive redis && return
    mkdir -p "$dir/redis"
    # A cache: no snapshots, no append-only file, the least recently used keys dropped when full.
    redis-server --bind 127.0.0.1 --port "$CLUSTER_REDIS_PORT" --daemonize yes \
        --pidfile "$dir/redis.pid" --dir "$dir/redis" --logfile "$dir/logs/redis.log" \
        --save '' --appendonly no --maxmemory 256mb --maxmemory-policy allkeys-lru
    for _ in $(seq 50); do alive redis && break; sleep 0.1; done
    alive redis || { tail -n 20 "$dir/logs/redis.log" >&2; exit 1; }
    say "Redis on 127.0.0.1:$CLUSTER_REDIS_PORT"
}

prepare_site() {
    [ -e "$dir/prepared" ] && return
    say "migrating, collecting static files$([ "${CLUSTER_SEED:-1}" = 1 ] && echo ', seeding the demo')"
    (cd "$repo" && "$py" manage.py migrate --noinput -v 0 &&
        "$py" manage.py collectstatic --noinput -v 0 &&
        if [ "${CLUSTER_SEED:-1}" = 1 ]; then
            "$py" manage.py seed_demo && "$py" manage.py ensure_demo_admin
        fi) >"$dir/logs/prepare.log" 2>&1 || { tail -n 30 "$dir/logs/prepare.log" >&2; exit 1; }
    touch "$dir/prepared"
}

# A process of ours in the background, in a session of its own (a signal to this shell does
# not reach it), its stdout and stderr appended to logs/NAME.log.
launch() {
    local name=$1
    shift
    (cd "$repo" && exec setsid "$@" >>"$dir/logs/$name.log" 2>&1 </dev/null) &
    echo $! >"$dir/$name.pid"
}

start_apps() {
    local n=0 port
    for port in $CLUSTER_APP_PORTS; do
        n=$((n + 1))
        alive "app$n" && continue
        launch "app$n" "$repo/.venv/bin/gunicorn" -c site_config/gunicorn.py site_config.wsgi --bind "127.0.0.1:$port"
        wait_http "http://127.0.0.1:$port/healthz" 60 "$(cat "$dir/app$n.pid")"
        say "app$n: gunicorn on 127.0.0.1:$port ($WORKERS workers)"
    done
}

# The worker has a name of its own, so that what it left running when it was killed goes back
# in the queue before it starts again (every task here keeps a ledger: none does anything twice).
start_worker() {
    alive worker && return
    launch worker sh -c "'$py' manage.py requeue_stalled_tasks --worker worker1 &&
        exec '$py' manage.py db_worker --worker-id worker1 --queue-name '*' --no-reload --interval 0.5"
    say "worker: manage.py db_worker (worker1)"
}

start_cron() {
    alive cron && return
    launch cron bash "$repo/.ci/cluster-cron.sh"
    say "cron: .ci/cluster-cron.sh (send_newsletter --due, requeue_stalled_tasks, housekeeping)"
}

# nginx.conf from the template, its upstream the first $1 app servers (all by default).
write_nginx_conf() {
    local upstreams="" port user_line="" n=0
    for port in $CLUSTER_APP_PORTS; do
        n=$((n + 1))
        [ "$n" -le "${1:-$n}" ] || break
        upstreams+="        server 127.0.0.1:$port max_fails=1 fail_timeout=10s;"$'\n'
    done
    mkdir -p "$dir/nginx"/{body,proxy,fastcgi,uwsgi,scgi}
    if [ "$(id -u)" -eq 0 ]; then
        # nginx's workers drop root; as nobody when that user can read the files.
        if runuser -u nobody -- test -r "$DJANGO_VAR_DIR/static"; then
            user_line="user nobody nogroup;"
            chown -R nobody "$dir/nginx"
        else
            user_line="user root;  # the checkout is out of other users' reach"
        fi
    fi
    sed -e "s|@DIR@|$dir|g" -e "s|@PORT@|$CLUSTER_PORT|g" -e "s|@USER_LINE@|$user_line|" \
        -e "s|@STATIC_ROOT@|$DJANGO_VAR_DIR/static|g" -e "s|@MEDIA_ROOT@|$DJANGO_VAR_DIR/media|g" \
        "$repo/.ci/nginx.conf.template" |
        awk -v ups="${upstreams%$'\n'}" '{ if ($0 == "@UPSTREAMS@") print ups; else print }' >"$dir/nginx.conf"
    nginx -t -q -c "$dir/nginx.conf" -g 'daemon off;' || exit 1
}

start_nginx() {
    alive nginx && return
    write_nginx_conf
    launch nginx nginx -c "$dir/nginx.conf" -g 'daemon off;'
    wait_http "http://127.0.0.1:$CLUSTER_PORT/healthz" 30 "$(cat "$dir/nginx.pid")"
    say "nginx on http://127.0.0.1:$CLUSTER_PORT/"
}

# -- stopping ---------------------------------------------------------------------------------
stop_piece() {
    local name=$1 pid
    alive "$name" || { rm -f "$dir/$name.pid"; return; }
    pid=$(cat "$dir/$name.pid")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
    rm -f "$dir/$name.pid"
}

stop_all() {
    stop_piece nginx
    local n
    for ((n = 1; n <= $(wc -w <<<"$CLUSTER_APP_PORTS"); n++)); do stop_piece "app$n"; done
    stop_piece worker
    stop_piece cron
    if alive redis; then
        redis-cli -p "$CLUSTER_REDIS_PORT" shutdown nosave >/dev/null 2>&1 || stop_piece redis
    fi
    rm -f "$dir/redis.pid"
    pg_bin=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    if [ -f "$CLUSTER_PGDATA/data/postmaster.pid" ]; then
        as_pg "$pg_bin/pg_ctl" stop -D "$CLUSTER_PGDATA/data" -m fast -w -t 30 >/dev/null ||
            as_pg "$pg_bin/pg_ctl" stop -D "$CLUSTER_PGDATA/data" -m immediate -w -t 30 >/dev/null
    fi
    say "stopped"
}

status() {
    local name
    for name in nginx $(seq -f 'app%g' 1 "$(wc -w <<<"$CLUSTER_APP_PORTS")") worker cron redis; do
        if alive "$name"; then say "$name running (pid $(cat "$dir/$name.pid"))"; else say "$name not running"; fi
    done
    if [ -f "$CLUSTER_PGDATA/data/postmaster.pid" ]; then say "postgres running"; else say "postgres not running"; fi
}

command=${1:-up}
if [ ! -s "$envfile" ]; then
    [ "$command" = up ] || { say "nothing started yet (var/cluster has no env)"; exit 0; }
    write_env
fi
# shellcheck source=/dev/null
source "$envfile"

case "$command" in
    up)
        bash "$repo/.ci/system-deps.sh" postgresql redis nginx
        start_postgres
        start_redis
        prepare_site
        start_apps
        start_worker
        start_cron
        start_nginx
        say "up: http://127.0.0.1:$CLUSTER_PORT/ (logs in $dir/logs; \`make cluster-stop\` stops it)"
        ;;
    down) stop_all ;;
    status) status ;;
    env) cat "$envfile" ;;
    route)
        # nginx sends requests to the first N app servers only (benchmarks: one against two).
        write_nginx_conf "${2:?route to how many app servers?}"
        nginx -s reload -c "$dir/nginx.conf" -g 'daemon off;' 2>&1 | { grep -v "signal process started" >&2 || true; }
        sleep 1
        say "nginx routes to $(grep -c ' server 127' "$dir/nginx.conf") app server(s)"
        ;;
    kill)
        name=${2:?kill what? app1, app2, worker, cron, redis or nginx}
        alive "$name" || { say "$name is not running"; exit 1; }
        # The whole process group, as if its machine died: a gunicorn master and its workers.
        kill -KILL -- "-$(cat "$dir/$name.pid")"
        for _ in $(seq 50); do alive "$name" || break; sleep 0.1; done
        say "$name killed"
        ;;
    *) echo "usage: $0 up|down|status|env|kill NAME|route N" >&2; exit 2 ;;
esac
