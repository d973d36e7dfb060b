"""One spider class per platform: where its list pages keep article links and the next page."""

from __future__ import annotations

import re

from crawler.extraction import BaoLaoCaiArticle, BaoThanhHoaArticle, GenericArticle, SharePointArticle, VnptArticle
from spiders.base import PortalSpider


class VnptSpider(PortalSpider):
    """VNPT commune/ward portals (2025 platform)."""

    platform = "vnpt"
    article_page = VnptArticle
    article_link_css = (".news-item .news-title a", ".news-title a", ".list-news .title a")
    article_url_pattern = re.compile(r"^/[\w-]+/[\w-]+-\d{3,}$")
    next_page_css = ("a.next", ".pagination a[rel='next']") + PortalSpider.next_page_css
    fingerprints = (re.compile(r"Website được thiết kế bởi VNPT|storage-vnportal|files-vnportal|vnportal", re.I),)


class SharePointSpider(PortalSpider):
    """SharePoint-based portals (tandan- classes, /portal/Pages/...aspx)."""

    platform = "sharepoint"
    article_page = SharePointArticle
    article_link_css = (".channel-news-title a", ".tandan-channel-news-title a")
    article_url_pattern = re.compile(r"/portal/pages/[\d-]+/[^/]+\.aspx$", re.IGNORECASE)
    next_page_css = ("span.CurrentPage + a",) + PortalSpider.next_page_css
    fingerprints = (re.compile(r"class=\"[^\"]*\btandan-"), re.compile(r"/portal/pages/[^\"']+\.aspx", re.I))


class BaoLaoCaiSpider(PortalSpider):
    """Báo Lào Cai: RSS first, then category pages; articles /{slug}-post{id}.html."""

    platform = "newspaper-baolaocai"
    feed_paths = ("/rss/home.rss",)
    article_page = BaoLaoCaiArticle
    article_link_css = (".story__title a", ".article-title a", "h3 a[href*='-post']", "h2 a[href*='-post']")
    article_url_pattern = re.compile(r"-post\d+\.html$")
    fingerprints = (re.compile(r"baolaocai\.vn"), re.compile(r"LCĐT - "), re.compile(r"data-field=[\"']body[\"']"))


class BaoThanhHoaSpider(PortalSpider):
    """Báo Thanh Hóa: RSS first, then category pages; articles /{slug}-{id}.htm and /{category}/{slug}/{id}.htm."""

    platform = "newspaper-baothanhhoa"
    feed_paths = ("/rss/home.rss",)
    article_page = BaoThanhHoaArticle
    article_link_css = (".story__title a", ".article-title a")
    article_url_pattern = re.compile(r"(-\d{4,}|/\d{4,})\.htm$")
    fingerprints = (re.compile(r"baothanhhoa\.vn", re.I), re.compile(r"id=[\"']dcontent[\"']"))


class GenericSpider(PortalSpider):
    """Any other site: article links recognised by numeric ids, dates or page extensions on the same host."""

    platform = "generic"
    article_page = GenericArticle
    article_url_pattern = re.compile(r"(-\d{3,}|/\d{4}/\d{1,2}/|/\d{4}-\d{1,2}-\d{1,2}/|\.(aspx|html?|php)$)", re.IGNORECASE)
