"""Codes of 政务服务事项 (government service items), GB/T 39554.1-2020.

What is certain (shared/reference/domain-standards.md §1.2) and therefore checked here:

* 基本编码 (basic catalogue code, exchange field ``catalog_code``): exactly 12 characters;
* 实施编码 (implementation-list code, ``task_code``): at most 36 characters, and it embeds the implementing body's
  18-character 统一社会信用代码 (a real Guangdong code: ``12441500196720244T3442199806003``);
* 业务办理项编码 (business handling item code, ``task_handle_item``): optional, at most 50 characters.

The segment layout inside the codes is UNCONFIRMED (the standard's text was not retrievable), so codes are stored
as opaque strings: no position of the USCC inside the 实施编码 is assumed, and the basic code is not required to
reappear in it. Codes are upper-cased ASCII letters and digits; the 实施编码 and 办理项编码 may also contain
hyphens, which some provincial systems print between segments.
"""

from __future__ import annotations

import re

from ._text import require_text
from .errors import InvalidValue
from .uscc import is_valid_uscc, validate_uscc

BASIC_CODE_LENGTH = 12
IMPLEMENTATION_CODE_MAX = 36
HANDLE_ITEM_CODE_MAX = 50

_BLANKS = re.compile(r"\s+")
_ALNUM = re.compile(r"[0-9A-Z]+")
_ALNUM_HYPHEN = re.compile(r"[0-9A-Z]+(?:-[0-9A-Z]+)*")


def _clean(value: object, code: str, zh: str, en: str) -> str:
    return _BLANKS.sub("", require_text(value, code, zh, en)).upper()


def validate_basic_code(value: object) -> str:
    """基本编码: exactly 12 ASCII letters or digits; returns it upper-cased without blanks."""
    code = _clean(value, "basic_code", "基本编码", "Basic catalogue code")
    if not _ALNUM.fullmatch(code):
        raise InvalidValue(
            "basic_code_format",
            "基本编码只能包含数字和英文字母",
            "Basic catalogue code: only digits and Latin letters are allowed",
        )
    if len(code) != BASIC_CODE_LENGTH:
        raise InvalidValue(
            "basic_code_length",
            f"基本编码应为{BASIC_CODE_LENGTH}位，实际为{len(code)}位",
            f"Basic catalogue code: must be {BASIC_CODE_LENGTH} characters, got {len(code)}",
        )
    return code


def embedded_usccs(value: str) -> list[str]:
    """Every 18-character window of ``value`` that is a valid USCC, left to right (usually exactly one)."""
    text = _BLANKS.sub("", value).upper()
    return [text[i : i + 18] for i in range(len(text) - 17) if is_valid_uscc(text[i : i + 18])]


def validate_implementation_code(value: object, expected_uscc: object | None = None) -> str:
    """实施编码: at most 36 characters and containing a valid USCC; returns it normalised.

    With ``expected_uscc`` (the implementing body's code, as entered elsewhere on the item) the code must contain
    exactly that USCC.
    """
    code = _clean(value, "implementation_code", "实施编码", "Implementation code")
    if not _ALNUM_HYPHEN.fullmatch(code):
        raise InvalidValue(
            "implementation_code_format",
            "实施编码只能包含数字、英文字母和连字符",
            "Implementation code: only digits, Latin letters and hyphens are allowed",
        )
    if len(code) > IMPLEMENTATION_CODE_MAX:
        raise InvalidValue(
            "implementation_code_length",
            f"实施编码不能超过{IMPLEMENTATION_CODE_MAX}位，实际为{len(code)}位",
            f"Implementation code: at most {IMPLEMENTATION_CODE_MAX} characters, got {len(code)}",
        )
    found = embedded_usccs(code)
    if not found:
        raise InvalidValue(
            "implementation_code_no_uscc",
            "实施编码中未包含有效的实施主体统一社会信用代码",
            "Implementation code: does not contain a valid unified social credit code of the implementing body",
        )
    if expected_uscc is not None and expected_uscc != "":
        expected = validate_uscc(expected_uscc)
        if expected not in found:
            raise InvalidValue(
                "implementation_code_uscc_mismatch",
                f"实施编码中的统一社会信用代码与实施主体的代码 {expected} 不一致",
                f"Implementation code: the embedded unified social credit code does not match the implementing body's {expected}",
            )
    return code


def implementing_body_uscc(value: object) -> str:
    """The USCC embedded in a valid 实施编码 (the first one, should a code ever contain two)."""
    return embedded_usccs(validate_implementation_code(value))[0]


def validate_handle_item_code(value: object) -> str | None:
    """业务办理项编码: optional (None or blank → None), at most 50 letters, digits or hyphens."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    code = _clean(value, "handle_item_code", "业务办理项编码", "Handling item code")
    if not _ALNUM_HYPHEN.fullmatch(code):
        raise InvalidValue(
            "handle_item_code_format",
            "业务办理项编码只能包含数字、英文字母和连字符",
            "Handling item code: only digits, Latin letters and hyphens are allowed",
        )
    if len(code) > HANDLE_ITEM_CODE_MAX:
        raise InvalidValue(
            "handle_item_code_length",
            f"业务办理项编码不能超过{HANDLE_ITEM_CODE_MAX}位，实际为{len(code)}位",
            f"Handling item code: at most {HANDLE_ITEM_CODE_MAX} characters, got {len(code)}",
        )
    return code
