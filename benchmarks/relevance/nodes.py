"""Solr nodes for the search benchmarks: one with the platform's configset, one with CKAN's stock schema.

Both run Solr 9.10.1 through solr/HljSolr.java on a free port (``SolrNode`` of benchmarks/chinese_analysis.py) and
use the same solrconfig.xml (ours: CKAN 2.12 ships a schema.xml but no solrconfig.xml), so caches and commit
settings are equal and only the schema differs:

- ``hlj``: what `scripts/solr.sh` runs, written by solr/build_configset.py (CKAN's schema.xml merged with
  solr/conf/hlj-schema-additions.xml);
- ``stock``: CKAN's own schema.xml from the installed CKAN package, unchanged, next to our solrconfig.xml and
  the (empty) synonyms.txt and protwords.txt it names.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE.parent))

from chinese_analysis import SolrNode  # noqa: E402 - the benchmark next door starts nodes the same way

CONF = ROOT / "solr" / "conf"
BUILD_CONFIGSET = ROOT / "solr" / "build_configset.py"
KINDS = ("hlj", "stock")


def ckan_schema() -> Path:
    import ckan  # noqa: PLC0415

    return Path(ckan.__file__).resolve().parent / "config" / "solr" / "schema.xml"


def write_configset(kind: str, core: Path) -> Path:
    """Write the core's conf/ for ``kind``; return the conf directory."""
    conf = core / "conf"
    shutil.rmtree(conf, ignore_errors=True)
    if kind == "hlj":
        subprocess.run([sys.executable, str(BUILD_CONFIGSET), str(core)], check=True, capture_output=True)
    elif kind == "stock":
        conf.mkdir(parents=True)
        shutil.copyfile(ckan_schema(), conf / "schema.xml")
        for name in ("solrconfig.xml", "synonyms.txt", "protwords.txt"):
            shutil.copyfile(CONF / name, conf / name)
    else:
        raise ValueError(kind)
    return conf


def configset_hash(conf: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(conf.iterdir()):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def prepare_home(kind: str, home: Path, *, fresh: bool) -> tuple[str, bool]:
    """A Solr home with one core ``ckan`` of ``kind``. Returns (configset hash, whether the index kept from an
    earlier run is usable): it is dropped when ``fresh`` or when the configset changed since it was built."""
    core = home / "ckan"
    stamp = home / "configset.hash"
    old = stamp.read_text().strip() if stamp.exists() else ""
    if fresh:
        shutil.rmtree(home, ignore_errors=True)
    core.mkdir(parents=True, exist_ok=True)
    (home / "solr.xml").write_text("<?xml version='1.0' encoding='UTF-8'?>\n<solr/>\n", encoding="utf-8")
    (core / "core.properties").write_text("name=ckan\ndataDir=data\n", encoding="utf-8")
    new = configset_hash(write_configset(kind, core))
    kept = not fresh and old == new and (core / "data").exists()
    if not kept:
        shutil.rmtree(core / "data", ignore_errors=True)
    stamp.write_text(new + "\n")
    return new, kept


def node(kind: str, home: Path, *, fresh: bool = True) -> tuple[SolrNode, str, bool]:
    """An unstarted node (use it as a context manager: it stops the JVM on exit), its configset hash and whether
    its index was kept."""
    digest, kept = prepare_home(kind, home, fresh=fresh)
    return SolrNode(home, home / "solr.log"), digest, kept
