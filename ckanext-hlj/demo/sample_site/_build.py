"""Writes the invented sample site beside this script (see README.md). Run: ``python _build.py``.

The pages are generated rather than hand-written so that the GBK-encoded ones can be reviewed here as UTF-8 text,
and so that lists, detail pages, feeds and the JSON API agree on every document. The output is deterministic:
running the script again rewrites identical files.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from html import escape
from pathlib import Path

HERE = Path(__file__).resolve().parent
BEIJING = timezone(timedelta(hours=8))

FGW = "黑龙江省发展和改革委员会"
FGW_INDEX = "11230000MB0X12345F"
RST = "黑龙江省人力资源和社会保障厅"
RST_INDEX = "11230000MB0Y67890K"


@dataclass
class Doc:
    """One invented document. Printed values are kept as the site prints them (traps included)."""

    key: str  # detail file name without .html (fgw: t20170320_123456, rst: art_3201_56789)
    published: str  # 2017-03-20 10:30
    title: str
    doc_number: str  # as printed; 无 when there is none
    topic: str  # as printed
    written: str  # as printed
    validity: str
    keywords: str
    paragraphs: list[str]
    serial: int
    attachment: tuple[str, str] | None = None  # (title, file name)
    list_date: str | None = None  # the date as the list prints it, when not the default form
    extra_body: str = ""  # raw HTML appended to the body (tables, the sanitiser trap)
    notes: list[str] = field(default_factory=list)

    @property
    def when(self) -> datetime:
        return datetime.strptime(self.published, "%Y-%m-%d %H:%M")


# -- 黑龙江省发展和改革委员会: a TRS/WCM column, GBK -------------------------------------------------------------------

FGW_DOCS = [
    Doc(
        "t20170628_245310",
        "2017-06-28 10:30",
        "关于印发《黑龙江省发展和改革委员会2017年政务公开工作要点》的通知",
        "黑发改办〔2017〕45号",
        "综合政务\\政务公开",
        "2017年06月26日",
        "有效",
        "政务公开 工作要点",
        [
            "为深入贯彻《关于全面推进政务公开工作的实施意见》，坚持以公开为常态、不公开为例外，现将《黑龙江省发展和改革委员会2017年政务公开工作要点》印发给你们，请认真抓好落实。",
            "各处室、各直属单位要明确分管负责同志和具体承办人员，于每季度末将工作进展情况报委办公室。",
        ],
        45,
        ("2017年政务公开工作要点", "P020170628391204556721.pdf"),
    ),
    Doc(
        "t20170620_244876",
        "2017-06-20 09:15",
        "关于做好重大建设项目批准和实施领域政府信息公开工作的通知",
        "黑发改投资〔2017〕210号",
        "国民经济管理、国有资产监管\\重大建设项目",
        "2017年06月16日",
        "有效",
        "重大建设项目 信息公开",
        [
            "重大建设项目的批准服务信息、批准结果信息、招标投标信息、征收土地信息、重大设计变更信息、施工有关信息、质量安全监督信息和竣工有关信息，均应按照“谁批准、谁公开，谁实施、谁公开，谁制作、谁公开”的原则及时公开。",
            "各市（地）发展改革委要于2017年7月底前完成本地区项目信息公开专栏建设。",
        ],
        44,
        ("重大建设项目信息公开目录", "P020170620512349982315.pdf"),
    ),
    Doc(
        "t20170612_243991",
        "2017-06-12 16:00",
        "关于公开征求《黑龙江省定价目录（征求意见稿）》意见的公告",
        "黑发改价格[2017]18号",
        "国民经济管理、国有资产监管/物价",
        "2017-06-09",
        "有效",
        "定价目录;征求意见",
        [
            "为推进价格决策公开，现将《黑龙江省定价目录（征求意见稿）》向社会公开征求意见，征求意见期限为30日。",
            "公众可通过电子邮件或信函方式提出意见，来信请注明“定价目录意见”字样。",
        ],
        43,
        ("黑龙江省定价目录（征求意见稿）", "P020170612602931174408.pdf"),
    ),
    Doc(
        "t20170605_243215",
        "2017-06-05 11:20",
        "黑龙江省发展和改革委员会关于建立重大行政决策预公开制度的实施办法",
        "黑发改规〔2017〕5号",
        "综合政务 \\ 政务公开",
        "2017年06月01日",
        "有效",
        "决策公开 预公开",
        [
            "重要改革方案、重大政策措施、重点工程项目，除依法应当保密的外，应在决策前向社会公布决策草案、决策依据，广泛听取公众意见。",
            "听取意见的期限一般不少于30日；意见收集和采纳情况应随决策结果一并公开。",
        ],
        42,
        ("重大行政决策预公开实施办法", "P020170605410022873316.pdf"),
    ),
    Doc(
        "t20170526_242507",
        "2017-05-26 14:45",
        "关于转发《国务院办公厅关于印发2017年政务公开工作要点的通知》的通知",
        "黑发改办（2017）38号",
        "综合政务\\政务公开",
        "2017年05月24日",
        "有效",
        "政务公开",
        ["现将《国务院办公厅关于印发2017年政务公开工作要点的通知》转发给你们，请结合工作实际认真贯彻执行。"],
        41,
        None,
    ),
    Doc(
        "t20170518_241880",
        "2017-05-18 10:00",
        "关于表彰王喆、李堃等政务公开工作先进个人的通报",
        "黑发改人〔2017〕22号",
        "劳动、人事、监察\\人事工作",
        "2017年05月16日",
        "有效",
        "表彰 政务公开",
        [
            "2016年，全省发展改革系统政务公开工作取得明显成效。经研究，决定对王喆、李堃、刘镕等12名同志予以通报表彰。",
            "希望受到表彰的同志珍惜荣誉、再接再厉，为推进政务公开工作作出新的贡献。",
        ],
        40,
        ("受表彰人员名单", "P020170518338810021944.pdf"),
    ),
    Doc(
        "t20170510_241236",
        "2017-05-10 09:30",
        "黑龙江省发展和改革委员会权责清单（2017年版）",
        "无",
        "综合政务\\政务公开",
        "2017年05月08日",
        "有效",
        "权责清单",
        [
            "根据省政府关于推行权力清单和责任清单制度的部署，现将本委权责清单（2017年版）予以公布，接受社会监督。"
        ],
        39,
        ("权责清单（2017年版）", "P020170510509913384021.pdf"),
    ),
    Doc(
        "t20170428_240117",
        "2017-04-28 15:10",
        "关于进一步规范价格收费信息公开的通知",
        "黑发改价格〔2017〕010号",
        "国民经济管理、国有资产监管\\物价",
        "2017年04月25日",
        "有效",
        "价格 收费 公示",
        [
            "各地价格主管部门要督促经营者在经营场所醒目位置公示收费项目、收费标准和投诉电话。",
            "对未按规定公示的，依法予以查处，查处结果向社会公开。",
        ],
        38,
        ("收费公示样式", "P020170428611294830012.pdf"),
    ),
    Doc(
        "t20170419_239402",
        "2017-04-19 10:05",
        "关于开展2017年政府信息公开工作培训的通知",
        "黑发改办〔2017〕27号",
        "综合政务\\政务公开",
        "2017年04月17日",
        "有效",
        "培训",
        [
            "为提高政务公开工作人员业务能力，定于2017年5月上旬举办全系统政府信息公开工作培训班，请各单位选派1名工作人员参加。"
        ],
        37,
        ("参训人员回执", "P020170419382201847755.pdf"),
    ),
    Doc(
        "t20170407_238355",
        "2017-04-07 16:40",
        "关于做好“十三五”规划纲要实施情况信息公开的通知",
        "黑发改规划〔2017〕9号",
        "发展规划",
        "2017年04月05日",
        "有效",
        "规划 十三五",
        [
            "各地各部门要围绕“十三五”规划纲要确定的主要目标和重点任务，做好实施进展情况的公开工作，每半年公开一次。"
        ],
        36,
        ("规划纲要实施情况公开模板", "P020170407281003321590.pdf"),
        notes=["topic 发展规划 is in no code list: a mapping warning"],
    ),
    Doc(
        "t20170331_237311",
        "2017-03-31 11:00",
        "关于印发《黑龙江省发展和改革委员会政府信息依申请公开工作规程》的通知",
        "黑发改规〔2017〕4号",
        "综合政务\\政务公开",
        "2017年03月29日",
        "已修订",
        "依申请公开 工作规程",
        [
            "现将《黑龙江省发展和改革委员会政府信息依申请公开工作规程》印发给你们，请遵照执行。",
            "依申请公开事项按照“统一受理、分办协办、统一答复”的原则办理，答复期限严格按照法定时限执行。",
        ],
        35,
        ("政府信息依申请公开工作规程", "P020170331109928374461.pdf"),
    ),
    Doc(
        "t20170320_123456",
        "2017-03-20 10:30",
        "关于贯彻落实《关于全面推进政务公开工作的实施意见》的通知",
        "黑发改办〔2017〕12号",
        "综合政务\\政务公开",
        "2017年03月20日",
        "有效",
        "政务公开 五公开 实施意见",
        [
            "省委办公厅、省政府办公厅印发的《关于全面推进政务公开工作的实施意见》，对推进决策、执行、管理、服务、结果公开（“五公开”）作出了部署。现就贯彻落实有关事项通知如下。",
            "一、建立健全预公开制度。重要改革方案、重大政策措施、重点工程项目在决策前向社会公布决策草案和决策依据。",
            "二、推进执行和结果公开。围绕政府工作报告、发展规划提出的重要事项，公开执行措施、实施步骤、责任分工和监督方式。",
            "联系人：王喆，联系电话：0451-82620000。",
        ],
        12,
        ("政务公开重点任务分工表", "P020170320512345678901.pdf"),
        extra_body=(
            '<table border="1" cellspacing="0"><tr><th>重点任务</th><th>牵头处室</th><th>完成时限</th></tr>'
            "<tr><td>建立预公开制度</td><td>办公室</td><td>2017年年底前</td></tr>"
            "<tr><td>重点项目信息公开</td><td>重点项目处</td><td>持续推进</td></tr></table>"
        ),
    ),
    Doc(
        "t20170310_236004",
        "2017-03-10 09:00",
        "黑龙江省发展和改革委员会2016年政府信息公开工作年度报告",
        "无",
        "综合政务\\政务公开",
        "2017年03月08日",
        "有效",
        "年度报告",
        [
            "本报告根据《中华人民共和国政府信息公开条例》要求，由黑龙江省发展和改革委员会编制。全文包括概述、主动公开政府信息情况、依申请公开政府信息情况、复议诉讼情况及存在的主要问题和改进措施。",
            "2016年，本委主动公开政府信息1262条，受理政府信息公开申请38件，均按期答复。",
        ],
        11,
        ("2016年政府信息公开工作年度报告", "P020170310392284716635.pdf"),
    ),
    Doc(
        "t20170227_235117",
        "2017-02-27 15:30",
        "关于公布2017年省级重点建设项目名单的通知",
        "黑发改重点〔2017〕31号",
        "国民经济管理、国有资产监管\\重大建设项目",
        "2017年02月24日",
        "有效",
        "重点项目",
        [
            "经省政府同意，现将2017年省级重点建设项目名单予以公布。各项目单位要按规定公开项目审批、建设和竣工有关信息。"
        ],
        10,
        ("2017年省级重点建设项目名单", "P020170227470021193806.pdf"),
    ),
    Doc(
        "t20170215_234260",
        "2017-02-15 10:20",
        "关于推进政务新媒体健康有序发展的意见",
        "黑发改办〔2017〕8号",
        "综合政务\\电子政务",
        "2017年02月13日",
        "有效",
        "政务新媒体",
        [
            "各单位开设的政务微博、微信公众号等政务新媒体，要及时发布权威信息，回应社会关切，做到内容准确、更新及时。"
        ],
        9,
        None,
    ),
    Doc(
        "t20170206_233408",
        "2017-02-06 14:00",
        "关于废止部分规范性文件的决定",
        "黑发改规〔2017〕1号",
        "综合政务\\政务公开",
        "2017年02月03日",
        "有效",
        "规范性文件 清理",
        ["经清理，决定废止《关于加强价格信息公开工作的通知》等7件规范性文件，自公布之日起不再执行。"],
        8,
        ("废止文件目录", "P020170206221394008873.pdf"),
    ),
    Doc(
        "t20170124_232551",
        "2017-01-24 09:40",
        "关于印发《黑龙江省发展和改革委员会政府信息公开保密审查办法》的通知",
        "黑发改办〔2017〕3号",
        "综合政务\\保密工作",
        "2017年01月22日",
        "有效",
        "保密审查",
        [
            "政府信息公开前，应当依照《中华人民共和国保守国家秘密法》以及其他法律、法规和国家有关规定进行保密审查。",
            "对不能确定是否可以公开的政府信息，应当报有关主管部门或者保密工作部门确定。",
        ],
        7,
        ("保密审查办法", "P020170124382299104437.pdf"),
    ),
    Doc(
        "t20170118_231884",
        "2017-01-18 16:15",
        "关于做好2017年春节期间市场价格监管工作的通知",
        "黑发改价格〔2017〕6号",
        "国民经济管理、国有资产监管\\物价",
        "2017年01月16日",
        "失效",
        "价格监管 春节",
        ["春节期间，各地要加强粮油肉蛋菜等重要民生商品价格监测，及时公开价格监测信息，稳定市场预期。"],
        6,
        None,
    ),
    Doc(
        "t20170112_231009",
        "2017-01-12 10:50",
        "黑龙江省发展和改革委员会关于公布行政规范性文件清理结果的公告",
        "黑发改〔2017〕",
        "综合政务\\政务公开",
        "2017年01月10日",
        "有效",
        "清理结果",
        ["根据省政府统一部署，本委对截至2016年底制发的行政规范性文件进行了全面清理，现将清理结果予以公布。"],
        5,
        ("规范性文件清理结果", "P020170112118827364450.pdf"),
        notes=["文号 黑发改〔2017〕 has no serial number: a doc_number warning"],
    ),
    Doc(
        "t20170105_230120",
        "2017-01-05 15:00",
        "关于2016年政务公开第三方评估发现问题整改情况的报告",
        "黑发改办〔2017〕1号",
        "综合政务\\政务公开",
        "2017年01月04日",
        "已废止",
        "第三方评估 整改",
        [
            "针对第三方评估指出的栏目更新不及时、政策解读不到位等问题，本委逐项制定整改措施，整改工作已全部完成。"
        ],
        4,
        None,
    ),
]

# A reprinted State Council item: its link leaves the site. The host is under the reserved .invalid top-level
# domain so that nothing real is ever fetched, whatever a harvester is configured to allow.
FGW_EXTERNAL = (
    "http://www.gov.cn.invalid/zhengce/content/2017-04/12/content_0412001.htm",
    "2017-04-12",
    "国务院办公厅关于印发2017年政务公开工作要点的通知（转载）",
)

# Page k of the column: which documents (by index into FGW_DOCS), None for the external item. Page 2 starts with
# page 1's last item again, as happens when a new item is published between two page fetches.
FGW_PAGES = [list(range(8)), [7, 8, 9, None, 10, 11, 12, 13], [14, 15, 16, 17, 18, 19]]


def fgw_chrome_top(title: str, up: str) -> str:
    """Header, navigation and breadcrumb; ``up`` leads from the page's folder to the column's (xxgk/)."""
    return f"""<div class="header">
<div class="topbar">今天是：<script type="text/javascript">var d=new Date();document.write(d.getFullYear()+"年"+(d.getMonth()+1)+"月"+d.getDate()+"日");</script>2017年6月30日　<a href="{up}../../index.html">网站首页</a> | <a href="javascript:void(0)" onclick="AddFavorite()">加入收藏</a></div>
<div class="logo"><img src="{up}../../images/logo.png" alt="{FGW}"></div>
<ul class="nav">
<li><a href="{up}../../index.html">首页</a></li><li><a href="{up}../../zwdt/index.html">政务动态</a></li>
<li><a href="{up}index.html">信息公开</a></li><li><a href="{up}../../zcjd/index.html">政策解读</a></li>
<li><a href="{up}../../hdjl/index.html">互动交流</a></li><li><a href="{up}../../ztzl/index.html">专题专栏</a></li>
</ul>
</div>
<div class="position">当前位置：<a href="{up}../../index.html">首页</a> &gt; <a href="{up}index.html">信息公开</a> &gt; {escape(title)}</div>
"""


def fgw_footer(up: str) -> str:
    return f"""<div class="footer">
<p><a href="{up}../../wzdt/index.html">网站地图</a> | <a href="{up}../../lxwm/index.html">联系我们</a> | <a href="{up}../../sybz/index.html">使用帮助</a></p>
<p>主办单位：{FGW}　地址：哈尔滨市南岗区中山路（示例地址）　网站标识码：2300000000　黑ICP备00000000号</p>
<script type="text/javascript">document.write(unescape("%3Cspan id='_ideConac'%3E%3C/span%3E%3Cscript src='http://dcs.conac.cn.invalid/js/10/000/0000/00000000/CA100000000000000.js' type='text/javascript'%3E%3C/script%3E"));</script>
</div>"""


def fgw_list_page(k: int) -> str:
    rows = []
    for i in FGW_PAGES[k]:
        if i is None:
            url, day, title = FGW_EXTERNAL
        else:
            doc = FGW_DOCS[i]
            url, day, title = f"./{doc.key[1:7]}/{doc.key}.html", doc.published[:10], doc.title
        shown = title if len(title) <= 30 else title[:29] + "…"
        rows.append(
            f'<li><span class="date">{day}</span><a href="{url}" title="{escape(title)}" target="_blank">'
            f"{escape(shown)}</a></li>"
        )
    # TRS prints long lists in chunks of five with a rule between.
    chunks = ["\n".join(rows[i : i + 5]) for i in range(0, len(rows), 5)]
    body = '\n<div class="line"></div>\n'.join(f'<ul class="list">\n{c}\n</ul>' for c in chunks)
    hot = "\n".join(
        f'<li><a href="./{d.key[1:7]}/{d.key}.html" title="{escape(d.title)}">{escape(d.title[:14])}…</a>'
        f"<span>[{d.published[:10]}]</span></li>"
        for d in (FGW_DOCS[11], FGW_DOCS[12], FGW_DOCS[3])
    )
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />
<title>信息公开_{FGW}</title>
<meta name="SiteName" content="{FGW}" />
<meta name="ColumnName" content="政策文件" />
<link href="../../css/style.css" rel="stylesheet" type="text/css" />
<script type="text/javascript">
var _hmt = _hmt || [];
/* a tracker that writes markup of its own: none of it is page content */
document.write('<a href="./201701/t20170101_000000.html">下一页</a> 2017-01-01');
</script>
</head>
<body>
{fgw_chrome_top("信息公开", "")}
<div class="main">
<div class="left">
<div class="left_title">信息公开目录</div>
<ul class="column_tree">
<li><a href="./index.html">政策文件</a></li><li><a href="../ghjh/index.html">规划计划</a></li>
<li><a href="../xmsp/index.html">项目审批</a></li><li><a href="../jggl/index.html">价格管理</a></li>
<li><a href="../ndbg/index.html">年度报告</a></li>
</ul>
<div class="left_title">热点关注</div>
<ul class="hot">
{hot}
</ul>
</div>
<div class="right">
<div class="right_title">政策文件</div>
<div class="xxgk_list">
{body}
</div>
<div class="page">
<script type="text/javascript">
var currentPage = {k};//所在页从0开始
var prevPage = currentPage-1//上一页
var nextPage = currentPage+1//下一页
var countPage = {len(FGW_PAGES)}//共多少页
createPageHTML({len(FGW_PAGES)}, {k}, "index", "html");
</script>
</div>
</div>
</div>
{fgw_footer("")}
</body>
</html>
"""


def fgw_detail_page(doc: Doc) -> str:
    paragraphs = "\n".join(f'<p style="text-indent:2em;">{escape(p)}</p>' for p in doc.paragraphs)
    attachment = ""
    if doc.attachment:
        name, file_name = doc.attachment
        attachment = (
            f'<div class="fujian"><span>附件：</span><a href="./{file_name}" target="_blank">'
            f"{escape(name)}.{file_name.rsplit('.', 1)[1]}</a></div>"
        )
    day = doc.published[:10]
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />
<title>{escape(doc.title)}_{FGW}</title>
<meta name="SiteName" content="{FGW}" />
<meta name="ColumnName" content="政策文件" />
<meta name="ArticleTitle" content="{escape(doc.title)}" />
<meta name="PubDate" content="{doc.published}" />
<meta name="ContentSource" content="{FGW}" />
<meta name="Keywords" content="{escape(doc.keywords)}" />
<script type="text/javascript">
function doZoom(size) {{ document.getElementById('zoom').style.fontSize = size + 'px'; }}
var shareTitle = "{escape(doc.title)}　发布日期：1999-01-01";
</script>
</head>
<body>
{fgw_chrome_top(doc.title, "../")}
<div class="detail">
<table class="xxgk_table" width="100%" border="0" cellspacing="1" cellpadding="0">
<tr><td class="bt">索 引 号：</td><td>{FGW_INDEX}/2017-{doc.serial:05d}</td><td class="bt">主题分类：</td><td>{escape(doc.topic)}</td></tr>
<tr><td class="bt">发文机关：</td><td>{FGW}</td><td class="bt">成文日期：</td><td>{doc.written}</td></tr>
<tr><td class="bt">标　　题：</td><td colspan="3">{escape(doc.title)}</td></tr>
<tr><td class="bt">发文字号：</td><td>{escape(doc.doc_number)}</td><td class="bt">发布日期：</td><td>{day}</td></tr>
<tr><td class="bt">主 题 词：</td><td>{escape(doc.keywords)}</td><td class="bt">有 效 性：</td><td>{doc.validity}</td></tr>
</table>
<div class="article_title">{escape(doc.title)}</div>
<div class="info">发布时间：{doc.published}　来源：{FGW}　【字体：<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a>】<a href="javascript:window.print()">【打印】</a></div>
<div id="zoom">
<!--<$[信息内容]>begin--><div class="TRS_Editor"><style type="text/css">
.TRS_Editor P{{margin-top:0px;margin-bottom:12px;line-height:1.8;font-family:宋体;font-size:12pt;}}
</style>
<div class="Custom_UnionStyle">
<p align="center"><strong>{escape(doc.title)}</strong></p>
<p>各市（地）发展改革委，委机关各处室、各直属单位：</p>
{paragraphs}
{doc.extra_body}
<p style="text-align:right;">{FGW}</p>
<p style="text-align:right;">{doc.written}</p>
</div></div><!--<$[信息内容]>end-->
</div>
{attachment}
<div class="related"><div class="related_title">相关链接</div><ul>
<li><a href="../index.html">返回信息公开目录</a></li>
</ul></div>
</div>
{fgw_footer("../")}
</body>
</html>
"""


# -- 黑龙江省人力资源和社会保障厅: a UTF-8 column without any charset declaration ---------------------------------------

RST_DOCS = [
    Doc(
        "art_3201_57310",
        "2017-06-26 10:00",
        "关于做好2017年全省高校毕业生就业信息公开工作的通知",
        "黑人社发〔2017〕41号",
        "劳动、人事、监察/劳动就业",
        "2017年6月23日",
        "有效",
        "就业;信息公开",
        [
            "各地要通过政府网站、公共就业服务平台及时公开就业扶持政策、招聘信息和补贴申领条件，方便高校毕业生查询办理。"
        ],
        31,
    ),
    Doc(
        "art_3201_57144",
        "2017-06-15 15:30",
        "关于公布2017年第二批省级创业孵化基地名单的通知",
        "黑人社函〔2017〕160号",
        "劳动、人事、监察/劳动就业",
        "2017年6月13日",
        "有效",
        "创业孵化基地",
        ["经评审认定，现将2017年第二批省级创业孵化基地名单予以公布，有效期三年。"],
        30,
    ),
    Doc(
        "art_3201_56980",
        "2017-06-02 09:00",
        "黑龙江省人力资源和社会保障厅关于调整全省最低工资标准的通知",
        "黑人社规〔2017〕6号",
        "劳动、人事、监察/劳动就业",
        "2017年5月31日",
        "有效",
        "最低工资",
        ["经省政府同意，自2017年10月1日起调整全省最低工资标准。各地要做好政策宣传和信息公开工作。"],
        29,
    ),
    Doc(
        "art_3201_56802",
        "2017-05-22 14:20",
        "关于进一步推进社会保险经办信息公开的通知",
        "黑人社发〔2017〕33号",
        "劳动、人事、监察/社会保障",
        "2017年5月19日",
        "有效",
        "社会保险;经办",
        ["各级社会保险经办机构要公开参保登记、待遇申领等经办事项的办理条件、办理流程和办理时限。"],
        28,
        extra_body=(
            "<p>具体事项见下表：</p>"
            '<table border="1"><tr><td>事项</td><td>办理时限</td></tr><tr><td>参保登记</td><td>即时办结</td></tr></table>'
            "<script>alert(1)</script>"
            '<p>经办机构联系方式<img src="x.png" onerror="alert(2)">请登录网站查询。</p>'
            '<p onclick="alert(4)"><a href="javascript:alert(3)">点击查看办事指南</a>　'
            '<a href="https://www.example.com/guide.html" onmouseover="alert(5)" target="_blank">办事指南（外部链接）</a></p>'
            '<iframe src="http://ads.example.invalid/frame.html" width="1" height="1"></iframe>'
            '<form action="http://ads.example.invalid/collect"><input name="phone"><button>提交</button></form>'
            "<style>body{display:none}</style>"
        ),
        notes=["the sanitiser trap: script, onerror, onclick, javascript:, iframe, form, style"],
    ),
    Doc(
        "art_3201_56650",
        "2017-05-11 10:40",
        "关于印发《黑龙江省人力资源和社会保障厅政务公开工作实施细则》的通知",
        "黑人社发[2017]30号",
        "综合政务/政务公开",
        "2017年5月9日",
        "有效",
        "政务公开;实施细则",
        ["现将《黑龙江省人力资源和社会保障厅政务公开工作实施细则》印发给你们，请认真遵照执行。"],
        27,
        ("政务公开工作实施细则", "ssxz.txt"),
    ),
    Doc(
        "art_3201_56433",
        "2017-04-27 16:10",
        "关于开展2017年度人力资源市场秩序专项检查的通知",
        "黑人社函〔2017〕98号",
        "劳动、人事、监察/劳动就业",
        "2017年4月25日",
        "有效",
        "人力资源市场",
        ["检查结果及查处的违法违规案件将依法向社会公开。"],
        26,
    ),
    Doc(
        "art_3201_56201",
        "2017-04-14 09:20",
        "关于公开2017年省直事业单位公开招聘工作人员计划的公告",
        "无",
        "劳动、人事、监察/人事工作",
        "2017年4月12日",
        "有效",
        "事业单位;公开招聘",
        ["2017年省直事业单位计划公开招聘工作人员，招聘岗位、人数及资格条件详见招聘计划表。"],
        25,
    ),
    Doc(
        "art_3201_55988",
        "2017-03-30 14:00",
        "关于做好企业职工基本养老保险待遇调整工作的通知",
        "黑人社发〔2017〕19号",
        "劳动、人事、监察/社会保障",
        "2017年3月28日",
        "部分失效",
        "养老保险;待遇调整",
        ["按照国家统一部署，调整企业退休人员基本养老金，调整后的待遇于2017年6月底前发放到位。"],
        24,
        notes=["有效性 部分失效 is in no code list: a mapping warning"],
    ),
    Doc(
        "art_3201_55801",
        "2017-03-20 15:30",
        "关于认真贯彻落实《关于全面推进政务公开工作的实施意见》的通知",
        "黑人社发〔2017〕15号",
        "综合政务/政务公开",
        "二〇一七年三月二十日",
        "有效",
        "政务公开;五公开",
        [
            "各地人力资源社会保障部门要围绕就业创业、社会保险、人事人才等群众关切，推进决策、执行、管理、服务、结果公开。",
            "要于2017年年底前完成本单位政务公开事项目录的编制和公开工作。",
        ],
        23,
        list_date="二〇一七年三月二十日",
    ),
    Doc(
        "art_3201_55610",
        "2017-03-08 10:00",
        "黑龙江省人力资源和社会保障厅2016年政府信息公开工作年度报告",
        "无",
        "综合政务/政务公开",
        "2017年3月6日",
        "有效",
        "年度报告",
        ["2016年，本厅主动公开政府信息986条，受理依申请公开26件，全部按期答复。"],
        22,
    ),
    Doc(
        "art_3201_55402",
        "2017-02-24 15:00",
        "关于开展根治拖欠农民工工资专项行动的通知",
        "黑人社发〔2017〕9号",
        "劳动、人事、监察/劳动就业",
        "2017年2月22日",
        "有效",
        "农民工工资",
        ["对查处的拖欠农民工工资重大违法行为，按规定向社会公布。"],
        21,
    ),
    Doc(
        "art_3201_55287",
        "2017-02-13 09:30",
        "关于发布2017年度全省人力资源市场工资指导价位的通知",
        "黑人社函〔2017〕31号",
        "劳动、人事、监察/劳动就业",
        "2017年2月10日",
        "有效",
        "工资指导价位",
        ["现将2017年度全省人力资源市场工资指导价位予以发布，供用人单位和劳动者参考。"],
        20,
        ("2017年度工资指导价位", "gzzdjw2017.txt"),
    ),
    Doc(
        "art_3201_55106",
        "2017-01-23 11:10",
        "关于做好2017年春节前后农民工返乡就业服务工作的通知",
        "黑人社发〔2017〕5号",
        "劳动、人事、监察/劳动就业",
        "2017年1月20日",
        "失效",
        "农民工;返乡就业",
        ["春节前后，各地要集中开展就业服务活动，及时公开岗位信息。"],
        19,
    ),
    Doc(
        "art_3201_54990",
        "2017-01-16 14:30",
        "关于公布行政权力清单和责任清单动态调整结果的公告",
        "黑人社发〔2017〕3号",
        "综合政务/政务公开",
        "2017年1月13日",
        "有效",
        "权力清单;责任清单",
        ["根据法律法规立改废情况，本厅对行政权力清单和责任清单进行了动态调整，现予以公布。"],
        18,
    ),
    Doc(
        "art_3201_54877",
        "2017-01-09 10:00",
        "关于印发《全省人力资源社会保障系统政务公开考核办法》的通知",
        "黑人社规〔2017〕1号",
        "综合政务/政务公开",
        "2017年1月6日",
        "有效",
        "考核办法",
        ["政务公开工作考核实行百分制，考核结果纳入年度绩效考评。"],
        17,
    ),
    Doc(
        "art_3201_54702",
        "2017-01-03 09:00",
        "关于公布2016年度社会保险基金收支情况的公告",
        "黑人社发〔2017〕1号",
        "劳动、人事、监察/社会保障",
        "2016年12月30日",
        "有效",
        "社会保险基金",
        ["现将2016年度全省社会保险基金收支情况予以公布，接受社会监督。"],
        16,
    ),
]
RST_PAGES = [list(range(6)), list(range(6, 12)), list(range(12, 16))]
RST_PAGE_FILES = ["list.html", "list_2.html", "list_3.html"]


def rst_date(doc: Doc) -> str:
    d = doc.when
    return f"{d.year}年{d.month}月{d.day}日"


def rst_path(doc: Doc) -> str:
    d = doc.when
    return f"art/{d.year}/{d.month}/{d.day}/{doc.key}.html"


RST_HEADER = f"""<header class="site-header">
<div class="site-name">{RST}</div>
<nav class="main-nav"><ul>
<li><a href="../index.html">首页</a></li><li><a href="list.html">政务公开</a></li>
<li><a href="../bsfw/index.html">办事服务</a></li><li><a href="../hdjl/index.html">互动交流</a></li>
</ul></nav>
<div class="today">2017年6月30日 星期五</div>
</header>"""

RST_FOOTER = f"""<footer class="site-footer">
<p><a href="../about.html">关于本站</a> <a href="../map.html">网站地图</a></p>
<p>{RST} 版权所有（示例站点，内容虚构）　网站标识码：2300000001</p>
</footer>"""


def rst_list_page(k: int) -> str:
    rows = []
    for i in RST_PAGES[k]:
        doc = RST_DOCS[i]
        shown = doc.list_date or rst_date(doc)
        number = "" if doc.doc_number == "无" else escape(doc.doc_number)
        rows.append(
            f'<tr><td class="t"><a href="{rst_path(doc)}" target="_blank">{escape(doc.title)}</a></td>'
            f'<td class="n">{number}</td><td class="d">{shown}</td></tr>'
        )
    pages = len(RST_PAGES)
    first = f'<a href="{RST_PAGE_FILES[0]}">首页</a>'
    prev = f'<a href="{RST_PAGE_FILES[k - 1]}">上一页</a>' if k else '<span class="disabled">上一页</span>'
    nxt = (
        f'<a href="{RST_PAGE_FILES[k + 1]}">下一页</a>'
        if k + 1 < pages
        else '<a href="javascript:;" class="disabled">下一页</a>'
    )
    last = f'<a href="{RST_PAGE_FILES[-1]}">尾页</a>'
    numbers = " ".join(
        f'<a href="{RST_PAGE_FILES[j]}">{j + 1}</a>' if j != k else f"<b>{j + 1}</b>" for j in range(pages)
    )
    total = sum(len(p) for p in RST_PAGES)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<title>政务公开 - {RST}</title>
<link rel="stylesheet" href="../css/main.css">
<script>window.siteConfig = {{"next": "<a href='list_9.html'>下一页</a>"}};</script>
</head>
<body>
{RST_HEADER}
<nav class="breadcrumb"><a href="../index.html">首页</a> &gt; <a href="list.html">政务公开</a> &gt; 政策文件</nav>
<main class="container">
<h2 class="column-title">政策文件</h2>
<table class="zwgk-table">
<tr><th>标题</th><th>文号</th><th>发布日期</th></tr>
{chr(10).join(rows)}
</table>
<div class="pager">共{total}条 第{k + 1}/{pages}页 {first} {prev} {numbers} {nxt} {last}</div>
</main>
{RST_FOOTER}
</body>
</html>
"""


def rst_detail_page(doc: Doc) -> str:
    paragraphs = "\n".join(f"<p>{escape(p)}</p>" for p in doc.paragraphs)
    attachment = ""
    if doc.attachment:
        name, file_name = doc.attachment
        attachment = f'<p class="attach">附件：<a href="../../../../files/{file_name}">{escape(name)}</a></p>'
    d = doc.when
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<title>{escape(doc.title)} - {RST}</title>
<link rel="stylesheet" href="../../../../../css/main.css">
</head>
<body>
{RST_HEADER.replace('href="', 'href="../../../../')}
<nav class="breadcrumb"><a href="../../../../../index.html">首页</a> &gt; <a href="../../../../list.html">政务公开</a></nav>
<main class="container">
<article>
<h1 class="article-title">{escape(doc.title)}</h1>
<ul class="xxgk-meta">
<li><span>索 引 号：</span>{RST_INDEX}/2017-{doc.serial:05d}</li>
<li><span>主题分类：</span>{escape(doc.topic)}</li>
<li><span>发布机构：</span>{RST}</li>
<li><span>发文日期：</span>{doc.written}</li>
<li><span>发文字号：</span>{escape(doc.doc_number)}</li>
<li><span>发布日期：</span>{d.year}年{d.month}月{d.day}日 {d.hour:02d}:{d.minute:02d}</li>
<li><span>关 键 词：</span>{escape(doc.keywords)}</li>
<li><span>时 效 性：</span>{doc.validity}</li>
</ul>
<div class="article-content">
<p>各市（地）人力资源和社会保障局，省直各有关单位：</p>
{paragraphs}
{doc.extra_body}
<p style="text-align:right">{RST}</p>
<p style="text-align:right">{doc.written}</p>
</div>
{attachment}
<p class="share">分享到：<a href="javascript:share('weibo')">微博</a> <a href="javascript:share('weixin')">微信</a></p>
</article>
</main>
{RST_FOOTER}
</body>
</html>
"""


# -- feeds and the JSON API -----------------------------------------------------------------------------------------

# Where the site is served, for the absolute links the RSS feed carries (the other pages link relatively).
BASE = os.environ.get("SAMPLE_SITE_BASE", "http://localhost:8765").rstrip("/")


def rfc822(doc: Doc) -> str:
    return doc.when.strftime("%a, %d %b %Y %H:%M:00 +0800")


def rss_feed() -> str:
    items = []
    for n, doc in enumerate(RST_DOCS[:8]):
        # One item carries the date the way many Chinese CMSs print it, not RFC 822.
        published = doc.published + ":00" if n == 2 else rfc822(doc)
        items.append(f"""<item>
<title>{escape(doc.title)}</title>
<link>{BASE}/sft/zwgk/{rst_path(doc)}</link>
<guid isPermaLink="false">rst-{doc.key}</guid>
<pubDate>{published}</pubDate>
<description><![CDATA[<p>{doc.paragraphs[0]}</p>]]></description>
</item>""")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
<channel>
<title>{RST} - 政策文件</title>
<link>{BASE}/sft/zwgk/list.html</link>
<description>{RST}政务公开栏目（示例，内容虚构）</description>
<language>zh-cn</language>
{chr(10).join(items)}
</channel>
</rss>
"""


def atom_feed() -> str:
    entries = []
    for doc in FGW_DOCS[:6]:
        stamp = doc.when.strftime("%Y-%m-%dT%H:%M:00+08:00")
        entries.append(f"""<entry>
<title type="html">{escape(escape(doc.title))}</title>
<link rel="alternate" type="text/html" href="{doc.key[1:7]}/{doc.key}.html"/>
<id>tag:fgw.example,2017:{doc.key}</id>
<published>{stamp}</published>
<updated>{stamp}</updated>
<summary type="html">{escape("<p>" + doc.paragraphs[0] + "</p>")}</summary>
</entry>""")
    return f"""<?xml version="1.0" encoding="GBK"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>{FGW} 信息公开</title>
<id>tag:fgw.example,2017:xxgk</id>
<updated>{FGW_DOCS[0].when.strftime("%Y-%m-%dT%H:%M:00+08:00")}</updated>
<link rel="self" href="atom.xml"/>
{chr(10).join(entries)}
</feed>
"""


def json_page(page: int, docs: list[Doc], total_pages: int) -> str:
    items = [
        {
            "id": doc.key,
            "title": doc.title,
            "url": f"../xxgk/{doc.key[1:7]}/{doc.key}.html",
            "pubDate": doc.published + ":00",
            "pubTime": int(doc.when.replace(tzinfo=BEIJING).timestamp() * 1000),
            "docNo": doc.doc_number,
        }
        for doc in docs
    ]
    data = {
        "code": 200,
        "msg": "success",
        "data": {
            "pageNo": page,
            "pageSize": 10,
            "totalPage": total_pages,
            "total": len(FGW_DOCS),
            "nextPage": f"list_{page + 1}.json" if page < total_pages else None,
            "list": items,
        },
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


# -- attachments ----------------------------------------------------------------------------------------------------


def tiny_pdf(text: str) -> bytes:
    """A valid one-page PDF saying ``text`` (ASCII), with a correct cross-reference table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def write(path: Path, data: str | bytes, encoding: str = "utf-8") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))


def main() -> None:
    fgw, rst = HERE / "fgw", HERE / "sft"
    for k in range(len(FGW_PAGES)):
        write(fgw / "xxgk" / ("index.html" if k == 0 else f"index_{k}.html"), fgw_list_page(k), "gbk")
    for doc in FGW_DOCS:
        month = fgw / "xxgk" / doc.key[1:7]
        write(month / f"{doc.key}.html", fgw_detail_page(doc), "gbk")
        if doc.attachment:
            write(month / doc.attachment[1], tiny_pdf(f"Invented sample attachment {doc.attachment[1]}"))
    write(fgw / "xxgk" / "atom.xml", atom_feed(), "gbk")
    write(fgw / "api" / "list.json", json_page(1, FGW_DOCS[:10], 2))
    write(fgw / "api" / "list_2.json", json_page(2, FGW_DOCS[10:], 2))

    for k, name in enumerate(RST_PAGE_FILES):
        write(rst / "zwgk" / name, rst_list_page(k))
    for doc in RST_DOCS:
        write(rst / "zwgk" / rst_path(doc), rst_detail_page(doc))
        if doc.attachment:
            text = f"{doc.attachment[0]}\n（示例附件，内容虚构）\n"
            write(rst / "zwgk" / "files" / doc.attachment[1], text)
    write(rst / "zwgk" / "rss.xml", rss_feed())


if __name__ == "__main__":
    main()
