"""Write articles to the store in batches (unordered bulk upserts), flushing on close."""

from __future__ import annotations

import logging
import time

from itemadapter import ItemAdapter
from pymongo.errors import PyMongoError
from scrapy import signals

from crawler.signals import articles_stored
from crawler.store import store_for_settings
from crawler.urls import url_hash

logger = logging.getLogger(__name__)


class StorePipeline:
    """Buffers articles and upserts them every STORE_BATCH_SIZE items or STORE_FLUSH_SECONDS.

    close_spider flushes the rest, and Scrapy closes spiders on Ctrl-C/SIGTERM
    too, so an interrupted crawl keeps every article it had scraped.
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
        crawler.signals.connect(self.flush, signal=signals.spider_idle)

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
        now = time.monotonic()
        due = len(self.buffer) >= self.batch_size or now - self.last_flush >= self.flush_seconds
        if due and now >= self.retry_after:
            self.flush()
        return item

    def flush(self) -> None:
        self.last_flush = time.monotonic()
        if not self.buffer or self.store is None:
            return
        batch, self.buffer = self.buffer, []
        try:
            counts = self.store.upsert_articles(batch)
        except PyMongoError as error:
            # Keep the batch: the next flush (next item, idle or close) tries again.
            self.buffer = batch + self.buffer
            self.retry_after = time.monotonic() + self.flush_seconds
            self.stats.inc_value("store/flush_failed")
            logger.error("store write failed, %d articles kept for the next attempt: %s", len(self.buffer), error)
            return
        self.crawler.signals.send_catch_log(signal=articles_stored, urls=[doc["url"] for doc in batch])
        self.stats.inc_value("articles/new", counts.new)
        self.stats.inc_value("articles/updated", counts.updated)
        self.stats.inc_value("articles/unchanged", counts.unchanged)

    def close_spider(self):
        self.flush()
