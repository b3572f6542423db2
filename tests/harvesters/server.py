"""A fixture web server on loopback for the harvester tests (not a test module).

It serves a directory tree (Content-Type guessed from the name, no charset added) and scripted routes a test
registers: fixed replies, sequences (two 503s then a 200), slow replies, oversized bodies, truncated bodies,
redirect chains and loops, conditional replies; every request is recorded. With ``proxy=True`` it also acts as
a plain HTTP forward proxy for absolute-form requests (``GET http://host/path HTTP/1.1``).

In a test::

    from .server import FixtureServer, Reply, server_fixture

    site = server_fixture()                       # a pytest fixture named "site", one server per test

    def test_retry(site):
        site.sequence("/list", [Reply(503), Reply(503), Reply(200, b"ok")])
        ...fetch site.url("/list")...
        assert site.count("/list") == 3

    with FixtureServer("ckanext-hlj/demo/sample_site") as server:   # or as a context manager
        print(server.url("/index.html"))

As a script it serves a directory until interrupted::

    python tests/harvesters/server.py ckanext-hlj/demo/sample_site --port 8765
"""

from __future__ import annotations

import argparse
import email.utils
import hashlib
import http.client
import http.server
import mimetypes
import posixpath
import signal
import socket
import ssl
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

CHUNK = 64 * 1024
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailers",
        "transfer-encoding",
        "upgrade",
    }
)


@dataclass
class Reply:
    """One scripted response.

    ``body`` is bytes, or a callable returning an iterable of byte chunks (produced afresh for every request,
    so huge bodies are streamed, never held). ``content_length``: ``True`` sends the real length (needs bytes
    or ``size``), ``False`` sends none and closes the connection after the body, an ``int`` is sent as is
    (larger than the body = a truncated response; the connection is closed). ``delay`` waits before the status
    line, ``chunk_delay`` between chunks; both end at once when the server stops. ``charset`` is appended to
    ``content_type`` only when given.
    """

    status: int = 200
    body: bytes | Callable[[], Iterable[bytes]] = b""
    headers: dict[str, str] | list[tuple[str, str]] = field(default_factory=dict)
    content_type: str | None = None
    charset: str | None = None
    content_length: bool | int = True
    size: int | None = None
    chunked: bool = False
    delay: float = 0.0
    chunk_delay: float = 0.0
    close: bool = False


@dataclass
class RecordedRequest:
    """A request as the server saw it. ``target`` is the request-target as sent (absolute-form through a
    proxy), ``path`` its path without the query; ``time`` is ``time.monotonic()`` on arrival."""

    method: str
    target: str
    path: str
    query: str
    request_line: str
    headers: http.client.HTTPMessage
    time: float
    client: tuple[str, int]
    sni: str | None = None
    body: bytes = b""


Handler = Callable[[RecordedRequest], Reply]


def repeat_bytes(size: int, fill: bytes = b"x") -> Callable[[], Iterator[bytes]]:
    """A body factory producing ``size`` bytes in chunks."""
    block = (fill * (CHUNK // len(fill) + 1))[:CHUNK]

    def chunks() -> Iterator[bytes]:
        left = size
        while left > 0:
            yield block[: min(left, CHUNK)]
            left -= CHUNK

    return chunks


class _Route:
    def __init__(self, replies: list[Reply] | None = None, handler: Handler | None = None):
        self.replies = list(replies or [])
        self.handler = handler
        self.lock = threading.Lock()

    def next(self, request: RecordedRequest) -> Reply:
        if self.handler is not None:
            return self.handler(request)
        with self.lock:  # the last reply repeats once the sequence is used up
            return self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]


class _HTTPServer(http.server.ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True
    allow_reuse_address = True

    def __init__(self, address, handler_class, fixture: FixtureServer, ssl_context: ssl.SSLContext | None):
        self.fixture = fixture
        self.ssl_context = ssl_context
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(address, handler_class)

    def get_request(self):
        sock, address = super().get_request()
        if self.ssl_context is not None:  # the handshake happens in the handler's thread
            sock = self.ssl_context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        with self.connections_lock:
            self.connections.add(sock)
        return sock, address

    def shutdown_request(self, request):
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def drop_connections(self) -> None:
        with self.connections_lock:
            sockets = list(self.connections)
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request, client_address):
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, ssl.SSLError, TimeoutError)) or self.fixture.stopping.is_set():
            return  # a client that went away (a fetcher aborting a large body) is not a server failure
        super().handle_error(request, client_address)


class _RequestHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "hlj-fixture/1"
    timeout = 30  # a safety net: a silent client cannot keep a handler thread for ever
    server: _HTTPServer

    def setup(self):
        super().setup()
        self.sni: str | None = None
        if isinstance(self.request, ssl.SSLSocket):
            self.request.do_handshake()
            self.sni = getattr(self.request, "hlj_sni", None)

    def log_message(self, format, *args):
        if self.server.fixture.verbose:
            super().log_message(format, *args)

    def do_GET(self):
        self._dispatch()

    def do_HEAD(self):
        self._dispatch()

    def do_POST(self):
        self._dispatch()

    def do_CONNECT(self):
        self._record()
        self._send(Reply(501, b"CONNECT is not supported by the fixture proxy\n", close=True))

    def _record(self) -> RecordedRequest:
        body = b""
        length = self.headers.get("Content-Length", "")
        if length.isdigit():
            body = self.rfile.read(int(length))
        parts = urlsplit(self.path)
        request = RecordedRequest(
            method=self.command,
            target=self.path,
            path=unquote(parts.path) or "/",
            query=parts.query,
            request_line=self.requestline,
            headers=self.headers,
            time=time.monotonic(),
            client=self.client_address,
            sni=self.sni,
            body=body,
        )
        self.server.fixture._record(request)
        return request

    def _dispatch(self):
        request = self._record()
        fixture = self.server.fixture
        if fixture.proxy and self.path.lower().startswith(("http://", "https://")):
            self._send(fixture._forward(request))
            return
        self._send(fixture._reply_for(request))

    def _send(self, reply: Reply) -> None:
        if reply.delay and self.server.fixture.stopping.wait(reply.delay):
            self.close_connection = True
            return
        self.send_response(reply.status)
        headers = list(reply.headers.items() if isinstance(reply.headers, dict) else reply.headers)
        names = {name.lower() for name, _ in headers}
        if reply.content_type and "content-type" not in names:
            value = reply.content_type + (f"; charset={reply.charset}" if reply.charset else "")
            self.send_header("Content-Type", value)
        for name, value in headers:
            self.send_header(name, value)
        if self._frame(reply, names):
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD" and reply.status not in (204, 304) and reply.status >= 200:
            self._write_body(reply)

    def _frame(self, reply: Reply, names: set[str]) -> bool:
        """Send the body's framing headers; whether the connection must close after the body."""
        if reply.chunked:
            self.send_header("Transfer-Encoding", "chunked")
            return reply.close
        if reply.content_length is False:
            return True
        if reply.content_length is True:
            if "content-length" not in names and reply.status not in (204, 304):
                length = len(reply.body) if isinstance(reply.body, bytes) else reply.size
                if length is None:
                    raise ValueError("a streamed body with content_length=True needs Reply.size")
                self.send_header("Content-Length", str(length))
            return reply.close
        self.send_header("Content-Length", str(reply.content_length))
        return True

    def _write_body(self, reply: Reply) -> None:
        stopping = self.server.fixture.stopping
        body: Iterable[bytes] = [reply.body] if isinstance(reply.body, bytes) else reply.body()
        try:
            for chunk in body:
                if not chunk:
                    continue
                if reply.chunk_delay and stopping.wait(reply.chunk_delay):
                    self.close_connection = True
                    return
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk) if reply.chunked else chunk)
            if reply.chunked:
                self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (ConnectionError, ssl.SSLError, TimeoutError, ValueError):
            self.close_connection = True  # the client hung up (e.g. it stopped a body over its size cap)


class FixtureServer:
    """A threaded HTTP(S) server on ``host`` (127.0.0.1) and a free port; see the module docstring.

    ``root`` is a directory to serve files from (routes win over files). ``tls`` is ``(certfile, keyfile)``
    to serve HTTPS (the SNI name each connection sent is recorded). ``proxy=True`` forwards absolute-form
    requests to their target (plain HTTP only; CONNECT gets 501).
    """

    def __init__(
        self,
        root: str | Path | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        proxy: bool = False,
        tls: tuple[str | Path, str | Path] | None = None,
        verbose: bool = False,
    ):
        self.root = Path(root).resolve() if root is not None else None
        self.proxy = proxy
        self.verbose = verbose
        self.stopping = threading.Event()
        self._routes: dict[str, _Route] = {}
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        context = None
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(str(tls[0]), str(tls[1]))

            def remember_sni(sock, name, _context):
                sock.hlj_sni = name

            context.sni_callback = remember_sni
        self.scheme = "https" if tls is not None else "http"
        self._httpd = _HTTPServer((host, port), _RequestHandler, self, context)
        self.host, self.port = self._httpd.server_address[:2]

    # -- life cycle

    def start(self) -> FixtureServer:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name=f"fixture-{self.port}"
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, end slow replies and idle keep-alive connections, and join every thread."""
        if self._thread is None:
            self._httpd.server_close()
            return
        self.stopping.set()
        self._httpd.shutdown()
        self._thread.join()
        self._httpd.drop_connections()
        self._httpd.server_close()  # joins the handler threads (block_on_close)
        self._thread = None

    def __enter__(self) -> FixtureServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- addresses

    @property
    def netloc(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://{self.netloc}"

    def url(self, path: str = "/", host: str | None = None) -> str:
        """The URL of ``path`` on this server; ``host`` replaces 127.0.0.1 (e.g. ``localhost``)."""
        return (
            f"{self.scheme}://{host or self.host}:{self.port}{path if path.startswith('/') else '/' + path}"
        )

    # -- routes

    def add(self, path: str, *replies: Reply, handler: Handler | None = None) -> None:
        """Answer ``path`` with ``replies`` in turn (the last one repeats) or with ``handler(request)``.

        ``path`` is matched against the request's path, or the path with its query (``/a?page=2``) first."""
        if not replies and handler is None:
            raise ValueError("give at least one reply or a handler")
        with self._lock:
            self._routes[path] = _Route(list(replies), handler)

    def route(
        self,
        path: str,
        body: bytes | str = b"",
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
        content_type: str | None = "text/html",
        charset: str | None = None,
        **reply: Any,
    ) -> None:
        """A fixed reply. ``str`` bodies are UTF-8 encoded; ``charset`` (only if given) is declared in the
        Content-Type as is -- give a wrong one to test charset handling."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.add(
            path,
            Reply(
                status, data, headers=dict(headers or {}), content_type=content_type, charset=charset, **reply
            ),
        )

    def sequence(self, path: str, replies: Iterable[Reply]) -> None:
        self.add(path, *replies)

    def slow(self, path: str, delay: float, body: bytes = b"slow", **reply: Any) -> None:
        """A reply that waits ``delay`` seconds before its status line."""
        self.add(path, Reply(body=body, delay=delay, content_type="text/plain", **reply))

    def large(self, path: str, size: int, *, content_length: bool = True, chunked: bool = False) -> None:
        """A ``size``-byte body, streamed, with or without a Content-Length (then delimited by close or chunked)."""
        self.add(
            path,
            Reply(
                body=repeat_bytes(size),
                size=size,
                content_type="application/octet-stream",
                content_length=content_length and not chunked,
                chunked=chunked,
            ),
        )

    def truncated(self, path: str, declared: int, sent: bytes = b"partial") -> None:
        """Announce ``declared`` bytes, send ``sent`` (fewer), close the connection."""
        self.add(path, Reply(body=sent, content_length=declared, content_type="text/plain"))

    def redirect(self, path: str, location: str, status: int = 302) -> None:
        """Redirect ``path`` to ``location`` (any URL: another host, a private address, ``file:``...)."""
        self.add(path, Reply(status, b"", headers={"Location": location}))

    def redirect_chain(self, path: str, hops: int, body: bytes = b"end of chain", status: int = 302) -> str:
        """``path`` -> ``path/1`` -> ... -> ``path/<hops>`` which answers 200; returns the final path."""
        current = path
        for n in range(1, hops + 1):
            nxt = f"{path.rstrip('/')}/{n}"
            self.redirect(current, nxt, status)
            current = nxt
        self.route(current, body, content_type="text/plain")
        return current

    def redirect_loop(self, path: str, status: int = 302) -> None:
        """``path`` -> ``path/again`` -> ``path`` -> ... for ever."""
        other = f"{path.rstrip('/')}/again"
        self.redirect(path, other, status)
        self.redirect(other, path, status)

    def conditional(
        self,
        path: str,
        body: bytes | str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        content_type: str = "text/html",
    ) -> None:
        """A document with validators: 304 when If-None-Match matches ``etag`` or If-Modified-Since is not
        earlier than ``last_modified`` (an HTTP date), 200 with the body otherwise."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        validators = {k: v for k, v in (("ETag", etag), ("Last-Modified", last_modified)) if v}

        def answer(request: RecordedRequest) -> Reply:
            if _not_modified(request, etag, last_modified):
                return Reply(304, headers=validators)
            return Reply(200, data, headers=validators, content_type=content_type)

        self.add(path, handler=answer)

    # -- recorded requests

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def requests_for(self, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if path in (r.path, r.target, f"{r.path}?{r.query}")]

    def count(self, path: str | None = None) -> int:
        return len(self.requests if path is None else self.requests_for(path))

    def clear(self) -> None:
        with self._lock:
            self._requests.clear()

    # -- answering

    def _reply_for(self, request: RecordedRequest) -> Reply:
        with self._lock:
            route = self._routes.get(f"{request.path}?{request.query}") or self._routes.get(request.path)
        if route is not None:
            return route.next(request)
        if self.root is not None:
            return self._file(request)
        return Reply(404, b"not found\n", content_type="text/plain")

    def _file(self, request: RecordedRequest) -> Reply:
        relative = posixpath.normpath(request.path).lstrip("/")
        target = (self.root / relative).resolve()
        if target != self.root and self.root not in target.parents:
            return Reply(403, b"forbidden\n", content_type="text/plain")
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            return Reply(404, b"not found\n", content_type="text/plain")
        stat = target.stat()
        etag = '"' + hashlib.sha1(f"{stat.st_size}-{stat.st_mtime_ns}".encode()).hexdigest()[:16] + '"'
        last_modified = email.utils.formatdate(stat.st_mtime, usegmt=True)
        headers = {"ETag": etag, "Last-Modified": last_modified}
        if _not_modified(request, etag, last_modified):
            return Reply(304, headers=headers)
        content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        return Reply(200, target.read_bytes(), headers=headers, content_type=content_type)

    def _forward(self, request: RecordedRequest) -> Reply:
        parts = urlsplit(request.target)
        if parts.scheme.lower() != "http":
            return Reply(501, b"only plain HTTP is proxied\n", content_type="text/plain")
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=10)
        try:
            connection.request(request.method, path, body=request.body or None, headers=headers)
            upstream = connection.getresponse()
            body = upstream.read()
        except (OSError, http.client.HTTPException) as e:
            return Reply(
                502, f"proxy could not reach {parts.netloc}: {e}\n".encode(), content_type="text/plain"
            )
        finally:
            connection.close()
        passed = [
            (k, v)
            for k, v in upstream.getheaders()
            if k.lower() not in HOP_BY_HOP and k.lower() != "content-length"
        ]
        passed.append(("Via", "1.1 hlj-fixture-proxy"))
        return Reply(upstream.status, body, headers=passed)


def _not_modified(request: RecordedRequest, etag: str | None, last_modified: str | None) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
        return etag is not None and ("*" in tags or etag.removeprefix("W/") in tags)
    since = request.headers.get("If-Modified-Since")
    if since and last_modified:
        try:
            return email.utils.parsedate_to_datetime(last_modified) <= email.utils.parsedate_to_datetime(
                since
            )
        except (TypeError, ValueError):
            return False
    return False


def server_fixture(
    root: str | Path | None = None,
    *,
    proxy: bool = False,
    tls: tuple[str | Path, str | Path] | None = None,
    scope: str = "function",
    name: str | None = None,
):
    """A pytest fixture yielding a started :class:`FixtureServer` and stopping it afterwards.

    Assign it in a test module or conftest: ``site = server_fixture(SAMPLE_SITE)``, then take ``site``."""
    import pytest  # noqa: PLC0415 -- the script entry point must not need pytest

    @pytest.fixture(scope=scope, name=name)
    def _server():
        with FixtureServer(root, proxy=proxy, tls=tls) as server:
            yield server

    return _server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve a directory (e.g. the demo sample site) over HTTP.")
    parser.add_argument("directory", type=Path)
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: a free one)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    args = parser.parse_args(argv)
    if not args.directory.is_dir():
        parser.error(f"{args.directory} is not a directory")
    server = FixtureServer(args.directory, host=args.host, port=args.port, verbose=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop cleanly under `kill` too
    with server:
        print(f"Serving {server.root} at {server.base_url}/ (Ctrl-C to stop)", flush=True)
        try:
            while True:
                time.sleep(3600)
        except (KeyboardInterrupt, SystemExit):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
