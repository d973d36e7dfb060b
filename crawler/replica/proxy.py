"""An HTTP proxy on loopback that answers for real host names with replica sites: nothing leaves the machine.

Crawlers are pointed at it with the standard proxy variables (`proxy.env()`:
http_proxy, https_proxy, ... ; Scrapy's HttpProxyMiddleware and urllib both
read them):

    with ReplicaProxy() as proxy:
        proxy.add_site("camtu.thanhhoa.gov.vn", site)   # a crawler.replica.content.Site, bound by the caller
        proxy.mark_down("old.thanhhoa.gov.vn")          # 502 Connection refused
        proxy.mark_error("broken.thanhhoa.gov.vn")      # tunnel opens, every request answers 503
        os.environ.update(proxy.env())
        urllib.request.urlopen("https://camtu.thanhhoa.gov.vn/", context=ssl._create_unverified_context())
        proxy.requests("camtu.thanhhoa.gov.vn")         # ["/"]

`CONNECT host:port` to a served host answers "200 Connection established",
then the tunnel is TLS (a self-signed certificate, EC P-256, CN "vn-portals
replica", made once per process; clients here do not verify) or plain HTTP
when the client does not start a TLS handshake, and carries keep-alive
HTTP/1.1 requests, each answered by the host's site with the fleet's answer
logic (`server._Handler._answer`: validators, 304, HEAD). Absolute-form
plain requests (`GET http://host/path HTTP/1.1`) are dispatched by host too.
A host nobody serves answers `502 Unknown Host` (what squid says when DNS
fails) with an empty body.

Hosts are looked up in the table `add_site` / `mark_down` / `mark_error` fill,
then by the `resolver` given (host -> Route or None), which lets a caller
build sites lazily on first contact (`crawler.replica.nation`).

Request log: `requests(host)` lists every request target a host received
(path + query), "CONNECT" for a tunnel asked of an unknown or down host;
`hosts_contacted()` every host named in the log, `responses(host)` the
(target, status) answers, `clear_requests()` forgets both.
"""

from __future__ import annotations

import socket
import socketserver
import ssl
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from crawler.replica.content import Page
from crawler.replica.server import _Handler

CERT_CN = "vn-portals replica"
PROXY_HEADER = "squid/6.6"
IDLE_SECONDS = 30             # a keep-alive connection idle this long is closed
ERROR_BODY = ("<!DOCTYPE html><html><head><title>503 Service Unavailable</title></head><body>"
              "<h1>Service Unavailable</h1><p>The server is temporarily unable to service your request.</p>"
              "</body></html>")


@dataclass(frozen=True)
class Route:
    """How the proxy answers for one host: "site" (`app(path, query) -> Page`), "down" or "error"."""

    kind: str
    app: Callable[[str, dict], Page] | None = None
    server_header: str = "nginx"
    extra_headers: tuple[tuple[str, str], ...] = ()
    error_status: int = 503

    @classmethod
    def site(cls, site) -> Route:
        """The route of a replica `Site` (its answer, Server header and extra headers)."""
        return cls("site", site.answer, site.server_header, tuple(site.extra_headers))


DOWN = Route("down")


@dataclass
class _VHost:
    """What `_Handler._answer` needs of a server: name, app, fleet (the request log), headers."""

    name: str
    app: Callable[[str, dict], Page]
    fleet: ReplicaProxy
    server_header: str = "nginx"
    extra_headers: tuple[tuple[str, str], ...] = field(default_factory=tuple)


@lru_cache(maxsize=1)
def certificate() -> tuple[bytes, bytes]:
    """(certificate PEM, private key PEM): self-signed, EC P-256, CN "vn-portals replica"; once per process."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, CERT_CN)])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
            .sign(key, hashes.SHA256()))
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


@lru_cache(maxsize=1)
def server_context() -> ssl.SSLContext:
    """The TLS server context of every tunnel (HTTP/1.1 only)."""
    cert_pem, key_pem = certificate()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    with tempfile.TemporaryDirectory(prefix="replica-cert-") as folder:
        cert_file, key_file = Path(folder, "cert.pem"), Path(folder, "key.pem")
        cert_file.write_bytes(cert_pem)
        key_file.write_bytes(key_pem)
        context.load_cert_chain(cert_file, key_file)
    context.set_alpn_protocols(["http/1.1"])
    return context


def _host_port(authority: str, default_port: int) -> tuple[str, int]:
    host, _, port = authority.rpartition(":") if authority.rsplit(":", 1)[-1].isdigit() else (authority, "", "")
    return host.strip("[]").lower().rstrip("."), int(port) if port else default_port


class _ProxyServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, proxy: ReplicaProxy):
        self.proxy = proxy
        super().__init__(address, _ProxyHandler)

    def server_bind(self) -> None:  # no reverse DNS lookup (see server._Server)
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), port

    def handle_error(self, request, client_address) -> None:  # a client going away is no error worth a traceback
        import sys
        if not isinstance(sys.exc_info()[1], (OSError, ssl.SSLError)):
            super().handle_error(request, client_address)


class _ProxyHandler(_Handler):
    """One client connection: proxy requests (CONNECT, absolute-form), then the tunnel's requests if any."""

    server: _ProxyServer
    timeout = IDLE_SECONDS

    def setup(self) -> None:
        super().setup()
        self._vhost: _VHost | None = None
        self._tunnel: _VHost | None = None   # the host a CONNECT tunnel is open to
        self._tls: ssl.SSLSocket | None = None
        self.server.proxy._track(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.proxy._untrack(self._tls or self.connection)
            if self._tls is not None:
                try:
                    self._tls.close()
                except OSError:
                    pass

    def vhost(self):
        return self._vhost

    def version_string(self) -> str:
        return self._vhost.server_header if self._vhost else PROXY_HEADER

    # Proxy requests -------------------------------------------------------------------------------
    def do_CONNECT(self) -> None:
        proxy = self.server.proxy
        if self._tunnel is not None:  # CONNECT inside a tunnel: not a proxy any more
            self._plain(400, "Bad Request")
            return
        host, _ = _host_port(self.path, 443)
        route = proxy._route(host)
        if route is None or route.kind == "down":
            proxy._record(host, "CONNECT")
            proxy._record_response(host, "CONNECT", 502)
            self._plain(502, "Unknown Host" if route is None else "Connection refused")
            return
        self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        self.wfile.flush()
        try:
            first = self.connection.recv(1, socket.MSG_PEEK)
        except OSError:
            first = b""
        if not first:
            self.close_connection = True
            return
        if first == b"\x16":  # a TLS handshake: the tunnel is https
            try:
                self.connection.settimeout(10)
                tls = server_context().wrap_socket(self.connection, server_side=True)
                tls.settimeout(IDLE_SECONDS)
            except (OSError, ssl.SSLError):
                self.close_connection = True
                return
            proxy._untrack(self.connection)
            self._tls = tls
            proxy._track(tls)
            self.connection = self.request = tls
            self.rfile = tls.makefile("rb", self.rbufsize)
            self.wfile = socketserver._SocketWriter(tls)
        self._tunnel = self._vhost_for(host, route)
        self.close_connection = False  # go on reading requests, now from the tunnel

    def do_GET(self) -> None:
        self._dispatch(send_body=True)

    def do_HEAD(self) -> None:
        self._dispatch(send_body=False)

    def _dispatch(self, send_body: bool) -> None:
        proxy = self.server.proxy
        if self._tunnel is not None:
            self._vhost = self._tunnel
        else:
            parts = urlsplit(self.path)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                self._plain(400, "Bad Request")
                return
            host, _ = _host_port(parts.netloc, 80)
            route = proxy._route(host)
            if route is None or route.kind == "down":
                target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
                proxy._record(host, target)
                proxy._record_response(host, target, 502)
                self._plain(502, "Unknown Host" if route is None else "Connection refused")
                return
            self._vhost = self._vhost_for(host, route)
        try:
            self._answer(send_body)
        finally:
            if self._tunnel is None:
                self._vhost = None

    def _vhost_for(self, host: str, route: Route) -> _VHost:
        if route.kind == "error":
            status = route.error_status
            reason = "Service Unavailable" if status == 503 else "Internal Server Error"
            body = ERROR_BODY.replace("503 Service Unavailable", f"{status} {reason}").replace(
                "Service Unavailable", reason)
            return _VHost(host, lambda path, query: Page(body, status=status), self.server.proxy, route.server_header)
        return _VHost(host, route.app, self.server.proxy, route.server_header, route.extra_headers)

    def _plain(self, status: int, reason: str) -> None:
        """A proxy's own answer: status line, no body; the connection ends."""
        self.close_connection = True
        self.send_response(status, reason)
        self.send_header("Content-Length", "0")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.flush()


class ReplicaProxy:
    """The proxy: `start()`, then `url` / `env()` for the crawler; `requests(host)` for tests."""

    def __init__(self, resolver: Callable[[str], Route | None] | None = None, host: str = "127.0.0.1",
                 port: int = 0):
        self.resolver = resolver
        self.host, self.port = host, port
        self._routes: dict[str, Route] = {}
        self._log: dict[str, list[str]] = {}
        self._responses: dict[str, list[tuple[str, int]]] = {}
        self._lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._server: _ProxyServer | None = None
        self._thread: threading.Thread | None = None
        # What `_Handler._answer` reads of a fleet: no faults, no delay.
        self._faults: dict = {}
        self.delay = 0.0
        self.hang_seconds = 0.0
        self._stopping = threading.Event()

    # Hosts -----------------------------------------------------------------------------------------
    def add_site(self, host: str, site) -> None:
        """Serve `site` (a bound replica Site, or a Route) under `host`."""
        self._routes[host.lower()] = site if isinstance(site, Route) else Route.site(site)

    def mark_down(self, host: str) -> None:
        self._routes[host.lower()] = DOWN

    def mark_error(self, host: str, status: int = 503) -> None:
        self._routes[host.lower()] = Route("error", error_status=status)

    def _route(self, host: str) -> Route | None:
        route = self._routes.get(host)
        if route is None and self.resolver is not None:
            route = self.resolver(host)
        return route

    # Lifecycle -------------------------------------------------------------------------------------
    def start(self) -> ReplicaProxy:
        if self._server is not None:
            raise RuntimeError("proxy already started")
        self._stopping.clear()
        self._server = _ProxyServer((self.host, self.port), self)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="replica-proxy", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop at once: the listening socket and every open connection are shut down."""
        if self._server is None:
            return
        self._stopping.set()
        server, self._server = self._server, None
        server.shutdown()
        with self._lock:
            connections = list(self._connections)
            self._connections.clear()
        for connection in connections:
            try:
                socket.socket.shutdown(connection, socket.SHUT_RDWR)
            except OSError:
                pass
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> ReplicaProxy:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the proxy is not started: call start() first")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def env(self) -> dict[str, str]:
        """The proxy variables to point a crawler (Scrapy, urllib, curl) at the proxy."""
        url, local = self.url, "localhost,127.0.0.1,::1"
        return {"http_proxy": url, "https_proxy": url, "HTTP_PROXY": url, "HTTPS_PROXY": url,
                "no_proxy": local, "NO_PROXY": local}

    # Request log -----------------------------------------------------------------------------------
    def requests(self, host: str) -> list[str]:
        """Request targets `host` received, in arrival order; "CONNECT" for a tunnel refused (unknown, down)."""
        with self._lock:
            return list(self._log.get(host.lower(), ()))

    def responses(self, host: str) -> list[tuple[str, int]]:
        with self._lock:
            return list(self._responses.get(host.lower(), ()))

    def hosts_contacted(self) -> set[str]:
        with self._lock:
            return {host for host, log in self._log.items() if log}

    def clear_requests(self) -> None:
        with self._lock:
            self._log.clear()
            self._responses.clear()

    def _record(self, host: str, target: str) -> None:
        with self._lock:
            self._log.setdefault(host, []).append(target)

    def _record_response(self, host: str, target: str, status: int) -> None:
        with self._lock:
            self._responses.setdefault(host, []).append((target, status))

    def _track(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.add(connection)

    def _untrack(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.discard(connection)

