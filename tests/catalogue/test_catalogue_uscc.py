import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc

from ckanext.hlj.catalogue import uscc
from ckanext.hlj.catalogue.errors import InvalidValue

# Real codes. The first four are quoted in shared/reference/domain-standards.md §3.3 (a Shuangyashan 双公示 record,
# a Shuangyashan public body, a Sichuan service item, and the head of a Guangdong 实施编码 from §1.2); the rest are
# a sample of the codes "found online" in python-stdnum's tests/test_cn_uscc.doctest, covering 12 (事业单位),
# 91 (enterprise), 92 (个体工商户), letters in the organisation code and X check characters.
REAL_CODES = [
    "91230500MA1B3N1N2M",
    "11230500001755309F",
    "115113010833722043",
    "12441500196720244T",
    "121200004013590816",
    "91110000600037341L",
    "91110000710926094P",
    "91152201078371135X",
    "9115220107837757XE",
    "9115220107837941X1",
    "91310115MA1K3BTP2B",
    "91340603MA2UJXXCXF",
    "9144030071526726XG",
    "91620105L015101280",
    "92340602MA2PBMEM24",
    "92340621MA2PBKRXXG",
    "92340603MA2UK3DT5H",
]

# Real GB 11714 organisation codes: 国务院办公厅 (the prefix of gov.cn 索引号 000014349/…) and the Nujiang example
# of domain-standards §2.1 (01527918X-2020-153077), plus those embedded in the real USCCs above.
REAL_ORG_CODES = ["000014349", "01527918X", *(code[8:17] for code in REAL_CODES)]


def complete(head8: str, org_body: str) -> str:
    """A valid USCC from its first 8 characters and the 8-character organisation-code body."""
    first17 = head8 + org_body + uscc.org_code_check_char(org_body)
    return first17 + uscc.uscc_check_char(first17)


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_validate(code):
    assert uscc.validate_uscc(code) == code
    assert uscc.validate_org_code(code[8:17]) == code[8:17]
    assert uscc.embedded_org_code(code) == code[8:17]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_agree_with_stdnum(code):
    assert stdnum_uscc.is_valid(code)
    assert stdnum_uscc.calc_check_digit(code[:17]) == uscc.uscc_check_char(code[:17])


@pytest.mark.parametrize("code", REAL_ORG_CODES)
def test_real_org_codes_validate(code):
    assert uscc.validate_org_code(code) == code


def test_letter_first_codes_are_valid():
    # domain-standards §3.3: python-stdnum rejects this correctly check-summed 村级集体经济组织 code.
    assert uscc.validate_uscc("N2230100MA1B3N1N2G") == "N2230100MA1B3N1N2G"
    for head in ("Y1230100", "A1230100", "N3231200", "51230000", "91230100"):
        code = complete(head, "MA1B3N1N")
        assert uscc.validate_uscc(code) == code
    assert uscc.registration_authority("N2230100MA1B3N1N2G") == ("农业", "Agriculture")
    assert uscc.registration_authority("91230500MA1B3N1N2M")[0] == "工商"


def test_unlisted_registration_authority_is_not_rejected():
    code = complete("B1230100", "MA1B3N1N")
    assert uscc.validate_uscc(code) == code
    assert uscc.registration_authority(code) is None


@pytest.mark.parametrize(
    "raw",
    [
        " 91230500MA1B3N1N2M ",
        "91230500ma1b3n1n2m",
        "９１２３０５００ＭＡ１Ｂ３Ｎ１Ｎ２Ｍ",
        "91 230500 MA1B3N1N2 M",
        "91230500-MA1B3N1N2-M",
        "91230500MA1B3N1N2M\u3000",
    ],
)
def test_normalisation(raw):
    assert uscc.validate_uscc(raw) == "91230500MA1B3N1N2M"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "uscc_empty"),
        ("   ", "uscc_empty"),
        (None, "uscc_type"),
        (12.5, "uscc_type"),
        ("91230500MA1B3N1N2", "uscc_length"),
        ("91230500MA1B3N1N2MM", "uscc_length"),
        ("91230500MA1B3N1NIM", "uscc_alphabet"),
        ("91230500MA1B3N1NOM", "uscc_alphabet"),
        ("91230500MA1B3N1NSM", "uscc_alphabet"),
        ("91230500MA1B3N1NVM", "uscc_alphabet"),
        ("91230500MA1B3N1NZM", "uscc_alphabet"),
        ("912305统一B3N1N2MAAAA", "uscc_length"),
        ("912A0500MA1B3N1N2M", "uscc_region"),
        ("91230500MA1B3N1N2N", "uscc_checksum"),
        ("91230500MA1B3N1N2L", "uscc_checksum"),
    ],
)
def test_errors(raw, code):
    with pytest.raises(InvalidValue) as info:
        uscc.validate_uscc(raw)
    assert info.value.code == code
    assert info.value.zh and info.value.en


def test_embedded_org_code_is_checked():
    # right USCC check character, wrong GB 11714 check character inside
    first17 = "91230500MA1B3N1N3"
    code = first17 + uscc.uscc_check_char(first17)
    with pytest.raises(InvalidValue) as info:
        uscc.validate_uscc(code)
    assert info.value.code == "uscc_org_code_checksum"
    assert uscc.validate_uscc(code, check_org_code=False) == code


def test_check_char_zero_sum_edge_case():
    # Σ ≡ 0 (mod 31) must give '0' (wenerme/go-gb gets this wrong, domain-standards §3.3).
    def total(first17):
        return sum(uscc.ALPHABET.index(c) * w for c, w in zip(first17, uscc.WEIGHTS, strict=True))

    first17 = next(p for p in (f"91230500{n:09d}" for n in range(10_000)) if total(p) % 31 == 0)
    assert uscc.uscc_check_char(first17) == "0"
    assert stdnum_uscc.calc_check_digit(first17) == "0"


def test_org_code_check_edge_cases():
    # c = 11 → '0' and c = 10 → 'X'
    bodies = (f"{n:08d}" for n in range(100_000))
    zero = next(
        b for b in bodies if sum(int(c) * w for c, w in zip(b, uscc.ORG_CODE_WEIGHTS, strict=True)) % 11 == 0
    )
    assert uscc.org_code_check_char(zero) == "0"
    assert uscc.validate_org_code(zero + "0") == zero + "0"
    assert uscc.validate_org_code("01527918X") == "01527918X"
    assert uscc.validate_org_code("01527918x") == "01527918X"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("00001434-9", None),
        ("000014349", None),
        ("0000 1434 9", None),
        ("000014348", "org_code_checksum"),
        ("0000143", "org_code_length"),
        ("0000143490", "org_code_length"),
        ("00001434-Y", "org_code_format"),
        ("0000143统-9", "org_code_format"),
        ("", "org_code_empty"),
    ],
)
def test_org_code(raw, code):
    if code is None:
        assert uscc.validate_org_code(raw) == "000014349"
    else:
        with pytest.raises(InvalidValue) as info:
            uscc.validate_org_code(raw)
        assert info.value.code == code


def test_helpers_reject_bad_input():
    with pytest.raises(InvalidValue):
        uscc.uscc_check_char("123")
    with pytest.raises(InvalidValue):
        uscc.uscc_check_char("9123050OMA1B3N1N2")  # letter O
    with pytest.raises(InvalidValue):
        uscc.org_code_check_char("1234567")
    assert uscc.is_valid_uscc("91230500MA1B3N1N2M")
    assert not uscc.is_valid_uscc("91230500MA1B3N1N2N")
    assert uscc.make_uscc("91230500MA1B3N1N2") == "91230500MA1B3N1N2M"


# --- properties -------------------------------------------------------------------------------------------------

alphabet_char = st.sampled_from(uscc.ALPHABET)
valid_usccs = st.builds(
    lambda first, second, region, body: complete(first + second + region, body),
    st.sampled_from(list(uscc.REGISTRATION_AUTHORITIES)),
    alphabet_char,
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.text(alphabet=uscc.ALPHABET, min_size=8, max_size=8),
)


@given(valid_usccs)
def test_generated_codes_validate(code):
    assert uscc.validate_uscc(code) == code
    assert uscc.validate_uscc(code.lower()) == code


@given(valid_usccs, st.integers(0, 17), alphabet_char)
def test_any_single_substitution_is_detected(code, position, replacement):
    if code[position] == replacement:
        replacement = uscc.ALPHABET[(uscc.ALPHABET.index(replacement) + 1) % 31]
    changed = code[:position] + replacement + code[position + 1 :]
    with pytest.raises(InvalidValue):
        uscc.validate_uscc(changed)


@given(valid_usccs, st.integers(0, 16))
def test_adjacent_transpositions_of_different_characters_are_detected(code, position):
    if code[position] == code[position + 1]:
        return
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
    # 3^i mod 31 weights differ for neighbours, so the sum changes by (w_i − w_{i+1})(v_{i+1} − v_i) ≢ 0
    with pytest.raises(InvalidValue):
        uscc.validate_uscc(swapped)


@given(
    st.text(alphabet="0123456789", min_size=8, max_size=8),
    st.text(alphabet=uscc.ALPHABET, min_size=10, max_size=10),
)
def test_digit_first_codes_agree_with_stdnum(head, tail):
    """Where python-stdnum applies (characters 1–8 digits) it agrees with our GB 32100 check."""
    code = head + tail
    try:
        uscc.validate_uscc(code, check_org_code=False)
        ours = True
    except InvalidValue:
        ours = False
    assert stdnum_uscc.is_valid(code) == ours
