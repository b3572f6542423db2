#!/usr/bin/env python3
"""Timeliness report (issue 5): 10⁶ 双公示 rows and 10⁵ policy documents, our path vs a Python loop.

1. Loads CKAN in process from ``--ini`` (the bench environment; needs the DataStore) and creates an organisation
   and a penalty credit publication (its audit table and public DataStore table) through our actions.
2. Writes ``--rows`` (default 10⁶) generated records straight into the publication's audit table with one COPY:
   decision dates over 2023–2026, first seen 0–14 calendar days later (so some are on time, some late). Not timed.
3. Indexes ``--datasets`` (default 10⁵) policy documents straight into Solr as CKAN would index them (the
   ``hlj_deadline_*`` fields our ``before_dataset_index`` adds, computed by the same code), spread over 40
   organisations. Not timed (the benchmark measures the report, not loading).
4. Times (a) ``ckanext.hlj.deadline.report.credit_counts`` — one SQL statement joining the audit table twice to
   the calendar table — against (b) reading the same rows and calling ``catalogue.deadlines.status`` for each in a
   Python loop; and (c) ``report.dataset_counts`` — one Solr facet query per state — against (d) computing every
   document's status in a Python loop over the same records (in memory: (d) does not even pay for reading them).
   Checks that both paths give the same counts, prints the ratios, writes ``benchmarks/results/deadline-report.json``
   and ``.md``, and removes what it made (unless ``--keep``).

    bash scripts/bench-run.sh benchmarks/deadline_report.py [--rows 1000000] [--datasets 100000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import platform
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
ORG = "bench-deadline-org"
PUBLICATION = "bench-deadline-xzcf"
DOC_ORGS = 40


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--ini", required=True)
    parser.add_argument("--solr-url", help="Solr core URL (overrides the ini's solr_url)")
    parser.add_argument("--drop-root", help="unused (scripts/bench-run.sh passes it to every benchmark)")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--datasets", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="timed repetitions of each path (best is kept)")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--results", default=str(RESULTS))
    return parser.parse_args()


def load_ckan(ini: str) -> Any:
    from ckan.cli import load_config  # noqa: PLC0415
    from ckan.config.middleware import make_app  # noqa: PLC0415

    return make_app(load_config(ini))._wsgi_app


def best(repeat: int, fn: Any) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), result


# --- data ------------------------------------------------------------------------------------------------------


def make_publication() -> tuple[dict[str, Any], Any]:
    import ckan.plugins.toolkit as tk  # noqa: PLC0415

    from ckanext.hlj.credit import tables  # noqa: PLC0415

    site = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]

    def context() -> dict[str, Any]:  # a fresh one per call: CKAN keeps its auth bookkeeping in it
        return {"user": site, "ignore_auth": True}

    try:
        org = tk.get_action("organization_show")(context(), {"id": ORG})
    except tk.ObjectNotFound:
        org = tk.get_action("organization_create")(
            context(),
            {
                "name": ORG,
                "title": "基准测试机构（时效）",
                "org_kind": "department",
                "admin_level": "province",
                "region_code": "230000",
                "review_required": False,
            },
        )
    try:
        package = tk.get_action("package_show")(context(), {"id": PUBLICATION})
    except tk.ObjectNotFound:
        package = tk.get_action("hlj_credit_publication_create")(
            context(),
            {
                "name": PUBLICATION,
                "title": "基准测试行政处罚公示",
                "owner_org": org["id"],
                "credit_kind": "penalty",
            },
        )
    return org, tables.get_publication(package["id"])


def fill_rows(pub: Any, rows: int) -> None:
    from ckanext.datastore.backend.postgres import get_write_engine  # noqa: PLC0415

    rng = random.Random(7)
    first = dt.date(2023, 1, 1)
    span = (dt.date(2026, 10, 31) - first).days
    buffer = io.StringIO()
    for n in range(rows):
        decided = first + dt.timedelta(days=rng.randrange(span))
        seen = dt.datetime.combine(decided + dt.timedelta(days=rng.randrange(15)), dt.time(10)).isoformat()
        code = f"9123{n:014d}"
        buffer.write(
            f"黑基准罚〔{decided.year}〕{n}号\t{code}\t{code}\t{decided}\t{seen}+08\t{seen}+08\t{seen}+08\n"
        )
    buffer.seek(0)
    engine = get_write_engine()
    with engine.begin() as conn:
        conn.exec_driver_sql(f"TRUNCATE {pub.audit_table}")
        with conn.connection.dbapi_connection.cursor() as cur:
            cur.copy_expert(
                f'COPY {pub.audit_table} ("CF_WSH", party_code, public_party_code, "CF_JDRQ", source_updated_at, '
                "first_seen_at, last_changed_at) FROM STDIN",
                buffer,
            )


def documents(count: int) -> list[dict[str, Any]]:
    rng = random.Random(11)
    first = dt.date(2023, 1, 1)
    docs = []
    for n in range(count):
        written = first + dt.timedelta(days=rng.randrange(1400))
        lag = rng.choice([None, *range(5, 45)])
        published = (
            dt.datetime.combine(written + dt.timedelta(days=lag), dt.time(9)).isoformat() + "+08:00"
            if lag
            else None
        )
        docs.append(
            {
                "id": f"bench-deadline-doc-{n:06d}",
                "name": f"bench-deadline-doc-{n:06d}",
                "type": "policy",
                "policy_role": "document",
                "is_reprint": False,
                "owner_org": f"bench-deadline-owner-{n % DOC_ORGS:02d}",
                "written_date": written.isoformat(),
                "source_published_at": published,
            }
        )
    return docs


def index_documents(docs: list[dict[str, Any]], now: dt.datetime) -> None:
    import ckan.plugins.toolkit as tk  # noqa: PLC0415
    from ckan.lib.search.common import make_connection  # noqa: PLC0415

    from ckanext.hlj.deadline.status import index_fields  # noqa: PLC0415

    site_id = tk.config.get("ckan.site_id")
    solr = make_connection()
    batch = []
    for doc in docs:
        fields = index_fields(dict(doc), now)
        batch.append(
            {
                "id": doc["id"],
                "index_id": f"bench-{doc['id']}",
                "site_id": site_id,
                "entity_type": "package",
                "dataset_type": "policy",
                "state": "active",
                "name": doc["name"],
                "title": doc["name"],
                "owner_org": doc["owner_org"],
                "permission_labels": ["public"],
                "capacity": "public",
                "metadata_modified": "2026-11-01T00:00:00Z",
                **{k: v for k, v in fields.items() if k.startswith("hlj_deadline_")},
            }
        )
        if len(batch) == 5000:
            solr.add(batch, commit=False)
            batch = []
    if batch:
        solr.add(batch, commit=False)
    solr.commit()


# --- the two ways --------------------------------------------------------------------------------------------------


def python_credit_counts(pub: Any) -> dict[str, int]:
    """Read every row and compute its state one by one (the baseline)."""
    from ckanext.datastore.backend.postgres import get_write_engine  # noqa: PLC0415

    from ckanext.hlj.catalogue import deadlines  # noqa: PLC0415

    counts: Counter = Counter()
    engine = get_write_engine()
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=20000).exec_driver_sql(
            'SELECT "CF_JDRQ", (LEAST(COALESCE(source_updated_at, first_seen_at), first_seen_at) '
            f"AT TIME ZONE 'Asia/Shanghai')::date FROM {pub.audit_table}"
        )
        for decided, published in result:
            counts[deadlines.status(decided, published, rule="decision_publication_7wd").state] += 1
    return dict(counts)


def python_dataset_counts(docs: list[dict[str, Any]], now: dt.datetime) -> dict[str, int]:
    from ckanext.hlj.deadline.status import dataset_status  # noqa: PLC0415

    counts: Counter = Counter()
    for doc in docs:
        status = dataset_status(doc, now)
        if status:
            counts[status["state"]] += 1
    return dict(counts)


def main() -> None:
    args = parse_args()
    if args.solr_url:
        import os  # noqa: PLC0415

        os.environ["CKAN_SOLR_URL"] = args.solr_url
    app = load_ckan(args.ini)
    with app.test_request_context():
        import ckan.plugins.toolkit as tk  # noqa: PLC0415

        from ckanext.hlj.deadline import report  # noqa: PLC0415

        org, pub = make_publication()
        print(f"writing {args.rows:,} rows into {pub.audit_table} …", flush=True)
        fill_rows(pub, args.rows)
        now = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
        docs = documents(args.datasets)
        print(f"indexing {args.datasets:,} policy documents …", flush=True)
        index_documents(docs, now)

        sql_seconds, sql_counts = best(
            args.repeat, lambda: report.credit_counts(org["id"], None, None)[0][org["id"]]
        )
        print(f"(a) SQL over {args.rows:,} rows: {sql_seconds:.3f} s", flush=True)
        loop_seconds, loop_counts = best(1, lambda: python_credit_counts(pub))
        print(f"(b) Python loop over {args.rows:,} rows: {loop_seconds:.1f} s", flush=True)
        sql_kept = {k: v for k, v in sql_counts.items() if v}
        assert sql_kept == loop_counts, (sql_kept, loop_counts)

        site = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        context = {"user": site}

        def solr_path() -> dict[str, int]:
            by_org, _ = report.dataset_counts(context, report.POLICY_RULE, None, None, None)
            totals: Counter = Counter()
            for org_id, counts in by_org.items():
                if org_id.startswith("bench-deadline-owner-"):
                    totals.update(counts)
            return {k: v for k, v in totals.items() if v}

        solr_seconds, solr_counts = best(args.repeat, solr_path)
        print(f"(c) Solr facets over {args.datasets:,} documents: {solr_seconds:.3f} s", flush=True)
        docs_seconds, docs_counts = best(1, lambda: python_dataset_counts(docs, now))
        print(f"(d) Python loop over {args.datasets:,} documents: {docs_seconds:.1f} s", flush=True)
        # The index was computed at `now`; the Solr path reads those statuses, the loop recomputes them at `now`.
        assert solr_counts == docs_counts, (solr_counts, docs_counts)

        results = {
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "machine": {"cpus": __import__("os").cpu_count(), "python": platform.python_version()},
            "credit_rows": args.rows,
            "datasets": args.datasets,
            "credit": {
                "sql_seconds": round(sql_seconds, 3),
                "python_seconds": round(loop_seconds, 2),
                "ratio": round(loop_seconds / sql_seconds, 1),
                "counts": loop_counts,
            },
            "datasets_report": {
                "solr_seconds": round(solr_seconds, 3),
                "python_seconds": round(docs_seconds, 2),
                "ratio": round(docs_seconds / solr_seconds, 1),
                "counts": docs_counts,
            },
        }
        out = Path(args.results)
        out.mkdir(parents=True, exist_ok=True)
        (out / "deadline-report.json").write_text(
            json.dumps(results, ensure_ascii=False, indent=2) + "\n", "utf-8"
        )
        (out / "deadline-report.md").write_text(markdown(results), "utf-8")
        print(markdown(results))
        if not args.keep:
            cleanup()


def markdown(r: dict[str, Any]) -> str:
    c, d = r["credit"], r["datasets_report"]
    return f"""# Timeliness report: our path vs a Python loop

{r["date"]}, {r["machine"]["cpus"]} CPUs, Python {r["machine"]["python"]}. Produced by `benchmarks/deadline_report.py`
(`bash scripts/bench-run.sh benchmarks/deadline_report.py`). Best of the timed repetitions for our paths, one run for the loops.

| Report | Records | Our path | Seconds | Python loop, seconds | Ratio |
| --- | ---: | --- | ---: | ---: | ---: |
| 双公示 rows, 7 working days | {r["credit_rows"]:,} | one SQL statement joined to `_hlj_workday` | **{c["sql_seconds"]}** | {c["python_seconds"]} | {c["ratio"]}× |
| policy documents, 20 working days | {r["datasets"]:,} | Solr facets on the indexed statuses | **{d["solr_seconds"]}** | {d["python_seconds"]} | {d["ratio"]}× |

Counts (identical on both paths): rows {c["counts"]}; documents {d["counts"]}. Target of the issue: < 2 s for the
SQL path over 10⁶ rows. The document loop computes statuses from records already in memory, so it does not even pay
for reading them from the database; the SQL loop reads the rows with a streaming cursor.
"""


def cleanup() -> None:
    import ckan.plugins.toolkit as tk  # noqa: PLC0415
    from ckan.lib.search.common import make_connection  # noqa: PLC0415

    solr = make_connection()
    solr.delete(q="id:bench-deadline-doc-*", commit=True)
    context = {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"], "ignore_auth": True}
    for name in (PUBLICATION,):
        try:
            tk.get_action("dataset_purge")(context, {"id": name})
        except tk.ObjectNotFound:
            pass
    try:
        tk.get_action("organization_purge")(context, {"id": ORG})
    except tk.ObjectNotFound:
        pass


if __name__ == "__main__":
    sys.exit(main())
