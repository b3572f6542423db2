"""`ckan hlj reprint match` through CKAN's CLI with the loaded config (the SLA option), over inspectors' files."""

from __future__ import annotations

import csv

import pytest
from click.testing import CliRunner

from ckanext.hlj.cli import hlj

pytestmark = pytest.mark.usefixtures("with_plugins")

SOURCES = (
    "\ufeffid,title,doc_number,published_at,url\n"
    "s1,国务院办公厅关于印发2017年政务公开工作要点的通知,国办发〔2017〕24号,2017-05-09T10:00,https://www.gov.cn/a\n"
)
SITE_ITEMS = (
    "site,title,doc_number,published_at,url\n"
    "fast.gov.cn,【转载】国务院办公厅关于印发2017年政务公开工作要点的通知,国办发[2017]24号,2017-05-09T18:00,https://fast/x\n"
    "slow.gov.cn,关于印发《2017年政务公开工作要点》的通知,,2017-05-12,https://slow/y\n"
    "none.gov.cn,关于做好2018年春节期间安全工作的通知,,2018-02-01,https://none/z\n"
)


def test_match_writes_one_verdict_per_source_and_site(tmp_path):
    (tmp_path / "S.csv").write_text(SOURCES, "utf-8")
    (tmp_path / "T.csv").write_text(SITE_ITEMS, "utf-8")
    out = tmp_path / "R.csv"
    result = CliRunner().invoke(
        hlj,
        ["reprint", "match", "--sources", str(tmp_path / "S.csv"), "--site-items", str(tmp_path / "T.csv"),
         "--out", str(out), "--now", "2017-06-01"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = {r["site"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert rows["fast.gov.cn"]["status"] == "on_time" and rows["fast.gov.cn"]["reason"] == "doc_number"
    assert rows["fast.gov.cn"]["lag_hours"] == "8.00"
    assert rows["slow.gov.cn"]["status"] == "late" and rows["slow.gov.cn"]["reason"] == "title"
    assert rows["none.gov.cn"]["status"] == "missing" and rows["none.gov.cn"]["matched_url"] == ""

    longer = CliRunner().invoke(
        hlj,
        ["reprint", "match", "--sources", str(tmp_path / "S.csv"), "--site-items", str(tmp_path / "T.csv"),
         "--out", str(out), "--now", "2017-06-01", "--sla-hours", "96"],
    )  # fmt: skip
    assert longer.exit_code == 0
    assert {r["site"]: r["status"] for r in csv.DictReader(out.open(encoding="utf-8"))}[
        "slow.gov.cn"
    ] == "on_time"


def test_a_bad_file_is_a_clear_error(tmp_path):
    (tmp_path / "S.csv").write_text("id,title\ns1,x\n", "utf-8")
    (tmp_path / "T.csv").write_text(SITE_ITEMS, "utf-8")
    result = CliRunner().invoke(
        hlj,
        ["reprint", "match", "--sources", str(tmp_path / "S.csv"), "--site-items", str(tmp_path / "T.csv"),
         "--out", str(tmp_path / "R.csv")],
    )  # fmt: skip
    assert result.exit_code != 0 and "S.csv" in result.output and "doc_number" in result.output
    assert not (tmp_path / "R.csv").exists()
