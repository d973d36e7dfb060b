"""Run a crawl of some portals in this process and record it as a run in the store."""

from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass, field

from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings

from crawler.config import Config
from crawler.errors import DistributedError
from crawler.registry import Registry
from crawler.spiderloader import spider_class_for
from crawler.store import Store, new_run_id, resolve_uri

COUNTERS = ("requests", "articles_new", "articles_updated", "items_dropped", "errors", "rendered")
log = logging.getLogger(__name__)


@dataclass
class CrawlResult:
    run_id: str
    status: str  # finished | interrupted | failed
    portals: dict[str, dict[str, int]] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict:
        return {"run_id": self.run_id, "status": self.status, "portals": self.portals, "totals": self.totals}


def portal_counters(stats: dict) -> dict[str, int]:
    """The per-portal figures users see, from one crawler's Scrapy stats."""
    return {
        "requests": stats.get("downloader/request_count", 0),
        "articles_new": stats.get("articles/new", 0),
        "articles_updated": stats.get("articles/updated", 0),
        "items_dropped": stats.get("item_dropped_count", 0),
        # Errors logged (failed downloads after retries, spider exceptions) and HTTP error pages.
        "errors": stats.get("log_count/ERROR", 0) + stats.get("httperror/response_ignored_count", 0),
        # Article pages rendered in the browser (render: browser portals, pages that need it only).
        "rendered": stats.get("render/browser_pages", 0),
    }


def _start_progress(crawlers: dict, interval: float):
    """Print one line on stderr every `interval` seconds: pages, articles, portals done (whatever the log level)."""
    from twisted.internet import task

    started = time.monotonic()

    def report() -> None:
        stats = [c.stats.get_stats() if c.stats else {} for c in crawlers.values()]
        done = sum(1 for s in stats if s.get("finish_reason"))
        pages = sum(s.get("response_received_count", 0) for s in stats)
        new = sum(s.get("articles/new", 0) for s in stats)
        scraped = sum(s.get("item_scraped_count", 0) for s in stats)
        print(f"[{time.monotonic() - started:5.0f}s] {pages} pages fetched, {scraped} articles scraped "
              f"({new} stored as new so far), {done}/{len(crawlers)} portals done", file=sys.stderr, flush=True)

    loop = task.LoopingCall(report)
    loop.start(interval, now=False)
    return loop


def crawl_settings(config: Config, mongo_uri: str, refresh: bool, run_id: str, overrides: dict | None = None):
    settings = get_project_settings()
    settings.set("PORTALS_REGISTRY", str(config.registry), priority="cmdline")
    settings.set("MONGO_URI", mongo_uri, priority="cmdline")
    settings.set("PORTALS_DB", config.db_name, priority="cmdline")
    settings.set("PORTALS_DATA_DIR", str(config.data_dir), priority="cmdline")
    settings.set("REFRESH_STORED", refresh, priority="cmdline")
    settings.set("CRAWL_RUN_ID", run_id, priority="cmdline")
    for key, value in (overrides or {}).items():
        if isinstance(value, dict) and settings.get(key) is not None:
            value = {**settings.getdict(key), **value}  # components are added, not replaced
        settings.set(key, value, priority="cmdline")
    return settings


def run_crawl(config: Config, registry: Registry, portal_ids: list[str], *, refresh: bool = False,
              trigger: str = "cli", run_id: str | None = None, settings_overrides: dict | None = None,
              distributed: bool = False) -> CrawlResult:
    """Crawl the portals concurrently (one Scrapy crawler each), then record the run. Blocks until done.

    Ctrl-C stops gracefully: spiders close, pipelines flush, the run is recorded as interrupted.
    The Twisted reactor cannot restart, so call this at most once per process.
    """
    mongo_uri = resolve_uri(config)
    store = Store(mongo_uri, config.db_name)
    store.ping()
    store.ensure_indexes()
    portals = [registry.get(portal_id) for portal_id in portal_ids]
    store.sync_portals(portals)
    run_id = store.start_run(portal_ids, trigger=trigger, run_id=run_id)
    log.info("run %s: crawling %d portal(s): %s", run_id, len(portals), ", ".join(portal_ids))
    unfinished = store.start_portal_crawls(portal_ids)
    if unfinished:
        log.info("previous crawl of %s did not finish: walking their list pages in full", ", ".join(sorted(unfinished)))

    settings = crawl_settings(config, mongo_uri, refresh, run_id, {"RESUME_PORTALS": sorted(unfinished),
                                                                     **(settings_overrides or {})})
    process = CrawlerProcess(settings)
    crawlers = {}
    for portal in portals:
        crawler = process.create_crawler(spider_class_for(portal, distributed=distributed))
        crawlers[portal.id] = crawler
        process.crawl(crawler)
    progress = _start_progress(crawlers, settings.getfloat("PROGRESS_INTERVAL", 10))
    process.start()
    if progress.running:
        progress.stop()

    result = CrawlResult(run_id=run_id, status="finished")
    reasons = {}
    for portal_id, crawler in crawlers.items():
        stats = crawler.stats.get_stats() if crawler.stats else {}
        result.portals[portal_id] = portal_counters(stats)
        reasons[portal_id] = stats.get("finish_reason")
    result.totals = {key: sum(counts[key] for counts in result.portals.values()) for key in COUNTERS}
    if any(reason == "shutdown" for reason in reasons.values()):
        result.status = "interrupted"
    elif any(reason != "finished" for reason in reasons.values()):
        result.status = "failed"
    errors = [f"{pid}: finish_reason={reason}" for pid, reason in reasons.items() if reason != "finished"]
    finished_at = store.finish_run(run_id, result.status, result.portals, result.totals, errors)
    for portal_id, reason in reasons.items():
        stats = crawlers[portal_id].stats.get_stats()
        store.record_portal_run(portal_id, run_id, finished_at, ok=reason == "finished",
                                full_walk=not distributed and not stats.get("lists/probe_unchanged"),
                                articles_new=result.portals[portal_id]["articles_new"])
        if not distributed:  # a worker sees only its share of a portal: too little to judge it
            record_health(store, portal_id, run_id, finished_at, stats, reason == "finished")
    return result


def record_health(store: Store, portal_id: str, run_id: str, at, stats: dict, finished: bool) -> None:
    """Judge the portal's run against its own recent runs, and keep the verdict (crawler.health)."""
    from dataclasses import asdict

    from crawler.health import BASELINE_RUNS, assess, baseline, run_figures

    health = assess(run_figures(stats), baseline(store.health_history(portal_id, BASELINE_RUNS)), finished)
    store.record_health(portal_id, run_id, at, asdict(health))
    if health.status != "ok":
        log.warning("%s is %s: %s", portal_id, health.status, "; ".join(health.reasons))


def seed_distributed_run(registry: Registry, portal_ids: list[str], redis_url: str) -> str:
    """Start a distributed run: its id, its portals and their start requests go to Redis."""
    from crawler.distributed import RUN_KEYS_TTL, run_prefix, seed_start_requests

    server = redis_server(redis_url)
    run_id = new_run_id()
    for portal_id in portal_ids:
        seed_start_requests(server, run_id, spider_class_for(registry.get(portal_id), distributed=True))
    server.sadd(f"{run_prefix(run_id)}:portals", *portal_ids)
    server.expire(f"{run_prefix(run_id)}:portals", RUN_KEYS_TTL)
    server.set(CURRENT_RUN_KEY, run_id)
    return run_id


def current_distributed_run(redis_url: str) -> tuple[str, list[str]]:
    """The distributed run workers join: its id and portal ids."""
    from crawler.distributed import run_prefix

    server = redis_server(redis_url)
    run_id = server.get(CURRENT_RUN_KEY)
    if not run_id:
        raise DistributedError(f"no distributed run in {redis_url}: start one with `portals crawl --distributed`")
    run_id = run_id.decode()
    return run_id, sorted(member.decode() for member in server.smembers(f"{run_prefix(run_id)}:portals"))


CURRENT_RUN_KEY = "portals:current_run"


def redis_server(redis_url: str):
    import redis

    try:
        server = redis.Redis.from_url(redis_url, socket_connect_timeout=5)
        server.ping()
    except (redis.RedisError, ValueError) as error:
        raise DistributedError(f"cannot reach Redis at {redis_url}: {error}") from None
    return server
