"""One scheduled crawl cycle: lease the portals, crawl them in a child process under a wall-clock limit, record it.

The Twisted reactor cannot be restarted in one process, so every cycle's crawl
is a `portals crawl` child process. The scheduler records the run first and
passes its id to the child, so a child that hangs and is killed still leaves a
run record, marked failed with the reason.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass
from datetime import timedelta

from crawler.config import Config
from crawler.registry import load_registry
from crawler.store import Store, new_run_id, resolve_uri

log = logging.getLogger("scheduler")
TERMINATE_GRACE = 30  # seconds a killed crawl gets to flush before SIGKILL


@dataclass(frozen=True)
class CycleSettings:
    """Limits of scheduled crawls, from the environment."""

    timeout: float        # wall-clock limit of one crawl, seconds
    log_level: str        # the child crawl's log level
    start_stagger: float  # portals of one crawl start spread over this many seconds
    scrapy_settings: tuple[str, ...] = ()  # NAME=VALUE overrides for scheduled crawls

    @classmethod
    def from_env(cls) -> CycleSettings:
        return cls(timeout=float(os.environ.get("PORTALS_CRAWL_TIMEOUT", 3 * 3600)),
                   log_level=os.environ.get("PORTALS_CRAWL_LOG_LEVEL", "WARNING"),
                   start_stagger=float(os.environ.get("PORTALS_START_STAGGER", 60)),
                   scrapy_settings=tuple(os.environ.get("PORTALS_SCRAPY_SETTINGS", "").split()))


def holder_id(instance: str) -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{instance}"


# Children being crawled now, so a stopping scheduler can ask them to flush and exit.
_children: set[subprocess.Popen] = set()
_children_lock = threading.Lock()
stopping = threading.Event()


def stop_children() -> None:
    """SIGTERM to every running crawl: Scrapy closes its spiders and the store pipeline flushes."""
    stopping.set()
    with _children_lock:
        for child in _children:
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGTERM)


def run_group(schedule: str, instance: str, period_seconds: float, trigger: str = "schedule") -> dict | None:
    """APScheduler job: crawl the enabled portals whose schedule is `schedule` ('every' = all of them)."""
    config = Config.from_env()
    registry = load_registry(config.registry)
    nightly = os.environ.get("PORTALS_NIGHTLY", "0 1 * * *")
    portal_ids = [p.id for p in registry.enabled()
                  if schedule == "every" or registry.schedule_of(p, nightly) == schedule]
    return run_portals(portal_ids, instance=instance, period_seconds=period_seconds, trigger=trigger, config=config)


def run_portals(portal_ids: list[str], *, instance: str, period_seconds: float, trigger: str,
                config: Config | None = None, settings: CycleSettings | None = None) -> dict | None:
    """Lease what no other scheduler holds or crawled this cycle, crawl it, release; the run record, or None."""
    leased = lease_run(portal_ids, instance=instance, period_seconds=period_seconds, trigger=trigger,
                       config=config, settings=settings)
    return leased.crawl() if leased else None


@dataclass
class LeasedRun:
    """Portals leased for one run whose record exists already: `crawl()` crawls them and releases them."""

    store: Store
    config: Config
    settings: CycleSettings
    holder: str
    run_id: str
    portal_ids: list[str]
    skipped: list[str]
    trigger: str
    stagger: float

    def crawl(self) -> dict:
        try:
            return _crawl_child(self.store, self.config, self.settings, self.portal_ids, self.run_id,
                                self.trigger, self.stagger)
        finally:
            for pid in self.portal_ids:
                self.store.release_lease(pid, self.holder)
            self.store.close()


def lease_run(portal_ids: list[str], *, instance: str, period_seconds: float, trigger: str,
              config: Config | None = None, settings: CycleSettings | None = None) -> LeasedRun | None:
    """Lease the portals no other scheduler holds or crawled this cycle and record their run; None if none."""
    if stopping.is_set() or not portal_ids:
        return None
    config = config or Config.from_env()
    settings = settings or CycleSettings.from_env()
    store = Store(resolve_uri(config), config.db_name)
    holder = holder_id(instance)
    ttl = timedelta(seconds=settings.timeout + TERMINATE_GRACE + 60)
    min_gap = timedelta(seconds=period_seconds / 2)  # crawled less than half a period ago: this cycle
    leased = [pid for pid in portal_ids if store.acquire_lease(pid, holder, ttl, min_gap)]
    skipped = sorted(set(portal_ids) - set(leased))
    if skipped:
        log.info("%d portal(s) crawled or being crawled by another scheduler this cycle: %s", len(skipped), ", ".join(skipped))
    if not leased:
        store.close()
        return None
    run_id = store.start_run(leased, trigger=trigger, run_id=new_run_id())
    # Spread the portals' first requests over a tenth of the period at most (nothing for --every demos).
    stagger = min(settings.start_stagger, period_seconds / 10)
    return LeasedRun(store, config, settings, holder, run_id, leased, skipped, trigger, stagger)


def _crawl_child(store: Store, config: Config, settings: CycleSettings, portal_ids: list[str], run_id: str,
                 trigger: str, stagger: float) -> dict:
    log.info("run %s (%s): crawling %d portal(s): %s", run_id, trigger, len(portal_ids), ", ".join(portal_ids))
    command = [sys.executable, "-m", "crawler", "--registry", str(config.registry), "--db", config.db_name,
               "crawl", *portal_ids, "--json", "--run-id", run_id, "--trigger", trigger,
               "--log-level", settings.log_level, "-s", f"START_STAGGER_SECONDS={stagger:g}"]
    for assignment in settings.scrapy_settings:
        command += ["-s", assignment]
    env = {**os.environ, "MONGO_URI": store.uri}
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env, start_new_session=True)
    with _children_lock:
        _children.add(child)
    try:
        stdout, _ = child.communicate(timeout=settings.timeout)
    except subprocess.TimeoutExpired:
        _terminate(child)
        reason = f"killed: exceeded the wall-clock limit of {settings.timeout:.0f}s"
        store.fail_run(run_id, reason)
        log.error("run %s: %s", run_id, reason)
        return store.get_run(run_id)
    finally:
        with _children_lock:
            _children.discard(child)
    run = store.get_run(run_id)
    # The child records its own end (finished / interrupted); only a child that died first is a failure.
    if run.get("status") == "running":
        reason = f"crawl process exited with status {child.returncode} before recording its run"
        store.fail_run(run_id, reason)
        log.error("run %s: %s", run_id, reason)
        return store.get_run(run_id)
    totals = json.loads(stdout)["totals"] if stdout.strip() else run.get("totals", {})
    log.info("run %s: %s, %s", run_id, run["status"], ", ".join(f"{k} {v}" for k, v in totals.items()))
    return run


def _terminate(child: subprocess.Popen) -> None:
    """SIGTERM (graceful: items are flushed), then SIGKILL after TERMINATE_GRACE seconds."""
    try:
        os.killpg(child.pid, signal.SIGTERM)
        child.wait(timeout=TERMINATE_GRACE)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
    except ProcessLookupError:
        pass
