"""Ctrl-C in the middle of a crawl loses no article that was already scraped."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time

from crawler.replica import Fleet
from tests.crawling import ROOT, write_registry

SCRAPED = re.compile(r"Scraped from <200 (\S+)>")


def test_sigint_mid_crawl_keeps_every_scraped_article(tmp_path, store, config):
    # Slow article pages and one request at a time: the crawl is surely mid-way when interrupted,
    # with scraped articles still in the store pipeline's buffer (batch 50, flush every 60 s).
    with Fleet(seed=3, portals=["muonglat"], articles_per_portal=40, delay=0.4) as fleet:
        registry = write_registry(tmp_path / "slow.yaml", fleet.registry_entries())
        process = subprocess.Popen(
            [sys.executable, "-m", "crawler", "--registry", str(registry), "crawl", "muonglat", "--json",
             "--log-level", "DEBUG", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
             "-s", "CONCURRENT_REQUESTS=1", "-s", "STORE_FLUSH_SECONDS=60"],
            cwd=ROOT, env=os.environ.copy(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        scraped: list[str] = []
        log: list[str] = []

        def read_log():
            for line in process.stderr:
                log.append(line)
                match = SCRAPED.search(line)
                if match:
                    scraped.append(match.group(1))

        reader = threading.Thread(target=read_log, daemon=True)
        reader.start()
        deadline = time.monotonic() + 120
        while len(scraped) < 5 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)
        assert len(scraped) >= 5, "".join(log[-30:])
        process.send_signal(signal.SIGINT)
        process.wait(timeout=120)  # the reader thread drains stderr; stdout holds one small JSON object
        stdout = process.stdout.read()
        reader.join(timeout=10)

    assert process.returncode == 130, "".join(log[-30:])
    report = json.loads(stdout)
    assert report["status"] == "interrupted"
    total = len(fleet.articles("muonglat"))
    assert 5 <= len(scraped) < total, "the crawl was not interrupted mid-way"
    stored_urls = {doc["url"] for doc in store.articles.find({"portal": "muonglat"}, {"url": 1})}
    assert set(scraped) <= stored_urls
    assert report["portals"]["muonglat"]["articles_new"] == len(stored_urls)
    assert store.runs.find_one({"_id": report["run_id"]})["status"] == "interrupted"
