"""The public bodies the platform knows from the start, read from ``data/organizations.yaml``."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources

import yaml

PROVINCE_CODE = "230000"


@dataclass(frozen=True)
class PublicBody:
    name: str
    title: str
    kind: str
    level: str
    region_code: str
    parent: str | None = None
    former_names: tuple[str, ...] = ()
    seed_names: tuple[str, ...] = ()
    reprint_issuer: bool = False
    group: str = field(default="", compare=False)


def _body(entry: dict, group: str, **defaults) -> PublicBody:
    values = {**defaults, **entry}
    values["former_names"] = tuple(values.get("former_names") or ())
    values["seed_names"] = tuple(values.get("seed_names") or ())
    return PublicBody(group=group, **values)


@functools.cache
def public_bodies() -> tuple[PublicBody, ...]:
    raw = yaml.safe_load(resources.files(__package__).joinpath("data/organizations.yaml").read_text("utf-8"))
    bodies = [_body(e, "national") for e in raw["national"]]
    bodies += [_body(e, "province") for e in raw["province"]]
    bodies += [
        _body(e, "departments", kind="政府部门", level="省", region_code=PROVINCE_CODE, parent="hlj-gov")
        for e in raw["departments"]
    ]
    bodies += [_body(e, "cities", kind="人民政府", level="市", parent="hlj-gov") for e in raw["cities"]]
    names = [b.name for b in bodies]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise ValueError(f"organizations.yaml names an organisation twice: {sorted(duplicates)}")
    return tuple(bodies)


def by_name(name: str) -> PublicBody:
    for body in public_bodies():
        if body.name == name:
            return body
    raise KeyError(name)
