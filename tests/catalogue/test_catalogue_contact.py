import pytest
from hypothesis import given
from hypothesis import strategies as st

from ckanext.hlj.catalogue.contact import (
    PhoneNumber,
    parse_phone,
    validate_email,
    validate_phone,
    validate_phone_list,
)
from ckanext.hlj.catalogue.errors import InvalidValue


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("0086-13812345678", "13812345678"),
        ("(+86)19912345678", "19912345678"),
        ("１３８１２３４５６７８", "13812345678"),
        (13812345678, "13812345678"),
        ("0451-82345678", "0451-82345678"),
        ("0451-12345678", "0451-12345678"),
        ("(0451)82345678", "0451-82345678"),
        ("（0451）82345678", "0451-82345678"),
        ("(0451) 8234 5678", "0451-82345678"),
        ("0451 8234 5678", "0451-82345678"),
        ("045182345678", "0451-82345678"),
        ("0451-8234567", "0451-8234567"),
        ("0451-8234-5678", "0451-82345678"),
        ("+86 451 82345678", "0451-82345678"),
        ("+86-451-82345678", "0451-82345678"),
        ("010-12345678", "010-12345678"),
        ("+86 10 12345678", "010-12345678"),
        ("020 8888 8888", "020-88888888"),
        ("0464-8123456", "0464-8123456"),
        ("0451-82345678转123", "0451-82345678转123"),
        ("0451-82345678 转 123", "0451-82345678转123"),
        ("0451-82345678分机8001", "0451-82345678转8001"),
        ("0451-82345678-8001", "0451-82345678转8001"),
        ("0451-82345678 ext. 12", "0451-82345678转12"),
        ("0451-82345678x12", "0451-82345678转12"),
        ("12345", "12345"),
        ("12315", "12315"),
        ("12366", "12366"),
        ("0451-12345", "0451-12345"),
        ("（0451）12345", "0451-12345"),
        ("95598", "95598"),
        ("0451-96333", "0451-96333"),
        ("400-123-4567", "400-123-4567"),
        ("4001234567", "400-123-4567"),
        ("400 123 4567", "400-123-4567"),
        ("800-810-8888", "800-810-8888"),
        ("400-123-4567转8", "400-123-4567转8"),
    ],
)
def test_phones(raw, expected):
    assert validate_phone(raw) == expected


def test_parse_phone_parts():
    assert parse_phone("0451-82345678转123") == PhoneNumber("landline", "82345678", "0451", "123")
    assert parse_phone("13812345678") == PhoneNumber("mobile", "13812345678")
    assert parse_phone("0451-12345") == PhoneNumber("hotline", "12345", "0451")
    assert parse_phone("4001234567").kind == "freephone"


@pytest.mark.parametrize(
    "raw",
    [
        "12812345678",  # 12x is not a mobile prefix
        "1381234567",  # 10 digits
        "138123456789",  # 12 digits
        "13812345678转1",  # mobiles have no extension
        "0451-1234",  # subscriber number too short
        "0451-823456789",  # too long
        "0451-02345678",  # subscriber numbers do not start with 0
        "00451-82345678",
        "82345678",  # no area code
        "0451-82345678转",
        "0451-82345678-1234567",
        "(0451-82345678",
        "12346789",
        "110",
        "400-123-456",
        "电话：0451-82345678",
        "0451－82345678；13812345678",
        "abc",
        "",
        None,
        True,
    ],
)
def test_bad_phones(raw):
    with pytest.raises(InvalidValue):
        validate_phone(raw)


def test_phone_lists():
    assert validate_phone_list("0451-82345678；13812345678、12345") == [
        "0451-82345678",
        "13812345678",
        "12345",
    ]
    assert validate_phone_list("0451-82345678或0451-82345679") == ["0451-82345678", "0451-82345679"]
    with pytest.raises(InvalidValue):
        validate_phone_list("0451-82345678；；12345")
    with pytest.raises(InvalidValue):
        validate_phone_list("0451-82345678；邮箱")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("xxgk@hlj.gov.cn", "xxgk@hlj.gov.cn"),
        ("XXGK@HLJ.GOV.CN", "XXGK@hlj.gov.cn"),
        (" hljzwgk@163.com ", "hljzwgk@163.com"),
        ("ｘｘｇｋ＠ｈｌｊ．ｇｏｖ．ｃｎ", "xxgk@hlj.gov.cn"),
        ("mailto:xxgk@hlj.gov.cn", "xxgk@hlj.gov.cn"),
        ("first.last+tag@sub.example.com.cn", "first.last+tag@sub.example.com.cn"),
        ("zwgk@政务.cn", "zwgk@政务.cn"),
        ("a@xn--fiq228c.cn", "a@xn--fiq228c.cn"),
    ],
)
def test_emails(raw, expected):
    assert validate_email(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "xxgk#hlj.gov.cn",
        "xxgk[at]hlj.gov.cn",
        "xxgk@hlj",
        "xxgk@@hlj.gov.cn",
        "a@b@hlj.gov.cn",
        "@hlj.gov.cn",
        "xxgk@",
        "xx gk@hlj.gov.cn",
        ".xxgk@hlj.gov.cn",
        "xx..gk@hlj.gov.cn",
        "xxgk@-hlj.gov.cn",
        "xxgk@hlj..gov.cn",
        "xxgk@hlj_gov.cn",
        "xxgk@hlj.gov.c",
        "xxgk@hlj.gov.123",
        "政务公开@hlj.gov.cn",
        "a" * 65 + "@hlj.gov.cn",
        "",
        None,
    ],
)
def test_bad_emails(raw):
    with pytest.raises(InvalidValue):
        validate_email(raw)


area_codes = st.one_of(
    st.sampled_from(["010", "020", "021", "022", "023", "024", "025", "027", "028", "029"]),
    st.integers(300, 999).map(lambda n: f"0{n}"),
)
subscribers = st.integers(2_000_000, 99_999_999).map(str)


@given(area_codes, subscribers, st.sampled_from(["{a}-{s}", "({a}){s}", "{a} {s}", "（{a}）{s}", "{a}{s}"]))
def test_landlines_round_trip(area, subscriber, template):
    canonical = f"{area}-{subscriber}"
    assert validate_phone(template.format(a=area, s=subscriber)) == canonical
    assert validate_phone(canonical) == canonical


@given(st.integers(3, 9), st.integers(0, 999_999_999))
def test_mobiles_round_trip(second, rest):
    number = f"1{second}{rest:09d}"
    assert validate_phone(number) == number
    assert validate_phone(f"+86 {number[:3]} {number[3:7]} {number[7:]}") == number
