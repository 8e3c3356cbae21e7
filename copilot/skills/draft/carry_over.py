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

from copilot.skills.figures import dates_in_chinese, figures_in_english
from copilot.text import in_script_of, to_simplified

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
    "路线": "Route",
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
    "/人": " per person",
    "免费": "free",
    "不限": "no limit",
    "线上": "online",
    "次日": "next day",
}
# A place is named as written ("工作室后院露天窑区"): it is what a member finds on the door.
_NAMES_AS_WRITTEN = {
    "Place",
    "Address",
    "Venue",
    "Meeting point",
    "Route",
    "Teacher",
    "Speaker",
    "Host",
    "Led by",
    "Contact",
}
MAX_UNTRANSLATED = 8  # CJK characters another value may keep (a short name, not a sentence)
_CJK = re.compile(r"[\u3400-\u9fff]")
_LABELLED = re.compile(r"^\s*(?P<label>[^：:\n]{1,12}?)\s*[：:]\s*(?P<value>\S.*)$")
_PUNCT_ZH_EN = str.maketrans({"，": ", ", "；": "; ", "（": " (", "）": ")", "、": ", ", "—": "–"})


def carry_over(line: str, language: str) -> str | None:
    """`line` of a notice rendered for a post in `language` ("en", else Chinese), or None when
    it is not a detail line the post can carry."""
    found = _LABELLED.match(line.strip())
    if language == "en" and (found is None or _OPENS_WITH_DAY.match(line)):
        price = _BARE_PRICE.match(line)
        if price:  # "HK$50。" after the notice's sentence
            return f"Fee: {price['price']}"
        return _calendar_day(line) or _day_in_prose(line)
    if found is None:
        return None
    if language == "en":
        label = _ZH_EN_LABELS.get(to_simplified(found["label"]).strip("·•-* "))
        if label is None:  # "下個月聚會：11月9日（一）下午 3 點，…": a sentence that gives its day
            return _day_in_prose(line)
        value = _value_in_english(found["value"])
        if label not in _NAMES_AS_WRITTEN:
            # "Fee: members 220 yuan; 每人可烧2件…": the clauses the post can say in English
            said = [c for c in value.split("; ") if len(_CJK.findall(c)) <= MAX_UNTRANSLATED]
            value = "; ".join(said)
        # a name kept as written stays in the notice's script: "捷運龍山寺站", not "捷运…"
        return _as_written(line, f"{label}: {value}") if value else None
    label = _EN_ZH_LABELS.get(found["label"].strip("·•-* ").lower())
    return f"{label}：{_value_in_chinese(found['value'])}" if label else None


# "12/12（六）15:00  十二月外拍「萬華老街」", "11月9日（一）下午3点 …": a calendar entry's day
_OPENS_WITH_DAY = re.compile(r"^\s*(?:\d{1,2}/\d{1,2}\s*[（(]|\d{1,2}\s*月\s*\d{1,2}\s*[日号])")
_CLOCK = re.compile(
    r"^\s*(?:\d{1,2}:\d{2}(?:\s*[–—~-]\s*\d{1,2}:\d{2})?|\d{1,2}(?::\d{2})?\s*[ap]m)"
)


def _calendar_day(line: str) -> str | None:
    """ "When: Saturday 12 December, 15:00" for a line that opens with its day (and time); the
    event's Chinese name after it is the post's title already."""
    if not _OPENS_WITH_DAY.match(line):
        return None
    english = figures_in_english(to_simplified(line)).strip()
    day = re.match(r"(?:[A-Z][a-z]+ )?\d{1,2} [A-Z][a-z]+(?: \d{4})?", english)
    if day is None:
        return None
    clock = _CLOCK.match(english[day.end() :].lstrip(" ,"))
    label = "Sign-up closes" if "截止" in to_simplified(line) else "When"
    return f"{label}: {day.group()}" + (f", {clock.group().strip()}" if clock else "")


_BARE_PRICE = re.compile(
    r"^\s*(?P<price>(?:(?:HK|NT|US|S|A|C)?\$|[¥￥])\s?\d[\d,]*(?:\.\d+)?)\s*[。.！!]?\s*$"
)
# "…下個月聚會：11月9日（一）下午 3 點，鰂魚涌…": the day a line of prose gives, after a colon
_DAY_AFTER_COLON = re.compile(
    r"[：:]\s*(?=\d{1,2}\s*月\s*\d{1,2}\s*[日号]|\d{1,2}/\d{1,2}\s*[（(])"
)


def _day_in_prose(line: str) -> str | None:
    """ "When: Monday 9 November, 3 pm" for a sentence that announces its day after a colon."""
    found = _DAY_AFTER_COLON.search(line)
    if found is None:
        return None
    when = _calendar_day(line[found.end() :])
    clauses = re.split(r"[，,；;。]", line[found.end() :])
    where = clauses[1].strip() if when and len(clauses) > 1 else ""
    # the clause after the day names the place when it is a place's name: "鰂魚涌 Quarry Bay
    # Roasters（Winnie 間舖）"; a sentence ("主題：…") is not one
    if where and len(where) <= 40 and not _LABELLED.match(where) and _NAMED_PLACE.search(where):
        return _as_written(where, f"{when}\nWhere: {_value_in_english(where)}")
    return when


_NAMED_PLACE = re.compile(
    r"[A-Z][\w'&]*(?:\s+[A-Z][\w'&]*)+"
    r"|[\u4e00-\u9fff](?:店|馆|館|室|楼|樓|站|公园|公園|广场|廣場|中心|大厦|大廈)"
)


_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")


def _as_written(original: str, english: str) -> str:
    """`english` with its Chinese words as `original` writes them ("捷運龍山寺站", "間舖"): the
    value was read in simplified characters, and converting back would change a name's
    characters (台北 → 臺北)."""
    simplified = to_simplified(original)
    if simplified == original:
        return english
    if len(simplified) != len(original):
        return in_script_of(original, english)
    runs = {m.group(): original[m.start() : m.end()] for m in _CJK_RUN.finditer(simplified)}
    return _CJK_RUN.sub(lambda m: runs.get(m.group()) or in_script_of(original, m.group()), english)


def _value_in_english(value: str) -> str:
    text = figures_in_english(to_simplified(value))
    for word, english in _ZH_EN_WORDS.items():
        text = text.replace(word, f" {english} ")
    text = text.translate(_PUNCT_ZH_EN)
    text = re.sub(r"([,;])(?=\S)", r"\1 ", text)  # folded full-width marks: "，" -> ","
    text = re.sub(r"(?<=[^\s(])\(", " (", text)
    text = re.sub(r"\s+([,;:)])", r"\1", re.sub(r"\(\s+", "(", text))
    return re.sub(r"\s{2,}", " ", text).strip()


def _value_in_chinese(value: str) -> str:
    return dates_in_chinese(value).strip()
