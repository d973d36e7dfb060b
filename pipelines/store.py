"""Write articles to the store in batches off the reactor thread, through a durable local spool."""

from __future__ import annotations

import logging
import time

from itemadapter import ItemAdapter
from pymongo.errors import PyMongoError
from scrapy import signals
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import defer, reactor, task, threads

from crawler.signals import articles_stored
from crawler.spool import Segment, spool_for_settings
from crawler.store import store_for_settings
from crawler.urls import url_hash

logger = logging.getLogger(__name__)


class StorePipeline:
    """Buffers articles and writes them every STORE_BATCH_SIZE items or STORE_FLUSH_SECONDS.

    A write runs in a thread, one at a time: the crawl goes on while the store works, and what
    arrives meanwhile waits in the buffer. A write takes the oldest STORE_BATCH_SIZE articles at
    most, a backlog goes batch after batch: with a store slower than the crawl, writes of the
    whole buffer grew ever larger, and their transient copies (BSON, in writer threads) left the
    crawling process hundreds of MB the allocator kept.
    Every article is in the spool (crawler.spool) before it is buffered; a spool segment is
    deleted once every article in it is stored. A failed write keeps the batch for the next
    attempt (store outage); what is still unstored when the spider closes, or when the process
    is killed, stays in the spool and the next crawl stores it first.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.batch_size = crawler.settings.getint("STORE_BATCH_SIZE", 50)
        self.flush_seconds = crawler.settings.getfloat("STORE_FLUSH_SECONDS", 5.0)
        self.close_wait = crawler.settings.getfloat("STORE_CLOSE_WAIT_SECONDS", 120.0)
        self.buffer: list[dict] = []
        self.last_flush = time.monotonic()
        self.retry_after = 0.0  # after a failed write, wait before trying again (not once per item)
        self.store = None
        self.writing: defer.Deferred | None = None
        self.run_in_thread = threads.deferToThread
        self.spool = spool_for_settings(crawler.settings)
        self.segment: Segment | None = None      # where new articles are appended
        # Sealed segments holding buffered articles, oldest first, with how many of theirs are not stored yet
        # (the buffer holds their unstored articles in the same order, then the current segment's).
        self.buffered_segments: list[list] = []  # [segment, unstored]
        self.last_write_ok = True
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self):
        self.store = store_for_settings(self.crawler.settings)
        self.replay_spool()

    def replay_spool(self) -> None:
        """Store what earlier crawls left in the spool (killed, or the store was down), then delete it."""
        for path, docs in self.spool.abandoned():
            try:
                for start in range(0, len(docs), self.batch_size):
                    self.store.upsert_articles(docs[start:start + self.batch_size])
            except PyMongoError as error:
                logger.error("spool %s not stored yet (%s); the next crawl tries again", path, error)
                return
            path.unlink(missing_ok=True)
            self.stats.inc_value("spool/replayed", len(docs))
            logger.info("stored %d articles left in the spool by an earlier crawl (%s)", len(docs), path.name)

    def process_item(self, item):
        doc = ItemAdapter(item).asdict()
        # Other URLs of this article (fetched, listed before a redirect): known, so never requested again.
        aliases = {url_hash(url) for url in (doc["url"], doc.pop("requested_url", None) or doc["url"])}
        doc["alias_hashes"] = sorted(aliases - {doc["url_hash"]})
        if self.segment is None:
            self.segment = self.spool.new_segment()
        self.segment.append(doc)
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
        """Start writing the oldest STORE_BATCH_SIZE buffered articles unless a write is under way (its end starts
        the next one)."""
        if not self.buffer or self.store is None or self.writing is not None:
            return self.writing
        self.last_flush = time.monotonic()
        batch, self.buffer = self.buffer[:self.batch_size], self.buffer[self.batch_size:]
        if self.segment is not None:  # seal it (still locked): every buffered article is in a sealed segment
            self.segment.sync()
            self.buffered_segments.append([self.segment, self.segment.count])
            self.segment = None
        self.writing = self.run_in_thread(self.store.upsert_articles, batch)
        self.writing.addCallbacks(self._written, self._write_failed, callbackArgs=(batch,), errbackArgs=(batch,))
        return self.writing

    def _written(self, counts, batch: list[dict]) -> None:
        self.writing = None
        self.last_write_ok = True
        stored = len(batch)  # the oldest buffered articles: those of the oldest segments
        while stored and self.buffered_segments:
            entry = self.buffered_segments[0]
            taken = min(stored, entry[1])
            entry[1] -= taken
            stored -= taken
            if entry[1] == 0:
                self.buffered_segments.pop(0)
                entry[0].delete()
        self.crawler.signals.send_catch_log(signal=articles_stored, urls=[doc["url"] for doc in batch])
        self.stats.inc_value("articles/new", counts.new)
        self.stats.inc_value("articles/updated", counts.updated)
        self.stats.inc_value("articles/unchanged", counts.unchanged)
        if self._due():
            self.flush()

    def _write_failed(self, failure, batch: list[dict]) -> None:
        self.writing = None
        self.last_write_ok = False
        failure.trap(PyMongoError)
        # Keep the batch, in front: the next flush (next item, idle or close) tries again.
        self.buffer = batch + self.buffer
        self.retry_after = time.monotonic() + self.flush_seconds
        self.stats.inc_value("store/flush_failed")
        logger.error("store write failed, %d articles kept for the next attempt: %s", len(self.buffer), failure.value)

    async def close_spider(self):
        await maybe_deferred_to_future(self.finish())

    @defer.inlineCallbacks
    def finish(self):
        """Write the rest; a store that is down now is waited for up to STORE_CLOSE_WAIT_SECONDS
        (an outage of a minute should not leave work for tomorrow), then the spool keeps it."""
        deadline = time.monotonic() + self.close_wait
        attempt = True  # write now: at first, and after each wait
        while self.store is not None:
            if self.writing is not None:
                yield self.writing
            elif not self.buffer:
                break
            elif attempt or self.last_write_ok:  # batch after batch while the store takes them
                attempt = False
                self.flush()
            elif time.monotonic() >= deadline:
                break
            else:
                logger.info("store unreachable: trying again for %.0f s more", deadline - time.monotonic())
                yield task.deferLater(reactor, min(self.flush_seconds, max(0.0, deadline - time.monotonic())))
                attempt = True
        try:
            self.store.save_stories()  # stories this crawl added to and the store keeps in memory for a few seconds
        except PyMongoError as error:
            logger.error("stories not saved (%s); their articles carry their story ids", error)
        if self.buffer:
            logger.error("%d articles could not be stored now; they wait in %s for the next crawl",
                         len(self.buffer), self.spool.directory)
            self.stats.set_value("spool/left", len(self.buffer))
        for segment in [entry[0] for entry in self.buffered_segments] + ([self.segment] if self.segment else []):
            segment.close()  # unlocked: the next crawl replays them
