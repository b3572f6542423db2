"""Actions of the 双公示 credit publications (see :mod:`ckanext.hlj.credit`).

* ``hlj_credit_publication_create`` — a credit-publication dataset with its public DataStore table (data
  dictionary, unique key, indexes) and its audit copy;
* ``hlj_credit_rows_upsert`` — load records from ``rows`` (a list of dicts) or an uploaded CSV/XLSX ``upload``:
  good rows are upserted, bad rows reported (row, field, reason); nothing is half-written;
* ``hlj_credit_expire`` — move records past their 公示截止期 out of public view (kept in the audit copy);
* ``hlj_credit_withdraw`` / ``hlj_credit_restore`` — take records out of public view after 信用修复 (or undo it);
* ``hlj_credit_republish`` — rebuild the public table from the audit copy;
* ``hlj_credit_audit_search`` — full records, for the owning organisation's editors;
* ``hlj_credit_fields`` — the column set (data dictionary) of a kind.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import authz

from ckanext.hlj.catalogue import credit
from ckanext.hlj.catalogue.errors import InvalidValue
from ckanext.hlj.credit import jobs, publication, store, tables
from ckanext.hlj.logic.validators import request_language

__all__ = [
    "hlj_credit_audit_search",
    "hlj_credit_expire",
    "hlj_credit_fields",
    "hlj_credit_publication_create",
    "hlj_credit_republish",
    "hlj_credit_restore",
    "hlj_credit_rows_upsert",
    "hlj_credit_withdraw",
]

DATASET_TYPE = "credit-publication"
MAX_AUDIT_LIMIT = 1000


def _error(field: str, error: InvalidValue | str) -> tk.ValidationError:
    message = error.message(request_language()) if isinstance(error, InvalidValue) else error
    return tk.ValidationError({field: [message]})


def _package(data_dict: dict[str, Any]) -> dict[str, Any]:
    package_id = data_dict.get("id") or data_dict.get("package_id")
    if not package_id:
        raise tk.ValidationError({"id": [tk._("Missing value")]})
    package = tk.get_action("package_show")({"ignore_auth": True}, {"id": package_id})
    if package.get("type") != DATASET_TYPE:
        raise _error(
            "id",
            InvalidValue(
                "credit_not_publication",
                "该数据集不是双公示（credit-publication）数据集",
                "The dataset is not a credit publication",
            ),
        )
    return package


def _publication(package: dict[str, Any]) -> tables.Publication:
    try:
        return publication.prepare(package)
    except InvalidValue as error:
        raise _error("credit_kind", error) from None


@tk.side_effect_free
def hlj_credit_fields(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """The columns of a 双公示 kind with labels, types and rules: what a file for ``hlj_credit_rows_upsert`` holds.

    :param kind: ``licensing`` (XK, 行政许可) or ``penalty`` (CF, 行政处罚)
    :returns: ``kind``, ``prefix``, ``primary_key``, ``fields`` (the DataStore data dictionary: ``id``, ``type``,
        ``info`` with label and notes) and ``rules`` (per column: ``required``, ``check``, ``masked_in_public``,
        ``aliases`` — the older Chinese column names accepted)
    """
    tk.check_access("hlj_credit_fields", context, data_dict)
    try:
        kind = credit.normalise_kind(data_dict.get("kind"))
    except InvalidValue as error:
        raise _error("kind", error) from None
    info = credit.kind_info(kind)
    return {
        "kind": kind,
        "prefix": info.prefix,
        "primary_key": tables.primary_key(kind),
        "fields": tables.datastore_fields(kind),
        "rules": [
            {
                "id": f.code,
                "required": f.required,
                "check": f.check,
                "masked_in_public": f.personal or f.scrub,
                "aliases": list(f.aliases),
            }
            for f in info.fields
        ],
    }


def hlj_credit_publication_create(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Create a credit-publication dataset with its public DataStore table (data dictionary, unique key, indexes)
    and its audit copy.

    :param name: the dataset's URL name (``title``, ``notes`` and the type's other fields as for package_create)
    :param owner_org: the organisation's id or name
    :param credit_kind: ``licensing`` or ``penalty`` (required)
    :returns: the dataset as ``package_show`` returns it, plus ``credit_resource_id`` (the public table)
    """
    tk.check_access("hlj_credit_publication_create", context, data_dict)
    data = {**data_dict, "type": DATASET_TYPE}
    package = tk.get_action("package_create")(context, data)
    try:
        pub = _publication(package)
    except Exception:
        tk.get_action("dataset_purge")({"ignore_auth": True}, {"id": package["id"]})
        raise
    shown = tk.get_action("package_show")(
        {"user": context.get("user"), "ignore_auth": True}, {"id": package["id"]}
    )
    shown["credit_resource_id"] = pub.resource_id
    return shown


def _upload_table(upload: Any, data_dict: dict[str, Any]) -> credit.Table:
    stream = getattr(upload, "stream", None) or getattr(upload, "file", None)
    if stream is None:
        raise _error("upload", tk._("Upload must be a file"))
    filename = getattr(upload, "filename", None) or data_dict.get("filename")
    return credit.read_table(stream, filename=filename, fmt=data_dict.get("format"))


def hlj_credit_rows_upsert(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Load records into a credit publication.

    :param id: the credit-publication dataset
    :param upload: a CSV (UTF-8 with or without BOM, or GBK) or XLSX file with XK_*/CF_* columns or the older
        Chinese column names; or
    :param rows: a list of dicts keyed the same way
    :param dry_run: validate only (optional)
    :returns: ``{kind, rows, valid, inserted, updated, unchanged, published, held_back, error_count,
        errors: [{row, field, code, message}], duplicates, ignored_columns, resource_id}``. Row numbers are the
        spreadsheet's (the header is row 1 unless a title row precedes it) or positions in ``rows`` from 1.
    """
    tk.check_access("hlj_credit_rows_upsert", context, data_dict)
    package = _package(data_dict)
    pub = _publication(package)
    upload = data_dict.get("upload")
    ignored: list[str] = []
    if upload is not None and not isinstance(upload, str | list | dict):
        try:
            table = _upload_table(upload, data_dict)
            detected = credit.detect_kind(table.headers)
        except InvalidValue as error:
            if error.code != "credit_kind_undetected":
                raise _error("upload", error) from None
            detected = pub.kind
        if detected != pub.kind:
            kinds = (credit.kind_info(detected).zh, credit.kind_info(pub.kind).zh)
            raise _error(
                "upload",
                InvalidValue(
                    "credit_kind_mismatch",
                    f"文件的列属于{kinds[0]}，而本数据集是{kinds[1]}公示",
                    f"The file has {credit.kind_info(detected).en} columns; this dataset publishes "
                    f"{credit.kind_info(pub.kind).en} decisions",
                ),
            )
        ignored = credit.resolve_columns(pub.kind, table.headers).ignored
        rows = table.rows
    else:
        raw = data_dict.get("rows")
        if isinstance(raw, str):
            try:
                raw = json.loads(raw)
            except ValueError:
                raise _error("rows", tk._("Invalid JSON")) from None
        if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
            raise _error(
                "rows", "rows 应为对象列表 / rows must be a list of objects, or send a file as upload"
            )
        rows = enumerate(raw, 1)
    dry_run = tk.asbool(data_dict.get("dry_run", False))
    try:
        report = store.load(pub, rows, defaults=publication.defaults(package, pub.kind), dry_run=dry_run)
    except InvalidValue as error:  # a file that breaks part-way (encoding, XLSX): nothing was written
        raise _error("upload", error) from None
    report.ignored_columns = ignored
    if not dry_run and (report.inserted or report.updated):
        publication.touch(pub.resource_id)
    return {**report.as_dict(request_language()), "resource_id": pub.resource_id, "dry_run": dry_run}


def _as_of(context: dict[str, Any], data_dict: dict[str, Any]) -> date | None:
    value = data_dict.get("as_of")
    if not value:
        return None
    if not authz.is_sysadmin(context.get("user")) and not context.get("ignore_auth"):
        raise tk.NotAuthorized("只有系统管理员可以指定日期 / only sysadmins may set as_of")
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise _error("as_of", "日期格式应为 YYYY-MM-DD / expected YYYY-MM-DD") from None


def hlj_credit_expire(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Move records past their 公示截止期 out of the public table (kept, marked, in the audit copy).

    :param id: one dataset (its editors may run it); without it every publication (sysadmins)
    :param as_of: the day to judge by, YYYY-MM-DD (sysadmins only; default today in Asia/Shanghai)
    :param background: enqueue the job for ``ckan jobs worker`` instead of running it (all publications)
    :returns: ``expired`` and ``publications``; with ``background``, the ``job_id``
    """
    tk.check_access("hlj_credit_expire", context, data_dict)
    as_of = _as_of(context, data_dict)
    if data_dict.get("id"):
        pub = _publication(_package(data_dict))
        count = store.expire(pub, today=as_of)
        return {"expired": count, "publications": 1}
    if tk.asbool(data_dict.get("background", False)):
        job = jobs.enqueue_expiry(as_of.isoformat() if as_of else None)
        return {"job_id": job.id}
    moved = jobs.expire_all(as_of.isoformat() if as_of else None)
    return {"expired": sum(moved.values()), "publications": len(moved)}


def _keys(data_dict: dict[str, Any]) -> list[tuple[str, str]]:
    keys = data_dict.get("keys")
    if isinstance(keys, str):
        keys = json.loads(keys)
    if keys is None and data_dict.get("decision_number"):
        keys = [{"decision_number": data_dict["decision_number"], "party_code": data_dict.get("party_code")}]
    out = []
    for key in keys or []:
        if not isinstance(key, dict) or not key.get("decision_number") or not key.get("party_code"):
            raise _error(
                "keys",
                "每项须有 decision_number 和 party_code / each key needs decision_number and party_code",
            )
        out.append((str(key["decision_number"]), str(key["party_code"])))
    if not out:
        raise _error("keys", tk._("Missing value"))
    return out


def hlj_credit_withdraw(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Take records out of public view (信用修复, revocation), keeping them in the audit copy.

    :param id: the dataset
    :param keys: ``[{decision_number, party_code}]`` (the party code as loaded, or the public pseudonym); or
        ``decision_number`` and ``party_code``
    :param reason: why (required), e.g. 信用修复
    :returns: ``withdrawn`` (the keys found and withdrawn) and ``requested``
    """
    tk.check_access("hlj_credit_withdraw", context, data_dict)
    if not str(data_dict.get("reason") or "").strip():
        raise tk.ValidationError({"reason": [tk._("Missing value")]})
    pub = _publication(_package(data_dict))
    keys = _keys(data_dict)
    try:
        found = store.withdraw(pub, keys, reason=str(data_dict["reason"]).strip(), user=context.get("user"))
    except InvalidValue as error:
        raise _error("keys", error) from None
    publication.touch(pub.resource_id)
    return {"withdrawn": [{"decision_number": w, "party_code": p} for w, p in found], "requested": len(keys)}


def hlj_credit_restore(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Undo a withdrawal: the records return to public view if still within their publicity period.

    :param id: the dataset
    :param keys: ``[{decision_number, party_code}]``; or ``decision_number`` and ``party_code``
    :returns: ``restored``: the keys found and restored
    """
    tk.check_access("hlj_credit_restore", context, data_dict)
    pub = _publication(_package(data_dict))
    try:
        found = store.restore(pub, _keys(data_dict))
    except InvalidValue as error:
        raise _error("keys", error) from None
    publication.touch(pub.resource_id)
    return {"restored": [{"decision_number": w, "party_code": p} for w, p in found]}


def hlj_credit_republish(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Rebuild the public table from the audit copy (after a masking rule change, or a lost table).

    :param id: the dataset
    :returns: ``published`` (records now public) and ``resource_id``
    """
    tk.check_access("hlj_credit_republish", context, data_dict)
    pub = _publication(_package(data_dict))
    return {"published": store.republish(pub), "resource_id": pub.resource_id}


@tk.side_effect_free
def hlj_credit_audit_search(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Full (unmasked) records of the audit copy, including expired and withdrawn ones.

    :param id: the dataset
    :param filters: ``{field: value}`` exact matches on record fields or ``party_code``, and ``state``
        (``public``, ``expired`` or ``withdrawn``)
    :param limit: at most 1000 (default 100)
    :param offset: skip this many records
    :returns: ``total``, ``records`` (every column, the full party code and the record's state:
        ``expired_at``, ``withdrawn_at``, ``withdrawn_reason``, ``withdrawn_by``) and ``fields``
    """
    tk.check_access("hlj_credit_audit_search", context, data_dict)
    package = _package(data_dict)
    pub = tables.get_publication(package["id"])
    if pub is None:
        return {"total": 0, "records": [], "fields": []}
    filters = data_dict.get("filters") or {}
    if isinstance(filters, str):
        try:
            filters = json.loads(filters)
        except ValueError:
            raise _error("filters", tk._("Invalid JSON")) from None
    try:
        limit = min(int(data_dict.get("limit", 100)), MAX_AUDIT_LIMIT)
        offset = max(int(data_dict.get("offset", 0)), 0)
    except (TypeError, ValueError):
        raise _error("limit", tk._("Must be a natural number")) from None
    try:
        return store.audit_search(pub, filters=filters, limit=limit, offset=offset)
    except ValueError as error:
        raise _error("filters", f"未知字段 / unknown field: {error}") from None
