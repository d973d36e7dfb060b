"""Pipelines one by one: normalise, validate, dedupe (the store pipeline is covered by the crawl tests)."""

import unicodedata
from datetime import datetime

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler
from twisted.internet import defer

from crawler.items import Article
from pipelines.dedupe import DedupePipeline
from pipelines.normalize import NormalizePipeline
from pipelines.validate import ValidatePipeline

BODY = "Chiều ngày 10/7, Thường trực Tỉnh ủy Thanh Hóa tổ chức hội nghị trực tuyến toàn tỉnh."


def make(**fields) -> Article:
    return Article(url="https://camtu.thanhhoa.gov.vn/tin-tuc/hoi-nghi-1105750", title="Hội nghị", body=BODY, **fields)


def test_normalize_nfc_entities_and_whitespace():
    item = make(summary="  LCĐT -  Bu&ocirc;̉i làm việc \n", author=unicodedata.normalize("NFD", "Hồ Thuỷ"))
    item["title"] = unicodedata.normalize("NFD", "Hội   nghị &amp; tập huấn")
    item["body"] = "Đoạn một\u00a0 có  khoảng trắng.\n\n\n\nĐoạn &acirc;m hai."
    NormalizePipeline().process_item(item)
    assert item["title"] == "Hội nghị & tập huấn" and unicodedata.is_normalized("NFC", item["title"])
    assert item["author"] == "Hồ Thuỷ" and unicodedata.is_normalized("NFC", item["author"])
    assert item["body"] == "Đoạn một có khoảng trắng.\n\nĐoạn âm hai."


@pytest.mark.parametrize("change, reason", [
    ({"title": ""}, "missing title"),
    ({"body": "   "}, "missing body"),
    ({"body": "Quá ngắn."}, "body too short"),
    ({"published_at": datetime(2025, 7, 10)}, "published_at without timezone"),
])
def test_validate_drops_half_empty_articles_with_reason(change, reason):
    crawler = get_crawler()
    pipeline = ValidatePipeline.from_crawler(crawler)
    item = make()
    item.update(change)
    with pytest.raises(DropItem, match=reason):
        pipeline.process_item(item)
    assert sum(v for k, v in crawler.stats.get_stats().items() if k.startswith("validate/dropped/")) == 1


def test_validate_keeps_complete_articles():
    assert ValidatePipeline.from_crawler(get_crawler()).process_item(make())["title"] == "Hội nghị"


def test_dedupe_keys_by_canonical_url_and_drops_repeats():
    pipeline = DedupePipeline.from_crawler(get_crawler())
    first = pipeline.process_item(make(canonical_url="https://CAMTU.thanhhoa.gov.vn/tin-tuc/hoi-nghi-1105750/?utm_source=zalo"))
    assert first["canonical_url"] == "https://camtu.thanhhoa.gov.vn/tin-tuc/hoi-nghi-1105750"
    assert len(first["url_hash"]) == 64 and len(first["content_hash"]) == 64
    with pytest.raises(DropItem, match="duplicate"):
        pipeline.process_item(make(canonical_url=None))


def test_republished_story_shares_content_hash_not_url_hash():
    pipeline = DedupePipeline.from_crawler(get_crawler())
    a = pipeline.process_item(make())
    b = pipeline.process_item(Article(url="https://muonglat.thanhhoa.gov.vn/tin-tuc/hoi-nghi-99", title="Hội nghị", body=BODY))
    assert a["content_hash"] == b["content_hash"] and a["url_hash"] != b["url_hash"]


def test_store_pipeline_keeps_a_batch_the_store_refused_and_writes_it_later(store, tmp_path):
    """A write that fails (here: a server that is not there) loses nothing; the next flush stores it."""
    from crawler.store import Store
    from pipelines.store import StorePipeline

    crawler = get_crawler(settings_dict={"STORE_BATCH_SIZE": 2, "PORTALS_DATA_DIR": str(tmp_path)})
    pipeline = StorePipeline.from_crawler(crawler)
    pipeline.run_in_thread = defer.maybeDeferred  # here, without a reactor: write in this thread
    pipeline.store = Store("mongodb://127.0.0.1:9/?directConnection=true", timeout_ms=200)
    dedupe = DedupePipeline.from_crawler(crawler)
    for n in range(3):
        item = Article(url=f"https://camtu.thanhhoa.gov.vn/tin/bai-{n}-{100 + n}", title=f"Bài {n}", body=BODY)
        pipeline.process_item(dedupe.process_item(item))
    assert len(pipeline.buffer) == 3 and crawler.stats.get_value("store/flush_failed") == 1
    assert sum(len(path.read_text().splitlines()) for path in (tmp_path / "spool").iterdir()) == 3  # on disk too
    pipeline.store = store  # the store is back
    pipeline.finish()
    assert pipeline.buffer == [] and pipeline.writing is None and store.count_articles() == 3
    assert crawler.stats.get_value("articles/new") == 3
    assert list((tmp_path / "spool").iterdir()) == []  # stored: the spool is empty again


def test_articles_the_store_never_took_wait_in_the_spool_for_the_next_crawl(store, tmp_path):
    """The store stays down until the crawl ends: the next crawl's pipeline stores the spooled articles first."""
    from crawler.store import Store
    from pipelines.store import StorePipeline

    def pipeline_on(target):
        crawler = get_crawler(settings_dict={"STORE_BATCH_SIZE": 2, "PORTALS_DATA_DIR": str(tmp_path),
                                             "STORE_CLOSE_WAIT_SECONDS": 0})
        pipeline = StorePipeline.from_crawler(crawler)
        pipeline.run_in_thread = defer.maybeDeferred
        pipeline.store = target
        return crawler, pipeline

    _, first = pipeline_on(Store("mongodb://127.0.0.1:9/?directConnection=true", timeout_ms=200))
    dedupe = DedupePipeline.from_crawler(get_crawler())
    for n in range(5):
        item = Article(url=f"https://camtu.thanhhoa.gov.vn/tin/bai-{n}-{100 + n}", title=f"Bài {n}", body=BODY)
        first.process_item(dedupe.process_item(item))
    first.finish()
    assert store.count_articles() == 0 and len(first.buffer) == 5
    crawler, second = pipeline_on(store)
    second.replay_spool()
    assert store.count_articles() == 5 and crawler.stats.get_value("spool/replayed") == 5
    assert list((tmp_path / "spool").iterdir()) == []
    second.replay_spool()  # nothing left: nothing written twice
    assert store.count_articles() == 5 and crawler.stats.get_value("spool/replayed") == 5
