"""Application security of the portal: the ``hlj_security`` plugin (``plugin.py``) and the modules it wires in.

What CKAN 2.12 already does is switched on and configured in ``config/common.ini`` (API tokens that expire via
CKAN's ``expire_api_token`` plugin, ``datastore_search_sql`` off, upload size and type limits, Markdown through
nh3's allow-list, private DataStore resources behind ``resource_show``). What it lacks lives here:

- ``throttle``: login throttling and lock-out per account and client address, in Redis;
- ``tokens``: a ceiling on API-token lifetimes, also for tokens issued before expiry was enforced;
- ``audit``: the audit trail of what sysadmins (and lock-outs) did, in ``hlj_audit_log``;
- ``redact``: secrets kept out of log records, API errors and error pages;
- ``uploads``: size and type limits of the Excel import;
- ``actions`` / ``auth``: ``hlj_audit_log_list`` and the chained actions and auth functions above.
"""
