"""Group mood from a small zh + en lexicon: messages with positive/negative cues, and insults.

An insult (a personal attack on another member: 关你屁事, 你算老几, 你是托吧, "go cry",
"bootlicker") is a conflict whatever else the week held: a cheerful week with a quarrel in it
is "mixed", never "positive". Insults are also never questions (see `is_insult`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
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
_PUT_DOWN = (
    r"idiot|moron|stupid|dumb|loser|clown|dense|lazy|thick(?!-?skinned)|clueless|incompetent"
    r"|useless|pathetic|ignorant|brain-?dead|imbecile|halfwit"
)
# Attacks aimed at a person: "you" plus a slur or a put-down, or a slur on its own.
_INSULT = re.compile(
    r"关你(?:屁|什么|啥)事|你算(?:老几|什么东西|哪根葱)|也配(?:说|当|跟|和|叫|做)|你配(?:吗|说|当)"
    r"|(?:你|他|她)(?:就)?是(?:个)?托(?:儿)?[吧吗?？]|你这种人|你这样的人|你(?:是不是)?有(?:毛)?病|脑子有病|没素质"
    r"|你(?:脑子|脑袋)(?:进水|有问题)|醒醒吧|做梦(?:比较快|去吧)|^滚(?:出去|开|蛋)?[!！。]*$|闭嘴"
    r"|傻[逼比bx]|\bsb\b|煞笔|智障|脑残|弱智|蠢货|废物|[，,]\s*垃圾[!！。]*$|^垃圾[!！]*$|你(?:这个|这)?垃圾"
    r"|不要脸|脸都不要|要点脸|无耻|玩不起就别玩|输不起|菜就多练|菜鸡|(?:别|你)(?:这么|那么|太)?玻璃心|(?:你|他|她)[^。！？!?\n]{0,12}没脑子"
    # "you're useless", "are you really this dense or just lazy?" (not "lazy loading", not
    # "are you clueless about Docker? here's a guide", not "thick-skinned")
    rf"|\b(?:you(?:'re| are)|ur)\s+(?:(?:really|just|so|such|an?)\s+){{0,3}}(?:{_PUT_DOWN})\b"
    rf"|\bare you\s+(?:(?:really|just|so|this|that|even)\s+){{0,3}}(?:{_PUT_DOWN})\b"
    r"(?=\s*(?:\?|or\b))"
    r"|\bwhat(?:'s| is) wrong with you\b|(?:^|\byou\s+|\bgo\s+)learn to read\b|\brtfm\b"
    r"|\buse your brain\b"
    r"|bootlick|\bshut up\b|\bstfu\b|nobody asked|go cry|get lost",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True)
class MoodCount:
    label: MoodLabel
    positive: int
    negative: int
    insults: int
    total: int


def is_insult(text: str) -> bool:
    """A personal attack on someone (a quarrel), not a question or a complaint about a product."""
    return bool(_INSULT.search(fold_chinese(text or "")))


def mood_of(texts: Iterable[str]) -> MoodCount:
    """Message counts by tone, and the label.

    Neutral unless cue messages reach max(2, 5% of messages); then positive/negative
    when one side has at least twice the other, else mixed. Any insult makes a positive or
    neutral week mixed: a quarrel is what an operator needs to hear about.
    """
    pos = neg = insults = total = 0
    for text in texts:
        total += 1
        folded = fold_chinese(text)
        if _INSULT.search(folded):
            insults += 1
            neg += 1
        elif _NEGATIVE.search(folded):
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
    if insults and label in ("positive", "neutral"):
        label = "mixed"
    return MoodCount(label, pos, neg, insults, total)
