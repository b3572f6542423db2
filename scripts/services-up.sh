#!/usr/bin/env bash
# `make services`: only PostgreSQL, Redis and the dev Solr node (with the dev databases in place).
source "$(dirname "$0")/lib.sh"

"$ROOT/scripts/setup.sh"
"$ROOT/scripts/services.sh" start
"$ROOT/scripts/services.sh" databases dev
"$ROOT/scripts/solr.sh" start dev "$DEV_SOLR_PORT" >/dev/null
say "PostgreSQL on $PG_HOST:$PG_PORT, Redis on 127.0.0.1:$REDIS_PORT, Solr at http://127.0.0.1:$DEV_SOLR_PORT/solr/ckan"
