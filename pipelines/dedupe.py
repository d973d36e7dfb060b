"""Key every article by the hash of its canonical URL; drop repeats within a run."""

from __future__ import annotations

import hashlib

from scrapy.exceptions import DropItem

from crawler.urls import canonicalize_url, url_hash


def content_hash(title: str, body: str) -> str:
    """Same story, same hash, wherever it is republished (the text is already normalised)."""
    return hashlib.sha256(f"{title}\n\n{body}".encode("utf-8")).hexdigest()


class DedupePipeline:
    def __init__(self, stats):
        self.stats = stats
        self.seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item):
        item["canonical_url"] = canonicalize_url(item.get("canonical_url") or item["url"])
        item["url_hash"] = url_hash(item["canonical_url"])
        item["content_hash"] = content_hash(item["title"], item["body"])
        if item["url_hash"] in self.seen:
            self.stats.inc_value("dedupe/dropped/duplicate_url")
            raise DropItem(f"duplicate of an article already scraped in this run: {item['canonical_url']}")
        self.seen.add(item["url_hash"])
        return item
