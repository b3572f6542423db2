#!/bin/bash
# Entrypoint of every container of the portal image, before its command (start_ckan.sh, a worker, `ckan ...`).
#
# - Secrets from files: for every CKAN*/HLJ* variable VAR_FILE naming a readable file, VAR is set to the file's
#   contents (Docker or Kubernetes secrets mounted under /run/secrets, kept outside the repository), e.g.
#   CKAN_SECRET_KEY_FILE, CKAN_SQLALCHEMY_URL_FILE, CKAN_SMTP_PASSWORD_FILE, CKANEXT__HLJ__METRICS__TOKEN_FILE.
#   Setting both VAR and VAR_FILE, or naming a file that cannot be read, stops the container.
# - Refuses to start while a CKAN setting still holds a CHANGE_ME placeholder from docker/.env.example.
# - Writes CKAN_SECRET_KEY into $CKAN_INI as SECRET_KEY. The ini derives the API-token signing keys from it
#   (`string:%(SECRET_KEY)s`), so every container signs and checks tokens and sessions with the same key. (Left
#   empty, the base image's start_ckan.sh would generate random keys per container, and every recreated or
#   additional container would reject the tokens of the others.)
# - HLJ_LOG_FORMAT=json (the compose default) makes every log line a JSON object with the request id
#   (ckanext.hlj.ops.logs.JsonFormatter); text keeps lines, with the request id.
# - Exports CKAN__PLUGINS as the list the image was built with (from config/common.ini): the base image's
#   prerun.py rewrites ckan.plugins from that variable at every start.
set -euo pipefail

ini="${CKAN_INI:-/srv/app/ckan.ini}"

for file_var in $(env | grep -oE '^(CKAN|HLJ)[A-Za-z0-9_]*_FILE=' | tr -d '=' || true); do
  var="${file_var%_FILE}"
  path="${!file_var}"
  [ -n "$path" ] || continue
  if [ -n "${!var:-}" ]; then
    echo "entrypoint: both $var and $file_var are set; set only one" >&2
    exit 1
  fi
  if [ ! -r "$path" ] || [ ! -f "$path" ]; then
    echo "entrypoint: $file_var names $path, which is not a readable file" >&2
    exit 1
  fi
  export "$var=$(cat "$path")"
  unset "$file_var"
done

# The working-day calendar's override file lives on a volume every CKAN container shares (HLJ_CALENDAR_OVERRIDES,
# written by `ckan hlj calendar add-year`); the first container to start seeds it with the packaged file.
if [ -n "${HLJ_CALENDAR_OVERRIDES:-}" ] && [ ! -e "$HLJ_CALENDAR_OVERRIDES" ]; then
  packaged="$(python3 -c 'import importlib.util, pathlib; print(pathlib.Path(importlib.util.find_spec("ckanext.hlj.catalogue").origin).parent / "data" / "calendar_overrides.yaml")')"
  mkdir -p "$(dirname "$HLJ_CALENDAR_OVERRIDES")"
  cp "$packaged" "$HLJ_CALENDAR_OVERRIDES.$$" && mv -n "$HLJ_CALENDAR_OVERRIDES.$$" "$HLJ_CALENDAR_OVERRIDES"
  rm -f "$HLJ_CALENDAR_OVERRIDES.$$"
fi

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

case "${HLJ_LOG_FORMAT:-text}" in
  json) formatter=ckanext.hlj.ops.logs.JsonFormatter ;;
  text) formatter=ckanext.hlj.ops.logs.TextFormatter ;;
  *)
    echo "entrypoint: HLJ_LOG_FORMAT must be json or text, not '$HLJ_LOG_FORMAT'" >&2
    exit 1
    ;;
esac
ckan config-tool "$ini" -s formatter_generic "class = $formatter" >/dev/null

CKAN__PLUGINS="$(python3 - "$ini" <<'PY'
import configparser, sys
parser = configparser.RawConfigParser(strict=False)
parser.read(sys.argv[1], encoding="utf-8")
print(parser.get("app:main", "ckan.plugins"))
PY
)"
export CKAN__PLUGINS

exec "$@"
