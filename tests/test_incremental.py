"""Incremental crawling decisions, without a crawl: what the stored-articles middleware lets through."""

from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.middlewares import SkipStoredArticlesMiddleware
from crawler.urls import url_hash
from spiders.base import ARTICLE_PAGE, LIST_PAGE

LIST_URL = "https://camtu.thanhhoa.gov.vn/tin-tuc-su-kien"


def article(n: int) -> Request:
    return Request(f"https://camtu.thanhhoa.gov.vn/tin-tuc-su-kien/bai-{n}-{1000 + n}", meta={"page_kind": ARTICLE_PAGE})


def next_page() -> Request:
    return Request(LIST_URL + "?page=2", meta={"page_kind": LIST_PAGE, "list_page": 2})


def run(middleware, outputs):
    response = HtmlResponse(LIST_URL, body=b"<html></html>")
    return list(middleware.process_spider_output(response, outputs))


def middleware(**settings):
    mw = SkipStoredArticlesMiddleware(get_crawler(settings_dict=settings))
    mw.known = {url_hash(article(n).url) for n in (1, 2, 3)}
    return mw


def test_stored_articles_are_not_requested_and_paging_stops_on_an_all_stored_page():
    mw = middleware()
    assert run(mw, [article(1), article(2), next_page()]) == []
    assert mw.crawler.stats.get_value("articles/skipped_stored") == 2
    assert mw.crawler.stats.get_value("lists/stopped_at_stored_page") == 1


def test_paging_goes_on_while_a_page_has_something_new():
    out = run(middleware(), [article(1), article(4), next_page()])
    assert [r.url for r in out] == [article(4).url, next_page().url]


def test_paging_stop_can_be_turned_off_for_backfills():
    out = run(middleware(STOP_AT_KNOWN_LIST_PAGE=False), [article(1), article(2), next_page()])
    assert [r.url for r in out] == [next_page().url]


def test_refresh_lets_everything_through():
    out = run(middleware(REFRESH_STORED=True), [article(1), article(2), next_page()])
    assert len(out) == 3


def test_tracking_parameters_do_not_hide_a_stored_article():
    mw = middleware()
    tracked = Request(article(1).url + "?utm_source=zalo", meta={"page_kind": ARTICLE_PAGE})
    assert run(mw, [tracked]) == []
