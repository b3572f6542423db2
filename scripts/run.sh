#!/usr/bin/env bash
# `make run`: set up everything (idempotently), load the demo data, start the background processes and serve the
# portal in the foreground at http://127.0.0.1:5000. Ctrl-C stops the web server; `make stop` stops the rest.
source "$(dirname "$0")/lib.sh"

dir="$RT/dev"
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/services.sh" start
"$ROOT/scripts/services.sh" databases dev
"$ROOT/scripts/solr.sh" start dev "$DEV_SOLR_PORT" >/dev/null
ini="$("$ROOT/scripts/dev-config.sh")"
env_databases dev
export CKAN_INI="$ini"

say "initialising the database (CKAN core and plugin migrations)"
ckan_cli -c "$ini" db init >"$dir/logs/db-init.log" 2>&1 || {
  tail -n 20 "$dir/logs/db-init.log" >&2
  die "ckan db init failed; see $dir/logs/db-init.log"
}
say "granting DataStore permissions"
ckan_cli -c "$ini" datastore set-permissions 2>>"$dir/logs/db-init.log" |
  as_postgres psql -p "$PG_PORT" -v ON_ERROR_STOP=1 -q -d "$DATASTORE_DB" >>"$dir/logs/db-init.log" 2>&1 ||
  die "setting DataStore permissions failed; see $dir/logs/db-init.log"

if [ -f "$dir/solr.reindex-needed" ]; then
  say "the Solr configset changed: rebuilding the search index"
  ckan_cli -c "$ini" search-index rebuild -q >>"$dir/logs/db-init.log" 2>&1 ||
    die "ckan search-index rebuild failed; see $dir/logs/db-init.log"
  rm -f "$dir/solr.reindex-needed"
else
  # A Solr home rebuilt from scratch (a wiped .runtime) next to a database that kept its datasets.
  ckan_cli -c "$ini" search-index rebuild --only-missing -q >>"$dir/logs/db-init.log" 2>&1 ||
    die "ckan search-index rebuild failed; see $dir/logs/db-init.log"
fi

# The sample government site (static files) the demo harvest sources read, on loopback.
stop_pidfile "sample site" "$dir/pids/sample-site.pid" 5
port_in_use "$DEV_SITE_PORT" && die "sample site: port $DEV_SITE_PORT is already in use; set HLJ_SAMPLE_SITE_PORT"
start_background "sample site" "$dir/pids/sample-site.pid" "$dir/logs/sample-site.log" \
  "$VENV/bin/python" -m http.server "$DEV_SITE_PORT" --bind 127.0.0.1 --directory "$ROOT/ckanext-hlj/demo/sample_site"

ckan_cli -c "$ini" hlj demo sysadmin --credentials "$dir/admin-credentials.json" >"$dir/admin.txt"
say "loading demo data"
ckan_cli -c "$ini" hlj demo load --user admin

# Restarted at every run, so they always run the current code and config.
for name in worker gather fetch harvest-scheduler; do
  stop_pidfile "$name" "$dir/pids/$name.pid" 5
done
start_background "jobs worker" "$dir/pids/worker.pid" "$dir/logs/worker.log" \
  "$VENV/bin/ckan" -c "$ini" jobs worker
start_background "harvest gather consumer" "$dir/pids/gather.pid" "$dir/logs/gather.log" \
  "$VENV/bin/ckan" -c "$ini" harvester gather-consumer
start_background "harvest fetch consumer" "$dir/pids/fetch.pid" "$dir/logs/fetch.log" \
  "$VENV/bin/ckan" -c "$ini" harvester fetch-consumer
start_background "harvest scheduler" "$dir/pids/harvest-scheduler.pid" "$dir/logs/harvest-scheduler.log" \
  "$ROOT/scripts/harvest-scheduler.sh" "$ini"

if port_in_use "$DEV_WEB_PORT"; then
  die "ckan web: port $DEV_WEB_PORT is already in use (another portal?). Stop it ('make stop') or set HLJ_WEB_PORT"
fi
echo
cat "$dir/admin.txt"
echo
say "serving the portal at http://127.0.0.1:$DEV_WEB_PORT (Ctrl-C stops the web server; 'make stop' stops the rest)"
exec "$VENV/bin/ckan" -c "$ini" run --host 127.0.0.1 --port "$DEV_WEB_PORT" --disable-reloader
