"""Secrets stay secret: none in the repository (they come from the environment or files outside it), and none in
what the portal shows or logs when a service behind it fails (ckanext.hlj.security.redact): a Solr whose URL
carries credentials is made to fail during package_search, and the API answer, the search page and every log
line written meanwhile are searched for the password."""

from __future__ import annotations

import logging
import os
import re
import socket
import subprocess
from pathlib import Path

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from ckanext.hlj.security import redact

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


DEAD_PORT = _free_port()  # nothing listens there: connections are refused
SOLR_PASSWORD = "Solr-Secret-Pa55w0rd"
SOLR_URL = f"http://solradmin:{SOLR_PASSWORD}@127.0.0.1:{DEAD_PORT}/solr/ckan"


def _everything_logged(caplog, capfd) -> str:
    captured = capfd.readouterr()
    return "\n".join([caplog.text, captured.out, captured.err])


def point_solr_at(monkeypatch, url: str, **extra: str) -> None:
    """Set after the plugins are loaded: loading them re-applies CKAN_SOLR_URL from the environment over a
    ckan_config mark. pysolr's own logger is switched on as a deployment whose logging config names it (or keeps
    existing loggers) has it: the test ini's fileConfig disables loggers it does not list."""
    monkeypatch.setitem(tk.config, "solr_url", url)
    for key, value in extra.items():
        monkeypatch.setitem(tk.config, key, value)
    monkeypatch.setattr(logging.getLogger("pysolr"), "disabled", False)


def test_a_failing_solr_shows_and_logs_no_credentials_from_its_url(app, caplog, capfd, monkeypatch):
    point_solr_at(monkeypatch, SOLR_URL)
    caplog.set_level(logging.DEBUG)

    api = app.get("/api/3/action/package_search?q=test")
    page = app.get("/dataset/")

    assert api.status_code >= 400 and api.json["success"] is False
    for text in (api.body, page.body):
        assert SOLR_PASSWORD not in text
    logged = _everything_logged(caplog, capfd)
    assert f"127.0.0.1:{DEAD_PORT}" in logged, "the failure was logged (by pysolr, with its URL)"
    assert SOLR_PASSWORD not in logged
    assert "solradmin:***@" in logged


def test_credentials_given_as_solr_user_and_password_do_not_leak_either(app, caplog, capfd, monkeypatch):
    point_solr_at(
        monkeypatch,
        f"http://127.0.0.1:{DEAD_PORT}/solr/ckan",
        solr_user="solradmin",
        solr_password=SOLR_PASSWORD,
    )
    caplog.set_level(logging.DEBUG)
    api = app.post("/api/3/action/package_search", json={"q": "x", "fq": "+dataset_type:policy"})
    assert api.status_code >= 400 and SOLR_PASSWORD not in api.body
    logged = _everything_logged(caplog, capfd)
    assert f"127.0.0.1:{DEAD_PORT}" in logged and SOLR_PASSWORD not in logged


def test_error_responses_are_scrubbed_of_configured_secrets(app):
    """CKAN's "action not known" error echoes the request; a secret in it (here the portal's SECRET_KEY, asked
    for by name) is masked like any secret an error message might carry."""
    secret = app.flask_app.config["SECRET_KEY"]
    assert len(secret) >= redact.MIN_SECRET_LENGTH
    response = app.get(f"/api/3/action/{secret}")
    assert response.status_code == 400
    assert secret not in response.body and redact.MASK in response.body


def test_a_failing_datastore_database_shows_no_credentials(app, caplog, capfd, monkeypatch):
    """The DataStore's read connection pointed at a dead port with a password: the query fails, and neither the
    answer nor the logs carry the password (psycopg2 and SQLAlchemy never put it there; this guards that)."""
    from ckanext.datastore.backend import DatastoreBackend  # noqa: PLC0415

    password = "Db-Secret-Pa55w0rd"
    backend = DatastoreBackend.get_active_backend()
    dead = f"postgresql://datastore_default:{password}@127.0.0.1:{DEAD_PORT}/datastore"
    monkeypatch.setattr(backend, "read_url", dead)
    caplog.set_level(logging.DEBUG)
    sysadmin = factories.SysadminWithToken()
    response = app.post(
        "/api/3/action/datastore_search",
        json={"resource_id": "_table_metadata"},
        headers={"Authorization": sysadmin["token"]},
    )
    assert response.status_code >= 400
    assert password not in response.body
    assert password not in _everything_logged(caplog, capfd)


def test_log_records_are_redacted_wherever_they_are_logged(caplog):
    caplog.set_level(logging.INFO)
    url = "postgresql://ckan:Plain-Pa55word@db.internal/ckan"
    try:
        raise ConnectionError(f"cannot reach {url}")
    except ConnectionError:
        logging.getLogger("any.library").exception("failed: %s", url)
    assert "Plain-Pa55word" not in caplog.text and "ckan:***@db.internal" in caplog.text


# --- the repository ---------------------------------------------------------------------------------------------

SKIP_DIRS = {
    ".git",
    ".venv",
    ".runtime",
    "node_modules",
    ".hypothesis",
    ".pytest_cache",
    ".ruff_cache",
    "build",
}
SKIP_DIRS |= {"ckanext_hlj.egg-info", "__pycache__"}
CONFIG_SUFFIXES = {".ini", ".cfg", ".env", ".yml", ".yaml", ".toml", ".sh", ".conf", ".properties"}
# Values that say "not here": the test config's placeholders, interpolations and documentation stand-ins.
PLACEHOLDER = re.compile(
    r"^$|set-by-make-test|CHANGE_?ME|not-a-secret|^x+$|^\*+$|^<[^>]*>$|^\$|%\(|\{[^}]*\}|^(example|password)$",
    re.I,
)
URL_CREDENTIALS = re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@\"'`]+:([^/\s@\"'`]+)@", re.I)
# A setting whose name ends in one of these words (SECRET_KEY, smtp.password, POSTGRES_PASSWORD, …).
CONFIG_SECRET = re.compile(
    r"^\s*(?:export\s+)?([\w.-]*(?:secret|secret_key|password|passwd|token|api_?key))\s*[=:]\s*[\"']?([^\"'#\s]*)",
    re.I,
)
PRIVATE_KEY = re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH )?PRIVATE KEY-----")
JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}")


def _files(root: Path) -> list[Path]:
    """What would be committed: tracked files and new ones git does not ignore (a local docker/.env with the
    deployment's real secrets is ignored, as it should be); every file when ``root`` is not a git checkout."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=root,
            capture_output=True,
            check=True,
        ).stdout.decode("utf-8")
        return [root / name for name in listed.split("\0") if name and (root / name).is_file()]
    except (OSError, subprocess.CalledProcessError):
        paths = []
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
            paths += [Path(folder) / name for name in files]
        return paths


def _secrets_in(where: str, path: Path, text: str) -> list[str]:
    found = []
    for match in URL_CREDENTIALS.finditer(text):
        if not PLACEHOLDER.search(match.group(1)):
            found.append(f"{where}: credentials in a URL ({match.group(0)[:40]}…)")
    if PRIVATE_KEY.search(text):
        found.append(f"{where}: a private key")
    if JWT.search(text):
        found.append(f"{where}: an API token (JWT)")
    if path.suffix in CONFIG_SUFFIXES or path.name.startswith(("Dockerfile", ".env")):
        for line in text.splitlines():
            match = CONFIG_SECRET.match(line)
            if match and not PLACEHOLDER.search(match.group(2)):
                found.append(f"{where}: {match.group(1)} is set in the file")
    return found


def find_secrets(root: Path) -> list[str]:
    found = []
    for path in _files(root):
        where = str(path.relative_to(root))
        if where.startswith("tests/") and path.suffix == ".py":
            continue  # test code holds made-up credentials on purpose (this file too); test configs are read
        try:
            text = path.read_text("utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        found += _secrets_in(where, path, text)
    return found


def test_the_repository_holds_no_secrets():
    assert find_secrets(ROOT) == []


def test_the_secret_scan_finds_planted_secrets(tmp_path):
    (tmp_path / "prod.ini").write_text("[app:main]\nSECRET_KEY = 8f2a9c1e77d04b\nsmtp.password = hunter22\n")
    (tmp_path / "settings.py").write_text('DB = "postgresql://ckan:Real-Pa55@db/ckan"\n')
    (tmp_path / "token.txt").write_text(
        "eyJhbGciOiJIUzI1NiJ9.eyJqdGkiOiJhYmNkZWZnaGlqIn0.c2lnbmF0dXJlLXh4eHh4\n"
    )
    assert len(find_secrets(tmp_path)) == 4
