"""Bilingual code lists (zh_Hans_CN first, en) for the dataset schemas, read from ``data/codelists.yaml``.

Each list states its source in the YAML. A value is stored as its code; on input a code, the Chinese label, an
alias listed in the YAML or the English label is accepted (:func:`validate_choice`), so spreadsheets filled in
with labels import cleanly. Lists whose ``multiple`` is true take several values (:func:`validate_choices`).
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources

import yaml

from ._text import to_halfwidth
from .errors import InvalidValue

ZH = "zh_Hans_CN"
EN = "en"


@dataclass(frozen=True)
class Choice:
    code: str
    zh: str
    en: str
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    note: str = ""

    def label(self, lang: str | None = ZH) -> str:
        return self.en if (lang or "").lower().startswith("en") else self.zh


@dataclass(frozen=True)
class CodeList:
    name: str
    title_zh: str
    title_en: str
    source: str
    multiple: bool
    choices: tuple[Choice, ...]

    def title(self, lang: str | None = ZH) -> str:
        return self.title_en if (lang or "").lower().startswith("en") else self.title_zh


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", to_halfwidth(text)).strip().casefold()


@functools.cache
def _lists() -> dict[str, CodeList]:
    raw = yaml.safe_load(resources.files(__package__).joinpath("data/codelists.yaml").read_text("utf-8"))
    lists = {}
    for name, spec in raw.items():
        choices = tuple(
            Choice(
                code=str(c["code"]),
                zh=c[ZH],
                en=c[EN],
                aliases=tuple(c.get("aliases") or ()),
                parent=c.get("parent"),
                note=c.get("note", ""),
            )
            for c in spec["choices"]
        )
        lists[name] = CodeList(
            name, spec["title"][ZH], spec["title"][EN], spec["source"], bool(spec.get("multiple")), choices
        )
    return lists


@functools.cache
def _lookup(name: str) -> dict[str, str]:
    """Every accepted spelling (code, zh, en, aliases; case- and width-folded) → code. Raises on ambiguity."""
    table: dict[str, str] = {}
    for choice in codelist_info(name).choices:
        for spelling in (choice.code, choice.zh, choice.en, *choice.aliases):
            key = _key(spelling)
            if table.get(key, choice.code) != choice.code:
                raise ValueError(f"codelists.yaml: {name!r} uses {spelling!r} for two codes")
            table[key] = choice.code
    return table


def codelist_names() -> list[str]:
    return list(_lists())


def codelist_info(name: str) -> CodeList:
    """The whole list with its titles and source; KeyError for an unknown list name."""
    return _lists()[name]


def codelist(name: str) -> list[Choice]:
    return list(codelist_info(name).choices)


def choice(name: str, code: str) -> Choice:
    for item in codelist_info(name).choices:
        if item.code == code:
            return item
    raise _unknown(name, code)


def label(name: str, code: str, lang: str | None = ZH) -> str:
    """The label of ``code`` in ``lang`` (English for ``en*``, Chinese otherwise); InvalidValue for unknown codes."""
    return choice(name, code).label(lang)


def _unknown(name: str, value: object) -> InvalidValue:
    info = codelist_info(name)
    shown = str(value)
    shown = shown if len(shown) <= 40 else shown[:40] + "…"
    zh, en = f"“{shown}”不是有效的{info.title_zh}", f"{info.title_en}: {shown!r} is not a valid choice"
    if len(info.choices) <= 15:
        zh += "，可选：" + "、".join(c.zh for c in info.choices)
        en += " (choose from: " + ", ".join(c.en for c in info.choices) + ")"
    return InvalidValue("choice_unknown", zh, en)


def validate_choice(name: str, value: object) -> str:
    """The code for ``value`` given as code, Chinese label, alias or English label; InvalidValue otherwise.

    Spreadsheet numbers work too: ``1`` (or ``"1"``) finds the code ``"01"``.
    """
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise _unknown(name, value)
    key = _key(str(value))
    table = _lookup(name)
    if key in table:
        return table[key]
    if key.isascii() and key.isdigit():
        for item in codelist_info(name).choices:
            if item.code.isdigit() and int(item.code) == int(key):
                return item.code
    raise _unknown(name, value)


def _split(text: str) -> list[str]:
    stripped = text.strip()
    if stripped.startswith("["):
        try:
            loaded = json.loads(stripped)
        except ValueError:
            loaded = None
        if isinstance(loaded, list):
            return [str(v) for v in loaded]
    parts = stripped.split("^") if "^" in stripped else re.split(r"[,，;；|\n]", stripped)
    return [part for part in parts if part.strip()]


def _segment(name: str, text: str) -> list[str]:
    """Split ``text`` at 、 into the longest runs that are valid values (乡、村级 is one label, 县级、市级 two)."""
    tokens = text.split("、")
    if len(tokens) > 64:
        raise _unknown(name, text)
    codes, start = [], 0
    while start < len(tokens):
        for end in range(len(tokens), start, -1):
            try:
                codes.append(validate_choice(name, "、".join(tokens[start:end])))
            except InvalidValue:
                continue
            start = end
            break
        else:
            raise _unknown(name, text)
    return codes


def validate_choices(name: str, values: object) -> list[str]:
    """Several values (a list, or text separated by ``^`` ``,`` ``，`` ``;`` ``、`` …) → their codes, in order, no repeats.

    ``、`` separates values only where the text is not itself a label (labels such as 乡、村级 contain it).
    """
    if values is None or values == "":
        return []
    if isinstance(values, str):
        try:
            return [validate_choice(name, values)]
        except InvalidValue:
            parts: list[object] = list(_split(values))
    elif isinstance(values, list | tuple | set | frozenset):
        parts = list(values)
    else:
        parts = [values]
    codes: list[str] = []
    for part in parts:
        try:
            found = [validate_choice(name, part)]
        except InvalidValue:
            if not isinstance(part, str) or "、" not in part:
                raise
            found = _segment(name, part)
        codes.extend(code for code in found if code not in codes)
    return codes


def scheming_choices(name: str) -> list[dict]:
    """``[{"value": code, "label": {"zh_Hans_CN": …, "en": …}}, …]`` for a ckanext-scheming ``choices`` field."""
    return [{"value": c.code, "label": {ZH: c.zh, EN: c.en}} for c in codelist_info(name).choices]


def validate_all() -> None:
    """Check the YAML for duplicate codes and ambiguous spellings (run by the test suite)."""
    for name, info in _lists().items():
        codes = [c.code for c in info.choices]
        if len(codes) != len(set(codes)):
            raise ValueError(f"codelists.yaml: {name!r} repeats a code")
        parents = {c.parent for c in info.choices if c.parent}
        if not parents <= set(codes):
            raise ValueError(f"codelists.yaml: {name!r} names unknown parents {sorted(parents - set(codes))}")
        _lookup(name)
