"""Article queries: one place that turns filters into a store query and articles into public records.

The CLI, the HTTP API, the feeds and the exports all go through `search` and
`public_article`; there is no second copy of the filtering logic.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import datetime
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
    since: datetime | None = None
    until: datetime | None = None
    text: str | None = None
    sort: Sort = "newest"
    limit: int = 100
    cursor: str | None = None

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
        chunk = ranked[offset:offset + query.limit]
        more = offset + query.limit < len(ranked)
        return Page([public_article(d) for d in chunk], _encode(offset + query.limit) if more else None)
    direction = -1 if query.sort == "newest" else 1
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
