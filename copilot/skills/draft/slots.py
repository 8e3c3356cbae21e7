"""Date/time and place in a draft's topic or facts (zh + en), for the post's detail lines.

Regular expressions rather than a date parser: the goal is to lift the phrase as written
('每周三晚上 20:00–21:00', 'the first Sunday of every month at 21:00'), not to compute a date.
"""

from __future__ import annotations

import re

_HOUR = re.compile(r"\d[:：]\d|点|[ap]\.?m\b", re.IGNORECASE)
_ZH_DATE = r"(?:\d{4}年)?\d{1,2}月\d{1,2}[日号]"
_ZH_WEEKDAY = r"(?:每|本|下|这)?(?:周|星期|礼拜)[一二三四五六日天]"
_ZH_DAYPART = r"(?:早上|上午|中午|下午|傍晚|晚上|今晚|明晚)"
_ZH_TIME = (
    r"(?:\d{1,2}[:：]\d{2}(?:\s*[-–—~至到]\s*\d{1,2}[:：]\d{2})?"
    r"|[一二三四五六七八九十两\d]{1,3}点(?:半|\d{1,2}分)?)"
)
_EN_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_EN_MONTH = (
    r"(?:(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)\b|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?)"
)
_EN_DAY_OF = rf"(?:{_EN_MONTH} \d{{1,2}}(?:st|nd|rd|th)?\b|\d{{1,2}}(?:st|nd|rd|th)? {_EN_MONTH})"
# "Nov 14", "14 November", "31 March to 5 April"
_EN_DATE = rf"{_EN_DAY_OF}(?:\s*(?:-|–|to|until)\s*{_EN_DAY_OF})?"
_EN_TIME = (
    r"\d{1,2}:\d{2}(?:\s?[-–]\s?\d{1,2}:\d{2})?(?:\s?[ap]\.?m\.?)?(?: Beijing time| UTC)?"
    r"|\d{1,2}\s?[ap]\.?m\.?"
)
_ZH_DAY = rf"(?:{_ZH_DATE}(?:\s*[（(]?{_ZH_WEEKDAY}[)）]?)?|{_ZH_WEEKDAY})"
WHEN = [
    re.compile(
        rf"(?:{_ZH_DAY}[^，。；;,\n]{{0,4}}?)?{_ZH_DAYPART}?\s*{_ZH_TIME}"
        rf"|{_ZH_DAY}(?:\s*{_ZH_DAYPART})?"
    ),
    re.compile(
        rf"(?:(?:the )?(?:first|second|third|last) {_EN_WEEKDAY} of (?:every|each|the) "
        rf"month|(?:every |each |this |next )?{_EN_WEEKDAY}s?(?:,? {_EN_DATE})?|{_EN_DATE})"
        rf"(?:,? (?:at |from )?"
        rf"(?:{_EN_TIME}))?|{_EN_TIME}",
        re.IGNORECASE,
    ),
]
WHERE = [
    re.compile(r"(?:地点|地址|场地|会场)[:：]\s*([^，。；\n]{2,30})"),
    re.compile(r"在([^，。；\n在]{2,16}?)(?:线上|线下)?(?:举行|举办|进行|集合|见面|开展)"),
    re.compile(r"(?:Venue|Location|Place|Where):\s*([^.\n]{2,60})", re.IGNORECASE),
    re.compile(
        r"([\u4e00-\u9fff]{1,6}(?:公园|咖啡馆|咖啡|书店|图书馆|会议室|广场|大厦|体育场|操场|餐厅))"
    ),
    re.compile(r"\bat ((?:the )?[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)*)"),
    re.compile(
        r"\b(?:on|via|in|at) (?:the )?((?:Tencent Meeting|Zoom|Discord|Google Meet|Feishu|"
        r"Lark|DingTalk|Teams)[^,.;\n(]{0,40})"
    ),
]


def extract_details(texts: list[str]) -> tuple[str, str]:
    """(when, where) from the first text that has each; the place is looked for after the
    time is cut out, so '周六上午奥森公园' gives a clean place."""
    when = extract_slot(WHEN, texts[:1])
    core = re.sub(r"^(?:每|本|下|这|this |next |every )", "", when, flags=re.IGNORECASE)
    for text in texts[1:] if not _HOUR.search(when) else []:
        found = extract_slot(WHEN, [text])  # a fact may add the hour to the day the topic names
        if found and (not when or (core in found and _HOUR.search(found))):
            when = found
            break
    without_time = [WHEN[1].sub(" ", WHEN[0].sub(" ", t)) for t in texts]
    return when, extract_slot(WHERE, without_time)


def extract_slot(patterns: list[re.Pattern[str]], texts: list[str]) -> str:
    """The earliest (then longest) match of any pattern in the first text that has one."""
    for text in texts:
        found = [m for m in (p.search(text) for p in patterns) if m]
        if found:
            match = min(found, key=lambda m: (m.start(), -len(m.group(0))))
            return (match.group(1) if match.re.groups else match.group(0)).strip(" ，,")
    return ""
