"""Coverage of the official units: `portals coverage`, GET /coverage and the dashboard page agree with
each other and with figures worked out by hand from a real store (embedded mongoeco or MONGO_URI)."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient

from crawler.api import create_app
from crawler.coverage import COLUMNS, coverage_report
from crawler.registry import load_registry
from crawler.rendering import LAUNCH_ARGS, chromium_path
from crawler.units import units
from tests.conftest import serving
from tests.crawling import portals_command, write_registry
from tests.test_api import article

NOW = datetime.now(UTC)
TH = units("Thanh Hóa")
LC = units("Lào Cai")
TOTAL_UNITS = len(units())


def entry(portal_id: str, unit=None, province: str = "Thanh Hóa", level: str = "commune", **extra) -> dict:
    fields = {"id": portal_id, "name": unit.name if unit else portal_id, "province": unit.province if unit else province,
              "level": level, "platform": "vnpt", "base_url": f"https://{portal_id}.example.vn"}
    if unit:
        fields.update(admin_code=unit.admin_code, admin_type=unit.admin_type)
    return {**fields, **extra}


def health(store, portal_id: str, status: str) -> None:
    store.record_health(portal_id, "r-health", NOW - timedelta(days=1),
                        {"status": status, "reasons": [] if status == "ok" else [f"{status} for the test"], "figures": {}})


def discovery(unit, outcome: str, detail: str = "", host: str | None = None) -> dict:
    return {**unit.as_dict(), "outcome": outcome, "detail": detail, "host": host, "portal_id": None,
            "candidates": [f"{unit.admin_code}.example.vn"], "probed_at": NOW - timedelta(days=2)}


@pytest.fixture
def covered(config, store, tmp_path):
    """Two provinces' units in several states, a second portal for one unit, a newspaper, an old district."""
    registry_path = write_registry(tmp_path / "portals.yaml", [
        entry("th0", TH[0]), entry("th0bis", TH[0]),        # one unit, two entries: counted once
        entry("th1", TH[1]), entry("th2", TH[2]), entry("th3", TH[3]),
        entry("lc0", LC[0]),
        entry("baothanhhoa", province="Thanh Hóa", level="newspaper"),
        entry("quanhoa", province="thanh hoa", level="district"),  # any spelling of the province
        entry("hatay", province="Hà Tây", level="province"),       # not one of the 34: TOTAL row only
    ])
    registry = load_registry(registry_path)
    store.sync_portals(registry.portals)
    day = timedelta(days=1)
    # th0: crawled OK 2 days ago with new articles; health ok. th0bis never ran.
    store.record_portal_run("th0", "r1", NOW - 2 * day, ok=True, articles_new=3)
    health(store, "th0", "ok")
    # th1: last success 10 days ago, a failed run yesterday, its newest article first stored 40 days ago; broken.
    store.record_portal_run("th1", "r0", NOW - 10 * day, ok=True)
    store.record_portal_run("th1", "r1", NOW - day, ok=False)
    store.upsert_articles([article(1, portal="th1")])
    store.articles.update_many({"portal": "th1"}, {"$set": {"first_seen": NOW - 40 * day}})
    health(store, "th1", "broken")
    # th2: never crawled (no run at all).
    # th3: new articles 45 days ago, crawled OK yesterday without any: crawled OK and silent; degraded.
    store.record_portal_run("th3", "r0", NOW - 45 * day, ok=True, articles_new=2)
    store.record_portal_run("th3", "r1", NOW - day, ok=True, articles_new=0)
    health(store, "th3", "degraded")
    # lc0: crawled OK yesterday, no new article counted by a run (as before last_new_article_at existed),
    # but an article first stored today; broken.
    store.record_portal_run("lc0", "r1", NOW - day, ok=True)
    store.upsert_articles([article(2, portal="lc0", province="Lào Cai")])
    health(store, "lc0", "broken")
    store.save_discoveries([
        discovery(TH[1], "sample check failed", "registered since"),   # registered: not a unit without a site
        discovery(TH[4], "no such host", "no DNS answer for any candidate"),
        discovery(TH[5], "site down", "HTTP 503 on every candidate", host=f"{TH[5].admin_code}.example.vn"),
        discovery(TH[6], "registered"),                                # but not in the registry: undiscovered
        discovery(LC[1], "no news found", "home page lists no article"),
    ])
    app_config = dataclasses.replace(config, registry=registry_path)
    return SimpleNamespace(registry=registry, registry_path=registry_path, store=store, config=app_config)


EXPECTED_TH = {"province": "Thanh Hóa", "official": len(TH), "registered": 4, "crawled_ok_7d": 2, "silent_30d": 2,
               "never_crawled": 1, "broken": 1, "not_found": 2, "undiscovered": len(TH) - 6, "other_portals": 2}
EXPECTED_LC = {"province": "Lào Cai", "official": len(LC), "registered": 1, "crawled_ok_7d": 1, "silent_30d": 0,
               "never_crawled": 0, "broken": 1, "not_found": 1, "undiscovered": len(LC) - 2, "other_portals": 0}
EXPECTED_TOTAL = {"province": "TOTAL", "official": TOTAL_UNITS, "registered": 5, "crawled_ok_7d": 3, "silent_30d": 2,
                  "never_crawled": 1, "broken": 2, "not_found": 3, "undiscovered": TOTAL_UNITS - 8, "other_portals": 3}


def without_time(report: dict) -> dict:
    return {k: v for k, v in report.items() if k != "generated_at"}


def test_report_matches_the_figures_worked_out_by_hand(covered):
    report = coverage_report(covered.registry, covered.store)
    rows = {row["province"]: row for row in report["provinces"]}
    assert len(rows) == 34 and rows["Thanh Hóa"] == EXPECTED_TH and rows["Lào Cai"] == EXPECTED_LC
    assert report["total"] == EXPECTED_TOTAL
    for name, row in rows.items():
        if name not in ("Thanh Hóa", "Lào Cai"):
            assert row == {"province": name, **dict.fromkeys(COLUMNS, 0), "official": row["official"],
                           "undiscovered": row["official"]}
    assert [(u["admin_code"], u["outcome"]) for u in report["not_found"]] == [
        (LC[1].admin_code, "no news found"), (TH[4].admin_code, "no such host"), (TH[5].admin_code, "site down")]
    assert report["not_found"][2]["name"] == TH[5].name and report["not_found"][2]["detail"] == "HTTP 503 on every candidate"
    assert report["unplaced_portals"] == ["hatay"]

    one = coverage_report(covered.registry, covered.store, province="thanh hoa")
    assert one["province"] == "Thanh Hóa" and one["provinces"] == [EXPECTED_TH]
    assert one["total"] == {**EXPECTED_TH, "province": "TOTAL"}
    assert [u["admin_code"] for u in one["not_found"]] == [TH[4].admin_code, TH[5].admin_code]
    later = coverage_report(covered.registry, covered.store, now=NOW + timedelta(days=6))  # th0's success is 8 days old
    assert {r["province"]: r["crawled_ok_7d"] for r in later["provinces"]}["Thanh Hóa"] == 0


def test_cli_api_and_store_agree(covered):
    registry = str(covered.registry_path)
    result = portals_command("--registry", registry, "coverage", "--json")
    assert result.returncode == 0, result.stderr
    cli = json.loads(result.stdout)
    client = TestClient(create_app(covered.config, covered.store))
    api = client.get("/coverage").json()
    store = coverage_report(covered.registry, covered.store)
    assert without_time(cli) == without_time(api) == without_time(store)
    assert cli["total"] == EXPECTED_TOTAL

    one = json.loads(portals_command("--registry", registry, "coverage", "--province", "Thanh Hoa", "--json").stdout)
    assert without_time(one) == without_time(client.get("/coverage", params={"province": "thanh hóa"}).json())
    assert one["provinces"] == [EXPECTED_TH]

    table = portals_command("--registry", registry, "coverage")
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split()[:3] == ["province", "official", "registered"]
    figures = {line.rsplit(None, len(COLUMNS))[0]: [int(n) for n in line.split()[-len(COLUMNS):]]
               for line in lines[1:36]}
    assert figures["Thanh Hóa"] == [EXPECTED_TH[c] for c in COLUMNS]
    assert figures["TOTAL"] == [EXPECTED_TOTAL[c] for c in COLUMNS] and len(figures) == 35
    assert "units with no site found (3):" in lines
    assert f"{TH[4].admin_code}  {TH[4].name}  (Thanh Hóa)  no such host: no DNS answer for any candidate" in lines


def test_an_unknown_province_is_a_one_line_error(covered):
    result = portals_command("--registry", str(covered.registry_path), "coverage", "--province", "Atlantis")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("portals: error: unknown province 'Atlantis'") and result.stderr.count("\n") == 1
    client = TestClient(create_app(covered.config, covered.store))
    answer = client.get("/coverage", params={"province": "Thanh Hoaa"})
    assert answer.status_code == 400 and "unknown province 'Thanh Hoaa'" in answer.json()["detail"]
    assert "did you mean 'Thanh Hóa'" in answer.json()["detail"]
    assert client.get("/coverage", params={"provinces": "x"}).status_code == 400  # unknown parameters are refused
    page = client.get("/ui/coverage", params={"province": "Atlantis"})
    assert page.status_code == 400 and "unknown province" in page.text


def test_new_articles_are_recorded_per_portal_run(store):
    at = datetime(2026, 1, 1, tzinfo=UTC)
    store.record_portal_run("p", "r1", at, ok=True, articles_new=2)
    store.record_portal_run("p", "r2", at + timedelta(days=1), ok=False, articles_new=0)
    doc = store.get_portal("p")
    assert doc["last_new_article_at"] == at and doc["last_run_at"] == at + timedelta(days=1)
    store.record_portal_run("p", "r3", at + timedelta(days=2), ok=False, articles_new=1)  # stored, though the run failed
    assert store.get_portal("p")["last_new_article_at"] == at + timedelta(days=2)


def test_articles_filter_by_admin_code(config, store):
    store.upsert_articles([dict(article(1, portal="camtu"), admin_code=TH[0].admin_code),
                           dict(article(2, portal="camtu"), admin_code=TH[0].admin_code),
                           dict(article(3, portal="muonglat"), admin_code=TH[1].admin_code)])
    client = TestClient(create_app(config, store))
    titles = client.get("/articles", params={"admin_code": TH[0].admin_code}).json()["articles"]
    assert [a["title"] for a in titles] == ["Bài số 2", "Bài số 1"]
    lines = client.get("/export.jsonl", params={"admin_code": TH[1].admin_code}).text.splitlines()
    assert [json.loads(line)["title"] for line in lines] == ["Bài số 3"]
    assert client.get("/export.csv", params={"admin_code": "00000"}).text.count("\n") == 1  # the header only
    assert client.get("/feed.atom", params={"admin_code": TH[1].admin_code}).text.count("<entry>") == 1


@pytest.fixture
def server(covered):
    with serving(create_app(covered.config, covered.store)) as url:
        yield url


TABLE_JS = """() => Array.from(document.querySelectorAll('#coverage tbody tr, #coverage tfoot tr')).map(
    tr => Array.from(tr.querySelectorAll('td')).map(td => td.textContent.trim()))"""


@pytest.mark.skipif(not chromium_path(), reason="no Chromium (apt-get install chromium)")
def test_dashboard_page_in_a_real_browser(server, covered, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    report = coverage_report(covered.registry, covered.store)
    expected = [[row["province"], *(str(row[c]) for c in COLUMNS)] for row in report["provinces"] + [report["total"]]]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.set_default_timeout(5000)
            errors = []
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(server) else route.abort())

            page.goto(server + "/")
            page.click("nav >> text=Coverage")
            page.wait_for_url("**/ui/coverage")
            expect(page.locator("nav a.active")).to_have_text("Coverage")
            assert page.evaluate(TABLE_JS) == expected  # the store's figures, in the official order
            expect(page.locator("#not-found tbody tr")).to_have_count(3)
            expect(page.locator(f'#not-found tr[data-code="{TH[5].admin_code}"] .outcome')).to_have_text("site down")
            expect(page.locator(f'#not-found tr[data-code="{TH[4].admin_code}"] .detail')).to_contain_text(
                "no DNS answer for any candidate")

            page.click('#coverage th[data-column="registered"]')  # ascending, ties by province name
            expect(page.locator('#coverage th[data-column="registered"]')).to_have_attribute("aria-sort", "ascending")
            ascending = page.evaluate(TABLE_JS)
            assert [int(row[2]) for row in ascending[:-1]] == sorted(int(row[2]) for row in expected[:-1])
            assert ascending[-2][0] == "Thanh Hóa" and ascending[-1][0] == "TOTAL"  # the TOTAL row stays last
            page.click('#coverage th[data-column="registered"]')  # descending
            descending = page.evaluate(TABLE_JS)
            assert [row[0] for row in descending[:2]] == ["Thanh Hóa", "Lào Cai"] and descending[-1][0] == "TOTAL"
            assert sorted(map(tuple, descending)) == sorted(map(tuple, expected))  # same rows, same figures
            page.click('#coverage th[data-column="province"]')
            names = [row[0] for row in page.evaluate(TABLE_JS)[:-1]]
            assert names[0] == "An Giang" and names != [row[0] for row in expected[:-1]]

            page.select_option('select[name="province"]', "Lào Cai")
            page.click('button[type="submit"]')
            page.wait_for_url("**/ui/coverage?province=*")
            assert page.evaluate(TABLE_JS) == [[*(str(EXPECTED_LC[c]) for c in ("province", *COLUMNS))],
                                               ["TOTAL", *(str(EXPECTED_LC[c]) for c in COLUMNS)]]
            expect(page.locator("#not-found tbody tr")).to_have_count(1)
            page.screenshot(path=str(tmp_path / "coverage.png"), full_page=True)
            assert errors == [], errors
        finally:
            browser.close()
    assert (tmp_path / "coverage.png").stat().st_size > 10_000
