"""Shared helpers of the parsing-library tests: the invented sample site under ckanext-hlj/demo/sample_site."""

from __future__ import annotations

from pathlib import Path

import pytest

from ckanext.hlj.harvesters.site.encoding import decode_html

SAMPLE_SITE = Path(__file__).resolve().parents[3] / "ckanext-hlj" / "demo" / "sample_site"
# Where the tests pretend the sample site is served; any http(s) base works for pages linking relatively.
BASE = "http://demo.example/"


def page_bytes(rel: str) -> bytes:
    return (SAMPLE_SITE / rel).read_bytes()


def page_text(rel: str) -> str:
    return decode_html(page_bytes(rel))[0]


@pytest.fixture
def sample_site() -> Path:
    return SAMPLE_SITE
