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
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from html import escape

from crawler.replica.content import (
    WEEKDAYS, Article, Page, Portal, Site, Story, Voice, generate_stories, image_slots, local, slugify,
    story_rng,
)

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
    counter: tuple[int, int, int, int]  # online, today, this week, total


COMMUNES: dict[str, Commune] = {
    "muonglat": Commune(
        portal=Portal("muonglat", "Xã Mường Lát", "Thanh Hóa", "commune", "vnpt",
                      ("/tin-tuc-su-kien", "/chinh-quyen-dia-phuong")),
        voice=Voice(
            place="xã Mường Lát",
            title_prefixes=("Xã Mường Lát: ", "", "", ""),
            orgs=("Đảng uỷ xã Mường Lát", "UBND xã Mường Lát", "HĐND xã Mường Lát", "Ủy ban MTTQ xã Mường Lát"),
            authors=("Hồ Thuỷ - TTCƯDVC", "Lê Hằng - TTCƯDVC", "Minh Quân - TTCƯDVC", "Văn phòng HĐND-UBND xã"),
        ),
        storage="tha-muonglat",
        footer=(
            "CƠ QUAN CHỦ QUẢN: UBND Xã Mường Lát",
            "Địa chỉ: Khu 2 Xã Mường Lát",
            "Email:muonglat@thanhhoa.gov.vn",
            "Trưởng Ban biên tập: Mai Xuân Giang ; Chức vụ:Phó chủ tịch UBND xã Mường Lát",
            "Ghi rõ nguồn: Cổng thông tin điện tử tỉnh Thanh Hóa xã Mường Lát",
        ),
        counter=(3, 127, 1894, 45210),
    ),
    "camtu": Commune(
        portal=Portal("camtu", "Xã Cẩm Tú", "Thanh Hóa", "commune", "vnpt",
                      ("/tin-tuc-su-kien", "/chinh-quyen-dia-phuong")),
        voice=Voice(
            place="xã Cẩm Tú",
            title_prefixes=("Xã Cẩm Tú: ", "Cẩm Tú: ", "", "", ""),
            orgs=("Đảng uỷ xã Cẩm Tú", "UBND xã Cẩm Tú", "HĐND xã Cẩm Tú"),
            authors=("Phạm Nhàn - TTCƯDVC", "Quỳnh Anh", "Văn phòng HĐND-UBND xã Cẩm Tú", "Lê Thảo - TTCƯDVC"),
        ),
        storage="tha-camtu",
        footer=(
            "CƠ QUAN CHỦ QUẢN: UBND XÃ CẨM TÚ",
            "Địa chỉ: Xã Cẩm Tú, tỉnh Thanh Hóa",
            "Email:.....",
            "Giấy phép: số .... do ....... cấp ngày...",
            "Trưởng Ban biên tập: .....; Chức vụ: .......",
            "Ghi rõ nguồn: Trang thông tin điện tử xã Cẩm Tú hoặc https://camtu.thanhhoa.gov.vn "
            "khi bạn phát hành lại thông tin từ Website này.",
        ),
        counter=(1, 58, 902, 18377),
    ),
}


def _stories(seed: int, portal_id: str, count: int) -> list[Story]:
    commune = COMMUNES[portal_id]
    source_id = REPUBLISHED_FROM.get(portal_id)
    source = _stories(seed, source_id, count) if source_id else []
    # The main category gets two articles in three, so it always has the most list pages.
    stories = generate_stories(seed, portal_id, count, commune.voice, CATEGORY_CYCLE, *WINDOW,
                               avoid_titles={story.title for story in source})
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


def make_site(portal_id: str, seed: int, count: int) -> VnptSite:
    """The replica of one commune portal, its `count` articles fixed by `seed`."""
    commune = COMMUNES[portal_id]
    stories = _stories(seed, portal_id, count)
    rng = story_rng(seed, portal_id, "publish")
    next_id = rng.randint(1_080_000, 1_100_000)
    articles: list[Article] = []
    for story in reversed(stories):  # ids rise with time
        next_id += rng.randint(37, 2400)
        when = story.published_at
        images = tuple(
            (f"/storage-vnportal/{commune.storage}/FileQuanTriTinTuc/{when:%Y}/{when:%m}/"
             f"anh-tin-bai-{k + 1}_{when:%Y%m%d%H%M%S}.jpg", caption)
            for k, caption in enumerate(story.captions)
        )
        # Two date lines are seen on these sites; a third of the articles use the numeric one,
        # which has the time to the minute. The long one ("Thứ Tư, 3 tháng 12, 2025") has no time.
        numeric = rng.random() < 1 / 3
        shown = when.replace(second=0) if numeric else when.replace(hour=0, minute=0, second=0)
        articles.append(Article(
            id=next_id,
            title=story.title,
            category=CATEGORIES[story.category],
            published_at=shown,
            posted_at=when,
            summary=story.lead,
            paragraphs=story.paragraphs,
            images=images,
            author=story.author,
            url=f"/{story.category}/{slugify(story.title, 90)}-{next_id}",
            path=f"/{story.category}/{slugify(story.title, 90)}-{next_id}",
            category_key=story.category,
            tags=story.tags,
            traits=frozenset({"numeric-date"}) if numeric else frozenset(),
        ))
    articles.reverse()
    return VnptSite(commune, articles)


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

    def __init__(self, commune: Commune, articles: list[Article]):
        super().__init__(commune.portal, articles)
        self.commune = commune

    def bind(self, base_url: str, media_url: str) -> None:
        super().bind(base_url, media_url)
        self.by_id = {article.id: article for article in self.articles}
        self.by_category = {key: [a for a in self.articles if a.category_key == key] for key in CATEGORIES}

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
            return Page(self._list(parts[0], _page_number(query)))
        if len(parts) == 1 and parts[0] in STATIC_PAGES:
            return Page(self._static(parts[0]))
        if len(parts) == 2 and parts[0] in CATEGORIES:
            slug, _, number = parts[1].rpartition("-")
            article = self.by_id.get(int(number)) if number.isdigit() and slug else None
            if article is None or article.category_key != parts[0]:
                return self.not_found()
            if article.path != path:  # a stale or mistyped slug: the CMS redirects to the real one
                return self.redirect(article.path)
            return Page(self._article(article), is_article=True)
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
        items = self.by_category[key]
        pages = max(1, -(-len(items) // PAGE_SIZE))
        shown = items[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
        body = "".join(self._news_item(a) for a in shown) or '<p class="no-data">Không có dữ liệu</p>'
        main = (
            f'{self._breadcrumb(key)}<h1 class="category-title">{escape(CATEGORIES[key])}</h1>'
            f'<div class="list-news">{body}</div>{_pagination(page, pages)}'
        )
        title = CATEGORIES[key] + (f" - Trang {page}" if page > 1 else "")
        return self._layout(f"{title} - {self.portal.name}", main)

    def _news_item(self, article: Article) -> str:
        thumb = article.images[0][0] if article.images else ""
        return (
            f'<div class="news-item"><a class="news-image" href="{article.path}"><img src="{thumb}" alt="{escape(article.title)}"></a>'
            f'<h3 class="news-title"><a href="{article.path}">{escape(article.title)}</a></h3>'
            f'<span class="news-date">{article.published_at:%d/%m/%Y}</span>'
            f'<p class="news-summary">{escape(article.summary)}</p></div>'
        )

    def _article(self, article: Article) -> str:
        slots = image_slots(len(article.paragraphs), len(article.images))
        blocks = []
        for index, paragraph in enumerate(article.paragraphs):
            blocks.append(f'<p style="text-align:justify">{escape(paragraph)}</p>')
            for (src, caption), slot in zip(article.images, slots):
                if slot == index:
                    blocks.append(
                        f'<figure class="image"><img src="{src}" alt="Anh-tin-bai"></figure>'
                        f'<p style="text-align:center"><em>({escape(caption)})</em></p>'
                    )
        blocks.append(f'<p style="text-align:right"><strong>{escape(article.author)}</strong></p>')
        siblings = [a for a in self.by_category[article.category_key] if a.id != article.id]
        position = next((i for i, a in enumerate(siblings) if a.listed_at < article.listed_at), 0)
        related = "".join(
            f'<li><a href="{a.path}">{escape(a.title)}</a> <span class="date">({a.published_at:%d/%m/%Y})</span></li>'
            for a in (siblings[position:] + siblings[:position])[:6]
        )
        main = (
            f'{self._breadcrumb(article.category_key)}'
            f'<div class="news-detail"><h1 class="title-detail">{escape(article.title)}</h1>'
            f'<div class="post-date">{_long_date(article)}</div>'
            f'<div class="tool-detail"><span class="font-size"><a href="javascript:void(0)" class="font-minus">A-</a> '
            f'<span class="font-value">100%</span> <a href="javascript:void(0)" class="font-plus">A+</a></span> '
            f'<a class="print" href="javascript:window.print()">In bài viết</a></div>'
            f'<div class="sapo-detail">{escape(article.summary)}</div>'
            f'<div class="content-detail">{"".join(blocks)}</div></div>'
            f'<div class="related-news"><h3 class="title-related">Tin cùng chuyên mục</h3><ul>{related}</ul></div>'
        )
        return self._layout(article.title, main, description=article.summary)

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

    def _layout(self, title: str, main: str, description: str = "") -> str:
        media = f"{self.media_url}/storage-vnportal/{self.commune.storage}"
        menu = "".join(
            f'<li><a href="/{key}">{escape(name)}</a></li>'
            for key, name in [("gioi-thieu", "Giới thiệu"), *CATEGORIES.items(), ("lien-he", "Liên hệ")]
        )
        hot = "".join(f'<li><a href="{a.path}">{escape(a.title)}</a></li>' for a in self.articles[:5])
        latest = "".join(
            f'<li><a href="{a.path}">{escape(a.title)}</a><span class="date">{a.published_at:%d/%m/%Y}</span></li>'
            for a in self.articles[:6]
        )
        ads = "".join(
            f'<div class="adv-item"><a href="#"><img src="{media}/quangcao/adv-{i}.png" alt="image advertisement"></a></div>'
            for i in range(1, 7)
        )
        online, today, week, total = self.commune.counter
        footer = "".join(f"<p>{escape(line)}</p>" for line in self.commune.footer)
        return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<meta name="description" content="{escape(description or self.portal.name)}">
</head>
<body>
<div class="wrapper">
<header class="header">
<div class="banner"><a href="/"><img src="{media}/banner.png" alt="image banner"></a></div>
<nav class="main-menu"><ul class="menu"><li class="home"><a href="/">Trang chủ</a></li>{menu}</ul></nav>
</header>
<div class="container">
<main class="main-content">{main}</main>
<aside class="sidebar">
<div class="block block-hot"><div class="block-title"><h2>Tin nổi bật</h2></div><ul class="hot-news">{hot}</ul></div>
<div class="block block-adv">{ads}</div>
<div class="block block-latest"><div class="block-title"><h2>Tin mới nhất</h2></div><ul class="latest-news">{latest}</ul></div>
<div class="block block-counter"><div class="block-title"><h2>Thống kê truy cập</h2></div>
<ul class="counter"><li>Đang online: <span>{online}</span></li><li>Hôm nay: <span>{today}</span></li>
<li>Trong tuần: <span>{week}</span></li><li>Tất cả: <span>{total}</span></li></ul></div>
</aside>
</div>
<footer class="footer"><div class="footer-info">{footer}</div>
<div class="copyright">Website được thiết kế bởi VNPT</div></footer>
</div>
</body>
</html>"""


def _page_number(query: dict[str, list[str]]) -> int:
    value = (query.get("page") or ["1"])[0]
    return max(1, int(value)) if value.isdigit() else 1


def _pagination(page: int, pages: int) -> str:
    """Numbered links plus "Sau" (next) on every page but the last, the way the CMS writes them."""
    items = []
    if page > 1:
        items.append(f'<li><a class="prev" rel="prev" href="?page={page - 1}">Trước</a></li>')
    for number in range(1, pages + 1):
        items.append(f'<li class="active"><span>{number}</span></li>' if number == page
                     else f'<li><a href="?page={number}">{number}</a></li>')
    if page < pages:
        items.append(f'<li><a class="next" rel="next" href="?page={page + 1}">Sau</a></li>')
    return f'<ul class="pagination">{"".join(items)}</ul>'
