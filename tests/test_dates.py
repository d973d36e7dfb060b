"""Vietnamese date lines as the portals write them, to aware datetimes in UTC+7."""

from datetime import datetime, timedelta, timezone

import pytest

from crawler.dates import parse_date, to_local_iso

ICT = timezone(timedelta(hours=7))


@pytest.mark.parametrize("text, expected", [
    ("Đăng ngày 11 - 05 - 2022", datetime(2022, 5, 11, tzinfo=ICT)),
    ("Đăng lúc: 15:50:04 29/05/2023 (GMT+7)", datetime(2023, 5, 29, 15, 50, 4, tzinfo=ICT)),
    ("Thứ Tư, 3 tháng 12, 2025", datetime(2025, 12, 3, tzinfo=ICT)),
    ("Thứ hai, 05/01/2026 - 08:27", datetime(2026, 1, 5, 8, 27, tzinfo=ICT)),
    ("14:33 02/11/2020", datetime(2020, 11, 2, 14, 33, tzinfo=ICT)),
    ("25/12/2024", datetime(2024, 12, 25, tzinfo=ICT)),
    ("2018-05-27 06:34:00", datetime(2018, 5, 27, 6, 34, tzinfo=ICT)),
    ("Ra mắt thí điểm mô hình “ Điểm dịch Vụ công trực tuyến”(20/05/2022 4:01 CH)", datetime(2022, 5, 20, 16, 1, tzinfo=ICT)),
    ("Quan Hóa: Hưởng ứng lễ ra quân(09/05/2022 9:05 SA)", datetime(2022, 5, 9, 9, 5, tzinfo=ICT)),
    ("2025-07-10T07:00:00Z", datetime(2025, 7, 10, 14, 0, tzinfo=ICT)),
    ("Cập nhật lúc 09:30 ngày 12-08-2025", datetime(2025, 8, 12, 9, 30, tzinfo=ICT)),
    ("Ngày đăng: 12/08/2025 09:30", datetime(2025, 8, 12, 9, 30, tzinfo=ICT)),
    ("12/08/2025 lúc 09:30", datetime(2025, 8, 12, 9, 30, tzinfo=ICT)),
])
def test_formats_seen_on_the_portals(text, expected):
    parsed = parse_date(text)
    assert parsed == expected
    assert parsed.utcoffset() is not None


def test_day_comes_before_month():
    assert parse_date("05/01/2026").month == 1


@pytest.mark.parametrize("text", [None, "", "Tin mới nhất", "100%", "Đang online: 1"])
def test_no_date(text):
    assert parse_date(text) is None


def test_local_iso_has_offset():
    assert to_local_iso(datetime(2025, 7, 10, 7, 0, tzinfo=timezone.utc)) == "2025-07-10T14:00:00+07:00"
