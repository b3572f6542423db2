"""Data-side protections: the DataStore (no raw SQL for the public; private resources refused), XML read without
entity expansion at every place the code parses it, and uploads limited in size and type (CKAN's own limits for
resources and images, ours for Excel workbooks). Through the real stack."""

from __future__ import annotations

import importlib.util
import io
import re
import time
import zipfile
from pathlib import Path

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action, call_auth
from test_excel import service_item, service_workbook

from ckanext.hlj.catalogue import credit, credit_formats
from ckanext.hlj.catalogue.errors import InvalidValue
from ckanext.hlj.harvesters.site import _html, feeds

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

ROOT = Path(__file__).resolve().parents[1]


def api(app, action_name: str, token: str | None = None, **kwargs):
    headers = {"Authorization": token} if token else {}
    return app.post(f"/api/3/action/{action_name}", headers=headers, **kwargs)


# --- DataStore ----------------------------------------------------------------------------------------------------


@pytest.fixture
def datastore_world(make_organization):
    sysadmin = factories.SysadminWithToken()
    member = factories.UserWithToken()
    stranger = factories.UserWithToken()
    org = make_organization(
        name="hlj-ds-org", title="数据机构", users=[{"name": member["name"], "capacity": "member"}]
    )
    dataset = factories.Dataset(owner_org=org["id"], private=True, name="private-table")
    resource = factories.Resource(package_id=dataset["id"], url="https://example.gov.cn/t.csv")
    call_action(
        "datastore_create",
        context={"user": sysadmin["name"]},
        resource_id=resource["id"],
        force=True,
        fields=[{"id": "name", "type": "text"}, {"id": "id_number", "type": "text"}],
        records=[{"name": "张三", "id_number": "230102199001011234"}],
    )
    return {"sysadmin": sysadmin, "member": member, "stranger": stranger, "resource": resource}


def test_datastore_reads_of_a_private_resource_are_refused_to_outsiders(app, datastore_world):
    rid = datastore_world["resource"]["id"]
    for action_name in ("datastore_search", "datastore_info"):
        for who in (None, datastore_world["stranger"]["token"]):
            response = api(app, action_name, who, json={"resource_id": rid, "id": rid})
            assert response.status_code == 403, (action_name, response.body)
            assert "230102199001011234" not in response.body
    dump = app.get(f"/datastore/dump/{rid}")
    assert dump.status_code in (403, 404) and "230102199001011234" not in dump.body
    member = api(app, "datastore_search", datastore_world["member"]["token"], json={"resource_id": rid})
    assert member.status_code == 200 and member.json["result"]["records"][0]["name"] == "张三"


def test_raw_sql_over_the_datastore_is_off(app, datastore_world):
    rid = datastore_world["resource"]["id"]
    sql = f'SELECT * FROM "{rid}"'
    assert tk.config.get("ckan.datastore.sqlsearch.enabled") is False
    for who in (None, datastore_world["sysadmin"]["token"]):
        response = api(app, "datastore_search_sql", who, json={"sql": sql})
        assert response.status_code == 400 and "230102199001011234" not in response.body  # no such action


@pytest.mark.ckan_config("ckan.datastore.sqlsearch.enabled", "true")
def test_raw_sql_turned_on_by_mistake_stays_a_sysadmins_tool(app, datastore_world):
    sql = "SELECT 1 AS one"
    for who in (None, datastore_world["member"]["token"], datastore_world["stranger"]["token"]):
        response = api(app, "datastore_search_sql", who, json={"sql": sql})
        assert response.status_code == 403, response.body
    with pytest.raises(tk.NotAuthorized):
        call_auth("datastore_search_sql", {"user": datastore_world["stranger"]["name"]}, sql=sql)
    allowed = api(app, "datastore_search_sql", datastore_world["sysadmin"]["token"], json={"sql": sql})
    assert allowed.status_code == 200 and allowed.json["result"]["records"] == [{"one": 1}]


# --- XML ----------------------------------------------------------------------------------------------------------

BILLION_LAUGHS_DTD = '<!DOCTYPE lolz [<!ENTITY lol0 "lol">' + "".join(
    f'<!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">' for i in range(1, 10)
)


def billion_laughs(root: str, inner: str) -> bytes:
    """A document whose root is ``root`` and whose ``inner`` markup uses &lol9; (10^9 "lol"s when expanded)."""
    return (f'<?xml version="1.0"?>\n{BILLION_LAUGHS_DTD}]>\n<{root}>{inner}</{root}>').encode()


def external_entity(root: str, inner: str, target: Path) -> bytes:
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{target}">]>\n<{root}>{inner}</{root}>'
    ).encode()


@pytest.fixture
def secret_file(tmp_path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text("TOP-SECRET-FILE-CONTENT", "utf-8")
    return path


def quick(seconds: float = 5.0):
    """Fails a block that takes longer than ``seconds`` (entity expansion would)."""

    class _Timer:
        def __enter__(self):
            self.start = time.monotonic()

        def __exit__(self, *exc):
            assert time.monotonic() - self.start < seconds, "parsing took too long: entities expanded?"
            return False

    return _Timer()


def test_rss_feeds_are_parsed_without_entities(secret_file):
    item = "<item><title>&{};</title><link>https://www.gov.cn/a.htm</link></item>"
    with quick(), pytest.raises(InvalidValue):
        feeds.parse_feed(
            billion_laughs("rss", f"<channel>{item.format('lol9')}</channel>"), "https://x.gov.cn/"
        )
    with quick():
        try:
            entries = feeds.parse_feed(
                external_entity("rss", f"<channel>{item.format('xxe')}</channel>", secret_file),
                "https://x.gov.cn/",
            )
        except InvalidValue:
            entries = []
    assert all("TOP-SECRET" not in e.title for e in entries)


def test_credit_exchange_xml_is_parsed_without_entities(secret_file):
    record = "<record><XK_XDR_MC>&{};</XK_XDR_MC><XK_WSH>许可1</XK_WSH></record>"
    for document in (
        billion_laughs("records", record.format("lol9")),
        external_entity("records", record.format("xxe"), secret_file),
    ):
        with quick(), pytest.raises(InvalidValue) as refused:
            list(credit_formats.read_xml(io.BytesIO(document)).rows)
        assert refused.value.code.endswith("unsafe_xml") and "TOP-SECRET" not in str(refused.value.__dict__)


def test_harvested_html_is_parsed_without_entities(secret_file):
    for document in (
        billion_laughs("html", "<body><p>&lol9;</p></body>"),
        external_entity("html", "<body><p>&xxe;</p></body>", secret_file),
    ):
        with quick():
            page = _html.parse_html(document.decode(), "https://x.gov.cn/a.html")
        text = page.root.text_content()
        assert "TOP-SECRET" not in text and text.count("lol") < 100


def _workbook_with(member: str, xml: bytes, base: bytes) -> bytes:
    """``base`` (an .xlsx) with one part replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, xml if info.filename == member else src.read(info.filename))
    return out.getvalue()


def _hostile_workbooks(secret: Path) -> list[bytes]:
    """A valid import workbook whose first sheet's first cell uses an entity: the billion laughs, then an external
    entity reading ``secret``."""
    base = service_workbook([service_item(1)])
    with zipfile.ZipFile(io.BytesIO(base)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    sheet = re.sub(r"^<\?xml[^>]*\?>", "", sheet).strip()
    cell = '<c r="A1" t="inlineStr"><is><t>&{};</t></is></c>'
    out = []
    for entity, doctype in (
        ("lol9", BILLION_LAUGHS_DTD + "]>"),
        ("xxe", f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{secret}">]>'),
    ):
        body, replaced = re.subn(r'<c r="A1"[^>]*?(/>|>.*?</c>)', cell.format(entity), sheet, count=1)
        assert replaced == 1
        out.append(
            _workbook_with(
                "xl/worksheets/sheet1.xml", f'<?xml version="1.0"?>\n{doctype}\n{body}'.encode(), base
            )
        )
    return out


def test_excel_and_credit_workbooks_are_parsed_without_entities(app, secret_file, make_organization):
    sysadmin = factories.SysadminWithToken()
    org = make_organization(name="hlj-xml-org", title="XML 测试机构")
    for content in _hostile_workbooks(secret_file):
        with quick():
            response = api(
                app,
                "hlj_import_create",
                sysadmin["token"],
                data={
                    "type": "service-item",
                    "owner_org": org["name"],
                    "upload": (io.BytesIO(content), "x.xlsx"),
                },
            )
        assert response.status_code in (200, 409), response.body
        assert "TOP-SECRET" not in response.body and response.body.count("lol") < 100
        with quick():
            try:
                table = credit.read_table(io.BytesIO(content), filename="x.xlsx")
                cells = [str(v) for _, row in table.rows for v in row.values()]
            except Exception as refused:  # refused, one way or another: what matters is what was not read
                cells = [str(refused), str(getattr(refused, "__dict__", ""))]
        assert not any("TOP-SECRET" in c or c.count("lol") > 100 for c in cells)


def test_every_xml_parser_in_the_code_is_known_and_safe():
    """Each place that parses XML is listed here and tested above; lxml parsers are configured without entity
    resolution or network access. A new parser fails this test until it is reviewed and added."""
    pattern = re.compile(
        r"etree\.(fromstring|parse|XML|iterparse|XMLParser)\b|ElementTree|minidom|xml\.sax(?!\.saxutils)|expatbuilder"
        r"|load_workbook|html\.(fromstring|document_fromstring|parse)\b"
    )
    found = {}
    for folder in ("ckanext-hlj", "harvesters", "catalogue", "schemas", "solr", "scripts"):
        for path in (ROOT / folder).rglob("*.py"):
            if "sample_site" in path.parts:
                continue
            text = path.read_text("utf-8")
            hits = sorted({m.group(0) for m in pattern.finditer(text)})
            if hits:
                found[str(path.relative_to(ROOT))] = hits
    assert set(found) == {
        "harvesters/site/feeds.py",  # RSS/Atom: lxml XMLParser, entities refused (tested above)
        "harvesters/site/_html.py",  # HTML: lxml's HTML parser (tested above)
        "catalogue/credit_formats.py",  # credit XML: lxml iterparse, DOCTYPE refused (tested above)
        "catalogue/credit.py",  # credit XLSX: openpyxl (defusedxml / lxml without entities; tested above)
        "ckanext-hlj/excel/importer.py",  # Excel import: openpyxl (tested above)
        "solr/build_configset.py",  # CKAN's and our own schema files at build time (tested below)
    }, found
    for path in ("harvesters/site/feeds.py", "catalogue/credit_formats.py"):
        text = (ROOT / path).read_text("utf-8")
        assert "resolve_entities=False" in text and "no_network=True" in text and "load_dtd=False" in text


def test_the_configset_builder_refuses_entity_bombs(tmp_path):
    spec = importlib.util.spec_from_file_location("hlj_build_configset", ROOT / "solr" / "build_configset.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    bomb = tmp_path / "schema.xml"
    bomb.write_bytes(billion_laughs("schema", "<fields>&lol9;</fields>"))
    additions = ROOT / "solr" / "conf" / "hlj-schema-additions.xml"
    with quick(), pytest.raises(Exception, match=r"amplification|entity|limit"):
        module.merge(bomb, additions)


# --- uploads ------------------------------------------------------------------------------------------------------


@pytest.fixture
def uploader(make_organization):
    sysadmin = factories.SysadminWithToken()
    editor = factories.UserWithToken()
    org = make_organization(
        name="hlj-upload-org", title="上传测试机构", users=[{"name": editor["name"], "capacity": "editor"}]
    )
    dataset = factories.Dataset(owner_org=org["id"], name="upload-target")
    return {"sysadmin": sysadmin, "editor": editor, "org": org, "dataset": dataset}


def test_upload_limits_are_configured():
    assert tk.config.get("ckan.max_resource_size") == 50 and tk.config.get("ckan.max_image_size") == 2
    for kind in ("user", "group"):
        assert tk.config.get(f"ckan.upload.{kind}.types") == ["image"]
        assert tk.config.get(f"ckan.upload.{kind}.mimetypes") == ["image/png", "image/gif", "image/jpeg"]


@pytest.mark.ckan_config("ckan.max_resource_size", "1")
def test_a_resource_upload_over_the_size_limit_is_refused(app, uploader):
    big = b"a,b\n" + b"1,2\n" * 300_000  # 1.2 MB
    response = api(
        app,
        "resource_create",
        uploader["editor"]["token"],
        data={"package_id": uploader["dataset"]["id"], "name": "big", "upload": (io.BytesIO(big), "big.csv")},
    )
    assert response.status_code in (400, 409, 413), response.body
    assert call_action("package_show", id=uploader["dataset"]["id"])["resources"] == []
    small = api(
        app,
        "resource_create",
        uploader["editor"]["token"],
        data={
            "package_id": uploader["dataset"]["id"],
            "name": "small",
            "upload": (io.BytesIO(b"a,b\n1,2\n"), "s.csv"),
        },
    )
    assert small.status_code == 200, small.body


def test_an_uploaded_html_resource_is_downloaded_not_rendered(app, uploader):
    page = b"<html><body><script>alert('hljxss')</script></body></html>"
    created = api(
        app,
        "resource_create",
        uploader["editor"]["token"],
        data={
            "package_id": uploader["dataset"]["id"],
            "name": "page",
            "upload": (io.BytesIO(page), "page.html"),
        },
    ).json["result"]
    download = app.get(f"/dataset/{uploader['dataset']['id']}/resource/{created['id']}/download/page.html")
    assert download.status_code == 200
    disposition = download.headers.get("Content-Disposition", "")
    content_type = download.headers.get("Content-Type", "")
    assert disposition.startswith("attachment") or "html" not in content_type, (disposition, content_type)


def test_svg_and_other_non_images_are_refused_as_organisation_images(app, uploader):
    before = call_action("organization_show", id=uploader["org"]["id"]).get("image_url")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
    for body, name in ((svg, "logo.svg"), (b"<html><script>alert(1)</script></html>", "logo.png")):
        response = api(
            app,
            "organization_patch",
            uploader["sysadmin"]["token"],
            data={"id": uploader["org"]["id"], "image_upload": (io.BytesIO(body), name)},
        )
        assert response.status_code in (400, 409), (name, response.body)
    assert call_action("organization_show", id=uploader["org"]["id"]).get("image_url") == before


def import_response(app, token: str, org: dict, content: bytes, filename: str = "items.xlsx"):
    return api(
        app,
        "hlj_import_create",
        token,
        data={"type": "service-item", "owner_org": org["name"], "upload": (io.BytesIO(content), filename)},
    )


def test_excel_uploads_must_be_workbooks(app, uploader):
    token, org = uploader["editor"]["token"], uploader["org"]
    good = service_workbook([service_item(1)])
    for content, name in (
        (b"<html><script>alert(1)</script></html>", "items.xlsx"),  # not a ZIP
        (good, "items.html"),  # a workbook under another name
        (_zip({"a.txt": b"hello"}), "items.xlsx"),  # a ZIP, but no workbook
    ):
        response = import_response(app, token, org, content, name)
        assert response.status_code == 409 and "Excel" in response.body, (name, response.body)
    assert import_response(app, token, org, good).status_code == 200


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.ckan_config("ckanext.hlj.security.excel_max_bytes", "4096")
def test_an_excel_upload_over_the_size_limit_is_refused(app, uploader):
    content = service_workbook([service_item(n) for n in range(1, 40)])
    assert len(content) > 4096
    response = import_response(app, uploader["editor"]["token"], uploader["org"], content)
    assert response.status_code == 409 and "过大" in response.json["error"]["upload"][0], response.body
    assert (
        call_action("package_search", fq='+dataset_type:"service-item"', include_private=True)["count"] == 0
    )


@pytest.mark.ckan_config("ckanext.hlj.security.excel_max_unzipped_bytes", "5000000")
def test_a_zip_bomb_workbook_is_refused(app, uploader):
    good = service_workbook([service_item(1)])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
        dst.writestr("xl/media/padding.bin", b"\0" * 6_000_000)  # 6 MB of zeros: a few kB compressed
    content = out.getvalue()
    assert len(content) < 100_000
    response = import_response(app, uploader["editor"]["token"], uploader["org"], content)
    assert response.status_code == 409 and "解压" in response.json["error"]["upload"][0], response.body
