#!/usr/bin/env bash
# Load run (benchmarks/load_search.py): 50 concurrent searching users for 60 s against the portal under gunicorn,
# then against `ckan run` as the baseline, in the bench environment. The same idempotent set-up as `make bench`
# (scripts/setup.sh, PostgreSQL and Redis, this checkout's bench databases), a Solr node with a fresh home on a free
# port (stopped when the run ends), .runtime/bench/ckan.ini with quiet logs, `ckan db init`. The web servers are
# started and stopped by load_search.py, on free loopback ports. Arguments go to load_search.py.
#
#   bash benchmarks/load_search.sh [--datasets 10000] [--users 50] [--run-time 60] [--workers N]
source "$(dirname "$0")/../scripts/lib.sh"

dir="$RT/bench"
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/services.sh" start
"$ROOT/scripts/services.sh" databases bench
env_databases bench
mkdir -p "$dir/logs" "$dir/pids"

# The bench Solr of a `make bench` (or of another benchmark) that is still running belongs to that run: never take
# it over or stop it.
if pid_alive "$dir/pids/solr.pid"; then
  die "a bench Solr is already running (pid $(cat "$dir/pids/solr.pid")): another benchmark is under way"
fi
trap '"$ROOT/scripts/solr.sh" stop bench' EXIT
solr_url="$("$ROOT/scripts/solr.sh" start bench 0 --fresh)"

# Quiet logs: a line per request would be part of what is measured. The site URL only names the bench environment;
# the servers' ports are chosen by load_search.py.
ini="$(write_ckan_ini bench "http://127.0.0.1:5100" "$solr_url" 5100 "WARNING WARNING WARNING")"

say "initialising the bench database $CKAN_DB (CKAN core and plugin migrations)"
ckan_cli -c "$ini" db init >"$dir/logs/db-init.log" 2>&1 || {
  tail -n 20 "$dir/logs/db-init.log" >&2
  die "ckan db init failed; see $dir/logs/db-init.log"
}

cd "$ROOT"
"$VENV/bin/python" benchmarks/load_search.py --ini "$ini" --solr-url "$solr_url" "$@"
