"""Pattern extractors for chat sentences: decisions, action cues, dates, places, owners.

Regex-based on purpose (offline, deterministic, fast on 10k+ messages). Inputs are
expected in simplified Chinese with NFKC applied (`copilot.text.to_simplified`);
English matching is case-insensitive except where capitals mark a proper name.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date, timedelta

from copilot.analytics.people import member_named
from copilot.text import MENTION_RE, to_simplified

_CN_DIGITS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_EN_DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

_DAY_ZH = (
    r"(?:(?:下下?|这|本|上)?(?:周|星期|礼拜)[一二三四五六日天]|大后天|今天|明天|后天|今晚|明晚|明早|今早"
    r"|(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*[日号]|\d{4}-\d{1,2}-\d{1,2}"
    r"|(?<![\d/])\d{1,2}/\d{1,2}(?![\d/])|(?<![\d月])\d{1,2}\s*号"
    r"|(?:下|这|本)?周末|(?:本|这个?|下个?)?月底)"
    r"(?:\s*[（(](?:周|星期)[一二三四五六日天][)）])?"
)
_PART_ZH = r"(?:上午|下午|晚上|早上|中午|傍晚|凌晨|夜里)"
_CLOCK_ZH = (
    r"(?:(?<![\d.])\d{1,2}\s*(?:[:：]\s*\d{2}|点(?:半|\d{1,2}分?|钟)?)"
    r"|[一二三四五六七八九十两]{1,3}点半?)"
)
_MONTHS_EN = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_MONTH_EN = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# "Saturday 21 March" / "Saturday, March 21": the weekday and the date it names are one
# expression (resolved by the date, not to the next Saturday).
_MONTH_WORD_EN = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"  # no "."
_DATED_EN = (
    rf"(?:,?\s+(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_WORD_EN}(?!\w)"
    rf"|{_MONTH_WORD_EN}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b))?"
)
_DAY_EN = (
    r"(?:(?:next|this|on)\s+)?(?:"
    + "|".join(_EN_DAYS)
    + r")"
    + _DATED_EN
    + r"|tomorrow|today|tonight"
    rf"|{_MONTH_EN}\s+\d{{1,2}}(?:st|nd|rd|th)?\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_EN}(?!\w)"
    r"|\b(?:eod|eow|eom|end of (?:the )?(?:day|week|month))\b"
    r"(?:\s+(?:on\s+)?(?:" + "|".join(_EN_DAYS) + r"))?"
    r"|\b(?:(?:this|next)\s+)?weekend\b|\bthe\s+\d{1,2}(?:st|nd|rd|th)\b"
)
_CLOCK_EN = r"\b\d{1,2}(?::\d{2})?\s*(?:am|pm)\b|\b\d{1,2}:\d{2}\b|\bnoon\b"
WHEN_RE = re.compile(
    rf"{_DAY_ZH}\s*{_PART_ZH}?\s*{_CLOCK_ZH}?|{_PART_ZH}?\s*{_CLOCK_ZH}"
    rf"|\b(?:{_DAY_EN})(?:,?\s*(?:at\s+)?(?:{_CLOCK_EN}))?|(?:at\s+)?(?:{_CLOCK_EN})",
    re.IGNORECASE,
)

# Decision cues, matched on simplified text (traditional script is folded first, so 定案,
# 決議 and 確定 match as 定案, 决议 and 确定). A cue says the group settled something; a
# question or a first-person resolution ("我决定…", "I've decided…") is filtered by the caller;
# "定下来以后在群里通知" is one still to come.
DECISION_RE = re.compile(
    r"(?:定了|定好了|定下来了?)(?!\s*(?:以后|之后|后|再))|定案|定咗|定好咗|(?<![不没未])确认了|已确认|(?<![不没])决定(?!权)|决议|议定|(?<![不没能])确定(?:了|下来|好了|为|在|[:：])"
    r"|最(?:后|终)(?:确定|方案|决定|结果|版)|就这么定|就这样定|就这么办|就这样办|按这个(?:来|办|方案)"
    r"|敲定|拍板|说好了|(?<![没未])(?:讲|说)定|结论|投票结果|表决结果|全票通过|一致通过|(?:方案|安排)如下|(?:这么|这样)安排\s*[:：]|就(?:这么|这样)安排"
    r"|那就(?:定|这么|这样|做|办|选|按|用|改|去)|就定在|(?<![不没未待再])定(?:在|于)(?![哪何])"
    r"|\bdecided\b|\bdecision\b\s*(?:is|was|[:：-])"
    r"|(?<!no )\bdecision (?:for|on|about)\b[^.?!]{0,60}?[:：](?!\d)"
    r"|^\W*final\s*[:：]|let'?s go with|(?:we|i)(?:'re| are)? going with"
    r"|we(?:'ll| will) go with|\bsettled\b|final (?:decision|call|answer|plan)"
    # "we agreed to…", "Agreed: …", a bare "Agreed." to a proposal; not "Agreed, really useful"
    r"|\b(?:we|all|everyone|committee|board|they)\s+(?:have\s+|all\s+)?agreed\b"
    r"|\bagreed\s*(?:[:：-]|to\b|on\b|that\b)|^\W*agreed\W*$"
    r"|\bit'?s official\b|\blocked in\b|\bconfirmed\s*[:：-]|\bconsensus\b|\bthe plan is\b"
    r"|\b(?:poll|vote) (?:results?|closed|is in)\b|\bwe(?:'ll| will) (?:move|switch|keep|do)\b"
    # "we're moving the call away from Thursday" (its "New date: …" is a detail of it), "here's
    # the plan for the rota:"
    r"|\bwe(?:'re| are) (?:moving|switching|postponing|rescheduling)\b"
    r"|\bhere(?:'s| is) the (?:plan|schedule|rota)\b"
    r"|\bgoing ahead with\b|\bit'?s a go\b|\bgreen light\b|\bsigned off\b"
    r"|\bwe(?:'ve| have)? (?:picked|chosen|chose)\b|\bis (?:set|locked|confirmed) for\b",
    re.IGNORECASE,
)
_ACTION_STRONG = re.compile(
    r"(?<![不没])负责(?!人)|(?<![我还不])记得(?!吗)|别忘|不要忘|待办|\btodo\b|to-do|跟进|(?<![好太很])麻烦(?!了)|(?<![申邀])请(?!问|教|假|客|不要|勿)"
    r"|交给|action item|remember to|don't forget|please (?!note)|assigned to|follow up"
    r"|\bowns\b|\bin charge of\b|\bresponsible for\b|\btakes care of\b|\bvolunteered to\b",
    re.IGNORECASE,
)
_ACTION_WEAK = re.compile(
    r"需要|要准备|得准备|截止|deadline|\bdue\b|need to|needs to|\bshould\b|\bwill\b", re.IGNORECASE
)
# "我" then a time ("我11月30日前会在群里开接龙", "我月底前发") commits as "我明天…" does; so does
# "我" then 统一/亲自 (the organiser doing it for everyone: "到了我统一换").
_FIRST_PERSON = re.compile(
    r"(?<!自)我(?!们)(?:这边|这里|自己)?\s*(?:来|会|负责|去|整理(?!了)|准备(?!了)|今天|明天|今晚|周[一二三四五六日天]|下周"
    # "原片我和老周一起修，周五前传完": the author and a partner take it on together
    r"|(?:和|跟)[^\s，,。；;!！?？]{1,10}?一起"
    r"|\d{1,2}/\d{1,2}\s*(?:之?前|以前)"  # "我自己 11/18 前会去…"
    # "12月的值班表我在排了": at work on it, so it is theirs to finish
    r"|(?:正)?在(?:排(?!队)|做|弄|整理|准备|安排|统计|汇总|联系|写)"
    r"|马上|稍后|晚点|可以负责|可以帮忙|帮忙|帮大家|包了|统一|亲自"
    # "我4月1日（周三）前会发…": the weekday in brackets between the date and 前
    r"|(?:\d{1,2}\s*月\s*)?\d{1,2}\s*[日号]\s*(?:[（(][^）)]{1,6}[)）]\s*)?(?:之?前|以前)"
    r"|(?:这个?|本|下个?)?月底前|周末前)"
    r"|包在我身上|交给我|\bI(?:'ll| will| can take| am going to|'m going to"
    # "I can do Sat March 14 or Sat March 21" offers a day, it takes on no task
    r"| can (?:do(?!\s+(?i:sat|sun|mon|tue|wed|thu|fri|\d|the\s+\d|next|this|either|both))"
    r"|handle|cover|grab|bring|book|host|run|own|draft|write|send|set up)"
    r"|'ve got (?:it|this)|'m on it| got (?:it|this))\b"
    r"|\bleave it (?:to|with) me\b"
)

_NAME = r"([^\s@，,。；;:：!！?？、（(）)]{1,20}?)"
# What an owner does with a task (after 由X / X负责…): organise, lead, buy, book, contact…
_TASK_VERB_ZH = (
    r"(?:来|负责|牵头|主持|组织|统筹|对接|跟进|准备|带队|领队|主讲|安排|联系|统计|收集|采购|预订|订|通知|发布"
    r"|整理|记录|协调|处理|落实|搞定|汇总)"
)
_OWNER_ZH = [
    re.compile(rf"(?<![理缘])由(?!于|此)\s*@?{_NAME}\s*{_TASK_VERB_ZH}"),
    re.compile(rf"交给\s*@?{_NAME}(?=$|[\s，,。；;!！]|来|负责|处理|跟进)"),
    re.compile(rf"@{_NAME}\s*(?:你来|来负责|负责|来|跟进|帮忙|准备|整理)"),
    re.compile(
        rf"(?:请|麻烦)\s*@?{_NAME}\s*(?:帮忙|来|负责|准备|整理|跟进|提交|确认|联系|统计|收集|订|发)"
    ),
    re.compile(rf"^(?:然后|另外|那就|就|那|再|还有|最后|同时|并且)?\s*@?{_NAME}\s*(?:来|会)?负责"),
    re.compile(
        rf"(?:负责人|联系人|对接人|带队|领队)\s*(?:是|为)\s*@?{_NAME}(?=$|[\s，,。；;!！（(])"
    ),
]
# A name at the start of a clause before a task verb ("小君带队", "阿豪你来统计"): an owner only
# when it is someone in the chat (`people`), since "场地来回" or "大家准备" have the same shape.
_OWNER_ZH_NAMED = [
    re.compile(
        rf"^(?:然后|另外|那就|就|那|再|还有|最后|同时|并且)?\s*{_NAME}\s*(?:你|您)?\s*(?:来|会|去)?\s*"
        rf"{_TASK_VERB_ZH}"
    ),
    # "阿豪11月14日前跟社区签好场地", "大壮22号开车运送": a member, a date, what they do then
    re.compile(
        rf"^(?:然后|另外|那就|就|那|再|还有|最后|同时|并且)?\s*{_NAME}\s*"
        rf"(?={_DAY_ZH}\s*(?:之前|以前|前)?\s*(?:会|要|去|来|把|给|跟|和|开始)?\s*[\u4e00-\u9fff])"
    ),
]
# English owners. Tagged: an @-mention or a label ("owner: dan") names the person outright.
_OWNER_EN = [
    re.compile(r"@([\w][\w.-]*)\s+(?:will|can you|could you|would you|please|is going to)\b", re.I),
    re.compile(r"\bassign(?:ed)?\s+to\s+@?(\w+)", re.IGNORECASE),
    re.compile(r"\b(?:owner|host|lead|point person|organi[sz]er)\s*(?:is|[:：])\s*@?(\w+)", re.I),
    re.compile(
        r"^(?:(?:action(?: items?)?|ai|todo|next steps?)\s*[:：-]\s*)?@([\w.-]+)\s+to\s+[a-z]+",
        re.I,
    ),
]
# Named: a capitalised word before a task verb ("Sam owns the template", "Dan to update the
# page"); it is an owner only when it is someone in the chat (`people`), since "Tickets will…"
# has the same shape.
_OWNER_EN_NAMED = [
    re.compile(r"\b(\w+)\s+is\s+(?:in charge|responsible)", re.IGNORECASE),
    re.compile(
        r"^(?i:(?:action(?: items?)?|ai|todo|next steps?)\s*[:：-]\s*)?([A-Z][\w.-]*)\s+to\s+"
        r"(?!be\b)[a-z]+"
    ),
    re.compile(
        r"\b([A-Z][a-z]+)\s+(?:will|is going to|owns|handles|is handling|takes care of"
        r"|is taking|volunteered to|is on (?:it|this)|can take"
        r"|is (?:hosting|leading|running|organi[sz]ing)|hosts|leads)\b"
    ),
    # "Mei collects the glossaries by Monday 30 November": a member, what they do, a deadline
    re.compile(
        r"^(?:and\s+|then\s+)?([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s+[a-z]+s\b"
        r"(?=.*\b(?:by|before)\s+\w)"
    ),
]
_NOT_A_NAME = frozenset(
    "大家 各位 我们 你们 所有人 大伙 大家伙 你 您 他 她 它 谁 群里 这 那 自己 本人 "
    "it this that we they he she "
    "there everyone someone anyone all team you who what which i "
    "need want have going plan it's that's we'll time".split()
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
_CAPS = r"((?:the[ \t]+)?[A-Z][\w'&-]*(?:[ \t]+(?:[A-Z][\w'&-]*|of))*)"  # within one line
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
            # "星期一（3月9日）", "Monday (9 March)": the weekday with the date it is
            dated = _BRACKETED.match(text, m.end())
            if dated and re.search(r"\d", dated[0]) and WHEN_RE.search(dated[0]):
                expr = text[m.start() : dated.end()].strip()
            return re.sub(r"^(?:at|on)\s+", "", expr, flags=re.IGNORECASE)
    return None


_BRACKETED = re.compile(r"\s*[（(][^（()）]{1,24}[）)]")


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
    months = "|".join(_MONTHS_EN)
    if m := re.search(rf"\b({months})[a-z]*\.?\s+(\d{{1,2}})(?!\d)", e):
        return _month_day(_MONTHS_EN.index(m[1]) + 1, int(m[2]), base)
    if m := re.search(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({months})", e):
        return _month_day(_MONTHS_EN.index(m[2]) + 1, int(m[1]), base)
    if m := re.search(r"(下|这|本)?周末|\b(next\s+)?weekend\b", e):
        saturday = base + timedelta(days=(5 - base.weekday()) % 7)
        return saturday + timedelta(days=7 if (m[1] == "下" or m[2]) else 0)
    if m := re.search(r"(下个?)?月底|\b(?:eom|end of (?:the )?month)\b", e):
        first = base.replace(day=1)
        for _ in range(2 if m.group(1) else 1):
            first = (first + timedelta(days=32)).replace(day=1)
        return first - timedelta(days=1)
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
    if re.search(r"\b(?:eod|end of (?:the )?day)\b", e):
        return base
    if re.search(r"\b(?:eow|end of (?:the )?week)\b", e):
        return base + timedelta(days=4 - base.weekday()) if base.weekday() <= 4 else base
    if m := re.search(r"(?<![\d月])(\d{1,2})\s*号|\bthe\s+(\d{1,2})(?:st|nd|rd|th)\b", e):
        d = int(m[1] or m[2])
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


def find_owner(
    text: str,
    author: str,
    *,
    addressed: bool = True,
    people: Collection[str] | None = None,
) -> str | None:
    """Who takes the task: a named person, or the author for first-person commitments.

    `addressed`: the one person @-mentioned counts too ("请@小红 周五前整理好书单").
    `people`: the chat's members; a capitalised English word is an owner only when it names
    one of them (None: any word not in the stop list)."""
    for clause in re.split(r"[，,；;。]\s*|^[^：:]{1,6}[：:]\s*", text):
        for pattern in [*_OWNER_ZH, *_OWNER_EN, *_OWNER_EN_NAMED, *_OWNER_ZH_NAMED]:
            if m := pattern.search(clause):
                name = m.group(1).strip().lstrip("@")
                if when := WHEN_RE.search(name):  # "请大家周五前提交" → 大家
                    name = name[: when.start()].strip()
                if name.lower() in ("i", "me", "我"):
                    return author
                if not name or name.lower() in _NOT_A_NAME or name.endswith(("不", "没")):
                    continue  # "账号被封概不负责" disclaims: nobody takes anything on
                if people is None and pattern in _OWNER_ZH_NAMED:
                    continue
                if people is not None:
                    known = member_named(name, people)
                    if known is not None:
                        return known
                    if pattern in _OWNER_EN_NAMED or pattern in _OWNER_ZH_NAMED:
                        continue
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


_MENTION_CHARS = r"[@＠][^\s@,，、:：。!！?？]+"
# Clauses end at a comma or semicolon, or where the next person is @-mentioned ("@Joyce 清单你
# 20日前弄好 @老周 周六前把货架搬过去").
_CLAUSES = re.compile(r"(?<=[，,；;])|\s+(?=[@＠])")
_BARE_MENTIONS = re.compile(rf"^\s*(?:{_MENTION_CHARS}[\s,，、]*)+$")
TASK_LABEL = re.compile(r"^[^\W\d]{1,6}[：:]\s*")  # "分工：", "TODO:" (not "22:00")
_AND = re.compile(r"^(?:and|then|also|然后|另外|再)\s*", re.IGNORECASE)


# "@阿果 @苏苏 你们俩负责海报…", "@Ana @Ben you two take the posters…": one task for each
_MENTION = _MENTION_CHARS
_MENTIONS_LEAD = re.compile(rf"^\s*((?:{_MENTION}[\s,，、]*){{2,}})")
_TOGETHER = re.compile(
    r"^\s*(?:你们(?:俩|两个|两位|几个|几位)?|二位|两位|\byou (?:two|both|all)\b|\bboth of you\b)",
    re.IGNORECASE,
)


def _joined_to_what_follows(clauses: list[str]) -> list[str]:
    """Mentions alone ("@阿果 ", "@苏苏") lead the clause after them: "@A @B 周五前交海报" is
    one task, not an empty one for A."""
    out: list[str] = []
    pending = ""
    for clause in clauses:
        if _BARE_MENTIONS.match(clause):
            pending += clause + " "
            continue
        out.append(pending + clause)
        pending = ""
    if pending:
        out.append(pending.rstrip())
    return out


def split_assignments(sentence: str, author: str, people: Collection[str]) -> list[str]:
    """A sentence that hands out several tasks ("分工：阿豪11月14日前签好场地，小鱼干11月18日前
    出海报") as one part per person, each with the clauses that follow it ("…，预算300元");
    one task given to several people at once ("@阿果 @苏苏 你们俩负责海报") as that task for
    each of them; any other sentence as it is."""
    lead = _MENTIONS_LEAD.match(sentence)
    rest = sentence[lead.end() :] if lead else ""
    # "你们俩谁周五前能负责海报？" asks for one volunteer: no task for each of them
    if lead and _TOGETHER.match(rest) and not re.search(r"谁|\bwho\b|[?？]", rest):
        task = _TOGETHER.sub("", rest, count=1).strip(" ,，")
        names = re.findall(_MENTION, lead.group(1))
        return [f"{name} {task}" for name in dict.fromkeys(names)]
    clauses = _joined_to_what_follows(_CLAUSES.split(sentence))
    if len(clauses) < 2:
        return [sentence]  # one clause names one owner at most
    parts: list[str] = []
    owners: set[str] = set()
    for clause in clauses:
        bare = TASK_LABEL.sub("", to_simplified(clause).strip(" ，,；;"))
        # a clause opened by a mention gives that person a task when it names one or a day
        # ("@老周 周六前把货架搬过去"); "@Rosa sorry about your slot," gives nothing
        led = bool(re.match(r"\s*[@＠]", bare)) and bool(
            action_strength(bare) or WHEN_RE.search(bare)
        )
        owner = find_owner(bare, author, addressed=led, people=people) if bare else None
        # a mentioned member is one even before they have spoken
        if owner and (owner in people or owner == author or led) and owner not in owners:
            owners.add(owner)  # "…, and I'll book Room 2A by Friday": the author is one of them
            parts.append(clause)
        elif parts:
            parts[-1] += clause
    if len(owners) < 2:
        return [sentence]
    return [_AND.sub("", p.strip(" ，,；;")) for p in parts]
