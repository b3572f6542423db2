#!/usr/bin/env bash
# Start or stop the Solr node of one environment.
#
#   scripts/solr.sh start ENV PORT [--fresh]   ENV is dev or test; PORT 0 picks a free port.
#   scripts/solr.sh stop ENV
#
# The node's home is .runtime/ENV/solr-home. Its configset is regenerated at every start from CKAN's installed
# schema plus solr/conf (so a schema change takes effect on restart); the index itself is kept unless --fresh.
# On success the port is written to .runtime/ENV/solr.port and the core URL printed on stdout.
source "$(dirname "$0")/lib.sh"

cmd="${1:-}"
env="${2:-}"
[ -n "$env" ] || die "usage: scripts/solr.sh start|stop dev|test [PORT] [--fresh]"
dir="$RT/$env"
home="$dir/solr-home"
log="$dir/logs/solr.log"
pidfile="$dir/pids/solr.pid"
portfile="$dir/solr.port"

core_url() { echo "http://127.0.0.1:$1/solr/ckan"; }

core_answers() {
  curl -fsS --max-time 5 "$(core_url "$1")/select?q=*:*&rows=0" >/dev/null 2>&1
}

# The configset as it would be generated now, hashed: a running node built from another one is restarted.
configset_hash() {
  local tmp
  tmp="$(mktemp -d)"
  "$VENV/bin/python" "$ROOT/solr/build_configset.py" "$tmp" 2>/dev/null && (cd "$tmp/conf" && cat ./* | sha256sum | cut -c1-16)
  rm -rf "$tmp"
}

start() {
  local port="$1" fresh="$2" want
  want="$(configset_hash)"
  if pid_alive "$pidfile" && [ -s "$portfile" ] && core_answers "$(cat "$portfile")"; then
    if [ "$(cat "$dir/solr.conf-hash" 2>/dev/null)" = "$want" ]; then
      say "solr ($env) already running at $(core_url "$(cat "$portfile")")"
      core_url "$(cat "$portfile")"
      return 0
    fi
    say "solr ($env): the configset changed; restarting the node"
  fi
  stop_pidfile "solr ($env)" "$pidfile"
  if [ "$fresh" != 1 ] && [ -d "$home/ckan/data" ] && [ "$(cat "$dir/solr.conf-hash" 2>/dev/null)" != "$want" ]; then
    # The analysis may have changed: the index must be rebuilt from the database (scripts/run.sh does it).
    touch "$dir/solr.reindex-needed"
  fi
  if [ "$port" != 0 ] && port_in_use "$port"; then
    die "solr ($env): port $port is already in use by another process (a Solr of another checkout?). Stop it, or set HLJ_SOLR_PORT. Log: $log"
  fi
  [ -d "$SOLR_LIB" ] || die "solr: the jars are missing in $SOLR_LIB; run scripts/setup.sh"
  [ "$fresh" = 1 ] && rm -rf "$home"
  mkdir -p "$home/ckan" "$dir/logs" "$dir/pids"
  printf '<?xml version="1.0" encoding="UTF-8" ?>\n<solr>\n  <int name="maxBooleanClauses">${solr.max.booleanClauses:1024}</int>\n</solr>\n' >"$home/solr.xml"
  printf 'name=ckan\ndataDir=data\n' >"$home/ckan/core.properties"
  rm -rf "$home/ckan/conf"
  "$VENV/bin/python" "$ROOT/solr/build_configset.py" "$home/ckan" 2>>"$log" ||
    die "solr ($env): could not build the configset; see $log"
  [ -f "$log" ] && mv -f "$log" "$log.1"
  setsid java -Xms256m -Xmx"${HLJ_SOLR_HEAP:-1g}" \
    -Dsolr.log.dir="$dir/logs" -Dlog4j2.configurationFile="$ROOT/solr/log4j2.xml" \
    -cp "$SOLR_LIB/*" "$ROOT/solr/HljSolr.java" "$home" "$port" >"$log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  local waited=0
  until grep -qE '^HLJ_SOLR_(READY|FAILED)' "$log" 2>/dev/null; do
    if ! pid_alive "$pidfile" || [ "$waited" -ge 180 ]; then
      stop_pidfile "solr ($env)" "$pidfile" 5
      tail -n 30 "$log" >&2 || true
      die "solr ($env) did not start; see $log"
    fi
    sleep 1
    waited=$((waited + 1))
  done
  if grep -q '^HLJ_SOLR_FAILED' "$log"; then
    stop_pidfile "solr ($env)" "$pidfile" 5
    grep -m1 '^HLJ_SOLR_FAILED' "$log" >&2
    die "solr ($env) failed to start; see $log"
  fi
  port="$(grep -m1 '^HLJ_SOLR_READY' "$log" | cut -d' ' -f2)"
  echo "$port" >"$portfile"
  echo "$want" >"$dir/solr.conf-hash"
  core_answers "$port" || die "solr ($env) started but core 'ckan' does not answer; see $log"
  say "solr ($env) ready at $(core_url "$port") (${waited}s), log: $log"
  core_url "$port"
}

case "$cmd" in
start)
  port="${3:-0}"
  fresh=0
  [ "${4:-}" = "--fresh" ] && fresh=1
  start "$port" "$fresh"
  ;;
stop)
  stop_pidfile "solr ($env)" "$pidfile" 30
  rm -f "$portfile"
  ;;
*) die "usage: scripts/solr.sh start|stop dev|test [PORT] [--fresh]" ;;
esac
