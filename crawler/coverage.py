"""Coverage: how much of the official list of communes and wards the product crawls, per province.

One report, shared by `portals coverage`, `GET /coverage` and the dashboard's coverage page. Per
province (and a national TOTAL row), counted in official units, never in registry entries:

- `official`: units of the official list (crawler.units);
- `registered`: units with at least one registry entry carrying their `admin_code` (enabled or not);
- `crawled_ok_7d`: registered units with a portal whose last successful crawl is at most 7 days old;
- `silent_30d`: registered units crawled at least once whose portals stored no new article in the
  last 30 days (the portals doc's `last_new_article_at`, set by a run that stored new articles; for
  portals crawled before that field existed, the articles' `first_seen`);
- `never_crawled`: registered units none of whose portals has run yet (not counted as silent);
- `broken`: registered units whose portals' latest health verdicts (crawler.health) are all `broken`;
- `not_found`: units not in the registry that discovery (`portals discover`) settled without a
  site: no such host, no news found, sample check failed, site down (listed with the reason);
- `undiscovered`: units neither registered nor settled by discovery (a discovery that registered
  a unit whose entry has since left the registry counts here: the unit needs another look);
- `other_portals`: registry entries of the province without an official unit code (newspapers,
  old districts, a code that is not on the list): counted apart, never in the unit figures.

The report reads the store's portals and discoveries once each (and, for portals without
`last_new_article_at`, one query over their recent articles): no query per unit.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta

from crawler.dates import to_local_iso
from crawler.registry import Registry
from crawler.store import Store
from crawler.units import Unit, UnknownProvince, provinces, resolve_province, unit_by_code, units

CRAWLED_OK_DAYS = 7
SILENT_DAYS = 30
COLUMNS = ("official", "registered", "crawled_ok_7d", "silent_30d", "never_crawled", "broken", "not_found",
           "undiscovered", "other_portals")
TOTAL = "TOTAL"

__all__ = ["COLUMNS", "TOTAL", "UnknownProvince", "coverage_report"]


def _aware(value) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return None


def coverage_report(registry: Registry, store: Store, now: datetime | None = None,
                    province: str | None = None) -> dict:
    """The coverage report (see the module's docstring), of every province or of one (any spelling
    resolve_province accepts; UnknownProvince otherwise). JSON-ready: times are local ISO 8601."""
    now = _aware(now) or datetime.now(UTC)
    wanted = resolve_province(province) if province is not None else None
    names = [wanted] if wanted else list(provinces())
    official: dict[str, list[Unit]] = {name: [] for name in names}
    by_code: dict[str, Unit] = {}
    for unit in units(wanted) if wanted else units():
        official[unit.province].append(unit)
        by_code[unit.admin_code] = unit

    # Registry: the portal ids of each unit; entries without an official code are "other portals".
    portals_of: dict[str, list[str]] = defaultdict(list)
    other: dict[str, int] = defaultdict(int)
    unplaced: list[str] = []
    for portal in registry.portals:
        unit = unit_by_code(portal.admin_code) if portal.admin_code else None
        if unit is not None:
            if unit.admin_code in by_code:  # else a unit of another province than the one asked for
                portals_of[unit.admin_code].append(portal.id)
            continue
        try:
            where = resolve_province(portal.province)
        except UnknownProvince:  # a province name that is none of the 34: counted in the TOTAL row only
            if wanted is None:
                unplaced.append(portal.id)
            continue
        if where in official:
            other[where] += 1

    # Store: every portal's crawl times and health, once.
    docs = {doc["_id"]: doc for doc in store.coverage_portals()}
    ok_since, silent_since = now - timedelta(days=CRAWLED_OK_DAYS), now - timedelta(days=SILENT_DAYS)
    registered_ids = {pid for ids in portals_of.values() for pid in ids}
    unknown_newness = [pid for pid in registered_ids
                       if pid in docs and docs[pid].get("last_run_at") and not docs[pid].get("last_new_article_at")]
    fresh = store.portals_with_articles_since(unknown_newness, silent_since) if unknown_newness else set()

    def after(pid: str, field: str, since: datetime) -> bool:
        moment = _aware(docs.get(pid, {}).get(field))
        return moment is not None and moment >= since

    settled = {doc.get("admin_code") or doc["_id"]: doc for doc in store.discoveries(wanted)}
    rows, not_found = [], []
    for name in names:
        row = dict.fromkeys(COLUMNS, 0)
        row["official"] = len(official[name])
        row["other_portals"] = other.get(name, 0)
        for unit in official[name]:
            ids = portals_of.get(unit.admin_code)
            if not ids:
                found = settled.get(unit.admin_code)
                if found and found.get("outcome") and found["outcome"] != "registered":
                    row["not_found"] += 1
                    not_found.append({**unit.as_dict(), "outcome": found["outcome"], "detail": found.get("detail") or "",
                                      "host": found.get("host"), "candidates": list(found.get("candidates") or []),
                                      "probed_at": to_local_iso(_aware(found.get("probed_at")))})
                else:
                    row["undiscovered"] += 1
                continue
            row["registered"] += 1
            ran = [pid for pid in ids if docs.get(pid, {}).get("last_run_at") or docs.get(pid, {}).get("last_success_at")]
            if any(after(pid, "last_success_at", ok_since) for pid in ids):
                row["crawled_ok_7d"] += 1
            if not ran:
                row["never_crawled"] += 1
            elif not any(after(pid, "last_new_article_at", silent_since) or pid in fresh for pid in ran):
                row["silent_30d"] += 1
            verdicts = [docs[pid]["health"].get("status") for pid in ids
                        if isinstance(docs.get(pid, {}).get("health"), dict)]
            if verdicts and all(status == "broken" for status in verdicts):
                row["broken"] += 1
        rows.append({"province": name, **row})

    total = {"province": TOTAL, **{column: sum(row[column] for row in rows) for column in COLUMNS}}
    total["other_portals"] += len(unplaced)
    return {
        "generated_at": to_local_iso(now),
        "province": wanted,
        "windows": {"crawled_ok_days": CRAWLED_OK_DAYS, "silent_days": SILENT_DAYS},
        "columns": list(COLUMNS),
        "provinces": rows,
        "total": total,
        "not_found": not_found,
        "unplaced_portals": sorted(unplaced),
    }

