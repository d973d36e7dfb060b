"""Benchmark: one worker against two on a CPU-bound replica crawl (no delays: extraction dominates).

Run: .venv/bin/python bench/distributed_speedup.py [ARTICLES_PER_PORTAL]
Starts its own Redis (Debian's redis-server) and embedded store under a temporary directory, serves
five replica portals on loopback, and crawls them twice into separate databases: once with the
seeding process alone, once with one more worker. Prints both wall times and their ratio; the
machine is shared and noisy, so compare the ratio, measured in one run, not the seconds.
It also prints the CPU seconds the crawlers and the store used, which show what bounds the ratio
(this machine has 2 cores, and the store and the replica need CPU too).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.embedded import EmbeddedStore  # noqa: E402

PORTALS = ["muonglat", "camtu", "quanhoa", "nongcong", "baolaocai"]
SERVE = """
import sys, time, signal
from pathlib import Path
from crawler.replica import Fleet
from tests.crawling import write_registry
fleet = Fleet(seed=41, portals=%r, articles_per_portal=int(sys.argv[1]))
fleet.start()
write_registry(Path(sys.argv[2] + ".tmp"), fleet.registry_entries())
Path(sys.argv[2] + ".tmp").rename(sys.argv[2])
signal.sigwait({signal.SIGTERM})
fleet.stop()
""" % PORTALS
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
        "--log-level", "WARNING"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a running process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children_cpu_seconds() -> float:
    times = os.times()
    return times.children_user + times.children_system


def crawl(registry: Path, redis_url: str, workers: int, db: str, env: dict, store_pid: int) -> float:
    subprocess.run(["redis-cli", "-u", redis_url, "flushall"], check=True, capture_output=True)
    store_before, crawlers_before = cpu_seconds(store_pid), children_cpu_seconds()
    started = time.monotonic()
    command = [sys.executable, "-m", "crawler", "--registry", str(registry), "--db", db]
    processes = [subprocess.Popen([*command, "crawl", "--all", "--distributed", "--redis-url", redis_url,
                                   "-s", "WORKER_IDLE_SECONDS=1", *FAST], env=env, stdout=subprocess.DEVNULL)]
    time.sleep(0.5)
    processes += [subprocess.Popen([*command, "worker", "--redis-url", redis_url, "--idle", "1", *FAST],
                                   env=env, stdout=subprocess.DEVNULL) for _ in range(workers - 1)]
    for process in processes:
        process.wait()
    elapsed = time.monotonic() - started
    print(f"{workers} worker(s): {elapsed:.1f} s wall; CPU: crawlers {children_cpu_seconds() - crawlers_before:.1f} s, "
          f"store {cpu_seconds(store_pid) - store_before:.1f} s", flush=True)
    return elapsed


def main() -> None:
    per_portal = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    with tempfile.TemporaryDirectory() as scratch:
        port = free_port()
        redis = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                  "--appendonly", "no", "--dir", scratch], stdout=subprocess.DEVNULL)
        store = EmbeddedStore(Path(scratch) / "data")
        status = store.start()
        env = {**os.environ, "MONGO_URI": status.uri}
        try:
            time.sleep(0.5)
            # The replica runs in a process of its own: in this one its threads would share one GIL.
            registry = Path(scratch) / "r.yaml"
            server = subprocess.Popen([sys.executable, "-c", SERVE, str(per_portal), str(registry)], cwd=ROOT)
            try:
                while not registry.exists():
                    time.sleep(0.2)
                time.sleep(0.5)
                redis_url = f"redis://127.0.0.1:{port}/0"
                one = crawl(registry, redis_url, 1, "bench_one", env, status.pid)
                two = crawl(registry, redis_url, 2, "bench_two", env, status.pid)
            finally:
                server.terminate()
            print(f"{len(PORTALS) * per_portal} articles: 1 worker {one:.1f} s, 2 workers {two:.1f} s, "
                  f"speed-up x{one / two:.2f} (2 cores)")
        finally:
            store.stop()
            redis.terminate()


if __name__ == "__main__":
    main()
