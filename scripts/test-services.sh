#!/usr/bin/env bash
# Services for the test suite and the benchmark, on loopback only, thrown away afterwards.
#
#   scripts/test-services.sh install            apt-get install what is missing (PostgreSQL,
#                                               Redis, Chromium, fonts, and a Java runtime for
#                                               the Nu HTML checker when no `java` is on PATH);
#                                               a no-op when all is there
#   scripts/test-services.sh run-postgres CMD…  run CMD with DATABASE_URL pointing at a throwaway
#                                               PostgreSQL cluster (or at $DATABASE_URL if set)
#   scripts/test-services.sh run-redis CMD…     run CMD with REDIS_URL pointing at a throwaway
#                                               redis-server (or at $REDIS_URL if set)
#
# The run-* commands exit with CMD's exit code. The services listen on 127.0.0.1 only, on
# port 54329 (PostgreSQL) and 63799 (Redis), or the next free one; TEST_PG_PORT and
# TEST_REDIS_PORT change the first port tried. PG_BINDIR picks a PostgreSQL version.
set -euo pipefail

# WeasyPrint (certificates, project sheets) draws with Pango.
PACKAGES=(postgresql redis-server chromium fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0)
# The Nu HTML checker (vnu.jar, from npm) of the browser tests runs on Java: any runtime on
# PATH will do; without one, Debian's default.
if ! command -v java >/dev/null; then PACKAGES+=(default-jre-headless); fi

log() { echo "test-services: $*" >&2; }
die() { log "$*"; exit 1; }

# As root, run a command as the postgres user; otherwise as ourselves.
as_pg_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# True while process $1 runs (a zombie left for a slow init to reap counts as gone).
alive() {
  local state
  if [ -r "/proc/$1/stat" ]; then
    state=$(sed -E 's/.*\) (.).*/\1/' "/proc/$1/stat" 2>/dev/null) || return 1
    [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
  else
    kill -0 "$1" 2>/dev/null
  fi
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

cmd_install() {
  local missing=() pkg
  for pkg in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    log "already installed: ${PACKAGES[*]}"
    return 0
  fi
  command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get: install them by hand"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
  log "installing ${missing[*]} (apt-get update and install; output shown only on failure)"
  local out
  out=$(mktemp)
  if ! { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
         "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
           --no-install-recommends -o Dpkg::Use-Pty=0 "${missing[@]}"; } </dev/null >"$out" 2>&1; then
    cat "$out" >&2
    rm -f "$out"
    die "apt-get failed"
  fi
  rm -f "$out"
  log "installed ${missing[*]}"
}

# The bin directory of the newest PostgreSQL server installed (Debian layout first).
pg_bindir() {
  if [ -n "${PG_BINDIR:-}" ]; then echo "$PG_BINDIR"; return; fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then echo "$dir"; return; fi
  if command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir; return
  fi
  if command -v initdb >/dev/null; then dirname "$(command -v initdb)"; return; fi
  die "no PostgreSQL server found: run 'scripts/test-services.sh install'"
}

cmd_run_postgres() {
  [ $# -gt 0 ] || die "usage: $0 run-postgres CMD [ARG...]"
  if [ -n "${DATABASE_URL:-}" ]; then
    log "DATABASE_URL is set: using it, no throwaway cluster"
    exec "$@"
  fi
  local bin tmp port superpw
  bin=$(pg_bindir)
  if [ "$(id -u)" -eq 0 ]; then
    getent passwd postgres >/dev/null || die "no 'postgres' user: run 'scripts/test-services.sh install'"
  fi
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/civicbridge-pg.XXXXXX")
  PG_TMP=$tmp PG_BIN=$bin
  trap cleanup_postgres EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$tmp"; fi

  # Superuser reachable only with a random password, over TCP on loopback.
  superpw=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
  (umask 077; echo "$superpw" >"$tmp/pwfile")
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$tmp/pwfile"; fi
  as_pg_owner "$bin/initdb" --pgdata="$tmp/data" --username=postgres --pwfile="$tmp/pwfile" \
    --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$tmp/initdb.log" 2>&1 \
    || { cat "$tmp/initdb.log" >&2; die "initdb failed"; }
  rm -f "$tmp/pwfile"
  cat >>"$tmp/data/postgresql.conf" <<'EOF'

# civicbridge throwaway test cluster: loopback only, no durability.
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  # TEST_PG_SETTINGS: more lines for postgresql.conf, separated by ";" (make bench: production memory).
  if [ -n "${TEST_PG_SETTINGS:-}" ]; then
    printf '%s\n' "$TEST_PG_SETTINGS" | tr ';' '\n' >>"$tmp/data/postgresql.conf"
  fi

  port=${TEST_PG_PORT:-54329}
  local attempt
  for attempt in $(seq 1 20); do
    if port_in_use "$port"; then port=$((port + 1)); continue; fi
    rm -f "$tmp/postgres.log"
    if as_pg_owner "$bin/pg_ctl" start --pgdata="$tmp/data" --wait --timeout=60 --silent \
        --log="$tmp/postgres.log" -o "-p $port" >/dev/null 2>"$tmp/pg_ctl.err"; then
      PG_STARTED=1
      break
    fi
    if grep -q 'could not bind\|Address already in use' "$tmp/postgres.log" 2>/dev/null; then
      log "port $port is taken, trying $((port + 1))"
      port=$((port + 1)); continue
    fi
    cat "$tmp/pg_ctl.err" "$tmp/postgres.log" >&2 || true
    die "PostgreSQL did not start"
  done
  [ "${PG_STARTED:-}" = 1 ] || die "no free port for PostgreSQL"

  PGPASSWORD=$superpw PGCONNECT_TIMEOUT=10 "$bin/psql" --no-psqlrc --quiet \
    --host=127.0.0.1 --port="$port" --username=postgres --dbname=postgres \
    --set=ON_ERROR_STOP=1 >/dev/null <<'EOF'
CREATE ROLE civicbridge LOGIN PASSWORD 'civicbridge' CREATEDB;
CREATE DATABASE civicbridge OWNER civicbridge;
EOF
  export DATABASE_URL="postgres://civicbridge:civicbridge@127.0.0.1:$port/civicbridge"
  log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($tmp)"

  local rc=0
  "$@" || rc=$?
  exit "$rc"
}

cleanup_postgres() {
  local rc=$?
  set +e
  trap - INT TERM
  if [ -f "$PG_TMP/data/postmaster.pid" ]; then
    as_pg_owner "$PG_BIN/pg_ctl" stop --pgdata="$PG_TMP/data" --mode=immediate --wait \
      --timeout=30 --silent >/dev/null 2>&1
  fi
  rm -rf "$PG_TMP"
  exit "$rc"
}

cmd_run_redis() {
  [ $# -gt 0 ] || die "usage: $0 run-redis CMD [ARG...]"
  if [ -n "${REDIS_URL:-}" ]; then
    log "REDIS_URL is set: using it, no throwaway server"
    exec "$@"
  fi
  command -v redis-server >/dev/null || die "no redis-server: run 'scripts/test-services.sh install'"
  local tmp port attempt pid i
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/civicbridge-redis.XXXXXX")
  REDIS_TMP=$tmp
  trap cleanup_redis EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  port=${TEST_REDIS_PORT:-63799}
  for attempt in $(seq 1 20); do
    if port_in_use "$port"; then port=$((port + 1)); continue; fi
    rm -f "$tmp/redis.pid" "$tmp/redis.log"
    redis-server --bind 127.0.0.1 --port "$port" --protected-mode yes \
      --daemonize yes --pidfile "$tmp/redis.pid" --logfile "$tmp/redis.log" --dir "$tmp" \
      --save '' --appendonly no </dev/null >/dev/null \
      || { cat "$tmp/redis.log" >&2 2>/dev/null; die "redis-server did not start"; }
    # Ready once the server that answers on the port is the one we started.
    for i in $(seq 1 100); do
      pid=$(cat "$tmp/redis.pid" 2>/dev/null || true)
      if [ -n "$pid" ] && [ "$(redis-cli -h 127.0.0.1 -p "$port" info server 2>/dev/null \
          | tr -d '\r' | sed -n 's/^process_id://p')" = "$pid" ]; then
        REDIS_PID=$pid REDIS_PORT=$port
        break 2
      fi
      if grep -q 'Address already in use\|Could not create server TCP' "$tmp/redis.log" 2>/dev/null; then
        break
      fi
      sleep 0.1
    done
    if grep -q 'Address already in use\|Could not create server TCP' "$tmp/redis.log" 2>/dev/null; then
      log "port $port is taken, trying $((port + 1))"
      port=$((port + 1)); continue
    fi
    cat "$tmp/redis.log" >&2 || true
    die "redis-server did not start"
  done
  [ -n "${REDIS_PID:-}" ] || die "no free port for Redis"

  export REDIS_URL="redis://127.0.0.1:$port/0"
  log "Redis $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p') on 127.0.0.1:$port ($tmp)"

  local rc=0
  "$@" || rc=$?
  exit "$rc"
}

cleanup_redis() {
  local rc=$?
  set +e
  trap - INT TERM
  local pid=${REDIS_PID:-$(cat "$REDIS_TMP/redis.pid" 2>/dev/null)}
  if [ -n "$pid" ]; then
    if [ -n "${REDIS_PORT:-}" ]; then
      redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || kill "$pid" 2>/dev/null
    else
      kill "$pid" 2>/dev/null
    fi
    for _ in $(seq 1 100); do alive "$pid" || break; sleep 0.1; done
    if alive "$pid"; then kill -9 "$pid" 2>/dev/null; fi
  fi
  rm -rf "$REDIS_TMP"
  exit "$rc"
}

case "${1:-}" in
  install) shift; cmd_install "$@" ;;
  run-postgres) shift; cmd_run_postgres "$@" ;;
  run-redis) shift; cmd_run_redis "$@" ;;
  *)
    echo "usage: $0 install | run-postgres CMD [ARG...] | run-redis CMD [ARG...]" >&2
    exit 2
    ;;
esac
