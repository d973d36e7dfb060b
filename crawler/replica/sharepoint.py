"""Replica of the SharePoint-based district portals of Thanh Hóa (tandan- layouts), 2023-2025.

Two sites that share the platform but differ the way the real ones do:

quanhoa (the Quan Hóa page of the provincial portal)
    list pager: links `?PageIndex=N`
    article: `.tandan-p-article-news-title`, `.tandan-span-date-publish` ("Đăng ngày 11 - 05 - 2022"),
    body `.tandan-p-article-main > .ms-rtestate-field#ctl00_PlaceHolderMain_ctl03__ControlWrapper_RichHtmlField`
nongcong (Nông Cống district portal)
    list pager: `span.CurrentPage` followed by the next `<a>` (`?Page=N`, numbers and "Tiếp")
    article: `.tandan-title-view`, `.tandan-date-view` ("Đăng lúc: 15:50:04 29/05/2023 (GMT+7)"),
    body `.tandan-p-article-main > .tandan-content-view`

Both: summary `.tandan-p-article-news-summary`, body HTML entity-encoded
(`&acirc;`, `&igrave;` ...), images `/portal/Photos/{date}/...` (on the media
server) with empty alt and the caption as the plain `<p>` right after the
image's `<p>`, author as the last `<p>` in bold, tags `.td-tags a`, side list
"Tin mới nhất" `.tandan-div-article-other` with "Title(20/05/2022 4:01 CH)".

The side list shows the four articles before and the two after the page's own,
titles cut past 100 characters the way seed 002 shows them. Seed 002 (quanhoa,
11/05/2022, no image, no author) is published with the six May 2022 articles
of its "Tin mới nhất" list; seed 004 (nongcong, 29/05/2023) with its image
"Image-1 (27).jpg" (no caption, an empty paragraph after it); nongcong's
slogan banner is seed 004's.

URL scheme (paths are case-insensitive, as on IIS):
    /                                             302 to /portal/Pages/default.aspx
    /portal/Pages/Tin-tuc-su-kien.aspx            every article, newest first, 10 per page
    /portal/KenhTin/{Chinh-tri|Kinh-te|Van-hoa-xa-hoi}.aspx   one channel
    /portal/Pages/Tim-kiem.aspx?k={tag}           tag search (no pager)
    /portal/{Pages|pages}/{date}/{Truncated-Slug}{suffix}.aspx   article; date like 2021-10-5,
                                                  2021-10-05 or just 2021; suffix like tuja6ggf or -468686
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from html import escape
from html.entities import codepoint2name
from urllib.parse import quote, unquote

from crawler.replica.content import (
    Article, Page, Portal, Site, Story, Voice, ampm, fresh_story, generate_stories, local, merge, publish, slugify,
    story_rng, truncate,
)
from crawler.replica.markup import (
    Row, Shell, counter_items, document, link_items, page_number, pager, paginate, paragraphs, teaser,
)
from crawler.replica.seeds import fixed_stories, nongcong_slogan

CHANNELS = {"Chinh-tri": "Chính trị", "Kinh-te": "Kinh tế", "Van-hoa-xa-hoi": "Văn hóa - Xã hội"}
ALL_NEWS = "/portal/Pages/Tin-tuc-su-kien.aspx"
HOME = "/portal/Pages/default.aspx"
SEARCH = "/portal/Pages/Tim-kiem.aspx"
PAGE_SIZE = 10
# The district sites stopped publishing when districts were abolished on 1 July 2025.
WINDOW = (local(2023, 7, 1, 7), local(2025, 6, 28, 18))
RICH_FIELD_ID = "ctl00_PlaceHolderMain_ctl03__ControlWrapper_RichHtmlField"
SHELL = Shell('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">',
              'dir="ltr" lang="vi-VN"', ('<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />',
                                        '<meta name="GENERATOR" content="Microsoft SharePoint" />'))
VIEWSTATE = ("/wEPDwUBMA9kFgJmD2QWAgIBD2QWBAIBD2QWAgIFD2QWAmYPZBYCAgEPFgIeE1ByZXZpb3VzQ29udHJvbE1vZGULKYgBTWljcm9zb2Z0"
             "LlNoYXJlUG9pbnQuV2ViQ29udHJvbHMuU1BDb250cm9sTW9kZQ==")
COUNTER = ("7", "312", "2.418", "1.204.377")


def _channel_path(channel: str) -> str:
    return f"/portal/KenhTin/{channel}.aspx"


@dataclass(frozen=True)
class District:
    """A district portal: identity, voice, and which variant of the tandan layout it runs."""

    portal: Portal
    voice: Voice
    variant: str                  # "quanhoa" or "nongcong": title/date/body/pager flavour
    page_param: str               # the list pager's query parameter
    footer: tuple[str, ...]
    slogan: str = ""


def _district(portal_id: str, name: str, page_param: str, title_prefixes: tuple[str, ...], orgs: tuple[str, ...],
              authors: tuple[str, ...], footer: tuple[str, ...], slogan: str = "") -> District:
    """District `name` ("Quan Hóa"); `portal_id` is also its layout variant."""
    portal = Portal(portal_id, f"Huyện {name}", "Thanh Hóa", "district", "sharepoint", (ALL_NEWS, _channel_path("Chinh-tri")))
    return District(portal, Voice(f"huyện {name}", title_prefixes, orgs, authors), portal_id, page_param, footer, slogan)


DISTRICTS: dict[str, District] = {district.portal.id: district for district in (
    _district("quanhoa", "Quan Hóa", "PageIndex", ("Quan Hóa: ", "Huyện ủy Quan Hóa: ", "Huyện Quan Hoá: ", "", ""),
              ("Huyện ủy Quan Hóa", "UBND huyện Quan Hóa", "Ban Dân vận Huyện ủy Quan Hóa", "xã Phú Sơn"),
              ("Hà Thuận", "Lò Văn Tuấn - TTVH", "Phạm Thị Hoa", "Ngân Văn Hùng"),
              ("CƠ QUAN CHỦ QUẢN: UBND huyện Quan Hóa",
               "Địa chỉ: Khu 1, thị trấn Hồi Xuân, huyện Quan Hóa, tỉnh Thanh Hóa",
               "Điện thoại: 0237.3874.111 - Email: quanhoa@thanhhoa.gov.vn",
               "Ghi rõ nguồn Cổng thông tin điện tử tỉnh Thanh Hóa khi phát hành lại thông tin từ website này.")),
    _district("nongcong", "Nông Cống", "Page", ("Nông Cống: ", "", "", "Xã Tân Thọ: "),
              ("xã Tân Thọ", "Huyện ủy Nông Cống", "UBND huyện Nông Cống", "Ban Dân vận Huyện ủy Nông Cống"),
              ("Hoàng Yến", "Lê Hùng", "Thu Trang", "Nguyễn Hà - TTVHTT&DL"),
              ("CƠ QUAN CHỦ QUẢN: UBND HUYỆN NÔNG CỐNG",
               "Địa chỉ: Tiểu khu Bắc Giang, thị trấn Nông Cống, huyện Nông Cống, tỉnh Thanh Hóa",
               "Email: nongcong@thanhhoa.gov.vn"),
              slogan=nongcong_slogan()),  # the banner text of seed 004
)}


def make_site(portal_id: str, seed: int, count: int, extra: Sequence[Story] = ()) -> SharePointSite:
    """The replica of one district portal: `count` articles, its seed page and the ones it lists among
    them, the rest fixed by `seed`; plus `extra` stories (crawler.replica.syndication), in the first channel."""
    district = DISTRICTS[portal_id]
    fixed = fixed_stories(portal_id, district.voice)
    drawn = generate_stories(seed, portal_id, count - len(fixed), district.voice, list(CHANNELS), *WINDOW,
                             avoid_titles={story.title for story in fixed})
    stories = merge(drawn, fixed, [replace(story, category=next(iter(CHANNELS))) for story in extra])
    rng = story_rng(seed, portal_id, "publish")
    articles = []
    for index, story in enumerate(stories):
        # What a seed page lists has the same address and photos in every fleet.
        own = story_rng(0, portal_id, f"listed:{story.title}:publish") if story.fixed else rng
        articles.append(_publish(district, story, len(stories) - index, own))
    site = SharePointSite(district, articles)
    site.seed = seed
    return site


def _publish(district: District, story: Story, number: int, rng) -> Article:
    """`story` as the district portal publishes it, list item id `number`."""
    when = story.published_at
    path = story.fixed.path if story.fixed and story.fixed.path else _article_path(rng, story)
    photo_day = f"{when.year}-{when.month}-{when.day}"
    names = story.fixed.images if story.fixed and story.fixed.images else [(None, c) for c in story.captions]
    images = tuple((_photo_path(district.variant, photo_day, k, rng, name), caption)
                   for k, (name, caption) in enumerate(names))
    # SharePoint list item ids (not in the URL); Quan Hóa pages print the date only ("Đăng ngày 11 - 05 - 2022").
    shown = when.replace(hour=0, minute=0, second=0) if district.variant == "quanhoa" else when
    return publish(story, number, CHANNELS[story.category], path, images, published_at=shown)


def _article_path(rng, story: Story) -> str:
    """/portal/{Pages|pages}/{date}/{Truncated-Slug}{suffix}.aspx, as varied as on the real sites."""
    folder = _date_folder(rng, story.published_at)
    pages = "Pages" if rng.random() < 0.8 else "pages"
    slug = slugify(story.title, max_length=rng.randint(35, 60), lower=False, cut_words=True)
    if rng.random() < 0.7:
        suffix = "".join(rng.choices(string.ascii_lowercase + string.digits, k=rng.choice((6, 7, 8))))
    else:
        suffix = f"-{rng.randint(100000, 999999)}"
    return f"/portal/{pages}/{folder}/{slug}{suffix}.aspx"


def _date_folder(rng, when: datetime) -> str:
    """The article's date folder, written as inconsistently as on the real sites."""
    draw = rng.random()
    if draw < 0.6:
        return f"{when.year}-{when.month}-{when.day}"  # not zero-padded: 2021-10-5
    if draw < 0.9:
        return f"{when:%Y-%m-%d}"
    return f"{when.year}"


def _photo_path(variant: str, day: str, k: int, rng, name: str | None = None) -> str:
    """/portal/Photos/{day}/{file}: `name`, else a file name the way the site's editors leave them."""
    if name is None and variant == "nongcong":
        name = f"Image-{k + 1} ({rng.randint(2, 60)}).jpg"  # editors upload camera/Word names as they are
    elif name is None:
        name = f"IMG_{day.replace('-', '')}_{rng.randint(80000, 175959):06d}.jpg"
    return quote(f"/portal/Photos/{day}/{name}")


def entity_encode(text: str) -> str:
    """Escape `text` and write the Latin-1 letters as named entities, like the SharePoint editor does."""
    return "".join(
        f"&{codepoint2name[ord(ch)]};" if ord(ch) > 127 and ord(ch) in codepoint2name else ch
        for ch in escape(text, quote=False)
    )


def _side_title(article: Article) -> str:
    """A title as side lists print it: cut past 100 characters, with the trailing space some were saved with."""
    return truncate(article.title) + (" " if "spaced-title" in article.traits else "")


def _side_date(when: datetime) -> str:
    return f"({when:%d/%m/%Y} {ampm(when)})"


class SharePointSite(Site):
    """One SharePoint district portal."""

    server_header = "Microsoft-IIS/10.0"
    extra_headers = (("X-Powered-By", "ASP.NET"), ("MicrosoftSharePointTeamServices", "15.0.0.4420"))
    categories = CHANNELS
    validators = frozenset({"last-modified"})  # SharePoint pages send Last-Modified, no ETag

    def __init__(self, district: District, articles: list[Article]):
        super().__init__(district.portal, articles)
        self.district = district

    def fresh_article(self, index: int, after: datetime, taken: set[str], last_id: int) -> Article:
        """A new article of the district: the next list item id, the channels in turn."""
        story, rng = fresh_story(self.seed, self.portal.id, index, self.district.voice,
                                 list(CHANNELS)[index % len(CHANNELS)], after, taken)
        article = _publish(self.district, story, last_id + 1, rng)
        while article.path.lower() in {a.path.lower() for a in self._unbound + self._fresh_unbound}:
            article = _publish(self.district, story, last_id + 1, rng)  # a path drawn twice: draw again
        return article

    # Routing ------------------------------------------------------------------------------------
    def route(self, path: str, query: dict[str, list[str]]) -> Page:
        key = path.lower()
        if key in ("/", "/portal", "/portal/"):
            return self.redirect(HOME, status=302)
        if key == "/robots.txt":
            return self.robots(("/_layouts/", "/_vti_bin/", "/_catalogs/"))
        if key == HOME.lower():
            return Page(self._home())
        page = page_number(query, self.district.page_param)
        if key == ALL_NEWS.lower():
            return Page(self._list("Tin tức sự kiện", ALL_NEWS, self.articles, page))
        for channel, name in CHANNELS.items():
            if key == _channel_path(channel).lower():
                return Page(self._list(name, _channel_path(channel), self.by_category[channel], page))
        if key == SEARCH.lower():
            tag = (query.get("k") or [""])[0]
            items = [a for a in self.articles if tag and tag in a.tags]
            return Page(self._list(f"Kết quả tìm kiếm: {tag}", SEARCH, items, 1, pager=False))
        article = self.by_lower_path.get(key)
        if article is not None:
            return Page(self._article(article), is_article=True, article=article)
        return self.not_found()

    def _index(self) -> None:
        super()._index()
        self.by_lower_path = {article.path.lower(): article for article in self.articles}  # IIS ignores case

    # Pages --------------------------------------------------------------------------------------
    def _home(self) -> str:
        blocks = []
        for channel, name in CHANNELS.items():
            items = self.by_category[channel][:4]
            blocks.append(
                f'<div class="tandan-home-channel"><h2><a href="{_channel_path(channel)}">{escape(name)}</a></h2>'
                f'<div class="channel-news">{"".join(self._list_item(a) for a in items)}</div></div>'
            )
        main = (f'<div class="tandan-home-hot"><h2><a href="{ALL_NEWS}">Tin tức sự kiện</a></h2>'
                f'<div class="channel-news">{"".join(self._list_item(a) for a in self.articles[:5])}</div></div>'
                + "".join(blocks))
        return self._layout("Trang chủ", main, self.articles[:7])

    def _list(self, name: str, path: str, items: list[Article], page: int, pager: bool = True) -> str:
        shown, pages = paginate(items, page, PAGE_SIZE) if pager else (items, 1)
        body = "".join(self._list_item(a) for a in shown) or '<div class="tandan-no-data">Không có dữ liệu</div>'
        paging = self._pager(path, page, pages) if pager else ""
        main = (f'<div class="tandan-breadcrumb"><a href="{HOME}">Trang chủ</a> &raquo; <span>{escape(name)}</span></div>'
                f'<h1 class="tandan-channel-title">{escape(name)}</h1><div class="channel-news">{body}</div>{paging}')
        return self._layout(name, main, self.articles[:7])

    def _list_item(self, article: Article) -> str:
        thumb = article.images[0][0] if article.images else None
        return teaser("div.channel-news-item", article.path, escape(article.title), thumb,
                      thumb_box="div.channel-news-img", thumb_alt="", heading="div.channel-news-title",
                      date=("div.channel-news-date", _side_date(article.listed_at)),
                      summary=("div.channel-news-summary", escape(article.summary)))

    def _pager(self, path: str, page: int, pages: int) -> str:
        param = self.district.page_param
        if self.district.variant == "quanhoa":
            links = pager(page, pages, separator=" ",
                          number=lambda n, current: f'<span class="tandan-page-current">{n}</span>' if current
                          else f'<a href="{path}?{param}={n}">{n}</a>',
                          next_link=lambda n: f'<a href="{path}?{param}={n}" title="Trang sau">&raquo;</a>')
            return f'<div class="tandan-paging">{links}</div>'
        # Nông Cống: a sliding window of five numbers; the current one is a span.
        links = pager(page, pages, window=5,
                      number=lambda n, current: f'<span class="CurrentPage">{n}</span>' if current
                      else f'<a href="?{param}={n}">{n}</a>',
                      first_link=lambda: f'<a href="?{param}=1">Đầu</a>',
                      next_link=lambda n: f'<a href="?{param}={n}">Tiếp</a>')
        return f'<div class="Paging">{links}</div>'

    def _article(self, article: Article) -> str:
        indent = self.district.variant == "nongcong"  # the Nông Cống editors indent with &nbsp;
        blocks = []
        for block in article.layout():
            if block.kind == "img":
                src, caption = article.images[block.image]
                title = f' title="{escape(unquote(src.rsplit("/", 1)[-1]))}"' if indent else ""  # the file's name
                blocks.append(f'<p style="text-align: center;"><img src="{src}" alt=""{title} '
                              f'style="width: 600px; height: 400px;" />{entity_encode(block.text)}</p>')
                if caption:
                    blocks.append(f"<p>{entity_encode(caption)}</p>")
            elif block.kind == "gap":
                blocks.append("<p>&nbsp;</p>")
            else:
                lead = "&nbsp; &nbsp; &nbsp;" if indent and block.para % 2 and not article.blocks else ""
                blocks.append(f'<p style="text-align: justify;">{lead}{entity_encode(block.text)}</p>')
        if article.author:
            blocks.append(f'<p style="text-align: right;"><strong>{entity_encode(article.author)}</strong></p>')
        rich = "".join(blocks)
        tags = "".join(f'<a href="{SEARCH}?k={quote(tag)}">{escape(tag)}</a>' for tag in article.tags)
        crumbs = (f'<div class="tandan-breadcrumb"><a href="{HOME}">Trang chủ</a> &raquo; '
                  f'<a href="{_channel_path(article.category_key)}">{escape(article.category)}</a></div>')
        font = ('<span class="tandan-font-size"><a href="javascript:void(0)" onclick="zoomOut()">A-</a>'
                '<span>100%</span><a href="javascript:void(0)" onclick="zoomIn()">A+</a></span>')
        when = article.listed_at
        if self.district.variant == "quanhoa":
            head = (f'<h1 class="tandan-p-article-news-title">{escape(article.title)}</h1>'
                    f'<div class="tandan-p-article-news-date"><span class="tandan-span-date-publish">'
                    f'Đăng ngày {when:%d - %m - %Y}</span>{font}</div>')
            body = (f'<div class="ms-rtestate-field" id="{RICH_FIELD_ID}" style="display:inline">'
                    f'<div class="ExternalClass{article.id:04X}A1B2">{rich}</div></div>')
        else:
            head = (f'<h1 class="tandan-title-view">{escape(article.title)}</h1>'
                    f'<div class="tandan-date-view">Đăng lúc: {when:%H:%M:%S %d/%m/%Y} (GMT+7)</div>{font}')
            body = f'<div class="tandan-content-view">{rich}</div>'
        main = (
            f'{crumbs}<div class="tandan-p-article">{head}'
            f'<div class="tandan-p-article-news-summary">{escape(article.summary)}</div>'
            f'<div class="tandan-p-article-main">{body}</div>'
            + (f'<div class="td-tags"><span>Từ khóa:</span> {tags}</div>' if tags else "")
            + '<div class="tandan-article-back"><a href="javascript:history.back()">&lt;</a></div></div>'
        )
        # "Tin mới nhất" as it stood when the page was cached: four newer articles and two older (seed 002).
        position = self.articles.index(article)
        around = self.articles[max(0, position - 4): position + 3]
        return self._layout(article.title, main, around)

    # Chrome -------------------------------------------------------------------------------------
    def _layout(self, title: str, main: str, latest: list[Article]) -> str:
        district = self.district
        others = link_items(Row(a.path, _side_title(a), f'<span class="tandan-date-other">{_side_date(a.listed_at)}</span>',
                                title=a.title) for a in latest)
        menu = "".join(f'<li><a href="{_channel_path(key)}">{escape(name)}</a></li>' for key, name in CHANNELS.items())
        if district.variant == "quanhoa":
            header = ('<div class="tandan-portal-name">Cổng thông tin điện tử tỉnh thanh hóa</div>'
                      f'<div class="tandan-site-name">{escape(self.portal.name)}</div>')
        else:
            header = (f'<div class="tandan-banner"><img src="{self.media_url}/portal/Style%20Library/images/banner-nongcong.png" alt="" /></div>'
                      f'<div class="tandan-slogan"><marquee scrollamount="3">{escape(district.slogan)}</marquee></div>')
        body = f"""<form method="post" action="" id="aspnetForm">
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="{VIEWSTATE}" />
<div class="tandan-header">{header}</div>
<div class="tandan-menu"><ul><li><a href="{HOME}">Trang chủ</a></li><li><a href="{ALL_NEWS}">Tin tức sự kiện</a></li>{menu}</ul></div>
<div class="tandan-container">
<div class="tandan-main">{main}</div>
<div class="tandan-right">
<div class="tandan-div-article-other"><div class="tandan-div-article-other-title">Tin mới nhất</div><ul>{others}</ul></div>
<div class="tandan-thongke"><div class="tandan-thongke-title">Thống kê truy cập</div>
<ul>{counter_items(COUNTER, spans=False)}</ul></div>
</div>
</div>
<div class="tandan-footer">{paragraphs(district.footer)}</div>
</form>
"""
        return document(title, body, shell=SHELL)
