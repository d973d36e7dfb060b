"""Replica fleet: loopback HTTP sites that behave like the real portals, for offline crawls and tests.

Six replicas of real sites (two VNPT commune portals, two SharePoint district
portals, two provincial newspapers) plus one media server for their images,
all generated deterministically from a seed:

    from crawler.replica import Fleet
    with Fleet(seed=1, articles_per_portal=45) as fleet:
        entries = fleet.registry_entries()      # registry dicts pointing at the replicas
        truth = fleet.articles("muonglat")      # what a perfect crawl would store

Modules: `content` (data model and story generator), `vnpt`, `sharepoint`,
`newspapers` (page templates and routing per platform), `server` (the fleet).
"""

from crawler.replica.content import Article
from crawler.replica.server import PORTAL_IDS, Fleet, serve

__all__ = ["Article", "Fleet", "PORTAL_IDS", "serve"]
