"""Documents → chunks: one section per heading, packed to a token budget, with answer units.

The outline (copilot.knowledge.structure) gives the sections; each section's paragraphs, list
items, Q/A pairs and table rows are packed into chunks of at most `max_tokens`, never cutting a
sentence unless a sentence alone is over the budget. A heading with several sub-headings also
gets an overview chunk that lists them ("高价值社群的特征: 1. 垂直细分 2. …"), which is what a
"what are the …" question wants.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from itertools import pairwise

from copilot.knowledge.pieces import Piece, unique
from copilot.knowledge.structure import Block, is_name_like, read_outline
from copilot.retrieval.units import Unit, plain, sentence_units
from copilot.text import is_question, split_sentences
from copilot.tokens import count_tokens, split_tokens, truncate_tokens

OVERVIEW_GLOSS_CHARS = 50  # a sub-section's first sentence joins its title when this short
QA_ANSWER_CHARS = 400
HEADING_TOKENS = 64  # a heading path is repeated in every chunk of its section: keep it short
_WIDE_END = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]$")


@dataclass
class _Section:
    title: str
    level: int
    parent: _Section | None = None
    blocks: list[Block] = field(default_factory=list)
    children: list[_Section] = field(default_factory=list)

    def path(self) -> str:
        names: list[str] = []
        node: _Section | None = self
        while node is not None:
            if node.title and (not names or names[-1] != node.title):
                names.append(node.title)
            node = node.parent
        return " > ".join(reversed(names))

    def walk(self) -> list[_Section]:
        return [self, *(s for child in self.children for s in child.walk())]


def split_document(text: str, *, max_tokens: int, title: str = "") -> list[Piece]:
    """Chunks of a Markdown or plain-text document, each under its heading path."""
    outline = read_outline(text, title)
    first = next((b for b in outline.blocks if b.kind == "heading"), None)
    root_title = outline.title
    if first is not None and first.text == root_title:
        root_title = ""  # the document's own first heading carries its title
    root = _Section(root_title, 0)
    current = root
    for block in outline.blocks:
        if block.kind != "heading":
            current.blocks.append(block)
            continue
        parent = current
        while parent.parent is not None and parent.level >= block.level:
            parent = parent.parent
        current = _Section(block.text, block.level, parent=parent)
        parent.children.append(current)
    pieces: list[Piece] = []
    contents = _table_of_contents([s.title for s in root.walk()[1:]])
    for section in root.walk():
        path = section.path()
        if section.blocks:
            packed = _pack(path, section.blocks, max_tokens)
            if is_question(section.title):  # an FAQ written as '## 会费多少？' + its answer
                packed[0] = _with_answer_unit(packed[0], section)
            pieces.extend(packed)
        if len(section.children) >= 2 and not any(is_question(c.title) for c in section.children):
            pieces.append(_overview(path, section))
    return unique([_marking_contents(p, contents) for p in pieces])


TOC_TITLES = 2  # a sentence naming this many of its document's section titles lists them


def _table_of_contents(titles: list[str]) -> re.Pattern[str] | None:
    """What finds the document's section titles in a sentence ("It covers the practical things:
    when and where, what to bring, …" names the handbook's sections). Such a sentence matches
    every question about any of them and answers none: the sections do."""
    names = {plain(t).casefold() for t in titles if len(plain(t)) >= 2}
    if len(names) < TOC_TITLES:
        return None
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![a-z0-9])(?:{alternatives})(?![a-z0-9])")


_LIST_GAP = re.compile(r"^(?:\s|[、,，;；]|\band\b|\bor\b|以及|和|及|与|與)*$")


def _lists_titles(unit: Unit, contents: re.Pattern[str]) -> bool:
    """Section titles one after another, joined by list separators ("when and where, what to
    bring, …", "同好、结构、输出"); not prose that runs a heading into its first line
    ("社群运营的重要性:如何构建…")."""
    if unit.kind != "sentence":
        return False
    text = unit.text.casefold()
    found = list(contents.finditer(text))
    listed = {
        name
        for a, b in pairwise(found)
        if _LIST_GAP.match(text[a.end() : b.start()])
        for name in (a.group(), b.group())
    }
    return len(listed) >= TOC_TITLES


def _marking_contents(piece: Piece, contents: re.Pattern[str] | None) -> Piece:
    """The piece with its sentences that list the document's sections marked `contents`: they
    answer "what are the five elements" ("分别是同好、结构、输出、运营、复制"), not a
    question about one of them."""
    if contents is None:
        return piece
    units = tuple(
        replace(u, contents=True) if _lists_titles(u, contents) else u for u in piece.units
    )
    return piece if units == piece.units else replace(piece, units=units)


def _with_answer_unit(piece: Piece, section: _Section) -> Piece:
    """A question heading and the paragraphs under it read as one Q/A pair."""
    answer = " ".join(b.text for b in section.blocks if b.kind in ("para", "item"))
    if not answer:
        return piece
    unit = Unit("qa", plain(answer)[:QA_ANSWER_CHARS], key=plain(section.title))
    return Piece(piece.heading, piece.text, piece.meta, (unit, *piece.units))


def _overview(path: str, section: _Section) -> Piece:
    """The sub-headings of a section as one list: the answer to "what are the …", and only to
    a list question (`contents`: "Tower etiquette" answers nothing about tower etiquette)."""
    lines: list[str] = []
    units: list[Unit] = []
    lead = section.title or path
    for n, child in enumerate(section.children, 1):
        gloss = _gloss(child)
        item = child.title
        if gloss and len(gloss) <= OVERVIEW_GLOSS_CHARS:
            item = f"{child.title}：{gloss}"
        lines.append(f"{n}. {item}")
        units.append(Unit("item", item, group=0, lead=lead, contents=True))
    heading = _short_path(path)
    return Piece(heading, "\n".join(lines), {"overview": True}, tuple(units))


def _gloss(section: _Section) -> str:
    """What a sub-section says first: the names its list opens with ("四种题型：图形推理、定义
    判断、类比推理、逻辑判断"), else its first paragraph's opening sentence."""
    first = next((b for b in section.blocks if b.kind in ("para", "item")), None)
    if first is not None and first.kind == "item":
        items = [
            plain(b.text) for b in section.blocks if b.kind == "item" and b.group == first.group
        ]
        if all(is_name_like(item) for item in items):  # not "时间：…。", "地点：…。"
            return ("、" if _WIDE_END.search(items[0]) else ", ").join(items)
    para = next((b.text for b in section.blocks if b.kind == "para"), "")
    return split_sentences(para)[0] if para else ""


def _rendered(block: Block, previous: Block | None) -> tuple[str, list[Unit]]:
    """The block as chunk text, and its answer units."""
    if block.kind == "item":
        unit = Unit("item", plain(block.text), group=block.group, lead=plain(block.lead))
        return block.line, [unit]
    if block.kind == "qa":
        unit = Unit("qa", plain(block.text), key=plain(block.key))
        return f"Q: {block.key}\nA: {block.text}", [unit]
    if block.kind == "row":
        header = "" if previous and previous.group == block.group else block.key + "\n"
        unit = Unit("row", plain(block.text), key=plain(block.key), group=block.group)
        return header + block.line, [unit]
    return block.line or block.text, sentence_units(block.text)


def _short_path(path: str) -> str:
    """The heading path within HEADING_TOKENS, its own section's name kept: a long title or
    byline above "会员杯测会" is what gets cut, never the name of the section itself."""
    if count_tokens(path) <= HEADING_TOKENS:
        return path
    *above, leaf = path.split(" > ")
    leaf = truncate_tokens(leaf, HEADING_TOKENS // 2)
    budget = HEADING_TOKENS - count_tokens(leaf) - count_tokens(" > ")
    head = truncate_tokens(" > ".join(above), budget) if above and budget > 0 else ""
    return f"{head} > {leaf}" if head else leaf


def _pack(path: str, blocks: list[Block], max_tokens: int) -> list[Piece]:
    """Greedy packing of blocks; a block over the budget is cut at sentences, then tokens."""
    path = _short_path(path)
    parts: list[tuple[str, list[Unit], bool]] = []  # text, units, continues the previous part
    previous: Block | None = None
    for block in blocks:
        text, units = _rendered(block, previous)
        previous = block
        if count_tokens(text) <= max_tokens:
            parts.append((text, units, False))
            continue
        first = True  # only paragraphs and long answers get here: cut, but keep reading order
        for unit in units:
            for piece in split_tokens(unit.text, max_tokens):
                parts.append((piece, [replace(unit, text=piece)], not first))
                first = False
    pieces: list[Piece] = []
    text_acc = ""
    units_acc: list[Unit] = []
    size = 0
    for text, units, continues in parts:
        n = count_tokens(text) + 1
        if text_acc and size + n > max_tokens:
            pieces.append(Piece(path, text_acc, {}, tuple(units_acc)))
            text_acc, units_acc, size = "", [], 0
        if text_acc:
            text_acc += _joiner(text_acc) if continues else "\n"
        text_acc += text
        units_acc.extend(units)
        size += n
    if text_acc:
        pieces.append(Piece(path, text_acc, {}, tuple(units_acc)))
    return pieces


def _joiner(before: str) -> str:
    """Sentences of one paragraph: Chinese ones join without a space, others with one."""
    return "" if _WIDE_END.search(before) else " "
