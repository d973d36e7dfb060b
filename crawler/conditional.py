"""Downloader middleware for conditional list requests: ETag / Last-Modified from the last finished crawl.

A list page or feed that did not change answers 304 Not Modified, with no body:
the spider reads no links from it and pages no further. Validators are saved
only when a crawl finishes, so an interrupted crawl never hides articles it
had not fetched yet behind a 304.
"""

from __future__ import annotations

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.http import Response

from crawler.store import store_for_settings
from crawler.urls import canonicalize_url, url_hash
from spiders.base import LIST_PAGE


class ConditionalListRequests:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.enabled = not crawler.settings.getbool("REFRESH_STORED") and crawler.settings.getbool("CONDITIONAL_LISTS", True)
        self.known: dict[str, dict] = {}   # url_hash -> stored validators
        self.seen: dict[str, dict] = {}    # validators of this crawl, saved when it finishes
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalListRequests:
        return cls(crawler)

    def spider_opened(self, spider) -> None:
        if self.enabled and hasattr(spider, "portal"):
            self.known = store_for_settings(self.crawler.settings).list_validators(spider.portal.id)

    def spider_closed(self, spider, reason: str) -> None:
        if self.enabled and reason == "finished" and self.seen:
            store_for_settings(self.crawler.settings).save_validators(spider.portal.id, list(self.seen.values()))

    def process_request(self, request: Request):
        if not self.enabled or request.meta.get("page_kind") != LIST_PAGE or request.meta.get("playwright"):
            return None
        validators = self.known.get(url_hash(request.url))
        if validators:
            if validators.get("etag"):
                request.headers["If-None-Match"] = validators["etag"]
            if validators.get("last_modified"):
                request.headers["If-Modified-Since"] = validators["last_modified"]
            request.meta["handle_httpstatus_list"] = [*request.meta.get("handle_httpstatus_list", []), 304]
        return None

    def process_response(self, request: Request, response: Response):
        if not self.enabled or request.meta.get("page_kind") != LIST_PAGE:
            return response
        if response.status == 304:
            self.crawler.stats.inc_value("lists/not_modified")
            key = url_hash(request.url)
            self.seen[key] = self.known[key] if key in self.known else self.seen.get(key, {})
        elif response.status == 200:
            etag = response.headers.get("ETag")
            modified = response.headers.get("Last-Modified")
            if etag or modified:
                self.seen[url_hash(request.url)] = {
                    "_id": url_hash(request.url), "url": canonicalize_url(request.url),
                    "etag": etag.decode("latin-1") if etag else None,
                    "last_modified": modified.decode("latin-1") if modified else None,
                }
        return response
