"""Generated 双公示 records (credit_samples): valid where meant to be, broken exactly as stated, streamed writers."""

from __future__ import annotations

import itertools
import re
import tracemalloc
from datetime import date
from decimal import Decimal

import openpyxl  # noqa: F401 - imported here so that its import is not counted in the writers' memory
import pytest

from ckanext.hlj.catalogue import credit as c
from ckanext.hlj.catalogue import credit_samples as s
from ckanext.hlj.catalogue import doc_number, uscc
from ckanext.hlj.catalogue.errors import InvalidValue

ORG = "11230500001755309F"


def validated(kind, numbered_rows):
    return [
        (record.values if record else None, sorted((e.field, e.code) for e in errors))
        for record, errors in c.iter_validate(kind, numbered_rows)
    ]


@pytest.fixture(scope="module", params=c.KINDS)
def generated(request):
    kind = request.param
    return kind, list(s.generate_records(kind, 3000, seed=11, bad_ratio=0.1))


def test_good_records_validate_and_bad_ones_fail_for_their_defect(generated):
    kind, records = generated
    bad = [r for r in records if r.defect is not None]
    assert len(bad) == 300  # exactly floor(n · bad_ratio)
    assert {r.defect for r in bad} == set(s.DEFECTS[kind])  # every kind of defect occurs
    for number, record in enumerate(records, 1):
        assert list(record) == list(s.sample_columns(kind))
        result, errors = c.validate_record(kind, record, number=number)
        if record.defect is None:
            assert result is not None and errors == [], (record, errors)
        else:
            assert result is None
            assert [(e.field, e.code) for e in errors] == [(record.defect.field, record.defect.code)], record


def test_records_are_realistic(generated):
    kind, records = generated
    info = c.kind_info(kind)
    p = info.party
    good = [r for r in records if r.defect is None]
    categories = {r[p("XDR_LB")] for r in good}
    assert categories == {c.ORGANISATION, c.INDIVIDUAL_BUSINESS, c.NATURAL_PERSON}
    for r in good:
        for code in (p("XDR_SHXYM"), info.authority_code):
            if r[code]:
                assert uscc.validate_uscc(r[code]) == r[code]
        assert r[info.authority_code].startswith("11")  # 机关
        if r[p("XDR_LB")] == c.NATURAL_PERSON:
            assert r[p("XDR_SHXYM")] is None and c.is_resident_id(r[p("XDR_ZJHM")])
            assert r[p("XDR_ZJHM")][17] == c.id_check_char(r[p("XDR_ZJHM")][:17])
        else:
            assert r[p("XDR_SHXYM")][:2] == ("92" if r[p("XDR_LB")] == c.INDIVIDUAL_BUSINESS else "91")
        if r[p("FR_ZJHM")]:
            assert c.is_resident_id(r[p("FR_ZJHM")])
        number = doc_number.parse_doc_number(r[info.decision_number])
        decided = date.fromisoformat(r[info.decision_date])
        assert str(number) == r[info.decision_number] and number.year == decided.year
        assert number.prefix.endswith("罚" if kind == "penalty" else "许")
        if kind == "penalty":
            assert date.fromisoformat(r["CF_GSJZQ"]) > decided
            fine = re.search(r"罚款人民币([0-9]+)元", r["CF_NR"])
            assert (fine is None) == (r["CF_NR_FK"] is None)
            if fine:
                assert Decimal(r["CF_NR_FK"]) * 10000 == int(fine.group(1))
        else:
            assert r["XK_YXQZI"] == "长期" or date.fromisoformat(r["XK_YXQZI"]) > decided
            assert r["XK_YXQZ"] == r["XK_JDRQ"]
    keys = [record.key for record, _ in c.iter_validate(kind, enumerate(good, 1))]
    assert len(keys) == len(set(keys))  # (decision number, party) is unique


def test_generation_is_deterministic():
    first = list(s.generate_records("penalty", 200, seed=5, bad_ratio=0.05))
    assert first == list(s.generate_records("penalty", 200, seed=5, bad_ratio=0.05))
    assert [r.defect for r in first] == [
        r.defect for r in s.generate_records("penalty", 200, seed=5, bad_ratio=0.05)
    ]
    assert first[:50] == list(s.generate_records("penalty", 50, seed=5, bad_ratio=0.05))  # whatever n is
    assert first != list(s.generate_records("penalty", 200, seed=6, bad_ratio=0.05))
    assert all(r.defect is None for r in s.generate_records("licensing", 500))  # no bad ones unless asked
    assert len(list(s.generate_records("XK", 0))) == 0


def test_org_uscc_and_arguments():
    records = list(s.generate_records("行政处罚", 300, org_uscc=ORG.lower()))
    assert {r["CF_CFJGDM"] for r in records} == {ORG} == {r["CF_SJLYDM"] for r in records}
    assert len({r["CF_CFJG"] for r in records}) == 1
    with pytest.raises(InvalidValue):
        next(s.generate_records("penalty", 1, org_uscc="91230500MA1B3N1N2X"))
    with pytest.raises(ValueError):
        next(s.generate_records("penalty", 1, bad_ratio=1.5))
    with pytest.raises(InvalidValue):
        next(s.generate_records("行政强制", 1))
    assert all(r.defect for r in s.generate_records("licensing", 20, bad_ratio=1))


# ---------------------------------------------------------------------------------------------------------------
# Writers


WRITERS = {
    "csv": s.write_csv,
    "csv gb18030": lambda records, path: s.write_csv(records, path, encoding="gb18030"),
    "json": s.write_json,
    "json data.list": lambda records, path: s.write_json(records, path, wrap="data.list"),
    "jsonl": s.write_jsonl,
    "xml": s.write_xml,
    "xml fields gbk": lambda records, path: s.write_xml(records, path, style="fields", encoding="gbk"),
    "xml attributes": lambda records, path: s.write_xml(
        records, path, style="attributes", root="DATA", record="ROW"
    ),
    "xlsx": lambda records, path: s.write_xlsx(records, path, title="行政处罚信息公示"),
}


@pytest.mark.parametrize("writer", WRITERS)
def test_writers_round_trip_through_the_readers(writer, tmp_path):
    records = list(s.generate_records("penalty", 300, seed=2, bad_ratio=0.1))
    path = tmp_path / "export.out"
    assert WRITERS[writer](iter(records), path) == 300
    with path.open("rb") as stream:
        table = c.read_table(stream)  # the format sniffed from the content
        assert table.format == writer.split()[0]
        got = validated("penalty", table.rows)
    assert got == validated("penalty", enumerate(records, 1))
    assert sum(1 for values, _ in got if values is None) == 30


def test_writers_stream(tmp_path):
    record = next(s.generate_records("penalty", 1, seed=4))
    for name, writer, count in (
        ("csv", s.write_csv, 4_000),
        ("jsonl", s.write_jsonl, 4_000),
        ("json", s.write_json, 4_000),
        ("xml", s.write_xml, 4_000),
        ("xlsx", s.write_xlsx, 400),
    ):
        path = tmp_path / f"big.{name}"
        tracemalloc.start()
        try:
            assert writer(itertools.repeat(record, count), path) == count
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < 2**20, (name, peak)
        if name == "xlsx":
            with path.open("rb") as stream:
                assert sum(1 for _ in c.read_xlsx(stream).rows) == count
        else:
            assert path.stat().st_size > 2 * 2**20  # twice the bound: not built in memory
