"""End to end: crawl replica portals on 127.0.0.1 into the store, as `portals crawl` does for users."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from collections import Counter
from urllib.parse import urlsplit

import pytest

from crawler.dates import to_local_iso
from crawler.items import ARTICLE_FIELDS
from crawler.replica import Fleet
from crawler.urls import url_hash
from spiders import PLATFORM_SPIDERS
from tests.crawling import FAST, ROOT, article_text, crawl_json, portals_command, write_registry

PORTALS = ["muonglat", "camtu", "quanhoa", "nongcong", "baolaocai", "baothanhhoa"]
BOILERPLATE = ["Thống kê truy cập", "CƠ QUAN CHỦ QUẢN", "Website được thiết kế bởi VNPT", "Tin cùng chuyên mục",
               "Tin mới nhất", "Tin nổi bật", "Đang online", "Có thể bạn quan tâm", "image advertisement"]


@pytest.fixture(scope="module")
def fleet():
    with Fleet(seed=7, articles_per_portal=24) as fleet:
        yield fleet


@pytest.fixture
def registry(fleet, tmp_path):
    return write_registry(tmp_path / "replica.yaml", fleet.registry_entries())


def stored(store, portal):
    return {doc["url_hash"]: doc for doc in store.articles.find({"portal": portal})}


def nfc(text):
    return unicodedata.normalize("NFC", text or "")


def test_fleet_crawl_stores_every_article_once_and_cleanly_then_downloads_none_again(fleet, registry, store):
    report = crawl_json(registry, "--all")
    assert set(report["portals"]) == set(PORTALS) and report["status"] == "finished"
    for portal in PORTALS:
        truth = fleet.articles(portal)
        counts = report["portals"][portal]
        assert counts["articles_new"] == len(truth), (portal, counts)
        assert counts["errors"] == 0 and counts["items_dropped"] == 0
        docs = stored(store, portal)
        assert sorted(docs) == sorted(url_hash(a.url) for a in truth)  # each exactly once
        for expected in truth:
            doc = docs[url_hash(expected.url)]
            assert (doc["title"], doc["published_at"], doc["portal"]) == (nfc(expected.title), expected.published_at, portal)
            assert doc["body"] == article_text(expected), expected.url  # the full text, encrypted parts included
            for chrome in BOILERPLATE:
                assert chrome not in doc["body"], (portal, chrome)
            assert [(i["url"], i["caption"]) for i in doc["images"]] == [(u, nfc(c) or None) for u, c in expected.images]
    assert report["totals"]["articles_new"] == sum(len(fleet.articles(p)) for p in PORTALS)
    assert store.runs.find_one({"_id": report["run_id"]})["status"] == "finished"

    # Only the article pages with encrypted parts went through the browser, each once more.
    encrypted = [a for a in fleet.articles("baothanhhoa") if "encrypted" in a.traits]
    assert encrypted and report["portals"]["baothanhhoa"]["rendered"] == len(encrypted)
    assert all(report["portals"][p]["rendered"] == 0 for p in PORTALS if p != "baothanhhoa")
    fetches = Counter(fleet.requests("baothanhhoa"))  # path and query
    assert all(fetches[urlsplit(a.url).path] == 2 for a in encrypted)
    assert all(count == 1 for path, count in fetches.items() if path not in {urlsplit(a.url).path for a in encrypted})

    for newspaper in ("baolaocai", "baothanhhoa"):  # RSS first, with the list pages (requests run concurrently)
        entry = next(e for e in fleet.registry_entries() if e["id"] == newspaper)
        first = fleet.requests(newspaper)[: 2 + len(entry["start_paths"])]
        assert first[0] == "/robots.txt" and "/rss/home.rss" in first, first

    fleet.clear_requests()
    again = crawl_json(registry, "--all")
    for portal in PORTALS:
        assert again["portals"][portal]["articles_new"] == 0
        article_paths = {urlsplit(a.url).path for a in fleet.articles(portal)}
        fetched = [urlsplit(path).path for path in fleet.requests(portal)]
        assert not article_paths & set(fetched), f"{portal} re-downloaded stored articles"
        # An unchanged portal costs one request: its first start page (the feed, if any) answers 304, so the
        # other start pages are not asked, and robots.txt comes from the store (fetched hours ago at most).
        start_paths = next(e for e in fleet.registry_entries() if e["id"] == portal)["start_paths"]
        feeds = PLATFORM_SPIDERS[next(e for e in fleet.registry_entries() if e["id"] == portal)["platform"]].feed_paths
        probe = [*(feed for feed in feeds if feed not in start_paths), *start_paths][0]
        assert fetched == [probe], portal
        assert [status for _, status in fleet.responses(portal)] == [304], portal
    # A quiet night (lists unchanged, answered 304) is no failure and leaves every portal healthy.
    assert list(store.db["failures"].find()) == []
    assert {pid: h["status"] for pid, h in store.latest_health().items()} == dict.fromkeys(PORTALS, "ok")


def test_query_jsonl_returns_stored_articles_with_every_field(fleet, registry, store):
    crawl_json(registry, "muonglat")
    result = portals_command("query", "--portal", "muonglat", "--format", "jsonl", "--limit", "1000")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == len(fleet.articles("muonglat"))
    truth = {a.url: a for a in fleet.articles("muonglat")}
    for article in lines:
        assert set(ARTICLE_FIELDS) <= set(article)
        for field in ("url", "canonical_url", "url_hash", "portal", "portal_name", "province", "title", "body",
                      "body_html", "published_at", "images", "language", "crawled_at", "first_seen", "content_hash"):
            assert article[field], field
        assert article["published_at"] == to_local_iso(truth[article["url"]].published_at)
        assert article["published_at"].endswith("+07:00")
    published = [a["published_at"] for a in lines]
    assert published == sorted(published, reverse=True)


def test_refresh_rewrites_nothing_when_articles_are_unchanged(fleet, registry, store):
    crawl_json(registry, "quanhoa")
    before = stored(store, "quanhoa")
    refreshed = crawl_json(registry, "quanhoa", extra=("--refresh",))["portals"]["quanhoa"]
    assert refreshed["articles_new"] == 0 and refreshed["articles_updated"] == 0
    assert refreshed["requests"] > len(before)  # every article was downloaded again
    assert stored(store, "quanhoa") == before


def test_scrapy_crawl_runs_a_registry_entry(fleet, registry, store, config):
    env = {**os.environ, "PORTALS_REGISTRY": str(registry)}
    result = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "camtu", *FAST], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr[-2000:]
    assert len(stored(store, "camtu")) == len(fleet.articles("camtu"))
