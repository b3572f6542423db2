"""API tokens that expire, with a ceiling on how long.

CKAN's ``expire_api_token`` plugin (enabled in ``config/common.ini``) writes an ``exp`` claim into every new token
and PyJWT refuses a token past it. Three gaps are closed here, as an ``IApiToken`` implementation listed after it:

- it requires ``expires_in`` and ``unit`` on every ``api_token_create``, which breaks callers that never sent
  them (``ckan user token add``, ``hlj demo sysadmin``); here they are optional, and a token without them gets
  ``expire_api_token.default_lifetime``;
- nothing bounds the lifetime asked for: ``ckanext.hlj.security.api_token_max_lifetime`` is the ceiling, a longer
  request is a validation error and no token is issued with a later expiry;
- tokens issued before expiry was enforced carry no ``exp`` and would work for ever: every token stops working
  at its issue time (``iat``) plus the ceiling, whatever it says.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

log = logging.getLogger(__name__)


def max_lifetime() -> int:
    return tk.config.get("ckanext.hlj.security.api_token_max_lifetime")


def _now() -> int:
    return int(dt.datetime.now(dt.UTC).timestamp())


def _lifetime_within_limit(key: Any, data: dict[Any, Any], errors: dict[Any, Any], context: Any) -> None:
    """Whole-schema check (``__after``): the lifetime asked for, ``expires_in`` × ``unit`` seconds, is at most the
    ceiling. ``unit`` defaults to seconds when only ``expires_in`` is given."""
    expires_in = data.get(("expires_in",))
    if expires_in in (None, "", tk.missing) or errors.get(("expires_in",)) or errors.get(("unit",)):
        return
    unit = data.get(("unit",))
    if unit in (None, "", tk.missing):
        unit = data[("unit",)] = 1
    limit = max_lifetime()
    if int(expires_in) * int(unit) > limit:
        days = limit / 86400
        errors.setdefault(("expires_in",), []).append(
            f"API 令牌有效期不得超过 {days:g} 天（{limit} 秒） / "
            f"An API token may not live longer than {days:g} days ({limit} seconds)"
        )


def create_schema(schema: dict[str, Any]) -> dict[str, Any]:
    ignore_missing = tk.get_validator("ignore_missing")
    positive = tk.get_validator("is_positive_integer")
    schema["expires_in"] = [ignore_missing, positive]
    schema["unit"] = [ignore_missing, positive]
    schema.setdefault("__after", []).append(_lifetime_within_limit)
    return schema


def cap_expiry(data: dict[str, Any], jti: str) -> dict[str, Any]:
    """After ``expire_api_token`` set ``exp``: no later than issue time + ceiling (the default lifetime may be
    configured longer), and the stored expiry shown on the token page says the same."""
    issued = data.get("iat") or _now()
    ceiling = issued + max_lifetime()
    if data.get("exp") is None or data["exp"] > ceiling:
        data["exp"] = ceiling
        token = model.ApiToken.get(jti)
        if token is not None:
            expires = dt.datetime.fromtimestamp(ceiling, dt.UTC).replace(tzinfo=None)
            token.set_extra("expire_api_token", {"exp": expires.isoformat()}, True)
    return data


def check_expiry(data: dict[str, Any] | None) -> dict[str, Any] | None:
    """A decoded token's claims, or None (refused) when it is past its expiry or its issue time + ceiling."""
    if not data:
        return data
    limits = [value for value in (data.get("exp"),) if value is not None]
    if data.get("iat") is not None:
        limits.append(data["iat"] + max_lifetime())
    if not limits or min(limits) <= _now():
        log.info("refused an expired API token (jti %s)", data.get("jti"))
        return None
    return data
