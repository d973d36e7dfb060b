"""The replica fleet server: one loopback HTTP server per portal plus one media server, each on its own address.

`Fleet` builds every replica site from the seed, starts a ThreadingHTTPServer
per portal (and one for images), records the request paths each portal
receives, and hands out registry entries pointing at the replicas. Every
server listens on its own IPv4 loopback address, so a crawler sees one host
per portal (Scrapy's per-host politeness applies to each on its own): with
host 127.0.0.1, portal i of PORTAL_IDS gets 127.0.0.(2+i) and the media
server the address after the last portal's. Ports are free ones unless a
port is given, which then every address uses. `serve` runs a fleet in the
foreground for manual crawls.

Variants (`crawler.replica.variants`, commune sites on layouts no selector
table knows) and the two special sites (`crawler.replica.specials`) continue
the address scheme: after the media server come "nonportal", "emptyportal",
then variant k, so with host 127.0.0.1 nonportal is 127.0.0.9, emptyportal
127.0.0.10 and variant k 127.0.0.(10+k) (consecutive addresses run on into
the next /24 when a high host needs it). They are never registry entries:
variants are meant to be onboarded with `portals add`.

Publishing over time: every site but the two special ones can publish new
articles after the fleet was built (`Fleet.publish`, or `publish_every`
seconds a background thread publishes one on every known portal). A fresh
article is unreachable (404) and linked nowhere until published; then it
tops the first list page, the feeds, the sitemap and the side lists ("Tin
mới nhất"), dated after everything the site had (the next morning, then a
few hours apart). `Fleet.articles` is always the published set. Nothing
published, every page is byte for byte what it was before publishing existed.

Conditional requests: 200 HTML and XML answers (pages, RSS, sitemaps; not
robots.txt, redirects, errors or images) carry validators by the site's
policy, as their real servers do:

    platform                                ETag   Last-Modified
    vnpt (muonglat, camtu)                  yes    yes
    sharepoint (quanhoa, nongcong)          no     yes
    newspapers (baolaocai, baothanhhoa)     yes    yes
    variant family A (WordPress-like)       yes    yes
    variant family B (Joomla-like)          no     no
    variant family C (Bootstrap cards)      yes    no
    variant family D (old ASP.NET)          no     yes
    nonportal, emptyportal, media server    no     no

The ETag is a strong hash of the body ("<32 hex>"), so it changes whenever
the page does (a side list after a publish included). Last-Modified (RFC 7231
date, GMT) is an article page's own CMS time, else the newest CMS time
(`Article.listed_at`, to the second) among the articles the page links; a
page linking none has no Last-Modified. A GET or HEAD whose If-None-Match
matches the ETag (weak comparison, "*" too) answers 304 Not Modified without
a body; without If-None-Match, an If-Modified-Since not older than the
Last-Modified does. So If-Modified-Since on an article page stays 304 after a
publish, though its side list changed, as on a real CMS. `Fleet.requests`
records every request target on arrival, `Fleet.responses` each (target,
status) answered, 304 included.

Faults (`crawler.replica.faults`): `Fleet(faults="5xx=0.1,timeout=0.05,...")`
makes the known portals misbehave the way real ones do, reproducibly (the
draws are hashes of the seed and the request): transient errors, hangs,
resets, truncated and slow bodies, 503 on robots.txt; articles removed,
redirected (in chains or loops), huge or binary; pages in other charsets or
broken HTML; a crawler trap of endless pages. The media server, variants and
special sites never fail. `Fleet.faults_injected` logs what was served,
`Fleet.unreachable` names the articles no crawler can get. A request that
hangs or is reset gets no entry in `Fleet.responses`. `Fleet.switch_template`
gives a portal a new layout (class and id names) with the same URLs and text.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import signal
import socket
import socketserver
import struct
import sys
import threading
import time
import traceback
import zlib
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import parse_qs, unquote, urlsplit

from crawler.replica import newspapers, sharepoint, syndication, vnpt
from crawler.replica.content import Article, Page, Site
from crawler.replica.faults import SLOW_CHUNKS, SLOW_SECONDS, FaultSpec, PortalFaults
from crawler.replica.seeds import FIXED, SEED_PORTALS
from crawler.replica.specials import SPECIAL_IDS, make_special
from crawler.replica.variants import MAX_VARIANTS, make_variant, variant_id

# Address order: with host 127.0.0.1 portal i listens on 127.0.0.(2+i), the media server on 127.0.0.8,
# then nonportal, emptyportal and the variants (variant k on 127.0.0.(10+k)).
PORTAL_IDS = ("muonglat", "camtu", "quanhoa", "nongcong", "baolaocai", "baothanhhoa")
MIN_ARTICLES = 6
MIN_VARIANT_ARTICLES = 1
_BUILDERS: dict[str, Callable[..., Site]] = {
    "muonglat": vnpt.make_site, "camtu": vnpt.make_site,
    "quanhoa": sharepoint.make_site, "nongcong": sharepoint.make_site,
    "baolaocai": newspapers.make_site, "baothanhhoa": newspapers.make_site,
}


def _png() -> bytes:
    """A valid 1x1 grey PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x80")) + chunk(b"IEND", b"")


def _jpeg() -> bytes:
    """A valid 1x1 baseline JPEG: one grey pixel (DC 0, then end-of-block), one-code Huffman tables."""
    def segment(marker: int, data: bytes) -> bytes:
        return struct.pack(">BBH", 0xFF, marker, len(data) + 2) + data
    jfif = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    quant = b"\x00" + b"\x01" * 64
    frame = struct.pack(">BHHB", 8, 1, 1, 1) + b"\x01\x11\x00"
    one_code = b"\x01" + b"\x00" * 15 + b"\x00"  # a single 1-bit code for symbol 0
    huffman = b"\x00" + one_code + b"\x10" + one_code  # DC table 0, AC table 0
    scan = b"\x01\x01\x00\x00\x3f\x00"
    return (b"\xff\xd8" + segment(0xE0, jfif) + segment(0xDB, quant) + segment(0xC0, frame)
            + segment(0xC4, huffman) + segment(0xDA, scan) + b"\x3f" + b"\xff\xd9")


JPEG = _jpeg()
PNG = _png()
GIF = base64.b64decode("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==")
IMAGE_TYPES = {".jpg": ("image/jpeg", JPEG), ".jpeg": ("image/jpeg", JPEG), ".png": ("image/png", PNG), ".gif": ("image/gif", GIF)}


def media_page(path: str) -> Page:
    """The media server: a tiny valid image for any image path, 404 for anything else."""
    suffix = Path(path.lower()).suffix
    if suffix not in IMAGE_TYPES:
        return Page("not found", status=404, content_type="text/plain; charset=utf-8")
    content_type, data = IMAGE_TYPES[suffix]
    return Page(data, content_type=content_type, headers=(("Cache-Control", "public, max-age=31536000"),))


class _Server(ThreadingHTTPServer):
    daemon_threads = True         # a slow (delayed) answer must never block stop()
    allow_reuse_address = True

    def __init__(self, address, name: str, app: Callable[[str, dict], Page], fleet: Fleet, server_header: str,
                 extra_headers: Iterable[tuple[str, str]] = ()):
        super().__init__(address, _Handler)
        self.name, self.app, self.fleet = name, app, fleet
        self.server_header, self.extra_headers = server_header, tuple(extra_headers)

    def server_bind(self) -> None:
        """Bind without HTTPServer's reverse DNS lookup of the address (getfqdn), which costs up to 0.1 s per
        address where no resolver answers: a fleet of 50 variants would take seconds to start."""
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), port


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def vhost(self):
        """What answers this request: the server itself here (name, app, fleet, server_header, extra_headers);
        the replica proxy (`crawler.replica.proxy`) answers for the host a request is addressed to instead."""
        return self.server

    def version_string(self) -> str:
        return self.vhost().server_header

    def log_message(self, format: str, *args) -> None:  # quiet: tests and crawls read the request log instead
        pass

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, send_body: bool) -> None:
        target = self.path
        if target.startswith(("http://", "https://")):  # absolute-form request line (proxies)
            parts = urlsplit(target)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
        vhost = self.vhost()
        fleet = vhost.fleet
        fleet._record(vhost.name, target)
        parts = urlsplit(target)
        path, query = unquote(parts.path) or "/", parse_qs(parts.query)
        faults = fleet._faults.get(vhost.name)
        wire, nth = (faults.transient(target, path) if faults else None) or (None, 0)  # this request's transient fault
        if wire in ("timeout", "reset"):
            self._drop(wire)
            return
        try:
            if wire in ("5xx", "robots5xx"):
                page = faults.failure(wire, target, nth)
            else:
                page = faults.answer(path, query, target) if faults else vhost.app(path, query)
        except Exception:  # a replica bug shows up as a 500, like a real server error, and on stderr
            traceback.print_exc()
            page = Page("Internal Server Error", status=500, content_type="text/plain; charset=utf-8")
        if page.is_article and fleet.delay > 0:
            fleet._stopping.wait(fleet.delay)
        validators = ((("ETag", page.etag),) if page.etag else ()) + (
            (("Last-Modified", http_date(page.last_modified)),) if page.last_modified else ())
        unchanged = page.status == 200 and not_modified(page, self.headers)
        fleet._record_response(vhost.name, target, 304 if unchanged else page.status)
        if unchanged:  # 304: the validators and the server's own headers, no body
            self.send_response(304)
            for name, value in vhost.extra_headers + validators:
                self.send_header(name, value)
            self.end_headers()
            return
        body = page.encoded()
        self.send_response(page.status)
        self.send_header("Content-Type", page.content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in vhost.extra_headers + page.headers + validators:
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self._send_body(body, wire)

    def _drop(self, wire: str) -> None:
        """A request that gets no answer: silence for `hang_seconds` (or until stop), or a connection reset."""
        self.close_connection = True
        if wire == "timeout":
            self.vhost().fleet._stopping.wait(self.vhost().fleet.hang_seconds)
            return
        # Linger 0: close() sends RST instead of FIN, so the client sees "connection reset by peer".
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()

    def _send_body(self, body: bytes, wire: str | None) -> None:
        if wire == "truncate":  # half of what Content-Length promised, then the connection ends
            self.wfile.write(body[:len(body) // 2])
            self.close_connection = True
        elif wire == "slow":
            size = max(1, -(-len(body) // SLOW_CHUNKS))
            for start in range(0, len(body), size):
                if self.vhost().fleet._stopping.wait(SLOW_SECONDS / SLOW_CHUNKS):
                    self.close_connection = True
                    return
                self.wfile.write(body[start:start + size])
        else:
            self.wfile.write(body)


def http_date(when: datetime) -> str:
    """RFC 7231 IMF-fixdate: "Wed, 25 Feb 2026 11:00:00 GMT"."""
    return format_datetime(when.astimezone(UTC).replace(microsecond=0), usegmt=True)


def not_modified(page: Page, headers) -> bool:
    """Whether a GET/HEAD for `page` is answered 304 (RFC 7232 section 6).

    If-None-Match decides when present (weak comparison, "*" matches any
    page): a page without an ETag never matches, and If-Modified-Since is
    then not looked at. Otherwise If-Modified-Since, a valid HTTP date not
    older than the page's Last-Modified, gives a 304.
    """
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
        return page.etag is not None and ("*" in tags or page.etag in tags)
    if_modified_since = headers.get("If-Modified-Since")
    if not if_modified_since or page.last_modified is None:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError, IndexError):
        return False
    if since.tzinfo is None:  # "-0000": UTC
        since = since.replace(tzinfo=UTC)
    return page.last_modified.replace(microsecond=0) <= since


def loopback_addresses(host: str, count: int) -> list[str]:
    """The `count` IPv4 addresses after `host` ("localhost" is 127.0.0.1), all in 127.0.0.0/8."""
    try:
        first = ipaddress.IPv4Address("127.0.0.1" if host == "localhost" else host)
    except ValueError:
        raise ValueError(f"replica host {host!r} is not an IPv4 address") from None
    loopback = ipaddress.IPv4Network("127.0.0.0/8")
    addresses = [first + offset for offset in range(1, count + 1)] if first in loopback else []
    if not addresses or addresses[-1] not in loopback or addresses[-1] == loopback.broadcast_address:
        raise ValueError(f"replica host {host}: the fleet needs {count} consecutive loopback addresses after it, "
                         "inside 127.0.0.0/8")
    return [str(address) for address in addresses]


class Fleet:
    """The replica sites of every portal, served on loopback, one address each.

    Usage: `with Fleet(seed=1) as fleet: fleet.base_url("muonglat")` gives
    "http://127.0.0.2:40123"; `fleet.articles(id)` is the truth to compare a crawl with,
    `fleet.seed_article("000")` the article rebuilt from a seed page.
    A portal's address follows from its place in PORTAL_IDS (after `host`), also
    in a fleet of a few portals; the media server has the one after them all.

    `variants=N` adds commune sites "variant01" ... on layouts the crawler has no
    selectors for (`fleet.variant_ids`, `fleet.variant_info(id)`), each with
    `articles_per_variant` articles; the special sites "nonportal" and
    "emptyportal" (`fleet.special_ids`) come with them, or alone with
    `specials=True`. Their addresses follow the media server's: the specials',
    then variant k's at host + 9 + k, whatever the fleet's size.

    `fleet.publish(id)` publishes the portal's next new article (`publish()`:
    one on every known portal; variants publish when asked by id), and
    `fleet.upcoming(id)` shows what comes next without publishing it;
    `publish_every=S` publishes one on every known portal every S seconds
    while the fleet runs. `fleet.published_count(id)` counts them.

    `faults` (a `FaultSpec` or its text, "5xx=0.1,timeout=0.05") makes the known
    portals fail as `crawler.replica.faults` describes; a "timeout" hangs for
    `hang_seconds`. `fleet.faults_injected(id)` lists the (target, kind) faults
    served, `fleet.unreachable(id)` the {url: reason} articles no crawler can get,
    and `fleet.switch_template(id)` renames every class and id of the portal's
    pages (`back=True` restores them).
    """

    def __init__(self, host: str = "127.0.0.1", seed: int = 1, articles_per_portal: int = 45, delay: float = 0.0,
                 portals: Iterable[str] | None = None, variants: int = 0, articles_per_variant: int = 15,
                 specials: bool | None = None, publish_every: float | None = None,
                 faults: FaultSpec | str | None = None, hang_seconds: float = 30, syndicated: int = 0):
        if publish_every is not None and not publish_every > 0:
            raise ValueError("publish_every must be a positive number of seconds (or None)")
        if not 0 <= variants <= MAX_VARIANTS:
            raise ValueError(f"variants must be between 0 and {MAX_VARIANTS}")
        if variants and articles_per_variant < MIN_VARIANT_ARTICLES:
            raise ValueError(f"articles_per_variant must be at least {MIN_VARIANT_ARTICLES}")
        if not hang_seconds >= 0:
            raise ValueError("hang_seconds must be zero or more")
        ids = list(portals) if portals is not None else list(PORTAL_IDS)
        unknown = [pid for pid in ids if pid not in _BUILDERS]
        if unknown:
            raise ValueError(f"unknown replica portal(s) {unknown}; known: {', '.join(PORTAL_IDS)}")
        # Every fleet publishes the seed pages and what they list; a portal needs room for one drawn article more.
        needed = max([MIN_ARTICLES, *(len(FIXED.get(pid, ())) + 1 for pid in ids)])
        if articles_per_portal < needed:
            raise ValueError(f"articles_per_portal must be at least {needed} for portals {', '.join(ids)}")
        specials = bool(variants) if specials is None else specials
        self.variant_ids = [variant_id(k) for k in range(1, variants + 1)]
        self.special_ids = list(SPECIAL_IDS) if specials else []
        extra = len(SPECIAL_IDS) + variants if variants or specials else 0
        addresses = loopback_addresses(host, len(PORTAL_IDS) + 1 + extra)
        media = len(PORTAL_IDS)
        self.addresses = ({pid: addresses[PORTAL_IDS.index(pid)] for pid in ids} | {"media": addresses[media]}
                          | {sid: addresses[media + 1 + SPECIAL_IDS.index(sid)] for sid in self.special_ids}
                          | {vid: addresses[media + len(SPECIAL_IDS) + k] for k, vid in enumerate(self.variant_ids, 1)})
        self.host, self.seed, self.delay, self.publish_every = host, seed, delay, publish_every
        # --- syndicated: `syndicated` groups of copies and near misses on top of each portal's own articles
        extra = syndication.plan(seed, ids, syndicated) if syndicated else {}
        self.sites: dict[str, Site] = {pid: _BUILDERS[pid](pid, seed, articles_per_portal, extra.get(pid, ()))
                                       for pid in ids}
        # --- end syndicated
        self.sites |= {sid: make_special(sid) for sid in self.special_ids}
        self.sites |= {vid: make_variant(k, seed, articles_per_variant) for k, vid in enumerate(self.variant_ids, 1)}
        # Every known portal answers through its PortalFaults (which, without faults, changes nothing).
        self.faults = FaultSpec.parse(faults) if isinstance(faults, str) else faults or FaultSpec()
        self.hang_seconds = hang_seconds
        self._faults = {pid: PortalFaults(site, self.faults, seed) for pid, site in self.sites.items() if pid in _BUILDERS}
        self.media_url = ""
        self._servers: dict[str, _Server] = {}
        self._threads: list[threading.Thread] = []
        self._log: dict[str, list[str]] = {name: [] for name in [*self.sites, "media"]}
        self._responses: dict[str, list[tuple[str, int]]] = {name: [] for name in [*self.sites, "media"]}
        self._arrivals: dict[str, list[float]] = {name: [] for name in [*self.sites, "media"]}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._publisher: threading.Thread | None = None

    # Lifecycle ----------------------------------------------------------------------------------
    def start(self, port: int = 0) -> Fleet:
        """Bind every server on its own address (a free port each, or `port` on all) and serve in daemon threads."""
        if self._servers:
            raise RuntimeError("fleet already started")
        try:
            for name, address in self.addresses.items():
                site = self.sites.get(name)
                if site is None:
                    self._servers[name] = _Server((address, port), name, lambda path, query: media_page(path), self, "nginx")
                else:
                    self._servers[name] = _Server((address, port), name, site.answer, self, site.server_header,
                                                  site.extra_headers)
        except OSError:
            self._close()
            raise
        self.media_url = self._url("media")
        for name, site in self.sites.items():
            site.bind(self._url(name), self.media_url)
        self._stopping.clear()
        for name, server in self._servers.items():
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                                      name=f"replica-{name}", daemon=True)
            thread.start()
            self._threads.append(thread)
        if self.publish_every:
            self._publisher = threading.Thread(target=self._publish_periodically, name="replica-publisher", daemon=True)
            self._publisher.start()
        return self

    def _publish_periodically(self) -> None:
        """Every `publish_every` seconds one new article on every known portal, until stop()."""
        while not self._stopping.wait(self.publish_every):
            try:
                self.publish()
            except Exception:  # a replica bug must not end the fleet's publishing silently
                traceback.print_exc()

    def _url(self, name: str) -> str:
        address, port = self._servers[name].server_address[:2]
        return f"http://{address}:{port}"

    def stop(self) -> None:
        """Stop serving and close every socket; delayed answers are released at once."""
        self._stopping.set()
        if self._publisher is not None:
            self._publisher.join(timeout=5)
            self._publisher = None
        # Each serving loop notices a shutdown request within one poll interval: ask them all at once.
        stoppers = [threading.Thread(target=server.shutdown, daemon=True) for server in self._servers.values()]
        for stopper in stoppers:
            stopper.start()
        for stopper in stoppers:
            stopper.join()
        for thread in self._threads:
            thread.join(timeout=5)
        self._close()

    def _close(self) -> None:
        for server in self._servers.values():
            server.server_close()
        self._servers.clear()
        self._threads.clear()

    def __enter__(self) -> Fleet:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # Queries ------------------------------------------------------------------------------------
    def _site(self, portal_id: str) -> Site:
        if portal_id not in self.sites:
            raise KeyError(f"portal {portal_id!r} is not in this fleet")
        if not self.sites[portal_id].base_url:
            raise RuntimeError("the fleet is not started: call start() first")
        return self.sites[portal_id]

    def base_url(self, portal_id: str) -> str:
        return self._site(portal_id).base_url

    def registry_entries(self) -> list[dict]:
        """Registry entries of the known portals (variants and specials are onboarded with `portals add`)."""
        return [self._site(pid).registry_entry() for pid in self.sites if pid in _BUILDERS]

    def variant_info(self, site_id: str) -> dict:
        """{"name": "Xã Hoằng Tiến", "province": "Thanh Hóa", "family": "A"} for a variant; a special site's
        family is its id ("nonportal", "emptyportal")."""
        if site_id not in self.variant_ids and site_id not in self.special_ids:
            raise KeyError(f"{site_id!r} is not a variant or special site of this fleet")
        site = self.sites[site_id]
        return site.commune.info() if site_id in self.variant_ids else site.info()

    def articles(self, portal_id: str) -> list[Article]:
        """The truth at this moment: every published article of the portal, newest first, with absolute URLs."""
        return list(self._site(portal_id).articles)

    # Publishing over time -----------------------------------------------------------------------
    def publishing_ids(self) -> list[str]:
        """The sites `publish()` (no id) and the `publish_every` thread publish on: the known portals."""
        return [pid for pid in self.sites if pid in _BUILDERS]

    def _publishing_site(self, portal_id: str) -> Site:
        if portal_id not in self.sites:
            raise KeyError(f"portal {portal_id!r} is not in this fleet")
        site = self.sites[portal_id]
        if not site.can_publish:
            raise ValueError(f"{portal_id!r} publishes no articles")
        return site

    def publish(self, portal_id: str | None = None, count: int = 1) -> list[Article]:
        """Publish the next `count` articles of `portal_id` (a known portal or a variant), or of every known
        portal of the fleet when None: they appear at the top of the first list page, in the feeds and side
        lists, and their pages answer. Returns them (per portal, oldest first), with absolute URLs once the
        fleet is started. Fresh articles are posted a few hours apart after the site's newest one, the same
        ones in the same order in every fleet with this seed, and there is no end to them."""
        if count < 0:
            raise ValueError("count must not be negative")
        sites = [self._publishing_site(pid) for pid in ([portal_id] if portal_id is not None else self.publishing_ids())]
        return [article for site in sites for article in site.publish(count)]

    def upcoming(self, portal_id: str, count: int = 1) -> list[Article]:
        """The next `count` articles `publish` will publish on the portal: not reachable (404) nor linked yet."""
        if count < 0:
            raise ValueError("count must not be negative")
        return self._publishing_site(portal_id).upcoming(count)

    def published_count(self, portal_id: str) -> int:
        """How many articles the portal published since the fleet was built (0 at first)."""
        if portal_id not in self.sites:
            raise KeyError(f"portal {portal_id!r} is not in this fleet")
        return self.sites[portal_id].published

    def seed_article(self, seed_id: str) -> Article:
        """The truth about seed page `seed_id` ("000".."004"): the article its portal publishes from it."""
        if seed_id not in SEED_PORTALS:
            raise KeyError(f"no seed {seed_id!r}; seeds: {', '.join(SEED_PORTALS)}")
        return next(a for a in self._site(SEED_PORTALS[seed_id]).articles if a.seed_id == seed_id)

    # Faults and layout changes ----------------------------------------------------------------
    def faults_injected(self, portal_id: str) -> list[tuple[str, str]]:
        """(request target, fault kind) of every fault served, in order (none on variants and specials)."""
        self._site(portal_id)
        faults = self._faults.get(portal_id)
        return faults.injected() if faults else []

    def unreachable(self, portal_id: str) -> dict[str, str]:
        """{url: reason} of the published articles no crawler can get ("removed", "redirect loop", "huge",
        "binary"); every other published article is reachable, transient faults notwithstanding."""
        self._site(portal_id)
        faults = self._faults.get(portal_id)
        return faults.unreachable() if faults else {}

    def switch_template(self, portal_id: str, back: bool = False) -> None:
        """From now on serve the known portal's HTML with every class and id renamed ("v2-..."), or, with
        `back`, as before. URLs, text and articles stay the same."""
        if portal_id not in self._faults:
            raise KeyError(f"{portal_id!r} is not a known portal of this fleet")
        self._faults[portal_id].switched = not back

    def requests(self, portal_id: str) -> list[str]:
        """Request targets (path + query) the portal received, in arrival order ("media" for images)."""
        with self._lock:
            return list(self._log[portal_id])

    def responses(self, portal_id: str) -> list[tuple[str, int]]:
        """(request target, status) of every answer the portal gave, in the order given; 304 for not modified."""
        with self._lock:
            return list(self._responses[portal_id])

    def arrival_times(self, portal_id: str) -> list[float]:
        """time.monotonic() of each request's arrival, in the order of `requests()` (to check request rates)."""
        with self._lock:
            return list(self._arrivals[portal_id])

    def clear_requests(self) -> None:
        """Forget the request, response and injected-fault logs (not how often each target was asked for)."""
        with self._lock:
            for log in (*self._log.values(), *self._responses.values(), *self._arrivals.values()):
                log.clear()
        for faults in self._faults.values():
            faults.clear()

    def _record(self, name: str, target: str) -> None:
        with self._lock:
            self._log[name].append(target)
            self._arrivals[name].append(time.monotonic())

    def _record_response(self, name: str, target: str, status: int) -> None:
        with self._lock:
            self._responses[name].append((target, status))


def registry_yaml(entries: list[dict]) -> str:
    """The registry file for `entries`: a top-level `portals:` list (JSON scalars are valid YAML)."""
    lines = ["# Replica fleet registry, written by crawler.replica.serve; valid while the fleet runs.", "portals:"]
    for entry in entries:
        first = True
        for key, value in entry.items():
            lines.append(f"  {'- ' if first else '  '}{key}: {json.dumps(value, ensure_ascii=False)}")
            first = False
    return "\n".join(lines) + "\n"


def serve(host: str = "127.0.0.1", port: int = 0, registry_out: str | Path | None = None, seed: int = 1,
          variants: int = 0, publish_every: float | None = None, faults: FaultSpec | str | None = None) -> None:
    """Run the whole fleet in the foreground until SIGINT or SIGTERM.

    Portal i (PORTAL_IDS order) listens on the address host + 1 + i, the media
    server on the next one; all on `port` when it is not 0 (http://127.0.0.2:8080,
    http://127.0.0.3:8080, ...), else each on a free port. Prints "id  base_url"
    per portal; with `variants` > 0 then "id  base_url  family" per variant
    (family A-D) and per special site (family "nonportal" / "emptyportal").
    The registry file lists the known portals only. With `publish_every`
    (seconds) every known portal publishes one new article that often.
    With `faults` (see `crawler.replica.faults`) the last line is "faults: SPEC".
    """
    fleet = Fleet(host=host, seed=seed, variants=variants, publish_every=publish_every, faults=faults).start(port=port)
    try:
        entries = fleet.registry_entries()
        if registry_out:
            Path(registry_out).write_text(registry_yaml(entries), encoding="utf-8")
        for entry in entries:
            print(f"{entry['id']}  {entry['base_url']}")
        for site_id in fleet.variant_ids + fleet.special_ids:
            print(f"{site_id}  {fleet.base_url(site_id)}  {fleet.variant_info(site_id)['family']}")
        if fleet.faults:
            print(f"faults: {fleet.faults}")
        sys.stdout.flush()
        wait_for_stop_signal()
    finally:
        fleet.stop()


def wait_for_stop_signal() -> None:
    """Block until SIGINT or SIGTERM (Ctrl-C included); the previous handlers are put back."""
    stop = threading.Event()
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous[signum] = signal.signal(signum, lambda *_: stop.set())
    try:
        while not stop.wait(0.2):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
