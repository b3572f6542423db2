"""统一社会信用代码 (unified social credit code, GB 32100-2015) and 组织机构代码 (organisation code, GB 11714).

A USCC has 18 characters from the 31-symbol alphabet ``0-9 A-H J-N P Q R T U W X Y`` (no I, O, S, V, Z):

====== =====================================================================================
 1      登记管理部门代码 (registration authority: 1 机构编制, 5 民政, 9 工商, A, N, Y, …)
 2      机构类别代码 (kind of entity within that authority)
 3–8    登记管理机关行政区划码 (GB/T 2260, six digits)
 9–17   主体标识码: the GB 11714 organisation code, eight characters plus its own check character
 18     check character: weights 3^(i-1) mod 31, value (31 − Σ mod 31) mod 31
====== =====================================================================================

Characters 1 and 2 may be letters (e.g. ``N2…`` 村级集体经济组织, ``Y1…`` 其他): python-stdnum's ``cn.uscc``
demands digits there and so rejects valid codes, which is why this module does not use it.

Sources: GB 32100-2015 and GB 11714-1997 as summarised in shared/reference/domain-standards.md §3.3 (checked there
against real codes); the registration-authority list is the one published with the 赋码 rules and is shown for
information only — an unlisted first character is not rejected, because the list has grown since 2015.
"""

from __future__ import annotations

import re

from ._text import require_text
from .errors import InvalidValue

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUES = {c: i for i, c in enumerate(ALPHABET)}
WEIGHTS = tuple(
    pow(3, i, 31) for i in range(17)
)  # 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28

ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# 登记管理部门代码 → (zh, en). Informational: used by registration_authority(), never to reject a code.
REGISTRATION_AUTHORITIES = {
    "1": ("机构编制", "Institutional establishment (bianzhi) authorities"),
    "2": ("外交", "Foreign affairs"),
    "3": ("司法行政", "Judicial administration"),
    "4": ("文化", "Culture"),
    "5": ("民政", "Civil affairs"),
    "6": ("旅游", "Tourism"),
    "7": ("宗教", "Religious affairs"),
    "8": ("工会", "Trade unions"),
    "9": ("工商", "Industry and commerce (market regulation)"),
    "A": ("中央军委改革和编制办公室", "Reform and Establishment Office of the Central Military Commission"),
    "N": ("农业", "Agriculture"),
    "Y": ("其他", "Other"),
}

_USCC_RE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}")
_ORG_RE = re.compile(r"[0-9A-Z]{8}[0-9X]")
_SEPARATORS = re.compile(r"[\s\-]+")


def normalise_uscc(value: object) -> str:
    """Strip blanks and hyphens, convert full-width characters to half-width, upper-case. No validation."""
    text = require_text(value, "uscc", "统一社会信用代码", "Unified social credit code")
    return _SEPARATORS.sub("", text).upper()


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters (which must be from :data:`ALPHABET`)."""
    first17 = first17.upper()
    if len(first17) != 17 or any(c not in _VALUES for c in first17):
        raise InvalidValue(
            "uscc_format",
            "统一社会信用代码前17位应为数字或大写字母（不含I、O、S、V、Z）",
            "Unified social credit code: the first 17 characters must be digits or capital letters other than I, O, S, V, Z",
        )
    total = sum(_VALUES[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(first8: str) -> str:
    """The GB 11714 check character (``0``–``9`` or ``X``) for an eight-character organisation-code body."""
    first8 = first8.upper()
    if len(first8) != 8 or not first8.isascii() or not first8.isalnum():
        raise InvalidValue(
            "org_code_format",
            "组织机构代码本体应为8位数字或大写字母",
            "Organisation code: the body must be 8 digits or capital letters",
        )
    total = sum(int(c, 36) * w for c, w in zip(first8, ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def validate_uscc(value: object, *, check_org_code: bool = True) -> str:
    """Validate a 统一社会信用代码 and return it normalised (18 upper-case characters).

    Checks the length, the alphabet, that characters 3–8 are digits, the GB 32100 check character and (unless
    ``check_org_code`` is false) the GB 11714 check of the embedded organisation code, characters 9–17.
    """
    code = normalise_uscc(value)
    if len(code) != 18:
        raise InvalidValue(
            "uscc_length",
            f"统一社会信用代码应为18位，实际为{len(code)}位",
            f"Unified social credit code: must be 18 characters, got {len(code)}",
        )
    if not _USCC_RE.fullmatch(code):
        if any(c not in _VALUES for c in code):
            raise InvalidValue(
                "uscc_alphabet",
                "统一社会信用代码只能包含数字和大写字母（不含I、O、S、V、Z）",
                "Unified social credit code: only digits and capital letters other than I, O, S, V, Z are allowed",
            )
        raise InvalidValue(
            "uscc_region",
            "统一社会信用代码第3至8位（登记管理机关行政区划码）应为数字",
            "Unified social credit code: characters 3–8 (registration region code) must be digits",
        )
    if uscc_check_char(code[:17]) != code[17]:
        raise InvalidValue(
            "uscc_checksum",
            "统一社会信用代码校验位错误",
            "Unified social credit code: wrong check character",
        )
    if check_org_code and org_code_check_char(code[8:16]) != code[16]:
        raise InvalidValue(
            "uscc_org_code_checksum",
            "统一社会信用代码第9至17位（组织机构代码）校验位错误",
            "Unified social credit code: the embedded organisation code (characters 9–17) has a wrong check character",
        )
    return code


def is_valid_uscc(value: object) -> bool:
    try:
        validate_uscc(value)
    except InvalidValue:
        return False
    return True


def validate_org_code(value: object) -> str:
    """Validate a GB 11714 组织机构代码 (``12345678-9`` or ``123456789``) and return the 9 characters, no hyphen."""
    text = require_text(value, "org_code", "组织机构代码", "Organisation code")
    code = _SEPARATORS.sub("", text).upper()
    if len(code) != 9:
        raise InvalidValue(
            "org_code_length",
            f"组织机构代码应为9位，实际为{len(code)}位",
            f"Organisation code: must be 9 characters, got {len(code)}",
        )
    if not _ORG_RE.fullmatch(code):
        raise InvalidValue(
            "org_code_format",
            "组织机构代码应为8位数字或大写字母加1位校验码（数字或X）",
            "Organisation code: 8 digits or capital letters followed by a check character (digit or X)",
        )
    if org_code_check_char(code[:8]) != code[8]:
        raise InvalidValue(
            "org_code_checksum", "组织机构代码校验位错误", "Organisation code: wrong check character"
        )
    return code


def embedded_org_code(uscc: object) -> str:
    """The GB 11714 organisation code inside a valid USCC (characters 9–17)."""
    return validate_uscc(uscc)[8:17]


def registration_authority(uscc: object) -> tuple[str, str] | None:
    """(zh, en) name of the registration authority named by the first character, or None when not listed."""
    return REGISTRATION_AUTHORITIES.get(validate_uscc(uscc)[0])


def make_uscc(first17: str) -> str:
    """Complete 17 characters with their check character (for tests and fixtures; does not fix the org code)."""
    return first17.upper() + uscc_check_char(first17)
