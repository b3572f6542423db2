#!/bin/bash
# The `scheduler` service: what cron does on a classic CKAN install. Every HLJ_HARVEST_INTERVAL seconds (default
# 300) `ckan harvester run` starts the harvest jobs that are due and marks finished the jobs whose objects are all
# processed (the gather and fetch consumers do the work in between). After each successful run it touches
# $HLJ_SCHEDULER_HEARTBEAT, which the container's health check reads.
set -u
interval="${HLJ_HARVEST_INTERVAL:-300}"
heartbeat="${HLJ_SCHEDULER_HEARTBEAT:-/tmp/hlj-harvest-scheduler.heartbeat}"
trap 'exit 0' TERM INT
while true; do
  echo "$(date -Is) ckan harvester run"
  if timeout 600 ckan -c "${CKAN_INI:-/srv/app/ckan.ini}" harvester run; then
    touch "$heartbeat"
  else
    echo "$(date -Is) ckan harvester run exited with $?" >&2
  fi
  sleep "$interval" &
  wait $!
done
