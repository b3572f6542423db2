#!/bin/bash
# Run once by the postgres image on an empty data volume: the CKAN role and database, the DataStore database
# (owned by the same role: CKAN writes to it) and the read-only DataStore role.
# Names and passwords come from the container's environment (docker/.env via docker-compose.yml) and reach SQL as
# psql variables, so they are quoted by psql, not pasted into the statements.
set -euo pipefail

: "${CKAN_DB_USER:?}" "${CKAN_DB_PASSWORD:?}" "${CKAN_DB:?}"
: "${DATASTORE_DB:?}" "${DATASTORE_RO_USER:?}" "${DATASTORE_RO_PASSWORD:?}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v ckan_user="$CKAN_DB_USER" -v ckan_password="$CKAN_DB_PASSWORD" -v ckan_db="$CKAN_DB" \
  -v datastore_db="$DATASTORE_DB" -v ro_user="$DATASTORE_RO_USER" -v ro_password="$DATASTORE_RO_PASSWORD" <<'SQL'
CREATE ROLE :"ckan_user" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'ckan_password';
CREATE ROLE :"ro_user" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'ro_password';

CREATE DATABASE :"ckan_db" OWNER :"ckan_user" ENCODING 'UTF8' TEMPLATE template0;
CREATE DATABASE :"datastore_db" OWNER :"ckan_user" ENCODING 'UTF8' TEMPLATE template0;

-- Nobody but its owner connects to the CKAN database; the read-only role gets CONNECT on the DataStore database
-- only (granted, with the rest of its rights, by CKAN's set-permissions SQL).
REVOKE ALL ON DATABASE :"ckan_db" FROM PUBLIC;
REVOKE ALL ON DATABASE :"datastore_db" FROM PUBLIC;
SQL
