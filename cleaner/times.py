"""Read publication times out of time stamps as printed on news pages."""

from __future__ import annotations

import re
from datetime import datetime

MONTH_NUMBERS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}

# "2025-08-24 00:28", "2025-08-24T00:28:05"
ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?")
# "Aug. 23, 2025", "August 23, 2025 10:30 a.m."
MONTH_FIRST = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
# "23 August 2025"
DAY_FIRST = re.compile(r"\b(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})")
# "10:30 a.m.", "22:05"
CLOCK = re.compile(r"\b(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap])?\.?m?\.?", re.IGNORECASE)


def parse_timestamp(text: str) -> str | None:
    """The first full date in `text` as ISO 8601, with the time when one is printed.

    No time zone is added: a page prints its own local time, and a wrong offset is worse
    than none.

    >>> parse_timestamp("2025-08-24 00:28 Last Updated At:00:30")
    '2025-08-24T00:28:00'
    >>> parse_timestamp("Published Aug. 23, 2025 10:30 p.m.")
    '2025-08-23T22:30:00'
    """
    match = ISO.search(text)
    if match:
        year, month, day, hour, minute, second = match.groups()
        return _iso(int(year), int(month), int(day), hour, minute, second)
    for pattern, order in ((MONTH_FIRST, "mdy"), (DAY_FIRST, "dmy")):
        match = pattern.search(text)
        if not match:
            continue
        parts = dict(zip(order, match.groups(), strict=True))
        month = MONTH_NUMBERS.get(parts["m"].lower())
        if month is None:
            continue
        clock = CLOCK.search(text, match.end())
        hour, minute, second = _clock(clock) if clock else (None, None, None)
        return _iso(int(parts["y"]), month, int(parts["d"]), hour, minute, second)
    return None


def _clock(match: re.Match[str]) -> tuple[str, str, str | None]:
    hour, minute, second, half = match.groups()
    value = int(hour) % 12 + (12 if half and half.lower() == "p" else 0) if half else int(hour)
    return str(value), minute, second


def _iso(year: int, month: int, day: int, hour, minute, second) -> str | None:
    try:
        if hour is None:
            return datetime(year, month, day).date().isoformat()
        moment = datetime(year, month, day, int(hour), int(minute), int(second or 0))
    except ValueError:
        return None
    return moment.isoformat()
