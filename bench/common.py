"""What the benchmarks share: a replica fleet in a process of its own, a scratch store, `portals` runs.

The replica serves from its own process: in the benchmark's process its threads would share one
GIL with the measuring code. Every benchmark gets a scratch directory (embedded store, spool,
registry) that is removed afterwards, so benchmarks never touch ./data.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.embedded import EmbeddedStore  # noqa: E402

# Fetch as fast as the replica answers: these benchmarks measure the crawler, not politeness.
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
        "--log-level", "WARNING"]
# The portals that need no browser (Báo Thanh Hóa's encrypted pages go through Chromium).
PLAIN_PORTALS = ["muonglat", "camtu", "quanhoa", "nongcong", "baolaocai"]

_SERVE = """
import json, signal, sys
from pathlib import Path
from crawler.replica import Fleet
from tests.crawling import write_registry
options = json.loads(sys.argv[1])
fleet = Fleet(**options)
fleet.start()
write_registry(Path(sys.argv[2] + ".tmp"), fleet.registry_entries())
Path(sys.argv[2] + ".tmp").rename(sys.argv[2])
signals = {signal.SIGTERM, signal.SIGUSR1}
signal.pthread_sigmask(signal.SIG_BLOCK, signals)  # handled by the loop below, not by the default action
while signal.sigwait(signals) == signal.SIGUSR1:  # publish: the count is in the file, done when it is gone
    count = Path(sys.argv[3])
    for pid in fleet.publishing_ids():
        fleet.publish(pid, int(count.read_text()))
    count.unlink()
Path(sys.argv[4]).write_text(json.dumps({pid: fleet.requests(pid) for pid in fleet.publishing_ids()}))
fleet.stop()
"""


class ReplicaProcess:
    """A Fleet(**options) served by a child process; `registry` lists its portals."""

    def __init__(self, scratch: Path, **options):
        self.registry = scratch / "replica.yaml"
        self._publish_count = scratch / "publish-count"
        self._requests = scratch / "requests.json"
        self.process = subprocess.Popen([sys.executable, "-c", _SERVE, json.dumps(options), str(self.registry),
                                         str(self._publish_count), str(self._requests)], cwd=ROOT)
        deadline = time.monotonic() + 120
        while not self.registry.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the replica fleet did not start")
            time.sleep(0.1)

    def publish(self, per_portal: int) -> None:
        """Publish `per_portal` new articles on every portal (waits until they are out)."""
        self._publish_count.write_text(str(per_portal))
        os.kill(self.process.pid, signal.SIGUSR1)
        deadline = time.monotonic() + 30
        while self._publish_count.exists():
            if time.monotonic() > deadline:
                raise RuntimeError("the replica fleet did not publish")
            time.sleep(0.05)

    def stop(self) -> dict[str, list[str]]:
        """Stop serving; the request paths each portal received."""
        self.process.terminate()
        self.process.wait(timeout=30)
        return json.loads(self._requests.read_text()) if self._requests.exists() else {}


@contextmanager
def scratch_store() -> Iterator[tuple[Path, dict]]:
    """A scratch directory with an embedded store running; the environment for `portals` runs."""
    with tempfile.TemporaryDirectory(prefix="bench-") as directory:
        scratch = Path(directory)
        store = EmbeddedStore(scratch / "data")
        status = store.start()
        env = {**os.environ, "MONGO_URI": status.uri, "PORTALS_DATA_DIR": str(scratch / "data"), "PORTALS_DB": "bench"}
        try:
            yield scratch, env | {"BENCH_STORE_PID": str(status.pid)}
        finally:
            store.stop()


def portals(env: dict, registry: Path, *args: str) -> tuple[float, dict | None]:
    """Run `portals --registry R ARGS --json`: wall seconds and the JSON report (None without --json)."""
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "crawler", "--registry", str(registry), *args], cwd=ROOT,
                            env=env, capture_output=True, text=True)
    elapsed = time.monotonic() - started
    if result.returncode != 0:
        raise RuntimeError(f"portals {' '.join(args)} failed: {result.stderr[-2000:]}")
    return elapsed, (json.loads(result.stdout) if "--json" in args else None)


@dataclass
class MeasuredRun:
    seconds: float
    cpu_seconds: float  # the `portals` process's own user + system time
    peak_rss_mb: float  # and its own peak resident memory
    report: dict | None


def measured_portals(env: dict, registry: Path, *args: str) -> MeasuredRun:
    """`portals` as portals() runs it, with that process's own CPU time and peak RSS (wait4's rusage)."""
    with tempfile.TemporaryFile("w+") as stdout, tempfile.TemporaryFile("w+") as stderr:
        started = time.monotonic()
        process = subprocess.Popen([sys.executable, "-m", "crawler", "--registry", str(registry), *args], cwd=ROOT,
                                   env=env, stdout=stdout, stderr=stderr)
        _, status, usage = os.wait4(process.pid, 0)  # reaps it: Popen.wait would, without the rusage
        process.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.monotonic() - started
        stdout.seek(0)
        stderr.seek(0)
        if process.returncode != 0:
            raise RuntimeError(f"portals {' '.join(args)} failed: {stderr.read()[-2000:]}")
        return MeasuredRun(elapsed, usage.ru_utime + usage.ru_stime, round(usage.ru_maxrss / 1024, 1),
                           json.loads(stdout.read()) if "--json" in args else None)


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a running process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children_cpu_seconds() -> float:
    times = os.times()
    return times.children_user + times.children_system
