"""Every string of ours is translated into Chinese, and the compiled catalogue is the one the sources describe."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
I18N = ROOT / "ckanext-hlj" / "i18n"
PO = I18N / "zh_Hans_CN" / "LC_MESSAGES" / "ckanext-hlj.po"
MO = PO.with_suffix(".mo")


def extracted(tmp_path: Path) -> set[str]:
    pot = tmp_path / "extracted.pot"
    subprocess.run(
        [
            *(Path(sys.executable).with_name("pybabel"), "extract", "-F", str(ROOT / "babel.cfg"), "-k", "_"),
            *("--no-location", "--omit-header", "-o", str(pot), str(ROOT / "ckanext-hlj")),
        ],
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as f:
        return {m.id for m in read_po(f) if m.id}


def test_every_string_has_a_chinese_translation(tmp_path):
    with PO.open("rb") as f:
        catalog = read_po(f)
    translated = {m.id: m.string for m in catalog if m.id}
    missing = sorted(msgid for msgid in extracted(tmp_path) if not translated.get(msgid))
    assert missing == []


def _frozen(value):
    return tuple(value) if isinstance(value, list | tuple) else value


def _entries(messages) -> dict:
    """{msgid: msgstr}, a plural entry's as tuples (the .mo reader gives lists)."""
    return {_frozen(m.id): _frozen(m.string) for m in messages if m.id}


def test_compiled_catalogue_matches_the_po_file():
    with PO.open("rb") as f:
        source = _entries(read_po(f))
    with MO.open("rb") as f:
        compiled = _entries(read_mo(f))
    assert compiled == source, "run: .venv/bin/pybabel compile -d ckanext-hlj/i18n -D ckanext-hlj"
