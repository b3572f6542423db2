"""The local portal's sysadmin: created with a generated password and API token, never a fixed one.

The credentials are written once to a file only the owner can read; later runs reuse them as long as the user
still exists, and regenerate them when either the file or the user is gone.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

import ckan.plugins.toolkit as tk
from ckan import model

TOKEN_NAME = "make-run"


@dataclass
class Credentials:
    user: str
    password: str
    api_token: str
    url: str

    def describe(self) -> str:
        return (
            f"Portal:    {self.url}\n"
            f"Sysadmin:  {self.user}\n"
            f"Password:  {self.password}\n"
            f"API token: {self.api_token}"
        )


def _read(path: Path) -> Credentials | None:
    try:
        return Credentials(**json.loads(path.read_text("utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def _write(path: Path, creds: Credentials) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(asdict(creds), f, ensure_ascii=False, indent=2)
    os.replace(tmp, path)


def ensure_sysadmin(name: str, email: str, path: Path) -> tuple[Credentials, bool]:
    """Return the sysadmin's credentials and whether they were (re)generated now."""
    site_url = tk.config.get("ckan.site_url")
    user = model.User.get(name)
    existing = _read(path)
    if user is not None and user.state == "active" and user.sysadmin and existing and existing.user == name:
        return existing, False

    context = {"ignore_auth": True, "user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]}
    password = secrets.token_urlsafe(12)
    if user is None:
        tk.get_action("user_create")(context, {"name": name, "email": email, "password": password})
        user = model.User.get(name)
    else:
        tk.get_action("user_patch")(context, {"id": user.id, "password": password, "state": "active"})
        user = model.User.get(name)
    user.sysadmin = True
    model.Session.commit()
    token = tk.get_action("api_token_create")(context, {"user": name, "name": TOKEN_NAME})["token"]
    creds = Credentials(user=name, password=password, api_token=token, url=site_url)
    _write(path, creds)
    return creds, True
