#!/usr/bin/env bash
# Write the dev portal's CKAN config, .runtime/dev/ckan.ini: our own file chained to config/common.ini, with this
# machine's database URLs and a secret key generated once and kept in .runtime/dev/secret-key. Rewritten at every
# `make run` (atomically), so a changed setting here or in config/common.ini always takes effect.
source "$(dirname "$0")/lib.sh"

env_databases dev
write_ckan_ini dev "http://127.0.0.1:$DEV_WEB_PORT" "http://127.0.0.1:$DEV_SOLR_PORT/solr/ckan" "$DEV_WEB_PORT" \
  "INFO WARNING INFO" "ckanext.hlj.demo.admin_user = admin
ckanext.hlj.demo.sample_site_url = http://127.0.0.1:$DEV_SITE_PORT
# The demo harvest sources read the bundled sample site on loopback: only its port is allowed, in dev only.
ckanext.hlj.harvest.allowed_hosts = *.gov.cn 127.0.0.1:$DEV_SITE_PORT localhost:$DEV_SITE_PORT
ckanext.hlj.harvest.allowed_networks = 127.0.0.0/8"
