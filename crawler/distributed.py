"""scrapy-redis on Scrapy 2.19: the thin compatibility layer, and a queue that survives a killed worker.

scrapy-redis 0.9.1 targets Scrapy up to 2.11. What this module adds to it, and nothing more:
- `Scheduler`: scrapy-redis's scheduler with the stats calls in today's form (no `spider`).
- `RedisStartMixin`: an async `start()` (Scrapy 2.13+ no longer calls `start_requests()`) that takes
  the portal's seeded start requests from Redis, each by exactly one worker.
- `LeasedPriorityQueue`: a pop is a lease. The request sits in a processing set with an expiry
  that its worker renews; the worker acknowledges it when done (article stored or dropped, list
  read, failure final). A worker killed with SIGKILL acknowledges nothing: its leases lapse and
  the next pop by any worker puts those requests back in the queue (at most MAX_DELIVERIES times).
- `ExpiringDupeFilter`: the run's fingerprint set expires RUN_KEYS_TTL after its last write, so
  sets do not pile up night after night (stored articles are skipped through MongoDB anyway).
- `LeaseKeeper` (extension), `AckAfterCallback` (spider middleware), `AckFailedDownload`
  (downloader middleware): where requests are acknowledged, and idle workers kept open while the
  run still has queued or leased requests.
"""

from __future__ import annotations

import json
import time
from typing import Any, AsyncIterator

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware
from scrapy_redis import connection
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler as RedisScheduler

from crawler.items import Article
from crawler.signals import articles_stored

RUN_KEYS_TTL = 3 * 24 * 3600  # seconds a run's keys outlive their last write
REQUEUE_SCORE = -1000         # scrapy-redis scores are -priority: taken-back requests go first
MAX_DELIVERIES = 3            # a request whose worker died this often is given up
IDLE_POLL_SECONDS = 0.2       # how soon an idle worker looks at the shared queue again


def run_prefix(run_id: str) -> str:
    return f"portals:run:{run_id}"


def distributed_settings(redis_url: str, run_id: str, idle_seconds: float, lease_seconds: float) -> dict:
    """Scrapy settings that put a crawler on the run's shared queue and fingerprint set."""
    prefix = run_prefix(run_id)
    return {
        "REDIS_URL": redis_url,
        "DISTRIBUTED_RUN_ID": run_id,
        "SCHEDULER": "crawler.distributed.Scheduler",
        "SCHEDULER_QUEUE_CLASS": "crawler.distributed.LeasedPriorityQueue",
        "SCHEDULER_QUEUE_KEY": f"{prefix}:%(spider)s:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:%(spider)s:dupefilter",
        "DUPEFILTER_CLASS": "crawler.distributed.ExpiringDupeFilter",
        "SCHEDULER_PERSIST": True,  # the queue belongs to the run, not to one worker
        "WORKER_IDLE_SECONDS": idle_seconds,
        "LEASE_SECONDS": lease_seconds,
        # Added to the project's components (crawl.py merges dictionaries).
        "EXTENSIONS": {"crawler.distributed.LeaseKeeper": 500},
        "SPIDER_MIDDLEWARES": {"crawler.distributed.AckAfterCallback": 5},
        "DOWNLOADER_MIDDLEWARES": {"crawler.distributed.AckFailedDownload": 10},
        "DOWNLOADER": "crawler.politeness.SharedBudgetDownloader",  # per-host rate shared by all workers
        # Articles are acknowledged once stored: store them promptly.
        "STORE_BATCH_SIZE": 5,
        "STORE_FLUSH_SECONDS": 1.0,
    }


class Scheduler(RedisScheduler):
    """scrapy-redis's scheduler, stats calls without the `spider` argument Scrapy 2.13+ deprecates."""

    def enqueue_request(self, request: scrapy.Request) -> bool:
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self) -> scrapy.Request | None:
        request = self.queue.pop(self.idle_before_close)
        if request and self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request


# Atomically: take back lapsed leases (counting deliveries), then lease the best queued request.
_LEASE = """
local lapsed = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])
for _, member in ipairs(lapsed) do
  redis.call('ZREM', KEYS[2], member)
  if redis.call('HINCRBY', KEYS[3], member, 1) < tonumber(ARGV[3]) then
    redis.call('ZADD', KEYS[1], ARGV[4], member)
  end
end
local item = redis.call('ZRANGE', KEYS[1], 0, 0)
if #item == 0 then return false end
redis.call('ZREM', KEYS[1], item[1])
redis.call('ZADD', KEYS[2], tonumber(ARGV[1]) + tonumber(ARGV[2]), item[1])
redis.call('EXPIRE', KEYS[2], ARGV[5])
return item[1]
"""


class LeasedPriorityQueue(PriorityQueue):
    """scrapy-redis's priority queue whose pops are leases, acknowledged when done."""

    def __init__(self, server, spider, key, serializer=None):
        super().__init__(server, spider, key, serializer)
        self.processing_key = f"{self.key}:processing"
        self.deliveries_key = f"{self.key}:deliveries"
        self.lease_seconds = spider.settings.getfloat("LEASE_SECONDS", 60)
        self.leased: dict[str, bytes] = {}  # URL -> encoded request, leased by this worker
        self._lease = server.register_script(_LEASE)
        spider.crawler.lease_queue = self

    def push(self, request: scrapy.Request) -> None:
        super().push(request)
        self.server.expire(self.key, RUN_KEYS_TTL)

    def pop(self, timeout: float = 0) -> scrapy.Request | None:
        data = self._lease(keys=[self.key, self.processing_key, self.deliveries_key],
                           args=[time.time(), self.lease_seconds, MAX_DELIVERIES, REQUEUE_SCORE, RUN_KEYS_TTL])
        if not data:
            return None
        request = self._decode_request(data)
        self.leased[request.url] = data
        return request

    def outstanding(self) -> int:
        """Queued, or leased by any worker: the run is not over while this is above zero."""
        return self.server.zcard(self.key) + self.server.zcard(self.processing_key)

    def ack(self, url: str) -> None:
        data = self.leased.pop(url, None)
        if data is not None:
            self.server.zrem(self.processing_key, data)

    def renew(self) -> None:
        if self.leased:
            expiry = time.time() + self.lease_seconds
            self.server.zadd(self.processing_key, {data: expiry for data in self.leased.values()}, xx=True)


class ExpiringDupeFilter(RFPDupeFilter):
    """scrapy-redis's fingerprint set, expiring with the run's other keys."""

    @classmethod
    def from_spider(cls, spider):
        key = spider.settings["SCHEDULER_DUPEFILTER_KEY"] % {"spider": spider.name}
        return cls(server=connection.from_settings(spider.settings), key=key,
                   debug=spider.settings.getbool("DUPEFILTER_DEBUG"))

    def request_seen(self, request: scrapy.Request) -> bool:
        seen = super().request_seen(request)
        if not seen:
            self.server.expire(self.key, RUN_KEYS_TTL)
        return seen


class RedisStartMixin:
    """Start requests come from Redis, seeded once per run: an async `start()` takes them."""

    async def start(self) -> AsyncIterator[scrapy.Request]:
        server = connection.from_settings(self.settings)
        key = f"{run_prefix(self.settings['DISTRIBUTED_RUN_ID'])}:{self.name}:start"
        while (raw := server.lpop(key)) is not None:  # LPOP: each start request goes to one worker
            seed = json.loads(raw)
            yield self.list_request(seed["url"], page_number=1).replace(priority=seed["priority"])


def seed_start_requests(server, run_id: str, spider_cls) -> int:
    """Put a portal's start requests (feeds first) where the workers' `start()` takes them."""
    portal = spider_cls.portal
    seeds = [{"url": portal.base_url + path, "priority": 10} for path in spider_cls.feed_paths if path not in portal.start_paths]
    seeds += [{"url": url, "priority": 0} for url in portal.start_urls()]
    key = f"{run_prefix(run_id)}:{portal.id}:start"
    server.rpush(key, *[json.dumps(seed) for seed in seeds])
    server.expire(key, RUN_KEYS_TTL)
    return len(seeds)


def _queue(crawler) -> LeasedPriorityQueue | None:
    """The crawler's leased queue, or None (compare with None: an empty queue is falsy, it has a length)."""
    return getattr(crawler, "lease_queue", None)


class LeaseKeeper:
    """Renews this worker's leases, acknowledges stored and dropped articles, and keeps an idle
    spider open while the run has queued or leased requests, until WORKER_IDLE_SECONDS of nothing."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.idle_seconds = crawler.settings.getfloat("WORKER_IDLE_SECONDS", 10)
        self.idle_since: float | None = None
        self.renewed = 0.0
        self.wake_call = None
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(self.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(self.renew, signal=signals.response_received)
        crawler.signals.connect(self.articles_stored, signal=articles_stored)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def renew(self, **_: Any) -> None:
        queue = _queue(self.crawler)
        if queue is not None and time.monotonic() - self.renewed > queue.lease_seconds / 4:
            self.renewed = time.monotonic()
            queue.renew()

    def articles_stored(self, urls: list[str]) -> None:
        queue = _queue(self.crawler)
        for url in urls if queue is not None else ():
            queue.ack(url)

    def item_dropped(self, item, response, exception, spider) -> None:
        queue = _queue(self.crawler)
        if queue is not None and response is not None:
            queue.ack(response.request.url)

    def spider_idle(self, spider) -> None:
        self.renew()
        queue = _queue(self.crawler)
        if queue is None:
            return
        if queue.outstanding():
            self.idle_since = None
            self.wake_soon()
            raise DontCloseSpider
        self.idle_since = self.idle_since or time.monotonic()
        if time.monotonic() - self.idle_since < self.idle_seconds:
            self.wake_soon()
            raise DontCloseSpider

    def wake_soon(self) -> None:
        """Have the engine ask the scheduler again in IDLE_POLL_SECONDS.

        Scrapy looks at an idle spider's scheduler only every 5 seconds (the engine's heartbeat),
        which suits a local queue that only this process fills. Here other workers fill it: waiting
        5 seconds each time the queue runs dry left workers idle while requests waited in Redis.
        """
        from twisted.internet import reactor

        if self.wake_call is not None and self.wake_call.active():
            return
        slot = getattr(self.crawler.engine, "_slot", None)  # Scrapy's internal: the engine's next-call
        if slot is not None:
            self.wake_call = reactor.callLater(IDLE_POLL_SECONDS, slot.nextcall.schedule)


class AckAfterCallback(BaseSpiderMiddleware):
    """A response whose callback gave no article is done once its output is out (its links are queued);
    one that gave articles is done when they are stored (LeaseKeeper)."""

    def process_spider_output(self, response, result, spider=None):
        articles = False
        for output in result:
            articles = articles or isinstance(output, Article)
            yield output
        self._done(response, articles)

    async def process_spider_output_async(self, response, result, spider=None):
        articles = False
        async for output in result:
            articles = articles or isinstance(output, Article)
            yield output
        self._done(response, articles)

    def process_spider_exception(self, response, exception, spider=None):
        self._done(response, False)  # e.g. an HTTP error page: nothing will come of it
        return None

    def _done(self, response, articles: bool) -> None:
        queue = _queue(self.crawler)
        if queue is not None and response is not None and not articles:
            from twisted.internet import reactor

            # The scraper hands the output over concurrently: acknowledge once it has settled.
            reactor.callLater(1.0, queue.ack, response.request.url)


class AckFailedDownload:
    """A download that failed for good (after retries, robots.txt refusal) is done too."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_exception(self, request, exception):
        queue = _queue(self.crawler)
        if queue is not None:
            queue.ack(request.url)
        return None
