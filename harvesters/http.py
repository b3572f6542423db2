"""The one way our harvesters fetch anything over the network.

Department websites, the credit system and city CKAN portals are fetched through :class:`Fetcher`, which
enforces a :class:`FetchPolicy`:

* only ``http``/``https``, only hosts on the allow-list (``*.gov.cn`` by default plus a source's own hosts);
* every address the host resolves to must be public (no loopback, private, link-local, multicast, reserved,
  unspecified or IPv4-mapped private address) unless it lies in ``allowed_networks``; the check is repeated
  at every redirect hop, which we follow ourselves;
* connect and read timeouts on every request, a size cap on every body, a minimum interval between two
  requests to one host (process-wide), and bounded retries with exponential backoff for 5xx (except 501), 429,
  timeouts and connection errors -- never for other 4xx and never for a policy refusal.

DNS rebinding: checking a host's addresses and then letting the HTTP library resolve the name again would let a
hostile DNS server answer "public" to the check and "127.0.0.1" to the connection. Without a proxy we close
that gap: the sessions we build use an adapter whose connections resolve the name once, check every address
and connect to a checked address themselves, while TLS still sends the host name (SNI) and verifies the
certificate against it and the ``Host`` header still names the host. With ``ckan.download_proxy`` set, the
target's addresses are still checked here, but the proxy resolves the name again on its own: that residual
gap can only be closed by the proxy's own rules (e.g. a squid ACL denying private destinations).

Errors are :class:`FetchError` (and its subclasses :class:`FetchRefused` and :class:`TooLarge`) with a
Chinese and an English message, like :class:`ckanext.hlj.catalogue.errors.InvalidValue`: ``str(err)`` is
Chinese, ``err.message("en")`` is English.
"""

from __future__ import annotations

import email.utils
import ipaddress
import logging
import random
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import idna
import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from urllib3 import PoolManager
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError
from urllib3.util import connection as urllib3_connection
from urllib3.util import parse_url

log = logging.getLogger(__name__)

MiB = 1024 * 1024
DEFAULT_ALLOWED_HOSTS = ("*.gov.cn",)
DEFAULT_USER_AGENT = "ckanext-hlj harvester"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
DEFAULT_PORTS = {"http": 80, "https": 443}
# Headers that must not follow a redirect to another host.
CREDENTIAL_HEADERS = ("Authorization", "Cookie", "Proxy-Authorization")
CHUNK_SIZE = 64 * 1024

ADDRESS_KINDS_ZH = {
    "unspecified": "未指定",
    "loopback": "回环",
    "link-local": "链路本地",
    "multicast": "组播",
    "private": "内网",
    "reserved": "保留",
    "site-local": "站点本地",
    "non-public": "非公网",
}

WRAPPERS_ZH = {"IPv4-mapped": "IPv4 映射的", "NAT64": "NAT64 内嵌的", "6to4": "6to4 内嵌的"}

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], list[str]]

_NAT64 = ipaddress.ip_network("64:ff9b::/96")


# --------------------------------------------------------------------------------------------------- errors


class FetchError(Exception):
    """A fetch that failed: ``url``, the last HTTP ``status`` (or ``None``), a short English ``reason`` and the
    number of ``attempts`` made; ``message(lang)`` gives the Chinese or English sentence for people."""

    code = "fetch_failed"

    def __init__(
        self,
        url: str,
        reason: str,
        *,
        status: int | None = None,
        attempts: int = 0,
        zh: str | None = None,
        en: str | None = None,
    ):
        self.url = url
        self.reason = reason
        self.status = status
        self.attempts = attempts
        self.en = en or f"Could not fetch {url}: {reason}."
        self.zh = zh or f"无法获取 {url}：{reason}。"
        super().__init__(self.zh)

    def message(self, lang: str | None = "zh_Hans_CN") -> str:
        """The message in ``lang``: English for any ``en*`` locale, Chinese otherwise."""
        return self.en if (lang or "").lower().startswith("en") else self.zh

    def __reduce__(self):
        return (_restore_error, (type(self), self.__dict__.copy()))

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(url={self.url!r}, reason={self.reason!r}, status={self.status!r}, "
            f"attempts={self.attempts!r})"
        )


class FetchRefused(FetchError):
    """The policy said no (scheme, host or address): never retried, nothing was sent to the host."""

    code = "fetch_refused"


class TooLarge(FetchError):
    """The body is (or announced itself as) larger than the policy's ``max_bytes``."""

    code = "too_large"


def _restore_error(cls: type[FetchError], state: dict[str, Any]) -> FetchError:
    err = cls.__new__(cls)
    Exception.__init__(err, state.get("zh", ""))
    err.__dict__.update(state)
    return err


class _Transient(Exception):
    """An attempt failed in a way worth retrying (5xx, 429, timeout, connection error)."""

    def __init__(self, en: str, zh: str, *, status: int | None = None, retry_after: float | None = None):
        super().__init__(en)
        self.en = en
        self.zh = zh
        self.status = status
        self.retry_after = retry_after


# ------------------------------------------------------------------------------------- hosts and addresses


def normalize_host(host: str) -> str:
    """Lower case, no trailing dot, no IPv6 brackets, internationalised labels in their ``xn--`` form."""
    host = host.strip().strip("[]").rstrip(".").lower()
    if host and not host.isascii():
        try:  # the same IDNA 2008 / UTS 46 encoding requests applies to the URL
            host = idna.encode(host, uts46=True).decode("ascii")
        except (idna.IDNAError, UnicodeError):
            pass
    return host


def _split_pattern(pattern: str) -> tuple[str, int | None]:
    pattern = pattern.strip()
    if pattern.startswith("["):  # [v6]:port or [v6]
        host, _, rest = pattern[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
    elif pattern.count(":") == 1:
        host, port = pattern.split(":")
    else:  # a plain name or a bare IPv6 address
        host, port = pattern, ""
    if port and not port.isdigit():
        raise ValueError(f"invalid port in allowed host pattern {pattern!r}")
    return normalize_host(host), int(port) if port else None


def host_matches(host: str, pattern: str, port: int | None = None) -> bool:
    """Whether ``host`` (and ``port``) matches an allow-list ``pattern``.

    ``*.gov.cn`` matches ``gov.cn`` and any name ending in ``.gov.cn`` (not ``evilgov.cn``, not
    ``gov.cn.evil.com``); any other pattern matches that exact host. A pattern with ``:port`` matches only that
    port; without one, any port.
    """
    name, wanted_port = _split_pattern(pattern)
    if wanted_port is not None and port != wanted_port:
        return False
    host = normalize_host(host)
    if name.startswith("*."):
        suffix = name[2:]
        return bool(suffix) and (host == suffix or host.endswith("." + suffix))
    return host == name


def classify_address(
    address: str | IPAddress, allowed_networks: Iterable[str | IPNetwork] = ()
) -> str | None:
    """``None`` when ``address`` may be fetched, else the kind of address that forbids it (``"loopback"``,
    ``"private"``, ``"link-local"``, ``"multicast"``, ``"reserved"``, ``"unspecified"``, ``"site-local"``,
    ``"non-public"``, prefixed ``"IPv4-mapped "`` etc. for a private IPv4 address inside an IPv6 one).

    An address inside one of ``allowed_networks`` (or whose embedded IPv4 address is) is always allowed.
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0] if isinstance(address, str) else address)
    networks = [
        n if not isinstance(n, str) else ipaddress.ip_network(n, strict=False) for n in allowed_networks
    ]
    embedded, wrapper = _embedded_ipv4(ip)
    candidates = [ip] + ([embedded] if embedded is not None else [])
    if any(c.version == n.version and c in n for c in candidates for n in networks):
        return None
    if embedded is not None:
        kind = _kind(embedded)
        return f"{wrapper} {kind}" if kind else None
    return _kind(ip)


def _embedded_ipv4(ip: IPAddress) -> tuple[ipaddress.IPv4Address | None, str]:
    if ip.version != 6:
        return None, ""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped, "IPv4-mapped"
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF), "NAT64"
    if ip.sixtofour is not None:
        return ip.sixtofour, "6to4"
    return None, ""


def _kind(ip: IPAddress) -> str | None:
    checks = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        ("site-local", ip.version == 6 and ip.is_site_local),
        ("non-public", not ip.is_global),
    )
    return next((kind for kind, hit in checks if hit), None)


def _kind_zh(kind: str) -> str:
    wrapper, _, base = kind.rpartition(" ")
    zh = ADDRESS_KINDS_ZH.get(base, base)
    return f"{WRAPPERS_ZH.get(wrapper, wrapper)}{zh}" if wrapper else zh


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (``socket.getaddrinfo``), in the resolver's order, no duplicates."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


# -------------------------------------------------------------------------------------------------- policy


def _words(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(value.split())
    return tuple(str(v).strip() for v in value if str(v).strip())


@dataclass(frozen=True)
class FetchPolicy:
    """What a :class:`Fetcher` may fetch and how politely. All durations are in seconds."""

    allowed_hosts: tuple[str, ...] = DEFAULT_ALLOWED_HOSTS
    allowed_networks: tuple[str, ...] = ()
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    retries: int = 3
    backoff: float = 1.0
    backoff_cap: float = 30.0
    max_bytes: int = 20 * MiB
    host_interval: float = 1.0
    proxy: str | None = None
    user_agent: str = DEFAULT_USER_AGENT
    max_redirects: int = 5
    # Upper bound on one attempt's body download: read_timeout limits each socket read only, so a server
    # dripping a byte every few seconds could otherwise hold a harvest for ever.
    total_timeout: float | None = 300.0
    # A CA bundle to verify TLS against instead of certifi's (some provincial sites chain to roots certifi
    # lacks). Verification itself can never be switched off.
    ca_bundle: str | None = None
    networks: tuple[IPNetwork, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        set_ = object.__setattr__
        set_(self, "allowed_hosts", _words(self.allowed_hosts))
        set_(self, "allowed_networks", _words(self.allowed_networks))
        for pattern in self.allowed_hosts:
            _split_pattern(pattern)  # raises ValueError on a bad port
        set_(self, "networks", tuple(ipaddress.ip_network(n, strict=False) for n in self.allowed_networks))
        for name in ("connect_timeout", "read_timeout", "backoff", "backoff_cap", "host_interval"):
            if getattr(self, name) < 0:
                raise ValueError(f"FetchPolicy.{name} must not be negative")
        if self.retries < 0 or self.max_bytes <= 0 or self.max_redirects < 0:
            raise ValueError("FetchPolicy.retries and max_redirects must be >= 0, max_bytes > 0")
        if self.proxy is not None and not self.proxy.strip():
            set_(self, "proxy", None)

    @classmethod
    def from_config(cls, config: Mapping[str, Any], extra_hosts: Iterable[str] | str = ()) -> FetchPolicy:
        """The policy the CKAN ``config`` describes (``ckanext.hlj.harvest.*`` and ``ckan.download_proxy``),
        with a harvest source's own ``extra_hosts`` added to the allow-list."""

        def get(key: str) -> Any:
            value = config.get(key)
            return None if value is None or (isinstance(value, str) and not value.strip()) else value

        def number(key: str, default: float, kind: type = float) -> Any:
            value = get(key)
            if value is None:
                return kind(default)
            try:
                parsed = kind(float(value)) if kind is int else kind(value)
            except (TypeError, ValueError):
                raise ValueError(f"{key} must be a number, got {value!r}") from None
            if parsed < 0:
                raise ValueError(f"{key} must not be negative, got {value!r}")
            return parsed

        hosts_value = config.get("ckanext.hlj.harvest.allowed_hosts")
        hosts = DEFAULT_ALLOWED_HOSTS if hosts_value is None else _words(hosts_value)
        hosts = tuple(dict.fromkeys((*hosts, *_words(extra_hosts))))
        site_url = get("ckan.site_url")
        return cls(
            allowed_hosts=hosts,
            allowed_networks=_words(config.get("ckanext.hlj.harvest.allowed_networks")),
            connect_timeout=number("ckanext.hlj.harvest.connect_timeout", cls.connect_timeout),
            read_timeout=number("ckanext.hlj.harvest.read_timeout", cls.read_timeout),
            retries=number("ckanext.hlj.harvest.retries", cls.retries, int),
            max_bytes=number("ckanext.hlj.harvest.max_bytes", cls.max_bytes, int),
            host_interval=number("ckanext.hlj.harvest.host_interval", cls.host_interval),
            backoff=number("ckanext.hlj.harvest.backoff", cls.backoff),
            proxy=get("ckan.download_proxy"),
            user_agent=f"{DEFAULT_USER_AGENT} (+{site_url})" if site_url else DEFAULT_USER_AGENT,
        )

    def host_allowed(self, host: str, port: int | None = None) -> bool:
        return any(host_matches(host, pattern, port) for pattern in self.allowed_hosts)


# ------------------------------------------------------------------------------------------- rate limiting


class HostClock:
    """Spaces requests to one host at least ``interval`` seconds apart, across threads (one per process)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._last: dict[str, float] = {}

    def wait(self, host: str, interval: float) -> float:
        """Block until a request to ``host`` may start; returns the seconds waited."""
        host = normalize_host(host)
        with self._lock:
            now = time.monotonic()
            last = self._last.get(host)
            slot = now if last is None else max(now, last + interval)
            self._last[host] = slot  # reserve the slot so concurrent callers queue behind it
        delay = slot - now
        if delay > 0:
            log.debug("waiting %.2fs before the next request to %s", delay, host)
            time.sleep(delay)
        return max(delay, 0.0)

    def reset(self) -> None:
        with self._lock:
            self._last.clear()


HOST_CLOCK = HostClock()


# ------------------------------------------------------------------------------------- pinned connections


class _CheckedConnectionMixin:
    """Resolves the host once, has every address checked, then connects to a checked address.

    ``self.host`` is untouched, so the ``Host`` header, TLS SNI and certificate verification use the name.
    """

    def __init__(self, *args: Any, hlj_guard: Callable[[str, int], list[str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._hlj_guard = hlj_guard

    def _new_conn(self) -> socket.socket:
        try:
            addresses = self._hlj_guard(self._dns_host, self.port)
        except socket.gaierror as e:
            raise NameResolutionError(self.host, self, e) from e
        error: Exception | None = None
        for address in addresses:
            try:
                return urllib3_connection.create_connection(
                    (address, self.port),
                    self.timeout,
                    source_address=self.source_address,
                    socket_options=self.socket_options,
                )
            except TimeoutError:
                error = ConnectTimeoutError(
                    self, f"Connection to {self.host} ({address}) timed out. (connect timeout={self.timeout})"
                )
            except OSError as e:
                error = NewConnectionError(self, f"Failed to establish a new connection to {address}: {e}")
        raise error or NewConnectionError(self, f"{self.host} resolved to no address")


class _CheckedHTTPConnection(_CheckedConnectionMixin, HTTPConnection):
    pass


class _CheckedHTTPSConnection(_CheckedConnectionMixin, HTTPSConnection):
    pass


class _CheckedPoolManager(PoolManager):
    def __init__(self, *args: Any, hlj_guard: Callable[[str, int], list[str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._hlj_guard = hlj_guard

    def _new_pool(self, scheme, host, port, request_context=None):
        pool = super()._new_pool(scheme, host, port, request_context)
        pool.ConnectionCls = _CheckedHTTPSConnection if scheme == "https" else _CheckedHTTPConnection
        pool.conn_kw["hlj_guard"] = self._hlj_guard
        return pool


class CheckedAdapter(HTTPAdapter):
    """A requests adapter whose direct connections go only to addresses ``guard(host, port)`` returned.

    Proxied requests use requests' own proxy manager: they connect to the proxy, which is not checked (it is
    the administrator's ``ckan.download_proxy``, often on a private network).
    """

    def __init__(self, guard: Callable[[str, int], list[str]], **kwargs: Any):
        self._hlj_guard = guard
        super().__init__(**kwargs)

    def init_poolmanager(self, connections, maxsize, block=False, **pool_kwargs):
        self._pool_connections = connections
        self._pool_maxsize = maxsize
        self._pool_block = block
        self.poolmanager = _CheckedPoolManager(
            num_pools=connections, maxsize=maxsize, block=block, hlj_guard=self._hlj_guard, **pool_kwargs
        )


# ------------------------------------------------------------------------------------------------ fetching


@dataclass(frozen=True)
class Response:
    """One fetched document: the ``url`` after redirects, its ``status``, ``headers`` (case-insensitive) and
    ``content``; ``elapsed`` seconds for the whole fetch (waits and retries included) and the ``attempts``
    it took. A ``304 Not Modified`` answer to a conditional request has empty content."""

    url: str
    status: int
    headers: CaseInsensitiveDict
    content: bytes = field(repr=False)
    elapsed: float
    attempts: int
    redirects: tuple[str, ...] = ()

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str | None:
        return self.headers.get("ETag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("Last-Modified")

    @property
    def content_type(self) -> str | None:
        """The media type without parameters, lower case (``text/html``), or ``None``."""
        value = self.headers.get("Content-Type")
        return (value.split(";", 1)[0].strip().lower() or None) if value else None

    @property
    def charset(self) -> str | None:
        """The ``charset`` parameter of Content-Type as sent (it may be wrong), or ``None``."""
        for param in (self.headers.get("Content-Type") or "").split(";")[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "charset" and value.strip().strip("\"'"):
                return value.strip().strip("\"'")
        return None


@dataclass
class _Hop:
    url: str
    status: int
    headers: CaseInsensitiveDict
    content: bytes = b""
    location: str | None = None


def _http_date(value: str | datetime) -> str:
    if isinstance(value, str):
        return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return email.utils.format_datetime(value.astimezone(UTC), usegmt=True)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date), or ``None``."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class Fetcher:
    """Fetches URLs under a :class:`FetchPolicy`. Not thread-safe (one per harvest job / thread); the per-host
    interval is shared process-wide through :data:`HOST_CLOCK` whatever the number of fetchers.

    Without ``session`` the fetcher builds one that ignores proxy environment variables and ``.netrc`` and
    connects only to checked addresses (see the module docstring). A ``session`` passed in is used as it is
    (its adapters are not replaced): its requests are still checked before they are sent and at every redirect.
    """

    def __init__(
        self,
        policy: FetchPolicy,
        session: requests.Session | None = None,
        *,
        resolver: Resolver | None = None,
        clock: HostClock | None = None,
    ):
        self.policy = policy
        self.resolver = resolver or system_resolver
        self.clock = clock or HOST_CLOCK
        self._url = threading.local()
        self._own_session = session is None
        if session is None:
            session = requests.Session()
            session.trust_env = False
            adapter = CheckedAdapter(self._connection_guard)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
        self.session = session
        self._proxies = {"http": policy.proxy, "https": policy.proxy} if policy.proxy else {}

    def close(self) -> None:
        if self._own_session:
            self.session.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- checks

    def _connection_guard(self, host: str, port: int) -> list[str]:
        return self._guard(host, port, getattr(self._url, "current", None))

    def _guard(self, host: str, port: int, url: str | None = None) -> list[str]:
        """The checked addresses of ``host``: raises FetchRefused if the host or any address is not allowed,
        ``socket.gaierror`` if the name does not resolve."""
        url = url or f"//{host}:{port}"
        if not self.policy.host_allowed(host, port):
            raise FetchRefused(
                url,
                f"host {host} is not on the allow-list",
                en=(
                    f"Refused to fetch {url}: host {host} is not on the harvest allow-list "
                    "(ckanext.hlj.harvest.allowed_hosts or the harvest source's own hosts)."
                ),
                zh=(
                    f"拒绝获取 {url}：主机 {host} 不在采集白名单中"
                    "（ckanext.hlj.harvest.allowed_hosts 或采集源自己配置的主机）。"
                ),
            )
        addresses = self.resolver(normalize_host(host), port)
        if not addresses:
            raise socket.gaierror(socket.EAI_NONAME, f"{host} resolved to no address")
        for address in addresses:
            kind = classify_address(address, self.policy.networks)
            if kind:
                log.warning("refused %s: %s resolves to %s address %s", url, host, kind, address)
                raise FetchRefused(
                    url,
                    f"{host} resolves to {kind} address {address}",
                    en=(
                        f"Refused to fetch {url}: {host} resolves to {address}, a {kind} address; only public "
                        "addresses may be fetched unless ckanext.hlj.harvest.allowed_networks includes it."
                    ),
                    zh=(
                        f"拒绝获取 {url}：{host} 解析到{_kind_zh(kind)}地址 {address}；"
                        "除非 ckanext.hlj.harvest.allowed_networks 允许，只能获取公网地址。"
                    ),
                )
        return addresses

    def check_url(self, url: str) -> tuple[str, int]:
        """Refuse (FetchRefused) a URL the policy forbids; returns its (host, port). Resolves the host."""
        scheme = urlsplit(url).scheme.lower()
        if scheme not in DEFAULT_PORTS:
            raise FetchRefused(
                url,
                f"scheme {scheme or '(none)'} is not allowed",
                en=f"Refused to fetch {url}: only http and https URLs may be fetched (got {scheme or 'none'!r}).",
                zh=f"拒绝获取 {url}：只允许 http 和 https 地址（收到的是“{scheme or '无'}”）。",
            )
        try:
            parsed = parse_url(url)
        except ValueError as e:
            raise FetchRefused(url, f"invalid URL ({e})", zh=f"拒绝获取 {url}：地址无效（{e}）。") from None
        host = normalize_host(parsed.host or "")
        if not host:
            raise FetchRefused(url, "the URL has no host", zh=f"拒绝获取 {url}：地址中没有主机名。")
        port = parsed.port or DEFAULT_PORTS[scheme]
        try:
            self._guard(host, port, url)
        except socket.gaierror as e:
            raise _Transient(f"DNS lookup of {host} failed ({e})", f"域名 {host} 解析失败（{e}）") from None
        return host, port

    # -- fetching

    def get(
        self,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        accept: str | None = None,
        etag: str | None = None,
        last_modified: str | datetime | None = None,
    ) -> Response:
        """GET ``url`` under the policy. ``etag``/``last_modified`` (from an earlier Response) make the request
        conditional: an unchanged document comes back as status 304 with empty content.

        Raises FetchRefused (policy), TooLarge (size cap) or FetchError (4xx, 501, too many redirects, or
        retries exhausted)."""
        request_headers = {"User-Agent": self.policy.user_agent}
        if accept:
            request_headers["Accept"] = accept
        if etag:
            request_headers["If-None-Match"] = etag
        if last_modified:
            request_headers["If-Modified-Since"] = _http_date(last_modified)
        request_headers.update(headers or {})

        started = time.monotonic()
        attempts = 0
        while True:
            attempts += 1
            try:
                hop, chain = self._follow(url, request_headers)
            except _Transient as e:
                if attempts > self.policy.retries:
                    log.warning("giving up on %s after %d attempts: %s", url, attempts, e.en)
                    raise FetchError(
                        url,
                        e.en,
                        status=e.status,
                        attempts=attempts,
                        en=f"Gave up on {url} after {attempts} attempts; the last one failed: {e.en}.",
                        zh=f"获取 {url} 失败：共尝试 {attempts} 次，最后一次的错误是：{e.zh}。",
                    ) from e
                delay = self._retry_delay(attempts, e.retry_after)
                log.warning("attempt %d at %s failed (%s); retrying in %.2fs", attempts, url, e.en, delay)
                time.sleep(delay)
                continue
            except FetchError as e:
                e.attempts = attempts
                raise
            elapsed = time.monotonic() - started
            log.debug("fetched %s: HTTP %d, %d bytes, %.2fs", hop.url, hop.status, len(hop.content), elapsed)
            return Response(
                url=hop.url,
                status=hop.status,
                headers=hop.headers,
                content=hop.content,
                elapsed=elapsed,
                attempts=attempts,
                redirects=tuple(chain),
            )

    def _retry_delay(self, attempt: int, retry_after: float | None) -> float:
        cap = self.policy.backoff_cap
        if retry_after is not None:
            return min(retry_after, cap)
        delay = min(cap, self.policy.backoff * 2 ** (attempt - 1))
        return delay / 2 + random.uniform(0, delay / 2)

    def _follow(self, url: str, headers: dict[str, str]) -> tuple[_Hop, list[str]]:
        chain: list[str] = []
        current = url
        for _ in range(self.policy.max_redirects + 1):
            hop = self._request(current, headers)
            if hop.location is None:
                return hop, chain
            chain.append(current)
            target = urljoin(current, hop.location)
            if urlsplit(target).hostname != urlsplit(current).hostname:
                headers = {k: v for k, v in headers.items() if k.title() not in CREDENTIAL_HEADERS}
            log.debug("redirect %d from %s to %s", hop.status, current, target)
            current = target
        raise FetchError(
            url,
            f"more than {self.policy.max_redirects} redirects",
            status=hop.status,
            en=f"Gave up on {url}: more than {self.policy.max_redirects} redirects (the last to {current}).",
            zh=f"放弃获取 {url}：重定向超过 {self.policy.max_redirects} 次（最后一次指向 {current}）。",
        )

    def _request(self, url: str, headers: dict[str, str]) -> _Hop:
        host, _port = self.check_url(url)
        try:
            prepared = self.session.prepare_request(requests.Request("GET", url, headers=headers))
        except requests.RequestException as e:
            raise FetchError(url, f"invalid URL ({e})", zh=f"无法获取 {url}：地址无效（{e}）。") from None
        self.clock.wait(host, self.policy.host_interval)
        log.debug("GET %s", url)
        policy = self.policy
        self._url.current = url  # for the messages of the connection-time check
        try:
            response = self.session.send(
                prepared,
                stream=True,
                allow_redirects=False,
                timeout=(policy.connect_timeout, policy.read_timeout),
                proxies=self._proxies,
                verify=policy.ca_bundle or True,
            )
        except FetchRefused:
            raise
        except requests.exceptions.SSLError as e:
            raise FetchError(
                url, f"TLS error ({e})", zh=f"无法获取 {url}：TLS 证书或握手错误（{e}）。"
            ) from None
        except requests.exceptions.Timeout as e:
            raise _Transient(f"timed out ({type(e).__name__})", f"超时（{type(e).__name__}）") from None
        except requests.exceptions.ConnectionError as e:
            raise _Transient(f"connection error ({e})", f"连接错误（{e}）") from None
        except requests.RequestException as e:
            raise FetchError(url, f"request failed ({e})", zh=f"无法获取 {url}：请求失败（{e}）。") from None
        finally:
            self._url.current = None
        with response:
            return self._answer(response, url)

    def _answer(self, response: requests.Response, url: str) -> _Hop:
        """What one HTTP answer means: a redirect, a document, a reason to retry or an error."""
        status = response.status_code
        response_headers = CaseInsensitiveDict(response.headers)
        if status == 429 or (status >= 500 and status != 501):
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            raise _Transient(f"HTTP {status}", f"HTTP {status}", status=status, retry_after=retry_after)
        if status >= 400:
            raise FetchError(
                url,
                f"HTTP {status} {response.reason or ''}".strip(),
                status=status,
                en=f"Fetching {url} failed with HTTP {status} {response.reason or ''}".rstrip() + ".",
                zh=f"获取 {url} 失败：服务器返回 HTTP {status}。",
            )
        if status in REDIRECT_STATUSES:
            location = response.headers.get("Location")
            if not location:
                raise FetchError(
                    url,
                    f"HTTP {status} redirect without a Location header",
                    status=status,
                    zh=f"无法获取 {url}：HTTP {status} 重定向没有 Location 头。",
                )
            return _Hop(url, status, response_headers, location=location)
        if status in {204, 304}:
            return _Hop(url, status, response_headers)
        if 300 <= status < 400:
            raise FetchError(
                url,
                f"unexpected HTTP {status}",
                status=status,
                zh=f"无法获取 {url}：服务器返回了无法处理的 HTTP {status}。",
            )
        return _Hop(url, status, response_headers, content=self._read_body(response, url))

    def _read_body(self, response: requests.Response, url: str) -> bytes:
        limit = self.policy.max_bytes
        declared = response.headers.get("Content-Length", "").strip()
        if declared.isdigit() and int(declared) > limit:
            raise TooLarge(
                url,
                f"Content-Length {declared} exceeds the {limit} byte limit",
                status=response.status_code,
                en=f"Refused to download {url}: it announces {declared} bytes, over the {limit} byte limit.",
                zh=f"拒绝下载 {url}：其声明大小为 {declared} 字节，超过 {limit} 字节的上限。",
            )
        deadline = None if self.policy.total_timeout is None else time.monotonic() + self.policy.total_timeout
        body = bytearray()
        try:
            for chunk in response.iter_content(CHUNK_SIZE):
                body += chunk
                if len(body) > limit:
                    raise TooLarge(
                        url,
                        f"body exceeds the {limit} byte limit",
                        status=response.status_code,
                        en=f"Stopped downloading {url}: the body is larger than the {limit} byte limit.",
                        zh=f"已停止下载 {url}：内容超过 {limit} 字节的上限。",
                    )
                if deadline is not None and time.monotonic() > deadline:
                    raise _Transient(
                        f"body not received within {self.policy.total_timeout}s",
                        f"{self.policy.total_timeout} 秒内未能收完内容",
                        status=response.status_code,
                    )
        except requests.exceptions.ContentDecodingError as e:
            raise FetchError(
                url,
                f"undecodable body ({e})",
                status=response.status_code,
                zh=f"无法获取 {url}：内容无法解码。",
            ) from None
        except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ConnectionError) as e:
            raise _Transient(
                f"the connection broke before the whole body arrived ({type(e).__name__})",
                "内容尚未收完连接就已中断",
                status=response.status_code,
            ) from None
        return bytes(body)
