"""Replica fleet: loopback HTTP sites that behave like the real portals, for offline crawls and tests.

Six replicas of real sites (two VNPT commune portals, two SharePoint district
portals, two provincial newspapers) plus one media server for their images,
each on its own loopback address (127.0.0.2 ... 127.0.0.8), generated
deterministically from a seed; five of the portals also publish a real
article page rebuilt from a seed text (/work/shared/seeds):

    from crawler.replica import Fleet
    with Fleet(seed=1, articles_per_portal=45) as fleet:
        entries = fleet.registry_entries()      # registry dicts pointing at the replicas
        truth = fleet.articles("muonglat")      # what a perfect crawl would store
        seed = fleet.seed_article("000")        # the real page among them

`Fleet(variants=N)` adds N commune sites "variant01" ... on four layout
families no selector table knows (WordPress-like, Joomla tables, Bootstrap
cards, old ASP.NET), plus "nonportal" (a company landing page) and
"emptyportal" (a ward portal with no news yet), for the `generic` platform
and `portals add`; they are not registry entries:

    with Fleet(portals=[], variants=8) as fleet:
        fleet.variant_ids                        # ["variant01", ..., "variant08"]
        fleet.variant_info("variant01")          # {"name": "Xã ...", "province": ..., "family": "A"}
        truth = fleet.articles("variant01")

Incremental crawls: the fleet publishes new articles over time, and answers
conditional requests (ETag / Last-Modified, per platform; see `server`):

    with Fleet(seed=1) as fleet:
        fresh = fleet.upcoming("muonglat")[0]    # 404 for now, linked nowhere
        fleet.publish("muonglat")                # now on list page 1, side lists and feeds
        fleet.publish()                          # one more on every known portal
        fleet.responses("muonglat")              # [(path, 200), (path, 304), ...]
    Fleet(publish_every=60)                      # one new article per portal a minute

A replica nation (`crawler.replica.nation`): every official commune and ward
of the chosen provinces (PyPI vietnam_provinces) with what the real world
might have for it (a VNPT portal on camtu.thanhhoa.gov.vn, a hyphenated or
www-only host, an unknown layout, an empty portal, no host at all, a site
down, ...), served under the REAL host names through an HTTP proxy on
loopback (`crawler.replica.proxy`, CONNECT + TLS with a self-signed
certificate); crawlers are pointed at it with http_proxy / https_proxy:

    from crawler.replica.nation import Nation
    with Nation(provinces=("Thanh Hóa",), seed=1) as nation:
        env = nation.env()                       # {"https_proxy": "http://127.0.0.1:PORT", ...}
        nation.truth["15148"]                    # UnitTruth(name="Xã Cẩm Tú", kind="vnpt", host=..., expected=...)
        nation.proxy.requests("camtu.thanhhoa.gov.vn")

Modules: `content` (data model and story generator), `seeds` (the seed pages
and what they list), `markup` (HTML pieces every template shares), `vnpt`,
`sharepoint`, `newspapers` (page templates and routing per platform),
`variants` (the four unknown layout families), `specials` (nonportal,
emptyportal), `server` (the fleet and `serve`), `proxy` (the loopback proxy for
real host names), `nation` (every commune and ward, `serve_nation`).
"""

from crawler.replica.content import Article
from crawler.replica.server import PORTAL_IDS, Fleet, serve
from crawler.replica.specials import SPECIAL_IDS
from crawler.replica.variants import FAMILIES

__all__ = ["Article", "FAMILIES", "Fleet", "PORTAL_IDS", "SPECIAL_IDS", "serve"]
