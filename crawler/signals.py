"""Signals of this project (Scrapy's extension point for components that must not import each other)."""

# Sent by the store pipeline after a write succeeded; kwargs: urls (the fetched URLs of the articles).
articles_stored = object()

# Sent by a spider when a request failed for good in this run (after retries); kwargs: url,
# page_kind ("list" or "article"), reason (one line), again (it had failed in an earlier run too).
url_failed = object()
