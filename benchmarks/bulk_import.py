#!/usr/bin/env python3
"""Bulk import of service items from one workbook vs the same items sent one by one over HTTP with ckanapi.

1. Loads CKAN in process from ``--ini`` (the bench environment) and creates, in its database, a sysadmin with an
   API token and two fresh organisations (one per path, so neither finds the other's items).
2. Generates N valid 政务服务事项 (service items; distinct 实施编码, one fee and two application materials each)
   and writes them into the type's Excel template, as a department would fill it in (code-list labels, not
   codes). Building the workbook is not timed. The API path sends the same values (the validators accept the
   labels too) under URL names of its own, since the names the import generates depend on the 实施编码 only.
3. (a) Times ``ckanext.hlj.excel.import_workbook`` on that workbook, in process: reading the workbook, looking up
   existing items, one ``package_create`` per row (validation, database, Solr indexing).
   (b) Times the same items created one by one with ``ckanapi.RemoteCKAN(url, apikey=token).action.
   package_create`` against the running CKAN web server (same database, same Solr), into the second organisation.
   (c) Times importing the same workbook again (every row "unchanged": nothing written).
4. Checks that both organisations hold N items, prints items/s and the ratio (a)/(b), writes
   ``benchmarks/results/bulk-import.json`` and ``.md``, then purges the generated organisations and items (unless
   ``--keep``), so the bench database is left as it was.

    .venv/bin/python benchmarks/bulk_import.py --ini .runtime/bench/ckan.ini --ckan-url http://127.0.0.1:5100 \\
        [--solr-url http://127.0.0.1:PORT/solr/ckan] [--items 5000]

The CKAN web server must run from the same ini (``ckan -c .runtime/bench/ckan.ini run``); ``--solr-url`` (or
CKAN_SOLR_URL) overrides the ini's solr_url for this process, and must be the server's Solr as well.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import secrets
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
BENCH_USER = "bench-excel-admin"
ORG_PREFIX = "bench-excel-"

# A valid USCC of a Heilongjiang body (11 = registered by 机构编制, 230000 the province), built around an
# organisation code with its check characters computed by the catalogue.
ORG_CODE = "MB123456"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--ini", required=True, help="CKAN config of the bench environment")
    parser.add_argument("--ckan-url", required=True, help="the CKAN web server running from the same config")
    parser.add_argument(
        "--solr-url", help="Solr core URL (overrides the ini's solr_url; default CKAN_SOLR_URL)"
    )
    parser.add_argument("--items", type=int, default=5000, help="number of service items (default 5000)")
    parser.add_argument(
        "--per-row-commit-items",
        type=int,
        default=1000,
        help="items of the extra import with a Solr commit per row, as the API path has (0: skip; default 1000)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated organisations and items")
    parser.add_argument("--results", default=str(RESULTS), help="directory for bulk-import.json and .md")
    return parser.parse_args()


# --- CKAN in process -----------------------------------------------------------------------------------------


def load_ckan(ini: str) -> Any:
    from ckan.cli import load_config  # noqa: PLC0415 - importing CKAN is slow; --help should not pay for it
    from ckan.config.middleware import make_app  # noqa: PLC0415

    return make_app(load_config(ini))._wsgi_app


def ensure_admin() -> tuple[str, str]:
    """The bench sysadmin and a fresh API token for it."""
    import ckan.plugins.toolkit as tk  # noqa: PLC0415
    from ckan import model  # noqa: PLC0415

    site = {"ignore_auth": True, "user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]}
    user = model.User.get(BENCH_USER)
    if user is None:
        tk.get_action("user_create")(
            dict(site),
            {"name": BENCH_USER, "email": "bench-excel@hlj.invalid", "password": secrets.token_urlsafe(24)},
        )
        user = model.User.get(BENCH_USER)
    if not user.sysadmin:
        user.sysadmin = True
        model.repo.commit()
    token = tk.get_action("api_token_create")(dict(site), {"user": BENCH_USER, "name": "bulk-import"})[
        "token"
    ]
    return BENCH_USER, token


def revoke_tokens(user: str) -> int:
    """Revoke every API token of the bench user (made by this script); the number revoked."""
    import ckan.plugins.toolkit as tk  # noqa: PLC0415

    context = {"user": user, "ignore_auth": True}
    tokens = tk.get_action("api_token_list")(dict(context), {"user_id": user})
    for token in tokens:
        tk.get_action("api_token_revoke")(dict(context), {"jti": token["id"]})
    return len(tokens)


def create_org(name: str, title: str, user: str) -> dict[str, Any]:
    import ckan.plugins.toolkit as tk  # noqa: PLC0415

    return tk.get_action("organization_create")(
        {"user": user},
        {"name": name, "title": title, "org_kind": "政府部门", "admin_level": "省", "region_code": "230000"},
    )


def purge_org(org_id: str, user: str) -> int:
    """Purge an organisation's datasets and the organisation itself; the number of datasets purged."""
    import ckan.plugins.toolkit as tk  # noqa: PLC0415
    from ckan import model  # noqa: PLC0415

    ids = [p.id for p in model.Session.query(model.Package.id).filter(model.Package.owner_org == org_id)]
    for package_id in ids:
        tk.get_action("dataset_purge")({"user": user}, {"id": package_id})
    tk.get_action("organization_purge")({"user": user}, {"id": org_id})
    return len(ids)


# --- the items -----------------------------------------------------------------------------------------------


def uscc_value() -> str:
    from ckanext.hlj.catalogue import uscc  # noqa: PLC0415

    return uscc.make_uscc("11230000" + ORG_CODE + uscc.org_code_check_char(ORG_CODE))


def items(count: int, first: int = 0) -> list[dict[str, Any]]:
    """``count`` valid service items as a department fills the template (labels; fees and materials inline)."""
    code = uscc_value()
    kinds = ["行政许可", "行政确认", "行政给付", "公共服务"]
    levels = ["省级", "省级、地市级", "地市级、区县级"]
    result = []
    for i in range(first, first + count):
        basic = f"{i:012d}"
        result.append(
            {
                "title": f"{kinds[i % len(kinds)]}事项{i:05d}号",
                "item_type": kinds[i % len(kinds)],
                "basic_code": basic,
                "implementing_uscc": code,
                "implementation_code": f"{code}1{basic}",
                "implementing_body": "黑龙江省住房和城乡建设厅",
                "exercise_level": levels[i % len(levels)],
                "region_code": "230000",
                "power_source": "法定本级行使",
                "legal_basis": f"《黑龙江省某条例》第{i % 90 + 1}条",
                "acceptance_conditions": "申请人符合法定条件",
                "notes": "1. 申请\n2. 受理\n3. 审查\n4. 决定",
                "statutory_limit": 20,
                "statutory_limit_unit": "工作日",
                "promised_limit": 10,
                "promised_limit_unit": "工作日",
                "consultation_phone": "0451-82345678",
                "complaint_phone": "12345",
                "tag_string": "政务服务,住建",
                "fees": [{"fee_name": "不收费"}],
                "materials": [
                    {"material_name": "申请表", "material_form": "纸质", "copies": 1, "necessity": "必要"},
                    {"material_name": "营业执照", "material_form": "电子", "source": "政府部门核发"},
                ],
            }
        )
    return result


def workbook_bytes(rows: list[dict[str, Any]]) -> bytes:
    """The service-item template filled with ``rows``, sub-items on their sheets."""
    from ckanext.hlj import excel  # noqa: PLC0415

    wb = excel.template("service-item")
    sheets = {ws.title: ws for ws in wb.worksheets}
    layout = excel.layout_for("service-item")
    main = sheets[layout.title("zh_Hans_CN")]
    sub_sheets = {s.name: sheets[s.title("zh_Hans_CN")] for s in layout.subsheets}

    def columns(ws: Any) -> dict[str, int]:
        return {ws.cell(row=2, column=c).value: c for c in range(1, ws.max_column + 1)}

    main_columns = columns(main)
    next_row = dict.fromkeys(sub_sheets, 3)
    for offset, row in enumerate(rows, start=3):
        for name, value in row.items():
            if name in sub_sheets:
                ws, cols = sub_sheets[name], columns(sub_sheets[name])
                for sub in value:
                    r = next_row[name]
                    ws.cell(row=r, column=cols["implementation_code"], value=row["implementation_code"])
                    for key, sub_value in sub.items():
                        ws.cell(row=r, column=cols[key], value=sub_value)
                    next_row[name] += 1
            else:
                main.cell(row=offset, column=main_columns[name], value=value)
    return excel.to_bytes(wb)


# --- the two paths -------------------------------------------------------------------------------------------


def run_import(content: bytes, org: str, user: str, defer: bool = True) -> tuple[float, dict[str, int]]:
    from ckanext.hlj import excel  # noqa: PLC0415

    started = time.perf_counter()
    report = excel.import_workbook(
        content, "service-item", org, user, lang="zh_Hans_CN", defer_index_commits=defer
    )
    seconds = time.perf_counter() - started
    if not report.ok:
        raise SystemExit("import failed:\n" + "\n".join(report.error_lines()[:20]))
    return seconds, report.counts()


def run_api(url: str, token: str, rows: list[dict[str, Any]], org: dict[str, Any]) -> float:
    import ckanapi  # noqa: PLC0415

    # The same items under other URL names: the names the import generates come from the 实施编码 alone.
    payloads = [
        {"type": "service-item", "owner_org": org["id"], "name": f"{org['name']}-{i:05d}", **row}
        for i, row in enumerate(rows)
    ]
    with ckanapi.RemoteCKAN(url, apikey=token, user_agent="hlj-bulk-import-bench") as remote:
        started = time.perf_counter()
        for payload in payloads:
            remote.action.package_create(**payload)
        return time.perf_counter() - started


def count(org_id: str) -> int:
    from ckan import model  # noqa: PLC0415

    return (
        model.Session.query(model.Package)
        .filter(model.Package.owner_org == org_id, model.Package.state == "active")
        .count()
    )


def machine() -> dict[str, Any]:
    import ckan  # noqa: PLC0415
    import openpyxl  # noqa: PLC0415

    info = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "ckan": ckan.__version__,
        "openpyxl": openpyxl.__version__,
    }
    try:
        info["load_average"] = os.getloadavg()
    except OSError:
        pass
    return info


def write_results(result: dict[str, Any], directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "bulk-import.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2) + "\n", "utf-8"
    )
    a, b, c = result["excel_import"], result["ckanapi_one_by_one"], result["excel_reimport_unchanged"]
    lines = [
        "# Bulk import: Excel workbook vs ckanapi one by one",
        "",
        f"{result['items']} 政务服务事项 (service items, one fee and two materials each) into a fresh organisation "
        f"each, on {result['date']} ({result['machine']['cpus']} CPUs, CKAN {result['machine']['ckan']}, "
        f"openpyxl {result['machine']['openpyxl']}). Produced by `benchmarks/bulk_import.py`.",
        "",
        "| Path | Seconds | Items/s |",
        "| --- | ---: | ---: |",
        f"| (a) `import_workbook`, in process, one workbook | {a['seconds']:.1f} | {a['items_per_second']:.1f} |",
        f"| (b) `ckanapi` `package_create` over HTTP, one by one | {b['seconds']:.1f} | {b['items_per_second']:.1f} |",
        f"| (c) the same workbook again (all unchanged) | {c['seconds']:.1f} | {c['items_per_second']:.1f} |",
    ]
    d = result.get("excel_import_solr_commit_per_row")
    if d:
        lines.append(
            f"| (d) `import_workbook` with a Solr commit per row, {d['items']} other items "
            f"| {d['seconds']:.1f} | {d['items_per_second']:.1f} |"
        )
    lines += [
        "",
        f"Ratio (a)/(b): **{result['ratio_import_to_api']:.2f}×**.",
        "",
        "Both paths run the same validators and write the same rows, one `package_create` per item with its "
        "database commit and Solr indexing. (b) adds the HTTP round trip, JSON and CKAN's development web "
        "server (`ckan run`), and commits Solr after every dataset (`ckan.search.solr_commit = "
        f"{str(result['solr_commit']).lower()}`); (a) adds reading the workbook and looking up the "
        "organisation's existing items, and indexes every row without a commit of its own, committing Solr "
        "once at the end (rows are searchable at Solr's next 3-second soft commit meanwhile). (d) is (a) "
        "with a Solr commit per row, which separates the two effects. (c) is the idempotent re-upload: every "
        "row is compared with the stored item and nothing is written.",
        "",
        f"Load average at the end: {', '.join(f'{x:.2f}' for x in result['machine'].get('load_average', []))}. "
        "Timings move with the machine's load; compare runs by the ratio.",
    ]
    if result.get("note"):
        lines += ["", result["note"]]
    (directory / "bulk-import.md").write_text("\n".join(lines) + "\n", "utf-8")


def main() -> None:
    args = parse_args()
    if args.solr_url:
        os.environ["CKAN_SOLR_URL"] = args.solr_url
    app = load_ckan(args.ini)
    import ckan.plugins.toolkit as tk  # noqa: PLC0415

    with app.test_request_context(environ_overrides={"CKAN_LANG": "zh_Hans_CN"}):
        user, token = ensure_admin()
        stamp = dt.datetime.now().strftime("%Y%m%d%H%M%S")
        org_a = create_org(f"{ORG_PREFIX}import-{stamp}", "基准测试：Excel 导入", user)
        org_b = create_org(f"{ORG_PREFIX}api-{stamp}", "基准测试：逐条 API", user)
        org_d = create_org(f"{ORG_PREFIX}commit-{stamp}", "基准测试：逐行提交索引的导入", user)
        try:
            rows = items(args.items)
            started = time.perf_counter()
            content = workbook_bytes(rows)
            build_seconds = time.perf_counter() - started
            print(
                f"workbook of {args.items} items: {len(content) / 1e6:.1f} MB, built in {build_seconds:.1f} s"
            )

            seconds_a, counts_a = run_import(content, org_a["name"], user)
            print(f"(a) excel import: {seconds_a:.1f} s, {args.items / seconds_a:.1f} items/s {counts_a}")
            seconds_b = run_api(args.ckan_url, token, rows, org_b)
            print(f"(b) ckanapi one by one: {seconds_b:.1f} s, {args.items / seconds_b:.1f} items/s")
            seconds_c, counts_c = run_import(content, org_a["name"], user)
            print(f"(c) re-import: {seconds_c:.1f} s, {args.items / seconds_c:.1f} items/s {counts_c}")

            per_row = None
            if args.per_row_commit_items:
                n_d = args.per_row_commit_items
                content_d = workbook_bytes(items(n_d, first=args.items))
                seconds_d, _ = run_import(content_d, org_d["name"], user, defer=False)
                per_row = {"items": n_d, "seconds": round(seconds_d, 2), "items_per_second": n_d / seconds_d}
                print(
                    f"(d) excel import, Solr commit per row: {seconds_d:.1f} s, {n_d / seconds_d:.1f} items/s"
                )

            stored_a, stored_b = count(org_a["id"]), count(org_b["id"])
            if stored_a != args.items or stored_b != args.items or counts_c["unchanged"] != args.items:
                raise SystemExit(f"unexpected counts: import {stored_a}, api {stored_b}, reimport {counts_c}")
            result = {
                "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                "items": args.items,
                "workbook_bytes": len(content),
                "workbook_build_seconds": round(build_seconds, 2),
                "excel_import": {"seconds": round(seconds_a, 2), "items_per_second": args.items / seconds_a},
                "ckanapi_one_by_one": {
                    "seconds": round(seconds_b, 2),
                    "items_per_second": args.items / seconds_b,
                },
                "excel_reimport_unchanged": {
                    "seconds": round(seconds_c, 2),
                    "items_per_second": args.items / seconds_c,
                },
                "excel_import_solr_commit_per_row": per_row,
                "ratio_import_to_api": seconds_b / seconds_a,
                "solr_commit": bool(tk.config.get("ckan.search.solr_commit")),
                "machine": machine(),
            }
            if args.items != 5000:
                result["note"] = f"Run with N={args.items} instead of the issue's 5,000."
            write_results(result, Path(args.results))
            print(
                f"ratio (a)/(b): {result['ratio_import_to_api']:.2f}; results in {args.results}/bulk-import.md"
            )
        finally:
            if not args.keep:
                purged = sum(purge_org(o["id"], user) for o in (org_a, org_b, org_d))
                print(f"purged the 3 bench organisations and their {purged} items")
            revoke_tokens(user)


if __name__ == "__main__":
    sys.exit(main())
