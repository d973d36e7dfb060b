"""Spider middleware that drops requests for articles already in the store (incremental crawls)."""

from __future__ import annotations

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from crawler.store import store_for_settings
from crawler.urls import url_hash
from spiders.base import ARTICLE_PAGE


class SkipStoredArticlesMiddleware(BaseSpiderMiddleware):
    """An article URL whose hash is stored is never scheduled, let alone downloaded."""

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        self.known: set[str] = set()
        self.enabled = not crawler.settings.getbool("REFRESH_STORED")
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)

    def spider_opened(self, spider) -> None:
        if self.enabled and hasattr(spider, "portal"):
            self.known = store_for_settings(self.crawler.settings).known_url_hashes(spider.portal.id)
            spider.logger.info("%d stored articles will not be requested again", len(self.known))

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        if self.enabled and request.meta.get("page_kind") == ARTICLE_PAGE and url_hash(request.url) in self.known:
            self.crawler.stats.inc_value("articles/skipped_stored")
            return None
        return request
