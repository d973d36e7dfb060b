"""Recrawl economy: a quiet night costs one request per portal, and nothing new is missed for it.

The first start page (the feed, when the platform has one) is the change probe: when it answers 304
the other start pages are skipped; robots.txt is reused from the store for ROBOTSTXT_CACHE_HOURS.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from crawler.registry import Portal
from crawler.replica import Fleet
from crawler.spiderloader import spider_class_for
from crawler.urls import url_hash
from spiders import PLATFORM_SPIDERS
from spiders.base import CHANGE_PROBE
from tests.crawling import crawl_json, write_registry


@pytest.fixture(scope="module")
def fleet():
    with Fleet(seed=11, portals=["camtu", "baolaocai"], articles_per_portal=12) as fleet:
        yield fleet


@pytest.fixture
def registry(fleet, tmp_path):
    return write_registry(tmp_path / "replica.yaml", fleet.registry_entries())


def paths(fleet, portal) -> list[str]:
    return [urlsplit(target).path for target in fleet.requests(portal)]


def start_paths(fleet, portal) -> list[str]:
    """The portal's start requests in the order the spider makes them: feeds first, the probe first of all."""
    entry = next(e for e in fleet.registry_entries() if e["id"] == portal)
    feeds = PLATFORM_SPIDERS[entry["platform"]].feed_paths
    return [*(feed for feed in feeds if feed not in entry["start_paths"]), *entry["start_paths"]]


def test_a_new_article_makes_the_probe_answer_200_and_every_start_page_is_read(fleet, registry, store):
    crawl_json(registry, "baolaocai")
    fleet.clear_requests()
    assert paths(fleet, "baolaocai") == []
    fresh = fleet.publish("baolaocai", 2)
    report = crawl_json(registry, "baolaocai")
    assert report["totals"]["articles_new"] == 2
    assert {url_hash(a.url) for a in fresh} <= {doc["_id"] for doc in store.articles.find({"portal": "baolaocai"})}
    fetched = paths(fleet, "baolaocai")
    assert set(start_paths(fleet, "baolaocai")) <= set(fetched)
    assert "/robots.txt" not in fetched  # stored by the first crawl, minutes ago


def test_a_portal_not_walked_in_full_for_a_week_is_walked_in_full(fleet, registry, store):
    crawl_json(registry, "camtu")
    store.portals.update_one({"_id": "camtu"}, {"$set": {"last_full_walk_at": datetime.now(UTC) - timedelta(days=8)}})
    fleet.clear_requests()
    report = crawl_json(registry, "camtu")
    assert report["totals"]["articles_new"] == 0
    assert sorted(paths(fleet, "camtu")) == sorted(start_paths(fleet, "camtu"))  # every one, each a 304
    assert store.get_portal("camtu")["last_full_walk_at"] > datetime.now(UTC) - timedelta(minutes=5)
    fleet.clear_requests()
    crawl_json(registry, "camtu")
    assert paths(fleet, "camtu") == start_paths(fleet, "camtu")[:1]  # walked yesterday: the probe alone


def test_robots_txt_older_than_the_cache_lifetime_is_fetched_again(fleet, registry, store):
    crawl_json(registry, "camtu")
    origin = fleet.base_url("camtu").rstrip("/")
    assert store.db["robots"].find_one({"_id": origin})["body"]
    store.db["robots"].update_one({"_id": origin}, {"$set": {"fetched_at": datetime.now(UTC) - timedelta(hours=25)}})
    fleet.clear_requests()
    crawl_json(registry, "camtu")
    assert paths(fleet, "camtu")[0] == "/robots.txt"
    fleet.clear_requests()
    crawl_json(registry, "camtu", extra=("-s", "ROBOTSTXT_CACHE_HOURS=0"))  # no cache: every crawl asks
    assert "/robots.txt" in paths(fleet, "camtu")


def test_a_cached_robots_txt_is_obeyed_without_asking_the_server(fleet, registry, store):
    origin = fleet.base_url("camtu").rstrip("/")
    store.save_robots(origin, b"User-agent: *\nDisallow: /\n", datetime.now(UTC))
    fleet.clear_requests()
    report = crawl_json(registry, "camtu")
    assert paths(fleet, "camtu") == []
    assert report["totals"]["articles_new"] == 0


def test_a_failed_probe_releases_the_other_start_pages():
    portal = Portal(id="probe", name="Probe", province="Thanh Hóa", level="commune", platform="vnpt",
                    base_url="https://probe.example.vn", start_paths=["/a", "/b", "/c"])
    cls = spider_class_for(portal)
    spider = cls.from_crawler(get_crawler(cls))
    starts = [spider.list_request(portal.base_url + path, page_number=1) for path in ("/a", "/b", "/c")]
    starts[0].meta[CHANGE_PROBE] = True
    spider._held_back = starts[1:]
    failure = Failure(ConnectionRefusedError("refused"))
    failure.request = starts[0]
    released = spider.request_failed(failure)
    assert [r.url for r in released] == [portal.base_url + "/b", portal.base_url + "/c"]
    assert spider._after_probe(changed=False) == []  # released once, never twice
