"""Retries wait: the server's Retry-After when it gives one, else exponential backoff; loops and charsets."""

from __future__ import annotations

import asyncio
import time
import unicodedata

import pytest
import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler

from crawler.encoding import EncodingRepairMiddleware
from crawler.redirects import RedirectLoopGuard
from crawler.retry import BackoffRetryMiddleware, retry_after_seconds


def middleware(**settings) -> BackoffRetryMiddleware:
    crawler = get_crawler(scrapy.Spider, settings_dict={"RETRY_BACKOFF_BASE": 0.2, **settings})
    crawler.spider = crawler._create_spider("t")
    return BackoffRetryMiddleware.from_crawler(crawler)


def answer(status: int, **headers) -> tuple[scrapy.Request, Response]:
    request = scrapy.Request("http://127.0.0.2/tin-tuc/bai-1")
    return request, Response(request.url, status=status, headers=headers, request=request)


def test_a_503_with_retry_after_is_retried_after_that_many_seconds():
    request, response = answer(503, **{"Retry-After": "1"})
    started = time.monotonic()
    retry = asyncio.run(middleware().process_response(request, response))
    assert isinstance(retry, scrapy.Request) and retry.meta["retry_times"] == 1
    assert 1.0 <= time.monotonic() - started < 2.0


def test_a_retry_after_beyond_the_limit_is_left_to_the_next_run():
    request, response = answer(503, **{"Retry-After": "3600"})
    started = time.monotonic()
    assert asyncio.run(middleware().process_response(request, response)) is response
    assert time.monotonic() - started < 0.5


def test_without_retry_after_the_wait_doubles_with_each_attempt():
    mw = middleware(RETRY_BACKOFF_MAX=100)
    waits = [mw.backoff(scrapy.Request("http://x/", meta={"retry_times": n})) for n in range(4)]
    for n, wait in enumerate(waits):
        assert 0.2 * 2 ** n * 0.5 <= wait <= 0.2 * 2 ** n * 1.5
    assert middleware(RETRY_BACKOFF_MAX=1).backoff(scrapy.Request("http://x/", meta={"retry_times": 10})) <= 1.5


def test_retry_after_as_an_http_date_and_unreadable():
    future = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 30))
    assert 28 <= retry_after_seconds(answer(503, **{"Retry-After": future})[1]) <= 31
    assert retry_after_seconds(answer(503, **{"Retry-After": "soon"})[1]) is None
    assert retry_after_seconds(answer(503)[1]) is None


def test_a_redirect_back_to_a_url_of_the_chain_is_a_loop():
    guard = RedirectLoopGuard()
    request = scrapy.Request("http://x/__r/loop/a", meta={"redirect_urls": ["http://x/a"]})
    with pytest.raises(IgnoreRequest, match="redirect loop: http://x/a -> http://x/__r/loop/a -> http://x/a"):
        guard.process_response(request, Response(request.url, status=302, headers={"Location": "/a"}))
    onward = Response(request.url, status=302, headers={"Location": "/b"})
    assert guard.process_response(request, onward) is onward


def test_utf8_under_a_server_default_latin1_header_is_read_as_utf8():
    mw = EncodingRepairMiddleware(get_crawler().stats)
    body = "<html><head><meta charset='utf-8'></head><body>Xã Mường Lát</body></html>".encode()
    wrong = HtmlResponse("http://x/", body=body, headers={"Content-Type": "text/html; charset=iso-8859-1"})
    assert "Mường" not in wrong.text and "Mường" in mw.process_response(None, wrong).text
    legacy = HtmlResponse("http://x/", body=unicodedata.normalize("NFD", "<meta charset='windows-1258'>Xã").encode("cp1258"),
                          headers={"Content-Type": "text/html"})
    assert mw.process_response(None, legacy) is legacy  # not UTF-8: Scrapy reads the meta charset
