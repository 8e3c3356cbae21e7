"""What a post is about, read from the operator's topic: the event or news, without the words
that instruct the writer.

Operators type topics as requests ("November meetup reminder in English for members who don't
read Chinese", "给说中文的新会员的欢迎帖"). The post's title and lead must say the subject
("Reminder: November meetup"), never echo the request, and the notice search must not look for
"expat" or "announced" in the community's notices. Who the post is for, the language it is
written in, and what kind of post it is are the request's; the rest is the subject.
"""

from __future__ import annotations

import re

from copilot.text import to_simplified

# "(announced only in Chinese)", "（英文版）": a note to the writer, not part of the subject.
_META_ASIDE = re.compile(
    r"\s*[（(][^（()）]*?(?:\bannounced\b|\bonly in\b|\bin (?:english|chinese)\b|\btranslat\w*"
    r"|英文版|中文版|翻译|翻譯)[^（()）]*[）)]",
    re.IGNORECASE,
)
_KINDS_EN = r"post|message|note|reminder|announcement|update|notice|blurb|write-?up"
_AUDIENCE_EN = (
    r"(?:our\s+|the\s+)?(?:(?:english|chinese)[- ]speaking\s+|expats?\s+|new\s+|overseas\s+|"
    r"international\s+|non-chinese\s+)?(?:members?|people|folks|everyone|those|readers|expats|"
    r"newcomers|students|riders|singers|parents)\b(?:\s+who\b[^,:;]*)?"
)
# "… in English", not "… in Chinese New Year week" (the language closes the topic or a clause),
# nor "(announced in Chinese)": how the news went out.
_IN_LANGUAGE = (
    r"(?<!announced )(?<!only )\bin\s+(?:english|chinese)\b"
    r"(?=\s*(?:please\b|for\b|to\b|about\b|[,.;:!)）]|$))"
)
# "English post for expat members about X", "Reminder for English-speaking members about X",
# "Reminder for members: X".
_EN_REQUEST_ABOUT = re.compile(
    rf"^\s*(?:an?\s+)?(?:(?:english|chinese)\s+)?(?:{_KINDS_EN})"
    rf"(?:\s+{_IN_LANGUAGE})?(?:\s+(?:for|to)\s+{_AUDIENCE_EN})?(?:\s+about\s+|\s*[:：]\s*(?:about\s+)?)"
    r"(?P<subject>\S.*)$",
    re.IGNORECASE,
)
# "… in English (please)", "… for members who don't read Chinese", "… for expat members".
_EN_LANGUAGE = re.compile(rf",?\s*(?:written\s+)?{_IN_LANGUAGE}(?:\s+please\b)?", re.IGNORECASE)
_EN_AUDIENCE = re.compile(rf"\s*\bfor\s+{_AUDIENCE_EN}$", re.IGNORECASE)
_EN_TRAILING_KIND = re.compile(rf"\s+(?:{_KINDS_EN})\s*$", re.IGNORECASE)
# "给说中文的新会员的欢迎帖", "发给英文会员的提醒", "英文版活动通知"; read in simplified characters,
# so "給說中文的會員的…" is the same request.
_ZH_AUDIENCE = re.compile(
    r"^(?:发给|写给|给)(?:[^，,。：:的]{1,8}的)?[^，,。：:的]{0,6}"
    r"(?:会员|成员|新人|朋友|同学|学员|家长|团友|邻居|伙伴|大家|群友|车友|跑友|志愿者)们?的"
)
_ZH_LANGUAGE = re.compile(r"(?:用|以)(?:英文|中文|英语)写?的?|(?:英文|中文|英语)版的?")
_ZH_TRAILING_KIND = re.compile(r"的?(?:帖子|贴子|帖|文案)(?=[（(][^（()）]*[）)]$|$)")
# What the operator wants the post to do, not what it is about: "Get people to sign up for X,
# especially first-timers", "Encourage contributors to join X", "Reminder that X", "X, encourage
# students to register"; "提醒中文译者：X", "提醒中英组成员参加X", "X，鼓励新手报名".
_EN_ASK = re.compile(
    r"^\s*(?:please\s+)?(?:(?:get|encourage|invite|remind|ask|urge|nudge|tell)\s+"
    r"(?!the\b|our\b)\w+(?:\s+\w+)?\s+(?:to\s+(?:sign\s+up\s+for|register\s+for|join|come\s+to"
    r"|attend|book|try)|about|of|that)|remind(?:er)?\s+(?:about|of|that))\s+(?P<subject>\S.*)$",
    re.IGNORECASE,
)
_EN_ASK_AFTER = re.compile(
    r"\s*[,;—–-]\s*(?:especially|particularly|mainly|above all)\b.*$"
    r"|\s*[,;—–-]\s*(?:encourage|invite|get|ask|urge|nudge)\s+\w+(?:\s+\w+)?\s+to\s+\w+"
    r"(?:\s+\w+)?\s*$",
    re.IGNORECASE,
)
_ZH_ASK = re.compile(
    r"^(?:提醒[^：:，,。]{0,10}[：:]|(?:提醒|号召|鼓励|邀请)[^：:，,。]{0,8}?(?:参加|报名|加入|来)"
    r"|推荐(?=[^，,。]{2}))"
)
_ZH_ASK_AFTER = re.compile(r"[，,]\s*(?:鼓励|欢迎|邀请|号召)[^，,。]{0,12}$")


def post_subject(topic: str) -> str:
    """The topic without who the post is for, its language and the word for the post itself;
    the topic as typed when nothing is left."""
    text = _META_ASIDE.sub("", topic).strip()
    about = _EN_REQUEST_ABOUT.match(text) or _EN_ASK.match(text)
    if about:
        text = about["subject"]
    text = _EN_ASK_AFTER.sub("", text)
    text = _EN_AUDIENCE.sub("", _EN_LANGUAGE.sub("", text))
    # "November meetup reminder [in English]": the trailing kind goes once the request words
    # did; "Playtest reminder" alone keeps it (the title says "Reminder:" from the kind anyway)
    text = _EN_TRAILING_KIND.sub("", text) if text != topic.strip() else text
    for pattern in (_ZH_AUDIENCE, _ZH_LANGUAGE, _ZH_TRAILING_KIND, _ZH_ASK, _ZH_ASK_AFTER):
        text = _cut_simplified(pattern, text)
    text = re.sub(r"^(?:the)\s+", "", text.strip(" ,;:-–—"), flags=re.IGNORECASE)
    return text if len(text) >= 2 else topic.strip()


def _cut_simplified(pattern: re.Pattern[str], text: str) -> str:
    """`text` without what `pattern` (written in simplified characters) finds in it, in
    either script: t2s keeps one character for one, so the spans line up."""
    simplified = to_simplified(text)
    if len(simplified) != len(text):
        return pattern.sub("", text)
    kept, at = [], 0
    for found in pattern.finditer(simplified):
        kept.append(text[at : found.start()])
        at = found.end()
    return "".join(kept) + text[at:]


# "in English", "用英文写", "英文版": the language the operator asks the post to be in.
_STATED = (
    (
        "en",
        re.compile(
            r"^\s*english\s+(?:post|version)|"
            + _IN_LANGUAGE.replace("(?:english|chinese)", "english")
            + r"|english[- ]speaking|给英文|说英文的|英文版|用英文|英语版",
            re.IGNORECASE,
        ),
    ),
    (
        "zh",
        re.compile(
            rf"{_IN_LANGUAGE.replace('(?:english|chinese)', 'chinese')}"
            r"|chinese[- ]speaking|中文版|用中文|说中文的|讲中文的",
            re.IGNORECASE,
        ),
    ),
)


def stated_language(topic: str) -> str | None:
    """The language the topic asks the post to be written in, if it says one."""
    simplified = to_simplified(topic)
    found = [lang for lang, said in _STATED if said.search(simplified)]
    return found[0] if len(found) == 1 else None
