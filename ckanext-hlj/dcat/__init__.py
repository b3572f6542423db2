"""DCAT-AP 3 for the platform's records, on ckanext-dcat.

ckanext-dcat (the ``dcat`` plugin) serves the endpoints — ``/dataset/<id>.ttl|.rdf|.jsonld`` and
``/catalog.ttl?page=N`` with hydra paging — and does the RDF work; this package only says what our dataset types
mean in DCAT-AP: :mod:`.mapping` (which field is the identifier, the access right, the dates, the themes, the
region) and :mod:`.profiles` (the ``hlj_dcat`` RDF profile, registered under the ``ckan.rdf.profiles`` entry point
and chosen with ``ckanext.dcat.rdf.profiles = hlj_dcat``).
"""
