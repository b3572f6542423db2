"""The developers' page of the platform's own API: every hlj_* action, who may call it and an example.

    GET /api/hlj        (/en/api/hlj in English)

The actions are found, not listed: every registered action whose name starts with ``hlj_`` (whichever of our
plugins registers it), documented by its docstring — description, ``:param …:`` and ``:returns:`` — so the page
cannot fall behind the code. Who may call it and an example request and response come from
``templates/hlj/api/examples.yaml``; the request is shown as curl, as ckanapi's command line and as ckanapi in
Python, all built from the same example so they never disagree.
"""

from __future__ import annotations

import functools
import inspect
import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
import yaml
from flask import Blueprint
from markupsafe import Markup, escape

__all__ = ["hlj_api_docs"]

hlj_api_docs = Blueprint("hlj_api_docs", __name__)

EXAMPLES = Path(__file__).resolve().parents[1] / "templates" / "hlj" / "api" / "examples.yaml"
PREFIX = "hlj_"
# Who may call an action, by the `auth` key of examples.yaml, from the widest to the narrowest.
AUTH_LEVELS = ("anonymous", "member", "editor", "reviewer", "admin", "sysadmin")


@dataclass
class ActionDoc:
    name: str
    summary: list[Markup]  # paragraphs
    params: list[tuple[str, Markup]]
    returns: Markup | None
    get: bool  # side-effect free: callable with GET
    auth: str | None
    example: dict[str, Any] | None
    requests: dict[str, str] = field(default_factory=dict)  # curl / ckanapi / python → text
    response: str | None = None


def registered_actions() -> dict[str, Any]:
    """name → the documented function of every registered hlj_* action (for a chained action, the one it wraps:
    CKAN's partial of a chained action carries no docstring of the action itself)."""
    found: dict[str, Any] = {}
    for plugin in p.PluginImplementations(p.IActions):
        for name, function in plugin.get_actions().items():
            if name.startswith(PREFIX) and not getattr(function, "chained_action", False):
                found.setdefault(name, function)
    served = {}
    for name in sorted(found):
        try:
            tk.get_action(name)
        except KeyError:
            continue
        served[name] = found[name]
    return served


@functools.cache
def _examples_file() -> dict[str, dict[str, Any]]:
    return yaml.safe_load(EXAMPLES.read_text("utf-8")) or {}


def examples() -> dict[str, dict[str, Any]]:
    return _examples_file()


_FIELD = re.compile(r"^:(param|returns?)\s*([A-Za-z_][\w.]*)?\s*:\s*(.*)$")


def _inline(text: str) -> Markup:
    """Plain text with the docstrings' ``literal`` markup as <code>, everything else escaped."""
    parts = re.split(r"``(.+?)``", text)
    out = Markup("")
    for i, part in enumerate(parts):
        out += Markup("<code>{}</code>").format(part) if i % 2 else escape(part)
    return out


def parse_docstring(doc: str | None) -> tuple[list[Markup], list[tuple[str, Markup]], Markup | None]:
    """(paragraphs, [(param, description)], returns) of a reST-style action docstring."""
    summary: list[list[str]] = [[]]
    params: list[list[str]] = []
    returns: list[str] | None = None
    current: list[str] | None = None
    for line in inspect.cleandoc(doc or "").splitlines():
        match = _FIELD.match(line)
        if match:
            kind, name, text = match.groups()
            current = [text] if kind.startswith("return") else [name or "", text]
            if kind.startswith("return"):
                returns = current
            else:
                params.append(current)
        elif current is not None and line.strip():
            current.append(line.strip())
        elif current is None:
            if line.strip():
                summary[-1].append(line.strip())
            elif summary[-1]:
                summary.append([])
        else:
            current = None  # a blank line ends a field
    paragraphs = [_inline(" ".join(lines)) for lines in summary if lines]
    fields = [(item[0], _inline(" ".join(item[1:]))) for item in params]
    return paragraphs, fields, (_inline(" ".join(returns)) if returns else None)


def _site() -> str:
    return (tk.config.get("ckan.site_url") or "").rstrip("/")


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def curl(name: str, example: dict[str, Any], get: bool) -> str:
    url = f"{_site()}/api/3/action/{name}"
    params, files = example.get("params") or {}, example.get("files") or {}
    auth = example.get("auth") != "anonymous"
    lines = [f"curl -G {shlex.quote(url)}" if get and not files else f"curl -X POST {shlex.quote(url)}"]
    if auth:
        lines.append('-H "Authorization: $CKAN_API_TOKEN"')
    if get and not files:
        lines += [f"--data-urlencode {shlex.quote(f'{k}={_text(v)}')}" for k, v in params.items()]
    elif files:
        lines += [f"-F {shlex.quote(f'{k}={_text(v)}')}" for k, v in params.items()]
        lines += [f"-F {shlex.quote(f'{k}=@{v}')}" for k, v in files.items()]
    else:
        lines.append("-H 'Content-Type: application/json'")
        lines.append(f"-d {shlex.quote(json.dumps(params, ensure_ascii=False))}")
    return " \\\n  ".join(lines)


def ckanapi_cli(name: str, example: dict[str, Any]) -> str:
    words = ["ckanapi", "action", name]
    for key, value in (example.get("params") or {}).items():
        words.append(shlex.quote(f"{key}={value}" if isinstance(value, str) else f"{key}:{_text(value)}"))
    words += [shlex.quote(f"{k}@{v}") for k, v in (example.get("files") or {}).items()]
    words += ["-r", shlex.quote(_site())]
    if example.get("auth") != "anonymous":
        words += ["-a", '"$CKAN_API_TOKEN"']
    return " ".join(words)


def ckanapi_python(name: str, example: dict[str, Any]) -> str:
    anonymous = example.get("auth") == "anonymous"
    args = [f"{k}={v!r}" for k, v in (example.get("params") or {}).items()]
    args += [f"{k}=open({v!r}, 'rb')" for k, v in (example.get("files") or {}).items()]
    connect = f"RemoteCKAN({_site()!r})" if anonymous else f"RemoteCKAN({_site()!r}, apikey=token)"
    return "\n".join(
        [
            "from ckanapi import RemoteCKAN",
            "",
            f"portal = {connect}",
            f"result = portal.action.{name}({', '.join(args)})",
        ]
    )


def documented_actions() -> list[ActionDoc]:
    known = examples()
    docs = []
    for name, function in registered_actions().items():
        summary, params, returns = parse_docstring(function.__doc__)
        get = bool(getattr(function, "side_effect_free", False))
        example = known.get(name)
        doc = ActionDoc(name, summary, params, returns, get, (example or {}).get("auth"), example)
        if example is not None:
            doc.requests = {
                "curl": curl(name, example, get),
                "ckanapi": ckanapi_cli(name, example),
                "python": ckanapi_python(name, example),
            }
            envelope = {
                "help": f"{_site()}/api/3/action/help_show?name={name}",
                "success": True,
                "result": example.get("response"),
            }
            doc.response = json.dumps(envelope, ensure_ascii=False, indent=2)
        docs.append(doc)
    return docs


def auth_labels() -> dict[str, str]:
    _ = tk._
    return {
        "anonymous": _("Anyone, without an API token"),
        "member": _("Members of the record's organisation (any role) and sysadmins"),
        "editor": _("Editors and admins of the record's organisation, and sysadmins"),
        "reviewer": _("Confidentiality reviewers of the record's organisation, and sysadmins"),
        "admin": _("Admins of the organisation, and sysadmins"),
        "sysadmin": _("Sysadmins only"),
    }


@hlj_api_docs.route("/api/hlj")
def index() -> Any:
    return tk.render(
        "hlj/api/index.html",
        extra_vars={
            "actions": documented_actions(),
            "auth_labels": auth_labels(),
            "site_url": _site(),
        },
    )
