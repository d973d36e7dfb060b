"""Atom feed of articles (the API's /feed.atom and `portals query --format atom`)."""

from __future__ import annotations

from datetime import UTC, datetime
from xml.etree import ElementTree

from crawler.dates import to_local_iso


def atom_feed(articles: list[dict]) -> bytes:
    ns = "http://www.w3.org/2005/Atom"
    ElementTree.register_namespace("", ns)
    feed = ElementTree.Element(f"{{{ns}}}feed")
    ElementTree.SubElement(feed, f"{{{ns}}}title").text = "Cổng thông tin các xã, phường, huyện và báo tỉnh"
    ElementTree.SubElement(feed, f"{{{ns}}}id").text = "urn:vn-portals:feed"
    updated = max((a["crawled_at"] for a in articles if a.get("crawled_at")), default=to_local_iso(datetime.now(UTC)))
    ElementTree.SubElement(feed, f"{{{ns}}}updated").text = updated
    for article in articles:
        entry = ElementTree.SubElement(feed, f"{{{ns}}}entry")
        ElementTree.SubElement(entry, f"{{{ns}}}id").text = f"urn:vn-portals:article:{article['url_hash']}"
        ElementTree.SubElement(entry, f"{{{ns}}}title").text = article["title"]
        ElementTree.SubElement(entry, f"{{{ns}}}link", href=article["canonical_url"] or article["url"])
        ElementTree.SubElement(entry, f"{{{ns}}}updated").text = article.get("updated_at") or article.get("first_seen") or updated
        if article.get("published_at"):
            ElementTree.SubElement(entry, f"{{{ns}}}published").text = article["published_at"]
        author = ElementTree.SubElement(entry, f"{{{ns}}}author")
        ElementTree.SubElement(author, f"{{{ns}}}name").text = article.get("author") or article.get("portal_name") or ""
        ElementTree.SubElement(entry, f"{{{ns}}}summary").text = article.get("summary") or (article.get("body") or "")[:400]
        ElementTree.SubElement(entry, f"{{{ns}}}category", term=article.get("portal") or "")
    return ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)
