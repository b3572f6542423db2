"""The working-day calendar as a PostgreSQL table, so due dates and lateness of millions of rows are one join.

``_hlj_workday(day date primary key, is_workday boolean, ordinal integer, provisional boolean)`` holds every day
from :data:`FIRST_DAY` to the end of next year (see ``catalogue.workdays.calendar_rows``: the n-th working day after
day d is the working day whose ordinal is ordinal(d) + n). It is kept in every database that needs it — CKAN's and
the DataStore's, where the 双公示 rows live — and rewritten when the calendar changes (a new year's notice loaded,
a year turning from provisional to official): a fingerprint of the rows is kept in the table's comment, so
:func:`ensure` costs one query when nothing changed.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io

import sqlalchemy as sa

from ckanext.hlj.catalogue import workdays

# The leading underscore keeps the DataStore's hands off it: `ckan datastore set-permissions` puts its full-text
# trigger on every public table whose name does not start with "_" (and our COPY then fails), and DataStore
# listings treat such tables as resources.
TABLE = "_hlj_workday"
LEGACY_TABLE = "hlj_workday"  # the name before that was understood; dropped where found
FIRST_DAY = dt.date(2004, 1, 1)  # the first year the State Council's notices are loaded for


def last_day(today: dt.date | None = None) -> dt.date:
    today = today or workdays.today()
    return dt.date(today.year + 1, 12, 31)


def fingerprint(table_rows: list[tuple[dt.date, bool, int, bool]]) -> str:
    digest = hashlib.sha256()
    for day, work, ordinal, provisional in table_rows:
        digest.update(f"{day}{int(work)}{ordinal}{int(provisional)};".encode())
    return digest.hexdigest()[:32]


def _stored_fingerprint(conn: sa.Connection) -> str | None:
    return conn.execute(
        sa.text("SELECT obj_description(to_regclass(:t), 'pg_class')"), {"t": f"public.{TABLE}"}
    ).scalar()


@functools.lru_cache(maxsize=4)
def _table(last: dt.date) -> tuple[tuple[tuple[dt.date, bool, int, bool], ...], str]:
    # Building the rows costs ~30 ms (~1 s the first time in a process): reports call ensure() on every request.
    table_rows = tuple(workdays.calendar_rows(FIRST_DAY, last, provisional=True))
    return table_rows, fingerprint(list(table_rows))


def forget() -> None:
    """Drop the cached rows (after loading a new year's notice in this process)."""
    _table.cache_clear()


def ensure(engine: sa.Engine, today: dt.date | None = None) -> bool:
    """Create or refresh the table in ``engine``'s database when it differs from the calendar; returns whether it
    was (re)written."""
    table_rows, mark = _table(last_day(today))
    with engine.connect() as conn:
        if _stored_fingerprint(conn) == mark:
            return False
    with engine.begin() as conn:
        # One writer at a time (workers and web processes may all notice a change).
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": TABLE})
        if _stored_fingerprint(conn) == mark:
            return False
        conn.execute(sa.text(f"DROP TABLE IF EXISTS {LEGACY_TABLE}"))
        conn.execute(
            sa.text(
                f"CREATE TABLE IF NOT EXISTS {TABLE} (day date PRIMARY KEY, is_workday boolean NOT NULL, "
                "ordinal integer NOT NULL, provisional boolean NOT NULL)"
            )
        )
        conn.execute(
            sa.text(
                f"CREATE UNIQUE INDEX IF NOT EXISTS {TABLE}_ordinal ON {TABLE} (ordinal) WHERE is_workday"
            )
        )
        conn.execute(sa.text(f"TRUNCATE {TABLE}"))
        buffer = io.StringIO()
        for day, work, ordinal, provisional in table_rows:
            buffer.write(f"{day}\t{'t' if work else 'f'}\t{ordinal}\t{'t' if provisional else 'f'}\n")
        buffer.seek(0)
        raw = conn.connection.dbapi_connection
        with raw.cursor() as cur:
            cur.copy_expert(f"COPY {TABLE} (day, is_workday, ordinal, provisional) FROM STDIN", buffer)
        conn.execute(sa.text(f"COMMENT ON TABLE {TABLE} IS '{mark}'"))
        # Read by the DataStore's read-only role too (its reports join it).
        conn.execute(sa.text(f"GRANT SELECT ON {TABLE} TO PUBLIC"))
    return True


def ensure_everywhere(today: dt.date | None = None) -> dict[str, bool]:
    """The table in CKAN's database and, when the DataStore is configured, in the DataStore's."""
    from ckan import model, plugins  # noqa: PLC0415

    done = {"ckan": ensure(model.meta.engine, today)}
    if plugins.plugin_loaded("datastore"):
        from ckanext.datastore.backend.postgres import get_write_engine  # noqa: PLC0415

        done["datastore"] = ensure(get_write_engine(), today)
    return done
