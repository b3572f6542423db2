"""A re-harvest rewrites a record's tags from the site's 主题词 but keeps a supervisor's reprint-scope tags."""

from __future__ import annotations

from ckanext.hlj.harvesters.site_harvester import HljSiteHarvester


def changes(stored_tags: list[str], harvested: str) -> dict:
    existing = {"tags": [{"name": t} for t in stored_tags]}
    return HljSiteHarvester._changes(existing, {"tag_string": harvested}, None)


def test_scope_tags_survive_a_change_of_the_sites_keywords():
    assert changes(["营商环境", "转载范围-230100"], "营商环境,放管服") == {
        "tag_string": "放管服,营商环境,转载范围-230100"
    }


def test_unchanged_keywords_with_scope_tags_are_no_change():
    assert changes(["营商环境", "转载范围-230100"], "营商环境") == {}


def test_keywords_without_scope_tags_are_replaced():
    assert changes(["旧词"], "营商环境") == {"tag_string": "营商环境"}
