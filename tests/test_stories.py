"""Stories: the same news republished across portals shares one story_id; different news never does.

Fingerprints and the "same story?" rules on the seed texts and edited copies of them; the store
assigning stories batch by batch (and to articles stored before stories existed); then a crawl of
the replica fleet with syndicated copies and near misses, scored pair by pair against the fleet's
truth, and what consumers read of it: GET /stories, unique=true, `portals query --stories`.
"""

from __future__ import annotations

import json
import os
import unicodedata
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from itertools import combinations
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pymongo import monitoring

from crawler import stories
from crawler.api import create_app
from crawler.config import Config
from crawler.replica import Fleet
from crawler.store import Store
from crawler.urls import url_hash
from tests.crawling import FAST, portals_command, write_registry

SEEDS = Path(__file__).resolve().parent / "seeds"
WHEN = datetime(2025, 7, 10, 15, 0, tzinfo=UTC)


def seed_body(name: str, first: int, last: int) -> str:
    """The article text of a seed page: lines first..last (1-based), image placeholders left out."""
    path = next(SEEDS.glob(f"{name}_*.txt"))
    lines = path.read_text(encoding="utf-8").splitlines()[first - 1:last]
    return "\n\n".join(line for line in lines if line.strip() and not line.startswith("Anh-tin-bai"))


REPORT_000 = seed_body("000", 3, 24)  # Mường Lát: the province-wide conference of 10 July
REPORT_001 = seed_body("001", 3, 16)  # Cẩm Tú: the province-wide conference of 10 September


def paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


def fits(copy: str, original: str = REPORT_000, hours: float = 6) -> bool:
    """Whether `copy`, published `hours` after `original`, joins its story."""
    return stories.joins(stories.fingerprint(copy, WHEN + timedelta(hours=hours)),
                         [stories.fingerprint(original, WHEN)]) is not None


# --- fingerprints and the rules -----------------------------------------------------------------

def test_two_reports_of_different_provincial_conferences_are_different_stories():
    assert not fits(REPORT_001, REPORT_000, hours=0)
    comparison = stories.compare(stories.fingerprint(REPORT_000, WHEN), stories.fingerprint(REPORT_001, WHEN))
    assert comparison.jaccard < 0.1 and comparison.lead < 0.5


def test_copies_with_other_boilerplate_edits_truncation_or_paragraphs_added_or_cut_are_the_same_story():
    parts = paragraphs(REPORT_000)
    variants = {
        "boilerplate": "(Baothanhhoa.vn) - " + REPORT_000 + "\n\nNguồn: Cổng thông tin điện tử xã Mường Lát",
        "light edits": REPORT_000.replace("đồng chí", "ông").replace("tổ chức", "tiến hành").replace("Hội nghị", "Buổi hội nghị"),
        "truncated to half": "\n\n".join(parts[:len(parts) // 2]),
        "paragraph added": "\n\n".join([*parts[:3], ("Tại điểm cầu xã Cẩm Tú, lãnh đạo xã đã quán triệt nội dung hội nghị "
                                        "tới toàn thể cán bộ, đảng viên và đề ra nhiệm vụ cụ thể cho thời gian tới."), *parts[3:]]),
        "paragraphs cut": "\n\n".join(parts[:2] + parts[4:]),
        "decomposed (NFD)": unicodedata.normalize("NFD", REPORT_000),
    }
    assert {name: fits(text) for name, text in variants.items()} == dict.fromkeys(variants, True)


def test_near_misses_are_other_stories_same_template_other_day_other_numbers_or_a_week_later():
    assert fits(REPORT_000)  # the control: the same text hours later is a copy
    assert not fits(REPORT_000.replace("Chiều ngày 10/7", "Chiều ngày 17/7"))  # the conference held again
    assert not fits(REPORT_000.replace("12.161 căn nhà", "12.950 căn nhà").replace("82,3%", "86,1%"))  # new figures
    assert not fits(REPORT_000, hours=7 * 24)  # the same words a week later: another report
    other_day = stories.compare(stories.fingerprint(REPORT_000.replace("Chiều ngày 10/7", "Chiều ngày 17/7"), WHEN),
                                stories.fingerprint(REPORT_000, WHEN))
    assert other_day.jaccard > 0.9 and other_day.conflicts == 1  # nearly the same text; one number says otherwise


def test_fingerprints_are_stable_and_the_lsh_finds_copies():
    single = stories.fingerprint(REPORT_000, WHEN)
    in_batch = stories.fingerprints([(REPORT_001, WHEN), (REPORT_000, WHEN)])[1]
    assert (single.signature == in_batch.signature).all() and single.size == in_batch.size  # whatever the batch
    truncated = stories.fingerprint("\n\n".join(paragraphs(REPORT_000)[:4]), WHEN)
    assert set(stories.band_keys(single.signature).tolist()) & set(stories.band_keys(truncated.signature).tolist())
    assert not set(stories.band_keys(single.signature).tolist()) & set(stories.band_keys(stories.fingerprint(REPORT_001, WHEN).signature).tolist())
    assert stories.fingerprint("Thông báo lịch tiếp công dân.", WHEN) is None  # too short to tell: a story of its own
    entry = stories.Entry("a" * 64, "20250710-" + "a" * 16, single, "muonglat", "Hội nghị", WHEN)
    [back] = stories.unpack(stories.pack([entry]))
    assert (back.url_hash, back.story_id, back.portal, back.published_at) == (entry.url_hash, entry.story_id, "muonglat", WHEN)
    assert stories.compare(back.fingerprint, single) == stories.compare(single, single)


# --- the store --------------------------------------------------------------------------------

def article(url: str, body: str, portal: str, published: datetime, title: str = "Hội nghị") -> dict:
    return {"url": url, "canonical_url": url, "url_hash": url_hash(url), "portal": portal, "title": title,
            "summary": "", "body": body, "published_at": published, "crawled_at": published, "content_hash": url_hash(body)}


def test_the_store_files_copies_under_one_story_with_the_earliest_as_canonical(store, config):
    original = article("https://muonglat.thanhhoa.gov.vn/tin-tuc/hoi-nghi-1", REPORT_000, "muonglat", WHEN)
    late_copy = article("https://baothanhhoa.vn/hoi-nghi-2.htm", "(Baothanhhoa.vn) - " + REPORT_000, "baothanhhoa",
                        WHEN + timedelta(hours=20))
    other = article("https://camtu.thanhhoa.gov.vn/tin-tuc/hoi-nghi-3", REPORT_001, "camtu", WHEN)
    store.upsert_articles([late_copy, other])
    store.upsert_articles([original])  # crawled last, published first: it becomes the canonical article
    ids = {doc["portal"]: doc["story_id"] for doc in store.articles.find({}, {"portal": 1, "story_id": 1})}
    assert ids["muonglat"] == ids["baothanhhoa"] != ids["camtu"]
    story = store.stories_by_id([ids["muonglat"]])[ids["muonglat"]]
    assert story["canonical"] == original["url_hash"] and story["size"] == 2
    assert [m["portal"] for m in story["members"]] == ["muonglat", "baothanhhoa"]
    assert (datetime.fromisoformat(story["first_seen"]), datetime.fromisoformat(story["last_seen"])) == (
        WHEN, WHEN + timedelta(hours=20))
    assert store.stories_by_id([ids["camtu"]]) == {}  # a story of one article is that article
    store.upsert_articles([original])  # written again (a refresh, a replayed spool): nothing changes
    assert store.stories_by_id([ids["muonglat"]])[ids["muonglat"]]["size"] == 2
    store.close()

    # Another process (a later crawl) finds the story in what the first one saved.
    again = Store.open(config)
    third = article("https://quanhoa.thanhhoa.gov.vn/portal/Pages/hoi-nghi.aspx",
                    "\n\n".join(paragraphs(REPORT_000)[:5]), "quanhoa", WHEN + timedelta(days=2))
    again.upsert_articles([third])
    assert again.articles.find_one({"_id": third["url_hash"]})["story_id"] == ids["muonglat"]
    assert again.stories_by_id([ids["muonglat"]])[ids["muonglat"]]["size"] == 3
    again.close()


class Commands(monitoring.CommandListener):
    """The commands of every client made after it is registered (pymongo has no unregister: it goes quiet)."""

    def __init__(self):
        self.seen: list[tuple[str, dict]] = []
        self.active = True

    def started(self, event):
        if self.active:
            self.seen.append((event.command_name, dict(event.command)))

    def succeeded(self, event):
        pass

    def failed(self, event):
        pass


def test_assigning_a_batch_costs_a_few_lookups_by_id_not_a_scan(config):
    listener = Commands()
    monitoring.register(listener)  # clients made from now on report their commands
    store = Store.open(config)
    try:
        start = datetime(2025, 8, 1, tzinfo=UTC)
        def body(day: int, n: int) -> str:  # a text of its own per day and number
            return " ".join(f"{word}{day}x{n}" for word in paragraphs(REPORT_000)[n % 5].split())

        for day in range(10):  # ten days of 40 articles, assigned and saved
            store.assign_stories([article(f"https://p{day}.gov.vn/{n}", body(day, n), "p", start + timedelta(days=day, hours=n % 9))
                                  for n in range(40)])
            store.save_stories()
        listener.seen.clear()
        batch = [article(f"https://q.gov.vn/{n}", body(9, n), "q", start + timedelta(days=9, hours=2)) for n in range(40)]
        store.assign_stories(batch)
        store.save_stories()
    finally:
        store.close()
        seen, listener.seen, listener.active = listener.seen, [], False
    reads = [command for name, command in seen if name == "find"]
    writes = [name for name, _ in seen if name in ("insert", "update", "findAndModify", "delete")]
    assert all(set(command["filter"]) == {"_id"} and isinstance(command["filter"]["_id"], str) for command in reads), reads
    assert len(reads) <= 16 and len(writes) <= 4, (len(reads), writes)  # the window's new days, one chunk, its listings
    # Each article of the batch is a copy of one of the last day's: it joined that article's story.
    assert [doc["story_id"] for doc in batch] == [f"20250810-{url_hash(f'https://p9.gov.vn/{n}')[:16]}" for n in range(40)]


def test_articles_stored_before_stories_existed_get_theirs_once(store, config):
    docs = [article("https://muonglat.thanhhoa.gov.vn/a", REPORT_000, "muonglat", WHEN),
            article("https://camtu.thanhhoa.gov.vn/b", REPORT_000 + "\n\nNguồn: Báo Thanh Hóa", "camtu", WHEN + timedelta(hours=3)),
            article("https://camtu.thanhhoa.gov.vn/c", REPORT_001, "camtu", WHEN)]
    store.articles.insert_many([{"_id": doc["url_hash"], **doc} for doc in docs])  # as an older version stored them
    store.db["counters"].delete_one({"_id": "stories_assigned"})
    store.ensure_indexes()
    ids = {doc["url"][-1]: doc.get("story_id") for doc in store.articles.find({}, {"url": 1, "story_id": 1})}
    assert ids["a"] and ids["a"] == ids["b"] != ids["c"]


# --- the replica fleet: crawled, scored, read ---------------------------------------------------

CRAWLED = ["muonglat", "camtu", "quanhoa", "nongcong", "baolaocai"]  # Báo Thanh Hóa would need Chromium


@pytest.fixture(scope="module")
def crawled(store_uri, tmp_path_factory):
    """The fleet with syndicated copies and near misses, crawled once into a database of its own."""
    directory = tmp_path_factory.mktemp("stories")
    env = {"MONGO_URI": store_uri, "PORTALS_DB": f"test_{uuid.uuid4().hex[:10]}", "PORTALS_DATA_DIR": str(directory / "data")}
    with Fleet(seed=7, articles_per_portal=11, portals=CRAWLED, syndicated=15) as fleet:
        registry = write_registry(directory / "replica.yaml", fleet.registry_entries())
        result = portals_command("--registry", str(registry), "crawl", "--all", "--json", *FAST, env=env)
        assert result.returncode == 0, result.stderr[-3000:]
        truth = {url_hash(a.url): a.story_key or a.url for pid in CRAWLED for a in fleet.articles(pid)}
    config = Config(registry=registry, mongo_uri=store_uri, db_name=env["PORTALS_DB"], data_dir=directory / "data")
    store = Store.open(config)
    yield store, truth, env
    store.client.drop_database(env["PORTALS_DB"])
    store.close()


def test_crawled_replica_copies_share_stories_and_near_misses_do_not(crawled):
    store, truth, _ = crawled
    found = {doc["_id"]: doc["story_id"] for doc in store.articles.find({}, {"story_id": 1})}
    assert set(found) == set(truth)  # every article crawled, every one with a story
    pairs = list(combinations(sorted(truth), 2))
    same_truth = {pair for pair in pairs if truth[pair[0]] == truth[pair[1]]}
    same_found = {pair for pair in pairs if found[pair[0]] == found[pair[1]]}
    keys = Counter(key.split("-")[0] for key in truth.values())
    assert len(same_truth) >= 30 and keys["weekly"] >= 8 and keys["meeting"] >= 3  # copies and near misses to tell apart
    precision = len(same_truth & same_found) / len(same_found)
    recall = len(same_truth & same_found) / len(same_truth)
    assert precision >= 0.95 and recall >= 0.95, (precision, recall)


def test_stories_api_lists_each_story_once_with_its_copies(crawled):
    store, truth, _ = crawled
    client = TestClient(create_app(store=store, admin_token=""))
    listed, cursor = [], None
    while True:
        page = client.get("/stories", params={"min_members": 2, "limit": 7, **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200, page.text
        listed += page.json()["stories"]
        cursor = page.json()["next"]
        if not cursor:
            break
    multi = Counter(doc["story_id"] for doc in store.articles.find({}, {"story_id": 1}))
    assert sorted(story["story_id"] for story in listed) == sorted(sid for sid, n in multi.items() if n > 1)
    for story in listed:
        assert set(story) == {"story_id", "canonical", "members", "first_seen", "last_seen"}
        members = story["members"]
        assert len(members) == multi[story["story_id"]] and {m["url_hash"] for m in members} <= set(truth)
        assert story["canonical"]["url_hash"] == members[0]["url_hash"]
        assert story["first_seen"] == min(m["published_at"] for m in members) == story["canonical"]["published_at"]
        assert story["last_seen"] == max(m["published_at"] for m in members) and story["first_seen"].endswith("+07:00")
        assert {"portal", "title", "published_at", "url_hash"} <= set(members[0])
    everything = client.get("/stories", params={"limit": 100}).json()
    assert len({story["story_id"] for story in everything["stories"]}) == len(everything["stories"]) == min(100, len(multi))
    assert client.get("/stories", params={"cursor": "nonsense"}).status_code == 400
    assert client.get("/stories", params={"min_members": 0}).status_code == 422


def test_unique_articles_give_one_article_per_story(crawled):
    store, _, _ = crawled
    client = TestClient(create_app(store=store, admin_token=""))
    stories_count = len({doc["story_id"] for doc in store.articles.find({}, {"story_id": 1})})
    seen, cursor = [], None
    while True:
        page = client.get("/articles", params={"unique": "true", "limit": 9, **({"cursor": cursor} if cursor else {})}).json()
        seen += page["articles"]
        cursor = page["next"]
        if not cursor:
            break
    assert len(seen) == len({a["story_id"] for a in seen}) == stories_count
    published = [a["published_at"] for a in seen]
    assert published == sorted(published, reverse=True)
    # Within one portal: one per story among that portal's articles.
    mine = client.get("/articles", params={"portal": "baolaocai", "unique": "true", "limit": 100}).json()["articles"]
    assert len(mine) == len({a["story_id"] for a in mine}) == len(
        {doc["story_id"] for doc in store.articles.find({"portal": "baolaocai"}, {"story_id": 1})})
    lines = client.get("/export.jsonl", params={"unique": "true"}).text.splitlines()
    assert len(lines) == stories_count


def test_portals_query_stories_and_unique(crawled):
    store, _, env = crawled
    result = portals_command("query", "--stories", "--min-members", "2", "--format", "jsonl", "--limit", "1000",
                             env={**os.environ, **env})
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    multi = Counter(doc["story_id"] for doc in store.articles.find({}, {"story_id": 1}))
    assert sorted(row["story_id"] for row in rows) == sorted(sid for sid, n in multi.items() if n > 1)
    unique = portals_command("query", "--unique", "--format", "jsonl", "--limit", "1000", env={**os.environ, **env})
    assert unique.returncode == 0, unique.stderr
    assert len({json.loads(line)["story_id"] for line in unique.stdout.splitlines()}) == len(unique.stdout.splitlines()) == len(multi)
    bad = portals_command("query", "--stories", "--format", "csv", env={**os.environ, **env})
    assert bad.returncode == 2 and bad.stderr.startswith("portals: error:") and len(bad.stderr.splitlines()) == 1
