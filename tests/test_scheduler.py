"""The scheduler as it runs unattended: cycles, incremental economy, restarts, two instances, hung crawls."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from urllib.parse import urlsplit


from crawler.replica import Fleet
from tests.crawling import ROOT, portals_command, write_registry

FAST = "DOWNLOAD_DELAY=0 AUTOTHROTTLE_ENABLED=False"


def start_scheduler(registry, instance: str, every: float, tmp_path, **env) -> subprocess.Popen:
    log = open(tmp_path / f"scheduler-{instance}.log", "ab")
    return subprocess.Popen(
        [sys.executable, "-m", "crawler", "--registry", str(registry), "schedule", "--every", str(every), "--instance", instance],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, "PORTALS_SCRAPY_SETTINGS": FAST, **env})


def stop_scheduler(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=90) == 0


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def finished_runs(store, **extra):
    return list(store.runs.find({"status": {"$ne": "running"}, **extra}).sort("started_at", 1))


def test_two_cycles_the_second_reads_lists_and_new_articles_only(store, tmp_path):
    with Fleet(seed=21, portals=["muonglat", "quanhoa"], articles_per_portal=12) as fleet:
        registry = write_registry(tmp_path / "r.yaml", fleet.registry_entries())
        scheduler = start_scheduler(registry, "cycles", 10, tmp_path)
        try:
            wait_for(lambda: len(finished_runs(store)) >= 1, 90, "the first cycle")
            fleet.clear_requests()
            new = {portal: fleet.publish(portal, count=2) for portal in ("muonglat", "quanhoa")}
            wait_for(lambda: len(finished_runs(store)) >= 2, 90, "the second cycle")
        finally:
            stop_scheduler(scheduler)
    first, second = finished_runs(store)[:2]
    assert first["status"] == second["status"] == "finished" and first["trigger"] == "schedule"
    assert first["totals"]["articles_new"] == 24
    for portal, published in new.items():
        counts = second["portals"][portal]
        assert counts["articles_new"] == len(published) == 2
        fetched = fleet.requests(portal)
        new_paths = {urlsplit(a.url).path for a in published}
        article_fetches = [path for path in fetched if urlsplit(path).path in new_paths]
        list_fetches = [path for path in fetched if urlsplit(path).path not in new_paths and path != "/robots.txt"]
        assert sorted(urlsplit(p).path for p in article_fetches) == sorted(new_paths)  # only the new articles
        entry = next(e for e in fleet.registry_entries() if e["id"] == portal)
        assert len(list_fetches) <= 2 * len(entry["start_paths"]), list_fetches  # page 1, and page 2 where page 1 had news
        assert counts["requests"] <= 1 + len(list_fetches) + len(published)


def test_a_missed_run_happens_once_after_a_restart(store, tmp_path):
    with Fleet(seed=22, portals=["muonglat"], articles_per_portal=8) as fleet:
        registry = write_registry(tmp_path / "r.yaml", fleet.registry_entries())
        scheduler = start_scheduler(registry, "restart", 6, tmp_path)
        wait_for(lambda: finished_runs(store), 90, "the first cycle")
        stop_scheduler(scheduler)
        time.sleep(13)  # two due times pass while the scheduler is down
        restarted_at = store.runs.find_one(sort=[("started_at", -1)])["started_at"]
        scheduler = start_scheduler(registry, "restart", 6, tmp_path)
        try:
            wait_for(lambda: store.runs.count_documents({"started_at": {"$gt": restarted_at}}), 30, "the missed run")
            time.sleep(2)
        finally:
            stop_scheduler(scheduler)
    after = list(store.runs.find({"started_at": {"$gt": restarted_at}}))
    assert len(after) == 1, after  # coalesced: the two missed due times give one run


def test_two_schedulers_on_one_store_crawl_each_portal_once_per_cycle(store, tmp_path):
    every = 12
    with Fleet(seed=23, portals=["muonglat", "nongcong"], articles_per_portal=8) as fleet:
        registry = write_registry(tmp_path / "r.yaml", fleet.registry_entries())
        schedulers = [start_scheduler(registry, name, every, tmp_path) for name in ("east", "west")]
        try:
            time.sleep(2.5 * every)
        finally:
            for scheduler in schedulers:
                stop_scheduler(scheduler)
        truth = sum(len(fleet.articles(p)) for p in ("muonglat", "nongcong"))
    runs = finished_runs(store)
    assert len(runs) >= 2
    for portal in ("muonglat", "nongcong"):
        mine = [run for run in runs if portal in run["portal_ids"]]
        starts = [run["started_at"] for run in mine]
        assert all((b - a).total_seconds() >= every / 2 for a, b in zip(starts, starts[1:])), starts
        for a, b in zip(mine, mine[1:]):
            assert a["finished_at"] <= b["started_at"]  # never two crawls of a portal at once
    assert sum(run["totals"].get("articles_new", 0) for run in runs) == truth == store.count_articles()


def test_a_hung_crawl_is_killed_and_recorded_then_the_next_runs_normally(store, tmp_path):
    with Fleet(seed=24, portals=["muonglat"], articles_per_portal=8, delay=3.0) as fleet:
        registry = write_registry(tmp_path / "r.yaml", fleet.registry_entries())
        env = {"PORTALS_SCRAPY_SETTINGS": FAST}
        hung = portals_command("--registry", str(registry), "schedule", "trigger", "muonglat",
                               env={**env, "PORTALS_CRAWL_TIMEOUT": "4"})
        assert hung.returncode == 1, hung.stderr[-2000:]
        failed = finished_runs(store)[-1]
        assert failed["status"] == "failed" and any("wall-clock limit of 4s" in e for e in failed["errors"])
        fleet.delay = 0
        normal = portals_command("--registry", str(registry), "schedule", "trigger", "muonglat", env=env)
        assert normal.returncode == 0, normal.stderr[-2000:]
    assert finished_runs(store)[-1]["status"] == "finished"
    assert store.count_articles({"portal": "muonglat"}) == len(fleet.articles("muonglat"))


def test_runs_json_lists_runs_newest_first(store, tmp_path):
    with Fleet(seed=25, portals=["camtu"], articles_per_portal=8) as fleet:
        registry = write_registry(tmp_path / "r.yaml", fleet.registry_entries())
        for _ in range(2):
            assert portals_command("--registry", str(registry), "schedule", "trigger", "--all",
                                   env={"PORTALS_SCRAPY_SETTINGS": FAST}).returncode == 0
    import json

    result = portals_command("runs", "--json", "--limit", "5")
    runs = json.loads(result.stdout)
    assert [r["trigger"] for r in runs] == ["manual", "manual"]
    assert runs[0]["started_at"] > runs[1]["started_at"]
    for run in runs:
        assert set(run) >= {"run_id", "started_at", "finished_at", "status", "trigger", "portals", "totals"}
        assert set(run["portals"]["camtu"]) >= {"requests", "articles_new", "articles_updated", "items_dropped", "errors"}
    assert runs[1]["totals"]["articles_new"] == 8 and runs[0]["totals"]["articles_new"] == 0
