#!/usr/bin/env python3
"""Reprint matching at the issue's scale: the indexed matcher against naive pairwise comparison.

Generates (deterministically, seed below) 2,000 watched items — State Council and provincial titles with 文号,
bodies, 10 % of them scoped to 20 sites — and 200 sites × 500 harvested items: reprints of watched items with
the alterations real sites make (wrappers added or removed, full-width digits, 【转载】 and 来源 markers, site
suffixes, the 文号 in the title or only in the 文号 field, dropped issuers, cut-off titles, one-character typos,
rewritten headlines with the body), some reprinted twice, hard negatives (解读 of watched items, a city's
实施意见 on the same subject, next year's same-name document) and local items.

Then it times

- the indexed matcher on the full set: site-item features (title analysis), index build, and the verdicts of
  all 2,000 × 200 (item, site) pairs;
- the naive matcher (every watched item compared with every site item of its obligated sites, the same pair
  decision) on a sample of watched items against all 100,000 site items, extrapolated to 2,000;

checks that both give identical verdicts on the sample, and reports ratio and absolute times. It also reports
how many planted reprints were found and planted negatives matched (a synthetic check; the accuracy figures
that count are those of the labelled set, also reported here with the neighbouring thresholds).

    .venv/bin/python benchmarks/reprint_match.py [--sample 20] [--watched 2000] [--sites 200] [--per-site 500]

Writes benchmarks/results/reprint-match.json and .md (only for the default sizes unless --out is given).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import platform
import random
import resource
import sys
import time
from collections import Counter
from pathlib import Path

import rapidfuzz
import yaml

from ckanext.hlj.catalogue.dates import SHANGHAI
from ckanext.hlj.reprint.matcher import (
    DEFAULT_CONFIG,
    MatchConfig,
    ReprintMatcher,
    SiteItem,
    SourceItem,
    _item_features,
    match_pair,
    naive_verdicts,
)
from ckanext.hlj.reprint.normalise import title_key, title_numbers, title_signature

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
PAIRS = ROOT / "tests" / "data" / "reprint_pairs.yaml"
SEED = 20170320

# ------------------------------------------------------------------------------------------------ vocabulary

SUBJECTS = """政务公开 政务服务 互联网+政务服务 营商环境 简政放权 放管服改革 行政审批制度改革 公平竞争审查 社会信用体系建设
农业水价综合改革 农村集体产权制度改革 粮食安全 黑土地保护 秸秆综合利用 畜禽养殖废弃物资源化利用 农村人居环境整治
冷链物流 物流降本增效 跨境电子商务 外贸稳增长 服务贸易创新发展 对俄经贸合作 中小企业发展 民间投资 个体工商户发展
普惠金融 地方政府债务管理 政府采购 国有资产管理 国有企业改革 混合所有制改革 财政资金统筹使用 预算绩效管理
城市地下综合管廊建设 海绵城市建设 老旧小区改造 城镇棚户区改造 住房公积金管理 房地产市场平稳健康发展 城市公共交通
大气污染防治 水污染防治 土壤污染防治 河长制 生态保护红线 自然保护区管理 森林防火 冰雪旅游 全域旅游 体育产业
健康养老 医养结合 分级诊疗制度建设 公立医院综合改革 医疗联合体建设 药品供应保障 食品安全 安全生产 应急管理体系建设
防汛抗旱 地质灾害防治 义务教育均衡发展 职业教育 高校毕业生就业创业 农民工工资支付 社会保险 最低生活保障 残疾人保障
养老服务业 家政服务业 托育服务 学前教育 乡村振兴 脱贫攻坚 扶贫资金管理 农村公路建设 数字政府建设 政府网站集约化
政务信息系统整合共享 政务数据共享 大数据发展 新一代人工智能 工业互联网 制造业高质量发展 科技成果转化 知识产权保护
行政执法三项制度 法治政府建设 规范性文件管理 政务舆情回应 政府信息公开 基层政务公开标准化规范化 人才引进 双创示范基地""".split()
VERBS = "进一步加强 加快推进 做好 全面推进 深化 促进 完善 支持 推动 加强 规范 健全 优化 加快发展".split()
OPINIONS = ["的意见", "的指导意见", "的实施意见", "的若干意见", "的通知", "工作的通知", "的决定"]
PLANS = (
    "工作方案 实施方案 行动计划 管理办法 暂行办法 工作要点 发展规划 实施细则 考核办法 专项行动方案".split()
)
ISSUERS = {
    "国务院": "国发",
    "国务院办公厅": "国办发",
    "黑龙江省人民政府": "黑政发",
    "黑龙江省人民政府办公厅": "黑政办发",
}
CITIES = """哈尔滨市 齐齐哈尔市 牡丹江市 佳木斯市 大庆市 鸡西市 双鸭山市 伊春市 七台河市 鹤岗市 黑河市 绥化市 大兴安岭地区""".split()
DISTRICTS = """道里区 南岗区 道外区 香坊区 平房区 松北区 呼兰区 阿城区 双城区 依兰县 方正县 宾县 巴彦县 木兰县 通河县 延寿县
尚志市 五常市 龙沙区 建华区 铁锋区 昂昂溪区 富拉尔基区 讷河市 龙江县 依安县 泰来县 甘南县 富裕县 克山县 克东县 拜泉县
东安区 阳明区 爱民区 西安区 绥芬河市 海林市 宁安市 穆棱市 东宁市 林口县 向阳区 前进区 东风区 郊区 同江市 富锦市 抚远市
桦南县 桦川县 汤原县 萨尔图区 龙凤区 让胡路区 红岗区 大同区 肇州县 肇源县 林甸县 杜尔伯特蒙古族自治县 鸡冠区 恒山区
滴道区 梨树区 城子河区 麻山区 虎林市 密山市 鸡东县 尖山区 岭东区 四方台区 宝山区 集贤县 友谊县 宝清县 饶河县""".split()
FILLERS = """各地区各部门 要高度重视 加强组织领导 明确责任分工 强化督促检查 确保各项任务落到实处 坚持问题导向
完善工作机制 加大资金投入 健全考核评价体系 推进信息共享 加强宣传引导 营造良好社会氛围 建立健全长效机制
严格落实主体责任 加强部门协同配合 及时研究解决工作中遇到的问题 充分发挥市场在资源配置中的决定性作用
更好发挥政府作用 坚持以人民为中心的发展思想 切实增强人民群众获得感 统筹推进 分类指导 试点先行
稳步推广 依法依规 公开透明 简化办事流程 压缩办理时限 提升服务效能 加强事中事后监管 强化风险防控""".split()
REPORT_WORDS = "解读 政策解读 一图读懂 答记者问".split()


CHARS = "".join(sorted(set("".join(SUBJECTS + FILLERS + VERBS))))


def _phrase(rng: random.Random) -> str:
    """A document-specific clause: the same words in another order (real bodies share boilerplate, not more)."""
    return "".join(rng.choices(CHARS, k=rng.randint(6, 12)))


def _sentence(rng: random.Random, subject: str) -> str:
    return f"围绕{subject}{_phrase(rng)}，{rng.choice(FILLERS)}，{_phrase(rng)}{rng.choice('。；')}"


def _body(rng: random.Random, subject: str, sentences: int) -> str:
    lines = [f"为{rng.choice(VERBS)}{subject}工作，经研究同意，现提出如下意见。"]
    for number in range(1, sentences + 1):
        lines.append(
            f"{'一二三四五六七八九十'[min(number, 10) - 1]}、{_sentence(rng, subject)}{_sentence(rng, subject)}"
        )
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------ generator


@dataclasses.dataclass
class Planted:
    source_id: str
    site: str
    url: str
    kind: str
    reprint: bool


def _watched(rng: random.Random, count: int, sites: list[str]) -> list[SourceItem]:
    titles: set[str] = set()
    serials: Counter = Counter()
    out: list[SourceItem] = []
    start = dt.datetime(2017, 1, 3, 9, 0, tzinfo=SHANGHAI)
    while len(out) < count:
        issuer = rng.choice(list(ISSUERS))
        subject = rng.choice(SUBJECTS)
        subject2 = rng.choice(SUBJECTS) if rng.random() < 0.6 else ""
        year = rng.choice([2017, 2018]) if rng.random() < 0.3 else None
        provincial = issuer.startswith("黑龙江")
        if rng.random() < 0.45:
            place = "黑龙江省" if provincial and rng.random() < 0.7 else ""
            inner = f"{place}{f'{year}年' if year else ''}{subject}{'和' + subject2 if subject2 else ''}{rng.choice(PLANS)}"
            title = f"{issuer}关于印发{inner}的通知"
        else:
            title = f"{issuer}关于{rng.choice(VERBS)}{f'{year}年' if year else ''}{subject}{'与' + subject2 if subject2 else ''}{rng.choice(OPINIONS)}"
        if title in titles:
            continue
        titles.add(title)
        published = start + dt.timedelta(minutes=rng.randrange(0, 360 * 24 * 60))
        prefix = ISSUERS[issuer]
        serials[(prefix, published.year)] += 1
        doc_number = f"{prefix}〔{published.year}〕{serials[(prefix, published.year)]}号"
        scope = frozenset(rng.sample(sites, 20)) if rng.random() < 0.1 else None
        out.append(
            SourceItem(
                id=f"W{len(out) + 1:05d}",
                title=title,
                doc_number=doc_number,
                published_at=published,
                url=f"https://www.gov.cn/zhengce/content/{published:%Y-%m}/{len(out) + 1:05d}.htm",
                body=_body(rng, subject, rng.randint(6, 12)),
                sites=scope,
            )
        )
    return out


FULLWIDTH = str.maketrans("0123456789()", "０１２３４５６７８９（）")


def _alter(rng: random.Random, source: SourceItem) -> tuple[str, str | None, str | None, str]:
    """A reprinted title, 文号 field, body and the kind of alteration."""
    title = source.title
    doc = source.doc_number if rng.random() < 0.4 else None
    body = f"来源：{'中国政府网' if '国务院' in title else '黑龙江省人民政府网'}\n{source.body}\n【打印本页】【关闭窗口】"
    if rng.random() < 0.2:
        body = None
    kind = rng.choices(
        ["exact", "unwrap", "width", "marker", "suffix", "docno", "issuer", "truncated", "typo", "headline"],
        [30, 12, 8, 10, 8, 10, 8, 5, 5, 4],
    )[0]
    inner = title.split("关于印发", 1)[1][:-3] if "关于印发" in title else None
    issuer = title.split("关于", 1)[0]
    if kind == "unwrap" and inner:
        title = rng.choice([inner, f"{issuer}印发《{inner}》"])
    elif kind == "width":
        title = title.translate(FULLWIDTH)
    elif kind == "marker":
        title = (
            rng.choice(["【转载】", "[转发]", "转载：", ""])
            + title
            + rng.choice(["", "（转）", " 来源：中国政府网"])
        )
    elif kind == "suffix":
        title += rng.choice(["_中国政府网", " - 黑龙江省人民政府网", "_政务公开专栏"])
    elif kind == "docno":
        title += f"（{source.doc_number}）"
    elif kind == "issuer":
        title = title[len(issuer) :]
    elif kind == "truncated" and len(title) > 24:
        title = title[: rng.randint(20, len(title) - 2)] + rng.choice(["...", "…"])
    elif kind == "typo":
        position = rng.randrange(len(issuer) + 3, len(title) - 3)
        title = title[:position] + rng.choice("之与及和") + title[position + 1 :]
    elif kind == "headline":
        subject = inner or title[len(issuer) + 2 :]
        title = f"{issuer}印发通知 部署{subject}"
        body = source.body
    else:
        kind = "exact"
    return title, doc, body, kind


def _lag(rng: random.Random) -> dt.timedelta:
    bucket = rng.random()
    if bucket < 0.7:
        return dt.timedelta(minutes=rng.randrange(5, 24 * 60))
    if bucket < 0.9:
        return dt.timedelta(hours=rng.randrange(24, 7 * 24))
    return dt.timedelta(days=rng.randrange(7, 60))


class _Site:
    """The 500 items of one generated site."""

    def __init__(self, rng: random.Random, number: int, items: list[SiteItem], planted: list[Planted]):
        self.rng, self.items, self.planted = rng, items, planted
        self.name = f"site{number + 1:03d}"
        self.place = DISTRICTS[number % len(DISTRICTS)]
        self.city = CITIES[number % len(CITIES)]
        self.produced = 0

    def add(self, title, doc, published, body, plant: tuple[SourceItem, str, bool] | None = None) -> None:
        self.produced += 1
        url = f"https://{self.name}.hlj.gov.cn/art/{published:%Y/%m/%d}/art_{self.produced}.html"
        self.items.append(SiteItem(self.name, title, doc, published, url, body))
        if plant is not None:
            source, kind, reprint = plant
            self.planted.append(Planted(source.id, self.name, url, kind, reprint))

    def reprints(self, watched: list[SourceItem]) -> None:
        rng = self.rng
        obliged = [source for source in watched if source.sites is None or self.name in source.sites]
        for source in rng.sample(obliged, min(len(obliged), rng.randint(110, 170))):
            title, doc, body, kind = _alter(rng, source)
            published = source.published_at + _lag(rng)
            if rng.random() < 0.1:  # a date-only publication date on some sites
                published = published.date()
            self.add(title, doc, published, body, (source, kind, True))
            if rng.random() < 0.05:  # reprinted again later (the earliest counts)
                again = source.published_at + _lag(rng) + dt.timedelta(days=2)
                self.add(source.title, None, again, None, (source, "again", True))

    def hard_negatives(self, watched: list[SourceItem]) -> None:
        rng = self.rng
        for _ in range(rng.randint(15, 30)):
            source = rng.choice(watched)
            kind = rng.choice(["derived", "city_version", "next_year"])
            published = source.published_at + dt.timedelta(hours=rng.randrange(2, 24 * 60))
            core = source.title.split("关于", 1)[1]
            if kind == "derived":  # 解读 / 答记者问 of the document
                title = f"《{source.title}》{rng.choice(REPORT_WORDS)}"
            elif kind == "city_version":  # the city's own 实施意见 on the same subject
                core = core.replace("的意见", "的实施意见").replace("的指导意见", "的实施意见")
                title = f"{self.city}人民政府关于{core.replace('黑龙江省', '')}"
            else:  # next year's document of the same name
                title = source.title.replace("2017年", "2018年")
                published = source.published_at + dt.timedelta(days=rng.randrange(200, 400))
            self.add(title, None, published, _body(rng, core[:8], 6), (source, kind, False))

    def local_items(self, per_site: int) -> None:
        rng, place = self.rng, self.place
        start = dt.datetime(2017, 1, 1, 8, tzinfo=SHANGHAI)
        while self.produced < per_site:
            subject = rng.choice(SUBJECTS)
            published = start + dt.timedelta(minutes=rng.randrange(0, 540 * 24 * 60))
            title = rng.choice(
                [
                    f"{place}人民政府办公室关于{rng.choice(VERBS)}{subject}工作的通知",
                    f"{place}召开{subject}工作推进会",
                    f"{self.city}{place}{published.year}年{subject}{rng.choice(PLANS)}",
                    f"{place}{rng.choice(['扎实开展', '全力推进', '持续深化'])}{subject}工作",
                ]
            )
            body = _body(rng, subject, rng.randint(3, 8)) if rng.random() < 0.8 else None
            self.add(title, None, published, body)


def _site_items(
    rng: random.Random, watched: list[SourceItem], sites: int, per_site: int
) -> tuple[list[SiteItem], list[Planted]]:
    items: list[SiteItem] = []
    planted: list[Planted] = []
    for number in range(sites):
        site = _Site(rng, number, items, planted)
        site.reprints(watched)
        site.hard_negatives(watched)
        site.local_items(per_site)
    return items, planted


# ------------------------------------------------------------------------------------------------ accuracy

FULL = str.maketrans({**{chr(0x30 + i): chr(0xFF10 + i) for i in range(10)}, "，": ",", "。": "."})


def labelled_accuracy(config: MatchConfig) -> dict:
    data = yaml.safe_load(PAIRS.read_text(encoding="utf-8"))
    sources = data["sources"]
    counts = Counter()
    for pair in data["pairs"]:
        body = pair.get("body")
        if "body_from" in pair:
            body = sources[pair["body_from"]]["body"]
            if "body_lines" in pair:
                body = "\n".join(body.splitlines()[: pair["body_lines"]])
            if pair.get("body_transform") == "width":
                body = body.translate(FULL)
            elif pair.get("body_transform") == "reflow":
                body = body.replace("\n", "")
            body = pair.get("body_prefix", "") + body + pair.get("body_suffix", "")
        spec = sources[pair["source"]]
        source = SourceItem(
            pair["source"], spec["title"], spec.get("doc_number"), spec["published_at"], body=spec.get("body")
        )
        item = SiteItem("site", pair["title"], pair.get("doc_number"), pair["published_at"], body=body)
        predicted = match_pair(source, item, config) is not None
        counts[(predicted, bool(pair["match"]))] += 1
    tp, fp, fn = counts[(True, True)], counts[(True, False)], counts[(False, True)]
    return {
        "pairs": sum(counts.values()),
        "positives": tp + fn,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": round(tp / (tp + fp), 4) if tp + fp else 1.0,
        "recall": round(tp / (tp + fn), 4) if tp + fn else 1.0,
    }


SWEEP = [
    {},
    {"title_threshold": 0.85},
    {"title_threshold": 0.8, "max_edit_run": 2},
    {"title_threshold": 0.95},
    {"max_edit_run": 2},
    {"max_edit_run": 3},
    {"body_threshold": 0.4},
    {"body_threshold": 0.8},
    {"body_title_threshold": 0.4},
    {"body_title_threshold": 0.8},
    {"body_veto": 0.0},
    {"max_lag_days": 365.0},
]


# ------------------------------------------------------------------------------------------------ main


def _clear_caches() -> None:
    for cached in (title_key, title_signature, title_numbers):
        cached.cache_clear()


def _rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def run(args) -> dict:
    rng = random.Random(SEED)
    sites = [f"site{number:03d}" for number in range(1, args.sites + 1)]
    started = time.perf_counter()
    watched = _watched(rng, args.watched, sites)
    items, planted = _site_items(rng, watched, len(sites), args.per_site)
    generated = time.perf_counter() - started
    print(f"generated {len(watched)} watched items, {len(items)} site items in {generated:.1f} s", flush=True)
    now = dt.datetime(2018, 12, 31, 12, tzinfo=SHANGHAI)

    # The title analysis both matchers need, timed on its own from cold caches (then cleared again).
    _clear_caches()
    started = time.perf_counter()
    for site_item in items:
        _item_features(site_item)
    features_seconds = time.perf_counter() - started
    _clear_caches()

    started = time.perf_counter()
    matcher = ReprintMatcher(items)
    built = time.perf_counter() - started
    started = time.perf_counter()
    verdicts = matcher.verdicts(watched, sites, sla_hours=24, now=now)
    queried = time.perf_counter() - started
    indexed_total = built + queried
    print(f"indexed: build {built:.1f} s, verdicts {queried:.1f} s, total {indexed_total:.1f} s", flush=True)

    sample = random.Random(SEED + 1).sample(watched, args.sample)
    sample_ids = {source.id for source in sample}
    started = time.perf_counter()
    naive = naive_verdicts(sample, items, sites, sla_hours=24, now=now, features=matcher.features)
    naive_seconds = time.perf_counter() - started
    indexed_sample = [verdict for verdict in verdicts if verdict.source_id in sample_ids]
    order = {source.id: number for number, source in enumerate(sample)}
    indexed_sample.sort(key=lambda verdict: order[verdict.source_id])  # naive keeps the sample's order
    identical = indexed_sample == naive
    pairs_sample = sum(
        sum(1 for item in items if source.sites is None or item.site in source.sites) for source in sample
    )
    candidates_sample = sum(len(matcher.candidates(source)) for source in sample)
    started = time.perf_counter()
    matcher.verdicts(sample, sites, sla_hours=24, now=now)
    indexed_sample_seconds = time.perf_counter() - started
    naive_full = naive_seconds * len(watched) / len(sample) + features_seconds
    print(
        f"naive: {args.sample} watched items × all site items ({pairs_sample:,} pairs) in {naive_seconds:.1f} s"
        f" → {naive_full:.0f} s extrapolated; identical verdicts on the sample: {identical}",
        flush=True,
    )

    by_site_source = {(verdict.source_id, verdict.site): verdict for verdict in verdicts}
    found = Counter()
    for plant in planted:
        verdict = by_site_source.get((plant.source_id, plant.site))
        if plant.reprint:
            found[(plant.kind, verdict is not None and verdict.matched_url is not None)] += 1
        else:
            found[(plant.kind, verdict is not None and verdict.matched_url == plant.url)] += 1
    kinds = sorted({plant.kind for plant in planted})
    planted_report = {
        kind: {"planted": found[(kind, True)] + found[(kind, False)], "matched": found[(kind, True)]}
        for kind in kinds
    }
    accuracy = [
        {"overrides": overrides, **labelled_accuracy(dataclasses.replace(DEFAULT_CONFIG, **overrides))}
        for overrides in SWEEP
    ]
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "sizes": {
            "watched": len(watched),
            "sites": len(sites),
            "site_items": len(items),
            "verdicts": len(verdicts),
        },
        "generate_seconds": round(generated, 2),
        "features_seconds": round(features_seconds, 2),
        "indexed": {
            "build_seconds": round(built, 2),
            "verdict_seconds": round(queried, 2),
            "total_seconds": round(indexed_total, 2),
            "sample_verdict_seconds": round(indexed_sample_seconds, 3),
        },
        "naive": {
            "sample_watched": len(sample),
            "sample_pairs": pairs_sample,
            "sample_candidates_of_the_indexed_matcher": candidates_sample,
            "sample_seconds": round(naive_seconds, 2),
            "extrapolated_total_seconds": round(naive_full, 1),
            "note": "pairwise seconds × watched / sample + the site-item title analysis (features_seconds)",
        },
        "identical_on_sample": identical,
        "ratio_naive_to_indexed": round(naive_full / indexed_total, 1),
        "sample_ratio_naive_to_indexed": round(naive_seconds / indexed_sample_seconds, 1),
        "statuses": dict(Counter(verdict.status for verdict in verdicts)),
        "reasons": dict(Counter(verdict.reason for verdict in verdicts if verdict.reason)),
        "planted": planted_report,
        "labelled_set": accuracy,
        "config": dataclasses.asdict(DEFAULT_CONFIG),
        "peak_rss_mb": _rss_mb(),
        "machine": {
            "python": sys.version.split()[0],
            "rapidfuzz": rapidfuzz.__version__,
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_average": [round(value, 2) for value in os.getloadavg()],
        },
    }


def write_markdown(result: dict, path: Path) -> None:
    indexed, naive, sizes = result["indexed"], result["naive"], result["sizes"]
    lines = [
        "# Reprint matching: indexed matcher vs naive pairwise comparison",
        "",
        f"Written by `.venv/bin/python benchmarks/reprint_match.py` on {result['date']} (do not edit by hand;"
        f" rerun it). {result['machine']['cpus']} CPUs, Python {result['machine']['python']}, rapidfuzz"
        f" {result['machine']['rapidfuzz']}; load average at the end {result['machine']['load_average']}.",
        "",
        f"{sizes['watched']:,} watched items × {sizes['sites']} sites × {sizes['site_items'] // sizes['sites']}"
        f" items per site ({sizes['site_items']:,} site items, {sizes['verdicts']:,} verdicts), generated with a"
        " fixed seed (see the script's docstring).",
        "",
        "| | seconds |",
        "| --- | ---: |",
        f"| indexed: site-item title analysis + index build | {indexed['build_seconds']} |",
        f"| indexed: verdicts for all watched items | {indexed['verdict_seconds']} |",
        f"| **indexed: total** | **{indexed['total_seconds']}** |",
        f"| naive: {naive['sample_watched']} watched items × all site items ({naive['sample_pairs']:,} pairs)"
        f" | {naive['sample_seconds']} |",
        f"| naive: extrapolated to {sizes['watched']:,} watched items, + title analysis"
        f" ({result['features_seconds']} s) | {naive['extrapolated_total_seconds']} |",
        f"| indexed: the same {naive['sample_watched']} watched items"
        f" ({naive['sample_candidates_of_the_indexed_matcher']:,} candidate pairs) | {indexed['sample_verdict_seconds']} |",
        "",
        f"Ratio naive / indexed, full set: **{result['ratio_naive_to_indexed']}×**; on the sample's matching alone:"
        f" {result['sample_ratio_naive_to_indexed']}×. Identical verdicts on the sample: **{result['identical_on_sample']}**."
        f" Target < 30 s for the full set: **{'met' if indexed['total_seconds'] < 30 else 'NOT met'}**."
        f" Peak RSS {result['peak_rss_mb']} MB.",
        "",
        f"Statuses: {result['statuses']}; reasons: {result['reasons']}.",
        "",
        "## Planted items (synthetic check)",
        "",
        "Reprints count as found when their (watched item, site) verdict has a match; negatives count as matched",
        "when the verdict points at them.",
        "",
        "| kind | reprint? | planted | matched |",
        "| --- | --- | ---: | ---: |",
    ]
    negatives = {"derived", "city_version", "next_year"}
    for kind, figures in result["planted"].items():
        lines.append(
            f"| {kind} | {'no' if kind in negatives else 'yes'} | {figures['planted']} | {figures['matched']} |"
        )
    lines += [
        "",
        "## Labelled set (tests/data/reprint_pairs.yaml) with the chosen and neighbouring thresholds",
        "",
        f"Chosen: `{result['config']}`.",
        "",
        "| change | pairs | TP | FP | FN | precision | recall |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in result["labelled_set"]:
        change = ", ".join(f"{key}={value}" for key, value in row["overrides"].items()) or "(chosen)"
        lines.append(
            f"| {change} | {row['pairs']} | {row['tp']} | {row['fp']} | {row['fn']} | {row['precision']} | {row['recall']} |"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--watched", type=int, default=2000)
    parser.add_argument("--sites", type=int, default=200)
    parser.add_argument("--per-site", type=int, default=500)
    parser.add_argument("--sample", type=int, default=20)
    parser.add_argument("--out", type=Path, default=None, help="results path without suffix")
    args = parser.parse_args()
    result = run(args)
    default_sizes = (args.watched, args.sites, args.per_site) == (2000, 200, 500)
    out = args.out or (RESULTS / "reprint-match" if default_sizes else None)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.with_suffix(".json").write_text(
            json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        write_markdown(result, out.with_suffix(".md"))
        print(f"wrote {out.with_suffix('.json')} and {out.with_suffix('.md')}")
    print(
        json.dumps(
            {
                key: result[key]
                for key in ("indexed", "naive", "identical_on_sample", "ratio_naive_to_indexed")
            },
            ensure_ascii=False,
        )
    )
    return 0 if result["identical_on_sample"] else 1


if __name__ == "__main__":
    sys.exit(main())
