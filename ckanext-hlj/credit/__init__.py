"""双公示 publications: where a credit-publication dataset's records live and how they get there.

Each ``credit-publication`` dataset has two tables in the DataStore database:

* the **public** table, a DataStore resource of the dataset (data dictionary from
  ``catalogue/data/credit_fields.yaml``, unique key on the decision number and ``party_code``): only records within
  their publicity period and not withdrawn, with natural persons' document numbers masked and their party code
  replaced by a pseudonym. Anyone who may see the dataset reads and downloads it through the DataStore API,
  ``/datastore/dump`` and the data explorer;
* the **audit** copy, ``hlj_credit_audit."<dataset id>"``: every record ever loaded, full values, with the
  withdrawal and expiry marks. The schema is outside the DataStore's ``public`` schema, so no DataStore action,
  dump or SQL search can name it, and the read-only DataStore role has no privilege on it; only the
  ``hlj_credit_audit_search`` action (editors of the owning organisation, sysadmins) reads it.

:mod:`.tables` creates and finds these tables; :mod:`.store` loads, expires, withdraws and reads records.
"""
