"""Shared HTML helpers for extractors: sanitise main-content HTML, turn it into clean text, collect images."""

from __future__ import annotations

import re
import unicodedata

import lxml.html
import nh3

from crawler.urls import join_url

# What survives in `body_html`: structure and media, no scripts, styles or layout attributes.
ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "h5", "h6", "strong", "b", "em", "i", "u", "sub", "sup",
    "blockquote", "ul", "ol", "li", "a", "img", "figure", "figcaption",
    "table", "thead", "tbody", "tr", "th", "td", "caption",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
DROPPED_WITH_CONTENT = {"script", "style", "noscript", "iframe", "object", "embed", "form", "button", "select", "template"}
BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "figure", "figcaption", "tr", "table", "section", "article", "ul", "ol"}
# Alt texts the CMS writes for every image; they are not captions.
PLACEHOLDER_ALTS = {"", "anh-tin-bai", "image", "img", "photo", "anh"}
MAX_CAPTION_CHARS = 250
# Characters XML cannot hold (C0 controls but tab, newline and return; lone surrogates; U+FFFE, U+FFFF):
# lxml refuses them in any text or attribute value set through its API, and they cannot be stored as
# text. Replaced by a space, which whitespace collapsing then removes (str.split takes several for blanks).
NOT_XML_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def normalize_text(text: str | None) -> str:
    """NFC, no control characters, runs of whitespace collapsed to one space."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", NOT_XML_TEXT.sub(" ", text)).replace("\u00a0", " ").replace("\u200b", "")
    return " ".join(text.split())


def absolutize(fragment: lxml.html.HtmlElement, base_url: str) -> None:
    """Make img src and a href absolute, resolving lazy-loading attributes first."""
    for img in fragment.iter("img"):
        src = img.get("data-src") or img.get("data-original") or img.get("src")
        if src:
            src = join_url(base_url, src)
            if src:
                img.set("src", src)
            else:  # no URL ("http://[::1"): no image
                img.attrib.pop("src", None)
    for link in fragment.iter("a"):
        if link.get("href"):
            href = join_url(base_url, link.get("href"))
            if href:
                link.set("href", href)
            else:  # no URL: a plain text link
                del link.attrib["href"]


def sanitize_html(html: str) -> str:
    """Safe, minimal main-content HTML (nh3 is a maintained whitelist sanitiser)."""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )
    cleaned = unicodedata.normalize("NFC", cleaned)
    # Paragraphs left empty by the removal of layout elements.
    cleaned = re.sub(r"<p>(\s|&nbsp;|<br>)*</p>", "", cleaned)
    return cleaned.strip()


def html_to_text(html: str) -> str:
    """Readable text of an HTML fragment: one paragraph per block, blank line between paragraphs."""
    html = NOT_XML_TEXT.sub(" ", html)  # lxml refuses them in the leading text it moves into the parent
    if not html.strip():
        return ""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    # Captions are stored with their images, not in the text.
    for element in list(root.iter("img", "figcaption")):
        element.drop_tree()
    paragraphs: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        text = "\n".join(normalize_text(line) for line in "".join(buffer).split("\n"))
        text = text.strip()
        if text:
            paragraphs.append(text)
        buffer.clear()

    def walk(element) -> None:
        block = element.tag in BLOCK_TAGS
        if block:
            flush()
        buffer.append(element.text or "")
        for child in element:
            if isinstance(child.tag, str):
                walk(child)
            buffer.append(child.tail or "")
        if block:
            flush()

    walk(root)
    flush()
    return "\n\n".join(re.sub(r"\n{2,}", "\n", p) for p in paragraphs)


def tidy_images(fragment: lxml.html.HtmlElement, plain_paragraphs: bool = False) -> None:
    """Drop placeholder alt texts ("Anh-tin-bai") and turn the paragraph that captions an image
    into a <figcaption>, so captions stay out of the text.

    The portals put a caption in the paragraph right after the image (or its
    figure): short, and usually centred, italic or in parentheses. Platforms
    whose captions are plain paragraphs (SharePoint) pass plain_paragraphs=True.
    """
    for img in list(fragment.iter("img")):
        if normalize_text(img.get("alt")).lower() in PLACEHOLDER_ALTS:
            img.set("alt", "")
        figure = next((a for a in img.iterancestors() if a.tag == "figure"), None)
        if figure is not None and figure.find(".//figcaption") is not None:
            continue
        holder = figure if figure is not None else _block_of(img)
        following = _following(holder)
        if following is None or following.tag != "p" or following.findall(".//img"):
            continue
        text = normalize_text(following.text_content())
        styled = (following.find(".//em") is not None or following.find(".//i") is not None
                  or "center" in (following.get("style") or "") or text.startswith("("))
        if text and len(text) <= MAX_CAPTION_CHARS and (styled or plain_paragraphs):
            following.tag = "figcaption"


def _following(element: lxml.html.HtmlElement | None) -> lxml.html.HtmlElement | None:
    """The element after `element` in reading order: its next sibling or, when it ends a paragraph
    left open around it (`<p>text<figure>...` without `</p>`: lxml nests the figure where a browser
    closes the paragraph), that paragraph's next sibling."""
    while element is not None and element.getnext() is None and element.getparent() is not None \
            and element.getparent().tag == "p":
        element = element.getparent()
    return element.getnext() if element is not None else None


def collect_images(fragment: lxml.html.HtmlElement) -> list[dict]:
    """Images of the main content with their captions (a figcaption, else a real alt text)."""
    images, seen = [], set()
    for img in fragment.iter("img"):
        src = img.get("src")
        if not src or src.startswith("data:") or src in seen:
            continue
        seen.add(src)
        images.append({"url": src, "caption": _caption_of(img) or None})
    return images


def _caption_of(img: lxml.html.HtmlElement) -> str:
    figure = next((a for a in img.iterancestors() if a.tag == "figure"), None)
    holder = figure if figure is not None else _block_of(img)
    caption = figure.find(".//figcaption") if figure is not None else None
    if caption is None and _following(holder) is not None and _following(holder).tag == "figcaption":
        caption = _following(holder)
    if caption is not None and normalize_text(caption.text_content()):
        text = normalize_text(caption.text_content())
        return text[1:-1].strip() if text.startswith("(") and text.endswith(")") else text
    alt = normalize_text(img.get("alt"))
    if alt.lower() not in PLACEHOLDER_ALTS and not re.search(r"\.(jpe?g|png|gif|webp)$", alt, re.I):
        return alt
    return ""


def _block_of(img: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The paragraph-level element that holds an image."""
    node = img
    while node.getparent() is not None and node.getparent().tag not in ("div", "section", "article", "body", "td"):
        node = node.getparent()
    return node
