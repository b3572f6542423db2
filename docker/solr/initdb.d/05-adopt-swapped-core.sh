# Sourced by the Solr image's solr-precreate (its run-initdb step), before 10-refresh-ckan-conf.sh and before the core
# is created. The zero-downtime schema change (docs/operations.md) builds the new index in the core folder
# ckan_next, swaps it in as `ckan` (CoreAdmin SWAP) and unloads the old core with its folder. The live index then
# sits in $hlj_data/ckan_next and $hlj_data/ckan is gone: make that folder the `ckan` core's again, under its name,
# instead of letting solr-precreate create an empty `ckan` core beside it.
hlj_data="${HLJ_SOLR_DATA:-/var/solr/data}"
if [ ! -d "$hlj_data/ckan" ] && [ -f "$hlj_data/ckan_next/core.properties" ]; then
  echo "[hlj] adopting $hlj_data/ckan_next as the ckan core"
  mv "$hlj_data/ckan_next" "$hlj_data/ckan"
  if grep -q '^name=' "$hlj_data/ckan/core.properties"; then
    sed -i 's/^name=.*/name=ckan/' "$hlj_data/ckan/core.properties"
  else
    echo 'name=ckan' >>"$hlj_data/ckan/core.properties"
  fi
fi
unset hlj_data
