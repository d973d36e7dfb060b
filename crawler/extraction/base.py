"""ArticlePage: the page object that turns one article page (url, html) into an article dict.

A platform subclass is mostly a table of CSS selectors (tried in order); a
portal's registry overrides are tried before them; when no selector matches,
the shared fallbacks (meta tags, JSON-LD, <time>, trafilatura) take over.
"""

from __future__ import annotations

import copy
import json
from html import escape
from datetime import datetime
from functools import cache, cached_property
from urllib.parse import urlsplit

import lxml.html
import trafilatura
from lxml.cssselect import CSSSelector, SelectorError
from parsel import Selector

from crawler.dates import parse_date
from crawler.extraction.htmltext import (
    NOT_XML_TEXT, absolutize, collect_images, html_to_text, tidy_images, normalize_text, sanitize_html,
)
from crawler.registry import Selectors
from crawler.urls import join_url, same_site

DATE_LINE_REACH = 12  # text nodes after the headline searched for a date line
MAX_AUTHOR_CHARS = 80
MIN_FALLBACK_CHARS = 200  # shorter main text from trafilatura means it missed the article  # longer "author" matches are body paragraphs, not by-lines
META_DATE_KEYS = (
    "article:published_time", "og:published_time", "datePublished", "pubdate",
    "publishdate", "date", "dc.date.issued", "dc.date", "article:modified_time",
)


@cache
def compiled_css(css: str) -> CSSSelector | None:
    """A CSS selector compiled once per process (compiling cost more than matching), or None if lxml cannot."""
    try:
        return CSSSelector(css)
    except SelectorError:
        return None


class ArticlePage:
    """Extraction rules shared by every platform; subclasses list their selectors."""

    title_css: tuple[str, ...] = ()
    date_css: tuple[str, ...] = ()
    summary_css: tuple[str, ...] = ()
    body_css: tuple[str, ...] = ()
    author_css: tuple[str, ...] = ()
    category_css: tuple[str, ...] = ()
    # Markers of text that only JavaScript reveals (encrypted blobs); such a page needs a browser render.
    needs_browser_css: tuple[str, ...] = ()
    # The lead (sapo) the page shows above the body opens the stored text too: `body` is the whole article.
    lead_in_body: bool = True
    # True where captions are plain paragraphs after the image (not italic, centred or bracketed).
    plain_captions: bool = False
    # Boilerplate found inside the body container: related lists, share bars, ads.
    drop_css: tuple[str, ...] = (
        "script", "style", "noscript", "iframe", "form", "button",
        ".related", ".related-news", ".box-related", ".share", ".social", ".tags", ".print", ".ads", ".banner",
    )

    def __init__(self, url: str, html: str, overrides: Selectors | None = None):
        self.url = url
        # Characters XML cannot hold (control characters, lone surrogates from errors="surrogateescape"):
        # lxml parses past them but refuses them when text is set (drop_tree joins texts), so none go in.
        self.html = NOT_XML_TEXT.sub(" ", html)
        # type="html": left to itself parsel reads a body that parses as JSON as JSON, which has no CSS.
        self.page = Selector(text=self.html, type="html", base_url=url)
        overrides = overrides or Selectors()
        self._css = {
            field: ((getattr(overrides, field),) if getattr(overrides, field) else ()) + getattr(self, f"{field}_css")
            for field in ("title", "date", "summary", "body", "author")
        }
        self.body_selector_missed = False  # set when the body is extracted: see _body_fragment

    def needs_browser(self) -> bool:
        return any(self.page.css(css) for css in self.needs_browser_css)

    # --- helpers -------------------------------------------------------------------------------
    def _first_text(self, field: str, max_chars: int | None = None) -> str:
        """The text of the first node a field's selectors match (at most max_chars long), else ''."""
        for css in self._css[field]:
            for node in self.page.css(css):
                text = normalize_text(" ".join(node.css("::text").getall()))
                if text and (max_chars is None or len(text) <= max_chars):
                    return text
        return ""

    def _meta(self, *names: str) -> str:
        for name in names:
            value = self.page.xpath(
                "//meta[@property=$n or @name=$n or @itemprop=$n]/@content", n=name
            ).get() or self.page.xpath(
                "//meta[translate(@name,'ABCDEFGHIJKLMNOPQRSTUVWXYZ','abcdefghijklmnopqrstuvwxyz')=$n]/@content", n=name
            ).get()
            if value and value.strip():
                return normalize_text(value)
        return ""

    @cached_property
    def _json_ld(self) -> list[dict]:
        found = []
        for raw in self.page.css('script[type="application/ld+json"]::text').getall():
            try:
                data = json.loads(raw)
            except (ValueError, RecursionError):  # RecursionError: nesting deeper than json can follow ("[[[[...")
                continue
            stack = data if isinstance(data, list) else [data]
            while stack:
                item = stack.pop()
                if isinstance(item, dict):
                    found.append(item)
                    stack.extend(item.get("@graph", []) if isinstance(item.get("@graph"), list) else [])
        return found

    # --- fields --------------------------------------------------------------------------------
    def title(self) -> str:
        return (
            self._first_text("title")
            or self._meta("og:title", "twitter:title")
            or normalize_text(" ".join(self.page.css("h1 ::text").getall()))
            or normalize_text(self.page.css("title::text").get())
        )

    def published_at(self) -> datetime | None:
        for css in self._css["date"]:
            for node in self.page.css(css):
                # One attribute by XPath: parsel's .attrib copies them all and raises on a name such as "{x".
                datetime_attr = node.xpath("@datetime").get()
                text = " ".join(node.css("::text").getall()) or datetime_attr or ""
                parsed = parse_date(datetime_attr) or parse_date(text)
                if parsed:
                    return parsed
        candidates = [self._meta(*META_DATE_KEYS)]
        candidates += [str(item.get("datePublished") or "") for item in self._json_ld]
        candidates += self.page.css("time::attr(datetime)").getall()
        for candidate in candidates:
            parsed = parse_date(candidate)
            if parsed:
                return parsed
        return self._date_line_after_title()

    def _date_line_after_title(self) -> datetime | None:
        """A Vietnamese date line shortly after the headline ("Ngày đăng: 12/08/2025 09:30", "(12/08/2025)")."""
        title = self.title()
        if not title:
            return None
        for heading in self.page.xpath("//body//*[self::h1 or self::h2 or self::h3 or self::span or self::div or self::p]"):
            if normalize_text(" ".join(heading.css("::text").getall())) == title:
                for text in heading.xpath("following::text()[normalize-space()]")[:DATE_LINE_REACH].getall():
                    parsed = parse_date(text)
                    if parsed:
                        return parsed
                break
        return None

    def summary(self) -> str:
        return self._first_text("summary") or self._meta("description", "og:description")

    def author(self) -> str:
        # Longer "author" matches are body paragraphs, not by-lines.
        author = self._first_text("author", MAX_AUTHOR_CHARS) or self._meta("author", "article:author")
        if not author:
            for item in self._json_ld:
                value = item.get("author")
                value = value[0] if isinstance(value, list) and value else value
                value = value.get("name") if isinstance(value, dict) else value
                author = normalize_text(value if isinstance(value, str) else "")  # JSON-LD gives any type ({"name": 5})
                if author:
                    break
        return author

    def category(self) -> str:
        for css in self.category_css:
            text = normalize_text(" ".join(self.page.css(css).css("::text").getall()[-1:]))
            if text:
                return text
        return self._meta("article:section")

    def language(self) -> str:
        lang = (self.page.xpath("/html/@lang").get() or "vi").strip().lower()
        return lang.split("-")[0] or "vi"

    def canonical_url(self) -> str:
        """The page's rel=canonical when it stays on this site, else the fetched URL."""
        href = self.page.css('link[rel="canonical"]::attr(href)').get() or self._meta("og:url")
        if href:
            href = join_url(self.url, href)  # None when the page's href is no URL ("http://[::1")
            if href and same_site(href, urlsplit(self.url).hostname or ""):
                return href
        return self.url

    @cached_property
    def _body_fragment(self) -> lxml.html.HtmlElement | None:
        """The main-content element, a detached copy with boilerplate removed."""
        for css in self._css["body"]:
            nodes = self.page.css(css)
            if nodes and normalize_text(" ".join(nodes[0].css("::text").getall())):
                fragment = copy.deepcopy(nodes[0].root)
                self._strip(fragment)
                absolutize(fragment, self.url)
                tidy_images(fragment, self.plain_captions)
                return fragment
        # The layout has body selectors and none matched: the site may have changed its template.
        self.body_selector_missed = bool(self._css["body"])
        return self._fallback_fragment()

    def _strip(self, fragment: lxml.html.HtmlElement) -> None:
        """Remove boilerplate and fields that are stored separately (title, date, summary, author)."""
        doomed = list(self.drop_css)
        for field in ("title", "date", "summary"):
            doomed.extend(self._css[field])
        holder = lxml.html.fragment_fromstring("<div></div>")
        holder.append(fragment)
        for css in doomed + list(self._css["author"]):
            selector = compiled_css(css)
            if selector is None:  # a selector lxml cannot run inside a fragment; the page-level one still worked
                continue
            for element in selector(holder):
                is_byline = css in self._css["author"]
                if element is not fragment and (not is_byline or len(normalize_text(element.text_content())) <= MAX_AUTHOR_CHARS):
                    element.drop_tree()

    def _fallback_fragment(self) -> lxml.html.HtmlElement | None:
        """No selector matched: let trafilatura find the main text (a proven boilerplate remover)."""
        # Layout tables (old ASP.NET and Joomla portals) would drag menus and footers in: leave tables
        # out first, and take them only when that leaves no article (a body that is one data table).
        for include_tables in (False, True):
            extracted = trafilatura.extract(
                self.html, url=self.url, output_format="html", include_images=True, include_links=True,
                include_comments=False, include_tables=include_tables, favor_precision=True,
            )
            if extracted and len(html_to_text(extracted)) >= MIN_FALLBACK_CHARS:
                break
        if not extracted:
            return None
        fragment = lxml.html.fromstring(extracted)
        body = fragment.find(".//body")
        fragment = body if body is not None else fragment
        fragment.tag = "div"
        for heading in fragment.findall(".//h1"):  # the title, stored apart
            heading.drop_tree()
        self._drop_closing_byline(fragment)
        absolutize(fragment, self.url)
        tidy_images(fragment)
        return fragment

    def _drop_closing_byline(self, fragment: lxml.html.HtmlElement) -> None:
        """The last paragraph, when it only repeats the author found elsewhere (meta, JSON-LD)."""
        author = self.author()
        paragraphs = fragment.findall(".//p")
        if author and paragraphs and normalize_text(paragraphs[-1].text_content()) == author:
            paragraphs[-1].drop_tree()

    def _visible_lead(self) -> str:
        """The lead shown above the body: the summary selector's text, or the meta description when the
        page shows it as a block of its own (layouts without selectors)."""
        lead = self._first_text("summary")
        if lead:
            return lead
        description = self._meta("description", "og:description")
        if len(description) >= 40:
            for node in self.page.xpath("//body//*[self::p or self::div or self::span or self::h2 or self::strong]"):
                if normalize_text(" ".join(node.css("::text").getall())) == description:
                    return description
        return ""

    def body_html(self) -> str:
        fragment = self._body_fragment
        if fragment is None:
            return ""
        html = sanitize_html(lxml.html.tostring(fragment, encoding="unicode"))
        lead = self._visible_lead() if self.lead_in_body else ""
        if lead and not html_to_text(html).startswith(lead[:80]):
            html = f"<p>{escape(lead)}</p>{html}"
        return html

    def body(self) -> str:
        return html_to_text(self.body_html())

    def images(self) -> list[dict]:
        return collect_images(self._body_fragment) if self._body_fragment is not None else []

    def to_article(self) -> dict:
        """Every extracted field, in the shape of crawler.items.Article (portal fields excluded)."""
        body_html = self.body_html()
        return {
            "url": self.url,
            "canonical_url": self.canonical_url(),
            "title": self.title(),
            "summary": self.summary(),
            "body": html_to_text(body_html),
            "body_html": body_html,
            "author": self.author(),
            "published_at": self.published_at(),
            "category": self.category(),
            "images": self.images(),
            "language": self.language(),
        }
