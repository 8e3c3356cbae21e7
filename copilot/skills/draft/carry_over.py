"""An event notice written in another language than the post: its details carried over.

An English post about a notice written in Chinese (or the reverse) cannot quote the notice, and
offline there is no translator. What a member needs from a notice is mostly structured: its
labelled lines (日期 / 时间 / 地点 / 费用 …) with dates, weekdays, clock times and prices, which
a small table renders in the post's language. What the table does not know (a room's name, a
note) is kept as the notice writes it: a reader can show it at the door, and nothing is made up.
A line whose label the table does not know (prose, "什么是乐烧：…") is left out.
"""

from __future__ import annotations

import re

from copilot.text import to_simplified

# Labels of a notice's detail lines, simplified Chinese -> English. Longest first when matched.
_ZH_EN_LABELS = {
    "报名截止": "Sign-up closes",
    "截止时间": "Deadline",
    "活动时间": "Time",
    "活动地点": "Place",
    "集合地点": "Meeting point",
    "集合时间": "Meeting time",
    "日期": "Date",
    "时间": "Time",
    "地点": "Place",
    "地址": "Address",
    "场地": "Venue",
    "集合": "Meeting point",
    "费用": "Fee",
    "价格": "Price",
    "收费": "Fee",
    "名额": "Spots",
    "人数": "People",
    "报名": "Sign-up",
    "截止": "Deadline",
    "讲师": "Teacher",
    "老师": "Teacher",
    "主讲": "Speaker",
    "主持": "Host",
    "带队": "Led by",
    "领队": "Led by",
    "负责人": "Contact",
    "负责": "Contact",
    "联系人": "Contact",
    "时长": "Length",
    "形式": "Format",
    "适合": "For",
    "注意": "Note",
    "备注": "Note",
}
_EN_ZH_LABELS = {
    "date": "日期",
    "when": "时间",
    "time": "时间",
    "where": "地点",
    "place": "地点",
    "venue": "地点",
    "location": "地点",
    "address": "地址",
    "meeting point": "集合地点",
    "fee": "费用",
    "price": "费用",
    "cost": "费用",
    "spots": "名额",
    "sign-up": "报名",
    "sign up": "报名",
    "signup": "报名",
    "deadline": "截止",
    "host": "主持",
    "hosted by": "主持",
    "led by": "带队",
    "contact": "联系人",
    "note": "备注",
}
# Words of a notice's values with one plain meaning, simplified Chinese -> English.
_ZH_EN_WORDS = {
    "非会员": "non-members",
    "会员": "members",
    "每人": "per person",
    "人/次": "per person per visit",
    "免费": "free",
    "不限": "no limit",
    "线上": "online",
    "次日": "next day",
}
_MONTHS = "January February March April May June July August September October November December"
_MONTH_NAMES = _MONTHS.split()
_WEEKDAYS_ZH = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_WEEKDAY_NAMES = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
_WEEKDAYS_ZH_SHORT = "一二三四五六日"

_LABELLED = re.compile(r"^\s*(?P<label>[^：:\n]{1,12}?)\s*[：:]\s*(?P<value>\S.*)$")
_ZH_DATE = re.compile(
    r"(?:(?P<year>\d{4})\s*年\s*)?(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*[日号]"
    r"(?:\s*[（(]\s*(?:周|星期|礼拜)(?P<weekday>[一二三四五六日天])\s*[）)])?"
)
_ZH_WEEKDAY = re.compile(r"(?P<every>每)?(?:周|星期|礼拜)(?P<weekday>[一二三四五六日天])")
_ZH_CLOCK = re.compile(r"(?P<part>上午|早上|下午|晚上)\s*(?P<hour>\d{1,2})\s*[点點](?P<half>半)?")
_ZH_MONEY = re.compile(r"(?P<amount>\d+(?:\.\d+)?)\s*(?:元|块)")
_ZH_PEOPLE = re.compile(r"(?P<count>\d+)\s*(?:人|位)(?![民])")
_EN_DATE = re.compile(
    rf"(?:(?P<weekday>{'|'.join(_WEEKDAY_NAMES)}),?\s+)?"
    rf"(?:(?P<day1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month1>{'|'.join(_MONTH_NAMES)})"
    rf"|(?P<month2>{'|'.join(_MONTH_NAMES)})\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?)\b",
    re.IGNORECASE,
)
_PUNCT_ZH_EN = str.maketrans({"，": ", ", "；": "; ", "（": " (", "）": ")", "、": ", ", "—": "–"})


def carry_over(line: str, language: str) -> str | None:
    """`line` of a notice rendered for a post in `language` ("en", else Chinese), or None when
    it is not a detail line the post can carry."""
    found = _LABELLED.match(line.strip())
    if found is None:
        return None
    if language == "en":
        label = _ZH_EN_LABELS.get(to_simplified(found["label"]).strip("·•-* "))
        return f"{label}: {_value_in_english(found['value'])}" if label else None
    label = _EN_ZH_LABELS.get(found["label"].strip("·•-* ").lower())
    return f"{label}：{_value_in_chinese(found['value'])}" if label else None


def _value_in_english(value: str) -> str:
    text = to_simplified(value)

    def date(m: re.Match[str]) -> str:
        shown = f"{int(m['day'])} {_MONTH_NAMES[int(m['month']) - 1]}"
        if m["year"]:
            shown += f" {m['year']}"
        if m["weekday"]:
            shown = f"{_WEEKDAY_NAMES[_WEEKDAYS_ZH[m['weekday']]]} {shown}"
        return f" {shown} "

    def weekday(m: re.Match[str]) -> str:
        name = _WEEKDAY_NAMES[_WEEKDAYS_ZH[m["weekday"]]]
        return f" every {name} " if m["every"] else f" {name} "

    text = _ZH_DATE.sub(date, text)
    text = _ZH_WEEKDAY.sub(weekday, text)
    text = _ZH_MONEY.sub(lambda m: f" ¥{m['amount']} ", text)
    text = _ZH_PEOPLE.sub(lambda m: f" {m['count']} people ", text)
    for word, english in _ZH_EN_WORDS.items():
        text = text.replace(word, f" {english} ")
    text = _ZH_CLOCK.sub(_clock, text)
    text = text.translate(_PUNCT_ZH_EN)
    text = re.sub(r"([,;])(?=\S)", r"\1 ", text)  # folded full-width marks: "，" -> ","
    text = re.sub(r"(?<=[^\s(])\(", " (", text)
    text = re.sub(r"\s+([,;:)])", r"\1", re.sub(r"\(\s+", "(", text))
    return re.sub(r"\s{2,}", " ", text).strip()


def _clock(m: re.Match[str]) -> str:
    """ "下午3点半" -> "3:30 pm", "上午10点" -> "10 am"."""
    hour = int(m["hour"])
    half = ":30" if m["half"] else ""
    noon = "am" if m["part"] in ("上午", "早上") else "pm"
    return f" {hour}{half} {noon} "


def _value_in_chinese(value: str) -> str:
    def date(m: re.Match[str]) -> str:
        month = (m["month1"] or m["month2"]).lower()
        index = next(i for i, name in enumerate(_MONTH_NAMES) if name.lower().startswith(month))
        shown = f"{index + 1}月{int(m['day1'] or m['day2'])}日"
        if m["weekday"]:
            day = next(i for i, n in enumerate(_WEEKDAY_NAMES) if n.lower() == m["weekday"].lower())
            shown += f"（周{_WEEKDAYS_ZH_SHORT[day]}）"
        return shown

    return _EN_DATE.sub(date, value).strip()
