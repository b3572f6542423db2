"""The production deployment in docker/, checked without a Docker engine.

docker-compose (Debian's 1.29, which `make test` installs) validates and resolves the compose file; the rest reads
the Dockerfiles and runs the image's own build-time and start-time scripts against this checkout's CKAN. Plain
tests: no CKAN fixtures, no services.
"""

from __future__ import annotations

import configparser
import http.client
import http.server
import importlib.metadata
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml

from ckanext.hlj.catalogue import workdays

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
    healthcheck = (DOCKER / "ckan" / "healthcheck.py").read_text(encoding="utf-8")
    assert "/api/hlj/health?checks={WEB_CHECKS}" in healthcheck
    assert probe("worker").endswith("healthcheck.py worker")
    assert probe("harvest-gather").endswith("healthcheck.py gather")
    assert probe("harvest-fetch").endswith("healthcheck.py fetch")
    assert "/solr/ckan/admin/ping" in probe("solr")
    assert "pg_isready" in probe("db")
    assert "redis-cli ping" in probe("redis")
    assert "/nginx-health" in probe("nginx")


def test_only_nginx_publishes_ports_80_and_443(resolved):
    published = {
        name: service.get("ports") for name, service in resolved["services"].items() if service.get("ports")
    }
    assert set(published) == {"nginx"}
    targets = sorted(str(p).split(":")[-1].split("/")[0] for p in published["nginx"])
    assert targets == ["443", "80"]
    assert all("network_mode" not in service for service in resolved["services"].values())


def test_nginx_reaches_ckan_and_mounts_the_certificates_read_only(resolved):
    nginx = resolved["services"]["nginx"]
    assert Path(nginx["build"]["context"]).resolve() == DOCKER / "nginx"
    assert set(nginx["networks"]) & set(resolved["services"]["ckan"]["networks"])
    assert not any((resolved["networks"].get(n) or {}).get("internal") for n in nginx["networks"])
    certs = [v for v in nginx["volumes"] if v.split(":")[1] == "/etc/nginx/certs"]
    assert len(certs) == 1 and certs[0].endswith(":ro")
    source = certs[0].split(":")[0]
    assert not Path(source).resolve().is_relative_to(ROOT), "certificates must live outside the repository"
    assert nginx["depends_on"]["ckan"] == {"condition": "service_healthy"}
    # nginx derives its body limit and timeouts from the same settings CKAN gets.
    ckan_env = resolved["services"]["ckan"]["environment"]
    for key in ("CKAN_MAX_UPLOAD_SIZE_MB", "UWSGI_HARAKIRI", "CKAN_SITE_URL"):
        assert nginx["environment"][key] == ckan_env[key], key


def test_compose_refuses_to_run_without_a_certificate_folder(tmp_path):
    env_file = tmp_path / "no-tls.env"
    lines = ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
    env_file.write_text("\n".join(x for x in lines if not x.startswith("HLJ_TLS_DIR=")) + "\n")
    result = compose("config", "-q", env_file=env_file)
    assert result.returncode != 0
    assert "HLJ_TLS_DIR" in result.stderr


def test_the_deployments_env_file_is_never_committed():
    check = subprocess.run(["git", "check-ignore", "-q", "docker/.env"], cwd=ROOT, check=False)
    assert check.returncode == 0, "docker/.env (the deployment's secrets) must be git-ignored"


def test_ckan_image_has_the_pg_dump_of_the_db_image():
    db_from = re.search(
        r"^FROM postgres:(\d+)", (DOCKER / "db" / "Dockerfile").read_text(encoding="utf-8"), re.M
    )
    pg_major = re.search(r"^ARG PG_MAJOR=(\d+)", CKAN_DOCKERFILE.read_text(encoding="utf-8"), re.M)
    assert db_from and pg_major and db_from.group(1) == pg_major.group(1)
    instructions = " ".join(dockerfile_stages(CKAN_DOCKERFILE)[-1][1])
    assert "postgresql-client-${PG_MAJOR}" in instructions


def test_data_services_sit_on_internal_networks_only(resolved):
    networks = resolved.get("networks", {})
    for name in DATA_SERVICES:
        attached = list(resolved["services"][name].get("networks") or [])
        assert attached, f"{name} would join the default, non-internal network"
        for network in attached:
            assert networks.get(network, {}).get("internal") is True, f"{name} is on non-internal {network}"
    # ... ckan reaches them over such a network, and nginx, the one service facing the world, cannot.
    internal = {n for n, spec in networks.items() if (spec or {}).get("internal")}
    assert set(resolved["services"]["ckan"]["networks"]) & internal
    assert not set(resolved["services"]["nginx"]["networks"]) & internal


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


def test_entrypoint_reads_secrets_from_files(image_ini, tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text("fedcba98" * 8 + "\n")
    secret.chmod(0o600)
    result = run_entrypoint(image_ini, tmp_path, CKAN_SECRET_KEY_FILE=str(secret))
    assert result.returncode == 0, result.stderr
    written = configparser.RawConfigParser(strict=False)
    written.optionxform = str
    written.read(tmp_path / "ckan.ini", encoding="utf-8")
    assert written.get("app:main", "SECRET_KEY") == "fedcba98" * 8


@pytest.mark.parametrize("both", [True, False])
def test_entrypoint_refuses_ambiguous_or_unreadable_secret_files(image_ini, tmp_path, both):
    env = {"CKAN_SECRET_KEY_FILE": str(tmp_path / "missing")}
    if both:
        (tmp_path / "present").write_text("abc")
        env = {"CKAN_SECRET_KEY_FILE": str(tmp_path / "present"), "CKAN_SECRET_KEY": "0123abcd" * 8}
    result = run_entrypoint(image_ini, tmp_path, **env)
    assert result.returncode == 1
    assert "CKAN_SECRET_KEY_FILE" in result.stderr


@pytest.mark.parametrize(("fmt", "cls"), [("json", "JsonFormatter"), ("text", "TextFormatter")])
def test_entrypoint_selects_the_log_formatter(image_ini, tmp_path, fmt, cls):
    result = run_entrypoint(image_ini, tmp_path, CKAN_SECRET_KEY="0123abcd" * 8, HLJ_LOG_FORMAT=fmt)
    assert result.returncode == 0, result.stderr
    written = configparser.RawConfigParser(strict=False)
    written.read(tmp_path / "ckan.ini", encoding="utf-8")
    assert written.get("formatter_generic", "class") == f"ckanext.hlj.ops.logs.{cls}"


def test_web_health_check_follows_the_health_endpoint(tmp_path):
    """healthcheck.py web against a stand-in for /api/hlj/health: healthy on 200, unhealthy on 503."""

    answers = {"status": 200}

    class Health(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            ok = answers["status"] == 200
            body = json.dumps(
                {"status": "ok" if ok else "fail", "checks": {"solr": {"ok": ok, "detail": "x"}}}
            ).encode()
            answers["path"] = self.path
            self.send_response(answers["status"])
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/api/hlj/health?checks=postgres,datastore,solr,redis"
    env = {**os.environ, "HLJ_HEALTH_URL": url}
    check = [sys.executable, str(DOCKER / "ckan" / "healthcheck.py"), "web"]
    try:
        assert subprocess.run(check, env=env, capture_output=True, timeout=60, check=False).returncode == 0
        answers["status"] = 503
        failed = subprocess.run(check, env=env, capture_output=True, text=True, timeout=60, check=False)
        assert failed.returncode == 1 and "solr" in failed.stderr
    finally:
        server.shutdown()


# (e) nginx in front of CKAN: the template as the image renders it, checked as text, by `nginx -t`, and live


NGINX = DOCKER / "nginx"
TEMPLATE = NGINX / "templates" / "hlj.conf.template"
ENVSH = NGINX / "19-hlj-defaults.envsh"
CSP_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self' 'unsafe-inline'",
    "object-src": "'none'",
    "frame-ancestors": "'self'",
    "base-uri": "'self'",
    "form-action": "'self'",
}


def rendered_template(**env: str) -> str:
    """What the nginx image makes of the template: 19-hlj-defaults.envsh sourced, then envsubst with the names of
    the variables that are set (docker-entrypoint.d/20-envsubst-on-templates.sh)."""
    base = {"PATH": os.environ["PATH"], **env}
    script = '. "$1" && env -0'
    out = subprocess.run(["sh", "-c", script, "sh", str(ENVSH)], env=base, capture_output=True, check=True)
    defined = dict(item.split("=", 1) for item in out.stdout.decode().split("\0") if "=" in item)
    text = TEMPLATE.read_text(encoding="utf-8")
    for name in sorted(defined, key=len, reverse=True):
        text = text.replace("${" + name + "}", defined[name])
    return text


def code(conf: str) -> str:
    """The configuration without its comment lines."""
    return re.sub(r"(?m)^\s*#.*\n", "", conf)


def directives(conf: str, name: str) -> list[str]:
    value = r"""((?:"[^"]*"|'[^']*'|[^;"'])*);"""
    return [m.group(1).strip() for m in re.finditer(rf"^\s*{re.escape(name)}\s+{value}", conf, re.M)]


def test_nginx_image_renders_our_template():
    stages = dockerfile_stages(NGINX / "Dockerfile")
    assert len(stages) == 1 and stages[0][0] == "FROM ${NGINX_IMAGE}"
    text = (NGINX / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^ARG NGINX_IMAGE=nginx:1\.\d+", text, re.M)
    steps = " ".join(stages[0][1])
    assert "COPY templates/ /etc/nginx/templates/" in steps
    assert "rm -f /etc/nginx/conf.d/default.conf" in steps
    assert "/docker-entrypoint.d/19-hlj-defaults.envsh" in steps


def test_body_limit_and_timeouts_follow_ckans_settings():
    conf = rendered_template(
        CKAN_MAX_UPLOAD_SIZE_MB="250", UWSGI_HARAKIRI="90", CKAN_SITE_URL="https://x.gov.cn/"
    )
    assert directives(conf, "client_max_body_size") == ["251m"]
    assert directives(conf, "proxy_read_timeout") == ["105s"]
    assert set(directives(conf, "server_name")) == {"x.gov.cn"}
    assert "${" not in code(conf)
    default = rendered_template()
    assert directives(default, "client_max_body_size") == ["101m"]


def test_template_redirects_http_and_sets_the_security_headers():
    conf = code(rendered_template(CKAN_SITE_URL="https://x.gov.cn"))
    plain, tls = re.split(r"\n(?=server \{)", conf)[1:3]
    assert "listen 80" in plain and "return 301 https://$host$request_uri;" in plain
    assert "proxy_pass" not in plain
    assert "listen 443 ssl" in tls
    assert directives(tls, "ssl_certificate") == ["/etc/nginx/certs/fullchain.pem"]
    assert directives(tls, "ssl_certificate_key") == ["/etc/nginx/certs/privkey.pem"]
    assert directives(tls, "ssl_protocols") == ["TLSv1.2 TLSv1.3"]
    headers = {h.split(" ", 1)[0]: h.split(" ", 1)[1] for h in directives(tls, "add_header")}
    assert re.match(r'"max-age=(\d+); includeSubDomains" always', headers["Strict-Transport-Security"])
    assert int(re.search(r"max-age=(\d+)", headers["Strict-Transport-Security"]).group(1)) >= 31536000
    assert headers["X-Content-Type-Options"] == '"nosniff" always'
    assert headers["X-Frame-Options"] == '"SAMEORIGIN" always'
    assert headers["Referrer-Policy"] == '"strict-origin-when-cross-origin" always'
    csp = dict(
        d.strip().split(" ", 1)
        for d in headers["Content-Security-Policy"].split('"')[1].split(";")
        if " " in d.strip()
    )
    for directive, value in CSP_DIRECTIVES.items():
        assert csp[directive] == value, directive
    # add_header inside a location would silently drop every header above for that location.
    locations = re.findall(r"location [^{]*\{[^}]*\}", tls)
    assert locations and not any("add_header" in loc for loc in locations)
    assert directives(tls, "proxy_set_header").count("X-Request-ID $request_id") == 1


def nginx_version() -> tuple[int, ...] | None:
    exe = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if exe is None:
        return None
    out = subprocess.run([exe, "-v"], capture_output=True, text=True, check=False).stderr
    return tuple(int(x) for x in re.search(r"nginx/(\d+)\.(\d+)\.(\d+)", out).groups())


def free_port() -> int:

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def nginx(tmp_path_factory):
    """Debian's nginx running our rendered template on loopback ports, in front of a stand-in for CKAN that echoes
    what it received, with a self-signed certificate made here."""

    version = nginx_version()
    if version is None:
        pytest.skip(
            "nginx is not installed (apt-get install nginx-light); the template checks above still ran"
        )
    exe = shutil.which("nginx") or "/usr/sbin/nginx"
    work = tmp_path_factory.mktemp("nginx")
    certs = work / "certs"
    certs.mkdir()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-keyout", str(certs / "privkey.pem"), "-out", str(certs / "fullchain.pem")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip

    class Ckan(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            body = json.dumps({"headers": dict(self.headers), "length": length, "path": self.path}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-Frame-Options", "ALLOWALL")  # must not get through
            self.send_header("X-Powered-By", "uWSGI")
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

        def log_message(self, *args):
            pass

    upstream = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Ckan)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    http_port, https_port = free_port(), free_port()
    conf = rendered_template(
        CKAN_MAX_UPLOAD_SIZE_MB="1", UWSGI_HARAKIRI="10", CKAN_SITE_URL="https://localhost"
    )
    conf = (
        conf.replace("listen 80 default_server", f"listen 127.0.0.1:{http_port} default_server")
        .replace("listen 443 ssl default_server", f"listen 127.0.0.1:{https_port} ssl default_server")
        .replace("server ckan:5000", f"server 127.0.0.1:{upstream.server_port}")
        .replace("/etc/nginx/certs/", f"{certs}/")
        .replace("/var/log/nginx/access.log", str(work / "access.log"))
    )
    if version < (1, 25, 1):  # Debian 12's nginx predates the `http2` directive; the image's nginx has it
        conf = conf.replace("http2 on;", "")
    (work / "hlj.conf").write_text(conf, encoding="utf-8")
    temp = "".join(
        f"    {kind}_temp_path {work / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (work / "nginx.conf").write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"worker_processes 1;\npid {work / 'nginx.pid'};\nerror_log {work / 'error.log'} warn;\n"
        + "events { worker_connections 64; }\n"
        + f"http {{\n{temp}    access_log {work / 'access.log'};\n    include {work / 'hlj.conf'};\n}}\n",
        encoding="utf-8",
    )
    base = [exe, "-p", str(work), "-c", str(work / "nginx.conf")]
    test = subprocess.run([*base, "-t"], capture_output=True, text=True, timeout=60, check=False)
    assert test.returncode == 0, test.stderr
    proc = subprocess.Popen([*base, "-g", "daemon off;"], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", https_port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield {"http": http_port, "https": https_port, "test": test, "work": work}
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        upstream.shutdown()


def https(
    nginx, method: str = "GET", path: str = "/", body: bytes | None = None, headers: dict | None = None
):

    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    conn = http.client.HTTPSConnection("127.0.0.1", nginx["https"], context=context, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    except (ConnectionResetError, BrokenPipeError):  # nginx may close on an oversized body before reading it
        return 413, {}, b""
    finally:
        conn.close()


def test_nginx_accepts_the_rendered_configuration(nginx):
    assert "syntax is ok" in nginx["test"].stderr and "test is successful" in nginx["test"].stderr


def test_http_is_redirected_to_https(nginx):

    conn = http.client.HTTPConnection("127.0.0.1", nginx["http"], timeout=30)
    conn.request("GET", "/dataset?q=%E6%94%BF%E5%8A%A1", headers={"Host": "data.hlj.gov.cn"})
    response = conn.getresponse()
    assert response.status == 301
    assert response.getheader("Location") == "https://data.hlj.gov.cn/dataset?q=%E6%94%BF%E5%8A%A1"


def test_https_answers_carry_the_security_headers(nginx):
    status, headers, _ = https(nginx, path="/dataset")
    assert status == 200
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"  # CKAN's own value replaced
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]
    assert "X-Powered-By" not in headers
    assert headers["Server"] == "nginx"  # no version
    # Error answers carry them too (`always`).
    status, headers, _ = https(nginx, "POST", "/api/3/action/resource_create", body=b"x" * (3 * 1024 * 1024))
    assert status == 413
    if headers:
        assert headers["X-Content-Type-Options"] == "nosniff"


def test_ckan_receives_the_request_id_and_the_client(nginx):
    _, _, body = https(nginx, path="/api/3/action/status_show", headers={"X-Request-ID": "forged"})
    seen = json.loads(body)["headers"]
    assert re.fullmatch(r"[0-9a-f]{32}", seen["X-Request-ID"])  # nginx's own id, not the client's
    assert seen["X-Forwarded-Proto"] == "https"
    assert seen["X-Forwarded-For"] == "127.0.0.1"


def test_request_bodies_are_limited_to_ckans_upload_size(nginx):
    # CKAN_MAX_UPLOAD_SIZE_MB=1 in this rendering: a 1.5 MB upload passes, a 3 MB one is refused by nginx.
    status, _, body = https(nginx, "POST", "/dataset/x/resource/new", body=b"x" * (1536 * 1024))
    assert status == 200 and json.loads(body)["length"] == 1536 * 1024
    status, _, _ = https(nginx, "POST", "/dataset/x/resource/new", body=b"x" * (3 * 1024 * 1024))
    assert status == 413


def test_the_health_endpoint_is_rate_limited(nginx):

    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    conn = http.client.HTTPSConnection("127.0.0.1", nginx["https"], context=context, timeout=30)
    statuses = []
    for _ in range(40):  # on one kept-alive connection: faster than 5 a second plus the burst of 10
        conn.request("GET", "/api/hlj/health")
        response = conn.getresponse()
        response.read()
        statuses.append(response.status)
    conn.close()
    assert statuses[0] == 200
    assert 429 in statuses
    assert https(nginx, path="/dataset")[0] == 200  # other pages are not limited


def test_entrypoint_seeds_the_shared_calendar_file_once(image_ini, tmp_path):

    target = tmp_path / "calendar" / "calendar_overrides.yaml"
    env = {"CKAN_SECRET_KEY": "0123abcd" * 8, "HLJ_CALENDAR_OVERRIDES": str(target)}
    result = run_entrypoint(image_ini, tmp_path, **env)
    assert result.returncode == 0, result.stderr
    assert target.read_bytes() == workdays.DEFAULT_OVERRIDES.read_bytes()
    target.write_text("# a year added with `ckan hlj calendar add-year`\n")
    assert run_entrypoint(image_ini, tmp_path, **env).returncode == 0
    assert target.read_text().startswith("# a year added")  # never overwritten


def test_ckan_containers_share_the_calendar_volume(resolved):
    for name in CKAN_SERVICES:
        service = resolved["services"][name]
        mounts = {":".join(v.split(":")[:2]) for v in service["volumes"]}
        assert "hlj_calendar:/var/lib/hlj-calendar" in mounts, name
        assert service["environment"]["HLJ_CALENDAR_OVERRIDES"].startswith("/var/lib/hlj-calendar/")
    assert "hlj_calendar" in resolved["volumes"]


@pytest.mark.parametrize("swap_persisted", [True, False])
def test_solr_start_adopts_the_core_a_schema_change_swapped_in(tmp_path, swap_persisted):
    data = tmp_path / "data"
    (data / "ckan_next" / "conf").mkdir(parents=True)
    (data / "ckan_next" / "core.properties").write_text(f"name={'ckan' if swap_persisted else 'ckan_next'}\n")
    script = DOCKER / "solr" / "initdb.d" / "05-adopt-swapped-core.sh"
    subprocess.run(
        ["bash", "-c", f'. "{script}"'], env={**os.environ, "HLJ_SOLR_DATA": str(data)}, check=True
    )
    assert not (data / "ckan_next").exists()
    assert (data / "ckan" / "core.properties").read_text().splitlines() == ["name=ckan"]
    # With a `ckan` folder in place (the normal case) nothing moves.
    (data / "ckan_next").mkdir()
    (data / "ckan_next" / "core.properties").write_text("name=ckan_next\n")
    subprocess.run(
        ["bash", "-c", f'. "{script}"'], env={**os.environ, "HLJ_SOLR_DATA": str(data)}, check=True
    )
    assert (data / "ckan_next" / "core.properties").exists()


def test_ckan_trusts_exactly_the_one_proxy_in_front_of_it(resolved):
    """nginx replaces X-Forwarded-For with the client's address, so CKAN takes the last entry as the client."""
    tls = code(rendered_template())
    assert directives(tls, "proxy_set_header").count("X-Forwarded-For $remote_addr") == 1
    for name in CKAN_SERVICES:
        assert resolved["services"][name]["environment"]["CKANEXT__HLJ__SECURITY__TRUSTED_PROXIES"] == "1"
