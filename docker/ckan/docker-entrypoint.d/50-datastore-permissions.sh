# Sourced (not run) by the base image's start_ckan.sh after prerun.py and before uWSGI starts; `exit` here stops
# the container, and its restart policy tries again.
#
# The DataStore's grants, its _table_metadata view, full-text trigger and row-count functions are CKAN's own SQL,
# printed by `ckan datastore set-permissions` for the CKAN version in this image; applying it at every start keeps
# them right after an upgrade, and it is idempotent. It runs as the ckan role, which owns the datastore database
# (docker/db creates it so), hence no superuser password in this container.
# prerun.py applies the same SQL but only prints errors; here a failure stops the start, so CKAN never serves a
# DataStore whose read-only role can write or cannot read.
echo "[hlj] applying CKAN's DataStore permission SQL to the datastore database"
if ! (
  set -o pipefail
  ckan -c "$CKAN_INI" datastore set-permissions |
    sed '/^\\connect /d' |
    psql "$CKAN_DATASTORE_WRITE_URL" -v ON_ERROR_STOP=1 -q >/dev/null
); then
  echo "[hlj] the DataStore permission SQL failed; not starting CKAN" >&2
  exit 1
fi
