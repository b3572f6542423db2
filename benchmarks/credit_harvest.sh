#!/usr/bin/env bash
# The benchmark of the hlj_credit harvester (issue 4): benchmarks/credit_harvest.py in the bench environment without
# a web server (scripts/bench-run.sh does the set-up). Arguments go to it, e.g.
#
#   bash benchmarks/credit_harvest.sh                        # 100,000 records, memory at 10⁵ and 10⁶
#   bash benchmarks/credit_harvest.sh --records 20000 --memory-records 20000 --sample 200
exec "$(dirname "$0")/../scripts/bench-run.sh" "$(dirname "$0")/credit_harvest.py" "$@"
