"""The relevance corpus scaled up: record ``i`` of any size is a variant of one corpus record (its template).

Record ``i`` takes template ``i % T`` (T = the 151 records of corpus.py) and variant ``v = i // T + 1``; it keeps the
template's type, organisation and code-list fields and gets its own name, title, body, 文号 (same issuer code,
another year and serial), codes and USCCs (another implementing body in a county of the city), resource code and
resource names. Titles and bodies are composed from the platform's vocabulary (subjects of every department,
places, years), so words, 文号, codes and department names are spread over the whole index the way the relevance
corpus spreads them.

``fields(template, i)`` returns only what differs from the template, as package_create takes it: the benchmark
creates a sample of variants through package_create (our schemas validate them) and builds the Solr documents of
the others from the template's package dicts with these fields put in (see benchmarks/search_scale.py, which
checks the two ways give the same documents).
"""

from __future__ import annotations

import functools
import uuid
from typing import Any

from . import corpus

VERSION = 1  # bump when the generator changes: a cached index of another version is rebuilt
NAME_PREFIX = f"s{VERSION}-"
NAMESPACE = uuid.UUID("5f0e6f1c-7b1a-4b0e-9d9e-0a6b5c2f4e11")

SUBJECTS = [
    "政务公开",
    "行政许可事项办理",
    "行政处罚裁量基准",
    "水库大坝安全管理",
    "水利工程运行管理",
    "空气质量持续改善",
    "重污染天气应对",
    "最低工资标准调整",
    "义务教育招生入学",
    "医疗机构依法执业",
    "高标准农田建设",
    "优化营商环境",
    "食品经营许可告知承诺",
    "特殊建设工程消防设计审查",
    "冰雪旅游产业发展",
    "城乡居民最低生活保障",
    "公交线路优化调整",
    "双公示信息报送",
    "政务服务一网通办",
    "数字经济发展",
    "5G基站建设",
    "农村公路养护",
    "省级财政专项资金管理",
    "排污许可证核发",
    "长期护理保险试点",
    "城市供水水质管理",
    "住房公积金缴存",
    "社会保障卡应用",
    "失业保险金发放",
    "粮食生产安全",
    "黑土地保护利用",
    "森林草原防火",
    "安全生产专项整治",
    "防汛抗旱应急",
    "政府采购管理",
    "国有建设用地供应",
    "不动产登记便民",
    "企业开办便利化",
    "工程建设项目审批制度改革",
    "公共资源交易",
    "中小学课后服务",
    "疫苗接种服务",
    "养老服务体系建设",
    "退役军人优待",
    "老旧小区改造",
    "物业管理",
    "停车场建设管理",
    "新能源汽车推广",
    "ETC推广应用",
    "政务数据共享开放",
    "信用信息归集",
    "知识产权保护",
    "外商投资促进",
    "农机购置补贴",
    "畜禽养殖污染防治",
    "河湖长制",
    "地表水水质监测",
    "PM2.5和臭氧协同控制",
    "GDP核算",
    "居民消费价格监测",
]
DOC_SUFFIXES = ["的通知", "的实施意见", "的若干措施", "工作方案", "管理办法", "的指导意见"]
DATA_SUBJECTS = [
    "空气质量监测数据",
    "水库水位监测数据",
    "地表水水质监测数据",
    "医疗机构名录",
    "义务教育学校名录",
    "公交线路及站点",
    "公交实时到站API接口",
    "行政许可信息",
    "行政处罚信息",
    "最低生活保障对象统计",
    "地区生产总值（GDP）",
    "GDP增速统计",
    "居民消费价格指数（CPI）",
    "5G基站分布数据",
    "ETC服务网点",
    "A级旅游景区名录",
    "冰雪旅游接待统计",
    "粮食产量统计",
    "高标准农田建设项目",
    "政府采购项目信息",
    "住房公积金缴存情况",
    "城市供水水质公告",
    "社会保障卡服务网点",
    "企业信用信息查询API接口",
    "PM2.5浓度月报",
    "重点排污单位名录",
    "疫苗接种单位名录",
    "机动车保有量统计",
    "国有建设用地供应信息",
    "水利工程名录",
]
_BUREAU_OF = {
    item[0]: item[-1] for item in corpus.SERVICE_ITEMS
}  # service item slug -> the bureau implementing it
COUNTIES = ["道里区", "南岗区", "香坊区", "阿城区", "双城区", "尚志市", "五常市", "宾县", "依兰县", "巴彦县"]
SENTENCES = [
    "为做好{subject}工作，{place}结合本地实际制定本{kind}。",
    "{year}年起在全{scope}范围内推进{subject}，各有关部门要明确责任分工。",
    "{subject}情况按季度向社会公开，接受群众监督，公开内容包括办理依据、办理结果和联系方式。",
    "各地要加强{subject}的统筹协调，{year}年底前完成阶段性目标。",
    "企业和群众可通过黑龙江政务服务网或全省事App查询{subject}相关信息。",
    "数据项包括名称、地址、统一社会信用代码和更新时间，每月更新。",
    "对{subject}中发现的问题限期整改，整改情况纳入年度绩效考核。",
]


def _pick(items: list[str], i: int, salt: int) -> str:
    return items[(i * 7919 + salt * 104_729) % len(items)]


def _body(i: int, c: dict[str, Any], kind: str) -> str:
    scope = "省" if c["place"].startswith("黑龙江") else "市"
    chosen = [SENTENCES[(i + k * 3) % len(SENTENCES)] for k in range(3)]
    return "".join(
        s.format(subject=c["subject"], place=c["place"], year=c["year"], kind=kind, scope=scope)
        for s in chosen
    )


def name(i: int) -> str:
    return f"{NAME_PREFIX}{i:06d}"


def package_id(i: int) -> str:
    return str(uuid.uuid5(NAMESPACE, name(i)))


@functools.cache
def templates() -> list[dict[str, Any]]:
    """The corpus records (built once: callers copy what they change)."""
    return corpus.records()


def template_of(i: int) -> int:
    return i % len(templates())


def _policy(template: dict[str, Any], i: int, c: dict[str, Any]) -> dict[str, Any]:
    suffix = _pick(DOC_SUFFIXES, i, 2)
    if template.get("policy_role") != "document":
        return {
            "title": f"《关于{c['subject']}{suffix}》政策解读",
            "notes": f"本文解读{c['year']}年出台的{c['subject']}政策。" + _body(i, c, "解读"),
        }
    out = {"title": f"{template['issuer']}关于{c['subject']}{suffix}", "notes": _body(i, c, "文件")}
    number = template.get("doc_number") or ""
    if "〔" in number:
        out["doc_number"] = f"{number.split('〔')[0]}〔{c['year']}〕{c['serial']}号"
    elif number:  # an order: 国务院令第711号
        out["doc_number"] = f"{number.split('第')[0]}第{700 + c['serial']}号"
    return out


def _disclosure(template: dict[str, Any], i: int, c: dict[str, Any]) -> dict[str, Any]:
    return {"title": f"{c['subject']}信息公开", "notes": _body(i, c, "目录")}


def _service_item(template: dict[str, Any], i: int, c: dict[str, Any]) -> dict[str, Any]:
    org = template["owner_org"]
    city = org if org in corpus.CITY_REGION else "harbin"
    county = _pick(COUNTIES, i, 3)
    item = template["title"].split("（")[0]
    body = f"{corpus.CITY_NAME[city]}{county}{_BUREAU_OF[template['name'][3:].rsplit('-', 1)[0]]}"
    uscc = corpus.uscc_for(corpus.CITY_REGION[city], 10_000 + i)
    out = {
        "title": f"{item}（{corpus.CITY_NAME[city]}{county}）",
        "implementing_body": body,
        "implementing_uscc": uscc,
        "implementation_code": f"{uscc}1{template['basic_code']}",
        "notes": f"{body}实施。" + _body(i, {**c, "subject": item}, "事项"),
    }
    if template.get("handle_item_code"):
        out["handle_item_code"] = f"{uscc}1{template['basic_code']}01"
    return out


def _open_data(template: dict[str, Any], i: int, c: dict[str, Any]) -> dict[str, Any]:
    data = _pick(DATA_SUBJECTS, i, 4)
    region, domain = template["resource_code"].split("-")[:2]
    return {
        "title": f"{c['place']}{data}（{c['year']}年）",
        "notes": _body(i, {**c, "subject": data}, "数据"),
        "resource_code": f"{region}-{domain}-{i:06d}",
        "resources": [
            {
                "name": f"{data}{c['year']}",
                "url": f"https://data.hlj.gov.cn/files/{name(i)}-{n}.{r['format'].lower()}",
                "format": r["format"],
                "description": f"{data}（{r['format']}）",
            }
            for n, r in enumerate(template.get("resources", []))
        ],
    }


def _credit(template: dict[str, Any], i: int, c: dict[str, Any]) -> dict[str, Any]:
    period = f"{c['year']}年第{'一二三四'[c['v'] % 4]}季度"
    return {
        "title": f"{template['title'].split('（')[0]}（双公示）{period}",
        "notes": period + template["notes"],
    }


def _consultation(template: dict[str, Any], i: int, c: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": f"关于公开征求《{c['place']}{c['subject']}办法（征求意见稿）》意见的公告",
        "notes": _body(i, c, "办法"),
    }


_BY_TYPE = {
    "policy": _policy,
    "disclosure": _disclosure,
    "service-item": _service_item,
    "open-data": _open_data,
    "credit-publication": _credit,
    "consultation": _consultation,
}


def fields(template: dict[str, Any], i: int) -> dict[str, Any]:
    """What variant ``i`` of ``template`` changes, as package_create takes it."""
    t = template_of(i)
    v = i // len(templates()) + 1
    context = {
        "v": v,
        "year": 2012 + (v + t) % 13,
        "serial": 1 + (v * 13 + t) % 240,
        "subject": _pick(SUBJECTS, i, 1),
        "place": corpus.CITY_NAME.get(template["owner_org"], "黑龙江省"),
    }
    return {"name": name(i), **_BY_TYPE[template["type"]](template, i, context)}


def record(i: int) -> dict[str, Any]:
    """Variant ``i`` as package_create takes it (for the sample created for real)."""
    template = templates()[template_of(i)]
    return {**template, **fields(template, i)}
