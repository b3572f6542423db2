"""Every validator either returns or raises InvalidValue: no other exception, whatever it is given."""

import functools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ckanext.hlj.catalogue import codelists, contact, dates, divisions, doc_number, service_codes, uscc
from ckanext.hlj.catalogue.errors import InvalidValue

VALIDATORS = {
    "uscc.validate_uscc": uscc.validate_uscc,
    "uscc.validate_org_code": uscc.validate_org_code,
    "uscc.normalise_uscc": uscc.normalise_uscc,
    "service_codes.validate_basic_code": service_codes.validate_basic_code,
    "service_codes.validate_implementation_code": service_codes.validate_implementation_code,
    "service_codes.validate_implementation_code+expected": functools.partial(
        service_codes.validate_implementation_code, expected_uscc="12441500196720244T"
    ),
    "service_codes.validate_handle_item_code": service_codes.validate_handle_item_code,
    "doc_number.parse_doc_number": doc_number.parse_doc_number,
    "doc_number.normalise_doc_number": doc_number.normalise_doc_number,
    "dates.parse_date_or_datetime": dates.parse_date_or_datetime,
    "dates.parse_date": dates.parse_date,
    "dates.parse_datetime": functools.partial(dates.parse_datetime, require_time=True),
    "contact.validate_phone": contact.validate_phone,
    "contact.validate_phone_list": contact.validate_phone_list,
    "contact.validate_email": contact.validate_email,
    "divisions.division": divisions.division,
    "divisions.validate_region_code": divisions.validate_region_code,
    "divisions.validate_region_code+china": functools.partial(
        divisions.validate_region_code, heilongjiang_only=False, allow_national=True
    ),
    **{
        f"codelists.validate_choice[{name}]": functools.partial(codelists.validate_choice, name)
        for name in codelists.codelist_names()
    },
    **{
        f"codelists.validate_choices[{name}]": functools.partial(codelists.validate_choices, name)
        for name in codelists.codelist_names()
    },
}

# Text built from the characters the validators care about, so the fuzzing reaches deep into each of them.
relevant = st.text(
    alphabet=st.sampled_from(
        list("0123456789０１２３４５６７８９ABCDHJKLMNPQRTUWXYIOSVZabcxz-_ /.:+()（）〔〕[]【】@＠^、,，;；")
        + list("年月日号时分秒点半上下午〇○零一二两三四五六七八九十第令公告黑政办发转分机ext县级乡村政府网站")
    ),
    max_size=40,
)
anything = st.one_of(
    st.text(max_size=60),
    relevant,
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2),
)


@pytest.mark.parametrize("name", sorted(VALIDATORS))
@given(value=anything)
def test_only_invalid_value_escapes(name, value):
    try:
        VALIDATORS[name](value)
    except InvalidValue as err:
        assert err.code and err.zh and err.en
