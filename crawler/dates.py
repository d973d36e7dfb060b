"""Vietnamese date lines ("Đăng lúc: 15:50:04 29/05/2023 (GMT+7)", "Thứ Tư, 3 tháng 12, 2025", "... 4:01 CH") to aware datetimes."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import dateparser

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

_SETTINGS = {
    "DATE_ORDER": "DMY",  # Vietnamese writes the day first: 05/01/2026 is 5 January
    "TIMEZONE": "Asia/Ho_Chi_Minh",  # a date line without a zone is local time (UTC+7)
    "RETURN_AS_TIMEZONE_AWARE": True,
    "PREFER_DAY_OF_MONTH": "first",
    "REQUIRE_PARTS": ["day", "month", "year"],
}

# The numeric forms most portals print, tried first as exact formats: dateparser's general
# parsing costs ten times as much (about 1 ms a date) and remains the fallback for the rest.
NUMERIC_FORMATS = [form.replace("/", separator)
                   for separator in "/-."
                   for form in ("%d/%m/%Y", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%H:%M %d/%m/%Y", "%H:%M:%S %d/%m/%Y")]
NUMERIC_FORMATS += ["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M%z", "%Y-%m-%d"]  # ISO 8601 (meta tags, JSON-LD)

# The part of a noisy line that holds the date: an optional weekday and time around a
# numeric date, a "3 tháng 12, 2025" date, or an ISO timestamp. Labels such as
# "Đăng ngày" and the "(GMT+7)" suffix fall outside the match.
_WEEKDAY = r"(?:Thứ\s+\w+|Chủ\s+nhật)\s*,?\s*"
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:SA|CH|AM|PM))?"
_NUMERIC = r"\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}"
_WORDS = r"\d{1,2}\s+tháng\s+\d{1,2}\s*,?\s*(?:năm\s+)?\d{4}"
_ISO = r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
DATE_IN_TEXT = re.compile(
    rf"(?:{_WEEKDAY})?(?:{_TIME}\s*(?:[-,]\s*)?(?:ngày\s+)?)?(?:{_NUMERIC}|{_WORDS})(?:\s*(?:[-,|]\s*)?(?:lúc\s+)?{_TIME})?|{_ISO}",
    re.IGNORECASE,
)


_LEADING_WEEKDAY = re.compile(rf"^{_WEEKDAY}", re.IGNORECASE)
_DATE_IN_WORDS = re.compile(r"(\d{1,2})\s+tháng\s+(\d{1,2})\s*,?\s*(?:năm\s+)?(\d{4})", re.IGNORECASE)
_SPACED_SEPARATOR = re.compile(r"(?<=\d)\s*([/.-])\s*(?=\d)")


def _numeric_form(candidate: str) -> str:
    """The same date in a form NUMERIC_FORMATS reads: no weekday (it adds nothing), "3 tháng 12, 2025"
    as 3/12/2025, "05 - 01 - 2026" as 05-01-2026. What still does not fit goes to dateparser as it is."""
    candidate = _LEADING_WEEKDAY.sub("", candidate)
    candidate = _DATE_IN_WORDS.sub(r"\1/\2/\3", candidate)
    return _SPACED_SEPARATOR.sub(r"\1", candidate)


def parse_date(text: str | None) -> datetime | None:
    """The first date in `text` as an aware datetime (local time when no zone is given), else None."""
    if not text:
        return None
    match = DATE_IN_TEXT.search(" ".join(text.split()))
    if not match:
        return None
    candidate = re.sub(r"\s*-\s*(?=\d{1,2}:)", " ", match.group(0))  # "05/01/2026 - 08:27"
    candidate = re.sub(r"\b(ngày|lúc)\s+", "", candidate, flags=re.IGNORECASE)  # "09:30 ngày 12-08-2025"
    candidate = _numeric_form(candidate)
    try:
        parsed = dateparser.parse(candidate, languages=["vi", "en"], settings=_SETTINGS, date_formats=NUMERIC_FORMATS)
    except OverflowError:  # a date at the edge of datetime's range ("01/01/0001") cannot be moved to UTC+7
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=LOCAL_TZ)
    return parsed


def to_local_iso(value: datetime | None) -> str | None:
    """ISO 8601 with the +07:00 offset, the form consumers read."""
    return value.astimezone(LOCAL_TZ).isoformat() if value else None
