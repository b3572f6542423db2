"""Detail pages → metadata, body text, sanitised body HTML and attachments."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from ckanext.hlj.catalogue.dates import SHANGHAI
from ckanext.hlj.harvesters.site.detail import DetailSelectors, parse_detail_page, sanitise_html

from .conftest import BASE, page_text

FGW_DOC = "fgw/xxgk/201703/t20170320_123456.html"
SFT_NUMERALS = "sft/zwgk/art/2017/3/20/art_3201_55801.html"
SFT_XSS = "sft/zwgk/art/2017/5/22/art_3201_56802.html"


def parse(rel: str, selectors: DetailSelectors | None = None):
    return parse_detail_page(page_text(rel), BASE + rel, selectors)


def page(body: str, title: str = "") -> str:
    return f"<html><head><title>{title}</title></head><body>{body}</body></html>"


# -- the TRS-style page: a label table with two pairs a row ---------------------------------------------------------


def test_fgw_metadata_table():
    doc = parse(FGW_DOC)
    assert doc.url == BASE + FGW_DOC
    assert doc.title == "关于贯彻落实《关于全面推进政务公开工作的实施意见》的通知"
    assert doc.index_no == "11230000MB0X12345F/2017-00012"  # label printed "索 引 号："
    assert doc.topic == "综合政务\\政务公开"
    assert doc.issuer == "黑龙江省发展和改革委员会"
    assert doc.written_date == date(2017, 3, 20)  # printed 2017年03月20日
    assert doc.doc_number == "黑发改办〔2017〕12号"
    assert doc.keywords == ["政务公开", "五公开", "实施意见"]
    assert doc.validity == "有效"  # label printed "有 效 性："
    assert doc.warnings == []
    assert doc.meta["索引号"] == doc.index_no and doc.meta["发布日期"] == "2017-03-20"


def test_fgw_published_at_takes_the_time_from_the_info_bar():
    # The table says 发布日期 2017-03-20; the bar above the body says 发布时间：2017-03-20 10:30.
    assert parse(FGW_DOC).published_at == datetime(2017, 3, 20, 10, 30, tzinfo=SHANGHAI)


def test_fgw_body_text():
    text = parse(FGW_DOC).body_text
    paragraphs = text.split("\n\n")
    assert "各市（地）发展改革委，委机关各处室、各直属单位：" in paragraphs
    assert "联系人：王喆，联系电话：0451-82620000。" in paragraphs
    assert "建立预公开制度 | 办公室 | 2017年年底前" in paragraphs  # a table row
    for leaked in (
        "索引号",
        "TRS_Editor",
        "margin-top",
        "doZoom",
        "1999-01-01",
        "相关链接",
        "网站标识码",
        "字体",
    ):
        assert leaked not in text


def test_fgw_body_html_keeps_paragraphs_and_tables_only():
    body = parse(FGW_DOC).body_html
    assert body.startswith("<p>") and "<table>" in body and "<th>重点任务</th>" in body
    assert "<td>建立预公开制度</td>" in body
    for leaked in ("<style", "<div", "style=", "align=", "TRS_Editor", "<!--"):
        assert leaked not in body


def test_fgw_attachment_is_absolute():
    assert parse(FGW_DOC).attachments == [
        ("政务公开重点任务分工表.pdf", BASE + "fgw/xxgk/201703/P020170320512345678901.pdf")
    ]


def test_fgw_gbk_only_names_in_the_body():
    doc = parse("fgw/xxgk/201705/t20170518_241880.html")
    assert (
        "王喆、李堃、刘镕" in doc.body_text and doc.title == "关于表彰王喆、李堃等政务公开工作先进个人的通报"
    )


@pytest.mark.parametrize(
    ("rel", "expected"),
    [
        ("fgw/xxgk/201706/t20170612_243991.html", "黑发改价格〔2017〕18号"),  # printed [2017]
        ("fgw/xxgk/201705/t20170526_242507.html", "黑发改办〔2017〕38号"),  # printed （2017）
        ("fgw/xxgk/201704/t20170428_240117.html", "黑发改价格〔2017〕10号"),  # printed 〔2017〕010号
        ("sft/zwgk/art/2017/5/11/art_3201_56650.html", "黑人社发〔2017〕30号"),  # printed [2017]
        ("fgw/xxgk/201705/t20170510_241236.html", None),  # printed 无
    ],
)
def test_doc_numbers_are_normalised(rel, expected):
    doc = parse(rel)
    assert doc.doc_number == expected and doc.warnings == []


def test_unparseable_doc_number_is_kept_raw_with_a_warning():
    doc = parse("fgw/xxgk/201701/t20170112_231009.html")
    assert doc.doc_number == "黑发改〔2017〕"
    assert len(doc.warnings) == 1 and doc.warnings[0].startswith("doc_number: '黑发改〔2017〕'")


# -- the UTF-8 page: <li><span>label：</span>value</li> ------------------------------------------------------------------


def test_sft_metadata_list_with_aliases_and_chinese_numerals():
    doc = parse(SFT_NUMERALS)
    assert doc.title == "关于认真贯彻落实《关于全面推进政务公开工作的实施意见》的通知"
    assert doc.index_no == "11230000MB0Y67890K/2017-00023"
    assert doc.issuer == "黑龙江省人力资源和社会保障厅"  # 发布机构
    assert doc.written_date == date(2017, 3, 20)  # 发文日期：二〇一七年三月二十日
    assert doc.doc_number == "黑人社发〔2017〕15号"  # 发文字号
    assert doc.published_at == datetime(2017, 3, 20, 15, 30, tzinfo=SHANGHAI)
    assert doc.keywords == ["政务公开", "五公开"]  # 关 键 词, split at ;
    assert doc.validity == "有效"  # 时 效 性
    assert doc.topic == "综合政务/政务公开"
    assert doc.body_text.startswith("各市（地）人力资源和社会保障局") and doc.body_text.endswith(
        "二〇一七年三月二十日"
    )
    assert "发布机构" not in doc.body_text and "分享到" not in doc.body_text


def test_sft_attachment_link_to_a_text_file():
    doc = parse("sft/zwgk/art/2017/5/11/art_3201_56650.html")
    assert doc.attachments == [("政务公开工作实施细则", BASE + "sft/zwgk/files/ssxz.txt")]


def test_sft_sanitiser_removes_every_active_part():
    doc = parse(SFT_XSS)
    for bad in ("<script", "alert", "onerror", "onclick", "onmouseover", "javascript:", "<img", "<iframe", "<form",
                "<input", "<button", "<style", "display:none", "target="):  # fmt: skip
        assert bad not in doc.body_html, bad
        assert bad not in doc.body_text, bad
    assert (
        '<a href="https://www.example.com/guide.html" rel="nofollow">办事指南（外部链接）</a>'
        in doc.body_html
    )
    assert "<table>" in doc.body_html and "<td>参保登记</td>" in doc.body_html
    assert "<p>经办机构联系方式请登录网站查询。</p>" in doc.body_html
    assert "点击查看办事指南" in doc.body_text  # the javascript: link's text survives as text


# -- sanitiser ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        (
            '<a href="http://a.example/x" target="_blank">x</a>',
            '<a href="http://a.example/x" rel="nofollow">x</a>',
        ),
        ('<a href="/relative">x</a>', '<a rel="nofollow">x</a>'),
        ('<a href="data:text/html,evil">x</a>', '<a rel="nofollow">x</a>'),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', '<a rel="nofollow">x</a>'),
        ("<div><span style='color:red'>正文</span></div>", "正文"),
        ("<h2 class='t'>一、总则</h2>", "<h2>一、总则</h2>"),
        ("<p>a<br/>b</p>", "<p>a<br>b</p>"),
        ("<svg onload=alert(1)><circle/></svg>文字", "文字"),
        ("<p onclick=alert(1)>段落</p><!-- comment -->", "<p>段落</p>"),
        (
            "<table><tr><td colspan=2 onclick=x>1</td></tr></table>",
            '<table><tbody><tr><td colspan="2">1</td></tr></tbody></table>',
        ),
        ("<ul><li>一</li></ul><ol><li>二</li></ol>", "<ul><li>一</li></ul><ol><li>二</li></ol>"),
    ],
)
def test_sanitise_html(dirty, clean):
    assert sanitise_html(dirty) == clean


# -- other layouts ----------------------------------------------------------------------------------------------------


def test_label_value_lines_with_several_pairs_per_line():
    body = """<div class="info">索引号：000014349/2017-00042　主题分类：综合政务\\政务公开</div>
    <div class="info">发文机关：黑龙江省人民政府办公厅　成文日期：2017年3月20日</div>
    <div class="info">标　　题：关于全面推进政务公开工作的实施意见</div>
    <div class="info">发文字号：黑政办规〔2017〕12号　发布日期：2017年3月22日</div>
    <h1>关于全面推进政务公开工作的实施意见</h1>
    <div id="zoom"><p>为贯彻落实政务公开工作要求，结合我省工作实际，制定本实施意见。</p></div>"""
    doc = parse_detail_page(
        page(body, "关于全面推进政务公开工作的实施意见_黑龙江省人民政府"), BASE + "a.html"
    )
    assert (doc.index_no, doc.topic) == ("000014349/2017-00042", "综合政务\\政务公开")
    assert (doc.issuer, doc.written_date) == ("黑龙江省人民政府办公厅", date(2017, 3, 20))
    assert doc.doc_number == "黑政办规〔2017〕12号"
    assert doc.published_at == datetime(2017, 3, 22, tzinfo=SHANGHAI)
    assert doc.body_text == "为贯彻落实政务公开工作要求，结合我省工作实际，制定本实施意见。"


def test_cells_without_colons_and_definition_lists():
    body = """<table class="m"><tr><th>索引号</th><td>A-1</td><th>文号</th><td>黑政发(2017)3号</td></tr>
    <tr><th>成文日期</th><td>2017/3/1</td><th>有效性</th><td>已失效</td></tr></table>
    <dl><dt>发布机关</dt><dd>黑龙江省人民政府</dd></dl>
    <div class="article-content"><p>正文第一段，足够长的一段文字用于识别正文区域。</p><p>第二段。</p></div>"""
    doc = parse_detail_page(page(body, "标题"), BASE)
    assert (doc.index_no, doc.doc_number, doc.written_date) == ("A-1", "黑政发〔2017〕3号", date(2017, 3, 1))
    assert doc.validity == "已失效" and doc.issuer == "黑龙江省人民政府"
    assert doc.body_text == "正文第一段，足够长的一段文字用于识别正文区域。\n\n第二段。"


def test_chinese_time_of_day_and_a_bad_written_date():
    body = """<ul><li><span>成文日期：</span>2017年2月30日</li><li><span>发布时间：</span>2017年3月20日 下午3时30分</li></ul>
    <div class="content"><p>正文内容正文内容正文内容正文内容正文内容。</p></div>"""
    doc = parse_detail_page(page(body), BASE)
    assert doc.written_date is None
    assert doc.warnings and doc.warnings[0].startswith("written_date: '2017年2月30日'")
    assert doc.published_at == datetime(2017, 3, 20, 15, 30, tzinfo=SHANGHAI)


def test_weak_labels_in_the_body_are_the_documents_words():
    body = """<table><tr><td>索引号：</td><td>X-1</td><td>发文机关：</td><td>某厅</td></tr></table>
    <div id="zoom"><p>现将会议安排通知如下。</p><p>时间：2017年4月1日 9:00</p><p>名称：全省培训会议</p></div>"""
    doc = parse_detail_page(page(body, "关于召开培训会议的通知_某厅"), BASE)
    assert doc.published_at is None and "时间" not in doc.meta and "名称" not in doc.meta
    assert doc.title == "关于召开培训会议的通知"  # the longest part of <title>, not 名称：
    assert "时间：2017年4月1日 9:00" in doc.body_text


def test_title_falls_back_to_the_page_title_minus_the_site_name():
    html = page(
        "<div><p>一段足够长的正文内容，用来识别正文区域的位置。</p></div>",
        "关于印发某某办法的通知 - 黑龙江省商务厅",
    )
    assert parse_detail_page(html, BASE).title == "关于印发某某办法的通知"


def test_pubdate_meta_and_keywords_meta_are_used_when_the_page_prints_none():
    html = (
        '<html><head><meta name="PubDate" content="2017-03-20 10:30"><meta name="Keywords" content="政务公开,五公开">'
        "<title>t</title></head><body><p>正文内容正文内容正文内容正文内容正文内容。</p></body></html>"
    )
    doc = parse_detail_page(html, BASE)
    assert doc.published_at == datetime(2017, 3, 20, 10, 30, tzinfo=SHANGHAI)
    assert doc.keywords == ["政务公开", "五公开"]


def test_body_fallback_is_the_largest_paragraph_block_outside_the_chrome():
    body = """<div class="footer"><p>版权所有 黑龙江省某厅 联系我们 网站地图 网站标识码 ICP 备案 地址 电话 传真 邮编 很长的页脚文字</p></div>
    <div class="main"><div class="a"><p>第一段正文，内容较长。</p><p>第二段正文，内容较长。</p></div>
    <div class="b"><a href="x.html">相关链接一</a></div></div>"""
    doc = parse_detail_page(page(body), BASE)
    assert doc.body_text == "第一段正文，内容较长。\n\n第二段正文，内容较长。"


def test_attachment_forms():
    body = """<div id="zoom"><p>正文内容正文内容正文内容正文内容正文内容。</p>
    <p>附件：<a href="./P0201703.PDF">1.名单</a> <a href="download.jsp?file=表格.xlsx">2.表格</a>
    <a href="/files/a.ofd"></a> <a href="/files/page.html">不是附件</a> <a href="javascript:down('a.doc')">x</a>
    <a href="/files/c.wps#p2">3.通知</a><a href="/files/c.wps">重复</a></p></div>"""
    doc = parse_detail_page(page(body), "http://x.example/a/b/t1.html")
    assert doc.attachments == [
        ("1.名单", "http://x.example/a/b/P0201703.PDF"),
        ("2.表格", "http://x.example/a/b/download.jsp?file=表格.xlsx"),
        ("a.ofd", "http://x.example/files/a.ofd"),
        ("3.通知", "http://x.example/files/c.wps"),
    ]


def test_selectors_override_detection():
    body = """<div id="t">真正的标题</div><h1>网站栏目名称</h1>
    <div class="meta"><span id="syh">SYH-9</span><span id="rq">2017-05-01</span></div>
    <div class="content"><p>较长的一段不是正文的文字，较长的一段不是正文的文字，较长的一段不是正文的文字。</p></div>
    <div class="real"><p>真正的正文。</p></div>"""
    selectors = DetailSelectors(
        title="//div[@id='t']",
        body="//div[@class='real']",
        meta_table="//div[@class='meta']",
        fields={"index_no": "//span[@id='syh']", "published_at": "string(//span[@id='rq'])"},
    )
    doc = parse_detail_page(page(body), BASE, selectors)
    assert (doc.title, doc.body_text, doc.index_no) == ("真正的标题", "真正的正文。", "SYH-9")
    assert doc.published_at == datetime(2017, 5, 1, tzinfo=SHANGHAI)


def test_empty_page_reports_what_is_missing():
    doc = parse_detail_page("", BASE + "x.html")
    assert doc.url == BASE + "x.html" and doc.title == "" and doc.body_text == ""
    assert doc.warnings == ["title: not found", "body: not found"]


def test_title_is_never_the_site_name_or_a_label_cell():
    html = """<html><head><title>关于做好政务公开工作的通知_黑龙江省商务厅</title>
    <meta name="SiteName" content="黑龙江省商务厅"></head><body>
    <div class="title">黑龙江省商务厅</div>
    <table><tr><td class="bt">索 引 号：</td><td>X-1</td><td class="bt">发文机关：</td><td>黑龙江省商务厅</td></tr></table>
    <h1>关于做好政务公开工作的通知</h1>
    <div class="article-content"><p>正文内容正文内容正文内容正文内容正文内容。</p></div></body></html>"""
    doc = parse_detail_page(html, BASE)
    assert doc.title == "关于做好政务公开工作的通知"
    assert "关于做好政务公开工作的通知" not in doc.body_text


def test_title_from_the_metadata_when_no_heading_repeats_the_page_title():
    html = page(
        """<table><tr><td>标　　题：</td><td>关于印发某办法的通知</td></tr>
        <tr><td>索引号：</td><td>X-1</td></tr><tr><td>文号：</td><td>黑商发〔2017〕2号</td></tr></table>
        <div id="zoom"><p>正文内容正文内容正文内容正文内容正文内容。</p></div>""",
        "黑龙江省商务厅",
    )
    doc = parse_detail_page(html, BASE)
    assert doc.title == "关于印发某办法的通知" and doc.meta["标题"] == "关于印发某办法的通知"
    assert "索引号" not in doc.body_text
