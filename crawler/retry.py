"""Retries that wait: exponential backoff with jitter, or the server's own Retry-After.

Scrapy's RetryMiddleware re-queues a failed request at once, so a struggling server gets the
retry in the same second. This subclass waits before handing the retry back: Retry-After when
the answer carries one (seconds or an HTTP date; above RETRY_AFTER_MAX the request is not retried
in this run, its failure is recorded and the next run tries again), else RETRY_BACKOFF_BASE *
2^attempt, jittered ±50% and capped at RETRY_BACKOFF_MAX.
"""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response


class BackoffRetryMiddleware(RetryMiddleware):
    def __init__(self, settings):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 30.0)
        self.retry_after_max = settings.getfloat("RETRY_AFTER_MAX", 60.0)

    async def process_response(self, request: Request, response: Response, spider=None) -> Request | Response:
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        wait = retry_after_seconds(response)
        if wait is not None and wait > self.retry_after_max:
            self.crawler.stats.inc_value("retry/retry_after_too_long")
            return response  # a failure for now; recorded, and retried by the next run
        retry = self._retry(request, f"HTTP {response.status}")
        if retry is None:
            return response
        await asyncio.sleep(self.backoff(request) if wait is None else wait)
        return retry

    async def process_exception(self, request: Request, exception: Exception, spider=None):
        retry = super().process_exception(request, exception)
        if isinstance(retry, Request):
            await asyncio.sleep(self.backoff(request))
        return retry

    def backoff(self, request: Request) -> float:
        attempt = request.meta.get("retry_times", 0)
        return min(self.backoff_max, self.backoff_base * 2 ** attempt) * random.uniform(0.5, 1.5)


def retry_after_seconds(response: Response) -> float | None:
    """Retry-After as seconds from now: "120" or "Wed, 21 Oct 2026 07:28:00 GMT"; None when absent or unreadable."""
    value = response.headers.get("Retry-After", b"").decode("latin-1").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
