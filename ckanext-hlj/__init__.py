"""ckanext-hlj: the Heilongjiang open-government platform as CKAN 2.12 extensions."""
