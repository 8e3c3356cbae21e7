"""Dates, weekdays, clock times and quantities read in one language and written in the other.

Offline there is no translator, but the facts members ask for most are figures: a day, a time,
a price, a number of days or people. Those convert by rule ("12月12日（周六）" ⇄ "Saturday 12
December", "下午3点" → "3 pm", "220元" → "¥220", "14 days" → "14天"), which lets a post or an
answer in one language carry the figures of a source written in the other.
"""

from __future__ import annotations

import re

from copilot.text import to_simplified

MONTH_NAMES = (
    "January February March April May June July August September October November December".split()
)
WEEKDAY_NAMES = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
_WEEKDAYS_ZH = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_WEEKDAYS_ZH_SHORT = "一二三四五六日"

_ZH_DATE = re.compile(
    r"(?:(?P<year>\d{4})\s*年\s*)?(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*[日号]"
    r"(?:\s*[（(]\s*(?:周|星期|礼拜)?(?P<weekday>[一二三四五六日天])\s*[）)])?"
)
# "12/12（六）": a calendar's day, month first. Only with its weekday: "1/3" alone is a share.
_SLASH_DATE = re.compile(
    r"(?<![\d/])(?P<month>1[0-2]|0?[1-9])/(?P<day>3[01]|[12]\d|0?[1-9])(?![\d/])"
    r"\s*[（(]\s*(?:周|星期|礼拜)?(?P<weekday>[一二三四五六日天])\s*[）)]"
)
# "周三", "每周日"; not "每周一次" / "两周三次课" (how often), nor "三周" (a count of weeks)
_ZH_WEEKDAY = re.compile(
    r"(?<![一二两三四五六七八九十\d])(?P<every>每)?(?:周|星期|礼拜)(?P<weekday>[一二三四五六日天])"
    r"(?![次回节个])"
)
_ZH_CLOCK = re.compile(
    r"(?P<part>上午|早上|下午|晚上)\s*(?P<hour>\d{1,2})\s*[点點](?P<half>半)?"
    r"(?:\s*(?:到|至|-|—|~)\s*(?P<end>\d{1,2})\s*[点點](?P<end_half>半)?)?"
)
_ZH_MONEY = re.compile(r"(?P<amount>\d+(?:\.\d+)?)\s*(?:元|块)")  # yuan: of RMB or of NT$
_ZH_PEOPLE = re.compile(r"(?P<count>\d+)\s*(?:人|位)(?![民])")
# "may" in "up to 6 may join" is no month: the month is written with its capital
_MONTHS_RE = "|".join("(?-i:May)" if m == "May" else m for m in MONTH_NAMES)
_EN_DATE = re.compile(
    rf"(?:(?P<weekday>{'|'.join(WEEKDAY_NAMES)}),?\s+)?"
    rf"(?:(?P<day1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month1>{_MONTHS_RE})"
    rf"|(?P<month2>{_MONTHS_RE})\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?)\b",
    re.IGNORECASE,
)
# Quantities with a unit, both ways: "14 days" ⇄ "14天".
_UNITS = (
    ("天", "days", r"days?"),
    ("个工作日", "working days", r"working days?|business days?"),
    ("小时", "hours", r"hours?|hrs?"),
    ("分钟", "minutes", r"minutes?|mins?"),
    ("周", "weeks", r"weeks?"),
    ("个月", "months", r"months?"),
    ("年", "years", r"years?"),
    ("人", "people", r"people|persons?|players?|testers?"),
    ("次", "times", r"times"),
    ("公里", "km", r"km|kilomet(?:re|er)s?"),
    ("公斤", "kg", r"kg|kilos?"),
)
_EN_QUANTITY = re.compile(
    r"(?<![\w.])(?P<n>\d+(?:\.\d+)?(?:\s*[-–]\s*\d+(?:\.\d+)?)?)\s*-?\s*(?P<unit>"
    + "|".join(f"(?:{pattern})" for _, _, pattern in _UNITS)
    + r")\b",
    re.IGNORECASE,
)
_ZH_QUANTITY = re.compile(  # (a four-digit number before 年 is a year, not a duration)
    r"(?<![\d.])(?P<n>\d{1,3}(?:\.\d+)?(?:\s*[-–—~～到至]\s*\d{1,3}(?:\.\d+)?)?)\s*(?P<unit>"
    + "|".join(re.escape(zh) for zh, _, _ in sorted(_UNITS, key=lambda u: -len(u[0])))
    + r")(?![民])"
)


def figures_in_english(text: str) -> str:
    """`text` (simplified Chinese) with its dates, weekdays, clock times, prices and head
    counts written in English; the rest as it is."""

    def date(m: re.Match[str]) -> str:
        shown = f"{int(m['day'])} {MONTH_NAMES[int(m['month']) - 1]}"
        if m.groupdict().get("year"):  # the slash date has no year
            shown += f" {m['year']}"
        if m["weekday"]:
            shown = f"{WEEKDAY_NAMES[_WEEKDAYS_ZH[m['weekday']]]} {shown}"
        return f" {shown} "

    def weekday(m: re.Match[str]) -> str:
        name = WEEKDAY_NAMES[_WEEKDAYS_ZH[m["weekday"]]]
        return f" every {name} " if m["every"] else f" {name} "

    text = _SLASH_DATE.sub(date, _ZH_DATE.sub(date, text))
    text = _ZH_WEEKDAY.sub(weekday, text)
    text = _ZH_MONEY.sub(lambda m: f" {m['amount']} yuan ", text)
    text = _ZH_PEOPLE.sub(lambda m: f" {m['count']} people ", text)
    text = _ZH_CLOCK.sub(_clock, text)
    return _ZH_QUANTITY.sub(lambda m: f" {m['n']} {_english_unit(m['unit'])} ", text)


def _english_unit(zh: str) -> str:
    return next(en for z, en, _ in _UNITS if z == zh)


def dates_in_chinese(text: str) -> str:
    """`text` (English) with its dates written the Chinese way ("Saturday 12 December" →
    "12月12日（周六）")."""

    def date(m: re.Match[str]) -> str:
        month = (m["month1"] or m["month2"]).lower()
        index = next(i for i, name in enumerate(MONTH_NAMES) if name.lower().startswith(month))
        shown = f"{index + 1}月{int(m['day1'] or m['day2'])}日"
        if m["weekday"]:
            day = next(i for i, n in enumerate(WEEKDAY_NAMES) if n.lower() == m["weekday"].lower())
            shown += f"（周{_WEEKDAYS_ZH_SHORT[day]}）"
        return shown

    return _EN_DATE.sub(date, text)


def key_figures(text: str, language: str) -> list[str]:
    """The quantities and dates of `text`, written for a reader of `language` ("zh" reading
    English, "en" reading Chinese): "within 14 days … under 2 hours" → ["14天", "2小时"]."""
    out: list[str] = []
    text = to_simplified(text)
    if language == "zh":
        for m in _EN_QUANTITY.finditer(text):
            unit = m["unit"].lower()
            zh = next(z for z, _, pattern in _UNITS if re.fullmatch(pattern, unit, re.I))
            out.append(f"{m['n'].replace(' ', '')}{zh}")
        out += [dates_in_chinese(m.group(0)) for m in _EN_DATE.finditer(text)]
    else:
        for m in _ZH_QUANTITY.finditer(text):
            out.append(f"{m['n'].replace(' ', '')} {_english_unit(m['unit'])}")
        out += [figures_in_english(m.group(0)).strip() for m in _ZH_DATE.finditer(text)]
        out += [f"{m['amount']} yuan" for m in _ZH_MONEY.finditer(text)]
    return list(dict.fromkeys(out))


def _clock(m: re.Match[str]) -> str:
    """ "下午3点半" -> "3:30 pm", "上午10点" -> "10 am", "下午3点到5点" -> "3–5 pm"."""
    noon = "am" if m["part"] in ("上午", "早上") else "pm"
    start = f"{int(m['hour'])}{':30' if m['half'] else ''}"
    if m["end"]:
        start += f"–{int(m['end'])}{':30' if m['end_half'] else ''}"
    return f" {start} {noon} "
