"""Pattern extractors for chat sentences: decisions, action cues, dates, places, owners.

Regex-based on purpose (offline, deterministic, fast on 10k+ messages). Inputs are
expected in simplified Chinese with NFKC applied (`copilot.text.to_simplified`);
English matching is case-insensitive except where capitals mark a proper name.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from copilot.text import MENTION_RE

_CN_DIGITS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_EN_DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

_DAY_ZH = (
    r"(?:(?:下下?|这|本|上)?(?:周|星期|礼拜)[一二三四五六日天]|大后天|今天|明天|后天|今晚|明晚|明早|今早"
    r"|(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*[日号]|\d{4}-\d{1,2}-\d{1,2}"
    r"|(?<![\d/])\d{1,2}/\d{1,2}(?![\d/])|(?<![\d月])\d{1,2}\s*号)"
    r"(?:\s*[（(](?:周|星期)[一二三四五六日天][)）])?"
)
_PART_ZH = r"(?:上午|下午|晚上|早上|中午|傍晚|凌晨|夜里)"
_CLOCK_ZH = (
    r"(?:(?<![\d.])\d{1,2}\s*(?:[:：]\s*\d{2}|点(?:半|\d{1,2}分?|钟)?)"
    r"|[一二三四五六七八九十两]{1,3}点半?)"
)
_DAY_EN = (
    r"(?:(?:next|this|on)\s+)?(?:" + "|".join(_EN_DAYS) + r")|tomorrow|today|tonight"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?\b"
)
_CLOCK_EN = r"\b\d{1,2}(?::\d{2})?\s*(?:am|pm)\b|\b\d{1,2}:\d{2}\b|\bnoon\b"
WHEN_RE = re.compile(
    rf"{_DAY_ZH}\s*{_PART_ZH}?\s*{_CLOCK_ZH}?|{_PART_ZH}?\s*{_CLOCK_ZH}"
    rf"|\b(?:{_DAY_EN})(?:,?\s*(?:at\s+)?(?:{_CLOCK_EN}))?|(?:at\s+)?(?:{_CLOCK_EN})",
    re.IGNORECASE,
)

DECISION_RE = re.compile(
    r"定了|定下来了|(?<![不没])决定(?!权)|(?<![不没])确定了|就这么定|就这样定|敲定|拍板|说好了|结论"
    r"|那就(?:定|这么|这样|做|办|选|按|用|改|去)|就定在|\bdecided\b|let'?s go with"
    r"|we(?:'ll| will) go with|\bagreed\b|it'?s settled|final decision|decision:",
    re.IGNORECASE,
)
_ACTION_STRONG = re.compile(
    r"负责(?!人)|(?<![我还不])记得(?!吗)|别忘|不要忘|待办|\btodo\b|to-do|跟进|(?<![好太很])麻烦(?!了)|(?<![申邀])请(?!问|教|假|客|不要|勿)"
    r"|交给|action item|remember to|don't forget|please (?!note)|assigned to|follow up",
    re.IGNORECASE,
)
_ACTION_WEAK = re.compile(
    r"需要|要准备|得准备|截止|deadline|\bdue\b|need to|needs to|\bshould\b|\bwill\b", re.IGNORECASE
)
_FIRST_PERSON = re.compile(
    r"(?<!自)我(?!们)(?:来|会|负责|去|整理(?!了)|准备(?!了)|今天|明天|今晚|周[一二三四五六日天]|下周|马上|稍后|晚点)"
    r"|\bI(?:'ll| will| can take| am going to)\b"
)

_NAME = r"([^\s@，,。；;:：!！?？、（(）)]{1,20}?)"
_OWNER_ZH = [
    re.compile(rf"由\s*@?{_NAME}\s*(?:来|负责|牵头|主持|组织|统筹|对接|跟进|准备)"),
    re.compile(rf"交给\s*@?{_NAME}(?=$|[\s，,。；;!！]|来|负责|处理|跟进)"),
    re.compile(rf"@{_NAME}\s*(?:你来|来负责|负责|来|跟进|帮忙|准备|整理)"),
    re.compile(rf"请\s*@?{_NAME}\s*(?:帮忙|来|负责|准备|整理|跟进|提交|确认|联系)"),
    re.compile(rf"^(?:然后|另外|那就|就|那|再|还有|最后|同时|并且)?\s*@?{_NAME}\s*(?:来|会)?负责"),
]
_OWNER_EN = [
    re.compile(r"@([\w][\w.-]*)\s+(?:will|can you|could you|please|is going to)\b", re.IGNORECASE),
    re.compile(r"\bassign(?:ed)?\s+to\s+@?(\w+)", re.IGNORECASE),
    re.compile(r"\b(\w+)\s+is\s+(?:in charge|responsible)", re.IGNORECASE),
    re.compile(r"\b([A-Z][a-z]+)\s+(?:will|is going to)\b"),
]
_NOT_A_NAME = frozenset(
    "大家 各位 我们 你们 所有人 大伙 大家伙 你 您 他 她 它 谁 群里 这 那 "
    "it this that we they he she "
    "there everyone someone anyone all team you who what which i".split()
)

_VENUE = (
    r"(?:公园|会议室|咖啡馆|咖啡厅|餐厅|酒店|大厦|中心|广场|图书馆|书店|书房|教室|门口|办公室|体育馆|学校|大学"
    r"|地铁站|号楼|南门|北门|东门|西门|大门|礼堂|茶馆|酒吧|球场|操场|会场)"
)
_PLACE_ZH = [
    re.compile(
        r"(?:集合地点|集合点|地点|地址|场地)\s*(?:[:：]|是|为|在)\s*([^\s，。,；;！!？?（(]{2,24})"
    ),
    re.compile(
        r"在\s*([\u4e00-\u9fffA-Za-z0-9·\-]{2,16}?)\s*(?:集合|见面|碰头|举行|举办|开会|聚会|碰面|签到|会合|见)"
    ),
    re.compile(rf"([\u4e00-\u9fffA-Za-z0-9·]{{0,10}}(?:{_VENUE})+)"),
    re.compile(r"(腾讯会议|飞书会议|钉钉会议|zoom|google meet|线上|直播间)", re.IGNORECASE),
]
_CAPS = r"((?:the\s+)?[A-Z][\w'&-]*(?:\s+(?:[A-Z][\w'&-]*|of))*)"
_PLACE_EN = [
    re.compile(
        r"\b(?:venue|location|place|address)\s*(?::|is)\s*([^,.;!?\n]{2,40})", re.IGNORECASE
    ),
    re.compile(
        rf"\b(?:meet|meeting|gather|see you|held|hosted)\b[^.;!?\n]{{0,20}}?\b(?:at|in)\s+{_CAPS}"
    ),
    re.compile(rf"\bat\s+{_CAPS}"),
]
_NOT_A_PLACE = re.compile(
    r"^(?:the\s+)?(?:"
    + "|".join(_EN_DAYS)
    + r"|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|noon)",
    re.IGNORECASE,
)


def find_when(text: str) -> str | None:
    """First date/time expression as written ('周六上午9点', 'Saturday 9am')."""
    for m in WHEN_RE.finditer(text):
        expr = m.group(0).strip()
        if expr and re.search(r"\w", expr):
            return re.sub(r"^(?:at|on)\s+", "", expr, flags=re.IGNORECASE)
    return None


def _safe_date(y: int, mo: int, d: int) -> date | None:
    try:
        return date(y, mo, d)
    except ValueError:
        return None


def _month_day(mo: int, d: int, base: date, year: int | None = None) -> date | None:
    found = _safe_date(year or base.year, mo, d)
    if found and year is None and found < base - timedelta(days=180):  # "1月3日" said in December
        found = _safe_date(base.year + 1, mo, d)
    return found


def resolve_date(expr: str, base: date) -> date | None:
    """Calendar date of a `find_when` expression said on day `base` (None if unknown).

    Weekdays mean the upcoming one (today included); 下周X / next X mean next week's.
    """
    e = expr.lower()
    if m := re.search(r"(\d{4})-(\d{1,2})-(\d{1,2})", e):
        return _safe_date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.search(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})", e):
        return _month_day(int(m[2]), int(m[3]), base, int(m[1]) if m[1] else None)
    if m := re.search(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?![\d/])", e):
        return _month_day(int(m[1]), int(m[2]), base)
    for word, days in (
        ("大后天", 3),
        ("后天", 2),
        ("明", 1),
        ("tomorrow", 1),
        ("今", 0),
        ("today", 0),
        ("tonight", 0),
    ):
        if word in e:
            return base + timedelta(days=days)
    week = base - timedelta(days=base.weekday())  # Monday of this week
    if m := re.search(r"(下下|下|这|本|上)?(?:周|星期|礼拜)([一二三四五六日天])", e):
        idx = _CN_DIGITS[m[2]]
        shift = {"下下": 14, "下": 7, "上": -7}.get(m[1] or "")
        if shift is None:
            return base + timedelta(days=(idx - base.weekday()) % 7)
        return week + timedelta(days=shift + idx)
    if m := re.search(r"(next\s+)?(" + "|".join(_EN_DAYS) + ")", e):
        idx = _EN_DAYS.index(m[2])
        if m[1]:
            return week + timedelta(days=7 + idx)
        return base + timedelta(days=(idx - base.weekday()) % 7)
    if m := re.search(r"(?<![\d月])(\d{1,2})\s*号", e):
        d = int(m[1])
        if d >= base.day:
            return _safe_date(base.year, base.month, d)
        nxt = (base.replace(day=1) + timedelta(days=32)).replace(day=1)
        return _safe_date(nxt.year, nxt.month, d)
    return None


def find_place(text: str) -> str | None:
    for pattern in _PLACE_ZH:
        if m := pattern.search(text):
            place = re.sub(r"^(?:在|到|去)", "", m.group(1)).strip()
            if len(place) >= 2 and not WHEN_RE.fullmatch(place):
                return place
    for pattern in _PLACE_EN:
        if (m := pattern.search(text)) and not _NOT_A_PLACE.match(m.group(1)):
            return m.group(1).strip()
    return None


def find_owner(text: str, author: str, *, addressed: bool = True) -> str | None:
    """Who takes the task: a named person, or the author for first-person commitments.

    `addressed`: the one person @-mentioned counts too ("请@小红 周五前整理好书单")."""
    for clause in re.split(r"[，,；;。]\s*|^[^：:]{1,6}[：:]\s*", text):
        for pattern in [*_OWNER_ZH, *_OWNER_EN]:
            if m := pattern.search(clause):
                name = m.group(1).strip().lstrip("@")
                if when := WHEN_RE.search(name):  # "请大家周五前提交" → 大家
                    name = name[: when.start()].strip()
                if name.lower() == "i":
                    return author
                if name and name.lower() not in _NOT_A_NAME:
                    return name
    if _FIRST_PERSON.search(text):
        return author
    mentioned = MENTION_RE.findall(text)
    if addressed and len(mentioned) == 1:  # "请@小红 周五前整理好书单": the one person addressed
        return mentioned[0].lstrip("@")
    return None


def commits_self(text: str) -> bool:
    """A first-person commitment: 我来… / 我明天… / 我去问问… / I'll…"""
    return bool(_FIRST_PERSON.search(text))


def is_decision(sentence: str) -> bool:
    return bool(DECISION_RE.search(sentence))


def action_strength(clause: str) -> int:
    """2: clear task cue (负责/记得/请/TODO…), 1: weak cue (需要/will…), 0: none."""
    if _ACTION_STRONG.search(clause) or _FIRST_PERSON.search(clause):
        return 2
    return 1 if _ACTION_WEAK.search(clause) else 0


def split_clauses(sentence: str) -> list[str]:
    return [c.strip() for c in re.split(r"[，,]\s*", sentence) if c.strip()]
