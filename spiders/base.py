"""PortalSpider: navigation shared by every platform (list pages, feeds, pagination, article pages).

Spiders decide where to go next; page objects (crawler.extraction) decide
what an article page says. A platform subclass sets its selectors and its
article page class; the spider loader makes one subclass per registry entry.
"""

from __future__ import annotations

import asyncio
import random
import re
from datetime import UTC, datetime, timedelta
from typing import Any, AsyncIterator, ClassVar, Iterator
from urllib.parse import urlsplit

import scrapy
from parsel import Selector
from scrapy.http import HtmlResponse, Response, TextResponse, XmlResponse
from scrapy.utils.response import get_base_url

from crawler.extraction import ArticlePage, GenericArticle
from crawler.items import Article
from crawler.registry import Portal
from crawler.signals import url_failed
from crawler.urls import join_url, same_site

NEXT_LABELS = {"tiếp", "sau", "trang sau", "tiếp theo", "next", "›", "»", ">", ">>"}
LIST_PAGE = "list"
ARTICLE_PAGE = "article"
RECORDED_FAILURE = "recorded_failure"  # request meta: a URL that failed in an earlier run, tried again
CHANGE_PROBE = "change_probe"  # request meta: the start request that says whether the portal changed at all


class PortalSpider(scrapy.Spider):
    """Crawl one portal: start pages -> article links and next pages -> articles."""

    platform: ClassVar[str] = ""
    article_page: ClassVar[type[ArticlePage]] = GenericArticle
    article_link_css: ClassVar[tuple[str, ...]] = ()
    # Recognises article URLs among all links when no list selector matches.
    article_url_pattern: ClassVar[re.Pattern | None] = None
    next_page_css: ClassVar[tuple[str, ...]] = ("a[rel='next']", "link[rel='next']")
    # Feeds of the platform, read before the registry's start pages (newest articles, cheapest request).
    feed_paths: ClassVar[tuple[str, ...]] = ()
    # Regexes over a page's URL and HTML that identify the platform (`portals extract`, `portals add`).
    fingerprints: ClassVar[tuple[re.Pattern, ...]] = ()
    portal: ClassVar[Portal]  # set on the per-portal subclass by crawler.spiderloader
    browser_available: ClassVar[bool] = False  # render: browser and Chromium found

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.allowed_domains = [self.portal.host]

    # --- navigation ----------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[scrapy.Request]:
        stagger = self.settings.getfloat("START_STAGGER_SECONDS", 0)
        if stagger > 0:  # a scheduled crawl of many portals does not hit them all in the same second
            await asyncio.sleep(random.uniform(0, stagger))
        starts = [self.list_request(self.portal.base_url + path, page_number=1).replace(priority=10)
                  for path in self.feed_paths if path not in self.portal.start_paths]
        starts += [self.list_request(url, page_number=1) for url in self.portal.start_urls()]
        if len(starts) > 1 and self._may_probe():
            # The first start page (a feed when the platform has one) lists the site's newest articles: when
            # it answers 304 the portal published nothing since the last crawl, and the other start pages
            # are not requested at all (a quiet night costs one request per portal).
            probe, *self._held_back = starts
            probe.meta[CHANGE_PROBE] = True
            starts = [probe]
        for request in starts:
            yield request
        for failure in self._recorded_failures():  # what failed in earlier runs is tried again
            if failure["page_kind"] == ARTICLE_PAGE:
                request = self.article_request(failure["url"])
            else:
                request = self.list_request(failure["url"], page_number=1)
            request.meta[RECORDED_FAILURE] = True  # portal health leaves these out (crawler.health)
            yield request

    def _may_probe(self) -> bool:
        """Probe first unless lists are read unconditionally, the last crawl died midway, or the last full
        walk of the start pages is older than FULL_WALK_DAYS (a backstop for start pages the probe misses)."""
        from crawler.store import store_for_settings

        settings = self.settings
        if (settings.getbool("REFRESH_STORED") or not settings.getbool("CONDITIONAL_LISTS", True)
                or self.portal.id in settings.getlist("RESUME_PORTALS")):
            return False
        walked = (store_for_settings(settings).get_portal(self.portal.id) or {}).get("last_full_walk_at")
        return walked is not None and datetime.now(UTC) - walked < timedelta(days=settings.getfloat("FULL_WALK_DAYS", 7))

    def _after_probe(self, changed: bool) -> list[scrapy.Request]:
        """The held-back start requests once the probe answered: all of them if the portal changed (or the
        probe failed), none if it did not."""
        held_back, self._held_back = getattr(self, "_held_back", []), []
        if changed:
            return held_back
        self.crawler.stats.inc_value("lists/probe_unchanged")
        self.logger.info("unchanged since the last crawl (the change probe answered 304): %d start page(s) not requested",
                         len(held_back))
        return []

    def _recorded_failures(self) -> list[dict]:
        from crawler.store import store_for_settings

        max_runs = self.settings.getint("RETRY_FAILED_RUNS", 5)
        failures = store_for_settings(self.settings).list_failures(self.portal.id, max_runs=max_runs)
        if failures:
            self.logger.info("retrying %d URL(s) that failed in earlier runs", len(failures))
        return failures

    def list_request(self, url: str, page_number: int) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_list, errback=self.request_failed,
                              meta={"page_kind": LIST_PAGE, "list_page": page_number})

    def article_request(self, url: str) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_article, errback=self.request_failed,
                              meta={"page_kind": ARTICLE_PAGE})

    def request_failed(self, failure) -> list[scrapy.Request] | None:
        """A request failed for good (after its retries): record why (crawler.failures), the next run retries it."""
        from crawler.failures import describe_failure

        request = failure.request
        requested = request.meta.get("redirect_urls", [request.url])[0]  # the URL we asked for, not a hop
        self.failed(requested, request.meta.get("page_kind", LIST_PAGE), describe_failure(failure),
                    again=request.meta.get(RECORDED_FAILURE, False))
        return self._after_probe(changed=True) if request.meta.get(CHANGE_PROBE) else None

    def failed(self, url: str, page_kind: str, reason: str, again: bool = False) -> None:
        self.logger.warning("failed: %s (%s)", url, reason)
        self.crawler.signals.send_catch_log(signal=url_failed, url=url, page_kind=page_kind, reason=reason, again=again)

    def parse_list(self, response: Response) -> Iterator[scrapy.Request]:
        """A list page or a feed: every article link, then the next page (up to MAX_LIST_PAGES)."""
        if response.meta.get(CHANGE_PROBE):
            yield from self._after_probe(changed=response.status != 304)
        if response.status == 304:
            return  # unchanged since the last finished crawl (crawler.conditional): nothing new to read
        if not isinstance(response, TextResponse):
            self.failed(response.url, LIST_PAGE, f"not a text page ({_content_type(response)})",
                        again=response.meta.get(RECORDED_FAILURE, False))
            return
        links = self.article_links(response)
        self._count_list_health(response, links)
        for url in links:
            yield self.article_request(url)
        page_number = response.meta.get("list_page", 1)
        if page_number > 1 and set(links) <= response.meta.get("previous_links", set()):
            # Past the last page, or a pager that never ends (a crawler trap): nothing new on this page.
            self.crawler.stats.inc_value("lists/stopped_nothing_new")
            return
        if not _is_feed(response) and page_number < self.settings.getint("MAX_LIST_PAGES", 30):
            next_url = self.next_page_url(response)
            if next_url:
                next_request = self.list_request(next_url, page_number + 1)
                next_request.meta["previous_links"] = set(links)
                yield next_request

    def article_links(self, response: TextResponse) -> list[str]:
        page = page_selector(response)
        if _is_feed(response):
            links = page.xpath("//item/link/text() | //*[local-name()='entry']/*[local-name()='link']/@href").getall()
        else:
            links = self._links_by_css(page, self._overridable("list", ()))
            if not links and self.portal.article_pattern:
                links = self._links_by_pattern(response, re.compile(self.portal.article_pattern))
            if not links:
                links = self._links_by_css(page, self.article_link_css)
            if not links and self.article_url_pattern:
                links = self._links_by_pattern(response, self.article_url_pattern)
        base = page_base(response)
        seen, result = set(), []
        for href in links:
            url = join_url(base, href)
            if url and url not in seen and same_site(url, self.portal.host):
                seen.add(url)
                result.append(url)
        return result

    @staticmethod
    def _links_by_css(page: Selector, selectors: tuple[str, ...]) -> list[str]:
        for css in selectors:
            links = page.css(css).css("::attr(href)").getall()
            if links:
                return links
        return []

    def _links_by_pattern(self, response: TextResponse, pattern: re.Pattern) -> list[str]:
        """Same-site links whose path (and ?query) the article pattern matches."""
        base = page_base(response)
        urls = (join_url(base, href) for href in page_selector(response).css("a::attr(href)").getall())
        return [url for url in urls if url and same_site(url, self.portal.host) and pattern.search(path_and_query(url))]

    def next_page_url(self, response: TextResponse) -> str | None:
        """rel=next or the platform's pager selector, else a link labelled "Tiếp"/"Sau"/"»", else page N+1."""
        page, base = page_selector(response), page_base(response)
        for css in self._overridable("next_page", self.next_page_css):
            href = page.css(css).css("::attr(href)").get()
            url = join_url(base, href) if href and not href.startswith("javascript") else None
            if url:  # None also for an href that is no URL ("http://[::1")
                return url
        for link in page.css("a[href]"):
            label = " ".join(link.css("::text").getall()).strip().lower()
            url = join_url(base, link.xpath("@href").get())  # not .attrib: see _numbered_next
            if url and (label in NEXT_LABELS or label.strip(" »›>.").strip() in NEXT_LABELS):
                return url
        return _numbered_next(response, response.meta.get("list_page", 1))

    def _overridable(self, field: str, defaults: tuple[str, ...]) -> tuple[str, ...]:
        override = getattr(self.portal.selectors, field)
        return ((override,) if override else ()) + defaults

    # --- articles ------------------------------------------------------------------------------
    def parse_article(self, response: Response) -> Iterator[Article]:
        if not isinstance(response, TextResponse):
            self.failed(response.url, ARTICLE_PAGE, f"not an HTML page ({_content_type(response)})",
                        again=response.meta.get(RECORDED_FAILURE, False))
            return
        page = self.article_page(response.url, response.text, self.portal.selectors)
        rendered = bool(response.meta.get("playwright"))
        if page.needs_browser() and not rendered:
            if self.browser_available:
                # Only this page goes through Chromium; lists, feeds and plain articles never do.
                self.crawler.stats.inc_value("render/browser_requests")
                rerender = self.article_request(response.request.url)
                rerender.meta["playwright"] = True
                yield rerender.replace(dont_filter=True)
                return
            self.crawler.stats.inc_value("render/needed_not_available")
            self.logger.error("page needs a browser to show its full text (set render: browser and install chromium); "
                              "storing what the HTML holds: %s", response.url)
        if rendered:
            self.crawler.stats.inc_value("render/browser_pages")
        fields = page.to_article()
        if not response.meta.get(RECORDED_FAILURE):
            self._count_health(page, fields)
        yield Article(
            **fields,
            portal=self.portal.id,
            portal_name=self.portal.name,
            province=self.portal.province,
            level=self.portal.level,
            admin_code=self.portal.admin_code,
            crawled_at=datetime.now(UTC),
            requested_url=response.request.meta.get("redirect_urls", [None])[0],
        )


    def _count_list_health(self, response: TextResponse, links: list[str]) -> None:
        """Links on first pages (lists and feeds: read every run, so comparable run to run), and whether
        the platform's list layout still holds (crawler.health)."""
        stats = self.crawler.stats
        if response.meta.get("list_page", 1) == 1:
            stats.inc_value("health/first_pages")
            stats.inc_value("health/listed", len(links))
        if self.article_link_css and not _is_feed(response):
            stats.inc_value("health/list_pages")
            page = page_selector(response)
            if not any(page.css(css) for css in self.article_link_css):
                stats.inc_value("health/list_layout_missed")

    def _count_health(self, page: ArticlePage, fields: dict) -> None:
        """What portal health (crawler.health) weighs: pages read, and how many came out poor."""
        stats = self.crawler.stats
        stats.inc_value("health/article_pages")
        if page.body_selector_missed:
            stats.inc_value("health/body_selector_missed")
        if len(fields.get("body") or "") < self.settings.getint("SHORT_BODY_CHARS", 200):
            stats.inc_value("health/short_body")
        if fields.get("published_at") is None:
            stats.inc_value("health/no_date")


def _content_type(response: Response) -> str:
    return response.headers.get("Content-Type", b"").decode("latin-1") or "no content type"


def path_and_query(url: str) -> str:
    """What article patterns are matched against: "/tin-tuc/bai-123" or "/Default.aspx?tabid=55&ItemID=7"."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _valid_base(response: TextResponse) -> str | None:
    """The page's <base href> joined to its URL (Scrapy's get_base_url), None when that is no URL."""
    try:
        return get_base_url(response)
    except ValueError:  # <base href="http://[::1">: w3lib cannot join it
        return None


def page_base(response: TextResponse) -> str:
    """What the page's links are relative to; browsers ignore a <base href> that is no URL, so do we."""
    return _valid_base(response) or response.url


# A character reference to a UTF-16 surrogate, U+D800-U+DFFF ("&#55357;&#56832;": an emoji as some CMSs
# write it). libxml2's XML parser (feeds) keeps it as bytes lxml cannot decode, so reading any string
# around it raises UnicodeDecodeError; its HTML parser makes it U+FFFD, as this does for feeds.
SURROGATE_REF = re.compile(r"&#(?:[xX]0*[dD][89a-fA-F][0-9a-fA-F]{2}(?![0-9a-fA-F])"
                           r"|0*(?:5529[6-9]|55[3-9][0-9]{2}|56[0-9]{3}|57[0-2][0-9]{2}|573[0-3][0-9]|5734[0-3])(?![0-9]));?")


def page_selector(response: TextResponse) -> Selector:
    """The page as markup, for pages Scrapy's response.selector cannot read: it raises on a <base href>
    that is no URL, on a plain-text or JSON response lets parsel read a JSON body as JSON (which CSS cannot
    query), and on a feed leaves surrogate references (SURROGATE_REF) to raise on every read."""
    if isinstance(response, XmlResponse) and SURROGATE_REF.search(response.text):
        return Selector(text=SURROGATE_REF.sub("\ufffd", response.text), type="xml", base_url=page_base(response))
    if isinstance(response, (HtmlResponse, XmlResponse)) and _valid_base(response):
        return response.selector  # built once per response
    # parsel's Selector: Scrapy's calls get_base_url even when given a base_url.
    return Selector(text=response.text, type="xml" if isinstance(response, XmlResponse) else "html",
                    base_url=page_base(response))


def _is_feed(response: TextResponse) -> bool:
    content_type = response.headers.get("Content-Type", b"").decode("latin-1").lower()
    if "xml" in content_type or "rss" in content_type:
        return True
    head = response.text[:200].lstrip().lower()
    return head.startswith("<?xml") or head.startswith("<rss") or head.startswith("<feed")


def _numbered_next(response: TextResponse, current: int) -> str | None:
    """Pagers that only offer numbered links: follow the one for the current page + 1.

    The current page is the one the spider counted, unless the pager marks another.
    """
    page = page_selector(response)
    current_marked = page.css(".CurrentPage::text, .active > a::text, .current::text, [aria-current]::text").get()
    # ASCII digits, a few of them: isdigit() admits "²" (int() refuses it) and int() refuses 4,300+ digits.
    if current_marked and re.fullmatch(r"[0-9]{1,6}", current_marked.strip()):
        current = int(current_marked.strip())
    for link in page.css("a[href]"):
        label = " ".join(link.css("::text").getall()).strip()
        if label == str(current + 1):
            # One attribute by XPath: parsel's .attrib copies them all and raises on a name such as "{x".
            return join_url(response.url, link.xpath("@href").get())
    return None
