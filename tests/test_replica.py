"""The replica fleet: one loopback address per portal, pages with the structure of the real sites that
match the truth, and the five seed pages served as real articles of their portals."""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import unicodedata
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from datetime import timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

import lxml.html
import pytest
from ruamel.yaml import YAML

from crawler.replica import PORTAL_IDS, Fleet
from crawler.replica.content import CHROME_STRINGS
from crawler.replica.newspapers import decrypt
from crawler.replica.server import http_date
from crawler.replica.seeds import SEED_FILES, SEED_PORTALS, SEED_TEXTS

ROOT = Path(__file__).resolve().parent.parent
# Where the seed texts are kept: the shared research folder, or the copy in tests/seeds.
SEED_DIRS = [ROOT / "tests" / "seeds", ROOT.parent / "shared" / "seeds", Path("/work/shared/seeds")]


@pytest.fixture(scope="module")
def fleet():
    with Fleet(seed=1, articles_per_portal=45) as fleet:
        yield fleet


def fetch(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def page(url: str) -> lxml.html.HtmlElement:
    status, headers, body = fetch(url)
    assert status == 200, url
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    return lxml.html.fromstring(body.decode("utf-8"), base_url=url)


def text(element) -> str:
    return " ".join(unicodedata.normalize("NFC", element.text_content()).split())


def follow(start: str, next_link) -> list[lxml.html.HtmlElement]:
    """Every list page from `start`, following `next_link(doc) -> href | None`."""
    pages, url = [], start
    while url and len(pages) < 50:
        doc = page(url)
        pages.append(doc)
        href = next_link(doc)
        url = urljoin(url, href) if href else None
    return pages


def paths(urls) -> set[str]:
    return {urlsplit(url).path for url in urls}


def drawn(articles):
    """The generated articles, without the seed pages and the articles they list."""
    return [a for a in articles if not a.traits & {"seed", "seed-context"}]


def page_words(source: str) -> str:
    """The page as a text dump shows it: text nodes and image alt texts (else titles), scripts left out."""
    out = []

    def walk(element):
        if not isinstance(element.tag, str) or element.tag in ("script", "style", "head"):
            return
        if element.tag == "img":
            out.append(element.get("alt") or element.get("title") or "")
        out.append(element.text or "")
        for child in element:
            walk(child)
            out.append(child.tail or "")

    walk(lxml.html.fromstring(source))
    return " ".join(out)


def squash(value: str) -> str:
    return "".join(unicodedata.normalize("NFC", value).split())


# --- the fleet as a whole ------------------------------------------------------------------------

def test_registry_entries_point_at_the_replicas(fleet):
    entries = fleet.registry_entries()
    assert [e["id"] for e in entries] == list(PORTAL_IDS)
    for index, entry in enumerate(entries):
        assert set(entry) >= {"id", "name", "province", "level", "platform", "base_url", "start_paths"}
        assert entry["base_url"] == fleet.base_url(entry["id"])
        assert re.fullmatch(rf"http://127\.0\.0\.{2 + index}:\d+", entry["base_url"])  # one loopback address each
        for path in entry["start_paths"]:
            assert fetch(entry["base_url"] + path)[0] == 200
    by_id = {e["id"]: e for e in entries}
    assert by_id["muonglat"]["platform"] == "vnpt" and by_id["muonglat"]["level"] == "commune"
    assert by_id["quanhoa"]["platform"] == "sharepoint" and by_id["nongcong"]["level"] == "district"
    assert by_id["baolaocai"]["platform"] == "newspaper-baolaocai"
    assert [e["id"] for e in entries if e.get("render")] == ["baothanhhoa"]
    assert by_id["baothanhhoa"]["render"] == "browser"
    assert re.fullmatch(r"http://127\.0\.0\.8:\d+", fleet.media_url)
    hosts = [urlsplit(e["base_url"]).hostname for e in entries] + [urlsplit(fleet.media_url).hostname]
    assert len(set(hosts)) == len(PORTAL_IDS) + 1  # Scrapy sees one host per portal


def test_addresses_follow_the_host_and_a_fleet_of_a_few_keeps_them():
    with Fleet(host="127.0.5.0", portals=["quanhoa", "camtu"], articles_per_portal=8) as fleet:
        assert urlsplit(fleet.base_url("camtu")).hostname == "127.0.5.2"  # its place in PORTAL_IDS
        assert urlsplit(fleet.base_url("quanhoa")).hostname == "127.0.5.3"
        assert urlsplit(fleet.media_url).hostname == "127.0.5.7"
        assert fetch(fleet.base_url("camtu") + "/robots.txt")[0] == 200
        assert all(urlsplit(url).hostname == "127.0.5.7" for a in fleet.articles("camtu") for url, _ in a.images)
    with Fleet(portals=["camtu"], articles_per_portal=8) as one, Fleet(portals=["camtu"], articles_per_portal=8) as two:
        assert urlsplit(one.base_url("camtu")).hostname == urlsplit(two.base_url("camtu")).hostname == "127.0.0.3"
        assert one.base_url("camtu") != two.base_url("camtu")  # free ports by default: fleets run side by side


@pytest.mark.parametrize("host", ["10.0.0.1", "0.0.0.0", "", "::1", "example.org", "127.255.255.250"])
def test_hosts_outside_loopback_are_refused(host):
    with pytest.raises(ValueError):
        Fleet(host=host, portals=["camtu"], articles_per_portal=8)


def _free_port(addresses) -> int:
    """A port free on every address (the kernel's pick on the first, checked on the others)."""
    for _ in range(20):
        with socket.socket() as probe:
            probe.bind((addresses[0], 0))
            port = probe.getsockname()[1]
        try:
            for address in addresses[1:]:
                with socket.socket() as other:
                    other.bind((address, port))
            return port
        except OSError:
            continue
    pytest.skip("no port free on every loopback address")


def test_a_given_port_is_used_on_every_address():
    fleet = Fleet(portals=["muonglat", "baolaocai"], articles_per_portal=12)
    for attempt in range(5):
        port = _free_port(list(fleet.addresses.values()))
        try:
            fleet.start(port=port)
            break
        except OSError:  # taken meanwhile by a parallel test
            continue
    else:
        pytest.skip("could not bind one port on every address")
    try:
        assert fleet.base_url("muonglat") == f"http://127.0.0.2:{port}"
        assert fleet.base_url("baolaocai") == f"http://127.0.0.6:{port}"
        assert fleet.media_url == f"http://127.0.0.8:{port}"
        assert [e["base_url"] for e in fleet.registry_entries()] == [f"http://127.0.0.2:{port}", f"http://127.0.0.6:{port}"]
        article = fleet.articles("baolaocai")[0]
        assert article.url.startswith(f"http://127.0.0.6:{port}/")
        source = fetch(article.url)[2].decode()
        assert f'href="http://127.0.0.6:{port}/rss/home.rss"' in source  # absolute links follow the address
        assert fetch(article.images[0][0])[0] == 200
    finally:
        fleet.stop()


def test_truth_is_complete_and_ordered(fleet):
    for portal in PORTAL_IDS:
        articles = fleet.articles(portal)
        assert len(articles) == 45
        assert len({a.url for a in articles}) == 45 and len({a.title for a in articles}) == 45
        assert [a.listed_at for a in articles] == sorted((a.listed_at for a in articles), reverse=True)
        assert articles[0].listed_at - articles[-1].listed_at > timedelta(days=180)
        if portal != "quanhoa":  # SharePoint ids are list item ids, not in the URL
            assert [a.id for a in articles] == sorted((a.id for a in articles), reverse=True)
        for article in articles:
            assert article.url.startswith(fleet.base_url(portal) + "/")
            assert article.published_at.utcoffset() == timedelta(hours=7)
            assert all(url.startswith(fleet.media_url + "/") for url, _ in article.images)
            assert article.body_text == "\n\n".join(article.paragraphs) and len(article.paragraphs) >= 4
            for value in (article.title, article.summary, article.body_text, article.category):
                assert value and unicodedata.is_normalized("NFC", value)
            if "seed" not in article.traits:  # seed pages show what their seed shows: no author, bare images
                assert article.author and 1 <= len(article.images) <= 3 and all(c for _, c in article.images)
        for article in drawn(articles):  # page chrome never leaks into generated text
            for value in (article.title, article.summary, article.body_text, *(c for _, c in article.images)):
                assert not [chrome for chrome in CHROME_STRINGS if chrome in value], article.url
    seeds = {a.seed_id: a for p in PORTAL_IDS for a in fleet.articles(p) if "seed" in a.traits}
    assert sorted(seeds) == sorted(SEED_PORTALS) and all(fleet.seed_article(s) == a for s, a in seeds.items())


def test_same_seed_gives_the_same_sites_and_another_seed_others():
    def snapshot(seed):
        with Fleet(seed=seed, articles_per_portal=12) as fleet:
            return {p: [(urlsplit(a.url).path, a.title, a.body_text, a.published_at, a.author,
                         [urlsplit(u).path for u, _ in a.images], a.traits) for a in fleet.articles(p)] for p in PORTAL_IDS}

    first = snapshot(5)
    assert snapshot(5) == first
    other = snapshot(6)
    assert all(other[p] != first[p] for p in PORTAL_IDS)

    def fixed(shots):  # the seed pages, whole, and the articles they list (whose ids follow the others')
        return {p: [row if "seed" in row[-1] else row[1:] for row in rows if row[-1] & {"seed", "seed-context"}]
                for p, rows in shots.items()}

    assert fixed(first) == fixed(other) and sum(map(len, fixed(first).values())) == 5 + 6 + 9


def test_unknown_portal_and_too_few_articles_are_refused():
    with pytest.raises(ValueError):
        Fleet(portals=["nowhere"])
    with pytest.raises(ValueError):  # Báo Lào Cai always publishes its seed page and the nine it lists
        Fleet(portals=["baolaocai"], articles_per_portal=10)


def test_robots_404_content_types_and_media(fleet):
    for portal in PORTAL_IDS:
        base = fleet.base_url(portal)
        status, headers, body = fetch(base + "/robots.txt")
        assert status == 200 and headers["Content-Type"].startswith("text/plain")
        assert "User-agent: *" in body.decode()
        if portal.startswith("bao"):
            assert f"Sitemap: {base}/sitemap.xml" in body.decode()
        status, headers, _ = fetch(base + "/khong-ton-tai/trang-nay-123")
        assert status == 404 and headers["Content-Type"] == "text/html; charset=utf-8"
    jpeg = fetch(fleet.media_url + "/storage-vnportal/x/FileQuanTriTinTuc/2025/07/a.jpg")
    assert jpeg[0] == 200 and jpeg[1]["Content-Type"] == "image/jpeg"
    assert jpeg[2][:2] == b"\xff\xd8" and jpeg[2][-2:] == b"\xff\xd9"
    png = fetch(fleet.media_url + "/any/banner.png")
    assert png[0] == 200 and png[2].startswith(b"\x89PNG")
    assert fetch(fleet.media_url + "/notes.txt")[0] == 404
    for portal in PORTAL_IDS:  # every image of the truth is served
        url = fleet.articles(portal)[0].images[0][0]
        assert fetch(url)[1]["Content-Type"] == "image/jpeg"


# --- VNPT commune portals ------------------------------------------------------------------------

def test_vnpt_lists_paginate_to_every_article(fleet):
    base = fleet.base_url("muonglat")
    found, pages_per_category = [], {}
    for start in fleet.registry_entries()[0]["start_paths"]:
        pages = follow(base + start, lambda doc: next(iter(doc.xpath("//ul[@class='pagination']//a[@class='next'][@rel='next']/@href")), None))
        pages_per_category[start] = len(pages)
        for doc in pages:
            items = doc.cssselect(".news-item")
            assert 1 <= len(items) <= 10
            for item in items:
                assert item.cssselect("a.news-image img") and item.cssselect(".news-summary")
                assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", text(item.cssselect("span.news-date")[0]))
                found.append(urljoin(base, item.cssselect("h3.news-title a")[0].get("href")))
        assert not pages[-1].cssselect("ul.pagination a.next")
    assert pages_per_category["/tin-tuc-su-kien"] >= 3
    assert sorted(found) == sorted(a.url for a in fleet.articles("muonglat"))
    assert all(re.fullmatch(r"/[a-z-]+/[a-z0-9-]+-\d{6,8}", urlsplit(url).path) for url in found)
    empty = page(base + "/tin-tuc-su-kien?page=99")
    assert not empty.cssselect(".news-item") and not empty.cssselect("a.next")


def test_vnpt_article_page_matches_truth_and_has_the_chrome(fleet):
    articles = drawn(fleet.articles("muonglat"))
    numeric = next(a for a in articles if "numeric-date" in a.traits)
    worded = next(a for a in articles if "numeric-date" not in a.traits)
    for article in (numeric, worded):
        doc = page(article.url)
        detail = doc.cssselect("div.news-detail")[0]
        assert text(detail.cssselect("h1.title-detail")[0]) == article.title
        date = text(detail.cssselect("div.post-date")[0])
        if article is numeric:
            assert re.fullmatch(r"(Thứ (hai|ba|tư|năm|sáu|bảy)|Chủ nhật), \d{2}/\d{2}/\d{4} - \d{2}:\d{2}", date)
            assert date.endswith(article.published_at.strftime("%d/%m/%Y - %H:%M"))
        else:
            assert re.fullmatch(r"(Thứ (Hai|Ba|Tư|Năm|Sáu|Bảy)|Chủ Nhật), \d{1,2} tháng \d{1,2}, \d{4}", date)
            assert article.published_at.hour == article.published_at.minute == 0
        assert text(detail.cssselect("div.sapo-detail")[0]) == article.summary
        content = detail.cssselect("div.content-detail")[0]
        assert [text(p) for p in content.xpath("p[@style='text-align:justify']")] == list(article.paragraphs)
        assert [(img.get("src"), img.get("alt")) for img in content.cssselect("figure.image img")] == \
               [(url, "Anh-tin-bai") for url, _ in article.images]
        assert [text(p) for p in content.xpath("p[@style='text-align:center']/em")] == [f"({c})" for _, c in article.images]
        assert text(content.xpath("p[last()]")[0]) == article.author
        assert content.xpath("p[last()][@style='text-align:right']/strong")
        related = doc.cssselect("div.related-news")[0]
        assert "Tin cùng chuyên mục" in text(related) and len(related.cssselect("a")) >= 3
        assert not detail.cssselect(".related-news")
        whole = text(doc)
        for chrome in ("Tin nổi bật", "Thống kê truy cập", "Đang online", "Trong tuần", "100%",
                       "CƠ QUAN CHỦ QUẢN: UBND Xã Mường Lát", "Website được thiết kế bởi VNPT"):
            assert chrome in whole
        assert doc.xpath("//img[@alt='image banner']") and doc.xpath("//img[@alt='image advertisement']")


def test_vnpt_wrong_slug_redirects_to_the_article(fleet):
    article = fleet.articles("muonglat")[0]
    wrong = article.url.rsplit("/", 1)[0] + f"/bai-viet-{article.id}"
    with urllib.request.urlopen(wrong) as response:
        assert response.url == article.url


def test_camtu_republishes_a_few_muonglat_stories(fleet):
    source = {a.title: a for a in fleet.articles("muonglat")}
    copies = [a for a in fleet.articles("camtu") if a.title in source]
    assert 2 <= len(copies) <= 3
    for copy in copies:
        original = source[copy.title]
        assert copy.body_text == original.body_text and copy.url != original.url
        assert timedelta(0) <= copy.listed_at - original.listed_at <= timedelta(hours=31)
    assert "CƠ QUAN CHỦ QUẢN: UBND XÃ CẨM TÚ" in text(page(fleet.base_url("camtu") + "/"))


# --- SharePoint district portals -----------------------------------------------------------------

SHAREPOINT_URL = re.compile(r"/portal/(Pages|pages)/\d{4}(-\d{1,2}-\d{1,2})?/[A-Za-z0-9-]+([a-z0-9]{6,8}|-\d{6})\.aspx")


def _quanhoa_next(doc):
    current = int(text(doc.cssselect(".tandan-paging .tandan-page-current")[0]))
    return next(iter(doc.xpath(f"//div[@class='tandan-paging']/a[text()='{current + 1}']/@href")), None)


def _nongcong_next(doc):
    return next(iter(doc.xpath("//span[@class='CurrentPage']/following-sibling::a[1]/@href")), None)


@pytest.mark.parametrize("portal, next_link", [("quanhoa", _quanhoa_next), ("nongcong", _nongcong_next)])
def test_sharepoint_lists_paginate_to_every_article(fleet, portal, next_link):
    base = fleet.base_url(portal)
    pages = follow(base + "/portal/Pages/Tin-tuc-su-kien.aspx", next_link)
    assert len(pages) == 5
    links = [urljoin(base, href) for doc in pages for href in doc.xpath("//div[@class='channel-news-title']/a/@href")]
    assert links == [a.url for a in fleet.articles(portal)]
    assert all(SHAREPOINT_URL.fullmatch(urlsplit(url).path) for url in links)
    query = urlsplit(pages[1].base_url).query
    assert query == ("PageIndex=2" if portal == "quanhoa" else "Page=2")
    assert fetch(base + "/")[0] == 200  # redirected to /portal/Pages/default.aspx


def test_sharepoint_urls_vary_like_the_real_ones(fleet):
    all_paths = [urlsplit(a.url).path for p in ("quanhoa", "nongcong") for a in fleet.articles(p)]
    assert any(re.search(r"/\d{4}-\d{1,2}-\d/", p) for p in all_paths)  # a date not zero-padded
    assert any("/pages/" in p for p in all_paths) and any("/Pages/" in p for p in all_paths)
    assert any(re.search(r"-\d{6}\.aspx$", p) for p in all_paths)
    assert any(re.search(r"[a-z0-9]{6,8}\.aspx$", p) and not re.search(r"-\d{6}\.aspx$", p) for p in all_paths)
    article = fleet.articles("quanhoa")[0]
    assert fetch(article.url.lower())[0] == 200  # IIS paths are case-insensitive


@pytest.mark.parametrize("portal", ["quanhoa", "nongcong"])
def test_sharepoint_article_page_matches_truth(fleet, portal):
    article = next(a for a in fleet.articles(portal) if len(a.images) >= 2)
    raw = fetch(article.url)[2].decode()
    assert re.search(r"&(acirc|agrave|aacute|ocirc|igrave|iacute|atilde|eacute|ecirc);", raw)
    doc = page(article.url)
    main = doc.cssselect(".tandan-p-article-main")[0]
    if portal == "quanhoa":
        assert text(doc.cssselect(".tandan-p-article-news-title")[0]) == article.title
        assert text(doc.cssselect(".tandan-span-date-publish")[0]) == f"Đăng ngày {article.published_at:%d - %m - %Y}"
        body = main.cssselect("div.ms-rtestate-field#ctl00_PlaceHolderMain_ctl03__ControlWrapper_RichHtmlField")[0]
    else:
        assert text(doc.cssselect(".tandan-title-view")[0]) == article.title
        assert text(doc.cssselect(".tandan-date-view")[0]) == \
               f"Đăng lúc: {article.published_at:%H:%M:%S %d/%m/%Y} (GMT+7)"
        body = main.cssselect(".tandan-content-view")[0]
    assert text(doc.cssselect(".tandan-p-article-news-summary")[0]) == article.summary
    paragraphs = body.xpath(".//p[@style='text-align: justify;']")
    assert [text(p) for p in paragraphs] == list(article.paragraphs)
    images = body.xpath(".//img")
    assert [(img.get("src"), img.get("alt")) for img in images] == [(url, "") for url, _ in article.images]
    captions = [text(img.getparent().getnext()) for img in images]
    assert captions == [caption for _, caption in article.images]
    assert text(body.xpath(".//p[last()]/strong")[-1]) == article.author
    assert [text(a) for a in doc.cssselect(".td-tags a")] == list(article.tags)
    others = doc.cssselect(".tandan-div-article-other li")
    assert others and "Tin mới nhất" in text(doc.cssselect(".tandan-div-article-other")[0])
    assert all(re.search(r"\(\d{2}/\d{2}/\d{4} \d{1,2}:\d{2} (SA|CH)\)$", text(li)) for li in others)
    assert "100%" in text(doc) and "Thống kê truy cập" in text(doc)
    if portal == "nongcong":
        assert "QUYẾT TÂM THỰC HIỆN THẮNG LỢI" in text(doc)


# --- newspapers ----------------------------------------------------------------------------------

def test_baolaocai_rss_lists_the_latest_twenty(fleet):
    status, headers, body = fetch(fleet.base_url("baolaocai") + "/rss/home.rss")
    assert status == 200 and "xml" in headers["Content-Type"]
    items = ET.fromstring(body).findall("./channel/item")
    truth = fleet.articles("baolaocai")[:20]
    assert [item.findtext("link") for item in items] == [a.url for a in truth]
    for item, article in zip(items, truth):
        assert unicodedata.normalize("NFC", item.findtext("title")) == article.title
        assert item.findtext("pubDate") == article.published_at.strftime("%a, %d %b %Y %H:%M:%S +0700")
        description = html.unescape(unicodedata.normalize("NFC", item.findtext("description")))
        assert article.summary in description
        # The generated sapos open with "LCĐT - "; the 2025-26 pages of the seed (003) and its teasers do not.
        assert ("LCĐT - " in description) == (article in drawn(truth))


def test_baolaocai_categories_paginate_to_every_article(fleet):
    base = fleet.base_url("baolaocai")
    found, counts = [], {}
    for start in ("/thoi-su/", "/kinh-te/"):
        pages = follow(base + start, lambda doc: next(iter(doc.xpath("//div[@class='pagination']/a[@class='next']/@href")), None))
        counts[start] = len(pages)
        found += [href for doc in pages for href in doc.xpath("//section[@class='box-stream']//h3[@class='story__heading']/a/@href")]
    assert min(counts.values()) >= 3
    assert sorted(found) == sorted(a.url for a in fleet.articles("baolaocai"))
    assert all(re.fullmatch(r"/[a-z0-9-]+-post\d{6}\.html", urlsplit(u).path) for u in found)
    assert all(896415 <= a.id <= 908833 for a in fleet.articles("baolaocai"))
    assert fetch(base + "/kinh-te/trang-99.html")[0] == 404


def test_baolaocai_article_page_matches_truth(fleet):
    articles = drawn(fleet.articles("baolaocai"))
    decomposed = [a for a in articles if "nfd" in a.traits]
    assert len(decomposed) == 9
    for article in (decomposed[0], next(a for a in articles if "nfd" not in a.traits)):
        raw = fetch(article.url)[2].decode()
        assert (unicodedata.normalize("NFD", article.title) in raw) == ("nfd" in article.traits)
        doc = page(article.url)
        assert doc.xpath("//link[@rel='canonical']/@href") == [article.url]
        assert unicodedata.normalize("NFC", doc.xpath("//meta[@property='og:title']/@content")[0]) == article.title
        assert doc.xpath("//meta[@property='article:published_time']/@content") == [article.published_at.isoformat()]
        assert doc.xpath("//time/@datetime")[0] == article.published_at.isoformat()
        assert text(doc.cssselect("h1.article__title")[0]) == article.title
        sapo = text(doc.cssselect("div.article__sapo")[0])
        assert sapo == article.summary and sapo.startswith("LCĐT - ")
        body = doc.cssselect("div.article__body.cms-body[itemprop='articleBody'][data-field='body']")[0]
        assert [text(block) for block in body.xpath("p|h2")] == list(article.paragraphs)
        assert [(img.get("src"), text(cap)) for img, cap in zip(body.xpath(".//figure/img"), body.xpath(".//figure/figcaption"))] \
               == list(article.images)
        assert text(doc.cssselect(".article__author")[0]) == article.author
        assert not body.cssselect("section") and "Tin cùng chuyên mục" not in text(body)
        headings = [text(h) for h in doc.cssselect("section h3.box-heading")]
        assert headings == ["Có thể bạn quan tâm", "Tin cùng chuyên mục"]
        assert "fb yt zl tw" in text(doc)
    tag = doc.cssselect(".article__tags a")[0].get("href")
    assert re.search(r"-tag\d+\.html$", tag) and fetch(tag)[0] == 200


def test_baothanhhoa_encrypts_the_second_half_of_a_third_of_the_articles(fleet):
    articles = fleet.articles("baothanhhoa")
    encrypted = [a for a in articles if "encrypted" in a.traits]
    assert len(encrypted) == 15
    for article in encrypted[:4] + [next(a for a in articles if "encrypted" not in a.traits)]:
        raw = fetch(article.url)[2].decode()
        doc = lxml.html.fromstring(raw)
        assert unicodedata.normalize("NFC", doc.xpath("//meta[@property='og:title']/@content")[0]) == article.title
        assert text(doc.cssselect(".article__sapo")[0]).startswith("(Baothanhhoa.vn) - ")
        dcontent = doc.cssselect(".article__body #dcontent")[0]
        visible = [text(p) for p in dcontent.xpath("p")]
        boxes = doc.cssselect(".article__body div.enc-content")
        if "encrypted" not in article.traits:
            assert visible == list(article.paragraphs) and not boxes
            continue
        half = len(article.paragraphs) - len(article.paragraphs) // 2
        assert visible == list(article.paragraphs[:half])
        script = doc.xpath("//script[contains(., 'DOMContentLoaded')]/text()")[0]
        key, mode = re.search(r'var _k = "([^"]*)", _m = "([xr])"', script).groups()
        hidden = lxml.html.fragment_fromstring(decrypt(boxes[0].get("data-payload"), key, mode), create_parent="div")
        assert [text(p) for p in hidden.xpath("p")] == list(article.paragraphs[half:])
        assert article.paragraphs[-1] not in text(doc)


def test_baothanhhoa_urls_feeds_and_lists(fleet):
    base = fleet.base_url("baothanhhoa")
    articles = fleet.articles("baothanhhoa")
    old = [a for a in articles if "old-url" in a.traits]
    assert old and all(re.fullmatch(r"/(thoi-su|kinh-te)/[a-z0-9-]+/\d+\.htm", urlsplit(a.url).path) for a in old)
    assert all(re.fullmatch(r"/[a-z0-9-]+-\d+\.htm", urlsplit(a.url).path) for a in articles if a not in old)
    for feed, category in (("/rss/home.rss", None), ("/rss/thoi-su.xml", "thoi-su"), ("/rss/kinh-te.xml", "kinh-te")):
        items = ET.fromstring(fetch(base + feed)[2]).findall("./channel/item")
        expected = [a.url for a in articles if category in (None, a.category_key)][:20]
        assert [item.findtext("link") for item in items] == expected
    found = []
    for start in ("/thoi-su", "/kinh-te"):
        pages = follow(base + start, lambda doc: next(iter(doc.xpath("//a[@rel='next']/@href")), None))
        assert len(pages) >= 3
        found += [urljoin(base, h) for doc in pages for h in doc.xpath("//section[@class='box-stream']//h3/a/@href")]
    assert sorted(found) == sorted(a.url for a in articles)


# --- seed pages ----------------------------------------------------------------------------------

# seed: (headline, lead, (first, last) body line, author line, date line): 0-based lines of the seed text
SEED_LAYOUT = {
    "000": (1, 2, (3, 23), 24, None),
    "001": (1, 2, (3, 15), None, None),
    "002": (4, 9, (10, 23), None, 6),
    "003": (0, 2, (6, 44), None, None),
    "004": (2, 7, (8, 25), 27, 4),
}
# What each page states as its date: (local date, earliest hour, exact time or None).
SEED_DATES = {
    "000": ("2025-07-10", 12, None),   # "Chiều ngày 10/7"
    "001": ("2025-09-10", 12, None),   # "Chiều 10/9"
    "002": ("2022-05-11", 0, "00:00:00"),  # "Đăng ngày 11 - 05 - 2022": the page has the day only
    "003": ("2025-09-07", 8, None),    # "sáng 07/9"
    "004": ("2023-05-29", 0, "15:50:04"),  # "Đăng lúc: 15:50:04 29/05/2023 (GMT+7)"
}
IMAGE_LINE = re.compile(r"^(\S+\.(jpe?g|png)|Image-\d+ \(\d+\)\.jpg)$")


def expected_article(seed_id: str) -> tuple[list[str], list[str | None]]:
    """The seed's body paragraphs and image captions, read from its text independently of the replica."""
    lines = [" ".join(line.split()) for line in SEED_TEXTS[seed_id].split("\n")]
    first, last = SEED_LAYOUT[seed_id][2]
    paragraphs, captions, index = [], [], first
    while index <= last:
        line = lines[index]
        if line.startswith("Anh-tin-bai"):  # inline image; its caption in brackets, if any
            rest = line.removeprefix("Anh-tin-bai").strip()
            captions.append(rest[1:-1] if rest else None)
        elif IMAGE_LINE.match(line):  # a file name: Báo Lào Cai prints the caption on the next line
            captions.append(lines[index + 1] if seed_id == "003" else None)
            index += seed_id == "003"
        elif line:
            paragraphs.append(line)
        index += 1
    return paragraphs, captions


def listed_on(fleet, article) -> str:
    """The URL of the list page that should show `article` (its category's, at its date position)."""
    portal = SEED_PORTALS[article.seed_id]
    base, articles = fleet.base_url(portal), fleet.articles(portal)
    if portal in ("muonglat", "camtu"):
        same = [a for a in articles if a.category_key == article.category_key]
        return f"{base}/{article.category_key}?page={same.index(article) // 10 + 1}"
    if portal in ("quanhoa", "nongcong"):
        param = "PageIndex" if portal == "quanhoa" else "Page"
        return f"{base}/portal/Pages/Tin-tuc-su-kien.aspx?{param}={articles.index(article) // 10 + 1}"
    same = [a for a in articles if a.category_key == article.category_key]
    number = same.index(article) // 8 + 1
    return f"{base}/{article.category_key}/" + (f"trang-{number}.html" if number > 1 else "")


def test_seed_texts_are_the_shared_seeds():
    found = 0
    for seed_id, name in SEED_FILES.items():
        path = next((folder / name for folder in SEED_DIRS if (folder / name).exists()), None)
        if path is not None:
            assert SEED_TEXTS[seed_id] == path.read_text(encoding="utf-8"), name
            found += 1
    if not found:
        pytest.skip("no copy of the seed texts here")


@pytest.mark.parametrize("seed_id", sorted(SEED_PORTALS))
def test_seed_page_is_a_real_article_of_its_portal(fleet, seed_id):
    article = fleet.seed_article(seed_id)
    portal = SEED_PORTALS[seed_id]
    assert article in fleet.articles(portal) and "seed" in article.traits
    lines = SEED_TEXTS[seed_id].split("\n")
    headline, lead, _, author, date_line = SEED_LAYOUT[seed_id]
    paragraphs, captions = expected_article(seed_id)
    assert article.title == " ".join(lines[headline].split())
    assert article.summary == " ".join(lines[lead].split())
    assert list(article.paragraphs) == paragraphs and article.body_text == "\n\n".join(paragraphs)
    assert [caption for _, caption in article.images] == captions
    assert article.author == (lines[author].strip() if author else "")
    day, earliest, exact = SEED_DATES[seed_id]
    local_time = article.published_at
    assert local_time.date().isoformat() == day and local_time.hour >= earliest
    assert exact is None or local_time.strftime("%H:%M:%S") == exact
    assert not [chrome for chrome in CHROME_STRINGS if chrome in article.body_text]

    source = fetch(article.url)[2].decode("utf-8")
    words, position = squash(page_words(source)), 0
    for line in lines:  # the whole seed, boilerplate included, reads on the page in order
        line = line.strip().removeprefix("• ")
        if line:
            found = words.find(squash(line), position)
            assert found >= 0, (seed_id, line)
            position = found + len(squash(line))
    doc = lxml.html.fromstring(source)
    if date_line is None:  # no date line on the page: its <meta> states the time
        assert doc.xpath("//meta[@property='article:published_time']/@content") == [article.published_at.isoformat()]
    assert all(fetch(url)[0] == 200 for url, _ in article.images)
    # Listed where its date puts it, like any other article.
    listing = page(listed_on(fleet, article))
    assert article.url in {urljoin(listing.base_url, href) for href in listing.xpath("//a/@href")}


def test_seed_pages_keep_their_captured_chrome(fleet):
    # 000, 001: the visitor counter as saved, ads in two blocks, no date line, "Tin nổi bật" with no titles.
    for seed_id, ads in (("000", 5), ("001", 6)):
        doc = page(fleet.seed_article(seed_id).url)
        assert [text(li) for li in doc.cssselect("ul.counter li")] == \
               ["Đang online: 1", "Hôm nay: 1", "Trong tuần: 1", "Tất cả: 1"]
        assert len(doc.xpath("//img[@alt='image advertisement']")) == ads
        assert not doc.cssselect(".post-date, .font-value, .block-latest, .related-news, ul.hot-news li")
    # 002: "Tin mới nhất" is the seed's list, and every row is an article of the portal.
    article = fleet.seed_article("002")
    doc = page(article.url)
    rows = [line for line in SEED_TEXTS["002"].split("\n")[28:] if line]
    items = doc.cssselect(".tandan-div-article-other li")
    assert [squash(item.text_content()) for item in items] == [squash(row) for row in rows]
    titles = {a.url: a.title for a in fleet.articles("quanhoa")}
    for item in items:
        url = urljoin(article.url, item.cssselect("a")[0].get("href"))
        assert titles[url] == " ".join(item.cssselect("a")[0].get("title").split())
    # 003: an empty "Có thể bạn quan tâm", then the nine teasers, each an article with the teaser's sapo.
    article = fleet.seed_article("003")
    doc = page(article.url)
    assert not doc.cssselect("section.box-related article")
    teasers = doc.cssselect("section.box-category article.story")
    lines = [line for line in SEED_TEXTS["003"].split("\n")[49:-1] if line]
    assert [text(t.cssselect("h3 a")[0]) for t in teasers] == lines[0::3]
    by_url = {a.url: a for a in fleet.articles("baolaocai")}
    for teaser, sapo in zip(teasers, (" ".join(line.split()) for line in lines[2::3])):
        listed = by_url[teaser.cssselect("h3 a")[0].get("href")]
        assert listed.summary == sapo and "seed-context" in listed.traits
        assert text(teaser.cssselect(".story__summary")[0]) == sapo
    assert not doc.cssselect(".article__meta, .article__author, .article__tags")
    assert [text(span) for span in doc.cssselect(".article__audio span")] == ["0:00 / 0:00", "0:00"]  # the player
    # 004: the slogan banner, the date line and its font tool, the image named as uploaded.
    doc = page(fleet.seed_article("004").url)
    assert text(doc.cssselect(".tandan-slogan")[0]) == SEED_TEXTS["004"].split("\n")[0]
    assert text(doc.cssselect(".tandan-date-view")[0]) == "Đăng lúc: 15:50:04 29/05/2023 (GMT+7)"
    assert [(img.get("alt"), img.get("title")) for img in doc.cssselect(".tandan-content-view img")] == \
           [("", "Image-1 (27).jpg")]


# --- request log, delay, serve() -----------------------------------------------------------------

def test_request_log_and_article_delay():
    with Fleet(portals=["muonglat"], articles_per_portal=12, delay=0.3) as fleet:
        base, article = fleet.base_url("muonglat"), fleet.articles("muonglat")[0]
        started = time.monotonic()
        fetch(base + "/tin-tuc-su-kien?page=2")
        assert time.monotonic() - started < 0.25
        started = time.monotonic()
        fetch(article.url)
        assert time.monotonic() - started >= 0.3
        assert fleet.requests("muonglat") == ["/tin-tuc-su-kien?page=2", urlsplit(article.url).path]
        assert fleet.responses("muonglat") == [("/tin-tuc-su-kien?page=2", 200), (urlsplit(article.url).path, 200)]
        fleet.clear_requests()
        assert fleet.requests("muonglat") == [] and fleet.responses("muonglat") == []
        with pytest.raises(KeyError):
            fleet.requests("baolaocai")


def test_stop_does_not_wait_for_delayed_answers():
    fleet = Fleet(portals=["camtu"], articles_per_portal=8, delay=30).start()
    url = fleet.articles("camtu")[0].url
    worker = threading.Thread(target=lambda: fetch(url), daemon=True)
    worker.start()
    time.sleep(0.2)
    started = time.monotonic()
    fleet.stop()
    assert time.monotonic() - started < 2
    worker.join(timeout=3)
    assert not worker.is_alive()


def test_serve_prints_portals_writes_registry_and_stops_on_sigterm(tmp_path):
    registry = tmp_path / "replica.yaml"
    process = subprocess.Popen(
        [sys.executable, "-c",
         f"from crawler.replica.server import serve; serve(registry_out={str(registry)!r}, seed=2, publish_every=0.2)"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        lines = [process.stdout.readline().strip() for _ in PORTAL_IDS]
        assert [line.split()[0] for line in lines] == list(PORTAL_IDS), process.stderr.read() if process.poll() else lines
        data = YAML(typ="safe").load(registry.read_text(encoding="utf-8"))
        assert [e["id"] for e in data["portals"]] == list(PORTAL_IDS)
        assert [e["base_url"] for e in data["portals"]] == [line.split()[1] for line in lines]
        assert data["portals"][0]["name"] == "Xã Mường Lát" and data["portals"][5]["render"] == "browser"
        assert fetch(data["portals"][0]["base_url"] + "/robots.txt")[0] == 200
        feed = data["portals"][4]["base_url"] + "/rss/home.rss"  # publish_every: a new article every 0.2 s
        first = ET.fromstring(fetch(feed)[2]).findtext("channel/item/link")
        deadline = time.monotonic() + 5
        while ET.fromstring(fetch(feed)[2]).findtext("channel/item/link") == first and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ET.fromstring(fetch(feed)[2]).findtext("channel/item/link") != first
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0


# --- variants: commune sites on layouts no selector table knows, and the special sites ---------------

VARIANT_FAMILIES = list("ABCDABCD")
# Per family: list start, article links on a list page, next list page, and the article page's parts.
FAMILY_MARKUP = {
    "A": dict(start="/tin-tuc/", links="ul.posts h2.entry-title a", next=lambda d: _labelled(d, "Trang sau »"),
              title="h1.entry-title", lead=".entry-content > p:first-child > strong",
              body=".entry-content > p:not(:first-child):not(:last-child)", author=".entry-content > p:last-child strong",
              images=".entry-content figure img", captions=".entry-content figcaption"),
    "B": dict(start="/index.php/tin-tuc", links=".blog .items-row h2 a", next=lambda d: _first(d, "a[title='Trang sau']"),
              title="h2.contentheading", lead=".article-content .introtext",
              body=".article-content > p[style*='justify']", author=".article-content > p:last-child strong",
              images=".article-content p[style*='center'] img", captions=".article-content p[style*='center'] > em"),
    "C": dict(start="/tin-tuc", links=".card a.stretched-link", next=lambda d: _labelled(d, "Tiếp »"),
              title="h1.display-title", lead="p.lead", body=".noi-dung > p:not(:last-child)",
              author=".noi-dung > p:last-child", images=".noi-dung figure img", captions=".noi-dung figcaption"),
    "D": dict(start="/Default.aspx?tabid=55", links="div.tin a.tieude",
              next=lambda d: next(iter(d.xpath("//*[@class='PhanTrang']/b/following-sibling::a[1]/@href")), None),
              title="span.TieuDe", lead=".TomTat", body=".NoiDung > p[align='justify']", author=".NoiDung > p[align='right']",
              images="table.AnhMinhHoa img", captions="td.ChuThichAnh"),
}
VARIANT_CHROME = ("Tin mới nhất", "Tin nổi bật", "Thống kê truy cập", "Địa chỉ:")


def _labelled(doc, label: str) -> str | None:
    return next((a.get("href") for a in doc.iter("a") if text(a) == label), None)


def _first(doc, css: str) -> str | None:
    found = doc.cssselect(css)
    return found[0].get("href") if found else None


def _classes(doc) -> set[str]:
    return {token for element in doc.iter() if isinstance(element.tag, str) for token in (element.get("class") or "").split()}


@pytest.fixture(scope="module")
def vfleet():
    with Fleet(portals=[], variants=8, articles_per_variant=15) as fleet:
        yield fleet


def variant_pages(vfleet, vid: str) -> list[lxml.html.HtmlElement]:
    """Home, every list page, three articles and the static pages of a variant."""
    markup = FAMILY_MARKUP[vfleet.variant_info(vid)["family"]]
    base = vfleet.base_url(vid)
    home = page(base + "/")
    lists = follow(base + markup["start"], markup["next"])
    statics = {href for doc in (home,) for href in doc.xpath("//a/@href")
               if re.search(r"gioi-thieu|lien-he|thu-tuc|van-ban|tabid=5[678]", href)}
    return [home, *lists, *(page(a.url) for a in vfleet.articles(vid)[:3]), *(page(urljoin(base, h)) for h in statics)]


def test_variants_cycle_through_the_families_with_commune_names(vfleet):
    assert vfleet.variant_ids == [f"variant{k:02d}" for k in range(1, 9)]
    infos = [vfleet.variant_info(vid) for vid in vfleet.variant_ids]
    assert [info["family"] for info in infos] == VARIANT_FAMILIES
    assert len({info["name"] for info in infos}) == 8
    assert vfleet.registry_entries() == [] and vfleet.special_ids == ["nonportal", "emptyportal"]
    for vid, info in zip(vfleet.variant_ids, infos):
        assert re.fullmatch(r"(Xã|Phường) \w[\w ]+", info["name"])
        assert info["province"] in {"Thanh Hóa", "Nghệ An", "Lào Cai", "Hà Tĩnh"}
        articles = vfleet.articles(vid)
        assert len(articles) == 15 and all({"variant", f"family-{info['family']}"} <= a.traits for a in articles)
        home = page(vfleet.base_url(vid) + "/")
        words = text(home)
        assert info["name"] in text(home.find(".//title")) or info["name"] in home.findtext(".//title")
        assert f"CƠ QUAN CHỦ QUẢN: UBND {info['name']}" in words and info["name"].upper() in words  # footer, banner
        assert ("Website được thiết kế bởi VNPT" in words) == (int(vid[-2:]) % 3 == 2)
    with pytest.raises(KeyError):
        vfleet.variant_info("muonglat")


def test_variant_pages_share_no_class_name_with_the_known_platforms(fleet, vfleet):
    from crawler.extraction import platforms as extraction
    from spiders import platforms as spiders

    known = set()
    for portal in PORTAL_IDS:
        base = fleet.base_url(portal)
        docs = [page(base + "/")] if portal not in ("quanhoa", "nongcong") else []
        docs += [page(base + path) for path in fleet.registry_entries()[PORTAL_IDS.index(portal)]["start_paths"]]
        docs += [page(a.url) for a in fleet.articles(portal)[:3]]
        known |= set().union(*map(_classes, docs))
    selectors = [css for module in (extraction, spiders) for cls in vars(module).values() if isinstance(cls, type)
                 for name, value in vars(cls).items() if name.endswith("_css") and isinstance(value, tuple) for css in value]
    known |= {token for css in selectors for token in re.findall(r"\.([A-Za-z_][\w-]*)", css)}
    known_ids = {token for css in selectors for token in re.findall(r"#([A-Za-z_][\w-]*)", css)}
    assert {"news-item", "title-detail", "ms-rtestate-field", "article__body", "channel-news-title"} <= known
    known = {name.lower() for name in known}
    family_classes: dict[str, set[str]] = {}
    for vid in vfleet.variant_ids:
        docs = variant_pages(vfleet, vid)
        classes = set().union(*map(_classes, docs))
        assert not {c for c in classes if c.lower() in known}, vid
        assert not {i for doc in docs for i in doc.xpath("//@id") if i in known_ids}, vid
        family_classes.setdefault(vfleet.variant_info(vid)["family"], set()).update(classes)
    for one in "ABCD":  # the families share (next to) nothing with each other either
        for other in "ABCD":
            if one < other:
                shared = family_classes[one] & family_classes[other]
                assert len(shared) <= 0.1 * min(len(family_classes[one]), len(family_classes[other])), (one, other, shared)


def test_variant_lists_paginate_to_every_article(vfleet):
    for vid in vfleet.variant_ids:
        markup = FAMILY_MARKUP[vfleet.variant_info(vid)["family"]]
        base = vfleet.base_url(vid)
        pages_ = follow(base + markup["start"], markup["next"])
        assert len(pages_) >= 2, vid
        listed = [urljoin(doc.base_url, a.get("href")) for doc in pages_ for a in doc.cssselect(markup["links"])]
        assert listed == [a.url for a in vfleet.articles(vid)], vid
        home_links = {urljoin(base + "/", href) for href in page(base + "/").xpath("//a/@href")}
        assert vfleet.articles(vid)[0].url in home_links  # the newest is on the home page
        side = {urljoin(base + "/", href) for href in pages_[0].xpath("//a/@href")} - set(listed[:len(listed) // 2])
        assert side & {a.url for a in vfleet.articles(vid)}  # side lists link articles too


def _stated_time(family: str, doc) -> tuple:
    """The publication time the page states (family A: the <time> attribute; D: the day only)."""
    if family == "A":
        return ("iso", doc.cssselect("time.entry-date")[0].get("datetime"))
    if family == "B":
        line = text(doc.cssselect("td.createdate")[0])
        match = re.fullmatch(r"Ngày đăng: (\d\d)/(\d\d)/(\d{4}) (\d\d):(\d\d)", line)
    elif family == "C":
        line = text(doc.cssselect(".thoi-gian")[0])
        match = re.fullmatch(r"Cập nhật lúc (?P<H>\d\d):(?P<M>\d\d) ngày (?P<d>\d\d)-(?P<m>\d\d)-(?P<y>\d{4})", line) or \
            re.fullmatch(r"(?:Thứ \w+|Chủ nhật), (?P<d>\d\d)/(?P<m>\d\d)/(?P<y>\d{4}) (?P<H>\d\d):(?P<M>\d\d)", line)
        assert match, line
        return ("dmyhm", *(int(match.group(k)) for k in "dmyHM"))
    else:
        line = text(doc.cssselect("span.NgayDang")[0])
        match = re.fullmatch(r"\((\d\d)/(\d\d)/(\d{4})\)", line)
        assert match, line
        return ("dmyhm", *map(int, match.groups()), 0, 0)
    assert match, line
    return ("dmyhm", *map(int, match.groups()))


def test_variant_article_pages_match_truth(vfleet):
    for vid in vfleet.variant_ids:
        info = vfleet.variant_info(vid)
        family, markup = info["family"], FAMILY_MARKUP[info["family"]]
        for article in vfleet.articles(vid)[:6]:
            doc = page(article.url)

            def one(css):
                found = doc.cssselect(markup[css])
                assert len(found) == 1, (article.url, css)
                return text(found[0])

            assert one("title") == article.title and one("lead") == article.summary and one("author") == article.author
            assert [text(p) for p in doc.cssselect(markup["body"])] == list(article.paragraphs), article.url
            assert [img.get("src") for img in doc.cssselect(markup["images"])] == [u for u, _ in article.images]
            assert [text(c) for c in doc.cssselect(markup["captions"])] == [c for _, c in article.images]
            when = article.published_at
            stated = _stated_time(family, doc)
            if stated[0] == "iso":
                assert stated[1] == when.isoformat() and when.second == 0
            else:
                assert stated[1:] == (when.day, when.month, when.year, when.hour, when.minute), article.url
            assert when.utcoffset() == timedelta(hours=7) and article.posted_at - when < timedelta(days=1)
            if family == "D":
                assert (when.hour, when.minute) == (0, 0)
            head = {m.get("name") or m.get("property"): m.get("content") for m in doc.iter("meta")}
            ld = [json.loads(s.text) for s in doc.xpath("//script[@type='application/ld+json']")]
            assert not {"article:published_time", "pubdate", "date"} & set(head)  # dates only where the family puts them
            assert bool(ld) == (family == "C")
            if ld:
                assert ld[0]["datePublished"] == when.isoformat() and ld[0]["author"]["name"] == article.author
            words = text(doc)
            assert all(chrome in words for chrome in VARIANT_CHROME) and "100%" in words
            assert f"CƠ QUAN CHỦ QUẢN: UBND {info['name']}" in words and info["name"] in doc.findtext(".//title")
            for value in (article.title, article.summary, article.body_text, *(c for _, c in article.images)):
                assert not [chrome for chrome in CHROME_STRINGS if chrome in value]
        image = fetch(vfleet.articles(vid)[0].images[0][0])
        assert image[0] == 200 and image[1]["Content-Type"] == "image/jpeg"


def test_variant_urls_robots_redirects_and_404s(vfleet):
    by_family = {vfleet.variant_info(v)["family"]: v for v in vfleet.variant_ids[:4]}
    for vid in vfleet.variant_ids:
        status, headers, body = fetch(vfleet.base_url(vid) + "/robots.txt")
        assert status == 200 and headers["Content-Type"].startswith("text/plain") and b"User-agent: *" in body
        assert fetch(vfleet.base_url(vid) + "/khong-co/trang-nay.html")[0] == 404
    patterns = {"A": r"/\d{4}/\d\d/\d\d/[a-z0-9-]+/", "B": r"/index\.php/tin-tuc/\d+-[a-z0-9-]+\.html",
                "C": r"/tin-tuc/[a-z0-9-]+-\d+\.html", "D": r"/Default\.aspx\?tabid=55&ItemID=\d+"}
    for family, vid in by_family.items():
        base = vfleet.base_url(vid)
        for article in vfleet.articles(vid):
            assert re.fullmatch(re.escape(base) + patterns[family], article.url), article.url
    a_base, a_first = vfleet.base_url(by_family["A"]), vfleet.articles(by_family["A"])[0]
    opener = urllib.request.build_opener(type("NoRedirect", (urllib.request.HTTPRedirectHandler,),
                                              {"redirect_request": lambda *args: None}))
    for url, location in ((f"{a_base}/?p={a_first.id}", urlsplit(a_first.url).path), (f"{a_base}/tin-tuc", "/tin-tuc/")):
        with pytest.raises(urllib.error.HTTPError) as answer:
            opener.open(url)
        assert answer.value.code == 301 and answer.value.headers["Location"] == location
    assert fetch(a_base + "/tin-tuc/page/9/")[0] == 404
    b_first = vfleet.articles(by_family["B"])[0]
    assert fetch(re.sub(r"-[a-z0-9-]+\.html$", "-sai.html", b_first.url))[2] == fetch(b_first.url)[2]  # 301 to it
    d_base, d_first = vfleet.base_url(by_family["D"]), vfleet.articles(by_family["D"])[0]
    assert fetch(f"{d_base}/default.aspx?TabId=55&itemid={d_first.id}")[2] == fetch(d_first.url)[2]  # IIS: any case
    assert fetch(f"{d_base}/Default.aspx?tabid=55&ItemID=1")[0] == 404
    assert page(f"{d_base}/Default.aspx?tabid=55&CurrentPage=2").cssselect(".PhanTrang b")[0].text == "2"
    assert fetch(vfleet.base_url(by_family["C"]) + "/tin-tuc?p=9")[0] == 404


DATE_LIKE = re.compile(r"\b\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}\b|\b\d{4}-\d\d-\d\d|<time")


def test_special_sites_have_no_articles(vfleet):
    for sid in ("nonportal", "emptyportal"):
        assert vfleet.articles(sid) == [] and vfleet.variant_info(sid)["family"] == sid
        base = vfleet.base_url(sid)
        home = page(base + "/")
        internal = {href for href in home.xpath("//a/@href") if not href.startswith("http")}
        for href in internal | {"/"}:
            status, _, body = fetch(urljoin(base + "/", href))
            assert status == 200, href
            assert not DATE_LIKE.search(body.decode()), (sid, href)
        assert fetch(base + "/robots.txt")[0] == 200
        if sid == "nonportal":
            assert internal <= {"/", "/gioi-thieu", "/dich-vu", "/lien-he"}
            assert home.xpath("//form[@method='post']//textarea") and "Tin" not in text(home)
        else:
            assert internal <= {"/", "/gioi-thieu", "/tin-tuc", "/lien-he"}
            assert "Chưa có tin bài" in text(home) and "Chưa có tin bài" in text(page(base + "/tin-tuc"))
            assert "Phường Nguyệt Viên" in home.findtext(".//title")
            assert "CƠ QUAN CHỦ QUẢN: UBND Phường Nguyệt Viên" in text(home)
    assert Fleet(portals=[]).special_ids == [] and Fleet(portals=[]).variant_ids == []
    alone = Fleet(portals=[], specials=True)
    assert alone.special_ids == ["nonportal", "emptyportal"] and alone.variant_ids == []
    assert (alone.addresses["nonportal"], alone.addresses["emptyportal"]) == ("127.0.0.9", "127.0.0.10")


def test_fifty_variants_get_their_own_addresses_and_start_fast():
    started = time.monotonic()
    with Fleet(variants=50) as fleet:
        assert time.monotonic() - started < 2
        hosts = {name: urlsplit(fleet.base_url(name) if name != "media" else fleet.media_url).hostname
                 for name in fleet.addresses}
        assert len(set(hosts.values())) == len(PORTAL_IDS) + 1 + 2 + 50
        assert [hosts[p] for p in PORTAL_IDS] == [f"127.0.0.{2 + i}" for i in range(6)] and hosts["media"] == "127.0.0.8"
        assert hosts["variant01"] == "127.0.0.11" and hosts["variant50"] == "127.0.0.60"
        assert [e["id"] for e in fleet.registry_entries()] == list(PORTAL_IDS)
        assert fetch(fleet.base_url("variant50") + "/robots.txt")[0] == 200
    with Fleet(host="127.0.0.240", portals=[], variants=50) as high:  # runs on into the next /24
        assert high.addresses["variant50"] == "127.0.1.43"
        assert fetch(high.base_url("variant50") + "/")[0] == 200
    with pytest.raises(ValueError):
        Fleet(host="127.255.255.200", portals=[], variants=50)
    with pytest.raises(ValueError):
        Fleet(portals=[], variants=1000)


def test_variants_are_deterministic_and_independent_of_the_fleet_size():
    def shot(seed, count):
        with Fleet(portals=[], variants=count, seed=seed) as fleet:
            out = {}
            for vid in fleet.variant_ids:
                articles = fleet.articles(vid)
                base = fleet.base_url(vid)
                pages_ = [fetch(articles[2].url)[2].decode(), fetch(base + "/")[2].decode()]
                out[vid] = (fleet.variant_info(vid),
                            [(a.url.removeprefix(base), a.title, a.summary, a.body_text, a.published_at, a.author,
                              [(u.removeprefix(fleet.media_url), c) for u, c in a.images], a.traits) for a in articles],
                            [p.replace(base, "BASE").replace(fleet.media_url, "MEDIA") for p in pages_])
            return out

    first = shot(5, 4)
    assert shot(5, 4) == first
    assert shot(5, 2) == {vid: first[vid] for vid in ("variant01", "variant02")}
    other = shot(6, 4)
    assert all(other[vid][0]["name"] != first[vid][0]["name"] or other[vid][1] != first[vid][1] for vid in first)
    assert [v[0]["family"] for v in other.values()] == list("ABCD")


def test_variants_leave_the_known_portals_as_they_were():
    def shot(**options):
        with Fleet(portals=["camtu"], articles_per_portal=8, **options) as fleet:
            base, media = fleet.base_url("camtu"), fleet.media_url
            pages_ = [fetch(base + "/")[2].decode(), fetch(fleet.articles("camtu")[0].url)[2].decode()]
            return urlsplit(base).hostname, [p.replace(base, "BASE").replace(media, "MEDIA") for p in pages_]

    assert shot(variants=3) == shot()


def test_serve_prints_variants_and_specials_after_the_portals(tmp_path):
    registry = tmp_path / "replica.yaml"
    process = subprocess.Popen(
        [sys.executable, "-c",
         f"from crawler.replica.server import serve; serve(registry_out={str(registry)!r}, seed=2, variants=3)"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        lines = [process.stdout.readline().split() for _ in range(len(PORTAL_IDS) + 3 + 2)]
        assert [line[0] for line in lines] == [*PORTAL_IDS, "variant01", "variant02", "variant03", "nonportal",
                                              "emptyportal"], lines
        assert all(len(line) == 2 for line in lines[:6])
        assert [line[2] for line in lines[6:]] == ["A", "B", "C", "nonportal", "emptyportal"]
        assert re.fullmatch(r"http://127\.0\.0\.11:\d+", lines[6][1])
        assert fetch(lines[6][1] + "/robots.txt")[0] == 200
        data = YAML(typ="safe").load(registry.read_text(encoding="utf-8"))
        assert [e["id"] for e in data["portals"]] == list(PORTAL_IDS)
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0


# --- publishing over time ------------------------------------------------------------------------------

def fetch_with(url: str, method: str = "GET", **headers: str) -> tuple[int, dict, bytes]:
    """`fetch` with request headers (If_None_Match="..." -> If-None-Match) and a method."""
    request = urllib.request.Request(url, method=method, headers={k.replace("_", "-"): v for k, v in headers.items()})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def list_path(platform: str, article) -> str:
    """List page 1 of the list a new article of `platform` tops."""
    return {"vnpt": f"/{article.category_key}", "sharepoint": "/portal/Pages/Tin-tuc-su-kien.aspx",
            "newspaper-baolaocai": f"/{article.category_key}/", "newspaper-baothanhhoa": f"/{article.category_key}",
            }[platform]


def linked(doc, truth) -> list:
    """The articles of `truth` a page links, in document order (each once)."""
    by_url = {a.url: a for a in truth}
    out = []
    for _, attribute, link, _ in doc.iterlinks():
        article = by_url.get(urljoin(doc.base_url, link).partition("#")[0]) if attribute == "href" else None
        if article is not None and article not in out:
            out.append(article)
    return out


def test_unpublished_articles_answer_404_and_publishing_puts_them_on_top():
    with Fleet(seed=1, articles_per_portal=12) as fleet:
        platforms = {e["id"]: e["platform"] for e in fleet.registry_entries()}
        for pid in PORTAL_IDS:
            base, before = fleet.base_url(pid), fleet.articles(pid)
            fresh = fleet.upcoming(pid)[0]
            assert fresh.url.startswith(base + "/") and all(url.startswith(fleet.media_url) for url, _ in fresh.images)
            assert fresh.url not in {a.url for a in before} and fresh.title not in {a.title for a in before}
            assert fetch(fresh.url)[0] == 404, pid
            list_url = base + list_path(platforms[pid], fresh)
            sources = [fetch(url)[2].decode() for url in (list_url, base + "/", before[0].url, base + "/rss/home.rss",
                                                          base + "/sitemap.xml")]
            assert not any(fresh.path in source or f">{html.escape(fresh.title)}<" in source for source in sources), pid
            assert fleet.published_count(pid) == 0

            assert fleet.publish(pid) == [fresh]
            assert fleet.published_count(pid) == 1 and fleet.articles(pid) == [fresh, *before]
            assert fleet.upcoming(pid)[0] != fresh
            doc = page(fresh.url)
            assert html.escape(fresh.title) in lxml.html.tostring(doc, encoding="unicode")
            # Newer than everything the site had, even where pages print the date only.
            assert fresh.published_at > max(a.published_at for a in before)
            assert fresh.listed_at > before[0].listed_at
            assert linked(page(list_url), fleet.articles(pid))[0] == fresh, pid
            if platforms[pid] == "vnpt":
                side = page(before[0].url).cssselect("ul.latest-news a")
                item = page(list_url).cssselect(".news-item")[0]
                assert side[0].get("href") == fresh.path and text(item.cssselect(".news-date")[0]) == f"{fresh.published_at:%d/%m/%Y}"
            elif platforms[pid] == "sharepoint":
                side = page(before[0].url).cssselect(".tandan-div-article-other a")
                assert fresh.path in [a.get("href") for a in side]
                assert page(list_url).cssselect(".tandan-div-article-other a")[0].get("href") == fresh.path
            else:
                rss = ET.fromstring(fetch(base + "/rss/home.rss")[2])
                assert rss.findtext("channel/item/link") == fresh.url
                assert parsedate_to_datetime(rss.findtext("channel/item/pubDate")) == fresh.published_at
                assert rss.findtext("channel/lastBuildDate") == format_datetime(fresh.published_at)
                assert linked(page(base + "/"), fleet.articles(pid))[0] == fresh
                assert f"<loc>{fresh.url}</loc>" in fetch(base + "/sitemap.xml")[2].decode()
        assert [fleet.published_count(pid) for pid in PORTAL_IDS] == [1] * len(PORTAL_IDS)


def test_publish_everywhere_variants_on_request_and_the_same_articles_in_every_fleet():
    def upcoming(seed):
        fleet = Fleet(seed=seed, articles_per_portal=12, variants=4)  # not started: paths, not URLs
        return {pid: [(a.id, a.path, a.title, a.published_at, a.listed_at, a.traits) for a in fleet.upcoming(pid, 3)]
                for pid in [*fleet.publishing_ids(), *fleet.variant_ids]}

    first = upcoming(1)
    assert upcoming(1) == first and upcoming(2) != first
    for pid, drafts in first.items():
        times = [listed for *_, listed, _ in drafts]
        assert times == sorted(times) and all(7 <= t.hour <= 20 for t in times), pid
        assert len({path for _, path, *_ in drafts}) == 3
    with Fleet(seed=1, articles_per_portal=12, variants=4) as fleet:
        assert fleet.publishing_ids() == list(PORTAL_IDS)
        published = fleet.publish(count=2)  # every known portal, the variants left alone
        assert [(a.id, a.title) for a in published] == [(d[0], d[2]) for pid in PORTAL_IDS for d in first[pid][:2]]
        assert [fleet.published_count(pid) for pid in fleet.sites] == [2] * 6 + [0] * 6
        assert fleet.articles("muonglat")[0].title == first["muonglat"][1][2]  # newest first
        for vid in fleet.variant_ids:
            fresh, = fleet.publish(vid)
            assert fresh.title == first[vid][0][2] and fleet.articles(vid)[0] == fresh
            markup = FAMILY_MARKUP[fleet.variant_info(vid)["family"]]
            first_link = page(fleet.base_url(vid) + markup["start"]).cssselect(markup["links"])[0].get("href")
            assert urljoin(fleet.base_url(vid), first_link) == fresh.url, vid
            assert fetch(fresh.url)[0] == 200 and fetch(fleet.upcoming(vid)[0].url)[0] == 404
        with pytest.raises(ValueError):
            fleet.publish("nonportal")
        with pytest.raises(KeyError):
            fleet.publish("nowhere")
        with pytest.raises(ValueError):
            fleet.publish("camtu", count=-1)
    with pytest.raises(ValueError):
        Fleet(portals=["camtu"], articles_per_portal=8, publish_every=0)


def test_publish_every_publishes_in_the_background_until_stopped():
    fleet = Fleet(portals=["camtu", "baolaocai"], articles_per_portal=12, publish_every=0.05).start()
    try:
        deadline = time.monotonic() + 5
        while min(fleet.published_count("camtu"), fleet.published_count("baolaocai")) < 3 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert fleet.published_count("camtu") >= 3 and fleet.published_count("baolaocai") >= 3
        newest = fleet.articles("baolaocai")[0]
        assert newest.listed_at > fleet.articles("baolaocai")[-1].listed_at and fetch(newest.url)[0] == 200
    finally:
        fleet.stop()
    counts = (fleet.published_count("camtu"), fleet.published_count("baolaocai"))
    time.sleep(0.2)
    assert (fleet.published_count("camtu"), fleet.published_count("baolaocai")) == counts
    assert not any(t.name == "replica-publisher" for t in threading.enumerate())


# --- byte-identical pages by default -----------------------------------------------------------------

# The digest of every page of Fleet(seed=1, articles_per_portal=45, variants=4), sites bound to fixed addresses,
# as the replica served them before it could publish over time. Change it only with an intended template change.
DEFAULT_PAGES_DIGEST = "832d08d7d338d07a94f4d757a40fb0ad0f6802a41bc1af5b8d9d8c16448bfa3d"
_PAGE_LINKS = re.compile(r'(?:href|src)="([^"]*)"|<link>([^<]*)</link>|<loc>([^<]*)</loc>')


def site_pages(site) -> dict[str, tuple]:
    """Every page reachable from a bound site's home, robots, sitemap and feed, rendered in-process."""
    base, queue, out = site.base_url, ["/", "/robots.txt", "/sitemap.xml", "/rss/home.rss"], {}
    while queue:
        target = queue.pop(0)
        if target in out:
            continue
        parts = urlsplit(target)
        answer = site.route(unquote(parts.path) or "/", parse_qs(parts.query))
        out[target] = (answer.status, answer.content_type, answer.headers, answer.encoded())
        links = [value for name, value in answer.headers if name == "Location"]
        if "html" in answer.content_type or "xml" in answer.content_type:
            links += [html.unescape(next(g for g in match.groups() if g is not None))
                      for match in _PAGE_LINKS.finditer(answer.encoded().decode())]
        for link in links:
            url = urlsplit(urljoin(base + target, link))
            if f"{url.scheme}://{url.netloc}" == base:
                queue.append(url.path + (f"?{url.query}" if url.query else ""))
    return out


def pages_digest(fleet) -> str:
    digest = hashlib.sha256()
    for k, (sid, site) in enumerate(fleet.sites.items()):
        site.bind(f"http://127.0.0.{k + 2}:8000", "http://127.0.0.99:8000")
        for target, (status, content_type, headers, body) in sorted(site_pages(site).items()):
            digest.update(f"{sid} {target} {status} {content_type} {headers}\n".encode() + body)
    return digest.hexdigest()


def test_pages_are_byte_identical_until_something_is_published():
    fleet = Fleet(seed=1, articles_per_portal=45, variants=4)
    for pid in [*fleet.publishing_ids(), *fleet.variant_ids]:
        fleet.upcoming(pid, 3)  # drawing what comes next changes nothing
    assert pages_digest(fleet) == DEFAULT_PAGES_DIGEST
    site = fleet.sites["variant02"]
    home = site.route("/", {}).encoded()
    fresh, = fleet.publish("variant02")
    assert site.route("/", {}).encoded() != home and fresh.path.encode() in site.route("/", {}).encoded()


# --- conditional requests ----------------------------------------------------------------------------

# site -> (sends ETag, sends Last-Modified), as the server module documents it
VALIDATORS = {"muonglat": (True, True), "camtu": (True, True), "quanhoa": (False, True), "nongcong": (False, True),
              "baolaocai": (True, True), "baothanhhoa": (True, True), "variant01": (True, True),
              "variant02": (False, False), "variant03": (True, False), "variant04": (False, True),
              "nonportal": (False, False), "emptyportal": (False, False)}


def test_conditional_requests_follow_each_platforms_policy():
    with Fleet(seed=1, articles_per_portal=12, variants=4) as fleet:
        starts = {e["id"]: e["start_paths"][0] for e in fleet.registry_entries()}
        starts |= {vid: FAMILY_MARKUP[fleet.variant_info(vid)["family"]]["start"] for vid in fleet.variant_ids}
        for sid, (etags, dates) in VALIDATORS.items():
            base, truth = fleet.base_url(sid), fleet.articles(sid)
            urls = [base + starts.get(sid, "/")] + ([truth[3].url] if truth else [])
            for url in urls:
                status, headers, body = fetch(url)
                assert status == 200 and ("ETag" in headers) == etags and ("Last-Modified" in headers) == dates, (sid, url)
                if dates:
                    shown = [truth[3]] if url == truth[3].url else linked(lxml.html.fromstring(body, base_url=url), truth)
                    assert headers["Last-Modified"] == http_date(max(a.listed_at for a in shown))
                    assert headers["Last-Modified"].endswith(" GMT")
                    older = http_date(parsedate_to_datetime(headers["Last-Modified"]) - timedelta(seconds=1))
                    assert fetch_with(url, If_Modified_Since=headers["Last-Modified"])[:3:2] == (304, b"")
                    assert fetch_with(url, If_Modified_Since="Fri, 01 Jan 2100 00:00:00 GMT")[0] == 304
                    assert fetch_with(url, If_Modified_Since=older)[0] == 200
                    assert fetch_with(url, If_Modified_Since="not a date")[0] == 200
                    # If-None-Match decides when present, whether the site sends ETags or not.
                    assert fetch_with(url, If_None_Match='"0123"', If_Modified_Since=headers["Last-Modified"])[0] == 200
                if etags:
                    etag = headers["ETag"]
                    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
                    code, answer, empty = fetch_with(url, If_None_Match=etag)
                    assert (code, empty) == (304, b"") and answer["ETag"] == etag
                    assert fetch_with(url, method="HEAD", If_None_Match=etag)[0] == 304
                    assert fetch_with(url, If_None_Match=f'"0123", W/{etag}')[0] == 304
                    assert fetch_with(url, If_None_Match="*")[0] == 304
                    assert fetch_with(url, If_None_Match='"0123"')[0] == 200
                if not etags and not dates:
                    assert fetch_with(url, If_None_Match="*", If_Modified_Since="Fri, 01 Jan 2100 00:00:00 GMT")[0] == 200
            responses = fleet.responses(sid)
            assert [target for target, _ in responses] == fleet.requests(sid)
            assert any(code == 304 for _, code in responses) == (etags or dates)
        for extra in ("/robots.txt", "/no-such-page"):  # validators on pages and feeds only
            assert not {"ETag", "Last-Modified"} & set(fetch(fleet.base_url("muonglat") + extra)[1])
        assert fetch_with(fleet.media_url + "/x.png", If_Modified_Since="Fri, 01 Jan 2100 00:00:00 GMT")[0] == 200


def test_a_publish_turns_the_list_pages_304_into_200():
    with Fleet(seed=1, articles_per_portal=12, variants=4) as fleet:
        urls = {"muonglat": "/tin-tuc-su-kien", "quanhoa": "/portal/Pages/Tin-tuc-su-kien.aspx",
                "baolaocai": "/rss/home.rss", "baothanhhoa": "/thoi-su", "variant01": "/tin-tuc/",
                "variant03": "/tin-tuc", "variant04": "/Default.aspx?tabid=55"}
        seen = {}
        for sid, path in urls.items():
            article = fleet.articles(sid)[5]
            seen[sid] = [fetch(fleet.base_url(sid) + path)[1], fetch(article.url)[1], article]
        for sid in ("muonglat", "quanhoa", "baolaocai", "baothanhhoa"):
            fleet.publish(sid, count=2)  # the first in each paper's first category
        for vid in ("variant01", "variant03", "variant04"):
            fleet.publish(vid)
        for sid, (list_headers, article_headers, article) in seen.items():
            url = fleet.base_url(sid) + urls[sid]
            etags, dates = VALIDATORS[sid]
            status, now, _ = fetch(url)
            assert status == 200
            if etags:
                assert now["ETag"] != list_headers["ETag"]
                assert fetch_with(url, If_None_Match=list_headers["ETag"])[0] == 200
                assert fetch_with(url, If_None_Match=now["ETag"])[0] == 304
            if dates:
                assert parsedate_to_datetime(now["Last-Modified"]) > parsedate_to_datetime(list_headers["Last-Modified"])
                assert fetch_with(url, If_Modified_Since=list_headers["Last-Modified"])[0] == 200
                # An article page keeps its own date, though its side lists changed: still 304.
                assert fetch_with(article.url, If_Modified_Since=article_headers["Last-Modified"])[0] == 304
            if sid == "muonglat":  # its "Tin mới nhất" changed, and with it the ETag
                assert fetch_with(article.url, If_None_Match=article_headers["ETag"])[0] == 200
        assert ("/tin-tuc-su-kien", 304) in fleet.responses("muonglat")
        fleet.clear_requests()
        assert fleet.responses("muonglat") == []
