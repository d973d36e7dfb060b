"""Stories: content fingerprints of articles and the rules that say two articles carry the same story (no store).

A story is one piece of news however many portals publish it. Two articles carry the
same story when their texts are mostly the same word shingles and open alike (boilerplate,
headline, light edits, truncation and added or cut paragraphs notwithstanding), no number
in a shared wording disagrees (a weekly report with other figures, the same conference on
another day), and they were published within MAX_SPREAD of each other.

* `fingerprint(text, when)`: NFC, lower-cased word 5-shingles hashed with a stable 64-bit
  hash, summarised by one-permutation MinHash (BINS bins, densified by rotation), plus the
  opening LEAD_SHINGLES shingles and the numbers of the text keyed by the word before and
  the word after each.
* `band_keys(signature)`: LSH: BANDS bands of ROWS bins each, one 64-bit key per band, so
  that articles sharing a key are the only candidates ever compared.
* `compare` / `joins`: the verification of a candidate (similarity, numbers, time).
* `StoryIndex`: the fingerprints of the articles of a few days in memory, looked up by band
  key; `assign` gives each article of a batch its story. `pack` / `unpack` turn index
  entries into the bytes the store keeps (crawler.store, section "stories").

Hand-written on numpy rather than datasketch: datasketch's MinHash applies every permutation
to every shingle (BINS times the work); one-permutation hashing hashes each shingle once,
which keeps 100,000 articles within seconds of CPU.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np

SHINGLE_WORDS = 5           # Vietnamese words are syllables: five make a phrase, rarely shared by chance
BINS = 64                   # one-permutation MinHash bins: the signature
BANDS, ROWS = 32, 2         # LSH: a pair with Jaccard 0.3 shares a band key with probability 0.95
LEAD_SHINGLES = 30          # the opening: copies keep it (truncated ones too); texts that merely share stock sentences do not
MIN_SHINGLES = 12           # less text than this is no evidence of anything: the article is its own story
# Similar enough: the same opening and much of the text (copies, truncated ones included), or, the
# opening rewritten, most of the text. Texts that merely share stock sentences share no opening.
MIN_LEAD = 0.6              # share of the shorter opening found in the other text's opening
LEAD_CONTAINMENT, LEAD_JACCARD = 0.5, 0.25   # with the opening: share of the shorter text in the longer; of both
BODY_CONTAINMENT, BODY_JACCARD = 0.8, 0.5    # without it
MAX_SPREAD = timedelta(days=5)  # copies of a story are published within days; a week later it is another report
MAX_CANDIDATES = 24         # indexed articles verified per article at most: those sharing the most LSH bands with it
MAX_CANDIDATE_STORIES = 8   # and their stories
MAX_COMPARED = 8            # members of a candidate story compared in full (numbers, opening): the closest
STORY_ID_LENGTH = 16        # hex digits of the founding article's URL hash in a story id
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

EMPTY = np.uint32(0xFFFFFFFF)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _TOP = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(64 - 6)  # 2**6 == BINS
_LOW32 = np.uint64(0xFFFFFFFF)
_ROTATE = 0x9E3779B1        # added per bin skipped when an empty bin borrows its right neighbour's value
_BAND_SALT = (np.arange(BANDS, dtype=np.uint64) + np.uint64(1)) * _MIX
_DOC_BITS = np.uint64(16)
_MAX_BATCH = (1 << 16) - 1


# --- fingerprints ------------------------------------------------------------------------------

@dataclass(eq=False)
class Fingerprint:
    """What is compared of an article: its MinHash signature, shingle count, numbers in context, time."""

    signature: np.ndarray        # uint32[BINS]
    size: int                    # distinct shingles
    contexts: np.ndarray         # uint32[n]: the words around each number (two before, one after)
    values: np.ndarray           # uint32[n]: the number there (its first two digit groups: 10/7 of 10/7/2025)
    when: float                  # POSIX seconds: publication time (else crawl time)
    lead: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.uint32))  # uint32: the opening shingles
    _numbers: dict[int, set[int]] | None = field(default=None, repr=False)

    def numbers(self) -> dict[int, set[int]]:
        if self._numbers is None:
            found: dict[int, set[int]] = {}
            for context, value in zip(self.contexts.tolist(), self.values.tolist()):
                found.setdefault(context, set()).add(value)
            self._numbers = found
        return self._numbers


def story_text(title: str | None, summary: str | None, body: str | None) -> str:
    """The text a story is recognised by: lead and body (headlines vary from copy to copy)."""
    summary, body = (summary or "").strip(), body or ""
    return body if not summary or summary[:80] in body else f"{summary}\n\n{body}"


def _finalize(values: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser, in place: every input bit moves every output bit."""
    with np.errstate(over="ignore"):
        values ^= values >> _S30
        values *= _M1
        values ^= values >> _S27
        values *= _M2
        values ^= values >> _S31
    return values


# Which code points are word characters (letters, digits, as regex \w) and digits; text is NFC, so
# Vietnamese letters are single code points. Built once: a lookup beats a regex per article.
_WORD_CHARS = np.array([chr(c).isalnum() or c == 0x5F for c in range(0x10000)], dtype=bool)
_DIGITS = np.array([chr(c).isdigit() for c in range(0x10000)], dtype=bool)
_WORD_CHARS[0xD800:0xE000] = _DIGITS[0xD800:0xE000] = False


def fingerprint(text: str, when: datetime | float) -> Fingerprint | None:
    """The fingerprint of one article's text; None when it is too short to recognise a copy by."""
    return fingerprints([(text, when)])[0]


def fingerprints(items: list[tuple[str, datetime | float]]) -> list[Fingerprint | None]:
    """Fingerprints of a batch of (text, time), computed together: every step is one numpy pass over
    the batch's characters, not a Python loop over its words."""
    if len(items) > _MAX_BATCH:
        return [found for start in range(0, len(items), _MAX_BATCH)
                for found in fingerprints(items[start:start + _MAX_BATCH])]
    texts = [unicodedata.normalize("NFC", text).lower() for text, _ in items]
    if not texts:
        return []
    points = np.frombuffer("\n".join(texts).encode("utf-32-le"), dtype=np.uint32)
    doc_starts = np.cumsum([0] + [len(text) + 1 for text in texts[:-1]])
    small = np.minimum(points, 0xFFFF)
    is_word = _WORD_CHARS[small] & (points <= 0xFFFF)
    edges = np.diff(np.concatenate(([0], is_word.view(np.int8), [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    word_docs = np.searchsorted(doc_starts, starts, "right") - 1
    word_hashes = _word_hashes(points, starts, ends)
    numeric = _DIGITS[small[starts]]

    count = len(starts) - SHINGLE_WORDS + 1
    if count > 0:
        with np.errstate(over="ignore"):
            shingles = word_hashes[:count].copy()
            for offset in range(1, SHINGLE_WORDS):
                shingles *= _MIX
                shingles += word_hashes[offset:offset + count]
        inside = word_docs[SHINGLE_WORDS - 1:] == word_docs[:count]  # no shingle spans two articles
        shingles, shingle_docs = _finalize(shingles[inside]), word_docs[:count][inside]
    else:
        shingles, shingle_docs = np.empty(0, np.uint64), np.empty(0, np.int64)
    lead_bounds = np.searchsorted(shingle_docs, np.arange(len(texts) + 1))
    leads = (shingles >> np.uint64(32)).astype(np.uint32)
    # One sort of (article, shingle) keys: the article in the top bits, the shingle's top 48 bits below
    # (the same bits whatever the batch, so an article's fingerprint never depends on its batch).
    doc_bits = _DOC_BITS
    keys = np.sort((shingle_docs.astype(np.uint64) << (np.uint64(64) - doc_bits)) | (shingles >> doc_bits))
    fresh = np.ones(len(keys), dtype=bool)
    fresh[1:] = keys[1:] != keys[:-1]
    keys = keys[fresh]
    shingle_docs = (keys >> (np.uint64(64) - doc_bits)).astype(np.int64)
    shingles = keys << doc_bits  # the shingle hashes again, less their lowest doc_bits bits
    sizes = np.bincount(shingle_docs, minlength=len(texts))
    signatures = _one_permutation(shingles, shingle_docs, len(texts))
    contexts, values, number_docs = _numbers(word_hashes, word_docs, numeric)
    number_bounds = np.searchsorted(number_docs, np.arange(len(texts) + 1))

    out: list[Fingerprint | None] = []
    for doc, (_, when) in enumerate(items):
        if sizes[doc] < MIN_SHINGLES:
            out.append(None)
            continue
        low, high = number_bounds[doc], number_bounds[doc + 1]
        moment = when.timestamp() if isinstance(when, datetime) else float(when)
        start = lead_bounds[doc]
        lead = np.unique(leads[start:min(start + LEAD_SHINGLES, lead_bounds[doc + 1])])
        out.append(Fingerprint(signatures[doc], int(sizes[doc]), contexts[low:high], values[low:high], moment, lead))
    return out


def _word_hashes(points: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """A stable 64-bit hash per word: the polynomial hash of its code points (from prefix sums, so one
    pass over the characters serves every word), mixed."""
    powers, inverses = _powers(len(points) + 1)
    with np.errstate(over="ignore"):
        prefix = np.zeros(len(points) + 1, dtype=np.uint64)
        np.cumsum(points * powers[:len(points)], out=prefix[1:])
        return _finalize((prefix[ends] - prefix[starts]) * inverses[starts])


_POWER = np.uint64(0x100000001B3)  # odd, so it has an inverse modulo 2**64
_power_tables: list[np.ndarray] = []


def _powers(count: int) -> tuple[np.ndarray, np.ndarray]:
    """P**i and P**-i modulo 2**64 for i < count (grown by doubling, kept)."""
    if not _power_tables or len(_power_tables[0]) < count:
        size = max(count, 2 * len(_power_tables[0]) if _power_tables else 1 << 20)
        inverse = np.uint64(pow(int(_POWER), -1, 1 << 64))
        with np.errstate(over="ignore"):
            powers = np.cumprod(np.full(size, _POWER, dtype=np.uint64)) * inverse  # P**0 .. P**(size-1)
            inverses = np.cumprod(np.full(size, inverse, dtype=np.uint64)) * _POWER
        _power_tables[:] = [powers, inverses]
    return _power_tables[0], _power_tables[1]


def _one_permutation(shingles: np.ndarray, docs: np.ndarray, count: int) -> np.ndarray:
    """One-permutation MinHash, per article: the top bits of a shingle's hash pick its bin, the low 32 bits
    compete for the bin's minimum. Bins left empty (short texts) are densified by rotation (Shrivastava & Li
    2014): they take the next filled bin's value, shifted by the distance, the same way for every article."""
    signatures = np.full(count * BINS, EMPTY, dtype=np.uint32)
    slots = docs * BINS + (shingles >> _TOP).astype(np.int64)
    np.minimum.at(signatures, slots, (shingles & _LOW32).astype(np.uint32))
    signatures = signatures.reshape(count, BINS)
    for doc in np.flatnonzero((signatures == EMPTY).any(axis=1)).tolist():
        signature = signatures[doc]
        filled = np.flatnonzero(signature != EMPTY)
        if not len(filled):
            continue
        empty = np.flatnonzero(signature == EMPTY)
        after = np.searchsorted(filled, empty) % len(filled)
        distance = (filled[after] - empty) % BINS
        signature[empty] = (signature[filled[after]].astype(np.uint64) + distance.astype(np.uint64) * _ROTATE) & _LOW32
    return signatures


def _numbers(hashes: np.ndarray, docs: np.ndarray, numeric: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each run of number words ("10/7/2025", "12.161", "82,3"): its context (the two words before it and the
    one after, within its article) and its value (its first two digit groups), with the run's article."""
    total = len(hashes)
    previous = np.zeros(total, dtype=bool)
    previous[1:] = numeric[:-1] & (docs[1:] == docs[:-1])
    run_starts = np.flatnonzero(numeric & ~previous)
    if not len(run_starts):
        empty = np.empty(0, dtype=np.uint32)
        return empty, empty, np.empty(0, dtype=np.int64)
    following = np.zeros(total, dtype=bool)
    following[:-1] = numeric[1:] & (docs[1:] == docs[:-1])
    run_ends = np.flatnonzero(numeric & ~following) + 1  # one past each run's last word
    run_docs = docs[run_starts]

    def word(at: np.ndarray) -> np.ndarray:
        """The hash of the word at `at`, 0 outside the run's article."""
        valid = (at >= 0) & (at < total)
        safe = np.clip(at, 0, max(total - 1, 0))
        return np.where(valid & (docs[safe] == run_docs), hashes[safe], np.uint64(0))

    second = np.where(run_ends - run_starts > 1, word(run_starts + 1), np.uint64(0))
    contexts = _mix3(word(run_starts - 1), word(run_ends), np.zeros(len(run_starts), dtype=np.uint64))
    values = _mix3(hashes[run_starts], second, np.zeros(len(run_starts), dtype=np.uint64))
    return contexts, values, run_docs


def _mix3(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        mixed = ((a * _MIX + b) * _MIX + c) * _MIX
    return (_finalize(mixed) >> np.uint64(32)).astype(np.uint32)


def band_keys(signature: np.ndarray) -> np.ndarray:
    """The LSH keys of a signature: one per band of ROWS bins (uint64[BANDS])."""
    return band_keys_of(signature.reshape(1, BINS))[0]


# --- verification ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Comparison:
    jaccard: float       # estimated, of the two shingle sets
    containment: float   # estimated share of the smaller set in the larger
    agreements: int      # number contexts both texts have, with a value in common
    conflicts: int       # number contexts both texts have, with no value in common
    lead: float          # share of the opening shingles of the text with the shorter opening in the other's

    @property
    def similar(self) -> bool:
        if self.lead >= MIN_LEAD:
            return self.containment >= LEAD_CONTAINMENT and self.jaccard >= LEAD_JACCARD
        return self.containment >= BODY_CONTAINMENT and self.jaccard >= BODY_JACCARD


def compare(a: Fingerprint, b: Fingerprint) -> Comparison:
    jaccard = float(np.count_nonzero(a.signature == b.signature)) / BINS
    containment = min(1.0, jaccard * (a.size + b.size) / ((1 + jaccard) * min(a.size, b.size)))
    if jaccard < min(LEAD_JACCARD, BODY_JACCARD):  # too little in common to be the same story: skip the rest
        return Comparison(jaccard, containment, 0, 0, 0.0)
    agreements = conflicts = 0
    theirs = b.numbers()
    for context, values in a.numbers().items():
        other = theirs.get(context)
        if other is not None:
            if values & other:
                agreements += 1
            else:
                conflicts += 1
    shorter = min(len(a.lead), len(b.lead))
    lead = len(np.intersect1d(a.lead, b.lead, assume_unique=True)) / shorter if shorter else 0.0
    return Comparison(jaccard, containment, agreements, conflicts, lead)


def joins(article: Fingerprint, members: list[Fingerprint]) -> float | None:
    """How well `article` fits a story (the best Jaccard with one of its members), or None when it does not:
    no member is similar enough, or one was published more than MAX_SPREAD apart or states another number
    in the same wording. Members with little text in common are compared by signature only (one numpy
    pass for all of them); the closest ones, at most MAX_COMPARED, in full."""
    spread = MAX_SPREAD.total_seconds()
    if any(abs(article.when - member.when) > spread for member in members):
        return None
    agreeing = np.count_nonzero(np.stack([member.signature for member in members]) == article.signature, axis=1)
    best = None
    for position in np.argsort(-agreeing, kind="stable")[:MAX_COMPARED].tolist():
        if agreeing[position] < min(LEAD_JACCARD, BODY_JACCARD) * BINS:
            break
        comparison = compare(article, members[position])
        if comparison.conflicts:
            return None
        if comparison.similar and (best is None or comparison.jaccard > best):
            best = comparison.jaccard
    return best


# --- the index of a few days -------------------------------------------------------------------

def story_day(when: float) -> str:
    """The index partition of a time: its local date, YYYYMMDD."""
    return _day_name(datetime.fromtimestamp(when, LOCAL_TZ).date().toordinal())


@lru_cache(maxsize=8192)
def _day_name(ordinal: int) -> str:
    return date.fromordinal(ordinal).strftime("%Y%m%d")


def window_days(when: float) -> list[str]:
    """The partitions holding every article published within MAX_SPREAD of `when` (a day either side to spare)."""
    return _window(datetime.fromtimestamp(when, LOCAL_TZ).date().toordinal())


@lru_cache(maxsize=4096)
def _window(ordinal: int) -> list[str]:
    reach = MAX_SPREAD.days + 1 + (1 if MAX_SPREAD % timedelta(days=1) else 0)
    return [_day_name(day) for day in range(ordinal - reach, ordinal + reach + 1)]


def new_story_id(url_hash: str, when: float) -> str:
    """A story is named after the article that founded it, filed under that article's day: 20250710-3fa9c1..."""
    return f"{story_day(when)}-{url_hash[:STORY_ID_LENGTH]}"


def story_filing_day(story_id: str) -> str:
    """The day a story is filed under (the day of its first stored article)."""
    return story_id.split("-", 1)[0]


@dataclass(eq=False)
class Entry:
    """One indexed article: its URL hash, its story, its fingerprint, and what a story lists of it."""

    url_hash: str
    story_id: str
    fingerprint: Fingerprint
    portal: str | None = None
    title: str | None = None
    published_at: datetime | None = None
    _day: str | None = field(default=None, repr=False)

    @property
    def day(self) -> str:
        if self._day is None:
            self._day = story_day(self.fingerprint.when)
        return self._day


@dataclass(frozen=True)
class Assignment:
    url_hash: str
    story_id: str
    indexed: Entry | None   # the new index entry, to store (None: known already, or too little text)
    joined: bool            # True when the article joined a story that had other articles


@dataclass(frozen=True)
class Candidate:
    """An article of a batch to assign: its URL hash, fingerprint (None: too little text), and listing."""

    url_hash: str
    fingerprint: Fingerprint | None
    when: float                   # POSIX seconds: publication (else crawl) time
    portal: str | None = None
    title: str | None = None
    published_at: datetime | None = None


class StoryIndex:
    """The fingerprints of the articles of some days, looked up by LSH band key.

    Each loaded day has its band keys in a sorted array (built when the day changes), so a whole
    batch is looked up with a few binary searches per day; the articles of the batch being
    assigned sit in a dict meanwhile. The store loads days into it and keeps them current:
    `chunks` lists the stored chunks read per day, `checked` when the day was last looked up.
    """

    def __init__(self):
        self.entries: list[Entry | None] = []
        self.by_url: dict[str, int] = {}
        self.by_story: dict[str, list[int]] = {}
        self.chunks: dict[str, set[str]] = {}   # loaded day -> ids of the stored chunks read
        self.checked: dict[str, float] = {}     # loaded day -> time.monotonic() of its last look-up
        self._day_entries: dict[str, list[int]] = {}
        self._tables: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._stale: set[str] = set()

    def __len__(self) -> int:
        return len(self.by_url)

    def add(self, entry: Entry) -> int:
        number = len(self.entries)
        self.entries.append(entry)
        self.by_url[entry.url_hash] = number
        self.by_story.setdefault(entry.story_id, []).append(number)
        self._day_entries.setdefault(entry.day, []).append(number)
        self._stale.add(entry.day)
        return number

    def members(self, story_id: str) -> list[Entry]:
        return [self.entries[number] for number in self.by_story.get(story_id, ())]

    def lookup(self, keys: np.ndarray, days: set[str]) -> list[list[tuple[int, int]]]:
        """For each row of band keys (articles x BANDS), the entries of `days` sharing keys with it and how
        many, those sharing the most first (copies share many bands; texts with a stock phrase in common, one)."""
        self._rebuild()
        if not len(keys):
            return []
        flat = keys.ravel()
        rows = np.repeat(np.arange(len(keys), dtype=np.int64), keys.shape[1])
        pairs = []
        for table_keys, owners in (self._tables[day] for day in days if day in self._tables):
            left = np.searchsorted(table_keys, flat, "left")
            counts = np.searchsorted(table_keys, flat, "right") - left
            hit = np.flatnonzero(counts)
            if not len(hit):
                continue
            counts = counts[hit]
            total = int(counts.sum())
            offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
            positions = np.repeat(left[hit], counts) + offsets
            pairs.append((np.repeat(rows[hit], counts) << 32) | owners[positions])
        found: list[list[tuple[int, int]]] = [[] for _ in range(len(keys))]
        if pairs:
            unique, shared = np.unique(np.concatenate(pairs), return_counts=True)
            order = np.lexsort((-shared, unique >> 32))
            unique, shared = unique[order], shared[order]
            rows_of = unique >> 32
            keep = (np.arange(len(unique)) - np.searchsorted(rows_of, rows_of, "left")) < MAX_CANDIDATES
            for pair, count in zip(unique[keep].tolist(), shared[keep].tolist()):
                found[pair >> 32].append((pair & 0xFFFFFFFF, count))
        return found

    def _rebuild(self) -> None:
        for day in self._stale:
            numbers = np.array(self._day_entries.get(day, ()), dtype=np.int64)
            if not len(numbers):
                self._tables.pop(day, None)
                continue
            keys = band_keys_of(np.stack([self.entries[n].fingerprint.signature for n in numbers.tolist()]))
            owners = np.repeat(numbers, BANDS)
            order = np.argsort(keys.ravel(), kind="stable")
            self._tables[day] = (keys.ravel()[order], owners[order])
        self._stale.clear()

    def forget_days(self, keep: set[str]) -> None:
        """Drop the loaded days outside `keep` (memory stays bounded on a long crawl)."""
        for day in [day for day in self.chunks if day not in keep]:
            del self.chunks[day]
            self.checked.pop(day, None)
            self._tables.pop(day, None)
            self._stale.discard(day)
            for number in self._day_entries.pop(day, ()):
                entry = self.entries[number]
                self.entries[number] = None
                if self.by_url.get(entry.url_hash) == number:
                    del self.by_url[entry.url_hash]
                story = self.by_story.get(entry.story_id, [])
                if number in story:
                    story.remove(number)
                    if not story:
                        del self.by_story[entry.story_id]


def band_keys_of(signatures: np.ndarray) -> np.ndarray:
    """Band keys of many signatures at once (articles x BANDS)."""
    rows = signatures.astype(np.uint64).reshape(len(signatures), BANDS, ROWS)
    with np.errstate(over="ignore"):
        keys = np.broadcast_to(_BAND_SALT, (len(signatures), BANDS)).copy()
        for row in range(ROWS):
            keys = (keys ^ rows[:, :, row]) * _MIX
        return _finalize(keys)


def assign(index: StoryIndex, articles: list[Candidate]) -> list[Assignment]:
    """The story of each article of a batch, in order; new entries are added to the index.

    An article already indexed keeps its story (a batch written again after a store outage, a
    refreshed article). Otherwise it joins the best-fitting candidate story (`joins`), else it
    founds a story of its own. Articles of one batch can join each other.
    """
    printed = [article for article in articles if article.fingerprint is not None]
    keys = band_keys_of(np.stack([a.fingerprint.signature for a in printed])) if printed else np.empty((0, BANDS))
    days = {day for article in printed for day in window_days(article.when)}
    found = dict(zip((a.url_hash for a in printed), index.lookup(keys, days)))
    earlier = dict(zip((a.url_hash for a in printed), _shared_keys(keys)))  # articles of this batch before it
    added: dict[int, int] = {}  # position in `printed` -> its new entry
    position_of = {a.url_hash: position for position, a in enumerate(printed)}
    out = []
    for article in articles:
        url_hash, print_ = article.url_hash, article.fingerprint
        known = index.by_url.get(url_hash)
        if known is not None:
            out.append(Assignment(url_hash, index.entries[known].story_id, None, False))
            continue
        if print_ is None:
            out.append(Assignment(url_hash, new_story_id(url_hash, article.when), None, False))
            continue
        candidates = [number for number, _ in sorted(
            [(added[position], count) for position, count in earlier[url_hash].items() if position in added]
            + found[url_hash], key=lambda pair: -pair[1])]
        stories: dict[str, None] = {}  # the candidates' stories, most shared bands first, a few at most
        for number in candidates:
            stories.setdefault(index.entries[number].story_id)
            if len(stories) == MAX_CANDIDATE_STORIES:
                break
        best_story, best_score = None, -1.0
        for story_id in stories:
            score = joins(print_, [entry.fingerprint for entry in index.members(story_id)])
            if score is not None and score > best_score:
                best_story, best_score = story_id, score
        entry = Entry(url_hash, best_story or new_story_id(url_hash, article.when), print_, article.portal, article.title,
                      article.published_at)
        added[position_of[url_hash]] = index.add(entry)
        out.append(Assignment(url_hash, entry.story_id, entry, best_story is not None))
    return out


def _shared_keys(keys: np.ndarray) -> list[dict[int, int]]:
    """For each row of band keys, the earlier rows sharing keys with it and how many (one sort for the batch)."""
    rows = np.repeat(np.arange(len(keys)), keys.shape[1]) if len(keys) else np.empty(0, dtype=np.int64)
    flat = keys.ravel()
    order = np.lexsort((rows, flat))
    flat, rows = flat[order].tolist(), rows[order].tolist()
    earlier: list[dict[int, int]] = [{} for _ in range(len(keys))]
    run = 0  # equal keys are adjacent: each row of a run shares that key with the rows before it in the run
    for position in range(1, len(flat)):
        if flat[position] != flat[position - 1]:
            run = position
            continue
        later = rows[position]
        for back in range(run, position):
            if rows[back] != later:
                earlier[later][rows[back]] = earlier[later].get(rows[back], 0) + 1
    return earlier


# --- what the store keeps ----------------------------------------------------------------------

def pack(entries: list[Entry]) -> dict:
    """Index entries as a few binary fields (one document per day and batch; no array of subdocuments)."""
    prints = [entry.fingerprint for entry in entries]
    return {
        "n": len(entries),
        "members": json.dumps([[entry.url_hash, entry.story_id, entry.portal, entry.title,
                                entry.published_at.isoformat() if entry.published_at else None] for entry in entries],
                               ensure_ascii=False),
        "signatures": np.stack([p.signature for p in prints]).astype("<u4").tobytes(),
        "sizes": np.array([p.size for p in prints], dtype="<u4").tobytes(),
        "times": np.array([p.when for p in prints], dtype="<f8").tobytes(),
        "number_counts": np.array([len(p.contexts) for p in prints], dtype="<u4").tobytes(),
        "lead_counts": np.array([len(p.lead) for p in prints], dtype="<u4").tobytes(),
        "leads": np.concatenate([p.lead for p in prints]).astype("<u4").tobytes(),
        "contexts": np.concatenate([p.contexts for p in prints]).astype("<u4").tobytes(),
        "values": np.concatenate([p.values for p in prints]).astype("<u4").tobytes(),
    }


def unpack(doc: dict) -> list[Entry]:
    count = doc["n"]
    signatures = np.frombuffer(doc["signatures"], dtype="<u4").reshape(count, BINS).astype(np.uint32)
    sizes = np.frombuffer(doc["sizes"], dtype="<u4").tolist()
    times = np.frombuffer(doc["times"], dtype="<f8").tolist()
    counts = np.frombuffer(doc["number_counts"], dtype="<u4").tolist()
    contexts = np.frombuffer(doc["contexts"], dtype="<u4").astype(np.uint32)
    values = np.frombuffer(doc["values"], dtype="<u4").astype(np.uint32)
    lead_ends = np.cumsum(np.frombuffer(doc["lead_counts"], dtype="<u4")).tolist()
    leads = np.frombuffer(doc["leads"], dtype="<u4").astype(np.uint32)
    entries, offset = [], 0
    for position, (url_hash, story_id, portal, title, published) in enumerate(json.loads(doc["members"])):
        end = offset + counts[position]
        lead = leads[(lead_ends[position - 1] if position else 0):lead_ends[position]]
        print_ = Fingerprint(signatures[position], sizes[position], contexts[offset:end], values[offset:end],
                             times[position], lead)
        entries.append(Entry(url_hash, story_id, print_, portal, title,
                             datetime.fromisoformat(published) if published else None))
        offset = end
    return entries
