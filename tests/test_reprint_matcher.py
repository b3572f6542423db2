"""The reprint matcher: pair rules, verdicts, and the indexed matcher against naive pairwise comparison."""

import dataclasses
import random
from datetime import UTC, date, datetime, time, timedelta

import pytest

from ckanext.hlj.catalogue.dates import SHANGHAI
from ckanext.hlj.catalogue.errors import InvalidValue
from ckanext.hlj.reprint.matcher import (
    DEFAULT_CONFIG,
    Match,
    ReprintMatcher,
    SiteItem,
    SourceItem,
    Verdict,
    as_moment,
    decide,
    match_pair,
    naive_verdicts,
)
from ckanext.hlj.reprint.matcher import _item_features as item_features
from ckanext.hlj.reprint.matcher import _source_features as source_features

YAODIAN = "国务院办公厅关于印发2017年政务公开工作要点的通知"
BODY = """各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
推进“互联网+政务服务”，是贯彻落实党中央、国务院决策部署，把简政放权、放管结合、优化服务改革推向纵深的关键环节。
一、总体要求。以最大程度利企便民，让企业和群众少跑腿、好办事、不添堵为目标，加快建设一体化网上政务服务平台。
二、优化再造政务服务。规范网上服务事项，优化网上服务流程，推进服务事项网上办理，创新网上服务模式。
三、融合升级平台渠道。规范网上政务服务平台建设，推进实体政务大厅与网上服务平台融合发展。
四、夯实支撑基础。推进政务信息共享，加快新型智慧城市建设，建立健全制度标准规范，加强网络和信息安全保护。"""
OTHER_BODY = """各乡镇人民政府，县政府各有关部门：
为做好我县防汛抗旱工作，确保全县安全度汛，经县政府研究同意，现将有关事项通知如下。
一、成立县防汛抗旱指挥部，由县长任总指挥，分管副县长任副总指挥，各乡镇各部门主要负责同志为成员。
二、各乡镇要在六月十日前完成辖区内河道堤防、塘坝水库的隐患排查，建立台账，限期整改。
三、县水务局要储备编织袋、救生衣等防汛物资，落实抢险队伍，汛期实行二十四小时值班制度。
四、各乡镇要制定本辖区防汛抗旱应急预案，组织开展应急演练，确保关键时刻拉得出、用得上。"""


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def source(title=YAODIAN, doc="国办发〔2017〕24号", published="2017-05-09T16:30:00", **extra) -> SourceItem:
    return SourceItem("S1", title, doc, published, url="https://www.gov.cn/a", **extra)


def item(
    title=YAODIAN, doc=None, published="2017-05-10T09:00:00", site="site-a", url=None, **extra
) -> SiteItem:
    return SiteItem(site, title, doc, published, url or f"https://{site}/{title[:6]}/{published}", **extra)


def reason(src: SourceItem, site_item: SiteItem) -> str | None:
    found = match_pair(src, site_item)
    return None if found is None else found.reason


# ---------------------------------------------------------------------------------------------- pair rules


def test_doc_number_match_whatever_the_title():
    found = match_pair(source(), item("国办印发通知部署今年政务公开工作", doc="国办发[2017]024号"))
    assert found == Match("S1", "site-a", found.site_url, "doc_number", 1.0, 16.5)


def test_doc_number_written_in_the_title_counts():
    assert reason(source(), item("关于印发政务公开工作要点的通知（国办发〔2017〕24号）")) == "doc_number"


@pytest.mark.parametrize(
    "title",
    [
        "国务院办公厅印发《2017年政务公开工作要点》",
        "2017年政务公开工作要点",
        "国务院办公厅关于印发２０１７年政务公开工作要点的通知",
        "【转载】国务院办公厅关于印发《2017年政务公开工作要点》的通知",
        "国务院办公厅关于印发2017年政务公开工作要点的通知_中国政府网",
        "国办印发2017年政务公开工作要点",
    ],
)
def test_title_match_through_wrappers_width_and_punctuation(title):
    found = match_pair(source(), item(title))
    assert (found.reason, found.score) == ("title", 1.0)


def test_title_match_with_the_issuer_dropped_or_abbreviated():
    src = source(
        "国务院关于加快推进“互联网+政务服务”工作的指导意见", "国发〔2016〕55号", "2016-09-29T18:00:00"
    )
    assert reason(src, item("关于加快推进“互联网+政务服务”工作的指导意见", published="2016-09-30")) == "title"
    other_issuer = item("黑龙江省人民政府关于加快推进“互联网+政务服务”工作的指导意见", published="2016-09-30")
    assert reason(src, other_issuer) is None
    office = item("国务院办公厅关于加快推进“互联网+政务服务”工作的指导意见", published="2016-09-30")
    assert reason(src, office) is None  # 国务院 and 国务院办公厅 are different issuers


def test_truncated_title_matches_by_its_beginning():
    found = match_pair(source(), item("国务院办公厅关于印发2017年政务公开工作要点的通..."))
    assert found.reason == "title"
    assert 0.9 < found.score < 1
    assert match_pair(source(), item("国务院办公厅关于印发...")) is None  # too little shown


def test_similar_title_with_a_typo():
    found = match_pair(source(), item("国务院办公厅关于印发2017年政务公开工做要点的通知"))
    assert found.reason == "similar"
    assert 0.9 <= found.score < 1


def test_similar_title_needs_the_same_words_and_no_long_edits():
    src = source("国务院关于做好当前和今后一段时期就业创业工作的意见", "国发〔2017〕28号", "2017-04-19")
    assert (
        reason(src, item("国务院关于做好当前和今后一个时期就业创业工作的意见", published="2017-04-20"))
        == "similar"
    )
    assert (
        reason(src, item("国务院关于做好当前和今后一段时期就业工作的若干意见", published="2017-04-20"))
        is None
    )
    assert (
        reason(src, item("国务院关于做好当前和今后一段时期就业创业工作的实施意见", published="2017-04-20"))
        is None
    )


def test_similar_title_and_body_match_a_rewritten_headline():
    src = source(
        "国务院关于加快推进“互联网+政务服务”工作的指导意见", "国发〔2016〕55号", "2016-09-29", body=BODY
    )
    headline = "国务院印发指导意见 加快推进“互联网+政务服务”工作"
    found = match_pair(src, item(headline, published="2016-09-30", body="新华社北京9月29日电\n" + BODY))
    assert found.reason == "similar"
    assert 0.6 < found.score < 1
    assert match_pair(src, item(headline, published="2016-09-30")) is None  # without the body: too different
    assert match_pair(src, item(headline, published="2016-09-30", body=OTHER_BODY)) is None


def test_dice_exactly_at_the_threshold_matches_in_both_matchers():
    # Dice of the title bigram sets is exactly 0.6 here; rapidfuzz's normalized score_cutoff rejects such a pair.
    src = source(
        "黑龙江省人民政府关于加强城市地下综合管廊建设与政务服务的意见", None, "2017-06-01", body=BODY
    )
    site_item = item("关于规范城市地下综合管廊建设与医疗联合体建设的意见", published="2017-06-02", body=BODY)
    found = match_pair(src, site_item)
    assert found.reason == "similar"
    assert found.score == pytest.approx(0.8)
    now = at("2017-07-01T00:00:00")
    assert ReprintMatcher([site_item]).verdicts([src], now=now) == naive_verdicts([src], [site_item], now=now)
    assert ReprintMatcher([site_item]).verdicts([src], now=now)[0].status == "on_time"  # next day, by date


def test_same_name_of_another_year_is_not_a_match():
    assert match_pair(source(), item(YAODIAN.replace("2017", "2018"), published="2018-04-25")) is None
    assert match_pair(source(), item("2018年政务公开工作要点", published="2017-05-10")) is None
    # even with the same 文号 a year mismatch inside the titles rules the pair out
    assert match_pair(source(), item(YAODIAN.replace("2017", "2018"), doc="国办发〔2017〕24号")) is None


def test_same_name_much_later_is_another_document():
    src = source("国务院关于修改部分行政法规的决定", "国务院令第676号", "2017-03-01")
    assert reason(src, item("国务院关于修改部分行政法规的决定", published="2017-03-03")) == "title"
    assert reason(src, item("国务院关于修改部分行政法规的决定", published="2017-10-25")) is None
    assert reason(
        src, item("国务院关于修改部分行政法规的决定", doc="国务院令第676号", published="2017-10-25")
    ) == ("doc_number")


def test_different_doc_numbers_are_not_a_match_even_with_identical_titles():
    assert match_pair(source(), item(YAODIAN, doc="国办发〔2017〕25号")) is None
    assert match_pair(source(), item(YAODIAN + "（黑政办发〔2017〕40号）")) is None


def test_same_title_with_a_different_body_is_not_a_match():
    src = source("国务院办公厅关于做好2017年防汛抗旱工作的通知", None, "2017-05-25", body=BODY)
    same = item("关于做好2017年防汛抗旱工作的通知", published="2017-05-26", body=BODY)
    local = item("关于做好2017年防汛抗旱工作的通知", published="2017-05-26", body=OTHER_BODY)
    stub = item("关于做好2017年防汛抗旱工作的通知", published="2017-05-26", body="详见附件。")
    assert reason(src, same) == "title"
    assert reason(src, local) is None
    assert reason(src, stub) == "title"  # a stub body is no evidence either way


def test_derived_items_are_not_reprints():
    for title in (
        "《2017年政务公开工作要点》解读",
        "一图读懂2017年政务公开工作要点",
        "2017年政务公开工作要点答记者问",
    ):
        assert match_pair(source(), item(title)) is None
    assert match_pair(source(), item("《2017年政务公开工作要点》解读", doc="国办发〔2017〕24号")) is None


def test_published_before_is_not_a_match():
    assert match_pair(source(), item(published="2017-05-09T16:29:00")) is None
    assert match_pair(source(), item(published="2017-05-08")) is None
    same_moment = match_pair(source(), item(published="2017-05-09T16:30:00"))
    assert same_moment.lag_hours == 0


def test_a_date_only_value_is_compared_by_date():
    assert match_pair(source(), item(published="2017-05-09")).lag_hours == 0  # same day: not before
    assert match_pair(source(published="2017-05-09"), item(published="2017-05-09T08:00:00")).lag_hours == 0
    assert match_pair(source(published="2017-05-09"), item(published="2017-05-11T23:00:00")).lag_hours == 48
    assert match_pair(source(published="2017-05-09"), item(published="2017-05-08T23:59:00")) is None


def test_published_at_parsing():
    assert as_moment("2017-05-09") == date(2017, 5, 9)
    assert as_moment("2017-05-09T16:30") == at("2017-05-09T16:30:00")
    assert as_moment("2017-05-09T08:30:00Z") == at("2017-05-09T16:30:00")
    assert as_moment(datetime(2017, 5, 9, 16, 30)) == at("2017-05-09T16:30:00")
    assert as_moment(datetime(2017, 5, 9, 8, 30, tzinfo=UTC)).utcoffset() == timedelta(hours=8)
    with pytest.raises(InvalidValue):
        as_moment("yesterday")


# ------------------------------------------------------------------------------------------------- verdicts


def test_earliest_of_several_matches_counts():
    later = item("2017年政务公开工作要点", doc="国办发〔2017〕24号", published="2017-05-12", url="later")
    earlier = item(
        "国务院办公厅印发《2017年政务公开工作要点》", published="2017-05-10T08:00:00", url="earlier"
    )
    unrelated = item("道里区召开政务公开工作推进会", published="2017-05-09T17:00:00", url="unrelated")
    matcher = ReprintMatcher([later, unrelated, earlier])
    [verdict] = matcher.verdicts([source()], ["site-a"], now=at("2017-06-01T00:00:00"))
    assert verdict == Verdict("S1", "site-a", "on_time", "earlier", 15.5, "title", 1.0)
    assert [m.site_url for m in matcher.matches(source())] == ["earlier", "later"]
    assert matcher.first_matches(source())["site-a"].site_url == "earlier"


def test_scope_by_sites():
    src = source(sites=frozenset({"site-b"}))
    items = [item(site="site-a"), item(site="site-b"), item(site="site-c", title="无关的标题内容")]
    verdicts = ReprintMatcher(items).verdicts([src], now=at("2017-06-01T00:00:00"))
    assert [(v.site, v.status) for v in verdicts] == [("site-b", "on_time")]
    everywhere = ReprintMatcher(items).verdicts([source()], now=at("2017-06-01T00:00:00"))
    assert [(v.site, v.status) for v in everywhere] == [
        ("site-a", "on_time"),
        ("site-b", "on_time"),
        ("site-c", "missing"),
    ]


def test_verdicts_follow_the_sources_and_the_given_sites_order():
    first, second = source(), dataclasses.replace(source(), id="S2")
    verdicts = ReprintMatcher([item()]).verdicts(
        [second, first], ["site-z", "site-a"], now=at("2017-05-09T17:00:00")
    )
    assert [(v.source_id, v.site) for v in verdicts] == [
        ("S2", "site-z"),
        ("S2", "site-a"),
        ("S1", "site-z"),
        ("S1", "site-a"),
    ]


@pytest.mark.parametrize(
    ("published", "sla", "status", "lag"),
    [
        ("2017-05-10T16:30:00", 24, "on_time", 24.0),  # exactly at the SLA
        ("2017-05-10T16:31:00", 24, "late", 24 + 1 / 60),
        ("2017-05-10T16:31:00", 48, "on_time", 24 + 1 / 60),  # --sla-hours overrides
        ("2017-05-10", 24, "on_time", 24.0),  # by date: the next day
        ("2017-05-11", 24, "late", 48.0),
        ("2017-05-11", 48, "on_time", 48.0),
    ],
)
def test_found_statuses(published, sla, status, lag):
    [verdict] = ReprintMatcher([item(published=published)]).verdicts(
        [source()], sla_hours=sla, now=at("2018-01-01T00:00:00")
    )
    assert verdict.status == status
    assert verdict.lag_hours == pytest.approx(lag)


@pytest.mark.parametrize(
    ("published", "now", "status"),
    [
        ("2017-05-09T16:30:00", "2017-05-10T16:30:00", "pending"),  # the SLA has not yet passed
        ("2017-05-09T16:30:00", "2017-05-10T16:31:00", "missing"),
        ("2017-05-09", "2017-05-10T23:59:00", "pending"),  # by date: due by the end of the next day
        ("2017-05-09", "2017-05-11T00:01:00", "missing"),
        ("2017-05-09T16:30:00", "2017-05-10", "pending"),  # a date-only now is compared by date too
        ("2017-05-09T16:30:00", "2017-05-11", "missing"),
    ],
)
def test_unfound_statuses(published, now, status):
    src = source(published=published)
    unrelated = item("道里区召开政务公开工作推进会")
    [verdict] = ReprintMatcher([unrelated]).verdicts([src], now=now)
    assert verdict == Verdict("S1", "site-a", status)


# -------------------------------------------------------------------------------- indexed vs naive matching

SUBJECTS = [
    "政务公开",
    "互联网+政务服务",
    "农业水价综合改革",
    "公平竞争审查制度",
    "城市地下综合管廊建设",
    "冷链物流发展",
    "秸秆综合利用",
    "社会信用体系建设",
    "基层政务公开标准化规范化",
    "政府网站集约化",
]
ISSUERS = ["国务院", "国务院办公厅", "黑龙江省人民政府", "黑龙江省人民政府办公厅", ""]
KINDS = ["的意见", "的实施意见", "的通知", "工作方案", "暂行办法"]


def _random_title(rng: random.Random) -> str:
    year = rng.choice(["", "2017年", "2018年"])
    subject = rng.choice(SUBJECTS) + rng.choice(["", "与" + rng.choice(SUBJECTS)])
    if rng.random() < 0.4:
        return f"{rng.choice(ISSUERS)}关于印发{year}{subject}{rng.choice(['工作要点', '实施方案', '行动计划'])}的通知"
    return f"{rng.choice(ISSUERS)}关于{rng.choice(['加快推进', '进一步加强', '做好'])}{year}{subject}{rng.choice(KINDS)}"


def _typo(rng: random.Random, title: str) -> str:
    position = rng.randrange(len(title))
    return title[:position] + rng.choice("和与之") + title[position + 1 :]


VARIANTS = [
    lambda rng, title: "【转载】" + title,
    lambda rng, title: title.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    lambda rng, title: title.split("关于", 1)[-1],
    lambda rng, title: title[: rng.randint(14, max(14, len(title) - 1))] + "...",
    _typo,
    lambda rng, title: title.replace("2017", "2018"),
    lambda rng, title: title,
    lambda rng, title: title,
]


def _variant(rng: random.Random, title: str) -> str:
    return rng.choice(VARIANTS)(rng, title)


def _random_world(seed: int):
    rng = random.Random(seed)
    start = at("2017-03-01T09:00:00")
    bodies = [BODY, OTHER_BODY, None]
    sources = []
    for number in range(25):
        published = start + timedelta(hours=rng.randrange(0, 24 * 200))
        sources.append(
            SourceItem(
                f"S{number}",
                _random_title(rng),
                rng.choice([None, f"国办发〔{published.year}〕{number + 1}号"]),
                published.date() if rng.random() < 0.2 else published,
                body=rng.choice(bodies),
                sites=frozenset(rng.sample(["a", "b", "c", "d"], 2)) if rng.random() < 0.2 else None,
            )
        )
    items = []
    for site in ["a", "b", "c", "d"]:
        for _ in range(60):
            base = rng.choice(sources)
            title = _variant(rng, base.title) if rng.random() < 0.7 else _random_title(rng)
            body = rng.choice(bodies)
            if rng.random() < 0.15:  # a rewritten headline over the same body
                core = base.title.split("关于", 1)[-1]
                cut = rng.randrange(2, max(3, len(core) - 2))
                title, body = f"{rng.choice(ISSUERS)}印发通知 {core[cut:]}{core[:cut]}", base.body
            anchor = base.published_at
            if not isinstance(anchor, datetime):
                anchor = datetime.combine(anchor, time(9), tzinfo=SHANGHAI)
            hours = rng.choice([rng.randrange(-48, 24), rng.randrange(0, 24 * 250)])
            published = anchor + timedelta(hours=hours)
            doc = rng.choice([None, None, base.doc_number, f"国办发〔2017〕{rng.randrange(1, 30)}号"])
            moment = published.date() if rng.random() < 0.2 else published
            items.append(SiteItem(site, title, doc, moment, f"https://{site}/{len(items)}", body))
    return sources, items


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_indexed_and_naive_matchers_agree(seed):
    sources, items = _random_world(seed)
    now = at("2018-03-01T00:00:00")
    indexed = ReprintMatcher(items).verdicts(sources, now=now)
    naive = naive_verdicts(sources, items, now=now)
    assert indexed == naive
    reasons = {verdict.reason for verdict in indexed}
    assert {"doc_number", "title", "similar"} <= reasons  # the sample exercises every rule
    assert {"on_time", "late", "missing"} <= {verdict.status for verdict in indexed}


@pytest.mark.parametrize("seed", [5, 6])
def test_candidates_cover_every_pair_the_decision_accepts(seed):
    sources, items = _random_world(seed)
    matcher = ReprintMatcher(items)
    for src in sources:
        features = source_features(src)
        accepted = {i for i, site_item in enumerate(items) if decide(features, item_features(site_item))}
        assert accepted <= matcher.candidates(src)


def test_thresholds_are_configurable():
    typo = item("国务院办公厅关于印发2017年政务公开工做要点的通知")
    strict = dataclasses.replace(DEFAULT_CONFIG, title_threshold=0.99)
    assert match_pair(source(), typo) is not None
    assert match_pair(source(), typo, strict) is None
    assert ReprintMatcher([typo], strict).verdicts([source()], now="2018-01-01")[0].status == "missing"
