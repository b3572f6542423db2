"""DCAT-AP 3 output through ckanext-dcat's endpoints and our hlj_dcat profile, against the real stack.

Each type's record is read back from /dataset/<id>.ttl and its triples queried with rdflib; the catalogue pages
through hydra links and never shows a private record; Turtle, RDF/XML and JSON-LD describe the same graph; and
the catalogue validates against SEMIC's DCAT-AP 3.0.0 SHACL shapes (ckanext-hlj/dcat/shacl) with pyshacl.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS

from ckanext.hlj.catalogue import uscc

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

ROOT = Path(__file__).resolve().parents[1]
SHAPES = ROOT / "ckanext-hlj" / "dcat" / "shacl" / "dcat-ap_3_shacl_shapes.ttl"
SITE = (
    "http://test.ckan.net"  # ckan.site_url of tests/test.ini, the catalogue URI without ckanext.dcat.base_uri
)
ADMS = Namespace("http://www.w3.org/ns/adms#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
ACCESS = "http://publications.europa.eu/resource/authority/access-right/"
ZHO = URIRef("http://publications.europa.eu/resource/authority/language/ZHO")


def make_uscc(org_code8: str) -> str:
    """A valid 统一社会信用代码 of a Heilongjiang body registered by 机构编制 (11), around an organisation code."""
    return uscc.make_uscc("11230000" + org_code8 + uscc.org_code_check_char(org_code8))


PROVINCE_USCC = make_uscc("MB123456")
CITY_USCC = make_uscc("MB654321")
BODY_USCC = make_uscc("MB111222")


@pytest.fixture
def sysadmin():
    return factories.Sysadmin()


@pytest.fixture
def province_org(make_organization):
    return make_organization(
        name="hlj-scjgj", title="黑龙江省市场监督管理局", uscc=PROVINCE_USCC, region_code="230000"
    )


@pytest.fixture
def city_org(make_organization):
    return make_organization(
        name="hrb-zwfw",
        title="哈尔滨市政务服务管理局",
        uscc=CITY_USCC,
        admin_level="city",
        region_code="230100",
    )


# One public record of each type, with the fields the mapping reads.
def records(province: dict[str, Any], city: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        "disclosure": {
            "type": "disclosure",
            "name": "xzxk-jieguo",
            "title": "行政许可事项办理结果",
            "owner_org": province["id"],
            "item_level1": "行政许可",
            "item_level2": "许可结果",
            "disclosure_category": "结果公开",
            "notes": "许可决定书文号、许可内容、行政相对人名称",
            "deadline_rule": "decision_publication_7wd",
            "disclosure_channel": ["政府网站"],
            "disclosure_audience": "全社会",
            "disclosure_mode": "主动",
            "disclosure_attribute": "主动公开",
            "responsible_division": "行政审批处",
            "contact_phone": "0451-82345678",
            "contact_email": "xzsp@example.gov.cn",
        },
        "service-item": {
            "type": "service-item",
            "name": "xiaofang-sheji-shencha",
            "title": "建设工程消防设计审查",
            "owner_org": city["id"],
            "item_type": "行政许可",
            "basic_code": "000172009000",
            "implementing_uscc": BODY_USCC,
            "implementation_code": BODY_USCC + "1000172009000",
            "implementing_body": "哈尔滨市住房和城乡建设局",
            "exercise_level": ["地市级"],
            "region_code": "230102",  # 道里区: the item's own region, not the organisation's
            "legal_basis": "《中华人民共和国消防法》第十一条",
            "consultation_phone": "0451-82345678",
            "complaint_phone": "12345",
        },
        "open-data": {
            "type": "open-data",
            "name": "kongqi-zhiliang",
            "title": "哈尔滨市空气质量监测数据",
            "owner_org": city["id"],
            "resource_code": "230100-06-0001",
            "notes": "全市监测站点的逐时空气质量指数",
            "data_domain": "生态环境",
            "open_type": "有条件开放",
            "open_conditions": "注册并签署数据使用协议",
            "update_frequency": "实时",
            "first_published": "2023-06-01",
            "resources": [
                {"url": "http://example.gov.cn/aqi.csv", "name": "空气质量指数", "format": "CSV"},
                {"url": "http://example.gov.cn/aqi-note.ofd", "name": "数据说明", "format": "OFD"},
            ],
        },
        "policy": {
            "type": "policy",
            "name": "shishi-yijian",
            "title": "关于全面推进政务公开工作的实施意见",
            "owner_org": province["id"],
            "policy_role": "document",
            "issuer": "黑龙江省人民政府办公厅",
            "issuer_level": "省政府",
            "index_no": "11230000MB0000001X/2017-00010",
            "doc_number": "黑政办发〔2017〕10号",
            "written_date": "2017-03-20",
            "source_published_at": "2017-03-22T10:30:00+08:00",
            "changed_date": "2018-01-05",
            "policy_topic": "02.01",
            "disclosure_attribute": "主动公开",
            "source_url": "https://www.hlj.gov.cn/zwgk/2017/03/10.html",
        },
        "credit-publication": {
            "type": "credit-publication",
            "name": "xzcf-gongshi",
            "title": "行政处罚信息公示",
            "owner_org": province["id"],
            "credit_kind": "行政处罚",
        },
        "consultation": {
            "type": "consultation",
            "name": "zqyj-banfa",
            "title": "关于公开征求《黑龙江省某办法（征求意见稿）》意见的公告",
            "owner_org": province["id"],
            "draft_kind": "policy_measure",
            "notes": "起草背景和主要内容",
            "opens_on": "2024-03-01",
            "closes_on": "2024-03-31",
            "comment_channels": ["gov_website", "email"],
        },
        "response": {
            "type": "response",
            "name": "yuqing-huiying",
            "title": "关于网传某事件的情况通报",
            "owner_org": city["id"],
            "severity": "general",
            "event_at": "2024-05-01T08:00:00+08:00",
            "first_release_at": "2024-05-01T11:00:00+08:00",
        },
    }


# What each record must say in DCAT: (dct:identifier, adms:identifier notations, access right, dct:issued, themes
# as (code list, code), GB/T 2260 code of dct:spatial, publisher's USCC).
EXPECTED = {
    "disclosure": (None, [], "PUBLIC", None, [], "230000", PROVINCE_USCC),
    "service-item": (
        BODY_USCC + "1000172009000",
        ["000172009000"],
        "PUBLIC",
        None,
        [],
        "230102",
        CITY_USCC,
    ),
    "open-data": (
        "230100-06-0001",
        [],
        "RESTRICTED",
        "2023-06-01",
        [("data_domain", "ecology")],
        "230100",
        CITY_USCC,
    ),
    "policy": (
        "11230000MB0000001X/2017-00010",
        ["黑政办发〔2017〕10号"],
        "PUBLIC",
        "2017-03-22T10:30:00+08:00",
        [("policy_topic", "02.01")],
        "230000",
        PROVINCE_USCC,
    ),
    "credit-publication": (None, [], "PUBLIC", None, [], "230000", PROVINCE_USCC),
    "consultation": (None, [], "PUBLIC", "2024-03-01", [], "230000", PROVINCE_USCC),
    "response": (None, [], "PUBLIC", "2024-05-01T11:00:00+08:00", [], "230100", CITY_USCC),
}


def create(user: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    return call_action("package_create", context={"user": user["name"]}, **data)


def rdf(app, url: str, fmt: str = "turtle", **kwargs) -> Graph:
    response = app.get(url, **kwargs)
    assert response.status_code == 200, response.body
    return Graph().parse(data=response.body, format=fmt)


def dataset_uri(record: dict[str, Any]) -> URIRef:
    return URIRef(f"{SITE}/dataset/{record['id']}")


def catalogue_datasets(graph: Graph) -> set[str]:
    return {str(d) for d in graph.objects(URIRef(SITE), DCAT.dataset)}


@pytest.mark.parametrize("dataset_type", sorted(EXPECTED))
def test_each_type_serialises_with_its_mapped_properties(app, sysadmin, province_org, city_org, dataset_type):
    record = create(sysadmin, records(province_org, city_org)[dataset_type])
    assert record["private"] is False, "a public record"
    identifier, alternates, access, issued, themes, region, publisher_uscc = EXPECTED[dataset_type]

    g = rdf(app, f"/dataset/{record['id']}.ttl")
    ds = dataset_uri(record)

    assert (ds, RDF.type, DCAT.Dataset) in g
    assert list(g.objects(ds, DCTERMS.identifier)) == [Literal(identifier or record["id"])]
    notations = {str(g.value(i, SKOS.notation)) for i in g.objects(ds, ADMS.identifier)}
    assert notations == set(alternates)
    assert list(g.objects(ds, DCTERMS.accessRights)) == [URIRef(ACCESS + access)]
    assert list(g.objects(ds, DCTERMS.language)) == [ZHO]
    assert Literal(record["title"], lang="zh") in set(g.objects(ds, DCTERMS.title))
    created = record["metadata_created"] + "+00:00"  # CKAN's UTC timestamps, with their zone
    assert [str(v) for v in g.objects(ds, DCTERMS.issued)] == [issued or created]

    assert {str(t) for t in g.objects(ds, DCAT.theme)} == {f"{SITE}/def/{cl}/{code}" for cl, code in themes}
    for theme in g.objects(ds, DCAT.theme):
        assert (theme, RDF.type, SKOS.Concept) in g
        assert {v.language for v in g.objects(theme, SKOS.prefLabel)} == {"zh", "en"}

    (spatial,) = g.objects(ds, DCTERMS.spatial)
    assert spatial == URIRef(f"{SITE}/def/gbt2260/{region}")
    assert (spatial, RDF.type, DCTERMS.Location) in g

    (publisher,) = g.objects(ds, DCTERMS.publisher)
    assert publisher == URIRef(f"{SITE}/organization/{record['owner_org']}")
    assert (publisher, RDF.type, FOAF.Agent) in g
    org = province_org if publisher_uscc == PROVINCE_USCC else city_org
    assert list(g.objects(publisher, FOAF.name)) == [Literal(org["title"], lang="zh")]
    assert list(g.objects(publisher, DCTERMS.identifier)) == [Literal(publisher_uscc)]
    (uscc_node,) = g.objects(publisher, ADMS.identifier)
    assert g.value(uscc_node, SKOS.notation) == Literal(publisher_uscc)


def test_details_of_the_mapping(app, sysadmin, province_org, city_org):
    made = {t: create(sysadmin, d) for t, d in records(province_org, city_org).items()}

    data = rdf(app, f"/dataset/{made['open-data']['id']}.ttl")
    ds = dataset_uri(made["open-data"])
    assert list(data.objects(ds, DCTERMS.accrualPeriodicity)) == [
        URIRef("http://publications.europa.eu/resource/authority/frequency/UPDATE_CONT")
    ]
    formats = {
        data.value(d, DCTERMS["format"]) for d in data.objects(ds, DCAT.distribution)
    }  # CSV from the EU table; OFD, which it lacks, described rather than invented
    assert URIRef("http://publications.europa.eu/resource/authority/file-type/CSV") in formats
    (ofd,) = [f for f in formats if not isinstance(f, URIRef)]
    assert str(data.value(ofd, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))) == "OFD"
    assert data.value(URIRef(f"{SITE}/organization/{city_org['id']}"), DCTERMS.type) == URIRef(
        "http://purl.org/adms/publishertype/LocalAuthority"
    )

    policy = rdf(app, f"/dataset/{made['policy']['id']}.ttl")
    ds = dataset_uri(made["policy"])
    assert [str(v) for v in policy.objects(ds, DCTERMS.modified)] == ["2018-01-05"]
    (creator,) = policy.objects(ds, DCTERMS.creator)
    assert str(policy.value(creator, FOAF.name)) == "黑龙江省人民政府办公厅"
    topic = URIRef(f"{SITE}/def/policy_topic/02.01")
    assert policy.value(topic, SKOS.broader) == URIRef(f"{SITE}/def/policy_topic/02")
    assert policy.value(topic, SKOS.inScheme) == URIRef(f"{SITE}/def/policy_topic")
    assert URIRef("https://www.hlj.gov.cn/zwgk/2017/03/10.html") in set(policy.objects(ds, FOAF.page))
    assert policy.value(ds, DCAT.landingPage) == URIRef(f"{SITE}/policy/shishi-yijian")

    item = rdf(app, f"/dataset/{made['disclosure']['id']}.ttl")
    (contact,) = item.objects(dataset_uri(made["disclosure"]), DCAT.contactPoint)
    vcard = Namespace("http://www.w3.org/2006/vcard/ns#")
    assert item.value(contact, vcard.fn) == Literal("行政审批处", lang="zh")
    assert item.value(contact, vcard.hasEmail) == URIRef("mailto:xzsp@example.gov.cn")
    assert item.value(contact, vcard.hasTelephone) == URIRef("tel:0451-82345678")
    spatial = URIRef(f"{SITE}/def/gbt2260/230000")
    assert item.value(spatial, SKOS.prefLabel) == Literal("黑龙江省", lang="zh")


@pytest.mark.ckan_config("ckanext.hlj.dcat.spatial_base_uri", "https://opendata.example.gov.cn/def/gbt2260")
@pytest.mark.ckan_config("ckanext.hlj.dcat.theme_base_uri", "https://opendata.example.gov.cn/vocab/")
def test_uri_bases_come_from_the_config(app, sysadmin, province_org, city_org):
    record = create(sysadmin, records(province_org, city_org)["open-data"])
    g = rdf(app, f"/dataset/{record['id']}.ttl")
    ds = dataset_uri(record)
    assert list(g.objects(ds, DCTERMS.spatial)) == [
        URIRef("https://opendata.example.gov.cn/def/gbt2260/230100")
    ]
    assert URIRef("https://opendata.example.gov.cn/vocab/data_domain/ecology") in set(
        g.objects(ds, DCAT.theme)
    )


def test_catalogue_publisher_is_the_configured_organisation(
    app, make_organization, province_org, ckan_config
):
    catalogue = URIRef(SITE)
    site = rdf(app, "/catalog.ttl")
    (publisher,) = site.objects(catalogue, DCTERMS.publisher)
    assert site.value(publisher, FOAF.name) == Literal("黑龙江省政务公开平台", lang="zh"), "unset: the portal"

    ckan_config["ckanext.hlj.dcat.catalog_publisher"] = province_org["name"]
    configured = rdf(app, "/catalog.ttl")
    assert list(configured.objects(catalogue, DCTERMS.publisher)) == [
        URIRef(f"{SITE}/organization/{province_org['id']}")
    ]
    assert configured.value(
        URIRef(f"{SITE}/organization/{province_org['id']}"), DCTERMS.identifier
    ) == Literal(PROVINCE_USCC)
    assert list(configured.objects(catalogue, DCTERMS.language)) == [ZHO]
    assert set(configured.objects(catalogue, DCAT.themeTaxonomy)) == {
        URIRef(f"{SITE}/def/data_domain"),
        URIRef(f"{SITE}/def/policy_topic"),
    }


def private_records(sysadmin, province_org, make_organization) -> list[dict[str, Any]]:
    """Records that must stay out of the catalogue: under review, 依申请公开 / 不予公开 items, a 不予开放 data
    resource and an entry of the register of applications."""
    reviewed = make_organization(
        name="hlj-sfj", title="黑龙江省司法厅", region_code="230000", review_required=True
    )
    base = records(province_org, province_org)
    withheld = {
        **base["disclosure"],
        "name": "buyu-gongkai",
        "disclosure_attribute": "不予公开",
        "withholding_reason": "涉及国家秘密",
        "withholding_ground": "art14_state_secret",
    }
    return [
        create(sysadmin, {**base["policy"], "name": "daishen", "owner_org": reviewed["id"]}),
        create(sysadmin, {**base["disclosure"], "name": "yishenqing", "disclosure_attribute": "依申请公开"}),
        create(sysadmin, withheld),
        create(
            sysadmin,
            {
                **base["open-data"],
                "name": "buyu-kaifang",
                "open_type": "不予开放",
                "closed_ground": "商业秘密",
            },
        ),
        create(
            sysadmin,
            {
                "type": "disclosure-application",
                "name": "shenqing-1",
                "title": "申请公开某项目环评批复",
                "owner_org": province_org["id"],
                "applicant_kind": "natural_person",
                "received_on": "2024-09-27",
            },
        ),
    ]


def test_private_records_never_appear_in_the_catalogue(app, sysadmin, province_org, make_organization):
    public = create(sysadmin, records(province_org, province_org)["policy"])
    hidden = private_records(sysadmin, province_org, make_organization)
    assert all(r["private"] for r in hidden), [r["name"] for r in hidden if not r["private"]]
    token = call_action(
        "api_token_create", context={"user": sysadmin["name"]}, user=sysadmin["name"], name="t"
    )

    for kwargs in ({}, {"headers": {"Authorization": token["token"]}}):
        for query in ("", "?q=*:*", "?fq=capacity:private", "?q=daishen"):
            graph = rdf(app, f"/catalog.ttl{query}", **kwargs)
            hidden_uris = {str(dataset_uri(r)) for r in hidden}
            assert not catalogue_datasets(graph) & hidden_uris, (query, kwargs)
            assert not any(str(s) in hidden_uris for s in graph.subjects()), "nothing about them at all"
        assert catalogue_datasets(rdf(app, "/catalog.ttl", **kwargs)) == {str(dataset_uri(public))}

    for record in hidden:
        assert app.get(f"/dataset/{record['id']}.ttl").status_code in (403, 404), record["name"]


@pytest.mark.ckan_config("ckanext.dcat.datasets_per_page", "2")
def test_catalogue_pages_of_n_with_hydra_links(app, sysadmin, province_org, make_organization):
    base = records(province_org, province_org)["consultation"]
    public = [create(sysadmin, {**base, "name": f"zqyj-{i}", "title": f"征求意见{i}"}) for i in range(5)]
    private_records(sysadmin, province_org, make_organization)

    seen: list[set[str]] = []
    url = "/catalog.ttl"
    while url:
        graph = rdf(app, url)
        (page,) = graph.subjects(RDF.type, HYDRA.PagedCollection)
        assert graph.value(page, HYDRA.totalItems).toPython() == 5
        assert graph.value(page, HYDRA.itemsPerPage).toPython() == 2
        seen.append(catalogue_datasets(graph))
        following = graph.value(page, HYDRA.next)
        url = str(following).removeprefix(SITE) if following else None
        assert len(seen) <= 3, "three pages of 2, 2 and 1"

    assert [len(s) for s in seen] == [2, 2, 1]
    assert set().union(*seen) == {str(dataset_uri(r)) for r in public}
    last = rdf(app, "/catalog.ttl?page=3")
    (page,) = last.subjects(RDF.type, HYDRA.PagedCollection)
    assert str(last.value(page, HYDRA.previous)) == f"{SITE}/catalog.ttl?page=2"
    assert str(last.value(page, HYDRA.first)) == f"{SITE}/catalog.ttl?page=1"
    assert last.value(page, HYDRA.next) is None
    assert app.get("/catalog.ttl?page=0").status_code == 409


def without_paging(graph: Graph) -> Graph:
    """The graph without its hydra page description, whose URIs name the format it was asked in."""
    for page in list(graph.subjects(RDF.type, HYDRA.PagedCollection)):
        graph.remove((page, None, None))
    return graph


def test_turtle_rdfxml_and_jsonld_carry_the_same_graph(app, sysadmin, province_org, city_org):
    made = [create(sysadmin, d) for d in records(province_org, city_org).values()]
    for path in ("/catalog", f"/dataset/{made[2]['id']}"):
        turtle, xml, jsonld = (
            without_paging(rdf(app, f"{path}.{ext}", fmt))
            for ext, fmt in (("ttl", "turtle"), ("rdf", "xml"), ("jsonld", "json-ld"))
        )
        assert len(turtle) > 50
        assert isomorphic(turtle, xml), path
        assert isomorphic(turtle, jsonld), path


def test_catalogue_validates_against_the_dcat_ap_3_shapes(app, sysadmin, province_org, city_org):
    made = [create(sysadmin, d) for d in records(province_org, city_org).values()]
    # A stock CKAN dataset too: ckanext-dcat's own mapping, with our publisher, region and language added.
    factories.Dataset(owner_org=province_org["id"], resources=[{"url": "http://example.gov.cn/a.xlsx"}])
    # And a 双公示 publication with its DataStore table, a distribution without a file of its own.
    call_action(
        "hlj_credit_publication_create",
        context={"user": sysadmin["name"]},
        name="scjg-xzxk",
        title="省市场监管局行政许可决定公示",
        owner_org=province_org["id"],
        credit_kind="licensing",
    )

    graph = rdf(app, "/catalog.ttl")
    assert len(catalogue_datasets(graph)) == len(made) + 2
    if os.environ.get("HLJ_TEST_ARTIFACTS"):  # kept for whoever reads the run's artifacts
        graph.serialize(Path(os.environ["HLJ_TEST_ARTIFACTS"]) / "dcat-catalog.ttl", format="turtle")
    conforms, _, report = validate(graph, shacl_graph=str(SHAPES), shacl_graph_format="turtle")
    assert conforms, report

    # The shapes can fail: a dataset without its mandatory description is reported.
    ds = next(iter(graph.objects(URIRef(SITE), DCAT.dataset)))
    graph.remove((ds, DCTERMS.description, None))
    conforms, _, report = validate(graph, shacl_graph=str(SHAPES), shacl_graph_format="turtle")
    assert not conforms
    assert "dc:description" in report or "description" in report
