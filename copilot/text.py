"""Shared text utilities for Chinese and English chat text.

Pure functions, deterministic, no network. jieba and OpenCC are initialised lazily
and once per process (jieba's dictionary load costs ~0.6 s and logs by default).
"""

from __future__ import annotations

import logging
import marshal
import os
import re
import sys
import tempfile
import threading
import types
import unicodedata
from functools import lru_cache
from typing import Any, Literal, cast

Language = Literal["zh", "en", "ja", "ko", "other"]

# Compact on purpose: it serves BM25, keyword extraction and question dedup, where
# dropping function words helps, and dropping content words would hurt.
_ZH_STOPWORDS = """\
的 地 得 了 着 过 是 在 我 你 您 他 她 它 我们 你们 他们 她们
咱们 大家 自己 这 那 这个 那个 这些 那些 这里 那里 这样 那样 就 都
也 还 和 与 及 或 或者 而 但 但是 又 吧 吗 呢 啊 呀 哦 嗯 哈
哈哈 哈哈哈 么 嘛 啦 呗 喔 噢 哇 诶 有 没 没有 不 很 太 会 能
要 想 去 来 到 说 对 把 被 给 让 从 向 等 一个 一下 一些 一点
什么 怎么 怎么样 怎样 为什么 如何 可以 就是 还是 然后 所以 因为 如果
已经 请问 请 问下 一起 个 这么 那么 哪 哪里 哪儿 哪些 谁 啥 咋
"""
ZH_STOPWORDS = frozenset(_ZH_STOPWORDS.split())
_EN_STOPWORDS = """\
a an the and or but if of to in on at for with by from as is are was were be been being am
do does did doing have has had i you he she it we they me him her us them my your his its
our their this that these those what which who whom whose when where why how can could
will would should shall may might must not no so than then there here just also too very
about into over up down out please hi hello hey ok okay any anyone some all s t don isn
aren
"""
EN_STOPWORDS = frozenset(_EN_STOPWORDS.split())
STOPWORDS = ZH_STOPWORDS | EN_STOPWORDS

# Community-operations jargon jieba's dictionary splits ("群文件" → 群/文件); kept whole.
COMMUNITY_WORDS = (
    "群公告 群文件 群规 群名片 群主 打卡 接龙 分享会 线下聚会 读书会 社群运营 私域 裂变 拉新 促活"
    " 留存 沉默成员 新人 红包 积分 答疑"
).split()

_WORDLIKE = re.compile(r"[^\W_]")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff]")
_LATIN_WORD = re.compile(r"[A-Za-zÀ-ɏ]+")
URL_RE = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
MENTION_RE = re.compile(r"@[^\s@,，:：。!！?？]+")
# An emoji shortcode as Slack and Discord write it: ":tada:", ":+1::skin-tone-3:", ":tada::tada:";
# not "10:30:45" nor "a:b:c"
EMOJI_SHORTCODE = re.compile(r"(?<!\w):([a-z0-9_+\-]{2,40}):(?::skin-tone-\d:)?(?!\w)")

# Placeholders exporters write for media ("[图片]", "[表情]", "[Sticker]", "[语音 7秒]"), and the
# one the chat parsers store for a media-only post. Such a post counts in activity numbers,
# but it says nothing: never knowledge, never a question or an answer.
MEDIA_WORDS = (
    "图片|表情|表情包|动画表情|自定义表情|GIF表情|语音|视频|文件|音乐分享|闪照|QQ红包|红包|"
    "Photo|Image|Sticker|Video|Voice|Emoji|GIF|File"
)
MEDIA_TOKEN = re.compile(
    rf"!?\[(?P<word>{MEDIA_WORDS})(?:[ :：][^\]\n]{{0,80}})?\](?:\((?:https?|file)://[^)\s]*\))?"
)


def is_media_only(text: str) -> bool:
    """A post that is nothing but media placeholders ('[图片]', '[表情] [表情]', '[Sticker]')."""
    stripped = (text or "").strip()
    return (
        bool(stripped)
        and bool(MEDIA_TOKEN.search(stripped))
        and not MEDIA_TOKEN.sub("", stripped).strip()
    )


def media_placeholder(text: str) -> str:
    """The placeholders of a post's media, without links or durations ('![图片](http://…)'
    → '[图片]'); empty when it has none."""
    words = list(dict.fromkeys(m["word"] for m in MEDIA_TOKEN.finditer(text or "")))
    return " ".join(f"[{w}]" for w in words)


_jieba_lock = threading.Lock()
_jieba_ready = False
_jieba_cache_dir: str | None = None


def keep_jieba_cache_in(folder: str | os.PathLike[str]) -> None:
    """Keep jieba's prefix dictionary (built in 1.3 s, loaded from its cache in 0.4 s) in
    `folder` instead of the temp dir, which a reboot or a new container empties. Takes effect
    if jieba has not loaded its dictionary yet; an unwritable folder only costs a rebuild."""
    global _jieba_cache_dir
    _jieba_cache_dir = os.fspath(folder)


@lru_cache(maxsize=1)
def _t2s() -> Any:
    from opencc import OpenCC

    return OpenCC("t2s")


def ensure_jieba() -> Any:
    """jieba, with its dictionary loaded once and without its 'Building prefix dict' chatter.
    Imported here, not at the top: it costs ~1 s (it imports pkg_resources), which commands
    that never tokenize (keys, profile, --help) should not pay."""
    global _jieba_ready
    jieba = _import_jieba()
    if _jieba_ready:
        return jieba
    with _jieba_lock:
        if not _jieba_ready:
            jieba.setLogLevel(logging.WARNING)
            logging.getLogger("jieba").setLevel(logging.WARNING)
            if _jieba_cache_dir:
                try:
                    os.makedirs(_jieba_cache_dir, exist_ok=True)
                    jieba.dt.tmp_dir = _jieba_cache_dir
                except OSError:
                    pass  # jieba keeps using the temp dir
            if not _load_jieba_cache(jieba.dt):
                jieba.initialize()  # builds the dictionary and writes the cache
            for word in COMMUNITY_WORDS:
                jieba.add_word(word)
            _jieba_ready = True
    return jieba


def _load_jieba_cache(tokenizer: Any) -> bool:
    """Load the default dictionary from jieba's own cache file as jieba would, but in one read:
    ``marshal.load`` on a file object reads it a few bytes at a time (0.5 s, against 0.17 s for
    ``marshal.loads`` of the whole file). False when there is no usable cache."""
    if tokenizer.dictionary is not None or tokenizer.cache_file or tokenizer.initialized:
        return False  # a custom dictionary, or already loaded: jieba's own path
    path = os.path.join(tokenizer.tmp_dir or tempfile.gettempdir(), "jieba.cache")
    try:
        with open(path, "rb") as cache:
            freq, total = marshal.loads(cache.read())  # data only, like jieba's own load
    except (OSError, ValueError, EOFError, TypeError):
        return False
    with tokenizer.lock:
        tokenizer.FREQ, tokenizer.total = freq, total
        tokenizer.initialized = True
    return True


def _import_jieba() -> Any:
    """``import jieba`` without the 0.7 s import of setuptools' ``pkg_resources``: jieba uses it
    only to open its bundled files (``pkg_resources.resource_stream``), and falls back to no
    such helper at all. While jieba imports, a stand-in with that one function (opening the
    file beside the module) is in ``sys.modules``; it is removed again, so any other library
    still imports the real ``pkg_resources``."""
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        import jieba

        return jieba

    def resource_stream(module: str, name: str) -> Any:
        return open(os.path.join(os.path.dirname(sys.modules[module].__file__ or ""), name), "rb")

    stand_in = types.ModuleType("pkg_resources")
    stand_in.resource_stream = resource_stream  # type: ignore[attr-defined]
    sys.modules["pkg_resources"] = stand_in
    try:
        import jieba
    finally:
        if sys.modules.get("pkg_resources") is stand_in:
            del sys.modules["pkg_resources"]
    return jieba


@lru_cache(maxsize=16384)  # the same texts are folded by several detectors in one pass
def to_simplified(text: str) -> str:
    """NFKC (full-width → half-width) then traditional → simplified; case is kept."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    return _t2s().convert(text) if _CJK.search(text) else text


@lru_cache(maxsize=1)
def _s2t() -> Any:
    from opencc import OpenCC

    return OpenCC("s2t")


def is_traditional(text: str) -> bool:
    """Written in traditional characters (some character changes under t2s)?"""
    han = "".join(_CJK.findall(text or ""))
    return bool(han) and _t2s().convert(han) != han


def english_stem(token: str) -> str:
    """An English word without the inflection a heading and a request write differently
    (booking / book, classes / class, stories / story); other tokens as they are."""
    if not token.isascii():
        return token
    for suffix, keep in (("ing", 3), ("ies", 3), ("es", 4), ("ed", 3), ("s", 3)):
        stem = token[: -len(suffix)]
        if token.endswith(suffix) and len(stem) >= keep:
            if suffix == "es" and not stem.endswith(("s", "x", "ch", "sh")):
                continue  # "notes" is note + s
            if suffix == "s" and token.endswith("ss"):
                continue  # "class"
            return stem + ("y" if suffix == "ies" else "")
    return token


def has_han(text: str) -> bool:
    """Whether `text` holds a Chinese character (a token in Chinese script)."""
    return bool(_CJK.search(text))


def in_script_of(reference: str, text: str) -> str:
    """`text` in the Chinese script of `reference`: a simplified-Chinese asker reads a
    traditional source in simplified characters, and the other way round."""
    if not _CJK.search(text or "") or not _CJK.search(reference or ""):
        return text
    return _s2t().convert(text) if is_traditional(reference) else _t2s().convert(text)


@lru_cache(maxsize=1 << 16)  # chat analytics fold the same messages for every question
def fold_chinese(text: str) -> str:
    """Canonical form for matching: NFKC, traditional → simplified, lowercase."""
    return to_simplified(text).lower()


def tokenize(text: str) -> list[str]:
    """jieba search-mode tokens of the folded text, without punctuation and stopwords."""
    folded = fold_chinese(text)
    if not folded.strip():
        return []
    jieba = ensure_jieba()
    # jieba cuts each run of Chinese and alphanumerics on its own, so the runs' tokens are
    # cached: a chunk and its units, a list's repeated lead, an English word seen before are
    # cut once (the same tokens as cutting the whole text).
    out: list[str] = []
    for block in jieba.re_han_default.split(folded):
        if block:
            out.extend(_block_tokens(block))
    return out


# A calendar writes "SAT 13 MAR", a member asks about "the March concert": the abbreviation is
# the month's word. ("may" is the word already; "sun" and "wed" are words of their own.)
_MONTHS = "january february march april june july august september october november december"
_ABBREVIATED = {m[:3]: m for m in _MONTHS.split()} | {"sept": "september"}


@lru_cache(maxsize=1 << 16)
def _block_tokens(block: str) -> tuple[str, ...]:
    # HMM off: new-word guessing invents tokens like "时要" that match nothing and add noise.
    tokens = (tok.strip() for tok in ensure_jieba().cut_for_search(block, HMM=False))
    return tuple(
        _ABBREVIATED.get(t, t) for t in tokens if t and _WORDLIKE.search(t) and t not in STOPWORDS
    )


def cut(text: str) -> list[str]:
    """jieba precise-mode words of `text` as given (no folding, no filtering)."""
    return ensure_jieba().lcut(text)


_SENTENCE_END = "。！？!?；…"
_SPLIT_RE = re.compile(
    rf"(?<=[{_SENTENCE_END}])(?![{_SENTENCE_END}”’\"')）】」])\s*"  # after a CJK/ASCII end mark
    r"|(?<=;)\s*(?=[\u4e00-\u9fff])"  # ";" ends a Chinese clause, but joins English ones
    # An English full stop followed by a space, unless it ends an abbreviation ("(e.g. joining
    # in October …)", "Dr. Lee", "No. 5", "J. K. Rowling").
    r"|(?<!\b[A-Z]\.(?=\s[A-Z]\.))(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\b(?:Mr|Ms|Dr|St|vs)\.)"
    r"(?<!\bMrs\.)(?<=\.)(?<!\bNo\.(?=\s\d))\s+(?=\S)"
)


def split_sentences(text: str) -> list[str]:
    """Split on 。！？!?；; … and newlines (and '. ' for English), keeping end marks."""
    out: list[str] = []
    for line in (text or "").splitlines():
        for part in _SPLIT_RE.split(line):
            part = part.strip()
            if part:
                out.append(part)
    return out


def detect_language(text: str) -> Language:
    """Fast, deterministic language guess.

    CJK script shares decide zh/ja/ko; plain-ASCII text is English; only other
    non-trivial Latin-script text goes to langdetect (seeded, so deterministic).
    """
    text = text or ""
    han = len(_CJK.findall(text))
    kana = len(_KANA.findall(text))
    hangul = len(_HANGUL.findall(text))
    latin_words = _LATIN_WORD.findall(text)
    if kana and kana >= 0.1 * (han + kana):
        return "ja"
    if hangul and hangul >= han:
        return "ko"
    # Mixed text such as "请问 API key 怎么配置" is Chinese: compare Han chars with Latin words.
    if han and han >= 0.5 * len(latin_words):
        return "zh"
    if not latin_words:
        return "zh" if han else "other"
    # Letters all ASCII is as English as plain ASCII: an em dash, an emoji or "£5" do not make
    # "Lantern Ride — Saturday 12 December" another language.
    if len(latin_words) < 4 or all(ch.isascii() for ch in text if ch.isalpha()):
        return "en"
    return _langdetect(text)


_langdetect_lock = threading.Lock()


@lru_cache(maxsize=2048)
def _langdetect(text: str) -> Language:
    try:
        from langdetect import DetectorFactory, detect
        from langdetect.lang_detect_exception import LangDetectException

        DetectorFactory.seed = 0  # langdetect is randomised unless seeded
        # Its first call publishes the detector factory before loading the language profiles:
        # a second thread then detected with half of them ("other" for plain English).
        with _langdetect_lock:
            code = detect(text)
    except (ImportError, LangDetectException):  # pragma: no cover - defensive
        return "en"
    if code.startswith("zh"):
        return "zh"
    if code in ("en", "ja", "ko"):
        return cast(Language, code)
    return "other"


_ZH_QUESTION_WORDS = re.compile(
    r"怎么|怎样|如何|为什么|为啥|咋|(?<!没)什么|哪(?:里|儿|个|些|位|天|种|家|年)?"
    r"|(?<![好有这那前过头十把])几(?:点|号|天|个|次|位|时|月|年|岁|周|分钟|小时|人|块|元|钱)|多少|多久|多长|是否"
    r"|能不能|可不可以|会不会|是不是|有没有|要不要|行不行|对不对|好不好|请问|请教|求助|谁知道|有人知道"
)
# "有什么问题都可以问" / "什么都行" / "看什么都糊" use question words indefinitely, as "这几天"
# / "十几个人" / "我把几个挪了" use 几 (the lookbehind in _ZH_QUESTION_WORDS), as "我们几个" /
# "最后几天" do, and "再看位置怎么移动" / "我知道怎么走" tell how.
_ZH_INDEFINITE = re.compile(
    r"(?:有)?(?:什么|谁|哪里?)[^?。！!，,]{0,10}?[都也](?:可以|行|能|好|不|没)|(?:什么|谁|哪里|哪儿|哪)都"
    # "大家填一下想买什么", "跟我说下要几份": a request to tell, asking nobody in the chat
    r"|(?:填|写|报|说|讲|告诉我)(?:一下|下)[^?。！!，,]{0,6}?(?:什么|哪些|哪个|多少|几)"
    # "只收城市、行业、是否冻结招聘五项": one item of a list, what a form asks, not the chat
    r"|、是否"
    # "再看位置怎么移动", "我知道怎么走": how something goes, as a clause of a statement
    r"|(?:再看|我知道|我晓得|都知道)[^?。！!，,]{0,6}?(?:怎么|如何|哪)"
    # "我们几个考教编的", "最后几天了": a few of us, the last few days
    r"|(?:我|你|他|她|咱)们几个(?!人)|最(?:后|近)几(?:天|周|个|年|次)"
    # "看店里有没有自己的版型", "不管是不是原创": whether, as a clause of advice
    r"|(?:看|查|问|确认|不管|无论)(?:看|查|问|一下|下)?[^?。！!，,]{0,8}?(?:有没有|是不是|能不能)"
    # "多上几次力量瑜伽打基础": a few more times, advice
    r"|多[\u4e00-\u9fff]{1,2}?几(?:次|个|遍|天|回|趟|节)"
    # "中午吃什么好纠结", "这算什么提前来": musing and complaint, no one is asked
    r"|(?:什么|哪|怎么)[^?。！!，,\s]{0,6}?(?:好|真|很|太)?(?:纠结|发愁|头疼|头大)"
    r"|这算什么[^?。！!，,]{0,8}[，,!！]"
)
# "will do", "can do", "should work": an auxiliary with no subject answers, it does not ask.
_EN_NOT_ASKING = re.compile(
    r"^(?:can|could|will|would|should|shall|may|is|are|was|were|does|did)\s+"
    r"(?:do|be|go|try|check|fix|work|help|see|look|have|say|tell|wait|confirm)\b"
)
_EN_THEN_HAN = re.compile(r"^[a-z]+\s*[\u4e00-\u9fff]")
# "When: Thursday 29 Oct", "Who: Kofi cuts the release", "What goes in: only #2291": labels
_EN_LABEL = re.compile(r"^[a-z]+(?:\s+[a-z]+){0,2}\s*:\s*\S")
# "…吗", "…呢", and "到了没" / "吃过没有" ending the message
_ZH_QUESTION_END = re.compile(r"(?:[吗呢么]|[了过]没有?)\s*[~～。.…!！]*$")
# "甜不甜", "去不去", "来不来啊": a verb or adjective, 不, the same again asks (A-not-A)
_ZH_A_NOT_A = re.compile(r"([\u4e00-\u9fff])不\1")
_EN_QUESTION_START = re.compile(
    r"^(?:what|how|when|where|why|who|whom|whose|which|can|could|does|did|do you|do we|do i"
    r"|is|are|was|were|will|would|should|shall|may|have you|has anyone|anyone|any idea)\b"
)


@lru_cache(maxsize=16384)  # summaries and FAQ mining ask about the same texts
def is_question(text: str) -> bool:
    """Heuristic: does this chat message ask something? (zh + en)."""
    folded = fold_chinese(MENTION_RE.sub(" ", URL_RE.sub(" ", text or ""))).strip()
    if len(_WORDLIKE.findall(folded)) < 2:
        return False
    if "?" in folded:  # NFKC folds the full-width ？ to ?
        return True
    asking = _ZH_INDEFINITE.sub("", folded)  # "…大家填一下想买什么" ends in 么, asks no one
    if _ZH_QUESTION_END.search(asking) or _ZH_QUESTION_WORDS.search(asking):
        return True
    if _ZH_A_NOT_A.search(folded):
        return True
    # "When the host comes back they can take it back." starts like a question but ends as a
    # statement: a question without "?" has no full stop either (nor a Chinese one: "May 负责
    # 订食物。" names May, it does not ask whether one may). An English question goes on in
    # English: a start word followed by Chinese is a name or a loan word.
    return any(
        _EN_QUESTION_START.match(s.strip())
        and not _EN_THEN_HAN.match(s.strip())
        and not s.rstrip().endswith((".", "!", "。"))
        and not _EN_NOT_ASKING.match(s.strip())
        and not _EN_LABEL.match(s.strip())
        for s in split_sentences(folded)
    )


_INJECTION_RE = re.compile(
    r"(?:忽略|无视|忘记|忘掉|不要理会|跳过)(?:掉)?(?:你)?(?:之前|以上|前面|上面|先前|此前|所有|全部|一切)"
    r".{0,6}(?:指令|指示|规则|提示|设定|要求|命令)"
    r"|你现在是|你现在扮演|从现在开始你是|扮演(?:一个|一名)?.{0,10}(?:角色|助手|ai)|系统提示词?|开发者模式|越狱"
    r"|ignore (?:all |any )?(?:the )?(?:previous|prior|above|earlier|preceding) "
    r"(?:instructions|prompts?|rules|messages)"
    r"|disregard (?:all |any )?(?:the )?(?:previous|prior|above|earlier) "
    r"|forget (?:all |everything )?(?:your |the )?(?:previous |prior )?instructions"
    r"|system prompt|developer mode|jailbreak|\bact as (?:a|an|the|my)\b|pretend (?:to be|you are)"
    r"|you are now (?:a|an|the|my|in)\b|new instructions:",
    re.IGNORECASE,
)


@lru_cache(maxsize=16384)  # summaries and FAQ mining ask about the same texts
def looks_like_injection(text: str) -> bool:
    """True for messages that try to give the assistant instructions (prompt injection)."""
    return bool(_INJECTION_RE.search(fold_chinese(text or "")))


def content_words(text: str) -> str:
    """Text with URLs and @mentions removed (for keyword extraction)."""
    return MENTION_RE.sub(" ", URL_RE.sub(" ", text or ""))


def text_width(text: str) -> float:
    """How much a text says, Chinese-character units: a Latin letter or digit counts half (an
    English sentence takes about twice the characters of its Chinese translation)."""
    return sum(_char_width(char) for char in text)


def width_index(text: str, limit: float) -> int:
    """Where `text` grows wider than `limit`: the index of the first character past it, or
    `len(text)` when the whole text fits."""
    width = 0.0
    for i, char in enumerate(text):
        width += _char_width(char)
        if width > limit:
            return i
    return len(text)


def _char_width(char: str) -> float:
    return 0.5 if char.isascii() else 1.0
