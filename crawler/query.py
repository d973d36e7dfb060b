"""Article queries: one place that turns filters into a store query and articles into public records.

The CLI, the HTTP API, the feeds and the exports all go through `search` and
`public_article`; there is no second copy of the filtering logic.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Iterator, Literal

from crawler.dates import LOCAL_TZ, to_local_iso
from crawler.items import ARTICLE_FIELDS
from crawler.store import Store
from crawler.vietnam import fold

MAX_LIMIT = 500
MAX_RANKED = 2000  # full-text matches ranked per query (relevance order is computed here, the same on any server)
Sort = Literal["newest", "oldest", "relevance"]


class QueryError(ValueError):
    """A filter value that cannot be used (bad date, bad limit, bad cursor)."""


def parse_instant(value: str, name: str) -> datetime:
    """ISO 8601 date or datetime; without an offset it is Vietnamese local time."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise QueryError(f"{name}: {value!r} is not an ISO 8601 date such as 2025-07-01 or 2025-07-01T08:00+07:00") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=LOCAL_TZ)


def search_terms(text: str) -> str:
    """The $text search string: folded words, quoted phrases kept as phrases, -word excluded."""
    out, inside = [], False
    for chunk in text.split('"'):
        folded = fold(chunk)
        if inside and folded:
            out.append(f'"{folded}"')
        elif folded:
            out.extend(("-" + fold(word)) if word.startswith("-") and fold(word) else fold(word)
                       for word in chunk.split() if fold(word))
        inside = not inside
    return " ".join(out)


@dataclass
class ArticleQuery:
    portals: list[str] = field(default_factory=list)
    province: str | None = None
    level: str | None = None
    admin_code: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    text: str | None = None
    sort: Sort = "newest"
    limit: int = 100
    cursor: str | None = None
    unique: bool = False  # one article per story: the first of its articles in this order that matches

    def __post_init__(self):
        terms = search_terms(self.text or "").split()
        if terms and all(term.startswith("-") for term in terms):  # MongoDB's $text needs one word to look for
            raise QueryError(f"q={self.text!r} only excludes words: add at least one word to search for")

    def mongo_filter(self) -> dict:
        conditions: dict = {}
        if self.portals:
            conditions["portal"] = self.portals[0] if len(self.portals) == 1 else {"$in": self.portals}
        if self.province:
            conditions["province"] = self.province
        if self.level:
            conditions["level"] = self.level
        if self.admin_code:
            conditions["admin_code"] = self.admin_code
        if self.since or self.until:
            conditions["published_at"] = {
                **({"$gte": self.since} if self.since else {}),
                **({"$lt": self.until} if self.until else {}),
            }
        if self.text and search_terms(self.text):
            conditions["$text"] = {"$search": search_terms(self.text)}
        return conditions


@dataclass
class Page:
    articles: list[dict]
    next_cursor: str | None


def search(store: Store, query: ArticleQuery) -> Page:
    """One page of matching articles as public records, and the cursor of the next page (None at the end).

    Date order pages by keyset (published_at, _id): stable while articles are added. Relevance
    order ranks up to MAX_RANKED matches by text score, then date.
    """
    if not 1 <= query.limit <= MAX_LIMIT:
        raise QueryError(f"limit must be between 1 and {MAX_LIMIT}")
    base = query.mongo_filter()
    if query.sort == "relevance":
        if "$text" not in base:
            raise QueryError("sort=relevance needs a text query (q)")
        offset = int(_decode(query.cursor) or 0)
        ranked = store.find_ranked(base, MAX_RANKED)
        ranked.sort(key=lambda d: (-d.get("score", 0), -(d["published_at"].timestamp() if d.get("published_at") else 0), d["_id"]))
        if query.unique:
            ranked = _first_of_each_story(ranked)
        chunk = ranked[offset:offset + query.limit]
        more = offset + query.limit < len(ranked)
        return Page([public_article(d) for d in chunk], _encode(offset + query.limit) if more else None)
    direction = -1 if query.sort == "newest" else 1
    if query.unique:
        return _unique_page(store, query, base, direction)
    mongo_filter = base
    if query.cursor:
        after = _decode(query.cursor)
        if not isinstance(after, list) or len(after) != 2:
            raise QueryError("cursor is not one this API gave out")
        mongo_filter = {"$and": [base, _after(after[0], after[1], direction)]} if base else _after(after[0], after[1], direction)
    docs = store.find_articles(mongo_filter, [("published_at", direction), ("_id", 1)], query.limit + 1)
    more = len(docs) > query.limit
    docs = docs[: query.limit]
    cursor = None
    if more and docs:
        last = docs[-1]
        cursor = _encode([last["published_at"].isoformat() if last.get("published_at") else None, last["_id"]])
    return Page([public_article(d) for d in docs], cursor)


def _keyset(base: dict, cursor: str | None, direction: int) -> dict:
    """`base`, restricted to what comes after the cursor in (published_at, _id) order."""
    if not cursor:
        return base
    after = _decode(cursor)
    if not isinstance(after, list) or len(after) != 2:
        raise QueryError("cursor is not one this API gave out")
    try:
        condition = _after(after[0], after[1], direction)
    except (TypeError, ValueError):
        raise QueryError("cursor is not one this API gave out") from None
    return {"$and": [base, condition]} if base else condition


def _cursor_after(doc: dict) -> str:
    return _encode([doc["published_at"].isoformat() if doc.get("published_at") else None, doc["_id"]])


def _order_key(published: datetime | None, doc_id: str, direction: int) -> tuple:
    """Where an article comes in (published_at, _id) order: undated last when newest first, first when oldest first."""
    if published is None:
        return (1 if direction == -1 else 0, 0.0, doc_id)
    return (0 if direction == -1 else 1, -published.timestamp() * -direction, doc_id)


def _first_of_each_story(docs: list[dict]) -> list[dict]:
    seen: set[str] = set()
    kept = []
    for doc in docs:
        story = doc.get("story_id") or doc["_id"]
        if story not in seen:
            seen.add(story)
            kept.append(doc)
    return kept


def _unique_page(store: Store, query: ArticleQuery, base: dict, direction: int) -> Page:
    """A page of articles, one per story: an article is left out when another article of its story comes
    before it in this order and matches the query too (on this page or an earlier one)."""
    sort = [("published_at", direction), ("_id", 1)]
    scan = max(2 * query.limit, 50)
    kept: list[dict] = []
    cursor = query.cursor
    while True:
        docs = store.find_articles(_keyset(base, cursor, direction), sort, scan)
        stories = store.stories_by_id({doc["story_id"] for doc in docs if doc.get("story_id")})
        earlier: dict[str, list[str]] = {}
        for doc in docs:
            story = stories.get(doc.get("story_id") or "")
            if story:
                mine = _order_key(doc.get("published_at"), doc["_id"], direction)
                earlier[doc["_id"]] = [m["url_hash"] for m in story["members"] if m["url_hash"] != doc["_id"]
                                       and _order_key(_instant(m["published_at"]), m["url_hash"], direction) < mine]
        wanted = sorted({member for members in earlier.values() for member in members})
        matching = {found["_id"] for start in range(0, len(wanted), 400)
                    for found in store.find_articles({"$and": [base, {"_id": {"$in": wanted[start:start + 400]}}]} if base
                                                     else {"_id": {"$in": wanted[start:start + 400]}}, sort, 400)}
        for doc in docs:
            if any(member in matching for member in earlier.get(doc["_id"], ())):
                continue
            kept.append(doc)
            if len(kept) == query.limit:
                return Page([public_article(d) for d in kept], _cursor_after(doc))
        if len(docs) < scan:
            return Page([public_article(d) for d in kept], None)
        cursor = _cursor_after(docs[-1])


def _instant(value) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def find_articles(store: Store, query: ArticleQuery) -> list[dict]:
    """The first page only (short listings, such as the demo's)."""
    return search(store, query).articles


def iterate(store: Store, query: ArticleQuery, page_size: int = 200) -> Iterator[dict]:
    """Every matching article, page after page (streamed exports)."""
    query = ArticleQuery(**{**query.__dict__, "limit": page_size, "cursor": None})
    while True:
        page = search(store, query)
        yield from page.articles
        if not page.next_cursor:
            return
        query.cursor = page.next_cursor


def _after(published: str | None, doc_id: str, direction: int) -> dict:
    """Keyset condition: strictly after (published_at, _id) in the sort order."""
    tie = {"published_at": datetime.fromisoformat(published) if published else None, "_id": {"$gt": doc_id}}
    if published is None:  # undated articles come last when newest first, first when oldest first
        return tie if direction == -1 else {"$or": [tie, {"published_at": {"$ne": None}}]}
    moment = datetime.fromisoformat(published)
    beyond = {"published_at": {"$lt" if direction == -1 else "$gt": moment}}
    if direction == -1:
        return {"$or": [beyond, tie, {"published_at": None}]}
    return {"$or": [beyond, tie]}


def _encode(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def _decode(cursor: str | None):
    if not cursor:
        return None
    try:
        return json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError):
        raise QueryError("cursor is not one this API gave out") from None


def public_article(doc: dict) -> dict:
    """The stored document as consumers see it: article fields only, times in ISO 8601 with +07:00."""
    record = {name: doc.get(name) for name in ARTICLE_FIELDS}
    for name in ("published_at", "crawled_at", "first_seen", "updated_at"):
        if isinstance(record[name], datetime):
            record[name] = to_local_iso(record[name])
    return record


def public_run(run: dict) -> dict:
    """A run record as `portals runs --json` prints it."""
    return {"run_id": run["run_id"], "started_at": to_local_iso(run.get("started_at")),
            "finished_at": to_local_iso(run.get("finished_at")), "status": run.get("status"),
            "trigger": run.get("trigger"), "portals": run.get("portals", {}), "totals": run.get("totals", {}),
            "errors": run.get("errors", [])}


# --- stories -------------------------------------------------------------------------------------

@dataclass
class StoryQuery:
    """Stories newest first; `min_members` 2 or more lists only the news several articles carry."""

    since: datetime | None = None
    until: datetime | None = None
    min_members: int = 1
    limit: int = 100
    cursor: str | None = None


@dataclass
class StoryPage:
    stories: list[dict]
    next_cursor: str | None


def search_stories(store: Store, query: StoryQuery) -> StoryPage:
    """One page of stories, each `{"story_id", "canonical": {...}, "members": [...], "first_seen", "last_seen"}`.

    With min_members 1 every article's story is listed once, where its canonical (earliest) article
    comes among the articles newest first; with more, only stories of that many articles, by the
    day they are filed under (the day of their first stored article), newest first.
    """
    if not 1 <= query.limit <= MAX_LIMIT:
        raise QueryError(f"limit must be between 1 and {MAX_LIMIT}")
    if query.min_members < 1:
        raise QueryError("min_members must be at least 1")
    if query.min_members == 1:
        return _stories_by_article(store, query)
    return _stories_by_day(store, query)


def _stories_by_article(store: Store, query: StoryQuery) -> StoryPage:
    base: dict = {}
    if query.since or query.until:
        base["published_at"] = {**({"$gte": query.since} if query.since else {}), **({"$lt": query.until} if query.until else {})}
    sort = [("published_at", -1), ("_id", 1)]
    scan = max(2 * query.limit, 50)
    rows: list[dict] = []
    cursor = query.cursor
    while True:
        docs = store.find_articles(_keyset(base, cursor, -1), sort, scan)
        stories = store.stories_by_id({doc["story_id"] for doc in docs if doc.get("story_id")})
        for doc in docs:
            story = stories.get(doc.get("story_id") or "")
            if story is None:
                rows.append(_single_story(doc))
            elif story["canonical"] == doc["_id"]:
                rows.append(public_story(story, doc))
            else:
                continue
            if len(rows) == query.limit:
                return StoryPage(rows, _cursor_after(doc))
        if len(docs) < scan:
            return StoryPage(rows, None)
        cursor = _cursor_after(docs[-1])


def _stories_by_day(store: Store, query: StoryQuery) -> StoryPage:
    after = _decode(query.cursor) if query.cursor else None
    if after is not None and not (isinstance(after, list) and len(after) == 3 and all(isinstance(v, str) for v in after)):
        raise QueryError("cursor is not one this API gave out")
    rows: list[dict] = []
    before = _next_day(after[0]) if after else None
    while True:
        days = store.story_days(before, 30)
        for day, stories in days:
            stories.sort(key=lambda story: (story["first_seen"], story["story_id"]), reverse=True)
            for story in stories:
                place = [day, story["first_seen"], story["story_id"]]
                if after and (place[0] > after[0] or (place[0] == after[0] and (place[1], place[2]) >= (after[1], after[2]))):
                    continue  # on an earlier page
                first = datetime.fromisoformat(story["first_seen"])
                if story["size"] < query.min_members or (query.since and first < query.since) or (query.until and first >= query.until):
                    continue
                rows.append(public_story(story, store.get_article(story["canonical"])))
                if len(rows) == query.limit:
                    return StoryPage(rows, _encode(place))
        if len(days) < 30 or (query.since and days[-1][0] < _day_of(query.since - timedelta(days=7))):
            return StoryPage(rows, None)
        before = days[-1][0]


def _next_day(day: str) -> str:
    """The day after `day` (YYYYMMDD), as the exclusive bound of a newest-first listing that includes `day`."""
    try:
        return (datetime.strptime(day, "%Y%m%d") + timedelta(days=1)).strftime("%Y%m%d")
    except ValueError:
        raise QueryError("cursor is not one this API gave out") from None


def _day_of(moment: datetime) -> str:
    return moment.astimezone(LOCAL_TZ).strftime("%Y%m%d")


def article_summary(doc: dict | None, url_hash: str | None = None) -> dict:
    """An article in a story row: what identifies it and says what it is."""
    if doc is None:
        return {"url_hash": url_hash}
    return {"url_hash": doc["_id"], "url": doc.get("url"), "portal": doc.get("portal"), "portal_name": doc.get("portal_name"),
            "title": doc.get("title"), "summary": doc.get("summary"), "published_at": to_local_iso(doc.get("published_at"))}


def public_story(story: dict, canonical: dict | None) -> dict:
    """A story of two or more articles as consumers see it (times ISO 8601 with +07:00)."""
    return {"story_id": story["story_id"], "canonical": article_summary(canonical, story["canonical"]),
            "members": [{"url_hash": m["url_hash"], "portal": m["portal"], "title": m["title"],
                         "published_at": to_local_iso(_instant(m["published_at"]))} for m in story["members"]],
            "first_seen": to_local_iso(_instant(story["first_seen"])), "last_seen": to_local_iso(_instant(story["last_seen"]))}


def _single_story(doc: dict) -> dict:
    """The story of an article no other article carries."""
    when = to_local_iso(doc.get("published_at") or doc.get("first_seen"))
    return {"story_id": doc.get("story_id"), "canonical": article_summary(doc),
            "members": [{"url_hash": doc["_id"], "portal": doc.get("portal"), "title": doc.get("title"),
                         "published_at": to_local_iso(doc.get("published_at"))}],
            "first_seen": when, "last_seen": when}
