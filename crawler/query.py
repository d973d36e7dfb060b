"""Article queries: one place that turns filters into a store query and articles into public records.

The CLI uses it now; the HTTP API will use the same functions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from crawler.dates import LOCAL_TZ, to_local_iso
from crawler.items import ARTICLE_FIELDS
from crawler.store import Store


class QueryError(ValueError):
    """A filter value that cannot be used (bad date, bad limit)."""


def parse_instant(value: str, name: str) -> datetime:
    """ISO 8601 date or datetime; without an offset it is Vietnamese local time."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise QueryError(f"{name}: {value!r} is not an ISO 8601 date such as 2025-07-01 or 2025-07-01T08:00+07:00") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=LOCAL_TZ)


@dataclass
class ArticleQuery:
    portals: list[str] = field(default_factory=list)
    province: str | None = None
    level: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    text: str | None = None
    limit: int = 100

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
        if self.text:
            conditions["$text"] = {"$search": self.text}
        return conditions


def find_articles(store: Store, query: ArticleQuery) -> list[dict]:
    """Matching articles, newest first, as public records."""
    if query.limit < 1:
        raise QueryError("limit must be at least 1")
    docs = store.find_articles(query.mongo_filter(), [("published_at", -1), ("_id", 1)], query.limit)
    return [public_article(doc) for doc in docs]


def public_article(doc: dict) -> dict:
    """The stored document as consumers see it: article fields only, times in ISO 8601 with +07:00."""
    record = {name: doc.get(name) for name in ARTICLE_FIELDS}
    for name in ("published_at", "crawled_at", "first_seen", "updated_at"):
        if isinstance(record[name], datetime):
            record[name] = to_local_iso(record[name])
    return record
