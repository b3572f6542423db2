#!/bin/bash
# The `scheduler` service: what cron does on a classic CKAN install. Every HLJ_HARVEST_INTERVAL seconds (default
# 300) `ckan harvester run` starts the harvest jobs that are due and marks finished the jobs whose objects are all
# processed (the gather and fetch consumers do the work in between); once a day (Asia/Shanghai) it queues the daily
# jobs for the worker: the deadline refresh (pending → overdue), the deadline reminders, the 双公示 expiry and the
# reprint check.
# After each successful run it touches $HLJ_SCHEDULER_HEARTBEAT, which the container's health check reads.
set -u
interval="${HLJ_HARVEST_INTERVAL:-300}"
heartbeat="${HLJ_SCHEDULER_HEARTBEAT:-/tmp/hlj-harvest-scheduler.heartbeat}"
stamp="${HLJ_DAILY_STAMP:-/tmp/hlj-daily-jobs.stamp}"
ini="${CKAN_INI:-/srv/app/ckan.ini}"
trap 'exit 0' TERM INT
while true; do
  echo "$(date -Is) ckan harvester run"
  if timeout 600 ckan -c "$ini" harvester run; then
    touch "$heartbeat"
  else
    echo "$(date -Is) ckan harvester run exited with $?" >&2
  fi
  # Reprint results follow the harvests: a check is queued when a site harvest finished since the last one.
  timeout 120 ckan -c "$ini" hlj reprint check --if-harvested --enqueue ||
    echo "$(date -Is) reprint check --if-harvested exited with $?" >&2
  today="$(TZ=Asia/Shanghai date +%F)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$today" ]; then
    echo "$(date -Is) queueing the daily jobs for $today"
    timeout 120 ckan -c "$ini" hlj deadline refresh --enqueue &&
      timeout 120 ckan -c "$ini" hlj deadline remind --enqueue &&
      timeout 120 ckan -c "$ini" hlj credit expire --enqueue &&
      timeout 120 ckan -c "$ini" hlj reprint check --enqueue &&
      echo "$today" >"$stamp"
  fi
  sleep "$interval" &
  wait $!
done
