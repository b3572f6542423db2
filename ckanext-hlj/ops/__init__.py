"""Operations: health checks, backup and restore, request ids and structured logs, metrics (the `hlj_ops` plugin).

Nothing here is imported by the `hlj` plugin; `hlj_ops` (ckanext-hlj/ops/plugin.py) wires it into CKAN and
`ckan hlj backup|restore|metrics` (ckanext-hlj/ops_cli.py) exposes it to operators. docs/operations.md is the guide.
"""
