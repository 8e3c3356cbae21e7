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

# "(announced only in Chinese)", "（英文版）": a note to the writer, not part of the subject.
_META_ASIDE = re.compile(
    r"\s*[（(][^（()）]*?(?:\bannounced\b|\bonly in\b|\bin (?:english|chinese)\b|\btranslat\w*"
    r"|英文版|中文版|翻译|翻譯)[^（()）]*[）)]",
    re.IGNORECASE,
)
_KINDS_EN = r"post|message|note|reminder|announcement|update|notice|blurb|write-?up"
# "English post for expat members about X", "Reminder for English-speaking members about X".
_EN_REQUEST_ABOUT = re.compile(
    rf"^\s*(?:an?\s+)?(?:(?:english|chinese)\s+)?(?:{_KINDS_EN})"
    r"(?:\s+(?:in|for|to)\s+[^,:;]*?)?\s+(?:about|on|for)\s+(?P<subject>\S.*)$",
    re.IGNORECASE,
)
# "… in English", "… for members who don't read Chinese", "… for expat members".
_EN_LANGUAGE = re.compile(r"\s*\b(?:written\s+)?in\s+(?:english|chinese)\b", re.IGNORECASE)
_EN_AUDIENCE = re.compile(
    r"\s*\bfor\s+(?:our\s+|the\s+)?(?:(?:english|chinese)[- ]speaking\s+|expats?\s+|new\s+|"
    r"overseas\s+|international\s+|non-chinese\s+)?(?:members?|people|folks|everyone|those|"
    r"readers|expats|newcomers|students|riders|singers|parents)\b(?:\s+who\b.*)?$",
    re.IGNORECASE,
)
_EN_TRAILING_KIND = re.compile(rf"\s+(?:{_KINDS_EN})\s*$", re.IGNORECASE)
# "给说中文的新会员的欢迎帖", "发给英文会员的提醒", "英文版活动通知".
_ZH_AUDIENCE = re.compile(
    r"^(?:发给|写给|给)(?:[^，,。：:的]{1,8}的)?[^，,。：:的]{0,6}"
    r"(?:会员|成员|新人|朋友|同学|学员|家长|团友|邻居|伙伴|大家|群友|车友|跑友|志愿者)们?的"
)
_ZH_LANGUAGE = re.compile(r"(?:用|以)(?:英文|中文|英语|英語)写?|(?:英文|中文|英語|英语)版")
_ZH_TRAILING_KIND = re.compile(r"的?(?:帖子|贴子|帖|文案)(?=[（(][^（()）]*[）)]$|$)")


def post_subject(topic: str) -> str:
    """The topic without who the post is for, its language and the word for the post itself;
    the topic as typed when nothing is left."""
    text = _META_ASIDE.sub("", topic).strip()
    about = _EN_REQUEST_ABOUT.match(text)
    if about:
        text = about["subject"]
    text = _EN_AUDIENCE.sub("", _EN_LANGUAGE.sub("", text))
    text = _EN_TRAILING_KIND.sub("", text) if text != topic.strip() else text
    text = _ZH_AUDIENCE.sub("", text)
    if _ZH_AUDIENCE.match(topic) or _ZH_TRAILING_KIND.search(text):
        text = _ZH_TRAILING_KIND.sub("", _ZH_LANGUAGE.sub("", text))
    text = re.sub(r"^(?:the)\s+", "", text.strip(" ,;:-–—"), flags=re.IGNORECASE)
    return text if len(text) >= 2 else topic.strip()


# "in English", "用英文写", "英文版": the language the operator asks the post to be in.
_STATED = (
    (
        "en",
        re.compile(
            r"^\s*english\s+(?:post|version)|\bin english\b|english[- ]speaking"
            r"|给英文|说英文的|英文版|用英文|英語版|英语版",
            re.I,
        ),
    ),
    # not "(announced only in Chinese)": how the news went out, not what to write
    (
        "zh",
        re.compile(
            r"(?<!only )\bin chinese\b|chinese[- ]speaking|中文版|用中文|说中文的|讲中文的",
            re.IGNORECASE,
        ),
    ),
)


def stated_language(topic: str) -> str | None:
    """The language the topic asks the post to be written in, if it says one."""
    found = [lang for lang, said in _STATED if said.search(topic)]
    return found[0] if len(found) == 1 else None
