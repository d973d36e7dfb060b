"""Decode pages by what their bytes are when the Content-Type header says otherwise.

Scrapy trusts the header's charset first, then the page's own declaration, then the bytes. Some
portal servers send `charset=iso-8859-1` or `windows-1252` (a web server default) for UTF-8 pages,
and every Vietnamese letter turns into mojibake. A page whose bytes are valid UTF-8 with non-ASCII
characters is not Latin-1 text in practice, so such a page is read as UTF-8. Pages in a legacy
Vietnamese encoding (windows-1258, declared in a meta tag) are left to Scrapy, which handles them.
"""

from __future__ import annotations

from scrapy.http import Response, TextResponse
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding

# What servers default to; no Vietnamese site writes its pages in these.
SERVER_DEFAULTS = {"cp1252", "latin_1", "iso8859-1", "ascii", "windows-1252", "iso-8859-1"}


class EncodingRepairMiddleware:
    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_response(self, request, response: Response, spider=None) -> Response:
        if not isinstance(response, TextResponse):
            return response
        header = http_content_type_encoding(response.headers.get("Content-Type", b"").decode("latin-1"))
        if header not in SERVER_DEFAULTS or not is_utf8_text(response.body):
            return response
        declared = html_body_declared_encoding(response.body)
        if declared not in (None, "utf-8"):
            return response  # the page names another encoding of its own: Scrapy's order decides
        self.stats.inc_value("encoding/header_overridden")
        return response.replace(encoding="utf-8")


def is_utf8_text(body: bytes) -> bool:
    """Valid UTF-8 holding at least one multi-byte character (plain ASCII reads the same either way)."""
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
