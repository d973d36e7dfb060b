"""Which platform a page belongs to, from the fingerprints each platform spider declares."""

from __future__ import annotations

from spiders import PLATFORM_SPIDERS


def detect_platform(url: str, html: str) -> str:
    """The platform whose fingerprints match the page most often; 'generic' when none matches."""
    text = f"{url}\n{html}"
    scores = {
        platform: sum(len(pattern.findall(text)) for pattern in spider.fingerprints)
        for platform, spider in PLATFORM_SPIDERS.items()
    }
    best = max(scores, key=scores.get)
    return best if scores[best] > 0 else "generic"
