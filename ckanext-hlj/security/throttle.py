"""Login throttling and lock-out, counted in Redis so every web process of the portal shares the counts.

CKAN 2.12 checks a password as often as it is asked. Here each failed login (CKAN's ``failed_login`` signal: a
wrong password, an unknown or inactive account) is counted per account and client address and per account alone,
over a window of ``lockout_minutes``. At ``login_max_failures`` for the pair, that account is locked for that
address; at ``login_max_failures_per_account`` from all addresses together, for everyone. While locked, the login
form refuses every attempt — the right password too, or guessing would simply go on — with HTTP 429, a message in
the page's language and ``Retry-After``; the lock ends by itself. A successful login clears the pair's count.

An account is keyed by the user's id when the login (name or e-mail) names one, so name and e-mail count
together, else by the login as typed: unknown names are counted the same way, which tells a guesser nothing.
Keys hold a hash, not the login or the e-mail address.
"""

from __future__ import annotations

import hashlib
import logging
import math
from dataclasses import dataclass
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.redis import connect_to_redis

from ckanext.hlj.security import audit

log = logging.getLogger(__name__)

PAIR, ACCOUNT = "account+address", "account"


@dataclass(frozen=True)
class Lock:
    scope: str  # PAIR or ACCOUNT
    seconds: int  # until it ends (rounded up)


def max_failures() -> int:
    return tk.config.get("ckanext.hlj.security.login_max_failures")


def max_failures_per_account() -> int:
    return tk.config.get("ckanext.hlj.security.login_max_failures_per_account")


def window_ms() -> int:
    return max(1, int(tk.config.get("ckanext.hlj.security.lockout_minutes") * 60_000))


def client_address() -> str:
    """The client's address: the connection's, or with ``trusted_proxies`` the entry that many from the right
    end of X-Forwarded-For (what the nearest trusted proxy saw)."""
    request = tk.request
    proxies = tk.config.get("ckanext.hlj.security.trusted_proxies")
    if proxies > 0:
        forwarded = [
            part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",") if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.remote_addr or "unknown"


def _user_for(login: str) -> model.User | None:
    login = (login or "").strip()
    if not login:
        return None
    return model.User.by_name(login) or model.User.by_email(login)


def _account(login: str) -> tuple[str, model.User | None]:
    user = _user_for(login)
    ident = user.id if user else (login or "").strip().lower()
    return hashlib.sha256(ident.encode("utf-8")).hexdigest()[:32], user


def _address(address: str) -> str:
    return hashlib.sha256(address.encode("utf-8")).hexdigest()[:16]


def _prefix() -> str:
    # A Redis shared by several portals keeps their counts apart.
    return f"hlj:security:login:{tk.config.get('ckan.site_id')}"


def _keys(account: str, address: str) -> dict[str, str]:
    prefix, addr = _prefix(), _address(address)
    return {
        "pair_failures": f"{prefix}:failures:{account}:{addr}",
        "account_failures": f"{prefix}:failures:{account}",
        "pair_lock": f"{prefix}:lock:{account}:{addr}",
        "account_lock": f"{prefix}:lock:{account}",
    }


def lock_for(login: str, address: str) -> Lock | None:
    """The lock that refuses this login from this address now, if any (the longer one when both apply)."""
    account, _user = _account(login)
    keys = _keys(account, address)
    redis = connect_to_redis()
    pair_ms, account_ms = redis.pttl(keys["pair_lock"]), redis.pttl(keys["account_lock"])
    best: Lock | None = None
    for scope, remaining in ((PAIR, pair_ms), (ACCOUNT, account_ms)):
        if remaining is not None and remaining > 0 and (best is None or remaining / 1000 > best.seconds):
            best = Lock(scope, math.ceil(remaining / 1000))
    return best


def _count(redis: Any, key: str, window: int) -> int:
    # The window starts at the first failure (SET NX with its expiry); INCR keeps the expiry.
    pipe = redis.pipeline()
    pipe.set(key, 0, px=window, nx=True)
    pipe.incr(key)
    return int(pipe.execute()[1])


def record_failure(login: str, address: str) -> Lock | None:
    """Count a failed login; lock the pair or the account when it reaches its limit. Returns the new lock."""
    account, user = _account(login)
    keys = _keys(account, address)
    redis = connect_to_redis()
    window = window_ms()
    pair_count = _count(redis, keys["pair_failures"], window)
    account_count = _count(redis, keys["account_failures"], window)
    lock = None
    per_account = max_failures_per_account()
    if per_account > 0 and account_count >= per_account:
        redis.set(keys["account_lock"], 1, px=window)
        redis.delete(keys["account_failures"])
        lock = Lock(ACCOUNT, math.ceil(window / 1000))
        failures = account_count
    elif pair_count >= max_failures():
        redis.set(keys["pair_lock"], 1, px=window)
        lock = Lock(PAIR, math.ceil(window / 1000))
        failures = pair_count
    if lock is not None:
        # After the lock, the pair starts afresh with a full allowance.
        redis.delete(keys["pair_failures"])
        log.warning(
            "login locked out (%s) for %s from %s after %d failures",
            lock.scope,
            user.name if user else "an unknown account",
            address,
            failures,
        )
        audit.record(
            "login_lockout",
            actor=None,
            actor_name=user.name if user else (login or "")[:100],
            target_id=user.id if user else None,
            client_ip=address,
            payload={"scope": lock.scope, "failures": failures, "minutes": window / 60_000},
        )
    return lock


def record_success(user: model.User, address: str) -> None:
    """A successful login clears its account+address count. The per-account count stays: a success from one
    place says nothing about guesses from others."""
    account = hashlib.sha256(user.id.encode("utf-8")).hexdigest()[:32]
    connect_to_redis().delete(_keys(account, address)["pair_failures"])


def message(lock: Lock, lang: str) -> str:
    minutes = max(1, math.ceil(lock.seconds / 60))
    if lang == "en":
        return (
            f"Too many failed login attempts: this account is locked"
            f"{' from your address' if lock.scope == PAIR else ''}. Try again in {minutes} minute(s)."
        )
    where = "对您当前的网络地址" if lock.scope == PAIR else ""
    return f"登录失败次数过多，该账户已{where}暂时锁定，请在 {minutes} 分钟后重试。"
