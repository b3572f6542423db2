"""The identifiers of a Chinese government website (ckanext.hlj.site.*, declared in ckanext-hlj's
config_declaration.yaml), for the footer (ckanext-hlj/templates/footer.html)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk

KEYS = ("sponsor", "organizer", "site_code", "icp", "police_record")
MIIT_URL = "https://beian.miit.gov.cn/"
MPS_URL = "https://beian.mps.gov.cn/#/query/webSearch?code="


def hlj_site_identity() -> dict[str, str]:
    """The configured identifiers (empty ones left out) and the registry links of the two record numbers."""
    out = {}
    for key in KEYS:
        value = (tk.config.get(f"ckanext.hlj.site.{key}") or "").strip()
        if value:
            out[key] = value
    if "icp" in out:
        out["icp_url"] = MIIT_URL
    if "police_record" in out:
        digits = "".join(c for c in out["police_record"] if c.isdigit())
        out["police_record_url"] = MPS_URL + digits
    return out
