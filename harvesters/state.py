"""What the harvesters remember about a source between runs, beyond ckanext-harvest's objects: when its last full
crawl finished (the weekly crawl that finds withdrawn items) and which exchange files were already loaded."""

from __future__ import annotations

import datetime as dt

from ckan import model
from sqlalchemy import Column, DateTime, Table, UnicodeText, select
from sqlalchemy.dialects.postgresql import insert

from ckanext.hlj import tables
from ckanext.hlj.tables import metadata

state_table = Table(
    "hlj_harvest_state",
    metadata,
    Column("source_id", UnicodeText, primary_key=True),
    Column("key", UnicodeText, primary_key=True),
    Column("value", UnicodeText, nullable=False, default=""),
    Column("updated", DateTime(timezone=True), nullable=False),
)


def get(source_id: str, key: str) -> tuple[str, dt.datetime] | None:
    tables.create_all()
    row = model.Session.execute(
        select(state_table.c.value, state_table.c.updated).where(
            state_table.c.source_id == source_id, state_table.c.key == key
        )
    ).first()
    return None if row is None else (row.value, row.updated)


def put(source_id: str, key: str, value: str = "") -> None:
    tables.create_all()
    moment = dt.datetime.now(dt.UTC)
    statement = insert(state_table).values(source_id=source_id, key=key, value=value, updated=moment)
    statement = statement.on_conflict_do_update(
        index_elements=[state_table.c.source_id, state_table.c.key], set_={"value": value, "updated": moment}
    )
    model.Session.execute(statement)
    model.Session.commit()
