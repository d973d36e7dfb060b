"""Syndicated copies and near misses for the replica fleet, with the truth about which articles carry one story.

Portals republish each other: a provincial story reaches commune and district sites and the
newspapers, each copy with its own boilerplate, headline and edits. And portals publish
different stories that look alike: a weekly report filled in with other figures, a meeting
held again on another day. `plan(seed, portal_ids, count)` draws `count` such groups for the
portals of a fleet (`Fleet(syndicated=count)`) and returns the extra stories of each portal;
every Story carries its `story_key`, the same for the copies of one story and different for
near misses, and the site's Article keeps it (`fleet.articles(id)[k].story_key`).

Copies are posted from minutes to three days after the original, on portals that published
in that period: communes and newspapers from July 2025, districts and newspapers before.
Each copy gets another portal's boilerplate (a source line, a prefix on the lead), often another
headline, and one of: light edits, the first half or more only, a paragraph added, paragraphs
cut, or nothing else. Near misses: a weekly report of the one-stop office posted four weeks in
a row with that week's figures (each report also copied by a newspaper or district: those copies
are the same story), and a meeting held again days later, written up with the same words.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta

from crawler.replica.content import SENTENCES, Story, local, nfc, story_rng

# Who published when: the commune sites went live on 1 July 2025 and the district sites stopped on 28 June 2025.
ERAS = (
    ((local(2025, 7, 3, 7), local(2026, 2, 15, 18)), ("muonglat", "camtu", "baolaocai", "baothanhhoa")),
    ((local(2024, 3, 5, 7), local(2025, 6, 20, 18)), ("quanhoa", "nongcong", "baolaocai", "baothanhhoa")),
)
PLACES = {"muonglat": "xã Mường Lát", "camtu": "xã Cẩm Tú", "quanhoa": "huyện Quan Hóa", "nongcong": "huyện Nông Cống",
          "baolaocai": "tỉnh Lào Cai", "baothanhhoa": "tỉnh Thanh Hóa"}
SOURCES = {"muonglat": "Cổng TTĐT xã Mường Lát", "camtu": "Trang TTĐT xã Cẩm Tú", "quanhoa": "Cổng TTĐT huyện Quan Hóa",
           "nongcong": "Cổng TTĐT huyện Nông Cống", "baolaocai": "Báo Lào Cai", "baothanhhoa": "Báo Thanh Hóa"}
SUBJECTS = (
    "chương trình mục tiêu quốc gia giảm nghèo bền vững", "công tác chuyển đổi số cấp xã", "phong trào thi đua yêu nước",
    "công tác phòng, chống thiên tai", "chương trình xây dựng nông thôn mới", "công tác cải cách hành chính",
    "Đề án 06 về dữ liệu dân cư", "chương trình xóa nhà tạm, nhà dột nát", "công tác bảo vệ rừng",
    "phát triển kinh tế tập thể", "công tác tuyển quân", "bảo hiểm xã hội, bảo hiểm y tế toàn dân",
)
EVENTS = ("Hội nghị sơ kết", "Hội nghị triển khai", "Hội nghị trực tuyến đánh giá", "Hội nghị tập huấn", "Hội thảo chuyên đề")
EDITS = (("đồng chí", "ông"), ("tổ chức", "tiến hành"), ("Hội nghị", "Buổi hội nghị"), ("đề nghị", "yêu cầu"),
         ("nhấn mạnh", "khẳng định"), ("trên địa bàn", "tại"), ("tiếp tục", "cần tiếp tục"))
CLOSINGS = ("Hội nghị kết thúc trong không khí phấn khởi, đoàn kết.", "Buổi làm việc kết thúc cùng ngày.",
            "Các đại biểu thống nhất cao với nội dung hội nghị đề ra.")


def plan(seed: int, portal_ids: list[str], count: int) -> dict[str, list[Story]]:
    """`count` groups (syndicated stories and near-miss series) on the given portals: each portal's extra stories."""
    rng = story_rng(seed, "fleet", "syndication")
    extra: dict[str, list[Story]] = {pid: [] for pid in portal_ids}
    eras = [(window, [pid for pid in pids if pid in portal_ids]) for window, pids in ERAS]
    eras = [(window, pids) for window, pids in eras if len(pids) >= 2]
    if not eras or count <= 0:
        return extra
    taken: set[str] = set()
    for number in range(count):
        window, pids = eras[number % len(eras)]
        kind = number % 5
        if kind == 3:
            _weekly_reports(rng, number, window, pids, extra, taken)
        elif kind == 4:
            _meeting_again(rng, number, window, pids, extra, taken)
        else:
            _syndicated(rng, number, window, pids, extra, taken)
    return extra


def _syndicated(rng: random.Random, number: int, window, pids: list[str], extra: dict, taken: set[str]) -> None:
    """A story and its copies on two to all of the era's portals."""
    origin = rng.choice(pids)
    when = _moment(rng, window)
    event = rng.choice(EVENTS)
    subject = rng.choice(SUBJECTS)
    title = _unique(f"{event} {subject} năm {when.year}", taken)
    lead = (f"{'Sáng' if when.hour < 12 else 'Chiều'} ngày {when.day}/{when.month}, Ban Chỉ đạo tỉnh tổ chức {event.lower()} "
            f"{subject}, kết nối trực tuyến đến các xã, phường, thị trấn trong tỉnh.")
    paragraphs = [" ".join(rng.sample(SENTENCES, rng.randint(1, 3))) for _ in range(rng.randint(5, 8))]
    key = f"syndicated-{number}"
    story = _story(title, when, lead, paragraphs, key, rng)
    extra[origin].append(story)
    others = [pid for pid in pids if pid != origin]
    for pid in rng.sample(others, rng.randint(1, len(others))):
        later = when + timedelta(minutes=rng.randrange(5, 3 * 24 * 60))
        extra[pid].append(_copy(rng, story, pid, origin, min(later, window[1]), taken))


def _copy(rng: random.Random, story: Story, pid: str, origin: str, when: datetime, taken: set[str]) -> Story:
    """The story as another portal republishes it: its boilerplate and headline, and one kind of edit."""
    paragraphs = list(story.paragraphs)
    edit = rng.choice(("edited", "truncated", "added", "cut", "verbatim"))
    if edit == "edited":
        for old, new in rng.sample(EDITS, 3):
            paragraphs = [paragraph.replace(old, new, 1) for paragraph in paragraphs]
        paragraphs[-1] = paragraphs[-1].rsplit(". ", 1)[0] + "."
    elif edit == "truncated":
        paragraphs = paragraphs[:max(2, round(len(paragraphs) * rng.uniform(0.5, 0.75)))]
    elif edit == "added":
        paragraphs.insert(rng.randint(1, len(paragraphs)),
                          f"Tại điểm cầu {PLACES[pid]}, lãnh đạo địa phương đã quán triệt nội dung hội nghị tới cán bộ, "
                          f"đảng viên và đề ra các nhiệm vụ cụ thể để triển khai trong thời gian tới. {rng.choice(CLOSINGS)}")
    elif edit == "cut" and len(paragraphs) > 3:
        for _ in range(rng.randint(1, 2)):
            del paragraphs[rng.randrange(1, len(paragraphs))]
    paragraphs.append(f"Nguồn: {SOURCES[origin]}" if rng.random() < 0.5 else f"(Theo {SOURCES[origin]})")
    title = story.title
    if rng.random() < 0.6:
        title = rng.choice((f"{PLACES[pid].split(' ', 1)[1]}: {title}", f"Tham dự {title[0].lower()}{title[1:]}",
                            title.rsplit(" năm ", 1)[0]))
    return replace(story, title=_unique(nfc(title), taken), published_at=when,
                   paragraphs=tuple(nfc(p) for p in paragraphs), author=rng.choice(("", "PV", "Hoàng Minh")))


def _weekly_reports(rng: random.Random, number: int, window, pids: list[str], extra: dict, taken: set[str]) -> None:
    """Four weekly reports in the same words with that week's figures; each one copied by another portal."""
    office, copier = rng.sample(pids, 2)
    place = PLACES[office]
    fixed = [" ".join(rng.sample(SENTENCES, 2)) for _ in range(3)]
    start = _moment(rng, (window[0], window[1] - timedelta(days=30)))
    for week in range(4):
        when = start + timedelta(days=7 * week)
        first = when - timedelta(days=6)
        received = rng.randint(120, 480)
        lead = (f"Trong tuần từ ngày {first.day}/{first.month} đến ngày {when.day}/{when.month}, Trung tâm Phục vụ "
                f"hành chính công {place} đã tiếp nhận {received} hồ sơ, giải quyết đúng hạn {received - rng.randint(3, 40)} "
                f"hồ sơ, đạt tỷ lệ {rng.randint(85, 99)},{rng.randint(1, 9)}%.")
        paragraphs = [(f"Trong đó, số hồ sơ tiếp nhận trực tuyến là {rng.randint(60, 200)} hồ sơ; số hồ sơ trả kết quả "
                      f"qua dịch vụ bưu chính công ích là {rng.randint(5, 30)} hồ sơ; số hồ sơ quá hạn là {rng.randint(0, 9)} hồ sơ."),
                      *fixed,
                      (f"Trung tâm đã hướng dẫn {rng.randint(40, 150)} lượt người dân sử dụng dịch vụ công trực tuyến và "
                      f"thanh toán trực tuyến {rng.randint(10, 90)} giao dịch.")]
        title = _unique(f"Kết quả giải quyết thủ tục hành chính tại {place} tuần {week + 1} tháng {when.month}/{when.year}", taken)
        story = _story(title, when, lead, paragraphs, f"weekly-{number}-{week}", rng)
        extra[office].append(story)
        extra[copier].append(_copy(rng, story, copier, office, when + timedelta(hours=rng.randint(2, 30)), taken))


def _meeting_again(rng: random.Random, number: int, window, pids: list[str], extra: dict, taken: set[str]) -> None:
    """A meeting held again on other days, written up with the same words but its own date and attendance."""
    pid = rng.choice(pids)
    subject = rng.choice(SUBJECTS)
    paragraphs = [" ".join(rng.sample(SENTENCES, rng.randint(1, 2))) for _ in range(rng.randint(4, 6))]
    start = _moment(rng, (window[0], window[1] - timedelta(days=20)))
    for session, gap in enumerate((0, rng.randint(2, 4), rng.randint(9, 14))):
        when = start + timedelta(days=gap)
        lead = (f"{'Sáng' if when.hour < 12 else 'Chiều'} ngày {when.day}/{when.month}, Ủy ban nhân dân {PLACES[pid]} tổ chức "
                f"hội nghị giao ban về {subject} với sự tham dự của {rng.randint(40, 160)} đại biểu.")
        title = _unique(f"Giao ban {subject} ngày {when.day}/{when.month}/{when.year}", taken)
        extra[pid].append(_story(title, when, lead, paragraphs, f"meeting-{number}-{session}", rng))


def _story(title: str, when: datetime, lead: str, paragraphs: list[str], key: str, rng: random.Random) -> Story:
    return Story(title=nfc(title), published_at=when, lead=nfc(lead), paragraphs=tuple(nfc(p) for p in paragraphs),
                 captions=(None,) if rng.random() < 0.5 else (), author="", tags=(), category="", story_key=key)


def _moment(rng: random.Random, window: tuple[datetime, datetime]) -> datetime:
    start, end = window
    moment = start + timedelta(seconds=rng.randrange(int((end - start).total_seconds())))
    return moment.replace(hour=rng.randint(7, 17), minute=rng.randrange(60), second=rng.randrange(60), microsecond=0)


def _unique(title: str, taken: set[str]) -> str:
    """Titles are unique on a site: a repeat gets a number."""
    candidate, extra = title, 2
    while candidate in taken:
        candidate, extra = f"{title} ({extra})", extra + 1
    taken.add(candidate)
    return candidate
