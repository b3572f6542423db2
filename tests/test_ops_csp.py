"""The Content-Security-Policy nginx sends (docker/nginx/templates/hlj.conf.template) against the portal's real pages:
everything they load - scripts (webassets, ECharts at /hlj/vendor/echarts.min.js), styles, frames, images - is
allowed by it, and the inline scripts they carry are the kinds the policy's comment names."""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

import ckan.plugins.toolkit as tk
import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

TEMPLATE = Path(__file__).resolve().parents[1] / "docker" / "nginx" / "templates" / "hlj.conf.template"
PAGES = ["/", "/dataset", "/organization", "/timeliness", "/en/dataset", "/api/hlj/health?checks=redis"]


def policy() -> dict[str, list[str]]:
    header = re.search(r'add_header Content-Security-Policy "([^"]+)" always;', TEMPLATE.read_text("utf-8"))
    assert header, "the template sets no Content-Security-Policy"
    out = {}
    for directive in header.group(1).split(";"):
        name, *sources = directive.split()
        out[name] = sources
    return out


def allowed(url: str, sources: list[str]) -> bool:
    """Would a browser on the portal's origin load ``url`` under ``sources``?"""
    site = urllib.parse.urlsplit(tk.config["ckan.site_url"])
    parts = urllib.parse.urlsplit(url)
    if not parts.scheme and not parts.netloc:
        return "'self'" in sources
    if parts.scheme == "data":
        return "data:" in sources
    if (parts.scheme, parts.netloc) == (site.scheme, site.netloc):
        return "'self'" in sources
    return f"{parts.scheme}:" in sources


def test_every_resource_of_the_portals_pages_is_allowed(app):
    csp = policy()
    script, style, frame, img = (
        csp.get(d, csp["default-src"]) for d in ("script-src", "style-src", "frame-src", "img-src")
    )
    seen_echarts = False
    for url in PAGES:
        response = app.get(url)
        assert response.status_code in (200, 503), url
        if not response.headers["Content-Type"].startswith("text/html"):
            continue
        page = BeautifulSoup(response.body, "html.parser")
        for tag in page.find_all("script", src=True):
            assert allowed(tag["src"], script), (url, tag["src"])
            seen_echarts |= tag["src"].endswith("/hlj/vendor/echarts.min.js")
        for tag in page.find_all("link", rel="stylesheet"):
            assert allowed(tag["href"], style), (url, tag["href"])
        for tag in page.find_all(["iframe", "frame"], src=True):
            assert allowed(tag["src"], frame), (url, tag["src"])
        for tag in page.find_all("img", src=True):
            assert allowed(tag["src"], img), (url, tag["src"])
        for tag in page.find_all("form", action=True):
            assert allowed(tag["action"], csp["form-action"]), (url, tag["action"])
        # Inline scripts: JSON data islands are never executed; anything else needs 'unsafe-inline'.
        for tag in page.find_all("script", src=False):
            if tag.get("type") != "application/json":
                assert "'unsafe-inline'" in script, (url, str(tag)[:200])
    assert seen_echarts, "the timeliness page loads ECharts from /hlj/vendor/echarts.min.js"


def test_the_policy_keeps_the_portal_out_of_foreign_frames_and_plugins():
    csp = policy()
    assert csp["frame-ancestors"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert all(s in ("'self'", "'unsafe-inline'") for s in csp["script-src"])
