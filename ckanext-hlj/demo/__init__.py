"""Demo content for `make run`: the province's public bodies and the 2017 implementation opinions.

Loading is idempotent: every record is looked up by its name first and only created when missing or patched when
it differs, so running `ckan hlj demo load` twice leaves one copy of everything.
"""

from __future__ import annotations

import io
import json
import logging
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import ckan.plugins.toolkit as tk
import yaml
from werkzeug.datastructures import FileStorage

from ckanext.hlj import schema_fields
from ckanext.hlj.catalogue import codelists
from ckanext.hlj.catalogue.organizations import PublicBody, public_bodies

log = logging.getLogger(__name__)

SEED_TEXT_FILE = "seed-2017-zhengwu-gongkai-shishi-yijian.txt"
RECORDS_FILE = "records.yaml"
SEED_DATASET = {
    "type": "policy",
    "name": "hlj-2017-zhengwu-gongkai-shishi-yijian",
    "title": "关于全面推进政务公开工作的实施意见",
    "owner_org": "hlj-gov-office",
    "policy_role": "document",
    "issuer": "中共黑龙江省委办公厅、黑龙江省人民政府办公厅",
    "issuer_level": "provincial_government",
    "written_date": "2017-03-20",
    "policy_topic": "02.01",
    "disclosure_attribute": "proactive",
    "validity": "valid",
    "reprint_required": True,
    "license_id": "other-open",
    "tags": [{"name": n} for n in ("政务公开", "五公开", "政策文件", "实施意见")],
}


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"created {len(self.created)}, updated {len(self.updated)}, unchanged {len(self.unchanged)}"


def _context(user: str) -> dict[str, Any]:
    return {"user": user, "ignore_auth": True}


def _organization_dict(body: PublicBody) -> dict[str, Any]:
    """The organisation as our scheming schema stores it (codes, not labels, so reloading finds no change)."""
    return {
        "name": body.name,
        "title": body.title,
        "org_kind": codelists.validate_choice("organization_kind", body.kind),
        "admin_level": codelists.validate_choice("administrative_level", body.level),
        "region_code": body.region_code,
        "parent_org": body.parent or "",
        "former_names": list(body.former_names),
        "seed_names": list(body.seed_names),
        "reprint_issuer": body.reprint_issuer,
    }


def _differs(wanted: dict[str, Any], current: dict[str, Any]) -> bool:
    for key, value in wanted.items():
        if key == "extras":
            have = {e["key"]: e["value"] for e in current.get("extras", [])}
            if any(have.get(e["key"]) != e["value"] for e in value):
                return True
        elif key == "tags":
            if sorted(t["name"] for t in value) != sorted(t["name"] for t in current.get("tags", [])):
                return True
        elif key == "owner_org":
            continue  # package_show returns the id; ownership is fixed at creation
        elif current.get(key, "") != value:
            return True
    return False


def _upsert(kind: str, wanted: dict[str, Any], user: str, report: LoadReport) -> dict[str, Any]:
    try:
        current = tk.get_action(f"{kind}_show")(_context(user), {"id": wanted["name"]})
    except tk.ObjectNotFound:
        created = tk.get_action(f"{kind}_create")(_context(user), dict(wanted))
        report.created.append(f"{kind}:{wanted['name']}")
        return created
    if kind == "package" and current.get("type") != wanted.get("type", current.get("type")):
        # CKAN never changes a dataset's type in place; an older demo record of another type is replaced.
        tk.get_action("dataset_purge")(_context(user), {"id": current["id"]})
        replaced = tk.get_action("package_create")(_context(user), dict(wanted))
        report.updated.append(f"{kind}:{wanted['name']}")
        return replaced
    if current.get("state") == "deleted" or _differs(wanted, current):
        patched = tk.get_action(f"{kind}_patch")(
            _context(user), {**wanted, "id": current["id"], "state": "active"}
        )
        report.updated.append(f"{kind}:{wanted['name']}")
        return patched
    report.unchanged.append(f"{kind}:{wanted['name']}")
    return current


def seed_text() -> str:
    return resources.files(__package__).joinpath(SEED_TEXT_FILE).read_text("utf-8")


def _ensure_seed_resource(dataset: dict[str, Any], user: str, report: LoadReport) -> None:
    if any(r.get("name") == SEED_TEXT_FILE for r in dataset.get("resources", [])):
        report.unchanged.append(f"resource:{SEED_TEXT_FILE}")
        return
    data = seed_text().encode("utf-8")
    upload = FileStorage(stream=io.BytesIO(data), filename=SEED_TEXT_FILE, content_type="text/plain")
    tk.get_action("resource_create")(
        _context(user),
        {
            "package_id": dataset["id"],
            "name": SEED_TEXT_FILE,
            "description": "实施意见全文（纯文本，UTF-8）",
            "format": "TXT",
            "upload": upload,
        },
    )
    report.created.append(f"resource:{SEED_TEXT_FILE}")


def _approve(dataset: dict[str, Any], user: str, report: LoadReport) -> None:
    """Demo records pass the confidentiality review like any other (the loader's sysadmin is the reviewer)."""
    if (
        tk.get_action("package_show")(_context(user), {"id": dataset["id"]}).get("review_status")
        != "approved"
    ):
        tk.get_action("hlj_review_decide")(
            {"user": user}, {"id": dataset["id"], "decision": "approved", "comment": "演示数据"}
        )
        report.updated.append(f"review:{dataset['name']}")


def demo_records() -> list[dict[str, Any]]:
    """The demo records of each dataset type (records.yaml), with code-list labels turned into codes.

    Codes, not labels, so that a second load compares equal to what the first stored and changes nothing.
    """
    records = yaml.safe_load(resources.files(__package__).joinpath(RECORDS_FILE).read_text("utf-8"))
    return [schema_fields.as_stored(r, schema_fields.code_list_fields(r["type"])) for r in records]


def load(user: str) -> LoadReport:
    """Create or refresh the demo organisations and datasets, acting as ``user`` (a sysadmin)."""
    report = LoadReport()
    for body in public_bodies():
        _upsert("organization", _organization_dict(body), user, report)
    # One paragraph per line of the document: its notes are rendered as Markdown.
    text = "\n\n".join(line for line in seed_text().splitlines() if line.strip())
    dataset = _upsert("package", {**SEED_DATASET, "notes": text}, user, report)
    _ensure_seed_resource(dataset, user, report)
    _approve(dataset, user, report)
    for record in demo_records():
        _approve(_upsert("package", record, user, report), user, report)
    site = tk.config.get("ckanext.hlj.demo.sample_site_url")
    if site:
        for source in sample_site_sources(site.rstrip("/")):
            _harvest_source(source, user, report)
    log.info("demo data: %s", report.summary())
    return report


def sample_site_sources(base_url: str) -> list[dict[str, Any]]:
    """Demo harvest sources over the bundled sample site (demo/sample_site/, served by `make run`): the GBK
    TRS-style column of 省发改委 and the UTF-8 下一页-paged column of 省人社厅."""
    return [
        {
            "name": "demo-fgw-xxgk",
            "title": "省发改委信息公开（示例网站）",
            "url": f"{base_url}/fgw/xxgk/index.html",
            "source_type": "hlj_site",
            "owner_org": "hlj-fgw",
            "frequency": "DAILY",
            "config": json.dumps({"max_pages": 10}),
        },
        {
            "name": "demo-rst-zwgk",
            "title": "省人社厅政务公开（示例网站）",
            "url": f"{base_url}/sft/zwgk/list.html",
            "source_type": "hlj_site",
            "owner_org": "hlj-rst",
            "frequency": "DAILY",
            "config": json.dumps({"max_pages": 10}),
        },
    ]


def _harvest_source(wanted: dict[str, Any], user: str, report: LoadReport) -> None:
    """Create the source when missing (or point it at the current URL) and queue its first run once."""

    def call(action: str, data: dict[str, Any]) -> Any:
        # A fresh context per call: CKAN keeps its auth bookkeeping in the context, and a call that raised leaves
        # it unbalanced for the next one.
        return tk.get_action(action)({"user": user}, data)

    try:
        current = call("harvest_source_show", {"id": wanted["name"]})
    except tk.ObjectNotFound:
        current = call("harvest_source_create", dict(wanted))
        report.created.append(f"harvest_source:{wanted['name']}")
    else:
        if current.get("url") != wanted["url"]:
            current = call("harvest_source_update", {**wanted, "id": current["id"]})
            report.updated.append(f"harvest_source:{wanted['name']}")
        else:
            report.unchanged.append(f"harvest_source:{wanted['name']}")
    if not call("harvest_job_list", {"source_id": current["id"]}):
        call("harvest_job_create", {"source_id": current["id"], "run": True})
