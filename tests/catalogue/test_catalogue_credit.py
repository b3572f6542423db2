"""双公示 records without CKAN: field set, column mapping, kind detection, row validation, masking, file reading."""

from __future__ import annotations

import codecs
import csv
import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ckanext.hlj.catalogue import codelists
from ckanext.hlj.catalogue import credit as c
from ckanext.hlj.catalogue.errors import InvalidValue

COMPANY = "91230500MA1B3N1N2M"
DEPARTMENT = "11230500001755309F"
INDIVIDUAL_BUSINESS = "92340602MA2PBMEM24"


def person_id(birth: str = "19900101", seq: str = "123", region: str = "230102") -> str:
    first17 = region + birth + seq
    return first17 + c.id_check_char(first17)


PERSON = person_id()


def penalty(**values):
    row = {
        "CF_XDR_MC": "双鸭山智慧城市运营有限公司",
        "CF_XDR_SHXYM": COMPANY,
        "CF_WSH": "双公罚决字〔2019〕12号",
        "CF_CFLB": "罚款",
        "CF_NR": "罚款2000元",
        "CF_JDRQ": "2019-10-17",
        "CF_GSJZQ": "2020-10-17",
        "CF_CFJG": "双鸭山市公安局",
    }
    row.update(values)
    return {k: v for k, v in row.items() if v is not None}


def one(kind, row, **kwargs):
    good, errors = c.validate_rows(kind, [row], **kwargs)
    return (good[0] if good else None), {(e.field, e.code) for e in errors}


# ---------------------------------------------------------------------------------------------------------------
# Field set


def test_kinds_are_the_credit_kind_code_list():
    assert set(c.KINDS) == {choice.code for choice in codelists.codelist("credit_kind")}
    assert c.normalise_kind("XK") == "licensing" and c.normalise_kind("行政处罚") == "penalty"
    with pytest.raises(InvalidValue):
        c.normalise_kind("行政强制")


def test_field_sets_follow_domain_standards():
    xk = [f.code for f in c.fields("licensing")]
    cf = [f.code for f in c.fields("penalty")]
    for code in (
        "XK_XDR_MC",
        "XK_XDR_SHXYM",
        "XK_XDR_ZJHM",
        "XK_WSH",
        "XK_JDRQ",
        "XK_YXQZI",
        "XK_XKJGDM",
        "BZ",
    ):
        assert code in xk
    for code in ("CF_XDR_LB", "CF_WSH", "CF_NR_FK", "CF_NR_WFFF", "CF_GSJZQ", "CF_CFJGDM", "CF_SJLYDM", "BZ"):
        assert code in cf
    assert len(xk) == len(set(xk)) == 29 and len(cf) == len(set(cf)) == 30
    info = c.kind_info("penalty")
    assert info.field("CF_GSJZQ").type == "date" and info.field("CF_NR_FK").type == "numeric"
    assert info.field("CF_XDR_ZJHM").personal and info.field("CF_FR_ZJHM").personal
    assert info.publicity_end == "CF_GSJZQ" and c.kind_info("licensing").publicity_end is None


def test_column_names_map_onto_codes():
    assert c.resolve_column("licensing", "行政许可决定书文号") == "XK_WSH"
    assert c.resolve_column("licensing", "xk_wsh") == "XK_WSH"
    assert c.resolve_column("licensing", "行政相对人名称") == "XK_XDR_MC"
    assert c.resolve_column("penalty", "行政相对人名称") == "CF_XDR_MC"
    assert c.resolve_column("licensing", "居民身份证号") == "XK_XDR_ZJHM"
    assert c.resolve_column("licensing", "证件号码(为自然人时，必填)") == "XK_XDR_ZJHM"
    assert c.resolve_column("licensing", "行政相对人代码_1(统一社会信用代码)") == "XK_XDR_SHXYM"
    assert c.resolve_column("licensing", "法定代表人身份证号") == "XK_FR_ZJHM"
    assert c.resolve_column("licensing", "XK_FR_SFZH") == "XK_FR_ZJHM"
    assert c.resolve_column("penalty", "罚款金额（万元）") == "CF_NR_FK"
    assert c.resolve_column("penalty", "处罚结果") == "CF_NR"
    assert c.resolve_column("penalty", "CF_XDR_SFZ") == "CF_XDR_ZJHM"
    assert c.resolve_column("penalty", "Ｃ Ｆ＿ＷＳＨ") == "CF_WSH"  # full-width, blanks
    assert c.resolve_column("penalty", "地方编码") is None
    mapped = c.resolve_columns("penalty", ["CF_WSH", "处罚决定书文号", "数据更新时间", "序号"])
    assert mapped.codes == {"CF_WSH": "CF_WSH"}
    assert mapped.source_time == "数据更新时间"
    assert mapped.ignored == ["处罚决定书文号", "序号"]


def test_kind_is_detected_from_columns():
    assert c.detect_kind(["CF_WSH", "CF_XDR_MC", "CF_GSJZQ"]) == "penalty"
    assert c.detect_kind(["XK_WSH", "XK_XDR_MC"]) == "licensing"
    assert c.detect_kind(["行政相对人名称", "行政许可决定书文号", "许可内容"]) == "licensing"
    assert c.detect_kind(["行政相对人名称", "行政处罚决定书文号", "处罚类别"]) == "penalty"
    with pytest.raises(InvalidValue) as raised:
        c.detect_kind(["行政相对人名称", "备注"])
    assert raised.value.code == "credit_kind_undetected"


# ---------------------------------------------------------------------------------------------------------------
# Validation


def test_a_good_row_is_normalised():
    record, errors = one(
        "penalty",
        penalty(
            CF_WSH="双公罚决字[2019]0012号", CF_NR_FK="2000元", CF_JDRQ="二〇一九年十月十七日", BZ=" 无 "
        ),
    )
    assert errors == set()
    assert record.key == ("双公罚决字〔2019〕12号", COMPANY)
    assert record.values["CF_JDRQ"] == date(2019, 10, 17)
    assert record.values["CF_NR_FK"] == Decimal("0.2")
    assert record.values["CF_XDR_LB"] == "法人及非法人组织"  # inferred from the credit code
    assert record.values["BZ"] is None  # a placeholder is empty
    assert not record.natural_person and record.party_code_field == "CF_XDR_SHXYM"


def test_bad_values_are_reported_by_field():
    record, errors = one(
        "penalty",
        penalty(CF_XDR_SHXYM="91230500MA1B3N1N2X", CF_WSH=None, CF_JDRQ="2019-02-30", CF_NR_FK="两千"),
        first_row=7,
    )
    assert record is None
    assert errors == {
        ("CF_XDR_SHXYM", "uscc_checksum"),
        ("CF_WSH", "credit_required"),
        ("CF_JDRQ", "date_invalid"),
        ("CF_NR_FK", "credit_amount"),
    }
    _, error_list = c.validate_rows("penalty", [penalty(CF_WSH="")], first_row=7)
    assert [(e.row, e.as_dict("en")["message"]) for e in error_list] == [
        (7, "Penalty decision number (CF_WSH): missing value")
    ]


def test_required_fields_and_the_party_code():
    _, errors = one("penalty", {"CF_WSH": "x〔2019〕1号"})
    assert {field for field, code in errors if code == "credit_required"} == {
        "CF_XDR_MC", "CF_CFLB", "CF_NR", "CF_JDRQ", "CF_GSJZQ", "CF_CFJG"
    }  # fmt: skip
    assert ("CF_XDR_SHXYM", "credit_party_code_missing") in errors
    _, errors = one("penalty", penalty(CF_XDR_SHXYM=None, CF_XDR_LB="自然人"))
    assert ("CF_XDR_ZJHM", "credit_required") in errors
    record, _ = one("penalty", penalty(CF_XDR_SHXYM=None, CF_XDR_ZZJG="MA1B3N1N2"))
    assert record.party_code == "MA1B3N1N2"  # an organisation without a credit code, by its other code


def test_defaults_fill_the_authority():
    record, errors = one(
        "penalty", penalty(CF_CFJG=None), defaults={"CF_CFJG": "双鸭山市公安局", "CF_CFJGDM": DEPARTMENT}
    )
    assert errors == set()
    assert record.values["CF_CFJG"] == "双鸭山市公安局" and record.values["CF_CFJGDM"] == DEPARTMENT
    record, _ = one("penalty", penalty(CF_CFJG="某分局"), defaults={"CF_CFJG": "双鸭山市公安局"})
    assert record.values["CF_CFJG"] == "某分局"  # a given value wins


def test_natural_persons():
    record, errors = one("penalty", penalty(CF_XDR_SHXYM=None, CF_XDR_MC="张三", CF_XDR_ZJHM=PERSON.lower()))
    assert errors == set()
    assert record.natural_person and record.values["CF_XDR_LB"] == "自然人"
    assert record.party_code == PERSON  # upper-cased
    bad = PERSON[:17] + ("0" if PERSON[17] != "0" else "1")
    _, errors = one("penalty", penalty(CF_XDR_SHXYM=None, CF_XDR_LB="个人", CF_XDR_ZJHM=bad))
    assert ("CF_XDR_ZJHM", "id_number_checksum") in errors
    # A passport is not checked as an ID card.
    record, errors = one(
        "penalty", penalty(CF_XDR_SHXYM=None, CF_XDR_LB="自然人", CF_XDR_ZJLX="护照", CF_XDR_ZJHM="E12345678")
    )
    assert errors == set() and record.party_code == "E12345678"
    # 个体工商户: by its credit code (category inferred from 92…).
    record, _ = one("penalty", penalty(CF_XDR_SHXYM=INDIVIDUAL_BUSINESS, CF_FR_ZJHM=PERSON))
    assert record.values["CF_XDR_LB"] == "个体工商户" and not record.natural_person
    _, errors = one("penalty", penalty(CF_XDR_LB="外星人"))
    assert ("CF_XDR_LB", "credit_party_category") in errors


def test_dates_and_amounts():
    _, errors = one("penalty", penalty(CF_GSJZQ="2019-01-01"))
    assert ("CF_GSJZQ", "credit_publicity_end_before_decision") in errors
    record, _ = one("licensing", {
        "XK_WSH": "黑公许字〔2024〕1号", "XK_XDR_MC": "某公司", "XK_XDR_SHXYM": COMPANY, "XK_NR": "x",
        "XK_JDRQ": datetime(2024, 3, 1, 10, 30), "XK_YXQZI": "长期", "XK_XKJG": "黑龙江省公安厅",
    })  # fmt: skip
    assert record.values["XK_JDRQ"] == date(2024, 3, 1) and record.values["XK_YXQZI"] == c.OPEN_END
    assert c.parse_amount("0.2") == Decimal("0.2")
    assert c.parse_amount("0.2万元") == Decimal("0.2")
    assert c.parse_amount("2,000元") == Decimal("0.2")
    assert c.parse_amount(0.2) == Decimal("0.2")
    assert c.parse_amount(5) == 5
    for bad in ("-1", "两千", "1e5"):
        with pytest.raises(InvalidValue):
            c.parse_amount(bad)


def test_long_codes_turned_into_numbers_by_excel_are_refused():
    _, errors = one("penalty", penalty(CF_XDR_SHXYM=None, CF_XDR_ZJHM=230102199001011000))
    assert ("CF_XDR_ZJHM", "credit_code_as_number") in errors


def test_decision_numbers():
    assert c.normalise_decision_number("黑公罚决字［2024］ 0012 号") == "黑公罚决字〔2024〕12号"
    assert c.normalise_decision_number("双公（治）罚决字[2019]123号") == "双公(治)罚决字〔2019〕123号"
    assert c.normalise_decision_number("黑食药监械生产许20150012号") == "黑食药监械生产许20150012号"
    with pytest.raises(InvalidValue):
        c.normalise_decision_number("  ")


def test_source_time_column():
    record, _ = one("penalty", {**penalty(), "数据更新时间": "2024-03-01 10:00:00"})
    assert record.source_updated_at == datetime(2024, 3, 1, 10, tzinfo=record.source_updated_at.tzinfo)
    assert record.source_updated_at.utcoffset().total_seconds() == 8 * 3600


def test_licensing_is_always_public_penalties_until_their_end():
    record, _ = one("penalty", penalty())
    assert record.is_public_on(date(2020, 10, 17)) and not record.is_public_on(date(2020, 10, 18))


# ---------------------------------------------------------------------------------------------------------------
# Masking


def test_mask_id_number_rule():
    assert c.mask_id_number("11010519491231002X") == "110105********002X"
    assert c.mask_id_number("230102900101123") == "230102******123"
    assert c.mask_id_number("E12345678") == "*****5678"
    assert c.mask_id_number("H1234") == "*****"
    assert c.mask_id_number(None) is None


@given(st.dates(min_value=date(1900, 1, 1), max_value=date.today()), st.integers(0, 999))
def test_masked_ids_never_show_the_birth_date(born, seq):
    number = person_id(born.strftime("%Y%m%d"), f"{seq:03d}")
    masked = c.mask_id_number(number)
    assert masked[6:14] == "********" and masked[:6] == number[:6] and masked[14:] == number[14:]
    assert c.is_resident_id(number)
    assert number not in c.scrub_id_numbers(f"当事人{number}，住址…")


def test_scrub_leaves_other_numbers_alone():
    text = f"罚款2000元，统一社会信用代码{COMPANY}，账号6222021234567890123，身份证{PERSON}。"
    scrubbed = c.scrub_id_numbers(text)
    assert COMPANY in scrubbed and "6222021234567890123" in scrubbed
    assert PERSON not in scrubbed and c.mask_id_number(PERSON) in scrubbed


def test_public_values_and_pseudonym():
    record, _ = one(
        "penalty",
        penalty(
            CF_XDR_SHXYM=None, CF_XDR_MC="张三", CF_XDR_ZJHM=PERSON, CF_SY=f"张三（身份证{PERSON}）无证经营"
        ),
    )
    public = record.public_values()
    assert public["CF_XDR_ZJHM"] == c.mask_id_number(PERSON)
    assert PERSON not in public["CF_SY"]
    assert record.values["CF_XDR_ZJHM"] == PERSON  # the record itself keeps the full number
    pseudonym = record.public_party_code(b"secret")
    assert pseudonym.startswith("自然人-") and PERSON not in pseudonym
    assert pseudonym == record.public_party_code(b"secret") != record.public_party_code(b"other")
    company, _ = one("penalty", penalty(CF_FR_ZJHM=PERSON))
    assert company.public_party_code(b"secret") == COMPANY
    assert company.public_values()["CF_FR_ZJHM"] == c.mask_id_number(PERSON)  # the legal representative's too


# ---------------------------------------------------------------------------------------------------------------
# Files

HEADER = ["CF_WSH", "CF_XDR_MC", "CF_XDR_SHXYM", "CF_CFLB", "CF_NR", "CF_JDRQ", "CF_GSJZQ", "CF_CFJG"]
ROW = ["双公罚决字〔2019〕12号", "双鸭山智慧城市运营有限公司", COMPANY, "罚款", "罚款2000元", "2019-10-17", "2020-10-17",
       "双鸭山市公安局"]  # fmt: skip


def csv_bytes(rows, encoding):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk", "gb18030"])
def test_csv_encodings(encoding):
    table = c.read_table(csv_bytes([HEADER, ROW, [], ROW], encoding), filename="x.csv")
    assert table.headers == HEADER
    rows = list(table.rows)
    assert [n for n, _ in rows] == [2, 4]  # the blank row 3 is skipped, numbering kept
    assert rows[0][1]["CF_XDR_MC"] == "双鸭山智慧城市运营有限公司"
    good, errors = c.validate_rows("penalty", [r for _, r in rows])
    assert len(good) == 2 and errors == []


def test_csv_from_a_stream_that_cannot_seek():
    class Pipe(io.RawIOBase):
        def __init__(self, data):
            self._data = io.BytesIO(data)

        def readable(self):
            return True

        def seekable(self):
            return False

        def readinto(self, b):
            chunk = self._data.read(min(len(b), 1000))
            b[: len(chunk)] = chunk
            return len(chunk)

    data = codecs.BOM_UTF8 + csv_bytes([HEADER] + [ROW] * 3000, "utf-8")
    table = c.read_csv(io.BufferedReader(Pipe(data)))
    assert sum(1 for _ in table.rows) == 3000


def test_csv_bad_encoding_part_way():
    data = csv_bytes([HEADER] + [ROW] * 2000, "utf-8") + b"\xff\xfe\n"
    table = c.read_table(data, filename="x.csv")
    with pytest.raises(InvalidValue) as raised:
        list(table.rows)
    assert raised.value.code == "credit_file_encoding"


def test_xlsx_with_a_title_row():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["行政处罚信息公示"])
    sheet.append(["行政处罚决定书文号", "行政相对人名称", "统一社会信用代码", "处罚类别", "处罚结果", "处罚决定日期",
                  "公示截止期", "处罚机关"])  # fmt: skip
    sheet.append([*ROW[:5], datetime(2019, 10, 17), datetime(2020, 10, 17), ROW[7]])
    sheet.append([])
    sheet.append(ROW)
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = c.read_table(buffer.getvalue())
    assert table.format == "xlsx" and table.header_row == 2
    rows = list(table.rows)
    assert [n for n, _ in rows] == [3, 5]
    good, errors = c.validate_rows("penalty", [r for _, r in rows])
    assert errors == [] and good[0].values["CF_JDRQ"] == date(2019, 10, 17)


def test_not_a_workbook():
    with pytest.raises(InvalidValue) as raised:
        c.read_table(b"PK\x03\x04 not really", filename="x.xlsx")
    assert raised.value.code == "credit_file_xlsx"


def test_iter_validate_is_lazy():
    def endless():
        n = 1
        while True:
            n += 1
            yield n, dict(zip(HEADER, ROW, strict=True))

    results = c.iter_validate("penalty", endless())
    assert [next(results)[0].row for _ in range(3)] == [2, 3, 4]
