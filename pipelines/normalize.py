"""Normalise article text: Unicode NFC, HTML entities decoded, whitespace tidied."""

from __future__ import annotations

import html
import unicodedata

from crawler.extraction.htmltext import normalize_text

LINE_FIELDS = ("title", "summary", "author", "category", "portal_name", "province")


def normalize_body(text: str) -> str:
    """NFC and entities per paragraph, keeping the blank line between paragraphs."""
    paragraphs = (normalize_text(html.unescape(p)) for p in (text or "").split("\n\n"))
    return "\n\n".join(p for p in paragraphs if p)


class NormalizePipeline:
    def process_item(self, item):
        for field in LINE_FIELDS:
            if item.get(field):
                item[field] = normalize_text(html.unescape(item[field]))
        item["body"] = normalize_body(item.get("body") or "")
        if item.get("body_html"):
            item["body_html"] = unicodedata.normalize("NFC", item["body_html"])
        for image in item.get("images") or []:
            if image.get("caption"):
                image["caption"] = normalize_text(html.unescape(image["caption"]))
        return item
