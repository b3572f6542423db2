import pickle

import pytest

from ckanext.hlj.catalogue.errors import InvalidValue


def test_invalid_value_carries_code_and_both_messages():
    err = InvalidValue(
        code="uscc_checksum", zh="统一社会信用代码校验位错误", en="Unified social credit code: wrong check"
    )
    assert isinstance(err, ValueError)
    assert err.code == "uscc_checksum"
    assert str(err) == "统一社会信用代码校验位错误"
    assert err.message() == err.zh
    assert err.message("zh_Hans_CN") == err.zh
    assert err.message("en") == err.en
    assert err.message("en_GB") == err.en
    assert err.message(None) == err.zh
    assert "uscc_checksum" in repr(err)


def test_invalid_value_pickles():
    err = pickle.loads(pickle.dumps(InvalidValue("c", "中", "en")))
    assert (err.code, err.zh, err.en) == ("c", "中", "en")


def test_raised_and_caught_as_value_error():
    with pytest.raises(ValueError, match="中文"):
        raise InvalidValue("x", "中文", "English")
