"""Generated 双公示 records (行政许可 / 行政处罚) for tests and benchmarks, and streaming file writers.

:func:`generate_records` yields realistic records, keyed by field code, that :func:`.credit.validate_record`
accepts: parties are Heilongjiang companies and individual businesses with GB 32100 credit codes whose check
characters (and embedded GB 11714 organisation-code check characters) are right, or natural persons with GB 11643
resident ID numbers whose birth dates exist and whose check characters are right; decision numbers are 文号 such as
``哈市监罚〔2024〕1234号``, unique within a run; dates are in order (decision ≤ end of publicity, valid from ≤ valid
until); penalties carry a fine in 万元 that matches the 处罚内容 text.

A fraction ``bad_ratio`` of the records is deliberately broken, each with exactly one known defect: the yielded
dict is a :class:`SampleRecord` whose ``defect`` is a :class:`Defect` (the field code and the
:class:`~.errors.InvalidValue` code :func:`.credit.validate_record` reports for it), None for a good record. The
bad records are spread evenly (record *i* is bad when ``floor((i + 1) · ratio) > floor(i · ratio)``), so there are
exactly ``floor(n · bad_ratio)`` of them, and their defects cycle through :data:`DEFECTS` so that every kind of
defect occurs. Record *i* is the same for a given ``seed`` and ``bad_ratio`` whatever ``n`` is.

Every record of a kind has the same keys in the same order (:func:`sample_columns`); an empty field is None.

The writers (:func:`write_csv`, :func:`write_json`, :func:`write_jsonl`, :func:`write_xml`, :func:`write_xlsx`)
consume any iterable of such dicts record by record, so memory stays constant for any number of records (XLSX
through openpyxl's write-only mode). Each takes a path or a binary file object and returns the number of records
written.

Speed on a 2-CPU machine: generating 100,000 records takes 1.5–3 s; writing them 1–2 s as CSV, JSON or XML
(55–90 MB). XLSX is bound by openpyxl: about 3,000 rows a second to write, and because openpyxl's write-only
mode stores every string inline (not in a shared-strings table as Excel does), about 2,000 rows a second to read
back with :func:`.credit.read_xlsx` — use the other formats for large benchmarks.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from typing import IO, Any, NamedTuple
from xml.sax.saxutils import escape, quoteattr

from . import uscc
from .credit import id_check_char, normalise_kind

# --------------------------------------------------------------------------------------------------------------
# Defects


class Defect(NamedTuple):
    field: str  # the field code validate_record reports the error under
    code: str  # the InvalidValue code it reports
    description: str


class SampleRecord(dict):
    """A generated record: a plain dict of field code → value, plus the :class:`Defect` it was given (or None)."""

    __slots__ = ("defect",)

    def __init__(self, values: Mapping[str, Any], defect: Defect | None = None):
        super().__init__(values)
        self.defect = defect


def _defects(prefix: str, own: list[Defect]) -> tuple[Defect, ...]:
    party = [
        Defect(f"{prefix}_XDR_SHXYM", "uscc_checksum", "统一社会信用代码校验位错误"),
        Defect(f"{prefix}_XDR_ZJHM", "id_number_checksum", "自然人居民身份证号校验位错误"),
        Defect(f"{prefix}_WSH", "credit_required", "决定文书号为空"),
        Defect(f"{prefix}_JDRQ", "date_invalid", "决定日期不存在（2月30日）"),
        Defect(f"{prefix}_XDR_MC", "credit_required", "行政相对人名称为空"),
        Defect(f"{prefix}_XDR_LB", "credit_party_category", "行政相对人类别无法识别"),
    ]
    return (*party, *own)


DEFECTS: dict[str, tuple[Defect, ...]] = {
    "penalty": _defects(
        "CF",
        [
            Defect("CF_NR_FK", "credit_amount", "罚款金额不是数字"),
            Defect("CF_GSJZQ", "credit_publicity_end_before_decision", "公示截止期早于处罚决定日期"),
        ],
    ),
    "licensing": _defects(
        "XK",
        [
            Defect("XK_NR", "credit_required", "许可内容为空"),
            Defect("XK_YXQZI", "date_format", "有效期至无法识别为日期"),
        ],
    ),
}

# --------------------------------------------------------------------------------------------------------------
# Vocabulary

# (行政区划代码, name, 文号 abbreviation): the province and its 13 市(地).
_PLACES = (
    ("230000", "黑龙江省", "黑"),
    ("230100", "哈尔滨市", "哈"),
    ("230200", "齐齐哈尔市", "齐"),
    ("230300", "鸡西市", "鸡"),
    ("230400", "鹤岗市", "鹤"),
    ("230500", "双鸭山市", "双"),
    ("230600", "大庆市", "庆"),
    ("230700", "伊春市", "伊"),
    ("230800", "佳木斯市", "佳"),
    ("230900", "七台河市", "七"),
    ("231000", "牡丹江市", "牡"),
    ("231100", "黑河市", "黑河"),
    ("231200", "绥化市", "绥"),
    ("232700", "大兴安岭地区", "兴安"),
)

# (department, 文号 abbreviation, the violations it penalises, the licences it grants)
_DEPARTMENTS = (
    ("市场监督管理局", "市监", (0, 1, 6), (0, 4)),
    ("生态环境局", "环", (3,), (2,)),
    ("交通运输局", "交", (2,), (1,)),
    ("应急管理局", "应急", (4,), (5,)),
    ("住房和城乡建设局", "建", (5,), (3,)),
    ("卫生健康委员会", "卫健", (7,), (6,)),
)

# (违法行为类型, 违法事实, 处罚依据, 处罚类别, fines in yuan, confiscates)
_VIOLATIONS = (
    ("未取得食品经营许可从事食品经营活动", "未取得食品经营许可从事食品销售",
     "《中华人民共和国食品安全法》第一百二十二条第一款", "罚款;没收违法所得", (5000, 10000, 50000), True),
    ("经营不符合食品安全标准的食品", "经营标签不符合食品安全标准的预包装食品",
     "《中华人民共和国食品安全法》第一百二十五条第一款", "罚款", (2000, 5000, 10000), False),
    ("超限运输", "驾驶货车超过公路限载标准行驶", "《公路安全保护条例》第六十四条", "罚款",
     (500, 1000, 2000, 3000), False),
    ("超标排放大气污染物", "排放大气污染物超过排放标准", "《中华人民共和国大气污染防治法》第九十九条",
     "罚款", (100000, 200000, 500000), False),
    ("未按规定进行安全生产教育和培训", "未对从业人员进行安全生产教育和培训",
     "《中华人民共和国安全生产法》第九十七条", "警告;罚款", (10000, 20000, 50000), False),
    ("未取得施工许可证擅自施工", "未取得施工许可证擅自开工建设",
     "《建筑工程施工许可管理办法》第十二条", "罚款", (10000, 20000, 50000), False),
    ("价格违法行为", "未按规定明码标价", "《中华人民共和国价格法》第四十二条", "警告", (), False),
    ("未取得医疗机构执业许可证擅自执业", "未取得医疗机构执业许可证开展诊疗活动",
     "《医疗机构管理条例》第四十三条", "罚款;没收违法所得", (20000, 50000, 100000), True),
)  # fmt: skip

# (许可决定文书名称, 许可证书名称, 许可类别, 许可内容, 许可编号 prefix, years valid or 0 for 长期)
_LICENCES = (
    ("食品经营许可决定书", "食品经营许可证", "普通", "预包装食品（含冷藏冷冻食品）销售", "JY1", 5),
    ("道路运输经营许可决定书", "道路运输经营许可证", "普通", "道路普通货物运输", "黑交运管许可字", 4),
    ("排污许可决定书", "排污许可证", "普通", "排放大气污染物、水污染物", "PW", 5),
    ("建筑工程施工许可决定书", "建筑工程施工许可证", "普通", "建筑工程施工", "SG", 0),
    ("药品经营许可决定书", "药品经营许可证", "核准", "药品零售（中成药、化学药制剂、抗生素制剂）", "黑AA", 5),
    ("安全生产许可决定书", "安全生产许可证", "普通", "建筑施工", "（黑）JZ安许证字", 3),
    ("医疗机构执业许可决定书", "医疗机构执业许可证", "普通", "内科、外科、预防保健科诊疗", "PDY", 5),
)

_COMPANY_WORDS = ("鑫源", "龙江", "北方", "华强", "恒泰", "冰城", "松花江", "兴隆", "瑞丰", "金达", "宏远", "天成",
                  "中正", "安泰", "佳禾", "雪原", "黑土地", "三江", "长盛", "新兴")  # fmt: skip
_COMPANY_TRADES = ("食品有限公司", "商贸有限公司", "物流有限公司", "建筑工程有限公司", "农业科技有限公司",
                   "化工有限公司", "医药连锁有限公司", "餐饮管理有限公司", "运输有限公司", "诊所有限公司")  # fmt: skip
_SHOPS = ("小吃部", "便利店", "食杂店", "水果店", "烧烤店", "药店", "汽车修理部", "饺子馆")
_SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛"

_FIRST_DAY = date(2019, 1, 1).toordinal()
_LAST_DAY = date(2025, 6, 30).toordinal()
_BORN_FIRST = date(1955, 1, 1).toordinal()
_BORN_LAST = date(2003, 12, 31).toordinal()
_ORG_BODY = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _make_uscc(rng: random.Random, head: str, body_prefix: str = "", alphabet: str = _ORG_BODY) -> str:
    body = body_prefix + "".join(rng.choice(alphabet) for _ in range(8 - len(body_prefix)))
    first17 = head + body + uscc.org_code_check_char(body)
    return first17 + uscc.uscc_check_char(first17)


def _make_id(rng: random.Random, region: str) -> str:
    born = date.fromordinal(rng.randint(_BORN_FIRST, _BORN_LAST))
    first17 = (
        f"{region[:4]}{rng.choice(('02', '03', '04', '21', '81'))}{born:%Y%m%d}{rng.randint(1, 999):03d}"
    )
    return first17 + id_check_char(first17)


def _person_name(rng: random.Random) -> str:
    given = rng.choice(_GIVEN) + (rng.choice(_GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(_SURNAMES) + given


def _yuan_in_wan(yuan: int) -> str:
    return format((Decimal(yuan) / 10000).normalize(), "f")


class _Party(NamedTuple):
    category: str  # 法人及非法人组织 | 个体工商户 | 自然人
    name: str
    code: str | None  # USCC
    representative: str | None
    representative_id: str | None
    id_number: str | None  # natural persons


class _Authority(NamedTuple):
    name: str
    code: str
    abbreviation: str  # for 文号
    violations: tuple[int, ...]
    licences: tuple[int, ...]


def _parties(rng: random.Random, count: int) -> dict[str, list[_Party]]:
    pools: dict[str, list[_Party]] = {"法人及非法人组织": [], "个体工商户": [], "自然人": []}
    for _ in range(count):
        region, city, _abbr = rng.choice(_PLACES[1:])
        rep = _person_name(rng)
        rep_id = _make_id(rng, region) if rng.random() < 0.6 else None
        name = f"{city}{rng.choice(_COMPANY_WORDS)}{rng.choice(_COMPANY_WORDS)}{rng.choice(_COMPANY_TRADES)}"
        code = _make_uscc(rng, "91" + region, "MA")
        pools["法人及非法人组织"].append(_Party("法人及非法人组织", name, code, rep, rep_id, None))
        owner = _person_name(rng)
        shop = f"{city}{owner}{rng.choice(_SHOPS)}"
        code = _make_uscc(rng, "92" + region, "L")
        pools["个体工商户"].append(_Party("个体工商户", shop, code, owner, None, None))
        person = _person_name(rng)
        pools["自然人"].append(_Party("自然人", person, None, None, None, _make_id(rng, region)))
    return pools


def _authorities(rng: random.Random, org_uscc: str | None) -> list[_Authority]:
    found = []
    for region, place, abbr in _PLACES:
        for department, dept_abbr, violations, licences in _DEPARTMENTS:
            name = place + department
            if place.endswith("省"):  # provincial bodies: 黑龙江省市场监督管理局, 黑龙江省生态环境厅, …
                name = place + department.replace("局", "厅").replace("市场监督管理厅", "市场监督管理局")
            code = _make_uscc(rng, "11" + region, "00", "0123456789")
            found.append(_Authority(name, code, abbr + dept_abbr, violations, licences))
    if org_uscc:  # one authority: its name and 文号 are those of a generated one, its code the one given
        return [rng.choice(found)._replace(code=org_uscc)]
    return found


_PREFIX = {"penalty": "CF", "licensing": "XK"}
_COLUMNS = {
    "penalty": (
        "CF_XDR_MC", "CF_XDR_LB", "CF_XDR_SHXYM", "CF_FRDB", "CF_FR_ZJLX", "CF_FR_ZJHM", "CF_XDR_ZJLX",
        "CF_XDR_ZJHM", "CF_WSH", "CF_WFXW", "CF_SY", "CF_YJ", "CF_CFLB", "CF_NR", "CF_NR_FK", "CF_NR_WFFF",
        "CF_NR_ZKDX", "CF_JDRQ", "CF_YXQ", "CF_GSJZQ", "CF_CFJG", "CF_CFJGDM", "CF_SJLY", "CF_SJLYDM", "BZ",
    ),
    "licensing": (
        "XK_XDR_MC", "XK_XDR_LB", "XK_XDR_SHXYM", "XK_FRDB", "XK_FR_ZJLX", "XK_FR_ZJHM", "XK_XDR_ZJLX",
        "XK_XDR_ZJHM", "XK_XKWS", "XK_WSH", "XK_XKLB", "XK_XKZS", "XK_XKBH", "XK_NR", "XK_JDRQ", "XK_YXQZ",
        "XK_YXQZI", "XK_XKJG", "XK_XKJGDM", "XK_ZT", "XK_LYDW", "XK_LYDWDM", "BZ",
    ),
}  # fmt: skip
# Share of each party category: penalties fall on natural persons more often than licences do.
_MIX = {
    "penalty": (("法人及非法人组织", 0.6), ("个体工商户", 0.15), ("自然人", 0.25)),
    "licensing": (("法人及非法人组织", 0.7), ("个体工商户", 0.15), ("自然人", 0.15)),
}


def sample_columns(kind: str) -> tuple[str, ...]:
    """The keys of every record :func:`generate_records` yields for ``kind``, in order."""
    return _COLUMNS[normalise_kind(kind)]


class _Generator:
    def __init__(self, kind: str, seed: int, org_uscc: str | None):
        self.kind = kind
        self.prefix = _PREFIX[kind]
        self.rng = random.Random(seed)
        self.parties = _parties(self.rng, 500)
        self.authorities = _authorities(self.rng, org_uscc)
        self.serials: dict[tuple[str, int], int] = {}
        self.template = dict.fromkeys(_COLUMNS[kind])

    def category(self, defect: Defect | None) -> str:
        if defect is not None and defect.field.endswith("_XDR_SHXYM"):
            return "法人及非法人组织"
        if defect is not None and defect.field.endswith("_XDR_ZJHM"):
            return "自然人"
        draw = self.rng.random()
        for category, share in _MIX[self.kind]:
            if draw < share:
                return category
            draw -= share
        return "法人及非法人组织"

    def decision_number(self, authority: _Authority, year: int, letter: str) -> str:
        key = (authority.abbreviation, year)
        serial = self.serials[key] = self.serials.get(key, 0) + 1
        return f"{authority.abbreviation}{letter}〔{year}〕{serial}号"

    def party(self, record: dict[str, Any], party: _Party) -> None:
        p = self.prefix
        record[f"{p}_XDR_MC"] = party.name
        record[f"{p}_XDR_LB"] = party.category
        if party.category == "自然人":
            record[f"{p}_XDR_ZJLX"] = "身份证"
            record[f"{p}_XDR_ZJHM"] = party.id_number
            return
        record[f"{p}_XDR_SHXYM"] = party.code
        record[f"{p}_FRDB"] = party.representative
        if party.representative_id:
            record[f"{p}_FR_ZJLX"] = "身份证"
            record[f"{p}_FR_ZJHM"] = party.representative_id

    def record(self, defect: Defect | None) -> SampleRecord:
        rng = self.rng
        record = SampleRecord(self.template, defect)
        party = rng.choice(self.parties[self.category(defect)])
        self.party(record, party)
        authority = rng.choice(self.authorities)
        decided = rng.randint(_FIRST_DAY, _LAST_DAY)
        year = date.fromordinal(decided).year
        if self.kind == "penalty":
            self.penalty(record, party, authority, decided, year)
        else:
            self.licence(record, authority, decided, year)
        if defect is not None:
            _break(record, defect, decided)
        return record

    def penalty(self, record: dict[str, Any], party: _Party, authority: _Authority, decided: int, year: int):
        rng = self.rng
        violation, fact, basis, category, fines, confiscates = _VIOLATIONS[rng.choice(authority.violations)]
        day = date.fromordinal(decided)
        record["CF_WSH"] = self.decision_number(authority, year, "罚")
        record["CF_WFXW"] = violation
        record["CF_SY"] = (
            f"经查，当事人{party.name}于{year}年{day.month}月{fact}，违反了{basis.split('第')[0]}的规定。"
        )
        record["CF_YJ"] = basis
        record["CF_CFLB"] = category
        if fines:
            yuan = rng.choice(fines)
            record["CF_NR_FK"] = _yuan_in_wan(yuan)
            content = f"罚款人民币{yuan}元"
            if confiscates:
                gains = rng.randint(1, 200) * 100
                record["CF_NR_WFFF"] = _yuan_in_wan(gains)
                content = f"没收违法所得{gains}元，{content}"
            record["CF_NR"] = ("警告，" if category.startswith("警告") else "") + content
        else:
            record["CF_NR"] = "警告"
        end = date.fromordinal(decided + (365 if rng.random() < 0.8 else 3 * 365))
        record["CF_JDRQ"] = day.isoformat()
        record["CF_YXQ"] = end.isoformat()
        record["CF_GSJZQ"] = end.isoformat()
        record["CF_CFJG"] = record["CF_SJLY"] = authority.name
        record["CF_CFJGDM"] = record["CF_SJLYDM"] = authority.code

    def licence(self, record: dict[str, Any], authority: _Authority, decided: int, year: int):
        rng = self.rng
        title, certificate, category, content, number_prefix, years = _LICENCES[
            rng.choice(authority.licences)
        ]
        day = date.fromordinal(decided)
        record["XK_XKWS"] = title
        record["XK_WSH"] = self.decision_number(authority, year, "许")
        record["XK_XKLB"] = category
        record["XK_XKZS"] = certificate
        record["XK_XKBH"] = f"{number_prefix}{year}{rng.randint(1, 99999):05d}"
        record["XK_NR"] = content
        record["XK_JDRQ"] = record["XK_YXQZ"] = day.isoformat()
        if years and rng.random() < 0.95:
            record["XK_YXQZI"] = (day.replace(day=28) + timedelta(days=365 * years)).isoformat()
        else:
            record["XK_YXQZI"] = "长期"
        record["XK_XKJG"] = record["XK_LYDW"] = authority.name
        record["XK_XKJGDM"] = record["XK_LYDWDM"] = authority.code
        record["XK_ZT"] = "正常"


def _break(record: dict[str, Any], defect: Defect, decided: int) -> None:
    name, code = defect.field, defect.code
    if code in ("uscc_checksum", "id_number_checksum"):
        value = record[name]
        alphabet = uscc.ALPHABET if code == "uscc_checksum" else "0123456789X"
        record[name] = value[:17] + alphabet[(alphabet.index(value[17]) + 1) % len(alphabet)]
    elif code == "credit_required":
        record[name] = None
    elif code == "date_invalid":
        record[name] = f"{date.fromordinal(decided).year}-02-30"
    elif code == "credit_party_category":
        record[name] = "未知类别"
    elif code == "credit_amount":
        record[name] = "两千元"
    elif code == "credit_publicity_end_before_decision":
        record[name] = date.fromordinal(decided - 30).isoformat()
    elif code == "date_format":
        record[name] = "待定"
    else:  # pragma: no cover - DEFECTS and this function go together
        raise AssertionError(defect)


def generate_records(
    kind: str, n: int, *, seed: int = 0, org_uscc: str | None = None, bad_ratio: float = 0.0
) -> Iterator[SampleRecord]:
    """``n`` generated records of ``kind`` (licensing / penalty or their other names), lazily.

    ``org_uscc``: the deciding authority's credit code for every record (许可机关 / 处罚机关 and the data source
    unit); by default each record has one of 84 generated provincial and municipal authorities. ``bad_ratio``: the
    share of records (0–1) given one defect each, see the module docstring.
    """
    kind = normalise_kind(kind)
    if not 0 <= bad_ratio <= 1:
        raise ValueError("bad_ratio must be between 0 and 1")
    if org_uscc is not None:
        org_uscc = uscc.validate_uscc(org_uscc)
    generator = _Generator(kind, seed, org_uscc)
    defects = DEFECTS[kind]
    bad = 0
    for index in range(n):
        defect = None
        if bad_ratio and int((index + 1) * bad_ratio) > int(index * bad_ratio):
            defect = defects[bad % len(defects)]
            bad += 1
        yield generator.record(defect)


# --------------------------------------------------------------------------------------------------------------
# Writers

Target = str | os.PathLike[str] | IO[bytes]


@contextmanager
def _binary(target: Target) -> Iterator[IO[bytes]]:
    if hasattr(target, "write"):
        yield target  # type: ignore[misc]
        return
    with open(target, "wb") as handle:  # type: ignore[arg-type]
        yield handle


@contextmanager
def _text(target: Target, encoding: str, newline: str | None = "\n") -> Iterator[IO[str]]:
    with _binary(target) as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, newline=newline, write_through=False)  # type: ignore[arg-type]
        try:
            yield text
        finally:
            text.flush()
            text.detach()


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def write_csv(records: Iterable[Mapping[str, Any]], path: Target, *, encoding: str = "utf-8-sig") -> int:
    """A CSV file with the first record's keys as header (later records: same keys; None → empty cell).

    ``encoding``: ``utf-8-sig`` (UTF-8 with a BOM, which Excel needs) by default; ``gb18030`` / ``gbk`` for what
    Chinese Excel writes.
    """
    count = 0
    with _text(path, encoding, newline="") as text:
        writer = csv.writer(text)
        headers: list[str] | None = None
        for record in records:
            if headers is None:
                headers = list(record)
                writer.writerow(headers)
            writer.writerow([_cell(record.get(h)) for h in headers])
            count += 1
    return count


_ENCODER = json.JSONEncoder(ensure_ascii=False, default=str)


def _json(record: Mapping[str, Any]) -> str:
    return _ENCODER.encode(record if isinstance(record, dict) else dict(record))


def write_json(
    records: Iterable[Mapping[str, Any]], path: Target, *, wrap: str | None = None, encoding: str = "utf-8"
) -> int:
    """A JSON array of objects, one per line; ``wrap="data.list"`` nests it as ``{"data": {"list": [...]}}``
    (and adds a ``total`` count after it, as paging APIs do)."""
    keys = wrap.split(".") if wrap else []
    count = 0
    with _text(path, encoding) as text:
        text.write("".join('{"' + key + '": ' for key in keys) + "[\n")
        for record in records:
            text.write((",\n" if count else "") + _json(record))
            count += 1
        text.write("\n]" + "".join(f', "total": {count}}}' for _ in keys) + "\n")
    return count


def write_jsonl(records: Iterable[Mapping[str, Any]], path: Target, *, encoding: str = "utf-8") -> int:
    """JSON Lines: one object per line."""
    count = 0
    with _text(path, encoding) as text:
        for record in records:
            text.write(_json(record) + "\n")
            count += 1
    return count


_XML_NAME = re.compile(r"[^\W\d][\w.\-]*")


def write_xml(
    records: Iterable[Mapping[str, Any]],
    path: Target,
    *,
    style: str = "elements",
    root: str = "records",
    record: str = "record",
    encoding: str = "utf-8",
) -> int:
    """An XML document ``<root><record>…</record>…</root>`` with the encoding declared.

    ``style``: ``elements`` (``<XK_WSH>…</XK_WSH>``; a key that is not an XML name is written as a ``field``
    element), ``fields`` (``<field name="XK_WSH">…</field>``) or ``attributes`` (``<record XK_WSH="…"/>``). None
    values are left out.
    """
    if style not in ("elements", "fields", "attributes"):
        raise ValueError(f"unknown XML style {style!r}")
    markup: dict[str, tuple[str, str]] = {}  # key → (what goes before the value, what goes after it)

    def tags(key: str) -> tuple[str, str]:
        name = _XML_NAME.fullmatch(key) is not None and not key.lower().startswith("xml")
        if style == "attributes":
            if not name:
                raise ValueError(f"{key!r} is not an XML name: use the elements or fields style")
            found = (f" {key}=", "")
        elif style == "elements" and name:
            found = (f"<{key}>", f"</{key}>")
        else:
            found = (f"<field name={quoteattr(key)}>", "</field>")
        markup[key] = found
        return found

    count = 0
    with _text(path, encoding) as text:
        declared = "UTF-8" if encoding.lower().replace("_", "-") == "utf-8-sig" else encoding.upper()
        text.write(f'<?xml version="1.0" encoding="{declared}"?>\n<{root}>\n')
        for values in records:
            parts = []
            for key, value in values.items():
                if value is None:
                    continue
                before, after = markup.get(key) or tags(key)
                if style == "attributes":
                    parts.append(before + quoteattr(str(value)))
                else:
                    parts.append(before + escape(str(value)) + after)
            if style == "attributes":
                text.write(f"<{record}{''.join(parts)}/>\n")
            else:
                text.write(f"<{record}>{''.join(parts)}</{record}>\n")
            count += 1
        text.write(f"</{root}>\n")
    return count


def write_xlsx(records: Iterable[Mapping[str, Any]], path: Target, *, title: str | None = None) -> int:
    """An XLSX workbook written in openpyxl's write-only (streaming) mode: an optional title row, the first
    record's keys as header, then every value as text (so long codes keep their digits)."""
    import openpyxl  # noqa: PLC0415 - only the XLSX writer needs it

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    if title:
        sheet.append([title])
    headers: list[str] | None = None
    count = 0
    for values in records:
        if headers is None:
            headers = list(values)
            sheet.append(headers)
        sheet.append([None if values.get(h) is None else str(values.get(h)) for h in headers])
        count += 1
    workbook.save(path)
    return count
