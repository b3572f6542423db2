"""`ckan hlj backup` / `ckan hlj restore` on the real stack: datasets of every type (public and private), a
DataStore table and an uploaded file are backed up; the originals are purged and the search index emptied; the
backup is restored by `ckan hlj restore` running against two new, empty databases and a new storage folder; every
dataset is then found by search (the index can only have been rebuilt from the restored database), the DataStore
rows and the file are back, and a second restore over the now full databases is refused."""

from __future__ import annotations

import copy
import io
import json
import os
import subprocess
import sys
import urllib.parse
import uuid
from pathlib import Path

import pytest
from ckan.lib import search
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.hlj import demo
from ckanext.hlj.ops import backup as ops_backup

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

CKAN = str(Path(sys.executable).with_name("ckan"))
TYPES = ["disclosure", "service-item", "open-data", "policy", "credit-publication"]
CSV = b"name,value\n\xe5\x93\x88\xe5\xb0\x94\xe6\xbb\xa8,1\n"  # 哈尔滨,1


def as_postgres(*cmd: str) -> None:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else ["sudo", "-n", "-u", "postgres"]
    port = urllib.parse.urlsplit(os.environ["CKAN_SQLALCHEMY_URL"]).port or 5432
    subprocess.run([*prefix, *cmd, "-p", str(port)], check=True, capture_output=True, timeout=60)


def with_database(url: str, name: str) -> str:
    return urllib.parse.urlsplit(url)._replace(path=f"/{name}").geturl()


@pytest.fixture
def empty_databases():
    """Two new databases owned by the CKAN role, as scripts/services.sh creates them; dropped afterwards."""
    suffix = uuid.uuid4().hex[:8]
    names = (f"ckan_restore_{suffix}", f"datastore_restore_{suffix}")
    for name in names:
        as_postgres("createdb", "-O", "ckan_default", "-E", "utf-8", "-T", "template0", name)
    yield names
    for name in names:
        as_postgres("dropdb", "--if-exists", "--force", name)


def ckan_cli(ini: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CKAN, "-c", ini, "hlj", *args],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def make_portal(org: dict, sysadmin: dict, app) -> dict[str, str]:
    """Datasets of every type, one private, a DataStore table and an uploaded file; {name: title}."""
    made = {}
    for dataset_type in TYPES:
        rec = copy.deepcopy(next(r for r in demo.demo_records() if r["type"] == dataset_type))
        rec.update(owner_org=org["id"], name=f"bk-{dataset_type}")
        made[rec["name"]] = call_action("package_create", context={"user": sysadmin["name"]}, **rec)["title"]
    private = factories.Dataset(owner_org=org["id"], name="bk-private", title="内部工作底稿", private=True)
    made[private["name"]] = private["title"]
    table = factories.Dataset(owner_org=org["id"], name="bk-table", title="哈尔滨市公交线路表")
    made[table["name"]] = table["title"]
    call_action(
        "datastore_create",
        context={"user": sysadmin["name"]},
        resource={"package_id": table["id"], "name": "线路"},
        records=[{"线路": "1路", "站数": 20}, {"线路": "2路", "站数": 31}],
        force=True,
    )
    upload = app.post(
        "/api/3/action/resource_create",
        data={"package_id": table["id"], "name": "原始文件", "upload": (io.BytesIO(CSV), "lines.csv")},
        headers={"Authorization": sysadmin["token"]},
    )
    assert upload.status_code == 200, upload.body
    return made


def search_names(**params) -> set[str]:
    result = call_action("package_search", include_private=True, rows=100, **params)
    return {d["name"] for d in result["results"]}


def test_restore_into_empty_databases_makes_every_dataset_searchable_again(
    app, make_organization, empty_databases, tmp_path, request
):
    sysadmin = factories.SysadminWithToken()
    org = make_organization(name="bk-org", title="黑龙江省市场监督管理局")
    made = make_portal(org, sysadmin, app)
    assert search_names() == set(made)
    resource = call_action("package_show", id="bk-table")["resources"]
    uploaded = next(r for r in resource if r.get("url_type") == "upload")
    table_resource = next(r for r in resource if r.get("datastore_active"))

    ini = str(Path(request.config.getoption("--ckan-ini")).resolve())
    backup_dir = tmp_path / "backup"
    result = ckan_cli(ini, "backup", str(backup_dir))
    assert result.returncode == 0, result.stderr[-3000:]
    manifest = json.loads((backup_dir / "manifest.json").read_text("utf-8"))
    assert manifest["counts"]["datasets"] >= len(made)
    assert manifest["counts"]["datastore_tables"] >= 1 and manifest["counts"]["storage_files"] >= 1
    assert set(manifest["files"]) == {"ckan.dump", "datastore.dump", "storage.tar.gz"}

    # Nothing left that the index could be rebuilt from but the backup.
    for name in made:
        call_action("dataset_purge", id=name)
    search.clear_all()
    assert search_names() == set()

    ckan_db, datastore_db = empty_databases
    storage = tmp_path / "restored-storage"
    env = {
        "CKAN_SQLALCHEMY_URL": with_database(os.environ["CKAN_SQLALCHEMY_URL"], ckan_db),
        "CKAN_DATASTORE_WRITE_URL": with_database(os.environ["CKAN_DATASTORE_WRITE_URL"], datastore_db),
        "CKAN_DATASTORE_READ_URL": with_database(os.environ["CKAN_DATASTORE_READ_URL"], datastore_db),
        "CKAN_STORAGE_PATH": str(storage),
    }
    result = ckan_cli(ini, "restore", str(backup_dir), env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Restored from" in result.stdout

    # Every dataset is found again, by listing and by its own title (the Chinese-analysed fields too).
    assert search_names() == set(made)
    for name, title in made.items():
        assert name in search_names(q=title), title

    # ... from the restored databases, which hold the same rows.
    restored = ops_backup.Database(env["CKAN_SQLALCHEMY_URL"])
    names = {n for (n,) in restored.query("SELECT name FROM package WHERE state = 'active'")}
    assert set(made) <= names
    datastore = ops_backup.Database(env["CKAN_DATASTORE_WRITE_URL"])
    rows = datastore.query(f'SELECT "线路", "站数" FROM "{table_resource["id"]}" ORDER BY "线路"')
    assert rows == [("1路", 20), ("2路", 31)]
    rid = uploaded["id"]
    assert (storage / "resources" / rid[:3] / rid[3:6] / rid[6:]).read_bytes() == CSV

    # A second restore would overwrite what is now there: refused, nothing touched.
    again = ckan_cli(ini, "restore", str(backup_dir), env=env)
    assert again.returncode != 0
    assert "refusing to restore over data" in again.stderr


def test_a_damaged_backup_is_refused_before_anything_is_touched(tmp_path):
    backup_dir = tmp_path / "b"
    backup_dir.mkdir()
    (backup_dir / "ckan.dump").write_bytes(b"dump")
    manifest = {
        "format": ops_backup.FORMAT,
        "counts": {},
        "files": {"ckan.dump": {"sha256": "0" * 64, "bytes": 4}},
    }
    (backup_dir / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    with pytest.raises(ops_backup.BackupError, match="checksum"):
        ops_backup.verify(backup_dir, ops_backup.read_manifest(backup_dir))
    (backup_dir / "ckan.dump").unlink()
    with pytest.raises(ops_backup.BackupError, match="missing"):
        ops_backup.verify(backup_dir, ops_backup.read_manifest(backup_dir))
    (backup_dir / "manifest.json").unlink()
    with pytest.raises(ops_backup.BackupError, match="not a backup"):
        ops_backup.read_manifest(backup_dir)


def test_pg_tools_match_the_servers_major_version():
    db = ops_backup.ckan_database()
    pg_dump, pg_restore, version = ops_backup.pg_tools(db)
    assert Path(pg_dump).name == "pg_dump" and Path(pg_restore).name == "pg_restore"
    assert ops_backup._major(version) == ops_backup.server_major(db)


def test_backup_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "something").write_text("x")
    with pytest.raises(ops_backup.BackupError, match="not empty"):
        ops_backup.backup(tmp_path)
