"""Finding the portals of official communes and wards: `portals discover`.

For each unit of the official list (crawler.units) that the registry does not
hold and no earlier discovery settled, derive the host names its portal may
have, ask them politely (the onboarding Fetcher: robots.txt, a pause per host,
a few requests each), and onboard the first that answers with the same probe
and sample check as `portals add`. Every unit ends with one outcome:

    registered            the site passed the sample check; its entry is in the registry
    no such host          no candidate host exists
    site down             a host exists but refused, timed out or answered 5xx
    no news found         a site, but no list of articles on it
    sample check failed   articles found, but too few had title, date and body

Outcomes are "settled" once written: registry entries first, then the
outcome in the store, in batches, so a crash or Ctrl-C loses at most the
batch in flight (those units are simply probed again), never a settled one.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import cache
from itertools import permutations
from typing import Callable, Iterable

from crawler.onboard import (
    Fetcher, HostNotFound, Interrupted, OnboardError, SiteDown, _owner, derive_id, probe_site,
)
from crawler.registry import Registry
from crawler.units import Unit, match_unit
from crawler.vietnam import slug

OUTCOMES = ("registered", "no such host", "site down", "no news found", "sample check failed")
MAX_LEGACY_NAMES = 4   # hyphenated hosts join two of the first names a unit was merged from
WRITE_EVERY_UNITS = 50  # settled outcomes written at least this often...
WRITE_EVERY_SECONDS = 10.0  # ...and this often, whichever comes first
LEVEL_WORDS = ("xã", "phường", "thị trấn", "đặc khu")


@dataclass
class Discovery:
    """What probing one unit concluded."""

    admin_code: str
    name: str
    admin_type: str
    province: str
    outcome: str
    detail: str = ""
    host: str | None = None
    portal_id: str | None = None
    candidates: list[str] = field(default_factory=list)
    requests: int = 0
    probed_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    entry: dict | None = None  # the registry entry to write, when registered

    def document(self) -> dict:
        """The store's record (the entry itself lives in the registry)."""
        doc = asdict(self)
        doc.pop("entry")
        return doc


@cache
def _legacy_names(admin_code: str) -> tuple[str, ...]:
    """The pre-2025 units this one was merged from, as host labels ("hungtan"); the library loads them lazily."""
    from vietnam_provinces import Ward

    try:
        sources = Ward.from_code(int(admin_code)).get_legacy_sources()
    except (ValueError, KeyError):
        return ()
    return tuple(dict.fromkeys(_label(source.name) for source in sources))[:MAX_LEGACY_NAMES]


def _label(name: str, separator: str = "") -> str:
    """'Xã Cẩm Tú' -> 'camtu' (or 'cam-tu'): the name without its type word, as a host label."""
    lowered = name.lower()
    for word in LEVEL_WORDS:
        if lowered.startswith(word + " "):
            name = name[len(word) + 1:]
            break
    return slug(name, separator)


def candidate_hosts(unit: Unit) -> list[str]:
    """Host names the unit's portal may have, likeliest first.

    {name}.{province}.gov.vn (camtu.thanhhoa.gov.vn), the name's words
    hyphenated (cam-tu...), the name with its type word (xacamtu...), the www.
    forms of these, then two of the names the unit was merged from, hyphenated
    (hungtan-hungnguyen.nghean.gov.vn).
    """
    province = slug(unit.province)
    # The type word in front ("phuongdongtien") tells apart a xã and a phường of one name in one province.
    names = [_label(unit.name), _label(unit.name, "-"), slug(unit.name)]
    hosts = [f"{name}.{province}.gov.vn" for name in dict.fromkeys(names)]
    hosts += [f"www.{host}" for host in hosts]
    merged = [_label(unit.name), *_legacy_names(unit.admin_code)]
    hosts += [f"{a}-{b}.{province}.gov.vn" for a, b in permutations(dict.fromkeys(merged), 2)]
    return list(dict.fromkeys(hosts))


def probe_unit(unit: Unit, fetcher: Fetcher, taken_ids: set[str], scheme: str = "https") -> Discovery:
    """Try the unit's candidate hosts in order; onboard the first that serves a site."""
    before = fetcher.requests
    result = Discovery(unit.admin_code, unit.name, unit.admin_type, unit.province, "no such host",
                       candidates=candidate_hosts(unit))
    down = []
    for host in result.candidates:
        url = f"{scheme}://{host}/"
        try:
            proposal = probe_site(url, fetcher, taken_ids=taken_ids, name=unit.name, province=unit.province,
                                  level=unit.level)
        except Interrupted:
            raise
        except HostNotFound:
            continue
        except SiteDown as error:
            down.append(str(error))
            continue
        except OnboardError as error:
            result.outcome, result.detail, result.host = _unusable(str(error)), str(error), host
            break
        owner = _owner_of(url, fetcher)
        if owner and slug(owner) != slug(unit.name):  # the host of a namesake (a xã and a phường, say)
            result.detail = f"{host} is the site of {owner}"
            continue
        result.host = host
        entry = proposal.entry | {"admin_code": unit.admin_code, "admin_type": unit.admin_type}
        complete = sum(sample.complete for sample in proposal.report.samples)
        summary = f"{complete}/{len(proposal.report.samples)} sample articles complete"
        if proposal.report.passed:
            result.outcome, result.detail, result.entry = "registered", f"{entry['platform']}, {summary}", entry
        else:
            result.outcome, result.detail = "sample check failed", summary
        break
    else:
        if down:
            result.outcome, result.detail = "site down", down[0]
        elif not result.detail:
            result.detail = f"none of {len(result.candidates)} candidate hosts exists"
    result.requests = fetcher.requests - before  # approximate when probes run side by side
    return result


def _owner_of(url: str, fetcher: Fetcher) -> str | None:
    """The unit the home page names as its owner ("UBND Xã Cẩm Tú"); the fetcher's cache has the page."""
    try:
        _, html = fetcher.get(url)
    except OnboardError:
        return None
    return _owner(html)[0]


def _unusable(message: str) -> str:
    """The outcome an onboarding refusal stands for."""
    if "no article links" in message or "no news articles" in message or "no list of articles" in message:
        return "no news found"
    return "sample check failed"


@dataclass
class Progress:
    total: int
    done: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    started: float = field(default_factory=time.monotonic)

    def line(self) -> str:
        elapsed = time.monotonic() - self.started
        found = ", ".join(f"{count} {outcome}" for outcome, count in self.counts.items() if count)
        return f"[{self.done}/{self.total}] {elapsed:.0f} s  {found}"


class Discoverer:
    """Probes units concurrently and settles their outcomes in the registry and the store, in batches."""

    def __init__(self, registry_file, store, fetcher: Fetcher, *, jobs: int = 16, budget_seconds: float | None = None,
                 dry_run: bool = False, scheme: str = "https", progress: Callable[[Progress], None] | None = None):
        self.registry_file, self.store, self.fetcher = registry_file, store, fetcher
        self.jobs, self.budget_seconds, self.dry_run, self.scheme = max(1, jobs), budget_seconds, dry_run, scheme
        self.progress = progress
        self.results: list[Discovery] = []
        self._pending: list[Discovery] = []
        self._last_write = time.monotonic()
        self._taken: set[str] = set()
        self._hosts: set[str] = set()
        self._lock = threading.Lock()

    def to_probe(self, units: Iterable[Unit], registry: Registry | None, refresh: bool = False) -> tuple[list[Unit], int]:
        """The units still open: not in the registry (by admin code, or by name and province), and not settled
        by an earlier run as having no usable site. Also returns how many were left out."""
        registered = set()
        for portal in registry.portals if registry else ():
            unit = match_unit(portal.name, portal.province) if portal.admin_code is None else None
            registered.add(portal.admin_code or (unit.admin_code if unit else None))
        units = list(units)
        # A unit registered by an earlier run but missing from this registry now is probed again.
        docs = self.store.discoveries() if self.store and not refresh else []
        settled = {doc["_id"] for doc in docs if doc.get("outcome") != "registered"}
        open_units = [u for u in units if u.admin_code not in registered and u.admin_code not in settled]
        return open_units, len(units) - len(open_units)

    def run(self, units: list[Unit]) -> list[Discovery]:
        registry = self.registry_file.registry()
        self._taken = set(registry.ids) if registry else set()
        self._hosts = {portal.host.removeprefix("www.") for portal in registry.portals} if registry else set()
        state = Progress(len(units))
        deadline = time.monotonic() + self.budget_seconds if self.budget_seconds else None
        queue = iter(units)
        running: dict[Future, Unit] = {}
        pool = ThreadPoolExecutor(max_workers=self.jobs, thread_name_prefix="discover")
        try:
            while True:
                while len(running) < self.jobs and (deadline is None or time.monotonic() < deadline):
                    unit = next(queue, None)
                    if unit is None:
                        break
                    running[pool.submit(probe_unit, unit, self.fetcher, self._taken, self.scheme)] = unit
                if not running:
                    break
                done, _ = wait(running, timeout=1.0, return_when=FIRST_COMPLETED)
                for future in done:
                    unit = running.pop(future)
                    try:
                        result = future.result()
                    except Interrupted:
                        continue
                    except Exception as error:  # a replica or parser bug must not end the whole run: unsettled
                        print(f"portals: {unit.name} ({unit.province}): {type(error).__name__}: {error}", flush=True)
                        continue
                    self._settle(result)
                    state.done += 1
                    state.counts[result.outcome] += 1
                    if self.progress:
                        self.progress(state)
                self._write(force=False)
        except KeyboardInterrupt:
            self.fetcher.stop()  # running probes end at their next request
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            self._write(force=True)
        return self.results

    def _settle(self, result: Discovery) -> None:
        if result.entry:
            entry = result.entry
            host = entry["base_url"].split("://", 1)[-1].removeprefix("www.")
            if host in self._hosts:  # two units found the same site: the first keeps it
                result.outcome, result.detail, result.entry = "sample check failed", f"{host} is another unit's site", None
            else:
                if entry["id"] in self._taken:
                    entry["id"] = derive_id(host, entry["name"], entry["province"], self._taken)
                self._taken.add(entry["id"])
                self._hosts.add(host)
                result.portal_id = entry["id"]
        self.results.append(result)
        self._pending.append(result)

    def _write(self, force: bool) -> None:
        """Registry entries first, then the outcomes: a unit is settled only once both are written."""
        due = len(self._pending) >= WRITE_EVERY_UNITS or time.monotonic() - self._last_write >= WRITE_EVERY_SECONDS
        if not self._pending or not (force or due):
            return
        batch, self._pending = self._pending, []
        self._last_write = time.monotonic()
        if self.dry_run:
            return
        entries = [result.entry for result in batch if result.entry]
        if entries:
            self.registry_file.add(entries)
        if self.store is not None:
            self.store.save_discoveries([result.document() for result in batch])


def report(results: list[Discovery], skipped: int, wall_seconds: float, requests: int) -> dict:
    """The JSON report of a discovery run."""
    counts = dict.fromkeys(OUTCOMES, 0)
    for result in results:
        counts[result.outcome] += 1
    probed = len(results)
    return {
        "probed": probed, "skipped_settled": skipped, "outcomes": counts, "wall_seconds": round(wall_seconds, 1),
        "requests": requests, "requests_per_unit": round(requests / probed, 2) if probed else 0.0,
        "units": [{**result.document(), "probed_at": result.probed_at.isoformat()} for result in results],
    }
