"""Bytes of a government web page → text, whatever the page claims about its encoding.

Department sites in Heilongjiang serve GBK, GB2312, GB18030 or UTF-8, and their declarations are often wrong:
the web server's header says UTF-8 (or Tomcat's default ISO-8859-1) while the TRS-generated files are GBK; the
``<meta>`` says gb2312 while editors paste names such as 王喆 or 刘镕 whose characters exist only in GBK; or
nothing is declared at all. So a declaration is a hint to verify, not a fact:

1. A byte-order mark wins (it cannot be there by accident); so does UTF-16 without one, which shows as a NUL in
   every other byte.
2. Bytes that are valid UTF-8 and contain multi-byte sequences are UTF-8, whatever is declared. Valid UTF-8 does
   not happen by chance in GBK text of any length, while UTF-8 bytes often *do* decode as GB18030 without an
   error (as mojibake), so this check has to come before a GB declaration is believed.
3. Declared encodings, header first and then ``<meta>`` (or an XML declaration), are accepted when the bytes
   decode under them strictly or nearly so (see :func:`_tolerance`). GB2312 and GBK are read as GB18030, their
   superset, so GBK-only characters under a gb2312 declaration decode. A declaration that cannot hold Chinese at
   all, such as ISO-8859-1, decodes almost any bytes and so proves nothing: it is only believed for ASCII pages.
4. charset-normalizer guesses, limited to the encodings Chinese sites use (unrestricted, it reads short GBK text
   as Korean CP949).
5. GB18030 with replacement characters: the most likely encoding of a Chinese government page.

An incomplete multi-byte sequence at the very end (a page cut off mid-download) is dropped, not counted as an
error, so it cannot make a correct declaration look wrong.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

# Encodings read as another: GB2312 and GBK are subsets of GB18030 (and mislabelled pages use the extra
# characters); "utf8mb4" is what MySQL-backed CMSs sometimes print.
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "hz": "hz",
    "utf8mb4": "utf-8",
}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE, whose BOM is its prefix
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (b"\x84\x31\x95\x33", "gb18030"),
)
# Where declarations are looked for: the HTML spec's pre-scan reads 1024 bytes; real pages put long scripts
# before their <meta>, so this reads further.
_SNIFF_BYTES = 8192
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
# What charset-normalizer may choose from.
_DETECTABLE = ["utf_8", "gb18030", "big5", "utf_16", "utf_32"]
FALLBACK = "gb18030"


def normalise_encoding(name: str | None) -> str | None:
    """The Python codec name to decode a declared ``name`` with (GB2312/GBK → gb18030), or None if unknown.

    Only text encodings count: ``base64`` or ``rot13`` are codecs but not charsets.
    """
    if not name:
        return None
    key = name.strip().strip("\"'").lower()
    key = {"gb_2312": "gb2312", "gb-2312": "gb2312", "gb_2312-80": "gb2312", "x-gbk": "gbk"}.get(key, key)
    try:
        canonical = codecs.lookup(_SUPERSETS.get(key, key)).name
        "a".encode(canonical)  # LookupError for non-text codecs such as base64
    except LookupError:
        return None
    return _SUPERSETS.get(canonical, canonical)


def declared_encodings(body: bytes, content_type: str | None = None) -> list[str]:
    """The encodings the response declares, normalised, in the order to try them: header, then the document."""
    found: list[str | None] = []
    if content_type and (match := _HEADER_CHARSET.search(content_type)):
        found.append(normalise_encoding(match.group(1)))
    head = body[:_SNIFF_BYTES]
    if match := _XML_ENCODING.match(head):
        found.append(normalise_encoding(match.group(1).decode("ascii")))
    for match in _META_CHARSET.finditer(head):
        found.append(normalise_encoding(match.group(1).decode("ascii")))
    return list(dict.fromkeys(name for name in found if name))


def _decode(body: bytes, encoding: str, errors: str) -> str:
    """Decode, dropping an incomplete multi-byte sequence at the end instead of failing on it."""
    decoder = codecs.getincrementaldecoder(encoding)(errors=errors)
    return decoder.decode(body, final=False)


def _bad_bytes(body: bytes, encoding: str) -> int:
    """How many bytes do not decode under ``encoding`` (surrogateescape turns each into one lone surrogate)."""
    text = _decode(body, encoding, "surrogateescape")
    return sum(1 for ch in text if "\udc80" <= ch <= "\udcff")


def _non_ascii(body: bytes) -> int:
    return len(body.translate(None, bytes(range(128))))  # what is left after deleting the ASCII bytes


def _tolerance(body: bytes) -> int:
    """Undecodable bytes still accepted as "nearly strict": one per thousand non-ASCII bytes.

    A real page in the declared encoding with a stray corrupt byte passes; text in another encoding does not (UTF-8
    read as GB18030 fails about once per two dozen characters, GBK read as UTF-8 on nearly every byte).
    """
    return _non_ascii(body) // 1000


def _writes_chinese(encoding: str) -> bool:
    """Whether ``encoding`` can hold Chinese at all. Latin-1, Windows-1252 and the like cannot, and they decode
    almost any bytes without an error, so declaring one on a page with non-ASCII bytes proves nothing."""
    try:
        "政务公开".encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _utf16_without_bom(body: bytes) -> str | None:
    """UTF-16 without a byte-order mark: markup is ASCII, so every other byte is NUL (odd ones: little-endian)."""
    sample = body[:4096]
    if len(sample) < 8 or sample.count(0) < len(sample) // 4:
        return None
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    encoding = "utf-16-le" if odd > even else "utf-16-be"
    return encoding if _bad_bytes(body, encoding) <= _tolerance(body) else None


def _detect(body: bytes) -> str | None:
    best = charset_normalizer.from_bytes(body, cp_isolation=_DETECTABLE).best()
    return normalise_encoding(best.encoding) if best is not None else None


def _self_evident(body: bytes) -> tuple[str, int] | None:
    """Encodings the bytes prove on their own: a BOM, UTF-16 without one, valid multi-byte UTF-8."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return encoding, len(bom)
    if (wide := _utf16_without_bom(body)) is not None:
        return wide, 0
    if _non_ascii(body) and _bad_bytes(body, "utf-8") == 0:
        return "utf-8", 0
    return None


def _choose(body: bytes, content_type: str | None) -> tuple[str, int]:
    """(encoding, bytes to skip for a BOM), following the order in the module docstring."""
    if (evident := _self_evident(body)) is not None:
        return evident
    non_ascii, limit = _non_ascii(body), _tolerance(body)
    for encoding in declared_encodings(body, content_type):
        if non_ascii and not _writes_chinese(encoding):
            continue
        if _bad_bytes(body, encoding) <= limit:
            return encoding, 0
    if not non_ascii:
        return "ascii", 0
    detected = _detect(body)
    return (detected if detected and _bad_bytes(body, detected) <= limit else FALLBACK), 0


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """``(text, encoding)`` of a page's bytes; ``content_type`` is the HTTP header, if there was one.

    Never raises: undecodable bytes become U+FFFD in the last resort. The encoding is a Python codec name
    (``utf-8``, ``gb18030`` …).
    """
    encoding, skip = _choose(body, content_type)
    return _decode(body[skip:], encoding, "replace"), encoding


def decode_with(body: bytes, encoding: str) -> tuple[str, str]:
    """Decode with a source's forced encoding (config ``encoding``); GB2312/GBK are read as GB18030."""
    name = normalise_encoding(encoding) or FALLBACK
    return _decode(body, name, "replace"), name
