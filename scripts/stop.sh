#!/usr/bin/env bash
# `make stop`: stop what `make run` / `make services` started, in reverse order.
source "$(dirname "$0")/lib.sh"

dir="$RT/dev"
# Consumers hold no state (ckanext-harvest re-queues unfinished objects), so they get little time to stop.
for name in harvest-scheduler fetch gather worker web sample-site; do
  stop_pidfile "$name" "$dir/pids/$name.pid" 5
done
# A dev server started by `make run` in another terminal is stopped too.
if pkill -f -- "$VENV/bin/ckan -c $dir/ckan.ini run" 2>/dev/null; then
  say "stopped the web server"
fi
"$ROOT/scripts/solr.sh" stop dev
"$ROOT/scripts/solr.sh" stop test
"$ROOT/scripts/services.sh" stop
say "stopped"
