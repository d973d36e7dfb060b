"""a. Pipeline throughput: the whole product against a bare Scrapy spider fetching the same URLs.

One run: the product crawls the replica (fetch, extract, validate, dedupe, store); the replica's
request log gives every URL it fetched; a second replica with the same seed serves the same
paths and a bare spider (bench/bare_spider.py: no parsing, no pipelines, same concurrency)
fetches them. Both times are whole-process wall times, start-up included.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

from bench.common import FAST, PLAIN_PORTALS, ROOT, ReplicaProcess, portals, scratch_store
from crawler.registry import load_registry

TARGET = 0.8


def run(scale: dict) -> dict:
    per_portal = scale["throughput_articles_per_portal"]
    options = {"seed": 21, "portals": PLAIN_PORTALS, "articles_per_portal": per_portal}
    with scratch_store() as (scratch, env):
        replica = ReplicaProcess(scratch, **options)
        try:
            product_seconds, report = portals(env, replica.registry, "crawl", "--all", "--json", *FAST)
        finally:
            fetched = replica.stop()  # paths per portal
        second = scratch / "second"
        second.mkdir()
        replica = ReplicaProcess(second, **options)  # same seed, same paths and addresses, other ports
        try:
            bases = {portal.id: portal.base_url for portal in load_registry(replica.registry).portals}
            urls = [bases[portal] + path for portal, paths in fetched.items() for path in paths]
            (scratch / "urls.json").write_text(json.dumps(urls))
            started = time.monotonic()
            bare = json.loads(subprocess.run([sys.executable, str(ROOT / "bench" / "bare_spider.py"),
                                              str(scratch / "urls.json")], cwd=ROOT, capture_output=True,
                                             text=True, check=True).stdout)
            bare["seconds"] = time.monotonic() - started  # whole process, as the product's
        finally:
            replica.stop()
    pages = len(urls)
    product_rate, bare_rate = pages / product_seconds, bare["responses"] / bare["seconds"]
    ratio = product_rate / bare_rate
    return {
        "figures": {"pages": pages, "articles_stored": report["totals"]["articles_new"],
                    "product_seconds": round(product_seconds, 2), "bare_seconds": round(bare["seconds"], 2),
                    "product_pages_per_s": round(product_rate, 1), "bare_pages_per_s": round(bare_rate, 1),
                    "ratio": round(ratio, 3)},
        "target": f"ratio >= {TARGET}", "met": ratio >= TARGET,
        "how": f"{len(PLAIN_PORTALS)} replica portals x {per_portal} articles (no browser pages), 16 requests at "
               f"once, 8 per host, no delay: `portals crawl --all` into the embedded store, then a bare Scrapy "
               f"spider fetching the same {pages} URLs from an identical replica. Whole-process wall times, "
               "start-up included.",
    }
