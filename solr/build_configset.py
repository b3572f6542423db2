#!/usr/bin/env python3
"""Write the `ckan` Solr configset: CKAN's schema.xml merged with ours, plus our solrconfig and word lists.

CKAN's schema is read from the installed CKAN package (or a path given with --ckan-schema, as the docker build
stage does after downloading the wheel), so the repository never holds a copy of it. Standard library only: the
docker build stage runs this without the project's virtualenv.

    python solr/build_configset.py OUT_DIR [--ckan-schema PATH]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
CONF = HERE / "conf"
ADDITIONS = CONF / "hlj-schema-additions.xml"
# CKAN refuses to search against a schema whose name it does not know; keep the one we were built for.
EXPECTED_SCHEMA_NAME = "ckan-2.12"
# Field that receives every source CKAN copies into its own catch-all `text`.
CKAN_CATCH_ALL = "text"
OUR_CATCH_ALL = "text_zh"


def installed_ckan_schema() -> Path:
    import ckan  # noqa: PLC0415 - only needed when no path is given

    return Path(ckan.__file__).resolve().parent / "config" / "solr" / "schema.xml"


def merge(ckan_schema: Path, additions: Path) -> ET.ElementTree:
    tree = ET.parse(ckan_schema)
    schema = tree.getroot()
    if schema.get("name") != EXPECTED_SCHEMA_NAME:
        raise SystemExit(
            f"{ckan_schema}: schema name is {schema.get('name')!r}, expected {EXPECTED_SCHEMA_NAME!r}; "
            "this configset was written for CKAN 2.12"
        )
    existing = {(el.tag, el.get("name")) for el in schema if el.get("name")}
    ours = ET.parse(additions).getroot()
    for el in ours:
        if not isinstance(el.tag, str):  # comments
            continue
        if (el.tag, el.get("name")) in existing:
            raise SystemExit(f"{additions}: {el.tag} {el.get('name')!r} already exists in CKAN's schema")
        schema.append(el)

    already = {(c.get("source"), c.get("dest")) for c in schema.iter("copyField")}
    for source in [c.get("source") for c in schema.iter("copyField") if c.get("dest") == CKAN_CATCH_ALL]:
        if (source, OUR_CATCH_ALL) not in already:
            schema.append(ET.Element("copyField", {"source": source, "dest": OUR_CATCH_ALL}))
    ET.indent(tree, space="  ")
    return tree


def build(out_dir: Path, ckan_schema: Path) -> Path:
    conf = out_dir / "conf"
    conf.mkdir(parents=True, exist_ok=True)
    tree = merge(ckan_schema, ADDITIONS)
    tree.write(conf / "schema.xml", encoding="UTF-8", xml_declaration=True)
    for name in ("solrconfig.xml", "synonyms.txt", "protwords.txt"):
        shutil.copyfile(CONF / name, conf / name)
    return conf


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, help="configset directory to write (conf/ is created inside)")
    parser.add_argument("--ckan-schema", type=Path, help="CKAN's schema.xml (default: the installed CKAN's)")
    args = parser.parse_args(argv)
    conf = build(args.out_dir, args.ckan_schema or installed_ckan_schema())
    print(f"configset written to {conf}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
