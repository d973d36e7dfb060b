"""Signals of this project (Scrapy's extension point for components that must not import each other)."""

# Sent by the store pipeline after a write succeeded; kwargs: urls (the fetched URLs of the articles).
articles_stored = object()
