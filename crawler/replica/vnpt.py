"""Replica of the VNPT commune portals (the 2025 platform), e.g. muonglat.thanhhoa.gov.vn.

URL scheme:
    /                                   home: banner, menu, latest news per category
    /{category}?page=N                  list, 10 per page, `ul.pagination` with `a.next[rel=next]`
    /{category}/{slug}-{numericId}      article (no extension)
    /gioi-thieu, /lien-he               static pages (not articles)
    /robots.txt
Images live on the media server under /storage-vnportal/.../FileQuanTriTinTuc/...

The CSS classes are the ones the extractor is written to (the research notes do
not confirm the real ones): `.news-item`, `.news-title a`, `.news-date`,
`.news-summary`; article `.news-detail h1.title-detail`, `.post-date`,
`.sapo-detail`, `.content-detail`, `.related-news`.

Seed pages 000 (muonglat) and 001 (camtu) are served as they were saved: no
date line and no font tool (the date is in <meta property="article:published_time">),
"Tin nổi bật" without titles, no "Tin mới nhất" nor "Tin cùng chuyên mục",
their own visitor counter and advertisement blocks. The footers of both
communes are the seeds' footers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from html import escape

from crawler.replica.content import (
    WEEKDAYS, Article, Page, Portal, Site, Snapshot, Story, Voice, fresh_story, generate_stories, local, merge, publish,
    rising_ids, slugify, story_rng,
)
from crawler.replica.markup import (
    Row, counter_items, document, link_items, page_number, pager, paginate, paragraphs, teaser,
)
from crawler.replica.seeds import fixed_stories, vnpt_chrome

CATEGORIES = {"tin-tuc-su-kien": "Tin tức - Sự kiện", "chinh-quyen-dia-phuong": "Chính quyền địa phương"}
CATEGORY_CYCLE = ("tin-tuc-su-kien", "chinh-quyen-dia-phuong", "tin-tuc-su-kien")
STATIC_PAGES = {"gioi-thieu": "Giới thiệu", "lien-he": "Liên hệ"}
PAGE_SIZE = 10
# The commune sites went live with the two-level government on 1 July 2025.
WINDOW = (local(2025, 7, 1, 7), local(2026, 2, 25, 18))
# camtu republishes a few muonglat stories, the way provincial news spreads over commune sites.
REPUBLISHED_FROM = {"camtu": "muonglat"}


@dataclass(frozen=True)
class Commune:
    """A commune portal: registry identity, voice, and the chrome facts of its pages."""

    portal: Portal
    voice: Voice
    storage: str                  # the commune's folder on storage-vnportal
    footer: tuple[str, ...]
    counter: tuple[int, int, int, int]  # online, today, this week, total (seed pages show their own)


def _commune(portal_id: str, name: str, seed_id: str, title_prefixes: tuple[str, ...], organisers: tuple[str, ...],
             authors: tuple[str, ...], counter: tuple[int, int, int, int]) -> Commune:
    """Commune `name` ("Mường Lát"): its footer is the one its seed page shows."""
    place = f"xã {name}"
    return Commune(
        portal=Portal(portal_id, f"Xã {name}", "Thanh Hóa", "commune", "vnpt", tuple(f"/{key}" for key in CATEGORIES)),
        voice=Voice(place, title_prefixes, tuple(f"{body} {place}" for body in organisers), authors),
        storage=f"tha-{portal_id}", footer=vnpt_chrome(seed_id).footer, counter=counter,
    )


COMMUNES: dict[str, Commune] = {commune.portal.id: commune for commune in (
    _commune("muonglat", "Mường Lát", "000", ("Xã Mường Lát: ", "", "", ""),
             ("Đảng uỷ", "UBND", "HĐND", "Ủy ban MTTQ"),
             ("Hồ Thuỷ - TTCƯDVC", "Lê Hằng - TTCƯDVC", "Minh Quân - TTCƯDVC", "Văn phòng HĐND-UBND xã"),
             (3, 127, 1894, 45210)),
    _commune("camtu", "Cẩm Tú", "001", ("Xã Cẩm Tú: ", "Cẩm Tú: ", "", "", ""), ("Đảng uỷ", "UBND", "HĐND"),
             ("Phạm Nhàn - TTCƯDVC", "Quỳnh Anh", "Văn phòng HĐND-UBND xã Cẩm Tú", "Lê Thảo - TTCƯDVC"),
             (1, 58, 902, 18377)),
)}


UNIT_AUTHORS = ("Hà Linh", "Thu Trang", "Minh Quân", "Lê Hương", "Ngọc Ánh", "Trần Hùng", "Quang Huy", "Thanh Tâm",
                "Bích Ngọc", "Hồng Nhung", "Văn Long", "Đức Thắng", "Mai Phương", "Tuấn Anh")
UNIT_VILLAGES = ("Thôn Trung Tâm", "Thôn Đồng Tâm", "Thôn Tân Lập", "Khu phố 1", "Khu phố 3", "Thôn Hợp Thành",
                 "Bản Chiềng", "Tổ dân phố số 2")
UNIT_LEADERS = ("Nguyễn Văn Hùng", "Lê Thị Hoa", "Trần Minh Đức", "Phạm Quốc Toản", "Hoàng Văn Sơn", "Đỗ Thị Lan")


def unit_commune(portal_id: str, name: str, province_title: str, code: int | str, seed: int = 1,
                 host: str = "") -> Commune:
    """A VNPT portal for any commune, ward or special zone: `name` "Xã Cẩm Tú", `province_title` the official
    "Tỉnh Thanh Hóa" / "Thành phố Hà Nội", `code` its admin code. Footer, counter, voice and storage folder are
    drawn from (seed, code); `host` ("camtu.thanhhoa.gov.vn") gives the footer's e-mail domain."""
    kind, _, rest = name.partition(" ")
    if kind.lower() == "đặc":  # "Đặc khu Côn Đảo"
        kind, rest = "Đặc khu", rest.partition(" ")[2]
    place = f"{kind.lower()} {rest}"
    province = province_title.removeprefix("Tỉnh ").removeprefix("Thành phố ")
    province_place = province_title[0].lower() + province_title[1:]  # "tỉnh Thanh Hóa", "thành phố Hà Nội"
    rng = story_rng(seed, f"unit-{code}", "vnpt-identity")
    label = slugify(rest).replace("-", "")
    domain = host.removeprefix("www.") or f"{label}.{slugify(province).replace('-', '')}.gov.vn"
    footer = (f"CƠ QUAN CHỦ QUẢN: UBND {name}", f"Địa chỉ: {rng.choice(UNIT_VILLAGES)}, {place}, {province_place}",
              f"Email: ubnd@{domain}",
              f"Trưởng Ban biên tập: {rng.choice(UNIT_LEADERS)} ; Chức vụ: Phó chủ tịch UBND {place}",
              f"Ghi rõ nguồn: Cổng thông tin điện tử {province_place} {place}")
    total = rng.randint(8_000, 90_000)
    counter = (rng.randint(1, 9), rng.randint(20, 300), rng.randint(300, 3000), total)
    voice = Voice(place, (f"{name}: ", f"{rest}: ", "", "", ""),
                  tuple(f"{body} {place}" for body in ("Đảng uỷ", "UBND", "HĐND", "Ủy ban MTTQ")),
                  (*rng.sample(UNIT_AUTHORS, 3), f"Văn phòng HĐND-UBND {place}"))
    prefix = slugify(province).replace("-", "")[:3]
    return Commune(portal=Portal(portal_id, name, province, "commune", "vnpt", tuple(f"/{key}" for key in CATEGORIES)),
                   voice=voice, storage=f"{prefix}-{label}", footer=footer, counter=counter)


def _generated(seed: int, portal_id: str, count: int, commune: Commune | None = None) -> list[Story]:
    """The portal's drawn stories: `count` less its fixed ones (seed page), republished copies included."""
    commune = commune or COMMUNES[portal_id]
    fixed = {story.title for story in fixed_stories(portal_id, commune.voice)}
    source_id = REPUBLISHED_FROM.get(portal_id)
    source = _generated(seed, source_id, count) if source_id else []
    # The main category gets two articles in three, so it always has the most list pages.
    stories = generate_stories(seed, portal_id, count - len(fixed), commune.voice, CATEGORY_CYCLE, *WINDOW,
                               avoid_titles=fixed | {story.title for story in source})
    if source:
        stories = _republish(seed, portal_id, stories, source)
    return stories


def _republish(seed: int, portal_id: str, own: list[Story], source: list[Story]) -> list[Story]:
    """Swap 2-3 of `own` for copies of `source` stories (same title and text, posted hours later)."""
    rng = story_rng(seed, portal_id, "republish")
    k = 3 if len(own) >= 30 else 2
    copies = []
    for story in rng.sample(source[1:], k=k):  # never the very newest: the copy must fit in the window
        delay = timedelta(hours=rng.randint(2, 30), minutes=rng.randrange(60))
        copies.append(replace(story, published_at=min(story.published_at + delay, WINDOW[1])))
    dropped = set(rng.sample(range(len(own)), k=k))
    kept = [story for index, story in enumerate(own) if index not in dropped]
    return sorted(kept + copies, key=lambda s: s.published_at, reverse=True)


def make_site(portal_id: str, seed: int, count: int, extra: Sequence[Story] = (),
              commune: Commune | None = None) -> VnptSite:
    """The replica of one commune portal: `count` articles, its seed page among them, the rest fixed by `seed`;
    plus `extra` stories (crawler.replica.syndication), in the main category. `commune` (from `unit_commune`)
    builds the portal of any commune or ward instead of one of COMMUNES."""
    commune = commune or COMMUNES[portal_id]
    stories = merge(_generated(seed, portal_id, count, commune), fixed_stories(portal_id, commune.voice),
                    [replace(story, category=CATEGORY_CYCLE[0]) for story in extra])
    rng = story_rng(seed, portal_id, "publish")
    pinned = {index: story.fixed.number for index, story in enumerate(stories) if story.fixed and story.fixed.number}
    articles = [_publish(commune, story, number, rng)
                for story, number in zip(stories, rising_ids(rng, len(stories), 1_080_000, 1_140_000, pinned))]
    site = VnptSite(commune, articles)
    site.seed = seed
    return site


def _publish(commune: Commune, story: Story, number: int, rng) -> Article:
    """`story` as the commune's CMS publishes it with id `number`."""
    when = story.published_at
    images = tuple(
        (f"/storage-vnportal/{commune.storage}/FileQuanTriTinTuc/{when:%Y}/{when:%m}/"
         f"anh-tin-bai-{k + 1}_{when:%Y%m%d%H%M%S}.jpg", caption)
        for k, caption in enumerate(story.captions)
    )
    # Two date lines are seen on these sites; a third of the articles use the numeric one,
    # which has the time to the minute. The long one ("Thứ Tư, 3 tháng 12, 2025") has no time.
    # Seed pages show none: their <meta> tag states the time to the minute.
    numeric = rng.random() < 1 / 3
    shown = when.replace(second=0) if numeric or story.fixed else when.replace(hour=0, minute=0, second=0)
    path = f"/{story.category}/{slugify(story.title, 90)}-{number}"
    return publish(story, number, CATEGORIES[story.category], path, images, published_at=shown,
                   traits=frozenset({"numeric-date"}) if numeric else frozenset())


# --------------------------------------------------------------------------------------------

def _long_date(article: Article) -> str:
    when = article.published_at
    if "numeric-date" in article.traits:
        weekday = WEEKDAYS[when.weekday()]
        weekday = weekday[:4] + weekday[4:].lower()  # "Thứ hai", "Chủ nhật"
        return f"{weekday}, {when:%d/%m/%Y - %H:%M}"
    return f"{WEEKDAYS[when.weekday()]}, {when.day} tháng {when.month}, {when.year}"


class VnptSite(Site):
    """One VNPT commune portal."""

    server_header = "nginx"
    categories = CATEGORIES
    validators = frozenset({"etag", "last-modified"})

    def __init__(self, commune: Commune, articles: list[Article]):
        super().__init__(commune.portal, articles)
        self.commune = commune

    def fresh_article(self, index: int, after: datetime, taken: set[str], last_id: int) -> Article:
        """A new article of the commune: ids keep rising, the main category still gets two in three."""
        story, rng = fresh_story(self.seed, self.portal.id, index, self.commune.voice,
                                 CATEGORY_CYCLE[index % len(CATEGORY_CYCLE)], after, taken)
        return _publish(self.commune, story, last_id + rng.randint(37, 420), rng)

    # Routing ------------------------------------------------------------------------------------
    def route(self, path: str, query: dict[str, list[str]]) -> Page:
        if path == "/":
            return Page(self._home())
        if path == "/robots.txt":
            return self.robots(("/admin/", "/api/"))
        if len(path) > 1 and path.endswith("/"):
            return self.redirect(path.rstrip("/"))
        parts = path.strip("/").split("/")
        if len(parts) == 1 and parts[0] in CATEGORIES:
            return Page(self._list(parts[0], page_number(query)))
        if len(parts) == 1 and parts[0] in STATIC_PAGES:
            return Page(self._static(parts[0]))
        if len(parts) == 2 and parts[0] in CATEGORIES:
            slug, _, number = parts[1].rpartition("-")
            article = self.by_id.get(int(number)) if number.isdigit() and slug else None
            if article is None or article.category_key != parts[0]:
                return self.not_found()
            if article.path != path:  # a stale or mistyped slug: the CMS redirects to the real one
                return self.redirect(article.path)
            return Page(self._article(article), is_article=True, article=article)
        return self.not_found()

    # Pages --------------------------------------------------------------------------------------
    def _home(self) -> str:
        blocks = []
        for key, name in CATEGORIES.items():
            items = "".join(self._news_item(a) for a in self.by_category[key][:5])
            blocks.append(
                f'<section class="home-category"><div class="block-title"><h2><a href="/{key}">{escape(name)}</a></h2></div>'
                f'<div class="list-news">{items}</div><a class="view-more" href="/{key}">Xem thêm</a></section>'
            )
        latest = "".join(self._news_item(a) for a in self.articles[:4])
        main = f'<section class="home-latest"><h2 class="block-title">Tin mới nhất</h2><div class="list-news">{latest}</div></section>{"".join(blocks)}'
        return self._layout(self.portal.name, main)

    def _list(self, key: str, page: int) -> str:
        shown, pages = paginate(self.by_category[key], page, PAGE_SIZE)
        body = "".join(self._news_item(a) for a in shown) or '<p class="no-data">Không có dữ liệu</p>'
        main = (
            f'{self._breadcrumb(key)}<h1 class="category-title">{escape(CATEGORIES[key])}</h1>'
            f'<div class="list-news">{body}</div><ul class="pagination">{_pagination(page, pages)}</ul>'
        )
        title = CATEGORIES[key] + (f" - Trang {page}" if page > 1 else "")
        return self._layout(f"{title} - {self.portal.name}", main)

    def _news_item(self, article: Article) -> str:
        return teaser("div.news-item", article.path, escape(article.title), _thumb(article),
                      thumb_link="a.news-image", heading="h3.news-title",
                      date=("span.news-date", f"{article.published_at:%d/%m/%Y}"),
                      summary=("p.news-summary", escape(article.summary)))

    def _article(self, article: Article) -> str:
        images = article.images
        blocks = []
        for block in article.layout():
            if block.kind == "img":
                src, caption = images[block.image]
                blocks.append(f'<figure class="image"><img src="{src}" alt="Anh-tin-bai"></figure>')
                if caption:
                    blocks.append(f'<p style="text-align:center"><em>({escape(caption)})</em></p>')
            else:
                blocks.append(f'<p style="text-align:justify">{escape(block.text)}</p>')
        if article.author:
            blocks.append(f'<p style="text-align:right"><strong>{escape(article.author)}</strong></p>')
        snapshot = article.snapshot
        if snapshot.related is None:
            siblings = [a for a in self.by_category[article.category_key] if a.id != article.id]
            position = next((i for i, a in enumerate(siblings) if a.listed_at < article.listed_at), 0)
            related_articles = (siblings[position:] + siblings[:position])[:6]
        else:
            related_articles = [self.by_title[title] for title in snapshot.related]
        related = link_items(
            Row(a.path, a.title, f' <span class="date">({a.published_at:%d/%m/%Y})</span>') for a in related_articles
        )
        date = f'<div class="post-date">{_long_date(article)}</div>' if snapshot.date_line else ""
        tools = ('<div class="tool-detail"><span class="font-size"><a href="javascript:void(0)" class="font-minus">A-</a> '
                 '<span class="font-value">100%</span> <a href="javascript:void(0)" class="font-plus">A+</a></span> '
                 '<a class="print" href="javascript:window.print()">In bài viết</a></div>') if snapshot.tools else ""
        main = (
            f'{self._breadcrumb(article.category_key)}'
            f'<div class="news-detail"><h1 class="title-detail">{escape(article.title)}</h1>{date}{tools}'
            f'<div class="sapo-detail">{escape(article.summary)}</div>'
            f'<div class="content-detail">{"".join(blocks)}</div></div>'
            + (f'<div class="related-news"><h3 class="title-related">Tin cùng chuyên mục</h3><ul>{related}</ul></div>'
               if related_articles else "")
        )
        meta = "" if snapshot.date_line else \
            f'<meta property="article:published_time" content="{article.published_at.isoformat()}">\n'
        return self._layout(article.title, main, description=article.summary, head=meta, snapshot=snapshot)

    def _static(self, key: str) -> str:
        text = {
            "gioi-thieu": f"Trang thông tin điện tử {self.portal.name}, tỉnh {self.portal.province}, "
                          "được thành lập theo mô hình chính quyền địa phương 2 cấp từ ngày 01/7/2025.",
            "lien-he": self.commune.footer[1],
        }[key]
        main = f'<div class="page-static"><h1>{escape(STATIC_PAGES[key])}</h1><p>{escape(text)}</p></div>'
        return self._layout(STATIC_PAGES[key], main)

    # Chrome -------------------------------------------------------------------------------------
    def _breadcrumb(self, key: str) -> str:
        return (f'<div class="breadcrumb"><ul><li><a href="/">Trang chủ</a></li>'
                f'<li><a href="/{key}">{escape(CATEGORIES[key])}</a></li></ul></div>')

    def _layout(self, title: str, main: str, description: str = "", head: str = "",
                snapshot: Snapshot = Snapshot()) -> str:
        """The page around `main`; a seed page's `snapshot` says how its chrome looked when it was saved."""
        media = f"{self.media_url}/storage-vnportal/{self.commune.storage}"
        menu = "".join(
            f'<li><a href="/{key}">{escape(name)}</a></li>'
            for key, name in [("gioi-thieu", "Giới thiệu"), *CATEGORIES.items(), ("lien-he", "Liên hệ")]
        )
        hot = link_items(Row(a.path, a.title) for a in self.articles[:5]) if snapshot.hot_items else ""
        latest = link_items(Row(a.path, a.title, f'<span class="date">{a.published_at:%d/%m/%Y}</span>') for a in self.articles[:6])
        latest = (f'<div class="block block-latest"><div class="block-title"><h2>Tin mới nhất</h2></div>'
                  f'<ul class="latest-news">{latest}</ul></div>\n') if snapshot.latest else ""
        ads, first = [], 1
        for size in snapshot.ads or (6,):
            ads.append('<div class="block block-adv">' + "".join(
                f'<div class="adv-item"><a href="#"><img src="{media}/quangcao/adv-{i}.png" alt="image advertisement"></a></div>'
                for i in range(first, first + size)) + "</div>\n")
            first += size
        head = f'<meta name="description" content="{escape(description or self.portal.name)}">\n{head}'
        body = f"""<div class="wrapper">
<header class="header">
<div class="banner"><a href="/"><img src="{media}/banner.png" alt="image banner"></a></div>
<nav class="main-menu"><ul class="menu"><li class="home"><a href="/">Trang chủ</a></li>{menu}</ul></nav>
</header>
<div class="container">
<main class="main-content">{main}</main>
<aside class="sidebar">
<div class="block block-hot"><div class="block-title"><h2>Tin nổi bật</h2></div><ul class="hot-news">{hot}</ul></div>
{"".join(ads)}{latest}<div class="block block-counter"><div class="block-title"><h2>Thống kê truy cập</h2></div>
<ul class="counter">{counter_items(snapshot.counter or self.commune.counter)}</ul></div>
</aside>
</div>
<footer class="footer"><div class="footer-info">{paragraphs(self.commune.footer)}</div>
<div class="copyright">Website được thiết kế bởi VNPT</div></footer>
</div>
"""
        return document(title, body, head)


def _thumb(article: Article) -> str:
    return article.images[0][0] if article.images else ""


def _pagination(page: int, pages: int) -> str:
    """Numbered links plus "Sau" (next) on every page but the last, the way the CMS writes them."""
    return pager(
        page, pages,
        number=lambda n, current: f'<li class="active"><span>{n}</span></li>' if current
        else f'<li><a href="?page={n}">{n}</a></li>',
        prev_link=lambda n: f'<li><a class="prev" rel="prev" href="?page={n}">Trước</a></li>',
        next_link=lambda n: f'<li><a class="next" rel="next" href="?page={n}">Sau</a></li>',
    )
