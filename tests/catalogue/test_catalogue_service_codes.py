import pytest
from hypothesis import given
from hypothesis import strategies as st

from ckanext.hlj.catalogue import service_codes as sc
from ckanext.hlj.catalogue import uscc
from ckanext.hlj.catalogue.errors import InvalidValue

# A real Guangdong 实施编码 (domain-standards §1.2): USCC 12441500196720244T + "3" + 12 more characters.
GUANGDONG_TASK_CODE = "12441500196720244T3442199806003"
GUANGDONG_USCC = "12441500196720244T"
# The Sichuan item code of domain-standards §1.2 (a provincial code with hyphens, 55 characters).
SICHUAN_LOCAL_CODE = "511A0138000000-511602000000-000-115113010833722043-1-00"


@pytest.mark.parametrize(
    "raw", ["000201001000", "00020100100A", " 11230500001a ", "０００２０１００１０００"]
)
def test_basic_code_valid(raw):
    assert sc.validate_basic_code(raw) == raw.strip().upper().translate(str.maketrans("０１２", "012"))


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("00020100100", "basic_code_length"),
        ("0002010010000", "basic_code_length"),
        ("000201-01000", "basic_code_format"),
        ("行政许可事项0000000", "basic_code_format"),
        ("", "basic_code_empty"),
        (None, "basic_code_type"),
    ],
)
def test_basic_code_invalid(raw, code):
    with pytest.raises(InvalidValue) as info:
        sc.validate_basic_code(raw)
    assert info.value.code == code


def test_basic_code_accepts_spreadsheet_integers():
    assert sc.validate_basic_code(110201001000) == "110201001000"


def test_real_implementation_code():
    assert sc.validate_implementation_code(GUANGDONG_TASK_CODE) == GUANGDONG_TASK_CODE
    assert sc.validate_implementation_code(GUANGDONG_TASK_CODE.lower()) == GUANGDONG_TASK_CODE
    assert sc.validate_implementation_code(GUANGDONG_TASK_CODE, GUANGDONG_USCC) == GUANGDONG_TASK_CODE
    assert sc.validate_implementation_code(GUANGDONG_TASK_CODE, GUANGDONG_USCC.lower()) == GUANGDONG_TASK_CODE
    assert sc.implementing_body_uscc(GUANGDONG_TASK_CODE) == GUANGDONG_USCC
    assert sc.embedded_usccs(GUANGDONG_TASK_CODE) == [GUANGDONG_USCC]


def test_implementation_code_with_other_body():
    with pytest.raises(InvalidValue) as info:
        sc.validate_implementation_code(GUANGDONG_TASK_CODE, "91230500MA1B3N1N2M")
    assert info.value.code == "implementation_code_uscc_mismatch"
    assert "91230500MA1B3N1N2M" in info.value.zh


def test_implementation_code_with_invalid_expected_uscc():
    with pytest.raises(InvalidValue) as info:
        sc.validate_implementation_code(GUANGDONG_TASK_CODE, "91230500MA1B3N1N2N")
    assert info.value.code == "uscc_checksum"


def test_blank_expected_uscc_is_ignored():
    assert sc.validate_implementation_code(GUANGDONG_TASK_CODE, "") == GUANGDONG_TASK_CODE


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("12441500196720244U3442199806003", "implementation_code_no_uscc"),  # check character altered
        ("000201001000", "implementation_code_no_uscc"),
        (GUANGDONG_TASK_CODE + "123456", "implementation_code_length"),  # 37
        (SICHUAN_LOCAL_CODE, "implementation_code_length"),
        ("12441500196720244T_3442199806003", "implementation_code_format"),
        ("12441500196720244T3442199806003号", "implementation_code_format"),
        ("-12441500196720244T3442199806003", "implementation_code_format"),
        ("", "implementation_code_empty"),
    ],
)
def test_implementation_code_invalid(raw, code):
    with pytest.raises(InvalidValue) as info:
        sc.validate_implementation_code(raw)
    assert info.value.code == code


def test_implementation_code_may_have_hyphens_and_position_is_free():
    code = "11230500001755309F-1-000201001000"
    assert sc.validate_implementation_code(code) == code
    assert sc.implementing_body_uscc("X" + GUANGDONG_USCC) == GUANGDONG_USCC


def test_handle_item_code():
    assert sc.validate_handle_item_code(None) is None
    assert sc.validate_handle_item_code("") is None
    assert sc.validate_handle_item_code("  ") is None
    assert sc.validate_handle_item_code(GUANGDONG_TASK_CODE + "01") == GUANGDONG_TASK_CODE + "01"
    assert sc.validate_handle_item_code("a" * 50) == "A" * 50
    with pytest.raises(InvalidValue) as info:
        sc.validate_handle_item_code("A" * 51)
    assert info.value.code == "handle_item_code_length"
    with pytest.raises(InvalidValue) as info:
        sc.validate_handle_item_code("办理项1")
    assert info.value.code == "handle_item_code_format"


alnum = st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", max_size=9)
valid_usccs = st.builds(
    lambda head, body: uscc.make_uscc(head + body + uscc.org_code_check_char(body)),
    st.text(alphabet="0123456789", min_size=8, max_size=8).map(lambda s: "9" + s[1:]),
    st.text(alphabet=uscc.ALPHABET, min_size=8, max_size=8),
)


@given(valid_usccs, alnum, alnum)
def test_any_code_embedding_the_body_uscc_validates(body_uscc, before, after):
    code = before + body_uscc + after
    assert sc.validate_implementation_code(code, body_uscc) == code
    assert body_uscc in sc.embedded_usccs(code)


@given(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=1, max_size=17))
def test_codes_too_short_to_hold_a_uscc_fail(text):
    with pytest.raises(InvalidValue):
        sc.validate_implementation_code(text)
