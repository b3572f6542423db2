"""The labelled search corpus: records of every dataset type of the platform, as package_create takes them.

Used by benchmarks/search_relevance.py (P@10 and nDCG@10, our analysis against CKAN's stock schema),
tests/test_search_relevance.py (the same corpus through the real stack) and, scaled up, benchmarks/search_scale.py.
The queries and their graded labels are in tests/data/relevance/queries.yaml; the labels name records of this
module, judged by what the records say (see that file's header).

What it holds, on purpose:

- the real public bodies of catalogue/data/organizations.yaml as organisations, each with a (made-up, checksum-valid)
  统一社会信用代码, publishing at once (no confidentiality review);
- policy documents with 文号 and their interpretations, a reprint by a city site, and near misses: the same 文号 in
  another year (黑政办发〔2018〕10号), another serial that starts alike (〔2017〕101号), another issuer's code with the
  same year and serial (黑政发, 哈政办发), 国发〔2016〕51号 against 国办发〔2015〕51号, an order (国务院令第711号);
- 主动公开基本目录 items, 政务服务事项 with their codes (the same 基本编码 implemented by the province and by cities,
  each with its own 实施编码 embedding the implementing body's USCC), open-data inventories, 双公示 publications and
  consultations;
- unspaced Chinese titles and bodies throughout, mixed Chinese and English (API接口, GDP增速, PM2.5, 5G基站, ETC,
  App), full-width Latin letters and digits, and words that only look alike (水库 against 水利, 行政许可 against
  行政处罚 and 许可证, 市长 inside 哈尔滨市长江路, 省长 inside 黑龙江省长期护理保险).

Everything is deterministic: ``records()`` returns the same list every time. ``python benchmarks/relevance/corpus.py``
prints it as YAML for reading.
"""

from __future__ import annotations

import sys
from typing import Any

from ckanext.hlj.catalogue.organizations import public_bodies
from ckanext.hlj.catalogue.uscc import make_uscc, org_code_check_char

# --------------------------------------------------------------------------------------------- organisations

PROVINCE = "230000"
CITY_REGION = {
    "harbin": "230100",
    "qiqihar": "230200",
    "jixi": "230300",
    "hegang": "230400",
    "shuangyashan": "230500",
    "daqing": "230600",
    "yichun": "230700",
    "jiamusi": "230800",
    "qitaihe": "230900",
    "mudanjiang": "231000",
    "heihe": "231100",
    "suihua": "231200",
    "daxinganling": "232700",
}
CITY_NAME = {
    "harbin": "哈尔滨市",
    "qiqihar": "齐齐哈尔市",
    "jixi": "鸡西市",
    "hegang": "鹤岗市",
    "shuangyashan": "双鸭山市",
    "daqing": "大庆市",
    "yichun": "伊春市",
    "jiamusi": "佳木斯市",
    "qitaihe": "七台河市",
    "mudanjiang": "牡丹江市",
    "heihe": "黑河市",
    "suihua": "绥化市",
    "daxinganling": "大兴安岭地区",
}


def uscc_for(region: str, serial: int) -> str:
    """A checksum-valid 统一社会信用代码 of a 机关 (registration authority 1, kind 1) in ``region``.

    The organisation code is made up (``0`` + seven digits from ``serial``); both check characters are computed,
    so the platform's validators accept it. No real body has these codes."""
    body = f"0{(1_300_000 + 7_919 * serial) % 10_000_000:07d}"
    return make_uscc(f"11{region}{body}{org_code_check_char(body)}")


def organizations() -> list[dict[str, Any]]:
    """The real public bodies (catalogue/data/organizations.yaml) as our organisation schema takes them."""
    kinds = {"人民政府": "government", "政府部门": "department", "党委机构": "party", "其他": "other"}
    levels = {"国家": "national", "省": "province", "市": "city", "县": "county", "乡": "township"}
    out = []
    for n, body in enumerate(public_bodies(), start=1):
        out.append(
            {
                "name": body.name,
                "title": body.title,
                "org_kind": kinds.get(body.kind, body.kind),
                "admin_level": levels.get(body.level, body.level),
                "region_code": body.region_code,
                "parent_org": body.parent or "",
                "former_names": list(body.former_names),
                "seed_names": list(body.seed_names),
                "reprint_issuer": body.reprint_issuer,
                "uscc": uscc_for(body.region_code if body.region_code != "100000" else "100000", n),
                "review_required": False,
            }
        )
    return out


ORG_USCC = {org["name"]: org["uscc"] for org in organizations()}
ORG_TITLE = {org["name"]: org["title"] for org in organizations()}

# City bureaus that implement service items and publish 双公示 (not organisations of their own on the platform:
# their items are published by the city government's organisation). (city, bureau) -> USCC
_BUREAUS = [
    "市场监督管理局",
    "住房和城乡建设局",
    "卫生健康委员会",
    "交通运输局",
    "生态环境局",
    "民政局",
    "人力资源和社会保障局",
]


def bureau_uscc(city: str, bureau: str) -> str:
    return uscc_for(CITY_REGION[city], 100 + 10 * list(CITY_REGION).index(city) + _BUREAUS.index(bureau))


# ------------------------------------------------------------------------------------------------- builders


def policy(  # noqa: PLR0917 - a corpus row: the record's fields in table order
    name: str,
    title: str,
    org: str,
    doc_number: str | None,
    issuer: str,
    level: str,
    written: str,
    topic: str,
    body: str,
    *,
    tags: tuple[str, ...] = (),
    validity: str = "有效",
    resources: tuple[tuple[str, str], ...] = (),
) -> dict[str, Any]:
    record = {
        "type": "policy",
        "name": name,
        "title": title,
        "owner_org": org,
        "policy_role": "document",
        "issuer": issuer,
        "issuer_level": level,
        "written_date": written,
        "policy_topic": topic,
        "disclosure_attribute": "主动公开",
        "validity": validity,
        "notes": body,
        "tags": [{"name": t} for t in tags],
    }
    if doc_number:
        record["doc_number"] = doc_number
    if resources:
        record["resources"] = [
            {"name": n, "url": f"https://www.hlj.gov.cn/files/{name}-{i}.{f.lower()}", "format": f}
            for i, (n, f) in enumerate(resources)
        ]
    return record


def interpretation(  # noqa: PLR0917 - a corpus row: the record's fields in table order
    name: str, title: str, org: str, interprets: str, issuer: str, level: str, written: str, body: str
) -> dict[str, Any]:
    return {
        "type": "policy",
        "name": name,
        "title": title,
        "owner_org": org,
        "policy_role": "interpretation",
        "interprets": interprets,
        "issuer": issuer,
        "issuer_level": level,
        "written_date": written,
        "disclosure_attribute": "主动公开",
        "notes": body,
    }


def disclosure(  # noqa: PLR0917 - a corpus row: the record's fields in table order
    name: str,
    title: str,
    org: str,
    level1: str,
    level2: str,
    category: str,
    body: str,
    legal_basis: str,
    rule: str = "proactive_disclosure_20wd",
    *,
    channels: tuple[str, ...] = ("政府网站",),
    levels: tuple[str, ...] = (),
    division: str = "",
) -> dict[str, Any]:
    record = {
        "type": "disclosure",
        "name": name,
        "title": title,
        "owner_org": org,
        "item_level1": level1,
        "item_level2": level2,
        "disclosure_category": category,
        "notes": body,
        "legal_basis": legal_basis,
        "deadline_rule": rule,
        "disclosure_channel": list(channels),
        "disclosure_audience": "全社会",
        "disclosure_mode": "主动",
        "disclosure_attribute": "主动公开",
    }
    if levels:
        record["disclosure_level"] = list(levels)
    if division:
        record["responsible_division"] = division
    return record


def service_item(  # noqa: PLR0917 - a corpus row: the record's fields in table order
    name: str,
    title: str,
    org: str,
    item_type: str,
    basic_code: str,
    body_name: str,
    body_uscc: str,
    region: str,
    level: str,
    legal_basis: str,
    notes: str,
    materials: tuple[str, ...],
    *,
    conditions: str = "",
    limit: int = 20,
    handle_code: str | None = None,
    objects: tuple[str, ...] = ("企业法人",),
    depth: tuple[str, ...] = ("互联网咨询", "互联网收件"),
) -> dict[str, Any]:
    record = {
        "type": "service-item",
        "name": name,
        "title": title,
        "owner_org": org,
        "item_type": item_type,
        "basic_code": basic_code,
        "implementing_uscc": body_uscc,
        # 实施编码: the implementing body's USCC, then the item's basic code (the layout the demo records use).
        "implementation_code": f"{body_uscc}1{basic_code}",
        "implementing_body": body_name,
        "implementing_body_type": "法定机关",
        "exercise_level": [level],
        "region_code": region,
        "power_source": "法定本级行使",
        "legal_basis": legal_basis,
        "notes": notes,
        "statutory_limit": str(limit),
        "statutory_limit_unit": "工作日",
        "promised_limit": str(max(1, limit // 2)),
        "promised_limit_unit": "工作日",
        "fees": [{"fee_name": "不收费"}],
        "materials": [
            {"material_name": m, "material_form": "纸质+电子", "copies": 1, "necessity": "必要"}
            for m in materials
        ],
        "consultation_phone": "0451-12345678",
        "complaint_phone": "12345",
        "online_depth": list(depth),
        "case_type": "承诺件",
        "service_object": list(objects),
    }
    if conditions:
        record["acceptance_conditions"] = conditions
    if handle_code:
        record["handle_item_code"] = handle_code
    return record


def open_data(  # noqa: PLR0917 - a corpus row: the record's fields in table order
    name: str,
    title: str,
    org: str,
    code: str,
    notes: str,
    domain: str,
    frequency: str,
    resources: tuple[tuple[str, str], ...],
    *,
    open_type: str = "无条件开放",
    conditions: str = "",
    items: tuple[tuple[str, str], ...] = (),
    provider_uscc: str | None = None,
    published: str = "2023-06-01",
    tags: tuple[str, ...] = (),
) -> dict[str, Any]:
    record = {
        "type": "open-data",
        "name": name,
        "title": title,
        "owner_org": org,
        "resource_code": code,
        "notes": notes,
        "data_domain": domain,
        "open_type": open_type,
        "share_type": "无条件共享",
        "update_frequency": frequency,
        "first_published": published,
        "resources": [
            {
                "name": n,
                "url": f"https://data.hlj.gov.cn/files/{name}-{i}.{f.lower()}",
                "format": f,
                "description": f"{n}（{f}）",
            }
            for i, (n, f) in enumerate(resources)
        ],
        "tags": [{"name": t} for t in tags],
    }
    if open_type == "有条件开放":
        record["open_conditions"] = conditions or "经申请并签订数据使用协议后开放"
    if items:
        record["data_items"] = [{"name_zh": zh, "name_en": en, "data_type": "字符型"} for zh, en in items]
    if provider_uscc:
        record["provider_uscc"] = provider_uscc
    return record


def credit(  # noqa: PLR0917 - a corpus row: the record's fields in table order
    name: str, title: str, org: str, kind: str, notes: str, uscc: str, system: str
) -> dict[str, Any]:
    return {
        "type": "credit-publication",
        "name": name,
        "title": title,
        "owner_org": org,
        "credit_kind": kind,
        "notes": notes,
        "department_uscc": uscc,
        "source_system": system,
    }


def consultation(  # noqa: PLR0917 - a corpus row: the record's fields in table order
    name: str, title: str, org: str, kind: str, notes: str, opens: str, closes: str, contact: str = ""
) -> dict[str, Any]:
    record = {
        "type": "consultation",
        "name": name,
        "title": title,
        "owner_org": org,
        "draft_kind": kind,
        "notes": notes,
        "opens_on": opens,
        "closes_on": closes,
        "comment_channels": ["gov_website", "email"],
    }
    if contact:
        record["comment_contact"] = contact
    return record


# --------------------------------------------------------------------------------------------------- policy

GOV_OFFICE = "黑龙江省人民政府办公厅"
GOV = "黑龙江省人民政府"


def _policies() -> list[dict[str, Any]]:
    return [
        policy(
            "zc-hzbf-2017-10",
            "黑龙江省人民政府办公厅关于全面推进政务公开工作的实施意见",
            "hlj-gov-office",
            "黑政办发〔2017〕10号",
            GOV_OFFICE,
            "省政府",
            "2017-03-20",
            "综合政务\\政务公开",
            "为贯彻落实中共中央办公厅、国务院办公厅《关于全面推进政务公开工作的意见》，结合我省实际，提出如下实施意见："
            "推进决策、执行、管理、服务、结果公开，加强政策解读，积极回应社会关切，加强政务公开平台建设，"
            "各市（地）、县（市、区）人民政府和省直各部门要将政务公开纳入绩效考核。",
            tags=("政务公开", "五公开"),
            resources=(("实施意见全文", "PDF"),),
        ),
        policy(
            "zc-hzbf-2018-10",
            "黑龙江省人民政府办公厅关于建立政务服务好差评制度的通知",
            "hlj-gov-office",
            "黑政办发〔2018〕10号",
            GOV_OFFICE,
            "省政府",
            "2018-02-27",
            "综合政务\\电子政务",
            "各级政务服务机构要建立政务服务评价制度，企业和群众可通过政务服务大厅评价器、政务服务网和移动端对办事体验作出评价，"
            "差评事项由实施机关在5个工作日内整改反馈。",
            tags=("政务服务",),
        ),
        policy(
            "zc-hzbf-2017-101",
            "黑龙江省人民政府办公厅关于印发黑龙江省水库大坝安全管理办法的通知",
            "hlj-gov-office",
            "黑政办发〔2017〕101号",
            GOV_OFFICE,
            "省政府",
            "2017-11-08",
            "农业、林业、水利\\水利",
            "为加强全省水库大坝安全管理，保障人民群众生命财产安全，现将《黑龙江省水库大坝安全管理办法》印发给你们。"
            "水库主管部门应当建立大坝安全责任制，汛期前完成大坝安全检查，病险水库限期除险加固。",
            tags=("水库", "大坝安全"),
        ),
        policy(
            "zc-hzf-2017-10",
            "黑龙江省人民政府关于印发黑龙江省控制温室气体排放工作方案的通知",
            "hlj-gov",
            "黑政发〔2017〕10号",
            GOV,
            "省政府",
            "2017-04-12",
            "国土资源、能源\\其他",
            "到2020年全省单位地区生产总值二氧化碳排放比2015年下降18%，推动能源结构调整，发展低碳交通，加强森林碳汇建设。",
        ),
        policy(
            "zc-harbin-hzbf-2017-10",
            "哈尔滨市人民政府办公厅关于印发哈尔滨市长江路道路综合改造实施方案的通知",
            "harbin",
            "哈政办发〔2017〕10号",
            "哈尔滨市人民政府办公厅",
            "市县",
            "2017-05-16",
            "工业、交通\\公路",
            "为改善长江路沿线交通状况，市政府决定对哈尔滨市长江路实施道路综合改造，包括路面翻修、公交港湾建设和雨污分流改造，"
            "工期自2017年6月至2018年10月。",
        ),
        policy(
            "zc-gbf-2016-80",
            "国务院办公厅印发《〈关于全面推进政务公开工作的意见〉实施细则》的通知",
            "guowuyuan-bgt",
            "国办发〔2016〕80号",
            "国务院办公厅",
            "国务院",
            "2016-11-10",
            "综合政务\\政务公开",
            "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：《〈关于全面推进政务公开工作的意见〉实施细则》"
            "已经国务院同意，现印发给你们，请认真贯彻执行。细则要求围绕政策解读、回应社会关切、公开平台建设等方面加强工作。",
            tags=("政务公开",),
        ),
        policy(
            "zc-gf-2016-55",
            "国务院关于加快推进“互联网+政务服务”工作的指导意见",
            "guowuyuan",
            "国发〔2016〕55号",
            "中华人民共和国国务院",
            "国务院",
            "2016-09-25",
            "综合政务\\电子政务",
            "加快推进“互联网+政务服务”，优化再造政务服务流程，推进实体政务大厅向网上办事大厅延伸，"
            "打通信息孤岛，推动政务服务平台通过统一API接口共享数据，让企业和群众少跑腿、好办事、不添堵。",
            tags=("互联网政务服务",),
        ),
        policy(
            "zc-gf-2016-51",
            "国务院关于印发政务信息资源共享管理暂行办法的通知",
            "guowuyuan",
            "国发〔2016〕51号",
            "中华人民共和国国务院",
            "国务院",
            "2016-09-05",
            "综合政务\\电子政务",
            "政务信息资源按共享类型分为无条件共享、有条件共享、不予共享三种类型，各政务部门应当编制政务信息资源目录，"
            "通过共享平台提供数据接口服务。",
        ),
        policy(
            "zc-gbf-2015-51",
            "国务院办公厅关于运用大数据加强对市场主体服务和监管的若干意见",
            "guowuyuan-bgt",
            "国办发〔2015〕51号",
            "国务院办公厅",
            "国务院",
            "2015-06-24",
            "财政、金融、审计\\社会信用体系建设",
            "建立健全行政许可和行政处罚等信用信息自作出行政决定之日起7个工作日内上网公开制度（双公示），"
            "推动统一社会信用代码在市场监管中的应用。",
            tags=("双公示", "社会信用"),
        ),
        policy(
            "zc-gwyl-711",
            "中华人民共和国政府信息公开条例",
            "guowuyuan",
            "国务院令第711号",
            "中华人民共和国国务院",
            "国务院",
            "2019-04-03",
            "综合政务\\政务公开",
            "为了保障公民、法人和其他组织依法获取政府信息，提高政府工作的透明度，建设法治政府，制定本条例。"
            "行政机关应当及时、准确地公开政府信息，依申请公开的政府信息应当在20个工作日内答复。",
            tags=("政府信息公开",),
        ),
        policy(
            "zc-hhf-2021-15",
            "黑龙江省生态环境厅关于印发黑龙江省空气质量持续改善行动计划的通知",
            "hlj-sthjt",
            "黑环发〔2021〕15号",
            "黑龙江省生态环境厅",
            "省直部门",
            "2021-04-02",
            "国土资源、能源\\其他",
            "以细颗粒物（PM2.5）控制为主线，推进秸秆禁烧、燃煤锅炉淘汰和重污染天气应对，到2025年全省地级及以上城市"
            "空气质量优良天数比率达到93%以上。",
            tags=("空气质量", "大气污染防治"),
        ),
        policy(
            "zc-hhf-2020-15",
            "黑龙江省生态环境厅关于做好2020年度排污许可证核发工作的通知",
            "hlj-sthjt",
            "黑环发〔2020〕15号",
            "黑龙江省生态环境厅",
            "省直部门",
            "2020-03-18",
            "国土资源、能源\\其他",
            "各市（地）生态环境局要按照固定污染源排污许可分类管理名录，完成重点行业排污许可证核发，对无证排污单位依法查处。",
            tags=("排污许可",),
        ),
        policy(
            "zc-hsjg-2022-2",
            "黑龙江省市场监督管理局关于进一步规范行政许可事项办理的通知",
            "hlj-scjgj",
            "黑市监规〔2022〕2号",
            "黑龙江省市场监督管理局",
            "省直部门",
            "2022-05-10",
            "商贸、海关、旅游\\其他",
            "全面实行行政许可事项清单管理，清单之外不得违法实施行政许可；推行告知承诺制，压减食品经营许可等事项办理时限，"
            "许可结果自作出决定之日起7个工作日内公示。",
            tags=("行政许可",),
        ),
        policy(
            "zc-hsjg-2022-3",
            "黑龙江省市场监督管理局关于规范市场监管行政处罚裁量权的实施意见",
            "hlj-scjgj",
            "黑市监规〔2022〕3号",
            "黑龙江省市场监督管理局",
            "省直部门",
            "2022-06-21",
            "商贸、海关、旅游\\其他",
            "行政处罚应当与违法行为的事实、性质、情节以及社会危害程度相当，首次违法且危害后果轻微并及时改正的可以不予处罚，"
            "情节严重的依法吊销许可证件。",
            tags=("行政处罚",),
        ),
        policy(
            "zc-hcz-2021-8",
            "黑龙江省财政厅关于印发黑龙江省省级财政专项资金管理办法的通知",
            "hlj-czt",
            "黑财规〔2021〕8号",
            "黑龙江省财政厅",
            "省直部门",
            "2021-09-01",
            "财政、金融、审计\\财政",
            "省级财政专项资金实行目录管理，资金分配结果在下达文件印发后20日内向社会公开，绩效评价结果作为预算安排的重要依据。",
        ),
        policy(
            "zc-hjf-2019-6",
            "黑龙江省教育厅关于做好义务教育阶段学校招生入学工作的通知",
            "hlj-jyt",
            "黑教发〔2019〕6号",
            "黑龙江省教育厅",
            "省直部门",
            "2019-04-15",
            "科技、教育\\教育",
            "各地要坚持免试就近入学，公办民办学校同步招生，义务教育阶段学校不得以各类竞赛证书作为招生依据，"
            "招生范围和招生计划在招生前向社会公布。",
            tags=("义务教育", "招生入学"),
        ),
        policy(
            "zc-hwj-2020-1",
            "黑龙江省卫生健康委员会关于开展医疗机构依法执业自查工作的通知",
            "hlj-wsjkw",
            "黑卫规〔2020〕1号",
            "黑龙江省卫生健康委员会",
            "省直部门",
            "2020-02-20",
            "卫生、体育\\卫生",
            "各级各类医疗机构应当对照执业许可登记事项开展依法执业自查，重点检查医师执业资格、药品管理和医疗废物处置。",
        ),
        policy(
            "zc-hrs-2019-12",
            "黑龙江省人力资源和社会保障厅关于调整全省最低工资标准的通知",
            "hlj-rst",
            "黑人社规〔2019〕12号",
            "黑龙江省人力资源和社会保障厅",
            "省直部门",
            "2019-09-30",
            "劳动、人事、监察\\劳动就业",
            "自2019年10月1日起调整全省最低工资标准，一类地区月最低工资标准为1680元，小时最低工资标准为16元。",
            tags=("最低工资",),
        ),
        policy(
            "zc-hjt-2021-20",
            "黑龙江省交通运输厅关于印发黑龙江省农村公路养护管理办法的通知",
            "hlj-jtt",
            "黑交发〔2021〕20号",
            "黑龙江省交通运输厅",
            "省直部门",
            "2021-07-12",
            "工业、交通\\公路",
            "农村公路养护实行县级人民政府负责制，养护资金纳入财政预算，推广ETC门架数据在路况监测中的应用。",
        ),
        policy(
            "zc-hnn-2020-2",
            "黑龙江省农业农村厅关于加强高标准农田建设的实施意见",
            "hlj-nynct",
            "黑农厅规〔2020〕2号",
            "黑龙江省农业农村厅",
            "省直部门",
            "2020-05-08",
            "农业、林业、水利\\农业、畜牧业、渔业",
            "到2022年全省建成高标准农田1.1亿亩，统筹田、土、水、路、林、电建设，配套农田水利设施，提高粮食综合生产能力。",
            tags=("高标准农田",),
        ),
        policy(
            "zc-hyj-2022-5",
            "黑龙江省应急管理厅关于做好汛期水库安全度汛工作的通知",
            "hlj-yjt",
            "黑应急发〔2022〕5号",
            "黑龙江省应急管理厅",
            "省直部门",
            "2022-05-26",
            "综合政务\\应急管理",
            "各地要落实水库防汛行政责任人、技术责任人和巡查责任人，病险水库主汛期原则上空库运行，强化雨水情监测预警。",
            tags=("防汛", "水库"),
        ),
        policy(
            "zc-hzbg-2020-5",
            "黑龙江省人民政府办公厅关于印发黑龙江省水利工程管理办法的通知",
            "hlj-gov-office",
            "黑政办规〔2020〕5号",
            GOV_OFFICE,
            "省政府",
            "2020-08-14",
            "农业、林业、水利\\水利",
            "加强堤防、水闸、灌区等水利工程运行管理，明确管理主体和管护经费，推进水利工程标准化管理。",
            tags=("水利工程",),
        ),
        policy(
            "zc-hgx-2020-30",
            "黑龙江省工业和信息化厅关于加快推进5G基站建设的实施意见",
            "hlj-gxt",
            "黑工信发〔2020〕30号",
            "黑龙江省工业和信息化厅",
            "省直部门",
            "2020-06-03",
            "工业、交通\\信息产业（含电信）",
            "到2022年全省累计建成5G基站3万个以上，实现市（地）城区和重点县城5G网络连续覆盖，开放公共建筑和杆塔资源支持基站建设。",
            tags=("5G",),
        ),
        policy(
            "zc-hfg-2021-10",
            "黑龙江省发展和改革委员会关于印发黑龙江省数字经济发展规划的通知",
            "hlj-fgw",
            "黑发改发〔2021〕10号",
            "黑龙江省发展和改革委员会",
            "省直部门",
            "2021-10-20",
            "国民经济管理、国有资产监管\\宏观经济",
            "到2025年数字经济核心产业增加值占全省GDP比重达到10%，建设全省一体化大数据中心，推动政务数据通过API接口有序开放。",
            tags=("数字经济",),
        ),
        policy(
            "zc-hzbf-2019-25",
            "黑龙江省人民政府办公厅关于全面推行政务服务一网通办的实施意见",
            "hlj-gov-office",
            "黑政办发〔2019〕25号",
            GOV_OFFICE,
            "省政府",
            "2019-07-01",
            "综合政务\\电子政务",
            "依托全省一体化在线政务服务平台，推行政务服务事项网上办理，各部门业务系统通过标准API接口与省平台对接，"
            "实现办件信息实时推送，企业和群众可通过黑龙江全省事App办理高频事项。",
            tags=("一网通办", "政务服务"),
        ),
        policy(
            "zc-hzg-2019-2",
            "黑龙江省人民政府关于公布黑龙江省行政许可事项目录的决定",
            "hlj-gov",
            "黑政规〔2019〕2号",
            GOV,
            "省政府",
            "2019-03-11",
            "综合政务\\其他",
            "经省人民政府常务会议审议，现将保留的省级行政许可事项目录予以公布，目录之外的事项一律不得实施行政许可。",
            tags=("行政许可",),
        ),
        policy(
            "zc-hzbf-2021-3",
            "黑龙江省人民政府办公厅关于进一步优化营商环境的若干措施",
            "hlj-gov-office",
            "黑政办发〔2021〕3号",
            GOV_OFFICE,
            "省政府",
            "2021-01-22",
            "国民经济管理、国有资产监管\\经济体制改革",
            "压减企业开办时间至1个工作日，工程建设项目审批时限压缩至80个工作日以内，推行不动产登记、水电气报装一站式办理，"
            "持续打造市场化法治化国际化营商环境。",
            tags=("营商环境",),
        ),
        policy(
            "zc-hzbf-2022-14",
            "黑龙江省人民政府办公厅关于印发黑龙江省长期护理保险制度试点实施方案的通知",
            "hlj-gov-office",
            "黑政办发〔2022〕14号",
            GOV_OFFICE,
            "省政府",
            "2022-04-18",
            "劳动、人事、监察\\社会保障",
            "在齐齐哈尔市开展长期护理保险制度试点，为长期失能人员的基本生活照料和医疗护理提供保障，筹资标准按年度确定。",
            tags=("长期护理保险",),
        ),
        policy(
            "zc-daqing-qzf-2020-4",
            "大庆市人民政府关于印发大庆市城市供水管理办法的通知",
            "daqing",
            "庆政发〔2020〕4号",
            "大庆市人民政府",
            "市县",
            "2020-03-06",
            "城乡建设、环境保护\\城市规划",
            "城市供水企业应当建立水质检测制度，定期向社会公布供水水质，二次供水设施每半年清洗消毒一次。",
        ),
        policy(
            "zc-harbin-hzf-2019-2",
            "哈尔滨市人民政府关于印发哈尔滨市冰雪旅游产业发展规划的通知",
            "harbin",
            "哈政发〔2019〕2号",
            "哈尔滨市人民政府",
            "市县",
            "2019-01-15",
            "商贸、海关、旅游\\旅游",
            "发挥冰雪资源优势，办好哈尔滨国际冰雪节，建设冰雪大世界、太阳岛雪博会等冰雪旅游品牌，推动冰雪旅游与文化体育融合发展。",
            tags=("冰雪旅游",),
        ),
        policy(
            "zc-qiqihar-qzbf-2022-8",
            "齐齐哈尔市人民政府办公室关于做好城乡居民最低生活保障工作的通知",
            "qiqihar",
            "齐政办发〔2022〕8号",
            "齐齐哈尔市人民政府办公室",
            "市县",
            "2022-07-05",
            "民政、扶贫、救灾\\社会福利",
            "城乡居民最低生活保障标准分别提高到每人每月680元和每人每年5400元，低保对象实行动态管理，审批结果按户公示。",
            tags=("最低生活保障",),
        ),
    ]


def _reprints() -> list[dict[str, Any]]:
    """A city site reprinting provincial documents (is_reprint: the site's body is not the issuer)."""
    return [
        policy(
            "zcz-harbin-hzbf-2017-10",
            "黑龙江省人民政府办公厅关于全面推进政务公开工作的实施意见",
            "harbin",
            "黑政办发〔2017〕10号",
            GOV_OFFICE,
            "省政府",
            "2017-03-20",
            "综合政务\\政务公开",
            "（转载）为贯彻落实中共中央办公厅、国务院办公厅《关于全面推进政务公开工作的意见》，结合我省实际，提出如下实施意见："
            "推进决策、执行、管理、服务、结果公开，加强政策解读，积极回应社会关切。来源：黑龙江省人民政府网站。",
        ),
        policy(
            "zcz-daqing-gbf-2016-80",
            "国务院办公厅印发《〈关于全面推进政务公开工作的意见〉实施细则》的通知",
            "daqing",
            "国办发〔2016〕80号",
            "国务院办公厅",
            "国务院",
            "2016-11-10",
            "综合政务\\政务公开",
            "（转载）《〈关于全面推进政务公开工作的意见〉实施细则》已经国务院同意，现印发给你们。来源：中国政府网。",
        ),
    ]


def _interpretations() -> list[dict[str, Any]]:
    return [
        interpretation(
            "jd-hzbf-2017-10",
            "《关于全面推进政务公开工作的实施意见》政策解读",
            "hlj-gov-office",
            "zc-hzbf-2017-10",
            GOV_OFFICE,
            "省政府",
            "2017-03-22",
            "黑政办发〔2017〕10号文件从推进五公开、强化政策解读、回应社会关切、加强平台建设和组织保障五个方面部署了全省政务公开工作，"
            "本文对实施意见的出台背景和主要内容进行解读。",
        ),
        interpretation(
            "jd-hzbf-2018-10",
            "一图读懂政务服务好差评制度",
            "hlj-gov-office",
            "zc-hzbf-2018-10",
            GOV_OFFICE,
            "省政府",
            "2018-03-01",
            "黑政办发〔2018〕10号明确了政务服务评价的渠道、差评整改时限和结果运用，办事群众可以现场评价也可以网上评价。",
        ),
        interpretation(
            "jd-hzbf-2017-101",
            "《黑龙江省水库大坝安全管理办法》解读",
            "hlj-gov-office",
            "zc-hzbf-2017-101",
            GOV_OFFICE,
            "省政府",
            "2017-11-10",
            "办法明确了水库大坝安全责任制、注册登记、安全鉴定和除险加固要求，解答了小型水库管护主体等问题。",
        ),
        interpretation(
            "jd-hsjg-2022-2",
            "省市场监管局就规范行政许可事项办理答记者问",
            "hlj-scjgj",
            "zc-hsjg-2022-2",
            "黑龙江省市场监督管理局",
            "省直部门",
            "2022-05-12",
            "问：通知对行政许可告知承诺制有哪些要求？答：对食品经营许可等事项，申请人书面承诺符合条件的当场作出许可决定，"
            "监管部门在许可后两个月内开展核查。",
        ),
        interpretation(
            "jd-hhf-2021-15",
            "图解：黑龙江省空气质量持续改善行动计划",
            "hlj-sthjt",
            "zc-hhf-2021-15",
            "黑龙江省生态环境厅",
            "省直部门",
            "2021-04-06",
            "行动计划提出PM2.5浓度持续下降、重污染天气基本消除等目标，明确秸秆禁烧和清洁取暖等重点任务。",
        ),
        interpretation(
            "jd-hrs-2019-12",
            "关于调整全省最低工资标准的政策解读",
            "hlj-rst",
            "zc-hrs-2019-12",
            "黑龙江省人力资源和社会保障厅",
            "省直部门",
            "2019-10-08",
            "最低工资标准不包括加班工资、特殊工作环境津贴和用人单位缴纳的社会保险费，用人单位支付的工资不得低于当地最低工资标准。",
        ),
        interpretation(
            "jd-gwyl-711",
            "司法部负责人就修订后的《中华人民共和国政府信息公开条例》答记者问",
            "guowuyuan",
            "zc-gwyl-711",
            "中华人民共和国国务院",
            "国务院",
            "2019-04-15",
            "国务院令第711号公布的修订后条例明确了公开与不公开的界限，完善了依申请公开程序，取消了申请人需具备特殊需要的限制条件。",
        ),
        interpretation(
            "jd-hgx-2020-30",
            "《关于加快推进5G基站建设的实施意见》解读",
            "hlj-gxt",
            "zc-hgx-2020-30",
            "黑龙江省工业和信息化厅",
            "省直部门",
            "2020-06-10",
            "意见从规划布局、站址资源开放、电力保障和审批简化等方面支持5G网络建设，基站用电可按规定参与电力直接交易。",
        ),
        interpretation(
            "jd-hzbf-2021-3",
            "一图读懂黑龙江优化营商环境若干措施",
            "hlj-gov-office",
            "zc-hzbf-2021-3",
            GOV_OFFICE,
            "省政府",
            "2021-01-25",
            "企业开办一日办结、工程建设项目审批八十个工作日以内、水电气报装一站式办理，这些措施让营商环境更优。",
        ),
    ]


# ------------------------------------------------------------------------------------------------ disclosure


def _disclosures() -> list[dict[str, Any]]:
    xk = "《中华人民共和国行政许可法》第四十条"
    cf = "《中华人民共和国行政处罚法》第四十八条"
    return [
        disclosure(
            "ml-scjgj-xzxk-jieguo",
            "行政许可决定公示",
            "hlj-scjgj",
            "行政许可",
            "许可决定",
            "结果公开",
            "公开行政许可决定书文号、项目名称、行政相对人名称及统一社会信用代码、许可内容、许可决定日期、有效期和许可机关。",
            xk,
            "decision_publication_7wd",
            channels=("政府网站", "两微一端"),
            levels=("省级",),
            division="行政审批处",
        ),
        disclosure(
            "ml-scjgj-xzcf-jieguo",
            "行政处罚决定公示",
            "hlj-scjgj",
            "行政处罚",
            "处罚决定",
            "结果公开",
            "公开行政处罚决定书文号、违法行为类型、违法事实、处罚依据、处罚内容、处罚机关和处罚决定日期，吊销许可证件的一并公开。",
            cf,
            "decision_publication_7wd",
            levels=("省级",),
            division="法规处",
        ),
        disclosure(
            "ml-scjgj-xzxk-zhinan",
            "食品经营许可办事指南",
            "hlj-scjgj",
            "行政许可",
            "办事指南",
            "服务公开",
            "公开食品经营许可的申请条件、申请材料、办理流程、办理时限和收费标准，申请人可通过黑龙江政务服务网在线申请。",
            "《中华人民共和国食品安全法》第三十五条",
        ),
        disclosure(
            "ml-sthjt-xzxk-eia",
            "建设项目环境影响评价文件审批结果",
            "hlj-sthjt",
            "行政许可",
            "环评审批",
            "结果公开",
            "公开建设项目环境影响报告书（表）审批决定，包括项目名称、建设地点、建设单位和审批文号，属于行政许可结果公开。",
            "《中华人民共和国环境影响评价法》",
            "decision_publication_7wd",
        ),
        disclosure(
            "ml-sthjt-pwxk",
            "排污许可证核发情况",
            "hlj-sthjt",
            "行政许可",
            "排污许可",
            "结果公开",
            "按月公开排污许可证核发、变更、延续和注销情况，包括排污单位名称、许可证编号和有效期限。",
            "《排污许可管理条例》",
        ),
        disclosure(
            "ml-sthjt-kqzl",
            "环境空气质量状况",
            "hlj-sthjt",
            "环境监测",
            "空气质量",
            "结果公开",
            "每月公布全省13个市（地）环境空气质量状况排名，包括优良天数比例、PM2.5和PM10平均浓度。",
            "《中华人民共和国大气污染防治法》",
            levels=("省级",),
        ),
        disclosure(
            "ml-harbin-dibao",
            "城乡居民最低生活保障",
            "harbin",
            "社会救助",
            "最低生活保障",
            "服务公开",
            "公开低保标准、申请条件、办理流程和审批结果，审批结果按户在社区公示栏公示，隐去身份证号码。",
            "《社会救助暂行办法》",
            channels=("政府网站", "社区/企事业单位/村公示栏(电子屏)"),
            levels=("县级", "乡、村级"),
        ),
        disclosure(
            "ml-mzt-shehui-jiuzhu",
            "社会救助政策和资金发放情况",
            "hlj-mzt",
            "社会救助",
            "救助资金",
            "执行公开",
            "公开特困人员救助供养、临时救助和最低生活保障资金的发放标准和发放情况，按季度更新。",
            "《社会救助暂行办法》",
        ),
        disclosure(
            "ml-czt-yusuan",
            "省级部门预算和决算公开",
            "hlj-czt",
            "财政信息",
            "预决算",
            "管理公开",
            "省级部门在人代会批准后20日内公开部门预算，公开三公经费预算和决算情况，说明增减变化原因。",
            "《中华人民共和国预算法》第十四条",
        ),
        disclosure(
            "ml-jyt-zhaosheng",
            "义务教育招生入学政策",
            "hlj-jyt",
            "教育",
            "招生入学",
            "服务公开",
            "公开义务教育阶段学校招生范围、招生计划、招生程序和咨询电话，公办民办学校同步招生。",
            "《中华人民共和国义务教育法》",
        ),
        disclosure(
            "ml-wsjkw-yiliao-jigou",
            "医疗机构执业登记信息",
            "hlj-wsjkw",
            "卫生健康",
            "医疗机构",
            "结果公开",
            "公开三级医疗机构执业登记、校验和注销信息，包括机构名称、地址、诊疗科目和床位数。",
            "《医疗机构管理条例》",
        ),
        disclosure(
            "ml-yjt-fangxun",
            "防汛抗旱工作动态",
            "hlj-yjt",
            "应急管理",
            "防汛抗旱",
            "执行公开",
            "汛期每日发布雨水情、主要江河和大中型水库水位、防汛应急响应启动和解除情况。",
            "《中华人民共和国防洪法》",
        ),
        disclosure(
            "ml-zrzyt-shuiziyuan",
            "水资源公报",
            "hlj-zrzyt",
            "自然资源",
            "水资源",
            "结果公开",
            "每年公布全省水资源总量、供水量、用水量和水利工程蓄水情况。",
            "《中华人民共和国水法》",
        ),
        disclosure(
            "ml-gov-office-nianbao",
            "政府信息公开工作年度报告",
            "hlj-gov-office",
            "政务公开",
            "年度报告",
            "管理公开",
            "每年1月31日前公布上一年度政府信息公开工作年度报告，包括主动公开、依申请公开、行政复议和行政诉讼情况。",
            "《中华人民共和国政府信息公开条例》第四十九条",
            "annual_report_jan31",
        ),
        disclosure(
            "ml-gov-office-shengzhang-xinxiang",
            "省长信箱来信办理情况",
            "hlj-gov-office",
            "政务公开",
            "回应关切",
            "结果公开",
            "按月公开省长信箱收到的群众来信数量、办理结果和满意度，典型来信的答复内容一并公开。",
            "国办发〔2016〕80号",
        ),
        disclosure(
            "ml-harbin-shizhang-rexian",
            "市长公开电话受理情况",
            "harbin",
            "政务公开",
            "回应关切",
            "结果公开",
            "按季度公开哈尔滨市市长公开电话12345受理的诉求数量、办结率和群众满意率。",
            "国办发〔2016〕80号",
            channels=("政府网站", "12345热线"),
        ),
        disclosure(
            "ml-gov-office-jiedu",
            "政策解读",
            "hlj-gov-office",
            "政务公开",
            "政策解读",
            "决策公开",
            "省政府及办公厅出台的重要政策文件同步发布解读材料，采用图表图解、音频视频等形式。",
            "国办发〔2016〕80号",
        ),
        disclosure(
            "ml-rst-zuidi-gongzi",
            "最低工资标准",
            "hlj-rst",
            "劳动就业",
            "工资",
            "执行公开",
            "公开全省各类地区月最低工资标准和小时最低工资标准及调整时间。",
            "《最低工资规定》",
        ),
        disclosure(
            "ml-jtt-gonglu",
            "公路建设项目信息",
            "hlj-jtt",
            "交通运输",
            "公路建设",
            "执行公开",
            "公开公路建设项目的审批、招标投标、施工管理和竣工验收信息，含ETC门架系统建设项目。",
            "《中华人民共和国公路法》",
        ),
        disclosure(
            "ml-zjt-shigong-xuke",
            "建筑工程施工许可证核发结果",
            "hlj-zjt",
            "行政许可",
            "施工许可",
            "结果公开",
            "公开建筑工程施工许可证编号、项目名称、建设单位和发证日期。",
            "《建筑工程施工许可管理办法》",
            "decision_publication_7wd",
        ),
        disclosure(
            "ml-harbin-changjiang-lu",
            "重大建设项目批准和实施信息",
            "harbin",
            "重大建设项目",
            "批准实施",
            "执行公开",
            "公开哈尔滨市长江路道路综合改造、地铁三号线等重大建设项目的批准文件、招标投标和施工进度。",
            "国办发〔2016〕80号",
        ),
        disclosure(
            "ml-fgw-jiage",
            "政府定价目录和价格听证",
            "hlj-fgw",
            "价格",
            "政府定价",
            "决策公开",
            "公开政府定价目录、定价成本监审结论和价格听证会情况，涉及供水、供热和天然气价格。",
            "《中华人民共和国价格法》",
        ),
        disclosure(
            "ml-swt-waishang",
            "外商投资企业设立备案",
            "hlj-swt",
            "商务",
            "外商投资",
            "服务公开",
            "公开外商投资信息报告的填报方式和办理流程，企业通过企业登记系统一并报送。",
            "《中华人民共和国外商投资法》",
        ),
        disclosure(
            "ml-nynct-nongji",
            "农机购置补贴信息公开",
            "hlj-nynct",
            "农业农村",
            "农机补贴",
            "执行公开",
            "公开农机购置补贴资金使用情况、补贴机具目录和受益对象，接受社会监督。",
            "《农业机械化促进法》",
        ),
        disclosure(
            "ml-gat-jiaoguan",
            "交通管理业务办理指南",
            "hlj-gat",
            "公安",
            "交通管理",
            "服务公开",
            "公开机动车登记、驾驶证申领和交通违法处理的办理条件和流程，可通过交管12123 App网上办理。",
            "《中华人民共和国道路交通安全法》",
        ),
        disclosure(
            "ml-gxt-wuxian",
            "无线电台（站）设置审批",
            "hlj-gxt",
            "行政许可",
            "无线电管理",
            "服务公开",
            "公开无线电台（站）设置使用许可的申请条件和材料，5G基站等公众移动通信基站按规定办理。",
            "《中华人民共和国无线电管理条例》",
        ),
    ]


# ------------------------------------------------------------------------------------------- service items

# (slug, title, item type, basic code, legal basis, notes, materials, conditions, days, province org)
SERVICE_ITEMS = [
    (
        "shipin-jingying",
        "食品经营许可",
        "行政许可",
        "000116010000",
        "《中华人民共和国食品安全法》第三十五条",
        "从事食品销售和餐饮服务应当依法取得食品经营许可，申请人提交材料后，实施机关对申请材料进行审查，必要时现场核查。",
        ("食品经营许可申请书", "营业执照复印件", "食品安全管理制度文本"),
        "有与经营的食品品种、数量相适应的经营场所和设备设施。",
        10,
        "hlj-scjgj",
        "市场监督管理局",
    ),
    (
        "xiaofang-sheji",
        "特殊建设工程消防设计审查",
        "行政许可",
        "000172009000",
        "《中华人民共和国消防法》第十一条",
        "特殊建设工程的建设单位应当在施工前申请消防设计审查，审查合格后方可施工。",
        ("特殊建设工程消防设计审查申请表", "消防设计文件"),
        "属于特殊建设工程的新建、扩建、改建工程。",
        15,
        "hlj-zjt",
        "住房和城乡建设局",
    ),
    (
        "shigong-xuke",
        "建筑工程施工许可证核发",
        "行政许可",
        "000172002000",
        "《中华人民共和国建筑法》第七条",
        "建筑工程开工前，建设单位应当申请领取施工许可证，实行网上申报和电子证照。",
        ("建筑工程施工许可申请表", "建设工程规划许可证", "施工合同"),
        "已经办理用地批准手续，已经取得建设工程规划许可证。",
        7,
        "hlj-zjt",
        "住房和城乡建设局",
    ),
    (
        "yiliao-jigou-zhiye",
        "医疗机构执业登记",
        "行政许可",
        "000117004000",
        "《医疗机构管理条例》第十五条",
        "医疗机构执业必须进行登记，领取医疗机构执业许可证，执业登记事项变更的应当申请变更登记。",
        ("医疗机构执业登记申请书", "医疗机构用房产权证明", "医务人员执业证书"),
        "按照设置审批的规定取得设置医疗机构批准书。",
        20,
        "hlj-wsjkw",
        "卫生健康委员会",
    ),
    (
        "daolu-keyun",
        "道路旅客运输经营许可",
        "行政许可",
        "000121003000",
        "《中华人民共和国道路运输条例》第十条",
        "申请从事道路旅客运输经营的，应当向交通运输主管部门提出申请，实施机关自受理之日起20日内审查完毕。",
        ("道路旅客运输经营申请表", "车辆技术等级评定证明"),
        "有与其经营业务相适应并经检测合格的客车。",
        20,
        "hlj-jtt",
        "交通运输局",
    ),
    (
        "paiwu-xuke",
        "排污许可证核发",
        "行政许可",
        "000119017000",
        "《排污许可管理条例》第八条",
        "纳入固定污染源排污许可分类管理名录的排污单位应当申请取得排污许可证，未取得许可证的不得排放污染物。",
        ("排污许可证申请表", "自行监测方案"),
        "依法取得建设项目环境影响评价审批意见。",
        20,
        "hlj-sthjt",
        "生态环境局",
    ),
    (
        "dibao-shenpi",
        "最低生活保障审核确认",
        "行政给付",
        "000105002000",
        "《社会救助暂行办法》第十一条",
        "共同生活的家庭成员人均收入低于当地最低生活保障标准且符合财产状况规定的，可以申请低保，审核确认后按月发放低保金。",
        ("最低生活保障申请书", "家庭经济状况核对授权书"),
        "家庭人均收入低于当地低保标准。",
        30,
        "hlj-mzt",
        "民政局",
    ),
    (
        "shiye-baoxian",
        "失业保险金申领",
        "公共服务",
        "000112015000",
        "《失业保险条例》第十四条",
        "参保失业人员可通过黑龙江全省事App或人社网上服务大厅申领失业保险金，审核通过后按月发放。",
        ("失业保险金申领登记表",),
        "失业前用人单位和本人已经缴纳失业保险费满一年。",
        5,
        "hlj-rst",
        "人力资源和社会保障局",
    ),
]
# Where each item is implemented: the province's department, and these cities' bureaus.
SERVICE_CITIES = {
    "shipin-jingying": ("harbin", "daqing", "qiqihar", "mudanjiang"),
    "xiaofang-sheji": ("harbin", "daqing"),
    "shigong-xuke": ("harbin", "jiamusi"),
    "yiliao-jigou-zhiye": ("harbin", "qiqihar"),
    "daolu-keyun": ("harbin", "heihe"),
    "paiwu-xuke": ("daqing", "qiqihar"),
    "dibao-shenpi": ("harbin", "qiqihar", "suihua"),
    "shiye-baoxian": ("harbin", "daqing"),
}


def _service_items() -> list[dict[str, Any]]:
    out = []
    for slug, title, kind, basic, legal, notes, materials, conditions, days, prov, bureau in SERVICE_ITEMS:
        prov_title = ORG_TITLE[prov]
        level_ok = kind != "行政给付"  # low-income support is decided by counties, not by the province
        if level_ok:
            out.append(
                service_item(
                    f"sx-{slug}-sheng",
                    title,
                    prov,
                    kind,
                    basic,
                    prov_title,
                    ORG_USCC[prov],
                    PROVINCE,
                    "省级",
                    legal,
                    f"{prov_title}实施。{notes}",
                    materials,
                    conditions=conditions,
                    limit=days,
                    handle_code=f"{ORG_USCC[prov]}1{basic}01",
                )
            )
        for city in SERVICE_CITIES[slug]:
            body = CITY_NAME[city] + bureau
            out.append(
                service_item(
                    f"sx-{slug}-{city}",
                    f"{title}（{CITY_NAME[city]}）",
                    city,
                    kind,
                    basic,
                    body,
                    bureau_uscc(city, bureau),
                    CITY_REGION[city],
                    "地市级",
                    legal,
                    f"{body}实施。{notes}",
                    materials,
                    conditions=conditions,
                    limit=days,
                    objects=("自然人",) if kind in ("行政给付", "公共服务") else ("企业法人",),
                )
            )
    return out


# ----------------------------------------------------------------------------------------------- open data


def _open_data() -> list[dict[str, Any]]:
    harbin_env = bureau_uscc("harbin", "生态环境局")
    return [
        open_data(
            "sj-harbin-kqzl",
            "哈尔滨市空气质量监测数据",
            "harbin",
            "230100-HJ-0001",
            "全市12个国控监测站点逐小时空气质量指数（AQI）及PM2.5、PM10、二氧化氮、臭氧浓度。",
            "生态环境",
            "实时",
            (("空气质量小时数据", "CSV"), ("空气质量数据API接口说明", "PDF")),
            items=(("监测站点", "station"), ("空气质量指数", "aqi"), ("细颗粒物浓度", "pm25")),
            provider_uscc=harbin_env,
            tags=("空气质量", "AQI"),
        ),
        open_data(
            "sj-daqing-kqzl",
            "大庆市空气质量日报",
            "daqing",
            "230600-HJ-0003",
            "大庆市各监测站点每日空气质量指数、首要污染物和空气质量级别。",
            "生态环境",
            "每日",
            (("空气质量日报", "XLSX"),),
            provider_uscc=bureau_uscc("daqing", "生态环境局"),
        ),
        open_data(
            "sj-sthjt-pm25",
            "全省PM2.5浓度月报",
            "hlj-sthjt",
            "230000-HJ-0010",
            "全省13个市（地）细颗粒物月均浓度、同比变化和达标情况。",
            "生态环境",
            "每月",
            (("PM2.5月均浓度", "CSV"),),
            provider_uscc=ORG_USCC["hlj-sthjt"],
        ),
        open_data(
            "sj-sthjt-shuizhi",
            "重点流域地表水水质监测数据",
            "hlj-sthjt",
            "230000-HJ-0012",
            "松花江、黑龙江、乌苏里江等重点流域国控断面水质类别和主要污染指标。",
            "生态环境",
            "每月",
            (("地表水水质", "CSV"),),
            provider_uscc=ORG_USCC["hlj-sthjt"],
        ),
        open_data(
            "sj-sthjt-paiwu-danwei",
            "重点排污单位名录",
            "hlj-sthjt",
            "230000-HJ-0020",
            "全省水环境、大气环境重点排污单位名称、统一社会信用代码和所在地区。",
            "生态环境",
            "每年",
            (("重点排污单位名录", "XLSX"),),
            provider_uscc=ORG_USCC["hlj-sthjt"],
        ),
        open_data(
            "sj-tjj-gdp",
            "全省地区生产总值（GDP）季度数据",
            "hlj-fgw",
            "230000-TJ-0001",
            "全省及13个市（地）地区生产总值、GDP增速和三次产业增加值，按季度更新。",
            "财税金融",
            "每季度",
            (("GDP季度数据", "CSV"),),
            items=(("地区", "region"), ("地区生产总值", "gdp"), ("GDP增速", "gdp_growth")),
            tags=("GDP",),
        ),
        open_data(
            "sj-harbin-gdp",
            "哈尔滨市国民经济主要指标",
            "harbin",
            "230100-TJ-0002",
            "哈尔滨市GDP、规模以上工业增加值、社会消费品零售总额和居民消费价格指数（CPI）等月度指标。",
            "财税金融",
            "每月",
            (("主要经济指标", "XLSX"),),
        ),
        open_data(
            "sj-tjj-cpi",
            "居民消费价格指数（CPI）",
            "hlj-fgw",
            "230000-TJ-0005",
            "全省居民消费价格指数及食品烟酒、居住、交通通信等八大类价格指数。",
            "财税金融",
            "每月",
            (("CPI月度数据", "CSV"),),
        ),
        open_data(
            "sj-gxt-5g",
            "全省5G基站分布数据",
            "hlj-gxt",
            "230000-GX-0003",
            "按市（地）统计的5G基站数量、覆盖区域和建设进度。",
            "科技创新",
            "每季度",
            (("5G基站统计", "CSV"),),
            provider_uscc=ORG_USCC["hlj-gxt"],
        ),
        open_data(
            "sj-zwfw-api",
            "政务服务事项API接口",
            "hlj-gov-office",
            "230000-ZW-0001",
            "提供政务服务事项目录、办事指南和办件进度查询的REST API接口，开发者注册后获取访问令牌。",
            "公共服务",
            "实时",
            (("API接口文档", "PDF"), ("事项目录接口", "API")),
            open_type="有条件开放",
            conditions="注册开发者账号并签署接口使用协议",
        ),
        open_data(
            "sj-harbin-gongjiao-api",
            "哈尔滨市公交实时到站查询API",
            "harbin",
            "230100-JT-0002",
            "全市公交线路实时车辆位置和预计到站时间查询接口，支持JSON格式返回。",
            "交通运输",
            "实时",
            (("公交实时到站API", "API"),),
            open_type="有条件开放",
        ),
        open_data(
            "sj-harbin-gongjiao",
            "哈尔滨市公交线路",
            "harbin",
            "230100-JT-0001",
            "全市公交线路名称、站点、首末班时间和票价。",
            "交通运输",
            "每月",
            (("公交线路及站点", "CSV"),),
            items=(("线路名称", "route_name"), ("首班时间", "first_bus")),
        ),
        open_data(
            "sj-jtt-etc",
            "ETC服务网点",
            "hlj-jtt",
            "230000-JT-0008",
            "全省高速公路ETC客户服务网点名称、地址、营业时间和联系电话。",
            "交通运输",
            "每季度",
            (("ETC网点", "CSV"),),
        ),
        open_data(
            "sj-scjgj-xinyong-api",
            "企业信用信息查询API接口",
            "hlj-scjgj",
            "230000-SC-0002",
            "按统一社会信用代码或企业名称查询企业登记信息、行政许可和行政处罚信息的API接口。",
            "信用服务",
            "实时",
            (("接口说明", "PDF"),),
            open_type="有条件开放",
            provider_uscc=ORG_USCC["hlj-scjgj"],
        ),
        open_data(
            "sj-scjgj-xzxk",
            "市场监管行政许可信息",
            "hlj-scjgj",
            "230000-SC-0005",
            "全省市场监管部门作出的食品经营许可、药品经营许可、特种设备生产许可等行政许可决定信息。",
            "市场监管",
            "每日",
            (("行政许可信息", "CSV"),),
            provider_uscc=ORG_USCC["hlj-scjgj"],
            tags=("行政许可",),
        ),
        open_data(
            "sj-scjgj-choujian",
            "食品安全抽检信息",
            "hlj-scjgj",
            "230000-SC-0007",
            "食品安全监督抽检的产品名称、生产企业、抽检结果和不合格项目。",
            "市场监管",
            "每月",
            (("食品抽检结果", "XLSX"),),
            provider_uscc=ORG_USCC["hlj-scjgj"],
        ),
        open_data(
            "sj-yjt-shuiku",
            "大中型水库水位监测数据",
            "hlj-yjt",
            "230000-YJ-0002",
            "全省大中型水库逐日水位、蓄水量、入库流量和出库流量，汛期加密发布。",
            "公共安全",
            "每日",
            (("水库水位", "CSV"),),
            tags=("水库",),
        ),
        open_data(
            "sj-zrzyt-shuili",
            "水利工程名录",
            "hlj-zrzyt",
            "230000-ZR-0004",
            "全省堤防、水闸、泵站和灌区等水利工程的名称、位置、规模和管理单位。",
            "资源能源",
            "每年",
            (("水利工程", "XLSX"),),
        ),
        open_data(
            "sj-zrzyt-tudi",
            "国有建设用地供应信息",
            "hlj-zrzyt",
            "230000-ZR-0001",
            "国有建设用地出让、划拨的宗地编号、位置、面积、用途和成交价格。",
            "资源能源",
            "每月",
            (("土地供应", "CSV"),),
        ),
        open_data(
            "sj-wsjkw-yiliao-jigou",
            "医疗机构名录",
            "hlj-wsjkw",
            "230000-WS-0001",
            "全省二级以上医疗机构名称、类别、等级、地址和床位数。",
            "医疗卫生",
            "每季度",
            (("医疗机构名录", "XLSX"),),
            provider_uscc=ORG_USCC["hlj-wsjkw"],
        ),
        open_data(
            "sj-harbin-yiliao-jigou",
            "哈尔滨市医疗机构名录",
            "harbin",
            "230100-WS-0001",
            "哈尔滨市各级医疗机构名称、地址、诊疗科目和联系电话。",
            "医疗卫生",
            "每季度",
            (("医疗机构", "CSV"),),
            provider_uscc=bureau_uscc("harbin", "卫生健康委员会"),
        ),
        open_data(
            "sj-wsjkw-yimiao",
            "疫苗接种单位名录",
            "hlj-wsjkw",
            "230000-WS-0004",
            "全省预防接种门诊名称、地址、服务时间和咨询电话。",
            "医疗卫生",
            "每月",
            (("接种单位", "CSV"),),
        ),
        open_data(
            "sj-jyt-xuexiao",
            "义务教育学校名录",
            "hlj-jyt",
            "230000-JY-0001",
            "全省义务教育阶段学校名称、办学类型、学段和学校地址。",
            "教育文化",
            "每年",
            (("学校名录", "XLSX"),),
        ),
        open_data(
            "sj-mzt-dibao",
            "最低生活保障对象统计",
            "hlj-mzt",
            "230000-MZ-0002",
            "全省城乡低保对象人数、保障标准和月人均补助水平，按季度统计。",
            "社会救助",
            "每季度",
            (("低保统计", "CSV"),),
        ),
        open_data(
            "sj-rst-shebao-ka",
            "社会保障卡服务网点",
            "hlj-rst",
            "230000-RS-0003",
            "社会保障卡即时制卡网点名称、地址和办理时间，支持电子社保卡App申领。",
            "社保就业",
            "每季度",
            (("社保卡网点", "CSV"),),
        ),
        open_data(
            "sj-nynct-liangshi",
            "粮食产量统计",
            "hlj-nynct",
            "230000-NY-0001",
            "全省粮食播种面积、单产和总产量，分品种分市（地）统计。",
            "工业农业",
            "每年",
            (("粮食产量", "CSV"),),
        ),
        open_data(
            "sj-nynct-nongtian",
            "高标准农田建设项目",
            "hlj-nynct",
            "230000-NY-0006",
            "高标准农田建设项目名称、建设地点、建设规模和竣工验收情况。",
            "工业农业",
            "每年",
            (("农田建设项目", "XLSX"),),
        ),
        open_data(
            "sj-swt-bingxue",
            "冰雪旅游接待统计",
            "hlj-swt",
            "230000-LY-0002",
            "雪季重点冰雪旅游景区接待人次和旅游收入。",
            "商贸流通",
            "每月",
            (("冰雪旅游接待", "CSV"),),
        ),
        open_data(
            "sj-harbin-jingqu",
            "哈尔滨市A级旅游景区名录",
            "harbin",
            "230100-LY-0001",
            "全市A级旅游景区名称、等级、地址和开放时间，含太阳岛、冰雪大世界等景区。",
            "商贸流通",
            "每年",
            (("A级景区", "CSV"),),
        ),
        open_data(
            "sj-daqing-gongshui",
            "大庆市城市供水水质公告",
            "daqing",
            "230600-ZJ-0001",
            "大庆市公共供水出厂水和管网水的浊度、余氯、菌落总数等水质指标检测结果。",
            "城建住房",
            "每月",
            (("供水水质", "PDF"),),
        ),
        open_data(
            "sj-zjt-gongjijin",
            "住房公积金缴存使用情况",
            "hlj-zjt",
            "230000-ZJ-0004",
            "全省住房公积金缴存人数、缴存额、提取额和个人住房贷款发放情况。",
            "城建住房",
            "每年",
            (("公积金年报", "PDF"),),
        ),
        open_data(
            "sj-gat-jidongche",
            "机动车保有量统计",
            "hlj-gat",
            "230000-GA-0001",
            "全省机动车保有量、新注册登记量和驾驶人数量，按市（地）统计。",
            "公共安全",
            "每季度",
            (("机动车统计", "CSV"),),
        ),
        open_data(
            "sj-czt-caigou",
            "政府采购项目信息",
            "hlj-czt",
            "230000-CZ-0003",
            "省级政府采购项目的采购公告、中标结果和合同公告。",
            "财税金融",
            "每日",
            (("采购项目", "CSV"),),
        ),
        open_data(
            "sj-qiqihar-changqi-huli",
            "齐齐哈尔市长期护理保险定点机构",
            "qiqihar",
            "230200-YB-0001",
            "长期护理保险定点护理服务机构名称、地址、服务类型和联系电话。",
            "医疗卫生",
            "每季度",
            (("定点机构", "CSV"),),
        ),
        open_data(
            "sj-harbin-app",
            "哈尔滨市政务服务App事项清单",
            "harbin",
            "230100-ZW-0003",
            "可在移动端App办理的政务服务事项名称、办理部门和办理深度，全省事App同步上线。",
            "公共服务",
            "每月",
            (("移动端事项清单", "XLSX"),),
        ),
    ]


# -------------------------------------------------------------------------------------------- credit, drafts


def _credit() -> list[dict[str, Any]]:
    system = "信用黑龙江双公示交换系统"
    out = []
    for org in ("hlj-scjgj", "hlj-sthjt", "hlj-zjt", "hlj-jtt"):
        title = ORG_TITLE[org]
        short = org.removeprefix("hlj-")
        out += [
            credit(
                f"xy-{short}-xzxk",
                f"{title}行政许可信息（双公示）",
                org,
                "行政许可",
                f"{title}作出的行政许可决定，自作出决定之日起7个工作日内公示，数据来自{system}。",
                ORG_USCC[org],
                system,
            ),
            credit(
                f"xy-{short}-xzcf",
                f"{title}行政处罚信息（双公示）",
                org,
                "行政处罚",
                f"{title}作出的行政处罚决定，自作出决定之日起7个工作日内公示；自然人身份证号已脱敏。",
                ORG_USCC[org],
                system,
            ),
        ]
    for city in ("harbin", "daqing"):
        body = CITY_NAME[city] + "市场监督管理局"
        out += [
            credit(
                f"xy-{city}-scjg-xzxk",
                f"{body}行政许可信息（双公示）",
                city,
                "行政许可",
                f"{body}作出的食品经营许可等行政许可决定公示。",
                bureau_uscc(city, "市场监督管理局"),
                system,
            ),
            credit(
                f"xy-{city}-scjg-xzcf",
                f"{body}行政处罚信息（双公示）",
                city,
                "行政处罚",
                f"{body}作出的行政处罚决定公示，处罚决定书文号和处罚内容。",
                bureau_uscc(city, "市场监督管理局"),
                system,
            ),
        ]
    return out


def _consultations() -> list[dict[str, Any]]:
    return [
        consultation(
            "zq-yjt-shuiku-tiaoli",
            "关于公开征求《黑龙江省水库管理条例（征求意见稿）》意见的公告",
            "hlj-yjt",
            "normative_document",
            "为规范全省水库运行管理和安全度汛，省应急管理厅起草了《黑龙江省水库管理条例（征求意见稿）》，现向社会公开征求意见。",
            "2023-05-04",
            "2023-06-05",
            "yjt-zqyj@example.gov.cn",
        ),
        consultation(
            "zq-fgw-yingshang",
            "关于《黑龙江省优化营商环境条例（修订草案征求意见稿）》公开征求意见的通知",
            "hlj-fgw",
            "reform_plan",
            "为持续优化营商环境，对条例中企业开办、工程建设项目审批、政务服务等条款进行修订，欢迎社会各界提出意见建议。",
            "2023-08-01",
            "2023-08-31",
        ),
        consultation(
            "zq-harbin-tingche",
            "关于《哈尔滨市停车场管理办法（征求意见稿）》公开征求意见的公告",
            "harbin",
            "normative_document",
            "办法对公共停车场规划建设、收费管理和智慧停车API平台接入作出规定，现公开征求意见。",
            "2023-03-10",
            "2023-04-10",
        ),
        consultation(
            "zq-sthjt-kongqi",
            "关于征求《黑龙江省重污染天气应急预案（修订稿）》意见的函",
            "hlj-sthjt",
            "policy_measure",
            "修订稿调整了重污染天气预警分级标准，细化了PM2.5浓度触发条件和各级响应措施。",
            "2022-10-09",
            "2022-11-09",
        ),
        consultation(
            "zq-rst-zuidi-gongzi",
            "关于调整全省最低工资标准方案公开征求意见的公告",
            "hlj-rst",
            "policy_measure",
            "拟将一类地区月最低工资标准调整为1860元，现就调整方案公开征求用人单位和劳动者意见。",
            "2021-08-02",
            "2021-09-02",
        ),
        consultation(
            "zq-jyt-zhaosheng",
            "关于《黑龙江省义务教育学校招生入学工作规定（征求意见稿）》公开征求意见的公告",
            "hlj-jyt",
            "normative_document",
            "规定明确免试就近入学、多校划片和随迁子女入学保障等内容。",
            "2023-02-13",
            "2023-03-15",
        ),
        consultation(
            "zq-zjt-wuye",
            "关于《黑龙江省物业管理条例（修订草案）》公开征求意见的公告",
            "hlj-zjt",
            "normative_document",
            "修订草案完善了业主大会和业主委员会制度，规范物业服务收费和住宅专项维修资金使用。",
            "2022-06-01",
            "2022-07-01",
        ),
        consultation(
            "zq-scjgj-xuke",
            "关于《黑龙江省市场监管领域行政许可告知承诺制实施办法（征求意见稿）》公开征求意见的公告",
            "hlj-scjgj",
            "normative_document",
            "对食品经营许可等行政许可事项推行告知承诺制，明确承诺内容、核查方式和违诺处理。",
            "2023-09-04",
            "2023-10-08",
        ),
        consultation(
            "zq-nynct-heitudi",
            "关于《黑龙江省黑土地保护利用条例（草案）》公开征求意见的公告",
            "hlj-nynct",
            "normative_document",
            "草案对黑土地保护规划、高标准农田建设、耕地质量监测和秸秆还田作出规定。",
            "2021-11-15",
            "2021-12-15",
        ),
        consultation(
            "zq-harbin-dibao",
            "关于调整哈尔滨市城乡居民最低生活保障标准的意见征集",
            "harbin",
            "policy_measure",
            "拟提高城市和农村低保标准，低保对象动态调整，现征集社会意见。",
            "2023-06-12",
            "2023-07-12",
        ),
    ]


def records() -> list[dict[str, Any]]:
    """Every record, in the order they must be created (documents before their interpretations)."""
    return [
        *_policies(),
        *_reprints(),
        *_interpretations(),
        *_disclosures(),
        *_service_items(),
        *_open_data(),
        *_credit(),
        *_consultations(),
    ]


def main() -> int:
    import yaml  # noqa: PLC0415

    yaml.safe_dump(
        {"organizations": organizations(), "records": records()},
        sys.stdout,
        allow_unicode=True,
        sort_keys=False,
        width=200,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
