"""Canonical article URLs and the URL hash that is every article's key."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url as w3lib_canonicalize_url

# Query parameters that track visitors or sessions and never select content.
TRACKING_PARAM = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|yclid|zarsrc|_ga|_gl|mc_cid|mc_eid|ref"
    r"|sessionid|session_id|sid|jsessionid|phpsessid|aspsessionid\w*|asp\.net_sessionid)$",
    re.IGNORECASE,
)
DEFAULT_PORTS = {"http": 80, "https": 443}


def canonicalize_url(url: str) -> str:
    """Normalise a URL so every spelling of one article gives one string.

    Lower-cases scheme and host, drops default ports, fragments, tracking and
    session parameters and trailing slashes, and sorts the query (w3lib does
    the percent-encoding and sorting).
    """
    url = w3lib_canonicalize_url(url.strip(), keep_fragments=False)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    netloc = host
    if parts.port and parts.port != DEFAULT_PORTS.get(scheme):
        netloc = f"{host}:{parts.port}"
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    # Session ids embedded in the path, e.g. ";jsessionid=..." (Java portals).
    path = re.sub(r";jsessionid=[^/?]*", "", path, flags=re.IGNORECASE)
    query = urlencode(
        sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING_PARAM.match(k))
    )
    return urlunsplit((scheme, netloc, path, query, ""))


def url_hash(url: str) -> str:
    """sha256 hex of the canonical form of `url`: the article's document key."""
    return hashlib.sha256(canonicalize_url(url).encode("utf-8")).hexdigest()


def same_site(url: str, host: str) -> bool:
    """True when `url` is on `host` or one of its subdomains (www. and bare host match)."""
    other = (urlsplit(url).hostname or "").lower()
    host = host.lower()
    strip = lambda h: h.removeprefix("www.")  # noqa: E731
    return strip(other) == strip(host) or other.endswith("." + strip(host))
