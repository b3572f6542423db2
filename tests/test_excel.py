"""Excel templates, bulk import and export (ckanext.hlj.excel): through the functions, the actions, the web page
and the `ckan hlj` commands."""

from __future__ import annotations

import base64
import io
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.cli.cli import ckan
from ckan.tests import factories
from ckan.tests.helpers import call_action, call_auth
from ckanext.scheming.helpers import scheming_get_dataset_schema
from openpyxl import Workbook, load_workbook

from ckanext.hlj import excel
from ckanext.hlj.catalogue import uscc

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

TYPES = ["disclosure", "service-item", "open-data", "policy", "credit-publication"]


def make_uscc(org_code8: str) -> str:
    return uscc.make_uscc("11230000" + org_code8 + uscc.org_code_check_char(org_code8))


USCC = make_uscc("MB123456")
BAD_USCC = USCC[:-1] + ("0" if USCC[-1] != "0" else "1")


def service_item(n: int, **overrides: Any) -> dict[str, Any]:
    """A valid service item as a person fills the template: labels, not codes."""
    basic = f"{172009000 + n:012d}"
    row = {
        "title": f"建设工程消防设计审查{n}",
        "item_type": "行政许可",
        "basic_code": basic,
        "implementing_uscc": USCC,
        "implementation_code": f"{USCC}1{basic}",
        "implementing_body": "黑龙江省住房和城乡建设厅",
        "exercise_level": "省级、地市级",
        "region_code": "黑龙江省",
        "legal_basis": "《中华人民共和国消防法》第十一条",
        "promised_limit": 15,
        "promised_limit_unit": "工作日",
        "consultation_phone": "0451-82345678",
        "complaint_phone": "12345",
        "tag_string": "消防,审查",
    }
    row.update(overrides)
    return row


def disclosure(level2: str, **overrides: Any) -> dict[str, Any]:
    row = {
        "title": f"行政许可{level2}",
        "item_level1": "行政许可",
        "item_level2": level2,
        "disclosure_category": "结果公开",
        "notes": "许可决定书文号、许可内容、行政相对人名称",
        "deadline_rule": "decision_publication_7wd",
        "disclosure_channel": "政府网站、政府公报",
        "disclosure_audience": "全社会",
        "disclosure_mode": "主动",
        "disclosure_attribute": "主动公开",
        "contact_phone": "0451-82345678",
    }
    row.update(overrides)
    return row


def fill(wb: Workbook, sheet: str, rows: list[dict[str, Any]]) -> Workbook:
    """Write rows (field name → value) into a template sheet below its two header rows."""
    ws = wb[sheet]
    columns = {ws.cell(row=2, column=c).value: c for c in range(1, ws.max_column + 1)}
    for offset, row in enumerate(rows, start=3):
        for name, value in row.items():
            ws.cell(row=offset, column=columns[name], value=value)
    return wb


def xlsx(wb: Workbook) -> bytes:
    return excel.to_bytes(wb)


def service_workbook(rows, fees=(), materials=()) -> bytes:
    wb = fill(excel.template("service-item"), "政务服务事项", rows)
    fill(wb, "收费项目", list(fees))
    fill(wb, "申请材料", list(materials))
    return xlsx(wb)


@pytest.fixture
def sysadmin():
    return factories.SysadminWithToken()


@pytest.fixture
def editor():
    return factories.UserWithToken()


@pytest.fixture
def org(make_organization, editor):
    return make_organization(
        name="hlj-zjt",
        title="黑龙江省住房和城乡建设厅",
        users=[{"name": editor["name"], "capacity": "editor"}],
    )


def stored(dataset_type: str, org: dict[str, Any]) -> dict[str, dict[str, Any]]:
    result = call_action(
        "package_search",
        fq=f'+dataset_type:"{dataset_type}" +owner_org:"{org["id"]}"',
        include_private=True,
        rows=1000,
    )
    return {p["title"]: p for p in result["results"]}


# --- template ------------------------------------------------------------------------------------------------


def test_template_has_labels_field_names_dropdowns_and_instructions():
    wb = load_workbook(io.BytesIO(xlsx(excel.template("service-item"))))

    assert wb.sheetnames == ["政务服务事项", "收费项目", "申请材料", "说明", "选项"]
    assert wb["选项"].sheet_state == "hidden"
    ws = wb["政务服务事项"]
    labels = [c.value for c in ws[1]]
    names = [c.value for c in ws[2]]
    assert labels[:3] == ["事项名称", "网址标识", "事项类型"]
    assert names[:3] == ["title", "name", "item_type"]
    assert "实施编码" in labels and "可见性" in labels
    assert "review_status" not in names and "is_reprint" not in names and "owner_org" not in names
    assert ws.cell(row=1, column=names.index("implementation_code") + 1).comment.text.startswith("不超过36位")

    item_type = names.index("item_type") + 1
    validations = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
    dv = validations[f"{ws.cell(row=3, column=item_type).column_letter}3"]
    sheet, cells = dv.formula1.split("!")
    assert sheet == "'选项'"
    first, last = (c.replace("$", "") for c in cells.split(":"))
    options = [row[0].value for row in wb["选项"][first:last]]
    assert "行政许可" in options and "行政处罚" in options
    region = validations[f"{ws.cell(row=3, column=names.index('region_code') + 1).column_letter}3"]
    assert region.formula1 != dv.formula1

    materials = wb["申请材料"]
    assert [c.value for c in materials[1]][:3] == ["实施编码", "材料名称", "材料形式"]
    notes = [[c.value for c in row] for row in wb["说明"].iter_rows()]
    assert any(row[1] == "实施编码" and row[3] == "是" for row in notes)
    assert any("识别事项的字段：实施编码" in (row[0] or "") for row in notes)


@pytest.mark.parametrize("dataset_type", TYPES)
def test_every_type_has_a_template_derived_from_its_schema(dataset_type):
    wb = excel.template(dataset_type)
    schema = scheming_get_dataset_schema(dataset_type)
    labels = {c.value for ws in wb.worksheets for c in ws[1]}
    for field in schema["dataset_fields"]:
        if field.get("form_snippet", "") is None or field["field_name"] == "owner_org":
            continue
        for sub in field.get("repeating_subfields") or [field]:
            assert sub["label"]["zh_Hans_CN"] in labels, sub["field_name"]
    english = excel.template(dataset_type, "en")
    assert english.worksheets[0].cell(row=1, column=1).value == schema["dataset_fields"][0]["label"]["en"]


# --- import --------------------------------------------------------------------------------------------------


def test_import_creates_good_rows_and_reports_each_bad_one(sysadmin, org):
    content = service_workbook(
        [
            service_item(1),
            service_item(2, implementing_uscc=BAD_USCC),
            service_item(3, item_type="行政许可证"),
            service_item(4, exercise_level="1、省级"),
        ],
        fees=[{"implementation_code": service_item(1)["implementation_code"], "fee_name": "不收费"}],
        materials=[
            {
                "implementation_code": service_item(1)["implementation_code"],
                "material_name": "消防设计审查申请表",
                "material_form": "纸质",
                "copies": 1,
            },
            {
                "implementation_code": service_item(1)["implementation_code"],
                "material_name": "设计文件",
                "material_form": "电子",
            },
        ],
    )

    report = excel.import_workbook(content, "service-item", org["name"], sysadmin["name"])

    assert report.counts() | {"errors": 0} == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "failed": 2,
        "errors": 0,
    }
    errors = {(e.sheet, e.row, e.field): e for e in report.errors}
    assert set(errors) == {
        ("政务服务事项", 4, "implementing_uscc"),
        ("政务服务事项", 4, "implementation_code"),  # no longer embeds a valid implementing body's code
        ("政务服务事项", 5, "item_type"),
    }
    assert errors["政务服务事项", 4, "implementing_uscc"].label == "实施主体统一社会信用代码"
    assert "校验" in errors["政务服务事项", 4, "implementing_uscc"].message
    assert errors["政务服务事项", 5, "item_type"].message.startswith("“行政许可证”不是有效的事项类型")

    items = stored("service-item", org)
    assert set(items) == {"建设工程消防设计审查1", "建设工程消防设计审查4"}, "nothing stored for the bad rows"
    first = items["建设工程消防设计审查1"]
    assert first["name"].startswith("service-item-") and first["name"].isascii()
    assert (
        first["item_type"] == "01"
        and first["exercise_level"] == ["2", "3"]
        and first["region_code"] == "230000"
    )
    assert [m["material_name"] for m in first["materials"]] == ["消防设计审查申请表", "设计文件"]
    assert first["materials"][0]["material_form"] == "paper" and first["fees"] == [{"fee_name": "不收费"}]
    assert sorted(t["name"] for t in first["tags"]) == ["审查", "消防"]
    assert items["建设工程消防设计审查4"]["exercise_level"] == ["1", "2"]


def test_bad_sub_rows_and_date_and_withheld_items_are_reported(sysadmin, org):
    code = service_item(1)["implementation_code"]
    content = service_workbook(
        [service_item(1)],
        materials=[
            {"implementation_code": code, "material_name": "申请表", "material_form": "纸质"},
            {"implementation_code": code, "material_name": "图纸", "material_form": "胶片"},
            {"implementation_code": "NOPE", "material_name": "孤儿"},
        ],
    )
    report = excel.import_workbook(content, "service-item", org["id"], sysadmin["name"])
    assert report.counts()["failed"] == 1
    assert {(e.sheet, e.row, e.field) for e in report.errors} == {
        ("申请材料", 4, "material_form"),
        ("申请材料", 5, "implementation_code"),
    }
    assert not stored("service-item", org)

    policy = fill(
        excel.template("policy"),
        "政策文件与政策解读",
        [
            {
                "title": "关于印发某办法的通知",
                "policy_role": "政策文件",
                "issuer": "黑龙江省住房和城乡建设厅",
                "issuer_level": "省直部门",
                "written_date": "2017年2月30日",
                "disclosure_attribute": "主动公开",
                "doc_number": "黑建发[2017]3号",
            }
        ],
    )
    report = excel.import_workbook(xlsx(policy), "policy", org["id"], sysadmin["name"])
    assert [(e.row, e.field, e.label) for e in report.errors] == [(3, "written_date", "成文日期")]

    workbook = fill(
        excel.template("disclosure"),
        "主动公开基本目录事项",
        [
            disclosure("许可结果"),
            disclosure("许可档案", disclosure_attribute="不予公开"),
            disclosure(
                "许可审查记录",
                disclosure_attribute="不予公开",
                withholding_reason="过程性信息",
                withholding_ground="第十六条：过程性信息（讨论记录、过程稿、磋商信函、请示报告等）",
                private="公开",
            ),
            disclosure("申请人名单", disclosure_attribute="依申请公开"),
        ],
    )
    report = excel.import_workbook(xlsx(workbook), "disclosure", org["id"], sysadmin["name"])
    assert report.counts()["created"] == 3
    assert {(e.row, e.field, e.message) for e in report.errors} == {
        (4, "withholding_reason", "公开属性为「不予公开」时必须填写"),
        (4, "withholding_ground", "公开属性为「不予公开」时必须填写"),
    }
    items = stored("disclosure", org)
    assert "行政许可许可档案" not in items
    assert items["行政许可许可结果"]["private"] is False
    assert items["行政许可许可审查记录"]["private"] is True, "不予公开 stays private whatever 可见性 says"
    assert items["行政许可申请人名单"]["private"] is True, "no 可见性 value: private by law"
    assert items["行政许可许可结果"]["disclosure_channel"] == ["gov_website", "gazette"]


def test_reupload_is_unchanged_and_an_edited_cell_updates_its_row_only(sysadmin, org):
    rows = [service_item(1), service_item(2, region_code="230100", item_type="01"), service_item(3)]
    materials = [
        {"implementation_code": rows[0]["implementation_code"], "material_name": "申请表", "copies": "2"}
    ]
    first = excel.import_workbook(
        service_workbook(rows, materials=materials), "service-item", org["id"], sysadmin["name"]
    )
    assert first.counts()["created"] == 3 and first.ok
    before = stored("service-item", org)

    again = excel.import_workbook(
        service_workbook(rows, materials=materials), "service-item", org["id"], sysadmin["name"]
    )
    assert again.counts() == {"created": 0, "updated": 0, "unchanged": 3, "failed": 0, "errors": 0}
    after = stored("service-item", org)
    assert all(after[t]["metadata_modified"] == before[t]["metadata_modified"] for t in before), (
        "nothing rewritten"
    )

    rows[1] = {**rows[1], "promised_limit": 10}
    modified = excel.import_workbook(
        service_workbook(rows, materials=materials), "service-item", org["id"], sysadmin["name"]
    )
    assert modified.counts() == {"created": 0, "updated": 1, "unchanged": 2, "failed": 0, "errors": 0}
    assert modified.updated == [before["建设工程消防设计审查2"]["name"]]
    assert stored("service-item", org)["建设工程消防设计审查2"]["promised_limit"] == "10"

    rows[2] = {**rows[2], "promised_limit": None, "tag_string": "消防"}
    cleared = excel.import_workbook(
        service_workbook(rows, materials=materials), "service-item", org["id"], sysadmin["name"]
    )
    assert cleared.counts()["updated"] == 1, "a blank cell clears the field"
    third = stored("service-item", org)["建设工程消防设计审查3"]
    assert not third.get("promised_limit") and [t["name"] for t in third["tags"]] == ["消防"]
    assert tk.config.get("ckan.search.solr_commit") is True, "the import restored per-dataset Solr commits"

    materials[0]["copies"] = 3
    sub_changed = excel.import_workbook(
        service_workbook(rows, materials=materials), "service-item", org["id"], sysadmin["name"]
    )
    assert sub_changed.counts()["updated"] == 1
    assert stored("service-item", org)["建设工程消防设计审查1"]["materials"] == [
        {"material_name": "申请表", "copies": 3}
    ]


def test_export_reimports_as_unchanged_and_shows_private_items_to_members_only(sysadmin, editor, org):
    code = service_item(1)["implementation_code"]
    excel.import_workbook(
        service_workbook(
            [service_item(1), service_item(2, online_depth="")],
            fees=[{"implementation_code": code, "fee_name": "工本费", "fee_standard": "10元"}],
            materials=[
                {"implementation_code": code, "material_name": "申请表", "material_form": "纸质+电子"}
            ],
        ),
        "service-item",
        org["id"],
        sysadmin["name"],
    )
    workbook = fill(
        excel.template("disclosure"),
        "主动公开基本目录事项",
        [disclosure("许可结果"), disclosure("申请人名单", disclosure_attribute="依申请公开")],
    )
    excel.import_workbook(xlsx(workbook), "disclosure", org["id"], sysadmin["name"])

    exported = xlsx(excel.export("service-item", org["name"], user=editor["name"]))
    wb = load_workbook(io.BytesIO(exported))
    assert wb["政务服务事项"].max_row == 4
    assert [c.value for c in wb["申请材料"][3]][:3] == [code, "申请表", "纸质+电子"]
    report = excel.import_workbook(exported, "service-item", org["id"], editor["name"])
    assert report.counts() == {"created": 0, "updated": 0, "unchanged": 2, "failed": 0, "errors": 0}

    for lang in ("zh_Hans_CN", "en"):
        exported = xlsx(excel.export("disclosure", org["name"], user=editor["name"], lang=lang))
        report = excel.import_workbook(exported, "disclosure", org["id"], editor["name"])
        assert report.counts()["unchanged"] == 2 and report.ok, lang

    public = load_workbook(io.BytesIO(xlsx(excel.export("disclosure", org["name"]))))
    titles = [row[0].value for row in public.worksheets[0].iter_rows(min_row=3)]
    assert titles == ["行政许可许可结果"], "an anonymous export holds public items only"


def test_rows_without_a_key_and_duplicates_are_reported(sysadmin, org):
    content = service_workbook(
        [service_item(1), service_item(1, title="again"), service_item(2, implementation_code=None)]
    )
    report = excel.import_workbook(content, "service-item", org["id"], sysadmin["name"])
    assert [(e.row, e.field) for e in report.errors] == [
        (4, "implementation_code"),
        (5, "implementation_code"),
    ]
    assert "与第3行是同一事项" in report.errors[0].message
    assert report.counts()["created"] == 1


def test_a_workbook_of_another_type_or_no_workbook_is_refused(sysadmin, org):
    with pytest.raises(excel.WorkbookError, match="数据资源"):
        excel.import_workbook(xlsx(excel.template("open-data")), "service-item", org["id"], sysadmin["name"])
    with pytest.raises(excel.WorkbookError):
        excel.import_workbook(b"not a workbook", "service-item", org["id"], sysadmin["name"])
    plain = Workbook()
    plain.active.append(["事项名称", "基本编码"])
    with pytest.raises(excel.WorkbookError, match="实施编码"):
        excel.import_workbook(xlsx(plain), "service-item", org["id"], sysadmin["name"])


def test_a_sheet_with_labels_only_imports_by_label(sysadmin, org):
    wb = Workbook()
    ws = wb.active
    row = service_item(1)
    labels = {c.name: c.label_zh for c in excel.layout_for("service-item").columns}
    ws.append([labels[name] for name in row])
    ws.append(list(row.values()))
    report = excel.import_workbook(xlsx(wb), "service-item", org["id"], sysadmin["name"])
    assert report.counts()["created"] == 1, report.error_lines()


def test_only_editors_of_the_organisation_may_import(org, editor):
    outsider = factories.User()
    data = {"type": "service-item", "owner_org": org["id"]}
    assert call_auth("hlj_import_create", {"user": editor["name"], "model": model}, **data)
    with pytest.raises(tk.NotAuthorized):
        call_auth("hlj_import_create", {"user": outsider["name"], "model": model}, **data)
    with pytest.raises(tk.NotAuthorized):
        excel.import_workbook(
            service_workbook([service_item(1)]), "service-item", org["id"], outsider["name"]
        )
    assert call_auth("hlj_export_show", {"user": "", "model": model}, **data)


# --- API, web page, CLI --------------------------------------------------------------------------------------


def test_api_import_and_export(app, editor, org):
    headers = {"Authorization": editor["token"]}
    content = service_workbook([service_item(1), service_item(2, implementing_uscc=BAD_USCC)])

    zh = app.post(
        "/api/3/action/hlj_import_create",
        data={
            "type": "service-item",
            "owner_org": org["name"],
            "upload": (io.BytesIO(content), "items.xlsx"),
        },
        headers=headers,
    ).json["result"]
    assert zh["counts"]["created"] == 1 and zh["counts"]["failed"] == 1
    assert {e["label"] for e in zh["errors"]} == {"实施主体统一社会信用代码", "实施编码"}
    assert {e["row"] for e in zh["errors"]} == {4} and zh["errors"][0]["sheet"] == "政务服务事项"

    en = app.post(
        "/en/api/3/action/hlj_import_create",
        data={
            "type": "service-item",
            "owner_org": org["name"],
            "upload": (io.BytesIO(content), "items.xlsx"),
        },
        headers=headers,
    ).json["result"]
    assert en["counts"]["unchanged"] == 1
    assert {e["label"] for e in en["errors"]} == {
        "Implementing body's unified social credit code",
        "Implementation code",
    }
    assert en["summary"].startswith("created 0, updated 0, unchanged 1, failed 1")
    assert all(e["message"].isascii() for e in en["errors"]), en["errors"]

    outsider = factories.UserWithToken()
    app.post(
        "/api/3/action/hlj_import_create",
        data={
            "type": "service-item",
            "owner_org": org["name"],
            "upload": (io.BytesIO(content), "items.xlsx"),
        },
        headers={"Authorization": outsider["token"]},
        status=403,
    )

    exported = app.get(f"/api/3/action/hlj_export_show?type=service-item&owner_org={org['name']}").json[
        "result"
    ]
    wb = load_workbook(io.BytesIO(base64.b64decode(exported["content_base64"])))
    assert wb["政务服务事项"].cell(row=3, column=1).value == "建设工程消防设计审查1"


def test_web_page_download_upload_and_report(app, editor, org):
    page = app.get(f"/organization/{org['name']}/excel")
    assert "模板与导出" in page.body and 'id="hlj-excel-upload"' not in page.body, "anonymous: no upload form"

    template = app.get(f"/organization/{org['name']}/excel/template/service-item")
    assert template.headers["Content-Type"] == excel.MIMETYPE
    wb = load_workbook(io.BytesIO(template.data))
    fill(wb, "政务服务事项", [service_item(1), service_item(2, item_type="许可")])

    headers = {"Authorization": editor["token"]}
    page = app.get(f"/organization/{org['name']}/excel", headers=headers)
    assert 'id="hlj-excel-upload"' in page.body and 'name="_csrf_token"' in page.body
    response = app.post(
        f"/organization/{org['name']}/excel",
        data={"type": "service-item", "upload": (io.BytesIO(xlsx(wb)), "filled.xlsx")},
        headers=headers,
    )
    assert response.status_code == 200
    body = response.body
    assert 'data-count="created">1<' in body and 'data-count="failed">1<' in body
    assert "“许可”不是有效的事项类型" in body and "<td>4</td>" in body

    export = app.get(f"/organization/{org['name']}/excel/export/service-item", headers=headers)
    assert (
        load_workbook(io.BytesIO(export.data))["政务服务事项"].cell(row=3, column=1).value
        == "建设工程消防设计审查1"
    )
    english = app.get(f"/en/organization/{org['name']}/excel", headers=headers)
    assert "Templates and exports" in english.body


def test_cli_template_import_export(cli, sysadmin, org, tmp_path):
    out = tmp_path / "template.xlsx"
    result = cli.invoke(ckan, ["hlj", "template", "--type", "service-item", "--out", str(out)])
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    fill(wb, "政务服务事项", [service_item(1), service_item(2, complaint_phone="abc")])
    wb.save(out)

    result = cli.invoke(ckan, ["hlj", "import", str(out), "--type", "service-item", "--org", org["name"]])
    assert result.exit_code == 1, result.output
    assert "新建 1 条" in result.output and "监督投诉电话" in result.output

    result = cli.invoke(
        ckan, ["hlj", "import", str(out), "--type", "service-item", "--org", org["name"], "--lang", "en"]
    )
    assert result.exit_code == 1 and "unchanged 1" in result.output and "Complaints phone" in result.output

    exported = tmp_path / "export.xlsx"
    result = cli.invoke(
        ckan, ["hlj", "export", "--type", "service-item", "--org", org["name"], "--out", str(exported)]
    )
    assert result.exit_code == 0, result.output
    result = cli.invoke(
        ckan, ["hlj", "import", str(exported), "--type", "service-item", "--org", org["name"]]
    )
    assert result.exit_code == 0 and "未变 1 条" in result.output, result.output
    assert model.Package.get(stored("service-item", org)["建设工程消防设计审查1"]["name"]) is not None


def one_of_each_type(org: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A valid item of every type, as an API client would send it (codes and labels mixed)."""
    return {
        "disclosure": {
            **{k: v for k, v in disclosure("许可档案").items()},
            "disclosure_channel": ["gov_website", "政府公报"],
            "disclosure_level": ["省级"],
            "disclosure_attribute": "不予公开",
            "withholding_reason": "涉及个人隐私",
            "withholding_ground": "art15_personal_privacy",
            "responsible_division": "行政审批处",
            "tag_string": "许可,档案",
        },
        "service-item": {
            # The API takes region codes (the workbook also takes names): this item is made through the API.
            **service_item(
                7, exercise_level=["省级", "4"], online_depth="互联网咨询、互联网收件", region_code="230000"
            ),
            "fees": [{"fee_name": "工本费", "fee_standard": "10元", "fee_basis": "物价文件"}],
            "materials": [
                {"material_name": "申请表", "material_form": "纸质", "copies": "2", "necessity": "必要"}
            ],
        },
        "open-data": {
            "title": "企业登记信息",
            "resource_code": "230000-01-0001",
            "notes": "企业登记基本信息",
            "data_domain": "市场监管",
            "open_type": "有条件开放",
            "open_conditions": "实名申请",
            "share_type": "无条件共享",
            "update_frequency": "每月",
            "provider_uscc": USCC,
            "first_published": "2020年1月2日",
            "data_items": [
                {"name_zh": "企业名称", "name_en": "name", "data_type": "字符型"},
                {"name_zh": "成立日期", "data_type": "日期型", "description": "营业执照记载"},
            ],
        },
        "policy": {
            "title": "关于全面推进政务公开工作的实施意见",
            "policy_role": "document",
            "issuer": "黑龙江省人民政府办公厅",
            "issuer_level": "省政府",
            "written_date": "二〇一七年三月二十日",
            "doc_number": "黑政办发[2017]10号",
            "index_no": "00001-2017-00010",
            "policy_topic": "01.02",
            "validity": "有效",
            "disclosure_attribute": "主动公开",
            "reprint_required": True,
            "source_url": "https://www.hlj.gov.cn/zc/10.html",
            "source_published_at": "2017年3月22日 10时30分",
        },
        "credit-publication": {
            "title": "行政许可信息公示",
            "credit_kind": "行政许可",
            "notes": "本厅作出的行政许可决定",
            "department_uscc": USCC,
            "source_system": "信用黑龙江",
        },
    }


@pytest.mark.parametrize("dataset_type", TYPES)
@pytest.mark.parametrize("lang", ["zh_Hans_CN", "en"])
def test_items_made_through_the_api_export_and_reimport_unchanged(sysadmin, org, dataset_type, lang):
    data = one_of_each_type(org)[dataset_type]
    created = call_action(
        "package_create",
        context={"user": sysadmin["name"]},
        type=dataset_type,
        owner_org=org["id"],
        name=f"api-made-{dataset_type}",
        **data,
    )

    exported = xlsx(excel.export(dataset_type, org["name"], user=sysadmin["name"], lang=lang))
    report = excel.import_workbook(exported, dataset_type, org["id"], sysadmin["name"], lang=lang)
    assert report.counts() == {"created": 0, "updated": 0, "unchanged": 1, "failed": 0, "errors": 0}, (
        report.error_lines()
    )
    after = call_action("package_show", id=created["id"])
    assert after["metadata_modified"] == created["metadata_modified"]

    # A title edited in the exported workbook updates the item in place (found by its key), no copy.
    wb = load_workbook(io.BytesIO(exported))
    ws = wb.worksheets[0]
    names = [c.value for c in ws[2]]
    ws.cell(row=3, column=names.index("title") + 1, value=data["title"] + "（修订）")
    report = excel.import_workbook(xlsx(wb), dataset_type, org["id"], sysadmin["name"], lang=lang)
    assert report.counts()["updated"] == 1, report.error_lines()
    assert call_action("package_show", id=created["id"])["title"].endswith("（修订）")
    assert len(stored(dataset_type, org)) == 1


def test_the_organisation_page_links_to_its_excel_page(app, org):
    page = app.get(f"/organization/{org['name']}")
    assert f'href="/organization/{org["name"]}/excel"' in page.body and "Excel 导入导出" in page.body
    english = app.get(f"/en/organization/{org['name']}")
    assert "Excel import and export" in english.body
