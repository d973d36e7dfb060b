"""Redirect loops end as failures with a reason, not as silently dropped duplicates.

In a loop (A -> B -> A) Scrapy's redirect middleware hands back A, the duplicate filter drops it,
and the article vanishes without an error. This middleware runs before the redirect middleware
and refuses a redirect to a URL already on the request's chain, so the request fails (and is
recorded, crawler.failures) as a redirect loop.
"""

from __future__ import annotations

from urllib.parse import urljoin

from scrapy.exceptions import IgnoreRequest
from w3lib.url import safe_url_string


class RedirectLoopGuard:
    def process_response(self, request, response, spider=None):
        location = response.headers.get("Location")
        if response.status not in (301, 302, 303, 307, 308) or not location:
            return response
        target = safe_url_string(urljoin(request.url, location.decode("latin-1")))
        chain = [*request.meta.get("redirect_urls", ()), request.url]
        if target in chain:
            raise IgnoreRequest(f"redirect loop: {' -> '.join([*chain, target])}")
        return response
