"""The harvesters' HTTP client against the fixture server on loopback (no CKAN services needed)."""

from __future__ import annotations

import email.utils
import http.client
import itertools
import pickle
import shutil
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ckanext.hlj.harvesters import http as fetch
from ckanext.hlj.harvesters.http import (
    Fetcher,
    FetchError,
    FetchPolicy,
    FetchRefused,
    HostClock,
    TooLarge,
    classify_address,
    host_matches,
)

from .server import FixtureServer, Reply, server_fixture

site = server_fixture()
proxy_server = server_fixture(proxy=True)

LOOPBACK = ("127.0.0.0/8",)


def policy(**overrides) -> FetchPolicy:
    """A loopback-friendly policy with short timeouts and near-zero backoff so the file stays fast."""
    values = {
        "allowed_hosts": ("127.0.0.1",),
        "allowed_networks": LOOPBACK,
        "connect_timeout": 2.0,
        "read_timeout": 2.0,
        "retries": 2,
        "backoff": 0.001,
        "backoff_cap": 0.05,
        "host_interval": 0.0,
    }
    values.update(overrides)
    return FetchPolicy(**values)


def fixed_resolver(mapping: dict[str, list[str]]):
    def resolve(host: str, port: int) -> list[str]:
        if host not in mapping:
            raise socket.gaierror(socket.EAI_NONAME, f"{host} is unknown to the test resolver")
        return list(mapping[host])

    return resolve


# ------------------------------------------------------------------------------------------ allow-lists


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://data.hlj.gov.cn/a.csv",
        "gopher://www.hlj.gov.cn/",
        "data:text/plain,hi",
        "x",
    ],
)
def test_only_http_and_https_are_fetched(url):
    with pytest.raises(FetchRefused) as caught:
        Fetcher(FetchPolicy()).get(url)
    assert "http and https" in caught.value.message("en")
    assert "只允许 http 和 https" in str(caught.value)


def test_a_host_off_the_allow_list_is_refused_before_any_request(site):
    site.route("/", "hi")
    with pytest.raises(FetchRefused) as caught:
        Fetcher(policy(allowed_hosts=("www.hlj.gov.cn",))).get(site.url("/"))
    assert "allow-list" in caught.value.message("en")
    assert caught.value.attempts == 1
    assert site.count() == 0


@pytest.mark.parametrize(
    ("host", "pattern", "port", "expected"),
    [
        ("gov.cn", "*.gov.cn", None, True),
        ("www.hlj.gov.cn", "*.gov.cn", 443, True),
        ("WWW.HLJ.GOV.CN.", "*.gov.cn", None, True),
        ("evilgov.cn", "*.gov.cn", None, False),
        ("gov.cn.evil.com", "*.gov.cn", None, False),
        ("hlj.gov.cn.cn", "*.gov.cn", None, False),
        ("www.黑龙江.gov.cn", "*.gov.cn", None, True),
        ("xn--9sw198hfra.gov.cn", "黑龙江.gov.cn", None, True),
        ("www.黑龙江.gov.cn", "www.xn--9sw198hfra.gov.cn", None, True),
        ("data.harbin.gov.cn", "data.harbin.gov.cn", None, True),
        ("www.data.harbin.gov.cn", "data.harbin.gov.cn", None, False),
        ("harbin.gov.cn", "data.harbin.gov.cn", None, False),
        ("127.0.0.1", "127.0.0.1:8080", 8080, True),
        ("127.0.0.1", "127.0.0.1:8080", 8081, False),
        ("::1", "[::1]:8080", 8080, True),
        ("::1", "::1", 80, True),
        ("portal.example.org", "*.gov.cn", None, False),
    ],
)
def test_host_patterns(host, pattern, port, expected):
    assert host_matches(host, pattern, port) is expected


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fc00::1", "private"),
        ("fd12:3456::1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1%eth0", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("240.0.0.1", "private"),  # 240/4 is "reserved" and ipaddress also counts it as private
        ("100.64.0.1", "non-public"),
        ("::ffff:10.0.0.1", "IPv4-mapped private"),
        ("::ffff:127.0.0.1", "IPv4-mapped loopback"),
        ("64:ff9b::a9fe:a9fe", "NAT64 link-local"),
        ("2002:c0a8:101::1", "6to4 private"),
        ("8.8.8.8", None),
        ("202.97.224.68", None),
        ("240e:1::1", None),
        ("::ffff:8.8.8.8", None),
    ],
)
def test_address_classes(address, kind):
    assert classify_address(address) == kind


def test_allowed_networks_let_private_addresses_through():
    assert classify_address("127.0.0.1", ["127.0.0.0/8"]) is None
    assert classify_address("::ffff:127.0.0.1", ["127.0.0.0/8"]) is None
    assert classify_address("10.9.8.7", ["10.9.0.0/16"]) is None
    assert classify_address("10.10.8.7", ["10.9.0.0/16"]) == "private"
    assert classify_address("::1", ["127.0.0.0/8"]) == "loopback"


def test_a_host_resolving_to_loopback_is_refused_unless_its_network_is_allowed(site):
    site.route("/", "hi")
    refused = policy(allowed_hosts=("localhost", "127.0.0.1"), allowed_networks=())
    for url in (site.url("/", host="localhost"), site.url("/")):
        with pytest.raises(FetchRefused) as caught:
            Fetcher(refused).get(url)
        assert "loopback" in caught.value.message("en")
        assert "回环" in caught.value.message("zh_Hans_CN")
    assert site.count() == 0


@pytest.mark.parametrize(
    "addresses",
    [
        ["10.0.0.7"],
        ["169.254.169.254"],
        ["fc00::1"],
        ["::1"],
        ["::ffff:192.168.0.1"],
        ["8.8.8.8", "10.0.0.7"],
    ],
)
def test_any_private_address_among_the_resolved_ones_is_refused(addresses):
    resolver = fixed_resolver({"intranet.hlj.gov.cn": addresses})
    fetcher = Fetcher(FetchPolicy(host_interval=0), resolver=resolver)
    with pytest.raises(FetchRefused):
        fetcher.get("http://intranet.hlj.gov.cn/secret")


def test_connections_go_to_the_checked_address_with_the_host_name_kept(site):
    site.route("/pinned", "pinned")
    resolver = fixed_resolver({"data.hlj.gov.cn": ["127.0.0.1"]})
    fetcher = Fetcher(policy(allowed_hosts=("*.gov.cn",)), resolver=resolver)
    response = fetcher.get(f"http://data.hlj.gov.cn:{site.port}/pinned")
    assert response.content == b"pinned"
    assert site.requests_for("/pinned")[0].headers["Host"] == f"data.hlj.gov.cn:{site.port}"


def test_dns_rebinding_between_the_check_and_the_connection_is_refused(site):
    site.route("/", "hi")
    calls = []

    def rebinding(host, port):  # the check sees loopback (allowed), the connection a LAN host
        calls.append(host)
        return ["127.0.0.1"] if len(calls) == 1 else ["10.0.0.7"]

    fetcher = Fetcher(policy(allowed_hosts=("*.gov.cn",), retries=0), resolver=rebinding)
    with pytest.raises(FetchRefused) as caught:
        fetcher.get(f"http://rebind.hlj.gov.cn:{site.port}/")
    assert "10.0.0.7" in caught.value.message("en")
    assert calls == ["rebind.hlj.gov.cn", "rebind.hlj.gov.cn"]  # the connection resolved through our check
    assert site.count() == 0


def test_a_name_that_does_not_resolve_is_retried_then_reported():
    fetcher = Fetcher(policy(allowed_hosts=("*.gov.cn",), retries=1), resolver=fixed_resolver({}))
    with pytest.raises(FetchError) as caught:
        fetcher.get("http://nowhere.hlj.gov.cn/")
    assert caught.value.attempts == 2
    assert "DNS" in caught.value.message("en")


# ------------------------------------------------------------------------------------------- redirects


def test_redirect_chains_are_followed(site):
    final = site.redirect_chain("/start", 3)
    response = Fetcher(policy()).get(site.url("/start"))
    assert response.status == 200
    assert response.content == b"end of chain"
    assert response.url == site.url(final)
    assert len(response.redirects) == 3
    assert response.attempts == 1


@pytest.mark.parametrize(
    "location",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/admin",
        "http://evil.example.com/",
        "file:///etc/passwd",
        "http://[::1]:{port}/secret",
        "http://127.0.0.2:{port}/secret",
    ],
)
def test_a_redirect_to_a_refused_target_is_refused(site, location):
    site.route("/secret", "secret")
    site.redirect("/go", location.format(port=site.port))
    allowed = policy(
        allowed_hosts=("127.0.0.1", "127.0.0.2", "169.254.169.254", "10.0.0.1", "::1"),
        allowed_networks=("127.0.0.1/32",),
    )
    with pytest.raises(FetchRefused):
        Fetcher(allowed).get(site.url("/go"))
    assert site.count("/go") == 1
    assert site.count("/secret") == 0


def test_redirect_loops_are_bounded(site):
    site.redirect_loop("/loop")
    with pytest.raises(FetchError) as caught:
        Fetcher(policy(max_redirects=5)).get(site.url("/loop"))
    assert not isinstance(caught.value, FetchRefused)
    assert "redirects" in caught.value.message("en")
    assert caught.value.status == 302
    assert site.count() == 6


def test_credentials_do_not_follow_a_redirect_to_another_host(site):
    site.route("/landing", "ok")
    site.redirect("/go", site.url("/landing", host="localhost"))
    fetcher = Fetcher(
        policy(allowed_hosts=("127.0.0.1", "localhost")),
        resolver=fixed_resolver(
            {
                "127.0.0.1": ["127.0.0.1"],
                "localhost": ["127.0.0.1"],
            }
        ),
    )
    fetcher.get(site.url("/go"), headers={"Authorization": "Bearer s3cret", "X-Trace": "1"})
    first, second = site.requests
    assert first.headers["Authorization"] == "Bearer s3cret"
    assert second.headers["Authorization"] is None
    assert second.headers["X-Trace"] == "1"


# --------------------------------------------------------------------------------------- retries, limits


def test_timeouts_raise_after_bounded_retries(site):
    site.slow("/slow", 5)
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        Fetcher(policy(read_timeout=0.2, retries=2)).get(site.url("/slow"))
    assert caught.value.attempts == 3
    assert "timed out" in caught.value.message("en")
    assert site.url("/slow") in caught.value.message("en")
    assert site.count("/slow") == 3
    assert time.monotonic() - started < 2.5


def test_connection_errors_are_retried():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError) as caught:
        Fetcher(policy(retries=2)).get(f"http://127.0.0.1:{port}/")
    assert caught.value.attempts == 3
    assert caught.value.status is None
    assert "connection" in caught.value.reason


def test_two_503s_then_200_succeed_on_the_third_attempt(site):
    site.sequence("/flaky", [Reply(503), Reply(503), Reply(200, b"third time")])
    response = Fetcher(policy(retries=3)).get(site.url("/flaky"))
    assert response.status == 200
    assert response.content == b"third time"
    assert response.attempts == 3
    assert site.count("/flaky") == 3


@pytest.mark.parametrize(
    ("status", "requests_made"),
    [(404, 1), (403, 1), (410, 1), (501, 1), (500, 3), (502, 3), (504, 3), (429, 3)],
)
def test_which_statuses_are_retried(site, status, requests_made):
    site.add("/status", Reply(status, b"nope"))
    with pytest.raises(FetchError) as caught:
        Fetcher(policy(retries=2)).get(site.url("/status"))
    assert caught.value.status == status
    assert caught.value.attempts == requests_made
    assert site.count("/status") == requests_made


def test_a_404_names_url_and_status_in_both_languages(site):
    with pytest.raises(FetchError) as caught:
        Fetcher(policy()).get(site.url("/missing"))
    err = caught.value
    assert (err.status, err.attempts, err.url) == (404, 1, site.url("/missing"))
    assert "HTTP 404" in err.message("en") and site.url("/missing") in err.message("en")
    assert "HTTP 404" in str(err) and "失败" in str(err)


def _gaps(server: FixtureServer, path: str) -> list[float]:
    times = sorted(r.time for r in server.requests_for(path))
    return [b - a for a, b in itertools.pairwise(times)]


def test_retry_after_is_honoured(site):
    site.sequence("/busy", [Reply(503, headers={"Retry-After": "1"}), Reply(200, b"ok")])
    response = Fetcher(policy(backoff_cap=5.0)).get(site.url("/busy"))
    assert response.attempts == 2
    assert _gaps(site, "/busy")[0] >= 0.9


def test_retry_after_is_capped(site):
    site.sequence("/busy", [Reply(429, headers={"Retry-After": "3600"}), Reply(200, b"ok")])
    response = Fetcher(policy(backoff_cap=0.3)).get(site.url("/busy"))
    assert response.content == b"ok"
    (gap,) = _gaps(site, "/busy")
    assert 0.27 <= gap < 2.0


def test_retry_after_as_an_http_date():
    future = email.utils.format_datetime(datetime.now(UTC).replace(microsecond=0), usegmt=True)
    assert fetch.parse_retry_after("7") == 7.0
    assert 0 <= fetch.parse_retry_after(future) <= 1.0
    assert fetch.parse_retry_after("soon") is None


@pytest.mark.parametrize("framing", ["content-length", "close", "chunked"])
def test_bodies_over_the_size_cap_are_refused(site, framing):
    if framing == "chunked":
        site.large("/big", 300_000, chunked=True)
    else:
        site.large("/big", 300_000, content_length=framing == "content-length")
    with pytest.raises(TooLarge) as caught:
        Fetcher(policy(max_bytes=100_000)).get(site.url("/big"))
    assert "100000" in caught.value.message("en")
    assert caught.value.attempts == 1
    assert site.count("/big") == 1
    if framing == "content-length":
        assert "300000" in caught.value.message("en")  # refused on the header, before reading


def test_a_body_exactly_at_the_cap_is_accepted(site):
    site.large("/exact", 100_000, content_length=False)
    assert len(Fetcher(policy(max_bytes=100_000)).get(site.url("/exact")).content) == 100_000


def test_a_truncated_body_is_an_error(site):
    site.truncated("/cut", declared=5000, sent=b"only this much")
    with pytest.raises(FetchError) as caught:
        Fetcher(policy(retries=1)).get(site.url("/cut"))
    assert not isinstance(caught.value, TooLarge)
    assert caught.value.attempts == 2
    assert "before the whole body" in caught.value.message("en")


def test_requests_to_one_host_are_spaced_process_wide(site):
    site.route("/page", "p")
    interval = 0.4
    clock = HostClock()
    fetchers = [Fetcher(policy(host_interval=interval), clock=clock) for _ in range(2)]

    def crawl(fetcher):
        for _ in range(2):
            fetcher.get(site.url("/page"))

    threads = [threading.Thread(target=crawl, args=(f,)) for f in fetchers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    gaps = _gaps(site, "/page")
    assert len(gaps) == 3
    assert min(gaps) >= 0.9 * interval


def test_the_default_clock_is_shared_between_fetchers(site):
    site.route("/page", "p")
    for _ in range(2):
        Fetcher(policy(host_interval=0.2)).get(site.url("/page"))
    assert _gaps(site, "/page")[0] >= 0.9 * 0.2


# ----------------------------------------------------------------------------------- requests and replies


def test_conditional_get_returns_304_with_empty_content(site):
    modified = "Tue, 03 Mar 2026 08:00:00 GMT"
    site.conditional("/doc", "<p>公开</p>", etag='"v1"', last_modified=modified)
    fetcher = Fetcher(policy())
    first = fetcher.get(site.url("/doc"))
    assert (first.status, first.etag, first.last_modified) == (200, '"v1"', modified)

    again = fetcher.get(site.url("/doc"), etag=first.etag)
    assert again.status == 304 and again.not_modified and again.content == b""
    assert site.requests_for("/doc")[-1].headers["If-None-Match"] == '"v1"'

    by_date = fetcher.get(site.url("/doc"), last_modified=datetime(2026, 3, 3, 8, tzinfo=UTC))
    assert by_date.status == 304
    assert site.requests_for("/doc")[-1].headers["If-Modified-Since"] == modified

    changed = fetcher.get(site.url("/doc"), etag='"v0"')
    assert changed.status == 200 and changed.content.decode() == "<p>公开</p>"


def test_user_agent_accept_and_charset_as_sent(site):
    site.route("/gbk", "黑龙江", content_type="text/html", charset="gbk")  # a lie: the body is UTF-8
    fetcher = Fetcher(policy(user_agent="ckanext-hlj harvester (+https://data.hlj.gov.cn)"))
    response = fetcher.get(site.url("/gbk"), accept="text/html")
    request = site.requests_for("/gbk")[0]
    assert request.headers["User-Agent"] == "ckanext-hlj harvester (+https://data.hlj.gov.cn)"
    assert request.headers["Accept"] == "text/html"
    assert response.headers["content-type"] == "text/html; charset=gbk"
    assert (response.content_type, response.charset) == ("text/html", "gbk")
    assert response.content == "黑龙江".encode()


def test_requests_go_through_the_configured_proxy(site, proxy_server):
    site.route("/via-proxy", "proxied")
    fetcher = Fetcher(policy(proxy=proxy_server.base_url))
    response = fetcher.get(site.url("/via-proxy"))
    assert response.content == b"proxied"
    assert response.headers["Via"] == "1.1 hlj-fixture-proxy"
    (seen,) = proxy_server.requests
    assert seen.request_line == f"GET {site.url('/via-proxy')} HTTP/1.1"
    assert site.count("/via-proxy") == 1


def test_the_target_is_checked_even_through_a_proxy(site, proxy_server):
    fetcher = Fetcher(policy(proxy=proxy_server.base_url, allowed_hosts=("localhost",), allowed_networks=()))
    with pytest.raises(FetchRefused):
        fetcher.get(site.url("/", host="localhost"))
    with pytest.raises(FetchRefused):
        Fetcher(policy(proxy=proxy_server.base_url)).get("http://example.com/")
    assert proxy_server.count() == 0
    assert site.count() == 0


@pytest.fixture
def tls_files(tmp_path):
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=site.hlj.gov.cn",
            "-addext", "subjectAltName=DNS:site.hlj.gov.cn",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def test_tls_keeps_sni_and_hostname_verification_on_the_checked_address(tls_files):
    cert, key = tls_files
    resolver = fixed_resolver({"site.hlj.gov.cn": ["127.0.0.1"], "other.hlj.gov.cn": ["127.0.0.1"]})
    with FixtureServer(tls=(cert, key)) as server:
        server.route("/tls", "secure")
        fetcher = Fetcher(policy(allowed_hosts=("*.gov.cn",), ca_bundle=str(cert)), resolver=resolver)
        response = fetcher.get(f"https://site.hlj.gov.cn:{server.port}/tls")
        assert response.content == b"secure"
        (request,) = server.requests
        assert request.sni == "site.hlj.gov.cn"
        assert request.headers["Host"] == f"site.hlj.gov.cn:{server.port}"

        with pytest.raises(FetchError) as caught:  # the certificate does not name this host
            fetcher.get(f"https://other.hlj.gov.cn:{server.port}/tls")
        assert caught.value.attempts == 1
        assert "TLS" in caught.value.message("en")
        assert server.count() == 1


# ------------------------------------------------------------------------------------------------- config


def test_from_config_defaults():
    p = FetchPolicy.from_config({})
    assert p.allowed_hosts == ("*.gov.cn",)
    assert p.allowed_networks == ()
    assert (p.connect_timeout, p.read_timeout, p.retries) == (10.0, 30.0, 3)
    assert (p.max_bytes, p.host_interval, p.max_redirects) == (20 * 1024 * 1024, 1.0, 5)
    assert p.proxy is None
    assert p.user_agent == "ckanext-hlj harvester"


def test_from_config_parses_ckan_options():
    config = {
        "ckanext.hlj.harvest.allowed_hosts": "*.gov.cn  data.harbin.example:8443",
        "ckanext.hlj.harvest.allowed_networks": "10.20.0.0/16 fd00:1::/64",
        "ckanext.hlj.harvest.connect_timeout": "5",
        "ckanext.hlj.harvest.read_timeout": "12.5",
        "ckanext.hlj.harvest.retries": "1",
        "ckanext.hlj.harvest.max_bytes": "1048576",
        "ckanext.hlj.harvest.host_interval": "0.5",
        "ckan.download_proxy": "http://proxy.internal:3128",
        "ckan.site_url": "https://data.hlj.gov.cn",
    }
    p = FetchPolicy.from_config(config, extra_hosts=["www.harbin.gov.cn", "*.gov.cn", "credit.example.org"])
    assert p.allowed_hosts == (
        "*.gov.cn",
        "data.harbin.example:8443",
        "www.harbin.gov.cn",
        "credit.example.org",
    )
    assert p.allowed_networks == ("10.20.0.0/16", "fd00:1::/64")
    assert (p.connect_timeout, p.read_timeout, p.retries, p.max_bytes, p.host_interval) == (
        5,
        12.5,
        1,
        1048576,
        0.5,
    )
    assert p.proxy == "http://proxy.internal:3128"
    assert p.user_agent == "ckanext-hlj harvester (+https://data.hlj.gov.cn)"
    assert classify_address("10.20.3.4", p.networks) is None
    assert p.host_allowed("data.harbin.example", 8443) and not p.host_allowed("data.harbin.example", 443)


def test_from_config_accepts_typed_values_and_an_empty_host_list():
    p = FetchPolicy.from_config(
        {
            "ckanext.hlj.harvest.allowed_hosts": "",
            "ckanext.hlj.harvest.retries": 0,
            "ckan.download_proxy": "",
        },
        extra_hosts="portal.harbin.gov.cn",
    )
    assert p.allowed_hosts == ("portal.harbin.gov.cn",)
    assert p.retries == 0
    assert p.proxy is None
    typed = FetchPolicy.from_config({"ckanext.hlj.harvest.allowed_hosts": ["a.gov.cn", "b.gov.cn"]})
    assert typed.allowed_hosts == ("a.gov.cn", "b.gov.cn")


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("ckanext.hlj.harvest.retries", "three"),
        ("ckanext.hlj.harvest.read_timeout", "-1"),
        ("ckanext.hlj.harvest.allowed_networks", "not-a-network"),
        ("ckanext.hlj.harvest.allowed_hosts", "host:port"),
    ],
)
def test_from_config_rejects_bad_values(key, value):
    with pytest.raises(ValueError):
        FetchPolicy.from_config({key: value})


def test_fetch_errors_pickle_with_both_messages():
    err = TooLarge("http://a.gov.cn/x", "too big", status=200, attempts=1, zh="太大", en="Too big")
    copy = pickle.loads(pickle.dumps(err))
    assert type(copy) is TooLarge
    assert (copy.url, copy.status, copy.attempts, str(copy), copy.message("en")) == (
        "http://a.gov.cn/x",
        200,
        1,
        "太大",
        "Too big",
    )
    assert isinstance(copy, FetchError)


# ---------------------------------------------------------------------------------------- fixture server


def test_the_fixture_server_serves_files_without_adding_a_charset(tmp_path):
    (tmp_path / "index.html").write_bytes("<title>政务公开</title>".encode("gb18030"))
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "list.json").write_text("[]")
    (tmp_path / "data" / "table.csv").write_text("a,b\n")
    with FixtureServer(tmp_path) as server:
        fetcher = Fetcher(policy())
        index = fetcher.get(server.url("/"))
        assert index.headers["Content-Type"] == "text/html"
        assert index.content.decode("gb18030") == "<title>政务公开</title>"
        assert fetcher.get(server.url("/data/list.json")).headers["Content-Type"] == "application/json"
        assert fetcher.get(server.url("/data/table.csv")).headers["Content-Type"] == "text/csv"
        assert fetcher.get(server.url("/"), etag=index.etag).status == 304
        for missing in ("/nothing.html", "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd"):
            with pytest.raises(FetchError) as caught:
                fetcher.get(server.url(missing))
            assert caught.value.status in (403, 404)


def test_the_fixture_server_stops_promptly_mid_slow_response():
    before = set(threading.enumerate())
    server = FixtureServer().start()
    server.slow("/slow", 30)
    idle = http.client.HTTPConnection(server.host, server.port, timeout=10)
    idle.request("GET", "/missing")
    idle.getresponse().read()  # a kept-alive connection left open

    def wait_for_slow():
        connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
        try:
            connection.request("GET", "/slow")
            connection.getresponse().read()
        except (OSError, http.client.HTTPException):
            pass

    client = threading.Thread(target=wait_for_slow)
    client.start()
    while server.count("/slow") == 0:
        time.sleep(0.01)
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 2
    client.join(5)
    idle.close()
    assert not client.is_alive()
    assert [t for t in threading.enumerate() if t not in before] == []  # no serving or handler thread left


def test_the_fixture_server_runs_as_a_script(tmp_path):
    (tmp_path / "index.html").write_text("<p>demo</p>")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    script = Path(__file__).with_name("server.py")
    process = subprocess.Popen(
        [sys.executable, str(script), str(tmp_path), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert "Serving" in process.stdout.readline()
        response = Fetcher(policy()).get(f"http://127.0.0.1:{port}/")
        assert response.content == b"<p>demo</p>"
    finally:
        process.terminate()
        assert process.wait(10) == 0
