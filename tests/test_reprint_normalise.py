"""Title, 文号 and body normalisation for the reprint checks (no CKAN needed)."""

import pytest

from ckanext.hlj.reprint.normalise import (
    body_fingerprint,
    body_similarity,
    issuers_compatible,
    normalise_doc_number,
    normalise_text,
    normalise_title,
    shingles,
    title_key,
    title_numbers,
    title_signature,
)

GONGKAI_2017 = "2017年政务公开工作要点"


@pytest.mark.parametrize(
    "title",
    [
        "国务院办公厅关于印发2017年政务公开工作要点的通知",
        "国务院办公厅关于印发《2017年政务公开工作要点》的通知",
        "国务院办公厅印发《2017年政务公开工作要点》",
        "关于印发2017年政务公开工作要点的通知",
        "2017年政务公开工作要点",
        "《2017年政务公开工作要点》",
        "国务院办公厅关于印发２０１７年政务公开工作要点的通知",
        "【转载】国务院办公厅关于印发2017年政务公开工作要点的通知",
        "[转发]国务院办公厅关于印发2017年政务公开工作要点的通知",
        "转载：国务院办公厅关于印发2017年政务公开工作要点的通知",
        "国务院办公厅关于印发2017年政务公开工作要点的通知（转）",
        "国务院办公厅关于印发2017年政务公开工作要点的通知 来源：中国政府网",
        "国务院办公厅关于印发2017年政务公开工作要点的通知（来源：中国政府网）",
        "国务院办公厅关于印发2017年政务公开工作要点的通知_中国政府网",
        "国务院办公厅关于印发2017年政务公开工作要点的通知 - 黑龙江省人民政府网",
        "国务院办公厅关于印发2017年政务公开工作要点的通知（国办发〔2017〕24号）",
        "国务院办公厅关于印发2017年政务公开工作要点的通知 国办发[2017]24号",
        "国务院办公厅关于印发2017年政务公开工作要点的通知国办发〔2017〕24号",
        "国务院办公厅关于印发2017年政务公开工作要点的通知 2017-05-10",
        "(2017-05-10) 国务院办公厅关于印发2017年政务公开工作要点的通知",
        "黑龙江省人民政府办公厅转发国务院办公厅关于印发2017年政务公开工作要点的通知",
        "关 于 印 发 2017 年 政 务 公 开 工 作 要 点 的 通 知",
        "  国务院办公厅关于印发2017年政务公开工作要点的通知　",
    ],
)
def test_reprinted_titles_normalise_to_the_inner_title(title):
    assert normalise_title(title) == GONGKAI_2017


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("2017年政务公开工作要点", "2018年政务公开工作要点"),
        (
            "国务院办公厅关于印发2017年政务公开工作要点的通知",
            "国务院办公厅关于印发2018年政务公开工作要点的通知",
        ),
        ("关于全面推进政务公开工作的意见", "关于全面推进政务公开工作的实施意见"),
        ("2017年政务公开工作要点", "《2017年政务公开工作要点》解读"),
        ("2017年政务公开工作要点", "黑龙江省2017年政务公开工作要点"),
        ("政务信息资源共享管理暂行办法", "政务信息资源共享管理办法"),
        ("“十三五”推进基本公共服务均等化规划", "“十四五”推进基本公共服务均等化规划"),
    ],
)
def test_different_documents_stay_different(first, second):
    assert normalise_title(first) != normalise_title(second)


def test_forwarded_titles_keep_the_forwarded_documents_own_kind():
    # 转发 X 的通知: the 的通知 belongs to X when X would otherwise end without a kind of document.
    assert normalise_title("转发国务院办公厅关于做好防汛工作的通知") == "国务院办公厅关于做好防汛工作的通知"
    assert (
        normalise_title("关于转发国务院关于加快发展养老服务业的意见的通知")
        == "国务院关于加快发展养老服务业的意见"
    )
    assert (
        normalise_title("关于转发《国务院办公厅关于做好防汛工作的通知》的通知")
        == "国务院办公厅关于做好防汛工作的通知"
    )


def test_title_key_parts():
    key = title_key("【转载】国务院办公厅关于加强政府网站信息内容建设的意见（国办发〔2014〕57号）")
    assert key.norm == "国务院办公厅关于加强政府网站信息内容建设的意见"
    assert key.issuer == "国办"  # reduced form, so that 国办 and 国务院办公厅 agree
    assert key.core == "加强政府网站信息内容建设的意见"
    assert key.doc_number == "国办发〔2014〕57号"
    assert not key.truncated
    assert key.years == frozenset()


def test_wrapper_issuer_is_the_documents_issuer():
    assert title_key("国务院办公厅关于印发2017年政务公开工作要点的通知").issuer == "国办"
    assert title_key("国办印发《2017年政务公开工作要点》").issuer == "国办"
    assert title_key("2017年政务公开工作要点").issuer == ""
    seed = title_key(
        "中共黑龙江省委办公厅 黑龙江省人民政府办公厅印发《关于全面推进政务公开工作的实施意见》的通知"
    )
    assert (
        seed.issuer == title_key("省委办公厅 省政府办公厅印发《关于全面推进政务公开工作的实施意见》").issuer
    )
    assert seed.core == "全面推进政务公开工作的实施意见"


def test_truncated_titles_are_flagged():
    key = title_key("国务院办公厅关于印发2017年政务公开工作要点的通...")
    assert key.truncated
    assert key.clean == "国务院办公厅关于印发2017年政务公开工作要点的通"
    assert title_key("国务院办公厅关于印发2017年政务公开工作要点…").truncated
    assert not title_key("国务院办公厅关于印发2017年政务公开工作要点的通知").truncated


def test_years_are_kept_and_extracted():
    assert title_key("国务院办公厅关于2017年部分节假日安排的通知").years == frozenset({2017})
    assert title_key("关于做好2018—2020年农村公路建设工作的通知").years == frozenset({2018, 2020})
    assert (
        normalise_title("关于做好2018—2020年农村公路建设工作的通知")
        == "关于做好20182020年农村公路建设工作的通知"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("国办发〔2017〕24号", "国办发〔2017〕24号"),
        ("国办发[2017]024号", "国办发〔2017〕24号"),
        ("国办发（２０１７）２４号", "国办发〔2017〕24号"),
        (" 国办发 【2017】 第24号 ", "国办发〔2017〕24号"),
        ("国务院令第676号", "国务院令第676号"),
        ("国家税务总局公告2021年第3号", "国家税务总局公告2021年第3号"),
        ("", None),
        ("   ", None),
        (None, None),
        ("无", None),
        ("－", None),
        ("见附件", None),
        ("国办发〔2017〕0号", None),
    ],
)
def test_normalise_doc_number(value, expected):
    assert normalise_doc_number(value) == expected


def test_shingles_are_character_bigrams_of_the_normalised_text():
    assert shingles("关于 印发") == {"关于", "于印", "印发"}
    assert shingles("２０１７年") == {"20", "01", "17", "7年"}
    assert shingles("《通知》") == {"通知"}
    assert shingles("知") == {"知"}
    assert shingles("") == set()
    assert shingles(None) == set()
    assert shingles("政务公开", n=3) == {"政务公", "务公开"}


def test_normalise_text_folds_width_case_and_punctuation():
    assert normalise_text("ＡＢＣ，“互联网＋政务服务”！") == "abc互联网政务服务"


BODY = """各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
《2017年政务公开工作要点》已经国务院同意，现印发给你们，请结合实际认真贯彻落实。
一、围绕深化供给侧结构性改革加强公开。重点公开化解过剩产能、处置僵尸企业等工作进展。
二、围绕推进“放管服”改革加强公开。全面公开地方各级政府部门权力清单和责任清单。
三、加强政务舆情回应。对涉及本地区本部门的重要政务舆情，要在五至七个工作日内予以回应。"""


def test_body_fingerprint_ignores_width_punctuation_and_line_breaks():
    fullwidth = BODY.translate(str.maketrans("2017，。", "２０１７,."))
    reflowed = BODY.replace("\n", "")
    hard_wrapped = BODY.replace("化解过剩产能", "化解过剩\n  产能")
    assert body_fingerprint(fullwidth) == body_fingerprint(BODY)
    assert body_fingerprint(reflowed) == body_fingerprint(BODY)
    assert body_fingerprint(hard_wrapped) == body_fingerprint(BODY)
    assert "重点公开化解过剩产能" in body_fingerprint(BODY)
    assert all(len(clause) >= 4 for clause in body_fingerprint(BODY))
    assert body_fingerprint("") == frozenset()
    assert body_fingerprint(None) == frozenset()


def test_body_similarity_is_the_share_of_the_smaller_bodys_clauses():
    reprint = "来源：中国政府网 发布时间：2017-05-10\n" + BODY + "\n【打印本页】【关闭窗口】"
    assert body_similarity(body_fingerprint(BODY), body_fingerprint(reprint)) == 1.0
    first_half = "\n".join(BODY.splitlines()[:3])
    assert body_similarity(body_fingerprint(BODY), body_fingerprint(first_half)) == 1.0
    other = "为做好我县防汛抗旱工作，确保全县安全度汛，经县政府研究同意，现将有关事项通知如下。"
    assert body_similarity(body_fingerprint(BODY), body_fingerprint(other)) == 0.0
    assert body_similarity(frozenset(), body_fingerprint(BODY)) == 0.0


@pytest.mark.parametrize(
    ("first", "second", "compatible"),
    [
        ("国办", "国办", True),
        ("", "国务院", True),
        ("中办国办", "国办", True),
        ("中办国办", "中办", True),
        ("国务院", "国办", False),
        ("省政府", "国务院", False),
        ("省政府办公厅", "省政府", False),
        ("哈尔滨市政府", "省政府", False),
    ],
)
def test_issuers_compatible(first, second, compatible):
    assert issuers_compatible(first, second) is compatible
    assert issuers_compatible(second, first) is compatible


def test_signature_tells_kinds_qualifiers_and_numbers_apart():
    core = title_key
    assert title_signature(core("关于X的意见").core) != title_signature(core("关于X的实施意见").core)
    assert title_signature(core("X暂行办法").core) != title_signature(core("X办法").core)
    assert title_signature(core("X解读").core) != title_signature(core("X").core)
    assert title_signature(core("关于进一步做好X的通知").core) != title_signature(
        core("关于做好X的通知").core
    )
    assert title_numbers(core("“十三五”规划").core) != title_numbers(core("“十四五”规划").core)
    assert title_numbers(core("第二批X的决定").core) != title_numbers(core("第三批X的决定").core)
    assert title_numbers(core("国务院关于取消一批X的决定").core) == title_numbers(
        core("关于取消一批X的决定").core
    )
