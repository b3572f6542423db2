"""Streaming JSON and XML readers for 双公示 exchange files, and chunking.

:func:`read_json` and :func:`read_xml` return the same :class:`~.credit.Table` as :func:`.credit.read_csv` (so
:func:`.credit.iter_validate` takes their rows unchanged), read the document incrementally and keep memory flat
whatever its size: a few records are held at a time, plus at most :data:`PEEK_LIMIT` bytes while the records are
being located.

Rows, headers and numbering (both formats)
    A row is a dict of field name → value. ``Table.headers`` is the union of the field names of the first
    :data:`HEADER_SAMPLE` records, in order of first appearance, and every row has all of them (None where a
    record lacks one), in that order. A field first met in a later record is not added to ``headers`` — they
    are fixed before the first row is handed out — but it is still passed through in that row, after the
    header fields; the row's keys then differ from ``headers``, which :func:`.credit.iter_validate` handles
    (it maps columns per distinct key set). Rows are numbered by record: the first record is row 1, whatever
    line it is on, and ``Table.header_row`` is 0 (there is no header row). ``Table.format`` is ``json``,
    ``jsonl`` or ``xml``; ``Table.encoding`` the encoding the bytes were decoded from.

JSON (:func:`read_json`, parsed by ijson, with its C backend yajl2_c when available)
    * a top-level array of objects: ``[{"XK_WSH": …}, …]``;
    * an object with the records array under a key, at the top or one level down: ``{"data": [...]}``,
      ``{"total": 9, "data": {"list": [...]}}``, ``{"result": {"records": [...]}}``. The first array of objects
      (in document order) is taken whose key is a usual one (:data:`RECORD_KEYS`: data, records, rows, list,
      items, result, …) or whose first object has two or more credit column names; ``path="data.list"`` names
      it explicitly (any depth, dotted keys; ``""`` for a top-level array);
    * JSON Lines / NDJSON (one object per line; any whitespace between objects), also a single record object:
      recognised when the top-level object itself has two or more credit column names, or with ``lines=True``.

    Values come as JSON has them: strings, ints, :class:`~decimal.Decimal` for other numbers (exact), bool,
    None; nested objects and arrays are passed through as dicts and lists. Encodings: UTF-8 with or without a
    BOM, UTF-16 with a BOM, and GB18030/GBK (sniffed from the first 64 KiB as for CSV, or given as
    ``encoding``), which is transcoded to UTF-8 incrementally.

XML (:func:`read_xml`, parsed by lxml's iterparse)
    * records as repeated elements with one child element per field, named by code or by Chinese column name:
      ``<records><record><XK_XDR_MC>…</XK_XDR_MC>…</record>…</records>``;
    * or children naming their field in an attribute: ``<record><field name="XK_XDR_MC">…</field>…</record>``
      (attribute ``name``, ``key``, ``code``, ``column`` or ``field``, used when the child's own tag is not a
      column name);
    * or fields as attributes: ``<record XK_XDR_MC="…" XK_WSH="…"/>`` (attributes and children can be mixed).

    The record element is the first element (in document order of their ends) whose leaf children and
    attributes include two or more credit column names (:func:`.credit.resolve_column` for either kind); or give
    ``record_tag`` (``"record"`` matches it in any namespace, ``"{uri}record"`` in one). Namespaces are dropped
    from field names. A child with children of its own is not a field and is skipped; an empty element gives
    ``""``; a repeated field keeps its last value. Encodings: whatever the XML declaration says (GBK, GB2312 and
    GB18030 are all decoded as GB18030, which contains them, so a file labelled GB2312 that uses GBK characters
    still reads), a BOM, else UTF-8 or GB18030 sniffed as for CSV; ``encoding`` overrides all of them.

    Safety: a document with a DOCTYPE is refused (``credit_file_unsafe_xml``) — before parsing when the DOCTYPE
    is in the first 64 KiB, else at the root element, before any record is read — so there is no DTD, no entity
    declaration, no entity expansion (billion laughs, quadratic blow-up), no external entity or DTD (XXE) and
    no network access; lxml runs with ``resolve_entities=False, no_network=True, load_dtd=False,
    huge_tree=False`` besides, and its amplification and size limits are reported as the same error. Each
    record element is cleared once read and its earlier siblings (and those of its ancestors) deleted, so the
    tree never holds more than the current record.

Errors
    All are :class:`~.errors.InvalidValue` (``credit_file_*``). A problem found before the first record (not
    JSON / XML, no records found, unsafe XML, unknown encoding) is raised by :func:`read_json` /
    :func:`read_xml` themselves. A problem part-way through — malformed JSON or XML, a truncated file, bytes
    that do not decode, a JSON record that is not an object — is raised by the ``Table.rows`` iterator *after*
    it has yielded every record before the problem: those rows are complete and valid and the caller may keep
    them (or, to load all-or-nothing, discard them). The exception is a :class:`MalformedFile` whose ``row`` is
    the number of the record that could not be read (the last row yielded + 1) and whose messages name it (and
    for XML the line and column).

:func:`iter_chunks` groups rows into lists for batch writes without losing the rows read before such an error.
"""

from __future__ import annotations

import codecs
import io
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any, TypeVar

from .credit import Table, _known_columns, _sniff_encoding
from .errors import InvalidValue

T = TypeVar("T")

HEADER_SAMPLE = 100  # records whose field names make up Table.headers
PEEK_LIMIT = 4 * 1024 * 1024  # bytes read while locating the records before giving up
RECORD_KEYS = frozenset(
    {"data", "records", "rows", "list", "items", "result", "results", "content", "datalist"}
)
NAME_ATTRIBUTES = ("name", "key", "code", "column", "field")
_CHUNK = 64 * 1024
_GB = {"gb2312", "gbk", "gb18030"}  # codecs.lookup names (cp936, euc-cn and the like map onto these)


class MalformedFile(InvalidValue):
    """Reading stopped at record ``row`` (1-based); the rows before it were yielded and are sound."""

    def __init__(self, code: str, zh: str, en: str, row: int | None = None):
        super().__init__(code, zh, en)
        self.row = row

    def __reduce__(self):
        return (type(self), (self.code, self.zh, self.en, self.row))


def _error(code: str, zh: str, en: str) -> InvalidValue:
    return InvalidValue(f"credit_file_{code}", zh, en)


# --------------------------------------------------------------------------------------------------------------
# Byte sources: read(n) objects for ijson and lxml


class _Prefixed:
    """``head`` and then the rest of ``stream``."""

    def __init__(self, head: bytes, stream: Any):
        self._head = memoryview(head)
        self._stream = stream

    def read(self, size: int = -1) -> bytes:
        if self._head:
            size = len(self._head) if size is None or size < 0 else size
            part, self._head = self._head[:size], self._head[size:]
            return bytes(part)
        return self._stream.read(size)


class _Transcoded:
    """``stream`` decoded from ``encoding`` incrementally and handed out as UTF-8.

    Bytes that do not decode are found with the ``surrogateescape`` handler (they become lone surrogates, which
    no valid input gives): the text before them is handed out first, so every record before the bad bytes is
    read, and the next read raises ``credit_file_encoding``.
    """

    def __init__(self, stream: Any, encoding: str):
        self._stream = stream
        self._decoder = codecs.getincrementaldecoder(encoding)(errors="surrogateescape")
        self._encoding = encoding
        self._pending = b""
        self._done = False
        self._bad = False

    def _invalid(self) -> InvalidValue:
        return _error(
            "encoding",
            f"文件内容不是有效的{self._encoding}编码文本",
            f"The file's bytes are not valid {self._encoding} text",
        )

    def read(self, size: int = -1) -> bytes:
        while not self._pending and not self._done:
            if self._bad:
                raise self._invalid()
            chunk = self._stream.read(_CHUNK)
            try:
                text = self._decoder.decode(chunk, final=not chunk)
            except UnicodeError:  # what the error handler does not cover (a UTF-16 stream without its BOM)
                raise self._invalid() from None
            bad = _ESCAPED.search(text)
            if bad:
                text, self._bad = text[: bad.start()], True
            self._done = not chunk and not self._bad
            self._pending = text.encode("utf-8")
        if size is None or size < 0 or size >= len(self._pending):
            part, self._pending = self._pending, b""
        else:
            part, self._pending = self._pending[:size], self._pending[size:]
        return part


_ESCAPED = re.compile("[\udc80-\udcff]")


class _Recording:
    """``stream``, keeping a copy of everything read (while locating the records), up to a limit."""

    def __init__(self, stream: Any, limit: int):
        self._stream = stream
        self.copy = bytearray()
        self._limit = limit

    def read(self, size: int = -1) -> bytes:
        if len(self.copy) > self._limit:
            raise _PeekLimit
        data = self._stream.read(size)
        self.copy += data
        return data


class _PeekLimit(Exception):
    pass


def _as_stream(stream: IO[bytes] | bytes) -> Any:
    return io.BytesIO(stream) if isinstance(stream, bytes | bytearray) else stream


def _codec(name: str) -> str:
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        raise _error("encoding", f"不支持的文本编码：{name}", f"Unsupported text encoding {name!r}") from None
    return "gb18030" if codec in _GB else codec


def _source(stream: Any, head: bytes, encoding: str) -> Any:
    """The whole stream as UTF-8 bytes without a BOM."""
    if encoding == "utf-8":
        return _Prefixed(head, stream)
    return _Transcoded(_Prefixed(head, stream), encoding)


def _rows(
    records: Iterator[Any],
    failures: tuple[type[Exception], ...],
    fail: Callable[[Exception, int], InvalidValue],
) -> tuple[list[str], Iterator[tuple[int, dict[str, Any]]]]:
    """Headers from the first records, and the numbered rows (see the module docstring). ``failures``: the
    exceptions that mean the document is broken, turned into :class:`MalformedFile` by ``fail``."""
    sample: list[Any] = []
    deferred: InvalidValue | None = None
    try:
        for record in itertools.islice(records, HEADER_SAMPLE):
            sample.append(record)
    except failures as error:
        if not sample:
            raise fail(error, 1) from None
        deferred = fail(error, len(sample) + 1)
    headers: list[str] = []
    seen: set[str] = set()
    for record in sample:
        if not isinstance(record, dict):
            break  # reported when the row is reached
        for key in record:
            if key not in seen:
                seen.add(key)
                headers.append(key)

    def numbered() -> Iterator[tuple[int, dict[str, Any]]]:
        width = len(headers)
        number = 0
        source = itertools.chain(sample, records) if deferred is None else iter(sample)
        try:
            for number, record in enumerate(source, 1):
                if not isinstance(record, dict):
                    raise _NotAnObject
                if len(record) == width and list(record) == headers:
                    yield number, record
                    continue
                # The header fields in order, None where missing; then any field first met after the header
                # sample, passed through.
                row = dict.fromkeys(headers)
                row.update(record)
                yield number, row
        except _NotAnObject:
            raise MalformedFile(
                "credit_file_record",
                f"第{number}条记录不是对象（应为字段名到值的映射）",
                f"Record {number} is not an object (expected field names and values)",
                number,
            ) from None
        except failures as error:
            raise fail(error, number + 1) from None
        if deferred is not None:
            raise deferred

    return headers, numbered()


class _NotAnObject(Exception):
    pass


# --------------------------------------------------------------------------------------------------------------
# JSON


def _ijson() -> Any:
    import ijson  # noqa: PLC0415 - only the JSON path needs it

    try:
        return ijson.get_backend("yajl2_c")
    except Exception:  # the C extension is optional in ijson's wheels
        return ijson


def _json_failures() -> tuple[type[Exception], ...]:
    import ijson  # noqa: PLC0415

    return (ijson.JSONError, ijson.IncompleteJSONError)


def _json_detail(error: Exception) -> str:
    detail = error.args[0] if error.args else error
    if isinstance(detail, bytes):
        detail = detail.decode("utf-8", "replace")
    text = str(detail).strip().splitlines()
    return text[0] if text else type(error).__name__


def _json_fail(error: Exception, row: int) -> InvalidValue:
    if isinstance(error, MalformedFile):
        return error
    if isinstance(error, InvalidValue):  # from the transcoder
        return MalformedFile(
            error.code,
            f"第{row}条记录附近：{error.zh}",
            f"Near record {row}: {error.en}",
            row,
        )
    detail = _json_detail(error)
    return MalformedFile(
        "credit_file_json",
        f"第{row}条记录处JSON格式错误：{detail}",
        f"Malformed JSON at record {row}: {detail}",
        row,
    )


def _dotted(prefix: str) -> list[str]:
    return prefix.split(".") if prefix else []


def _json_path(events: Iterator[tuple[str, str, Any]]) -> tuple[str, bool]:
    """(ijson prefix of the records, JSON Lines?) from the first events of a document."""
    _, event, _ = next(events)
    if event == "start_array":
        _, event, _ = next(events)
        if event in ("start_map", "end_array"):
            return "item", False
        raise _NotRecords
    if event != "start_map":
        raise _NotRecords
    return _json_object_path(events)


def _json_object_path(events: Iterator[tuple[str, str, Any]]) -> tuple[str, bool]:
    """The records in a top-level object: an array under it or one level down, or the object itself."""
    own_keys: list[str] = []  # the top-level object's keys
    fallback = None  # an empty array under a usual key
    for prefix, event, value in events:
        if event == "map_key" and prefix == "":
            own_keys.append(value)
        elif event == "start_array" and len(keys := _dotted(prefix)) <= 2 and "item" not in keys:
            if _known_columns(own_keys) >= 2:
                return "", True  # the top-level object is itself a record
            found = _json_array(events, prefix)
            if found == "records":
                return f"{prefix}.item", False
            if found == "empty" and fallback is None and keys[-1].casefold() in RECORD_KEYS:
                fallback = f"{prefix}.item"
        elif event == "end_map" and prefix == "":
            if _known_columns(own_keys) >= 2:
                return "", True
            if fallback:
                return fallback, False
            if next(events, (None, None, None))[:2] == ("", "start_map"):
                return "", True  # more objects follow: JSON Lines (with unfamiliar field names)
            break
    raise _NotRecords


def _json_array(events: Iterator[tuple[str, str, Any]], prefix: str) -> str:
    """Looks at the array starting at ``prefix``: ``records``, ``empty`` or ``other`` (then skipped)."""
    _, first, _ = next(events)
    if first == "end_array":
        return "empty"
    if first == "start_map":
        item = f"{prefix}.item"
        keys = []
        for inner_prefix, event, value in events:
            if inner_prefix == item and event == "map_key":
                keys.append(value)
            elif inner_prefix == item and event == "end_map":
                break
        if _dotted(prefix)[-1].casefold() in RECORD_KEYS or _known_columns(keys) >= 2:
            return "records"
    for inner_prefix, event, _ in events:
        if inner_prefix == prefix and event == "end_array":
            break
    return "other"


class _NotRecords(Exception):
    pass


def read_json(
    stream: IO[bytes] | bytes,
    *,
    path: str | None = None,
    lines: bool | None = None,
    encoding: str | None = None,
) -> Table:
    """Read a JSON exchange file as numbered rows, streaming (see the module docstring for shapes and errors).

    ``path``: the dotted keys of the records array (``"data.list"``; ``""`` for a top-level array) instead of
    detecting it. ``lines``: True for JSON Lines (one object per line), False to refuse that reading; None
    (default) detects it. ``encoding``: the file's encoding instead of sniffing it.
    """
    backend = _ijson()
    failures = (*_json_failures(), InvalidValue)
    stream = _as_stream(stream)
    head = stream.read(_CHUNK)
    if not head.strip():
        raise _error("empty", "文件中没有数据", "The file holds no data")
    codec = _codec(encoding) if encoding else _codec(_sniff_encoding(head))
    reported = codec
    if codec in ("utf-8", "utf-8-sig"):
        head = head.removeprefix(codecs.BOM_UTF8)
        codec = "utf-8"
    source = _source(stream, head, codec)

    if path is not None or lines:
        keys = (path or "").removeprefix("$").strip(".")  # "data.list", also written "$.data.list"
        prefix = "" if lines else (f"{keys}.item" if keys else "item")
        multiple = bool(lines)
    else:
        recording = _Recording(source, PEEK_LIMIT)
        try:
            prefix, multiple = _json_path(iter(backend.parse(recording, multiple_values=True)))
        except _NotRecords:
            raise _error(
                "json_records",
                "JSON中未找到记录（应为对象数组、含data/records/list等数组的对象，或每行一个对象）",
                "No records found in the JSON (expected an array of objects, an object holding one under "
                "data / records / list …, or one object per line)",
            ) from None
        except _PeekLimit:
            raise _error(
                "json_records",
                f"JSON前{PEEK_LIMIT // 2**20} MB中未找到记录数组，请指定记录路径",
                f"No records array in the first {PEEK_LIMIT // 2**20} MB of the JSON: give its path",
            ) from None
        except StopIteration:
            raise _error("json", "JSON文件不完整", "Malformed JSON: the document ends early") from None
        except failures as error:
            raise _json_fail(error, 1) from None
        if lines is False and multiple:
            raise _error("json_records", "JSON中未找到记录数组", "No records array found in the JSON")
        source = _Prefixed(bytes(recording.copy), source)

    records = backend.items(source, prefix, multiple_values=multiple)
    headers, rows = _rows(records, failures, _json_fail)
    return Table("jsonl" if multiple else "json", headers, 0, rows, reported)


# --------------------------------------------------------------------------------------------------------------
# XML

_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:\-]+)["']""")
_PROLOG_ITEM = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)


def _xml_codec(head: bytes, encoding: str | None) -> str:
    if encoding:
        return _codec(encoding)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    declared = _DECLARED.match(head[:1024])
    if declared:
        codec = _codec(declared.group(1).decode("ascii"))
        if not codec.startswith(("utf-16", "utf-32")):  # readable as ASCII: not UTF-16 whatever it says
            return codec
    return _codec(_sniff_encoding(head))


def _unsafe(detail: str = "") -> InvalidValue:
    return _error(
        "unsafe_xml",
        "XML文件含有DOCTYPE（DTD或实体声明），出于安全原因拒绝读取" + (f"：{detail}" if detail else ""),
        "XML: documents with a DOCTYPE (DTD or entity declarations) are refused for safety"
        + (f": {detail}" if detail else ""),
    )


def _check_prolog(probe: bytes) -> None:
    text = probe.decode("utf-8", "replace")
    position = 0
    while match := _PROLOG_ITEM.match(text, position):
        if match.end() == position:
            break
        position = match.end()
    if text[position : position + 9].upper() == "<!DOCTYPE":
        raise _unsafe()


def _has_doctype(element: Any) -> bool:
    info = element.getroottree().docinfo
    return bool(
        info.internalDTD is not None or info.externalDTD is not None or info.system_url or info.doctype
    )


_LIMIT_MESSAGES = ("amplification", "XML_PARSE_HUGE", "huge", "Detected an entity reference loop")


def _xml_fail(error: Exception, row: int) -> InvalidValue:
    if isinstance(error, MalformedFile):
        return error
    if isinstance(error, InvalidValue):
        return MalformedFile(
            error.code, f"第{row}条记录附近：{error.zh}", f"Near record {row}: {error.en}", row
        )
    message = str(getattr(error, "msg", "") or error).strip()
    if any(part in message for part in _LIMIT_MESSAGES):
        unsafe = _unsafe(message)
        return MalformedFile(unsafe.code, unsafe.zh, unsafe.en, row)
    line, column = getattr(error, "position", (None, None)) or (None, None)
    where_zh = f"（第{line}行第{column}列）" if line else ""
    where_en = f" (line {line}, column {column})" if line else ""
    return MalformedFile(
        "credit_file_xml",
        f"第{row}条记录处XML格式错误{where_zh}：{message}",
        f"Malformed XML at record {row}{where_en}: {message}",
        row,
    )


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


class _Fields:
    """Turns a record element into a dict (see the module docstring); per-tag decisions are memoised."""

    def __init__(self) -> None:
        self._children: dict[Any, tuple[str | None, str | None]] = {}
        self._attributes: dict[str, str] = {}

    def _child(self, child: Any) -> tuple[str | None, str | None]:
        tag = child.tag
        if not isinstance(tag, str):  # an entity reference (comments and PIs are dropped by the parser)
            spec: tuple[str | None, str | None] = (None, None)
        else:
            local = _local(tag)
            attribute = None
            if not _known_columns([local]):
                attribute = next((name for name in NAME_ATTRIBUTES if child.get(name)), None)
            spec = (local, attribute)
        self._children[tag] = spec
        return spec

    def __call__(self, element: Any) -> dict[str, Any]:
        row: dict[str, Any] = {}
        if element.attrib:
            for name, value in element.attrib.items():
                key = self._attributes.get(name)
                if key is None:
                    key = self._attributes[name] = _local(name)
                row[key] = value
        specs = self._children
        for child in element:
            spec = specs.get(child.tag)
            if spec is None:
                spec = self._child(child)
            key, attribute = spec
            if key is None or len(child):
                continue  # not a leaf: not a field
            if attribute is not None:
                key = child.get(attribute) or key
            text = child.text
            row[key] = text if text is not None else ""
        return row

    def names(self, element: Any) -> list[str]:
        return list(self(element))


def _iterparse(source: Any, **options: Any) -> Any:
    """lxml's iterparse with every safety option; the source is always UTF-8 (transcoded when it was not), which
    overrides the encoding the document declares."""
    from lxml import etree  # noqa: PLC0415 - only the XML path needs it

    return etree.iterparse(
        source,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        encoding="utf-8",
        **options,
    )


def _xml_failures() -> tuple[type[Exception], ...]:
    from lxml import etree  # noqa: PLC0415

    return (etree.LxmlError, InvalidValue)


def _find_record_tag(source: Any, fields: _Fields) -> tuple[str | None, bool]:
    """(the qualified tag of the first record element or None, whether the root element has children)."""
    depth = 0
    has_children = False
    for event, element in _iterparse(source, events=("start", "end")):
        if event == "start":
            if depth == 0 and _has_doctype(element):
                raise _unsafe()
            depth += 1
            has_children = has_children or depth == 2
            continue
        depth -= 1
        if len(element) or element.attrib:
            if _known_columns(fields.names(element)) >= 2:
                return element.tag, True
    return None, has_children


class _Pruner:
    """Clears each record once read and deletes what precedes it in the tree, so the tree stays small.

    At a record's end event the record is the last child of its parent, and each ancestor is the last child of
    its own parent (the document is read in order), so ``del parent[:-1]`` drops everything read before. The
    ancestors are pruned only when the parent changes (records grouped in pages, say): once per group.
    """

    def __init__(self) -> None:
        self._parent: Any = None

    def __call__(self, element: Any) -> None:
        element.clear(keep_tail=False)
        parent = element.getparent()
        if parent is None:
            return
        del parent[:-1]
        if parent is not self._parent:
            self._parent = parent
            for ancestor in parent.iterancestors():
                del ancestor[:-1]


def read_xml(
    stream: IO[bytes] | bytes, *, record_tag: str | None = None, encoding: str | None = None
) -> Table:
    """Read an XML exchange file as numbered rows, streaming and safely (see the module docstring).

    ``record_tag``: the record element's name instead of detecting it (``"record"`` in any namespace, or
    ``"{uri}record"``). ``encoding``: the file's encoding, overriding its declaration.
    """
    stream = _as_stream(stream)
    head = stream.read(_CHUNK)
    if not head.strip():
        raise _error("empty", "文件中没有数据", "The file holds no data")
    codec = reported = _xml_codec(head, encoding)
    if codec in ("utf-8", "utf-8-sig"):
        head = head.removeprefix(codecs.BOM_UTF8)
        codec = "utf-8"
    source = _source(stream, head, codec)
    failures = _xml_failures()

    recording = _Recording(source, PEEK_LIMIT)
    probe = recording.read(_CHUNK)
    skip = len(probe) - len(probe.lstrip(b" \t\r\n"))  # blank lines before the declaration: tolerated
    probe = probe[skip:]
    _check_prolog(probe)
    fields = _Fields()
    try:
        if record_tag:
            for _, element in _iterparse(_Prefixed(probe, recording), events=("start",)):
                if _has_doctype(element):
                    raise _unsafe()
                break
            tag, has_children = (record_tag if "}" in record_tag else "{*}" + record_tag), True
        else:
            tag, has_children = _find_record_tag(_Prefixed(probe, recording), fields)
    except _PeekLimit:
        raise _error(
            "xml_records",
            f"XML前{PEEK_LIMIT // 2**20} MB中未找到记录元素，请指定记录元素名",
            f"No record element in the first {PEEK_LIMIT // 2**20} MB of the XML: give its tag",
        ) from None
    except InvalidValue:
        raise  # unsafe, or bytes that do not decode: before any record
    except failures as error:
        raise _xml_fail(error, 1) from None
    if tag is None:
        if has_children:
            raise _error(
                "xml_records",
                "XML中未找到记录元素（其子元素应为XK_*/CF_*等双公示字段）",
                "No record elements found in the XML (their children should be credit fields such as XK_* / CF_*)",
            )
        tag = "{*}record"  # an empty document (<records/>): no rows

    def records() -> Iterator[dict[str, Any]]:
        prune = _Pruner()
        replay = _Prefixed(bytes(recording.copy[skip:]), source)
        for _, element in _iterparse(replay, events=("end",), tag=tag):
            row = fields(element)
            prune(element)
            yield row

    headers, rows = _rows(records(), failures, _xml_fail)
    return Table("xml", headers, 0, rows, reported)


# --------------------------------------------------------------------------------------------------------------
# Chunks and format sniffing


def iter_chunks(rows: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of ``size`` consecutive items of ``rows`` (the last one shorter), lazily.

    When ``rows`` raises (e.g. a :class:`MalformedFile` part-way through a file), the items read before the
    error are yielded first as a last, shorter chunk, and the error is raised by the next step.
    """
    if size < 1:
        raise ValueError("chunk size must be at least 1")
    chunk: list[T] = []
    try:
        for item in rows:
            chunk.append(item)
            if len(chunk) >= size:
                yield chunk
                chunk = []
    except Exception as error:
        if chunk:
            yield chunk
        raise error
    if chunk:
        yield chunk


def sniff_format(head: bytes) -> str | None:
    """``xlsx`` (ZIP signature), ``json`` (first non-blank character ``[`` or ``{``), ``xml`` (``<``) or None,
    from the first bytes of a file (a BOM is skipped; UTF-16 text is decoded first)."""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = head[: len(head) // 2 * 2].decode("utf-16", "replace").lstrip()
    else:
        text = head.removeprefix(codecs.BOM_UTF8).lstrip().decode("ascii", "replace")
    first = text[:1]
    return {"[": "json", "{": "json", "<": "xml"}.get(first)
