"""Streaming JSON and XML readers for 双公示 exchange files (credit_formats), read_table's dispatch, chunking."""

from __future__ import annotations

import io
import itertools
import json
import pickle
import tracemalloc
import zipfile
from decimal import Decimal

import pytest

from ckanext.hlj.catalogue import credit as c
from ckanext.hlj.catalogue import credit_formats as f
from ckanext.hlj.catalogue import credit_samples as s
from ckanext.hlj.catalogue.errors import InvalidValue


def validated(kind, table):
    """What validation makes of a table's rows, without row numbers (they differ between formats)."""
    return [
        (record.values if record else None, sorted((e.field, e.code) for e in errors))
        for record, errors in c.iter_validate(kind, table.rows)
    ]


@pytest.fixture(scope="module")
def penalties():
    return list(s.generate_records("penalty", 40, seed=7, bad_ratio=0.2))


@pytest.fixture(scope="module")
def licences():
    return list(s.generate_records("licensing", 40, seed=8, bad_ratio=0.2))


@pytest.fixture(scope="module")
def expected(penalties, licences):
    """The reference: the same records written as CSV and read back."""
    out = {}
    for kind, records in (("penalty", penalties), ("licensing", licences)):
        buffer = io.BytesIO()
        s.write_csv(records, buffer)
        out[kind] = validated(kind, c.read_table(buffer.getvalue(), filename="x.csv"))
        assert sum(1 for values, _ in out[kind] if values) == 32  # 8 of the 40 are bad
    return out


def dumps(value, encoding="utf-8"):
    return json.dumps(value, ensure_ascii=False).encode(encoding)


def chinese(records, kind):
    info = c.kind_info(kind)
    return [{info.field(code).zh: value for code, value in record.items()} for record in records]


# ---------------------------------------------------------------------------------------------------------------
# JSON


JSON_SHAPES = {
    "array": dumps,
    "data": lambda rs: dumps({"code": 200, "msg": "成功", "data": rs}),
    "data.list": lambda rs: dumps({"code": 0, "data": {"total": len(rs), "pageNo": 1, "list": rs}}),
    "result.records": lambda rs: dumps({"success": True, "result": {"records": rs, "size": len(rs)}}),
    "unusual key": lambda rs: dumps({"meta": {"fields": [{"name": "x"}]}, "xzcf": rs}),
    "lines": lambda rs: b"\n".join(dumps(r) for r in rs) + b"\n",
    "pretty": lambda rs: json.dumps({"rows": rs}, ensure_ascii=False, indent=2).encode(),
    "bom": lambda rs: b"\xef\xbb\xbf" + dumps(rs),
    "gb18030": lambda rs: dumps(rs, "gb18030"),
    "gb18030 lines": lambda rs: b"\r\n".join(dumps(r, "gb18030") for r in rs),
    "utf-16": lambda rs: json.dumps(rs, ensure_ascii=False).encode("utf-16"),
}


@pytest.mark.parametrize("shape", JSON_SHAPES)
@pytest.mark.parametrize("kind", ["penalty", "licensing"])
def test_json_shapes_read_like_csv(shape, kind, penalties, licences, expected):
    records = penalties if kind == "penalty" else licences
    table = f.read_json(io.BytesIO(JSON_SHAPES[shape](records)))
    assert table.format == ("jsonl" if "lines" in shape else "json")
    assert table.header_row == 0
    assert table.headers == list(s.sample_columns(kind))
    assert validated(kind, table) == expected[kind]


def test_json_row_numbers_encoding_and_values(penalties):
    table = f.read_json(dumps(penalties[:3], "gb18030"))
    assert table.encoding == "gb18030"
    rows = list(table.rows)
    assert [n for n, _ in rows] == [1, 2, 3]
    assert rows[0][1] == dict(penalties[0])  # values as written, nulls as None
    numbers = f.read_json(b'[{"CF_WSH": "x", "CF_NR_FK": 0.25, "n": 3, "t": true, "o": {"a": [1]}}]')
    assert next(numbers.rows)[1] == {"CF_WSH": "x", "CF_NR_FK": Decimal("0.25"), "n": 3, "t": True,
                                        "o": {"a": [1]}}  # fmt: skip


def test_json_chinese_column_names(penalties, expected):
    table = f.read_json(dumps({"data": chinese(penalties, "penalty")}))
    assert table.headers[:2] == ["行政相对人名称", "行政相对人类别"]
    assert c.detect_kind(table.headers) == "penalty"
    assert validated("penalty", table) == expected["penalty"]


def test_json_explicit_path_and_lines(penalties, expected):
    deep = dumps({"response": {"body": {"items": {"item": penalties}}}})
    with pytest.raises(InvalidValue) as raised:
        f.read_json(deep)  # three levels down: not looked for
    assert raised.value.code == "credit_file_json_records"
    table = f.read_json(io.BytesIO(deep), path="response.body.items.item")
    assert validated("penalty", table) == expected["penalty"]
    assert validated("penalty", f.read_json(dumps(penalties), path="")) == expected["penalty"]
    lines = b"\n".join(dumps(r) for r in penalties)
    assert f.read_json(lines, lines=True).format == "jsonl"
    with pytest.raises(InvalidValue):
        f.read_json(lines, lines=False)
    # JSON Lines whose names are all unfamiliar are still told by the second object.
    assert [r for _, r in f.read_json(b'{"a": 1}\n{"a": 2}').rows] == [{"a": 1}, {"a": 2}]


def test_json_empty_and_not_records():
    assert list(f.read_json(b" [ ] ").rows) == []
    table = f.read_json(b'{"total": 0, "data": []}')
    assert table.headers == [] and list(table.rows) == []
    for document in (b'{"code": 500, "msg": "error"}', b"[1, 2]", b'"text"', b'{"data": [[1, 2]]}'):
        with pytest.raises(InvalidValue) as raised:
            f.read_json(document)
        assert raised.value.code == "credit_file_json_records", document
    for document, code in ((b"", "credit_file_empty"), (b"not json", "credit_file_json")):
        with pytest.raises(InvalidValue) as raised:
            f.read_json(document)
        assert raised.value.code == code


def test_headers_come_from_the_first_records_and_later_fields_pass_through():
    records = [{"CF_WSH": f"黑市监罚〔2024〕{i}号", "CF_XDR_MC": "某公司"} for i in range(1, 151)]
    records[4] = {"CF_XDR_MC": "某公司", "CF_WSH": "黑市监罚〔2024〕5号", "CF_NR": "警告"}  # other order
    records[119]["BZ"] = "第120条才有的字段"
    for table in (f.read_json(dumps(records)), f.read_xml(xml_bytes(records))):
        assert table.headers == ["CF_WSH", "CF_XDR_MC", "CF_NR"]
        rows = dict(table.rows)
        assert list(rows[1]) == ["CF_WSH", "CF_XDR_MC", "CF_NR"] and rows[1]["CF_NR"] is None
        assert rows[5] == {"CF_WSH": "黑市监罚〔2024〕5号", "CF_XDR_MC": "某公司", "CF_NR": "警告"}
        assert rows[120]["BZ"] == "第120条才有的字段"
        assert list(rows[120]) == ["CF_WSH", "CF_XDR_MC", "CF_NR", "BZ"]
        assert "BZ" not in rows[121]


@pytest.mark.parametrize("count", [30, 150])
def test_json_malformed_part_way(count, penalties):
    records = list(itertools.islice(itertools.cycle(penalties), count))
    document = dumps(records)
    broken = document[: document.rindex(b"{")] + b'{"CF_WSH": oops}]'  # the last record is bad
    rows = []
    with pytest.raises(f.MalformedFile) as raised:
        for row in f.read_json(broken).rows:
            rows.append(row)
    assert [n for n, _ in rows] == list(range(1, count))
    assert [r for _, r in rows] == records[:-1]
    error = raised.value
    assert isinstance(error, InvalidValue) and error.code == "credit_file_json" and error.row == count
    assert f"record {count}" in error.message("en") and f"第{count}条" in error.message("zh")
    assert pickle.loads(pickle.dumps(error)).row == count

    rows = []
    with pytest.raises(f.MalformedFile) as raised:
        rows.extend(f.read_json(document[: len(document) // 2]).rows)
    assert 0 < len(rows) < count and raised.value.row == len(rows) + 1


def test_json_lines_bad_line_and_non_object():
    lines = b'{"CF_WSH": "1", "CF_XDR_MC": "a"}\n{"CF_WSH": "2", "CF_XDR_MC": "b"}\n{"CF_WSH": \n'
    rows = []
    with pytest.raises(f.MalformedFile) as raised:
        rows.extend(f.read_json(lines).rows)
    assert len(rows) == 2 and raised.value.row == 3
    rows = []
    with pytest.raises(f.MalformedFile) as raised:
        rows.extend(f.read_json(b'[{"CF_WSH": "1", "CF_XDR_MC": "a"}, 5]').rows)
    assert len(rows) == 1 and raised.value.code == "credit_file_record" and raised.value.row == 2


def test_json_gb18030_bytes_that_do_not_decode():
    document = dumps([{"CF_WSH": "一", "CF_XDR_MC": "二"}] * 5000, "gb18030")
    broken = document[:-2000] + b"\x81\x20" + document[-2000:]  # an invalid GB18030 byte pair near the end
    table = f.read_json(broken)
    assert table.encoding == "gb18030"
    rows = []
    with pytest.raises(f.MalformedFile) as raised:
        rows.extend(table.rows)
    assert raised.value.code == "credit_file_encoding"
    assert len(rows) > 4900 and raised.value.row == len(rows) + 1  # every record before the bad bytes


# ---------------------------------------------------------------------------------------------------------------
# XML


def xml_bytes(records, **options):
    buffer = io.BytesIO()
    s.write_xml(records, buffer, **options)
    return buffer.getvalue()


def _wrapped(records):
    body = xml_bytes(records, root="body", record="row").split(b"?>", 1)[1]
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<response><head><code>0</code><total>'
        + str(len(records)).encode()
        + b"</total></head>"
        + body
        + b"</response>"
    )


XML_SHAPES = {
    "elements": xml_bytes,
    "field name=": lambda rs: xml_bytes(rs, style="fields"),
    "attributes": lambda rs: xml_bytes(rs, style="attributes"),
    "wrapped": _wrapped,
    "namespace": lambda rs: xml_bytes(rs).replace(b"<records>", b'<records xmlns="urn:hlj:credit">'),
    "comments": lambda rs: (
        xml_bytes(rs).replace(b"<record>", "<!-- 一条 --><record>".encode()).replace(b"?>", b"?><?pi x?>")
    ),
    "gbk": lambda rs: xml_bytes(rs, encoding="gbk"),
    "gb18030": lambda rs: xml_bytes(rs, encoding="gb18030"),
    "gb18030 undeclared": lambda rs: xml_bytes(rs, encoding="gb18030").split(b"?>", 1)[1],
    "gb2312 label, gbk bytes": lambda rs: xml_bytes(rs, encoding="gbk").replace(b'"GBK"', b'"gb2312"'),
    "utf-8 bom": lambda rs: xml_bytes(rs, encoding="utf-8-sig"),
    "utf-16": lambda rs: xml_bytes(rs, encoding="utf-16"),
}


@pytest.mark.parametrize("shape", XML_SHAPES)
@pytest.mark.parametrize("kind", ["penalty", "licensing"])
def test_xml_shapes_read_like_csv(shape, kind, penalties, licences, expected):
    records = penalties if kind == "penalty" else licences
    table = f.read_xml(io.BytesIO(XML_SHAPES[shape](records)))
    assert table.format == "xml" and table.header_row == 0
    assert set(table.headers) <= set(s.sample_columns(kind))
    assert validated(kind, table) == expected[kind]


def test_xml_chinese_element_names_and_row_numbers(penalties, expected):
    document = xml_bytes(chinese(penalties, "penalty"), encoding="gb18030")
    assert "<行政相对人名称>".encode("gb18030") in document  # a column name with （） becomes <field name=…>
    assert '<field name="罚款金额（万元）">'.encode("gb18030") in document
    table = f.read_xml(document)
    assert table.encoding == "gb18030"
    assert "罚款金额（万元）" in table.headers and c.detect_kind(table.headers) == "penalty"
    rows = list(f.read_xml(document).rows)
    assert [n for n, _ in rows] == list(range(1, 41))
    assert validated("penalty", table) == expected["penalty"]


def test_xml_values(penalties):
    document = (
        '<?xml version="1.0" encoding="UTF-8"?><records><record id="7" xmlns:x="urn:x">'
        "<CF_WSH>黑市监罚〔2024〕1号</CF_WSH><CF_XDR_MC>A&amp;B &lt;公司&gt;</CF_XDR_MC><BZ/>"
        "<CF_NR><p>not a leaf</p></CF_NR><x:CF_CFLB>罚款</x:CF_CFLB><CF_SY>&#x4E00;</CF_SY></record></records>"
    ).encode()
    [(number, row)] = list(f.read_xml(document).rows)
    assert number == 1
    assert row == {"id": "7", "CF_WSH": "黑市监罚〔2024〕1号", "CF_XDR_MC": "A&B <公司>", "BZ": "",
                   "CF_CFLB": "罚款", "CF_SY": "一"}  # fmt: skip


def test_xml_explicit_record_tag(penalties, expected):
    document = xml_bytes(penalties, root="DATA", record="ROW").replace(b"<DATA>", b'<DATA xmlns="urn:x">')
    table = f.read_xml(document, record_tag="ROW")
    assert validated("penalty", table) == expected["penalty"]
    assert validated("penalty", f.read_xml(document, record_tag="{urn:x}ROW")) == expected["penalty"]
    assert list(f.read_xml(document, record_tag="{urn:other}ROW").rows) == []
    # A record whose fields are not credit columns is found only when named.
    odd = b"<list><item><a>1</a><b>2</b></item><item><a>3</a></item></list>"
    with pytest.raises(InvalidValue) as raised:
        f.read_xml(odd)
    assert raised.value.code == "credit_file_xml_records"
    assert [r for _, r in f.read_xml(odd, record_tag="item").rows] == [
        {"a": "1", "b": "2"},
        {"a": "3", "b": None},
    ]


def test_xml_empty_documents():
    assert list(f.read_xml(b"<records/>").rows) == []
    for document, code in ((b"  ", "credit_file_empty"), (b"<records><a>", "credit_file_xml")):
        with pytest.raises(InvalidValue) as raised:
            f.read_xml(document)
        assert raised.value.code == code


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE records [\n <!ENTITY lol0 "lol">\n'
    + "".join(f' <!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">\n' for i in range(1, 10))
    + "]>\n<records><record><CF_XDR_MC>&lol9;</CF_XDR_MC><CF_WSH>&lol9;</CF_WSH></record></records>"
)
XXE = (
    '<?xml version="1.0"?>\n<!DOCTYPE records [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    "<records><record><CF_XDR_MC>&xxe;</CF_XDR_MC><CF_WSH>x</CF_WSH></record></records>"
)
EXTERNAL_DTD = '<!DOCTYPE records SYSTEM "http://127.0.0.1:9/credit.dtd"><records/>'
PARAMETER_ENTITY = '<!DOCTYPE r [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]><records/>'
QUADRATIC = (
    f'<!DOCTYPE r [<!ENTITY a "{"a" * 100_000}">]><records><record><CF_XDR_MC>{"&a;" * 20_000}</CF_XDR_MC>'
    "<CF_WSH>x</CF_WSH></record></records>"
)


@pytest.mark.parametrize("document", [BILLION_LAUGHS, XXE, EXTERNAL_DTD, PARAMETER_ENTITY, QUADRATIC])
@pytest.mark.parametrize("prolog", ["", "<!--" + "padding " * 20_000 + "-->\n"])
def test_unsafe_xml_is_refused(document, prolog):
    if prolog:  # a long prolog puts the DOCTYPE beyond the first bytes: it is caught at the root element
        head, _, rest = document.partition("?>\n") if document.startswith("<?xml") else ("", "", document)
        document = (head + "?>\n" if head else "") + prolog + rest
    tracemalloc.start()
    try:
        with pytest.raises(InvalidValue) as raised:
            list(f.read_xml(document.encode()).rows)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert raised.value.code == "credit_file_unsafe_xml"
    assert "passwd" not in raised.value.message("en") and "root:" not in raised.value.message("en")
    assert peak < 10 * 2**20


def test_xml_malformed_part_way(penalties):
    records = list(itertools.islice(itertools.cycle(penalties), 150))
    document = xml_bytes(records)
    cut = document.rindex(b"<record>")  # the start of the last record
    broken = document[:cut] + b"<record><CF_WSH>x</CF_XDR_MC></record></records>"
    rows = []
    with pytest.raises(f.MalformedFile) as raised:
        rows.extend(f.read_xml(broken).rows)
    assert [n for n, _ in rows] == list(range(1, 150))
    assert raised.value.code == "credit_file_xml" and raised.value.row == 150
    assert "line 152" in raised.value.message("en") and "第152行" in raised.value.message("zh")
    rows = []
    with pytest.raises(f.MalformedFile) as raised:
        rows.extend(f.read_xml(document[: len(document) // 2]).rows)
    assert 0 < len(rows) < 150 and raised.value.row == len(rows) + 1
    assert records[len(rows)]["CF_WSH"] in document[: len(document) // 2].decode("utf-8", "replace")


def test_xml_tree_is_pruned_as_records_are_read():
    pages = "".join(
        f"<page><n>{p}</n>"
        + "".join(f"<record><CF_WSH>{p}-{i}</CF_WSH><CF_XDR_MC>x</CF_XDR_MC></record>" for i in range(300))
        + "<end/></page>"
        for p in range(100)
    )
    document = f"<root><head><total>30000</total></head><body>{pages}</body></root>".encode()
    prune = f._Pruner()
    sizes = []
    for number, (_, element) in enumerate(
        f._iterparse(io.BytesIO(document), events=("end",), tag="record"), 1
    ):
        prune(element)
        if number % 50 == 0:
            sizes.append(sum(1 for _ in element.getroottree().getroot().iter()))
    # The parser builds ahead of the records handed out by up to a read's worth of input; what has been handed
    # out is gone, so the tree never holds more than a small part of the 90,000 elements.
    assert number == 30_000 and max(sizes) < 5_000 and sizes[-1] <= 6
    assert sum(1 for _ in f.read_xml(document).rows) == 30_000


# ---------------------------------------------------------------------------------------------------------------
# read_table


class Pipe(io.RawIOBase):
    def __init__(self, data):
        self._data = io.BytesIO(data)

    def readable(self):
        return True

    def seekable(self):
        return False

    def readinto(self, b):
        chunk = self._data.read(min(len(b), 1000))
        b[: len(chunk)] = chunk
        return len(chunk)


def test_read_table_sniffs_the_format(penalties, expected):
    csv_buffer, xlsx_buffer = io.BytesIO(), io.BytesIO()
    s.write_csv(penalties, csv_buffer)
    s.write_xlsx(penalties, xlsx_buffer)
    documents = {
        "json": b"\n  " + dumps(penalties),
        "jsonl": b"\xef\xbb\xbf" + b"\n".join(dumps(r) for r in penalties),
        "xml": b"\r\n" + xml_bytes(penalties),
        "xlsx": xlsx_buffer.getvalue(),
        "csv": csv_buffer.getvalue(),
    }
    for fmt, data in documents.items():
        for stream in (data, io.BytesIO(data), io.BufferedReader(Pipe(data))):
            table = c.read_table(stream)
            assert table.format == fmt
            assert validated("penalty", table) == expected["penalty"], fmt
    utf16 = json.dumps(penalties[:2], ensure_ascii=False).encode("utf-16")
    assert c.read_table(utf16).format == "json"


def test_read_table_by_name_and_fmt(penalties):
    lines = b"\n".join(dumps(r) for r in penalties[:3])
    assert c.read_table(lines, filename="export.ndjson").format == "jsonl"
    assert c.read_table(lines, fmt="jsonl").format == "jsonl"
    assert c.read_table(lines, fmt=".json").format == "jsonl"  # detected
    assert c.read_table(xml_bytes(penalties[:3]), filename="导出.XML").format == "xml"
    gbk = json.dumps(penalties[:3], ensure_ascii=False).encode("gbk")
    assert c.read_table(gbk, fmt="json", encoding="gbk").encoding == "gb18030"
    with pytest.raises(InvalidValue) as raised:  # a .xml name wins over content that is not XML
        c.read_table(b'[{"a": 1}]', filename="x.xml")
    assert raised.value.code == "credit_file_xml"
    assert c.read_table(b"CF_WSH,CF_XDR_MC\n1,2\n").format == "csv"


def test_sniff_format():
    assert f.sniff_format(b"PK\x03\x04rest") == "xlsx"
    assert f.sniff_format(b" \n\t[") == "json" and f.sniff_format(b"\xef\xbb\xbf{") == "json"
    assert f.sniff_format(b"<?xml") == "xml" and f.sniff_format(" <a/>".encode("utf-16")) == "xml"
    assert f.sniff_format("行政相对人名称,".encode("gbk")) is None and f.sniff_format(b"") is None


# ---------------------------------------------------------------------------------------------------------------
# Chunks


def test_iter_chunks():
    assert list(f.iter_chunks(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(f.iter_chunks(range(6), 3)) == [[0, 1, 2], [3, 4, 5]]
    assert list(f.iter_chunks([], 3)) == []
    assert list(f.iter_chunks("ab", 1)) == [["a"], ["b"]]
    with pytest.raises(ValueError):
        list(f.iter_chunks(range(3), 0))
    chunks = f.iter_chunks(itertools.count(), 1000)  # lazy
    assert next(chunks)[-1] == 999 and next(chunks)[0] == 1000


def test_iter_chunks_keeps_the_rows_read_before_an_error(penalties):
    records = list(itertools.islice(itertools.cycle(penalties), 250))
    document = dumps(records)
    table = f.read_json(document[: document.rindex(b"{")] + b"{oops}]")
    got = []
    with pytest.raises(f.MalformedFile) as raised:
        for chunk in f.iter_chunks(table.rows, 100):
            got.append([n for n, _ in chunk])
    assert [len(chunk) for chunk in got] == [100, 100, 49]
    assert got[-1][-1] == 249 and raised.value.row == 250


# ---------------------------------------------------------------------------------------------------------------
# Memory


class Repeated:
    """A byte stream of ``head``, ``body`` ``times`` times (joined by ``sep``) and ``tail``, made on the fly."""

    def __init__(self, head, body, tail, times, sep=b""):
        self._parts = itertools.chain([head, body], itertools.repeat(sep + body, times - 1), [tail])
        self._part = b""
        self._at = 0
        self.size = len(head) + len(tail) + len(body) * times + len(sep) * (times - 1)

    def read(self, size=-1):
        while self._at >= len(self._part):
            self._part, self._at = next(self._parts, b""), 0
            if not self._part:
                return b""
        out = self._part[self._at : None if size is None or size < 0 else self._at + size]
        self._at += len(out)
        return out


def test_reading_200000_records_keeps_memory_flat():
    # 1,000 generated records, repeated 200 times: 200,000 records, about 200 MB in each format, made on the fly.
    # Two fields a record (one of them long) keep tracemalloc's cost per allocation, and so the test, short.
    records = [
        {"CF_WSH": r["CF_WSH"], "CF_SY": r["CF_SY"] * 6} for r in s.generate_records("penalty", 1000, seed=3)
    ]
    json_body = b",\n".join(dumps(r) for r in records)
    xml_head, _, rest = xml_bytes(records).partition(b"<records>\n")
    xml_body = rest.rpartition(b"</records>")[0]
    streams = {
        "json": lambda: Repeated(b"[", json_body, b"]", 200, b",\n"),
        "xml": lambda: Repeated(xml_head + b"<records>\n", xml_body, b"</records>\n", 200),
    }
    for fmt, stream in streams.items():
        source = stream()
        assert source.size > 200 * 2**20
        tracemalloc.start()
        try:
            table = c.read_table(source)
            count = 0
            for count, row in table.rows:  # noqa: B007 - the count is what is checked
                pass
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert table.format == fmt and count == 200_000 and row["CF_WSH"] == records[-1]["CF_WSH"]
        assert peak < 50 * 2**20, (fmt, peak)


def test_an_xlsx_zip_is_still_xlsx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(InvalidValue) as raised:
        c.read_table(buffer.getvalue())
    assert raised.value.code == "credit_file_xlsx"
