#!/usr/bin/env python3
"""The hlj_credit harvester end to end vs one CKAN dataset per record, and its memory on large files (issue 4).

Run it with ``bash benchmarks/credit_harvest.sh`` (the set-up: bench databases, a fresh Solr, the ini with a drop
root). Each path runs in a subprocess of its own, so that its peak RSS is its own:

1. Generates N 双公示 penalty records (``catalogue.credit_samples``, ``--bad-ratio`` of them with one defect each,
   the organisation's USCC as 处罚机关代码) and writes them as one CSV (UTF-8 with BOM) into a drop folder under
   ``ckanext.hlj.harvest.drop_root``. Not timed. The dates are moved into the year before today (same gaps between
   decision, 公示截止期 and 有效期), so that every valid record is within its publicity period and goes to both
   tables, the public DataStore table and the audit copy: the most work per record.
2. (a) In a subprocess: loads CKAN from ``--ini``, creates an organisation and an ``hlj_credit`` harvest source
   ``{"kind": "penalty", "drop_folder": …, "chunk_size": 5000}`` (not timed), then times, from
   ``harvest_job_create`` (run=True) to the job Finished: the gather queue's message handled with ckanext-harvest's
   ``queue.gather_callback`` (reading the file, one harvest object per chunk), every message of the fetch queue
   with ``queue.fetch_callback`` (the import of each chunk: validation, upsert into the publication's tables),
   then ``harvest_jobs_run``, in process on the bench Redis, as tests/harvesters/runner.py runs jobs. Checks the
   counts: one harvest object per chunk, all complete; the audit copy and the public table hold every valid
   record; one object error per bad row. RSS is sampled every 0.2 s (``/proc/self/statm``) besides
   ``ru_maxrss``, and timers around the harvester's and the store's functions split the job's time (exclusive wall
   time, a few µs a call).
3. (b) In another subprocess: the first ``--sample`` records of the same sequence, each created as one CKAN dataset
   of the stock ``dataset`` type with its fields as extras (``package_create`` in process, same database and
   Solr, a Solr commit per dataset); then (b′) ``--sample-one-commit`` more with one Solr commit at the end.
4. A cProfile of the gather of two chunks and of the import of one chunk (the second: the first creates the
   publication).
5. (a) again for each size of ``--memory-records`` (default 10⁵ and 10⁶ rows; the size of (a) is not run twice):
   peak RSS for each size.
6. Prints the figures and the ratio (a)/(b), writes ``benchmarks/results/credit-harvest.json`` and ``.md``.

Every subprocess purges what it made (the organisation, its datasets, the harvest source with its jobs, objects,
state and log rows, the publication's DataStore table and audit copy, their activity rows) unless ``--keep``; a run
first purges what earlier runs kept or left (organisations named ``bench-credit-*``). The row count of every table
of both databases is compared with the counts before the run, and any difference reported.

    bash benchmarks/credit_harvest.sh [--records 100000] [--sample 1000] [--memory-records 100000 1000000]
"""

from __future__ import annotations

import argparse
import configparser
import contextlib
import cProfile
import datetime as dt
import json
import logging
import os
import platform
import pstats
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
ORG_PREFIX = "bench-credit-"
SOURCE_URL = "http://credit.hlj.gov.cn/exchange/"  # + the organisation's name
KIND = "penalty"
SEED = 4
TARGET = 1000  # records/s end to end, the target
# A Heilongjiang department's USCC (11 = 机构编制, 230000 the province) around an organisation code.
ORG_CODE = "MB765432"
SHANGHAI = ZoneInfo("Asia/Shanghai")
PAGE = os.sysconf("SC_PAGE_SIZE")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--ini", required=True, help="CKAN config of the bench environment")
    parser.add_argument("--solr-url", help="Solr core URL (overrides the ini's solr_url)")
    parser.add_argument(
        "--drop-root", help="the ini's ckanext.hlj.harvest.drop_root (default: read from the ini)"
    )
    parser.add_argument("--records", type=int, default=100_000, help="records of run (a) (default 100000)")
    parser.add_argument(
        "--sample", type=int, default=1000, help="records of (b), one dataset each (default 1000; 0: skip)"
    )
    parser.add_argument(
        "--sample-one-commit",
        type=int,
        default=200,
        help="more records as (b) but with one Solr commit at the end, not one per dataset (default 200; 0: skip)",
    )
    parser.add_argument(
        "--memory-records",
        type=int,
        nargs="*",
        default=[100_000, 1_000_000],
        help="sizes whose peak RSS is measured (default 100000 1000000; the size of (a) is not run again)",
    )
    parser.add_argument("--chunk-size", type=int, default=5000, help="the source's chunk_size (default 5000)")
    parser.add_argument("--bad-ratio", type=float, default=0.01, help="share of bad records (default 0.01)")
    parser.add_argument(
        "--no-profile", action="store_true", help="skip the cProfile of a gather and an import"
    )
    parser.add_argument("--keep", action="store_true", help="keep the organisations, datasets and tables")
    parser.add_argument("--results", default=str(RESULTS), help="directory for credit-harvest.json and .md")
    parser.add_argument(
        "--child", choices=["harvest", "baseline", "profile", "leftovers"], help=argparse.SUPPRESS
    )
    parser.add_argument("--spec", help=argparse.SUPPRESS)
    return parser.parse_args()


# --- records and files (no CKAN) ---------------------------------------------------------------------------------


def org_uscc() -> str:
    from ckanext.hlj.catalogue import uscc  # noqa: PLC0415

    return uscc.make_uscc("11230000" + ORG_CODE + uscc.org_code_check_char(ORG_CODE))


def today_in_china() -> dt.date:
    return dt.datetime.now(SHANGHAI).date()


def _ordinal(value: Any) -> int | None:
    try:
        return dt.date.fromisoformat(value).toordinal()
    except (TypeError, ValueError):
        return None


DATE_FIELDS = ("CF_JDRQ", "CF_YXQ", "CF_GSJZQ")


def current_records(n: int, bad_ratio: float, today: dt.date) -> Iterator[Any]:
    """The generator's records with their dates moved into the 364 days before ``today`` (same gaps; the end of
    publicity is at least a year after the decision, so every valid record is public today). Records whose
    decision date is broken on purpose keep their dates."""
    from ckanext.hlj.catalogue.credit_samples import generate_records  # noqa: PLC0415

    last = today.toordinal() - 1
    for record in generate_records(KIND, n, seed=SEED, org_uscc=org_uscc(), bad_ratio=bad_ratio):
        decided = _ordinal(record["CF_JDRQ"])
        if decided is not None:
            shift = last - decided % 364 - decided
            for name in DATE_FIELDS:
                day = _ordinal(record[name])
                if day is not None:
                    record[name] = dt.date.fromordinal(day + shift).isoformat()
        yield record


def write_file(path: Path, n: int, bad_ratio: float, today: dt.date) -> dict[str, Any]:
    """Write N records as CSV; what the run should find in it."""
    from ckanext.hlj.catalogue.credit_samples import write_csv  # noqa: PLC0415

    counts = {"rows": 0, "bad": 0, "public": 0}
    iso = today.isoformat()

    def counted(records: Iterable[Any]) -> Iterator[Any]:
        for record in records:
            counts["rows"] += 1
            if record.defect is not None:
                counts["bad"] += 1
            elif record["CF_GSJZQ"] >= iso:
                counts["public"] += 1
            yield record

    started = time.perf_counter()
    write_csv(counted(current_records(n, bad_ratio, today)), path)
    return {
        **counts,
        "valid": counts["rows"] - counts["bad"],
        "bytes": path.stat().st_size,
        "seconds": round(time.perf_counter() - started, 1),
    }


# --- the database, seen from outside CKAN -------------------------------------------------------------------------


def ini_values(ini: str) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.read(ini, encoding="utf-8")
    return dict(parser["app:main"])


def table_counts(url: str) -> dict[str, int]:
    """Rows of every table (all schemas but the system ones) of a database."""
    import sqlalchemy as sa  # noqa: PLC0415

    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            names = conn.execute(
                sa.text(
                    "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables "
                    "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1"
                )
            ).scalars()
            return {name: conn.execute(sa.text(f"SELECT count(*) FROM {name}")).scalar() for name in names}
    finally:
        engine.dispose()


def snapshot(values: dict[str, str]) -> dict[str, dict[str, int]]:
    return {
        "ckan": table_counts(values["sqlalchemy.url"]),
        "datastore": table_counts(values["ckan.datastore.write_url"]),
    }


def drop_empty_registry(values: dict[str, str]) -> None:
    """Drop the ``hlj_credit_audit`` schema when it holds nothing but an empty registry of publications (what the
    first credit publication of a DataStore database creates; the next one creates it again)."""
    import sqlalchemy as sa  # noqa: PLC0415

    engine = sa.create_engine(values["ckan.datastore.write_url"])
    try:
        with engine.begin() as conn:
            tables = conn.execute(
                sa.text("SELECT tablename FROM pg_tables WHERE schemaname = 'hlj_credit_audit'")
            ).scalars()
            if (
                list(tables) == ["publications"]
                and not conn.execute(sa.text("SELECT count(*) FROM hlj_credit_audit.publications")).scalar()
            ):
                conn.execute(sa.text("DROP TABLE hlj_credit_audit.publications"))
                conn.execute(sa.text("DROP SCHEMA hlj_credit_audit"))
    finally:
        engine.dispose()


def snapshot_diff(before: dict[str, dict[str, int]], after: dict[str, dict[str, int]]) -> dict[str, Any]:
    diff: dict[str, Any] = {}
    for db, tables in before.items():
        for table in sorted(set(tables) | set(after[db])):
            a, b = tables.get(table), after[db].get(table)
            if a != b:
                diff[f"{db}:{table}"] = [a, b]
    return diff


# --- CKAN in process (the subprocesses) ---------------------------------------------------------------------------


def load_ckan(ini: str) -> Any:
    from ckan.cli import load_config  # noqa: PLC0415 - importing CKAN is slow; the parent does not need it
    from ckan.config.middleware import make_app  # noqa: PLC0415

    return make_app(load_config(ini))._wsgi_app


def context() -> dict[str, Any]:
    import ckan.plugins.toolkit as tk  # noqa: PLC0415

    return {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"], "ignore_auth": True}


def action(action_name: str, /, **data: Any) -> Any:
    import ckan.plugins.toolkit as tk  # noqa: PLC0415

    return tk.get_action(action_name)(context(), data)


def create_org(name: str, title: str) -> dict[str, Any]:
    return action(
        "organization_create",
        name=name,
        title=title,
        uscc=org_uscc(),
        org_kind="department",
        admin_level="province",
        region_code="230000",
        review_required=False,
    )


def create_source(org: dict[str, Any], folder: Path, chunk_size: int) -> dict[str, Any]:
    # ckanext-harvest shows the new dataset before it has made its HarvestSource, and logs an ERROR about it.
    plugin_log = logging.getLogger("ckanext.harvest.plugin")
    level = plugin_log.level
    plugin_log.setLevel(logging.CRITICAL)
    try:
        return action(
            "harvest_source_create",
            name=f"{org['name']}-source",
            title="基准测试：信用信息共享平台双公示交换文件",
            url=f"{SOURCE_URL}{org['name']}",
            source_type="hlj_credit",
            owner_org=org["id"],
            config=json.dumps({"kind": KIND, "drop_folder": str(folder), "chunk_size": chunk_size}),
        )
    finally:
        plugin_log.setLevel(level)


def rss() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * PAGE


def max_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class RssSampler(threading.Thread):
    """Samples this process's RSS every ``interval`` seconds: the peak of each phase and a timeline."""

    def __init__(self, interval: float = 0.2):
        super().__init__(daemon=True)
        self.interval = interval
        self.phase = "start"
        self.peaks: dict[str, int] = {}
        self.timeline: list[tuple[float, str, int]] = []
        self._halt = threading.Event()
        self._t0 = time.perf_counter()

    def sample(self) -> None:
        value = rss()
        self.peaks[self.phase] = max(self.peaks.get(self.phase, 0), value)
        self.timeline.append((round(time.perf_counter() - self._t0, 2), self.phase, value))

    def run(self) -> None:
        while not self._halt.wait(self.interval):
            self.sample()

    def set_phase(self, phase: str) -> None:
        self.sample()
        self.phase = phase
        self.sample()

    def stop(self) -> None:
        self._halt.set()
        self.join()
        self.sample()

    def summary(self, points: int = 40) -> dict[str, Any]:
        step = max(1, len(self.timeline) // points)
        return {
            "peak_bytes": max(v for _, _, v in self.timeline),
            "phase_peak_bytes": self.peaks,
            "timeline": [list(t) for t in self.timeline[::step]],
        }


class Timers:
    """Wall time spent in chosen functions during the job, by wrapping them (a few µs a call, not a profiler):
    the split of the real job, which cProfile distorts (it slows Python code far more than waiting for
    PostgreSQL). Times are exclusive: a timed function called inside another counts for itself only."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self._inner: list[float] = []  # per open call: time spent in timed calls inside it
        self._undo: list[tuple[Any, str, Any]] = []

    def timed(self, label: str, function: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            self._inner.append(0.0)
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - started
                inner = self._inner.pop()
                if self._inner:
                    self._inner[-1] += elapsed
                self.seconds[label] = self.seconds.get(label, 0.0) + elapsed - inner
                self.calls[label] = self.calls.get(label, 0) + 1

        return wrapper

    def wrap(self, owner: Any, name: str, label: str) -> None:
        original = owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name)
        if isinstance(original, staticmethod):
            replacement: Any = staticmethod(self.timed(label, original.__func__))
        else:
            replacement = self.timed(label, original)
        self._undo.append((owner, name, original))
        setattr(owner, name, replacement)

    def install(self) -> None:
        import types  # noqa: PLC0415

        from ckanext.harvest import queue  # noqa: PLC0415

        from ckanext.hlj.catalogue import credit  # noqa: PLC0415
        from ckanext.hlj.credit import store  # noqa: PLC0415
        from ckanext.hlj.harvesters import base, credit_harvester  # noqa: PLC0415
        from ckanext.hlj.logic.action import credit as actions  # noqa: PLC0415

        harvester = credit_harvester.HljCreditHarvester
        self.wrap(queue, "gather_callback", "gather message")
        self.wrap(harvester, "gather", "gather")
        self.wrap(credit_harvester, "_sha256", "gather: SHA-256")
        self.wrap(base.HljHarvester, "new_object", "gather: harvest objects saved")
        proxy = types.SimpleNamespace(
            dumps=self.timed("gather: JSON encoding", json.dumps),
            loads=self.timed("import: JSON decoding", json.loads),
        )
        self._undo.append((credit_harvester, "json", credit_harvester.json))
        credit_harvester.json = proxy
        self.wrap(queue, "fetch_callback", "fetch message")
        self.wrap(harvester, "import_", "import")
        self.wrap(harvester, "_publication_package", "import: publication lookup")
        self.wrap(actions, "_publication", "import: publication tables check")
        self.wrap(actions, "_defaults", "import: defaults (organization_show)")
        self.wrap(credit, "validate_record", "import: validation")
        self.wrap(store, "_copy", "import: staging rows and COPY")
        self.wrap(store, "_upsert_chunk", "import: upsert chunk")
        self.wrap(store, "_publish_changed", "import: public table")
        self.wrap(base.HljHarvester, "object_error", "import: object errors")
        self.wrap(actions, "_touch", "import: resource last_modified")
        self.wrap(base.HljHarvester, "make_current", "import: make_current")

    def uninstall(self) -> None:
        for owner, name, original in reversed(self._undo):
            setattr(owner, name, original)
        self._undo.clear()

    def split(self) -> dict[str, Any]:
        """Seconds per part of the gather and of the imports (each stage's parts add up to it)."""
        names = {
            "gather": "reading the file (CSV, row dicts) and the rest of gather",
            "gather message": "ckanext-harvest: the gather message, sending ids to the fetch queue",
            "import": "the rest of import",
            "import: upsert chunk": "import: SQL upsert into the audit copy, temp tables",
            "fetch message": "ckanext-harvest: the fetch message, object states",
        }
        stages: dict[str, Any] = {}
        for stage, own in (("gather", ("gather", "gather message")), ("import", ("import", "fetch message"))):
            parts = {
                names.get(label, label).split(": ", 1)[-1]: round(seconds, 2)
                for label, seconds in self.seconds.items()
                if label.startswith(stage + ": ") or label in own
            }
            stages[stage] = {"seconds": round(sum(parts.values()), 2), "parts": parts}
        return {**stages, "calls": self.calls}


def drain(queue_name: str, consumer: Any, callback: Any, on_message: Any = None) -> int:
    handled = 0
    while True:
        method, header, body = consumer.basic_get(queue_name)
        if body is None:
            return handled
        if on_message is not None:
            on_message(handled)
        callback(consumer, method, header, body)
        handled += 1


def run_job(source_id: str, sampler: RssSampler | None = None) -> tuple[dict[str, Any], float]:
    """One job of the source through the Redis queues, in process: (the finished job, seconds)."""
    from ckanext.harvest import queue  # noqa: PLC0415

    phase = sampler.set_phase if sampler else (lambda _: None)
    started = time.perf_counter()
    job = action("harvest_job_create", source_id=source_id, run=True)
    phase("gather")
    drain(queue.get_gather_queue_name(), queue.get_gather_consumer(), queue.gather_callback)
    phase("import")
    drain(queue.get_fetch_queue_name(), queue.get_fetch_consumer(), queue.fetch_callback)
    phase("finish")
    action("harvest_jobs_run", source_id=source_id)
    job = action("harvest_job_show", id=job["id"])
    seconds = time.perf_counter() - started
    phase("end")
    return job, seconds


def job_figures(job_id: str) -> dict[str, Any]:
    """Objects, errors and where the job's time went, from ckanext-harvest's own timestamps."""
    import sqlalchemy as sa  # noqa: PLC0415
    from ckan import model  # noqa: PLC0415

    row = model.Session.execute(
        sa.text(
            "SELECT j.gather_started, j.gather_finished, j.finished, "
            "(SELECT count(*) FROM harvest_object o WHERE o.harvest_job_id = j.id), "
            "(SELECT count(*) FROM harvest_object o WHERE o.harvest_job_id = j.id AND o.state = 'COMPLETE'), "
            "(SELECT count(*) FROM harvest_object_error e JOIN harvest_object o ON o.id = e.harvest_object_id "
            " WHERE o.harvest_job_id = j.id), "
            "(SELECT count(*) FROM harvest_gather_error g WHERE g.harvest_job_id = j.id), "
            "(SELECT sum(extract(epoch FROM o.import_finished - o.import_started)) FROM harvest_object o "
            " WHERE o.harvest_job_id = j.id), "
            "(SELECT min(o.fetch_started) FROM harvest_object o WHERE o.harvest_job_id = j.id), "
            "(SELECT max(o.import_finished) FROM harvest_object o WHERE o.harvest_job_id = j.id), "
            "(SELECT sum(length(o.content)) FROM harvest_object o WHERE o.harvest_job_id = j.id) "
            "FROM harvest_job j WHERE j.id = :id"
        ),
        {"id": job_id},
    ).one()
    (
        gather_started,
        gather_finished,
        _,
        objects,
        complete,
        errors,
        gather_errors,
        imports,
        first,
        last,
        size,
    ) = row
    return {
        "objects": objects,
        "objects_complete": complete,
        "object_errors": errors,
        "gather_errors": gather_errors,
        "gather_seconds": round((gather_finished - gather_started).total_seconds(), 2),
        "import_seconds": round(float(imports or 0), 2),
        "fetch_queue_seconds": round((last - first).total_seconds(), 2) if first and last else None,
        "object_content_bytes": int(size or 0),
    }


def publication_counts(org_id: str) -> dict[str, Any]:
    """The organisation's credit publication: rows of its public DataStore table and of its audit copy."""
    import sqlalchemy as sa  # noqa: PLC0415
    from ckan import model  # noqa: PLC0415
    from ckanext.datastore.backend.postgres import get_write_engine  # noqa: PLC0415

    from ckanext.hlj.credit import tables  # noqa: PLC0415

    ids = [
        p.id
        for p in model.Session.query(model.Package.id).filter(
            model.Package.owner_org == org_id, model.Package.type == "credit-publication"
        )
    ]
    if len(ids) != 1:
        return {"publications": len(ids)}
    pub = tables.get_publication(ids[0])
    with get_write_engine().connect() as conn:
        public = conn.execute(sa.text(f"SELECT count(*) FROM {pub.public_table}")).scalar()
        audit = conn.execute(sa.text(f"SELECT count(*) FROM {pub.audit_table}")).scalar()
    return {"publications": 1, "public_rows": public, "audit_rows": audit, "resource_id": pub.resource_id}


def purge_org(org_id: str) -> dict[str, int]:
    """Purge everything the run made in an organisation: credit publications with their DataStore table, audit
    copy and registry row; harvest sources with their jobs, objects and state; datasets; the organisation."""
    import sqlalchemy as sa  # noqa: PLC0415
    from ckan import model  # noqa: PLC0415
    from ckanext.datastore.backend.postgres import get_write_engine  # noqa: PLC0415
    from ckanext.harvest.model import HarvestSource  # noqa: PLC0415

    from ckanext.hlj.credit import tables  # noqa: PLC0415
    from ckanext.hlj.harvesters import state  # noqa: PLC0415

    packages = list(
        model.Session.query(model.Package.id, model.Package.type).filter(model.Package.owner_org == org_id)
    )
    sources = [p.id for p in packages if p.type == "harvest"]
    done = {"datasets": 0, "publications": 0, "sources": 0}
    for package_id, _ in packages:
        pub = tables.get_publication(package_id)
        if pub is None:
            continue
        if tables.public_table_exists(pub.resource_id):
            action("datastore_delete", resource_id=pub.resource_id, force=True)
        with get_write_engine().begin() as conn:
            conn.execute(sa.text(f"DROP TABLE IF EXISTS {pub.audit_table}"))
            conn.execute(
                sa.text(f'DELETE FROM "{tables.AUDIT_SCHEMA}"."{tables.REGISTRY}" WHERE package_id = :id'),
                {"id": package_id},
            )
        done["publications"] += 1
    for source_id in sources:
        # harvest_source_clear deletes the datasets its objects name with SQL of its own: detach them, so that
        # dataset_purge removes them the ordinary way, then clear the jobs and objects.
        model.Session.execute(
            sa.text("UPDATE harvest_object SET package_id = NULL WHERE harvest_source_id = :id"),
            {"id": source_id},
        )
        model.Session.execute(state.state_table.delete().where(state.state_table.c.source_id == source_id))
        model.Session.commit()
    for package_id, package_type in packages:
        if package_type != "harvest":
            action("dataset_purge", id=package_id)
            done["datasets"] += 1
    for source_id in sources:
        action("harvest_source_clear", id=source_id)
        action("dataset_purge", id=source_id)
    for source_id in sources:
        source = HarvestSource.get(source_id)
        if source is not None:
            model.Session.delete(source)
            model.Session.commit()
        done["sources"] += 1
    name = model.Group.get(org_id).name
    action("organization_purge", id=org_id)
    # Purging leaves the activity stream behind: the creations and changes of what was purged.
    done["activities"] = model.Session.execute(
        sa.text("DELETE FROM activity WHERE object_id = ANY(:ids) OR data LIKE :name"),
        {"ids": [org_id, *(p.id for p in packages)], "name": f"%{name}%"},
    ).rowcount
    model.Session.commit()
    return done


def purge_leftovers() -> int:
    """Purge the organisations of earlier runs (kept with --keep, or left by an interrupted run)."""
    import sqlalchemy as sa  # noqa: PLC0415
    from ckan import model  # noqa: PLC0415

    orgs = model.Session.query(model.Group.id).filter(model.Group.name.like(f"{ORG_PREFIX}%")).all()
    for (org_id,) in orgs:
        purge_org(org_id)
    # Harvest sources whose dataset is gone (an interrupted clean-up), found by the URL this script gives them.
    model.Session.execute(
        sa.text(
            "CREATE TEMP TABLE bench_sources ON COMMIT DROP AS SELECT s.id FROM harvest_source s "
            "WHERE s.url LIKE :url AND NOT EXISTS (SELECT 1 FROM package p WHERE p.id = s.id); "
            "DELETE FROM harvest_object_error WHERE harvest_object_id IN "
            "(SELECT id FROM harvest_object WHERE harvest_source_id IN (SELECT id FROM bench_sources)); "
            "DELETE FROM harvest_object_extra WHERE harvest_object_id IN "
            "(SELECT id FROM harvest_object WHERE harvest_source_id IN (SELECT id FROM bench_sources)); "
            "DELETE FROM harvest_object WHERE harvest_source_id IN (SELECT id FROM bench_sources); "
            "DELETE FROM harvest_gather_error WHERE harvest_job_id IN "
            "(SELECT id FROM harvest_job WHERE source_id IN (SELECT id FROM bench_sources)); "
            "DELETE FROM harvest_job WHERE source_id IN (SELECT id FROM bench_sources); "
            "DELETE FROM hlj_harvest_state WHERE source_id IN (SELECT id FROM bench_sources); "
            "DELETE FROM harvest_source WHERE id IN (SELECT id FROM bench_sources)"
        ),
        {"url": f"{SOURCE_URL}{ORG_PREFIX}%"},
    )
    model.Session.commit()
    return len(orgs)


# --- the subprocesses ----------------------------------------------------------------------------------------------


def child_harvest(spec: dict[str, Any]) -> dict[str, Any]:
    from ckanext.harvest import queue  # noqa: PLC0415

    org = create_org(spec["org_name"], "基准测试：信用信息采集")
    result: dict[str, Any] = {"records": spec["expected"]["rows"]}
    try:
        source = create_source(org, Path(spec["folder"]), spec["chunk_size"])
        queue.purge_queues()
        sampler = RssSampler()
        timers = Timers()
        timers.install()
        rss_before = rss()
        sampler.start()
        try:
            job, seconds = run_job(source["id"], sampler)
        finally:
            sampler.stop()
            timers.uninstall()
        peak = max_rss()
        expected = spec["expected"]
        figures = job_figures(job["id"])
        counts = publication_counts(org["id"])
        result.update(
            {
                "seconds": round(seconds, 2),
                "records_per_second": expected["rows"] / seconds,
                "valid_records_per_second": expected["valid"] / seconds,
                "status": job["status"],
                "stats": job.get("stats"),
                **figures,
                **counts,
                "rss_before_job_bytes": rss_before,
                "ru_maxrss_bytes": peak,
                "rss": sampler.summary(),
                "time_split": timers.split(),
            }
        )
        chunks = -(-expected["rows"] // spec["chunk_size"])
        problems = []
        if job["status"] != "Finished":
            problems.append(f"job status {job['status']}")
        if figures["objects"] != chunks or figures["objects_complete"] != chunks:
            problems.append(
                f"{figures['objects']} objects ({figures['objects_complete']} complete), not {chunks}"
            )
        if counts.get("audit_rows") != expected["valid"]:
            problems.append(f"audit copy holds {counts.get('audit_rows')} rows, not {expected['valid']}")
        if counts.get("public_rows") != expected["public"]:
            problems.append(f"public table holds {counts.get('public_rows')} rows, not {expected['public']}")
        if figures["object_errors"] != expected["bad"] or figures["gather_errors"]:
            problems.append(
                f"{figures['object_errors']} object errors for {expected['bad']} bad rows, "
                f"{figures['gather_errors']} gather errors"
            )
        result["problems"] = problems
    finally:
        if not spec["keep"]:
            result["purged"] = purge_org(org["id"])
    return result


def baseline_dataset(org: dict[str, Any], index: int, record: dict[str, Any]) -> dict[str, Any]:
    title = f"{record['CF_XDR_MC'] or '行政相对人'}行政处罚决定（{record['CF_WSH'] or f'第{index + 1}条'}）"
    return {
        "type": "dataset",
        "name": f"{org['name']}-{index:06d}",
        "title": title,
        "owner_org": org["id"],
        "notes": record["CF_NR"] or "",
        "extras": [{"key": k, "value": str(v)} for k, v in record.items() if v not in (None, "")],
    }


def child_baseline(spec: dict[str, Any]) -> dict[str, Any]:
    import ckan.plugins.toolkit as tk  # noqa: PLC0415
    from ckan import model  # noqa: PLC0415
    from ckan.lib import search  # noqa: PLC0415

    org = create_org(spec["org_name"], "基准测试：每条记录一个数据集")
    n, extra = spec["records"], spec["no_solr_commit"]
    result: dict[str, Any] = {"records": n}
    try:
        today = dt.date.fromisoformat(spec["today"])
        records = [dict(r) for r in current_records(n + extra, spec["bad_ratio"], today)]
        payloads = [baseline_dataset(org, i, r) for i, r in enumerate(records)]
        # One dataset first, not timed: the first package_create of a process loads and compiles what the
        # others reuse (the harvest job's equivalent happens while its organisation and source are created).
        action("package_create", **{**payloads[0], "name": f"{org['name']}-warm-up"})
        rss_before = rss()
        started = time.perf_counter()
        for payload in payloads[:n]:
            action("package_create", **payload)
        seconds = time.perf_counter() - started
        peak = max_rss()
        result.update(
            {
                "seconds": round(seconds, 2),
                "records_per_second": n / seconds,
                "extras_per_dataset": round(sum(len(p["extras"]) for p in payloads) / len(payloads), 1),
                "solr_commit": bool(tk.config.get("ckan.search.solr_commit")),
                "rss_before_bytes": rss_before,
                "ru_maxrss_bytes": peak,
            }
        )
        if extra:  # the next records with one Solr commit at the end instead of one per dataset
            tk.config["ckan.search.solr_commit"] = False
            try:
                started = time.perf_counter()
                for payload in payloads[n:]:
                    action("package_create", **payload)
                search.commit()
                seconds = time.perf_counter() - started
            finally:
                tk.config["ckan.search.solr_commit"] = result["solr_commit"]
            result["one_solr_commit"] = {
                "records": extra,
                "seconds": round(seconds, 2),
                "records_per_second": extra / seconds,
            }
        stored = (
            model.Session.query(model.Package)
            .filter(model.Package.owner_org == org["id"], model.Package.state == "active")
            .count()
        ) - 1
        result["datasets"] = stored
        result["problems"] = [] if stored == n + extra else [f"{stored} datasets, not {n + extra}"]
    finally:
        if not spec["keep"]:
            result["purged"] = purge_org(org["id"])
    return result


# Where a chunk's time goes: (label, what to add up). A spec is (file suffix, function name), or for psycopg2's
# cursor.execute the calls made from our store module only.
PROFILE_GROUPS = {
    "gather": [
        ("reading the CSV (decode, csv module, row dicts)", [("catalogue/credit.py", "_numbered")]),
        ("SHA-256 of the file", [("harvesters/credit_harvester.py", "_sha256")]),
        ("JSON encoding of the chunk", [("json/__init__.py", "dumps")]),
        ("saving the harvest object (INSERT of its content)", [("harvesters/base.py", "new_object")]),
        ("sending the ids to the fetch queue (Redis)", [("ckanext/harvest/queue.py", "send")]),
    ],
    "import": [
        ("JSON decoding of the chunk", [("json/__init__.py", "loads")]),
        ("finding the publication (package_search, package_show)", [("credit_harvester.py", "_publication_package")]),
        ("publication tables check", [("logic/action/credit.py", "_publication")]),
        ("organisation lookup for defaults (organization_show)", [("logic/action/credit.py", "_defaults")]),
        ("validation (validate_record)", [("catalogue/credit.py", "validate_record")]),
        (
            "staging rows and COPY (masking, pseudonyms, text encoding, COPY)",
            [("credit/store.py", "_copy")],
        ),
        ("SQL: upsert of the audit copy, public table, temp tables", [("store-execute", "")]),
        ("object errors (one row each)", [("harvesters/base.py", "object_error")]),
        ("resource last_modified (_touch)", [("logic/action/credit.py", "_touch")]),
        ("make_current (harvest objects)", [("harvesters/base.py", "make_current")]),
    ],
}  # fmt: skip


def _cumulative(stats: pstats.Stats, suffix: str, name: str) -> float:
    total = 0.0
    for (filename, _line, func), (_cc, _nc, _tt, ct, callers) in stats.stats.items():  # type: ignore[attr-defined]
        if suffix == "store-execute":
            if func == "<method 'execute' of 'psycopg2.extensions.cursor' objects>":
                total += sum(c[3] for k, c in callers.items() if k[0].endswith("credit/store.py"))
        elif func == name and filename.endswith(suffix):
            total += ct
    return total


def profile_summary(profile: cProfile.Profile, stage: str, total_func: tuple[str, str]) -> dict[str, Any]:
    stats = pstats.Stats(profile)
    total = _cumulative(stats, *total_func)
    groups = []
    for label, specs in PROFILE_GROUPS[stage]:
        seconds = sum(_cumulative(stats, s, f) for s, f in specs)
        groups.append({"what": label, "seconds": round(seconds, 3), "share": round(seconds / total, 3)})
    rest = total - sum(g["seconds"] for g in groups)
    groups.append(
        {
            "what": "the rest (ckanext-harvest's bookkeeping, …)",
            "seconds": round(rest, 3),
            "share": round(rest / total, 3),
        }
    )
    top = []
    for (filename, line, func), (_cc, nc, tt, ct, _c) in sorted(
        stats.stats.items(),  # type: ignore[attr-defined]
        key=lambda item: -item[1][3],
    )[:30]:
        where = f"{'/'.join(Path(filename).parts[-3:])}:{line}" if filename != "~" else ""
        top.append(
            {
                "function": f"{where} {func}".strip(),
                "calls": nc,
                "tottime": round(tt, 3),
                "cumtime": round(ct, 3),
            }
        )
    return {"total_seconds": round(total, 3), "groups": groups, "top_cumulative": top}


def child_profile(spec: dict[str, Any]) -> dict[str, Any]:
    from ckanext.harvest import queue  # noqa: PLC0415

    org = create_org(spec["org_name"], "基准测试：剖析")
    result: dict[str, Any] = {"rows": spec["expected"]["rows"], "chunk_size": spec["chunk_size"]}
    try:
        source = create_source(org, Path(spec["folder"]), spec["chunk_size"])
        queue.purge_queues()
        job = action("harvest_job_create", source_id=source["id"], run=True)
        gather = cProfile.Profile()
        gather.enable()
        drain(queue.get_gather_queue_name(), queue.get_gather_consumer(), queue.gather_callback)
        gather.disable()
        imports = cProfile.Profile()

        def on_message(index: int) -> None:  # profile the second chunk: the first one creates the publication
            if index == 1:
                imports.enable()
            elif index == 2:
                imports.disable()

        drain(queue.get_fetch_queue_name(), queue.get_fetch_consumer(), queue.fetch_callback, on_message)
        imports.disable()
        action("harvest_jobs_run", source_id=source["id"])
        result["job_status"] = action("harvest_job_show", id=job["id"])["status"]
        result["gather"] = profile_summary(gather, "gather", ("ckanext/harvest/queue.py", "gather_callback"))
        result["import"] = profile_summary(imports, "import", ("ckanext/harvest/queue.py", "fetch_callback"))
    finally:
        if not spec["keep"]:
            result["purged"] = purge_org(org["id"])
    return result


def child(args: argparse.Namespace) -> None:
    spec = json.loads(Path(args.spec).read_text("utf-8"))
    if args.solr_url:
        os.environ["CKAN_SOLR_URL"] = args.solr_url
    started = dt.datetime.now(dt.UTC).replace(tzinfo=None)  # naive UTC, as ckanext-harvest's log rows
    app = load_ckan(args.ini)
    run = {
        "harvest": child_harvest,
        "baseline": child_baseline,
        "profile": child_profile,
        "leftovers": lambda _: {"purged_organisations": purge_leftovers()},
    }[args.child]
    with app.test_request_context(environ_overrides={"CKAN_LANG": "zh_Hans_CN"}):
        result = run(spec)
        if not spec.get("keep"):
            # ckanext-harvest's log handler keeps its records in the database (harvest_log): this run's go.
            import sqlalchemy as sa  # noqa: PLC0415
            from ckan import model  # noqa: PLC0415

            model.Session.execute(sa.text("DELETE FROM harvest_log WHERE created >= :t"), {"t": started})
            model.Session.commit()
    Path(spec["out"]).write_text(json.dumps(result, ensure_ascii=False, indent=2), "utf-8")


# --- the parent ----------------------------------------------------------------------------------------------------


def spawn(args: argparse.Namespace, kind: str, spec: dict[str, Any], work: Path) -> dict[str, Any]:
    spec_path = work / f"{spec['org_name']}.spec.json"
    spec["out"] = str(work / f"{spec['org_name']}.result.json")
    spec["keep"] = args.keep
    spec_path.write_text(json.dumps(spec, ensure_ascii=False), "utf-8")
    command = [sys.executable, str(Path(__file__).resolve()), "--ini", args.ini, "--child", kind]
    command += ["--spec", str(spec_path)]
    if args.solr_url:
        command += ["--solr-url", args.solr_url]
    started = time.perf_counter()
    subprocess.run(command, check=True)
    result = json.loads(Path(spec["out"]).read_text("utf-8"))
    result["process_seconds"] = round(time.perf_counter() - started, 1)
    return result


def machine() -> dict[str, Any]:
    from importlib.metadata import version  # noqa: PLC0415

    info: dict[str, Any] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
    }
    for package in ("ckan", "ckanext-harvest", "psycopg2", "SQLAlchemy", "redis"):
        with contextlib.suppress(Exception):
            info[package] = version(package)
    with contextlib.suppress(Exception):
        info["memory_gb"] = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    with contextlib.suppress(Exception):
        out = subprocess.run(
            ["psql", "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
        info["psql"] = out
    info["load_average"] = [round(x, 2) for x in os.getloadavg()]
    return info


def mb(value: int) -> float:
    return round(value / 2**20, 1)


def harvest_run(
    args: argparse.Namespace, n: int, *, today: dt.date, stamp: str, drop_root: Path, work: Path
) -> dict[str, Any]:
    name = f"{ORG_PREFIX}{stamp}-{n}"
    folder = drop_root / name
    folder.mkdir(parents=True)
    path = folder / f"cf-{n}.csv"
    try:
        expected = write_file(path, n, args.bad_ratio, today)
        print(
            f"{n:,} records → {path.name}: {expected['bytes'] / 1e6:.0f} MB in {expected['seconds']} s "
            f"({expected['bad']} bad, {expected['valid']} valid, {expected['public']} public today)",
            flush=True,
        )
        spec = {"org_name": name, "folder": str(folder), "chunk_size": args.chunk_size, "expected": expected}
        result = spawn(args, "harvest", spec, work)
        result["file"] = {k: expected[k] for k in ("bytes", "seconds")}
        result["expected"] = expected
    finally:
        path.unlink(missing_ok=True)
        folder.rmdir()
    print(
        f"(a) hlj_credit, {n:,} records: {result['seconds']:.1f} s, {result['records_per_second']:,.0f} rows/s, "
        f"{result['valid_records_per_second']:,.0f} valid records/s; {result['objects']} objects, "
        f"{result['object_errors']} object errors; peak RSS {mb(result['rss']['peak_bytes'])} MB "
        f"(before the job {mb(result['rss_before_job_bytes'])} MB)"
        + (f"; PROBLEMS: {result['problems']}" if result["problems"] else ""),
        flush=True,
    )
    return result


def baseline_run(args: argparse.Namespace, *, today: dt.date, stamp: str, work: Path) -> dict[str, Any]:
    spec = {
        "org_name": f"{ORG_PREFIX}{stamp}-datasets",
        "records": args.sample,
        "no_solr_commit": args.sample_one_commit,
        "bad_ratio": args.bad_ratio,
        "today": today.isoformat(),
    }
    baseline = spawn(args, "baseline", spec, work)
    print(
        f"(b) one dataset per record, {args.sample:,} records: {baseline['seconds']:.1f} s, "
        f"{baseline['records_per_second']:.1f} records/s; peak RSS {mb(baseline['ru_maxrss_bytes'])} MB"
        + (f"; PROBLEMS: {baseline['problems']}" if baseline["problems"] else ""),
        flush=True,
    )
    other = baseline.get("one_solr_commit")
    if other:
        print(
            f"(b′) the same, {other['records']:,} more records with one Solr commit at the end: "
            f"{other['seconds']:.1f} s, {other['records_per_second']:.1f} records/s",
            flush=True,
        )
    return baseline


def profile_run(
    args: argparse.Namespace, *, today: dt.date, stamp: str, drop_root: Path, work: Path
) -> dict[str, Any]:
    name = f"{ORG_PREFIX}{stamp}-profile"
    folder = drop_root / name
    folder.mkdir()
    path = folder / "cf-profile.csv"
    try:
        expected = write_file(path, 2 * args.chunk_size, args.bad_ratio, today)
        spec = {"org_name": name, "folder": str(folder), "chunk_size": args.chunk_size, "expected": expected}
        profile = spawn(args, "profile", spec, work)
    finally:
        path.unlink(missing_ok=True)
        folder.rmdir()
    print_profile(profile)
    return profile


def memory_row(n: int, run: dict[str, Any]) -> dict[str, Any]:
    return {
        "records": n,
        "seconds": run["seconds"],
        "records_per_second": run["records_per_second"],
        "rss_before_job_bytes": run["rss_before_job_bytes"],
        "peak_rss_bytes": run["rss"]["peak_bytes"],
        "ru_maxrss_bytes": run["ru_maxrss_bytes"],
        "phase_peak_bytes": run["rss"]["phase_peak_bytes"],
        "file_bytes": run["file"]["bytes"],
        "object_content_bytes": run["object_content_bytes"],
    }


def main() -> None:
    args = parse_args()
    if args.child:
        child(args)
        return
    values = ini_values(args.ini)
    drop_root = Path(args.drop_root or values.get("ckanext.hlj.harvest.drop_root") or "")
    if not str(drop_root) or not drop_root.is_dir():
        raise SystemExit("no drop root: pass --drop-root or set ckanext.hlj.harvest.drop_root in the ini")
    today = today_in_china()
    stamp = dt.datetime.now().strftime("%Y%m%d%H%M%S")
    with tempfile.TemporaryDirectory(prefix="credit-harvest-") as tmp:
        work = Path(tmp)
        if not args.keep:
            purged = spawn(args, "leftovers", {"org_name": "leftovers"}, work)["purged_organisations"]
            if purged:
                print(f"purged {purged} organisations of earlier runs ({ORG_PREFIX}*)")
            drop_empty_registry(values)
        before = snapshot(values)
        result: dict[str, Any] = {
            "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "kind": KIND,
            "chunk_size": args.chunk_size,
            "bad_ratio": args.bad_ratio,
            "seed": SEED,
            "target_records_per_second": TARGET,
        }
        where = {"today": today, "stamp": stamp, "work": work}
        runs = {args.records: harvest_run(args, args.records, drop_root=drop_root, **where)}
        baseline = baseline_run(args, **where) if args.sample else None
        profile = None if args.no_profile else profile_run(args, drop_root=drop_root, **where)
        for n in sorted(set(args.memory_records) - {args.records}):
            runs[n] = harvest_run(args, n, drop_root=drop_root, **where)
    if not args.keep and "hlj_credit_audit.publications" not in before["datastore"]:
        drop_empty_registry(values)
    differences = snapshot_diff(before, snapshot(values))
    main_run = runs[args.records]
    result.update(
        {
            "harvest": main_run,
            "baseline": baseline,
            "ratio_valid_records": baseline
            and main_run["valid_records_per_second"] / baseline["records_per_second"],
            "ratio_rows": baseline and main_run["records_per_second"] / baseline["records_per_second"],
            "memory": [memory_row(n, r) for n, r in sorted(runs.items())],
            "runs": {str(n): r for n, r in sorted(runs.items()) if n != args.records},
            "profile": profile,
            "database_left_as_it_was": None if args.keep else not differences,
            "database_differences": None if args.keep else differences,
            "machine": machine(),
        }
    )
    write_results(result, Path(args.results))
    if baseline:
        print(
            f"ratio (a)/(b): {result['ratio_valid_records']:.0f}× (valid records loaded), "
            f"{result['ratio_rows']:.0f}× (rows read)"
        )
    if differences and not args.keep:
        print(f"the databases differ from before the run: {differences}")
    print(f"results in {args.results}/credit-harvest.md")


def print_profile(profile: dict[str, Any]) -> None:
    for stage in ("gather", "import"):
        data = profile[stage]
        print(f"profile, {stage} ({data['total_seconds']:.2f} s):")
        for group in data["groups"]:
            print(f"  {group['share']:6.1%}  {group['seconds']:7.3f} s  {group['what']}")


def write_results(result: dict[str, Any], directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "credit-harvest.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2) + "\n", "utf-8"
    )
    (directory / "credit-harvest.md").write_text(markdown(result), "utf-8")


def split_lines(run: dict[str, Any]) -> list[str]:
    split = run.get("time_split")
    if not split:
        return []
    total = run["seconds"]
    lines = [
        "## Where the time goes",
        "",
        f"Job (a), {total:.1f} s, split by timers around the functions named (wall time, exclusive of the timed "
        "functions they call; no profiler):",
        "",
        "| Part | Seconds | Share of the job |",
        "| --- | ---: | ---: |",
    ]
    for stage in ("gather", "import"):
        data = split[stage]
        lines.append(f"| **{stage}** | **{data['seconds']:.1f}** | **{data['seconds'] / total:.0%}** |")
        for label, seconds in sorted(data["parts"].items(), key=lambda item: -item[1]):
            lines.append(f"| {label} | {seconds:.1f} | {seconds / total:.0%} |")
    other = total - split["gather"]["seconds"] - split["import"]["seconds"]
    lines += [
        f"| job creation, `harvest_jobs_run`, empty queue polls | {other:.1f} | {other / total:.0%} |",
        "",
    ]
    return lines


def markdown(result: dict[str, Any]) -> str:
    a, b, m = result["harvest"], result["baseline"], result["machine"]
    n = a["records"]
    lines = [
        "# hlj_credit harvester vs one CKAN dataset per record",
        "",
        f"{n:,} generated 双公示 penalty records ({result['bad_ratio']:.0%} with one defect each) in one CSV file "
        f"({a['file']['bytes'] / 1e6:.0f} MB), harvested from a drop folder in chunks of {result['chunk_size']:,}; "
        f"on {result['date']} ({m['cpus']} CPUs, Python {m['python']}, CKAN {m.get('ckan')}, ckanext-harvest "
        f"{m.get('ckanext-harvest')}, {m.get('psql', 'PostgreSQL')}). Produced by `benchmarks/credit_harvest.py` "
        "(`bash benchmarks/credit_harvest.sh`).",
        "",
        "| Path | Records | Seconds | Records/s | Peak RSS |",
        "| --- | ---: | ---: | ---: | ---: |",
        f"| (a) `hlj_credit` harvest job, end to end: valid records loaded | {a['expected']['valid']:,} "
        f"| {a['seconds']:.1f} | **{a['valid_records_per_second']:,.0f}** | {mb(a['rss']['peak_bytes'])} MB |",
        f"| (a) the same job: rows read (valid and bad) | {n:,} | {a['seconds']:.1f} "
        f"| {a['records_per_second']:,.0f} | |",
    ]
    if b:
        lines.append(
            f"| (b) one `dataset` per record, `package_create` in process | {b['records']:,} | {b['seconds']:.1f} "
            f"| {b['records_per_second']:.1f} | {mb(b['ru_maxrss_bytes'])} MB |"
        )
        other = b.get("one_solr_commit")
        if other:
            lines.append(
                f"| (b′) as (b), {other['records']:,} more records, one Solr commit at the end | "
                f"{other['records']:,} | {other['seconds']:.1f} | {other['records_per_second']:.1f} | |"
            )
        lines += [
            "",
            f"Ratio (a)/(b): **{result['ratio_valid_records']:,.0f}×** (valid records loaded per second against "
            f"datasets created per second; {result['ratio_rows']:,.0f}× counting every row read). Target of the "
            f"issue: ≥ {result['target_records_per_second']:,} records/s end to end — "
            + (
                "met."
                if a["valid_records_per_second"] >= result["target_records_per_second"]
                else "**not met**."
            ),
            "",
            "(b) creates each record as a dataset of CKAN's stock `dataset` type (no schema of ours) with the "
            f"record's non-empty fields as extras ({b['extras_per_dataset']:.0f} on average) and a title and notes made from it: the generic "
            "way to publish records without the harvester. It is the cheapest dataset type there is (no field "
            "validators of ours, no DataStore table) and it checks nothing in the record (bad records become "
            "datasets too), so the comparison favours (b). Each `package_create` commits the database and indexes "
            "the dataset in Solr with a Solr commit (`ckan.search.solr_commit = true`, CKAN's default and ours), "
            "as an API client creating datasets one by one gets; (b′) indexes without committing and commits Solr "
            "once at the end, the best case of (b). Not timed: one dataset created first (the first "
            "`package_create` of a process loads what the others reuse).",
        ]
    lines += [
        "",
        f"Job (a): status {a['status']}, {a['objects']} harvest objects (one per chunk, {a['objects_complete']} "
        f"complete), {a['object_errors']:,} object errors (one per bad row: {a['expected']['bad']:,} bad rows), "
        f"{a['gather_errors']} gather errors. The publication's audit copy holds {a.get('audit_rows', 0):,} rows "
        f"and its public DataStore table {a.get('public_rows', 0):,} (expected: {a['expected']['valid']:,} valid "
        f"records, all within their publicity period). Gather (reading the file, one object per chunk): "
        f"{a['gather_seconds']:.1f} s; imports (sum over the objects): {a['import_seconds']:.1f} s; the rest "
        "(queues, object bookkeeping, `harvest_jobs_run`): "
        f"{a['seconds'] - a['gather_seconds'] - a['import_seconds']:.1f} s. The chunks' JSON in the harvest "
        f"objects: {a['object_content_bytes'] / 1e6:.0f} MB.",
        "",
        "## Memory",
        "",
        "Peak RSS of the subprocess that ran the job, sampled every 0.2 s during the job (`/proc/self/statm`); "
        "`ru_maxrss` is the high-water mark of the whole subprocess (CKAN loaded, set-up, job). The CSV file is "
        "generated by the parent process, not by the one measured.",
        "",
        "| Records | File | Seconds | Records/s | RSS before the job | Peak RSS, gather | Peak RSS, import "
        "| Peak RSS | ru_maxrss |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in result["memory"]:
        phases = row["phase_peak_bytes"]
        lines.append(
            f"| {row['records']:,} | {row['file_bytes'] / 1e6:.0f} MB | {row['seconds']:.1f} "
            f"| {row['records_per_second']:,.0f} | {mb(row['rss_before_job_bytes'])} MB "
            f"| {mb(phases.get('gather', 0))} MB | {mb(phases.get('import', 0))} MB "
            f"| {mb(row['peak_rss_bytes'])} MB | {mb(row['ru_maxrss_bytes'])} MB |"
        )
    lines += ["", *split_lines(a)]
    profile = result.get("profile")
    if profile:
        lines += ["### cProfile of one gather and one import", ""]
        for stage, title in (
            (
                "gather",
                f"Gather of {profile['rows']:,} rows ({profile['rows'] // profile['chunk_size']} chunks)",
            ),
            ("import", f"Import of one chunk of {profile['chunk_size']:,} rows (the second)"),
        ):
            data = profile[stage]
            lines += [
                f"{title}, under cProfile (slower than without it): {data['total_seconds']:.2f} s.",
                "",
                "| Part | Seconds | Share |",
                "| --- | ---: | ---: |",
            ]
            lines += [f"| {g['what']} | {g['seconds']:.3f} | {g['share']:.0%} |" for g in data["groups"]]
            lines.append("")
        lines.pop()
    lines += [
        "",
        f"Load average at the end: {', '.join(str(x) for x in m['load_average'])}. Timings move with the machine's "
        "load; compare runs by the ratio.",
    ]
    if result.get("database_left_as_it_was") is not None:
        lines += [
            "",
            "Clean-up: every table of both bench databases has the same number of rows as before the run."
            if result["database_left_as_it_was"]
            else f"Clean-up: tables differ from before the run: {result['database_differences']}",
        ]
    if result.get("note"):
        lines += ["", result["note"]]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
