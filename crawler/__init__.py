"""Crawler and aggregator of Vietnamese provincial portals: registry, extraction, store and CLI."""
