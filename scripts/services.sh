#!/usr/bin/env bash
# PostgreSQL and Redis on 127.0.0.1, and the databases of an environment.
#
#   scripts/services.sh start            start PostgreSQL (Debian cluster) and Redis unless already running
#   scripts/services.sh databases ENV    roles, databases and DataStore permissions for ENV (dev or test)
#   scripts/services.sh stop             stop what this checkout started (never a server it found running)
source "$(dirname "$0")/lib.sh"

PG_MARK="$RT/postgres.started-by-us"
REDIS_DIR="$RT/redis"
REDIS_PID="$REDIS_DIR/redis.pid"
REDIS_LOG="$REDIS_DIR/redis.log"

pg_cluster() {
  # "VERSION NAME PORT STATUS ..." of the cluster on our port, else of the first cluster.
  pg_lsclusters -h 2>/dev/null | awk -v port="$PG_PORT" '$3 == port {print; exit}'
}

postgres_start() {
  local line ver name status log
  line="$(pg_cluster)"
  if [ -z "$line" ]; then
    if [ -n "$(pg_lsclusters -h 2>/dev/null)" ]; then
      die "postgresql: no cluster listens on port $PG_PORT ($(pg_lsclusters -h | awk '{printf "%s/%s on %s; ", $1, $2, $3}')); set HLJ_PG_PORT"
    fi
    ver="$(ls /usr/lib/postgresql | sort -n | tail -n1)"
    say "creating PostgreSQL cluster $ver/main on port $PG_PORT"
    as_root pg_createcluster "$ver" main --port "$PG_PORT" >/dev/null
    line="$(pg_cluster)"
  fi
  read -r ver name _ status _ _ log <<<"$line"
  if [ "$status" != "online" ]; then
    if port_in_use "$PG_PORT"; then
      die "postgresql: port $PG_PORT is in use by another process, so cluster $ver/$name cannot start; see $log"
    fi
    say "starting PostgreSQL $ver/$name"
    as_root pg_ctlcluster "$ver" "$name" start || die "postgresql $ver/$name failed to start; see $log"
    mkdir -p "$RT"
    echo "$ver $name" >"$PG_MARK"
  fi
  for _ in $(seq 1 30); do
    as_postgres psql -p "$PG_PORT" -qAtc 'select 1' >/dev/null 2>&1 && return 0
    sleep 1
  done
  die "postgresql $ver/$name does not accept connections; see $log"
}

redis_start() {
  if timeout 3 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
    return 0
  fi
  port_in_use "$REDIS_PORT" && die "redis: port $REDIS_PORT is in use by something that is not Redis; see $REDIS_LOG"
  mkdir -p "$REDIS_DIR"
  say "starting Redis on 127.0.0.1:$REDIS_PORT"
  # No persistence: queues and caches are rebuilt, and tests must not find yesterday's data.
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
    --dir "$REDIS_DIR" --pidfile "$REDIS_PID" --logfile "$REDIS_LOG" ||
    die "redis failed to start; see $REDIS_LOG"
  for _ in $(seq 1 50); do
    timeout 3 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && return 0
    sleep 0.2
  done
  die "redis did not answer after starting; see $REDIS_LOG"
}

psql_admin() {
  as_postgres psql -p "$PG_PORT" -v ON_ERROR_STOP=1 -qAt "$@"
}

ensure_role() {
  local role="$1" pw="$2"
  # The password comes from a file we generated (URL-safe base64), so it needs no quoting beyond '...'.
  psql_admin -c "DO \$\$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role') THEN
        CREATE ROLE $role LOGIN PASSWORD '$pw';
      ELSE
        ALTER ROLE $role LOGIN PASSWORD '$pw';
      END IF;
    END \$\$;"
}

ensure_database() {
  local db="$1"
  if [ -z "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
    say "creating database $db"
    as_postgres createdb -p "$PG_PORT" -O ckan_default -E utf-8 -T template0 "$db"
  fi
}

databases() {
  local env="$1" pw
  env_databases "$env"
  pw="$(db_password)"
  ensure_role ckan_default "$pw"
  ensure_role datastore_default "$pw"
  ensure_database "$CKAN_DB"
  ensure_database "$DATASTORE_DB"
}

stop() {
  stop_pidfile "redis" "$REDIS_PID" 10
  if [ -s "$PG_MARK" ]; then
    local ver name
    read -r ver name <"$PG_MARK"
    say "stopping PostgreSQL $ver/$name"
    as_root pg_ctlcluster "$ver" "$name" stop || warn "postgresql $ver/$name did not stop cleanly"
    rm -f "$PG_MARK"
  fi
}

case "${1:-}" in
start)
  postgres_start
  redis_start
  ;;
databases) databases "${2:?usage: scripts/services.sh databases dev|test|bench}" ;;
stop) stop ;;
*) die "usage: scripts/services.sh start | databases ENV | stop" ;;
esac
