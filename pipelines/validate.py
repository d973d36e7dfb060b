"""Drop articles that would be stored half-empty, with a logged reason counted in stats."""

from __future__ import annotations

from scrapy.exceptions import DropItem

REQUIRED = ("url", "title", "body")


class ValidatePipeline:
    def __init__(self, stats, min_body_chars: int):
        self.stats = stats
        self.min_body_chars = min_body_chars

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats, crawler.settings.getint("MIN_BODY_CHARS", 40))

    def process_item(self, item):
        missing = [field for field in REQUIRED if not (item.get(field) or "").strip()]
        if missing:
            reason = f"missing {' and '.join(missing)}"
        elif len(item["body"]) < self.min_body_chars:
            reason = f"body too short ({len(item['body'])} chars)"
        elif item.get("published_at") is not None and item["published_at"].tzinfo is None:
            reason = "published_at without timezone"
        else:
            return item
        self.stats.inc_value(f"validate/dropped/{reason.split(' (')[0].replace(' ', '_')}")
        raise DropItem(f"{reason}: {item.get('url')}")
