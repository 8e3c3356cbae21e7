"""Topic keywords of chat text: jieba TF-IDF, minus chat filler, names and time words."""

from __future__ import annotations

import re
import statistics
from collections.abc import Collection, Sequence

from copilot.text import EMOJI_SHORTCODE, STOPWORDS, content_words, ensure_jieba, fold_chinese

# Words that are frequent in any group chat and never a topic (with what "I'll" and "we've"
# leave when the apostrophe splits them).
_FILLER_WORDS = """\
大家 好的 好吧 谢谢 感谢 多谢 收到 哈哈 哈哈哈 嘿嘿 今天 明天 后天 昨天
现在 时候 问题 知道 觉得 应该 需要 还有 这边 那边 群里 群主 老师 同学 朋友
东西 事情 可能 比较 真的 其实 而且 不过 一定 没事 好像 直接 大概 确定 决定
负责 记得 定了 一下 不用 没问题 欢迎 新人 你好 大家好 辛苦 明白 懂了 解决
谢谢你 对吧 是的 嗯嗯 好嘞 那段 这段 群文件 群公告 群名片 发群 放群 文件 公告 有人 有没有
小时 一天 两天 三天 这次 上次 下次 第一次 继续 晚安 早安 早上好 晚上好 容易 建议 程序 小程序
ok thanks thank yes yeah yep
sure great good nice will get got know think
like one let see lol welcome morning night again first next last week time day still
back new really also want mode
after before during until while since because though would could every much many more most
other another same such only each both none nothing something anything everything someone
everyone thing things lot bit way works make need use try going done actually maybe probably
pretty quite sorry hope happy
ll ve re didn doesn wasn weren won wouldn shouldn couldn haven hasn hadn
"""
_FILLER = frozenset(_FILLER_WORDS.split())
# A day, a month, a clock time or a count: said of anything, so never what a message is about
_TIME_WORD = re.compile(
    r"^(?:(?:这|下下?|本|上|每)?(?:周|星期|礼拜)[一二三四五六日天末]?|每天|每月|上午|下午|晚上|早上|中午|傍晚|凌晨|今晚|明早|明晚"
    r"|[今明昨后前]天"
    r"|\d+(?:\.\d+)?(?:点|号|日|月|年|分钟?|小时|天|周|am|pm|h|min|km|公里|页|元|块|人|个|次|票|岁)?|[一二三四五六七八九十]+(?:点|号|月)"
    r"|january|february|march|april|may|june|july|august|september|october|november|december"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tomorrow|tonight|am|pm)$"
)


def is_time_word(word: str) -> bool:
    """ "一月", "周六", "tomorrow", "3点": a word of when, shared by messages about anything."""
    return bool(_TIME_WORD.match(word))


_ASCII_WORD = re.compile(r"^[a-z0-9][a-z0-9.+#\-]*$")
_MEDIA_TAG = re.compile(r"\[[^\[\]\s]{1,8}\]")  # [图片] [表情] [小程序]: placeholders, not words
_WORDLIKE = re.compile(r"[^\W\d_]")
# A word whose messages are mostly this short (letters, digits left out) is what routine posts
# say — check-ins ("打卡 ✅ 第32天", "Day 45", "签到+滇红"), greetings — not a discussion topic.
ROUTINE_CHARS = 6
ROUTINE_MIN_MESSAGES = 3


def contains_keyword(folded_text: str, word: str) -> bool:
    """Does folded text mention the keyword? (English words match whole words only.)"""
    if _ASCII_WORD.match(word):
        return re.search(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", folded_text) is not None
    return word in folded_text


def _is_name_like(word: str, names: Collection[str]) -> bool:
    return any(word in n or (len(n) >= 2 and n in word) for n in names)


def top_keywords(
    texts: Sequence[str],
    *,
    k: int = 10,
    exclude: Collection[str] = (),
    min_count: int | None = None,
) -> list[tuple[str, int]]:
    """Top-k topic keywords with the number of texts mentioning each.

    jieba's TF-IDF proposes candidates over the whole corpus (so rare-but-central
    words rank above chatter); we then drop filler, time expressions and member
    names, and order by how many messages mention the word (ties: TF-IDF order).
    A topic is something several messages talk about: from 10 texts on, a keyword
    needs at least 2 mentions (`min_count`), which also drops jieba mis-cuts. Words of
    routine posts (see ROUTINE_CHARS) and media placeholders are never topics.
    """
    if k <= 0 or not texts:
        return []
    cleaned = [
        fold_chinese(content_words(EMOJI_SHORTCODE.sub(" ", _MEDIA_TAG.sub(" ", t)))) for t in texts
    ]
    corpus = "\n".join(c for c in cleaned if c.strip())
    if not corpus:
        return []
    ensure_jieba()
    import jieba.analyse

    names = {fold_chinese(n) for n in exclude if n}
    need = min_count if min_count is not None else (2 if len(texts) >= 10 else 1)
    ranked: list[tuple[str, int, int]] = []
    for rank, word in enumerate(jieba.analyse.extract_tags(corpus, topK=k * 4)):
        word = word.strip()
        if (
            len(word) < 2
            or word in STOPWORDS
            or word in _FILLER
            or is_time_word(word)
            or _is_name_like(word, names)
        ):
            continue
        hits = [c for c in cleaned if contains_keyword(c, word)]
        count = len(hits)
        lengths = [len(_WORDLIKE.findall(c)) for c in hits]
        if count >= ROUTINE_MIN_MESSAGES and statistics.median(lengths) <= ROUTINE_CHARS:
            continue  # a check-in word
        if count >= need:
            ranked.append((word, count, rank))
    ranked.sort(key=lambda item: (-item[1], item[2]))
    return [(word, count) for word, count, _ in ranked[:k]]
