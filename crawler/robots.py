"""Downloader middleware: robots.txt kept in the store between crawls, for ROBOTSTXT_CACHE_HOURS.

Scrapy's RobotsTxtMiddleware downloads every host's robots.txt once per crawler, so each crawl
of a portal begins with that request even when nothing else is asked. RFC 9309 (2.4) lets a
crawler reuse a robots.txt for up to 24 hours: within that age the stored copy is parsed instead.
What is cached is what the crawl obeyed: a 200's body, or an empty body for a 4xx (robots.txt
"unavailable": everything allowed). A 5xx or a failed download is never cached, so the next
crawl asks again.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.http import Request, Response
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler

from crawler.store import store_for_settings


class CachedRobotsTxtMiddleware(RobotsTxtMiddleware):
    def __init__(self, crawler):
        super().__init__(crawler)
        self.max_age = timedelta(hours=crawler.settings.getfloat("ROBOTSTXT_CACHE_HOURS", 24))

    async def robot_parser(self, request: Request):
        url = urlparse_cached(request)
        origin = f"{url.scheme}://{url.netloc}"
        if url.netloc not in self._parsers and self.max_age > timedelta(0):
            cached = store_for_settings(self.crawler.settings).cached_robots(origin, datetime.now(UTC) - self.max_age)
            if cached is not None:
                self._parsers[url.netloc] = build_from_crawler(self._parserimpl, self.crawler, cached)
                self._stats.inc_value("robotstxt/cached")
        return await super().robot_parser(request)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        await super()._parse_robots(response, netloc, request)
        if self.max_age > timedelta(0) and (response.status == 200 or 400 <= response.status < 500):
            origin = f"{urlparse_cached(request).scheme}://{netloc}"  # the host asked, wherever it redirected
            body = response.body if response.status == 200 else b""
            store_for_settings(self.crawler.settings).save_robots(origin, body, datetime.now(UTC))
