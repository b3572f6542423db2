"""Login throttling and lock-out, and API tokens that expire (ckanext.hlj.security.throttle and .tokens), through
CKAN's real login form, action API and Redis."""

from __future__ import annotations

import time

import jwt
import pytest
from ckan import model
from ckan.lib import api_token, authenticator
from ckan.lib.redis import connect_to_redis
from ckan.tests import factories
from ckan.tests.helpers import call_action

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

PASSWORD = "Right-Passw0rd-2024"
WRONG = "wrong-password-123"


@pytest.fixture(autouse=True)
def no_login_counts():
    """Counts live in the real Redis; tests start without any."""
    redis = connect_to_redis()
    for key in redis.scan_iter("hlj:security:login:*"):
        redis.delete(key)
    yield


@pytest.fixture
def user():
    return factories.User(password=PASSWORD, email="zhang.san@hlj.test")


def attempt(app, login: str, password: str, address: str = "10.1.1.1", *, prefix: str = "", headers=None):
    """A login through the form in a fresh browser (no session); returns (logged in?, the response)."""
    app.client = app.test_client()
    response = app.post(
        f"{prefix}/user/login",
        data={"login": login, "password": password},
        extra_environ={"REMOTE_ADDR": address},
        headers=headers or {},
    )
    logged_in = response.status_code == 200 and not response.request.path.endswith("/user/login")
    return logged_in, response


def fail(app, login: str, times: int, address: str = "10.1.1.1", **kwargs) -> None:
    for _ in range(times):
        ok, response = attempt(app, login, WRONG, address, **kwargs)
        assert not ok and response.status_code == 200, (
            "a wrong password is an ordinary failure until the limit"
        )


def test_after_five_failures_even_the_right_password_is_refused_from_that_address(app, user):
    assert attempt(app, user["name"], PASSWORD)[0], "the right password works"
    fail(app, user["name"], 5)

    ok, response = attempt(app, user["name"], PASSWORD)

    assert not ok and response.status_code == 429
    assert "登录失败次数过多" in response.body and "分钟后重试" in response.body
    assert 0 < int(response.headers["Retry-After"]) <= 15 * 60
    # The lock is for this account from this address: the owner elsewhere still gets in, other accounts too.
    assert attempt(app, user["name"], PASSWORD, address="10.2.2.2")[0]
    other = factories.User(password=PASSWORD)
    assert attempt(app, other["name"], PASSWORD)[0]
    # Every other password check (the account form's old password) is refused as well while locked.
    with app.flask_app.test_request_context(environ_base={"REMOTE_ADDR": "10.1.1.1"}):
        checked = authenticator.ckan_authenticator({"login": user["name"], "password": PASSWORD})
    assert not isinstance(checked, model.User)


def test_name_and_email_count_together_and_the_lock_out_is_audited(app, user):
    fail(app, user["name"], 3)
    fail(app, user["email"], 2)

    assert attempt(app, user["email"], PASSWORD)[1].status_code == 429
    entries = call_action("hlj_audit_log_list", action="login_lockout")
    assert len(entries) == 1
    assert entries[0]["actor_name"] == user["name"] and entries[0]["target_id"] == user["id"]
    assert entries[0]["client_ip"] == "10.1.1.1" and entries[0]["payload"]["failures"] == 5
    assert PASSWORD not in str(entries) and WRONG not in str(entries)


def test_a_successful_login_resets_the_count(app, user):
    fail(app, user["name"], 4)
    assert attempt(app, user["name"], PASSWORD)[0]
    fail(app, user["name"], 4)
    assert attempt(app, user["name"], PASSWORD)[0], "four failures after a success do not lock"


@pytest.mark.ckan_config("ckanext.hlj.security.lockout_minutes", "0.03")
def test_the_lock_ends_with_its_window(app, user):
    fail(app, user["name"], 5)
    assert attempt(app, user["name"], PASSWORD)[1].status_code == 429
    time.sleep(2.2)
    assert attempt(app, user["name"], PASSWORD)[0]


@pytest.mark.ckan_config("ckanext.hlj.security.login_max_failures_per_account", "6")
def test_guessing_from_many_addresses_locks_the_account_for_everyone(app, user):
    fail(app, user["name"], 3, address="10.0.0.1")
    fail(app, user["name"], 3, address="10.0.0.2")

    ok, response = attempt(app, user["name"], PASSWORD, address="10.0.0.3")

    assert not ok and response.status_code == 429
    assert "对您当前的网络地址" not in response.body, "the account itself is locked"


def test_unknown_accounts_are_throttled_the_same_way(app):
    fail(app, "no-such-user", 5)
    assert attempt(app, "no-such-user", WRONG)[1].status_code == 429


def test_the_message_is_english_under_en(app, user):
    fail(app, user["name"], 5)
    _ok, response = attempt(app, user["name"], PASSWORD, prefix="/en")
    assert response.status_code == 429 and "Too many failed login attempts" in response.body


def test_a_forged_forwarded_for_header_does_not_escape_the_count(app, user):
    for n in range(5):
        attempt(app, user["name"], WRONG, headers={"X-Forwarded-For": f"192.0.2.{n}"})
    assert (
        attempt(app, user["name"], PASSWORD, headers={"X-Forwarded-For": "192.0.2.99"})[1].status_code == 429
    )


@pytest.mark.ckan_config("ckanext.hlj.security.trusted_proxies", "1")
def test_behind_a_trusted_proxy_the_forwarded_address_counts(app, user):
    proxy = "172.16.0.1"
    fail(app, user["name"], 5, address=proxy, headers={"X-Forwarded-For": "198.51.100.7"})
    assert (
        attempt(app, user["name"], PASSWORD, proxy, headers={"X-Forwarded-For": "198.51.100.7"})[
            1
        ].status_code
        == 429
    )
    assert attempt(app, user["name"], PASSWORD, proxy, headers={"X-Forwarded-For": "198.51.100.8"})[0]


# --- API tokens -------------------------------------------------------------------------------------------------


def claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def own_tokens_status(app, user: dict, token: str) -> int:
    """Listing one's own tokens needs to be that user: 200 with a working token, 403 without."""
    return app.get(
        f"/api/3/action/api_token_list?user_id={user['name']}", headers={"Authorization": token}
    ).status_code


def test_a_token_without_expiry_gets_the_default_lifetime(user):
    created = call_action(
        "api_token_create", context={"user": user["name"]}, user=user["name"], name="script"
    )

    data = claims(created["token"])
    assert data["exp"] - data["iat"] == pytest.approx(30 * 86400, abs=5), "expire_api_token.default_lifetime"
    stored = model.ApiToken.get(data["jti"]).plugin_extras["expire_api_token"][
        "exp"
    ]  # shown on the token page
    assert stored.startswith(time.strftime("%Y", time.gmtime(data["exp"])))


def test_a_token_longer_than_the_maximum_is_refused(user):
    context = {"user": user["name"]}
    with pytest.raises(Exception, match="不得超过 90 天") as raised:
        call_action(
            "api_token_create", context=context, user=user["name"], name="long", expires_in=91, unit=86400
        )
    assert type(raised.value).__name__ == "ValidationError"
    created = call_action(
        "api_token_create", context=context, user=user["name"], name="ok", expires_in=90, unit=86400
    )
    data = claims(created["token"])
    assert data["exp"] - data["iat"] == pytest.approx(90 * 86400, abs=5)


def test_an_expired_token_is_refused(app, user):
    created = call_action(
        "api_token_create",
        context={"user": user["name"]},
        user=user["name"],
        name="brief",
        expires_in=2,
        unit=1,
    )
    assert own_tokens_status(app, user, created["token"]) == 200
    time.sleep(3.1)
    assert own_tokens_status(app, user, created["token"]) == 403


def test_a_token_from_before_expiry_was_enforced_stops_at_issue_time_plus_the_maximum(app, user):
    created = call_action("api_token_create", context={"user": user["name"]}, user=user["name"], name="old")
    data = claims(created["token"])
    # Tokens signed with the portal's key as CKAN signs them, for the same (existing) token row.
    recent = {"jti": data["jti"], "iat": data["iat"]}  # no exp: what CKAN issued without expire_api_token
    assert own_tokens_status(app, user, api_token.encode(recent)) == 200
    ancient = {"jti": data["jti"], "iat": data["iat"] - 91 * 86400}
    assert own_tokens_status(app, user, api_token.encode(ancient)) == 403
    too_long = {"jti": data["jti"], "iat": data["iat"] - 91 * 86400, "exp": data["iat"] + 86400}
    assert own_tokens_status(app, user, api_token.encode(too_long)) == 403
