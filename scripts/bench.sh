#!/usr/bin/env bash
# `make bench`: the same set-up as the portal, then the benchmarks in benchmarks/ against an environment of their
# own (`bench`): this checkout's bench databases and Redis database number, a Solr node with a fresh home on a
# free port and a CKAN web server on a free port, both started here and stopped when the run ends. The bench
# database keeps its generated datasets between runs; the fresh Solr index is rebuilt from it at every run.
# Arguments go to benchmarks/search_overhead.py (e.g. `bash scripts/bench.sh --datasets 2000 --repeat 10`).
source "$(dirname "$0")/lib.sh"

dir="$RT/bench"
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/services.sh" start
"$ROOT/scripts/services.sh" databases bench
env_databases bench
mkdir -p "$dir/storage" "$dir/logs" "$dir/pids"

web_pid="$dir/pids/ckan.pid"
# A web server left over by an interrupted run holds an old port and an old config: never reuse it.
stop_pidfile "ckan web (bench)" "$web_pid"
trap 'stop_pidfile "ckan web (bench)" "$web_pid"; "$ROOT/scripts/solr.sh" stop bench' EXIT
solr_url="$("$ROOT/scripts/solr.sh" start bench 0 --fresh)"

web_port="${HLJ_BENCH_WEB_PORT:-5100}"
while port_in_use "$web_port"; do web_port=$((web_port + 1)); done
ckan_url="http://127.0.0.1:$web_port"

# Quiet logs: a line per request would be part of what is measured.
ini="$(write_ckan_ini bench "$ckan_url" "$solr_url" "$web_port" "WARNING WARNING WARNING")"

say "initialising the bench database $CKAN_DB (CKAN core and plugin migrations)"
ckan_cli -c "$ini" db init >"$dir/logs/db-init.log" 2>&1 || {
  tail -n 20 "$dir/logs/db-init.log" >&2
  die "ckan db init failed; see $dir/logs/db-init.log"
}

# The werkzeug server of `ckan run`, single-threaded as in `make run`, without reloader and debugger wrappers.
[ -f "$dir/logs/ckan.log" ] && mv -f "$dir/logs/ckan.log" "$dir/logs/ckan.log.1"
start_background "ckan web (bench)" "$web_pid" "$dir/logs/ckan.log" \
  "$VENV/bin/ckan" -c "$ini" run --host 127.0.0.1 --port "$web_port" --disable-reloader --disable-debugger
for i in $(seq 1 120); do
  curl -fsS --max-time 5 "$ckan_url/api/3/action/status_show" >/dev/null 2>&1 && break
  pid_alive "$web_pid" || die "ckan web (bench) died; see $dir/logs/ckan.log"
  [ "$i" -eq 120 ] && die "ckan web (bench) does not answer at $ckan_url; see $dir/logs/ckan.log"
  sleep 1
done
say "ckan web (bench) answers at $ckan_url"

cd "$ROOT"
"$VENV/bin/python" benchmarks/search_overhead.py --ini "$ini" --ckan-url "$ckan_url" --solr-url "$solr_url" "$@"
