"""g. Stories: assigning articles to stories at scale, through the store, on a synthetic corpus.

Synthetic articles (Vietnamese syllables, stock phrases every portal uses, 300 to 800 words)
with the duplicate structure of the portals: most stories published once; one in ten
republished on 1 to 25 other portals within three days (exact, other boilerplate, light
edits, truncated, a paragraph added or cut); one in fifty a series of near misses (the same
report a week later with other figures, the same event on another day). Articles arrive as
nightly crawls bring them, in publication order, and go to `Store.assign_stories` in batches
of 50, as the crawl's store pipeline writes them. The articles themselves are not stored
(bench f measures that): the figure is the cost of the stories alone, on a scratch embedded
store. The pairwise precision and recall of "same story" against the corpus's truth come
with it.
"""

from __future__ import annotations

import hashlib
import os
import random
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

from bench.common import scratch_store
from crawler.store import Store

BATCH = 50
TARGET_SECONDS = 60.0
TARGET_ARTICLES = 100_000
_SYLLABLE_TEXT = ('xã huyện tỉnh hội nghị triển khai nhiệm vụ công tác Đảng ủy nhân dân Mường Lát Cẩm Tú Quan Hóa bầu '
                  'cử đại biểu thiên tai phòng chống kinh tế văn hóa giáo dục y tế nông thôn mới chuyển đổi số chính '
                  'quyền địa phương cấp cơ sở thôn bản đồng chí bí thư chủ tịch ủy ban mặt trận tổ quốc đoàn thanh niên '
                  'phụ nữ cựu chiến binh nông dân hợp tác doanh nghiệp đầu tư dự án giao thông thủy lợi trường học trạm '
                  'trung tâm phục vụ hành chính công thủ tục hồ sơ giải quyết tiếp nhận trực tuyến kết quả đánh giá báo '
                  'cáo tổng kết sơ kết năm tháng tuần quý chỉ đạo điều hành kiểm tra giám sát tuyên truyền vận động hỗ '
                  'trợ hộ nghèo cận gia đình chính sách người có công an sinh xã hội bảo hiểm lao động việc làm đào tạo '
                  'nghề sản xuất lúa ngô chăn nuôi trồng rừng du lịch lễ hội truyền thống di tích bảo tồn phát huy giá '
                  'trị')
SYLLABLES = _SYLLABLE_TEXT.split()


def run(scale: dict) -> dict:
    count = scale.get("story_articles", 10_000)
    corpus = Corpus(random.Random(11), count)
    with scratch_store() as (_, env):
        db_name = f"bench_stories_{os.getpid()}"
        store = Store(env["MONGO_URI"], db_name)
        store.ensure_indexes()
        batches = [[dict(doc) for doc in corpus.articles[start:start + BATCH]] for start in range(0, count, BATCH)]
        began = time.perf_counter()
        for batch in batches:
            store.assign_stories(batch)
        store.save_stories()  # what waits in memory, as the crawl's pipeline does when it closes
        elapsed = time.perf_counter() - began
        assigned = {doc["url_hash"]: doc["story_id"] for batch in batches for doc in batch}
        store.client.drop_database(db_name)
        store.close()
    precision, recall = pairwise(corpus.truth, assigned)
    rate = count / elapsed
    projected = TARGET_ARTICLES / rate
    return {
        "figures": {"articles": count, "seconds": round(elapsed, 1), "articles_per_s": round(rate),
                    "seconds_per_100k": round(projected, 1),
                    "stories_with_copies": sum(1 for n in Counter(assigned.values()).values() if n > 1),
                    "true_stories": len(set(corpus.truth.values())), "found_stories": len(set(assigned.values())),
                    "pairwise_precision": round(precision, 4), "pairwise_recall": round(recall, 4)},
        "target": f"assign stories to {TARGET_ARTICLES:,} articles in under {TARGET_SECONDS:.0f} s",
        "met": projected < TARGET_SECONDS if count < TARGET_ARTICLES else elapsed < TARGET_SECONDS,
        "how": f"{count:,} synthetic articles ({corpus.describe()}) through Store.assign_stories in batches of "
               f"{BATCH}, in publication order, on a scratch embedded store; seconds are those spent in "
               "assign_stories (fingerprints, index reads and writes, stories documents), articles not stored.",
    }


def pairwise(truth: dict[str, str], found: dict[str, str]) -> tuple[float, float]:
    """Pairwise precision and recall of "same story" (pairs counted from cluster sizes, not enumerated)."""
    def pairs(counter: Counter) -> int:
        return sum(n * (n - 1) // 2 for n in counter.values())

    both = pairs(Counter((truth[key], found[key]) for key in truth))
    said = pairs(Counter(found[key] for key in truth))
    real = pairs(Counter(truth.values()))
    return (both / said if said else 1.0), (both / real if real else 1.0)


class Corpus:
    """Synthetic articles in publication order, with the story each truly belongs to (`truth`)."""

    def __init__(self, rng: random.Random, count: int):
        self.rng = rng
        self.stock = [self._sentence() for _ in range(40)]  # phrases every portal's articles repeat
        self.truth: dict[str, str] = {}
        self.kinds: Counter = Counter()
        start = datetime(2024, 3, 1, tzinfo=UTC)
        span = timedelta(days=max(30, count // 137))  # about 137 articles a day, as 3,300 portals would give
        drafts: list[dict] = []
        story = 0
        while len(drafts) < count:
            story += 1
            when = start + timedelta(seconds=rng.randrange(int(span.total_seconds())))
            draw = rng.random()
            if draw < 0.02:
                drafts += self._near_misses(story, when)
                story += 10
            elif draw < 0.12:
                drafts += self._syndicated(story, when)
            else:
                drafts.append(self._article(f"s{story}", self._body(), when, "original"))
        drafts = drafts[:count]
        # Crawls bring articles a few hours after publication, in about that order.
        drafts.sort(key=lambda d: d["published_at"] + timedelta(hours=rng.uniform(0, 12)))
        self.articles = drafts

    def describe(self) -> str:
        total = sum(self.kinds.values())
        return ", ".join(f"{kind} {n / total:.0%}" for kind, n in self.kinds.most_common())

    def _sentence(self) -> str:
        words = self.rng.choices(SYLLABLES, k=self.rng.randint(10, 24))
        if self.rng.random() < 0.4:
            words.insert(self.rng.randrange(len(words)), str(self.rng.randint(2, 5000)))
        return " ".join(words).capitalize() + "."

    def _body(self) -> list[str]:
        paragraphs = []
        for _ in range(self.rng.randint(4, 9)):
            sentences = [self._sentence() for _ in range(self.rng.randint(2, 4))]
            if self.rng.random() < 0.3:
                sentences.insert(0, self.rng.choice(self.stock))
            paragraphs.append(" ".join(sentences))
        return paragraphs

    def _article(self, story: str, paragraphs: list[str], when: datetime, kind: str) -> dict:
        number = len(self.truth)
        url = f"https://p{self.rng.randrange(3300):04d}.gov.vn/tin-tuc/bai-{number}"
        key = hashlib.sha256(url.encode()).hexdigest()
        self.truth[key] = story
        self.kinds[kind] += 1
        body = "\n\n".join(paragraphs)
        return {"url": url, "url_hash": key, "portal": url[8:13], "title": " ".join(self.rng.sample(SYLLABLES, 9)),
                "summary": "", "body": body, "published_at": when, "crawled_at": when}

    def _syndicated(self, story: int, when: datetime) -> list[dict]:
        original = self._body()
        out = [self._article(f"s{story}", original, when, "original")]
        for _ in range(min(25, int(self.rng.paretovariate(1.2)))):
            kind = self.rng.choice(("exact", "boilerplate", "edited", "truncated", "added", "cut"))
            out.append(self._article(f"s{story}", self._variant(original, kind),
                                     when + timedelta(minutes=self.rng.randrange(3 * 24 * 60)), kind))
        return out

    def _variant(self, paragraphs: list[str], kind: str) -> list[str]:
        rng = self.rng
        copy = list(paragraphs)
        if kind == "boilerplate":
            copy = [f"({rng.choice(SYLLABLES)} {rng.choice(SYLLABLES)}) - " + copy[0], *copy[1:],
                    f"Nguồn: {rng.choice(SYLLABLES)} {rng.choice(SYLLABLES)}"]
        elif kind == "edited":
            words = "\n\n".join(copy).split(" ")
            for _ in range(rng.randint(3, 8)):
                words[rng.randrange(len(words))] = rng.choice(SYLLABLES)
            copy = " ".join(words).split("\n\n")
        elif kind == "truncated":
            copy = copy[:max(2, round(len(copy) * rng.uniform(0.5, 0.8)))]
        elif kind == "added":
            copy.insert(rng.randrange(len(copy) + 1), " ".join(self._sentence() for _ in range(3)))
        elif kind == "cut" and len(copy) > 3:
            del copy[rng.randrange(1, len(copy))]
        return copy

    def _near_misses(self, story: int, when: datetime) -> list[dict]:
        """A report template filled in again: the same words around other figures, or another date."""
        template = self._body()
        out = []
        for instance in range(self.rng.randint(2, 5)):
            day = when + timedelta(days=7 * instance if self.rng.random() < 0.5 else self.rng.randint(1, 4) * instance)
            figures = iter(str(self.rng.randint(10, 9999)) for _ in range(1000))
            filled = [f"Ngày {day.day}/{day.month}, " + template[0], *template[1:]]
            filled = [" ".join(next(figures) if word.isdigit() else word for word in paragraph.split(" "))
                      for paragraph in filled]
            filled.append(f"Kết quả tuần: tiếp nhận {next(figures)} hồ sơ, giải quyết {next(figures)} hồ sơ đúng hạn.")
            out.append(self._article(f"s{story}.{instance}", filled, day, "near miss"))
        return out
