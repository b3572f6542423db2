"""Telephone numbers and e-mail addresses as published in 咨询方式 / 监督投诉方式 / 联系方式.

Telephone numbers (mainland China numbering plan), each returned in one canonical spelling:

=====================  ====================================================  ==========================
kind                   accepted spellings                                    canonical
=====================  ====================================================  ==========================
``mobile``             13812345678, 138-1234-5678, +86 138 1234 5678         ``13812345678``
``landline``           0451-82345678, (0451)82345678, 0451 8234 5678,        ``0451-82345678``
                       +86 451 82345678, 010-12345678
``landline`` + ext.    0451-82345678转123, …-8001, 分机123, ext. 123, x123    ``0451-82345678转123``
``hotline``            12345, 12315, 0451-12345, 95598, 0451-96333           ``12345``, ``0451-12345``
``freephone``          400-123-4567, 4001234567, 800 123 4567                ``400-123-4567``
=====================  ====================================================  ==========================

Area codes are 010 and 02X (three digits) or 03XX–09XX (four digits); subscriber numbers have 7 or 8 digits and
do not start with 0. Hotlines are the 5-digit 12XXX government service numbers (12345, 12315, 12366, …) and the
5–6 digit 95XXX/96XXX service numbers. Mobile numbers are 11 digits starting 13–19. Landlines and 400/800
numbers may carry an extension (``…转8``); mobiles and hotlines may not.

E-mail: one address, ``local@domain``; the domain is lower-cased, and full-width ＠ or letters are converted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._text import require_text
from .errors import InvalidValue


@dataclass(frozen=True)
class PhoneNumber:
    kind: str  # mobile | landline | hotline | freephone
    number: str  # digits only: the mobile number, the subscriber number, the hotline or the 400/800 number
    area_code: str | None = None
    extension: str | None = None

    def __str__(self) -> str:
        if self.kind == "freephone":
            text = f"{self.number[:3]}-{self.number[3:6]}-{self.number[6:]}"
        else:
            text = f"{self.area_code}-{self.number}" if self.area_code else self.number
        return f"{text}转{self.extension}" if self.extension else text


_COUNTRY = re.compile(r"^(?:\+\s*86|0086|\(\s*\+?86\s*\))[\s\-]*")
_EXTENSION = re.compile(r"(?:转|分机|内线|ext\.?|x|#)\s*([0-9]{1,6})$", re.IGNORECASE)
_NOISE = re.compile(r"[\s\-()（）.]+")
_ALLOWED = re.compile(r"[0-9\s\-().]+")
_HOTLINE = re.compile(r"12[0-9]{3}|9[56][0-9]{3,4}")


def _bad_phone(text: str) -> InvalidValue:
    shown = text if len(text) <= 40 else text[:40] + "…"
    return InvalidValue(
        "phone_format",
        f"电话号码格式不正确：{shown}（应如 0451-82345678、13812345678 或 12345）",
        f"Telephone number: unrecognised format {shown!r} (expected e.g. 0451-82345678, 13812345678 or 12345)",
    )


def _area_split(digits: str) -> tuple[str, str] | None:
    """Split ``0AAA…`` into (area code, rest), or None when it does not start with a trunk 0."""
    if len(digits) < 4 or digits[0] != "0" or digits[1] == "0":
        return None
    size = 3 if digits[1] in "12" else 4
    return digits[:size], digits[size:]


def _classify(digits: str, extension: str | None, international: bool) -> PhoneNumber | None:
    if international and not digits.startswith("0") and not re.fullmatch(r"1[3-9][0-9]{9}", digits):
        digits = "0" + digits  # +86 451 82345678: the trunk 0 is dropped after the country code
    if re.fullmatch(r"1[3-9][0-9]{9}", digits) and extension is None:
        return PhoneNumber("mobile", digits)
    if re.fullmatch(r"[48]00[0-9]{7}", digits) and not international:
        return PhoneNumber("freephone", digits, extension=extension)
    if _HOTLINE.fullmatch(digits) and extension is None and not international:
        return PhoneNumber("hotline", digits)
    split = _area_split(digits)
    if split:
        area, rest = split
        if re.fullmatch(r"[1-9][0-9]{6,7}", rest):
            return PhoneNumber("landline", rest, area, extension)
        if _HOTLINE.fullmatch(rest) and extension is None:
            return PhoneNumber("hotline", rest, area)
    return None


def parse_phone(value: object) -> PhoneNumber:
    """Recognise one telephone number; InvalidValue when it is not one."""
    text = require_text(value, "phone", "电话号码", "Telephone number")
    body = text
    international = False
    if match := _COUNTRY.match(body):
        international = True
        body = body[match.end() :]
    extension = None
    if match := _EXTENSION.search(body):
        extension = match.group(1)
        body = body[: match.start()].rstrip(" -")
    if not body or not _ALLOWED.fullmatch(body) or body.count("(") != body.count(")"):
        raise _bad_phone(text)
    digits = _NOISE.sub("", body)
    phone = _classify(digits, extension, international)
    if phone is None and extension is None:
        # 0451-82345678-8001: a hyphenated trailing group may be an extension
        head, sep, tail = body.rpartition("-")
        if sep and tail.strip().isdigit() and len(tail.strip()) <= 6:
            phone = _classify(_NOISE.sub("", head), tail.strip(), international)
            if phone is not None and phone.kind != "landline":
                phone = None
    if phone is None:
        raise _bad_phone(text)
    return phone


def validate_phone(value: object) -> str:
    """One telephone number in its canonical spelling (see the module docstring)."""
    return str(parse_phone(value))


_LIST_SEPARATORS = re.compile(r"[;；,，、/]|或")


def validate_phone_list(value: object) -> list[str]:
    """Several numbers separated by ``；`` ``，`` ``、`` ``/`` or 或, each validated and normalised."""
    text = require_text(value, "phone", "电话号码", "Telephone number")
    parts = [p.strip() for p in _LIST_SEPARATORS.split(text)]
    if any(not p for p in parts):
        raise _bad_phone(text)
    return [validate_phone(p) for p in parts]


_LOCAL_PART = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")


def _bad_email(text: str) -> InvalidValue:
    shown = text if len(text) <= 60 else text[:60] + "…"
    return InvalidValue(
        "email_format",
        f"电子邮箱格式不正确：{shown}",
        f"E-mail address: invalid format {shown!r}",
    )


def validate_email(value: object) -> str:
    """One e-mail address, ``local@domain``; returns it with the domain lower-cased.

    Internationalised domain names (e.g. ``政务.cn``) are accepted when they convert to IDNA; quoted local parts
    and IP-literal domains are not (no government mailbox uses them).
    """
    text = require_text(value, "email", "电子邮箱", "E-mail address")
    if text.lower().startswith("mailto:"):
        text = text[7:].strip()
    if text.count("@") != 1 or len(text) > 254:
        raise _bad_email(text)
    local, domain = text.split("@")
    domain = domain.rstrip(".").lower()
    if not local or len(local) > 64 or not _LOCAL_PART.fullmatch(local):
        raise _bad_email(text)
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except (UnicodeError, ValueError):
        raise _bad_email(text) from None
    labels = ascii_domain.split(".")
    if len(labels) < 2 or not all(_LABEL.fullmatch(label) for label in labels):
        raise _bad_email(text)
    if not re.fullmatch(r"[a-z]{2,63}|xn--[a-z0-9-]{1,59}", labels[-1]):
        raise _bad_email(text)
    return f"{local}@{domain}"
