"""Text clean-up shared by the validators (private to the package)."""

from __future__ import annotations

import unicodedata

from .errors import InvalidValue


def to_halfwidth(text: str) -> str:
    """NFKC-normalise: full-width digits, letters and punctuation (０-９, Ａ-Ｚ, ：, （）, ＠, ideographic space)
    become their ASCII forms; CJK characters and the 〔〕【】 brackets are left alone."""
    return unicodedata.normalize("NFKC", text)


def require_text(value: object, code: str, zh_what: str, en_what: str) -> str:
    """``value`` as a stripped, half-width string; InvalidValue when it is missing, empty or not text.

    Integers are accepted (spreadsheets hand over numbers where people typed digits); booleans are not.
    """
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InvalidValue(f"{code}_type", f"{zh_what}应为文本", f"{en_what}: expected text")
    text = to_halfwidth(str(value)).strip()
    if not text:
        raise InvalidValue(f"{code}_empty", f"{zh_what}不能为空", f"{en_what}: missing value")
    return text
