"""h. The national archive: the embedded store at 100,000 and 1,000,000 articles.

Articles shaped as the crawl stores them: 34 provinces, 3,321 portals, three years, bodies of
3-8 KB of Vietnamese text with their HTML, written through `Store.upsert_articles` in batches of
500 as the crawl's pipeline writes them (stories, change feed and all). A store is built once
per size and kept under bench/.cache/ (`--national` reuses it; delete the folder to rebuild).
Then, through the API app in-process: p50/p95 of /articles (newest, by portal, by province, by
commune code, a 10-day window, a deep page), of search (folded, with diacritics, a phrase,
ranked), and of /stories; the change feed and an export streamed (articles/s); the store reads a
portal's crawl makes at its start; and sustained upserts of fresh articles into the full store.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from crawler.embedded import EmbeddedStore
from crawler.store import Store
from crawler.vietnam import fold

CACHE = Path(__file__).resolve().parent / ".cache"
DB = "national"
PROVINCES = 34
PORTALS = 3321
YEARS = 3
BATCH = 500
START = datetime(2023, 12, 1, tzinfo=UTC)
COMMON = ("xã phường tỉnh hội nghị triển khai nhiệm vụ công tác Đảng ủy nhân dân ban chấp hành ủy ban "
          "năm tháng ngày kết quả thực hiện đồng chí chủ tịch phó bí thư cán bộ đảng viên tổ chức kế hoạch "
          "phát triển nâng cao chất lượng hiệu quả tăng cường chỉ đạo địa phương thôn bản khu dân cư").split()
TOPICS = ["chuyển đổi số", "bầu cử đại biểu Quốc hội", "phòng chống thiên tai", "nông thôn mới", "cải cách hành chính",
          "an ninh trật tự", "giảm nghèo bền vững", "tiêm chủng mở rộng", "khuyến học khuyến tài", "bảo hiểm y tế",
          "đường giao thông nông thôn", "lễ hội truyền thống", "sản xuất vụ đông", "phòng cháy chữa cháy",
          "an toàn thực phẩm", "trồng rừng phòng hộ", "nước sạch vệ sinh môi trường", "dân số kế hoạch hóa",
          "thanh niên tình nguyện", "hội phụ nữ", "cựu chiến binh", "người cao tuổi", "trẻ em đến trường",
          "du lịch cộng đồng", "hợp tác xã", "chăn nuôi gia súc", "thủy lợi nội đồng", "điện lưới quốc gia",
          "chương trình mục tiêu quốc gia", "đại hội đảng bộ", "tiếp công dân", "hòa giải cơ sở", "quân sự địa phương",
          "tuyển quân", "văn hóa thể thao", "mầm non", "trung học cơ sở", "trạm y tế", "ngân hàng chính sách",
          "xóa nhà tạm"]
SYLLABLES = ("Mường Lát Cẩm Tú Quan Hóa Sơn Lâm Yên Định Phú Xuân Hòa Bình An Tân Thành Long Hưng Thịnh Trung "
             "Đông Tây Nam Bắc Kim Ngọc Hải Thủy Tiến Phong Lộc Thọ Vĩnh Quang Minh Đức Hiệp Lợi Tường Sa Pa Bát "
             "Xát Mỹ Lương Cao Thượng Hạ Hồng Thái Nghĩa Thuận Khánh Phước Hiền Linh Chi Mai Lan").split()
PROVINCE_NAMES = [f"Tỉnh {n:02d}" for n in range(PROVINCES - 1)] + ["Thanh Hóa"]
REPEATS = 30


def portal_of(n: int) -> tuple[str, str, str]:
    """(portal id, province, commune code) of portal number n."""
    return f"xa{n:04d}", PROVINCE_NAMES[n % PROVINCES], f"{10000 + n:05d}"


def commune_name(n: int) -> str:
    """Portal n's commune: two syllables, unique across the 3,321 (portal 0 is Mường Lát)."""
    count = len(SYLLABLES)
    return f"{SYLLABLES[n % count]} {SYLLABLES[(n // count + 1) % count]}"


def make_article(rng: random.Random, n: int, total: int, when: datetime | None = None) -> dict:
    """Article n: its portal's commune named in it, two topics, common words around them."""
    number = n % PORTALS
    portal, province, code = portal_of(number)
    name = commune_name(number)
    topics = rng.sample(TOPICS, 2)
    url = f"https://{portal}.gov.vn/tin-tuc/bai-viet-{n}.html"
    size = rng.randrange(3000, 8000)
    sentences, length = [], 0
    while length < size:
        words = rng.choices(COMMON, k=rng.randrange(8, 16))
        roll = rng.random()
        words.insert(rng.randrange(len(words)), rng.choice(topics) if roll < 0.4 else f"xã {name}" if roll < 0.55 else "")
        sentence = " ".join(word for word in words if word).capitalize() + "."
        sentences.append(sentence)
        length += len(sentence) + 1
    body = " ".join(sentences)
    title = f"Xã {name}: {topics[0]} {' '.join(rng.sample(COMMON, 4))}"
    published = when or START + timedelta(seconds=int(YEARS * 365 * 86400 * n / total) + rng.randrange(3600))
    return {"url": url, "canonical_url": url, "url_hash": hashlib.sha256(url.encode()).hexdigest(), "portal": portal,
            "portal_name": f"Xã {name}", "province": province, "admin_code": code, "level": "commune",
            "title": title, "summary": sentences[0], "body": body,
            "body_html": "".join(f"<p>{sentence}</p>" for sentence in sentences),
            "author": None, "published_at": published, "category": "Tin tức", "images": [], "language": "vi",
            "crawled_at": published + timedelta(hours=3), "content_hash": hashlib.sha256(body.encode()).hexdigest(),
            "alias_hashes": []}


def build(count: int, progress) -> tuple[Path, dict]:
    """The store of `count` articles, built once (kept with how long it took)."""
    folder = CACHE / f"national-{count}"
    built = folder / "built.json"
    if built.exists():
        return folder, json.loads(built.read_text())
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    embedded = EmbeddedStore(folder / "data")
    status = embedded.start()
    try:
        store = Store(status.uri, DB)
        store.ensure_indexes()
        rng = random.Random(16)
        began, rates = time.monotonic(), []
        for first in range(0, count, BATCH):
            docs = [make_article(rng, n, count) for n in range(first, min(count, first + BATCH))]
            batch_began = time.monotonic()
            store.upsert_articles(docs)
            rates.append(len(docs) / (time.monotonic() - batch_began))
            if first // BATCH % 20 == 0:
                progress(f"built {first + len(docs):,} of {count:,} articles ({time.monotonic() - began:.0f} s)")
        store.save_stories()
        elapsed = time.monotonic() - began
        tail = rates[-max(1, len(rates) // 10):]
        facts = {"articles": count, "build_seconds": round(elapsed), "upserts_per_s": round(count / elapsed),
                 "upserts_per_s_last_tenth": round(statistics.mean(tail)), "first_batch_per_s": round(rates[0])}
        store.close()
    finally:
        embedded.stop()
    built.write_text(json.dumps(facts))
    return folder, facts


def timed(call, repeats: int = REPEATS) -> dict:
    call()  # warm
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    return {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(statistics.quantiles(times, n=20)[18], 1)}


def measure(count: int, progress) -> dict:
    from fastapi.testclient import TestClient

    from crawler.api import create_app
    from crawler.config import Config

    folder, facts = build(count, progress)
    embedded = EmbeddedStore(folder / "data")
    status = embedded.start()
    try:
        store = Store(status.uri, DB)
        config = Config(registry=folder / "none.yaml", mongo_uri=status.uri, db_name=DB, data_dir=folder / "data")
        client = TestClient(create_app(config, store, admin_token=""))

        def get(path, **params):
            def call():
                response = client.get(path, params=params)
                assert response.status_code == 200, response.text
                return response
            return call

        last = START + timedelta(days=YEARS * 365)
        deep = client.get("/articles", params={"limit": 20, "since": (last - timedelta(days=120)).date().isoformat()})
        cursor = deep.json().get("next_cursor")
        latency = {
            "articles_newest": timed(get("/articles", limit=20)),
            "articles_by_portal": timed(get("/articles", limit=20, portal=portal_of(1234)[0])),
            "articles_by_province": timed(get("/articles", limit=20, province="Thanh Hóa")),
            "articles_by_commune_code": timed(get("/articles", limit=20, admin_code=portal_of(2345)[2])),
            "articles_10_day_window": timed(get("/articles", limit=20, since=(last - timedelta(days=400)).date().isoformat(),
                                                until=(last - timedelta(days=390)).date().isoformat())),
            "articles_next_page": timed(get("/articles", limit=20, cursor=cursor)),
            "search_folded": timed(get("/articles", limit=20, q=fold(commune_name(0))), 3),
            "search_diacritics": timed(get("/articles", limit=20, q=commune_name(77)), 3),
            "search_phrase": timed(get("/articles", limit=20, q=f'"{commune_name(1234)}" "chuyển đổi số"'), 3),
            "search_ranked": timed(get("/articles", limit=20, q=f"{commune_name(2345)} bầu cử", sort="relevance"), 3),
            "stories": timed(get("/stories", limit=20), 10),
        }
        progress(f"{count:,} articles: latencies measured")
        streams = {"changes": _stream_rate(client, "/changes", 5000), "export": _export_rate(client, 5000)}
        startup = _startup_reads(store)
        sustained = _sustained_upserts(store, count)
        store.close()
    finally:
        embedded.stop()
    return {"articles": count, "build": facts, "latency": latency, "streams_articles_per_s": streams,
            "startup_store_ms_per_portal": startup, "sustained_upserts_per_s": sustained}


def _stream_rate(client, path: str, wanted: int) -> float:
    began, got, after = time.perf_counter(), 0, 0
    while got < wanted:
        page = client.get(path, params={"after": after, "limit": 500}).json()
        if not page.get("changes"):
            break
        got += len(page["changes"])
        after = page["next"]
    return round(got / (time.perf_counter() - began))


def _export_rate(client, wanted: int) -> float:
    began, got = time.perf_counter(), 0
    with client.stream("GET", "/export.jsonl", params={"province": "Thanh Hóa"}) as response:
        for line in response.iter_lines():
            got += bool(line)
            if got >= wanted:
                break
    return round(got / (time.perf_counter() - began))


def _startup_reads(store: Store) -> dict:
    """What a portal's crawl reads from the store before its first request, per portal (ms)."""
    portals = [portal_of(n)[0] for n in range(0, PORTALS, PORTALS // 50)]

    def reads(portal):
        store.known_url_hashes(portal)
        store.list_validators(portal)
        store.list_failures(portal, max_runs=3)
        store.cached_robots(f"https://{portal}.gov.vn", datetime.now(UTC) - timedelta(days=1))
    times = []
    for portal in portals:
        began = time.perf_counter()
        reads(portal)
        times.append((time.perf_counter() - began) * 1000)
    return {"p50_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1), "portals": len(portals)}


def _sustained_upserts(store: Store, count: int) -> float:
    rng = random.Random(99)
    docs = [make_article(rng, count + n, count, when=datetime.now(UTC) - timedelta(minutes=n)) for n in range(5 * BATCH)]
    began = time.monotonic()
    for first in range(0, len(docs), BATCH):
        store.upsert_articles(docs[first:first + BATCH])
    rate = round(len(docs) / (time.monotonic() - began))
    store.articles.delete_many({"_id": {"$in": [d["url_hash"] for d in docs]}})  # the cached store stays as built
    return rate


def run(scale: dict) -> dict:
    sizes = scale.get("national_articles", [])
    if not sizes:
        return {"figures": {}, "target": "run with --national", "met": None,
                "how": "skipped: `bench/run.py --national` builds the 100,000 and 1,000,000-article stores (once)."}
    progress = lambda message: print(f"  h: {message}", flush=True)  # noqa: E731
    figures = {f"{size:,}": measure(size, progress) for size in sizes}
    return {"figures": figures, "target": TARGETS, "met": _met(figures[f"{max(sizes):,}"]), "how": __doc__.split("\n\n")[1]}


TARGETS = ("/articles p95 <= 50 ms; search p95 <= 300 ms; /stories p95 <= 100 ms; change feed and export "
           ">= 5,000 articles/s; sustained upserts >= 1,000 articles/s; start-up reads <= 5 ms per portal")


def _met(figures: dict) -> bool:
    latency = figures["latency"]
    return (all(v["p95_ms"] <= 50 for k, v in latency.items() if k.startswith("articles_"))
            and all(v["p95_ms"] <= 300 for k, v in latency.items() if k.startswith("search_"))
            and latency["stories"]["p95_ms"] <= 100
            and min(figures["streams_articles_per_s"].values()) >= 5000
            and figures["sustained_upserts_per_s"] >= 1000
            and figures["startup_store_ms_per_portal"]["max_ms"] <= 5)
