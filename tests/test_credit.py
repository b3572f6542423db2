"""双公示 credit publications against the real DataStore: loading CSV/XLSX with good and bad rows, masking of
natural persons' ID numbers on every read and download path, the audit copy's privacy, expiry, withdrawal,
idempotent re-upload."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta

import openpyxl
import pytest
import sqlalchemy as sa
from ckan.plugins import toolkit as tk
from ckan.tests import factories
from ckan.tests.helpers import call_action
from click.testing import CliRunner
from werkzeug.datastructures import FileStorage

from ckanext.hlj.catalogue import credit as catalogue
from ckanext.hlj.credit import jobs, store, tables
from ckanext.hlj.credit_cli import credit

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

COMPANY = "91230500MA1B3N1N2M"  # real: 双鸭山智慧城市运营有限公司 (domain-standards §3.2)
DEPARTMENT = "11230500001755309F"  # real: 双鸭山市公安局
OTHER_COMPANY = "91110000600037341L"
BAD_USCC = "91230500MA1B3N1N2X"
TODAY = date.today()
LATER = TODAY + timedelta(days=365)


def person_id(birth: str, seq: str = "123") -> str:
    first17 = "230102" + birth + seq
    return first17 + catalogue.id_check_char(first17)


PERSON = person_id("19900101")
PERSON_MASKED = PERSON[:6] + "********" + PERSON[14:]
OTHER_PERSON = person_id("19851231", "456")


def ctx(user=None, **extra):
    return {"user": user["name"] if user else "", "ignore_auth": False, **extra}


@pytest.fixture
def world(make_organization):
    sysadmin = factories.Sysadmin()
    editor = factories.User()
    member = factories.User()
    outsider = factories.User()
    org = make_organization(name="hlj-gat", title="黑龙江省公安厅", uscc=DEPARTMENT)
    other = make_organization(name="hlj-scjg", title="黑龙江省市场监督管理局")
    call_action("organization_member_create", id=org["id"], username=editor["name"], role="editor")
    call_action("organization_member_create", id=org["id"], username=member["name"], role="member")
    call_action("organization_member_create", id=other["id"], username=outsider["name"], role="editor")
    publication = call_action(
        "hlj_credit_publication_create",
        context=ctx(editor),
        name="gat-xzcf",
        title="省公安厅行政处罚决定公示",
        owner_org=org["id"],
        credit_kind="penalty",
    )
    return {
        "sysadmin": sysadmin,
        "editor": editor,
        "member": member,
        "outsider": outsider,
        "org": org,
        "other": other,
        "dataset": publication,
        "resource_id": publication["credit_resource_id"],
    }


HEADER = [
    "CF_XDR_MC",
    "CF_XDR_LB",
    "CF_XDR_SHXYM",
    "CF_XDR_ZJLX",
    "CF_XDR_ZJHM",
    "CF_WSH",
    "CF_CFLB",
    "CF_NR",
    "CF_NR_FK",
    "CF_JDRQ",
    "CF_GSJZQ",
    "BZ",
]


def penalty_rows(content="罚款2000元"):
    """Header + 6 rows: rows 2, 3 and 7 good (a company, a natural person, a company whose publicity ends soon);
    row 4 a bad USCC, row 5 no decision number, row 6 an impossible date."""
    soon = TODAY + timedelta(days=10)
    return [
        HEADER,
        ["双鸭山智慧城市运营有限公司", "法人及非法人组织", COMPANY, "", "", "黑公罚决字[2024]0012号", "罚款", content,
         "2000元", "2024-03-01", LATER.isoformat(), ""],
        ["张三", "自然人", "", "居民身份证", PERSON, "黑公罚决字〔2024〕13号", "警告", "警告", "", "2024年3月2日",
         LATER.isoformat(), f"当事人身份证号{PERSON}"],
        ["某某公司", "法人及非法人组织", BAD_USCC, "", "", "黑公罚决字〔2024〕14号", "罚款", "罚款", "0.5",
         "2024-03-03", LATER.isoformat(), ""],
        ["某某商行", "法人及非法人组织", OTHER_COMPANY, "", "", "", "罚款", "罚款", "0.5", "2024-03-04",
         LATER.isoformat(), ""],
        ["某某超市", "法人及非法人组织", OTHER_COMPANY, "", "", "黑公罚决字〔2024〕16号", "罚款", "罚款", "0.5",
         "2019年2月30日", LATER.isoformat(), ""],
        ["北京某某有限公司", "法人及非法人组织", OTHER_COMPANY, "", "", "黑公罚决字〔2024〕17号", "警告", "警告", "",
         "2024-03-05", soon.isoformat(), ""],
    ]  # fmt: skip


def to_csv(rows, encoding="utf-8-sig"):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def upload(data: bytes, filename: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=filename)


def load(world, data: bytes, filename="cf.csv", user="editor"):
    return call_action(
        "hlj_credit_rows_upsert",
        context=ctx(world[user]),
        id=world["dataset"]["id"],
        upload=upload(data, filename),
    )


def public_records(world, user=None, **params):
    result = call_action(
        "datastore_search", context=ctx(user), resource_id=world["resource_id"], limit=1000, **params
    )
    return result["records"]


def audit(world, **filters):
    return call_action(
        "hlj_credit_audit_search", context=ctx(world["editor"]), id=world["dataset"]["id"], filters=filters
    )["records"]


def errors_by_row(report):
    return {(e["row"], e["field"], e["code"]) for e in report["errors"]}


# ---------------------------------------------------------------------------------------------------------------
# Creation


def test_publication_has_one_public_table_with_its_data_dictionary(world):
    dataset = call_action("package_show", id=world["dataset"]["id"])
    assert dataset["type"] == "credit-publication"
    assert [r["id"] for r in dataset["resources"]] == [world["resource_id"]]
    info = call_action("datastore_info", id=world["resource_id"])
    fields = {f["id"]: f for f in info["fields"]}
    assert fields["CF_WSH"]["info"]["label"] == "行政处罚决定书文号"
    assert fields["CF_JDRQ"]["type"] == "date"
    assert fields["CF_NR_FK"]["type"] == "numeric"
    assert fields["first_seen_at"]["type"] == "timestamptz"
    assert {"party_code", "source_updated_at"} <= set(fields)
    assert "必填" in fields["CF_GSJZQ"]["info"]["notes"]


def test_a_publication_created_like_the_form_does_gets_its_table_from_the_worker(make_organization):
    from ckan.lib import jobs as ckan_jobs  # noqa: PLC0415

    ckan_jobs.get_queue().empty()
    org = make_organization(name="hlj-swt", title="黑龙江省商务厅", review_required=False)
    dataset = call_action(
        "package_create",
        context={"user": factories.Sysadmin()["name"]},
        type="credit-publication",
        name="swt-xzxk",
        title="省商务厅行政许可决定公示",
        owner_org=org["id"],
        credit_kind="licensing",
    )
    assert call_action("package_show", id=dataset["id"])["resources"] == []
    ckan_jobs.Worker().work(burst=True)

    resources = call_action("package_show", id=dataset["id"])["resources"]
    assert len(resources) == 1
    fields = {f["id"] for f in call_action("datastore_info", id=resources[0]["id"])["fields"]}
    assert {"XK_WSH", "XK_XDR_MC", "first_seen_at", "source_updated_at"} <= fields


# ---------------------------------------------------------------------------------------------------------------
# Loading


def test_csv_with_bom_good_rows_in_bad_rows_reported(world):
    report = load(world, to_csv(penalty_rows()))
    assert report["rows"] == 6 and report["valid"] == 3
    assert (report["inserted"], report["updated"], report["unchanged"]) == (3, 0, 0)
    assert errors_by_row(report) == {
        (4, "CF_XDR_SHXYM", "uscc_checksum"),
        (5, "CF_WSH", "credit_required"),
        (6, "CF_JDRQ", "date_invalid"),
    }
    messages = {e["row"]: e["message"] for e in report["errors"]}
    assert messages[4] == "统一社会信用代码校验位错误"
    records = public_records(world)
    assert sorted(r["CF_WSH"] for r in records) == [
        "黑公罚决字〔2024〕12号",  # normalised from [2024]0012
        "黑公罚决字〔2024〕13号",
        "黑公罚决字〔2024〕17号",
    ]
    company = next(r for r in records if r["party_code"] == COMPANY)
    assert company["CF_NR_FK"] == "0.2" or float(company["CF_NR_FK"]) == 0.2  # 2000元 → 0.2 万元
    assert company["CF_CFJG"] == "黑龙江省公安厅"  # the department, filled in
    assert company["CF_CFJGDM"] == DEPARTMENT
    # The rejected rows left no trace, in the public table or in the audit copy.
    assert len(audit(world)) == 3


def test_gbk_csv_with_old_chinese_column_names(world, make_organization):
    dataset = call_action(
        "hlj_credit_publication_create",
        context=ctx(world["editor"]),
        name="gat-xzxk",
        title="省公安厅行政许可决定公示",
        owner_org=world["org"]["id"],
        credit_kind="licensing",
    )
    rows = [
        ["行政许可决定书文号", "项目名称", "审批类别", "许可内容", "行政相对人名称", "统一社会信用代码", "居民身份证号",
         "法定代表人姓名", "许可决定日期", "许可截止期", "许可机关", "当前状态", "地方编码", "数据更新时间"],
        ["黑公许字（2024）1号", "爆破作业单位许可", "普通", "爆破作业", "双鸭山智慧城市运营有限公司", COMPANY, "",
         "王杨", "2024/3/1", "长期", "黑龙江省公安厅", "正常", "230000", "2024-03-01 10:00:00"],
        ["黑公许字（2024）2号", "典当业特种行业许可", "普通", "典当", "李四", "", OTHER_PERSON, "", "2024年3月2日",
         "2027-03-01", "黑龙江省公安厅", "正常", "230000", "2024-03-02 10:00:00"],
    ]  # fmt: skip
    report = call_action(
        "hlj_credit_rows_upsert",
        context=ctx(world["editor"]),
        id=dataset["id"],
        upload=upload(to_csv(rows, "gbk"), "xk.csv"),
    )
    assert report["error_count"] == 0, report["errors"]
    assert report["inserted"] == 2
    assert report["ignored_columns"] == ["地方编码"]
    records = call_action("datastore_search", context=ctx(None), resource_id=dataset["credit_resource_id"])[
        "records"
    ]
    by_number = {r["XK_WSH"]: r for r in records}
    assert by_number["黑公许字〔2024〕1号"]["XK_YXQZI"].startswith("2099-12-31")
    person = by_number["黑公许字〔2024〕2号"]
    assert person["XK_XDR_LB"] == "自然人"  # inferred
    assert person["XK_XDR_ZJHM"] == OTHER_PERSON[:6] + "********" + OTHER_PERSON[14:]
    assert person["party_code"].startswith("自然人-") and OTHER_PERSON not in json.dumps(records)
    assert person["source_updated_at"].startswith("2024-03-02")


def test_xlsx_with_title_row_good_and_bad_rows(world):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["黑龙江省公安厅行政处罚信息公示表"])
    sheet.append(["行政处罚决定书文号", "行政相对人名称", "统一社会信用代码", "居民身份证号", "处罚类别", "处罚结果",
                  "处罚决定日期", "公示截止期", "罚款金额（万元）"])  # fmt: skip
    sheet.append(["黑公罚决字〔2024〕21号", "双鸭山智慧城市运营有限公司", COMPANY, None, "罚款", "罚款2000元",
                  datetime(2024, 3, 1), datetime.combine(LATER, datetime.min.time()), 0.2])  # fmt: skip
    sheet.append(["黑公罚决字〔2024〕22号", "王五", None, int(PERSON[:17]) * 10, "警告", "警告",
                  datetime(2024, 3, 2), datetime.combine(LATER, datetime.min.time()), None])  # fmt: skip
    sheet.append(["黑公罚决字〔2024〕23号", "某某公司", BAD_USCC, None, "罚款", "罚款", "2024-03-03",
                  LATER.isoformat(), 1])  # fmt: skip
    sheet.append([None, "某某商行", OTHER_COMPANY, None, "罚款", "罚款", "2024-03-04", LATER.isoformat(), 1])
    sheet.append(
        [
            "黑公罚决字〔2024〕25号",
            "张三",
            None,
            PERSON,
            "警告",
            "警告",
            "2024年13月1日",
            LATER.isoformat(),
            None,
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = load(world, buffer.getvalue(), "cf.xlsx")
    assert report["inserted"] == 1
    assert errors_by_row(report) == {
        (4, "CF_XDR_ZJHM", "credit_code_as_number"),  # an ID number Excel turned into a number
        (5, "CF_XDR_SHXYM", "uscc_checksum"),
        (6, "CF_WSH", "credit_required"),
        (7, "CF_JDRQ", "date_invalid"),
    }
    assert [r["CF_WSH"] for r in public_records(world)] == ["黑公罚决字〔2024〕21号"]


def test_rows_as_json_over_http_with_english_messages(app, world):
    token = call_action("api_token_create", context={"user": world["editor"]["name"]}, user=world["editor"]["name"],
                        name="t")["token"]  # fmt: skip
    rows = [dict(zip(HEADER, row, strict=True)) for row in penalty_rows()[1:]]
    response = app.post(
        "/en/api/3/action/hlj_credit_rows_upsert",
        json={"id": world["dataset"]["name"], "rows": rows},
        headers={"Authorization": token},
    )
    result = response.json["result"]
    assert result["inserted"] == 3
    messages = {e["row"]: e["message"] for e in result["errors"]}
    assert messages[3] == "Unified social credit code: wrong check character"  # rows are numbered from 1


def test_multipart_upload_over_http(app, world):
    token = call_action("api_token_create", context={"user": world["editor"]["name"]}, user=world["editor"]["name"],
                        name="t")["token"]  # fmt: skip
    response = app.post(
        "/api/3/action/hlj_credit_rows_upsert",
        data={"id": world["dataset"]["id"], "upload": (io.BytesIO(to_csv(penalty_rows())), "cf.csv")},
        headers={"Authorization": token},
    )
    assert response.json["result"]["inserted"] == 3
    # The uploaded file itself is not kept as a resource (it holds full ID numbers).
    assert len(call_action("package_show", id=world["dataset"]["id"])["resources"]) == 1


def test_a_file_that_breaks_part_way_writes_nothing(world, monkeypatch):
    monkeypatch.setattr(store, "CHUNK_SIZE", 2)  # so that chunks were written before the break
    good = penalty_rows()[1:3]
    rows = [HEADER]
    for n in range(1, 800):  # > 64 KiB of good rows, so that the encoding sniff sees only UTF-8
        row = list(good[n % 2])
        row[5] = f"黑公罚决字〔2024〕{1000 + n}号"
        row[11] = "备注" * 20
        rows.append(row)
    data = to_csv(rows, "utf-8") + b"\xff\xfe broken\n"
    with pytest.raises(tk.ValidationError) as raised:
        load(world, data)
    assert "upload" in raised.value.error_dict
    assert audit(world) == [] and public_records(world) == []


def test_wrong_kind_of_file_is_refused(world):
    rows = [["XK_WSH", "XK_XDR_MC", "XK_NR", "XK_JDRQ"], ["黑公许字〔2024〕1号", "某公司", "x", "2024-01-01"]]
    with pytest.raises(tk.ValidationError) as raised:
        load(world, to_csv(rows))
    assert "行政许可" in raised.value.error_dict["upload"][0]


# ---------------------------------------------------------------------------------------------------------------
# Privacy


@pytest.mark.parametrize("viewer", ["anonymous", "outsider"])
def test_id_numbers_are_masked_in_search(world, viewer):
    load(world, to_csv(penalty_rows()))
    records = public_records(world, None if viewer == "anonymous" else world[viewer])
    person = next(r for r in records if r["CF_XDR_MC"] == "张三")
    assert person["CF_XDR_ZJHM"] == PERSON_MASKED
    assert person["BZ"] == f"当事人身份证号{PERSON_MASKED}"  # inside free text too
    assert person["party_code"].startswith("自然人-")
    assert PERSON not in json.dumps(records, ensure_ascii=False)
    # Full-text search on the public table cannot find the hidden digits either.
    assert public_records(world, q=PERSON) == []


def test_id_numbers_are_masked_in_downloads(app, world):
    load(world, to_csv(penalty_rows()))
    for fmt in ("csv", "tsv", "json", "xml"):
        text = app.get(f"/datastore/dump/{world['resource_id']}", query_string={"format": fmt}).data.decode(
            "utf-8-sig"
        )
        assert PERSON_MASKED in text, fmt
        assert PERSON not in text, fmt


def test_audit_copy_has_the_full_id_for_the_departments_editors(world):
    load(world, to_csv(penalty_rows()))
    person = audit(world, CF_XDR_MC="张三")[0]
    assert person["CF_XDR_ZJHM"] == PERSON
    assert person["BZ"] == f"当事人身份证号{PERSON}"
    assert person["party_code"] == PERSON


@pytest.mark.parametrize("viewer", ["anonymous", "outsider", "member"])
def test_audit_copy_is_not_readable_by_others(world, viewer):
    load(world, to_csv(penalty_rows()))
    with pytest.raises(tk.NotAuthorized):
        call_action(
            "hlj_credit_audit_search",
            context=ctx(None if viewer == "anonymous" else world[viewer]),
            id=world["dataset"]["id"],
        )


def test_audit_copy_is_out_of_the_datastores_reach(app, world):
    load(world, to_csv(penalty_rows()))
    package_id = world["dataset"]["id"]
    # Not a DataStore resource: no DataStore action or dump can name it.
    with pytest.raises(tk.ObjectNotFound):
        call_action("datastore_search", context=ctx(None), resource_id=package_id)
    app.get(f"/datastore/dump/{package_id}", status=404)
    # And the DataStore's read-only database role (what datastore_search_sql runs as) has no privilege on it.
    engine = sa.create_engine(tk.config["ckan.datastore.read_url"])
    with engine.connect() as conn, pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
        conn.execute(sa.text(f'SELECT * FROM {tables.AUDIT_SCHEMA}."{package_id}"'))
    engine.dispose()


def test_editors_cannot_write_the_public_table_directly(world):
    rows = [{"CF_WSH": "x", "party_code": "y", "CF_XDR_ZJHM": PERSON}]
    for action, data in [
        ("datastore_upsert", {"resource_id": world["resource_id"], "records": rows, "method": "insert"}),
        ("datastore_delete", {"resource_id": world["resource_id"]}),
        ("datastore_create", {"resource": {"package_id": world["dataset"]["id"]}, "records": rows}),
    ]:
        with pytest.raises(tk.NotAuthorized):
            call_action(action, context=ctx(world["editor"]), **data)
    with pytest.raises(tk.NotAuthorized):
        call_action(
            "hlj_credit_rows_upsert", context=ctx(world["outsider"]), id=world["dataset"]["id"], rows=[]
        )


# ---------------------------------------------------------------------------------------------------------------
# Leaving public view


def test_expiry_moves_a_record_past_its_publicity_end_to_the_audit_copy(world):
    load(world, to_csv(penalty_rows()))
    assert len(public_records(world)) == 3
    after = (TODAY + timedelta(days=11)).isoformat()
    with pytest.raises(tk.NotAuthorized):  # editors may not move the date
        call_action("hlj_credit_expire", context=ctx(world["editor"]), id=world["dataset"]["id"], as_of=after)
    result = call_action("hlj_credit_expire", context=ctx(world["sysadmin"]), as_of=after)
    assert result["expired"] == 1
    assert "黑公罚决字〔2024〕17号" not in {r["CF_WSH"] for r in public_records(world)}
    kept = audit(world, CF_WSH="黑公罚决字〔2024〕17号")[0]
    assert kept["expired_at"] is not None
    assert [r["CF_WSH"] for r in audit(world, state="expired")] == ["黑公罚决字〔2024〕17号"]
    # Run again (the daily job): nothing more to move.
    moved = jobs.expire_all(after)
    assert moved[world["dataset"]["id"]] == 0 and sum(moved.values()) == 0


def test_a_record_already_past_its_publicity_end_goes_to_the_audit_copy_only(world):
    rows = penalty_rows()[:2]
    rows[1][10] = (TODAY - timedelta(days=1)).isoformat()
    rows[1][9] = (TODAY - timedelta(days=400)).isoformat()
    report = load(world, to_csv(rows))
    assert (report["inserted"], report["published"], report["held_back"]) == (1, 0, 1)
    assert public_records(world) == [] and len(audit(world)) == 1


def test_withdrawal_after_credit_repair(world):
    load(world, to_csv(penalty_rows()))
    pseudonym = next(r for r in public_records(world) if r["CF_XDR_MC"] == "张三")["party_code"]
    result = call_action(
        "hlj_credit_withdraw",
        context=ctx(world["editor"]),
        id=world["dataset"]["id"],
        keys=[{"decision_number": "黑公罚决字[2024]13号", "party_code": pseudonym}],
        reason="信用修复",
    )
    assert result["withdrawn"] == [{"decision_number": "黑公罚决字〔2024〕13号", "party_code": PERSON}]
    assert "张三" not in {r["CF_XDR_MC"] for r in public_records(world)}
    kept = audit(world, state="withdrawn")
    assert [(r["CF_XDR_MC"], r["withdrawn_reason"], r["withdrawn_by"]) for r in kept] == [
        ("张三", "信用修复", world["editor"]["name"])
    ]
    # Loading the same file again does not bring it back.
    load(world, to_csv(penalty_rows("罚款2000元，已缴纳")))
    assert "张三" not in {r["CF_XDR_MC"] for r in public_records(world)}
    call_action(
        "hlj_credit_restore",
        context=ctx(world["editor"]),
        id=world["dataset"]["id"],
        decision_number="黑公罚决字〔2024〕13号",
        party_code=PERSON,
    )
    assert "张三" in {r["CF_XDR_MC"] for r in public_records(world)}


# ---------------------------------------------------------------------------------------------------------------
# Idempotency


def test_reupload_is_idempotent_and_updates_keep_first_seen_at(world):
    first = load(world, to_csv(penalty_rows()))
    before = {r["CF_WSH"]: r for r in public_records(world)}
    again = load(world, to_csv(penalty_rows()))
    assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 0, 3)
    assert again["error_count"] == first["error_count"] == 3
    assert {r["CF_WSH"]: r for r in public_records(world)} == before

    changed = load(world, to_csv(penalty_rows("罚款2000元，已缴纳")))
    assert (changed["inserted"], changed["updated"], changed["unchanged"]) == (0, 1, 2)
    after = {r["CF_WSH"]: r for r in public_records(world)}
    number = "黑公罚决字〔2024〕12号"
    assert after[number]["CF_NR"] == "罚款2000元，已缴纳"
    assert after[number]["first_seen_at"] == before[number]["first_seen_at"]
    assert after[number]["source_updated_at"] > before[number]["source_updated_at"]
    untouched = "黑公罚决字〔2024〕17号"
    assert after[untouched]["source_updated_at"] == before[untouched]["source_updated_at"]
    kept = audit(world, CF_WSH=number)[0]
    assert kept["CF_NR"] == "罚款2000元，已缴纳" and kept["last_changed_at"] > kept["first_seen_at"]


def test_duplicate_keys_in_one_file_the_later_row_wins(world):
    rows = penalty_rows()[:3]
    rows.append(list(rows[1]))
    rows[-1][7] = "罚款3000元"
    report = load(world, to_csv(rows))
    assert report["duplicates"] == [{"row": 4, "same_as": 2}]
    assert audit(world, party_code=COMPANY)[0]["CF_NR"] == "罚款3000元"


def test_republish_rebuilds_the_public_table_from_the_audit_copy(world):
    load(world, to_csv(penalty_rows()))
    before = sorted((r["CF_WSH"], r["CF_XDR_ZJHM"], r["party_code"]) for r in public_records(world))
    result = call_action("hlj_credit_republish", context=ctx(world["editor"]), id=world["dataset"]["id"])
    assert result["published"] == 3
    assert sorted((r["CF_WSH"], r["CF_XDR_ZJHM"], r["party_code"]) for r in public_records(world)) == before


def test_cli_load_and_expire(world, tmp_path):
    path = tmp_path / "cf.csv"
    path.write_bytes(to_csv(penalty_rows()))
    runner = CliRunner()
    result = runner.invoke(credit, ["load", world["dataset"]["name"], str(path)])
    assert result.exit_code == 1  # bad rows were reported
    assert json.loads(result.output)["inserted"] == 3
    after = (TODAY + timedelta(days=11)).isoformat()
    result = runner.invoke(credit, ["expire", "--as-of", after])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("1 records left public view")
