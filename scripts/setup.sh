#!/usr/bin/env bash
# Idempotent set-up of everything the portal and the tests need on this machine:
#   system packages (apt), the virtualenv (pip), the Solr jars (Maven).
# Each step checks first and does nothing when its result is already there and up to date.
#
#   scripts/setup.sh [--with-compose]
#   --with-compose also installs Debian's docker-compose, which the test suite uses to validate docker/.
source "$(dirname "$0")/lib.sh"

WITH_COMPOSE=0
[ "${1:-}" = "--with-compose" ] && WITH_COMPOSE=1

setup_system_packages() {
  local missing=()
  command -v pg_ctlcluster >/dev/null || missing+=(postgresql)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v pg_config >/dev/null || missing+=(libpq-dev)
  command -v gcc >/dev/null || missing+=(gcc)
  [ -e /usr/lib/x86_64-linux-gnu/libmagic.so.1 ] || ldconfig -p 2>/dev/null | grep -q libmagic.so.1 || missing+=(libmagic1)
  # Java 17 with the compiler module: the Solr launcher runs in single-file source mode.
  if ! command -v javac >/dev/null || ! javac -version 2>&1 | grep -qE 'javac (1[7-9]|2[0-9])'; then
    missing+=(openjdk-17-jdk-headless)
  fi
  command -v mvn >/dev/null || missing+=(maven)
  command -v "$PYTHON" >/dev/null || missing+=(python3 python3-dev)
  if command -v "$PYTHON" >/dev/null && ! "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then
    missing+=(python3-venv)
  fi
  command -v curl >/dev/null || missing+=(curl)
  command -v npm >/dev/null || missing+=(npm)
  # Browser tests (tests/browser/): Debian's Chromium driven by Playwright (no browser download), and a Chinese font
  # so that the screenshots they save show the pages' text.
  command -v chromium >/dev/null || missing+=(chromium)
  [ -n "$(fc-list :lang=zh family 2>/dev/null)" ] || missing+=(fonts-wqy-microhei)
  [ "$WITH_COMPOSE" = 1 ] && ! command -v docker-compose >/dev/null && missing+=(docker-compose)
  # The production nginx config is checked by running nginx on it (tests/test_docker.py).
  [ "$WITH_COMPOSE" = 1 ] && ! command -v nginx >/dev/null && missing+=(nginx-light)
  if [ "${#missing[@]}" -gt 0 ]; then
    say "installing system packages: ${missing[*]}"
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
  if ! command -v "$PYTHON" >/dev/null; then
    PYTHON=python3
    "$PYTHON" -c 'import sys; assert sys.version_info[:2] == (3, 11)' 2>/dev/null ||
      die "Python 3.11 is required (set PYTHON=/path/to/python3.11)"
  fi
}

setup_venv() {
  local stamp="$VENV/.hlj-installed" want
  want="$(files_hash "$ROOT/pyproject.toml" "$ROOT/setup.py")"
  if [ -x "$VENV/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    return 0
  fi
  say "installing the virtualenv in .venv (CKAN 2.12 and this package, editable)"
  [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
  mkdir -p "$RT"
  {
    "$VENV/bin/pip" install --disable-pip-version-check -U "pip>=24" "setuptools>=77" wheel &&
      "$VENV/bin/pip" install --disable-pip-version-check -e "$ROOT[test]"
  } >"$RT/pip.log" 2>&1 || {
    tail -n 30 "$RT/pip.log" >&2
    die "installing the virtualenv failed; see $RT/pip.log"
  }
  echo "$want" >"$stamp"
}

# Front-end packages (assets/package-lock.json: Apache ECharts), served by the hlj plugin from assets/node_modules;
# axe-core (a dev dependency) is what the browser tests inject into pages for their accessibility checks.
setup_npm() {
  local stamp="$ROOT/assets/node_modules/.hlj-installed" want
  want="$(files_hash "$ROOT/assets/package-lock.json")"
  if [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    return 0
  fi
  say "installing front-end packages (npm ci in assets/)"
  mkdir -p "$RT"
  (cd "$ROOT/assets" && npm ci --no-audit --no-fund --loglevel=error) >"$RT/npm.log" 2>&1 || {
    tail -n 20 "$RT/npm.log" >&2
    die "npm ci failed; see $RT/npm.log"
  }
  echo "$want" >"$stamp"
}

setup_solr_jars() {
  local stamp="$RT/solr/lib.stamp" want tmp
  want="$(files_hash "$ROOT/solr/pom.xml")"
  if [ -d "$SOLR_LIB" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    return 0
  fi
  say "resolving Solr 9.10.1 jars with Maven (solr/pom.xml)"
  tmp="$RT/solr/lib.tmp"
  rm -rf "$tmp"
  mkdir -p "$RT/solr"
  mvn -q -B -f "$ROOT/solr/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$tmp" >"$RT/solr/maven.log" 2>&1 ||
    die "Maven could not resolve the Solr jars; see $RT/solr/maven.log"
  rm -rf "$SOLR_LIB"
  mv "$tmp" "$SOLR_LIB"
  echo "$want" >"$stamp"
}

setup_system_packages
setup_venv
setup_solr_jars
setup_npm
