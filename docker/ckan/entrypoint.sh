#!/bin/bash
# Entrypoint of every container of the portal image, before its command (start_ckan.sh, a worker, `ckan ...`).
#
# - Refuses to start while a CKAN setting still holds a CHANGE_ME placeholder from docker/.env.example.
# - Writes CKAN_SECRET_KEY into $CKAN_INI as SECRET_KEY. The ini derives the API-token signing keys from it
#   (`string:%(SECRET_KEY)s`), so every container signs and checks tokens and sessions with the same key. (Left
#   empty, the base image's start_ckan.sh would generate random keys per container, and every recreated or
#   additional container would reject the tokens of the others.)
# - Exports CKAN__PLUGINS as the list the image was built with (from config/common.ini): the base image's
#   prerun.py rewrites ckan.plugins from that variable at every start.
set -euo pipefail

ini="${CKAN_INI:-/srv/app/ckan.ini}"

placeholders="$(env | grep -E '^CKAN[A-Z_]*=.*CHANGE_ME' | cut -d= -f1 || true)"
if [ -n "$placeholders" ]; then
  echo "entrypoint: replace the CHANGE_ME placeholder of $(echo "$placeholders" | tr '\n' ' ')in docker/.env" >&2
  exit 1
fi
if [ -z "${CKAN_SECRET_KEY:-}" ]; then
  echo "entrypoint: CKAN_SECRET_KEY is not set (docker/.env)" >&2
  exit 1
fi
case "$CKAN_SECRET_KEY" in
  *%* | *[[:space:]]*)
    echo "entrypoint: CKAN_SECRET_KEY must not contain '%' or whitespace (the ini interpolates it)" >&2
    exit 1
    ;;
esac

ckan config-tool "$ini" "SECRET_KEY = $CKAN_SECRET_KEY" >/dev/null

CKAN__PLUGINS="$(python3 - "$ini" <<'PY'
import configparser, sys
parser = configparser.RawConfigParser(strict=False)
parser.read(sys.argv[1], encoding="utf-8")
print(parser.get("app:main", "ckan.plugins"))
PY
)"
export CKAN__PLUGINS

exec "$@"
