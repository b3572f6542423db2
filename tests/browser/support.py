"""What the browser tests share besides fixtures: the page wrapper, axe-core, and the people and records they use."""

from __future__ import annotations

import copy
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from ckan import logic
from ckan.tests import factories
from ckan.tests.helpers import call_action
from openpyxl import load_workbook
from test_deadline import policy as dated_policy
from test_reprint_check import policy as site_policy
from test_reprint_check import site_source

from ckanext.hlj import demo
from ckanext.hlj.catalogue import codelists
from ckanext.hlj.catalogue.organizations import by_name

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "assets/node_modules/axe-core/axe.min.js"
PASSWORD = "Hlj-e2e-Passw0rd!"

# Requests that leave the machine are refused (the network is closed, and a portal page must not depend on another
# site). One is expected and reported rather than failed on: CKAN shows a user without a picture of their own with
# Gravatar's image (`ckan.gravatar_default`; "disabled" turns it off), which the header of every page asks for
# while someone is logged in.
KNOWN_OUTSIDE = ("http://gravatar.com/avatar/", "https://gravatar.com/avatar/")


@dataclass
class PageLog:
    """What went wrong in the page: uncaught exceptions, console errors, responses of the portal with an error
    status to the page's own requests (scripts, styles, API calls), and requests that would have left the machine."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    error_responses: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Everything but the refused requests to KNOWN_OUTSIDE (the console's notes about those are left out)."""
        unexpected = [f"outside: {u}" for u in self.outside_requests if not u.startswith(KNOWN_OUTSIDE)]
        return [*self.page_errors, *self.console_errors, *self.error_responses, *unexpected]


@dataclass
class Browsing:
    """One browser page on the portal, and where its screenshots go."""

    base_url: str
    page: Any
    log: PageLog
    artifacts: Path
    test_name: str

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str) -> Any:
        response = self.page.goto(self.url(path), wait_until="load")
        assert response is not None, path
        return response

    def login(self, user: dict[str, Any], password: str = PASSWORD) -> None:
        """Log in through the login form, as a person does."""
        self.goto("/user/login")
        self.page.fill("#field-login", user["name"])
        self.page.fill("#field-password", password)
        with self.page.expect_navigation():
            self.page.locator("form:has(#field-login) button[type=submit]").click()
        assert "/user/login" not in self.page.url, "the login form was shown again"

    def screenshot(self, name: str) -> Path:
        path = self.artifacts / f"{self.test_name}--{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def download(self, selector: str) -> tuple[str, bytes]:
        """Click the link and return the file the browser downloads (its suggested name and its bytes)."""
        with self.page.expect_download() as info:
            self.page.click(selector)
        download = info.value
        path = self.artifacts / f"{self.test_name}--{download.suggested_filename}"
        download.save_as(str(path))
        return download.suggested_filename, path.read_bytes()

    def charts_drawn(self) -> list[bool]:
        """For each ECharts container of the page (.hlj-chart): whether ECharts drew a canvas into it."""
        self.page.wait_for_function(
            "() => [...document.querySelectorAll('.hlj-chart')].every(c => c.querySelector('canvas'))",
            timeout=15_000,
        )
        return self.page.eval_on_selector_all(
            ".hlj-chart", "charts => charts.map(c => !!c.querySelector('canvas'))"
        )


def workbook_rows(content: bytes) -> dict[str, list[list[Any]]]:
    """Every sheet of an XLSX file by name, as rows of values (fails unless openpyxl can read it)."""
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in workbook.worksheets}


# --- accessibility -----------------------------------------------------------------------------------------------

BLOCKING_IMPACTS = ("serious", "critical")


def axe_violations(browsing: Browsing, name: str) -> list[dict[str, Any]]:
    """Run axe-core (assets/node_modules, from npm) on the page as it is; write the whole report next to the
    screenshots and return the violations of impact serious or critical."""
    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS} is missing: scripts/setup.sh runs npm ci in assets/")
    page = browsing.page
    page.evaluate(AXE_JS.read_text("utf-8"))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ["violations"]});
            return {url: r.url, engine: r.testEngine.version, violations: r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, tags: v.tags,
                nodes: v.nodes.map(n => ({target: n.target, html: n.html, summary: n.failureSummary}))}))};
        }"""
    )
    report = browsing.artifacts / f"axe--{name}.json"
    report.write_text(json.dumps(result, ensure_ascii=False, indent=2), "utf-8")
    return [v for v in result["violations"] if v["impact"] in BLOCKING_IMPACTS]


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])} elements)")
        lines.extend(f"    {n['target']} {n['html'][:160]}" for n in v["nodes"][:5])
    return "\n".join(lines)


# --- people and records ------------------------------------------------------------------------------------------


def make_user(sysadmin: bool = False, **extra: Any) -> dict[str, Any]:
    """A user with a known password (they log in through the form) and no made-up picture from another site."""
    factory = factories.Sysadmin if sysadmin else factories.User
    return factory(password=PASSWORD, image_url="", **extra)


def make_demo_organization(make_organization, name: str, **extra: Any) -> dict[str, Any]:
    """One of the province's public bodies (catalogue/data/organizations.yaml) as the demo loader stores it, without
    the confidentiality review (the demo's records are published at once)."""
    body = by_name(name)
    return make_organization(
        name=body.name,
        title=body.title,
        org_kind=codelists.validate_choice("organization_kind", body.kind),
        admin_level=codelists.validate_choice("administrative_level", body.level),
        region_code=body.region_code,
        reprint_issuer=body.reprint_issuer,
        review_required=False,
        # Not the factory's made-up description and its placeholder image from a site outside the machine.
        description="",
        image_url="",
        **extra,
    )


def load_demo_records(make_organization) -> dict[str, Any]:
    """The demo's records (ckanext-hlj/demo/records.yaml and the 2017 opinions) and the organisations that own them:
    what a visitor of `make run` sees, without the 40-odd other public bodies (loading those takes a minute)."""
    sysadmin = make_user(sysadmin=True)
    seed = copy.deepcopy(demo.SEED_DATASET)
    seed["notes"] = "\n\n".join(line for line in demo.seed_text().splitlines() if line.strip())
    records = [seed, *demo.demo_records()]
    organizations = {
        name: _existing_organization(name) or make_demo_organization(make_organization, name)
        for name in dict.fromkeys(r["owner_org"] for r in records)
    }
    datasets = {
        r["name"]: call_action("package_create", context={"user": sysadmin["name"]}, **r) for r in records
    }
    return {"sysadmin": sysadmin, "organizations": organizations, "datasets": datasets}


def _existing_organization(name: str) -> dict[str, Any] | None:
    try:
        return call_action("organization_show", id=name)
    except logic.NotFound:
        return None


def load_supervision_records(make_organization) -> dict[str, Any]:
    """Two departments with policy documents published on time, late and not yet (timeliness), running site
    sources; one State Council item that fgw reprinted 8 hours later and rst did not (the reprint check has run)."""
    sysadmin = make_user(sysadmin=True, fullname="省政务公开办督查员")
    state_council = make_demo_organization(make_organization, "guowuyuan-bgt")
    fgw = make_demo_organization(make_organization, "hlj-fgw")
    rst = make_demo_organization(make_organization, "hlj-rst")
    dated_policy(fgw, "fgw-on-time", "2024-09-27", "2024-10-30T09:00:00+08:00", issuer=fgw["title"])
    dated_policy(fgw, "fgw-late", "2024-09-27", "2024-11-20T09:00:00+08:00", issuer=fgw["title"])
    dated_policy(rst, "rst-on-time", "2024-10-08", "2024-10-10T09:00:00+08:00", issuer=rst["title"])
    site_source(sysadmin, fgw, "fgw")
    site_source(sysadmin, rst, "rst")
    site_policy(
        sysadmin, state_council, "gwy-2017-24", "国务院办公厅关于印发2017年政务公开工作要点的通知",
        "国办发〔2017〕24号", "2017-05-09T10:00:00+08:00", issuer_level="state_council",
    )  # fmt: skip
    site_policy(
        sysadmin, fgw, "fgw-zz-1", "【转载】国务院办公厅关于印发2017年政务公开工作要点的通知", "国办发[2017]24号",
        "2017-05-09T18:00:00+08:00", issuer="国务院办公厅", issuer_level="state_council",
    )  # fmt: skip
    done = call_action("hlj_reprint_check_run", context={"user": sysadmin["name"]})
    assert done["verdicts"] == {"on_time": 1, "missing": 1}
    return {"sysadmin": sysadmin, "fgw": fgw, "rst": rst}
