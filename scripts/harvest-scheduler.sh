#!/usr/bin/env bash
# The periodic `ckan harvester run` a real portal runs from cron: it starts jobs that are due and marks finished
# the jobs whose objects are all processed. Every HLJ_HARVEST_INTERVAL seconds (default 60).
set -u
ini="$1"
interval="${HLJ_HARVEST_INTERVAL:-60}"
venv="$(cd "$(dirname "$0")/.." && pwd)/.venv"
trap 'exit 0' TERM INT
while true; do
  echo "$(date -Is) ckan harvester run"
  timeout 600 "$venv/bin/ckan" -c "$ini" harvester run || echo "$(date -Is) harvester run exited with $?"
  sleep "$interval" &
  wait $!
done
