"""The store's hot reads: answered from an index on the embedded store, with the same results as before.

`explain()` on the embedded store reports SQLite's own query plan; a read that walks an index
shows `SEARCH documents USING INDEX ... (<the index's columns>)`, a collection scan shows
`SCAN documents` or a search on the namespace columns alone.
"""

import os
import re
from datetime import UTC, datetime, timedelta

import pytest

from crawler import query
from crawler.query import ArticleQuery
from crawler.urls import url_hash
from pipelines.dedupe import content_hash

EMBEDDED = not os.environ.get("MONGO_URI")
NEWEST = [("published_at", -1), ("_id", 1)]
T0 = datetime(2025, 7, 1, tzinfo=UTC)
NAMESPACE_ONLY = re.compile(r"\(db_name=\? AND coll_name=\?\)$")


def article(n: int, portal: str, province: str, code: str, published: datetime | None) -> dict:
    url = f"https://{portal}.gov.vn/tin-tuc/bai-{n}"
    title, body = f"Bài {n}", f"Nội dung bài viết số {n} của {portal}"
    return {"url": url, "canonical_url": url, "url_hash": url_hash(url), "portal": portal, "province": province,
            "admin_code": code, "level": "commune", "title": title, "summary": "", "body": body,
            "published_at": published, "content_hash": content_hash(title, body), "alias_hashes": []}


@pytest.fixture
def articles(store):
    """72 articles over 3 portals and 2 provinces; ties on publication time; 6 undated."""
    portals = [("camtu", "Thanh Hóa", "15148"), ("muonglat", "Thanh Hóa", "14845"), ("sapa", "Lào Cai", "02674")]
    docs = []
    for n in range(72):
        portal, province, code = portals[n % 3]
        published = None if n % 12 == 5 else T0 + timedelta(hours=(n // 2) * 5)  # pairs share a time
        docs.append(article(n, portal, province, code, published))
    store.upsert_articles(docs)
    return docs


def expected_order(docs: list[dict], direction: int) -> list[str]:
    """(published_at, _id) order, undated last when newest first and first when oldest first."""
    dated = sorted((d for d in docs if d["published_at"]), key=lambda d: d["url_hash"])
    dated.sort(key=lambda d: d["published_at"], reverse=direction == -1)
    undated = sorted((d for d in docs if not d["published_at"]), key=lambda d: d["url_hash"])
    return [d["url_hash"] for d in (dated + undated if direction == -1 else undated + dated)]


QUERIES = {
    "newest": (ArticleQuery(), lambda d: True),
    "oldest": (ArticleQuery(sort="oldest"), lambda d: True),
    "portal": (ArticleQuery(portals=["muonglat"]), lambda d: d["portal"] == "muonglat"),
    "portals": (ArticleQuery(portals=["muonglat", "sapa"]), lambda d: d["portal"] in ("muonglat", "sapa")),
    "province": (ArticleQuery(province="Thanh Hóa"), lambda d: d["province"] == "Thanh Hóa"),
    "commune code": (ArticleQuery(admin_code="02674"), lambda d: d["admin_code"] == "02674"),
    "date window": (ArticleQuery(since=T0 + timedelta(hours=20), until=T0 + timedelta(hours=90)),
                    lambda d: d["published_at"] and T0 + timedelta(hours=20) <= d["published_at"] < T0 + timedelta(hours=90)),
    "province and window": (ArticleQuery(province="Lào Cai", since=T0 + timedelta(hours=30), sort="oldest"),
                            lambda d: d["province"] == "Lào Cai" and d["published_at"] and d["published_at"] >= T0 + timedelta(hours=30)),
}


@pytest.mark.parametrize("name", QUERIES)
def test_listings_page_through_every_match_in_order(store, articles, name):
    wanted, keep = QUERIES[name]
    pages, cursor, seen = 0, None, []
    while True:
        page = query.search(store, ArticleQuery(**{**wanted.__dict__, "limit": 5, "cursor": cursor}))
        seen += [a["url_hash"] for a in page.articles]
        pages += 1
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    direction = -1 if wanted.sort == "newest" else 1
    assert seen == expected_order([d for d in articles if keep(d)], direction)
    assert pages >= 2


def plan_lines(cursor) -> list[str]:
    return cursor.explain()["details"]["engine_details"]


def assert_index_backed(lines: list[str], name: str) -> None:
    searches = [line for line in lines if line.startswith("SEARCH documents")]
    assert searches, (name, lines)
    assert not any(line.startswith("SCAN documents") for line in lines), (name, lines)
    assert not any(NAMESPACE_ONLY.search(line) for line in searches), (name, lines)  # the whole collection


def hot_reads(store, docs) -> dict:
    """The finds the product sends when it lists, pages, looks up and counts articles."""
    middle = sorted((d for d in docs if d["published_at"]), key=lambda d: d["published_at"])[30]
    cursor_after = query._after(middle["published_at"].isoformat(), middle["url_hash"], -1)
    by_portal = ArticleQuery(portals=["camtu"]).mongo_filter()
    return {
        "newest": store.articles.find({}).sort(NEWEST).limit(21),
        "by portal": store.articles.find(by_portal).sort(NEWEST).limit(21),
        "by province": store.articles.find(ArticleQuery(province="Thanh Hóa").mongo_filter()).sort(NEWEST).limit(21),
        "by commune code": store.articles.find(ArticleQuery(admin_code="14845").mongo_filter()).sort(NEWEST).limit(21),
        "date window": store.articles.find(ArticleQuery(since=T0, until=T0 + timedelta(days=3)).mongo_filter()).sort(NEWEST).limit(21),
        "next page": store.articles.find(cursor_after).sort(NEWEST).limit(21),
        "next page of a portal": store.articles.find({"$and": [by_portal, cursor_after]}).sort(NEWEST).limit(21),
        "oldest first": store.articles.find({}).sort([("published_at", 1), ("_id", 1)]).limit(21),
        "by keys": store.articles.find({"_id": {"$in": [d["url_hash"] for d in docs[:10]]}}),
        "a portal's articles": store.articles.find({"portal": "sapa"}, {"url_hash": 1, "alias_hashes": 1}),
    }


@pytest.mark.skipif(not EMBEDDED, reason="explain() output of the embedded store")
def test_hot_reads_are_answered_from_an_index(store, articles):
    for name, cursor in hot_reads(store, articles).items():
        assert_index_backed(plan_lines(cursor), name)


def test_hot_reads_return_what_a_filter_over_all_articles_returns(store, articles):
    """Each hot read against a plain evaluation of its filter (the planner must not change results)."""
    reads = hot_reads(store, articles)
    by_id = {d["url_hash"]: d for d in articles}
    assert {d["_id"] for d in reads["by keys"]} == {d["url_hash"] for d in articles[:10]}
    assert {d["_id"] for d in reads["a portal's articles"]} == {d["url_hash"] for d in articles if d["portal"] == "sapa"}
    assert [d["_id"] for d in reads["by portal"]] == expected_order([d for d in articles if d["portal"] == "camtu"], -1)[:21]
    assert [d["_id"] for d in reads["oldest first"]] == expected_order(articles, 1)[:21]
    middle = sorted((d for d in articles if d["published_at"]), key=lambda d: d["published_at"])[30]
    order = expected_order(articles, -1)
    assert [d["_id"] for d in reads["next page"]] == order[order.index(middle["url_hash"]) + 1:][:21]
    assert store.articles.count_documents({"portal": "sapa"}) == sum(d["portal"] == "sapa" for d in articles)
    assert store.articles.count_documents({"province": "Thanh Hóa", "published_at": {"$gte": T0 + timedelta(hours=50)}}) == \
        sum(d["province"] == "Thanh Hóa" and bool(d["published_at"]) and d["published_at"] >= T0 + timedelta(hours=50)
            for d in by_id.values())


def test_an_array_where_the_index_expects_one_value_keeps_mongodb_semantics(store, articles):
    """{portal: x} also matches an array holding x: the index walk cannot tell, so the engine's own plan answers."""
    odd = article(999, "camtu", "Thanh Hóa", "15148", T0 + timedelta(days=30))
    store.articles.insert_one({**odd, "_id": odd["url_hash"], "portal": ["camtu", "sapa"]})
    found = [d["_id"] for d in store.articles.find({"portal": "sapa"}).sort(NEWEST).limit(3)]
    assert found[0] == odd["url_hash"]
    undated = article(998, "sapa", "Lào Cai", "02674", None)
    store.articles.insert_one({**undated, "_id": undated["url_hash"], "published_at": "not a date"})
    oldest = [d["_id"] for d in store.articles.find({"province": "Lào Cai"}).sort([("published_at", 1), ("_id", 1)])]
    assert oldest.index(undated["url_hash"]) < oldest.index(articles[2]["url_hash"])  # a string sorts before dates


def test_a_batch_insert_reports_each_duplicate_as_mongodb_does(store):
    """The embedded server writes an insert command as one batch; errors keep their index and code."""
    from pymongo.errors import BulkWriteError

    collection = store.db["batch_insert"]
    collection.insert_one({"_id": "b"})
    with pytest.raises(BulkWriteError) as unordered:
        collection.insert_many([{"_id": "a"}, {"_id": "b"}, {"_id": "c"}], ordered=False)
    assert [(e["index"], e["code"]) for e in unordered.value.details["writeErrors"]] == [(1, 11000)]
    assert unordered.value.details["nInserted"] == 2
    with pytest.raises(BulkWriteError) as ordered:
        collection.insert_many([{"_id": "d"}, {"_id": "a"}, {"_id": "e"}], ordered=True)
    assert [(e["index"], e["code"]) for e in ordered.value.details["writeErrors"]] == [(1, 11000)]
    assert sorted(doc["_id"] for doc in collection.find()) == ["a", "b", "c", "d"]  # stopped at the duplicate
