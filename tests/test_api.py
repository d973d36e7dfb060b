"""The consumers' HTTP API on a real store: filters, cursor pages, Vietnamese search, change feed, Atom, exports."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import pytest
from fastapi.testclient import TestClient

import crawler.store
from crawler.api import create_app
from crawler.urls import url_hash
from pipelines.dedupe import content_hash

BASE = datetime(2025, 9, 1, 1, 0, tzinfo=UTC)


def article(n: int, portal: str = "muonglat", title: str | None = None, body: str = "Nội dung bài viết về xã.",
            province: str = "Thanh Hóa", level: str = "commune", hours: int | None = None) -> dict:
    url = f"https://{portal}.thanhhoa.gov.vn/tin-tuc/bai-{n}-{1000 + n}"
    title = title or f"Bài số {n}"
    return {"url": url, "canonical_url": url, "url_hash": url_hash(url), "portal": portal, "portal_name": portal,
            "province": province, "level": level, "title": title, "summary": "", "body": body,
            "published_at": BASE + timedelta(hours=n if hours is None else hours), "content_hash": content_hash(title, body),
            "alias_hashes": [], "images": [], "language": "vi", "crawled_at": BASE}


@pytest.fixture
def client(config, store):
    return TestClient(create_app(config, store))


def test_filters_and_stable_cursor_pages(client, store):
    docs = [article(n) for n in range(25)] + [article(n, portal="camtu") for n in range(5)]
    docs += [article(99, portal="baolaocai", province="Lào Cai", level="newspaper")]
    docs += [article(100 + n, hours=30) for n in range(3)]  # same publication time: ties broken by id
    store.upsert_articles(docs)
    seen, cursor = [], None
    while True:
        page = client.get("/articles", params={"portal": "muonglat", "limit": 7, **({"cursor": cursor} if cursor else {})}).json()
        seen += [a["url_hash"] for a in page["articles"]]
        cursor = page["next"]
        if not cursor:
            break
    muonglat = sorted((d for d in docs if d["portal"] == "muonglat"), key=lambda d: (-d["published_at"].timestamp(), d["url_hash"]))
    assert seen == [d["url_hash"] for d in muonglat]  # every article once, newest first, stable order
    assert {a["portal"] for a in client.get("/articles", params={"province": "Lào Cai"}).json()["articles"]} == {"baolaocai"}
    assert len(client.get("/articles", params={"portal": ["muonglat", "camtu"], "limit": 100}).json()["articles"]) == 33
    window = client.get("/articles", params={"portal": "muonglat", "since": "2025-09-01T10:00+07:00",
                                             "until": "2025-09-01T13:00"}).json()  # no offset: local time
    assert [a["title"] for a in window["articles"]] == ["Bài số 4", "Bài số 3", "Bài số 2"]
    assert client.get("/articles", params={"limit": 1000}).status_code == 422
    assert client.get("/articles", params={"since": "hôm qua"}).status_code == 400
    assert client.get("/articles", params={"cursor": "not-a-cursor"}).status_code == 400


def test_vietnamese_search_without_diacritics_phrases_and_ranking(client, store):
    store.upsert_articles([
        article(1, title="Xã Mường Lát: Hội nghị trực tuyến toàn tỉnh", body="Hội nghị tổng kết công tác năm."),
        article(2, title="Tin vắn", body="Đoàn công tác đã đến thăm xã Mường Lát và trao quà."),
        article(3, title="Khắc phục hậu quả bão số 5", body="Mưa lớn kéo dài tại Cẩm Tú."),
    ])
    titles = lambda params: [a["title"] for a in client.get("/articles", params=params).json()["articles"]]  # noqa: E731
    assert titles({"q": "muong lat"}) == ["Xã Mường Lát: Hội nghị trực tuyến toàn tỉnh", "Tin vắn"]  # title match first
    assert titles({"q": "MƯỜNG LÁT"}) == titles({"q": "muong lat"})
    assert titles({"q": '"hoi nghi truc tuyen"'}) == ["Xã Mường Lát: Hội nghị trực tuyến toàn tỉnh"]
    assert titles({"q": "bao so 5"})[0] == "Khắc phục hậu quả bão số 5"
    assert titles({"q": "muong lat -quà"}) == ["Xã Mường Lát: Hội nghị trực tuyến toàn tỉnh"]


def test_article_by_id(client, store):
    store.upsert_articles([article(1)])
    assert client.get(f"/articles/{article(1)['url_hash']}").json()["title"] == "Bài số 1"
    assert client.get("/articles/0000").status_code == 404


def test_change_feed_resumes_without_missing_or_repeating(client, store):
    store.upsert_articles([article(n) for n in range(3)])
    first = client.get("/changes", params={"after": "0", "limit": 2}).json()
    second = client.get("/changes", params={"after": first["next"]}).json()
    assert [c["op"] for c in first["changes"] + second["changes"]] == ["insert"] * 3
    assert len({c["article"]["url_hash"] for c in first["changes"] + second["changes"]}) == 3
    caught_up = client.get("/changes", params={"after": second["next"]}).json()
    assert caught_up == {"changes": [], "next": second["next"]}
    store.upsert_articles([article(1, body="Nội dung đã được sửa lại.")])
    store.upsert_articles([article(1, body="Nội dung đã được sửa lại.")])  # unchanged: no change entry
    update = client.get("/changes", params={"after": second["next"]}).json()
    assert [(c["op"], c["article"]["body"]) for c in update["changes"]] == [("update", "Nội dung đã được sửa lại.")]


def test_change_feed_waits_at_a_gap_until_it_is_abandoned(client, store, monkeypatch):
    store.upsert_articles([article(1)])
    cursor = client.get("/changes").json()["next"]
    store.db["counters"].update_one({"_id": "changes"}, {"$inc": {"seq": 1}})  # a writer reserved a number, not written yet
    store.upsert_articles([article(2)])
    assert client.get("/changes", params={"after": cursor}).json()["changes"] == []  # the gap may still fill
    monkeypatch.setattr(crawler.store, "CHANGE_GAP_SECONDS", -1)  # ... now it is older than the gap timeout
    assert [c["article"]["title"] for c in client.get("/changes", params={"after": cursor}).json()["changes"]] == ["Bài số 2"]


def test_atom_and_exports(client, store):
    store.upsert_articles([article(n) for n in range(4)] + [article(9, portal="camtu")])
    feed = ElementTree.fromstring(client.get("/feed.atom", params={"portal": "muonglat"}).content)
    entries = feed.findall("{http://www.w3.org/2005/Atom}entry")
    assert [e.findtext("{http://www.w3.org/2005/Atom}title") for e in entries] == ["Bài số 3", "Bài số 2", "Bài số 1", "Bài số 0"]
    lines = client.get("/export.jsonl").text.splitlines()
    assert len(lines) == 5 and all(json.loads(line)["url_hash"] for line in lines)
    rows = list(csv.DictReader(io.StringIO(client.get("/export.csv", params={"portal": "camtu"}).text)))
    assert [row["title"] for row in rows] == ["Bài số 9"]


def test_portals_health_and_runs(client, store):
    class Entry:
        id, name, province, level, platform, base_url, enabled = "muonglat", "Xã Mường Lát", "Thanh Hóa", "commune", "vnpt", "https://x", True

    store.sync_portals([Entry()])
    store.upsert_articles([article(1), article(2)])
    run_id = store.start_run(["muonglat"])
    finished = store.finish_run(run_id, "finished", {"muonglat": {"requests": 10, "errors": 1, "articles_new": 2}},
                                {"requests": 10, "errors": 1, "articles_new": 2})
    store.record_portal_run("muonglat", run_id, finished, ok=True)
    assert client.get("/portals").json()[0]["status"] == "unknown"  # no health recorded yet
    from crawler.crawl import record_health

    record_health(store, "muonglat", run_id, finished, {"health/first_pages": 1, "health/listed": 0}, True)
    store.record_failures("muonglat", run_id, {"h1": ("https://x/1", "article", "HTTP 410")})
    health = client.get("/portals").json()
    assert health[0]["id"] == "muonglat" and health[0]["articles"] == 2
    assert health[0]["error_rate"] == 0.1 and health[0]["last_success_at"]
    assert health[0]["status"] == "broken" and health[0]["health_reasons"] == ["no article links on its first list pages"]
    assert health[0]["failed_urls"] == 1
    runs = client.get("/runs").json()
    assert runs[0]["run_id"] == run_id and runs[0]["status"] == "finished"
    assert client.get("/docs").status_code == 200 and "/changes" in client.get("/openapi.json").json()["paths"]


def test_a_consumer_following_changes_mirrors_the_store_across_crawls(client, store, tmp_path):
    from crawler.query import public_article
    from crawler.replica import Fleet
    from tests.crawling import crawl_json, write_registry

    mirror: dict[str, dict] = {}
    cursor = "0"

    def follow():
        nonlocal cursor
        while True:
            page = client.get("/changes", params={"after": cursor, "limit": 7}).json()
            for change in page["changes"]:
                mirror[change["article"]["url_hash"]] = change["article"]
            cursor = page["next"]
            if not page["changes"]:
                return

    with Fleet(seed=51, portals=["muonglat"], articles_per_portal=12) as fleet:
        registry = write_registry(tmp_path / "r.yaml", fleet.registry_entries())
        crawl_json(registry, "muonglat")          # inserts
        follow()
        fleet.publish("muonglat", count=2)
        crawl_json(registry, "muonglat")          # more inserts, incrementally
    edited = [dict(doc, body=doc["body"] + "\n\nĐính chính: số liệu đã được cập nhật.") for doc in store.articles.find().limit(3)]
    for doc in edited:
        doc["content_hash"] = content_hash(doc["title"], doc["body"])
    assert store.upsert_articles(edited).updated == 3  # an edit found on a later crawl
    follow()
    assert mirror == {doc["_id"]: public_article(doc) for doc in store.articles.find()}
    assert len(mirror) == 14


@pytest.mark.parametrize("params", [
    {"portal[$ne]": "x"}, {"q": "x", "$where": "1"}, {"portal": "x", "sort[$gt]": ""},
])
def test_operator_shaped_parameters_are_refused(client, store, params):
    response = client.get("/articles", params=params)
    assert response.status_code == 400 and "unknown query parameter" in response.json()["detail"]


def test_injection_attempts_are_literal_text(client, store):
    store.upsert_articles([article(1, title="Hội nghị"), article(2, title="Tin khác")])
    for q in ['{"$gt": ""}', "'; db.dropDatabase(); '", "<script>alert(1)</script>", '{"$where": "sleep(1000)"}']:
        response = client.get("/articles", params={"q": q})
        assert response.status_code == 200 and response.json()["articles"] == []
    assert client.get("/articles", params={"portal": '{"$ne": "x"}'}).json()["articles"] == []  # a portal named so
    assert client.get("/articles", params={"limit": "1; drop"}).status_code == 422
    assert store.count_articles() == 2


def test_a_search_that_only_excludes_words_is_a_400_even_for_exports(client, store):
    """Found by schemathesis: `q=-0` reached MongoDB as a $text search without a word to look for."""
    store.upsert_articles([article(1)])
    for route in ("/articles", "/export.jsonl", "/export.csv", "/feed.atom"):
        answer = client.get(route, params={"q": "-0 -bão"})
        assert answer.status_code == 400 and "only excludes words" in answer.json()["detail"], route
    assert client.get("/articles", params={"q": "bài -bão"}).status_code == 200
