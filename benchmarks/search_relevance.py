#!/usr/bin/env python3
"""Search relevance in Chinese: P@10 and nDCG@10 of our analysis against CKAN's stock schema, same corpus.

1. Starts two Solr nodes of its own on free ports (benchmarks/relevance/nodes.py): ``hlj``, the configset the
   platform runs (solr/build_configset.py), and ``stock``, CKAN 2.12's own schema.xml. Same solrconfig.xml.
2. Loads CKAN in process from ``--ini`` and creates the labelled corpus (benchmarks/relevance/corpus.py: the real
   public bodies as organisations, 151 records of six dataset types) through ``organization_create`` and
   ``package_create`` — our schemas validate every record — unless the database already holds them.
3. Indexes the records with CKAN's rebuild code (``ckan search-index rebuild``'s) into each node. For the stock
   node our plugin's ``before_dataset_index`` is switched off, as it would be without ckanext-hlj: it only adds
   ``hlj_*`` fields, which CKAN's schema has no place for.
4. Runs every query of tests/data/relevance/queries.yaml through ``package_search`` in process, anonymously, as an
   API client sends it (``q`` only; no folding), once with CKAN pointed at each node:
   - ours: ``ckanext.hlj.search.query_fields`` as configured (default
     ``name^4 title^4 title_zh^4 tags^2 groups^2 text text_zh``);
   - stock: ``ckanext.hlj.search.query_fields`` set to CKAN's own default qf (``name^4 title^4 tags^2 groups^2
     text``), so the Solr request is exactly the one CKAN sends without our plugin (checked: the qf of the
     request pysolr sends is recorded in the results).
5. Scores P@10 and nDCG@10 (graded, linear gains) per query, per class and overall; writes
   benchmarks/results/search-relevance.md and .json and prints the table.

    .venv/bin/python benchmarks/search_relevance.py --ini CKAN_INI
    bash scripts/bench-run.sh benchmarks/search_relevance.py      # in the bench environment

With ``--solr-url`` (as scripts/bench-run.sh passes it) that node is used as ``hlj`` instead of starting one; it must
run this checkout's configset. Takes 2–4 minutes on two busy CPUs (creating the records and the Solr start-ups).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from relevance import corpus, nodes, stack  # noqa: E402

ROOT = HERE.parent
RUNTIME = ROOT / ".runtime" / "search-relevance"
CLASSES = ("word", "mixed", "docno", "code", "uscc", "department")


def load_ckan(ini: str) -> Any:
    from ckan.cli import load_config  # noqa: PLC0415
    from ckan.config.middleware import make_app  # noqa: PLC0415

    return make_app(load_config(ini))._wsgi_app


@contextlib.contextmanager
def without_our_index_fields():
    """CKAN's indexing as it runs without ckanext-hlj: our before_dataset_index (the hlj_* facet, deadline and
    fold fields) switched off for the duration."""
    from ckanext.hlj.plugin import HljPlugin  # noqa: PLC0415

    original = HljPlugin.before_dataset_index
    HljPlugin.before_dataset_index = lambda self, pkg_dict: pkg_dict
    try:
        yield
    finally:
        HljPlugin.before_dataset_index = original


@contextlib.contextmanager
def solr_and_qf(url: str, qf: str | None):
    """Point CKAN at another Solr core and, when given, another default qf (restored afterwards)."""
    import ckan.plugins.toolkit as tk  # noqa: PLC0415

    saved = tk.config["solr_url"], tk.config.get(stack.QF_OPTION)
    tk.config["solr_url"] = url
    if qf is not None:
        tk.config[stack.QF_OPTION] = qf
    try:
        yield
    finally:
        tk.config["solr_url"], tk.config[stack.QF_OPTION] = saved


def sent_qf(q: str) -> str:
    """The qf of the Solr request package_search actually makes for ``q`` (recorded from pysolr)."""
    import pysolr  # noqa: PLC0415

    seen: list[dict[str, Any]] = []
    original = pysolr.Solr.search

    def recording(self: Any, q: str, search_handler: Any = None, **kwargs: Any) -> Any:
        seen.append(kwargs)
        return original(self, q, search_handler=search_handler, **kwargs)

    pysolr.Solr.search = recording
    try:
        stack.search(q)
    finally:
        pysolr.Solr.search = original
    return seen[0].get("qf", "")


@contextlib.contextmanager
def with_organisation_names():
    """What-if (not deployed): our before_dataset_index also writing the publishing organisation's title, former
    names and USCC into the record, as ``extras_hlj_org`` (CKAN copies every ``extras_*`` into ``text``, our
    schema into ``text_zh``). Today a record is found by its department's name only where it writes the name."""
    from ckan import model  # noqa: PLC0415

    from ckanext.hlj.plugin import HljPlugin  # noqa: PLC0415

    original = HljPlugin.before_dataset_index

    def patched(self: Any, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        pkg_dict = original(self, pkg_dict)
        group = model.Group.get(pkg_dict.get("owner_org") or "")
        if group is not None:
            former = json.loads(group.extras.get("former_names") or "[]")
            pkg_dict["extras_hlj_org"] = " ".join([group.title, *former, group.extras.get("uscc", "")])
        return pkg_dict

    HljPlugin.before_dataset_index = patched
    try:
        yield
    finally:
        HljPlugin.before_dataset_index = original


def index_into(url: str, ids: list[str], *, stock: bool, org_names: bool = False) -> float:
    from ckan.lib import search  # noqa: PLC0415

    started = time.perf_counter()
    hooks = without_our_index_fields() if stock else with_organisation_names() if org_names else None
    with solr_and_qf(url, None), hooks or contextlib.nullcontext():
        search.clear_all()
        stack.index_packages(ids)
        stack.wait_for_count(len(ids))
    return round(time.perf_counter() - started, 1)


def evaluate(url: str, qf: str | None, queries: list[stack.Query]) -> tuple[stack.Scores, str]:
    with solr_and_qf(url, qf):
        return stack.evaluate(queries), sent_qf(queries[0].q)


# ------------------------------------------------------------------------------------------------- report


def pct(value: float) -> str:
    return f"{100 * value:.1f}"


def markdown(result: dict[str, Any]) -> str:
    ours, stock = result["summary"]["ours"], result["summary"]["stock"]
    what_if = result["summary"]["what_if_org_names"]

    lines = [
        "# Search relevance in Chinese: our analysis against CKAN's stock schema",
        "",
        f"Written by `benchmarks/search_relevance.py` on {result['date']} (do not edit by hand; rerun it). "
        f"Corpus: benchmarks/relevance/corpus.py, {result['records']} records of six dataset types "
        f"({', '.join(f'{n} {t}' for t, n in result['types'].items())}) in {result['organisations']} "
        "organisations (the real departments and cities), created through package_create and indexed with CKAN's "
        f"rebuild code. Queries: tests/data/relevance/queries.yaml, {result['queries']} queries with graded "
        f"labels ({result['known_gaps']} marked known_gap).",
        "",
        "- **ours**: Solr with the platform's configset (solr/build_configset.py), package_search with our qf "
        f"`{result['qf']['ours']}`.",
        "- **stock**: Solr with CKAN 2.12's own schema.xml, the same records indexed by CKAN's code without our "
        "plugin's index hook, package_search with CKAN's default qf "
        f"`{result['qf']['stock']}` (ckanext.hlj.search.query_fields set to it: the request is the one CKAN "
        "sends without ckanext-hlj).",
        "- Both: anonymous package_search in process, `q` only (an API client's search: no folding), first 10 "
        "results. P@10 = relevant (grade ≥ 1) among the first 10 / 10; *ideal P@10* = what a perfect ranking "
        "would score (min(relevant, 10) / 10): most queries have fewer than 10 relevant records. nDCG@10 with "
        "the grade as gain and log2 discounts, the ideal being every labelled record by grade. *top@10* = "
        "queries whose highest-graded record is among the first 10; *empty* = queries with no result at all.",
        "",
        "## By class",
        "",
        "| class (queries) | P@10 ours | P@10 stock | ideal P@10 | nDCG@10 ours | nDCG@10 stock | top@10 ours "
        "| top@10 stock | empty ours | empty stock |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for cls in [*CLASSES, "all"]:
        o, s = ours.get(cls), stock.get(cls)
        if not o:
            continue
        name = "**all**" if cls == "all" else cls
        lines.append(
            f"| {name} ({o['queries']}) | {pct(o['p10'])} | {pct(s['p10'])} | {pct(o['ideal_p10'])} "
            f"| **{pct(o['ndcg10'])}** | {pct(s['ndcg10'])} | {o['top_found']}/{o['queries']} "
            f"| {s['top_found']}/{s['queries']} | {o['no_result']} | {s['no_result']} |"
        )
    gapless = result["summary"]["without_known_gaps"]
    lines += [
        "",
        f"Without the {result['known_gaps']} known-gap queries: nDCG@10 ours {pct(gapless['ours']['ndcg10'])}, "
        f"stock {pct(gapless['stock']['ndcg10'])}; top@10 ours {gapless['ours']['top_found']}/"
        f"{gapless['ours']['queries']}, stock {gapless['stock']['top_found']}/{gapless['stock']['queries']}.",
        "",
        "## What-if: the organisation's names indexed with its records (not deployed)",
        "",
        "The department class is weak because a record carries its organisation only as the slug (`organization`)"
        ": a record is found by its department's name only where its own text writes the name. Measured here, "
        "same run: our before_dataset_index also writing the organisation's title, former names and USCC into "
        "each record (`extras_hlj_org`, into `text` and `text_zh`). It needs a change to ckanext-hlj/plugin.py, "
        "which this benchmark does not make.",
        "",
        "| class (queries) | nDCG@10 ours | nDCG@10 what-if | P@10 ours | P@10 what-if | top@10 ours | top@10 what-if |",
        "|---|--:|--:|--:|--:|--:|--:|",
        *[
            f"| {cls} ({ours[cls]['queries']}) | {pct(ours[cls]['ndcg10'])} | {pct(what_if[cls]['ndcg10'])} "
            f"| {pct(ours[cls]['p10'])} | {pct(what_if[cls]['p10'])} | {ours[cls]['top_found']} "
            f"| {what_if[cls]['top_found']} |"
            for cls in [*CLASSES, "all"]
            if cls in ours
        ],
        "",
        "## Per query",
        "",
        "| query | class | hits ours | hits stock | P@10 ours | P@10 stock | nDCG@10 ours | nDCG@10 stock |",
        "|---|---|--:|--:|--:|--:|--:|--:|",
    ]
    stock_rows = {r["q"]: r for r in result["per_query"]["stock"]}
    for r in result["per_query"]["ours"]:
        s = stock_rows[r["q"]]
        gap = " (known gap)" if r["known_gap"] else ""
        lines.append(
            f"| `{r['q']}`{gap} | {r['class']} | {r['count']} | {s['count']} | {pct(r['p10'])} | {pct(s['p10'])} "
            f"| {pct(r['ndcg10'])} | {pct(s['ndcg10'])} |"
        )
    lines += ["", "## Where ours falls short", ""]
    for r in result["per_query"]["ours"]:
        notes = []
        if r["missed_top"]:
            notes.append(f"top-graded not in the first 10: {', '.join(r['missed_top'])}")
        if r["wrong_in_top10"] and r["ndcg10"] < 0.9:
            notes.append(f"not relevant in the first 10: {', '.join(r['wrong_in_top10'])}")
        if notes and r["ndcg10"] < 0.9:
            lines.append(f"- `{r['q']}` (nDCG@10 {pct(r['ndcg10'])}): " + "; ".join(notes))
    lines += ["", *result.get("discussion", []), ""]
    return "\n".join(lines)


def summarise(scores: stack.Scores, queries: list[stack.Query]) -> tuple[dict, list[dict], dict]:
    gaps = {q.q for q in queries if q.known_gap}
    rows = [{**r, "known_gap": r["q"] in gaps} for r in scores.per_query]
    return scores.by_class(), rows, stack.summary([r for r in rows if not r["known_gap"]])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ini", required=True, help="CKAN config (its database receives the corpus)")
    parser.add_argument("--solr-url", help="a running Solr core with this checkout's configset, used as ours")
    parser.add_argument("--drop-root", help="unused (scripts/bench-run.sh passes it to every benchmark)")
    parser.add_argument("--out-dir", type=Path, default=HERE / "results")
    args = parser.parse_args(argv)

    queries = stack.load_queries()
    records = corpus.records()
    started = time.perf_counter()
    with contextlib.ExitStack() as stack_:
        urls = {}
        for kind in nodes.KINDS:
            if kind == "hlj" and args.solr_url:
                urls[kind] = args.solr_url.rstrip("/")
                continue
            node, _, _ = nodes.node(kind, RUNTIME / kind, fresh=True)
            urls[kind] = stack_.enter_context(node).url
            print(f"solr {kind}: {urls[kind]}", file=sys.stderr)
        os.environ["CKAN_SOLR_URL"] = urls["hlj"]  # CKAN's environment override wins over the ini's solr_url
        app = load_ckan(args.ini)

        with app.test_request_context():
            user = stack.site_user()
            with solr_and_qf(urls["hlj"], None):
                stack.ensure_organizations(corpus.organizations(), user)
                ids = list(stack.create_records(records, user).values())
            load_s = round(time.perf_counter() - started, 1)
            index_s = {
                "ours": index_into(urls["hlj"], ids, stock=False),
                "stock": index_into(urls["stock"], ids, stock=True),
            }
            ours, ours_qf = evaluate(urls["hlj"], None, queries)
            stock, stock_qf = evaluate(urls["stock"], stack.CKAN_DEFAULT_QF, queries)
            index_s["what-if"] = index_into(urls["hlj"], ids, stock=False, org_names=True)
            what_if, _ = evaluate(urls["hlj"], None, queries)
    if stock_qf != stack.CKAN_DEFAULT_QF:
        raise SystemExit(f"the stock run sent qf {stock_qf!r}, not CKAN's default")

    ours_cls, ours_rows, ours_gapless = summarise(ours, queries)
    stock_cls, stock_rows, stock_gapless = summarise(stock, queries)
    what_if_cls, what_if_rows, what_if_gapless = summarise(what_if, queries)
    types: dict[str, int] = {}
    for r in records:
        types[r["type"]] = types.get(r["type"], 0) + 1
    result = {
        "benchmark": "search-relevance",
        "date": dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds"),
        "records": len(records),
        "types": types,
        "organisations": len(corpus.organizations()),
        "queries": len(queries),
        "known_gaps": sum(q.known_gap for q in queries),
        "qf": {"ours": ours_qf, "stock": stock_qf},
        "load_s": load_s,
        "index_s": index_s,
        "run_s": round(time.perf_counter() - started, 1),
        "summary": {
            "ours": ours_cls,
            "stock": stock_cls,
            "what_if_org_names": what_if_cls,
            "without_known_gaps": {"ours": ours_gapless, "stock": stock_gapless, "what_if": what_if_gapless},
        },
        "per_query": {"ours": ours_rows, "stock": stock_rows, "what_if_org_names": what_if_rows},
    }
    discussion = HERE / "relevance" / "discussion.md"
    if discussion.exists():
        result["discussion"] = discussion.read_text(encoding="utf-8").splitlines()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / "search-relevance.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    )
    text = markdown(result)
    (args.out_dir / "search-relevance.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
