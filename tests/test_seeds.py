"""The five real seed articles, served by the replica as pages of their portals, read back as the seeds show them.

The oracle comes from the seed texts themselves (tests/seeds/, copies of ../shared/seeds/): the
headline line, the lines of the article text, the date line and the author line, by number.
"""

from __future__ import annotations

import re
import unicodedata
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

from crawler.dates import parse_date
from crawler.replica import Fleet
from pipelines.normalize import normalize_body
from spiders import PLATFORM_SPIDERS

SEEDS = Path(__file__).parent / "seeds"
IMAGE_FILE = re.compile(r"\S+\.(jpe?g|png|gif)\s*$", re.IGNORECASE)

# seed: (portal, platform, headline line, article text lines, date line or None, author line or None)
ORACLE = {
    "000": ("muonglat", "vnpt", 2, (3, 24), None, 25),
    "001": ("camtu", "vnpt", 2, (3, 16), None, None),
    "002": ("quanhoa", "sharepoint", 5, (10, 24), 7, None),
    "003": ("baolaocai", "newspaper-baolaocai", 1, (3, 45), None, None),
    "004": ("nongcong", "sharepoint", 3, (8, 26), 5, 28),
}


def seed_lines(seed: str) -> list[str]:
    path = next(SEEDS.glob(f"{seed}_*.txt"))
    return [unicodedata.normalize("NFC", line) for line in path.read_text(encoding="utf-8").splitlines()]


def article_text(seed: str) -> str:
    """The seed's article text: its paragraphs, without image markers, file names, captions or player widgets."""
    lines = seed_lines(seed)
    first, last = ORACLE[seed][3]
    kept, after_image = [], False
    for line in lines[first - 1:last]:
        text = " ".join(line.split())
        if IMAGE_FILE.match(text):
            after_image = True  # the next line is that image's caption
            continue
        if after_image:
            after_image = False
            continue
        if text.startswith("Anh-tin-bai") or re.fullmatch(r"[\d:/ ]+", text):
            continue  # inline image marker (caption in parentheses) or the audio player's "0:00 / 0:00"
        if text:
            kept.append(text)
    return "\n\n".join(kept)


def word_f1(predicted: str, truth: str) -> float:
    """Bag-of-words F1 over lower-cased word tokens."""
    p, t = Counter(re.findall(r"\w+", predicted.lower())), Counter(re.findall(r"\w+", truth.lower()))
    common = sum((p & t).values())
    if not common:
        return 0.0
    precision, recall = common / sum(p.values()), common / sum(t.values())
    return 2 * precision * recall / (precision + recall)


@pytest.fixture(scope="module")
def fleet():
    with Fleet(seed=1) as fleet:
        yield fleet


@pytest.mark.parametrize("seed", sorted(ORACLE))
def test_seed_article_is_read_as_the_seed_shows_it(fleet, seed):
    portal, platform, headline, _, date_line, author_line = ORACLE[seed]
    lines = seed_lines(seed)
    page = fleet.seed_article(seed)
    with urllib.request.urlopen(page.url, timeout=10) as response:
        html = response.read().decode("utf-8")
    article = PLATFORM_SPIDERS[platform].article_page(page.url, html).to_article()

    assert article["title"] == " ".join(lines[headline - 1].split())
    body = normalize_body(article["body"])
    f1 = word_f1(body, article_text(seed))
    assert f1 >= 0.97, f"seed {seed}: body word F1 {f1:.3f}"
    if date_line:
        assert article["published_at"] == parse_date(lines[date_line - 1])
    else:
        assert article["published_at"] is not None and article["published_at"].utcoffset() is not None
    if author_line:
        assert article["author"] == lines[author_line - 1].strip()
    for chrome in ("Thống kê truy cập", "Website được thiết kế bởi VNPT", "CƠ QUAN CHỦ QUẢN", "Tin nổi bật",
                   "Tin mới nhất", "Tin cùng chuyên mục", "Có thể bạn quan tâm", "image advertisement",
                   "Đang online", "0:00", "Anh-tin-bai", ".jpg"):
        assert chrome not in body, (seed, chrome)


def test_oracle_reads_whole_articles():
    """Guard on the oracle itself: each seed's article text is substantial and free of page chrome."""
    for seed in ORACLE:
        text = article_text(seed)
        assert len(text.split()) > 250, seed
        assert "Tin nổi bật" not in text and "CƠ QUAN CHỦ QUẢN" not in text
