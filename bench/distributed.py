"""e. Distributed scaling: 1, 2 and 4 workers on the same replica crawl (scrapy-redis).

Each crawl goes into its own database; the first process seeds the run and crawls as one worker,
the others join with `portals worker`. Wall time from the first process's start to the last
one's end. No delays, so extraction dominates (a CPU-bound crawl).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time

from bench.common import (
    FAST,
    PLAIN_PORTALS,
    ROOT,
    ReplicaProcess,
    children_cpu_seconds,
    cpu_seconds,
    scratch_store,
)
from crawler.crawl import CURRENT_RUN_KEY

TARGET = 1.7  # 2 workers against 1


def run(scale: dict) -> dict:
    per_portal = scale["distributed_articles_per_portal"]
    with scratch_store() as (scratch, env):
        port = _free_port()
        redis = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                  "--appendonly", "no", "--dir", str(scratch)], stdout=subprocess.DEVNULL)
        replica = ReplicaProcess(scratch, seed=41, portals=PLAIN_PORTALS, articles_per_portal=per_portal)
        try:
            time.sleep(0.5)
            url = f"redis://127.0.0.1:{port}/0"
            store_pid = int(env["BENCH_STORE_PID"])
            seconds, cpu = {}, {}
            for workers in (1, 2, 4):
                store_before, crawlers_before = cpu_seconds(store_pid), children_cpu_seconds()
                seconds[workers] = _crawl(replica.registry, url, workers, env)
                cpu[workers] = {"crawlers_cpu_s": round(children_cpu_seconds() - crawlers_before, 1),
                                "store_cpu_s": round(cpu_seconds(store_pid) - store_before, 1)}
        finally:
            replica.stop()
            redis.terminate()
    return {
        "figures": {"articles": per_portal * len(PLAIN_PORTALS),
                    **{f"{w}_workers_seconds": round(s, 2) for w, s in seconds.items()},
                    "cpu": {f"{w}_workers": used for w, used in cpu.items()},
                    "speedup_2": round(seconds[1] / seconds[2], 2), "speedup_4": round(seconds[1] / seconds[4], 2)},
        "target": f"2 workers >= {TARGET} x 1 worker", "met": seconds[1] / seconds[2] >= TARGET,
        "limits": f"CPU: this machine has {os.cpu_count()} cores. One worker already keeps "
                  f"{(cpu[1]['crawlers_cpu_s'] + cpu[1]['store_cpu_s']) / seconds[1]:.2f} of them busy (crawler "
                  f"{cpu[1]['crawlers_cpu_s']} CPU-s, store {cpu[1]['store_cpu_s']} CPU-s in {seconds[1]:.1f} s), and the "
                  "replica fleet serving the pages runs on the same cores. A second worker can only use what is "
                  "left, and the one store process (mongoeco, one thread) does every worker's writes. Workers on "
                  "their own machines, with MongoDB on another, scale with the machines: each crawls its share "
                  "of the portals with nothing shared but Redis.",
        "how": f"{len(PLAIN_PORTALS)} replica portals x {per_portal} articles, no delays, one Redis "
               "(redis-server), the embedded store; `portals crawl --distributed` plus N-1 `portals worker`. CPU "
               "seconds of the crawler processes and of the store show what bounds the ratio on this machine.",
    }


def _crawl(registry, redis_url: str, workers: int, env: dict) -> float:
    subprocess.run(["redis-cli", "-u", redis_url, "flushall"], check=True, capture_output=True)
    env = env | {"PORTALS_DB": f"bench_{workers}"}
    command = [sys.executable, "-m", "crawler", "--registry", str(registry)]
    logs = [tempfile.TemporaryFile("w+") for _ in range(workers)]  # stderr, shown if a process fails
    started = time.monotonic()
    processes = [subprocess.Popen([*command, "crawl", "--all", "--distributed", "--redis-url", redis_url,
                                   "-s", "WORKER_IDLE_SECONDS=1", *FAST], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=logs[0])]
    deadline = time.monotonic() + 120
    while not subprocess.run(["redis-cli", "-u", redis_url, "get", CURRENT_RUN_KEY], capture_output=True,
                             text=True).stdout.strip():  # workers join the run once it is seeded
        if processes[0].poll() is not None or time.monotonic() > deadline:
            break  # the wait below reports the failure
        time.sleep(0.1)
    processes += [subprocess.Popen([*command, "worker", "--redis-url", redis_url, "--idle", "1", *FAST],
                                   cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)
                  for log in logs[1:]]
    for process, log in zip(processes, logs):
        if process.wait() != 0:
            log.seek(0)
            raise RuntimeError(f"a distributed crawl process exited with status {process.returncode}: "
                               f"{log.read()[-2000:]}")
    elapsed = time.monotonic() - started
    for log in logs:
        log.close()
    return elapsed


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
