"""The invented sample site: it is what its generator writes, it is small, and its links lead somewhere."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from ckanext.hlj.harvesters.site.detail import parse_detail_page
from ckanext.hlj.harvesters.site.encoding import declared_encodings
from ckanext.hlj.harvesters.site.listing import parse_list_page

from .conftest import BASE, SAMPLE_SITE, page_bytes, page_text

SOURCES = {"README.md", "_build.py"}


def site_files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and p.name not in SOURCES and "__pycache__" not in p.parts
    }


def test_the_generator_reproduces_the_committed_files(tmp_path, monkeypatch):
    monkeypatch.delenv("SAMPLE_SITE_BASE", raising=False)
    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # no __pycache__ in the packaged demo folder
    spec = importlib.util.spec_from_file_location("sample_site_build", SAMPLE_SITE / "_build.py")
    build = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, build)  # dataclasses look their module up there
    spec.loader.exec_module(build)
    monkeypatch.setattr(build, "HERE", tmp_path)
    build.main()
    assert site_files(tmp_path) == site_files(SAMPLE_SITE)


def test_the_site_is_small():
    assert sum(len(b) for b in site_files(SAMPLE_SITE).values()) < 300_000


def test_fgw_pages_are_gbk_declared_gb2312_and_use_gbk_only_characters():
    for rel in ["fgw/xxgk/index.html", "fgw/xxgk/201705/t20170518_241880.html"]:
        body = page_bytes(rel)
        assert declared_encodings(body) == ["gb18030"] and b"charset=gb2312" in body
        with pytest.raises(UnicodeDecodeError):
            body.decode("utf-8")
        with pytest.raises(UnicodeDecodeError):
            body.decode("gb2312")  # 喆, 堃, 镕 are not GB2312
        assert "王喆、李堃" in body.decode("gbk")


def test_sft_pages_declare_nothing():
    for path in (SAMPLE_SITE / "sft").rglob("*.html"):
        assert declared_encodings(path.read_bytes()) == [], path
        path.read_bytes().decode("utf-8")


def local_path(url: str) -> Path | None:
    if not url.startswith(BASE):
        return None
    return SAMPLE_SITE / urlsplit(url).path.lstrip("/")


@pytest.mark.parametrize(
    "pages",
    [
        ["fgw/xxgk/index.html", "fgw/xxgk/index_1.html", "fgw/xxgk/index_2.html"],
        ["sft/zwgk/list.html", "sft/zwgk/list_2.html", "sft/zwgk/list_3.html"],
    ],
)
def test_every_listed_document_and_attachment_exists(pages):
    seen = set()
    for rel in pages:
        for entry in parse_list_page(page_text(rel), BASE + rel).entries:
            path = local_path(entry.url)
            if path is None:
                assert ".invalid/" in entry.url  # the one off-site reprint
                continue
            assert path.is_file(), entry.url
            seen.add(entry.url)
            doc = parse_detail_page(
                path.read_bytes().decode("gb18030" if "fgw" in rel else "utf-8"), entry.url
            )
            for _, url in doc.attachments:
                assert local_path(url).is_file(), url
    assert len(seen) == (20 if "fgw" in pages[0] else 16)


def test_feeds_and_api_point_at_existing_pages():
    for name in ("list.json", "list_2.json"):
        text = page_text(f"fgw/api/{name}")
        for url in [u for u in text.split('"') if u.startswith("../xxgk/")]:
            assert local_path(urljoin(BASE + "fgw/api/", url)).is_file()
