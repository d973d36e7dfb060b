"""Portal health after every run: ok, degraded or broken, with the reasons.

A run's figures for one portal (from its crawler's stats) are weighed against fixed shares and
against the portal's own recent baseline: the median, over its last BASELINE_RUNS runs, of the
article links per first list page (first pages of lists and feeds are read every run, unless
unchanged, so the figure compares run to run). A portal whose template changed lists its links
or shows its text where the platform's selectors no longer look, and says so after one run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median

BASELINE_RUNS = 5
MIN_PAGES = 3  # shares of fewer article pages than this say little


@dataclass
class Health:
    status: str                      # ok | degraded | broken
    reasons: list[str] = field(default_factory=list)
    figures: dict[str, int | float | None] = field(default_factory=dict)


def run_figures(stats: dict) -> dict[str, int]:
    """The figures health is judged on, from one portal crawler's Scrapy stats."""
    responses = {int(key.rsplit("/", 1)[1]): count for key, count in stats.items()
                 if key.startswith("downloader/response_status_count/")}
    return {
        "first_pages": stats.get("health/first_pages", 0),
        "listed": stats.get("health/listed", 0),
        "not_modified": stats.get("lists/not_modified", 0),
        "list_pages": stats.get("health/list_pages", 0),
        "list_layout_missed": stats.get("health/list_layout_missed", 0),
        "article_pages": stats.get("health/article_pages", 0),
        "body_selector_missed": stats.get("health/body_selector_missed", 0),
        "short_body": stats.get("health/short_body", 0),
        "no_date": stats.get("health/no_date", 0),
        "dropped": stats.get("health/dropped", 0),
        # Requests retrying URLs that failed in earlier runs are left out: they say nothing new.
        "requests": stats.get("downloader/request_count", 0) - stats.get("failures/retry_responses", 0),
        "http_errors": sum(count for status, count in responses.items() if status >= 400)
        + stats.get("downloader/exception_count", 0) - stats.get("failures/retry_errors", 0),
        "failed_urls": stats.get("failures/new_urls", 0),
    }


def links_per_first_page(figures: dict) -> float | None:
    return figures["listed"] / figures["first_pages"] if figures.get("first_pages") else None


def baseline(previous: list[dict]) -> float | None:
    """Median links per first page over the latest runs' figures (newest first) that read any."""
    ratios = [ratio for ratio in map(links_per_first_page, previous) if ratio is not None][:BASELINE_RUNS]
    return median(ratios) if ratios else None


def assess(figures: dict[str, int], usual: float | None, finished: bool) -> Health:
    """Judge one run of one portal; every rule that fires adds its reason."""
    broken, degraded = [], []
    pages, lists = figures["article_pages"], figures["list_pages"]

    def share(count: int, total: int) -> float:
        return count / total if total else 0.0

    if not finished:
        broken.append("the crawl did not finish")
    ratio = links_per_first_page(figures)
    if ratio == 0:
        normally = f" (usually {usual:.3g} a page)" if usual else ""
        broken.append(f"no article links on its first list pages{normally}")
    elif ratio is not None and usual and ratio < usual / 2:
        degraded.append(f"{ratio:.3g} article links per first list page, usually {usual:.3g}")
    if lists and share(figures["list_layout_missed"], lists) >= 0.5:
        broken.append(f"layout changed: the platform's list selectors matched on "
                      f"{lists - figures['list_layout_missed']} of {lists} list pages")
    if pages >= 1 and share(figures["body_selector_missed"], pages) >= 0.5:
        broken.append(f"layout changed: the body selectors matched on "
                      f"{pages - figures['body_selector_missed']} of {pages} article pages")
    error_rate = share(figures["http_errors"], figures["requests"])
    if figures["requests"] >= 5 and error_rate >= 0.5:
        broken.append(f"{error_rate:.0%} of requests failed")
    elif figures["requests"] >= 5 and error_rate >= 0.1:
        degraded.append(f"{error_rate:.0%} of requests failed")
    if pages >= MIN_PAGES:
        for key, label, bad, poor in (("dropped", "articles dropped by validation", 0.5, 0.1),
                                      ("short_body", "bodies empty or short", 0.5, 0.2),
                                      ("no_date", "dates not parsed", 0.5, 0.2)):
            value = share(figures[key], pages)
            if value >= bad:
                broken.append(f"{value:.0%} {label}")
            elif value >= poor:
                degraded.append(f"{value:.0%} {label}")
    if figures["failed_urls"]:
        degraded.append(f"{figures['failed_urls']} URL(s) failed for good (recorded, retried next run)")
    status = "broken" if broken else "degraded" if degraded else "ok"
    return Health(status, broken + degraded, {**figures, "usual_links_per_first_page": usual})
