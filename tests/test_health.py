"""Portal health rules (crawler.health) on figures as a crawl produces them."""

from crawler.health import assess, baseline, run_figures


def figures(**stats) -> dict:
    return run_figures({f"health/{k}" if not k.startswith(("downloader", "lists", "failures")) else k: v
                        for k, v in stats.items()})


def test_a_normal_run_is_ok_and_a_quiet_night_with_unchanged_lists_too():
    normal = figures(first_pages=3, listed=60, list_pages=3, article_pages=10, **{"downloader/request_count": 14})
    assert assess(normal, 20.0, True).status == "ok"
    quiet = run_figures({"lists/not_modified": 3, "downloader/request_count": 3})  # every list answered 304
    assert assess(quiet, 20.0, True).status == "ok"


def test_a_changed_layout_is_broken_after_one_run():
    changed = figures(first_pages=3, listed=60, list_pages=3, list_layout_missed=3, article_pages=2,
                      body_selector_missed=2)
    health = assess(changed, 20.0, True)
    assert health.status == "broken"
    assert health.reasons == ["layout changed: the platform's list selectors matched on 0 of 3 list pages",
                              "layout changed: the body selectors matched on 0 of 2 article pages"]
    empty = figures(first_pages=3, listed=0, list_pages=3)
    assert assess(empty, 20.0, True).reasons[0] == "no article links on its first list pages (usually 20 a page)"


def test_fewer_links_than_usual_poor_pages_and_errors_degrade():
    poor = figures(first_pages=4, listed=24, article_pages=10, short_body=3, no_date=1, dropped=1,
                   **{"downloader/request_count": 20, "downloader/response_status_count/503": 3,
                      "failures/urls": 3, "failures/new_urls": 1})
    health = assess(poor, 20.0, True)
    assert health.status == "degraded"
    assert health.reasons == ["6 article links per first list page, usually 20", "15% of requests failed",
                              "10% articles dropped by validation", "30% bodies empty or short",
                              "1 URL(s) failed for good (recorded, retried next run)"]
    assert assess(poor, None, False).reasons[0] == "the crawl did not finish"


def test_urls_that_failed_in_earlier_runs_do_not_weigh_on_this_run():
    """A night that only retries yesterday's removed articles (404 again) is a healthy night."""
    retries = figures(first_pages=2, listed=40, **{"downloader/request_count": 6, "downloader/response_status_count/200": 2,
                                                   "downloader/response_status_count/404": 4, "failures/urls": 4,
                                                   "failures/retry_responses": 4, "failures/retry_errors": 4})
    assert assess(retries, 20.0, True).status == "ok"


def test_the_baseline_is_the_median_of_recent_runs_that_read_lists():
    history = [{"first_pages": 2, "listed": 40}, {"first_pages": 0, "listed": 0}, {"first_pages": 1, "listed": 10},
               {"first_pages": 3, "listed": 90}]
    assert baseline(history) == 20.0 and baseline([]) is None
