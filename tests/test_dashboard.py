"""The HTML dashboard as a user meets it: a real server, a real store, a real headless Chromium."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import httpx
import pytest


from crawler.api import create_app
from crawler.crawl import record_health
from crawler.rendering import LAUNCH_ARGS, chromium_path
from crawler.urls import url_hash
from pipelines.dedupe import content_hash
from tests.conftest import serving

MUONG_LAT_BODY = ("Sáng 10/7, UBND xã Mường Lát tổ chức hội nghị trực tuyến triển khai nhiệm vụ 6 tháng cuối năm.\n\n"
                  "Hội nghị có sự tham gia của cán bộ các thôn, bản.\n\n"
                  "Các đại biểu thống nhất giải pháp khắc phục hậu quả mưa lũ.")


def article(portal: str, n: int, title: str, body: str = "Nội dung bài viết", **extra) -> dict:
    url = f"https://{portal}.thanhhoa.gov.vn/tin-tuc/bai-{n}-{1000 + n}"
    names = {"muonglat": "Xã Mường Lát", "camtu": "Xã Cẩm Tú"}
    return {"url": url, "canonical_url": url, "url_hash": url_hash(url), "portal": portal, "portal_name": names[portal],
            "province": "Thanh Hóa", "level": "commune", "title": title, "summary": "", "body": body,
            "author": None, "images": [], "published_at": datetime(2025, 7, 10, 1, tzinfo=UTC) + timedelta(hours=n),
            "crawled_at": datetime(2025, 7, 12, tzinfo=UTC), "content_hash": content_hash(title, body),
            "alias_hashes": [], **extra}


def portal(portal_id: str, name: str, platform: str = "vnpt") -> SimpleNamespace:
    return SimpleNamespace(id=portal_id, name=name, province="Thanh Hóa", level="commune", platform=platform,
                           base_url=f"https://{portal_id}.thanhhoa.gov.vn", enabled=True)


MUONG_LAT = article("muonglat", 5, "Xã Mường Lát: Hội nghị trực tuyến", MUONG_LAT_BODY, author="Lê Hằng",
                    images=[{"url": "https://muonglat.thanhhoa.gov.vn/img/hoi-nghi.jpg", "caption": "Quang cảnh hội nghị"}])
SCRIPT = article("camtu", 3, "Cẩm Tú <script>alert('x')</script> bản tin")


@pytest.fixture
def filled(store):
    store.sync_portals([portal("muonglat", "Xã Mường Lát"), portal("camtu", "Xã Cẩm Tú")])
    store.upsert_articles([MUONG_LAT, SCRIPT, *(article("camtu", n, f"Tin Cẩm Tú số {n}") for n in (1, 2, 4))])
    run_id = store.start_run(["muonglat", "camtu"])
    finished = store.finish_run(run_id, "finished",
                                {"muonglat": {"requests": 10, "articles_new": 1, "errors": 0},
                                 "camtu": {"requests": 10, "articles_new": 4, "errors": 5}},
                                {"requests": 20, "articles_new": 5, "errors": 5}, ["camtu: 5 pages answered 500"])
    store.record_portal_run("muonglat", run_id, finished, ok=True)
    store.record_portal_run("camtu", run_id, finished, ok=True)
    for portal_id, errors in (("muonglat", 0), ("camtu", 5)):  # health as a crawl records it (crawler.crawl)
        record_health(store, portal_id, run_id, finished, {
            "health/first_pages": 2, "health/listed": 20, "health/article_pages": 4, "downloader/request_count": 10,
            "downloader/response_status_count/200": 10 - errors, "downloader/response_status_count/500": errors}, True)
    return SimpleNamespace(store=store, run_id=run_id)


@pytest.fixture
def server(config, filled):
    """The app served by uvicorn on a free loopback port, in a background thread."""
    with serving(create_app(config, filled.store)) as url:
        yield url


@pytest.fixture
def client(server):
    with httpx.Client(base_url=server, timeout=10) as client:
        yield client


@pytest.mark.skipif(not chromium_path(), reason="no Chromium (apt-get install chromium)")
def test_dashboard_in_a_real_browser(server, filled, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.set_default_timeout(5000)
            errors, dialogs = [], []
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(server)
                       else route.abort())  # article images live on the portals: nothing leaves loopback

            page.goto(server + "/")
            row = page.locator('tr[data-portal="muonglat"]')
            expect(row).to_contain_text("Xã Mường Lát")
            expect(row).to_contain_text("Thanh Hóa")
            expect(row.locator(".badge")).to_have_text("ok")
            expect(page.locator('tr[data-portal="camtu"] .badge')).to_have_text("broken")  # 5 errors in 10 requests
            expect(page.locator('tr[data-portal="camtu"] .reason')).to_have_text("50% of requests failed")
            expect(page.locator('tr[data-portal="camtu"]')).to_contain_text("50.0 %")
            page.screenshot(path=str(tmp_path / "portals.png"), full_page=True)

            page.click("nav >> text=Articles")
            expect(page.locator("#articles tbody tr")).to_have_count(5)
            expect(page.locator("#articles tbody tr").first).to_contain_text("Xã Mường Lát: Hội nghị trực tuyến")
            page.fill('input[name="q"]', "muong lat")
            page.click('button[type="submit"]')
            page.wait_for_url(re.compile(r"/ui/articles\?.*q=muong\+lat"))
            result = page.locator("#articles a.title", has_text="Mường Lát")
            expect(result).to_have_count(1)

            result.click()
            page.wait_for_url(f"**/ui/articles/{MUONG_LAT['url_hash']}")
            expect(page.locator("h1")).to_have_text("Xã Mường Lát: Hội nghị trực tuyến")
            expect(page.locator(".body p")).to_have_count(3)
            expect(page.locator(".body p").nth(1)).to_have_text("Hội nghị có sự tham gia của cán bộ các thôn, bản.")
            expect(page.locator(".author")).to_have_text("Lê Hằng")
            expect(page.locator("figcaption")).to_have_text("Quang cảnh hội nghị")
            expect(page.locator("a.original")).to_have_attribute("href", MUONG_LAT["url"])
            expect(page.locator(".date")).to_have_text("2025-07-10 13:00")  # 06:00 UTC, shown at +07:00

            page.click("nav >> text=Runs")
            expect(page.locator("#runs")).to_contain_text(filled.run_id)
            expect(page.locator("#runs")).to_contain_text("camtu: 5 pages answered 500")
            expect(page.locator("#runs .badge")).to_have_text("finished")
            page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)

            # A scraped <script> is shown as text and runs nothing.
            page.goto(f"{server}/ui/articles/{SCRIPT['url_hash']}")
            expect(page.locator("h1")).to_have_text("Cẩm Tú <script>alert('x')</script> bản tin")
            assert page.evaluate("document.querySelectorAll('main script, .body script, h1 script').length") == 0
            assert dialogs == []
            # No console errors, but for the article images this test keeps from leaving loopback.
            assert [e for e in errors if "net::ERR_FAILED" not in e] == [], errors
        finally:
            browser.close()
    for name in ("portals.png", "dashboard.png"):
        shot = (tmp_path / name).read_bytes()
        assert len(shot) > 1000 and shot.startswith(b"\x89PNG\r\n\x1a\n")


def test_unknown_article_is_404(client):
    response = client.get("/ui/articles/" + "0" * 64)
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"] and "no article with id 000" in response.text


def test_bad_filter_is_400_with_a_message(client):
    response = client.get("/ui/articles", params={"since": "yesterday"})
    assert response.status_code == 400 and "text/html" in response.headers["content-type"]
    assert "since: &#39;yesterday&#39; is not an ISO 8601 date" in response.text
    assert "Traceback" not in response.text
    assert 'value="yesterday"' in response.text  # the form keeps what was typed
    for params in ({"limit": "0"}, {"cursor": "garbage!"}, {"sort": "relevance"}):
        assert client.get("/ui/articles", params=params).status_code == 400, params


def test_titles_are_escaped(client):
    listing = client.get("/ui/articles", params={"portal": "camtu"}).text
    view = client.get(f"/ui/articles/{SCRIPT['url_hash']}").text
    for html in (listing, view):
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html


def test_filters_and_next_page(client):
    first = client.get("/ui/articles", params={"portal": "camtu", "since": "", "level": "", "limit": "2"})
    assert first.status_code == 200
    assert "Tin Cẩm Tú số 4" in first.text and "Mường Lát: Hội nghị" not in first.text
    next_url = first.text.split('id="next" href="')[1].split('"')[0].replace("&amp;", "&")
    assert "cursor=" in next_url and "portal=camtu" in next_url and "since" not in next_url
    second = client.get(next_url)
    assert second.status_code == 200 and "Tin Cẩm Tú số 2" in second.text and "Tin Cẩm Tú số 4" not in second.text
    since = client.get("/ui/articles", params={"since": "2025-07-10T12:30", "until": "2025-07-11"})
    assert "Xã Mường Lát: Hội nghị" in since.text and "Tin Cẩm Tú số 4" not in since.text
