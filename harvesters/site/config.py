"""The ``hlj_site`` harvest source's configuration: JSON in the source form → a checked, frozen :class:`SiteConfig`.

An empty config means the defaults: auto-detected HTML lists and detail pages, 50 pages, a full crawl weekly.
Every mistake is reported with the key it concerns, in Chinese and English, and all of them at once
(:func:`config_errors`), so an editor fixing a source sees the whole list on the first save. Selectors are
compiled here, so a typo in an XPath fails when the source is saved, not during a night's harvest.

Selectors are XPath 1.0 expressions: the ``cssselect`` package (needed for CSS selectors) is not installed.

Example::

    {"mode": "html", "max_pages": 20,
     "list_selectors": {"item": "//ul[@class='xxgk-list']/li"},
     "detail_selectors": {"body": "//div[@id='zoom']", "fields": {"index_no": "//td[@id='syh']"}},
     "allowed_hosts": ["*.hlj.gov.cn"],
     "policy_defaults": {"issuer_level": "provincial_department", "disclosure_attribute": "proactive"}}
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml
from lxml import etree

from ckanext.hlj.catalogue import codelists
from ckanext.hlj.catalogue.errors import InvalidValue

from ._html import xpath_result_kind
from .detail import FIELD_LABELS, DetailSelectors
from .encoding import normalise_encoding
from .feeds import JsonPaths
from .listing import ListSelectors

MODES = ("html", "rss", "json")
MAX_PAGES = 1000
DEFAULT_MAX_PAGES = 50
DEFAULT_FULL_CRAWL_DAYS = 7
# Policy fields a source may not preset: the harvester sets these per record, and the review actions own the rest.
HARVESTER_FIELDS = frozenset({"name", "owner_org", "first_seen_at", "is_reprint", "review_status", "private"})
# An element name with a dot (div.TRS_Editor) is valid XPath but no HTML element has one: it is CSS typed by mistake.
_DOTTED_NAME = re.compile(r"(?<![\w.:$-])[A-Za-z_][\w-]*\.[A-Za-z_][\w-]*")
_HOST_PATTERN = re.compile(
    r"^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?$"
)


@dataclass(frozen=True)
class SiteConfig:
    """A checked source config.

    ``mode``: where entries come from — list pages ("html"), a feed ("rss", RSS or Atom) or a JSON API ("json",
    with ``json_paths``); detail pages are parsed the same way in every mode. ``max_pages`` bounds one run's
    list pages; ``full_crawl_days`` is how often a run walks every page instead of stopping at known entries.
    ``allowed_hosts`` are host patterns besides the source URL's own (``*.hlj.gov.cn``; see
    :func:`host_matches`). ``policy_defaults`` fill policy fields the page does not give, code-list labels already
    turned into codes. ``encoding`` forces a charset (a Python codec name; GB2312 and GBK are stored as gb18030).
    """

    mode: str = "html"
    list_selectors: ListSelectors | None = None
    detail_selectors: DetailSelectors | None = None
    json_paths: JsonPaths | None = None
    max_pages: int = DEFAULT_MAX_PAGES
    full_crawl_days: int = DEFAULT_FULL_CRAWL_DAYS
    allowed_hosts: tuple[str, ...] = ()
    policy_defaults: dict[str, Any] = field(default_factory=dict)
    encoding: str | None = None


def host_matches(host: str, pattern: str) -> bool:
    """Whether ``host`` (lower case, port allowed) is allowed by ``pattern``: ``www.hlj.gov.cn`` exactly, or
    ``*.hlj.gov.cn`` for that domain and every subdomain."""
    host = host.lower().rstrip(".")
    if pattern.startswith("*."):
        domain = pattern[2:]
        return host == domain or host.endswith("." + domain)
    return host == pattern


# -- the policy schema ----------------------------------------------------------------------------------------------


@functools.cache
def policy_schema_fields() -> dict[str, dict[str, Any]]:
    """The ``policy`` dataset type's fields (schemas/policy.yaml), by field name."""
    text = resources.files("ckanext.hlj.schemas").joinpath("policy.yaml").read_text("utf-8")
    schema = yaml.safe_load(text)
    return {f["field_name"]: f for f in schema["dataset_fields"]}


# -- errors ---------------------------------------------------------------------------------------------------------


def _error(code: str, key: str, zh: str, en: str) -> InvalidValue:
    return InvalidValue(code, f"配置项 {key} {zh}", f"Config key {key} {en}")


class _Collector:
    def __init__(self) -> None:
        self.errors: list[InvalidValue] = []

    def add(self, code: str, key: str, zh: str, en: str) -> None:
        self.errors.append(_error(code, key, zh, en))


def _unknown_keys(
    errors: _Collector, given: dict, known: tuple[str, ...] | frozenset, prefix: str = ""
) -> None:
    for key in given:
        if key not in known:
            shown = f"{prefix}{key}"
            errors.add(
                "config_unknown_key",
                shown,
                f"不是可识别的配置项（可用：{'、'.join(known)}）",
                f"is not a known setting (known: {', '.join(known)})",
            )


def _xpath(errors: _Collector, key: str, value: object, *, elements: bool = False) -> str | None:
    """A compiled-and-checked XPath. ``elements``: it must select elements (item, body …), not text."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        errors.add(
            "config_type",
            key,
            "必须是非空的 XPath 表达式（文本）",
            "must be a non-empty XPath expression (text)",
        )
        return None
    expr = value.strip()
    try:
        kind = xpath_result_kind(expr)
    except etree.XPathError as problem:
        errors.add(
            "config_selector",
            key,
            f"不是有效的 XPath 表达式（{problem}）；本系统只接受 XPath，不支持 CSS 选择器",
            f"is not a valid XPath expression ({problem}); only XPath is accepted, not CSS selectors",
        )
        return None
    if _DOTTED_NAME.search(re.sub(r"'[^']*'|\"[^\"]*\"", "", expr)):
        errors.add(
            "config_selector",
            key,
            f"看起来是 CSS 选择器（{expr!r}），本系统只接受 XPath，如 //div[@class='TRS_Editor']",
            f"looks like a CSS selector ({expr!r}); only XPath is accepted, e.g. //div[@class='TRS_Editor']",
        )
        return None
    if kind == "scalar" or (elements and kind != "nodes"):
        yields_zh, yields_en = (
            ("数值或真假值", "a number or true/false") if kind == "scalar" else ("文本", "text")
        )
        errors.add(
            "config_selector",
            key,
            f"必须选取{'元素' if elements else '元素或文本'}，而 {expr!r} 的结果是{yields_zh}"
            "（CSS 选择器不受支持，请改写为 XPath）",
            f"must select {'elements' if elements else 'elements or text'}, but {expr!r} yields {yields_en}"
            " (CSS selectors are not supported; write XPath)",
        )
        return None
    return expr


def _mapping(errors: _Collector, key: str, value: object) -> dict | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        errors.add("config_type", key, "必须是对象（JSON {…}）", "must be an object (JSON {…})")
        return None
    return value


def _list_selectors(errors: _Collector, value: object) -> ListSelectors | None:
    given = _mapping(errors, "list_selectors", value)
    if given is None:
        return None
    names = ("item", "link", "date", "next")
    _unknown_keys(errors, given, names, "list_selectors.")
    compiled = {n: _xpath(errors, f"list_selectors.{n}", given.get(n), elements=n == "item") for n in names}
    if (compiled["link"] or compiled["date"]) and not given.get("item"):
        errors.add(
            "config_selector",
            "list_selectors.item",
            "在设置 link 或 date 时必须同时设置（它们在每个条目内求值）",
            "is required with link or date (they are evaluated inside each item)",
        )
    return ListSelectors(**compiled)


def _detail_selectors(errors: _Collector, value: object) -> DetailSelectors | None:
    given = _mapping(errors, "detail_selectors", value)
    if given is None:
        return None
    names = ("title", "body", "meta_table", "fields")
    _unknown_keys(errors, given, names, "detail_selectors.")
    compiled = {
        n: _xpath(errors, f"detail_selectors.{n}", given.get(n), elements=n in ("body", "meta_table"))
        for n in names
        if n != "fields"
    }
    fields: dict[str, str] = {}
    field_map = _mapping(errors, "detail_selectors.fields", given.get("fields"))
    if field_map:
        allowed = tuple(n for n in FIELD_LABELS if n != "title")
        _unknown_keys(errors, field_map, allowed, "detail_selectors.fields.")
        for name, expr in field_map.items():
            if name in allowed and (xpath := _xpath(errors, f"detail_selectors.fields.{name}", expr)):
                fields[name] = xpath
    return DetailSelectors(**compiled, fields=fields)


def _dotted_path(errors: _Collector, key: str, value: object, *, allow_empty: bool = False) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not re.fullmatch(
        r"[^.\s]+(\.[^.\s]+)*" + ("|" if allow_empty else ""), value
    ):
        errors.add(
            "config_path",
            key,
            "必须是以点分隔的路径文本，如 data.list",
            "must be a dotted path written as text, e.g. data.list",
        )
        return None
    return value


def _json_paths(errors: _Collector, value: object) -> JsonPaths | None:
    given = _mapping(errors, "json_paths", value)
    if given is None:
        return None
    before = len(errors.errors)
    names = ("items", "url", "title", "date", "url_template", "next", "page_param", "page", "total_pages")
    _unknown_keys(errors, given, names, "json_paths.")
    if "items" not in given:
        errors.add(
            "config_missing",
            "json_paths.items",
            "必须填写（列表所在的路径）",
            "is required (the path to the list)",
        )
    paths = {
        name: _dotted_path(errors, f"json_paths.{name}", given[name], allow_empty=name == "items")
        for name in ("items", "url", "title", "date", "next", "page", "total_pages")
        if given.get(name) is not None
    }
    template = given.get("url_template")
    if template is not None and (not isinstance(template, str) or "{}" not in template):
        errors.add(
            "config_type",
            "json_paths.url_template",
            "必须是含 {} 占位符的文本",
            "must be text containing a {} placeholder",
        )
    param = given.get("page_param")
    if param is not None and (not isinstance(param, str) or not re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+", param)):
        errors.add(
            "config_type",
            "json_paths.page_param",
            "必须是查询参数名，如 page",
            "must be a query parameter name, e.g. page",
        )
    if given.get("total_pages") is not None and param is None:
        errors.add(
            "config_missing",
            "json_paths.page_param",
            "在设置 total_pages 时必须填写",
            "is required when total_pages is set",
        )
    if len(errors.errors) > before:
        return None
    return JsonPaths(**paths, url_template=template, page_param=param)


def _int_setting(
    errors: _Collector, key: str, value: object, *, low: int, high: int | None, default: int
) -> int:
    if value is None:
        return default
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or value < low
        or (high is not None and value > high)
    ):
        if high is None:
            errors.add(
                "config_range", key, f"必须是不小于 {low} 的整数", f"must be an integer of at least {low}"
            )
        else:
            errors.add(
                "config_range",
                key,
                f"必须是 {low} 到 {high} 之间的整数",
                f"must be an integer from {low} to {high}",
            )
        return default
    return value


def _allowed_hosts(errors: _Collector, value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        errors.add("config_type", "allowed_hosts", "必须是主机名列表", "must be a list of host names")
        return ()
    hosts = []
    for i, host in enumerate(value):
        if not isinstance(host, str) or not _HOST_PATTERN.match(host.strip().lower()):
            errors.add(
                "config_host",
                f"allowed_hosts[{i}]",
                f"不是有效的主机名（如 www.hlj.gov.cn 或 *.hlj.gov.cn）：{host!r}",
                f"is not a valid host name (e.g. www.hlj.gov.cn or *.hlj.gov.cn): {host!r}",
            )
        else:
            hosts.append(host.strip().lower())
    return tuple(dict.fromkeys(hosts))


def _policy_default(errors: _Collector, key: str, spec: dict[str, Any], value: object) -> object:
    """The value to store for one default (a code for a code-list label), or None after reporting a problem."""
    if "codelist" in spec:
        check = (
            codelists.validate_choices
            if spec.get("preset") == "hlj_codelist_multiple"
            else codelists.validate_choice
        )
        try:
            return check(spec["codelist"], value)
        except InvalidValue as problem:
            errors.add("config_choice", key, f"的值无效：{problem.zh}", f"has an invalid value: {problem.en}")
    elif spec.get("preset") == "hlj_boolean":
        if isinstance(value, bool):
            return value
        errors.add("config_type", key, "必须是 true 或 false", "must be true or false")
    elif isinstance(value, str) and value.strip():
        return value.strip()
    else:
        errors.add("config_type", key, "必须是非空文本", "must be non-empty text")
    return None


def _policy_defaults(errors: _Collector, value: object) -> dict[str, Any]:
    given = _mapping(errors, "policy_defaults", value)
    if not given:
        return {}
    schema = policy_schema_fields()
    defaults = {}
    for name, raw in given.items():
        key = f"policy_defaults.{name}"
        if name not in schema:
            errors.add(
                "config_unknown_key",
                key,
                "不是政策文件（policy）数据集的字段",
                "is not a field of the policy dataset type",
            )
        elif name in HARVESTER_FIELDS:
            errors.add(
                "config_reserved",
                key,
                "由采集程序或审查流程设置，不能预设",
                "is set by the harvester or the review, not by a default",
            )
        else:
            checked = _policy_default(errors, key, schema[name], raw)
            if checked is not None:
                defaults[name] = checked
    return defaults


def _encoding(errors: _Collector, value: object) -> str | None:
    if value is None or value == "":
        return None
    name = normalise_encoding(value) if isinstance(value, str) else None
    if name is None:
        errors.add(
            "config_encoding",
            "encoding",
            f"不是已知的字符编码：{value!r}",
            f"is not a known character encoding: {value!r}",
        )
    return name


def _load(raw: object) -> tuple[dict | None, InvalidValue | None]:
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", errors="replace")
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return {}, None
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError as problem:
            return None, InvalidValue(
                "config_json", f"配置不是有效的 JSON：{problem}", f"Config is not valid JSON: {problem}"
            )
    if not isinstance(raw, dict):
        return None, InvalidValue(
            "config_type", "配置必须是 JSON 对象（{…}）", "Config must be a JSON object ({…})"
        )
    return raw, None


KEYS = (
    "mode", "list_selectors", "detail_selectors", "json_paths", "max_pages", "full_crawl_days", "allowed_hosts",
    "policy_defaults", "encoding",
)  # fmt: skip


def _check(raw: object) -> tuple[SiteConfig | None, list[InvalidValue]]:
    given, problem = _load(raw)
    if given is None:
        return None, [problem] if problem else []
    errors = _Collector()
    _unknown_keys(errors, given, KEYS)
    mode = given.get("mode", "html")
    if mode not in MODES:
        errors.add(
            "config_mode",
            "mode",
            f"必须是 {'、'.join(MODES)} 之一（现为 {mode!r}）",
            f"must be one of {', '.join(MODES)} (got {mode!r})",
        )
        mode = "html"
    list_selectors = _list_selectors(errors, given.get("list_selectors"))
    if list_selectors is not None and mode != "html":
        errors.add(
            "config_mode",
            "list_selectors",
            "只适用于 mode 为 html 的采集源",
            "applies only when mode is html",
        )
    json_paths = _json_paths(errors, given.get("json_paths"))
    if mode == "json" and "json_paths" not in given:
        errors.add(
            "config_missing", "json_paths", "在 mode 为 json 时必须填写", "is required when mode is json"
        )
    elif mode != "json" and "json_paths" in given:
        errors.add(
            "config_mode", "json_paths", "只适用于 mode 为 json 的采集源", "applies only when mode is json"
        )
    config = SiteConfig(
        mode=mode,
        list_selectors=list_selectors,
        detail_selectors=_detail_selectors(errors, given.get("detail_selectors")),
        json_paths=json_paths,
        max_pages=_int_setting(
            errors, "max_pages", given.get("max_pages"), low=1, high=MAX_PAGES, default=DEFAULT_MAX_PAGES
        ),
        full_crawl_days=_int_setting(
            errors,
            "full_crawl_days",
            given.get("full_crawl_days"),
            low=1,
            high=None,
            default=DEFAULT_FULL_CRAWL_DAYS,
        ),
        allowed_hosts=_allowed_hosts(errors, given.get("allowed_hosts")),
        policy_defaults=_policy_defaults(errors, given.get("policy_defaults")),
        encoding=_encoding(errors, given.get("encoding")),
    )
    return config, errors.errors


def config_errors(raw: object) -> list[InvalidValue]:
    """Every problem with a source's config (JSON text, a dict, or empty), in the order of the keys; [] when fine."""
    return _check(raw)[1]


def validate_config(raw: object) -> SiteConfig:
    """The checked config; InvalidValue when anything is wrong (with several problems, one error listing all)."""
    config, errors = _check(raw)
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise InvalidValue(
            "config_invalid",
            "；".join(e.zh for e in errors),
            "; ".join(e.en for e in errors),
        )
    assert config is not None
    return config
