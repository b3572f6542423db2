"""The production deployment in docker/, checked without a Docker engine.

docker-compose (Debian's 1.29, which `make test` installs) validates and resolves the compose file; the rest reads
the Dockerfiles and runs the image's own build-time and start-time scripts against this checkout's CKAN. Plain
tests: no CKAN fixtures, no services.
"""

from __future__ import annotations

import configparser
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCKER = ROOT / "docker"
COMPOSE_FILE = DOCKER / "docker-compose.yml"
ENV_EXAMPLE = DOCKER / ".env.example"
CKAN_DOCKERFILE = DOCKER / "ckan" / "Dockerfile"
SOLR_DOCKERFILE = DOCKER / "solr" / "Dockerfile"
COMMON_INI = ROOT / "config" / "common.ini"

CKAN_SERVICES = ("ckan", "worker", "harvest-gather", "harvest-fetch", "scheduler")
DATA_SERVICES = ("db", "solr", "redis")
CKAN_BIN = Path(sys.executable).with_name("ckan")


def compose(*args: str, env_file: Path = ENV_EXAMPLE) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("docker-compose")
    if exe is None:
        pytest.fail(
            "docker-compose is not installed; `make test` installs it (scripts/setup.sh --with-compose), "
            "or: apt-get install docker-compose"
        )
    # Compose interpolates ${VAR} from the caller's environment before the env file, and the test environment
    # exports CKAN_SOLR_URL & co.: resolve with the env file alone.
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")}
    cmd = [exe, "-f", str(COMPOSE_FILE), "--env-file", str(env_file), *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120, check=False)


@pytest.fixture(scope="module")
def resolved() -> dict:
    result = compose("config")
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def dockerfile_stages(path: Path) -> list[tuple[str, list[str]]]:
    """(FROM line, instructions) per build stage, continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n", " ", path.read_text(encoding="utf-8"))
    stages: list[tuple[str, list[str]]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.upper().startswith("FROM "):
            stages.append((line, []))
        elif stages:
            stages[-1][1].append(line)
    return stages


def common_plugins() -> list[str]:
    parser = configparser.RawConfigParser()
    parser.read(COMMON_INI, encoding="utf-8")
    return parser.get("app:main", "ckan.plugins").split()


# (a) the compose file is valid


def test_compose_file_validates_with_the_example_env():
    result = compose("config", "-q")
    assert result.returncode == 0, result.stderr
    assert "is not set" not in result.stderr, result.stderr


def test_compose_refuses_to_run_without_the_secrets(tmp_path):
    env_file = tmp_path / "no-secret.env"
    lines = ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
    env_file.write_text("\n".join(x for x in lines if not x.startswith("CKAN_SECRET_KEY=")) + "\n")
    result = compose("config", "-q", env_file=env_file)
    assert result.returncode != 0
    assert "CKAN_SECRET_KEY" in result.stderr


def test_example_env_holds_placeholders_not_secrets():
    settings = dict(
        line.split("=", 1)
        for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    )
    secrets = {k: v for k, v in settings.items() if re.search(r"PASSWORD|SECRET", k) and "SMTP" not in k}
    assert {"CKAN_SECRET_KEY", "POSTGRES_PASSWORD", "CKAN_DB_PASSWORD", "DATASTORE_RO_PASSWORD"} <= set(
        secrets
    )
    assert all("CHANGE_ME" in v for v in secrets.values()), secrets


# (b) the structure docker-compose resolves


def test_every_service_exists_and_has_a_health_check(resolved):
    services = resolved["services"]
    assert set(CKAN_SERVICES + DATA_SERVICES) <= set(services)
    for name, service in services.items():
        check = service.get("healthcheck") or {}
        assert check.get("test") and not check.get("disable"), f"{name} has no health check"
        assert service.get("restart") in ("always", "unless-stopped"), f"{name} is not restarted"


def test_health_checks_probe_what_the_issue_names(resolved):
    services = resolved["services"]

    def probe(name: str) -> str:
        return " ".join(services[name]["healthcheck"]["test"])

    assert probe("ckan").endswith("healthcheck.py web")
    assert "/api/3/action/status_show" in (DOCKER / "ckan" / "healthcheck.py").read_text(encoding="utf-8")
    assert "/solr/ckan/admin/ping" in probe("solr")
    assert "pg_isready" in probe("db")
    assert "redis-cli ping" in probe("redis")


def test_only_ckan_publishes_a_port(resolved):
    published = {name for name, service in resolved["services"].items() if service.get("ports")}
    assert published == {"ckan"}
    assert all("network_mode" not in service for service in resolved["services"].values())


def test_data_services_sit_on_internal_networks_only(resolved):
    networks = resolved.get("networks", {})
    for name in DATA_SERVICES:
        attached = list(resolved["services"][name].get("networks") or [])
        assert attached, f"{name} would join the default, non-internal network"
        for network in attached:
            assert networks.get(network, {}).get("internal") is True, f"{name} is on non-internal {network}"
    # ... and the published ckan reaches them over such a network.
    assert set(resolved["services"]["ckan"]["networks"]) & {
        n for n, spec in networks.items() if (spec or {}).get("internal")
    }


def test_ckan_services_build_our_dockerfile_from_the_repository_root(resolved):
    images = set()
    for name in CKAN_SERVICES:
        service = resolved["services"][name]
        build = service["build"]
        assert Path(build["context"]).resolve() == ROOT, name
        assert (ROOT / build["dockerfile"]).resolve() == CKAN_DOCKERFILE, name
        images.add(service["image"])
    assert len(images) == 1, "the CKAN services must run one and the same image"

    stages = dockerfile_stages(CKAN_DOCKERFILE)
    assert [f.split()[1] for f, _ in stages] == ["node:20-bookworm-slim", "${CKAN_BASE_IMAGE}"]
    assert any("npm ci" in i for i in stages[0][1]), (
        "ECharts comes from npm at the version the lock file pins"
    )
    base_default = re.search(r"^ARG CKAN_BASE_IMAGE=(\S+)", CKAN_DOCKERFILE.read_text(encoding="utf-8"), re.M)
    assert base_default and base_default.group(1).startswith("ckan/ckan-base:2.12")
    assert resolved["services"]["ckan"]["build"]["args"]["CKAN_BASE_IMAGE"].startswith("ckan/ckan-base:2.12")
    instructions = " ".join(stages[-1][1])
    assert "pip3 install --no-cache-dir ${SRC_DIR}/ckanext-hlj" in instructions
    assert "CKANEXT__HLJ__ECHARTS_JS" in instructions


def test_solr_image_builds_from_the_repository_root(resolved):
    build = resolved["services"]["solr"]["build"]
    assert Path(build["context"]).resolve() == ROOT
    assert (ROOT / build["dockerfile"]).resolve() == SOLR_DOCKERFILE


def test_background_processes_run_their_commands_after_ckan_is_healthy(resolved):
    services = resolved["services"]
    commands = {name: " ".join(services[name].get("command") or []) for name in CKAN_SERVICES}
    assert commands["worker"].endswith("jobs worker")
    assert commands["harvest-gather"].endswith("harvester gather-consumer")
    assert commands["harvest-fetch"].endswith("harvester fetch-consumer")
    assert commands["scheduler"] == "/srv/app/hlj/harvest-scheduler.sh"
    assert "harvester run" in (DOCKER / "ckan" / "harvest-scheduler.sh").read_text(encoding="utf-8")
    for name in ("worker", "harvest-gather", "harvest-fetch", "scheduler"):
        assert services[name]["depends_on"]["ckan"] == {"condition": "service_healthy"}, name
    assert {k: v["condition"] for k, v in services["ckan"]["depends_on"].items()} == {
        "db": "service_healthy",
        "solr": "service_healthy",
        "redis": "service_healthy",
    }


def test_state_lives_in_named_volumes(resolved):
    declared = set(resolved.get("volumes") or {})
    mounts = {
        "db": "/var/lib/postgresql/data",
        "solr": "/var/solr",
        "redis": "/data",
        "ckan": "/var/lib/ckan",
    }
    for name, target in mounts.items():
        sources = {
            v.split(":")[0] for v in resolved["services"][name]["volumes"] if v.split(":")[1] == target
        }
        assert sources and sources <= declared, f"{name}:{target} is not on a named volume"


def test_datastore_is_set_up_by_the_db_init_script_and_ckan_start():
    init = (DOCKER / "db" / "initdb.d" / "10-ckan-databases.sh").read_text(encoding="utf-8")
    for statement in (
        'CREATE ROLE :"ckan_user"',
        'CREATE ROLE :"ro_user"',
        'CREATE DATABASE :"ckan_db"',
        'CREATE DATABASE :"datastore_db" OWNER :"ckan_user"',
    ):
        assert statement in init
    start = (DOCKER / "ckan" / "docker-entrypoint.d" / "50-datastore-permissions.sh").read_text(
        encoding="utf-8"
    )
    assert "datastore set-permissions" in start and "ON_ERROR_STOP=1" in start


def test_docker_context_leaves_local_state_and_secrets_out():
    ignored = set((ROOT / ".dockerignore").read_text(encoding="utf-8").split())
    assert {".venv", ".runtime", ".git", "**/.env"} <= ignored


# (c) the Solr schema is generated at build time, never committed


def test_solr_build_stage_generates_the_configset():
    stages = dockerfile_stages(SOLR_DOCKERFILE)
    assert len(stages) == 2
    (build_from, build_steps), (final_from, final_steps) = stages
    assert re.match(r"FROM python:3\.11\S* AS configset$", build_from)
    build = " ".join(build_steps)
    assert 'pip download --no-deps --only-binary=:all: --no-cache-dir "ckan==${CKAN_VERSION}"' in build
    assert "ckan/config/solr/schema.xml" in build
    assert re.search(
        r"python /build/solr/build_configset\.py \S+ --ckan-schema /build/ckan-schema\.xml", build
    )

    solr_image = re.search(r"^ARG SOLR_IMAGE=(\S+)", SOLR_DOCKERFILE.read_text(encoding="utf-8"), re.M)
    assert final_from == "FROM ${SOLR_IMAGE}" and solr_image and solr_image.group(1).startswith("solr:9.10")
    final = " ".join(final_steps)
    assert "COPY --from=configset" in final
    assert "schema" not in " ".join(
        s for s in final_steps if s.startswith(("COPY", "ADD")) and "--from" not in s
    )
    assert re.search(r"ENV SOLR_MODULES=\S*analysis-extras", final)
    assert 'CMD ["solr-precreate", "ckan", ' in final


def test_solr_stage_downloads_the_ckan_version_pyproject_pins():
    pinned = re.search(
        r'"ckan\[requirements\]==([^"]+)"', (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    )
    built = re.search(r"^ARG CKAN_VERSION=(\S+)", SOLR_DOCKERFILE.read_text(encoding="utf-8"), re.M)
    assert pinned and built and built.group(1) == pinned.group(1)
    # ... and the wheel of that version holds the schema where the build stage reads it.
    assert importlib.metadata.version("ckan") == pinned.group(1)
    assert "ckan/config/solr/schema.xml" in {str(f) for f in importlib.metadata.files("ckan") or []}


def test_no_solr_schema_is_committed():
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "docker", "solr"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert any(p.startswith("solr/") for p in listed)
    assert [p for p in listed if Path(p).name in ("schema.xml", "managed-schema", "managed-schema.xml")] == []


# (d) the image's CKAN config is config/common.ini's


@pytest.fixture(scope="module")
def image_ini(tmp_path_factory) -> Path:
    """What the image build does to the base image's ckan.ini (`ckan generate config`), done to a fresh one."""
    ini = tmp_path_factory.mktemp("image") / "ckan.ini"
    subprocess.run(
        [str(CKAN_BIN), "generate", "config", str(ini)], check=True, capture_output=True, timeout=120
    )
    configure = [sys.executable, str(DOCKER / "ckan" / "configure.py"), "merge", str(ini), str(COMMON_INI)]
    result = subprocess.run(configure, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return ini


def test_dockerfile_merges_common_ini_into_the_image_config():
    instructions = " ".join(dockerfile_stages(CKAN_DOCKERFILE)[-1][1])
    assert 'configure.py merge "${CKAN_INI}" ${SRC_DIR}/ckanext-hlj/config/common.ini' in instructions
    assert "configure.py check-ckan-version" in instructions


def test_image_plugins_are_common_ini_plugins_then_envvars(image_ini):
    parser = configparser.RawConfigParser(strict=False)
    parser.read(image_ini, encoding="utf-8")
    assert parser.get("app:main", "ckan.plugins").split() == [*common_plugins(), "envvars"]


def test_image_config_carries_every_common_setting(image_ini):
    common = configparser.RawConfigParser()
    common.optionxform = str
    common.read(COMMON_INI, encoding="utf-8")
    image = configparser.RawConfigParser(strict=False)
    image.optionxform = str
    image.read(image_ini, encoding="utf-8")
    for key, value in common.items("app:main"):
        if key != "ckan.plugins":
            assert image.get("app:main", key) == value, key
    assert image.get("app:main", "ckan.locale_default") == "zh_Hans_CN"
    assert image.get("app:main", "ckan.harvest.mq.type") == "redis"


def test_nothing_overrides_the_plugin_list_at_run_time(resolved):
    for name, service in resolved["services"].items():
        assert "CKAN__PLUGINS" not in (service.get("environment") or {}), name
    assert "CKAN__PLUGINS" not in ENV_EXAMPLE.read_text(encoding="utf-8")


# The image's start-time scripts, run here against a copy of the merged config


def run_entrypoint(ini: Path, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    copy = tmp_path / "ckan.ini"
    shutil.copyfile(ini, copy)
    base = {"PATH": f"{CKAN_BIN.parent}:{os.environ['PATH']}", "HOME": str(tmp_path), "CKAN_INI": str(copy)}
    return subprocess.run(
        ["bash", str(DOCKER / "ckan" / "entrypoint.sh"), "bash", "-c", 'echo "plugins=$CKAN__PLUGINS"'],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_entrypoint_shares_the_secret_key_and_keeps_the_plugins(image_ini, tmp_path):
    result = run_entrypoint(image_ini, tmp_path, CKAN_SECRET_KEY="0123abcd" * 8)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["plugins=" + common_plugins()[0], *common_plugins()[1:], "envvars"]
    written = configparser.RawConfigParser(strict=False)
    written.optionxform = str
    written.read(tmp_path / "ckan.ini", encoding="utf-8")
    assert written.get("app:main", "SECRET_KEY") == "0123abcd" * 8


@pytest.mark.parametrize(
    "env",
    [
        {"CKAN_SECRET_KEY": "CHANGE_ME-secret-key"},
        {"CKAN_SECRET_KEY": "fine", "CKAN_SQLALCHEMY_URL": "postgresql://u:CHANGE_ME@db/ckan"},
        {},
    ],
)
def test_entrypoint_refuses_placeholder_or_missing_secrets(image_ini, tmp_path, env):
    result = run_entrypoint(image_ini, tmp_path, **env)
    assert result.returncode == 1
    assert "plugins=" not in result.stdout


def test_scheduler_health_follows_its_heartbeat(tmp_path):
    heartbeat = tmp_path / "heartbeat"
    env = {**os.environ, "HLJ_SCHEDULER_HEARTBEAT": str(heartbeat), "HLJ_HARVEST_INTERVAL": "60"}
    check = [sys.executable, str(DOCKER / "ckan" / "healthcheck.py"), "scheduler"]

    def healthy() -> bool:
        return subprocess.run(check, env=env, capture_output=True, timeout=60, check=False).returncode == 0

    assert not healthy()
    heartbeat.touch()
    assert healthy()
    stale = time.time() - (2 * 60 + 600 + 1)
    os.utime(heartbeat, (stale, stale))
    assert not healthy()
