"""Upcoming Chinese and international holidays and seasons for a date, computed offline.

Lunar-calendar festivals come from a small table (checked against the `lunardate` package for
2025–2030) rather than a lunar-calendar dependency; Qingming uses the usual solar-term formula.
Outside the table's years the lunar festivals are simply not reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

# Spring Festival (正月初一), Dragon Boat (五月初五), Qixi (七月初七), Mid-Autumn (八月十五).
_LUNAR: dict[int, tuple[str, str, str, str]] = {
    2025: ("01-29", "05-31", "08-29", "10-06"),
    2026: ("02-17", "06-19", "08-19", "09-25"),
    2027: ("02-06", "06-09", "08-08", "09-15"),
    2028: ("01-26", "05-28", "08-26", "10-03"),
    2029: ("02-13", "06-16", "08-16", "09-22"),
    2030: ("02-03", "06-05", "08-05", "09-12"),
}
_FIXED: tuple[tuple[str, str, str, str], ...] = (
    # id, month-day, zh, en
    ("new_year", "01-01", "元旦", "New Year's Day"),
    ("valentines_day", "02-14", "情人节", "Valentine's Day"),
    ("womens_day", "03-08", "妇女节", "International Women's Day"),
    ("world_book_day", "04-23", "世界读书日", "World Book Day"),
    ("labour_day", "05-01", "劳动节", "Labour Day"),
    ("youth_day", "05-04", "青年节", "Youth Day"),
    ("childrens_day", "06-01", "儿童节", "Children's Day"),
    ("teachers_day", "09-10", "教师节", "Teachers' Day"),
    ("national_day", "10-01", "国庆节", "National Day"),
    ("halloween", "10-31", "万圣节", "Halloween"),
    ("double_11", "11-11", "双十一", "Double 11 shopping festival"),
    ("christmas", "12-25", "圣诞节", "Christmas"),
)
_NAMES = {
    "spring_festival": ("春节", "Spring Festival"),
    "lantern": ("元宵节", "Lantern Festival"),
    "qingming": ("清明节", "Qingming Festival"),
    "dragon_boat": ("端午节", "Dragon Boat Festival"),
    "qixi": ("七夕", "Qixi Festival"),
    "mid_autumn": ("中秋节", "Mid-Autumn Festival"),
}
# Seasons (periods of the year) as catalogue tags: (first month-day, last month-day).
_PERIODS = {
    "summer": ("07-01", "08-31", "暑期", "summer holidays"),
    "back_to_school": ("08-25", "09-20", "开学季", "back-to-school season"),
}
# How long a festival "is on" after its day: the Spring Festival runs to the Lantern Festival.
_AFTERGLOW = {"spring_festival": 14, "new_year": 7}
PERIOD_LEAD_DAYS = 14  # a season counts as upcoming this long before it starts


@dataclass(frozen=True)
class Holiday:
    id: str
    date: date
    name_zh: str
    name_en: str

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_zh


@dataclass(frozen=True)
class CalendarHit:
    """A catalogue season tag that applies around `today`: the day it refers to and how far."""

    tag: str
    label: Holiday
    days_until: int  # negative while a festival or season is under way


def holidays_of_year(year: int) -> list[Holiday]:
    out = [Holiday(hid, _d(year, md), zh, en) for hid, md, zh, en in _FIXED]
    lunar = _LUNAR.get(year)
    if lunar:
        spring, dragon, qixi, autumn = (_d(year, md) for md in lunar)
        for hid, day in (
            ("spring_festival", spring),
            ("lantern", spring + timedelta(14)),
            ("dragon_boat", dragon),
            ("qixi", qixi),
            ("mid_autumn", autumn),
        ):
            out.append(Holiday(hid, day, *_NAMES[hid]))
    out.append(Holiday("qingming", qingming(year), *_NAMES["qingming"]))
    return sorted(out, key=lambda h: (h.date, h.id))


def qingming(year: int) -> date:
    """Qingming (solar term at 15°): the common 21st-century formula, exact for 2001–2099."""
    y = year % 100
    return date(year, 4, int(y * 0.2422 + 4.81) - y // 4)


def upcoming(today: date, within_days: int = 30) -> list[Holiday]:
    """Holidays from today up to `within_days` ahead, soonest first."""
    end = today + timedelta(days=within_days)
    found = holidays_of_year(today.year) + holidays_of_year(today.year + 1)
    return [h for h in found if today <= h.date <= end]


def calendar_hits(today: date, within_days: int = 30) -> dict[str, CalendarHit]:
    """Catalogue season tags in play around `today` (festivals ahead or under way, seasons)."""
    hits: dict[str, CalendarHit] = {}
    for year in (today.year - 1, today.year, today.year + 1):
        for h in holidays_of_year(year):
            days = (h.date - today).days
            if -_AFTERGLOW.get(h.id, 0) <= days <= within_days and (
                h.id not in hits or abs(days) < abs(hits[h.id].days_until)
            ):
                hits[h.id] = CalendarHit(h.id, h, days)
    for tag, (first, last, zh, en) in _PERIODS.items():
        start, end = _d(today.year, first), _d(today.year, last)
        if start - timedelta(PERIOD_LEAD_DAYS) <= today <= end:
            hits[tag] = CalendarHit(tag, Holiday(tag, start, zh, en), (start - today).days)
    return hits


def season_of(today: date) -> str:
    """Meteorological season in the northern hemisphere (where the playbooks' groups live)."""
    return ("winter", "spring", "summer", "autumn")[(today.month % 12) // 3]


def _d(year: int, month_day: str) -> date:
    month, day = month_day.split("-")
    return date(year, int(month), int(day))
