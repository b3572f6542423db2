"""CKAN validators of ckanext-hlj: thin wrappers over the framework-free checks in ``ckanext.hlj.catalogue``.

Each catalogue check raises ``InvalidValue`` carrying a Chinese and an English message; here it becomes CKAN's
``Invalid`` in the language of the request (Chinese by default, English under the ``/en/`` URL prefix), so form
field errors and API 409 responses speak the reader's language.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.navl.dictization_functions import missing
from ckanext.scheming.validation import scheming_validator

from ckanext.hlj import review, visibility
from ckanext.hlj.catalogue import codelists, contact, dates, divisions, doc_number, service_codes, uscc
from ckanext.hlj.catalogue.errors import InvalidValue
from ckanext.hlj.deadline.validators import hlj_minimum_period, hlj_moment, hlj_not_before, hlj_required_if

# Names of the CKAN validators this module exports (tk.blanket.validators registers exactly these).
__all__ = [
    "hlj_basic_code",
    "hlj_codelist",
    "hlj_codelist_multiple",
    "hlj_date",
    "hlj_datetime",
    "hlj_doc_number",
    "hlj_email",
    "hlj_enforce_private",
    "hlj_handle_item_code",
    "hlj_implementation_code",
    "hlj_mark_reprint",
    "hlj_minimum_period",
    "hlj_moment",
    "hlj_not_before",
    "hlj_org_region_code",
    "hlj_organization_reference",
    "hlj_phone",
    "hlj_policy_reference",
    "hlj_region_code",
    "hlj_required_for_interpretation",
    "hlj_required_if",
    "hlj_required_when",
    "hlj_review_status",
    "hlj_uscc",
]


# Work done outside a request on behalf of one (a background import) answers in the requester's language.
_language_override: ContextVar[str | None] = ContextVar("hlj_language_override", default=None)


@contextmanager
def answering_in(lang: str | None) -> Iterator[None]:
    """Validators' messages in ``lang`` for the duration, whatever the request (or its absence) says."""
    token = _language_override.set(lang or None)
    try:
        yield
    finally:
        _language_override.reset(token)


def request_language() -> str:
    if _language_override.get():
        return _language_override.get()
    try:
        from ckan.lib.i18n import get_lang  # noqa: PLC0415

        return get_lang() or "zh_Hans_CN"
    except (RuntimeError, TypeError):  # outside a request (CLI, jobs): the portal's default language
        return tk.config.get("ckan.locale_default") or "zh_Hans_CN"


def _invalid(error: InvalidValue) -> tk.Invalid:
    return tk.Invalid(error.message(request_language()))


def _empty(value: Any) -> bool:
    return value is missing or value is None or value in ("", [])


def _wrap(check: Callable[[Any], Any], serialise: Callable[[Any], Any] = lambda v: v) -> Callable[[Any], Any]:
    """A CKAN validator from a catalogue check: empty values pass through (requiredness is the schema's job)."""

    def validator(value: Any) -> Any:
        if _empty(value):
            return value
        try:
            return serialise(check(value))
        except InvalidValue as error:
            raise _invalid(error) from None

    validator.__doc__ = check.__doc__
    return validator


hlj_uscc = _wrap(uscc.validate_uscc)
hlj_doc_number = _wrap(doc_number.normalise_doc_number)
hlj_date = _wrap(dates.parse_date, lambda d: d.isoformat())
hlj_datetime = _wrap(dates.parse_datetime, lambda d: d.isoformat())
hlj_phone = _wrap(contact.validate_phone)
hlj_email = _wrap(contact.validate_email)
hlj_region_code = _wrap(divisions.validate_region_code)
# Organisations include national bodies (国务院), coded 100000 by convention.
hlj_org_region_code = _wrap(lambda v: divisions.validate_region_code(v, allow_national=True))
hlj_basic_code = _wrap(service_codes.validate_basic_code)
hlj_handle_item_code = _wrap(service_codes.validate_handle_item_code)


def hlj_implementation_code(key: Any, data: dict, errors: dict, context: dict) -> None:
    """实施编码: must embed the implementing body's USCC when the dataset states it (field ``implementing_uscc``)."""
    value = data.get(key)
    if _empty(value):
        return
    expected = data.get(("implementing_uscc",))
    try:
        data[key] = service_codes.validate_implementation_code(value, None if _empty(expected) else expected)
    except InvalidValue as error:
        errors[key].append(error.message(request_language()))


@scheming_validator
def hlj_codelist(field: dict, schema: dict) -> Callable[[Any], Any]:
    """One value of the field's ``codelist``: its code, or its Chinese/English label or an alias, stored as code."""
    name = field["codelist"]
    return _wrap(lambda v: codelists.validate_choice(name, v))


@scheming_validator
def hlj_codelist_multiple(field: dict, schema: dict) -> Callable[[Any], Any]:
    """Several values of the field's ``codelist`` (a list, JSON list or 、/,-separated text), stored as a JSON list."""
    name = field["codelist"]

    def validator(value: Any) -> Any:
        if _empty(value):
            return value
        if isinstance(value, str) and value.startswith("["):
            try:
                value = json.loads(value)
            except ValueError:
                pass
        try:
            return json.dumps(codelists.validate_choices(name, value), ensure_ascii=False)
        except InvalidValue as error:
            raise _invalid(error) from None

    return validator


def hlj_required_when(other: str, *codes: str) -> Callable[..., None]:
    """Required when the code-list field ``other`` holds one of ``codes`` (e.g. a reason for 不予公开 items).

    ``other`` names both the field and its code list. Its value is compared as a code whether or not the field's
    own validators have run yet (a client may send the Chinese label).
    """
    info = codelists.codelist_info(other)
    for code in codes:
        codelists.choice(other, code)  # a typo in a schema fails at start-up, not at the first submission

    def validator(key: Any, data: dict, errors: dict, context: dict) -> None:
        if not _empty(data.get(key)):
            return
        try:
            current = codelists.validate_choice(other, data.get((other,)))
        except InvalidValue:
            return  # the other field reports its own error
        if current in codes:
            lang = request_language()
            value = codelists.label(other, current, lang)
            if lang.startswith("en"):
                errors[key].append(f"Required when {info.title('en')} is {value}")
            else:
                errors[key].append(f"{info.title_zh}为「{value}」时必须填写")

    return validator


def hlj_enforce_private(key: Any, data: dict, errors: dict, context: dict) -> None:
    """Force ``private`` on for records the law keeps out of public view (see ckanext.hlj.visibility) and for
    records not yet approved by the organisation's confidentiality review (see ckanext.hlj.review)."""
    values = {field: data.get((field,)) for field, _ in visibility.RESTRICTED}
    if visibility.restricting_reason(values) or review.next_status(data, context) != review.APPROVED:
        data[key] = True


def hlj_review_status(key: Any, data: dict, errors: dict, context: dict) -> None:
    """The record's review status: never taken from the client, only from the review actions (see review.py)."""
    data[key] = review.next_status(data, context)


def _message(zh: str, en: str) -> str:
    return en if request_language().startswith("en") else zh


def hlj_required_for_interpretation(key: Any, data: dict, errors: dict, context: dict) -> None:
    """An interpretation (政策解读) must name the document it interprets."""
    if data.get(("policy_role",)) == "interpretation" and _empty(data.get(key)):
        errors[key].append(
            _message("政策解读必须指明所解读的政策文件", "An interpretation must name its document")
        )


def hlj_policy_reference(value: Any, context: dict) -> Any:
    """The name or id of an existing policy document; stored as its name."""
    if _empty(value):
        return value
    from ckan import model  # noqa: PLC0415

    pkg = model.Package.get(value)
    if pkg is None or pkg.state != "active" or pkg.type != "policy":
        raise tk.Invalid(_message(f"找不到政策文件“{value}”", f"No policy document {value!r}"))
    if pkg.extras.get("policy_role") != "document":
        raise tk.Invalid(_message(f"“{value}”不是政策文件", f"{value!r} is not a policy document"))
    return pkg.name


def hlj_mark_reprint(key: Any, data: dict, errors: dict, context: dict) -> None:
    """A policy item is a reprint (转载) when the publishing organisation is not among its issuers."""
    from ckan import model  # noqa: PLC0415

    issuer = data.get(("issuer",)) or ""
    org = model.Group.get(data.get(("owner_org",)) or "")
    if org is None or not issuer:
        data[key] = False
        return
    names = [org.title, *[n for n in (org.extras.get("former_names") or "").split("；") if n]]
    data[key] = not any(name and name in issuer for name in names)


def hlj_organization_reference(value: Any, context: dict) -> Any:
    """The name or id of an existing organisation; stored as its name."""
    if _empty(value):
        return value
    from ckan import model  # noqa: PLC0415

    group = model.Group.get(value)
    if group is None or not group.is_organization or group.state != "active":
        raise tk.Invalid(_message(f"找不到机构“{value}”", f"No organisation {value!r}"))
    return group.name
