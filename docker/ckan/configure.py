#!/usr/bin/env python3
"""Build-time configuration of the portal image (run by docker/ckan/Dockerfile; tests/test_docker.py runs it too).

    configure.py check-ckan-version PYPROJECT   the installed CKAN is the version pyproject.toml pins
    configure.py merge CKAN_INI COMMON_INI      merge config/common.ini into CKAN_INI, then verify the result

`merge` uses CKAN's own `ckan config-tool CKAN_INI -f COMMON_INI`, so the image carries config/common.ini's values
rather than a copy of them, appends `envvars` (the base image's environment-variable plugin, which must come last)
to `ckan.plugins`, and fails unless every setting of common.ini's [app:main] now has the same value in CKAN_INI.

Standard library only, Python 3.10+ (the base image's Python may be older than the project's 3.11).
"""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import sys
from pathlib import Path

SECTION = "app:main"
PLUGINS = "ckan.plugins"
# Last in the list, as ckanext-envvars requires, so CKAN__* / CKAN___* variables override every other setting.
ENV_PLUGIN = "envvars"
PIN = re.compile(r"""["']ckan(?:\[[^\]]*\])?\s*==\s*([0-9][^"'\s;]*)["']""")


def ckan_command() -> str:
    beside = Path(sys.executable).with_name("ckan")
    return str(beside) if beside.exists() else (shutil.which("ckan") or "ckan")


def read_ini(path: Path) -> dict[str, str]:
    parser = configparser.RawConfigParser(strict=False)
    parser.optionxform = str  # keep SECRET_KEY & co. as written
    with path.open(encoding="utf-8") as f:
        parser.read_file(f)
    return dict(parser.items(SECTION)) if parser.has_section(SECTION) else {}


def expected_settings(common_ini: Path) -> dict[str, str]:
    """What CKAN_INI must hold after the merge: common.ini's settings, with envvars appended to the plugins."""
    wanted = read_ini(common_ini)
    plugins = [p for p in wanted.get(PLUGINS, "").split() if p != ENV_PLUGIN]
    wanted[PLUGINS] = " ".join([*plugins, ENV_PLUGIN])
    return wanted


def merge(ckan_ini: Path, common_ini: Path) -> list[str]:
    """Merge and verify; returns the list of problems (empty when CKAN_INI is right)."""
    ckan = ckan_command()
    subprocess.run([ckan, "config-tool", str(ckan_ini), "-f", str(common_ini)], check=True)
    wanted = expected_settings(common_ini)
    subprocess.run([ckan, "config-tool", str(ckan_ini), f"{PLUGINS} = {wanted[PLUGINS]}"], check=True)
    have = read_ini(ckan_ini)
    return [
        f"{key}: expected {value!r}, found {have.get(key)!r}"
        for key, value in wanted.items()
        if have.get(key) != value
    ]


def check_ckan_version(pyproject: Path) -> str | None:
    pins = PIN.findall(pyproject.read_text(encoding="utf-8"))
    if len(pins) != 1:
        return f"{pyproject}: expected one exact ckan pin, found {pins}"
    import ckan  # noqa: PLC0415 - the base image's CKAN

    if ckan.__version__ != pins[0]:
        return (
            f"the base image has CKAN {ckan.__version__} but {pyproject.name} pins {pins[0]}: "
            "set CKAN_BASE_IMAGE to the matching ckan/ckan-base tag"
        )
    return None


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "check-ckan-version":
        problem = check_ckan_version(Path(argv[1]))
        problems = [problem] if problem else []
    elif len(argv) == 3 and argv[0] == "merge":
        problems = merge(Path(argv[1]), Path(argv[2]))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    for problem in problems:
        print(f"configure.py: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
