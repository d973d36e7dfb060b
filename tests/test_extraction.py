"""Page objects: a saved page in, an article out; and every replica article read exactly as published."""

from __future__ import annotations

import json
import unicodedata
import urllib.request
from datetime import datetime
from pathlib import Path

import pytest

from crawler.extraction import GenericArticle, SharePointArticle, VnptArticle
from crawler.registry import Selectors
from crawler.replica import Fleet
from pipelines.normalize import normalize_body
from spiders import PLATFORM_SPIDERS
from tests.crawling import article_text

FIXTURES = Path(__file__).parent / "fixtures"
CHROME = ["Thống kê truy cập", "CƠ QUAN CHỦ QUẢN", "Website được thiết kế bởi VNPT", "Tin cùng chuyên mục",
          "Tin mới nhất", "Tin nổi bật", "Có thể bạn quan tâm", "Từ khóa", "Anh-tin-bai", "image advertisement",
          "Đang online", "0:00 / 0:00"]


def nfc(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "")


def fixture_cases() -> list:
    """tests/fixtures/{platform}/{name}.html with the expected article in {name}.json."""
    return [pytest.param(page.parent.name, page, id=f"{page.parent.name}/{page.stem}")
            for page in sorted(FIXTURES.glob("*/*.html"))]


@pytest.mark.parametrize("platform, page", fixture_cases())
def test_fixture(platform, page):
    """Exact fields where the fixture gives them; `body_contains`/`body_lacks` where only parts are certain."""
    expected = json.loads(page.with_suffix(".json").read_text())
    extractor = PLATFORM_SPIDERS[platform].article_page(expected["url"], page.read_text())
    article = extractor.to_article()
    assert nfc(article["title"]) == expected["title"]
    if "published_at" in expected:
        assert article["published_at"] == datetime.fromisoformat(expected["published_at"])
    for field in ("author", "summary"):
        if field in expected:
            assert nfc(article[field]) == expected[field], field
    body = normalize_body(article["body"])
    if "body" in expected:
        assert body == expected["body"]
    for part in expected.get("body_contains", []):
        assert part in body
    if "body_starts_with" in expected:
        assert body.startswith(expected["body_starts_with"])
    for part in expected.get("body_lacks", []):
        assert part not in body
    if "captions" in expected:
        assert [i["caption"] for i in article["images"]] == expected["captions"]
    assert extractor.needs_browser() == expected.get("needs_browser", False)
    for chrome in CHROME:
        assert chrome not in body and chrome not in article["body_html"]
    assert "<script" not in article["body_html"] and "style=" not in article["body_html"]
    assert article["language"] == "vi"


def test_every_platform_has_fixtures():
    assert {case.values[0] for case in fixture_cases()} == set(PLATFORM_SPIDERS)


@pytest.fixture(scope="module")
def fleet():
    with Fleet(seed=11, articles_per_portal=30) as fleet:
        yield fleet


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


@pytest.mark.parametrize("portal", ["muonglat", "camtu", "quanhoa", "nongcong", "baolaocai", "baothanhhoa"])
def test_every_replica_article_reads_as_published(fleet, portal):
    entry = next(e for e in fleet.registry_entries() if e["id"] == portal)
    page_class = PLATFORM_SPIDERS[entry["platform"]].article_page
    checked = 0
    for truth in fleet.articles(portal):
        if "encrypted" in truth.traits:
            continue  # half of the text is decrypted by JavaScript: only a browser render has it
        article = page_class(truth.url, fetch(truth.url)).to_article()
        assert (nfc(article["title"]), article["published_at"], nfc(article["author"])) == \
               (nfc(truth.title), truth.published_at, nfc(truth.author)), truth.url
        assert normalize_body(article["body"]) == article_text(truth), truth.url
        assert [(i["url"], i["caption"]) for i in article["images"]] == [(u, nfc(c) or None) for u, c in truth.images]
        checked += 1
    assert checked >= 15


def test_generic_extractor_on_a_layout_without_selectors(fleet):
    """Meta tags, JSON-LD/<time> and trafilatura find the article on a page nobody wrote selectors for."""
    truth = fleet.articles("baolaocai")[3]
    article = GenericArticle(truth.url, fetch(truth.url)).to_article()
    assert nfc(article["title"]) == nfc(truth.title)
    assert article["published_at"] == truth.published_at
    body = normalize_body(article["body"])
    paragraphs = article_text(truth).split("\n\n")
    assert sum(p in body for p in paragraphs) >= 0.8 * len(paragraphs)
    for chrome in CHROME:
        assert chrome not in body


def test_registry_selector_overrides_take_precedence():
    html = """<html><body><h1 class="title-detail">Tiêu đề nền tảng</h1>
      <div class="tieu-de-rieng">Tiêu đề của xã</div><div class="ngay-dang">Ngày 3 tháng 12 năm 2025</div>
      <div class="content-detail"><p>Nội dung theo bộ chọn của nền tảng.</p></div>
      <div class="noi-dung"><p>Nội dung theo bộ chọn của xã, dài hơn một chút.</p><p>Đoạn hai.</p></div></body></html>"""
    default = VnptArticle("https://xa.gov.vn/tin/bai-1234", html).to_article()
    assert default["title"] == "Tiêu đề nền tảng" and default["body"] == "Nội dung theo bộ chọn của nền tảng."
    overrides = Selectors(title=".tieu-de-rieng", body=".noi-dung", date=".ngay-dang")
    article = VnptArticle("https://xa.gov.vn/tin/bai-1234", html, overrides).to_article()
    assert article["title"] == "Tiêu đề của xã"
    assert article["body"] == "Nội dung theo bộ chọn của xã, dài hơn một chút.\n\nĐoạn hai."
    assert article["published_at"].date().isoformat() == "2025-12-03"


def test_entity_encoded_sharepoint_body_and_plain_captions():
    html = """<div class="tandan-p-article-main"><div class="ms-rtestate-field">
      <p>Huyện &#7911;y Quan H&oacute;a tổ chức hội nghị triển khai kết luận số 684 của Ban thường vụ.</p>
      <p><img src="/portal/Photos/2022-5-11/a.jpg" alt=""></p><p>Quang cảnh hội nghị</p>
      <p>Đồng ch&iacute; H&agrave; Thị Thuận dự chỉ đạo hội nghị.</p><p><strong>Hà Văn A</strong></p></div></div>"""
    article = SharePointArticle("https://quanhoa.thanhhoa.gov.vn/portal/Pages/2022-5-11/x.aspx", html).to_article()
    assert article["body"] == ("Huyện ủy Quan Hóa tổ chức hội nghị triển khai kết luận số 684 của Ban thường vụ.\n\n"
                               "Đồng chí Hà Thị Thuận dự chỉ đạo hội nghị.")
    assert article["images"] == [{"url": "https://quanhoa.thanhhoa.gov.vn/portal/Photos/2022-5-11/a.jpg", "caption": "Quang cảnh hội nghị"}]
    assert article["author"] == "Hà Văn A"


def test_canonical_link_only_trusted_on_the_same_site():
    page = '<html><head><link rel="canonical" href="{}"></head><body><h1>T</h1><p>x</p></body></html>'
    same = GenericArticle("https://camtu.thanhhoa.gov.vn/a-1?utm_source=x", page.format("/tin/a-1")).canonical_url()
    assert same == "https://camtu.thanhhoa.gov.vn/tin/a-1"
    other = GenericArticle("https://camtu.thanhhoa.gov.vn/a-1", page.format("https://thanhhoa.gov.vn/b-2")).canonical_url()
    assert other == "https://camtu.thanhhoa.gov.vn/a-1"
