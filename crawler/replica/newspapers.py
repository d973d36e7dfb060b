"""Replicas of two provincial newspapers: Báo Lào Cai and Báo Thanh Hóa.

`NewspaperSite` holds what both do alike (home, robots, sitemap, RSS, teasers,
category pages); each subclass its URL scheme, pager and page templates.

baolaocai (platform newspaper-baolaocai)
    /                                   home
    /{thoi-su|kinh-te}/                 category, 8 per page; /{category}/trang-N.html (404 past the end)
    /{slug}-post{id}.html               article (ids 896415-908833 rising with time; wrong slug -> 301)
    /{slug}-tag{id}.html, /tu-khoa/{slug}-tag{id}.html   tag pages
    /rss/home.rss                       RSS 2.0, latest 20, pubDate RFC 822 +0700
    /sitemap.xml, /robots.txt (with Sitemap:)
    Article: h1.article__title, div.article__sapo ("LCĐT - ..."), <time datetime>, meta
    article:published_time, link[rel=canonical], og:title, body
    div.article__body.cms-body[itemprop=articleBody][data-field=body] with <figure><img><figcaption>
    and a few <h2> subheadings, p.article__author after the body, then "Có thể bạn quan tâm"
    (section.box-related) and "Tin cùng chuyên mục" (section.box-category). One article in five
    is written in NFD (decomposed diacritics), everywhere it appears. Seed 003 (post903104, the
    Mù Cang Chải working session of 07/09/2025) has no date line, author or tags, a sapo without
    "LCĐT - ", an empty "Có thể bạn quan tâm" and the nine "Tin cùng chuyên mục" teasers it was
    saved with, which are articles of the site too (February 2026).

baothanhhoa (platform newspaper-baothanhhoa, render: browser)
    /{thoi-su|kinh-te}?page=N           category, 8 per page (empty list past the end)
    /{slug}-{id}.htm                    article (newer form)
    /{category}/{slug}/{id}.htm         article (older form, the oldest ~15%)
    /rss/home.rss, /rss/thoi-su.xml, /rss/kinh-te.xml, /sitemap.xml, /robots.txt
    Article: meta og:title, h1.article__title, .article__meta time, .article__sapo
    ("(Baothanhhoa.vn) - ..."), body #dcontent inside .article__body. One article in three
    ships the second half of its body encrypted in div.enc-content[data-payload] and an inline
    script decodes it into #dcontent on DOMContentLoaded (see `encrypt`).
"""

from __future__ import annotations

import base64
import json
import re
import string
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime
from email.utils import format_datetime
from collections.abc import Sequence
from typing import Iterable
from html import escape
from xml.sax.saxutils import escape as xml_escape

from crawler.replica.content import (
    TAGS, Article, Page, Portal, Site, Story, Voice, fresh_story, generate_stories, local, merge, publish, rising_ids,
    slugify, story_rng,
)
from crawler.replica.markup import document, el, page_number, pager, paginate, teaser
from crawler.replica.seeds import fixed_stories

WINDOW = (local(2024, 3, 1, 6), local(2026, 2, 26, 21))
PAGE_SIZE = 8
RSS_ITEMS = 20
CATEGORIES = {"thoi-su": "Thời sự", "kinh-te": "Kinh tế"}


@dataclass(frozen=True)
class Paper:
    portal: Portal
    voice: Voice
    sapo_prefix: str


def _paper(portal_id: str, name: str, province: str, start_paths: tuple[str, ...], orgs: tuple[str, ...],
           authors: tuple[str, ...], paragraphs: tuple[int, int], sapo_prefix: str, **options) -> Paper:
    """Newspaper `name` of `province`; `options` go to its Portal (render) or Voice (subheads)."""
    portal = Portal(portal_id, name, province, "newspaper", f"newspaper-{portal_id}", start_paths,
                    render=options.pop("render", None))
    voice = Voice(f"tỉnh {province}", ("", "", "", f"{province}: "), orgs, authors, paragraphs, **options)
    return Paper(portal, voice, sapo_prefix)


PAPERS: dict[str, Paper] = {paper.portal.id: paper for paper in (
    _paper("baolaocai", "Báo Lào Cai", "Lào Cai", ("/thoi-su/", "/kinh-te/"),
           ("Tỉnh ủy Lào Cai", "UBND tỉnh Lào Cai", "HĐND tỉnh Lào Cai", "Sở Nội vụ Lào Cai"),
           ("Thanh Ba", "Hồng Duyên", "Mai Anh", "Phạm Bằng", "Khánh Phương", "Quốc Hồng"), (6, 11), "LCĐT - ",
           subheads=True),
    _paper("baothanhhoa", "Báo Thanh Hóa", "Thanh Hóa", ("/thoi-su", "/kinh-te"),
           ("Tỉnh ủy Thanh Hóa", "UBND tỉnh Thanh Hóa", "Thường trực Tỉnh ủy Thanh Hóa", "Sở Nội vụ Thanh Hóa"),
           ("Minh Hằng", "Lê Hội", "Hoài Anh", "Phạm Phương", "Trần Thanh"), (6, 10), "(Baothanhhoa.vn) - ",
           render="browser"),
)}


def make_site(portal_id: str, seed: int, count: int, extra: Sequence[Story] = ()) -> Site:
    """The replica of one newspaper: `count` articles (Báo Lào Cai's seed page and the nine it lists among
    them), the rest fixed by `seed`; plus `extra` stories (crawler.replica.syndication), under Thời sự."""
    extra = [replace(story, category=next(iter(CATEGORIES))) for story in extra]
    return {"baolaocai": _make_laocai, "baothanhhoa": _make_thanhhoa}[portal_id](PAPERS[portal_id], seed, count, extra)


def _make_laocai(paper: Paper, seed: int, count: int, extra: list[Story]) -> BaoLaoCaiSite:
    fixed = fixed_stories(paper.portal.id, paper.voice)
    drawn = generate_stories(seed, paper.portal.id, count - len(fixed), paper.voice, list(CATEGORIES), *WINDOW,
                             avoid_titles={story.title for story in fixed})
    stories = merge(drawn, fixed, extra)
    count = len(stories)
    rng = story_rng(seed, paper.portal.id, "publish")
    pinned = {index: story.fixed.number for index, story in enumerate(stories) if story.fixed and story.fixed.number}
    ids = rising_ids(rng, count, 896415, 908833, pinned)
    # One drawn article in five is written decomposed (NFD); the fixed ones are as their pages were saved.
    own = [index for index, story in enumerate(stories) if not story.fixed]
    nfd = set(rng.sample(own, k=min(len(own), round(count / 5))))
    articles = []
    for index, (story, number) in enumerate(zip(stories, ids)):
        media = story_rng(0, paper.portal.id, f"listed:{story.title}:publish") if story.fixed else rng
        articles.append(_publish_laocai(paper, story, number, media, index in nfd))
    site = BaoLaoCaiSite(paper, articles)
    site.seed = seed
    return site


def _publish_laocai(paper: Paper, story: Story, number: int, media, nfd: bool) -> Article:
    """`story` as baolaocai.vn publishes it as post `number`; `media` draws its image folder and names."""
    when = story.published_at
    folder = "".join(media.choices("0123456789abcdef", k=32))
    names = story.fixed.images if story.fixed and story.fixed.images else [(None, c) for c in story.captions]
    images = tuple(
        (f"/cdn-baolaocai/images/{folder}/{when.year}/{when.month}/{when.day}/"
         f"{name or f'baolaocai-br_mg-{media.randint(1000, 9999)}.jpg'}", caption)
        for name, caption in names
    )
    path = f"/{slugify(story.title, 100)}-post{number}.html"
    return publish(story, number, CATEGORIES[story.category], path, images,
                   summary=None if story.fixed else paper.sapo_prefix + story.lead,
                   traits=frozenset({"nfd"}) if nfd else frozenset())


def _make_thanhhoa(paper: Paper, seed: int, count: int, extra: list[Story]) -> BaoThanhHoaSite:
    stories = merge(generate_stories(seed, paper.portal.id, count, paper.voice, list(CATEGORIES), *WINDOW), extra)
    count = len(stories)
    rng = story_rng(seed, paper.portal.id, "publish")
    ids = rising_ids(rng, count, 250000, 275000)
    old = max(2, round(count * 0.15))
    encrypted = set(rng.sample(range(count), k=round(count / 3)))
    articles, secrets = [], {}
    for index, (story, number) in enumerate(zip(stories, ids)):
        articles.append(_publish_thanhhoa(paper, story, number, rng, index >= count - old, index in encrypted, secrets))
    site = BaoThanhHoaSite(paper, articles, secrets)
    site.seed = seed
    return site


def _publish_thanhhoa(paper: Paper, story: Story, number: int, rng, old_url: bool, encrypted: bool,
                      secrets: dict[int, tuple[str, str]]) -> Article:
    """`story` as baothanhhoa.vn publishes it with id `number`; an encrypted one's key goes into `secrets`."""
    when = story.published_at
    images = tuple(
        (f"/cdn-baothanhhoa/dataimages/{when:%Y%m}/original/images{rng.randint(1000000, 9999999)}_{k + 1}.jpg", caption)
        for k, caption in enumerate(story.captions)
    )
    slug = slugify(story.title, 110)
    path = f"/{story.category}/{slug}/{number}.htm" if old_url else f"/{slug}-{number}.htm"
    traits = {"old-url"} if old_url else set()
    if encrypted:
        traits.add("encrypted")
        secrets[number] = ("".join(rng.choices(string.ascii_letters + string.digits, k=rng.randint(6, 12))),
                           rng.choice(("x", "r")))
    return publish(story, number, CATEGORIES[story.category], path, images,
                   summary=paper.sapo_prefix + story.lead, traits=frozenset(traits))


# --------------------------------------------------------------------------------------------
# Encrypted body halves (Báo Thanh Hóa)
# --------------------------------------------------------------------------------------------

DECODER_JS = """(function () {
  var _k = "%KEY%", _m = "%MODE%";
  function _d(p) {
    var s = _m === "r" ? p.split("").reverse().join("") : p;
    var b = atob(s), u = new Uint8Array(b.length);
    for (var i = 0; i < b.length; i++) {
      u[i] = _m === "x" ? b.charCodeAt(i) ^ _k.charCodeAt(i % _k.length) : b.charCodeAt(i);
    }
    return new TextDecoder("utf-8").decode(u);
  }
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector(".enc-content"), dest = document.getElementById("dcontent");
    if (!box || !dest) { return; }
    dest.insertAdjacentHTML("beforeend", _d(box.getAttribute("data-payload")));
    box.parentNode.removeChild(box);
  });
})();"""


def encrypt(html: str, key: str, mode: str) -> str:
    """The data-payload of an `.enc-content` block.

    mode "x": base64 of the UTF-8 HTML XOR-ed byte by byte with the ASCII key
    (the `_k` string of the page's inline script); mode "r": the base64 of the
    plain UTF-8 HTML, reversed (the key is unused).
    """
    data = html.encode("utf-8")
    if mode == "x":
        data = bytes(byte ^ ord(key[i % len(key)]) for i, byte in enumerate(data))
    payload = base64.b64encode(data).decode("ascii")
    return payload[::-1] if mode == "r" else payload


def decrypt(payload: str, key: str, mode: str) -> str:
    """Inverse of `encrypt` (what the page's script does in the browser)."""
    data = base64.b64decode(payload[::-1] if mode == "r" else payload)
    if mode == "x":
        data = bytes(byte ^ ord(key[i % len(key)]) for i, byte in enumerate(data))
    return data.decode("utf-8")


# --------------------------------------------------------------------------------------------
# Shared newspaper behaviour: feeds, sitemap, list pages
# --------------------------------------------------------------------------------------------

def _iso(article: Article) -> str:
    return article.published_at.isoformat()


class NewspaperSite(Site):
    """What both newspapers share: the home, robots, sitemap and RSS answers, teasers, neighbours."""

    categories = CATEGORIES
    robots_disallow: tuple[str, ...] = ("/admin/",)
    validators = frozenset({"etag", "last-modified"})

    def __init__(self, paper: Paper, articles: list[Article]):
        super().__init__(paper.portal, articles)
        self.paper = paper

    def fresh_story(self, index: int, after: datetime, taken: set[str]):
        """Fresh story `index` and its Random; the categories take turns."""
        return fresh_story(self.seed, self.portal.id, index, self.paper.voice,
                           list(CATEGORIES)[index % len(CATEGORIES)], after, taken)

    def route(self, path: str, query: dict[str, list[str]]) -> Page:
        if path == "/":
            return Page(self.home())
        if path == "/robots.txt":
            return self.robots(self.robots_disallow, sitemap="/sitemap.xml")
        if path == "/sitemap.xml":
            return self.sitemap()
        if path == "/rss/home.rss":
            return self.rss(self.articles, f"{self.portal.name} - Trang chủ", path, "application/rss+xml; charset=utf-8")
        return self.route_more(path, query)

    def route_more(self, path: str, query: dict[str, list[str]]) -> Page:  # pragma: no cover - abstract
        """Everything but the pages all newspapers answer alike."""
        raise NotImplementedError

    def home(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def article_page(self, match: re.Match) -> Page:
        """The article a URL pattern matched by id: 404, a redirect to its real URL, or the page."""
        article = self.by_id.get(int(match["id"]))
        if article is None:
            return self.not_found()
        if article.path != match.string:
            return self.redirect(article.url)
        return Page(self.article(article), is_article=True, article=article)

    def article(self, article: Article) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def text(self, article: Article, value: str) -> str:
        """`value` as this site prints it for `article` (escaped; subclasses may decompose)."""
        return escape(value)

    def rss(self, articles: list[Article], title: str, self_path: str, content_type: str) -> Page:
        items = []
        for article in articles[:RSS_ITEMS]:
            thumb = article.images[0][0] if article.images else ""
            description = f'<a href="{article.url}"><img src="{thumb}" width="180" /></a>{self.text(article, article.summary)}'
            items.append(
                f"<item><title>{self.text(article, article.title)}</title><link>{article.url}</link>"
                f'<guid isPermaLink="true">{article.url}</guid>'
                f"<description><![CDATA[{description}]]></description>"
                f"<pubDate>{format_datetime(article.published_at)}</pubDate></item>"
            )
        newest = format_datetime(articles[0].published_at) if articles else ""
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
            f"<title>{xml_escape(title)}</title><link>{self.base_url}/</link>"
            f"<description>{xml_escape(self.portal.name)} - Tin tức mới nhất</description><language>vi</language>"
            f"<lastBuildDate>{newest}</lastBuildDate>"
            f'<atom:link href="{self.base_url}{self_path}" rel="self" type="application/rss+xml" />'
            f'{"".join(items)}</channel></rss>'
        )
        return Page(body, content_type=content_type)

    def sitemap(self) -> Page:
        urls = "".join(
            f"<url><loc>{a.url}</loc><lastmod>{_iso(a)}</lastmod></url>" for a in self.articles
        )
        return Page('<?xml version="1.0" encoding="UTF-8"?>\n'
                    f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>',
                    content_type="application/xml; charset=utf-8")

    def story(self, article: Article, summary: bool = True) -> str:
        """A teaser as the list blocks show it: thumbnail (title in alt), heading, sapo."""
        thumb = article.images[0][0] if article.images else ""
        title = self.text(article, article.title)
        sapo = self.text(article, article.summary.removeprefix(self.paper.sapo_prefix)) if summary else ""
        return teaser("article.story", article.url, title, thumb, thumb_link="a.story__thumb", link_title=True,
                      heading="h3.story__heading", summary=("div.story__summary", sapo) if sapo else None)

    def stream(self, articles: Iterable[Article], summary: bool = True) -> str:
        return "".join(self.story(a, summary) for a in articles)

    def neighbours(self, article: Article, count: int) -> list[Article]:
        """The next older articles of the same category (wrapping round): "Tin cùng chuyên mục"."""
        same = [a for a in self.by_category[article.category_key] if a.id != article.id]
        start = next((i for i, a in enumerate(same) if a.published_at < article.published_at), 0)
        return (same[start:] + same[:start])[:count]

    # Category pages: each paper writes its pager its own way.
    pager_box = "div.pagination"

    def page_href(self, category: str, number: int) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def pager_number(self, number: int, current: bool, href: str) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def pager_next(self, href: str) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def list_page(self, category: str, page: int) -> str:
        """A category page: heading, the page's teasers, the pager."""
        shown, pages = paginate(self.by_category[category], page, PAGE_SIZE)
        stream = self.stream(shown) or '<p class="empty">Chưa có bài viết</p>'
        links = pager(page, pages, number=lambda n, current: self.pager_number(n, current, self.page_href(category, n)),
                      next_link=lambda n: self.pager_next(self.page_href(category, n)))
        main = (f'<h1 class="category-title">{escape(CATEGORIES[category])}</h1>'
                f'<section class="box-stream">{stream}</section>{el(self.pager_box, links)}')
        return self.layout(f"{CATEGORIES[category]} - {self.portal.name}", main)

    def layout(self, title: str, main: str) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def shell(self, title: str, head: str, header: str, main: str, footer: str) -> str:
        """The page around `main`: <head> extras, site header, footer (all HTML)."""
        body = f"{header}\n<main class=\"container\">{main}</main>\n{footer}\n"
        return document(title, body, head)


# --------------------------------------------------------------------------------------------
# Báo Lào Cai
# --------------------------------------------------------------------------------------------

class BaoLaoCaiSite(NewspaperSite):
    """baolaocai.vn."""

    server_header = "nginx"
    robots_disallow = ("/admin/", "/tim-kiem")
    ARTICLE = re.compile(r"^/(?P<slug>[a-z0-9-]+)-post(?P<id>\d+)\.html$")
    TAG = re.compile(r"^(?:/tu-khoa)?/(?P<slug>[a-z0-9-]+)-tag(?P<id>\d+)\.html$")
    LIST_PAGE = re.compile(r"^/(?P<category>[a-z-]+)/trang-(?P<page>\d+)\.html$")

    def fresh_article(self, index: int, after: datetime, taken: set[str], last_id: int) -> Article:
        story, rng = self.fresh_story(index, after, taken)
        return _publish_laocai(self.paper, story, last_id + rng.randint(20, 260), rng, rng.random() < 1 / 5)

    def text(self, article: Article, value: str) -> str:
        # One article in five was typed on a system that stores decomposed diacritics.
        value = unicodedata.normalize("NFD", value) if "nfd" in article.traits else value
        return escape(value)

    def tag_path(self, tag: str) -> str:
        return f"/{slugify(tag)}-tag{10200 + 37 * TAGS.index(tag)}.html"

    def route_more(self, path: str, query: dict[str, list[str]]) -> Page:
        if path.strip("/") in CATEGORIES:
            if not path.endswith("/"):
                return self.redirect(path + "/")
            return Page(self.list_page(path.strip("/"), 1))
        if match := self.LIST_PAGE.match(path):
            category, page = match["category"], int(match["page"])
            items = self.by_category.get(category)
            if items is None or not 1 <= page <= paginate(items, page, PAGE_SIZE)[1]:
                return self.not_found()
            return Page(self.list_page(category, page))
        if match := self.ARTICLE.match(path):
            return self.article_page(match)
        if match := self.TAG.match(path):
            tag = next((t for t in TAGS if self.tag_path(t).endswith(f"-tag{match['id']}.html")), None)
            if tag is None:
                return self.not_found()
            return Page(self._tag(tag))
        return self.not_found()

    def home(self) -> str:
        top, rest = self.articles[0], self.articles[1:13]
        blocks = "".join(
            f'<section class="box-category"><h2 class="box-heading"><a href="{self.base_url}/{key}/">{escape(name)}</a></h2>'
            f'{self.stream(self.by_category[key][:4], summary=False)}</section>'
            for key, name in CATEGORIES.items()
        )
        main = (f'<section class="box-focus">{self.story(top)}</section>'
                f'<section class="box-stream"><h2 class="box-heading">Tin mới nhất</h2>{self.stream(rest)}</section>'
                f"{blocks}")
        return self.layout("Báo Lào Cai - Tin tức mới nhất", main)

    def page_href(self, category: str, number: int) -> str:
        return f"{self.base_url}/{category}/" + (f"trang-{number}.html" if number > 1 else "")

    def pager_number(self, number: int, current: bool, href: str) -> str:
        return f'<span class="current">{number}</span>' if current else f'<a href="{href}">{number}</a>'

    def pager_next(self, href: str) -> str:
        return f'<a class="next" href="{href}">Trang sau</a>'

    def _tag(self, tag: str) -> str:
        items = [a for a in self.articles if tag in a.tags]
        main = (f'<h1 class="category-title">Từ khóa: {escape(tag)}</h1>'
                f'<section class="box-stream">{self.stream(items)}</section>')
        return self.layout(f"{tag} - Báo Lào Cai", main)

    def article(self, article: Article) -> str:
        t = lambda value: self.text(article, value)  # noqa: E731 - this article's spelling
        blocks = []
        for block in article.layout():
            if block.kind == "img":
                src, caption = article.images[block.image]
                name = src.rsplit("/", 1)[-1]
                figcaption = f"<figcaption>{t(caption)}</figcaption>" if caption else ""
                blocks.append(f'<figure class="image"><img src="{src}" alt="{name}">{figcaption}</figure>')
            else:
                blocks.append(f"<{block.kind}>{t(block.text)}</{block.kind}>")
        snapshot = article.snapshot
        others = [a for a in self.articles if a.category_key != article.category_key][:3] \
            if snapshot.interest is None else [self.by_title[title] for title in snapshot.interest]
        same = self.neighbours(article, 8) if snapshot.related is None else [self.by_title[t] for t in snapshot.related]
        tags = "".join(f'<a href="{self.base_url}{self.tag_path(tag)}">{escape(tag)}</a>' for tag in article.tags)
        image = article.images[0][0] if article.images else ""
        head = (
            f'<link rel="canonical" href="{article.url}">'
            f'<meta property="og:type" content="article"><meta property="og:title" content="{t(article.title)}">'
            f'<meta property="og:description" content="{t(article.summary)}"><meta property="og:url" content="{article.url}">'
            f'<meta property="og:image" content="{image}"><meta property="article:published_time" content="{_iso(article)}">'
            f'<meta property="article:section" content="{escape(article.category)}">'
        )
        # A seed page shows no date line: its date is in the <meta> above only.
        date = (f'<div class="article__meta"><time datetime="{_iso(article)}">{article.published_at:%d/%m/%Y %H:%M}</time></div>'
                if snapshot.date_line else "")
        main = (
            f'<div class="breadcrumb"><a href="{self.base_url}/">Trang chủ</a><a href="{self.base_url}/{article.category_key}/">'
            f'{escape(article.category)}</a></div>'
            f'<article class="article"><h1 class="article__title">{t(article.title)}</h1>{date}'
            f'<div class="article__sapo">{t(article.summary)}</div>'
            f'<div class="article__audio"><audio preload="none"></audio><span class="time">0:00 / 0:00</span>'
            f'<span class="duration">0:00</span></div>'
            f'<div class="article__body cms-body" itemprop="articleBody" data-field="body">{"".join(blocks)}</div>'
            + (f'<p class="article__author">{t(article.author)}</p>' if article.author else "")
            + (f'<div class="article__tags"><span>Từ khóa:</span> {tags}</div>' if tags else "")
            + '</article>'
            f'<section class="box-related"><h3 class="box-heading">Có thể bạn quan tâm</h3>{self.stream(others)}</section>'
            f'<section class="box-category"><h3 class="box-heading">Tin cùng chuyên mục</h3>{self.stream(same)}</section>'
        )
        return self.layout(f"{article.title} | Báo Lào Cai", main, head, description=article.summary)

    def layout(self, title: str, main: str, head: str = "", description: str = "") -> str:
        menu = "".join(f'<li><a href="{self.base_url}/{key}/">{escape(name)}</a></li>' for key, name in CATEGORIES.items())
        head = (f'<meta name="description" content="{escape(description or "Báo Lào Cai điện tử")}">\n{head}\n'
                f'<link rel="alternate" type="application/rss+xml" title="Báo Lào Cai" href="{self.base_url}/rss/home.rss">\n')
        header = (f'<header class="header"><div class="header__logo"><a href="{self.base_url}/"><img src="{self.media_url}/cdn-baolaocai/assets/logo.png" alt="Báo Lào Cai"></a></div>\n'
                  f'<nav class="menu"><ul><li><a href="{self.base_url}/">Trang chủ</a></li>{menu}</ul></nav></header>')
        footer = """<footer class="footer"><p>BÁO LÀO CAI - Cơ quan của Đảng bộ, Chính quyền và Nhân dân tỉnh Lào Cai</p>
<p>Tổng Biên tập: Vũ Thị Hà - Địa chỉ: Đường Hoàng Liên, phường Lào Cai, tỉnh Lào Cai</p>
<p>Giấy phép hoạt động báo điện tử số 12/GP-BVHTTDL</p>
<div class="social"><a href="#">fb</a> <a href="#">yt</a> <a href="#">zl</a> <a href="#">tw</a></div></footer>"""
        return self.shell(title, head, header, main, footer)


# --------------------------------------------------------------------------------------------
# Báo Thanh Hóa
# --------------------------------------------------------------------------------------------

class BaoThanhHoaSite(NewspaperSite):
    """baothanhhoa.vn; some article bodies are completed by JavaScript."""

    server_header = "cloudflare"
    robots_disallow = ("/admin/", "/search")
    NEW = re.compile(r"^/(?P<slug>[a-z0-9-]+)-(?P<id>\d+)\.htm$")
    OLD = re.compile(r"^/(?P<category>[a-z0-9-]+)/(?P<slug>[a-z0-9-]+)/(?P<id>\d+)\.htm$")

    def __init__(self, paper: Paper, articles: list[Article], secrets: dict[int, tuple[str, str]]):
        super().__init__(paper, articles)
        self.secrets = secrets    # article id -> (key, mode) of its encrypted half

    def fresh_article(self, index: int, after: datetime, taken: set[str], last_id: int) -> Article:
        story, rng = self.fresh_story(index, after, taken)
        return _publish_thanhhoa(self.paper, story, last_id + rng.randint(15, 240), rng, False, rng.random() < 1 / 3,
                                 self.secrets)

    def route_more(self, path: str, query: dict[str, list[str]]) -> Page:
        if path.startswith("/rss/") and path.endswith(".xml") and path[5:-4] in CATEGORIES:
            key = path[5:-4]
            return self.rss(self.by_category[key], f"Báo Thanh Hóa - {CATEGORIES[key]}", path, "text/xml; charset=utf-8")
        if path.strip("/") in CATEGORIES:
            if path.endswith("/"):
                return self.redirect(path.rstrip("/"))
            return Page(self.list_page(path.strip("/"), page_number(query)))
        match = self.NEW.match(path) or self.OLD.match(path)
        return self.article_page(match) if match else self.not_found()

    def home(self) -> str:
        main = (f'<section class="box-focus">{self.story(self.articles[0])}</section>'
                f'<section class="box-stream"><h2 class="box-heading">Tin mới</h2>{self.stream(self.articles[1:11])}</section>')
        return self.layout("Báo Thanh Hóa điện tử", main)

    pager_box = "nav.pagination"

    def page_href(self, category: str, number: int) -> str:
        return f"/{category}?page={number}"

    def pager_number(self, number: int, current: bool, href: str) -> str:
        return f'<span class="page-item active">{number}</span>' if current else f'<a class="page-item" href="{href}">{number}</a>'

    def pager_next(self, href: str) -> str:
        return f'<a class="page-item next" rel="next" href="{href}">Xem thêm</a>'

    def _blocks(self, article: Article, paragraphs: range) -> str:
        """The body blocks of the paragraphs in `paragraphs`, each with the images that follow it."""
        blocks = []
        for block in article.layout():
            if max(block.para, 0) not in paragraphs:
                continue
            if block.kind == "img":
                src, caption = article.images[block.image]
                figcaption = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
                blocks.append(f'<figure class="image"><img src="{src}" alt="{escape(caption or "")}">{figcaption}</figure>')
            else:
                blocks.append(f"<p>{escape(block.text)}</p>")
        return "".join(blocks)

    def article(self, article: Article) -> str:
        count = len(article.paragraphs)
        secret = self.secrets.get(article.id)
        visible = count - count // 2 if secret else count  # the encrypted part is the second half
        body = f'<div id="dcontent" class="cms-body">{self._blocks(article, range(visible))}</div>'
        if secret:
            key, mode = secret
            payload = encrypt(self._blocks(article, range(visible, count)), key, mode)
            script = DECODER_JS.replace("%KEY%", key).replace("%MODE%", mode)
            body += f'<div class="enc-content" data-payload="{payload}"></div><script>{script}</script>'
        ld = json.dumps({
            "@context": "https://schema.org", "@type": "NewsArticle", "headline": article.title,
            "datePublished": _iso(article), "author": {"@type": "Person", "name": article.author},
            "mainEntityOfPage": article.url,
        }, ensure_ascii=False).replace("</", "<\\/")
        head = (
            f'<link rel="canonical" href="{article.url}"><meta property="og:type" content="article">'
            f'<meta property="og:title" content="{escape(article.title)}"><meta property="og:url" content="{article.url}">'
            f'<meta property="og:description" content="{escape(article.summary)}">'
            f'<meta property="article:published_time" content="{_iso(article)}">'
            f'<script type="application/ld+json">{ld}</script>'
        )
        main = (
            f'<div class="breadcrumb"><a href="/">Trang chủ</a> <a href="/{article.category_key}">{escape(article.category)}</a></div>'
            f'<div class="article"><h1 class="article__title cms-title">{escape(article.title)}</h1>'
            f'<div class="article__meta"><span class="article__author">{escape(article.author)}</span> '
            f'<time class="time" datetime="{_iso(article)}">{article.published_at:%H:%M %d/%m/%Y}</time></div>'
            f'<div class="article__sapo cms-desc">{escape(article.summary)}</div>'
            f'<div class="article__body">{body}</div></div>'
            f'<section class="related"><h3 class="box-heading">Tin cùng chuyên mục</h3>{self.stream(self.neighbours(article, 6))}</section>'
        )
        return self.layout(article.title, main, head + "\n")

    def layout(self, title: str, main: str, head: str = "\n") -> str:
        menu = "".join(f'<li><a href="/{key}">{escape(name)}</a></li>' for key, name in CATEGORIES.items())
        header = (f'<header class="site-header"><a class="logo" href="/"><img src="{self.media_url}/cdn-baothanhhoa/assets/logo.png" alt="Báo Thanh Hóa"></a>\n'
                  f'<nav class="menu"><ul><li><a href="/">Trang chủ</a></li>{menu}</ul></nav></header>')
        footer = """<footer class="site-footer"><p>BÁO THANH HÓA - Cơ quan của Đảng bộ, Chính quyền và Nhân dân tỉnh Thanh Hóa</p>
<p>Địa chỉ: Số 248 Trần Phú, phường Hạc Thành, tỉnh Thanh Hóa</p>
<div class="social"><a href="#">fb</a> <a href="#">yt</a> <a href="#">zl</a></div></footer>"""
        return self.shell(title, head, header, main, footer)
