#!/usr/bin/env python3
"""package_search at 100,000 datasets: latency for one client, and CKAN's overhead over Solr, ours against stock.

1. Two Solr nodes of its own (benchmarks/relevance/nodes.py): ``hlj`` with the platform's configset, ``stock``
   with CKAN 2.12's own schema.xml; same solrconfig.xml. Their homes are kept in .runtime/search-scale/ so the
   index is built once and reused by later runs (``--fresh`` rebuilds it; a changed configset, generator or
   database rebuilds it too).
2. The corpus, loaded once (not timed): the 151 records of the relevance corpus (benchmarks/relevance/corpus.py)
   and one variant of each (benchmarks/relevance/scale.py) are created through package_create, so our schemas
   validate both and they are real rows of the database; the remaining variants up to ``--datasets`` are built
   with CKAN's indexing code — ``PackageSearchIndex.index_package`` with every plugin's ``before_dataset_index``,
   given the package dicts of the variant's template (``package_show`` with the default and the custom schema, as
   ``ckan search-index rebuild`` does) with the variant's fields put in — and posted to Solr in batches through
   pysolr, as CKAN posts them. Before posting, the run checks that this gives exactly the document CKAN's rebuild
   makes for the variants created for real (only ids and timestamps differ) and stops otherwise. Permission
   labels, which CKAN reads from the database row, are the template's (a public record of the same
   organisation). The stock node gets the documents of CKAN's indexing without our plugin's
   ``before_dataset_index`` (the run checks this is the hlj document minus its ``hlj_*`` fields).
3. The measurement, one subprocess per configuration, each loading CKAN from the ini and calling the
   ``package_search`` action in process, single client, as the dataset search page calls it (anonymous,
   ``for_view``, rows 20, the page's facet fields, ``include_private``, the type filter on a type's page):
   - ``ours``: all the platform's plugins, the hlj node, folding on (what /policy, /dataset … do);
   - ``ours-api``: the same without folding (an API client; what the stock comparison is closest to);
   - ``stock``: CKAN 2.12 with ``ckan.plugins = activity`` (no ckanext-hlj, scheming or harvest), the stock node,
     CKAN's own facets and qf.
   For every query it records the exact parameters package_search hands to pysolr and sends the same request
   straight to Solr's /select (a new HTTP connection each time, as CKAN's pysolr client does), checking that count
   and ids agree. Warm-up rounds over all queries, then timed rounds alternating the two paths. Overhead = CKAN
   median − Solr median, per query. In ``ours`` the plugin's hooks are timed too, and one round is profiled.
4. Writes benchmarks/results/search-scale.md and .json.

    bash scripts/bench-run.sh benchmarks/search_scale.py [--datasets 100000]
    .venv/bin/python benchmarks/search_scale.py --ini CKAN_INI [--datasets 100000] [--repeat 20] [--fresh]

The first run spends about 15–30 minutes building the two indexes on two busy CPUs; later runs reuse them and
take a few minutes.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import cProfile
import datetime as dt
import hashlib
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from collections import OrderedDict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from relevance import corpus, nodes, scale, stack  # noqa: E402
from search_overhead import CpuMeter, http_get, in_workers, machine_info, percentile  # noqa: E402

ROOT = HERE.parent
RUNTIME = ROOT / ".runtime" / "search-scale"
BATCH = 1000
ROWS = 20
CONFIGS = ("ours", "ours-api", "stock")
STOCK_PLUGINS = "activity"

# (query, search page: a dataset type or "" for the all-types search). Words inside unspaced titles, mixed
# Chinese and Latin, 文号 in several bracket styles, service-item codes and USCCs, department names, multi-word
# queries, and the empty query (the search page opened without a query).
QUERIES: list[tuple[str, str]] = [
    ("", ""),
    ("行政许可", ""),
    ("行政处罚", ""),
    ("空气质量", ""),
    ("水库", ""),
    ("营商环境", ""),
    ("最低工资", ""),
    ("义务教育", ""),
    ("医疗机构", ""),
    ("食品经营许可", "service-item"),
    ("低保", ""),
    ("冰雪旅游", ""),
    ("政务公开", "policy"),
    ("高标准农田", ""),
    ("API接口", "open-data"),
    ("GDP增速", ""),
    ("PM2.5", ""),
    ("5G基站", ""),
    ("ETC", "open-data"),
    ("黑政办发〔2017〕10号", ""),
    ("黑政办发[2017]10号", "policy"),
    ("黑政办发（2017）10号", ""),
    ("国办发〔2016〕80号", "policy"),
    ("国务院令第711号", ""),
    ("000116010000", "service-item"),
    ("11230100020919006H1000116010000", ""),
    ("11230000014504613N", ""),
    ("黑龙江省生态环境厅", ""),
    ("市场监督管理局", ""),
    ("哈尔滨 空气质量", ""),
    ("2021年 行政许可", ""),
    ("双公示", "credit-publication"),
    ("征求意见稿", "consultation"),
    ("信息公开", "disclosure"),
]


# --------------------------------------------------------------------------------------------- CKAN in process


def load_ckan(ini: str) -> Any:
    from ckan.cli import load_config  # noqa: PLC0415
    from ckan.config.middleware import make_app  # noqa: PLC0415

    return make_app(load_config(ini))._wsgi_app


@contextlib.contextmanager
def collecting() -> Any:
    """pysolr's add collects the documents instead of sending them (CKAN's indexing code runs unchanged)."""
    import pysolr  # noqa: PLC0415

    docs: list[dict[str, Any]] = []
    original = pysolr.Solr.add

    def add(self: Any, docs_: Any = None, **kwargs: Any) -> None:
        docs.extend(kwargs.get("docs") or docs_)

    pysolr.Solr.add = add
    try:
        yield docs
    finally:
        pysolr.Solr.add = original


def package_dicts(package_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """What CKAN's rebuild indexes for a dataset: package_show with the default and with the custom schema."""
    from ckan import logic  # noqa: PLC0415

    return logic.package_show_default_and_custom_schemas({"ignore_auth": True}, package_id)


def index_doc(default: dict[str, Any], custom: dict[str, Any]) -> dict[str, Any]:
    """The Solr document CKAN's PackageSearchIndex.index_package makes of these dicts (every plugin's
    before_dataset_index included)."""
    from ckan.lib.search import index_for  # noqa: PLC0415

    with collecting() as docs:
        index_for("Package").index_package(dict(default, with_custom_schema=custom), defer_commit=True)
    return docs[0]


def rebuild_docs(ids: list[str]) -> list[dict[str, Any]]:
    """The documents ``ckan search-index rebuild`` makes of datasets in the database."""
    from ckan.lib import search  # noqa: PLC0415

    with collecting() as docs:
        search.rebuild(package_ids=ids, defer_commit=True, quiet=True)
    return docs


def clone(
    default: dict[str, Any], custom: dict[str, Any], fields: dict[str, Any], new_id: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The template's package dicts with the variant's fields put in, as package_show would return them for the
    variant. Every field a variant changes is plain text, stored as is in both forms; resources keep the template's
    count and attributes but get the variant's names, URLs and descriptions and ids of their own."""
    out = json.loads(json.dumps(default)), json.loads(json.dumps(custom))  # plain JSON: faster than deepcopy
    for d in out:
        d["id"] = new_id
        for n, res in enumerate(d.get("resources", [])):
            res.update(id=str(uuid.uuid5(scale.NAMESPACE, f"{new_id}/{n}")), package_id=new_id)
        for key, value in fields.items():
            if key == "resources":
                for res, new in zip(d["resources"], value, strict=True):
                    res.update(new)
            elif key in d or key in ("name", "title", "notes"):
                d[key] = value
        for extra in d.get("extras", []):
            if extra["key"] in fields:
                extra["value"] = fields[extra["key"]]
    missing = [k for k in fields if k not in out[1] and k != "resources"]
    if missing:
        raise SystemExit(f"variant fields {missing} are not fields of the template {default['name']}")
    return out


def without_hlj_fields(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if not k.startswith("hlj_")}


# -------------------------------------------------------------------------------------- building the indexes

# What differs between two indexings of the same record: ids (the check uses the real variant's own id, so these
# agree anyway) and creation times.
VOLATILE = {"index_id", "metadata_created", "metadata_modified", "_version_"}
VOLATILE_IN_DICTS = {"metadata_created", "metadata_modified", "created"}


def _scrub(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items() if k not in VOLATILE_IN_DICTS}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def comparable(doc: dict[str, Any]) -> dict[str, Any]:
    out = {
        k: v for k, v in doc.items() if k not in VOLATILE and k not in ("data_dict", "validated_data_dict")
    }
    for key in ("data_dict", "validated_data_dict"):
        data = json.loads(doc[key])
        for res in data.get("resources", []):
            res.pop("id")  # the database's uuid4 against the built document's uuid5
        # package_show lists extras in whatever order the database returns them.
        data["extras"] = sorted(data.get("extras", []), key=lambda e: e["key"])
        out[key] = _scrub(data)
    return out


def check_clones(templates: dict[int, tuple[dict, dict]], sample: dict[int, str]) -> int:
    """The document built from the template for each variant created for real equals CKAN's rebuild of it
    (the real variant's own id is used, so id-derived fields agree; timestamps and resource ids are ignored)."""
    real = {doc["id"]: doc for doc in rebuild_docs(list(sample.values()))}
    bad = []
    for i, package_id in sample.items():
        t = scale.template_of(i)
        default, custom = templates[t]
        built = index_doc(*clone(default, custom, scale.fields(scale.templates()[t], i), package_id))
        built["permission_labels"] = real[package_id]["permission_labels"]
        a, b = comparable(built), comparable(real[package_id])
        if a != b:
            diff = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
            bad.append(f"{scale.name(i)}: {diff}")
    if bad:
        raise SystemExit("documents built from templates differ from CKAN's own:\n  " + "\n  ".join(bad[:20]))
    return len(sample)


def post(url: str, docs: list[dict[str, Any]]) -> None:
    import pysolr  # noqa: PLC0415

    pysolr.Solr(url, timeout=300).add(docs, commit=False)


def solr_count(url: str) -> int:
    return json.loads(http_get(f"{url}/select?q=*:*&rows=0&wt=json"))["response"]["numFound"]


def clear(url: str) -> None:
    import pysolr  # noqa: PLC0415

    pysolr.Solr(url, timeout=300).delete(q="*:*", commit=True)


def commit(url: str) -> None:
    import pysolr  # noqa: PLC0415

    pysolr.Solr(url, timeout=600).commit(waitSearcher=True)


# What the forked workers of post_clones share with the parent (set before forking, read in the children).
_JOB: dict[str, Any] = {}


def post_clones(
    urls: dict[str, str],
    templates: dict[int, tuple[dict, dict]],
    labels: dict[int, list[str]],
    variants: range,
    workers: int,
) -> None:
    """Build the documents of these variants from their templates and post them to both nodes in batches, in
    forked worker processes (as CKAN's ``search-index rebuild-fast`` forks; search_overhead.in_workers)."""
    _JOB.update(urls=urls, templates=templates, labels=labels)
    in_workers(_post_chunk, list(variants), workers)


def _post_chunk(variants: list[int]) -> None:
    from ckan import model  # noqa: PLC0415

    urls, templates, labels = _JOB["urls"], _JOB["templates"], _JOB["labels"]
    started = time.perf_counter()
    batch: list[dict[str, Any]] = []
    for n, i in enumerate(variants, 1):
        t = scale.template_of(i)
        default, custom = templates[t]
        doc = index_doc(*clone(default, custom, scale.fields(scale.templates()[t], i), scale.package_id(i)))
        doc["permission_labels"] = labels[t]
        batch.append(doc)
        if len(batch) == BATCH or n == len(variants):
            post(urls["hlj"], batch)
            post(urls["stock"], [without_hlj_fields(d) for d in batch])
            batch = []
            model.Session.remove()  # the hooks' lookups must not pile up in one session
        if n % 10_000 == 0 or n == len(variants):
            rate = n / (time.perf_counter() - started)
            print(
                f"  {os.getpid()}: {n}/{len(variants)} documents built and posted ({rate:.0f}/s)",
                file=sys.stderr,
            )


def build_indexes(
    urls: dict[str, str], total: int, stamps: dict[str, Path], key: list[Any], workers: int
) -> dict[str, Any]:
    """Create the real records, check the template-built documents, post everything to both nodes — unless both
    nodes already hold the documents of this generator, size, site, configsets and records (``key`` plus the
    records' ids)."""
    user = stack.site_user()
    info: dict[str, Any] = {}
    started = time.perf_counter()
    stack.ensure_organizations(corpus.organizations(), user)
    corpus_ids = stack.create_records(corpus.records(), user)
    count_t = len(scale.templates())
    sample_ids = stack.create_records([scale.record(i) for i in range(count_t)], user)
    info["create_s"] = round(time.perf_counter() - started, 1)
    ids_by_name = {**corpus_ids, **sample_ids}
    template_ids = [corpus_ids[r["name"]] for r in scale.templates()]
    templates = {t: package_dicts(package_id) for t, package_id in enumerate(template_ids)}
    sample = {i: sample_ids[scale.name(i)] for i in range(count_t)}
    stamp = hashlib.sha256(json.dumps([*key, sorted(ids_by_name.values())]).encode()).hexdigest()[:16]
    if stamps and all(p.exists() and p.read_text().strip() == stamp for p in stamps.values()):
        if all(solr_count(u) == total for u in urls.values()):
            built = stamps["hlj"].with_suffix(".json")
            info.update(json.loads(built.read_text()) if built.exists() else {})
            info["reused"] = True
            return info
    info["reused"] = False

    started = time.perf_counter()
    info["checked_clones"] = check_clones(templates, sample)
    real_docs = rebuild_docs(list(ids_by_name.values()))
    with without_our_index_fields():
        real_stock = {d["id"]: d for d in rebuild_docs(list(ids_by_name.values()))}
    for doc in real_docs:
        if without_hlj_fields(doc) != real_stock[doc["id"]]:
            raise SystemExit(f"{doc['name']}: the stock document is not the hlj one without its hlj_* fields")
    info["check_s"] = round(time.perf_counter() - started, 1)

    started = time.perf_counter()
    for url in urls.values():
        clear(url)
    post(urls["hlj"], real_docs)
    post(urls["stock"], list(real_stock.values()))
    labels = {
        t: next(d for d in real_docs if d["id"] == template_ids[t])["permission_labels"] for t in templates
    }
    post_clones(urls, templates, labels, range(count_t, count_t + total - len(real_docs)), workers)
    for url in urls.values():
        commit(url)
    counts = {kind: solr_count(url) for kind, url in urls.items()}
    if any(c != total for c in counts.values()):
        raise SystemExit(f"the nodes hold {counts} documents, expected {total}")
    info["index_s"] = round(time.perf_counter() - started, 1)
    for path in stamps.values():
        path.write_text(stamp + "\n")
    stamps["hlj"].with_suffix(".json").write_text(json.dumps(info) + "\n")
    return info


@contextlib.contextmanager
def without_our_index_fields() -> Any:
    from ckanext.hlj.plugin import HljPlugin  # noqa: PLC0415

    original = HljPlugin.before_dataset_index
    HljPlugin.before_dataset_index = lambda self, pkg_dict: pkg_dict
    try:
        yield
    finally:
        HljPlugin.before_dataset_index = original


# ----------------------------------------------------------------------------------------------- measuring


def page_request(q: str, page_type: str, fold: bool) -> dict[str, Any]:
    """package_search's data_dict as the dataset search page (ckan/views/dataset.py search) builds it."""
    import ckan.lib.helpers as h  # noqa: PLC0415
    import ckan.plugins as p  # noqa: PLC0415
    import ckan.plugins.toolkit as tk  # noqa: PLC0415

    facets: dict[str, str] = OrderedDict((f, f) for f in h.facets())
    for plugin in p.PluginImplementations(p.IFacets):
        facets = plugin.dataset_facets(facets, page_type or "dataset")
    return {
        "q": q,
        "fq": f"+dataset_type:{page_type}" if page_type else "",
        "facet.field": list(facets),
        "rows": ROWS,
        "start": 0,
        "sort": None,
        "extras": {"ext_hlj_fold": "on"} if fold else {},
        "include_private": tk.config.get("ckan.search.default_include_private"),
    }


def call(data_dict: dict[str, Any]) -> dict[str, Any]:
    import ckan.plugins.toolkit as tk  # noqa: PLC0415

    context = {"user": "", "auth_user_obj": None, "for_view": True}
    return tk.get_action("package_search")(context, copy.deepcopy(data_dict))


def sent_params(data_dict: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The parameters package_search hands to pysolr for this request, and CKAN's result."""
    import pysolr  # noqa: PLC0415

    seen: list[dict[str, Any]] = []
    original = pysolr.Solr.search

    def recording(self: Any, q: str, search_handler: Any = None, **kwargs: Any) -> Any:
        seen.append({"q": q, **kwargs})
        return original(self, q, search_handler=search_handler, **kwargs)

    pysolr.Solr.search = recording
    try:
        result = call(data_dict)
    finally:
        pysolr.Solr.search = original
    if len(seen) != 1:
        raise SystemExit(f"package_search made {len(seen)} Solr requests, not one")
    return seen[0], result


class HookTimer:
    """Wall time spent in named functions, accumulated (wrapping the module attributes the plugin calls)."""

    def __init__(self) -> None:
        self.total: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self._restore: list[tuple[Any, str, Any]] = []

    def wrap(self, owner: Any, attr: str, label: str) -> None:
        original = getattr(owner, attr)

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.total[label] = self.total.get(label, 0.0) + time.perf_counter() - started
                self.calls[label] = self.calls.get(label, 0) + 1

        setattr(owner, attr, timed)
        self._restore.append((owner, attr, original))

    def reset(self) -> None:
        self.total.clear()
        self.calls.clear()

    def per_search_ms(self, searches: int) -> dict[str, float]:
        return {k: round(1000 * v / searches, 3) for k, v in self.total.items()}


def prepare(config: str, solr_url: str) -> list[dict[str, Any]]:
    """Each query's package_search request, the Solr request it makes (captured), checked to give the same
    answer when sent straight to Solr."""
    out = []
    for q, page in QUERIES:
        data_dict = page_request(q, page, fold=config == "ours")
        params, result = sent_params(data_dict)
        url = f"{solr_url}/select?" + urllib.parse.urlencode({**params, "wt": "json"}, doseq=True)
        body = json.loads(http_get(url))
        ids = [d["id"] for d in body["response"]["docs"][:ROWS]]
        if body["response"]["numFound"] != result["count"] or ids != [r["id"] for r in result["results"]]:
            raise SystemExit(f"{config} {q!r}: Solr and package_search disagree")
        out.append(
            {
                "q": q,
                "page": page,
                "data_dict": data_dict,
                "url": url,
                "params": params,
                "count": result["count"],
            }
        )
    return out


def hook_timer(config: str) -> HookTimer:
    import pysolr  # noqa: PLC0415

    timer = HookTimer()
    if config.startswith("ours"):
        from ckanext.hlj import facets, search  # noqa: PLC0415
        from ckanext.hlj.plugin import HljPlugin  # noqa: PLC0415
        from ckanext.hlj.reprint import fold  # noqa: PLC0415

        timer.wrap(HljPlugin, "before_dataset_search", "before_dataset_search (all)")
        timer.wrap(HljPlugin, "after_dataset_search", "after_dataset_search (all)")
        timer.wrap(search, "add_chinese_query_fields", "search.add_chinese_query_fields")
        timer.wrap(fold, "apply", "fold.apply")
        timer.wrap(facets, "label_items", "facets.label_items")
        timer.wrap(fold, "annotate", "fold.annotate")
    from ckan.lib.search import query  # noqa: PLC0415

    # CKAN core: every fq with local parameters ({!collapse …} of our folding) is checked against
    # ckan.search.solr_allowed_query_parsers with a pyparsing grammar built anew for each check.
    timer.wrap(query, "_get_local_query_parser", "CKAN's local-params check (query.py)")
    timer.wrap(pysolr.Solr, "search", "pysolr.Solr.search (Solr round trip, parsing)")
    return timer


def profile_round(requests_: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """cProfile of one round over all queries: the functions with most own time, per search."""
    profile = cProfile.Profile()
    profile.enable()
    for r in requests_:
        call(r["data_dict"])
    profile.disable()
    rows = [
        {
            "function": f"{Path(fn[0]).name}:{fn[1]} {fn[2]}",
            "cumulative_ms": round(1000 * ct / len(requests_), 3),
            "own_ms": round(1000 * tt / len(requests_), 3),
        }
        for fn, (_cc, _nc, tt, ct, _callers) in pstats.Stats(profile).stats.items()
    ]
    return sorted(rows, key=lambda row: -row["own_ms"])[:25]


def database_round(requests_: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The SQL statements one round of searches runs (an SQLAlchemy event listener): per statement, how many per
    search and their mean time."""
    from ckan import model  # noqa: PLC0415
    from sqlalchemy import event  # noqa: PLC0415

    seen: dict[str, list[float]] = {}
    starts: list[float] = []

    def before(*_args: Any) -> None:
        starts.append(time.perf_counter())

    def after(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        key = " ".join(statement.split())[:120]
        seen.setdefault(key, []).append((time.perf_counter() - starts.pop()) * 1000)

    engine = model.meta.engine
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        for r in requests_:
            call(r["data_dict"])
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    return sorted(
        (
            {
                "statement": key,
                "per_search": round(len(times) / len(requests_), 2),
                "mean_ms": round(statistics.mean(times), 3),
            }
            for key, times in seen.items()
        ),
        key=lambda row: -row["per_search"] * row["mean_ms"],
    )


def measure(config: str, solr_url: str, repeat: int, warmup: int) -> dict[str, Any]:
    """Run in a subprocess whose CKAN is the configuration's: time package_search and the same Solr request."""
    requests_ = prepare(config, solr_url)
    timer = hook_timer(config)
    for _ in range(warmup):
        for r in requests_:
            call(r["data_dict"])
            http_get(r["url"])
    timer.reset()
    samples: list[dict[str, list[float]]] = [{"ckan": [], "solr": []} for _ in requests_]
    meter = CpuMeter({})
    for round_ in range(repeat):
        for j, r in enumerate(requests_):
            for path in ("ckan", "solr") if (round_ + j) % 2 == 0 else ("solr", "ckan"):
                started = time.perf_counter()
                if path == "ckan":
                    call(r["data_dict"])
                else:
                    http_get(r["url"])
                samples[j][path].append((time.perf_counter() - started) * 1000)
    return {
        "config": config,
        "solr_url": solr_url,
        "plugins": _plugins(),
        "requests": [
            {
                "q": r["q"],
                "page": r["page"] or "all types",
                "count": r["count"],
                "params": {k: v for k, v in r["params"].items() if k != "q"},
                "ckan_ms": [round(x, 3) for x in sample["ckan"]],
                "solr_ms": [round(x, 3) for x in sample["solr"]],
            }
            for r, sample in zip(requests_, samples, strict=True)
        ],
        "cpu_during_timing": meter.cpus(),
        "ms_per_search": timer.per_search_ms(repeat * len(requests_)),
        "profile_top_own_time": profile_round(requests_),
        "sql_per_search": database_round(requests_),
    }


def pooled(passes: list[dict[str, Any]]) -> dict[str, Any]:
    """One configuration's figures over all its passes: the samples of each query pooled."""
    first = passes[0]
    rows = []
    for n, request in enumerate(first["requests"]):
        ckan = [x for p in passes for x in p["requests"][n]["ckan_ms"]]
        solr = [x for p in passes for x in p["requests"][n]["solr_ms"]]
        row = {k: request[k] for k in ("q", "page", "count", "params")}
        row.update(
            ckan_p50=round(statistics.median(ckan), 2),
            ckan_p95=round(percentile(ckan, 95), 2),
            solr_p50=round(statistics.median(solr), 2),
            solr_p95=round(percentile(solr, 95), 2),
        )
        row["overhead_ms"] = round(row["ckan_p50"] - row["solr_p50"], 2)
        rows.append(row)
    every_ckan = [x for p in passes for r in p["requests"] for x in r["ckan_ms"]]
    every_solr = [x for p in passes for r in p["requests"] for x in r["solr_ms"]]
    hooks = {
        name: round(statistics.mean(p["ms_per_search"].get(name, 0.0) for p in passes), 3)
        for name in dict.fromkeys(n for p in passes for n in p["ms_per_search"])
    }
    return {
        "config": first["config"],
        "plugins": first["plugins"],
        "passes": len(passes),
        "rows": rows,
        "ckan_p50": round(statistics.median(every_ckan), 2),
        "ckan_p95": round(percentile(every_ckan, 95), 2),
        "solr_p50": round(statistics.median(every_solr), 2),
        "solr_p95": round(percentile(every_solr, 95), 2),
        "median_overhead_ms": round(statistics.median(r["overhead_ms"] for r in rows), 2),
        "ms_per_search": hooks,
        "profile_top_own_time": first["profile_top_own_time"],
        "sql_per_search": first["sql_per_search"],
        "cpu_during_timing": [p["cpu_during_timing"] for p in passes],
    }


def _plugins() -> list[str]:
    import ckan.plugins.toolkit as tk  # noqa: PLC0415

    return list(tk.aslist(tk.config.get("ckan.plugins")))


def run_config(config: str, ini: str, url: str, args: argparse.Namespace) -> dict[str, Any]:
    """Measure one configuration in a subprocess of its own (its own plugins, caches and memory)."""
    with tempfile.TemporaryDirectory(dir=RUNTIME) as tmp:
        config_ini = Path(tmp) / "ckan.ini"
        lines = ["[app:main]", f"use = config:{Path(ini).resolve()}", f"solr_url = {url}"]
        if config == "stock":
            lines.append(f"ckan.plugins = {STOCK_PLUGINS}")
        config_ini.write_text("\n".join(lines) + "\n")
        out = Path(tmp) / "result.json"
        env = {
            **os.environ,
            "CKAN_SOLR_URL": url,
        }  # an environment override of solr_url would win over the ini
        cmd = [sys.executable, __file__, "--ini", str(config_ini), "--measure", config, "--measure-solr", url]
        cmd += ["--repeat", str(args.repeat), "--warmup", str(args.warmup), "--measure-out", str(out)]
        subprocess.run(cmd, check=True, env=env)
        return json.loads(out.read_text())


# -------------------------------------------------------------------------------------------------- report


def markdown(result: dict[str, Any]) -> str:
    ours, api, stock = (result["configs"][c] for c in CONFIGS)
    ratio = result["summary"]["overhead_ratio_ours_api_to_stock"]
    ratio_fold = result["summary"]["overhead_ratio_ours_to_stock"]
    m, load = result["machine"], result["load"]
    lines = [
        "# package_search at 100,000 datasets: ours against stock CKAN",
        "",
        f"Written by `benchmarks/search_scale.py` on {result['date']} (rerun it; do not edit by hand). "
        f"{m['nproc']} CPUs ({m.get('cpu', '?')}), Python {m['python']}, CKAN {m['ckan']}, Solr {m['solr']}; "
        f"git {m.get('git', '?')}.",
        "",
        f"- Corpus: {result['datasets']:,} datasets of six types in {result['organisations']} organisations: the "
        f"{result['real']} records created through package_create (the relevance corpus and one variant of each), "
        f"the rest built from them with CKAN's indexing code (checked equal to CKAN's rebuild for "
        f"{load.get('checked_clones', 'the')} variants). "
        + (
            ("Indexes kept from the run that built them: " if load.get("reused") else "Loading (not timed): ")
            + f"records {load.get('create_s')} s, checks {load.get('check_s')} s, "
            f"building and posting both indexes {load.get('index_s')} s."
        ),
        f"- Method: {len(QUERIES)} queries (words, mixed, 文号, codes, USCC, departments, multi-word, empty), each "
        f"as the search page sends it (rows {ROWS}, the page's facets, anonymous, for_view); {result['passes']} "
        "passes per configuration, interleaved forth and back, each in a fresh process: "
        f"{result['warmup']} warm-up rounds, then {result['repeat']} timed rounds alternating package_search in "
        "process and the "
        "same Solr request sent straight to /select (captured from pysolr; count and ids checked equal). "
        "Overhead = CKAN median − Solr median per query; the summary gives the median over queries.",
        f"- Configurations: **ours** = all platform plugins, our configset, folding on (the search pages); "
        f"**ours-api** = the same, no folding (an API client); **stock** = CKAN 2.12 with `ckan.plugins = "
        f"{STOCK_PLUGINS}`, CKAN's schema.xml, CKAN's facets and qf.",
        "",
        "| configuration | package_search p50 ms | p95 ms | Solr p50 ms | Solr p95 ms | median overhead ms |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    for c in (ours, api, stock):
        lines.append(
            f"| {c['config']} | **{c['ckan_p50']}** | {c['ckan_p95']} | {c['solr_p50']} | {c['solr_p95']} "
            f"| **{c['median_overhead_ms']}** |"
        )
    lines += [
        "",
        f"Targets: p50 < 50 ms for one client — ours {ours['ckan_p50']} ms "
        f"({'met' if ours['ckan_p50'] < 50 else 'not met'}); our overhead under half of stock's — overhead "
        f"ratio ours-api / stock **{ratio}**, ours (folding) / stock **{ratio_fold}** "
        f"({'met' if ratio < 0.5 else 'not met'}).",
        "",
        "CPUs busy on average while timing, this client / everything else on the machine (per pass): "
        + "; ".join(
            f"{c['config']} "
            + ", ".join(f"{p.get('client', 0)} / {p.get('others', 0)}" for p in c["cpu_during_timing"])
            for c in (ours, api, stock)
        )
        + ". Other engineers' work shared the 2 CPUs: compare configurations within this run, not across runs.",
        "",
        "## Per query (p50 ms: package_search / Solr / overhead)",
        "",
        "| query | page | hits | ours | ours-api | stock |",
        "|---|---|--:|--:|--:|--:|",
    ]
    for r_o, r_a, r_s in zip(ours["rows"], api["rows"], stock["rows"], strict=True):
        lines.append(
            f"| `{r_o['q'] or '(empty)'}` | {r_o['page']} | {r_o['count']:,} / {r_s['count']:,} "
            f"| {r_o['ckan_p50']} / {r_o['solr_p50']} / {r_o['overhead_ms']} "
            f"| {r_a['ckan_p50']} / {r_a['solr_p50']} / {r_a['overhead_ms']} "
            f"| {r_s['ckan_p50']} / {r_s['solr_p50']} / {r_s['overhead_ms']} |"
        )
    lines += [
        "",
        "Hits: ours / stock (stock finds fewer: its analysis does not split Chinese text).",
        "",
        "## Where ours spends its time (ms per search, wall time inside the function)",
        "",
        "| function | ours | ours-api | stock |",
        "|---|--:|--:|--:|",
    ]
    for name in dict.fromkeys([*ours["ms_per_search"], *stock["ms_per_search"]]):
        lines.append(
            f"| {name} | {ours['ms_per_search'].get(name, '–')} | {api['ms_per_search'].get(name, '–')} "
            f"| {stock['ms_per_search'].get(name, '–')} |"
        )
    lines += ["", "Profile of one round (own time per search, top 12):", ""]
    for c in (ours, stock):
        lines += [
            f"- {c['config']}: "
            + "; ".join(f"{p['own_ms']} ms `{p['function']}`" for p in c["profile_top_own_time"][:12])
        ]
    lines += ["", "## SQL per search (one round; statements, how many per search, mean ms)", ""]
    for c in (ours, api, stock):
        lines += [f"- {c['config']}:"]
        lines += [
            f"  - {s['per_search']} × {s['mean_ms']} ms `{s['statement']}`"
            for s in c.get("sql_per_search", [])
        ] or ["  - none"]

    lines += ["", *result.get("discussion", []), ""]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------- main


def measure_all(urls: dict[str, str], args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    """Every configuration, ``--passes`` times, forth and back (ours, ours-api, stock, stock, ours-api, ours …):
    a change in the machine's other load during the run then weighs on every configuration alike."""
    runs: dict[str, list[dict[str, Any]]] = {c: [] for c in CONFIGS}
    for n in range(args.passes):
        for config in CONFIGS if n % 2 == 0 else tuple(reversed(CONFIGS)):
            url = urls["stock" if config == "stock" else "hlj"]
            print(f"measuring {config} against {url} (pass {n + 1})", file=sys.stderr)
            runs[config].append(run_config(config, args.ini, url, args))
    return {c: pooled(runs[c]) for c in CONFIGS}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ini", required=True, help="CKAN config (its database receives the real records)")
    parser.add_argument(
        "--solr-url", help="unused: the benchmark runs its own two nodes (scripts/bench-run.sh)"
    )
    parser.add_argument("--drop-root", help="unused (scripts/bench-run.sh passes it to every benchmark)")
    parser.add_argument("--datasets", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20, help="timed rounds over all queries")
    parser.add_argument("--warmup", type=int, default=10, help="untimed rounds over all queries first")
    parser.add_argument(
        "--passes", type=int, default=2, help="measurements of each configuration, interleaved"
    )
    parser.add_argument("--fresh", action="store_true", help="rebuild the indexes even if a kept one fits")
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count(), help="processes building the documents"
    )
    parser.add_argument("--out-dir", type=Path, default=HERE / "results")
    parser.add_argument("--measure", choices=CONFIGS, help=argparse.SUPPRESS)
    parser.add_argument("--measure-solr", help=argparse.SUPPRESS)
    parser.add_argument("--measure-out", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)

    if args.measure:
        app = load_ckan(args.ini)
        with app.test_request_context():
            result = measure(args.measure, args.measure_solr, args.repeat, args.warmup)
        args.measure_out.write_text(json.dumps(result, ensure_ascii=False))
        return 0

    RUNTIME.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with contextlib.ExitStack() as exits:
        urls, hashes = {}, {}
        for kind in nodes.KINDS:
            node, hashes[kind], _ = nodes.node(kind, RUNTIME / kind, fresh=args.fresh)
            urls[kind] = exits.enter_context(node).url
            print(f"solr {kind}: {urls[kind]}", file=sys.stderr)
        os.environ["CKAN_SOLR_URL"] = urls["hlj"]  # CKAN's environment override wins over the ini's solr_url
        app = load_ckan(args.ini)
        with app.test_request_context():
            import ckan.plugins.toolkit as tk  # noqa: PLC0415

            key = [scale.VERSION, args.datasets, tk.config["ckan.site_id"], hashes["hlj"], hashes["stock"]]
            stamps = {kind: RUNTIME / kind / "corpus.stamp" for kind in nodes.KINDS}
            load = build_indexes(urls, args.datasets, stamps, key, args.workers)
            print(f"load: {load}", file=sys.stderr)
            machine = machine_info(urls["hlj"])
            real = len(scale.templates()) * 2
        configs = measure_all(urls, args)

    overhead = {c: configs[c]["median_overhead_ms"] for c in CONFIGS}
    result = {
        "benchmark": "search-scale",
        "date": dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds"),
        "datasets": args.datasets,
        "real": real,
        "organisations": len(corpus.organizations()),
        "machine": machine,
        "load": load,
        "repeat": args.repeat,
        "passes": args.passes,
        "warmup": args.warmup,
        "run_s": round(time.perf_counter() - started, 1),
        "configs": configs,
        "summary": {
            "ours_p50_ms": configs["ours"]["ckan_p50"],
            "overhead_ms": overhead,
            "overhead_ratio_ours_api_to_stock": round(overhead["ours-api"] / overhead["stock"], 2),
            "overhead_ratio_ours_to_stock": round(overhead["ours"] / overhead["stock"], 2),
        },
    }
    discussion = HERE / "relevance" / "scale-discussion.md"
    if discussion.exists():
        result["discussion"] = discussion.read_text(encoding="utf-8").splitlines()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / "search-scale.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    text = markdown(result)
    (args.out_dir / "search-scale.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
