# Sourced by the Solr image's solr-precreate (its run-initdb step) before the core is created or Solr starts.
# solr-precreate copies the configset into the data volume only when the core does not exist yet, so a new image
# (a changed schema or solrconfig) would otherwise never reach an existing core. Copy this image's conf/ over the
# core's on every start; after a schema change, reindex: `ckan search-index rebuild` (docs/deployment.md).
hlj_core=/var/solr/data/ckan
if [ -d "$hlj_core/conf" ]; then
  echo "[hlj] refreshing $hlj_core/conf from the image's configset"
  rm -rf "$hlj_core/conf"
  cp -r /opt/solr/server/solr/configsets/ckan/conf "$hlj_core/conf"
fi
unset hlj_core
