#!/usr/bin/env bash
# `make test`: the same set-up as the portal, then lint and the whole suite against real services:
# PostgreSQL databases of this checkout's own, a Redis database number of its own, and a Solr node with a fresh
# home on a free port, started here and stopped when the run ends. Arguments go to pytest.
source "$(dirname "$0")/lib.sh"

dir="$RT/test"
"$ROOT/scripts/setup.sh" --with-compose
"$ROOT/scripts/services.sh" start
"$ROOT/scripts/services.sh" databases test
env_databases test

say "lint (ruff)"
"$VENV/bin/ruff" check "$ROOT"
"$VENV/bin/ruff" format --check "$ROOT"

trap '"$ROOT/scripts/solr.sh" stop test' EXIT
solr_url="$("$ROOT/scripts/solr.sh" start test 0 --fresh)"

export CKAN_SQLALCHEMY_URL="$SQLALCHEMY_URL"
export CKAN_DATASTORE_WRITE_URL="$DATASTORE_WRITE_URL"
export CKAN_DATASTORE_READ_URL="$DATASTORE_READ_URL"
export CKAN_SOLR_URL="$solr_url"
export CKAN_REDIS_URL="$REDIS_URL"
export CKAN_STORAGE_PATH="$dir/storage"
export CKAN_INI="$ROOT/tests/test.ini"
export HLJ_TEST_ARTIFACTS="$dir/artifacts"
rm -rf "$CKAN_STORAGE_PATH" "$HLJ_TEST_ARTIFACTS"
mkdir -p "$CKAN_STORAGE_PATH" "$HLJ_TEST_ARTIFACTS"
# For running single tests by hand: `source .runtime/test/env && .venv/bin/pytest tests/…` (while Solr is up).
env | grep -E '^(CKAN_|HLJ_TEST_)' | sed 's/^/export /' >"$dir/env"

say "granting DataStore permissions on $DATASTORE_DB"
"$VENV/bin/ckan" -c "$CKAN_INI" datastore set-permissions 2>"$dir/set-permissions.log" |
  as_postgres psql -p "$PG_PORT" -v ON_ERROR_STOP=1 -q -d "$DATASTORE_DB" >>"$dir/set-permissions.log" 2>&1 ||
  die "setting DataStore permissions failed; see $dir/set-permissions.log"

say "pytest against Solr at $solr_url, databases $CKAN_DB / $DATASTORE_DB, Redis db $REDIS_DB"
cd "$ROOT"
"$VENV/bin/pytest" "$@"
