import pytest
from hypothesis import given
from hypothesis import strategies as st

from ckanext.hlj.catalogue.doc_number import DocNumber, normalise_doc_number, parse_doc_number
from ckanext.hlj.catalogue.errors import InvalidValue


@pytest.mark.parametrize(
    "raw",
    [
        "黑政办发〔2017〕10号",
        "黑政办发[2017]10号",
        "黑政办发［2017］10号",
        "黑政办发（2017）10号",
        "黑政办发(2017)10号",
        "黑政办发【2017】10号",
        "黑政办发〖2017〗10号",
        "黑政办发﹝2017﹞10号",
        "黑政办发〔２０１７〕１０号",
        "黑政办发 〔2017〕 10 号",
        " 黑政办发〔2017〕10号\u3000",
        "黑政办发〔2017〕010号",
        "黑政办发〔2017〕第10号",
        "黑政办发〔2017〕10",
        "黑政办发(2017〕10号",
    ],
)
def test_variants_normalise_to_the_canonical_form(raw):
    assert normalise_doc_number(raw) == "黑政办发〔2017〕10号"
    assert parse_doc_number(raw) == DocNumber("黑政办发", 2017, 10)


@pytest.mark.parametrize(
    ("raw", "prefix", "year", "serial"),
    [
        ("国发〔2016〕80号", "国发", 2016, 80),
        ("国办发〔2017〕2号", "国办发", 2017, 2),
        ("国办发〔2016〕80号", "国办发", 2016, 80),
        ("黑政规〔2021〕5号", "黑政规", 2021, 5),
        ("黑办发〔2017〕12号", "黑办发", 2017, 12),
        ("哈政办规〔2020〕3号", "哈政办规", 2020, 3),
        ("黑政办规〔2025〕1号", "黑政办规", 2025, 1),
        ("国办公开办函〔2019〕61号", "国办公开办函", 2019, 61),
        ("发改办财金〔2018〕424号", "发改办财金", 2018, 424),
        ("国办发明电〔2021〕11号", "国办发明电", 2021, 11),
        ("国办秘函〔2019〕19号", "国办秘函", 2019, 19),
    ],
)
def test_real_world_numbers(raw, prefix, year, serial):
    assert parse_doc_number(raw) == DocNumber(prefix, year, serial, "bracket")
    assert normalise_doc_number(raw) == raw


def test_orders_and_year_announcements_keep_their_form():
    assert parse_doc_number("国务院令第711号") == DocNumber("国务院令", None, 711, "order")
    assert normalise_doc_number("国务院令 第 711 号") == "国务院令第711号"
    assert normalise_doc_number("黑龙江省人民政府令第1号") == "黑龙江省人民政府令第1号"
    assert parse_doc_number("国家税务总局公告2021年第3号") == DocNumber("国家税务总局公告", 2021, 3, "year")
    assert normalise_doc_number("国家税务总局公告２０２１年第３号") == "国家税务总局公告2021年第3号"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "doc_number_empty"),
        (None, "doc_number_type"),
        ("关于全面推进政务公开工作的实施意见", "doc_number_format"),
        ("〔2017〕10号", "doc_number_format"),
        ("黑政办发〔17〕10号", "doc_number_format"),
        ("黑政办发〔2017〕号", "doc_number_format"),
        ("黑政办发2017 10号", "doc_number_format"),
        ("黑政办发〔2017〕10号、黑政办发〔2017〕11号", "doc_number_format"),
        ("黑政办发〔2017〕10号文件", "doc_number_format"),
        ("黑政办发〔1899〕10号", "doc_number_year"),
        ("黑政办发〔2017〕0号", "doc_number_serial"),
        ("黑政办发〔2017〕1234567号", "doc_number_format"),
        ("2017", "doc_number_format"),
    ],
)
def test_garbage_is_rejected(raw, code):
    with pytest.raises(InvalidValue) as info:
        parse_doc_number(raw)
    assert info.value.code == code


prefixes = st.text(alphabet="黑政办发规函国哈省厅委局令公告字", min_size=1, max_size=8).filter(
    lambda p: not p.endswith("令") and not p.endswith("公告")
)
doc_numbers = st.builds(DocNumber, prefixes, st.integers(1949, 2100), st.integers(1, 999_999))
brackets = st.sampled_from([("〔", "〕"), ("[", "]"), ("（", "）"), ("(", ")"), ("【", "】"), ("［", "］")])
fullwidth = str.maketrans("0123456789", "０１２３４５６７８９")


@given(doc_numbers)
def test_parse_of_canonical_text_round_trips(number):
    assert parse_doc_number(str(number)) == number
    assert normalise_doc_number(str(number)) == str(number)


@given(doc_numbers, brackets, st.booleans(), st.booleans(), st.integers(0, 2))
def test_written_variants_normalise_to_the_canonical_form(number, bracket, wide, spaced, zeros):
    year, serial = str(number.year), "0" * zeros + str(number.serial)
    if wide:
        year, serial = year.translate(fullwidth), serial.translate(fullwidth)
    gap = " " if spaced else ""
    text = f"{number.prefix}{gap}{bracket[0]}{year}{bracket[1]}{gap}{serial}{gap}号"
    assert normalise_doc_number(text) == str(number)
    assert parse_doc_number(normalise_doc_number(text)) == number
