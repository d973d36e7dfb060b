"""c. Recrawl economy: requests per portal on a night with no new article, and with k new ones.

The replica fleet is crawled once in full; then crawled again unchanged; then each portal
publishes k articles and it is crawled a third time. Requests are the crawl's own count
(`requests` in its report: robots.txt, feeds, list pages, articles).
"""

from __future__ import annotations

from bench.common import FAST, PLAIN_PORTALS, ReplicaProcess, portals, scratch_store

TARGET = 1.1


def run(scale: dict) -> dict:
    new = scale["recrawl_new_articles"]
    with scratch_store() as (scratch, env):
        replica = ReplicaProcess(scratch, seed=31, portals=PLAIN_PORTALS, articles_per_portal=60)
        try:
            _, first = portals(env, replica.registry, "crawl", "--all", "--json", *FAST)
            _, quiet = portals(env, replica.registry, "crawl", "--all", "--json", *FAST)
            replica.publish(new)
            _, busy = portals(env, replica.registry, "crawl", "--all", "--json", *FAST)
        finally:
            replica.stop()
    count = len(PLAIN_PORTALS)
    quiet_rate = quiet["totals"]["requests"] / count
    return {
        "figures": {"portals": count, "first_night_requests_per_portal": round(first["totals"]["requests"] / count, 2),
                    "no_change_requests_per_portal": round(quiet_rate, 2),
                    f"{new}_new_requests_per_portal": round(busy["totals"]["requests"] / count, 2),
                    f"{new}_new_articles_stored": busy["totals"]["articles_new"]},
        "target": f"<= {TARGET} requests per portal on a no-change night", "met": quiet_rate <= TARGET,
        "how": f"{count} replica portals x 60 articles crawled in full, then again unchanged, then again after "
               f"{new} new articles per portal; requests as each crawl counts them (robots.txt included).",
    }
