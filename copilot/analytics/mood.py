"""Group mood from a small zh + en lexicon: counts messages with positive/negative cues."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

from copilot.text import fold_chinese

MoodLabel = Literal["positive", "neutral", "negative", "mixed"]

# Negated praise ("不喜欢", "not great") is matched as negative before positive is tried.
_NEGATIVE = re.compile(
    r"失望|生气|垃圾|太差|很差|真差|不满|吐槽|投诉|烦死|好烦|退群|被骗|骗子|坑人|无聊|糟糕|难受|郁闷|不爽|差劲"
    r"|不喜欢|不好用|不太好|没意思|浪费时间|算了吧|😡|😞|👎|💢"
    r"|\bbad\b|terrible|awful|angry|disappointed|\bhate\b|annoying|broken|\bscam\b|boring|worst|useless"
    r"|frustrat|not (?:great|good|happy|helpful)",
    re.IGNORECASE,
)
_POSITIVE = re.compile(
    r"谢谢|感谢|多谢|太棒|真棒|很棒|好棒|开心|高兴|期待|喜欢|厉害|给力|点赞|支持|精彩|有收获|受益|干货|不错|实用"
    r"|辛苦了?|太好了|讲得好|哈哈|👍|❤|🎉|😄|😊|💪|🙏"
    r"|thanks|thank you|\bgreat\b|awesome|\blove\b|\bnice\b|excited|amazing|helpful|\bcool\b"
    r"|congrats|well done|glad",
    re.IGNORECASE,
)


def mood_of(texts: Iterable[str]) -> tuple[MoodLabel, int, int, int]:
    """(label, positive messages, negative messages, messages).

    Neutral unless cue messages reach max(2, 5% of messages); then positive/negative
    when one side has at least twice the other, else mixed.
    """
    pos = neg = total = 0
    for text in texts:
        total += 1
        folded = fold_chinese(text)
        if _NEGATIVE.search(folded):
            neg += 1
        elif _POSITIVE.search(folded):
            pos += 1
    label: MoodLabel
    if pos + neg < max(2, 0.05 * total):
        label = "neutral"
    elif pos >= 2 * neg:
        label = "positive"
    elif neg >= 2 * pos:
        label = "negative"
    else:
        label = "mixed"
    return label, pos, neg, total
