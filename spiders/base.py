"""PortalSpider: navigation shared by every platform (list pages, feeds, pagination, article pages).

Spiders decide where to go next; page objects (crawler.extraction) decide
what an article page says. A platform subclass sets its selectors and its
article page class; the spider loader makes one subclass per registry entry.
"""

from __future__ import annotations

import asyncio
import random
import re
from datetime import UTC, datetime
from typing import Any, AsyncIterator, ClassVar, Iterator
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.http import Response, TextResponse

from crawler.extraction import ArticlePage, GenericArticle
from crawler.items import Article
from crawler.registry import Portal
from crawler.urls import same_site

NEXT_LABELS = {"tiếp", "sau", "trang sau", "tiếp theo", "next", "›", "»", ">", ">>"}
LIST_PAGE = "list"
ARTICLE_PAGE = "article"


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
        for path in self.feed_paths:
            if path not in self.portal.start_paths:
                yield self.list_request(self.portal.base_url + path, page_number=1).replace(priority=10)
        for url in self.portal.start_urls():
            yield self.list_request(url, page_number=1)

    def list_request(self, url: str, page_number: int) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_list, meta={"page_kind": LIST_PAGE, "list_page": page_number})

    def article_request(self, url: str) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_article, meta={"page_kind": ARTICLE_PAGE})

    def parse_list(self, response: Response) -> Iterator[scrapy.Request]:
        """A list page or a feed: every article link, then the next page (up to MAX_LIST_PAGES)."""
        if not isinstance(response, TextResponse):
            return
        for url in self.article_links(response):
            yield self.article_request(url)
        page_number = response.meta.get("list_page", 1)
        if not _is_feed(response) and page_number < self.settings.getint("MAX_LIST_PAGES", 30):
            next_url = self.next_page_url(response)
            if next_url:
                yield self.list_request(next_url, page_number + 1)

    def article_links(self, response: TextResponse) -> list[str]:
        if _is_feed(response):
            links = response.xpath("//item/link/text() | //*[local-name()='entry']/*[local-name()='link']/@href").getall()
        else:
            links = self._links_by_css(response, self._overridable("list", ()))
            if not links and self.portal.article_pattern:
                links = self._links_by_pattern(response, re.compile(self.portal.article_pattern))
            if not links:
                links = self._links_by_css(response, self.article_link_css)
            if not links and self.article_url_pattern:
                links = self._links_by_pattern(response, self.article_url_pattern)
        seen, result = set(), []
        for href in links:
            url = response.urljoin(href.strip())
            if url not in seen and same_site(url, self.portal.host):
                seen.add(url)
                result.append(url)
        return result

    @staticmethod
    def _links_by_css(response: TextResponse, selectors: tuple[str, ...]) -> list[str]:
        for css in selectors:
            links = response.css(css).css("::attr(href)").getall()
            if links:
                return links
        return []

    def _links_by_pattern(self, response: TextResponse, pattern: re.Pattern) -> list[str]:
        """Same-site links whose path (and ?query) the article pattern matches."""
        urls = (response.urljoin(href) for href in response.css("a::attr(href)").getall())
        return [url for url in urls if same_site(url, self.portal.host) and pattern.search(path_and_query(url))]

    def next_page_url(self, response: TextResponse) -> str | None:
        """rel=next or the platform's pager selector, else a link labelled "Tiếp"/"Sau"/"»", else page N+1."""
        for css in self._overridable("next_page", self.next_page_css):
            href = response.css(css).css("::attr(href)").get()
            if href and not href.startswith("javascript"):
                return response.urljoin(href)
        for link in response.css("a[href]"):
            label = " ".join(link.css("::text").getall()).strip().lower()
            if label in NEXT_LABELS or label.strip(" »›>.").strip() in NEXT_LABELS:
                return response.urljoin(link.attrib["href"])
        return _numbered_next(response, response.meta.get("list_page", 1))

    def _overridable(self, field: str, defaults: tuple[str, ...]) -> tuple[str, ...]:
        override = getattr(self.portal.selectors, field)
        return ((override,) if override else ()) + defaults

    # --- articles ------------------------------------------------------------------------------
    def parse_article(self, response: Response) -> Iterator[Article]:
        if not isinstance(response, TextResponse):
            self.logger.warning("not an HTML page, skipped: %s", response.url)
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
        yield Article(
            **page.to_article(),
            portal=self.portal.id,
            portal_name=self.portal.name,
            province=self.portal.province,
            level=self.portal.level,
            crawled_at=datetime.now(UTC),
        )


def path_and_query(url: str) -> str:
    """What article patterns are matched against: "/tin-tuc/bai-123" or "/Default.aspx?tabid=55&ItemID=7"."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


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
    current_marked = response.css(".CurrentPage::text, .active > a::text, .current::text, [aria-current]::text").get()
    if current_marked and current_marked.strip().isdigit():
        current = int(current_marked.strip())
    for link in response.css("a[href]"):
        label = " ".join(link.css("::text").getall()).strip()
        if label == str(current + 1):
            return urljoin(response.url, link.attrib["href"])
    return None
