#!/usr/bin/env python3
"""Choose the Chinese text analysis of the Solr schema by measurement.

Starts a Solr 9.10.1 node of its own (home under .runtime/analysis/, free port) whose configset is the one
the portal runs (`solr/build_configset.py`) plus, per candidate analysis, a field type and the fields
``title_c_<key>`` / ``text_c_<key>``, fed by the same copyFields as ``title_zh`` / ``text_zh``. Indexes the
labelled corpus benchmarks/data/chinese_search_corpus.yaml as CKAN-like documents; runs every query as CKAN
does (dismax, q.op=AND, mm="2<-1 5<80%", tie=0.1), once over the plugin's query fields with the candidate's
fields in place of ``title_zh`` / ``text_zh`` and once over the candidate's fields alone; replays the
assertions of tests/test_search.py; stops the node; writes benchmarks/results/chinese-analysis.md and .json.

    .venv/bin/python benchmarks/chinese_analysis.py [--keep-home]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import requests
import yaml

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "benchmarks" / "data" / "chinese_search_corpus.yaml"
RESULTS = ROOT / "benchmarks" / "results"
RUNTIME = ROOT / ".runtime" / "analysis"
SOLR_LIB = ROOT / ".runtime" / "solr" / "lib"
BUILD_CONFIGSET = ROOT / "solr" / "build_configset.py"
# The default of ckanext.hlj.search.query_fields, and what ckan/lib/search/query.py adds to a plain query.
PLUGIN_QF = "name^4 title^4 title_zh^4 tags^2 groups^2 text text_zh"
CKAN_PARAMS = {"defType": "dismax", "q.op": "AND", "mm": "2<-1 5<80%", "tie": "0.1"}
SITE_ID = "hlj-analysis"
TOP_STORED = 10  # ranked result names kept per query in the JSON file (missed / extra hold the full sets)
START_TIMEOUT = 240
MODES = {
    "ckan": "plugin query fields (name^4 title^4 title_X^4 tags^2 groups^2 text text_X): what a citizen gets",
    "zh": "the candidate's fields alone (title_X^4 text_X): the analysis on its own",
}
SAMPLES = [
    "黑龙江省行政许可事项目录",
    "哈尔滨市长江路道路改造",
    "黑政办发〔2017〕10号",
    "政务服务API",
    "哈爾濱市",
]
SAMPLE_CANDIDATES = ("bigram", "icu", "smartcn", "bigramgap", "bigramgapt2s")
SIDES = ("index", "query")


# ------------------------------------------------------------------------------------------------- candidates

BIGRAM_INDEX = """
  <tokenizer class="solr.StandardTokenizerFactory"/>
  <filter class="solr.CJKWidthFilterFactory"/>{extra}
  <filter class="solr.LowerCaseFilterFactory"/>
  <filter class="solr.CJKBigramFilterFactory" outputUnigrams="true"/>"""
BIGRAM_QUERY = """{charfilter}
  <tokenizer class="solr.StandardTokenizerFactory"/>
  <filter class="solr.CJKWidthFilterFactory"/>{extra}
  <filter class="solr.LowerCaseFilterFactory"/>
  <filter class="solr.CJKBigramFilterFactory"/>{gap}"""
T2S = '\n  <filter class="solr.ICUTransformFilterFactory" id="Traditional-Simplified"/>'
# The index side puts a run of n Han characters on n positions (its unigrams), the bigram-only query side
# on n - 1, so whatever follows a run of two or more Han characters inside one query word (2017 in
# 黑政办发〔2017〕10号, API in 政务服务API, a second run after 、) is one position early and the phrase fails.
# The query side of G and H inserts a placeholder token after such a run and removes it again: the removed
# token leaves its position increment behind.
GAP_CHARFILTER = (
    '\n  <charFilter class="solr.PatternReplaceCharFilterFactory" '
    'pattern="(?&lt;=\\p{IsHan}\\p{IsHan})(?=[^\\p{IsHan}\\s])" replacement=" hljgap "/>'
)
GAP_FILTERS = """
  <filter class="solr.PatternReplaceFilterFactory" pattern="^hljgap$" replacement=""/>
  <filter class="solr.LengthFilterFactory" min="1" max="255"/>"""
ICU_WORDS = """
  <tokenizer class="solr.ICUTokenizerFactory"/>
  <filter class="solr.CJKWidthFilterFactory"/>
  <filter class="solr.ICUFoldingFilterFactory"/>"""


def bigram(*, t2s: bool = False, gap: bool = False, tokenizer: str = "") -> dict[str, str]:
    """Index and query analyzers of the bigram family."""
    extra = T2S if t2s else ""
    index = BIGRAM_INDEX.format(extra=extra)
    query = BIGRAM_QUERY.format(
        extra=extra, charfilter=GAP_CHARFILTER if gap else "", gap=GAP_FILTERS if gap else ""
    )
    if tokenizer:
        index = index.replace('"solr.StandardTokenizerFactory"', tokenizer)
        query = query.replace('"solr.StandardTokenizerFactory"', tokenizer)
    return {"index": index, "query": query}


@dataclass(frozen=True)
class Candidate:
    key: str
    name: str
    summary: str
    index: str | None = None  # analyzer body (tokenizer and filters); None: no field type of its own
    query: str | None = None  # query analyzer body when it differs from the index one
    phrases: bool = True  # autoGeneratePhraseQueries: a query word's tokens must be adjacent and in order
    uses: tuple[str, ...] = ()  # for hybrids: the candidates whose fields are searched together
    title_field: str = ""
    text_field: str = ""

    def fields(self, by_key: dict[str, Candidate]) -> tuple[list[str], list[str]]:
        """(title fields, text fields) searched for this candidate."""
        if self.uses:
            parts = [by_key[k].fields(by_key) for k in self.uses]
            return [t for p in parts for t in p[0]], [t for p in parts for t in p[1]]
        return [self.title_field or f"title_c_{self.key}"], [self.text_field or f"text_c_{self.key}"]

    def field_type_xml(self) -> str:
        auto = "true" if self.phrases else "false"
        head = f'<fieldType name="c_{self.key}" class="solr.TextField" positionIncrementGap="100" '
        head += f'autoGeneratePhraseQueries="{auto}">'
        if self.query is None:
            return f"{head}<analyzer>{self.index}\n</analyzer></fieldType>"
        return (
            f'{head}<analyzer type="index">{self.index}\n</analyzer>'
            f'<analyzer type="query">{self.query}\n</analyzer></fieldType>'
        )


CANDIDATES = [
    Candidate(
        "bigram",
        "A bigram",
        "`text_zh` before this measurement: Standard → CJKWidth → LowerCase → CJKBigram (index: bigrams + "
        "unigrams; query: bigrams)",
        **bigram(),
    ),
    Candidate(
        "icu",
        "B ICU words",
        "ICUTokenizer (dictionary word segmentation) → CJKWidth → ICUFolding",
        index=ICU_WORDS,
    ),
    Candidate(
        "smartcn",
        "C smartcn",
        "HMMChineseTokenizer → CJKWidth → LowerCase → Stop (smartcn's stopwords: punctuation)",
        index="""
  <tokenizer class="solr.HMMChineseTokenizerFactory"/>
  <filter class="solr.CJKWidthFilterFactory"/>
  <filter class="solr.LowerCaseFilterFactory"/>
  <filter class="solr.StopFilterFactory" words="org/apache/lucene/analysis/cn/smart/stopwords.txt"/>""",
    ),
    Candidate(
        "icubigram",
        "D ICU bigram",
        'A with ICUTokenizer cjkAsWords="false" instead of StandardTokenizer',
        **bigram(tokenizer='"solr.ICUTokenizerFactory" cjkAsWords="false"'),
    ),
    Candidate(
        "bigramt2s",
        "E A + T→S",
        "A with ICUTransform Traditional-Simplified after CJKWidth (index and query)",
        **bigram(t2s=True),
    ),
    Candidate(
        "icubag",
        "(ICU words, no phrases)",
        "B with autoGeneratePhraseQueries=false; only used inside F",
        index=ICU_WORDS,
        phrases=False,
    ),
    Candidate(
        "hybrid",
        "F A ∪ ICU words",
        "A's fields plus ICU word fields without phrase queries, searched together (two more fields)",
        uses=("bigram", "icubag"),
    ),
    Candidate(
        "bigramgap",
        "G A + aligned query",
        "A whose query side keeps the position after a Han run (placeholder token inserted and removed)",
        **bigram(gap=True),
    ),
    Candidate(
        "bigramgapt2s",
        "H A + aligned + T→S",
        "G and E together",
        **bigram(gap=True, t2s=True),
    ),
    Candidate(
        "repo",
        "repo text_zh",
        "title_zh / text_zh exactly as solr/conf/hlj-schema-additions.xml defines them now",
        title_field="title_zh",
        text_field="text_zh",
    ),
]
REPORTED = [c for c in CANDIDATES if c.key != "icubag"]
BASELINE = "bigram"
CHOSEN = "bigramgapt2s"


# -------------------------------------------------------------------------------------------------- solr node


def build_home(home: Path, candidates: list[Candidate]) -> None:
    """The portal's configset, plus a field type and title/text fields per candidate, in a fresh Solr home."""
    shutil.rmtree(home, ignore_errors=True)
    (home / "ckan").mkdir(parents=True)
    (home / "solr.xml").write_text("<?xml version='1.0' encoding='UTF-8'?>\n<solr/>\n", encoding="utf-8")
    (home / "ckan" / "core.properties").write_text("name=ckan\ndataDir=data\n", encoding="utf-8")
    subprocess.run(
        [sys.executable, str(BUILD_CONFIGSET), str(home / "ckan")], check=True, capture_output=True
    )
    schema_path = home / "ckan" / "conf" / "schema.xml"
    tree = ET.parse(schema_path)
    schema = tree.getroot()
    text_zh_sources = [c.get("source") for c in schema.iter("copyField") if c.get("dest") == "text_zh"]
    if not text_zh_sources:
        raise SystemExit("the generated schema has no copyField into text_zh")
    for cand in candidates:
        if cand.index is None:
            continue
        schema.append(ET.fromstring(cand.field_type_xml()))
        title, text = f"title_c_{cand.key}", f"text_c_{cand.key}"
        schema.append(
            ET.Element(
                "field", {"name": title, "type": f"c_{cand.key}", "indexed": "true", "stored": "false"}
            )
        )
        schema.append(
            ET.Element(
                "field",
                {
                    "name": text,
                    "type": f"c_{cand.key}",
                    "indexed": "true",
                    "stored": "false",
                    "multiValued": "true",
                },
            )
        )
        schema.append(ET.Element("copyField", {"source": "title", "dest": title}))
        for source in text_zh_sources:
            schema.append(ET.Element("copyField", {"source": source, "dest": text}))
    ET.indent(tree, space="  ")
    tree.write(schema_path, encoding="UTF-8", xml_declaration=True)


class SolrNode:
    """A Solr node started with solr/HljSolr.java on a free port; stopped (SIGTERM, then SIGKILL) on exit."""

    def __init__(self, home: Path, log: Path) -> None:
        self.home, self.log = home, log
        self.proc: subprocess.Popen[str] | None = None
        self.url = ""

    def __enter__(self) -> SolrNode:
        cmd = [
            "java",
            "-Xmx1g",
            f"-Dlog4j2.configurationFile={ROOT / 'solr' / 'log4j2.xml'}",
            f"-Dsolr.log.dir={self.log.parent}",
            "-cp",
            f"{SOLR_LIB}/*",
            str(ROOT / "solr" / "HljSolr.java"),
            str(self.home),
            "0",
        ]
        with self.log.open("w", encoding="utf-8") as log:
            self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log, text=True, encoding="utf-8")
        lines: queue.Queue[str | None] = queue.Queue()

        def read() -> None:
            assert self.proc is not None and self.proc.stdout is not None
            for line in self.proc.stdout:
                lines.put(line)
            lines.put(None)

        threading.Thread(target=read, daemon=True).start()
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                line = None
            if line is None or time.monotonic() > deadline:
                self.__exit__()
                raise SystemExit(f"Solr did not start; see {self.log}")
            if line.startswith("HLJ_SOLR_READY"):
                self.url = line.split()[2].rstrip("/") + "/ckan"
                return self
            if line.startswith("HLJ_SOLR_FAILED"):
                self.__exit__()
                raise SystemExit(f"Solr failed to start ({line.strip()}); see {self.log}")

    def __exit__(self, *exc: object) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# ----------------------------------------------------------------------------------------------------- corpus


def solr_doc(doc: dict, site_id: str = SITE_ID) -> dict:
    """A document shaped like the one CKAN's package indexer sends (only the fields search touches)."""
    out = {
        "id": doc["id"],
        "index_id": f"{site_id}-{doc['id']}",
        "site_id": site_id,
        "name": doc["id"],
        "title": doc["title"],
        "notes": doc.get("notes", ""),
        "entity_type": "package",
        "dataset_type": "dataset",
        "state": "active",
        "capacity": "public",
        "permission_labels": ["public"],
        "tags": doc.get("tags", []),
        "groups": doc.get("groups", []),
        "res_name": [r.get("name", "") for r in doc.get("resources", [])],
        "res_description": [r.get("description", "") for r in doc.get("resources", [])],
    }
    if doc.get("org"):
        out["organization"] = doc["org"]
    for key in ("issuer", "doc_no"):
        if doc.get(key):
            out[f"extras_{key}"] = doc[key]
    return out


def index(session: requests.Session, url: str, docs: list[dict]) -> None:
    r = session.post(f"{url}/update", params={"commit": "true"}, json=docs, timeout=60)
    r.raise_for_status()


def search(
    session: requests.Session, url: str, q: str, qf: str, site_id: str = SITE_ID
) -> tuple[list[str], int]:
    params = {
        "q": q,
        "qf": qf,
        **CKAN_PARAMS,
        "fq": [f"+site_id:{site_id}", "+state:active"],
        "fl": "name,score",
        "rows": 1000,
        "wt": "json",
    }
    r = session.get(f"{url}/select", params=params, timeout=60)
    r.raise_for_status()
    body = r.json()
    return [d["name"] for d in body["response"]["docs"]], body["responseHeader"]["QTime"]


def query_fields(cand: Candidate, by_key: dict[str, Candidate], mode: str) -> str:
    titles, texts = cand.fields(by_key)
    title_part, text_part = " ".join(f"{t}^4" for t in titles), " ".join(texts)
    if mode == "zh":
        return f"{title_part} {text_part}"
    return PLUGIN_QF.replace("title_zh^4", title_part).replace("text text_zh", f"text {text_part}")


# ---------------------------------------------------------------------------------------------------- metrics


def score(retrieved: list[str], relevant: set[str]) -> dict:
    """Metrics of one query over its whole result set.

    Empty result: P = 1 (nothing wrong shown); no relevant document: R = 1 (nothing to miss). So a query that
    should find nothing scores F1 = 1 when its result is empty and 0 otherwise, and a query that should find
    something scores F1 = 0 when its result is empty."""
    got = set(retrieved)
    hits = len(got & relevant)
    precision = hits / len(got) if got else 1.0
    recall = hits / len(relevant) if relevant else 1.0
    if relevant and not got:
        f1 = 0.0
    elif not relevant:
        f1 = 1.0 if not got else 0.0
    else:
        f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    dcg = sum(1 / math.log2(i + 2) for i, d in enumerate(retrieved[:10]) if d in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(relevant), 10)))
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "ndcg10": dcg / ideal if relevant else None,
        "hits": hits,
        "retrieved_count": len(got),
        "relevant_count": len(relevant),
        "exact": got == relevant,
        "missed": sorted(relevant - got),
        "extra": sorted(got - relevant),
    }


def summarise(per_query: list[dict]) -> dict:
    n = len(per_query)
    positive = [p for p in per_query if p["relevant_count"]]
    negative = [p for p in per_query if not p["relevant_count"]]
    retrieved = sum(p["retrieved_count"] for p in per_query)
    return {
        "queries": n,
        "macro_precision": sum(p["precision"] for p in per_query) / n,
        "macro_recall": sum(p["recall"] for p in per_query) / n,
        "macro_f1": sum(p["f1"] for p in per_query) / n,
        "micro_precision": sum(p["hits"] for p in per_query) / retrieved if retrieved else 1.0,
        "micro_recall": sum(p["hits"] for p in positive) / sum(p["relevant_count"] for p in positive),
        "ndcg10": sum(p["ndcg10"] for p in positive) / len(positive),
        "exact": sum(p["exact"] for p in per_query),
        "negatives_empty": sum(p["exact"] for p in negative),
        "negatives": len(negative),
        "false_positives": sum(len(p["extra"]) for p in per_query),
        "misses": sum(len(p["missed"]) for p in per_query),
    }


# ------------------------------------------------------------------------------------------------- behaviours

TEST_TITLE = "黑龙江省行政许可事项目录"


@dataclass
class Check:
    """A test of tests/test_search.py replayed on the node: its documents and (query, expected) pairs."""

    name: str
    docs: list[dict]
    expect: list[tuple[str, list[str]]]
    qf: str = ""  # qf chosen by the caller ("{title}": the candidate's title fields); default: the plugin's


CHECKS = [
    Check(
        "word_inside_unspaced_chinese_title_is_found",
        [{"id": "xzxk-mulu", "title": TEST_TITLE}, {"id": "kongqi", "title": "哈尔滨市空气质量监测数据"}],
        [("行政许可", ["xzxk-mulu"]), ("事项目录", ["xzxk-mulu"]), ("空气质量", ["kongqi"])],
    ),
    Check(
        "unrelated_word_finds_nothing",
        [{"id": "xzxk-mulu", "title": TEST_TITLE}],
        [("行政处罚", []), ("水库", [])],
    ),
    Check(
        "characters_out_of_order_do_not_match", [{"id": "xzxk-mulu", "title": TEST_TITLE}], [("许可行政", [])]
    ),
    Check(
        "words_in_notes_tags_and_resources_are_found",
        [
            {
                "id": "shuangyashan",
                "title": "双公示数据",
                "notes": "本数据集公开全市各部门作出的行政处罚决定。",
                "tags": ["信用信息"],
                "resources": [{"name": "二〇二四年处罚决定书清单", "description": "按季度更新"}],
            }
        ],
        [(w, ["shuangyashan"]) for w in ("处罚决定", "信用", "决定书清单", "季度更新")],
    ),
    Check(
        "mixed_chinese_and_english_query",
        [{"id": "api-doc", "title": "政务服务API接口说明"}, {"id": "other", "title": "政务服务事项清单"}],
        [("政务服务 API", ["api-doc"]), ("api", ["api-doc"])],
    ),
    Check(
        "fullwidth_latin_and_digits_match_halfwidth",
        [{"id": "gdp", "title": "２０２４年ＧＤＰ统计公报"}],
        [("2024年GDP", ["gdp"])],
    ),
    Check(
        "english_search_still_stems",
        [{"id": "reports", "title": "Annual reports on government information"}],
        [("report", ["reports"])],
    ),
    Check(
        "caller_chosen_query_fields_are_respected",
        [{"id": "xzxk-mulu", "title": TEST_TITLE}],
        [("行政许可", [])],
        qf="name^4 title^4",
    ),
    Check(
        "caller_chosen_query_fields_are_respected (title_zh)",
        [{"id": "xzxk-mulu", "title": TEST_TITLE}],
        [("行政许可", ["xzxk-mulu"])],
        qf="{title}",
    ),
]


def run_checks(session: requests.Session, url: str, by_key: dict[str, Candidate]) -> dict[str, list[dict]]:
    for n, check in enumerate(CHECKS):
        index(session, url, [solr_doc(d, f"check{n}") for d in check.docs])
    out: dict[str, list[dict]] = {}
    for cand in REPORTED:
        rows = []
        for n, check in enumerate(CHECKS):
            for q, expected in check.expect:
                qf = check.qf.replace("{title}", " ".join(cand.fields(by_key)[0])) or query_fields(
                    cand, by_key, "ckan"
                )
                got, _ = search(session, url, q, qf, f"check{n}")
                rows.append({"test": check.name, "q": q, "qf": qf, "expected": expected, "got": got})
        out[cand.key] = rows
    return out


# --------------------------------------------------------------------------------------------------- analysis


def tokens(session: requests.Session, url: str, fieldname: str, text: str, side: str) -> str:
    """The analyzer's output for `text` as "position:token/token …" (side: index or query)."""
    key = "analysis.fieldvalue" if side == "index" else "analysis.query"
    params = {"analysis.fieldname": fieldname, key: text, "wt": "json"}
    body = session.get(f"{url}/analysis/field", params=params, timeout=60).json()
    stages = body["analysis"]["field_names"][fieldname][side]
    by_position: dict[int, list[str]] = {}
    for tok in stages[-1]:
        by_position.setdefault(tok["position"], []).append(tok["text"])
    return " ".join(f"{pos}:{'/'.join(v)}" for pos, v in sorted(by_position.items()))


def gb2312_hanzi() -> list[str]:
    """The 6763 characters of GB 2312 (rows 16-87), i.e. everyday simplified Chinese."""
    chars = []
    for row in range(0xB0, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.append(bytes([row, cell]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def t2s_changes(session: requests.Session, url: str, fieldname: str) -> tuple[int, list[str]]:
    """The everyday simplified characters that the Traditional→Simplified transform changes.

    It runs at index and query time, so each change merges two characters for search."""
    chars, changed = gb2312_hanzi(), []
    for start in range(0, len(chars), 500):
        chunk = chars[start : start + 500]
        data = {"analysis.fieldname": fieldname, "analysis.fieldvalue": " ".join(chunk), "wt": "json"}
        body = session.post(f"{url}/analysis/field", data=data, timeout=60).json()
        out = [t["text"] for t in body["analysis"]["field_names"][fieldname]["index"][-1]]
        if len(out) != len(chunk):
            raise RuntimeError(f"{fieldname}: {len(chunk)} characters became {len(out)} tokens")
        changed += [f"{a}→{b}" for a, b in zip(chunk, out, strict=True) if a != b]
    return len(chars), changed


def distinct_terms(session: requests.Session, url: str, fieldname: str) -> int | None:
    params = {"fl": fieldname, "numTerms": 0, "wt": "json"}
    body = session.get(f"{url}/admin/luke", params=params, timeout=60).json()
    return body.get("fields", {}).get(fieldname, {}).get("distinct")


# ----------------------------------------------------------------------------------------------------- report


def pct(x: float) -> str:
    return f"{100 * x:.1f}"


def summary_table(results: dict, mode: str) -> list[str]:
    lines = [
        "| candidate | macro P | macro R | macro F1 | micro P | micro R | nDCG@10 | exact | negatives empty "
        "| false pos. | misses | behaviour checks |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for cand in REPORTED:
        s = results["summary"][mode][cand.key]
        checks = results["checks"][cand.key]
        passed = sum(c["got"] == c["expected"] for c in checks)
        cells = [
            cand.name,
            pct(s["macro_precision"]),
            pct(s["macro_recall"]),
            f"**{pct(s['macro_f1'])}**",
            pct(s["micro_precision"]),
            pct(s["micro_recall"]),
            pct(s["ndcg10"]),
            f"{s['exact']}/{s['queries']}",
            f"{s['negatives_empty']}/{s['negatives']}",
            str(s["false_positives"]),
            str(s["misses"]),
            f"{passed}/{len(checks)}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def kind_table(results: dict, queries: list[dict], mode: str) -> list[str]:
    kinds = list(dict.fromkeys(q["kind"] for q in queries))
    lines = [
        "| kind (queries) | " + " | ".join(c.name for c in REPORTED) + " |",
        "|---" * (len(REPORTED) + 1) + "|",
    ]
    for kind in kinds:
        idx = [i for i, q in enumerate(queries) if q["kind"] == kind]
        cells = []
        for cand in REPORTED:
            per = results["per_query"][mode][cand.key]
            cells.append(pct(sum(per[i]["f1"] for i in idx) / len(idx)))
        lines.append(f"| {kind} ({len(idx)}) | " + " | ".join(cells) + " |")
    return lines


def failures(results: dict, queries: list[dict], mode: str, cand: Candidate) -> list[str]:
    lines = []
    for q, p in zip(queries, results["per_query"][mode][cand.key], strict=True):
        if p["exact"]:
            continue
        parts = []
        if p["missed"]:
            parts.append("missed " + ", ".join(p["missed"]))
        if p["extra"]:
            parts.append("wrongly found " + ", ".join(p["extra"]))
        lines.append(f"- `{q['q']}` ({q['kind']}, F1 {pct(p['f1'])}): " + "; ".join(parts))
    return lines or ["- none"]


def query_matrix(results: dict, queries: list[dict]) -> list[str]:
    """F1 per query and candidate (plugin's fields / fields alone), for the queries not every candidate gets right."""
    lines = [
        "| query (kind) | " + " | ".join(c.name.split()[0] for c in REPORTED) + " |",
        "|---" * (len(REPORTED) + 1) + "|",
    ]
    for i, q in enumerate(queries):
        cells = [
            "/".join(f"{100 * results['per_query'][m][c.key][i]['f1']:.0f}" for m in MODES) for c in REPORTED
        ]
        if any(cell != "100/100" for cell in cells):
            lines.append(f"| `{q['q']}` ({q['kind']}) | " + " | ".join(cells) + " |")
    return lines


def same_results(results: dict, a: str, b: str) -> bool:
    return all(
        [x["missed"], x["extra"]] == [y["missed"], y["extra"]]
        for mode in MODES
        for x, y in zip(results["per_query"][mode][a], results["per_query"][mode][b], strict=True)
    )


def compare(results: dict, queries: list[dict], mode: str, new: str, old: str) -> dict:
    """Query by query: where `new` is better or worse than `old`, and the misses and false matches it adds."""
    better, worse, new_missed, new_extra = [], [], 0, 0
    for q, n, o in zip(
        queries, results["per_query"][mode][new], results["per_query"][mode][old], strict=True
    ):
        if n["f1"] > o["f1"] + 1e-9:
            better.append(q["q"])
        elif n["f1"] < o["f1"] - 1e-9:
            worse.append(q["q"])
        new_missed += len(set(n["missed"]) - set(o["missed"]))
        new_extra += len(set(n["extra"]) - set(o["extra"]))
    return {"better": better, "worse": worse, "new_missed": new_missed, "new_extra": new_extra}


def code_list(items: list[str]) -> str:
    return ", ".join(f"`{i}`" for i in items) if items else "none"


DECISION = """\
**Decision: H replaces A as `text_zh`** in solr/conf/hlj-schema-additions.xml: A's bigram chain with its query
side aligned to the index positions (G) and a Traditional→Simplified transform on both sides (E). The field
names title_zh / notes_zh / text_zh and the plugin's query fields stay as they are.

Over the plugin's query fields H reaches macro F1 {H_f1} against {A_f1} for A and micro recall {H_rec} against
{A_rec}, without losing precision (micro precision {H_microp} against {A_microp}); over the Chinese fields
alone its macro F1 is {H_f1_zh} against {A_f1_zh}. Query by query (plugin's fields) H is better than A on
{cmp_better_n} queries ({cmp_better}) and worse on {cmp_worse_n} ({cmp_worse}); it adds {cmp_new_extra}
wrongly found and {cmp_new_missed} missed documents. It passes the behaviour checks of tests/test_search.py
({H_checks}).

1. **A has a position bug; G fixes it.** The index side puts a run of n Han characters on n positions (its
   unigrams), the bigram-only query side on n - 1, so whatever follows a run of two or more Han characters
   inside one query word is one position early and the auto-generated phrase cannot match: full 文号
   (黑政办发〔2017〕10号, 国办发〔2016〕80号), 政务服务API, 个人所得税APP, 行政许可、行政处罚. Over the Chinese
   fields alone A finds none of these (macro F1 on `docno` {A_docno_zh} against {G_docno_zh} for G, on `mixed`
   {A_mixed_zh} against {G_mixed_zh}). Over the plugin's fields the 文号 are rescued only by CKAN's `text`
   field (see the last paragraph), and 政务服务API and 个人所得税APP stay unfound. G's query analyzer inserts a
   placeholder token after such a run and removes it again, which keeps the missing position. The index side
   is unchanged and so is the meaning of a query word: its characters, adjacent and in order (许可行政 still
   finds nothing). The unspaced mixed queries 政务服务API, 个人所得税APP, 黑龙江省5G基站, 哈尔滨市2024年,
   行政许可、行政处罚, 二〇二四年 and 黑政办发〔2017〕 were added to the corpus after the first run had shown the
   bug on the full 文号 queries, to measure how far it reaches.
2. **T→S (E) costs nothing measurable.** Simplified queries find the traditional-character records (zc16,
   zc24) and traditional queries (哈爾濱, 信息公開) find simplified ones. Of the {t2s_total} characters of
   GB 2312 the transform changes {t2s_n}: {t2s_list}. As it runs at index and query time, each change only
   merges two spellings for search. The corpus holds just two traditional records (on purpose), so this part
   of the gain is small in the figures; it matters for archived documents and for readers in Hong Kong, Macao
   and Taiwan.
3. **Word segmentation loses.** B (ICU words) and C (smartcn) never match across a word boundary (江省, 市长 in
   哈尔滨市长江路, 省长 in 黑龙江省长期护理保险: A's only false matches in the Chinese fields), but they miss
   whatever the dictionary keeps inside a longer token or cuts differently in document and query: 尔滨, 药 in
   药品, 税 in 个人所得税 (B); 哈尔滨 inside 哈尔滨市, 齐齐哈尔, 牡丹江, 许可 inside 许可证, single characters
   (C). Worse, punctuation between two words does not separate them, so B finds 许可行政, 处罚行政 and
   设计审查消防 in 行政许可、行政处罚 and 消防设计审查、消防验收 ({B_neg} should-find-nothing queries empty,
   against {A_neg} for A). When citizens type a fragment of a title, a department or a 文号, a missed document
   is the worse error; the three boundary false matches are the price of A and H.
4. **D adds nothing.** The ICU tokenizer with cjkAsWords="false" in place of the standard one gives A's
   results over the plugin's fields (macro F1 {D_f1}); over the Chinese fields alone it is worse than A on
   {D_worse_zh}.
5. **F is rejected.** Searching ICU words without phrase queries next to A's bigrams does not give "all words,
   any order": within one query word dismax ORs the tokens (mm counts whitespace-separated words only), so
   行政许可 finds every document with 行政 or 许可. Macro precision drops to {F_p}, it fails
   {F_checks_failed} behaviour checks (行政处罚 and 许可行政 find the 行政许可 title), and it would need two more
   fields and a new qf.

Deployment: `solr.ICUTransformFilterFactory` is in lucene-analysis-icu, which the local runtime resolves
(solr/pom.xml) and the Docker image loads (SOLR_MODULES=analysis-extras). The index analyzer has changed, so
an existing index must be rebuilt once the core runs the new configset (`ckan search-index rebuild`).

Weaknesses that remain, for every candidate: matches across a word boundary (江省, 市长, 省长 above), and
words typed together that are apart in the document (哈尔滨空气质量 against 哈尔滨市空气质量…, 大庆公交,
黑龙江医疗机构, 空气监测, A级景区): each whitespace-separated query word is one exact phrase, so typing a
space finds them (哈尔滨 空气质量). A sloppy phrase (dismax `qs`) cannot be sent through package_search,
which rejects parameters outside its VALID_SOLR_PARAMETERS.

Outside `text_zh`: CKAN's own `title` and `text` fields in the query fields (WhitespaceTokenizer +
WordDelimiterGraph, no phrase queries) split a 文号 or a mixed token into parts that are ORed, so
黑政办发〔2017〕10号 also returns every document whose 文号 contains 2017, 10 or 号. The right document still
ranks first for every 文号 query, so this is noise rather than a miss, but it is where {H_fp_ckan} of H's
{H_fp} wrongly found documents over the plugin's fields come from (the other {H_fp_zh} come from the Chinese
fields: 江省, 市长, 省长). That is a matter for `ckanext.hlj.search.query_fields`, not for the analysis.
"""


def decision_values(results: dict, queries: list[dict]) -> dict[str, str]:
    letter = {c.key: c.name.split()[0] for c in REPORTED}
    values: dict[str, str] = {}
    for mode, suffix in (("ckan", ""), ("zh", "_zh")):
        for cand in REPORTED:
            s, x = results["summary"][mode][cand.key], letter[cand.key]
            values[f"{x}_f1{suffix}"] = pct(s["macro_f1"])
            values[f"{x}_p{suffix}"] = pct(s["macro_precision"])
            values[f"{x}_rec{suffix}"] = pct(s["micro_recall"])
            values[f"{x}_microp{suffix}"] = pct(s["micro_precision"])
            values[f"{x}_neg{suffix}"] = f"{s['negatives_empty']}/{s['negatives']}"
            values[f"{x}_fp{suffix}"] = str(s["false_positives"])
            for kind in ("docno", "mixed"):
                per = [
                    p
                    for p, q in zip(results["per_query"][mode][cand.key], queries, strict=True)
                    if q["kind"] == kind
                ]
                values[f"{x}_{kind}{suffix}"] = pct(sum(p["f1"] for p in per) / len(per))
    for cand in REPORTED:
        checks = results["checks"][cand.key]
        failed = sum(c["got"] != c["expected"] for c in checks)
        values[f"{letter[cand.key]}_checks"] = f"{len(checks) - failed}/{len(checks)}"
        values[f"{letter[cand.key]}_checks_failed"] = str(failed)
    chosen = letter[CHOSEN]
    values["H_fp_ckan"] = str(int(values[f"{chosen}_fp"]) - int(values[f"{chosen}_fp_zh"]))
    values["D_worse_zh"] = code_list(compare(results, queries, "zh", "icubigram", BASELINE)["worse"])
    cmp = compare(results, queries, "ckan", CHOSEN, BASELINE)
    values |= {
        "cmp_better_n": str(len(cmp["better"])),
        "cmp_better": code_list(cmp["better"]),
        "cmp_worse_n": str(len(cmp["worse"])),
        "cmp_worse": code_list(cmp["worse"]),
        "cmp_new_extra": str(cmp["new_extra"]),
        "cmp_new_missed": str(cmp["new_missed"]),
        "t2s_total": str(results["t2s_changes"]["characters"]),
        "t2s_n": str(len(results["t2s_changes"]["changed"])),
        "t2s_list": " ".join(results["t2s_changes"]["changed"]),
    }
    return values


INTRO = """\
Written by `.venv/bin/python benchmarks/chinese_analysis.py` (do not edit by hand; rerun it). Solr 9.10.1
with the Lucene 9.12 analysis jars of .runtime/solr/lib; corpus benchmarks/data/chinese_search_corpus.yaml:
{docs} documents, {queries} labelled queries ({negatives} of them should find nothing). Run took
{elapsed:.0f} s.
"""
METHOD = """\
Every candidate has a field type `c_<key>` and fields `title_c_<key>` / `text_c_<key>`, fed by the same
copyFields as `title_zh` / `text_zh` (title; every source of CKAN's `text`); the analyzers are in the JSON
file. Queries are sent as CKAN sends them: dismax, q.op=AND, mm=`2<-1 5<80%`, tie=0.1, fq
`+site_id +state:active`, all rows. All Chinese field types use autoGeneratePhraseQueries=true (the tokens of
one whitespace-separated query word must be adjacent and in order) except the ICU half of F.

## Metrics

Per query, on the whole result set: precision P = relevant found / found, recall R = relevant found /
relevant. An empty result has P = 1 (nothing wrong shown); a query with no relevant document has R = 1. So a
should-find-nothing query scores F1 = 1 if its result is empty and 0 otherwise, and a query with relevant
documents scores F1 = 0 when nothing is found. Macro = mean over all queries; micro P/R pool the documents of
all queries (unaffected by the empty-set convention); nDCG@10 (binary gain) over the queries that have
relevant documents; exact = result set equals the relevant set; false pos. / misses = wrongly found / missed
documents summed over the queries. Behaviour checks = the assertions of tests/test_search.py (all but the
private-dataset ones) replayed on the node, each test's documents under a site_id of their own.
"""


def write_report(results: dict, queries: list[dict], docs: list[dict], elapsed: float) -> str:
    by_key = {c.key: c for c in CANDIDATES}
    same = [c.name for c in REPORTED if c.key != "repo" and same_results(results, "repo", c.key)]
    out = [
        "# Chinese text analysis for Solr: measured choice",
        "",
        INTRO.format(
            docs=len(docs),
            queries=len(queries),
            negatives=sum(1 for q in queries if not q["relevant"]),
            elapsed=elapsed,
        ),
        "## Candidates",
        "",
        *[f"- **{c.name}** (`{c.key}`): {c.summary}" for c in REPORTED],
        "",
        METHOD,
    ]
    for mode, what in MODES.items():
        out += [f"## Results over {what}", "", *summary_table(results, mode), ""]
    for mode, what in (("ckan", "plugin query fields"), ("zh", "candidate fields alone")):
        out += [f"### Macro F1 by kind of query ({what})", "", *kind_table(results, queries, mode), ""]
    terms = results["distinct_terms"]
    out += [
        "Index size, roughly: distinct terms in each candidate's `text_c_*` field: "
        + ", ".join(f"{by_key[k].name} {v}" for k, v in terms.items() if v is not None)
        + ". Speed was not measured: on 79 documents every query takes a millisecond or two.",
        "",
        "## How the candidates analyse (position:token, tokens at one position joined by /)",
        "",
    ]
    for sample, per in results["samples"].items():
        out += [f"`{sample}`", ""]
        for key, sides in per.items():
            if sides["index"] == sides["query"]:
                out.append(f"- {by_key[key].name}: {sides['index']}")
            else:
                out.append(f"- {by_key[key].name}: index {sides['index']} — query {sides['query']}")
        out.append("")
    out += [
        "## F1 per query: plugin query fields / candidate fields alone",
        "",
        "Only the queries that some candidate does not get exactly right (100/100).",
        "",
        *query_matrix(results, queries),
        "",
        "## Queries each candidate gets wrong (plugin query fields)",
        "",
    ]
    for cand in REPORTED:
        out += [f"### {cand.name}", "", *failures(results, queries, "ckan", cand), ""]
    out += ["## Behaviour checks that fail", ""]
    failed = [
        f"- {cand.name}: {c['test']}: `{c['q']}` expected {c['expected']}, got {c['got']}"
        for cand in REPORTED
        for c in results["checks"][cand.key]
        if c["got"] != c["expected"]
    ]
    out += [*(failed or ["- none"]), ""]
    chosen = by_key[CHOSEN].name
    if same:
        conf = (
            "The repository's `text_zh` (row *repo text_zh*) gives exactly the results of "
            + ", ".join(f"*{name}*" for name in same)
            + ("." if chosen in same else f", not those of the chosen *{chosen}*: update the configset.")
        )
    else:
        conf = f"The repository's `text_zh` matches no measured candidate, not even the chosen *{chosen}*."
    out += [
        "## Decision",
        "",
        DECISION.format(**decision_values(results, queries)),
        conf + " The node that produced these figures was built from the repository's configset "
        "(solr/build_configset.py), so it also shows that the configset loads.",
        "",
    ]
    return "\n".join(out)


STRING_LIST = re.compile(r'\[\s+("(?:[^"\\]|\\.)*"(?:,\s+"(?:[^"\\]|\\.)*")*)\s+\]')
FLAT_OBJECT = re.compile(r"\{\n[^{}]*?\n\s*\}")


def dump_json(payload: dict) -> str:
    """Indented JSON, but each list of strings and each object without nested objects on one line."""
    text = json.dumps(payload, ensure_ascii=False, indent=1)
    text = STRING_LIST.sub(lambda m: "[" + re.sub(r'",\s+"', '", "', m.group(1)) + "]", text)
    return FLAT_OBJECT.sub(lambda m: re.sub(r"\n\s*", " ", m.group(0)), text) + "\n"


def print_tables(results: dict) -> None:
    columns = ("macro_precision", "macro_recall", "macro_f1", "micro_precision", "micro_recall", "ndcg10")
    for mode, what in MODES.items():
        print(f"\n{what}")
        print(f"{'candidate':24}" + "".join(f"{h:>8}" for h in ("P", "R", "F1", "microP", "microR", "nDCG")))
        for cand in REPORTED:
            s = results["summary"][mode][cand.key]
            print(
                f"{cand.name:24}"
                + "".join(f"{pct(s[c]):>8}" for c in columns)
                + f"  {s['exact']}/{s['queries']} exact"
            )


# ------------------------------------------------------------------------------------------------------- main


def measure(session: requests.Session, url: str, queries: list[dict], by_key: dict[str, Candidate]) -> dict:
    """Every query against every candidate in both modes, the behaviour checks, and the side figures."""
    results: dict = {"per_query": {}, "summary": {}, "qtime_ms": {}}
    for mode in MODES:
        results["per_query"][mode], results["summary"][mode], results["qtime_ms"][mode] = {}, {}, {}
        for cand in REPORTED:
            qf = query_fields(cand, by_key, mode)
            per, qtimes = [], []
            for q in queries:
                got, qtime = search(session, url, q["q"], qf)
                per.append({"q": q["q"], "top10": got[:TOP_STORED], **score(got, set(q["relevant"]))})
                qtimes.append(qtime)
            results["per_query"][mode][cand.key] = per
            results["summary"][mode][cand.key] = summarise(per)
            results["qtime_ms"][mode][cand.key] = sum(qtimes) / len(qtimes)
    results["checks"] = run_checks(session, url, by_key)
    results["samples"] = {
        text: {
            c.key: {side: tokens(session, url, c.fields(by_key)[1][0], text, side) for side in SIDES}
            for c in REPORTED
            if c.key in SAMPLE_CANDIDATES
        }
        for text in SAMPLES
    }
    results["distinct_terms"] = {
        c.key: distinct_terms(session, url, c.fields(by_key)[1][0]) for c in REPORTED if not c.uses
    }
    total, changed = t2s_changes(session, url, "text_c_bigramt2s")
    results["t2s_changes"] = {"characters": total, "changed": changed}
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep-home", action="store_true", help="leave the Solr home in .runtime/analysis/")
    args = parser.parse_args(argv)
    if not SOLR_LIB.is_dir():
        raise SystemExit(f"{SOLR_LIB} is missing: run scripts/setup.sh first")
    corpus = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    docs, queries = corpus["documents"], corpus["queries"]
    ids = {d["id"] for d in docs}
    unknown = {r for q in queries for r in q["relevant"]} - ids
    if unknown or len(ids) != len(docs):
        raise SystemExit(f"corpus: unknown or duplicate document ids {sorted(unknown)}")

    by_key = {c.key: c for c in CANDIDATES}
    home = RUNTIME / "home"
    RUNTIME.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    build_home(home, CANDIDATES)
    with SolrNode(home, RUNTIME / "solr.log") as node, requests.Session() as session:
        print(f"solr ready at {node.url}", file=sys.stderr)
        index(session, node.url, [solr_doc(d) for d in docs])
        results = measure(session, node.url, queries, by_key)
    elapsed = time.monotonic() - started
    if not args.keep_home:
        shutil.rmtree(home, ignore_errors=True)

    print_tables(results)
    RESULTS.mkdir(parents=True, exist_ok=True)
    report = write_report(results, queries, docs, elapsed)
    (RESULTS / "chinese-analysis.md").write_text(report, encoding="utf-8")
    payload = {
        "corpus": str(CORPUS.relative_to(ROOT)),
        "documents": len(docs),
        "queries": queries,
        "ckan_params": CKAN_PARAMS,
        "modes": {
            m: {"description": d, "qf": {c.key: query_fields(c, by_key, m) for c in REPORTED}}
            for m, d in MODES.items()
        },
        "candidates": [
            {"key": c.key, "name": c.name, "summary": c.summary, "field_type": c.index and c.field_type_xml()}
            for c in CANDIDATES
        ],
        **results,
    }
    (RESULTS / "chinese-analysis.json").write_text(dump_json(payload), encoding="utf-8")
    print(f"\nwrote {os.path.relpath(RESULTS / 'chinese-analysis.md')} and .json", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
