"""The store on a real wire-protocol server: keys, indexes, upsert semantics, runs."""

from datetime import UTC, datetime, timedelta

import pytest
from pymongo.errors import DuplicateKeyError

from crawler.store import Store
from pipelines.dedupe import content_hash
from crawler.urls import url_hash


def article(n: int, body: str = "Nội dung bài viết", portal: str = "camtu") -> dict:
    url = f"https://camtu.thanhhoa.gov.vn/tin-tuc/bai-{n}-{1000 + n}"
    return {"url": url, "canonical_url": url, "url_hash": url_hash(url), "portal": portal, "title": f"Bài {n}",
            "summary": "", "body": body, "published_at": datetime(2025, 7, 10, 7, tzinfo=UTC) + timedelta(hours=n),
            "content_hash": content_hash(f"Bài {n}", body), "alias_hashes": []}


def test_indexes_are_created_once_and_idempotently(store):
    store.articles.create_index("url_hash", name="url_hash_unique", unique=True)  # as stores made before it went
    store.ensure_indexes()
    store.ensure_indexes()
    indexes = store.articles.index_information()
    assert "url_hash_unique" not in indexes  # `_id` is the URL hash: unique already
    assert [k for k, _ in indexes["portal_published"]["key"]] == ["portal", "published_at"]
    assert [k for k, _ in indexes["province_published"]["key"]] == ["province", "published_at"]
    assert indexes["article_text"]["default_language"] == "none"
    # What each portal's crawl reads at its start is found by portal, not by a scan.
    assert "portal" in store.validators.index_information()
    assert "portal" in store.db["failures"].index_information()
    assert [k for k, _ in store.db["health"].index_information()["portal_at"]["key"]] == ["portal", "at"]


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


def test_an_article_twice_in_a_batch_or_already_stored_is_one_article(store):
    counts = store.upsert_articles([article(1), article(1, body="Bản sau")])
    assert (counts.new, counts.updated) == (1, 0)
    assert store.articles.find_one({"_id": article(1)["url_hash"]})["body"] == "Bản sau"
    counts = store.upsert_articles([article(1, body="Bản sau"), article(2), article(3, body="x")])
    assert (counts.new, counts.updated, counts.unchanged) == (2, 0, 1)
    assert store.count_articles() == 3
    ops = [(entry["seq"], entry["op"]) for entry in store.db["changes"].find().sort("_id")]
    assert ops == [(1, "insert"), (2, "insert"), (3, "insert")]


def test_change_entries_from_before_string_keys_are_renumbered(store):
    store.upsert_articles([article(1)])
    store.db["changes"].insert_one({"_id": 2, "op": "update", "at": datetime.now(UTC), "article_id": article(1)["url_hash"]})
    store.ensure_indexes()
    assert [(entry["seq"], entry["op"]) for entry in store.db["changes"].find().sort("_id")] == [(1, "insert"), (2, "update")]
    assert [entry["op"] for entry, _ in store.changes_after(0, 10)] == ["insert", "update"]


def test_the_embedded_engine_still_refuses_duplicate_ids(store):
    """StoreEngine skips mongoeco's collection scan for string ids, not the uniqueness check."""
    collection = store.db["ids"]
    collection.insert_many([{"_id": "a"}, {"_id": 1}])
    for duplicate in ({"_id": "a"}, {"_id": 1.0}, {"_id": 1}):
        with pytest.raises(DuplicateKeyError):
            collection.insert_one(duplicate)
    assert collection.count_documents({}) == 2


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


def test_an_unchanged_article_met_at_another_url_learns_that_url(store):
    first = article(7)
    store.upsert_articles([first])
    again = {**first, "alias_hashes": ["another-url-hash"]}
    counts = store.upsert_articles([again])
    assert (counts.new, counts.updated, counts.unchanged) == (0, 0, 1)
    assert "another-url-hash" in store.known_url_hashes("camtu")
    assert [entry["op"] for entry in store.db["changes"].find()] == ["insert"]  # no change for consumers


def test_a_night_of_thousands_of_portals_is_started_and_unfinished_crawls_are_found(store):
    ids = [f"commune{i:04d}" for i in range(1050)]  # more than one $in list of ids can hold on the embedded store
    store.portals.insert_many([{"_id": portal_id} for portal_id in ids])  # as sync_portals leaves them
    assert store.start_portal_crawls(ids) == set()  # never crawled: nothing unfinished
    store.portals.update_many({"_id": {"$lt": "commune1000"}}, {"$set": {"last_success_at": datetime.now(UTC)}})
    assert store.start_portal_crawls(ids) == set(ids[1000:])  # started last time, never finished
