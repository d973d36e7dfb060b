"""Benchmark: one worker against two on a CPU-bound replica crawl (no delays: extraction dominates).

Run: .venv/bin/python bench/distributed_speedup.py [ARTICLES_PER_PORTAL]
Starts its own Redis (Debian's redis-server) and embedded store under a temporary directory, serves
five replica portals on loopback, and crawls them twice into separate databases: once with the
seeding process alone, once with one more worker. Prints both wall times and their ratio; the
machine is shared and noisy, so compare the ratio, measured in one run, not the seconds.
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


def crawl(registry: Path, redis_url: str, workers: int, db: str, env: dict) -> float:
    subprocess.run(["redis-cli", "-u", redis_url, "flushall"], check=True, capture_output=True)
    started = time.monotonic()
    command = [sys.executable, "-m", "crawler", "--registry", str(registry), "--db", db]
    processes = [subprocess.Popen([*command, "crawl", "--all", "--distributed", "--redis-url", redis_url,
                                   "-s", "WORKER_IDLE_SECONDS=1", *FAST], env=env, stdout=subprocess.DEVNULL)]
    time.sleep(0.5)
    processes += [subprocess.Popen([*command, "worker", "--redis-url", redis_url, "--idle", "1", *FAST],
                                   env=env, stdout=subprocess.DEVNULL) for _ in range(workers - 1)]
    for process in processes:
        process.wait()
    return time.monotonic() - started


def main() -> None:
    per_portal = int(sys.argv[1]) if len(sys.argv) > 1 else 120
    with tempfile.TemporaryDirectory() as scratch:
        port = free_port()
        redis = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                  "--appendonly", "no", "--dir", scratch], stdout=subprocess.DEVNULL)
        store = EmbeddedStore(Path(scratch) / "data")
        env = {**os.environ, "MONGO_URI": store.start().uri}
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
                one = crawl(registry, redis_url, 1, "bench_one", env)
                two = crawl(registry, redis_url, 2, "bench_two", env)
            finally:
                server.terminate()
            print(f"{len(PORTALS) * per_portal} articles: 1 worker {one:.1f} s, 2 workers {two:.1f} s, "
                  f"speed-up x{one / two:.2f} (2 cores)")
        finally:
            store.stop()
            redis.terminate()


if __name__ == "__main__":
    main()
