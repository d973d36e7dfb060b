"""The crawl rides out a store outage and a SIGKILL: the store ends as a fault-free crawl leaves it."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from crawler.embedded import EmbeddedStore
from crawler.replica import Fleet
from crawler.store import Store
from tests.crawling import ROOT, crawl_json, write_registry

SCRAPED = re.compile(r"Scraped from <200 (\S+)>")
# One request at a time per portal on slow article pages: the crawl is surely mid-way when it is hit.
SLOW = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1",
        "-s", "STORE_BATCH_SIZE=5", "-s", "STORE_FLUSH_SECONDS=1"]


def snapshot(store: Store, portal_ids) -> dict[str, tuple]:
    """What a consumer reads of each article (the store's own timestamps aside)."""
    return {doc["_id"]: (doc["portal"], doc["title"], doc["body"], doc["published_at"], doc["url"])
            for doc in store.articles.find({"portal": {"$in": list(portal_ids)}})}


class Crawl:
    """`portals crawl` in a child process, its log read as it goes."""

    def __init__(self, registry: Path, *args: str, env: dict | None = None):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "crawler", "--registry", str(registry), "crawl", *args, "--json",
             "--log-level", "DEBUG", *SLOW], cwd=ROOT, env={**os.environ, **(env or {})},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.scraped: list[str] = []
        self.log: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.process.stderr:
            self.log.append(line)
            match = SCRAPED.search(line)
            if match:
                self.scraped.append(match.group(1))

    def wait_for(self, condition, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while not condition() and time.monotonic() < deadline and self.process.poll() is None:
            time.sleep(0.05)
        assert condition(), "".join(self.log[-30:])

    def finish(self, timeout: float = 180) -> int:
        self.process.wait(timeout=timeout)
        self.reader.join(timeout=10)
        return self.process.returncode


def test_the_store_down_for_10_seconds_mid_crawl_changes_nothing_in_the_end(tmp_path, config):
    portals = ["muonglat", "quanhoa"]
    outage_store = EmbeddedStore(tmp_path / "outage-store")
    uri = outage_store.start().uri
    db = Store(uri, "outage")
    try:
        with Fleet(seed=6, portals=portals, articles_per_portal=30, delay=0.4) as fleet:
            registry = write_registry(tmp_path / "r.yaml", fleet.registry_entries())
            crawl = Crawl(registry, "--all", env={"MONGO_URI": uri, "PORTALS_DB": "outage"})
            crawl.wait_for(lambda: db.count_articles() >= 5)
            outage_store.stop()
            stopped_at = time.monotonic()
            time.sleep(10)
            assert outage_store.start().uri == uri  # back at the same address
            assert crawl.finish() == 0, "".join(crawl.log[-30:])
            assert time.monotonic() - stopped_at > 12, "the crawl ended during the outage: not a mid-crawl test"
            assert any("store write failed" in line for line in crawl.log)  # the outage was felt
            assert len(crawl.scraped) < sum(len(fleet.articles(p)) for p in portals) + 1
            # The same fleet, crawled with no outage, into the test's own store: the same articles.
            crawl_json(registry, "--all")
        clean = Store(config.mongo_uri, config.db_name)
        assert snapshot(db, portals) == snapshot(clean, portals)
        assert len(snapshot(db, portals)) == sum(len(fleet.articles(p)) for p in portals)
        assert not list((Path(os.environ["PORTALS_DATA_DIR"]) / "spool").glob("*.jsonl"))
    finally:
        outage_store.stop()


def test_after_sigkill_the_next_run_picks_up_what_was_pending(tmp_path, config, store):
    with Fleet(seed=8, portals=["camtu"], articles_per_portal=36, delay=0.3) as fleet:
        registry = write_registry(tmp_path / "r.yaml", fleet.registry_entries())
        crawl = Crawl(registry, "camtu")
        crawl.wait_for(lambda: len(crawl.scraped) >= 12)
        crawl.process.send_signal(signal.SIGKILL)
        crawl.finish()
        killed_scraped = set(crawl.scraped)
        stored_before = {doc["url"] for doc in store.articles.find({}, {"url": 1})}
        spooled = {json.loads(line)["url"] for path in (config.data_dir / "spool").glob("*.jsonl")
                   for line in path.read_text().splitlines()}
        assert stored_before and spooled  # some stored, the rest only in the spool
        assert killed_scraped <= stored_before | spooled  # every article scraped before the kill is in one of them
        assert store.runs.find_one({"status": "running"})  # the killed run never recorded its end

        fleet.clear_requests()
        report = crawl_json(registry, "camtu")
        truth = {article.url for article in fleet.articles("camtu")}
        assert report["status"] == "finished"
        assert {doc["url"] for doc in store.articles.find({}, {"url": 1})} == truth  # each once: _id is the URL hash
        assert store.count_articles() == len(truth)
        refetched = {fleet.base_url("camtu") + path for path in fleet.requests("camtu")}
        assert not (stored_before | spooled) & refetched, "an article scraped before the kill was downloaded again"
        assert not list((config.data_dir / "spool").glob("*.jsonl"))
        assert report["portals"]["camtu"]["articles_new"] == len(truth - stored_before - spooled)


# About a fifth of all requests go wrong: transient faults on any request, permanent ones on articles.
FAULTS = ("5xx=0.06,timeout=0.02,reset=0.04,truncate=0.04,slow=0.02,robots5xx=0.2,"
          "removed=0.04,redirect=0.06,huge=0.02,binary=0.04,charset=0.1,malformed=0.1,trap=0.5")
FAULT_SETTINGS = ("-s", "DOWNLOAD_TIMEOUT=2", "-s", "RETRY_BACKOFF_BASE=0.1")


def test_a_fleet_with_20_percent_faults_ends_complete_within_two_runs(tmp_path, store):
    from crawler.urls import url_hash
    from tests.crawling import article_text

    with Fleet(seed=9, articles_per_portal=20, faults=FAULTS, hang_seconds=4) as fleet:
        registry = write_registry(tmp_path / "r.yaml", fleet.registry_entries())
        reports = [crawl_json(registry, "--all", extra=FAULT_SETTINGS) for _ in range(2)]
        portals = [entry["id"] for entry in fleet.registry_entries()]
        injected = {kind for portal in portals for _, kind in fleet.faults_injected(portal)}
        kinds = {portal: {fleet.base_url(portal) + target: kind for target, kind in fleet.faults_injected(portal)}
                 for portal in portals}
        truths = {portal: fleet.articles(portal) for portal in portals}
        unreachable = {portal: fleet.unreachable(portal) for portal in portals}

    assert {"5xx", "timeout", "reset", "truncate", "removed", "huge", "binary", "charset", "malformed"} <= injected
    assert all(report["status"] == "finished" for report in reports)
    failures = {doc["url"]: doc["reason"] for doc in store.db["failures"].find()}
    for portal in portals:
        reachable = [a for a in truths[portal] if a.url not in unreachable[portal]]
        # An article behind a redirect is stored at the URL it ended at, with the listed URL as an alias.
        stored = {key: doc for doc in store.articles.find({"portal": portal})
                  for key in [doc["_id"], *doc.get("alias_hashes", [])]}
        expected = {url_hash(a.url): a.url for a in reachable}
        missing = {url: (failures.get(url), kinds[portal].get(url)) for key, url in expected.items() if key not in stored}
        assert not missing, (portal, missing)
        assert store.count_articles({"portal": portal}) == len(reachable), portal  # every reachable one, once
        for article in reachable:  # re-encoded and malformed pages read as the clean ones
            assert stored[url_hash(article.url)]["body"] == article_text(article), article.url
        for url in unreachable[portal]:
            assert failures.get(url), f"{url} ({unreachable[portal][url]}) not recorded as failed"
    # A reachable article that failed in the first run and was stored in the second is no failure any more.
    failed_articles = {doc["url"] for doc in store.db["failures"].find({"page_kind": "article"})}
    assert failed_articles == {url for portal in portals for url in unreachable[portal]}


def test_a_layout_change_is_broken_after_one_run_and_the_other_portals_stay_ok(tmp_path, store):
    from tests.crawling import portals_command

    portals = ["camtu", "quanhoa", "baolaocai"]
    with Fleet(seed=12, portals=portals, articles_per_portal=12) as fleet:
        registry = write_registry(tmp_path / "r.yaml", fleet.registry_entries())
        crawl_json(registry, "--all")
        health = portals_command("--registry", str(registry), "health", "--json")
        assert health.returncode == 0 and {p["id"]: p["status"] for p in json.loads(health.stdout)} == dict.fromkeys(portals, "ok")

        fleet.switch_template("quanhoa")  # a redesign: new classes, same URLs and text
        for portal in portals:
            fleet.publish(portal)
        crawl_json(registry, "--all")
        health = portals_command("--registry", str(registry), "health", "--json")
    verdicts = {p["id"]: p for p in json.loads(health.stdout)}
    assert health.returncode == 1  # for monitoring: not every portal is ok
    assert verdicts["quanhoa"]["status"] == "broken"
    assert any(reason.startswith("layout changed") for reason in verdicts["quanhoa"]["health_reasons"])
    assert verdicts["camtu"]["status"] == verdicts["baolaocai"]["status"] == "ok"
    text = portals_command("--registry", str(registry), "health").stdout
    assert "quanhoa" in text and "broken" in text and "layout changed" in text


def test_a_recorded_failure_is_requested_by_the_next_run_and_cleared_once_stored(tmp_path, store):
    from crawler.urls import url_hash

    with Fleet(seed=13, portals=["camtu"], articles_per_portal=30) as fleet:
        registry = write_registry(tmp_path / "r.yaml", fleet.registry_entries())
        crawl_json(registry, "camtu")
        oldest = min(fleet.articles("camtu"), key=lambda a: a.published_at)  # on the last list page
        store.articles.delete_one({"_id": url_hash(oldest.url)})
        store.record_failures("camtu", "earlier-run", {url_hash(oldest.url): (oldest.url, "article", "HTTP 503")})
        fleet.clear_requests()
        report = crawl_json(registry, "camtu")
        paths = fleet.requests("camtu")
    assert report["portals"]["camtu"]["articles_new"] == 1
    assert store.articles.find_one({"_id": url_hash(oldest.url)}) is not None
    assert list(store.db["failures"].find()) == []
    assert oldest.url.removeprefix(fleet.base_url("camtu")) in paths
    assert len(paths) < 10  # the lists stopped at stored articles: only the recorded failure brought it back
