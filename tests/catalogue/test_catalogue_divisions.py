import re
from collections import Counter

import pytest

from ckanext.hlj.catalogue import divisions
from ckanext.hlj.catalogue.errors import InvalidValue
from ckanext.hlj.catalogue.organizations import public_bodies

# shared/reference/domain-standards.md §6.1 and §6.2, copied verbatim: the 13 市(地) and their 121 county-level
# units (modood/Administrative-divisions-of-China, NBS 2023, without the statistical-only codes).
CITIES_6_1 = """
230100 哈尔滨市
230200 齐齐哈尔市
230300 鸡西市
230400 鹤岗市
230500 双鸭山市
230600 大庆市
230700 伊春市
230800 佳木斯市
230900 七台河市
231000 牡丹江市
231100 黑河市
231200 绥化市
232700 大兴安岭地区
"""
COUNTIES_6_2 = """
* **230100 哈尔滨市** (18): 230102 道里区、230103 南岗区、230104 道外区、230108 平房区、230109 松北区、230110 香坊区、230111 呼兰区、230112 阿城区、230113 双城区、230123 依兰县、230124 方正县、230125 宾县、230126 巴彦县、230127 木兰县、230128 通河县、230129 延寿县、230183 尚志市、230184 五常市
* **230200 齐齐哈尔市** (16): 230202 龙沙区、230203 建华区、230204 铁锋区、230205 昂昂溪区、230206 富拉尔基区、230207 碾子山区、230208 梅里斯达斡尔族区、230221 龙江县、230223 依安县、230224 泰来县、230225 甘南县、230227 富裕县、230229 克山县、230230 克东县、230231 拜泉县、230281 讷河市
* **230300 鸡西市** (9): 230302 鸡冠区、230303 恒山区、230304 滴道区、230305 梨树区、230306 城子河区、230307 麻山区、230321 鸡东县、230381 虎林市、230382 密山市
* **230400 鹤岗市** (8): 230402 向阳区、230403 工农区、230404 南山区、230405 兴安区、230406 东山区、230407 兴山区、230421 萝北县、230422 绥滨县
* **230500 双鸭山市** (8): 230502 尖山区、230503 岭东区、230505 四方台区、230506 宝山区、230521 集贤县、230522 友谊县、230523 宝清县、230524 饶河县
* **230600 大庆市** (9): 230602 萨尔图区、230603 龙凤区、230604 让胡路区、230605 红岗区、230606 大同区、230621 肇州县、230622 肇源县、230623 林甸县、230624 杜尔伯特蒙古族自治县
* **230700 伊春市** (10, reorganised 2019): 230717 伊美区、230718 乌翠区、230719 友好区、230722 嘉荫县、230723 汤旺县、230724 丰林县、230725 大箐山县、230726 南岔县、230751 金林区、230781 铁力市
* **230800 佳木斯市** (10): 230803 向阳区、230804 前进区、230805 东风区、230811 郊区、230822 桦南县、230826 桦川县、230828 汤原县、230881 同江市、230882 富锦市、230883 抚远市
* **230900 七台河市** (4): 230902 新兴区、230903 桃山区、230904 茄子河区、230921 勃利县
* **231000 牡丹江市** (10): 231002 东安区、231003 阳明区、231004 爱民区、231005 西安区、231025 林口县、231081 绥芬河市、231083 海林市、231084 宁安市、231085 穆棱市、231086 东宁市
* **231100 黑河市** (6): 231102 爱辉区、231123 逊克县、231124 孙吴县、231181 北安市、231182 五大连池市、231183 嫩江市
* **231200 绥化市** (10): 231202 北林区、231221 望奎县、231222 兰西县、231223 青冈县、231224 庆安县、231225 明水县、231226 绥棱县、231281 安达市、231282 肇东市、231283 海伦市
* **232700 大兴安岭地区** (3): 232701 漠河市、232721 呼玛县、232722 塔河县
"""


def reference_counties() -> dict[str, dict[str, str]]:
    result = {}
    for line in COUNTIES_6_2.strip().splitlines():
        city = re.search(r"\*\*(\d{6}) ", line).group(1)
        body = line.split(": ", 1)[1]
        result[city] = dict(re.findall(r"(\d{6}) ([^、]+)", body))
    return result


def test_province():
    assert divisions.province().code == "230000"
    assert divisions.name("230000") == "黑龙江省"
    assert divisions.parent("230000") is None


def test_thirteen_cities_match_the_reference_list():
    expected = dict(line.split() for line in CITIES_6_1.strip().splitlines())
    assert {c.code: c.name for c in divisions.cities()} == expected
    assert len(divisions.cities()) == 13
    assert all(c.parent == "230000" and c.level == "city" for c in divisions.cities())
    assert divisions.division("232700").kind == "地区"


def test_121_county_level_units_match_the_reference_list():
    reference = reference_counties()
    assert sum(len(v) for v in reference.values()) == 121
    for city, expected in reference.items():
        assert {c.code: c.name for c in divisions.counties(city)} == expected, city
    assert len(divisions.counties()) == 121


def test_county_kinds():
    kinds = Counter(c.kind for c in divisions.counties())
    assert kinds == {"市辖区": 54, "县级市": 21, "县": 45, "自治县": 1}
    assert divisions.division("230624").kind == "自治县"


@pytest.mark.parametrize("code", ["230671", "232761", "232762", "232763", "232764"])
def test_statistical_only_codes_are_not_units(code):
    assert code not in {c.code for c in divisions.counties()}
    assert not divisions.is_heilongjiang(code)
    with pytest.raises(InvalidValue) as info:
        divisions.validate_region_code(code)
    assert info.value.code == "region_code_statistical"
    assert "统计" in info.value.zh


def test_lookups():
    assert divisions.name("230102") == "道里区"
    assert divisions.parent("230102") == "230100"
    assert divisions.parent("230100") == "230000"
    assert divisions.full_name("230102") == "黑龙江省哈尔滨市道里区"
    assert divisions.full_name("232701") == "黑龙江省大兴安岭地区漠河市"
    assert divisions.division(" 230102 ").code == "230102"
    assert divisions.division("230102000000").code == "230102"
    assert divisions.division(230102).code == "230102"


def test_is_heilongjiang():
    for code in ("230000", "230100", "230102", "232722", "230102000000"):
        assert divisions.is_heilongjiang(code), code
    for code in ("220000", "110101", "230101", "230199", "231300", "abc", "", None):
        assert not divisions.is_heilongjiang(code), code


def test_validate_region_code():
    assert divisions.validate_region_code("230102") == "230102"
    assert divisions.validate_region_code("２３０１０２") == "230102"
    with pytest.raises(InvalidValue) as info:
        divisions.validate_region_code("110101")
    assert info.value.code == "region_code_outside"
    assert divisions.validate_region_code("110101", heilongjiang_only=False) == "110101"
    assert divisions.validate_region_code("110000", heilongjiang_only=False) == "110000"
    assert divisions.validate_region_code("100000", allow_national=True) == "100000"
    with pytest.raises(InvalidValue) as info:
        divisions.validate_region_code("100000")
    assert info.value.code == "region_code_unknown"
    for bad, code in [
        ("2301", "region_code_format"),
        ("23010a", "region_code_format"),
        ("230702", "region_code_unknown"),
    ]:
        with pytest.raises(InvalidValue) as info:
            divisions.validate_region_code(bad)
        assert info.value.code == code


def test_direct_controlled_municipalities_have_counties_under_the_province():
    assert divisions.parent("110101") == "110000"
    assert divisions.division("110101").level == "county"


def test_counties_of_a_non_city_is_an_error():
    for code in ("230102", "230000", "110000"):
        with pytest.raises(InvalidValue):
            divisions.counties(code)


def test_every_organisation_region_code_is_known():
    for body in public_bodies():
        assert divisions.validate_region_code(body.region_code, allow_national=True) == body.region_code, (
            body.name
        )
