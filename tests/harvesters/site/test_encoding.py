"""Page bytes → text, when declarations are missing, wrong, or contradict each other."""

from __future__ import annotations

import codecs

import pytest

from ckanext.hlj.harvesters.site.encoding import (
    declared_encodings,
    decode_html,
    decode_with,
    normalise_encoding,
)

from .conftest import page_bytes

# 喆, 堃 and 镕 are in GBK but not in GB2312: a gb2312 declaration must still decode them.
GBK_ONLY = "联系人：王喆、李堃、刘镕"
TEXT = f"<p>关于做好2017年政务公开工作的通知。{GBK_ONLY}，电话0451-82620000。各市（地）发展改革委：</p>"


def html(meta: str = "", body: str = TEXT) -> str:
    return f"<html><head>{meta}<title>政务公开</title></head><body>{body}</body></html>"


META_GB2312 = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'


def test_gb2312_declaration_on_gbk_bytes_with_gbk_only_characters():
    with pytest.raises(UnicodeEncodeError):
        GBK_ONLY.encode("gb2312")  # the premise: these characters cannot be GB2312
    text, encoding = decode_html(html(META_GB2312).encode("gbk"))
    assert encoding == "gb18030"
    assert GBK_ONLY in text and "\ufffd" not in text


def test_utf8_bytes_falsely_declared_gb2312_are_read_as_utf8():
    body = html('<meta charset="gb2312">').encode("utf-8")
    assert body.decode("gb18030", errors="replace") != body.decode("utf-8")  # the premise: mojibake as GB
    text, encoding = decode_html(body)
    assert encoding == "utf-8"
    assert GBK_ONLY in text


def test_header_utf8_but_gbk_bytes_falls_back_to_the_meta():
    text, encoding = decode_html(html(META_GB2312).encode("gbk"), "text/html; charset=UTF-8")
    assert encoding == "gb18030" and GBK_ONLY in text


def test_header_gbk_but_meta_utf8_and_utf8_bytes():
    text, encoding = decode_html(html('<meta charset="utf-8">').encode("utf-8"), "text/html; charset=GBK")
    assert encoding == "utf-8" and GBK_ONLY in text


def test_header_gbk_but_meta_utf8_and_gbk_bytes():
    text, encoding = decode_html(html('<meta charset="utf-8">').encode("gbk"), "text/html; charset=GBK")
    assert encoding == "gb18030" and GBK_ONLY in text


def test_tomcat_default_latin1_header_is_not_believed_for_chinese_bytes():
    text, encoding = decode_html(html().encode("gbk"), "text/html;charset=ISO-8859-1")
    assert encoding == "gb18030" and GBK_ONLY in text


@pytest.mark.parametrize("codec", ["gbk", "utf-8"])
def test_no_declaration_at_all(codec):
    text, encoding = decode_html(html().encode(codec))
    assert GBK_ONLY in text
    assert encoding == {"gbk": "gb18030", "utf-8": "utf-8"}[codec]


def test_short_undeclared_gbk_is_not_read_as_korean():
    # Unrestricted charset detection calls this CP949; a Heilongjiang government page is Chinese.
    text, encoding = decode_html("关于做好政务公开工作的通知".encode("gbk"))
    assert (text, encoding) == ("关于做好政务公开工作的通知", "gb18030")


@pytest.mark.parametrize(
    ("codec", "cut", "content_type", "meta"),
    [
        ("gbk", 1, None, META_GB2312),  # half of a two-byte character
        ("gbk", 1, "text/html; charset=gbk", ""),
        ("utf-8", 1, "text/html; charset=utf-8", ""),  # two of three bytes left
        ("utf-8", 2, None, '<meta charset="utf-8">'),  # one of three bytes left
    ],
)
def test_truncated_page_keeps_its_correct_declaration(codec, cut, content_type, meta):
    body = ("<html><head>" + meta + "</head><body>" + TEXT * 3 + "尾").encode(codec)[:-cut]
    text, encoding = decode_html(body, content_type)
    assert encoding == {"gbk": "gb18030", "utf-8": "utf-8"}[codec]
    assert text.endswith(TEXT)  # the incomplete last character is dropped, nothing else lost
    assert "\ufffd" not in text


def test_one_corrupt_byte_in_a_long_page_still_trusts_the_declaration():
    body = html(META_GB2312, TEXT * 40).encode("gbk")
    middle = len(body) // 2
    while body[middle] < 0x80:  # land on a lead byte
        middle += 1
    corrupt = body[:middle] + b"\xff" + body[middle + 2 :]
    text, encoding = decode_html(corrupt)
    assert encoding == "gb18030"
    assert text.count(GBK_ONLY) >= 39


def test_byte_order_mark_wins_over_the_header():
    text, encoding = decode_html(codecs.BOM_UTF8 + html().encode("utf-8"), "text/html; charset=gbk")
    assert encoding == "utf-8" and text.startswith("<html>") and GBK_ONLY in text


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom(codec):
    text, encoding = decode_html(html().encode(codec))
    assert encoding == codec and GBK_ONLY in text


def test_ascii_and_empty_pages():
    assert decode_html(b"<html>hello</html>") == ("<html>hello</html>", "ascii")
    assert decode_html(b"") == ("", "ascii")


def test_xml_declaration_counts_as_a_declaration():
    body = ('<?xml version="1.0" encoding="GB2312"?>' + html()).encode("gbk")
    assert declared_encodings(body) == ["gb18030"]
    assert GBK_ONLY in decode_html(body)[0]


def test_declared_encodings_order_and_normalisation():
    body = b'<html><head><meta charset="UTF8MB4"><meta http-equiv="content-type" content="text/html;charset=x-gbk">'
    assert declared_encodings(body, 'text/html; charset="GB2312"') == ["gb18030", "utf-8"]
    assert declared_encodings(b"<meta charset=klingon>") == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("GB2312", "gb18030"),
        ("gbk", "gb18030"),
        ("GB_2312-80", "gb18030"),
        ("gb18030", "gb18030"),
        ("UTF-8", "utf-8"),
        ("utf8", "utf-8"),
        ("big5", "big5"),
        ("base64", None),  # a codec, not a charset
        ("rot13", None),
        ("klingon", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_encoding(name, expected):
    assert normalise_encoding(name) == expected


def test_forced_encoding():
    assert decode_with(html().encode("gbk"), "GB2312") == (html(), "gb18030")


def test_sample_site_pages():
    text, encoding = decode_html(page_bytes("fgw/xxgk/201705/t20170518_241880.html"))
    assert encoding == "gb18030" and "王喆、李堃、刘镕" in text and "\ufffd" not in text
    text, encoding = decode_html(page_bytes("sft/zwgk/list.html"))
    assert encoding == "utf-8" and "政策文件" in text
