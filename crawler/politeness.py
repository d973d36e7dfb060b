"""Per-host politeness shared by every worker: one request per DOWNLOAD_DELAY per host, across machines.

Scrapy's own delay holds inside one process; N workers would send N times the rate. Before a
request goes on the wire, its worker takes the host's slot in Redis: `SET portals:host:{host} NX
PX {delay}` succeeds for one worker per delay, the others wait for the key to lapse.

The wait sits in the downloader, right before the download handler sends the request: a
downloader middleware runs earlier, before Scrapy's own per-slot queueing, and requests that
waited there could still leave together.
"""

from __future__ import annotations

import asyncio
import random
from urllib.parse import urlsplit

from scrapy.core.downloader import Downloader
from scrapy_redis import connection


class SharedBudgetDownloader(Downloader):
    """Scrapy's downloader, taking each host's shared Redis slot before every download."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self.redis = connection.from_settings(crawler.settings)

    async def _download(self, slot, request):  # Scrapy's internal hook, right before the handler
        await self.take_slot(request)
        return await super()._download(slot, request)

    async def take_slot(self, request) -> None:
        spider = self.crawler.spider
        delay = getattr(spider, "download_delay", None)
        delay = self.crawler.settings.getfloat("DOWNLOAD_DELAY") if delay is None else delay
        if delay <= 0:
            return
        key = f"portals:host:{urlsplit(request.url).netloc}"
        milliseconds = max(1, int(delay * 1000))
        while not self.redis.set(key, 1, px=milliseconds, nx=True):
            left = self.redis.pttl(key)
            await asyncio.sleep(max(left, 1) / 1000 + random.uniform(0, 0.003))
        self.crawler.stats.inc_value("politeness/shared_slots")
