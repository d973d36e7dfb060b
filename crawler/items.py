"""The Article item: what the product stores for every article and what consumers read."""

from __future__ import annotations

import scrapy

ARTICLE_FIELDS = (
    "url", "canonical_url", "url_hash", "portal", "portal_name", "province", "level", "admin_code",
    "title", "summary", "body", "body_html", "author", "published_at", "category",
    "images", "language", "crawled_at", "first_seen", "updated_at", "content_hash", "story_id",
)


class Article(scrapy.Item):
    """One article; `published_at`, `crawled_at` and `first_seen` are aware datetimes."""

    url = scrapy.Field()            # the URL that was fetched
    requested_url = scrapy.Field()  # the URL that was listed, when redirects led to `url` (an alias)
    canonical_url = scrapy.Field()  # normalised rel=canonical (or url); its hash is the key
    url_hash = scrapy.Field()       # sha256 hex of canonical_url: the document _id
    portal = scrapy.Field()         # registry id
    portal_name = scrapy.Field()
    province = scrapy.Field()
    level = scrapy.Field()
    admin_code = scrapy.Field()     # the official commune/ward code of the portal (crawler.units), or None
    title = scrapy.Field()
    summary = scrapy.Field()
    body = scrapy.Field()           # clean text, paragraphs separated by a blank line
    body_html = scrapy.Field()      # sanitised main-content HTML
    author = scrapy.Field()
    published_at = scrapy.Field()
    category = scrapy.Field()
    images = scrapy.Field()         # [{"url": ..., "caption": ...}]
    language = scrapy.Field()
    crawled_at = scrapy.Field()
    first_seen = scrapy.Field()     # set by the store on first insert, never changed
    updated_at = scrapy.Field()     # set by the store when the content changed
    content_hash = scrapy.Field()   # sha256 of normalised title+body: same text, same hash
    story_id = scrapy.Field()       # set by the store: articles carrying the same news share it (crawler.stories)
