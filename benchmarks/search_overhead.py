#!/usr/bin/env python3
"""How much time CKAN's package_search adds on top of the Solr query it sends, for Chinese queries.

1. Loads generated datasets (realistic Chinese titles and notes, in 20 organisations) into the bench database
   through CKAN's own actions, unless the database already holds them, and indexes them into the (fresh) Solr
   core with CKAN's own indexing code. Load and index times are reported, not benchmarked.
2. Checks, in process, that the Solr parameters reconstructed here are exactly those CKAN's package_search
   sends (ckan/logic/action/get.py package_search + ckan/lib/search/query.py PackageSearchQuery.run + the
   plugins' before_dataset_search), by recording what pysolr is asked to send.
3. For each query, times `GET /api/3/action/package_search` on the running CKAN web server and the same query
   sent straight to Solr's /select, alternating the two, after a warm-up; asserts that both return the same
   count, the same dataset ids in the same order and the same facet counts; prints and writes the figures.

    .venv/bin/python benchmarks/search_overhead.py --ini .runtime/bench/ckan.ini \
        --ckan-url http://127.0.0.1:5100 --solr-url http://127.0.0.1:PORT/solr/ckan [--datasets 10000]

`make bench` (scripts/bench.sh) sets up the environment, starts Solr and CKAN and runs this.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import multiprocessing
import os
import platform
import random
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# Bump when the generator changes: datasets of another version are then neither reused nor indexed.
GENERATOR_VERSION = 1
DATASET_PREFIX = f"bench{GENERATOR_VERSION}-"
ORG_PREFIX = "bench-org-"
SEED = 20240601
YEARS = range(2016, 2025)
DB_COMMIT_EVERY = 250
PROVINCE_CODE = "230000"

# The queries: words inside unspaced titles, place names, and mixed word + year queries.
QUERIES = [
    "行政许可",
    "空气质量",
    "哈尔滨",
    "2023年 许可",
    "财政预算",
    "生态环境",
    "齐齐哈尔 水质",
    "医疗机构名录",
    "公交线路",
    "粮食产量",
    "冰雪旅游",
    "大庆市 统计公报",
    "政府采购",
    "食品安全抽检",
    "住房公积金",
    "牡丹江 2020年",
    "义务教育 学校",
    "行政处罚 公示",
    "政府信息公开工作年度报告",
    "黑龙江省 空气质量 2022年",
]

# 13 市(地) and 7 provincial departments: the 20 organisations. (slug, place, government, GB/T 2260 code)
CITIES = [
    ("harbin", "哈尔滨市", "哈尔滨市人民政府", "230100"),
    ("qiqihar", "齐齐哈尔市", "齐齐哈尔市人民政府", "230200"),
    ("jixi", "鸡西市", "鸡西市人民政府", "230300"),
    ("hegang", "鹤岗市", "鹤岗市人民政府", "230400"),
    ("shuangyashan", "双鸭山市", "双鸭山市人民政府", "230500"),
    ("daqing", "大庆市", "大庆市人民政府", "230600"),
    ("yichun", "伊春市", "伊春市人民政府", "230700"),
    ("jiamusi", "佳木斯市", "佳木斯市人民政府", "230800"),
    ("qitaihe", "七台河市", "七台河市人民政府", "230900"),
    ("mudanjiang", "牡丹江市", "牡丹江市人民政府", "231000"),
    ("heihe", "黑河市", "黑河市人民政府", "231100"),
    ("suihua", "绥化市", "绥化市人民政府", "231200"),
    ("daxinganling", "大兴安岭地区", "大兴安岭地区行政公署", "232700"),
]

# Subject areas: (provincial department org slug and title or None, the city bureau's name, subjects, data items).
AREAS = {
    "生态环境": (
        ("sthjt", "黑龙江省生态环境厅"),
        "生态环境局",
        [
            "空气质量监测数据",
            "地表水水质监测数据",
            "重点排污单位名录",
            "环境影响评价审批信息",
            "突发环境事件应急预案",
        ],
        "监测点位、监测时间、污染物浓度、评价等级",
    ),
    "教育": (
        ("jyt", "黑龙江省教育厅"),
        "教育局",
        ["义务教育学校名录", "中小学招生计划", "教育经费执行情况", "民办学校审批信息"],
        "学校名称、办学地址、学段、在校生人数",
    ),
    "财政": (
        ("czt", "黑龙江省财政厅"),
        "财政局",
        ["财政预算公开", "财政决算公开", "政府采购项目信息", "政府债务情况"],
        "科目编码、科目名称、预算数、执行数",
    ),
    "交通运输": (
        ("jtyst", "黑龙江省交通运输厅"),
        "交通运输局",
        ["道路客运班线信息", "公交线路及站点", "公路建设项目信息", "出租汽车经营许可"],
        "线路名称、起止站点、运营单位、票价",
    ),
    "市场监管": (
        ("scjgj", "黑龙江省市场监督管理局"),
        "市场监督管理局",
        ["行政许可信息公示", "行政处罚信息公示", "食品安全抽检信息", "特种设备安全监察", "企业信用信息"],
        "统一社会信用代码、企业名称、决定文书号、决定日期",
    ),
    "卫生健康": (
        ("wsjkw", "黑龙江省卫生健康委员会"),
        "卫生健康委员会",
        ["医疗机构名录", "疫苗接种单位名录", "医疗卫生机构床位统计", "卫生监督抽检结果"],
        "机构名称、机构类别、地址、床位数",
    ),
    "农业农村": (
        ("nynct", "黑龙江省农业农村厅"),
        "农业农村局",
        ["农产品价格监测", "粮食产量统计", "农机购置补贴信息", "高标准农田建设项目"],
        "品种、播种面积、单产、总产量",
    ),
    "自然资源": (
        None,
        "自然资源和规划局",
        ["国有建设用地供应信息", "林草资源调查", "矿产资源开发利用", "不动产登记办理情况"],
        "宗地编号、土地位置、面积、用途",
    ),
    "住房城乡建设": (
        None,
        "住房和城乡建设局",
        ["建设工程项目审批信息", "保障性住房分配信息", "住房公积金缴存情况", "城市供水水质公告"],
        "项目名称、建设单位、审批事项、审批日期",
    ),
    "统计": (
        None,
        "统计局",
        [
            "国民经济和社会发展统计公报",
            "规模以上工业企业主要指标",
            "居民消费价格指数",
            "人口抽样调查主要数据",
        ],
        "指标名称、计量单位、本期数、同比增长",
    ),
    "人力资源社会保障": (
        None,
        "人力资源和社会保障局",
        ["城镇登记失业人员统计", "养老保险参保情况", "职业技能培训机构名录"],
        "指标名称、统计口径、人数、同比增长",
    ),
    "文化旅游": (
        None,
        "文化广电和旅游局",
        ["旅游景区名录", "冰雪旅游接待统计", "公共文化场馆名录"],
        "名称、等级、地址、接待人次",
    ),
}
GENERAL_SUBJECTS = ["政府信息公开工作年度报告", "政务服务事项清单", "权责清单", "随机抽查事项清单"]
TEMPLATES = [
    "{pub}{year}年{subject}",
    "{pub}{subject}（{year}年）",
    "{pub}{year}年度{subject}",
    "{pub}{subject}{year}年第{quarter}季度",
]
QUARTERS = "一二三四"
FORMATS = ["CSV", "XLSX", "JSON", "PDF"]
LICENSES = ["other-open", "cc-by", "odc-by", "cc-zero"]
FREQUENCIES = ["每月", "每季度", "每年"]


# --- the generated catalogue ---------------------------------------------------------------------------------


def organisations() -> list[dict[str, Any]]:
    """Our organisation schema's required fields, and no confidentiality review: records publish at once."""
    common = {"review_required": False}
    orgs = [
        {"name": ORG_PREFIX + slug, "title": title, "org_kind": "government", "admin_level": "city"}
        | {"region_code": code, **common}
        for slug, _, title, code in CITIES
    ]
    orgs += [
        {"name": ORG_PREFIX + prov[0], "title": prov[1], "org_kind": "department", "admin_level": "province"}
        | {"region_code": PROVINCE_CODE, **common}
        for prov, *_ in AREAS.values()
        if prov
    ]
    return orgs


Spec = tuple[
    str, str, str, str, int, str, str
]  # org slug, publisher, area, subject, year, template, region tag


def _candidates() -> list[Spec]:
    """Every dataset the generator can produce, in a fixed order."""
    publications = []  # (org slug, publisher, area, subject, region tag)
    for slug, city, _, _ in CITIES:
        region = city.removesuffix("市").removesuffix("地区")
        for area, (_, bureau, subjects, _) in AREAS.items():
            for subject in subjects:
                # Published by the city bureau, and by the city itself ("哈尔滨市2023年行政许可信息公示").
                publications += [
                    (slug, city + bureau, area, subject, region),
                    (slug, city, area, subject, region),
                ]
        publications += [(slug, city, "综合", subject, region) for subject in GENERAL_SUBJECTS]
    for area, (prov, _, subjects, _) in AREAS.items():
        if prov:
            publications += [(prov[0], prov[1], area, s, "省级") for s in subjects + GENERAL_SUBJECTS]
    return [
        (slug, pub, area, subject, year, template, region)
        for slug, pub, area, subject, region in publications
        for year in YEARS
        for template in TEMPLATES
    ]


def dataset_dict(index: int, spec: Spec, rng: random.Random) -> dict[str, Any]:
    slug, pub, area, subject, year, template, region = spec
    quarter = QUARTERS[rng.randrange(4)]
    title = template.format(pub=pub, subject=subject, year=year, quarter=quarter)
    items = AREAS[area][3] if area in AREAS else "事项名称、实施主体、办理依据、公开时间"
    frequency = rng.choice(FREQUENCIES)
    notes = (
        f"本数据集由{pub}依据《中华人民共和国政府信息公开条例》主动公开，内容为{year}年{subject}。"
        f"数据项包括{items}等，{frequency}更新。\n\n"
        f"数据来源于{pub}业务系统，经审核后发布；如对数据有疑问，请通过黑龙江省政务公开平台留言。"
    )
    fmt = rng.choice(FORMATS)
    return {
        "type": "dataset",  # CKAN's stock dataset type (scheming's ckan_dataset.yaml), not our first schema
        "name": f"{DATASET_PREFIX}{index:06d}",
        "title": title,
        "notes": notes,
        "owner_org": ORG_PREFIX + slug,
        "license_id": rng.choice(LICENSES),
        "author": pub,
        "tag_string": ",".join([area, region, f"{year}年"]),
        "resources": [
            {
                "name": f"{subject}（{year}年）",
                "url": f"https://data.hlj.gov.cn/files/{DATASET_PREFIX}{index:06d}.{fmt.lower()}",
                "format": fmt,
                "description": f"{title}，{fmt}格式。",
            }
        ],
    }


def generated_datasets(count: int) -> list[dict[str, Any]]:
    """The first `count` datasets of one fixed, seeded order: dataset i is the same whatever `count` is."""
    candidates = _candidates()
    if count > len(candidates):
        raise SystemExit(f"--datasets {count}: the generator can produce at most {len(candidates)} datasets")
    rng = random.Random(SEED)
    rng.shuffle(candidates)
    return [dataset_dict(i, spec, rng) for i, spec in enumerate(candidates[:count])]


# --- CKAN in process -----------------------------------------------------------------------------------------


def load_ckan(ini: str) -> Any:
    """Load the CKAN environment (config, plugins, database) from `ini`; return the Flask app."""
    from ckan.cli import load_config  # noqa: PLC0415 - importing CKAN is slow; --help should not pay for it
    from ckan.config.middleware import make_app  # noqa: PLC0415

    app = make_app(load_config(ini))
    return app._wsgi_app


def in_workers(target: Any, items: list[Any], workers: int) -> None:
    """Run target(chunk) for `workers` interleaved chunks of items in forked processes (as CKAN's
    `search-index rebuild-fast` does), each with the loaded CKAN environment and its own database connections."""
    from ckan import model  # noqa: PLC0415

    model.Session.remove()
    model.meta.engine.dispose()
    fork = multiprocessing.get_context("fork")
    processes = [fork.Process(target=_worker, args=(target, items[i::workers])) for i in range(workers)]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    if any(process.exitcode for process in processes):
        raise SystemExit(f"a worker failed: exit codes {[process.exitcode for process in processes]}")


def _worker(target: Any, chunk: list[Any]) -> None:
    from ckan import model  # noqa: PLC0415

    model.meta.engine.dispose(close=False)  # the parent's pooled connections are not ours to use
    target(chunk)


def _create(datasets: list[dict[str, Any]]) -> None:
    import ckan.plugins.toolkit as tk  # noqa: PLC0415
    from ckan import model  # noqa: PLC0415

    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    create = tk.get_action("package_create")
    started = time.perf_counter()
    for n, data in enumerate(datasets, 1):
        # defer_commit: no database commit and no indexing per dataset; we commit in batches and index later.
        context = {"user": site_user, "ignore_auth": True, "defer_commit": True, "return_id_only": True}
        create(context, data)
        if n % DB_COMMIT_EVERY == 0 or n == len(datasets):
            model.repo.commit()
        if n % 1000 == 0 or n == len(datasets):
            rate = n / (time.perf_counter() - started)
            print(f"  worker {os.getpid()}: {n}/{len(datasets)} ({rate:.0f}/s)", file=sys.stderr)


def bench_dataset_ids() -> dict[str, str]:
    from ckan import model  # noqa: PLC0415

    query = model.Session.query(model.Package.name, model.Package.id).filter(
        model.Package.name.like(DATASET_PREFIX + "%"), model.Package.state == "active"
    )
    return dict(query.all())


def ensure_datasets(count: int, workers: int) -> tuple[list[str], dict[str, Any]]:
    """Create or update the organisations and create the missing datasets through CKAN's actions; return the
    datasets' ids."""
    import ckan.plugins.toolkit as tk  # noqa: PLC0415

    context = {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"], "ignore_auth": True}
    for org in organisations():
        try:
            current = tk.get_action("organization_show")(dict(context), {"id": org["name"]})
        except tk.ObjectNotFound:
            tk.get_action("organization_create")(dict(context), dict(org))
            continue
        if any(current.get(key) != value for key, value in org.items()):
            tk.get_action("organization_patch")(dict(context), {**org, "id": current["id"]})
    wanted = generated_datasets(count)
    existing = bench_dataset_ids()
    missing = [d for d in wanted if d["name"] not in existing]
    stats: dict[str, Any] = {"already_in_db": count - len(missing), "created": len(missing), "create_s": 0.0}
    if missing:
        print(
            f"creating {len(missing)} datasets through package_create in {workers} processes", file=sys.stderr
        )
        started = time.perf_counter()
        in_workers(_create, missing, workers)
        stats["create_s"] = round(time.perf_counter() - started, 1)
        existing = bench_dataset_ids()
    return [existing[d["name"]] for d in wanted], stats


def _index(ids: list[str]) -> None:
    from ckan.lib import search  # noqa: PLC0415

    search.rebuild(package_ids=ids, defer_commit=True, quiet=True)


def index_datasets(ids: list[str], solr_url: str, workers: int) -> dict[str, Any]:
    """Index the datasets with CKAN's own code (`ckan search-index rebuild`'s), committing once at the end."""
    from ckan.lib import search  # noqa: PLC0415

    indexed = solr_ids(solr_url)
    if indexed == set(ids):
        return {"already_indexed": len(indexed), "index_s": 0.0}
    print(
        f"indexing {len(ids)} datasets in {workers} processes (the index held {len(indexed)})",
        file=sys.stderr,
    )
    started = time.perf_counter()
    if indexed:
        search.clear_all()
    in_workers(_index, ids, workers)
    search.commit()
    while len(solr_ids(solr_url)) != len(ids):
        if time.perf_counter() - started > 600:
            raise SystemExit(f"Solr holds {len(solr_ids(solr_url))} datasets after indexing {len(ids)}")
        time.sleep(0.5)
    return {"already_indexed": 0, "index_s": round(time.perf_counter() - started, 1)}


def solr_ids(solr_url: str) -> set[str]:
    """The ids of this site's datasets in the Solr core."""
    from ckan.common import config  # noqa: PLC0415

    fq = f'+site_id:"{config["ckan.site_id"]}" +entity_type:package'
    params = {"q": "*:*", "fq": fq, "fl": "id", "rows": 1_000_000, "wt": "json"}
    body = http_get(f"{solr_url}/select?" + urllib.parse.urlencode(params))
    return {doc["id"] for doc in json.loads(body)["response"]["docs"]}


# --- the two request paths -----------------------------------------------------------------------------------


def ckan_api_params(q: str, rows: int, facets: list[str]) -> dict[str, str]:
    """What a client sends: the dataset search page's paging and facets (ckan.datasets_per_page, search.facets)."""
    return {"q": q, "rows": str(rows), "facet.field": json.dumps(facets)}


def expected_solr_params(q: str, rows: int, facets: list[str]) -> dict[str, Any]:
    """The /select parameters CKAN 2.12 sends for an anonymous package_search(q, rows, facet.field).

    From ckan/logic/action/get.py package_search: df, qf (our before_dataset_search), sort, fl, and the fq for
    public active datasets; from ckan/lib/search/query.py PackageSearchQuery.run: rows + 1, site_id and
    permission-label filters, facet defaults, wt, and the dismax parameters for a query without a colon.
    """
    from ckan.common import config  # noqa: PLC0415

    from ckanext.hlj import search  # noqa: PLC0415

    return {
        "q": q,
        "rows": rows + 1,
        "facet.field": facets,
        "df": "text",
        "qf": search.query_fields(),
        "sort": config["ckan.search.default_package_sort"],
        "fl": "id validated_data_dict",
        "fq": [
            # " -dataset_type:harvest" is ckanext-harvest's before_dataset_search (fq is still empty then).
            "+capacity:public  -dataset_type:harvest +state:(active)",
            f'+site_id:"{config["ckan.site_id"]}"',
            '+permission_labels:("public")',
        ],
        "facet": "true",
        "facet.limit": config["search.facets.limit"],
        "facet.mincount": 1,
        "wt": "json",
        "defType": "dismax",
        "tie": "0.1",
        "mm": "2<-1 5<80%",
        "q.op": "AND",
    }


def check_reconstruction(queries: list[str], rows: int, facets: list[str], datasets: int) -> None:
    """Run package_search in process as an anonymous user and compare what it sends pysolr with ours."""
    import ckan.plugins.toolkit as tk  # noqa: PLC0415
    import pysolr  # noqa: PLC0415

    public = tk.get_action("package_search")({"user": "", "auth_user_obj": None}, {"rows": 0})["count"]
    if public != datasets:
        raise SystemExit(
            f"an anonymous user finds {public} datasets, not the {datasets} loaded: some are private?"
        )

    sent: list[dict[str, Any]] = []
    original = pysolr.Solr.search

    def recording_search(self: Any, q: str, search_handler: Any = None, **kwargs: Any) -> Any:
        sent.append({"q": q, **kwargs})
        return original(self, q, search_handler=search_handler, **kwargs)

    pysolr.Solr.search = recording_search
    try:
        for q in queries:
            sent.clear()
            api = ckan_api_params(q, rows, facets)
            tk.get_action("package_search")({"user": "", "auth_user_obj": None}, dict(api))
            expected = expected_solr_params(q, rows, facets)
            if len(sent) != 1 or sent[0] != expected:
                got = sent[0] if len(sent) == 1 else sent
                raise SystemExit(
                    f"query {q!r}: CKAN sent Solr\n  {got!r}\nbut this benchmark would send\n  {expected!r}"
                )
    finally:
        pysolr.Solr.search = original


def http_get(url: str) -> bytes:
    """One GET on a new connection (as CKAN's per-query pysolr client does), body read in full.

    pysolr also sends a GET as long as the encoded parameters stay under 1024 characters (ours: about 600).
    """
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        conn.request("GET", f"{parts.path}?{parts.query}" if parts.query else parts.path)
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"GET {url} -> {response.status}: {body[:500]!r}")
        return body
    finally:
        conn.close()


def timed_get(url: str) -> tuple[float, bytes]:
    started = time.perf_counter()
    body = http_get(url)
    return (time.perf_counter() - started) * 1000, body


def compare(q: str, ckan_body: bytes, solr_body: bytes, rows: int) -> int:
    """Both paths must agree on count, ids (in order) and facet counts; returns the count."""
    ckan = json.loads(ckan_body)["result"]
    solr = json.loads(solr_body)
    count = solr["response"]["numFound"]
    if ckan["count"] != count:
        raise SystemExit(f"query {q!r}: CKAN counts {ckan['count']}, Solr {count}")
    ckan_ids = [d["id"] for d in ckan["results"]]
    solr_ids = [d["id"] for d in solr["response"]["docs"][:rows]]
    if ckan_ids != solr_ids:
        raise SystemExit(f"query {q!r}: CKAN returned ids {ckan_ids}, Solr {solr_ids}")
    solr_facets = {
        field: dict(zip(values[0::2], values[1::2], strict=True))
        for field, values in solr["facet_counts"]["facet_fields"].items()
    }
    ckan_facets = {
        field: {item["name"]: item["count"] for item in facet["items"]}
        for field, facet in ckan["search_facets"].items()
    }
    if ckan_facets != solr_facets:
        raise SystemExit(f"query {q!r}: facet counts differ:\n  CKAN {ckan_facets}\n  Solr {solr_facets}")
    return count


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * pct / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def run_queries(args: argparse.Namespace, rows: int, facets: list[str]) -> list[dict[str, Any]]:
    """Check both paths agree, warm up, then time: round after round over all queries, both paths each."""
    ckan_url, solr_url = args.ckan_url.rstrip("/"), args.solr_url.rstrip("/")
    requests = {
        q: {
            "ckan": f"{ckan_url}/api/3/action/package_search?"
            + urllib.parse.urlencode(ckan_api_params(q, rows, facets)),
            "solr": f"{solr_url}/select?"
            + urllib.parse.urlencode(expected_solr_params(q, rows, facets), doseq=True),
        }
        for q in QUERIES
    }
    bodies = {q: {path: http_get(url) for path, url in urls.items()} for q, urls in requests.items()}
    counts = {q: compare(q, b["ckan"], b["solr"], rows) for q, b in bodies.items()}
    # Warm-up rounds over every query first, so that caches are warm for all of them, not just the last, and
    # Solr's JVM has compiled its query path: with 5 rounds instead of 40, its JIT still competed with CKAN for
    # the 2 CPUs while timing and both paths measured about 1.7 times slower.
    for _ in range(args.warmup):
        for urls in requests.values():
            for url in urls.values():
                http_get(url)
    samples: dict[str, dict[str, list[float]]] = {q: {"ckan": [], "solr": [], "qtime": []} for q in QUERIES}
    for i in range(args.repeat):
        # Round-robin over the queries, so that a burst of other work on the machine spreads over all of them;
        # alternate which path goes first, so that neither always follows the other's work.
        for j, (q, urls) in enumerate(requests.items()):
            for path in ("ckan", "solr") if (i + j) % 2 == 0 else ("solr", "ckan"):
                ms, body = timed_get(urls[path])
                samples[q][path].append(ms)
                if path == "solr":
                    samples[q]["qtime"].append(json.loads(body)["responseHeader"]["QTime"])
    out = []
    for q, sample in samples.items():
        row = {
            "q": q,
            "count": counts[q],
            "ckan_median_ms": round(statistics.median(sample["ckan"]), 2),
            "ckan_p95_ms": round(percentile(sample["ckan"], 95), 2),
            "solr_median_ms": round(statistics.median(sample["solr"]), 2),
            "solr_p95_ms": round(percentile(sample["solr"], 95), 2),
            "solr_qtime_median_ms": statistics.median(sample["qtime"]),
            "ckan_bytes": len(bodies[q]["ckan"]),
            "solr_bytes": len(bodies[q]["solr"]),
        }
        row["ratio"] = round(row["ckan_median_ms"] / row["solr_median_ms"], 2)
        row["overhead_ms"] = round(row["ckan_median_ms"] - row["solr_median_ms"], 2)
        out.append(row)
        print(
            f"  {q:<24}\t{row['count']:>6}  ckan {row['ckan_median_ms']:7.1f} ms  solr {row['solr_median_ms']:6.1f} ms"
            f"  x{row['ratio']:.1f}",
            file=sys.stderr,
        )
    return out


# --- what else the machine was doing --------------------------------------------------------------------------


def process_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) a process has used; 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy_cpu_s() -> float:
    """CPU seconds all CPUs have spent busy since boot (/proc/stat: all but idle and iowait)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = values
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def server_pids(ini: str) -> dict[str, int]:
    """The CKAN web server's and Solr's pids, from the pid files scripts/bench.sh keeps beside the ini."""
    pids = {}
    for name in ("ckan", "solr"):
        try:
            pids[name] = int((Path(ini).parent / "pids" / f"{name}.pid").read_text())
        except (OSError, ValueError):
            pass
    return pids


class CpuMeter:
    """CPU used over an interval: by this benchmark's processes (this client, CKAN, Solr) and by all others."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = {"client": os.getpid(), **pids}
        self.start()

    def _sample(self) -> tuple[float, float, dict[str, float]]:
        return time.monotonic(), machine_busy_cpu_s(), {n: process_cpu_s(p) for n, p in self.pids.items()}

    def start(self) -> None:
        self.began = self._sample()

    def cpus(self) -> dict[str, float]:
        """Average CPUs in use since start(), per process of ours and for everything else on the machine."""
        t0, busy0, own0 = self.began
        t1, busy1, own1 = self._sample()
        elapsed = max(t1 - t0, 1e-6)
        out = {name: round((own1[name] - own0[name]) / elapsed, 2) for name in own1}
        out["others"] = round(max(0.0, busy1 - busy0 - sum(own1[n] - own0[n] for n in own1)) / elapsed, 2)
        return out


def settle(meter: CpuMeter, limit_s: float = 60) -> float:
    """Wait until Solr has finished its post-indexing work (merges, searcher warming): under 0.1 CPU for 2 s."""
    started = time.monotonic()
    while time.monotonic() - started < limit_s:
        meter.start()
        time.sleep(2)
        if meter.cpus().get("solr", 0) < 0.1:
            break
    return round(time.monotonic() - started, 1)


# --- the report ----------------------------------------------------------------------------------------------


def machine_info(solr_url: str) -> dict[str, Any]:
    info: dict[str, Any] = {
        "nproc": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    try:
        meminfo = Path("/proc/meminfo").read_text()
        kb = int(next(line for line in meminfo.splitlines() if line.startswith("MemTotal")).split()[1])
        info["memory_gb"] = round(kb / 1024 / 1024, 1)
        cpuinfo = Path("/proc/cpuinfo").read_text()
        info["cpu"] = next(
            line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if "model name" in line
        )
    except (OSError, StopIteration):
        pass
    import ckan  # noqa: PLC0415

    info["ckan"] = ckan.__version__
    try:
        system = json.loads(http_get(solr_url.rsplit("/", 1)[0] + "/admin/info/system?wt=json"))
        info["solr"] = system["lucene"]["solr-spec-version"]
        info["jvm"] = system["jvm"]["version"]
    except (RuntimeError, OSError, KeyError, ValueError):
        info["solr"] = "unknown"
    try:
        git = ["git", "--no-optional-locks", "-C", str(ROOT)]
        commit = subprocess.run(
            [*git, "rev-parse", "--short", "HEAD"], check=False, capture_output=True, text=True
        )
        dirty = subprocess.run([*git, "status", "--porcelain"], check=False, capture_output=True, text=True)
        info["git"] = commit.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")
    except OSError:
        pass
    return info


def summary(per_query: list[dict[str, Any]], all_ckan: float, all_solr: float) -> dict[str, Any]:
    ratios = [r["ratio"] for r in per_query]
    overheads = [r["overhead_ms"] for r in per_query]
    return {
        "median_ratio_ckan_over_solr": round(statistics.median(ratios), 2),
        "min_ratio": min(ratios),
        "max_ratio": max(ratios),
        "median_overhead_ms": round(statistics.median(overheads), 2),
        "ckan_median_of_query_medians_ms": round(all_ckan, 2),
        "solr_median_of_query_medians_ms": round(all_solr, 2),
    }


def busy_note(result: dict[str, Any]) -> list[str]:
    others = result["cpu_during_timing"]["others"]
    if others < 0.1 * result["machine"]["nproc"]:
        return []
    return [
        f"Note: other processes kept {others} of the {result['machine']['nproc']} CPUs busy on average while "
        "the queries were timed, so these figures are noisier and higher than on an otherwise idle machine.",
        "",
    ]


def cpu_text(cpus: dict[str, float]) -> str:
    return ", ".join(f"{name} {value}" for name, value in cpus.items())


def markdown(result: dict[str, Any]) -> str:
    m, s, load, p = result["machine"], result["summary"], result["load"], result["parameters"]
    lines = [
        "# CKAN package_search overhead over Solr",
        "",
        f"Run {result['date']} by `make bench` (benchmarks/search_overhead.py); git {m.get('git', '?')}.",
        "",
        f"- Machine: {m['nproc']} CPUs ({m.get('cpu', '?')}), {m.get('memory_gb', '?')} GB memory, "
        f"Python {m['python']}, CKAN {m['ckan']}, Solr {m['solr']} (JVM {m.get('jvm', '?')}).",
        f"- CPUs in use on average while timing: {cpu_text(result['cpu_during_timing'])}.",
        f"- Corpus: {result['datasets']} generated datasets in {result['organisations']} organisations "
        f"(Chinese titles, notes, tags and one resource each).",
        f"- Loading (not benchmarked, {p['workers']} worker processes): {load['created']} datasets created "
        f"through package_create in {load['create_s']} s ({load['already_in_db']} already in the database); "
        f"{result['datasets']} indexed into the fresh Solr core with CKAN's "
        f"rebuild code in {load['index_s']} s ({load['already_indexed']} already indexed); "
        f"then {load.get('settle_s', 0)} s waiting for Solr to go idle.",
        f"- Method: {len(result['queries'])} queries; {p['warmup']} warm-up rounds over all queries, then "
        f"{p['repeat']} timed rounds, each timing every query on both paths in alternating order; rows={p['rows']}, facet.field={p['facets']}; anonymous; "
        "one new HTTP connection per request; CKAN served by `ckan run` (werkzeug, single-threaded). "
        "The Solr path sends exactly the parameters CKAN sends (checked in process) and must return the same "
        "count, ids and facet counts.",
        "",
        *busy_note(result),
        f"**Median ratio CKAN / Solr: {s['median_ratio_ckan_over_solr']}** "
        f"(range {s['min_ratio']}–{s['max_ratio']}); median overhead {s['median_overhead_ms']} ms per search.",
        "",
        "| query | hits | CKAN median ms | CKAN p95 ms | Solr median ms | Solr p95 ms | Solr QTime ms | ratio "
        "| overhead ms | CKAN KiB | Solr KiB |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in result["queries"]:
        lines.append(
            f"| {r['q']} | {r['count']} | {r['ckan_median_ms']} | {r['ckan_p95_ms']} | {r['solr_median_ms']} "
            f"| {r['solr_p95_ms']} | {r['solr_qtime_median_ms']} | {r['ratio']} | {r['overhead_ms']} "
            f"| {r['ckan_bytes'] / 1024:.0f} | {r['solr_bytes'] / 1024:.0f} |"
        )
    lines += [
        "",
        "Times are client-side wall times (connect, request, full response read) on 127.0.0.1. "
        "Repeated identical queries are served from Solr's queryResultCache on both paths, so the Solr figures "
        "are warm-cache figures and the overhead is CKAN's own work: validation, auth, plugin hooks, the Solr "
        "round trip through pysolr, parsing each dataset's stored JSON, the facet title lookup in PostgreSQL and "
        "serialising the response.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ini", required=True, help="CKAN config of the bench environment")
    parser.add_argument(
        "--ckan-url", required=True, help="the running CKAN web server, e.g. http://127.0.0.1:5100"
    )
    parser.add_argument("--solr-url", required=True, help="Solr core URL from the ini's solr_url")
    parser.add_argument(
        "--datasets", type=int, default=10000, help="datasets to load and index (default 10000)"
    )
    parser.add_argument(
        "--repeat", type=int, default=30, help="timed rounds: requests per path and query (default 30)"
    )
    parser.add_argument(
        "--warmup", type=int, default=40, help="untimed rounds over all queries first (default 40)"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count(),
        help="processes for loading and indexing (default: CPUs)",
    )
    parser.add_argument(
        "--out-dir", type=Path, default=HERE / "results", help="where the results are written"
    )
    args = parser.parse_args(argv)

    flask_app = load_ckan(args.ini)
    with flask_app.test_request_context():
        from ckan.common import config  # noqa: PLC0415

        if config["solr_url"].rstrip("/") != args.solr_url.rstrip("/"):
            raise SystemExit(f"--solr-url {args.solr_url} is not the ini's solr_url {config['solr_url']}")
        rows = config["ckan.datasets_per_page"]
        facets = list(config["search.facets"])
        ids, load = ensure_datasets(args.datasets, args.workers)
        load.update(index_datasets(ids, args.solr_url, args.workers))
        print(f"load: {load}", file=sys.stderr)
        check_reconstruction(QUERIES, rows, facets, args.datasets)
        machine = machine_info(args.solr_url)

    meter = CpuMeter(server_pids(args.ini))
    load["settle_s"] = settle(meter)

    print(
        f"timing {len(QUERIES)} queries: {args.warmup} warm-up rounds, {args.repeat} timed rounds",
        file=sys.stderr,
    )
    started = time.perf_counter()
    meter.start()
    per_query = run_queries(args, rows, facets)
    cpu = meter.cpus()
    print(f"CPUs in use on average while timing: {cpu_text(cpu)}", file=sys.stderr)
    result = {
        "benchmark": "search-overhead",
        "date": dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds"),
        "datasets": args.datasets,
        "organisations": len(organisations()),
        "machine": machine,
        "load": load,
        "parameters": {
            "rows": rows,
            "facets": facets,
            "warmup": args.warmup,
            "repeat": args.repeat,
            "workers": args.workers,
        },
        "timing_s": round(time.perf_counter() - started, 1),
        "cpu_during_timing": cpu,
        "summary": summary(
            per_query,
            statistics.median(r["ckan_median_ms"] for r in per_query),
            statistics.median(r["solr_median_ms"] for r in per_query),
        ),
        "queries": per_query,
    }
    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / "search-overhead.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    )
    (args.out_dir / "search-overhead.md").write_text(markdown(result))
    s = result["summary"]
    print(
        f"\nmedian ratio CKAN/Solr {s['median_ratio_ckan_over_solr']} (range {s['min_ratio']}-{s['max_ratio']}), "
        f"median overhead {s['median_overhead_ms']} ms; written to {args.out_dir}/search-overhead.{{json,md}}"
    )
    print(markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
