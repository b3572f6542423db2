"""Offline reprint check: S.csv + T.csv → R.csv (what `ckan hlj reprint match` runs)."""

import csv

import pytest

from ckanext.hlj.catalogue.errors import InvalidValue
from ckanext.hlj.reprint.offline import RESULT_COLUMNS, match_files

SOURCES = """id,title,doc_number,published_at,url
S1,国务院办公厅关于印发2017年政务公开工作要点的通知,国办发〔2017〕24号,2017-05-09T16:30:00,https://www.gov.cn/1
S2,国务院关于加快推进“互联网+政务服务”工作的指导意见,国发〔2016〕55号,2016-09-29,https://www.gov.cn/2
S3,国务院办公厅关于印发政府网站发展指引的通知,无,2017-06-08T15:00:00+08:00,https://www.gov.cn/3
"""
SITE_ITEMS = """site,title,doc_number,published_at,url,body
harbin,【转载】国务院办公厅关于印发《2017年政务公开工作要点》的通知,,2017-05-10T09:00:00,https://harbin/1,
harbin,关于加快推进“互联网+政务服务”工作的指导意见,,2016-10-08,https://harbin/2,
harbin,国务院办公厅关于印发2018年政务公开工作要点的通知,,2018-04-25,https://harbin/3,
daqing,国办印发通知部署今年政务公开工作,国办发[2017]24号,2017-05-09T10:00:00Z,https://daqing/1,"正文，
两行"
daqing,国务院关于加快推进“互联网+政务服务”工作的指导意见,,2016-09-30T08:00:00,https://daqing/2,
daqing,政府网站发展指引,见附件,2017-06-12,https://daqing/3,
"""
NOW = "2017-06-09T12:00:00"


def write(path, text, *, bom=False, encoding="utf-8"):
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding))
    return path


def read(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


@pytest.fixture
def files(tmp_path):
    return (
        write(tmp_path / "S.csv", SOURCES),
        write(tmp_path / "T.csv", SITE_ITEMS, bom=True),
        tmp_path / "R.csv",
    )


def test_round_trip(files):
    sources, items, out = files
    summary = match_files(sources, items, out, now=NOW)
    rows = read(out)
    assert (
        tuple(rows[0])
        == RESULT_COLUMNS
        == (
            "source_id",
            "site",
            "status",
            "matched_url",
            "lag_hours",
            "reason",
            "score",
        )
    )
    assert rows[1:] == [
        # sites sorted; 2017-05-09T10:00Z is 18:00 in Shanghai, 1.5 h after the source
        ["S1", "daqing", "on_time", "https://daqing/1", "1.50", "doc_number", "1.000"],
        ["S1", "harbin", "on_time", "https://harbin/1", "16.50", "title", "1.000"],
        ["S2", "daqing", "on_time", "https://daqing/2", "24.00", "title", "1.000"],  # by date: the next day
        ["S2", "harbin", "late", "https://harbin/2", "216.00", "title", "1.000"],
        ["S3", "daqing", "late", "https://daqing/3", "96.00", "title", "1.000"],
        ["S3", "harbin", "pending", "", "", "", ""],  # 21 h after publication, SLA 24 h
    ]
    assert summary["sources"] == 3
    assert summary["site_items"] == 6
    assert summary["sites"] == 2
    assert summary["rows"] == 6
    assert summary["statuses"] == {"on_time": 3, "late": 2, "missing": 0, "pending": 1}
    assert summary["reasons"] == {"doc_number": 1, "title": 4, "similar": 0}
    assert summary["unrecognised_doc_numbers"] == {"site_items": 1}  # 见附件; 无 means none
    assert out.read_bytes().startswith(b"source_id,")  # no BOM in R


def test_sla_hours_and_now(files):
    sources, items, out = files
    match_files(sources, items, out, sla_hours=240, now="2017-06-10T12:00:00")
    statuses = {(row[0], row[1]): row[2] for row in read(out)[1:]}
    assert statuses[("S2", "harbin")] == "on_time"
    assert statuses[("S3", "harbin")] == "pending"
    match_files(sources, items, out, sla_hours=12, now="2017-06-10T12:00:00")
    statuses = {(row[0], row[1]): row[2] for row in read(out)[1:]}
    assert statuses[("S1", "harbin")] == "late"
    assert statuses[("S3", "harbin")] == "missing"


def test_bom_and_header_spelling_are_accepted(tmp_path):
    sources = write(tmp_path / "S.csv", SOURCES.replace("id,title", " ID , Title "), bom=True)
    items = write(tmp_path / "T.csv", SITE_ITEMS.replace("site,title", "SITE, title "))
    summary = match_files(sources, items, tmp_path / "R.csv", now=NOW)
    assert summary["rows"] == 6
    assert summary["statuses"]["on_time"] == 3


def test_body_column_is_optional(tmp_path):
    lines = [line.rsplit(",", 1)[0] for line in SITE_ITEMS.replace('"正文，\n两行"', "").splitlines()]
    items = write(tmp_path / "T.csv", "\n".join(lines) + "\n")
    assert "body" not in items.read_text(encoding="utf-8")
    summary = match_files(write(tmp_path / "S.csv", SOURCES), items, tmp_path / "R.csv", now=NOW)
    assert summary["rows"] == 6


@pytest.mark.parametrize(
    ("which", "header", "missing"),
    [
        ("S", "id,title,published_at,url", "doc_number"),
        ("S", "title,doc_number,published_at,url", "id"),
        ("T", "site,title,doc_number,url,body", "published_at"),
    ],
)
def test_missing_column(tmp_path, which, header, missing):
    sources = write(tmp_path / "S.csv", SOURCES if which != "S" else header + "\n")
    items = write(tmp_path / "T.csv", SITE_ITEMS if which != "T" else header + "\n")
    out = tmp_path / "R.csv"
    with pytest.raises(InvalidValue) as raised:
        match_files(sources, items, out, now=NOW)
    error = raised.value
    assert error.code == "csv_missing_column"
    name = str(sources if which == "S" else items)
    assert missing in error.zh and name in error.zh and "缺少列" in error.zh
    assert missing in error.en and name in error.en and "missing column" in error.en
    assert not out.exists()


def test_bad_date_names_file_row_and_column(tmp_path):
    items = write(tmp_path / "T.csv", SITE_ITEMS.replace("2016-10-08", "2016-13-45"))
    with pytest.raises(InvalidValue) as raised:
        match_files(write(tmp_path / "S.csv", SOURCES), items, tmp_path / "R.csv", now=NOW)
    error = raised.value
    assert error.code == "csv_value"
    assert f"{items}, row 3, published_at" in error.en
    assert f"文件 {items} 第 3 行 published_at 列" in error.zh


def test_row_numbers_count_lines_of_multi_line_cells(tmp_path):
    items = write(tmp_path / "T.csv", SITE_ITEMS.replace("2016-09-30T08:00:00", "soon"))
    with pytest.raises(InvalidValue, match="第 7 行") as raised:
        match_files(write(tmp_path / "S.csv", SOURCES), items, tmp_path / "R.csv", now=NOW)
    assert "row 7" in raised.value.en


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        (SOURCES.replace("S2,国务院关于", ",国务院关于"), "row 3, id", "missing value"),
        (SOURCES.replace("S3,", "S1,"), "row 4, id", "repeats row 2"),
        (SOURCES.replace("2016-09-29", ""), "row 3, published_at", "missing value"),
        (SOURCES.replace(",国发〔2016〕55号", ",,国发〔2016〕55号"), "row 3", "fields but the header has"),
    ],
    ids=["empty id", "repeated id", "empty date", "too many fields"],
)
def test_bad_source_rows(tmp_path, text, where, words):
    sources = write(tmp_path / "S.csv", text)
    with pytest.raises(InvalidValue) as raised:
        match_files(sources, write(tmp_path / "T.csv", SITE_ITEMS), tmp_path / "R.csv")
    assert f"{sources}, {where}" in raised.value.en
    assert words in raised.value.en
    assert str(sources) in raised.value.zh


def test_unreadable_files(tmp_path):
    with pytest.raises(InvalidValue) as raised:
        match_files(tmp_path / "nope.csv", write(tmp_path / "T.csv", SITE_ITEMS), tmp_path / "R.csv")
    assert raised.value.code == "file_unreadable"
    gbk = write(tmp_path / "S.csv", SOURCES, encoding="gbk")
    with pytest.raises(InvalidValue) as raised:
        match_files(gbk, write(tmp_path / "T.csv", SITE_ITEMS), tmp_path / "R.csv")
    assert raised.value.code == "csv_encoding"
    assert "UTF-8" in raised.value.zh
    empty = write(tmp_path / "E.csv", "")
    with pytest.raises(InvalidValue) as raised:
        match_files(empty, write(tmp_path / "T.csv", SITE_ITEMS), tmp_path / "R.csv")
    assert raised.value.code == "csv_empty"


def test_bad_sla(files):
    sources, items, out = files
    for bad in (-1, "x", float("nan")):
        with pytest.raises(InvalidValue):
            match_files(sources, items, out, sla_hours=bad)


def test_no_sources_or_no_site_items(tmp_path):
    sources = write(tmp_path / "S.csv", "id,title,doc_number,published_at,url\n")
    summary = match_files(sources, write(tmp_path / "T.csv", SITE_ITEMS), tmp_path / "R.csv", now=NOW)
    assert summary["rows"] == 0
    assert read(tmp_path / "R.csv") == [list(RESULT_COLUMNS)]
    items = write(tmp_path / "T2.csv", "site,title,doc_number,published_at,url\n")
    summary = match_files(write(tmp_path / "S2.csv", SOURCES), items, tmp_path / "R2.csv", now=NOW)
    assert (summary["sites"], summary["rows"]) == (0, 0)
