#!/usr/bin/env bash
# Run one in-process benchmark (a Python script taking --ini, --solr-url and --drop-root) in the bench environment
# without its web server: the same idempotent set-up as `make bench` (scripts/setup.sh, PostgreSQL and Redis, the
# bench databases), a Solr node with a fresh home on a free port (stopped when the run ends), .runtime/bench/ckan.ini
# with a drop root of its own (a temporary directory under .runtime/bench, removed at the end), `ckan db init` and
# the DataStore permissions. Arguments after the script go to it.
#
#   bash scripts/bench-run.sh benchmarks/deadline_report.py --rows 100000
source "$(dirname "$0")/lib.sh"

script="${1:?usage: scripts/bench-run.sh SCRIPT.py [ARGS...]}"
shift
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
drop_root="$(mktemp -d "$dir/credit-drop.XXXXXX")"
trap 'rm -rf "$drop_root"; "$ROOT/scripts/solr.sh" stop bench' EXIT
solr_url="$("$ROOT/scripts/solr.sh" start bench 0 --fresh)"

# No web server: the site URL and port are only what CKAN's config requires. Quiet logs: a line per chunk or per
# record would be part of what is measured.
ini="$(write_ckan_ini bench "http://127.0.0.1:5100" "$solr_url" 5100 "WARNING WARNING WARNING" \
  "ckanext.hlj.harvest.drop_root = $drop_root")"

say "initialising the bench database $CKAN_DB (CKAN core and plugin migrations)"
ckan_cli -c "$ini" db init >"$dir/logs/db-init.log" 2>&1 || {
  tail -n 20 "$dir/logs/db-init.log" >&2
  die "ckan db init failed; see $dir/logs/db-init.log"
}
say "granting DataStore permissions on $DATASTORE_DB"
ckan_cli -c "$ini" datastore set-permissions 2>>"$dir/logs/db-init.log" |
  as_postgres psql -p "$PG_PORT" -v ON_ERROR_STOP=1 -q -d "$DATASTORE_DB" >>"$dir/logs/db-init.log" 2>&1 ||
  die "setting DataStore permissions failed; see $dir/logs/db-init.log"

cd "$ROOT"
"$VENV/bin/python" "$script" --ini "$ini" --solr-url "$solr_url" --drop-root "$drop_root" "$@"
