"""Titles, 文号 and bodies brought to comparable forms for the reprint checks.

A site that reprints a State Council or provincial item rarely keeps its title byte for byte. What changes, and
what this module undoes (``normalise_title``):

* width and compatibility forms: ``２０１７`` / ``（）`` / ``：`` → ``2017`` / ``()`` / ``:`` (NFKC);
* reprint markers: ``【转载】``, ``[转发]``, ``（转）``, ``转载：``, ``来源：中国政府网``, ``（全文）``, a site
  suffix such as ``_中国政府网`` or `` - 黑龙江省人民政府网``, a date glued to the title by a list page;
* the 文号 written into the title: ``…的通知（国办发〔2017〕24号）`` (kept as the item's 文号 when it has none);
* wrappers: ``国务院办公厅关于印发2017年政务公开工作要点的通知``, ``国务院办公厅印发《…》``, ``关于转发…的通知``,
  ``…办公厅转发…`` → the inner title;
* brackets, punctuation and blanks: all removed.

Years and other numbers are kept, so ``2017年政务公开工作要点`` and ``2018年政务公开工作要点`` stay different.

:func:`title_key` gives the whole analysis (issuer, core, years, truncation) that the matcher needs; it is cached,
because most site items repeat a few hundred watched titles.

Bodies are compared by :func:`body_fingerprint`: the set of clauses, where a clause is a run of at least
``MIN_CLAUSE`` CJK characters between any two non-CJK characters (punctuation, digits, Latin letters, blanks).
Width and punctuation changes, re-paragraphing and added header or footer lines leave most clauses intact, so two
copies of one document share nearly all their clauses and two different documents share only boilerplate.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from ckanext.hlj.catalogue.doc_number import normalise_doc_number as _catalogue_doc_number
from ckanext.hlj.catalogue.errors import InvalidValue

MIN_CLAUSE = 4  # CJK characters in a body clause; shorter runs (一、 and 的 between numbers) are noise
NO_DOC_NUMBER = frozenset({"无", "暂无", "空", "none", "null", "n/a", "na", "-", "--", "—", "/", "0"})

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_OPEN = r"[\[【(〔<〈「『《〖]"
_CLOSE = r"[\]】)〕>〉」』》〗]"
_NON_WORD = re.compile(r"[\W_]+")
_CJK_GAPS = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_CJK_CHAR = re.compile(rf"[{_CJK}]")
_BLANKS = re.compile(r"\s+")
_CLAUSE = re.compile(rf"[{_CJK}]{{{MIN_CLAUSE},}}")

# A 文号 in brackets inside a title: 国办发〔2017〕24号, 国办发[2017]24号, 国务院令第711号.
_TITLE_DOC = re.compile(r"[(【\[]\s*([^()【】]{3,40}?\d\s*号)\s*[)】\]]")
_DOC_TAIL = r"\s*[〔\[(【〖﹝]\s*\d{4}\s*[〕\])】〗﹞]\s*第?\s*\d{1,6}\s*号)\s*$"
_TITLE_DOC_TAIL = re.compile(rf"\s+([{_CJK}]{{2,16}}{_DOC_TAIL}")

_MARKER_WORDS = "转载|转发|转|推荐|置顶|头条|原文|全文|重要|最新|政策|文件|政策文件|通知|公告|热点"
_LEAD_MARKERS = re.compile(
    rf"^\s*(?:{_OPEN}\s*(?:{_MARKER_WORDS})\s*{_CLOSE}|(?:转载|转发|转|来源)\s*:|转载)\s*:?\s*"
)
_TRAIL_MARKERS = re.compile(
    rf"\s*{_OPEN}\s*(?:转载|转|转发|全文|附全文|原文|图文|附件|附解读|视频|图|pdf|word|doc|"
    rf"(?:来源|转自|信息来源|文章来源)\s*:[^\]】)〕>〉」』》〗]*|转自[^\]】)〕>〉」』》〗]*)\s*{_CLOSE}\s*$",
    re.IGNORECASE,
)
_SOURCE_TAIL = re.compile(r"\s*(?:来源|转自|信息来源|文章来源|发布机构)\s*:.*$")
_SITE_SUFFIX = re.compile(
    r"\s*(?:[_|]|\s[-—–]+\s|——)\s*[^_|—–\-]{1,24}?(?:网|网站|门户|政府|专栏|平台|频道|栏目|公开|客户端)\s*$"
)
_DATE = r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
_TRAIL_DATE = re.compile(
    rf"(?:\s*{_OPEN}\s*{_DATE}\s*{_CLOSE}|\s+{_DATE}|\s*\d{{4}}[-/]\d{{1,2}}[-/]\d{{1,2}})\s*$"
)
_LEAD_DATE = re.compile(rf"^\s*(?:{_OPEN}\s*{_DATE}\s*{_CLOSE}|{_DATE}\s+)\s*")
_ELLIPSIS = re.compile(r"\s*(?:\.{2,}|。{2,}|…+|⋯+)\s*$")

# Wrappers. 印发: the trailing 的通知 is always the wrapper's; 转发: it may belong to the forwarded title.
_PRINTED = re.compile(r"^(?P<issuer>(?:(?!关于).){0,40}?)(?:关于)?印发(?P<inner>.+?)(?:的通知)?$")
_FORWARDED = re.compile(r"^(?P<issuer>(?:(?!关于).){0,40}?)(?:关于)?转发(?P<inner>.+)$")
GENRES = (
    "意见稿|征求意见稿|实施意见|指导意见|意见|实施方案|工作方案|行动方案|方案|实施细则|细则|管理办法|实施办法|暂行办法|办法|"
    "暂行规定|规定|决定|决议|条例|规划|纲要|要点|行动计划|计划|通知|通告|公告|公报|批复|复函|函|报告|指引|"
    "指南|规范|标准|目录|清单|名单|名录|措施|规则|制度|草案"
)
_ENDS_WITH_GENRE = re.compile(rf"(?:{GENRES})$")
# A 文号 glued to the end of a title (…的通知国办发〔2017〕24号): it starts after the last kind-of-document word.
_TITLE_DOC_GLUED = re.compile(rf"^.*(?:{GENRES})([{_CJK}]{{2,12}}?{_DOC_TAIL}")

# Words whose presence, absence or count tells two documents apart even when the titles are nearly equal: the
# kind of document, derived items (解读 of a document is not the document), qualifiers and levels, numbers.
DERIVED = (
    "解读|图解|读懂|问答|答记者问|吹风会|发布会|新闻|起草说明|说明|摘要|学习|贯彻|落实|宣传|培训|会议|召开|部署|"
    "座谈|负责人|专家|评论|解析|一图|图表|微视频|视频|动漫"
)
QUALIFIERS = "若干|暂行|试行|修订|修正|修改|废止|补充|延长|调整|进一步|全国|全省|全市|国家|中央|地方|省|市|县|区|州|乡|镇|村"
_NUMERALS = "零〇一二三四五六七八九十百千两"
_NUMERAL_SET = frozenset(_NUMERALS)
_SIGNATURE = re.compile(rf"{DERIVED}|{GENRES}|{QUALIFIERS}|\d+|[{_NUMERALS}]+|[a-z]+")
# Of those, the ones that make an item about a document rather than the document, even with its 文号 attached.
_DERIVED = re.compile("解读|图解|读懂|问答|答记者问|吹风会|发布会|起草说明|一图|图表|视频|动漫")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")

# What comes before 关于 (or before a year) is the issuer: 国务院办公厅关于…, 国务院办公厅2017年….
_LEAD_ISSUER = re.compile(
    r"^(?P<issuer>国办|中办|中办国办|省政府办公厅|省政府|(?:中共)?[\u4e00-\u9fff]{0,20}?(?:国务院办公厅|国务院|"
    r"人民政府办公厅|人民政府|政府办公厅|政府|办公厅|办公室|委员会))(?=\d{4}年)"
)
# Issuers are compared in a reduced form, so that 国办 / 国务院办公厅 and 省政府办公厅 / 黑龙江省人民政府办公厅 agree.
_ISSUER_REDUCTIONS = (
    ("中共中央办公厅", "中办"),
    ("国务院办公厅", "国办"),
    ("中共", ""),
    ("黑龙江省", "省"),
    ("人民政府", "政府"),
    ("委员会", "委"),
)
_BODY_SUFFIXES = ("办公厅", "办公室", "政府", "委", "部", "厅", "局", "署", "院", "办", "中心")


def reduce_issuer(issuer: str) -> str:
    """The comparable form of an issuer: 中共黑龙江省委办公厅黑龙江省人民政府办公厅 → 省委办公厅省政府办公厅."""
    for long_form, short_form in _ISSUER_REDUCTIONS:
        issuer = issuer.replace(long_form, short_form)
    return issuer


def fold(text: str) -> str:
    """NFKC (full-width digits, letters and punctuation to ASCII); a letter-spaced title (``关 于 印 发``) closed up."""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    gaps = len(_CJK_GAPS.findall(text))
    if gaps >= 3 and gaps * 2 >= len(_CJK_CHAR.findall(text)):
        text = _CJK_GAPS.sub("", text)
    return text.strip()


def normalise_text(text: str | None) -> str:
    """Folded, lower-cased, with every punctuation mark, symbol and blank removed."""
    if not text:
        return ""
    return _NON_WORD.sub("", fold(text).lower())


def normalise_doc_number(value: object) -> str | None:
    """The canonical 文号 (``国办发[2017]024号`` → ``国办发〔2017〕24号``); None when empty, 无 or not a 文号."""
    if value is None or isinstance(value, bool):
        return None
    text = fold(str(value))
    if not text or text.lower() in NO_DOC_NUMBER:
        return None
    try:
        return _catalogue_doc_number(text)
    except InvalidValue:
        return None


@dataclass(frozen=True, slots=True)
class TitleKey:
    """What the matcher compares of a title."""

    norm: str  # normalise_title(): markers stripped, wrappers unwrapped, no punctuation
    clean: str  # the same without unwrapping (for truncated titles, which lose the wrapper's end)
    issuer: str  # before 关于 or the year, else the 印发 wrapper's; reduced (reduce_issuer); "" when none
    core: str  # norm without the issuer and its 关于: the subject and kind of document
    truncated: bool  # the title ended with an ellipsis (… / ...): only its beginning is known
    doc_number: str | None  # a 文号 written inside the title
    years: frozenset[int]  # four-digit years written in the title


_ELLIPSIS_ENDS = frozenset(".。…⋯")
_LEAD_STARTS = frozenset("[【(〔<〈「『《〖转来")
_TRAIL_ENDS = frozenset("]】)〕>〉」』》〗日")
_TRAIL_SIGNS = (":", "_", "|", " -", "—", "–")


def _strip_trail(text: str) -> str:
    if text[-1] in _TRAIL_ENDS or text[-1].isdigit() or any(sign in text for sign in _TRAIL_SIGNS):
        for pattern in (_TRAIL_MARKERS, _SOURCE_TAIL, _SITE_SUFFIX, _TRAIL_DATE):
            text = pattern.sub("", text, count=1)
    return text


def _strip_markers(text: str) -> tuple[str, bool, str | None]:
    """Markers, site suffixes, dates and 文号 removed (the cheap character tests skip the patterns that cannot
    apply); whether the title was cut off; the 文号 found in it."""
    truncated = False
    doc_number = None
    for _ in range(6):
        before = text
        if text and text[-1] in _ELLIPSIS_ENDS and (match := _ELLIPSIS.search(text)):
            truncated = True
            text = text[: match.start()]
        if "号" in text:
            for finder, group in ((_TITLE_DOC, 0), (_TITLE_DOC_TAIL, 0), (_TITLE_DOC_GLUED, 1)):
                for found in reversed(list(finder.finditer(text))):
                    if (number := normalise_doc_number(found.group(1))) is not None:
                        doc_number = number
                        text = f"{text[: found.start(group)]} {text[found.end(group) :]}"
        if text and (text[0] in _LEAD_STARTS or text[0].isdigit()):
            for pattern in (_LEAD_MARKERS, _LEAD_DATE):
                text = pattern.sub("", text, count=1)
        if text:
            text = _strip_trail(text)
        text = text.strip()
        if text == before:
            break
    return text, truncated, doc_number


def _debracket(inner: str) -> str:
    inner = inner.strip()
    if inner.startswith("《") and inner.endswith("》") and inner.count("《") == 1:
        return inner[1:-1]
    return inner


def _unwrap(text: str) -> tuple[str, str]:
    """The inner title and the issuer of the innermost 印发 wrapper ("" when none)."""
    issuer = ""
    for _ in range(4):
        if "印发" not in text and "转发" not in text:
            break
        printed = _PRINTED.match(text)
        forwarded = _FORWARDED.match(text)
        if printed and (not forwarded or printed.start("inner") <= forwarded.start("inner")):
            inner = _debracket(printed["inner"])
            wrapper_issuer = normalise_text(printed["issuer"])
        elif forwarded:  # the forwarding body is not the document's issuer
            inner = forwarded["inner"].strip()
            wrapper_issuer = ""
            if inner.startswith("《") and "》" in inner:
                inner = inner[1 : inner.rindex("》")]
            elif inner.endswith("的通知") and _ENDS_WITH_GENRE.search(inner[:-3]):
                inner = inner[:-3]
        else:
            break
        if len(normalise_text(inner)) < 2:
            break
        text = inner
        issuer = wrapper_issuer or issuer
    return text, issuer


def _split_issuer(norm: str, wrapper_issuer: str) -> tuple[str, str]:
    position = norm.find("关于")
    if 0 <= position <= 40 and len(norm) > position + 2:
        issuer, core = norm[:position], norm[position + 2 :]
    elif match := _LEAD_ISSUER.match(norm):
        issuer, core = match["issuer"], norm[match.end() :]
    else:
        issuer, core = "", norm
    return reduce_issuer(issuer or wrapper_issuer), core


@functools.lru_cache(maxsize=131072)
def title_key(title: str) -> TitleKey:
    """Analyse a title once (cached): see :class:`TitleKey`."""
    text = fold(title or "")
    text, truncated, doc_number = _strip_markers(text)
    clean = normalise_text(text)
    unwrapped, wrapper_issuer = _unwrap(text)
    norm = normalise_text(unwrapped)
    issuer, core = _split_issuer(norm, wrapper_issuer)
    years = frozenset(int(y) for y in _YEAR.findall(unwrapped) if 1949 <= int(y) <= 2100)
    return TitleKey(norm, clean, issuer, core, truncated, doc_number, years)


def normalise_title(title: str | None) -> str:
    """The comparable form of a title: ``【转载】国务院办公厅关于印发《2017年政务公开工作要点》的通知`` →
    ``2017年政务公开工作要点``. Years and numbers are kept."""
    return title_key(title or "").norm


@functools.lru_cache(maxsize=131072)
def title_signature(core: str) -> tuple[str, ...]:
    """The words of a normalised title that must agree between a document and its reprint: kinds of document
    (意见, 实施意见, 方案…), derived items (解读, 答记者问…), qualifiers and levels (暂行, 省, 市…), numbers and
    Chinese numerals. Sorted, with repeats."""
    return tuple(sorted(_SIGNATURE.findall(core)))


@functools.lru_cache(maxsize=131072)
def title_numbers(core: str) -> tuple[str, ...]:
    """The numbers of :func:`title_signature` only (digits and Chinese numerals: 2017, 十三五, 第三批)."""
    return tuple(token for token in title_signature(core) if token.isdigit() or set(token) <= _NUMERAL_SET)


def derived_markers(norm: str) -> frozenset[str]:
    """Words marking an item derived from a document (解读, 图解, 答记者问…) rather than the document."""
    return frozenset(_DERIVED.findall(norm))


def issuers_compatible(first: str, second: str) -> bool:
    """Same (reduced) issuer, one unknown, or one of the joint issuers of the other (中办国办 ⊇ 国办).
    国务院 and 国务院办公厅 (国办) are different issuers."""
    if not first or not second or first == second:
        return True
    short, long_ = sorted((first, second), key=len)
    if long_.startswith(short):
        rest = long_[len(short) :]
    elif long_.endswith(short):
        rest = long_[: -len(short)]
    else:
        return False
    return len(rest) >= 2 and rest not in _BODY_SUFFIXES and rest.endswith(_BODY_SUFFIXES)


def shingles(text: str | None, n: int = 2) -> set[str]:
    """Character n-grams (default bigrams) of the normalised text: for Chinese, words without segmentation."""
    norm = normalise_text(text)
    if len(norm) < n:
        return {norm} if norm else set()
    return {norm[i : i + n] for i in range(len(norm) - n + 1)}


def body_fingerprint(body: str | None) -> frozenset[str]:
    """The clauses of a body (runs of ≥ MIN_CLAUSE CJK characters between non-CJK characters, blanks ignored)."""
    if not body:
        return frozenset()
    return frozenset(_CLAUSE.findall(_BLANKS.sub("", body)))


def body_similarity(first: frozenset[str], second: frozenset[str]) -> float:
    """Overlap coefficient of two body fingerprints: shared clauses / clauses of the smaller body. A reprint that
    adds a header or footer, or shows the document inside a forwarding notice, still scores close to 1."""
    if not first or not second:
        return 0.0
    return len(first & second) / min(len(first), len(second))
