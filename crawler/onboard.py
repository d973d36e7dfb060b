"""Onboarding a portal without code: probe a site, learn how to crawl it, check a sample of articles.

`probe_site` reads the home page, detects the platform, finds the news list
pages and (for layouts nobody wrote selectors for) learns the pattern of
article links from the lists themselves, infers name, province and level from
the page, and proposes a registry entry. `check_portal` fetches a sample of
articles through the same spider code a crawl uses and reports what the
extractor found; `portals add` and `portals check` print that report.
"""

from __future__ import annotations

import re
import ssl
import threading
from concurrent.futures import ThreadPoolExecutor
import time
import urllib.error
import urllib.request
from collections import Counter, OrderedDict, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from html import unescape
from urllib.parse import parse_qsl, urlsplit

from protego import Protego
from scrapy.http import HtmlResponse

from crawler.detect import detect_platform
from crawler.extraction.htmltext import normalize_text
from crawler.registry import Portal, RegistryError
from crawler.spiderloader import spider_class_for
from crawler.units import match_unit
from crawler.urls import join_url, same_site
from crawler.vietnam import province_named, slug
from spiders.base import page_selector

SAMPLE_SIZE = 5
PASS_RATIO = 0.8            # share of sample articles with title, date and body
MIN_SAMPLE_BODY_CHARS = 200
MAX_LIST_CANDIDATES = 6     # news-looking pages probed besides the home page
MIN_ARTICLE_LINKS = 3       # a list page shows at least this many articles
MIN_TITLE_WORDS = 4         # article links carry their headline; menus and pagers do not
NEWS_HINTS = re.compile(
    r"tin[\s_-]*t[ứu]c|tin[\s_-]*ho[ạa]t[\s_-]*[đd][ộo]ng|th[ờo]i[\s_-]*s[ựu]|s[ựu][\s_-]*ki[ệe]n|tin[\s_-]*m[ớo]i"
    r"|tin[\s_-]*[đd][ịi]a[\s_-]*ph[ươ]+ng|kenhtin|news|tintuc", re.IGNORECASE)
SKIPPED_LINKS = re.compile(r"\.(jpe?g|png|gif|webp|svg|pdf|docx?|xlsx?|zip|rar|mp[34])$|^(mailto|tel|javascript):", re.I)
LEVEL_WORDS = {"xã": "commune", "thị trấn": "commune", "phường": "ward", "huyện": "district", "thị xã": "district",
               "thành phố": "district", "tỉnh": "province"}
# "UBND Xã Mường Lát" in footers; "Cổng thông tin điện tử xã Cẩm Tú" in banners and titles.
_LEVEL = r"(xã|phường|thị trấn|huyện|thị xã|thành phố|tỉnh)"
OWNER_UBND = re.compile(rf"(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+{_LEVEL}\s+([^,.;:|<>()\-–]{{2,60}})", re.IGNORECASE)
OWNER_BANNER = re.compile(rf"thông tin điện tử\s+(?:tỉnh\s+\S+\s+\S+\s+)?{_LEVEL}\s+([^,.;:|<>()\-–]{{2,60}})", re.IGNORECASE)
PROVINCE_IN_TEXT = re.compile(r"\btỉnh\s+([A-ZĐÂĂÊÔƠƯ][^\s,.;:|<>()]*(?:\s+[A-ZĐÂĂÊÔƠƯ][^\s,.;:|<>()]*){0,2})")


class OnboardError(Exception):
    """The site cannot be onboarded; the message says why, in one line."""


class HostNotFound(OnboardError):
    """No such host: the name does not resolve (or the proxy says it cannot)."""


class SiteDown(OnboardError):
    """The host exists but does not serve: connection refused, timed out, or a 5xx answer."""


class ServerError(SiteDown):
    """A 5xx answer."""


class Interrupted(OnboardError):
    """The fetcher was stopped (Ctrl-C): no more requests."""


# Through an HTTP proxy a failed name lookup comes back as the proxy's answer to CONNECT ("502 Unknown Host"
# from squid and the replica), without a proxy as the resolver's error.
NO_SUCH_HOST = re.compile(r"Name or service not known|nodename nor servname|No address associated|"
                          r"Temporary failure in name resolution|getaddrinfo failed|Unknown Host", re.IGNORECASE)


class Fetcher:
    """Polite one-off HTTP for onboarding: robots.txt obeyed, the crawler's User-Agent, a pause per host.

    The standard proxy variables (https_proxy, no_proxy) apply, as they do to the crawl. Certificates are
    not verified, as Scrapy's default does not verify them: several government sites have broken chains.
    `cache_size` keeps that many pages, so a probe that reads a list page twice asks once; `requests`
    counts what was asked; `stop()` makes every later request raise Interrupted.
    """

    def __init__(self, user_agent: str, delay: float = 0.5, timeout: float = 20.0, cache_size: int = 0):
        self.user_agent, self.delay, self.timeout = user_agent, delay, timeout
        self._robots: dict[str, Protego | None] = {}
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()
        self._opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=ssl._create_unverified_context()))
        self._cache: OrderedDict[str, tuple[str, str]] = OrderedDict()
        self.cache_size = cache_size
        self.requests = 0
        self._stopped = threading.Event()

    def stop(self) -> None:
        self._stopped.set()

    def get(self, url: str) -> tuple[str, str]:
        """(final URL, HTML) of a page; OnboardError when it cannot be had."""
        if not self.allowed(url):
            raise OnboardError(f"{url}: robots.txt does not allow crawling it")
        return self._fetch(url)

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            try:
                _, text = self._fetch(origin + "/robots.txt")
                self._robots[origin] = Protego.parse(text)
            except ServerError:  # a robots.txt that errs allows everything, as in Scrapy
                self._robots[origin] = None
            except (HostNotFound, SiteDown, Interrupted) as error:  # said of the page asked for, not of robots.txt
                raise type(error)(str(error).replace(origin + "/robots.txt", url, 1)) from None
            except OnboardError:
                self._robots[origin] = None  # no robots.txt: everything is allowed
        robots = self._robots[origin]
        return robots is None or robots.can_fetch(url, self.user_agent)

    def _fetch(self, url: str) -> tuple[str, str]:
        with self._lock:
            if url in self._cache:
                self._cache.move_to_end(url)
                return self._cache[url]
        if self._stopped.is_set():
            raise Interrupted(f"{url}: interrupted")
        host = urlsplit(url).netloc
        with self._lock:
            wait = self._last.get(host, 0) + self.delay - time.monotonic()
            self._last[host] = time.monotonic() + max(wait, 0)
            self.requests += 1
        if wait > 0:
            time.sleep(wait)
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent, "Accept": "text/html,*/*"})
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                body = response.read(8 * 1024 * 1024)
                charset = response.headers.get_content_charset() or "utf-8"
                result = response.geturl(), body.decode(charset, errors="replace")
        except urllib.error.HTTPError as error:
            kind = ServerError if error.code >= 500 else OnboardError
            raise kind(f"{url}: HTTP {error.code}") from None
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            kind = HostNotFound if NO_SUCH_HOST.search(str(reason)) else SiteDown
            raise kind(f"{url}: {'no such host' if kind is HostNotFound else 'unreachable'} ({reason})") from None
        if self.cache_size:
            with self._lock:
                self._cache[url] = result
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        return result


@dataclass
class SampleArticle:
    url: str
    title: str = ""
    published_at: datetime | None = None
    body_chars: int = 0
    needs_browser: bool = False  # part of the text is revealed by JavaScript only
    error: str = ""

    @property
    def complete(self) -> bool:
        return bool(self.title and self.published_at and self.body_chars >= MIN_SAMPLE_BODY_CHARS)


@dataclass
class SampleReport:
    portal: Portal
    list_pages: dict[str, int] = field(default_factory=dict)  # list page -> article links found
    samples: list[SampleArticle] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        complete = sum(sample.complete for sample in self.samples)
        return bool(self.samples) and complete >= PASS_RATIO * len(self.samples)

    def lines(self) -> list[str]:
        out = ["  list pages: " + ", ".join(f"{path} ({count} article links)" for path, count in self.list_pages.items())]
        if self.portal.article_pattern:
            out.append(f"  article links: {self.portal.article_pattern}")
        out.append(f"  sample of {len(self.samples)} article(s):")
        for sample in self.samples:
            if sample.error:
                out.append(f"    FAIL  {sample.error}")
                continue
            date = sample.published_at.strftime("%Y-%m-%d %H:%M") if sample.published_at else "none"
            out.append(f"    {'ok  ' if sample.complete else 'FAIL'}  title {'yes' if sample.title else 'NO '}  "
                       f"date {date:<16}  body {sample.body_chars:>5} chars{' (+JavaScript part)' if sample.needs_browser else ''}  "
                       f"{_path(sample.url)}")
            if sample.title:
                out.append(f"          {sample.title[:100]}")
        complete = sum(sample.complete for sample in self.samples)
        out.append(f"  result: {complete}/{len(self.samples)} complete (title, date, body >= {MIN_SAMPLE_BODY_CHARS} chars): "
                   + ("PASS" if self.passed else "FAIL"))
        return out


@dataclass
class Proposal:
    """What probing a site concluded: the registry entry to write and the evidence for it."""

    entry: dict
    report: SampleReport
    notes: list[str] = field(default_factory=list)


def check_portal(portal: Portal, fetcher: Fetcher, sample_size: int = SAMPLE_SIZE) -> SampleReport:
    """Fetch the portal's list pages and a sample of articles through the spider and page object a crawl uses."""
    spider = spider_class_for(portal)()
    report = SampleReport(portal)
    article_urls: list[str] = []
    for url in portal.start_urls():
        final_url, html = fetcher.get(url)
        links = spider.article_links(_response(final_url, html))
        report.list_pages[_path(url)] = len(links)
        article_urls += [link for link in links if link not in article_urls]
    if not article_urls:
        raise OnboardError(f"{portal.base_url}: no article links on its list pages ({', '.join(portal.start_paths)})")
    for url in article_urls[:sample_size]:
        sample = SampleArticle(url)
        try:
            final_url, html = fetcher.get(url)
            page = spider.article_page(final_url, html, portal.selectors)
            article = page.to_article()
            sample.title, sample.published_at, sample.body_chars = article["title"], article["published_at"], len(article["body"])
            sample.needs_browser = page.needs_browser()
        except OnboardError as error:
            sample.error = str(error)
        report.samples.append(sample)
    return report


def probe_site(url: str, fetcher: Fetcher, *, taken_ids: set[str], portal_id: str | None = None,
               name: str | None = None, province: str | None = None, level: str | None = None) -> Proposal:
    """Everything `portals add` needs to decide, without writing anything."""
    url = url.strip()
    if not re.match(r"^https?://", url, re.IGNORECASE):
        url = "https://" + url
    if not urlsplit(url).hostname:
        raise OnboardError(f"{url}: not a URL")
    home_url, home = fetcher.get(url)
    parts = urlsplit(home_url)
    base_url = f"{parts.scheme}://{parts.netloc}"
    pages = {home_url: home}
    for candidate in _news_candidates(home_url, home)[:MAX_LIST_CANDIDATES]:
        try:
            final_url, html = fetcher.get(candidate)
            pages[final_url] = html
        except OnboardError:
            continue
    # Lists and articles show a platform's marks more than a home page does.
    detected = detect_platform(home_url, "\n".join(pages.values()))
    if detected == "generic":
        detected = _platform_of_an_article(pages, fetcher) or detected
    # A platform's marks can mislead (a VNPT footer on another CMS): its spider must find the lists, else generic.
    for platform in dict.fromkeys([detected, "generic"]):
        try:
            lists, pattern = _find_lists(pages, home_url, base_url, platform)
            break
        except OnboardError as error:
            failure = error
    else:
        raise failure
    notes = [f"platform: {platform}" + ("" if platform != "generic" else " (no known platform's layout)")]

    owner_name, owner_level = _owner(home)
    if platform.startswith("newspaper-"):
        owner_name, owner_level = _site_name(home) or owner_name, "newspaper"
    name = name or owner_name
    level = level or owner_level or "commune"
    province = province or _province(parts.hostname or "", home)
    if not name:
        raise OnboardError(f"{base_url}: cannot tell the portal's name from the page (no 'UBND Xã ...'); pass --name")
    if not province:
        raise OnboardError(f"{base_url}: cannot tell the province from the host or the page; pass --province")
    notes.append(f"name: {name}  province: {province}  level: {level}")

    entry = {"id": portal_id or derive_id(parts.hostname or "", name, province, taken_ids), "name": name,
             "province": province, "level": level, "platform": platform, "base_url": base_url,
             "start_paths": [_path(u) for u in lists], "article_pattern": pattern}
    unit = match_unit(name, province) if level in ("commune", "ward") else None
    if unit:  # the official commune/ward this portal belongs to
        entry |= {"admin_code": unit.admin_code, "admin_type": unit.admin_type}
        notes.append(f"official unit: {unit.name} ({unit.admin_type}, code {unit.admin_code})")
    portal = _portal(**{**entry, "portal_id": entry["id"]})
    report = check_portal(portal, fetcher)
    if any(sample.needs_browser for sample in report.samples):
        entry["render"] = "browser"
        notes.append("render: browser (some articles reveal part of their text with JavaScript)")
    return Proposal(entry=entry, report=report, notes=notes)


def _find_lists(pages: dict[str, str], home_url: str, base_url: str, platform: str) -> tuple[list[str], str | None]:
    """The (at most two) list pages of the site and, for the generic platform, the learned article pattern."""
    pattern = None
    if platform == "generic":
        pattern = learn_article_pattern([link for page_url, html in pages.items() for link in _links(page_url, html)])
        if not pattern:
            raise OnboardError(f"{base_url}: no news articles found on its home page or {len(pages) - 1} news-looking "
                               "page(s): not a news portal, or no article published yet")
    spider = spider_class_for(_portal("probe", "probe", "probe", "commune", platform, base_url, ["/"], pattern))()
    found = {page_url: spider.article_links(_response(page_url, html)) for page_url, html in pages.items()}
    articles = {link for links in found.values() for link in links}
    # A list page shows several articles and is not itself one (article pages list related ones too).
    lists = [u for u, links in sorted(found.items(), key=lambda kv: -len(kv[1]))
             if len(links) >= MIN_ARTICLE_LINKS and u != home_url and u not in articles][:2]
    if not lists and len(found.get(home_url, ())) >= MIN_ARTICLE_LINKS:
        lists = [home_url]
    if not lists:
        raise OnboardError(f"{base_url}: no list of articles found (home page and {len(pages) - 1} news-looking page(s)); "
                           "not a news portal, or no article published yet")
    return lists, pattern


def _platform_of_an_article(pages: dict[str, str], fetcher: Fetcher) -> str | None:
    """The known platform an article of the site shows (newspapers mark article pages, not home pages)."""
    pattern = learn_article_pattern([link for page_url, html in pages.items() for link in _links(page_url, html)])
    if not pattern:
        return None
    link = next((url for page_url, html in pages.items() for url, _ in _links(page_url, html)
                 if re.search(pattern, _path_query(url))), None)
    try:
        article_url, html = fetcher.get(link) if link else (None, None)
    except OnboardError:
        return None
    platform = detect_platform(article_url, html) if html else "generic"
    return platform if platform != "generic" else None


@dataclass
class BatchRow:
    portal_id: str
    url: str
    result: str   # added | failed
    detail: str


def onboard_many(rows: list[dict], fetcher: Fetcher, registry_file, *, add_failing: bool = False, jobs: int = 8,
                 progress=None) -> list[BatchRow]:
    """Probe CSV rows (url,id,name,province,level) concurrently, then add those that pass, in file order.

    Writes are serial, so ids stay unique and a site listed twice is refused the second time.
    """
    registry = registry_file.registry()
    taken = set(registry.ids) if registry else set()
    done = 0
    done_lock = threading.Lock()

    def cell(row: dict, name: str) -> str | None:
        return (row.get(name) or "").strip() or None

    def probe(row: dict) -> Proposal | OnboardError:
        nonlocal done
        try:
            result = probe_site(row.get("url") or "", fetcher, taken_ids=taken, portal_id=cell(row, "id"),
                                name=cell(row, "name"), province=cell(row, "province"), level=cell(row, "level"))
        except OnboardError as error:
            result = error
        except Exception as error:  # one bad site must not stop the batch; its row says why
            result = OnboardError(f"{row.get('url')}: {type(error).__name__}: {error}")
        with done_lock:
            done += 1
            if progress:
                progress(done, row.get("url"))
        return result

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        results = list(pool.map(probe, rows))
    summary = []
    for row, result in zip(rows, results):
        url = cell(row, "url") or ""
        if isinstance(result, OnboardError):
            summary.append(BatchRow("-", url, "failed", str(result)))
            continue
        entry = result.entry
        if not result.report.passed and not add_failing:
            complete = sum(sample.complete for sample in result.report.samples)
            summary.append(BatchRow(entry["id"], url, "failed", f"sample check failed ({complete}/{len(result.report.samples)} complete)"))
            continue
        if not cell(row, "id") and entry["id"] in taken:  # two rows derived the same id
            entry["id"] = derive_id(urlsplit(entry["base_url"]).hostname or "", entry["name"], entry["province"], taken)
        try:
            registry_file.add([entry])
        except (RegistryError, ValueError) as error:
            summary.append(BatchRow(entry["id"], url, "failed", str(error).split(": ", 1)[-1]))
            continue
        taken.add(entry["id"])
        summary.append(BatchRow(entry["id"], url, "added", f"{entry['platform']}, {', '.join(entry['start_paths'])}"))
    return summary


def _portal(portal_id, name, province, level, platform, base_url, start_paths, article_pattern, **_) -> Portal:
    try:
        return Portal(id=portal_id, name=name, province=province, level=level, platform=platform, base_url=base_url,
                      start_paths=tuple(start_paths), article_pattern=article_pattern)
    except ValueError as error:
        raise OnboardError(f"{base_url}: {str(error).splitlines()[-1].strip()}") from None


# --- learning how a site links its articles -------------------------------------------------------
def learn_article_pattern(links: list[tuple[str, str]]) -> str | None:
    """A regex over path?query matching the site's article links, learned from list pages.

    Only links whose anchor reads like a headline count (menus and pagers have
    short labels). They are grouped by URL shape (path segments that are
    numbers, text or empty; extension; query keys); the largest group, links
    holding numbers first, gives the pattern. Words equal across the group
    stay literal; numbers and varying segments become character classes.
    """
    groups: dict[tuple, set[str]] = defaultdict(set)
    for url, text in links:
        if len(text.split()) >= MIN_TITLE_WORDS:
            groups[_shape(url)].add(_path_query(url))
    candidates = {shape: members for shape, members in groups.items() if len(members) >= MIN_ARTICLE_LINKS}
    if not candidates:
        return None
    best = max(candidates, key=lambda shape: len(candidates[shape]) * (2 if _has_numbers(candidates[shape]) else 1))
    return _pattern(sorted(candidates[best]))


def _has_numbers(members: set[str]) -> bool:
    """Every link of the group carries a number (an id or a date): the mark of article URLs."""
    return all(re.search(r"\d", member) for member in members)


EXTENSION = re.compile(r"\.[A-Za-z]{2,5}$")


def _segment_class(segment: str) -> str:
    """'123' -> 'D', 'bai-viet-123.html' -> 'T.html', 'tin-tuc' -> 'T', '' -> 'E'."""
    extension = EXTENSION.search(segment)
    stem = segment[: extension.start()] if extension else segment
    kind = "D" if stem.isdigit() else "T" if stem else "E"  # number, text (slug, maybe with digits), empty
    return kind + (extension.group(0).lower() if extension else "")


def _shape(url: str) -> tuple:
    parts = urlsplit(url)
    segments = tuple(_segment_class(s) for s in parts.path.split("/"))
    query = tuple((k, "D" if v.isdigit() else "W") for k, v in parse_qsl(parts.query, keep_blank_values=True))
    return segments, query


def _path_query(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _pattern(members: list[str]) -> str:
    paths = [m.partition("?")[0].split("/") for m in members]
    queries = [parse_qsl(m.partition("?")[2], keep_blank_values=True) for m in members]
    parts = []
    for position in range(len(paths[0])):
        values = {p[position] for p in paths}
        # A constant word ("tin-tuc") stays; numbers vary over time even when the sample shares them (/2025/08/).
        constant_word = len(values) == 1 and not re.search(r"\d", next(iter(values)))
        parts.append(re.escape(next(iter(values))) if constant_word else _generalise(values))
    pattern = "^" + "/".join(parts)
    if queries[0]:
        params = []
        for index, (key, _) in enumerate(queries[0]):
            values = {q[index][1] for q in queries if len(q) > index}
            value = re.escape(values.pop()) if len(values) == 1 else r"\d+" if all(v.isdigit() for v in values) else "[^&]+"
            params.append(f"{re.escape(key)}={value}")
        pattern += r"\?" + "&".join(params)
    return pattern + "$"


def _generalise(values: set[str]) -> str:
    """A character class for one path segment that varies across the article links."""
    suffixes = {(EXTENSION.search(v).group(0) if EXTENSION.search(v) else "") for v in values}
    if len(suffixes) != 1:
        return "[^/]+"
    suffix = suffixes.pop()
    stems = [v[: len(v) - len(suffix)] for v in values]
    if all(stem.isdigit() for stem in stems):
        return r"\d+" + re.escape(suffix)
    if all(re.search(r"\d", stem) for stem in stems):
        return r"[^/]*\d[^/]*" + re.escape(suffix)
    return "[^/]+" + re.escape(suffix)


# --- reading the home page ---------------------------------------------------------------------------
def _response(url: str, html: str) -> HtmlResponse:
    return HtmlResponse(url, body=html.encode("utf-8"), encoding="utf-8")


def _links(page_url: str, html: str) -> list[tuple[str, str]]:
    """Same-site links of a page with their anchor text."""
    page = page_selector(_response(page_url, html))
    host = urlsplit(page_url).hostname or ""
    out = []
    for link in page.css("a[href]"):
        href = link.xpath("@href").get().strip()  # not .attrib, which raises on an attribute named "{x"
        if not href or href.startswith("#") or SKIPPED_LINKS.search(href):
            continue
        url = join_url(page_url, href)  # None for an href that is no URL ("http://[::1")
        url = url.split("#")[0] if url else None
        if url and same_site(url, host):
            out.append((url, normalize_text(" ".join(link.css("::text").getall()))))
    return out


def _news_candidates(home_url: str, html: str) -> list[str]:
    """Links of the home page that look like news lists ("Tin tức", /tin-tuc/, /KenhTin/...), best first."""
    ranked: Counter[str] = Counter()
    home_path = _path(home_url)
    for url, text in _links(home_url, html):
        if _path(url) == home_path:
            continue
        score = 2 * bool(NEWS_HINTS.search(text) and len(text.split()) <= 6) + bool(NEWS_HINTS.search(urlsplit(url).path))
        if score:
            ranked[url] = max(ranked[url], score)
    return [url for url, _ in ranked.most_common()]


def _path(url: str) -> str:
    return _path_query(url) or "/"


# html.unescape reads "&#NNN;" with int(), which refuses numbers of more than 4,300 digits.
LONG_DECIMAL_REF = re.compile(r"&#([0-9]{8,})(;?)")


def _short_decimal_ref(match: re.Match) -> str:
    """The reference without its leading zeros; past U+10FFFF (8 digits) U+FFFD, as unescape makes it."""
    digits = match.group(1).lstrip("0") or "0"
    return "\ufffd" if len(digits) > 7 else f"&#{digits}{match.group(2)}"


def _page_lines(html: str) -> list[str]:
    """The page's visible text, one line per block."""
    # Linear on hostile pages: an unclosed script runs to the end (as in a browser), and a tag stops at the
    # next "<" (with "[^>]+", 100,000 unclosed "<" cost seconds: each scanned on to the end of the page).
    text = re.sub(r"(?is)<(script|style)\b.*?(?:</\1>|\Z)", " ", html)
    text = re.sub(r"<[^<>]+>", "\n", text)
    text = LONG_DECIMAL_REF.sub(_short_decimal_ref, text)
    return [line for line in (normalize_text(unescape(raw)) for raw in text.splitlines()) if line]


def _owner(html: str) -> tuple[str | None, str | None]:
    """('Xã Mường Lát', 'commune'): the owner named in the footer ("UBND Xã ..."), else the banner.

    The last "UBND ..." wins (footers come last); the place name is the run of
    capitalised words after the level word.
    """
    lines = _page_lines(html)
    for pattern in (OWNER_UBND, OWNER_BANNER):
        for line in reversed(lines):
            for kind, rest in reversed(pattern.findall(line)):
                words = []
                for word in rest.split():
                    if not word[0].isupper():
                        break
                    words.append(word)
                if words:
                    place = " ".join(w.capitalize() if w.isupper() else w for w in words[:4])
                    return f"{kind.lower().capitalize()} {place}", LEVEL_WORDS[kind.lower()]
    return None, None


def _site_name(html: str) -> str | None:
    """og:site_name, else the "Báo ..." part of <title> ("Báo Lào Cai - Tin tức mới nhất"): a newspaper's name."""
    page = page_selector(_response("http://localhost/", html))
    name = normalize_text(page.css('meta[property="og:site_name"]::attr(content)').get())
    if not name:
        parts = re.split(r"\s[|–—-]\s", normalize_text(page.css("title::text").get()))
        named = [m.group(0) for part in parts if (m := re.match(r"Báo\s+(?:[A-ZĐ]\S*\s?){1,3}", part))]
        name = named[0].strip() if named else ""
    return name or None


def _province(host: str, html: str) -> str | None:
    """From the host ({commune}.{province}.gov.vn), else the province the page names most."""
    for label in host.split(".")[1:]:
        found = province_named(label)
        if found:
            return found
    named: Counter[str] = Counter()
    for line in _page_lines(html):
        for words in (match.split() for match in PROVINCE_IN_TEXT.findall(line)):
            # "tỉnh Thanh Hóa Email: ..." captures a word too many: the longest prefix that is a province.
            found = next((p for n in (3, 2, 1) if (p := province_named(" ".join(words[:n])))), None)
            if found:
                named[found] += 1
    return named.most_common(1)[0][0] if named else None


def derive_id(host: str, name: str, province: str, taken: set[str]) -> str:
    """muonglat.thanhhoa.gov.vn -> 'muonglat'; an IP host -> the name's slug; then -{province}, -2, ..."""
    label = host.split(".")[0] if host and not re.fullmatch(r"[\d.]+", host) and host.split(".")[0] != "www" else ""
    base = slug(label) or slug(re.sub(r"^(xã|phường|thị trấn|huyện|thị xã|thành phố|tỉnh)\s+", "", name, flags=re.I)) or "portal"
    base = base[:50]
    for candidate in (base, f"{base}-{slug(province)}"):
        if candidate not in taken:
            return candidate
    n = 2
    while f"{base}-{slug(province)}-{n}" in taken:
        n += 1
    return f"{base}-{slug(province)}-{n}"
