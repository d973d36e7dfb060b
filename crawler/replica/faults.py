"""Fault injection for the replica fleet: what goes wrong on real portals, on demand, reproducibly.

A `FaultSpec` names the faults and their probabilities, parsed from text such
as "5xx=0.1,timeout=0.05,reset=0.05,truncate=0.05" (`all=P` sets every kind to
P, the other entries then override it). `Fleet(faults=...)` gives each known
portal (never the media server, the variants or the special sites) a
`PortalFaults`, which decides every fault from a SHA-256 hash, so the same seed
and the same requests give the same faults, run after run.

Transient, drawn per request from (seed, kind, target, n), n counting the
requests for that target (path + query), so a retry may succeed. After three
transient faults in a row on one target the next request is served normally:
a crawler that retries three times always gets through.

    5xx        503 with "Retry-After: 1" (half of them) or 500, a short text body
    timeout    nothing at all for `hang_seconds` (Fleet, default 30), then the connection is closed
    reset      the connection is closed with SO_LINGER (1, 0): the client gets a connection reset
    truncate   full headers and Content-Length, half the body, then the connection is closed
    slow       the whole body in 10 chunks over 1.5 s
    robots5xx  503 for /robots.txt (and only there), like 5xx

Permanent, article pages only, drawn per article from (seed, kind, path): the
same articles fail on every request and in every run. At most one of these per
article, in this order:

    removed    404 or 410                                            unreachable
    redirect   301 to /__r/1<path>, 302 to /__r/2<path>, where the page is served;
               or, for a third of them, a loop: 301 to /__r/loop<path>, 302 back   loop: unreachable
    huge       the page padded past 20 MiB by an HTML comment, Content-Length set  unreachable
    binary     random bytes (PDF or ZIP magic) as application/octet-stream, or
               falsely as text/html                                  unreachable

Content faults, article pages, permanent per article; the text stays the same
for a crawler that reads the page correctly (both may hit one page):

    charset    one of: windows-1258 bytes (tone marks as combining characters),
               declared only by the <meta> tag; UTF-8 bytes under a Content-Type
               header that says windows-1252; UTF-8 in NFD (decomposed)
    malformed  no </p> and no </li>, a stray </div></span></table> after the
               body's first element, an unclosed <b> at the end of the footer

Site-level:

    trap       (a portal has it with probability P, drawn from (seed, "trap", portal))
               every paginated list page links "/lich-su?ngay=YYYY-MM-DD", a calendar
               of empty days each linking the day before, forever; and each list has a
               next page past its last one, forever (empty pages, the platform's pager)

`fleet.faults_injected(id)` lists each fault served as (target, kind);
`fleet.unreachable(id)` maps the published articles no crawler can get to the
reason ("removed", "redirect loop", "huge", "binary").

Layout change: `switch_layout(page)` prefixes every class and id value of an
HTML answer with "v2-" (and the ids and classes inline scripts look up), so
selectors written for the old layout find nothing while URLs and text stay;
`Fleet.switch_template` turns it on per portal.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import NamedTuple

from crawler.replica import newspapers, sharepoint, vnpt
from crawler.replica.content import Page, Site
from crawler.replica.markup import el, page_number, pager, paginate

TRANSIENT = ("5xx", "timeout", "reset", "truncate", "slow")
PERMANENT = ("removed", "redirect", "huge", "binary")
CONTENT = ("charset", "malformed")
SITE_LEVEL = ("trap", "robots5xx")
KINDS = TRANSIENT + PERMANENT + CONTENT + SITE_LEVEL
UNREACHABLE = {"removed": "removed", "redirect": "redirect loop", "huge": "huge", "binary": "binary"}

MAX_STREAK = 3                 # transient faults in a row on one target before it is served normally
HUGE_BYTES = 20 * 1024 * 1024
SLOW_CHUNKS, SLOW_SECONDS = 10, 1.5
CALENDAR = "/lich-su"
HOP = re.compile(r"^/__r/(1|2|loop)(/.*)$")
LAYOUT_PREFIX = "v2-"


@dataclass(frozen=True)
class FaultSpec:
    """Fault kinds and their probabilities: `FaultSpec.parse("5xx=0.1,timeout=0.05")`."""

    rates: tuple[tuple[str, float], ...] = ()  # (kind, probability above 0), in KINDS order

    @classmethod
    def parse(cls, text: str) -> FaultSpec:
        """Parse `KIND=P,...` (P from 0 to 1, `all=P` for every kind, "" for none); ValueError names a bad entry."""
        given: dict[str, float] = {}
        for item in text.split(",") if text.strip() else ():
            kind, sep, value = (part.strip() for part in item.partition("="))
            if not sep or not kind or not value:
                raise ValueError(f"fault spec entry {item.strip()!r} is not KIND=PROBABILITY")
            if kind != "all" and kind not in KINDS:
                raise ValueError(f"unknown fault kind {kind!r} (kinds: {', '.join(KINDS)}, all)")
            if kind in given:
                raise ValueError(f"fault kind {kind!r} is given twice")
            try:
                rate = float(value)
            except ValueError:
                rate = math.nan
            if not 0 <= rate <= 1:  # NaN fails too
                raise ValueError(f"fault {kind}={value}: the probability must be a number from 0 to 1")
            given[kind] = rate
        every = given.pop("all", 0.0)
        rates = {kind: given.get(kind, every) for kind in KINDS}
        return cls(tuple((kind, rate) for kind, rate in rates.items() if rate > 0))

    def rate(self, kind: str) -> float:
        return dict(self.rates).get(kind, 0.0)

    def __bool__(self) -> bool:
        return bool(self.rates)

    def __str__(self) -> str:
        return ",".join(f"{kind}={rate:g}" for kind, rate in self.rates) or "none"


def draw(*parts: object) -> float:
    """A number in [0, 1) fixed by `parts`, the same in every run (unlike hash())."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2 ** 64


class PortalFaults:
    """The faults of one known portal: decides them, builds the faulty answers and logs what it served.

    The server asks `transient` first (and performs timeout, reset, truncate and
    slow itself on the wire), then takes its page from `answer`.
    """

    def __init__(self, site: Site, spec: FaultSpec, seed: int):
        self.site, self.spec, self.seed = site, spec, seed
        self.trap = draw(seed, "trap", site.portal.id) < spec.rate("trap")
        self.switched = False     # Fleet.switch_template: serve the renamed layout
        self._injected: list[tuple[str, str]] = []
        self._requests: dict[str, int] = {}  # target -> requests so far (the n of transient draws)
        self._streaks: dict[str, int] = {}   # target -> transient faults in a row
        self._lock = threading.Lock()

    def _record(self, target: str, kind: str) -> None:
        with self._lock:
            self._injected.append((target, kind))

    def injected(self) -> list[tuple[str, str]]:
        """(target, kind) of every fault served so far."""
        with self._lock:
            return list(self._injected)

    def clear(self) -> None:
        """Forget the faults served (not the request counts transient draws depend on)."""
        with self._lock:
            self._injected.clear()

    # Decisions ----------------------------------------------------------------------------------
    def transient(self, target: str, path: str) -> tuple[str, int] | None:
        """(kind, n) of the transient fault for this request of `target`, its n-th; None to serve it."""
        kinds = [kind for kind in ("robots5xx", *TRANSIENT) if self.spec.rate(kind) > 0
                 and (kind != "robots5xx" or path.lower() == "/robots.txt")]
        if not kinds:
            return None
        with self._lock:
            n = self._requests[target] = self._requests.get(target, 0) + 1
            if self._streaks.get(target, 0) >= MAX_STREAK:
                self._streaks[target] = 0
                return None
            kind = next((kind for kind in kinds if draw(self.seed, kind, target, n) < self.spec.rate(kind)), None)
            self._streaks[target] = self._streaks.get(target, 0) + 1 if kind else 0
            if kind:
                self._injected.append((target, kind))
            return (kind, n) if kind else None

    def permanent(self, path: str) -> str | None:
        """The one permanent fault of the article at `path`, if any."""
        return next((kind for kind in PERMANENT if draw(self.seed, kind, path) < self.spec.rate(kind)), None)

    def loops(self, path: str) -> bool:
        """Whether a redirected article's chain is a loop (a third of them)."""
        return draw(self.seed, "redirect-loop", path) < 1 / 3

    def unreachable(self) -> dict[str, str]:
        """{url: reason} of the published articles no crawler can get."""
        out = {}
        for article in self.site.articles:
            kind = self.permanent(article.path)
            if kind in UNREACHABLE and (kind != "redirect" or self.loops(article.path)):
                out[article.url] = UNREACHABLE[kind]
        return out

    # Answers ------------------------------------------------------------------------------------
    def failure(self, kind: str, target: str, n: int) -> Page:
        """The 5xx answer of a "5xx" or "robots5xx" fault: 503 with Retry-After, or (5xx, half the time) 500."""
        if kind == "robots5xx" or draw(self.seed, "5xx-status", target, n) < 0.5:
            return Page("503 Service Unavailable\n", status=503, content_type="text/plain; charset=utf-8",
                        headers=(("Retry-After", "1"),))
        return Page("500 Internal Server Error\n", status=500, content_type="text/plain; charset=utf-8")

    def answer(self, path: str, query: dict[str, list[str]], target: str) -> Page:
        """The site's answer with the trap, the layout switch and the article faults applied."""
        with self.site.lock:  # one consistent view while a publish may run
            hop = HOP.match(path) if self.spec.rate("redirect") else None
            if hop:
                return self._hop(hop[1], hop[2], target)
            if self.trap and path.lower() == CALENDAR:
                self._record(target, "trap")
                return self._layout_of(self._calendar(query))
            page = self.site.answer(path, query)
            if self.trap:
                page = self._trapped(page, path, query, target)
            return self._article_faults(self._layout_of(page), target, redirected=False)

    def _layout_of(self, page: Page) -> Page:
        return switch_layout(page) if self.switched else page

    def _article_faults(self, page: Page, target: str, redirected: bool) -> Page:
        """An article page as its permanent and content faults make it (`redirected`: at the chain's end)."""
        if not (page.is_article and page.article):
            return page
        path = page.article.path
        kind = self.permanent(path)
        if kind == "redirect" and redirected:
            kind = None
        if kind:
            self._record(target, kind)
        if kind == "redirect":
            hop = "/__r/loop" if self.loops(path) else "/__r/1"
            return self.site.redirect(self.site.base_url + hop + path)
        if kind == "removed":
            status = 410 if draw(self.seed, "removed-status", path) < 0.5 else 404
            return replace(self.site.not_found(), status=status)
        if kind == "huge":
            return huge(page)
        if kind == "binary":
            return binary(self.seed, path)
        if draw(self.seed, "malformed", path) < self.spec.rate("malformed"):
            self._record(target, "malformed")
            page = rebody(page, malformed(page.body))
        if draw(self.seed, "charset", path) < self.spec.rate("charset"):
            self._record(target, "charset")
            page = recharset(page, int(draw(self.seed, "charset-variant", path) * 3))
        return page

    def _hop(self, step: str, path: str, target: str) -> Page:
        """/__r/1<path> -> 302 /__r/2<path> -> the page; /__r/loop<path> -> 302 back to the article."""
        page = self.site.answer(path, {})
        article = page.article if page.is_article else None
        if article is None or self.permanent(article.path) != "redirect" or self.loops(article.path) != (step == "loop"):
            return self.site.not_found()
        self._record(target, "redirect")
        if step == "2":
            return self._article_faults(self._layout_of(page), target, redirected=True)
        return self.site.redirect(self.site.base_url + ("/__r/2" + article.path if step == "1" else article.path),
                                  status=302)

    # The trap -----------------------------------------------------------------------------------
    def _first_day(self) -> date:
        return self.site.articles[0].listed_at.date() if self.site.articles else date(2026, 1, 1)

    def _trapped(self, page: Page, path: str, query: dict[str, list[str]], target: str) -> Page:
        """A list page whose pager always offers one page more, with the calendar link after it."""
        request = list_request(self.site, path, query)
        if request is None or (page.status != 200 and request.render is None):
            return page
        source = page.body if page.status == 200 else request.render()
        link = f'<div class="lich-su"><a href="{CALENDAR}?ngay={self._first_day():%Y-%m-%d}">Xem tin theo ngày</a></div>'
        source = source.replace(request.pager(request.pages),
                                request.pager(max(request.pages, request.number + 1)) + link, 1)
        self._record(target, "trap")
        return rebody(page, source) if page.status == 200 else Page(source)

    def _calendar(self, query: dict[str, list[str]]) -> Page:
        """One empty day of the endless calendar, linking the day before."""
        try:
            day = date.fromisoformat((query.get("ngay") or [""])[0])
        except ValueError:
            day = self._first_day()
        before = (f'<div class="lich-su"><a href="{CALENDAR}?ngay={day - timedelta(days=1):%Y-%m-%d}">« Ngày trước</a></div>'
                  if day > date.min else "")
        main = (f'<h1 class="category-title">Tin ngày {day:%d/%m/%Y}</h1>'
                f'<p class="no-data">Không có bài viết nào trong ngày này.</p>{before}')
        return Page(platform_layout(self.site, f"Tin ngày {day:%d/%m/%Y} - {self.site.portal.name}", main))


class ListRequest(NamedTuple):
    """A request for a page of a paginated list, in its platform's markup."""

    number: int                          # the page asked for
    pages: int                           # the pages the list really has
    pager: Callable[[int], str]          # the page's pager (with its box) for a list of n pages
    render: Callable[[], str] | None     # the page, where the site answers 404 past the end


def list_request(site: Site, path: str, query: dict[str, list[str]]) -> ListRequest | None:
    """`path`'s list page on a known platform (each writes its pager its own way), else None."""
    if isinstance(site, vnpt.VnptSite):
        key = path[1:]
        if key not in vnpt.CATEGORIES:
            return None
        number = page_number(query)
        return ListRequest(number, paginate(site.by_category[key], number, vnpt.PAGE_SIZE)[1],
                           lambda pages: f'<ul class="pagination">{vnpt._pagination(number, pages)}</ul>', None)
    if isinstance(site, sharepoint.SharePointSite):
        lists = {sharepoint.ALL_NEWS: site.articles} | {
            sharepoint._channel_path(channel): site.by_category[channel] for channel in sharepoint.CHANNELS}
        base = next((list_path for list_path in lists if list_path.lower() == path.lower()), None)
        if base is None:
            return None
        number = page_number(query, site.district.page_param)
        return ListRequest(number, paginate(lists[base], number, sharepoint.PAGE_SIZE)[1],
                           lambda pages: site._pager(base, number, pages), None)
    if isinstance(site, newspapers.NewspaperSite):
        if not isinstance(site, newspapers.BaoLaoCaiSite):  # /{category}?page=N
            category, number = path[1:], page_number(query)
        elif match := site.LIST_PAGE.match(path):  # /{category}/trang-N.html
            category, number = match["category"], int(match["page"])
        else:  # /{category}/
            category, number = (path[1:-1] if path.endswith("/") else ""), 1
        if category not in newspapers.CATEGORIES or number < 1:
            return None

        def pager_box(pages: int) -> str:  # as NewspaperSite.list_page writes it
            links = pager(number, pages,
                          number=lambda n, current: site.pager_number(n, current, site.page_href(category, n)),
                          next_link=lambda n: site.pager_next(site.page_href(category, n)))
            return el(site.pager_box, links)
        return ListRequest(number, paginate(site.by_category[category], number, newspapers.PAGE_SIZE)[1], pager_box,
                           lambda: site.list_page(category, number))
    return None


def platform_layout(site: Site, title: str, main: str) -> str:
    """`main` inside the site's page chrome (menus, side lists, footer)."""
    if isinstance(site, sharepoint.SharePointSite):
        return site._layout(title, main, site.articles[:7])
    if isinstance(site, vnpt.VnptSite):
        return site._layout(title, main)
    return site.layout(title, main)


# --------------------------------------------------------------------------------------------
# Page transforms
# --------------------------------------------------------------------------------------------

def rebody(page: Page, body: str | bytes) -> Page:
    """`page` with another body; a strong ETag follows the body, as `Site.answer` computes it."""
    data = body if isinstance(body, bytes) else body.encode("utf-8")
    return replace(page, body=body, etag=f'"{hashlib.sha256(data).hexdigest()[:32]}"' if page.etag else None)


def huge(page: Page) -> Page:
    """The page padded past HUGE_BYTES by a comment before </body>."""
    source = page.encoded()
    padding = b"<!-- " + b" " * (HUGE_BYTES - len(source)) + b" -->\n"
    cut = source.rfind(b"</body>")
    return rebody(page, source[:cut] + padding + source[cut:])


def binary(seed: int, path: str) -> Page:
    """16-64 KiB of random bytes behind PDF or ZIP magic; labelled octet-stream, or falsely text/html."""
    rng = random.Random(f"{seed}:binary:{path}")
    data = rng.choice((b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", b"PK\x03\x04\x14\x00\x00\x00\x08\x00")) + \
        rng.randbytes(rng.randint(16, 64) * 1024)
    return Page(data, content_type=rng.choice(("application/octet-stream", "text/html")))


_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below: combining in cp1258


def cp1258(text: str) -> bytes:
    """`text` in windows-1258: letters the code page lacks become base letter + combining tone mark,
    what is still missing a character reference."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        try:
            char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            char = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES)) + \
                "".join(c for c in parts if c in _TONES)
        out.append(char)
    return "".join(out).encode("cp1258", errors="xmlcharrefreplace")


_META_CHARSET = re.compile(r"charset=([\"']?)utf-8", re.IGNORECASE)


def recharset(page: Page, variant: int) -> Page:
    """Variant 0: windows-1258 declared by the <meta> only; 1: UTF-8 under a windows-1252 header; 2: NFD."""
    if variant == 0:
        source = _META_CHARSET.sub(r"charset=\1windows-1258", page.body, count=1)
        return replace(rebody(page, cp1258(source)), content_type="text/html")
    if variant == 1:
        return replace(page, content_type="text/html; charset=windows-1252")
    return rebody(page, unicodedata.normalize("NFD", page.body))


_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>")


def _element_end(source: str, start: int) -> tuple[int, int]:
    """Where the end tag of the element whose start tag is at `start` begins and ends."""
    name, depth = _TAG.match(source, start)[2].lower(), 0
    for tag in _TAG.finditer(source, start):
        if tag[2].lower() == name and not tag[3]:
            depth += -1 if tag[1] else 1
            if depth == 0:
                return tag.start(), tag.end()
    return len(source), len(source)


def malformed(source: str) -> str:
    """HTML browsers still render: an unclosed <b> at the footer's end, stray end tags after the body's
    first element, no </p> nor </li>. Text is left alone."""
    footer = re.search(r"<footer\b|<(\w+)[^>]*\bclass=\"[^\"]*footer", source)
    if footer:
        at = _element_end(source, footer.start())[0]
        source = source[:at] + "<b>" + source[at:]
    first = _TAG.search(source, source.index("<body>") + len("<body>"))
    at = _element_end(source, first.start())[1]
    source = source[:at] + "</div></span></table>" + source[at:]
    return source.replace("</p>", "").replace("</li>", "")


_START_TAG = re.compile(r"<[a-zA-Z][^>]*>")
_NAMES = re.compile(r"(\s(?:class|id)=)([\"'])(.*?)\2")
_LOOKUPS = re.compile(r"(getElementById\([\"']|querySelector(?:All)?\([\"'][.#])([\w-]+)")


def switch_layout(page: Page) -> Page:
    """An HTML answer with every class and id renamed (LAYOUT_PREFIX), inline scripts' lookups too."""
    if not isinstance(page.body, str) or "html" not in page.content_type or not page.body:
        return page

    def rename(attribute: re.Match) -> str:
        names = " ".join(LAYOUT_PREFIX + name for name in attribute[3].split())
        return f"{attribute[1]}{attribute[2]}{names}{attribute[2]}"

    source = _START_TAG.sub(lambda tag: _NAMES.sub(rename, tag[0]), page.body)
    return rebody(page, _LOOKUPS.sub(lambda call: call[1] + LAYOUT_PREFIX + call[2], source))
