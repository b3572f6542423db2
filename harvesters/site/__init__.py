"""Parsing library of the ``hlj_site`` harvester: department websites' 信息公开 columns → policy records.

Pure functions over bytes and text, no network and no CKAN, one concept a module:

* :mod:`.encoding` — page bytes → text, distrusting declared charsets;
* :mod:`.listing` — list pages → entries and the next page;
* :mod:`.detail` — detail pages → metadata, body and attachments;
* :mod:`.feeds` — RSS/Atom feeds and JSON list APIs → entries;
* :mod:`.config` — a harvest source's JSON config → a checked :class:`~.config.SiteConfig`;
* :mod:`.mapping` — a parsed document → the fields of the ``policy`` dataset type.
"""
