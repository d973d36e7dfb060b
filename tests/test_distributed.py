"""Distributed crawling on scrapy-redis: several workers, one run, every article once, politeness shared."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from urllib.parse import urlsplit

import pytest
import redis

from crawler.distributed import LeasedPriorityQueue, run_prefix, seed_start_requests
from crawler.registry import Portal
from crawler.replica import Fleet
from crawler.spiderloader import spider_class_for
from tests.crawling import ROOT, write_registry

pytestmark = pytest.mark.skipif(not shutil.which("redis-server"), reason="Debian's redis-server is not installed")
PORTALS = ["muonglat", "quanhoa", "baolaocai"]
DELAY = 0.1


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    """A Redis of our own on a free loopback port, persistence off; stopped after the tests."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    directory = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", str(directory)], stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def server(redis_url):
    client = redis.Redis.from_url(redis_url)
    client.flushall()
    return client


def portals(*args, env=None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "crawler", *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, env={**os.environ, **(env or {})})


def crawl_together(registry, redis_url, workers: int, extra=(), kill_after=None, store=None):
    common = ["--log-level", "WARNING", "-s", f"DOWNLOAD_DELAY={DELAY}", "-s", "AUTOTHROTTLE_ENABLED=False", *extra]
    seeder = portals("--registry", str(registry), "crawl", "--all", "--distributed", "--redis-url", redis_url,
                     "--json", "-s", "WORKER_IDLE_SECONDS=4", *common)
    time.sleep(1.0)  # the run is seeded
    others = [portals("--registry", str(registry), "worker", "--redis-url", redis_url, "--idle", "4", "--json", *common)
              for _ in range(workers - 1)]
    killed = None
    if kill_after:
        deadline = time.monotonic() + 60
        while store.count_articles() < kill_after and time.monotonic() < deadline:
            time.sleep(0.1)
        killed = others[-1]
        killed.send_signal(signal.SIGKILL)
    reports = []
    for process in [seeder, *others]:
        stdout, _ = process.communicate(timeout=240)
        if process is not killed:
            assert process.returncode == 0, stdout
            reports.append(json.loads(stdout))
    return reports


def test_seeded_start_requests_go_to_one_worker_each(server, redis_url):
    portal = Portal(id="camtu", name="Xã Cẩm Tú", province="Thanh Hóa", level="commune", platform="vnpt",
                    base_url="http://127.0.0.1:1", start_paths=("/a", "/b"))
    spider_cls = spider_class_for(portal, distributed=True)
    assert seed_start_requests(server, "r1", spider_cls) == 2
    assert server.llen(f"{run_prefix('r1')}:camtu:start") == 2
    assert server.ttl(f"{run_prefix('r1')}:camtu:start") > 0  # run keys expire


def test_leases_are_taken_back_when_they_lapse(server, redis_url):
    from scrapy import Request
    from scrapy.utils.test import get_crawler

    crawler = get_crawler(settings_dict={"LEASE_SECONDS": 0.2})
    spider = crawler._create_spider("leases") if hasattr(crawler, "_create_spider") else None
    if spider is None:
        from scrapy import Spider

        spider = Spider("leases")
        spider._set_crawler(crawler)
    queue = LeasedPriorityQueue(server, spider, "t:%(spider)s:requests")
    other = LeasedPriorityQueue(server, spider, "t:%(spider)s:requests")  # a second worker on the same queue
    queue.push(Request("http://x.vn/a"))
    queue.push(Request("http://x.vn/b"))
    first = queue.pop()
    second = other.pop()
    assert {first.url, second.url} == {"http://x.vn/a", "http://x.vn/b"} and other.pop() is None
    queue.ack(first.url)  # done
    time.sleep(0.3)  # `other` died holding its lease
    again = queue.pop()
    assert again.url == second.url and queue.outstanding() == 1
    queue.ack(again.url)
    assert queue.outstanding() == 0


def test_three_workers_store_everything_once_and_share_politeness(server, redis_url, store, tmp_path):
    with Fleet(seed=31, portals=PORTALS, articles_per_portal=30, delay=0.3) as fleet:
        registry = write_registry(tmp_path / "r.yaml", fleet.registry_entries())
        reports = crawl_together(registry, redis_url, workers=3)
        truth = {portal: fleet.articles(portal) for portal in PORTALS}
        requests = {portal: fleet.requests(portal) for portal in PORTALS}
        arrivals = {portal: fleet.arrival_times(portal) for portal in PORTALS}
    assert sum(r["totals"]["articles_new"] for r in reports) == sum(len(a) for a in truth.values()) == store.count_articles()
    assert sum(1 for r in reports if r["totals"]["articles_new"] > 0) >= 2, [r["totals"] for r in reports]  # shared
    for portal in PORTALS:
        fetched = Counter(urlsplit(path).path for path in requests[portal])
        for article in truth[portal]:
            assert fetched[urlsplit(article.url).path] == 1, (portal, article.url)  # once, across all workers
        # Three workers, one budget per host: never more than one request per DELAY in any second. The
        # server logs a request when its thread reads it, which keep-alive connections can bunch up by
        # a few milliseconds, so the rate is checked over windows rather than gap by gap.
        times = arrivals[portal]
        busiest = max(sum(1 for t in times if start <= t < start + 1.0) for start in times)
        assert busiest <= round(1 / DELAY) + 1, (portal, busiest)


def test_a_worker_killed_mid_crawl_loses_nothing(server, redis_url, store, tmp_path):
    with Fleet(seed=32, portals=PORTALS, articles_per_portal=15, delay=0.3) as fleet:
        registry = write_registry(tmp_path / "r.yaml", fleet.registry_entries())
        crawl_together(registry, redis_url, workers=3, extra=("-s", "LEASE_SECONDS=3"), kill_after=6, store=store)
        truth = sum(len(fleet.articles(portal)) for portal in PORTALS)
    assert store.count_articles() == truth
    assert not any(server.zcard(key) for key in server.keys("*:processing"))
