"""Spider middleware for incremental crawls: stored articles are never requested again, and
list paging stops at the first list page that holds nothing new."""

from __future__ import annotations

import weakref
from dataclasses import dataclass

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from crawler.store import store_for_settings
from crawler.urls import url_hash
from spiders.base import ARTICLE_PAGE, LIST_PAGE


@dataclass
class _ListTally:
    articles: int = 0
    stored: int = 0


class SkipStoredArticlesMiddleware(BaseSpiderMiddleware):
    """Drops article requests whose URL hash is stored, and the next-page request of a list
    page whose articles were all stored (STOP_AT_KNOWN_LIST_PAGE), before they are scheduled.

    Relies on the spider yielding a list page's article links before its next page.
    """

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        self.known: set[str] = set()
        self.enabled = not crawler.settings.getbool("REFRESH_STORED")
        self.stop_at_known_page = crawler.settings.getbool("STOP_AT_KNOWN_LIST_PAGE", True)
        self._tallies: weakref.WeakKeyDictionary[Response, _ListTally] = weakref.WeakKeyDictionary()
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)

    def spider_opened(self, spider) -> None:
        if hasattr(spider, "portal") and spider.portal.id in self.crawler.settings.getlist("RESUME_PORTALS"):
            self.stop_at_known_page = False  # its last crawl died midway: stored pages may hide unreached ones
        if self.enabled and hasattr(spider, "portal"):
            self.known = store_for_settings(self.crawler.settings).known_url_hashes(spider.portal.id)
            spider.logger.info("%d stored articles will not be requested again", len(self.known))

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        if not self.enabled or response is None:
            return request
        kind = request.meta.get("page_kind")
        if kind == ARTICLE_PAGE:
            tally = self._tallies.setdefault(response, _ListTally())
            tally.articles += 1
            if url_hash(request.url) in self.known:
                tally.stored += 1
                self.crawler.stats.inc_value("articles/skipped_stored")
                return None
        elif kind == LIST_PAGE and self.stop_at_known_page:
            tally = self._tallies.get(response)
            if tally and tally.articles and tally.articles == tally.stored:
                self.crawler.stats.inc_value("lists/stopped_at_stored_page")
                return None
        return request
