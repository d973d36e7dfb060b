"""Requests that failed for good, recorded with their reason in the store and retried next run.

The extension collects, per spider: URLs that failed after their retries (the spider's errback
sends `url_failed`), article pages whose item was dropped by validation, and what succeeded
(articles through the pipelines, list pages read). At close it records the failures (`failures` collection,
one document per URL hash) and clears the records of URLs that now succeeded. The spider starts
each crawl with the portal's recorded failures, so nothing that failed once is forgotten.
"""

from __future__ import annotations

import logging
import re

from pymongo.errors import PyMongoError
from scrapy import signals
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import TimeoutError as TwistedTimeoutError
from twisted.python.failure import Failure

from crawler.signals import articles_stored, url_failed
from crawler.store import store_for_settings
from crawler.urls import url_hash
from spiders.base import RECORDED_FAILURE

logger = logging.getLogger(__name__)


class FailureLog:
    def __init__(self, crawler):
        self.crawler = crawler
        self.failed: dict[str, tuple[str, str, str]] = {}  # url hash -> (url, page kind, reason)
        self.succeeded: set[str] = set()
        self.recorded: set[str] = set()  # url hashes recorded as failed before this crawl
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.url_failed, signal=url_failed)
        crawler.signals.connect(self.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(self.articles_stored, signal=articles_stored)
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.response_received, signal=signals.response_received)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_opened(self, spider) -> None:
        if hasattr(spider, "portal"):
            store = store_for_settings(self.crawler.settings)
            self.recorded = {doc["_id"] for doc in store.list_failures(spider.portal.id)}

    def url_failed(self, url: str, page_kind: str, reason: str, again: bool = False) -> None:
        self.failed[url_hash(url)] = (url, page_kind, reason)
        self.crawler.stats.inc_value("failures/urls")
        if not again:
            self.crawler.stats.inc_value("failures/new_urls")

    def item_dropped(self, item, response, exception, spider=None) -> None:
        if response is not None:
            again = response.meta.get(RECORDED_FAILURE, False)
            if not again:
                self.crawler.stats.inc_value("health/dropped")
            self.url_failed(response.url, "article", f"dropped: {exception}".split(": http")[0], again)

    def articles_stored(self, urls: list[str]) -> None:
        self.succeeded.update(url_hash(url) for url in urls)

    def item_scraped(self, item, response, spider=None) -> None:
        """Through every pipeline: stored, or in the spool on its way. Both the fetched URL and the
        one listed before a redirect (under which an earlier failure was recorded) succeeded."""
        for url in (response.url, *response.request.meta.get("redirect_urls", ())[:1]):
            self.succeeded.add(url_hash(url))

    def response_received(self, response, request, spider=None) -> None:
        if request.meta.get("page_kind") == "list" and response.status in (200, 304):
            self.succeeded.add(url_hash(request.url))
        if request.meta.get(RECORDED_FAILURE):  # kept apart: health judges the portal, not old failures
            self.crawler.stats.inc_value("failures/retry_responses")
            if response.status >= 400:
                self.crawler.stats.inc_value("failures/retry_errors")

    def spider_closed(self, spider, reason) -> None:
        portal = getattr(spider, "portal", None)
        if portal is None:
            return
        failed = {key: value for key, value in self.failed.items() if key not in self.succeeded}
        try:
            store = store_for_settings(self.crawler.settings)
            store.clear_failures(portal.id, self.succeeded & self.recorded)
            store.record_failures(portal.id, self.crawler.settings.get("CRAWL_RUN_ID"), failed)
        except PyMongoError as error:
            logger.error("could not record %d failed URLs of %s: %s", len(failed), portal.id, error)
            return
        if failed:
            logger.warning("%s: %d URL(s) failed for good in this run; recorded, the next run retries them",
                           portal.id, len(failed))


def describe_failure(failure: Failure) -> str:
    """One line saying why a request failed: "HTTP 404", "timeout", "redirect loop: A -> B -> A"..."""
    error = failure.value
    if isinstance(error, HttpError):
        return f"HTTP {error.response.status}"
    if isinstance(error, TwistedTimeoutError):
        return "timeout"
    text = str(error).strip() or type(error).__name__
    if text.startswith("redirect loop"):
        return text[:300]
    if "max redirections" in text:
        return "redirect chain too long"
    sizes = re.search(r"receive (\d+) bytes .* max size \((\d+)\)", text)
    if sizes:
        return f"larger than the download size limit ({sizes[1]} bytes > {sizes[2]})"
    return f"{type(error).__name__}: {text}"[:300]
