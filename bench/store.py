"""f. The store: bulk upsert rate, and `/articles` latency over many stored articles.

Synthetic articles (Vietnamese words, 20 portals, dates over two years) are written through
`Store.upsert_articles` in batches of 500, as the crawl's pipeline does; then the API app
(in-process, FastAPI's test client) answers `/articles` queries: newest, one portal, a date
window, a folded text search. Runs on the embedded store, and on MongoDB too when MONGO_URI is set.
"""

from __future__ import annotations

import hashlib
import os
import random
import statistics
import time
from datetime import UTC, datetime, timedelta

from bench.common import scratch_store
from crawler.store import Store

WORDS = ("xã huyện tỉnh hội nghị triển khai nhiệm vụ công tác Đảng ủy nhân dân Mường Lát Cẩm Tú Quan Hóa "
         "bầu cử đại biểu thiên tai phòng chống kinh tế văn hóa giáo dục y tế nông thôn mới chuyển đổi số").split()
REPEATS = {"newest": 20, "portal": 20, "window": 20, "search": 5}  # search is slow on the embedded store
QUERIES = {"newest": {}, "portal": {"portal": "p07"}, "window": {"since": "2025-03-01", "until": "2025-04-01"},
           "search": {"q": "muong lat hoi nghi"}}


def run(scale: dict) -> dict:
    count = scale["store_articles"]
    results = {"embedded": _measure(None, count)}
    if os.environ.get("MONGO_URI"):
        results["mongodb"] = _measure(os.environ["MONGO_URI"], count)
    embedded = results["embedded"]
    return {
        "figures": results,
        "target": "none set: reported", "met": None,
        "how": f"{count:,} synthetic articles (about 600 words each) upserted in batches of 500 through "
               f"Store.upsert_articles; then 20 requests per query (5 for search) to /articles through the app in-process "
               f"(limit 20): {', '.join(f'{k} {v}' for k, v in QUERIES.items())}. Embedded: "
               f"{embedded['upserts_per_s']} articles/s.",
    }


def _measure(uri: str | None, count: int) -> dict:
    from fastapi.testclient import TestClient

    from crawler.api import create_app
    from crawler.config import Config

    with scratch_store() as (scratch, env):
        uri = uri or env["MONGO_URI"]
        db_name = f"bench_store_{os.getpid()}"
        store = Store(uri, db_name)
        store.ensure_indexes()
        rng = random.Random(5)
        started = time.monotonic()
        for first in range(0, count, 500):
            store.upsert_articles([_article(rng, n) for n in range(first, min(count, first + 500))])
        upsert_seconds = time.monotonic() - started
        config = Config(registry=scratch / "none.yaml", mongo_uri=uri, db_name=db_name, data_dir=scratch / "data")
        client = TestClient(create_app(config, store, admin_token=""))
        latency = {}
        for name, params in QUERIES.items():
            client.get("/articles", params=params)  # warm
            times = []
            for _ in range(REPEATS[name]):
                began = time.perf_counter()
                assert client.get("/articles", params=params).status_code == 200
                times.append((time.perf_counter() - began) * 1000)
            latency[name] = {"p50_ms": round(statistics.median(times), 1),
                             "p95_ms": round(statistics.quantiles(times, n=20)[18], 1)}
        store.client.drop_database(db_name)
    return {"articles": count, "upsert_seconds": round(upsert_seconds, 1),
            "upserts_per_s": round(count / upsert_seconds), "latency": latency}


def _article(rng: random.Random, n: int) -> dict:
    url = f"https://p{n % 20:02d}.thanhhoa.gov.vn/tin-tuc/bai-{n}"
    body = " ".join(rng.choice(WORDS) for _ in range(600))
    key = hashlib.sha256(url.encode()).hexdigest()
    return {"url": url, "canonical_url": url, "url_hash": key, "portal": f"p{n % 20:02d}", "portal_name": f"Xã {n % 20}",
            "province": "Thanh Hóa", "level": "commune", "title": f"Tin {n}: " + " ".join(rng.sample(WORDS, 8)),
            "summary": "", "body": body, "body_html": f"<p>{body}</p>", "author": None,
            "published_at": datetime(2024, 6, 1, tzinfo=UTC) + timedelta(hours=rng.randrange(24 * 700)),
            "category": None, "images": [], "language": "vi", "crawled_at": datetime.now(UTC),
            "content_hash": hashlib.sha256(body.encode()).hexdigest(), "alias_hashes": []}
