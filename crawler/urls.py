"""Canonical article URLs and the URL hash that is every article's key."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url as w3lib_canonicalize_url

# Query parameters that track visitors or sessions and never select content.
TRACKING_PARAM = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|yclid|zarsrc|_ga|_gl|mc_cid|mc_eid|ref"
    r"|sessionid|session_id|sid|jsessionid|phpsessid|aspsessionid\w*|asp\.net_sessionid)$",
    re.IGNORECASE,
)
DEFAULT_PORTS = {"http": 80, "https": 443}
# What a browser does to an href before resolving it (WHATWG URL): blanks and C0 controls around it
# stripped, tabs and newlines inside removed, other control characters percent-encoded.
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_TAB_NEWLINE = re.compile(r"[\t\n\r]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def canonicalize_url(url: str) -> str:
    """Normalise a URL so every spelling of one article gives one string.

    Lower-cases scheme and host, drops default ports, fragments, tracking and
    session parameters and trailing slashes, and sorts the query (w3lib does
    the percent-encoding and sorting).
    """
    try:
        url = w3lib_canonicalize_url(url.strip(), keep_fragments=False)
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        # No URL at all (an unclosed IPv6 literal "http://[::1", a port that is no number or out of
        # range, a lone surrogate): there is no other spelling to fold it into, so its text is its form.
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    netloc = host
    if port and port != DEFAULT_PORTS.get(scheme):
        netloc = f"{host}:{port}"
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    # Session ids embedded in the path, e.g. ";jsessionid=..." (Java portals).
    path = re.sub(r";jsessionid=[^/?]*", "", path, flags=re.IGNORECASE)
    query = urlencode(
        sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING_PARAM.match(k))
    )
    return urlunsplit((scheme, netloc, path, query, ""))


@lru_cache(maxsize=16384)  # one URL is hashed by the stored-URL check, the conditional lists and the pipelines
def url_hash(url: str) -> str:
    """sha256 hex of the canonical form of `url`: the article's document key."""
    # surrogatepass: a URL that is no URL may hold a lone surrogate; valid text encodes as plain UTF-8.
    return hashlib.sha256(canonicalize_url(url).encode("utf-8", "surrogatepass")).hexdigest()


def join_url(base: str, href: str) -> str | None:
    """An href read from a page, resolved against `base` as a browser would; None when the result is no
    URL (an unclosed IPv6 literal "http://[::1", a port that is no number or out of range).

    Pages are untrusted: urljoin raises on such hrefs, and control characters kept in a URL make lxml
    refuse it as an attribute value.
    """
    href = _TAB_NEWLINE.sub("", href.strip().strip(_C0_AND_SPACE))
    href = _CONTROL.sub(lambda m: f"%{ord(m.group()):02X}", href)
    try:
        url = urljoin(base, href)
        _ = urlsplit(url).port  # urllib checks IPv6 literals when splitting, ports only when asked for them
    except ValueError:
        return None
    return url


def same_site(url: str, host: str) -> bool:
    """True when `url` is on `host` or one of its subdomains (www. and bare host match)."""
    try:
        other = (urlsplit(url).hostname or "").lower()
    except ValueError:  # no URL ("http://[::1"), so on no site
        return False
    host = host.lower()
    strip = lambda h: h.removeprefix("www.")  # noqa: E731
    return strip(other) == strip(host) or other.endswith("." + strip(host))
