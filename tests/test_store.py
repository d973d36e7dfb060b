"""The store on a real wire-protocol server: keys, indexes, upsert semantics, runs."""

from datetime import UTC, datetime, timedelta

from crawler.store import Store
from pipelines.dedupe import content_hash
from crawler.urls import url_hash


def article(n: int, body: str = "Nội dung bài viết", portal: str = "camtu") -> dict:
    url = f"https://camtu.thanhhoa.gov.vn/tin-tuc/bai-{n}-{1000 + n}"
    return {"url": url, "canonical_url": url, "url_hash": url_hash(url), "portal": portal, "title": f"Bài {n}",
            "summary": "", "body": body, "published_at": datetime(2025, 7, 10, 7, tzinfo=UTC) + timedelta(hours=n),
            "content_hash": content_hash(f"Bài {n}", body), "alias_hashes": []}


def test_indexes_are_created_once_and_idempotently(store):
    store.ensure_indexes()
    store.ensure_indexes()
    indexes = store.articles.index_information()
    assert indexes["url_hash_unique"]["unique"] is True
    assert [k for k, _ in indexes["portal_published"]["key"]] == ["portal", "published_at"]
    assert [k for k, _ in indexes["province_published"]["key"]] == ["province", "published_at"]
    assert indexes["article_text"]["default_language"] == "none"


def test_new_unchanged_and_changed_articles(store):
    counts = store.upsert_articles([article(1), article(2)])
    assert (counts.new, counts.updated, counts.unchanged) == (2, 0, 0)
    first = store.articles.find_one({"_id": article(1)["url_hash"]})
    assert first["url_hash"] == first["_id"] and first["first_seen"].tzinfo is not None

    counts = store.upsert_articles([article(1), article(2)])
    assert (counts.new, counts.updated, counts.unchanged) == (0, 0, 2)
    assert store.articles.find_one({"_id": first["_id"]}) == first  # nothing written at all

    counts = store.upsert_articles([article(1, body="Nội dung đã sửa")])
    assert (counts.new, counts.updated, counts.unchanged) == (0, 1, 0)
    changed = store.articles.find_one({"_id": first["_id"]})
    assert changed["body"] == "Nội dung đã sửa"
    assert changed["first_seen"] == first["first_seen"] and changed["updated_at"] >= first["first_seen"]
    assert store.count_articles() == 2


def test_large_batches_are_chunked(store):
    docs = [article(n) for n in range(950)]
    assert store.upsert_articles(docs).new == 950
    assert store.upsert_articles(docs).unchanged == 950
    assert len(store.known_url_hashes("camtu")) == 950


def test_known_hashes_include_fetched_url_aliases(store):
    doc = article(1) | {"alias_hashes": [url_hash("https://camtu.thanhhoa.gov.vn/?p=1001")]}
    store.upsert_articles([doc, article(2, portal="muonglat")])
    assert store.known_url_hashes("camtu") == {doc["url_hash"], url_hash("https://camtu.thanhhoa.gov.vn/?p=1001")}


def test_runs_are_recorded_newest_first(store):
    first = store.start_run(["camtu"])
    second = store.start_run(["camtu", "muonglat"], trigger="schedule")
    store.finish_run(first, "finished", {"camtu": {"requests": 3}}, {"requests": 3})
    runs = store.list_runs()
    assert [r["run_id"] for r in runs] == [second, first]
    assert runs[1]["status"] == "finished" and runs[1]["finished_at"] >= runs[1]["started_at"]
    assert runs[0]["status"] == "running" and runs[0]["trigger"] == "schedule"


def test_text_search_on_vietnamese(store):
    store.upsert_articles([article(1, body="Hội nghị trực tuyến toàn tỉnh"), article(2, body="Khắc phục hậu quả bão số 5")])
    found = list(store.articles.find({"$text": {"$search": "bão"}}))
    assert [d["title"] for d in found] == ["Bài 2"]


def test_unreachable_server_is_one_clear_error():
    import pytest

    from crawler.store import StoreUnavailable

    with pytest.raises(StoreUnavailable, match="cannot reach MongoDB at mongodb://127.0.0.1:9"):
        Store("mongodb://127.0.0.1:9/?directConnection=true", timeout_ms=500).ping()
