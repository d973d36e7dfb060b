"""The scheduler: APScheduler 3 with its jobs in MongoDB, one job per schedule group of the registry.

Jobs live in the product's store (collection `scheduler_jobs_<instance>`: APScheduler 3
cannot share one job collection between processes, so each scheduler instance has its
own, and leases in `leases` keep instances from crawling the same portal twice). Because
the jobs persist, a scheduler stopped over a due time runs the missed crawl once when it
comes back within the misfire grace time (coalesce=True).
"""

from __future__ import annotations

import logging
import os
import re
import signal
from dataclasses import dataclass
from datetime import datetime, timedelta

from apscheduler.jobstores.mongodb import MongoDBJobStore
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from crawler.dates import LOCAL_TZ
from crawler.registry import Registry
from crawler.store import Store
from scheduler import cycle

log = logging.getLogger("scheduler")
JOB_FUNCTION = "scheduler.cycle:run_group"


@dataclass(frozen=True)
class GroupJob:
    """One scheduled job: the portals sharing a schedule (a cron expression, or 'every' N seconds)."""

    schedule: str
    portal_ids: tuple[str, ...]
    every: float | None = None

    @property
    def job_id(self) -> str:
        return f"crawl every {self.every:g}s" if self.every else f"crawl {self.schedule}"

    def trigger(self, jitter: int):
        if self.every:
            return IntervalTrigger(seconds=self.every, timezone=LOCAL_TZ)
        return CronTrigger(**_cron_fields(self.schedule), timezone=LOCAL_TZ, jitter=jitter or None)

    def period_seconds(self) -> float:
        """The shortest gap between two runs (a portal crawled less than half of it ago was done this cycle)."""
        if self.every:
            return self.every
        trigger = self.trigger(0)
        times, now = [], datetime.now(LOCAL_TZ)
        for _ in range(4):
            now = trigger.get_next_fire_time(times[-1] if times else None, now + timedelta(seconds=1) if times else now)
            times.append(now)
        return min((b - a).total_seconds() for a, b in zip(times, times[1:]))


class StoreJobStore(MongoDBJobStore):
    """MongoDBJobStore on the product's own client: the Store owns (and closes) the connection."""

    def shutdown(self) -> None:
        pass


def _cron_fields(expression: str) -> dict:
    """The five crontab fields as APScheduler's CronTrigger arguments (from_crontab takes no jitter)."""
    minute, hour, day, month, day_of_week = expression.split()
    return {"minute": minute, "hour": hour, "day": day, "month": month, "day_of_week": day_of_week}


def group_jobs(registry: Registry, every: float | None = None) -> list[GroupJob]:
    """One job per distinct schedule among enabled portals; with `every`, one job for all of them."""
    portals = registry.enabled()
    if every:
        return [GroupJob("every", tuple(p.id for p in portals), every)]
    nightly = os.environ.get("PORTALS_NIGHTLY", "0 1 * * *")
    groups: dict[str, list[str]] = {}
    for portal in portals:
        groups.setdefault(registry.schedule_of(portal, nightly), []).append(portal.id)
    return [GroupJob(schedule, tuple(ids)) for schedule, ids in sorted(groups.items())]


def instance_name(value: str | None) -> str:
    name = value or os.environ.get("PORTALS_SCHEDULER_INSTANCE") or os.uname().nodename
    return re.sub(r"[^A-Za-z0-9_-]+", "-", name)[:60] or "default"


class Scheduler:
    """Builds the APScheduler, keeps its stored jobs in step with the registry, runs in the foreground."""

    def __init__(self, store: Store, registry: Registry, instance: str, every: float | None = None,
                 misfire_grace: int = 3600, jitter: int = 300):
        self.store, self.registry, self.instance, self.every = store, registry, instance, every
        self.misfire_grace, self.jitter = misfire_grace, (0 if every else jitter)
        self.jobstore = StoreJobStore(database=store.db.name, collection=f"scheduler_jobs_{instance}", client=store.client)
        self.scheduler = BlockingScheduler(jobstores={"default": self.jobstore}, timezone=LOCAL_TZ,
                                           job_defaults={"coalesce": True, "max_instances": 1,
                                                         "misfire_grace_time": misfire_grace})

    def reconcile(self) -> list[GroupJob]:
        """Add new groups, reschedule changed ones, drop stale ones; an unchanged job keeps its stored
        next run time, so a run missed while the scheduler was down still happens."""
        self.jobstore.start(self.scheduler, "default")
        wanted = {job.job_id: job for job in group_jobs(self.registry, self.every)}
        for stored in self.jobstore.get_all_jobs():
            if stored.id not in wanted:
                self.jobstore.remove_job(stored.id)
        for job_id, job in wanted.items():
            stored = self.jobstore.lookup_job(job_id)
            args = [job.schedule, self.instance, job.period_seconds()]
            if stored is not None and str(stored.trigger) == str(job.trigger(self.jitter)) and list(stored.args) == args:
                continue  # keep its next_run_time
            if stored is not None:
                self.jobstore.remove_job(job_id)
            # An --every job starts its first cycle now; a cron job waits for its time.
            first = {"next_run_time": datetime.now(LOCAL_TZ)} if job.every else {}
            self.scheduler.add_job(JOB_FUNCTION, job.trigger(self.jitter), args=args, id=job_id, name=job_id,
                                   replace_existing=True, **first)
        return list(wanted.values())

    def next_runs(self) -> list[tuple[GroupJob, datetime | None]]:
        """The groups with the next run time stored for this instance (or computed when never scheduled)."""
        self.jobstore.start(self.scheduler, "default")
        result = []
        for job in group_jobs(self.registry, self.every):
            stored = self.jobstore.lookup_job(job.job_id)
            upcoming = stored.next_run_time if stored else job.trigger(0).get_next_fire_time(None, datetime.now(LOCAL_TZ))
            result.append((job, upcoming))
        return result

    def run(self) -> None:
        """Block until SIGTERM/SIGINT; then take no new run, let a running crawl flush, and return."""
        jobs = self.reconcile()
        for job in jobs:
            log.info("job %r: %d portal(s)", job.job_id, len(job.portal_ids))

        def stop(signum, frame):
            log.info("stopping (%s): no new runs; a running crawl flushes its articles first", signal.Signals(signum).name)
            cycle.stop_children()
            self.scheduler.shutdown(wait=True)  # returns once the running cycle has recorded its run

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.scheduler.start()
