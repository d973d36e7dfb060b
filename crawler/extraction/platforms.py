"""Selector tables of the known platforms, one small ArticlePage subclass each.

A portal that differs from its platform gets selector overrides in the
registry; a platform whose layout changed gets a subclass here that
overrides only what changed.
"""

from __future__ import annotations

import re

from crawler.extraction.base import ArticlePage
from crawler.extraction.htmltext import normalize_text


class GenericArticle(ArticlePage):
    """A layout nobody wrote selectors for: meta tags, JSON-LD, <time>, date lines and trafilatura."""

    def title(self) -> str:
        """The longest heading or text of the page that the <title> repeats (site banners are headings too),
        else og:title, the first heading, the <title> without the site's name."""
        if self._css["title"]:
            found = self._first_text("title")
            if found:
                return found
        page_title = normalize_text(self.page.css("title::text").get())
        headings = [normalize_text(" ".join(h.css("::text").getall())) for h in self.page.css("h1, h2, h3, .title, [class*=title]")]
        texts = [normalize_text(t) for t in self.page.xpath("//body//text()[string-length(normalize-space()) >= 15]").getall()]
        in_title = [t for t in headings + texts if len(t) >= 15 and t in page_title]
        if in_title:
            return max(in_title, key=len)
        return (self._meta("og:title", "twitter:title") or next((h for h in headings if h), "")
                or _strip_site_name(page_title))


def _strip_site_name(page_title: str) -> str:
    """'Headline | Cổng thông tin xã X' -> 'Headline' (the longest part)."""
    parts = [p.strip() for p in re.split(r"\s[|–—-]\s", page_title) if p.strip()]
    return max(parts, key=len) if parts else page_title


class VnptArticle(ArticlePage):
    """VNPT commune/ward portals (2025 platform): /{category}/{slug}-{id}."""

    title_css = ("h1.title-detail", ".news-detail h1", "h1.title")
    date_css = (".post-date", ".news-detail .date", ".date-detail")
    summary_css = (".sapo-detail", ".news-detail .sapo")
    body_css = (".content-detail", ".news-detail .content", "#content-detail")
    # The reporter's line closes the body, right-aligned and bold.
    author_css = (".content-detail > p[style*='right']:last-child", ".author-detail", ".news-detail .author")
    category_css = (".breadcrumb li:last-child a", ".breadcrumb a")


class SharePointArticle(ArticlePage):
    """SharePoint-based provincial portals (tandan- classes): /portal/Pages/{date}/{slug}.aspx."""

    title_css = (".tandan-p-article-news-title", ".tandan-title-view")
    date_css = (".tandan-span-date-publish", ".tandan-date-view")
    summary_css = (".tandan-p-article-news-summary", ".tandan-summary-view")
    body_css = ("#ctl00_PlaceHolderMain_ctl03__ControlWrapper_RichHtmlField", ".tandan-p-article-main .ms-rtestate-field",
                ".tandan-p-article-main", ".tandan-content-view", ".ms-rtestate-field")
    # The reporter's name closes the body as a bold paragraph.
    author_css = (".tandan-author", ".tandan-p-article-news-author",
                  ".ms-rtestate-field p:last-child > strong:only-child",
                  ".tandan-content-view p:last-child > strong:only-child")
    category_css = (".tandan-breadcrumb a", ".breadcrumb a")
    plain_captions = True  # a plain <p> right after the image
    drop_css = ArticlePage.drop_css + (".tandan-div-article-other", ".td-tags", ".tandan-font-size")


class BaoLaoCaiArticle(ArticlePage):
    """Báo Lào Cai: /{slug}-post{id}.html."""

    title_css = ("h1.article__title", "h1.detail-title", "h1")
    date_css = (".article__meta time", "time", ".article__time")
    summary_css = (".article__sapo", ".detail-sapo")
    body_css = ("div[data-field='body']", "div.article__body.cms-body[itemprop='articleBody']", "div.article__body")
    author_css = (".article__author", ".detail-author")
    category_css = (".breadcrumb a", ".article__category a")


class BaoThanhHoaArticle(ArticlePage):
    """Báo Thanh Hóa: /{slug}-{id}.htm; part of some bodies is decrypted by JavaScript (render: browser)."""

    title_css = ("h1.article__title", "h1")
    date_css = (".article__meta time", "time", ".article__time", ".date-time")
    summary_css = (".article__sapo",)
    body_css = ("#dcontent", ".article__body")
    author_css = (".article__author", ".author")
    category_css = (".breadcrumb a", ".article__category a")
    drop_css = ArticlePage.drop_css + (".enc-content",)
    # The encrypted half of a body ships as a base64 payload decoded by an inline script.
    needs_browser_css = (".enc-content[data-payload]", "#dcontent [data-payload]")
