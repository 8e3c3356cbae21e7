"""Answer units: the pieces of a chunk an extractive answer is made of.

A chunk is what retrieval finds; a unit is what an answer quotes — a sentence, a list item, the
answer of a Q/A pair, a table row with its header, a reply in a chat exchange. Units are cut
and embedded once at ingest and stored with their chunk, so answering a question costs one
question embedding plus arithmetic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from copilot.text import split_sentences, text_width, width_index

UnitKind = Literal["sentence", "item", "qa", "row", "reply", "message"]
# A sentence wider than this (a paragraph without punctuation) is cut at commas or spaces;
# width in Chinese characters, a Latin letter counting half (`text_width`).
MAX_UNIT_CHARS = 160
_SOFT_BREAK = re.compile(r"(?<=[，,、])|\s+")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class Unit:
    kind: UnitKind
    text: str  # what an answer shows
    key: str = ""  # what is matched against a question when it is not `text` (a Q/A's question)
    group: int = -1  # items of one list, rows of one table
    lead: str = ""  # what introduces the list: its heading or the sentence before it
    author: str = ""  # chat units: who wrote it
    contents: bool = False  # names its document's sections (a contents list): answers only lists

    @property
    def match_text(self) -> str:
        """The text a question is compared with: a Q/A pair's question, a row with its header,
        an item or a line of a chat announcement with what introduces it."""
        if self.kind == "qa":
            return self.key
        if self.kind == "row":
            return f"{self.key}\n{self.text}"
        if self.lead and self.kind in ("item", "message") and self.lead != self.text:
            return f"{self.lead} {self.text}"
        return self.text

    def to_json(self) -> dict[str, Any]:
        # Fields read directly: dataclasses.asdict deep-copies, a cost at every ingested unit.
        values = ((name, getattr(self, name)) for name in self.__dataclass_fields__)
        return {k: v for k, v in values if v is not False and v not in ("", -1)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Unit:
        return cls(**data)


_POINTS_AHEAD = re.compile(
    r"下面|以下|如下|下列|\bas follows\b|\bthe following\b|\bbelow\b", re.IGNORECASE
)


def announces_list(text: str) -> bool:
    """A sentence that introduces what follows ("特点如下：", "按顺序做完下面7步。"), not one
    that holds its list inline ("建立以下四感：仪式感、参与感……")."""
    text = text.strip()
    if text.endswith(("：", ":")):
        return True
    return bool(_POINTS_AHEAD.search(text)) and not re.search(r"[：:]", text)


# What introduces an inline list: "分别是", "包括", a colon, "are" / "include".
_INLINE_LEAD = re.compile(
    r"(?:[：:]|(?:分别|依次)?(?:是|为|為|有|包括|包含)|\b(?:are|include|includes)\b)\s*",
    re.IGNORECASE,
)
_ZH_LAST = re.compile(r"(?:以及|和|及|与|與)")  # "…、运营和复制" joins the last item
_INLINE_ZH_ITEM_CHARS = 16
_INLINE_EN_ITEM_WORDS = 6


def inline_items(text: str) -> int:
    """How many items a sentence lists inline ("分别是同好、结构、输出、运营和复制。" → 5,
    "The steps are warn, mute, ban and report." → 4); 0 when it lists none. Ordinary prose has
    commas too, so only short items count, joined by 、 in Chinese."""
    text = text.strip().rstrip("。.!！;；")
    zh = "、" in text
    first = text.find("、" if zh else ",")
    if first < 0:
        return 0
    # The list starts after the last lead-in before its first separator ("有、无" has none).
    leads = list(_INLINE_LEAD.finditer(text, 0, first))
    body = text[leads[-1].end() :] if leads else text
    if zh:
        items = [i.strip() for i in body.split("、")]
        items[-1:] = [i for i in _ZH_LAST.split(items[-1], maxsplit=1) if i.strip()]
        short = all(0 < len(i) <= _INLINE_ZH_ITEM_CHARS for i in items)
    else:
        items = [i.strip() for i in re.split(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", body)]
        short = all(0 < len(i.split()) <= _INLINE_EN_ITEM_WORDS for i in items)
    return len(items) if short and len(items) >= 2 else 0


_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])|`")


def plain(text: str) -> str:
    """Markdown emphasis, code ticks and links removed: what a chat message can show."""
    return _EMPHASIS.sub("", _LINK.sub(r"\1", text)).strip()


def sentence_units(text: str) -> list[Unit]:
    """The sentences of a paragraph, long unpunctuated runs cut into readable pieces."""
    return [Unit("sentence", part) for s in split_sentences(plain(text)) for part in bounded(s)]


def bounded(sentence: str, limit: int = MAX_UNIT_CHARS) -> list[str]:
    """`sentence` in pieces of at most about `limit` wide, cut at commas or spaces."""
    if text_width(sentence) <= limit:
        return [sentence]
    parts: list[str] = []
    current = ""
    for piece in _SOFT_BREAK.split(sentence):
        if not piece:
            continue
        # Chinese joins without a space, also after an ASCII comma; "Theatre, 505" keeps it.
        wide = current.endswith(("，", "、")) or (current.endswith(",") and _HAN.match(piece))
        joiner = "" if wide or not current else " "
        if current and text_width(current) + text_width(piece) > limit:
            parts.append(current.strip())
            current = ""
            joiner = ""
        current += joiner + piece
        # no break at all: cut hard, by width as above (one pass over the text)
        while (at := max(width_index(current, limit), 1)) < len(current):
            parts.append(current[:at])
            current = current[at:]
    if current.strip():
        parts.append(current.strip())
    return parts
