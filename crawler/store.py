"""The MongoDB store: the only module that talks to MongoDB (articles, portals, crawl runs).

Works the same against a real MongoDB (MONGO_URI) and the embedded
mongoeco server, so it keeps to what both support: `ping` rather than
server_info(), `$in` lists in chunks, no projection or count with `$text`.
"""

from __future__ import annotations

import atexit
import json
import secrets
import sys
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

import pymongo
from pymongo import ASCENDING, DESCENDING, TEXT, ReplaceOne, UpdateOne
from pymongo.errors import (
    BulkWriteError,
    DuplicateKeyError,
    InvalidOperation,
    PyMongoError,
)

from crawler.config import Config
from crawler.embedded import EmbeddedStore, EmbeddedStoreError

if TYPE_CHECKING:
    from crawler.stories import Assignment, Entry, StoryIndex

IN_CHUNK = 400  # mongoeco slows down sharply on larger $in lists
# `_id` is the URL hash, so it is unique already; a second unique index on url_hash made every
# insert into the embedded store check it against the whole collection.
OBSOLETE_ARTICLE_INDEXES = ["url_hash_unique"]
ARTICLE_INDEXES = [
    dict(keys=[("portal", ASCENDING), ("published_at", DESCENDING)], name="portal_published"),
    dict(keys=[("province", ASCENDING), ("published_at", DESCENDING)], name="province_published"),
    dict(keys=[("admin_code", ASCENDING), ("published_at", DESCENDING)], name="admin_code_published"),
    dict(keys=[("published_at", DESCENDING)], name="published"),
    dict(keys=[("content_hash", ASCENDING)], name="content_hash"),
    dict(keys=[("alias_hashes", ASCENDING)], name="alias_hashes"),
    # default_language "none": no English stemming or stop words applied to Vietnamese. The folded
    # copies (no diacritics) let "muong lat" find "Mường Lát" on MongoDB and mongoeco alike.
    dict(keys=[("title", TEXT), ("summary", TEXT), ("body", TEXT), ("search_title", TEXT), ("search_text", TEXT)],
         name="article_text", default_language="none", weights={"title": 10, "search_title": 10, "summary": 3}),
]
DUPLICATE_KEY = 11000
CHANGE_GAP_SECONDS = 60  # a change sequence number still missing after this long was never written


class StoreUnavailable(Exception):
    """MongoDB (or the embedded store) cannot be reached or started."""


@dataclass
class UpsertCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0


def search_fields(doc: dict) -> dict:
    """Folded copies of the text for diacritic-insensitive search."""
    from crawler.vietnam import fold

    return {"search_title": fold(doc.get("title") or ""),
            "search_text": fold(f"{doc.get('summary') or ''} {doc.get('body') or ''}")}


def article_fields(doc: dict) -> dict:
    """What is stored of a scraped article: its fields (not the store's own) plus the search copies."""
    fields = {k: v for k, v in doc.items() if k not in ("first_seen", "updated_at", "alias_hashes", "_id")}
    return {**fields, **search_fields(doc)}


def change_key(seq: int) -> str:
    """The change feed's `_id` for sequence number `seq`: digits that sort as the number does."""
    return f"{seq:020d}"


def new_run_id() -> str:
    """Sortable and unique: 20261121T010000Z-3fa9c1."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + secrets.token_hex(3)


def _chunks(values: list, size: int = IN_CHUNK) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _redact(uri: str) -> str:
    """The URI without credentials, for messages."""
    if "@" in uri:
        scheme, rest = uri.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return uri


def resolve_uri(config: Config) -> str:
    """MONGO_URI when set, else the embedded store's URI (started on demand)."""
    if config.mongo_uri:
        return config.mongo_uri
    try:
        return EmbeddedStore(config.data_dir).start().uri
    except EmbeddedStoreError as error:
        raise StoreUnavailable(str(error)) from None


class Store:
    """Articles keyed by URL hash, portal metadata and crawl-run history."""

    def __init__(self, uri: str, db_name: str = "portals", timeout_ms: int = 5000):
        self.uri = uri
        self.client = pymongo.MongoClient(uri, tz_aware=True, serverSelectionTimeoutMS=timeout_ms, connectTimeoutMS=timeout_ms)
        self.db = self.client[db_name]
        self.articles = self.db["articles"]
        self.portals = self.db["portals"]
        self.runs = self.db["runs"]
        self.leases = self.db["leases"]  # which scheduler crawls which portal now (see acquire_lease)
        self.validators = self.db["validators"]  # ETag / Last-Modified of list pages (conditional requests)
        self.stories = self.db["stories"]  # stories of two or more articles (see the stories section)
        self._story_index: StoryIndex | None = None  # fingerprints of the days met so far (loaded on demand)
        self._story_lock = threading.RLock()  # one assignment at a time per process: spiders share the Store
        self._unsaved_stories: dict[str, dict[str, str]] = {}  # day -> {"stories.<id>": JSON} not written yet
        self._unsaved_entries: list[Entry] = []  # fingerprints not written yet
        self._story_documents: dict[str, set[str]] = {}  # collection -> days whose document exists
        self._stories_saved_at = time.monotonic()

    @classmethod
    def open(cls, config: Config) -> Store:
        """Connect (starting the embedded store if needed), check the server answers, create indexes."""
        store = cls(resolve_uri(config), config.db_name)
        store.ping()
        store.ensure_indexes()
        return store

    def close(self) -> None:
        self.save_stories()
        atexit.unregister(self._save_at_exit)
        self.client.close()

    def ping(self) -> None:
        try:
            self.client.admin.command("ping")
        except PyMongoError as error:
            raise StoreUnavailable(f"cannot reach MongoDB at {_redact(self.uri)}: {str(error).split(',')[0]}") from None

    def ensure_indexes(self) -> None:
        """Idempotent: creating an index that exists with the same spec is a no-op; a changed spec replaces it."""
        existing = self.articles.index_information()
        for name in OBSOLETE_ARTICLE_INDEXES:
            if name in existing:
                self.articles.drop_index(name)
        for spec in ARTICLE_INDEXES:
            spec = dict(spec)
            keys = spec.pop("keys")
            changed = spec["name"] in existing and [tuple(k) for k in existing[spec["name"]]["key"]] != [tuple(k) for k in keys]
            if changed:
                self.articles.drop_index(spec["name"])
            self.articles.create_index(keys, **spec)
            if spec["name"] == "article_text" and (changed or spec["name"] not in existing):
                self._fold_missing()  # once, when the search index arrives: a scan of the collection
        self.runs.create_index([("started_at", DESCENDING)], name="started")
        # Read per portal at the start of every portal's crawl: without these, a night of N portals
        # scans these collections N times (health gains a row per portal and run, for ever).
        self.validators.create_index([("portal", ASCENDING)], name="portal")
        self.db["failures"].create_index([("portal", ASCENDING)], name="portal")
        self.db["health"].create_index([("portal", ASCENDING), ("at", DESCENDING)], name="portal_at")
        self.db["discovery"].create_index([("province", ASCENDING)], name="province")
        self._renumber_old_changes()
        self._assign_missing_stories()

    def _renumber_old_changes(self) -> None:
        """Change-feed entries written with a numeric `_id` (before change_key) get the string one."""
        for entry in self.db["changes"].find({"seq": {"$exists": False}}):
            self.db["changes"].insert_one({**entry, "_id": change_key(entry["_id"]), "seq": entry["_id"]})
            self.db["changes"].delete_one({"_id": entry["_id"]})

    def _fold_missing(self) -> None:
        """Articles stored before search folding existed get their folded copies once."""
        operations = [UpdateOne({"_id": doc["_id"]}, {"$set": search_fields(doc)})
                      for doc in self.articles.find({"search_title": {"$exists": False}}, {"title": 1, "summary": 1, "body": 1})]
        for chunk in _chunks(operations):
            self.articles.bulk_write(chunk, ordered=False)

    # --- articles ------------------------------------------------------------------------------
    def upsert_articles(self, docs: list[dict]) -> UpsertCounts:
        """Insert new articles, update changed ones in place (keeping first_seen), skip unchanged ones.

        Every article is first offered as an insert: stored articles are not downloaded again, so
        nearly all are new. The few that hit the unique `_id` are compared with the stored copy
        and updated when their content changed. (A find-first upsert would query the collection
        for each batch, and on the embedded store each query after a write is a full scan.)
        """
        self.assign_stories(docs)  # sets each doc's story_id, stored with it
        counts = UpsertCounts()
        now = datetime.now(UTC)
        latest = {doc["url_hash"]: doc for doc in docs}  # the same article twice in a batch: the later copy
        inserts = [{"_id": key, **article_fields(doc), "first_seen": now, "alias_hashes": doc.get("alias_hashes") or []}
                   for key, doc in latest.items()]
        stored_already: list[str] = []
        if inserts:
            try:
                self.articles.insert_many(inserts, ordered=False)
            except BulkWriteError as error:
                failures = error.details["writeErrors"]
                if any(failure.get("code") != DUPLICATE_KEY for failure in failures):
                    raise
                stored_already = [inserts[failure["index"]]["_id"] for failure in failures]
        lost = set(stored_already)
        written = [("insert", doc["_id"]) for doc in inserts if doc["_id"] not in lost]
        counts.new = len(written)
        updates, new_aliases = [], []
        for chunk in _chunks(stored_already):
            for found in self.articles.find({"_id": {"$in": chunk}}, {"content_hash": 1, "alias_hashes": 1}):
                doc = latest[found["_id"]]
                if found.get("content_hash") == doc["content_hash"]:
                    counts.unchanged += 1
                    aliases = set(doc.get("alias_hashes") or ()) - set(found.get("alias_hashes") or ())
                    if aliases:  # reached at another URL (a redirect): known from now on, not a change
                        new_aliases.append(UpdateOne({"_id": found["_id"]},
                                                     {"$addToSet": {"alias_hashes": {"$each": sorted(aliases)}}}))
                    continue
                update: dict[str, Any] = {"$set": {**article_fields(doc), "updated_at": now}}
                if doc.get("alias_hashes"):
                    update["$addToSet"] = {"alias_hashes": {"$each": doc["alias_hashes"]}}
                updates.append(UpdateOne({"_id": found["_id"]}, update))
        if updates:
            counts.updated = self.articles.bulk_write(updates, ordered=False).modified_count
            written += [("update", op._filter["_id"]) for op in updates]
        if new_aliases:
            self.articles.bulk_write(new_aliases, ordered=False)
        if written:
            self._record_changes(written, now)
        return counts

    # --- stories -------------------------------------------------------------------------------
    # Articles that carry the same news share a `story_id` (crawler.stories decides which). A story
    # is filed under the day its first stored article was published (its id starts with that day):
    # `stories` has one document per day, {_id: "20250710", stories: {story_id: JSON}}, holding the
    # stories of two or more articles as JSON text (canonical: the earliest article; size,
    # first_seen, last_seen; members with portal, title and publication time). A story of one
    # article is that article. The fingerprints are in `story_chunks` (binary fields,
    # crawler.stories.pack), listed in `story_days` under each publication day they cover.
    #
    # Why so packed: on the embedded store a write costs a millisecond or more of server time, more
    # per nested value, and a read by _id that misses reads the whole collection. A document per
    # LSH band key (dozens of writes per article) or per story (a write per copy) takes minutes per
    # 100,000 articles. Here a process keeps the days it met in memory (crawler.stories.StoryIndex):
    # a batch reads, by _id only, the days of its publication window it has not read in the last
    # STORY_RECHECK_SECONDS (other writers' articles reach it within that), and writes nothing
    # itself: fingerprints and the stories that gained articles are written every STORY_SAVE_ENTRIES
    # articles or STORY_SAVE_SECONDS, when the crawl's store pipeline closes, on close and at exit.
    # A process killed before that loses its last seconds of fingerprints (their articles keep
    # their story ids; a later copy of them founds a story of its own).
    def assign_stories(self, docs: list[dict]) -> None:
        """Set `story_id` on each article of a batch (in the dicts), recording what is new."""
        if not docs:
            return
        from crawler import stories

        with self._story_lock:
            if self._story_index is None:
                self._story_index = stories.StoryIndex()
            index = self._story_index
            latest = list({doc["url_hash"]: doc for doc in docs}.values())
            times = [_story_time(doc) for doc in latest]
            prints = stories.fingerprints([(stories.story_text(doc.get("title"), doc.get("summary"), doc.get("body")), when)
                                           for doc, when in zip(latest, times)])
            needed = {day for when in times for day in stories.window_days(when.timestamp())}
            self._load_story_days(index, needed)
            order = sorted(range(len(latest)), key=lambda position: times[position])  # the earliest founds a story
            assignments = stories.assign(index, [
                stories.Candidate(latest[p]["url_hash"], prints[p], times[p].timestamp(), latest[p].get("portal"),
                                  latest[p].get("title"), _aware(latest[p].get("published_at"))) for p in order])
            self._save_stories(index, assignments)
            if len(index) > STORY_ENTRIES_KEPT:  # memory stays bounded: keep the days this batch needed
                self.save_stories()  # what is forgotten must be readable again
                index.forget_days(needed)
            story_of = {a.url_hash: a.story_id for a in assignments}
            for doc in docs:
                doc["story_id"] = story_of[doc["url_hash"]]

    def _load_story_days(self, index: StoryIndex, days: set[str]) -> None:
        """Bring the needed days into memory, and up to date when last read a while ago."""
        now = time.monotonic()
        due = sorted(day for day in days
                     if index.checked.get(day) is None or now - index.checked[day] >= STORY_RECHECK_SECONDS)
        listed: dict[str, list[str]] = {}
        for chunk in _chunks(due):  # one read for all the days: on mongoeco each read by _id that misses is a scan
            listed.update({doc["_id"]: doc.get("chunks", []) for doc in self.db["story_days"].find({"_id": {"$in": chunk}})})
        for day in due:
            index.chunks.setdefault(day, set())
            self._read_story_chunks(index, day, listed.get(day, []))
            index.checked[day] = now

    def _read_story_chunks(self, index: StoryIndex, day: str, listed: list[str]) -> None:
        from crawler.stories import unpack

        for chunk_id in listed:
            if chunk_id in index.chunks[day]:
                continue
            chunk = self.db["story_chunks"].find_one({"_id": chunk_id})
            if chunk is None:
                continue
            for entry in unpack(chunk):
                if entry.day == day and entry.url_hash not in index.by_url:
                    index.add(entry)
            index.chunks[day].add(chunk_id)

    def _save_stories(self, index: StoryIndex, assignments: list[Assignment]) -> None:
        """Keep the batch's new fingerprints and the stories it added to for `save_stories`, which runs once
        STORY_SAVE_ENTRIES fingerprints wait or STORY_SAVE_SECONDS passed: copies come in runs, and one
        write of each story serves them all."""
        from crawler.stories import story_filing_day

        if not self._unsaved_entries and not self._unsaved_stories:
            atexit.register(self._save_at_exit)  # what waits is written when the process ends
        self._unsaved_entries += [a.indexed for a in assignments if a.indexed is not None]
        for story_id in sorted({a.story_id for a in assignments if a.joined}):
            self._unsaved_stories.setdefault(story_filing_day(story_id), {})[f"stories.{story_id}"] = _story_json(index, story_id)
        if (len(self._unsaved_entries) >= STORY_SAVE_ENTRIES
                or time.monotonic() - self._stories_saved_at > STORY_SAVE_SECONDS):
            self.save_stories()

    def _save_at_exit(self) -> None:
        try:
            self.save_stories()
        except (PyMongoError, InvalidOperation) as error:  # the store is gone or this client closed: nothing to do
            print(f"portals: stories not saved at exit: {error}", file=sys.stderr)

    def save_stories(self) -> None:
        """Write what assignments left in memory: one chunk of fingerprints listed under each day it covers,
        and the stories that gained articles (also on close, when the crawl's store pipeline closes, at exit,
        and before this process reads stories)."""
        with self._story_lock:
            entries, self._unsaved_entries = self._unsaved_entries, []
            stories, self._unsaved_stories = self._unsaved_stories, {}
            self._stories_saved_at = time.monotonic()
            try:
                self._write_stories(entries, stories)
            except PyMongoError:  # kept for the next attempt (a store outage); rewriting them is harmless
                self._unsaved_entries = entries + self._unsaved_entries
                for day, fields in stories.items():
                    self._unsaved_stories[day] = {**fields, **self._unsaved_stories.get(day, {})}
                raise

    def _write_stories(self, entries: list[Entry], stories: dict[str, dict[str, str]]) -> None:
        from crawler.stories import pack

        if entries:
            chunk_id = f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{secrets.token_hex(4)}"
            self.db["story_chunks"].insert_one({"_id": chunk_id, **pack(entries)})
            days = sorted({entry.day for entry in entries})
            self._write_by_day(self.db["story_days"], {day: {"$addToSet": {"chunks": chunk_id}} for day in days},
                               lambda day: {"_id": day, "chunks": [chunk_id]})
            for day in days:
                if self._story_index is not None and day in self._story_index.chunks:
                    self._story_index.chunks[day].add(chunk_id)
        if stories:
            self._write_by_day(self.stories, {day: {"$set": fields} for day, fields in stories.items()},
                               lambda day: {"_id": day, "stories": {key.split(".", 1)[1]: text
                                                                    for key, text in stories[day].items()}})

    def _write_by_day(self, collection, updates: dict[str, dict], new_document) -> None:
        """Update the days' documents, one round trip; a day this process has not met yet is inserted
        first (an update of a missing document, an upsert, reads the collection on the embedded store)."""
        known = self._story_documents.setdefault(collection.name, set())
        fresh = sorted(day for day in updates if day not in known)
        taken = set()
        if fresh:
            try:
                collection.insert_many([new_document(day) for day in fresh], ordered=False)
            except BulkWriteError as error:
                failures = error.details["writeErrors"]
                if any(failure.get("code") != DUPLICATE_KEY for failure in failures):
                    raise
                taken = {fresh[failure["index"]] for failure in failures}  # another process made them: update
            known.update(fresh)
        changes = [UpdateOne({"_id": day}, update) for day, update in sorted(updates.items()) if day not in fresh or day in taken]
        if changes:
            collection.bulk_write(changes, ordered=False)

    def _assign_missing_stories(self) -> None:
        """Articles stored before stories existed get theirs, once (a scan of the collection, oldest first)."""
        if self.db["counters"].find_one({"_id": "stories_assigned"}):
            return
        fields = {name: 1 for name in ("url_hash", "title", "summary", "body", "portal", "published_at",
                                       "crawled_at", "first_seen")}
        batch: list[dict] = []
        for doc in self.articles.find({"story_id": {"$exists": False}}, fields).sort([("published_at", ASCENDING)]):
            batch.append(doc)
            if len(batch) == STORY_BACKFILL_BATCH:
                self._backfill_stories(batch)
                batch = []
        self._backfill_stories(batch)
        self.db["counters"].update_one({"_id": "stories_assigned"}, {"$set": {"at": datetime.now(UTC)}}, upsert=True)

    def _backfill_stories(self, docs: list[dict]) -> None:
        if not docs:
            return
        self.assign_stories(docs)
        for chunk in _chunks([UpdateOne({"_id": doc["_id"]}, {"$set": {"story_id": doc["story_id"]}}) for doc in docs]):
            self.articles.bulk_write(chunk, ordered=False)

    def stories_by_id(self, story_ids: Iterable[str]) -> dict[str, dict]:
        """Stories of two or more articles by id (as stored, JSON decoded); a story of one article has none."""
        from crawler.stories import story_filing_day

        self.save_stories()
        wanted: dict[str, set[str]] = {}
        for story_id in story_ids:
            wanted.setdefault(story_filing_day(story_id), set()).add(story_id)
        found: dict[str, dict] = {}
        for day, ids in sorted(wanted.items()):
            filed = (self.stories.find_one({"_id": day}, {"stories": 1}) or {}).get("stories", {})
            found.update({story_id: {"story_id": story_id, **json.loads(filed[story_id])}
                          for story_id in ids if story_id in filed})
        return found

    def story_days(self, before: str | None, limit: int) -> list[tuple[str, list[dict]]]:
        """Days with stories of two or more articles, newest first, before the day `before` (all if None):
        (day, its stories decoded)."""
        self.save_stories()
        query: dict = {"_id": {"$lt": before}} if before else {}
        days = self.stories.find(query, {"stories": 1}).sort([("_id", DESCENDING)]).limit(limit)
        return [(doc["_id"], [{"story_id": story_id, **json.loads(text)} for story_id, text in doc.get("stories", {}).items()])
                for doc in days]

    # --- change feed -----------------------------------------------------------------------------
    def _record_changes(self, written: list[tuple[str, str]], at: datetime) -> None:
        """Append to the change feed: one entry per insert or update, numbered by a shared counter.

        The number is also the `_id`, as fixed-width digits: a string `_id` sorts like the number
        and, unlike a numeric one, is a single key probe to insert on the embedded store."""
        counter = self.db["counters"].find_one_and_update(
            {"_id": "changes"}, {"$inc": {"seq": len(written)}}, upsert=True, return_document=pymongo.ReturnDocument.AFTER)
        first = counter["seq"] - len(written) + 1
        self.db["changes"].insert_many([{"_id": change_key(first + i), "seq": first + i, "op": op, "at": at,
                                         "article_id": article_id}
                                        for i, (op, article_id) in enumerate(written)], ordered=False)

    def changes_after(self, seq: int, limit: int) -> list[tuple[dict, dict | None]]:
        """Changes numbered above `seq`, in order, with their articles as they are now.

        Several writers reserve numbers before writing them, so a number can show up late: the
        feed stops at a missing number (the consumer asks again) unless it has been missing for
        CHANGE_GAP_SECONDS, which means that write never happened.
        """
        entries = list(self.db["changes"].find({"_id": {"$gt": change_key(seq)}}).sort([("_id", ASCENDING)]).limit(limit))
        horizon = datetime.now(UTC) - timedelta(seconds=CHANGE_GAP_SECONDS)
        contiguous, expected = [], seq + 1
        for entry in entries:
            if entry["seq"] != expected and entry["at"] > horizon:
                break
            contiguous.append(entry)
            expected = entry["seq"] + 1
        articles = {}
        for chunk in _chunks([entry["article_id"] for entry in contiguous]):
            articles.update({doc["_id"]: doc for doc in self.articles.find({"_id": {"$in": chunk}})})
        return [(entry, articles.get(entry["article_id"])) for entry in contiguous]

    def known_url_hashes(self, portal_id: str) -> set[str]:
        """Hashes of every stored URL of a portal (canonical and fetched), to skip them before download."""
        known: set[str] = set()
        for doc in self.articles.find({"portal": portal_id}, {"url_hash": 1, "alias_hashes": 1}):
            known.add(doc["url_hash"])
            known.update(doc.get("alias_hashes") or ())
        return known

    def find_articles(self, mongo_filter: dict, sort: list[tuple[str, int]], limit: int) -> list[dict]:
        return list(self.articles.find(mongo_filter).sort(sort).limit(limit))

    def get_article(self, article_id: str) -> dict | None:
        return self.articles.find_one({"_id": article_id})

    def article_counts(self) -> dict[str, int]:
        """Stored articles per portal."""
        return {row["_id"]: row["n"] for row in self.articles.aggregate([{"$group": {"_id": "$portal", "n": {"$sum": 1}}}])}

    def list_portals(self) -> list[dict]:
        return list(self.portals.find({}).sort([("_id", ASCENDING)]))

    def get_portal(self, portal_id: str) -> dict | None:
        return self.portals.find_one({"_id": portal_id})

    def find_ranked(self, mongo_filter: dict, limit: int) -> list[dict]:
        """Full-text matches with their text score in `score` (ranked by the caller: servers disagree on order).

        Scores and documents are read apart: mongoeco answers a textScore projection with _id and score only.
        """
        scores = {d["_id"]: d.get("score", 0) for d in self.articles.find(mongo_filter, {"score": {"$meta": "textScore"}}).limit(limit)}
        docs = []
        for chunk in _chunks(list(scores)):
            docs.extend(self.articles.find({"_id": {"$in": chunk}}))
        for doc in docs:
            doc["score"] = scores[doc["_id"]]
        return docs

    def count_articles(self, mongo_filter: dict | None = None) -> int:
        return self.articles.count_documents(mongo_filter or {})

    # --- portals -------------------------------------------------------------------------------
    def sync_portals(self, portals: Iterable[Any]) -> None:
        """Keep the portals collection in step with the registry (metadata for consumers)."""
        operations = [
            UpdateOne({"_id": p.id}, {"$set": {"name": p.name, "province": p.province, "level": p.level,
                                                "platform": p.platform, "base_url": p.base_url, "enabled": p.enabled,
                                                "admin_code": getattr(p, "admin_code", None)}},
                      upsert=True)
            for p in portals
        ]
        if operations:
            self.portals.bulk_write(operations, ordered=False)

    def start_portal_crawls(self, portal_ids: list[str]) -> set[str]:
        """Mark the portals' crawls as started now; answer those whose previous crawl never finished
        (killed, crashed, store gone): their list pages must be walked in full, not up to the first
        page of stored articles, or the articles the dead crawl never reached would stay unreached."""
        now = datetime.now(UTC)
        unfinished = set()
        for chunk in _chunks(portal_ids):  # a night of thousands of portals: mongoeco refuses $in lists that long
            for doc in self.portals.find({"_id": {"$in": chunk}}, {"crawl_started_at": 1, "last_success_at": 1}):
                started, succeeded = doc.get("crawl_started_at"), doc.get("last_success_at")
                if started and (succeeded is None or succeeded < started):
                    unfinished.add(doc["_id"])
            self.portals.update_many({"_id": {"$in": chunk}}, {"$set": {"crawl_started_at": now}})
        return unfinished

    def record_portal_run(self, portal_id: str, run_id: str, finished_at: datetime, ok: bool,
                          full_walk: bool = False, articles_new: int = 0) -> None:
        """A portal's run ended; `full_walk`: every start page was read (no change probe cut it short);
        `articles_new`: articles it stored as new (any: the portal's `last_new_article_at` is now)."""
        fields: dict[str, Any] = {"last_run_id": run_id, "last_run_at": finished_at}
        if articles_new > 0:
            fields["last_new_article_at"] = finished_at
        if ok:
            fields["last_success_at"] = finished_at
            if full_walk:
                fields["last_full_walk_at"] = finished_at
        self.portals.update_one({"_id": portal_id}, {"$set": fields}, upsert=True)

    # --- health --------------------------------------------------------------------------------
    def record_health(self, portal_id: str, run_id: str, at: datetime, health: dict) -> None:
        """One portal's health after a run: kept per run (the baseline's history) and as the portal's latest."""
        self.db["health"].replace_one({"_id": f"{run_id}:{portal_id}"},
                                      {"portal": portal_id, "run_id": run_id, "at": at, **health}, upsert=True)
        self.portals.update_one({"_id": portal_id}, {"$set": {"health": {"run_id": run_id, "at": at, **health}}})

    def health_history(self, portal_id: str, limit: int) -> list[dict]:
        """The figures of the portal's latest runs, newest first."""
        return [doc.get("figures", {}) for doc in self.db["health"].find({"portal": portal_id})
                .sort([("at", DESCENDING)]).limit(limit)]

    def latest_health(self) -> dict[str, dict]:
        """Every portal's latest health verdict, by portal id."""
        return {doc["_id"]: doc["health"] for doc in self.portals.find({"health": {"$exists": True}}, {"health": 1})}

    # --- failures ------------------------------------------------------------------------------
    def record_failures(self, portal_id: str, run_id: str | None, failed: dict[str, tuple[str, str, str]]) -> None:
        """URLs that failed for good in a run (url hash -> url, page kind, reason), counted per run."""
        now = datetime.now(UTC)
        operations = [UpdateOne({"_id": key}, {"$set": {"url": url, "portal": portal_id, "page_kind": kind,
                                                         "reason": reason, "last_failed_at": now, "last_run_id": run_id},
                                               "$setOnInsert": {"first_failed_at": now}, "$inc": {"runs": 1}},
                                upsert=True)
                      for key, (url, kind, reason) in failed.items()]
        for chunk in _chunks(operations):
            self.db["failures"].bulk_write(chunk, ordered=False)

    def clear_failures(self, portal_id: str, url_hashes: Iterable[str]) -> None:
        for chunk in _chunks(list(url_hashes)):
            self.db["failures"].delete_many({"_id": {"$in": chunk}, "portal": portal_id})

    def failure_counts(self) -> dict[str, int]:
        return {row["_id"]: row["n"] for row in self.db["failures"].aggregate([{"$group": {"_id": "$portal", "n": {"$sum": 1}}}])}

    def list_failures(self, portal_id: str | None = None, max_runs: int | None = None) -> list[dict]:
        """Recorded failures (of one portal), oldest first; with max_runs, those failed fewer runs than that."""
        query: dict[str, Any] = {"portal": portal_id} if portal_id else {}
        if max_runs is not None:
            query["runs"] = {"$lt": max_runs}
        return list(self.db["failures"].find(query).sort([("first_failed_at", ASCENDING)]))

    # --- discovery (portals discover) ---------------------------------------------------------------
    def save_discoveries(self, results: list[dict]) -> None:
        """Settled outcomes of `portals discover`, one document per official unit (keyed by admin code)."""
        if results:
            self.db["discovery"].bulk_write([ReplaceOne({"_id": r["admin_code"]}, r, upsert=True) for r in results],
                                            ordered=False)

    def discoveries(self, province: str | None = None) -> list[dict]:
        """What discovery settled per unit, of one province or all; by admin code."""
        return list(self.db["discovery"].find({"province": province} if province else {}).sort("_id", ASCENDING))

    def forget_discoveries(self, admin_codes: Iterable[str]) -> None:
        """Make units unsettled again (probed anew by the next discovery)."""
        for chunk in _chunks(list(admin_codes)):
            self.db["discovery"].delete_many({"_id": {"$in": chunk}})

    # --- coverage (portals coverage, GET /coverage) --------------------------------------------
    def coverage_portals(self) -> list[dict]:
        """What coverage needs of every portal, in one read: crawl times and the latest health status."""
        return list(self.portals.find({}, {"last_run_at": 1, "last_success_at": 1, "last_new_article_at": 1,
                                           "health.status": 1}))

    def portals_with_articles_since(self, portal_ids: Iterable[str], since: datetime) -> set[str]:
        """Those of the portals with an article first stored at or after `since`: one read of the recent
        articles' portal ids (mongoeco answers `portal $in` lists of thousands far slower than a scan)."""
        wanted = set(portal_ids)
        return {doc["portal"] for doc in self.articles.find({"first_seen": {"$gte": since}}, {"portal": 1, "_id": 0})
                if doc.get("portal") in wanted}

    # --- runs ----------------------------------------------------------------------------------
    def start_run(self, portal_ids: list[str], trigger: str = "cli", run_id: str | None = None) -> str:
        """Record a run as running; a given run_id (made by the scheduler for its child crawl) is reused."""
        started = datetime.now(UTC)
        run_id = run_id or new_run_id()
        self.runs.update_one({"_id": run_id}, {"$set": {
            "run_id": run_id, "started_at": started, "finished_at": None, "status": "running", "trigger": trigger,
            "portal_ids": portal_ids, "portals": {}, "totals": {}}}, upsert=True)
        return run_id

    def finish_run(self, run_id: str, status: str, portals: dict, totals: dict, errors: list[str] | None = None) -> datetime:
        finished_at = datetime.now(UTC)
        self.runs.update_one({"_id": run_id}, {"$set": {
            "finished_at": finished_at, "status": status, "portals": portals, "totals": totals,
            "errors": errors or []}})
        return finished_at

    def list_runs(self, limit: int = 20) -> list[dict]:
        return list(self.runs.find({}).sort([("started_at", DESCENDING)]).limit(limit))

    def fail_run(self, run_id: str, reason: str) -> None:
        """Mark a run failed with its reason (kept with whatever figures it had recorded)."""
        self.runs.update_one({"_id": run_id}, {"$set": {"status": "failed", "finished_at": datetime.now(UTC)},
                                               "$push": {"errors": reason}})

    def get_run(self, run_id: str) -> dict | None:
        return self.runs.find_one({"_id": run_id})

    # --- conditional requests ------------------------------------------------------------------
    def list_validators(self, portal_id: str) -> dict[str, dict]:
        return {doc["_id"]: doc for doc in self.validators.find({"portal": portal_id})}

    def save_validators(self, portal_id: str, docs: list[dict]) -> None:
        operations = [UpdateOne({"_id": doc["_id"]}, {"$set": {**{k: v for k, v in doc.items() if k != "_id"},
                                                                "portal": portal_id}}, upsert=True) for doc in docs if doc]
        if operations:
            self.validators.bulk_write(operations, ordered=False)

    # --- robots.txt ------------------------------------------------------------------------------
    def cached_robots(self, origin: str, not_before: datetime) -> bytes | None:
        """The robots.txt of `origin` ("https://host") if fetched at or after `not_before`."""
        doc = self.db["robots"].find_one({"_id": origin})
        return bytes(doc["body"]) if doc and doc["fetched_at"] >= not_before else None

    def save_robots(self, origin: str, body: bytes, fetched_at: datetime) -> None:
        self.db["robots"].replace_one({"_id": origin}, {"body": body, "fetched_at": fetched_at}, upsert=True)

    # --- leases --------------------------------------------------------------------------------
    def acquire_lease(self, portal_id: str, holder: str, ttl: timedelta, min_gap: timedelta) -> bool:
        """Take the portal for `holder` unless another holder's lease is live, or the portal was started
        less than `min_gap` ago (it was crawled this cycle). One atomic upsert: of two schedulers racing,
        the loser hits the unique _id and gets False. A crashed holder's lease lapses after `ttl`."""
        now = datetime.now(UTC)
        try:
            self.leases.update_one(
                {"_id": portal_id, "$or": [{"expires_at": {"$lt": now}}, {"holder": holder}],
                 "last_started": {"$lt": now - min_gap}},
                {"$set": {"holder": holder, "expires_at": now + ttl, "last_started": now}},
                upsert=True,
            )
            return True
        except DuplicateKeyError:
            return False

    def release_lease(self, portal_id: str, holder: str) -> None:
        self.leases.update_one({"_id": portal_id, "holder": holder}, {"$set": {"expires_at": datetime.now(UTC)}})


STORY_ENTRIES_KEPT = 100_000  # fingerprints a process keeps in memory (about 1 KB each) before dropping unneeded days
STORY_RECHECK_SECONDS = 5.0  # how stale a process's view of a day may be (other writers' new articles)
STORY_SAVE_SECONDS = 5.0     # how long fingerprints and stories' new members may wait in memory before they are written
STORY_SAVE_ENTRIES = 250     # or how many fingerprints
STORY_BACKFILL_BATCH = 200


def _aware(value: Any) -> datetime | None:
    """A stored or spooled time as an aware datetime (naive ones are UTC, as pymongo reads them)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return None


def _story_time(doc: dict) -> datetime:
    """When an article came out: its publication time, else when it was crawled or first seen, else now."""
    for name in ("published_at", "crawled_at", "first_seen"):
        found = _aware(doc.get(name))
        if found is not None:
            return found
    return datetime.now(UTC)


def _entry_time(entry: Entry) -> datetime:
    return entry.published_at or datetime.fromtimestamp(entry.fingerprint.when, UTC)


def _story_json(index: StoryIndex, story_id: str) -> str:
    """A story of two or more articles as stored: its members oldest first, the first of them canonical."""
    members = sorted(index.members(story_id), key=lambda entry: (_entry_time(entry), entry.url_hash))
    return json.dumps({"canonical": members[0].url_hash, "size": len(members),
                       "first_seen": _entry_time(members[0]).isoformat(),
                       "last_seen": max(_entry_time(entry) for entry in members).isoformat(),
                       "members": [{"url_hash": entry.url_hash, "portal": entry.portal, "title": entry.title,
                                    "published_at": entry.published_at.isoformat() if entry.published_at else None}
                                   for entry in members]}, ensure_ascii=False)

_shared: dict[tuple, Store] = {}


def config_from_settings(settings: Any) -> Config:
    """The store configuration carried by Scrapy settings (filled from the environment or the CLI)."""
    return Config(
        registry=Path(settings.get("PORTALS_REGISTRY") or "portals.yaml"),
        mongo_uri=settings.get("MONGO_URI") or None,
        db_name=settings.get("PORTALS_DB") or "portals",
        data_dir=Path(settings.get("PORTALS_DATA_DIR") or "data"),
    )


def store_for_settings(settings: Any) -> Store:
    """One Store (one connection pool) per process and database, shared by every crawler's components."""
    config = config_from_settings(settings)
    key = (config.mongo_uri, str(config.data_dir.resolve()), config.db_name)
    if key not in _shared:
        _shared[key] = Store.open(config)
    return _shared[key]
