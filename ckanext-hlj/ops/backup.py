"""Backup and restore of a portal: both databases, the uploaded files, then a search index rebuilt from the database.

A backup is a folder::

    ckan.dump          pg_dump --format=custom of the CKAN database (sqlalchemy.url)
    datastore.dump     the same of the DataStore database (ckan.datastore.write_url)
    storage.tar.gz     ckan.storage_path (uploaded resources, images)
    manifest.json      what is in it: sha256 and size of each file, the versions of CKAN, ckanext-hlj, the
                       PostgreSQL server and pg_dump, and the counts restore checks against

written under a temporary name and renamed when complete, so a folder with a manifest is a whole backup. The Solr
index is not backed up: restore rebuilds it from the restored database (`ckan search-index rebuild`'s work).

``restore`` verifies every checksum first, refuses databases that hold datasets or DataStore tables (and a storage
folder holding files) unless forced, then runs ``pg_restore --clean --if-exists --no-owner --single-transaction
--exit-on-error`` into each database (all or nothing per database; --clean removes what CKAN's own start-up may
have created in the empty database, such as ckanext-hlj's tables), unpacks the files, and rebuilds the index.

pg_dump and pg_restore must be of the server's major version (a dump made by a newer pg_dump cannot be read by an
older pg_restore, and an older pg_dump refuses a newer server): ``pg_tools`` finds them in
``ckanext.hlj.backup.pg_bin_dir``, /usr/lib/postgresql/<major>/bin (Debian's layout, as scripts/lib.sh uses) or
PATH. Passwords reach them through PGPASSWORD, never the command line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import json
import logging
import os
import re
import shutil
import subprocess
import tarfile
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk

log = logging.getLogger(__name__)

FORMAT = 1
MANIFEST = "manifest.json"
CKAN_DUMP = "ckan.dump"
DATASTORE_DUMP = "datastore.dump"
STORAGE_TAR = "storage.tar.gz"
# Tables ckanext-hlj creates by itself at start-up; their presence does not make a database "in use".
_OWN_TABLES = re.compile(r"^hlj_")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class Database:
    """A libpq target parsed from a SQLAlchemy URL: connection arguments for the command line plus PGPASSWORD."""

    url: str

    @property
    def parts(self) -> urllib.parse.SplitResult:
        return urllib.parse.urlsplit(re.sub(r"^postgres(?:ql)?\+[a-z0-9]+://", "postgresql://", self.url))

    @property
    def name(self) -> str:
        return urllib.parse.unquote(self.parts.path.lstrip("/"))

    def args(self) -> list[str]:
        p = self.parts
        args = ["--dbname", self.name]
        if p.hostname:
            args += ["--host", p.hostname]
        if p.port:
            args += ["--port", str(p.port)]
        if p.username:
            args += ["--username", urllib.parse.unquote(p.username)]
        return args

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        if self.parts.password is not None:
            env["PGPASSWORD"] = urllib.parse.unquote(self.parts.password)
        for key, values in urllib.parse.parse_qs(self.parts.query).items():
            if key == "sslmode":
                env["PGSSLMODE"] = values[-1]
        env["PGCONNECT_TIMEOUT"] = "10"
        return env

    def connect(self):
        import psycopg2  # noqa: PLC0415

        p = self.parts
        return psycopg2.connect(
            dbname=self.name,
            host=p.hostname,
            port=p.port,
            user=urllib.parse.unquote(p.username) if p.username else None,
            password=urllib.parse.unquote(p.password) if p.password is not None else None,
            connect_timeout=10,
        )

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        conn = self.connect()
        try:
            with conn.cursor() as cur:
                cur.execute(sql, params)
                return cur.fetchall()
        finally:
            conn.close()


def ckan_database() -> Database:
    return Database(tk.config["sqlalchemy.url"])


def datastore_database() -> Database | None:
    url = tk.config.get("ckan.datastore.write_url")
    return Database(url) if url else None


def storage_path() -> Path | None:
    value = tk.config.get("ckan.storage_path")
    return Path(value) if value else None


# --- pg_dump / pg_restore of the server's version --------------------------------------------------------------


def _major(version_output: str) -> int:
    match = re.search(r"\) (\d+)(?:\.\d+)?", version_output) or re.search(r"(\d+)\.\d+", version_output)
    if not match:
        raise BackupError(f"cannot read a version in {version_output!r}")
    return int(match.group(1))


def server_major(db: Database) -> int:
    ((num,),) = db.query("SHOW server_version_num")
    return int(num) // 10000


def pg_tools(db: Database) -> tuple[str, str, str]:
    """(pg_dump, pg_restore, their version line) matching the server's major version."""
    major = server_major(db)
    folders = []
    if tk.config.get("ckanext.hlj.backup.pg_bin_dir"):
        folders.append(Path(tk.config["ckanext.hlj.backup.pg_bin_dir"]))
    folders.append(Path(f"/usr/lib/postgresql/{major}/bin"))
    candidates = [(f / "pg_dump", f / "pg_restore") for f in folders]
    on_path = shutil.which("pg_dump"), shutil.which("pg_restore")
    if all(on_path):
        candidates.append((Path(on_path[0]), Path(on_path[1])))
    seen = []
    for dump, restore in candidates:
        if not (dump.is_file() and restore.is_file()):
            continue
        version = subprocess.run([str(dump), "--version"], capture_output=True, text=True, check=True).stdout
        seen.append(f"{dump}: {version.strip()}")
        if _major(version) == major:
            return str(dump), str(restore), version.strip()
    raise BackupError(
        f"no pg_dump/pg_restore of PostgreSQL {major} (the server's version) found; install "
        f"postgresql-client-{major} or set ckanext.hlj.backup.pg_bin_dir. Found: {seen or 'none'}"
    )


def _run(cmd: list[str], db: Database, what: str) -> None:
    result = subprocess.run(cmd, env=db.env(), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{what} failed (exit {result.returncode}): {result.stderr.strip()[-2000:]}")
    if result.stderr.strip():
        log.info("%s: %s", what, result.stderr.strip())


# --- what is in a database ----------------------------------------------------------------------------------------


def dataset_count(db: Database) -> int | None:
    """Active datasets, or None when the database has no CKAN tables."""
    if not db.query("SELECT to_regclass('public.package') IS NOT NULL")[0][0]:
        return None
    return int(db.query("SELECT count(*) FROM package WHERE state = 'active'")[0][0])


def user_tables(db: Database) -> list[str]:
    """Tables of the public schema other than ckanext-hlj's own start-up tables."""
    rows = db.query(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    )
    return [name for (name,) in rows if not _OWN_TABLES.match(name)]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _version(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


# --- backup ---------------------------------------------------------------------------------------------------------


def backup(dest: Path) -> dict[str, Any]:
    """Write a complete backup into the new folder ``dest``; returns its manifest."""
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(f"{dest} exists and is not empty; name a new folder")
    partial = dest.with_name(dest.name + ".partial")
    if partial.exists():
        shutil.rmtree(partial)
    partial.mkdir(parents=True, mode=0o700)
    main = ckan_database()
    pg_dump, _, pg_version = pg_tools(main)
    files: dict[str, Path] = {}

    _run(
        [pg_dump, "--format=custom", "--file", str(partial / CKAN_DUMP), *main.args()], main, "pg_dump (CKAN)"
    )
    files[CKAN_DUMP] = partial / CKAN_DUMP
    datastore = datastore_database()
    if datastore is not None:
        _run(
            [pg_dump, "--format=custom", "--file", str(partial / DATASTORE_DUMP), *datastore.args()],
            datastore,
            "pg_dump (DataStore)",
        )
        files[DATASTORE_DUMP] = partial / DATASTORE_DUMP
    storage = storage_path()
    stored_files = 0
    if storage is not None and storage.is_dir():
        skip = (partial.resolve(), dest.resolve())  # a backup written inside the storage folder
        with tarfile.open(partial / STORAGE_TAR, "w:gz") as tar:
            for path in sorted(storage.rglob("*")):
                if any(path.resolve().is_relative_to(s) for s in skip):
                    continue
                if path.is_file() and not path.is_symlink():
                    tar.add(path, arcname=str(path.relative_to(storage)), recursive=False)
                    stored_files += 1
        files[STORAGE_TAR] = partial / STORAGE_TAR

    manifest = {
        "format": FORMAT,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "site_id": tk.config.get("ckan.site_id"),
        "versions": {
            "ckan": _version("ckan"),
            "ckanext-hlj": _version("ckanext-hlj"),
            "postgresql_server": main.query("SHOW server_version")[0][0],
            "pg_dump": pg_version,
        },
        "databases": {
            CKAN_DUMP: main.name,
            **({DATASTORE_DUMP: datastore.name} if datastore is not None else {}),
        },
        "counts": {
            "datasets": dataset_count(main),
            "datastore_tables": len(user_tables(datastore)) if datastore is not None else None,
            "storage_files": stored_files,
        },
        "files": {
            name: {"sha256": _sha256(path), "bytes": path.stat().st_size} for name, path in files.items()
        },
    }
    for path in files.values():
        path.chmod(0o600)
    (partial / MANIFEST).write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    if dest.exists():
        dest.rmdir()
    partial.rename(dest)
    log.info("backup written to %s: %s", dest, manifest["counts"])
    return manifest


# --- restore --------------------------------------------------------------------------------------------------------


def read_manifest(src: Path) -> dict[str, Any]:
    path = Path(src) / MANIFEST
    if not path.is_file():
        raise BackupError(f"{src} holds no {MANIFEST}: not a backup, or an unfinished one")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"backup format {manifest.get('format')!r} is not {FORMAT}")
    return manifest


def verify(src: Path, manifest: dict[str, Any]) -> None:
    for name, expected in manifest["files"].items():
        path = Path(src) / name
        if not path.is_file():
            raise BackupError(f"{name} is missing from {src}")
        if path.stat().st_size != expected["bytes"] or _sha256(path) != expected["sha256"]:
            raise BackupError(f"{name} does not match its checksum in {MANIFEST}: the backup is damaged")


def _refuse_unless_empty(force: bool, manifest: dict[str, Any]) -> None:
    if force:
        return
    problems = []
    main = ckan_database()
    datasets = dataset_count(main)
    if datasets:
        problems.append(f"database {main.name} holds {datasets} datasets")
    datastore = datastore_database()
    if datastore is not None and DATASTORE_DUMP in manifest["files"]:
        tables = user_tables(datastore)
        if tables:
            problems.append(
                f"database {datastore.name} holds {len(tables)} tables ({', '.join(tables[:3])}…)"
            )
    storage = storage_path()
    if storage is not None and STORAGE_TAR in manifest["files"] and storage.is_dir():
        if any(p.is_file() for p in storage.rglob("*")):
            problems.append(f"{storage} holds files")
    if problems:
        raise BackupError(
            "refusing to restore over data: " + "; ".join(problems) + ". Restore into empty databases and an "
            "empty storage folder (docs/operations.md), or pass --force to replace what is there."
        )


def _pg_restore(pg_restore: str, db: Database, dump: Path, what: str) -> None:
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            *db.args(),
            str(dump),
        ],
        db,
        what,
    )


def _unpack(tar_path: Path, dest: Path) -> int:
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(tar_path, "r:gz") as tar:
        members = [m for m in tar.getmembers() if m.isfile() or m.isdir()]
        tar.extractall(dest, members=members, filter="data")
    return sum(1 for m in members if m.isfile())


def reindex() -> dict[str, int]:
    """Rebuild the search index from the database, as `ckan search-index rebuild` does (orphans removed)."""
    from ckan import model  # noqa: PLC0415
    from ckan.cli.search_index import get_orphans  # noqa: PLC0415
    from ckan.lib import search  # noqa: PLC0415

    search.rebuild(force=True, defer_commit=True, quiet=True)
    orphans = get_orphans()
    for package_id in orphans:
        search.clear(package_id)
    search.commit()
    model.Session.remove()
    return {"orphans_removed": len(orphans)}


def restore(src: Path, force: bool = False, rebuild_index: bool = True) -> dict[str, Any]:
    """Restore the backup in ``src`` into the configured databases and storage; returns what was restored."""
    from ckan import model  # noqa: PLC0415

    src = Path(src)
    manifest = read_manifest(src)
    verify(src, manifest)
    _refuse_unless_empty(force, manifest)
    main = ckan_database()
    _, pg_restore, _ = pg_tools(main)

    # CKAN's own connections must not hold locks on tables pg_restore drops and recreates.
    model.Session.remove()
    model.meta.engine.dispose()
    _pg_restore(pg_restore, main, src / CKAN_DUMP, "pg_restore (CKAN)")
    datastore = datastore_database()
    if DATASTORE_DUMP in manifest["files"]:
        if datastore is None:
            raise BackupError("the backup has a DataStore database but ckan.datastore.write_url is not set")
        _pg_restore(pg_restore, datastore, src / DATASTORE_DUMP, "pg_restore (DataStore)")

    restored: dict[str, Any] = {"datasets": dataset_count(main)}
    if datastore is not None:
        restored["datastore_tables"] = len(user_tables(datastore))
    storage = storage_path()
    if STORAGE_TAR in manifest["files"]:
        if storage is None:
            raise BackupError("the backup has uploaded files but ckan.storage_path is not set")
        restored["storage_files"] = _unpack(src / STORAGE_TAR, storage)

    expected = manifest["counts"]
    for key, value in restored.items():
        if expected.get(key) is not None and value != expected[key]:
            raise BackupError(f"after restoring, {key} = {value} but the backup recorded {expected[key]}")
    if rebuild_index:
        restored["index"] = reindex()
    log.info("restored %s from %s", restored, src)
    return restored
