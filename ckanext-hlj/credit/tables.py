"""The two tables of a credit publication: definitions, creation and lookup.

The public table is created with ``datastore_create`` (so CKAN knows it as the dataset's resource, with its data
dictionary and indexes); the audit table and the registry of publications live in the ``hlj_credit_audit`` schema,
written through the DataStore's write connection.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from dataclasses import dataclass
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckanext.datastore.backend.postgres import get_write_engine

from ckanext.hlj.catalogue import credit

log = logging.getLogger(__name__)

AUDIT_SCHEMA = "hlj_credit_audit"
REGISTRY = "publications"
RESOURCE_MARK = "hlj_credit_table"  # resource extra naming the public table

PG_TYPES = {"text": "text", "date": "date", "numeric": "numeric"}

# Columns every table has besides the record fields.
PARTY_CODE = "party_code"
SOURCE_UPDATED_AT = "source_updated_at"
FIRST_SEEN_AT = "first_seen_at"


@dataclass(frozen=True)
class Publication:
    package_id: str
    kind: str
    resource_id: str
    secret: bytes

    @property
    def info(self) -> credit.Kind:
        return credit.kind_info(self.kind)

    @property
    def audit_table(self) -> str:
        return f'"{AUDIT_SCHEMA}"."{self.package_id}"'

    @property
    def public_table(self) -> str:
        return f'public."{self.resource_id}"'


def quote(name: str) -> str:
    if '"' in name or "\x00" in name:
        raise ValueError(f"bad identifier {name!r}")
    return f'"{name}"'


# ----------------------------------------------------------------------------------------------------------------
# Definitions


def _notes(f: credit.Field) -> str:
    need = "必填" if f.required else "选填"
    return f"{f.desc_zh}（{need}；列代码 {f.code}）\n\n{f.en}: {f.desc_en}" + (
        " Required." if f.required else ""
    )


def datastore_fields(kind: str) -> list[dict[str, Any]]:
    """The public table's columns with their data dictionary (label, notes)."""
    info = credit.kind_info(kind)
    out = [
        {"id": f.code, "type": PG_TYPES[f.type], "info": {"label": f.zh, "notes": _notes(f)}}
        for f in info.fields
    ]
    out += [
        {
            "id": PARTY_CODE,
            "type": "text",
            "info": {
                "label": "行政相对人代码（主键）",
                "notes": "与决定文书号共同构成主键：法人及非法人组织为统一社会信用代码（或其他登记代码）；自然人为由证件"
                "号码生成的假名，不公开证件号码。\n\nParty code, with the decision number the record's key: the "
                "organisation's credit (or other registration) code; for a natural person a pseudonym derived "
                "from the document number, which is never published.",
            },
        },
        {
            "id": SOURCE_UPDATED_AT,
            "type": "timestamptz",
            "info": {
                "label": "来源更新时间",
                "notes": "来源系统最近一次更新该记录的时间（来源未提供时为本平台载入变更的时间）。\n\nWhen the source last "
                "changed the record (the time this platform loaded the change when the source does not say).",
            },
        },
        {
            "id": FIRST_SEEN_AT,
            "type": "timestamptz",
            "info": {
                "label": "首次收录时间",
                "notes": "本平台首次收录该记录的时间，之后不再改变。\n\nWhen this platform first received the record; "
                "never changes afterwards.",
            },
        },
    ]
    return out


def primary_key(kind: str) -> list[str]:
    return [credit.kind_info(kind).decision_number, PARTY_CODE]


def datastore_indexes(kind: str) -> list[list[str]]:
    """B-tree indexes of the public table besides its unique key: lookups by party name and credit code, sorting and
    ranges on the decision date, "what is new" by first_seen_at, and (penalties) the daily expiry scan."""
    info = credit.kind_info(kind)
    indexes = [
        [info.party("XDR_MC")],
        [info.party("XDR_SHXYM")],
        [info.decision_date],
        [FIRST_SEEN_AT],
    ]
    if info.publicity_end:
        indexes.append([info.publicity_end])
    return indexes


def audit_columns(kind: str) -> list[tuple[str, str]]:
    info = credit.kind_info(kind)
    columns = [(f.code, PG_TYPES[f.type]) for f in info.fields]
    columns += [
        (PARTY_CODE, "text NOT NULL"),
        ("public_party_code", "text NOT NULL"),
        ("natural_person", "boolean NOT NULL DEFAULT false"),
        (SOURCE_UPDATED_AT, "timestamptz NOT NULL"),
        (FIRST_SEEN_AT, "timestamptz NOT NULL"),
        ("last_changed_at", "timestamptz NOT NULL"),
        ("expired_at", "timestamptz"),
        ("withdrawn_at", "timestamptz"),
        ("withdrawn_reason", "text"),
        ("withdrawn_by", "text"),
    ]
    return columns


# ----------------------------------------------------------------------------------------------------------------
# Registry and audit table


def _registry_ddl(conn: sa.Connection) -> None:
    conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext('hlj_credit_audit'))"))
    conn.execute(sa.text(f"CREATE SCHEMA IF NOT EXISTS {quote(AUDIT_SCHEMA)}"))
    # Nobody but the owner (the DataStore write role) may use the schema: not the read-only role, not PUBLIC.
    conn.execute(sa.text(f"REVOKE ALL ON SCHEMA {quote(AUDIT_SCHEMA)} FROM PUBLIC"))
    conn.execute(
        sa.text(
            f"CREATE TABLE IF NOT EXISTS {quote(AUDIT_SCHEMA)}.{quote(REGISTRY)} ("
            "package_id text PRIMARY KEY, kind text NOT NULL, resource_id text, secret text NOT NULL, "
            "created timestamptz NOT NULL DEFAULT now())"
        )
    )
    conn.execute(
        sa.text(f"ALTER TABLE {quote(AUDIT_SCHEMA)}.{quote(REGISTRY)} ADD COLUMN IF NOT EXISTS layout text")
    )


def layout(kind: str) -> str:
    """A fingerprint of both tables' column sets: when credit_fields.yaml changes, tables are brought up to date."""
    spec = [audit_columns(kind), [f["id"] for f in datastore_fields(kind)], datastore_indexes(kind)]
    return hashlib.sha256(json.dumps(spec).encode()).hexdigest()[:16]


def _ready(package_id: str, kind: str) -> Publication | None:
    """The publication when its tables exist and match the current layout (no DDL, no lock), else None."""
    engine = get_write_engine()
    with engine.connect() as conn:
        if not conn.execute(sa.text("SELECT to_regclass(:n)"), {"n": f"{AUDIT_SCHEMA}.{REGISTRY}"}).scalar():
            return None
        try:
            row = conn.execute(
                sa.text(
                    f"SELECT kind, resource_id, secret, layout FROM {quote(AUDIT_SCHEMA)}.{quote(REGISTRY)} "
                    "WHERE package_id = :id"
                ),
                {"id": package_id},
            ).first()
        except sa.exc.ProgrammingError:  # a registry from before the layout column
            return None
    if row is None or row.kind != kind or row.layout != layout(kind) or not row.resource_id:
        return None
    if not public_table_exists(row.resource_id):
        return None
    return Publication(package_id, kind, row.resource_id, bytes.fromhex(row.secret))


def _audit_ddl(conn: sa.Connection, package_id: str, kind: str) -> None:
    table = f"{quote(AUDIT_SCHEMA)}.{quote(package_id)}"
    info = credit.kind_info(kind)
    columns = ", ".join(f"{quote(name)} {pg}" for name, pg in audit_columns(kind))
    conn.execute(
        sa.text(
            f"CREATE TABLE IF NOT EXISTS {table} ({columns}, "
            f"PRIMARY KEY ({quote(info.decision_number)}, {quote(PARTY_CODE)}))"
        )
    )
    # Tables made before a field was added to credit_fields.yaml get the new columns.
    for name, pg in audit_columns(kind):
        conn.execute(
            sa.text(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {quote(name)} {pg.split(' NOT NULL')[0]}")
        )
    conn.execute(sa.text(f"REVOKE ALL ON {table} FROM PUBLIC"))
    if info.publicity_end:
        conn.execute(
            sa.text(
                f"CREATE INDEX IF NOT EXISTS {quote(package_id[:40] + '_end')} ON {table} ({quote(info.publicity_end)})"
            )
        )
    conn.execute(
        sa.text(
            f"CREATE INDEX IF NOT EXISTS {quote(package_id[:40] + '_pub')} ON {table} "
            f"({quote(info.decision_number)}, public_party_code)"
        )
    )


def get_publication(package_id: str) -> Publication | None:
    """The registered tables of a dataset (by id), or None."""
    engine = get_write_engine()
    with engine.connect() as conn:
        exists = conn.execute(
            sa.text("SELECT to_regclass(:name)"), {"name": f"{AUDIT_SCHEMA}.{REGISTRY}"}
        ).scalar()
        if not exists:
            return None
        row = conn.execute(
            sa.text(
                f"SELECT package_id, kind, resource_id, secret FROM {quote(AUDIT_SCHEMA)}.{quote(REGISTRY)} "
                "WHERE package_id = :id"
            ),
            {"id": package_id},
        ).first()
    if row is None or not row.resource_id:
        return None
    return Publication(row.package_id, row.kind, row.resource_id, bytes.fromhex(row.secret))


def all_publications() -> list[Publication]:
    engine = get_write_engine()
    with engine.connect() as conn:
        if not conn.execute(sa.text("SELECT to_regclass(:n)"), {"n": f"{AUDIT_SCHEMA}.{REGISTRY}"}).scalar():
            return []
        rows = conn.execute(
            sa.text(
                f"SELECT package_id, kind, resource_id, secret FROM {quote(AUDIT_SCHEMA)}.{quote(REGISTRY)} "
                "WHERE resource_id IS NOT NULL ORDER BY created"
            )
        ).all()
    return [Publication(r.package_id, r.kind, r.resource_id, bytes.fromhex(r.secret)) for r in rows]


def _site_context() -> dict[str, Any]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    return {"user": site_user, "ignore_auth": True}


def public_table_exists(resource_id: str) -> bool:
    from ckan import model  # noqa: PLC0415

    resource = model.Resource.get(resource_id)
    if resource is None or resource.state != "active":
        return False
    with get_write_engine().connect() as conn:
        return bool(
            conn.execute(sa.text("SELECT to_regclass(:n)"), {"n": f'public."{resource_id}"'}).scalar()
        )


def _resource_title(kind: str) -> str:
    return f"{credit.kind_info(kind).zh}决定公示"


def create_public_table(package_id: str, kind: str, resource_id: str | None = None) -> str:
    """Create the public DataStore table (a new resource of the dataset unless ``resource_id``); its id."""
    data: dict[str, Any] = {
        "fields": datastore_fields(kind),
        "primary_key": primary_key(kind),
        "indexes": datastore_indexes(kind),
    }
    if resource_id:
        data["resource_id"] = resource_id
        data["force"] = True
    else:
        info = credit.kind_info(kind)
        data["resource"] = {
            "package_id": package_id,
            "name": _resource_title(kind),
            "description": (
                f"{info.zh}决定（{info.prefix}_* 字段），仅含公示期内且未撤回的记录；自然人证件号码已隐去出生日期等部分。"
            ),
            RESOURCE_MARK: "public",
        }
    result = tk.get_action("datastore_create")(_site_context(), data)
    return result["resource_id"]


def ensure_publication(package: dict[str, Any]) -> tuple[Publication, bool]:
    """The publication's tables, created when missing: (publication, created_public_table).

    Idempotent and safe to run concurrently (an advisory lock per dataset). When the public table was lost (the
    resource deleted), a new one is made; the caller republishes it from the audit copy.
    """
    package_id = package["id"]
    kind = credit.normalise_kind(package.get("credit_kind") or "")
    ready = _ready(package_id, kind)
    if ready is not None:
        return ready, False
    engine = get_write_engine()
    with engine.connect() as lock:
        lock.execute(sa.text("SELECT pg_advisory_lock(hashtext(:k))"), {"k": f"hlj_credit:{package_id}"})
        try:
            with engine.begin() as conn:
                _registry_ddl(conn)
                row = conn.execute(
                    sa.text(
                        f"SELECT kind, resource_id, secret FROM {quote(AUDIT_SCHEMA)}.{quote(REGISTRY)} "
                        "WHERE package_id = :id"
                    ),
                    {"id": package_id},
                ).first()
                if row is not None and row.kind != kind:
                    raise tk.ValidationError(
                        {
                            "credit_kind": [
                                "已载入的记录属于另一公示类别，不能更改 / records of the other kind are already loaded"
                            ]
                        }
                    )
                secret = row.secret if row is not None else secrets.token_hex(32)
                if row is None:
                    conn.execute(
                        sa.text(
                            f"INSERT INTO {quote(AUDIT_SCHEMA)}.{quote(REGISTRY)} (package_id, kind, secret) "
                            "VALUES (:id, :kind, :secret)"
                        ),
                        {"id": package_id, "kind": kind, "secret": secret},
                    )
                _audit_ddl(conn, package_id, kind)
            resource_id = row.resource_id if row is not None else None
            created = False
            if not resource_id or not public_table_exists(resource_id):
                resource_id = create_public_table(package_id, kind)
                created = True
                with engine.begin() as conn:
                    conn.execute(
                        sa.text(
                            f"UPDATE {quote(AUDIT_SCHEMA)}.{quote(REGISTRY)} SET resource_id = :rid "
                            "WHERE package_id = :id"
                        ),
                        {"rid": resource_id, "id": package_id},
                    )
            else:
                _add_missing_public_columns(resource_id, kind)
            with engine.begin() as conn:
                conn.execute(
                    sa.text(
                        f"UPDATE {quote(AUDIT_SCHEMA)}.{quote(REGISTRY)} SET layout = :layout WHERE package_id = :id"
                    ),
                    {"layout": layout(kind), "id": package_id},
                )
        finally:
            lock.execute(
                sa.text("SELECT pg_advisory_unlock(hashtext(:k))"), {"k": f"hlj_credit:{package_id}"}
            )
            lock.commit()
    return Publication(package_id, kind, resource_id, bytes.fromhex(secret)), created


def _add_missing_public_columns(resource_id: str, kind: str) -> None:
    with get_write_engine().connect() as conn:
        have = set(
            conn.execute(
                sa.text(
                    "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(:n) AND attnum > 0 "
                    "AND NOT attisdropped"
                ),
                {"n": f'public."{resource_id}"'},
            ).scalars()
        )
    wanted = datastore_fields(kind)
    if all(f["id"] in have for f in wanted):
        return
    tk.get_action("datastore_create")(
        _site_context(), {"resource_id": resource_id, "fields": wanted, "force": True}
    )
