# Shared definitions for the project's scripts. Source it; do not run it.
#
# Layout of what the scripts create (all ignored by git):
#   .venv/                     the virtualenv with CKAN 2.12 and this package (editable)
#   .runtime/solr/lib/         Solr 9.10.1 jars resolved by Maven from solr/pom.xml
#   .runtime/redis/            the Redis server this checkout started (pid, log)
#   .runtime/<env>/            per environment (dev, test): ckan.ini, logs/, pids/, solr-home/, storage/
# Machine-wide (shared by every checkout, never in a repository):
#   $HLJ_STATE_DIR/db-password the password of the ckan_default and datastore_default PostgreSQL roles

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RT="$ROOT/.runtime"
VENV="$ROOT/.venv"
SOLR_LIB="$RT/solr/lib"
HLJ_STATE_DIR="${HLJ_STATE_DIR:-${XDG_STATE_HOME:-$HOME/.local/state}/ckanext-hlj}"
PYTHON="${PYTHON:-python3.11}"

PG_HOST=127.0.0.1
PG_PORT="${HLJ_PG_PORT:-5432}"
REDIS_PORT="${HLJ_REDIS_PORT:-6379}"
DEV_SOLR_PORT="${HLJ_SOLR_PORT:-8983}"
DEV_WEB_PORT="${HLJ_WEB_PORT:-5000}"
# The bundled sample government site the demo harvest sources read (its RSS links name this port).
DEV_SITE_PORT="${HLJ_SAMPLE_SITE_PORT:-8765}"

# A short, stable id of this checkout, so a second clone on the same machine gets its own test databases and
# Redis database number instead of trampling the first one's. HLJ_CHECKOUT_ID overrides it (two suites at once).
CHECKOUT_ID="${HLJ_CHECKOUT_ID:-$(printf '%s' "$ROOT" | sha1sum | cut -c1-8)}"

say() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
warn() { printf '\033[1;33mwarning:\033[0m %s\n' "$*" >&2; }
die() {
  printf '\033[1;31merror:\033[0m %s\n' "$*" >&2
  exit 1
}

# Run a command as root (directly when we are root, else through sudo).
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Run a command as the postgres superuser.
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

# port_in_use PORT: true when something listens on 127.0.0.1:PORT.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# pid_alive PIDFILE: true when the file names a running process.
pid_alive() {
  [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

# sha256 of the given files' contents, for "has this changed since we last set it up" stamps.
files_hash() {
  cat "$@" | sha256sum | cut -c1-16
}

# stop_pidfile NAME PIDFILE [SECONDS]: SIGTERM the process, wait, then SIGKILL; remove the pid file.
stop_pidfile() {
  local name="$1" pidfile="$2" wait_s="${3:-20}" pid
  if ! pid_alive "$pidfile"; then
    rm -f "$pidfile"
    return 0
  fi
  pid="$(cat "$pidfile")"
  say "stopping $name (pid $pid)"
  # Background processes are started in their own session: signal the whole group so children go too.
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 $((wait_s * 5))); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    warn "$name did not stop within ${wait_s}s; killing it"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

# start_background NAME PIDFILE LOGFILE CMD...: start CMD detached (own session, survives Ctrl-C of `make run`),
# unless the pid file already names a live process. Fails with the log's path if it dies at once.
start_background() {
  local name="$1" pidfile="$2" logfile="$3"
  shift 3
  mkdir -p "$(dirname "$pidfile")" "$(dirname "$logfile")"
  if pid_alive "$pidfile"; then
    say "$name already running (pid $(cat "$pidfile"))"
    return 0
  fi
  setsid "$@" >>"$logfile" 2>&1 </dev/null &
  echo $! >"$pidfile"
  sleep 2
  if ! pid_alive "$pidfile"; then
    rm -f "$pidfile"
    tail -n 20 "$logfile" >&2 || true
    die "$name failed to start; see $logfile"
  fi
  say "$name started (pid $(cat "$pidfile")), log: $logfile"
}

db_password() {
  local file="$HLJ_STATE_DIR/db-password"
  if [ ! -s "$file" ]; then
    mkdir -p "$HLJ_STATE_DIR"
    (umask 077 && head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' >"$file.tmp" && mv "$file.tmp" "$file")
  fi
  cat "$file"
}

# Database names and URLs for an environment (dev, test or bench).
env_databases() {
  local env="$1"
  case "$env" in
  dev)
    CKAN_DB="ckan_dev"
    DATASTORE_DB="datastore_dev"
    REDIS_DB=0
    ;;
  test)
    CKAN_DB="ckan_test_$CHECKOUT_ID"
    DATASTORE_DB="datastore_test_$CHECKOUT_ID"
    REDIS_DB=$((1 + 16#${CHECKOUT_ID:0:4} % 15))
    ;;
  bench)
    CKAN_DB="ckan_bench_$CHECKOUT_ID"
    DATASTORE_DB="datastore_bench_$CHECKOUT_ID"
    REDIS_DB=$((1 + (16#${CHECKOUT_ID:0:4} + 7) % 15))
    ;;
  *) die "unknown environment '$env' (dev, test or bench)" ;;
  esac
  local pw
  pw="$(db_password)"
  SQLALCHEMY_URL="postgresql://ckan_default:$pw@$PG_HOST:$PG_PORT/$CKAN_DB"
  DATASTORE_WRITE_URL="postgresql://ckan_default:$pw@$PG_HOST:$PG_PORT/$DATASTORE_DB"
  DATASTORE_READ_URL="postgresql://datastore_default:$pw@$PG_HOST:$PG_PORT/$DATASTORE_DB"
  REDIS_URL="redis://127.0.0.1:$REDIS_PORT/$REDIS_DB"
}

ckan_cli() {
  "$VENV/bin/ckan" "$@"
}

# Print the logging sections of a generated CKAN ini: ckan_logging_sections WERKZEUG CKAN CKANEXT (levels).
ckan_logging_sections() {
  cat <<INI
[loggers]
keys = root, ckan, ckanext, werkzeug

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARNING
handlers = console

[logger_werkzeug]
level = $1
handlers = console
qualname = werkzeug
propagate = 0

[logger_ckan]
level = $2
handlers = console
qualname = ckan
propagate = 0

[logger_ckanext]
level = $3
handlers = console
qualname = ckanext
propagate = 0

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(asctime)s %(levelname)-5.5s [%(name)s] %(message)s
INI
}

# write_ckan_ini ENV SITE_URL SOLR_URL WEB_PORT LOG_LEVELS [EXTRA_LINES]: write .runtime/ENV/ckan.ini atomically,
# chained to config/common.ini, with ENV's database URLs (env_databases must have run), a secret key generated once
# (.runtime/ENV/secret-key), and the logging levels "WERKZEUG CKAN CKANEXT". Prints the ini's path.
write_ckan_ini() {
  local env="$1" site_url="$2" solr_url="$3" web_port="$4" levels="$5" extra="${6:-}"
  local dir="$RT/$env" keyfile="$RT/$env/secret-key" ini="$RT/$env/ckan.ini"
  mkdir -p "$dir/storage" "$dir/logs"
  if [ ! -s "$keyfile" ]; then
    (umask 077 && head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' >"$keyfile")
  fi
  (
    umask 077
    # shellcheck disable=SC2086 # levels are three words on purpose
    cat >"$ini.tmp" <<INI
# Generated by scripts/$(basename "$0"); edit config/common.ini or the script instead.
[app:main]
use = config:$ROOT/config/common.ini

SECRET_KEY = $(cat "$keyfile")
ckan.site_id = hlj-$env
ckan.site_url = $site_url
sqlalchemy.url = $SQLALCHEMY_URL
ckan.datastore.write_url = $DATASTORE_WRITE_URL
ckan.datastore.read_url = $DATASTORE_READ_URL
solr_url = $solr_url
ckan.redis.url = $REDIS_URL
ckan.storage_path = $dir/storage
ckan.devserver.host = 127.0.0.1
ckan.devserver.port = $web_port
$extra

$(ckan_logging_sections $levels)
INI
    mv "$ini.tmp" "$ini"
  )
  echo "$ini"
}
