#!/usr/bin/env bash
# What a real portal runs from cron, in one loop: every HLJ_HARVEST_INTERVAL seconds (default 60) `ckan harvester
# run` (starts harvest jobs that are due, marks finished the jobs whose objects are all processed) followed by a
# reprint check when a site harvest has finished since the last one (so reprint results follow the harvests), and once a day
# the daily jobs, queued for the jobs worker: the deadline refresh (pending → overdue, calendar tables), the deadline
# reminders, the 双公示 expiry (records past their 公示截止期 leave public view) and the reprint check.
set -u
ini="$1"
interval="${HLJ_HARVEST_INTERVAL:-60}"
venv="$(cd "$(dirname "$0")/.." && pwd)/.venv"
stamp="$(dirname "$ini")/daily-jobs.stamp"
trap 'exit 0' TERM INT
while true; do
  echo "$(date -Is) ckan harvester run"
  timeout 600 "$venv/bin/ckan" -c "$ini" harvester run || echo "$(date -Is) harvester run exited with $?"
  timeout 120 "$venv/bin/ckan" -c "$ini" hlj reprint check --if-harvested --enqueue ||
    echo "$(date -Is) reprint check --if-harvested exited with $?"
  today="$(TZ=Asia/Shanghai date +%F)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$today" ]; then
    echo "$(date -Is) queueing the daily jobs for $today"
    timeout 120 "$venv/bin/ckan" -c "$ini" hlj deadline refresh --enqueue &&
      timeout 120 "$venv/bin/ckan" -c "$ini" hlj deadline remind --enqueue &&
      timeout 120 "$venv/bin/ckan" -c "$ini" hlj credit expire --enqueue &&
      timeout 120 "$venv/bin/ckan" -c "$ini" hlj reprint check --enqueue &&
      echo "$today" >"$stamp"
  fi
  sleep "$interval" &
  wait $!
done
