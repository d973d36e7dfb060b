"""Write articles to the store in batches (unordered bulk writes) off the reactor thread, flushing on close."""

from __future__ import annotations

import logging
import time

from itemadapter import ItemAdapter
from pymongo.errors import PyMongoError
from scrapy import signals
from twisted.internet import defer, threads

from crawler.signals import articles_stored
from crawler.store import store_for_settings
from crawler.urls import url_hash

logger = logging.getLogger(__name__)


class StorePipeline:
    """Buffers articles and writes them every STORE_BATCH_SIZE items or STORE_FLUSH_SECONDS.

    A write runs in a thread, one at a time: the crawl goes on while the store works, and what
    arrives meanwhile makes the next batch. close_spider waits for the write under way and
    writes the rest; Scrapy closes spiders on Ctrl-C/SIGTERM too, so an interrupted crawl keeps
    every article it had scraped.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.batch_size = crawler.settings.getint("STORE_BATCH_SIZE", 50)
        self.flush_seconds = crawler.settings.getfloat("STORE_FLUSH_SECONDS", 5.0)
        self.buffer: list[dict] = []
        self.last_flush = time.monotonic()
        self.retry_after = 0.0  # after a failed write, wait before trying again (not once per item)
        self.store = None
        self.writing: defer.Deferred | None = None
        self.run_in_thread = threads.deferToThread
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self):
        self.store = store_for_settings(self.crawler.settings)

    def process_item(self, item):
        doc = ItemAdapter(item).asdict()
        fetched_hash = url_hash(doc["url"])
        doc["alias_hashes"] = [fetched_hash] if fetched_hash != doc["url_hash"] else []
        self.buffer.append(doc)
        if self._due():
            self.flush()
        return item

    def spider_idle(self) -> None:
        self.flush()  # (a spider_idle handler may not return the write's Deferred)

    def _due(self) -> bool:
        now = time.monotonic()
        full = len(self.buffer) >= self.batch_size or now - self.last_flush >= self.flush_seconds
        return bool(self.buffer) and full and now >= self.retry_after

    def flush(self) -> defer.Deferred | None:
        """Start writing the buffer unless a write is under way (its end starts the next one)."""
        if not self.buffer or self.store is None or self.writing is not None:
            return self.writing
        self.last_flush = time.monotonic()
        batch, self.buffer = self.buffer, []
        self.writing = self.run_in_thread(self.store.upsert_articles, batch)
        self.writing.addCallbacks(self._written, self._write_failed, callbackArgs=(batch,), errbackArgs=(batch,))
        return self.writing

    def _written(self, counts, batch: list[dict]) -> None:
        self.writing = None
        self.crawler.signals.send_catch_log(signal=articles_stored, urls=[doc["url"] for doc in batch])
        self.stats.inc_value("articles/new", counts.new)
        self.stats.inc_value("articles/updated", counts.updated)
        self.stats.inc_value("articles/unchanged", counts.unchanged)
        if self._due():
            self.flush()

    def _write_failed(self, failure, batch: list[dict]) -> None:
        self.writing = None
        failure.trap(PyMongoError)
        # Keep the batch: the next flush (next item, idle or close) tries again.
        self.buffer = batch + self.buffer
        self.retry_after = time.monotonic() + self.flush_seconds
        self.stats.inc_value("store/flush_failed")
        logger.error("store write failed, %d articles kept for the next attempt: %s", len(self.buffer), failure.value)

    @defer.inlineCallbacks
    def close_spider(self):
        if self.writing is not None:
            yield self.writing
        self.flush()
        if self.writing is not None:
            yield self.writing
        if self.buffer:
            logger.error("%d articles could not be stored", len(self.buffer))
