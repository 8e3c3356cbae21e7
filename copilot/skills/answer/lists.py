"""List answers: "what are the five …" answered with the whole list, as the source structures it.

A long list is packed into several chunks, and the sentence that introduces a list ("按顺序做完
下面7步。", "特点如下：") is often the unit closest to the question while the items score a little
lower. So the answer gathers every item of a list (same document, section, lead) from the
retrieved chunks and the chunks after them, and among the lists that score near the best unit
prefers, in order: the one with as many items as the question (or the introducing sentence)
names, one whose lead shares the question's words, the best scored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from copilot.knowledge.structure import joined_cells, row_cells
from copilot.retrieval.evidence import ScoredUnit, bigrams
from copilot.retrieval.question import QuestionProfile, named_count
from copilot.retrieval.results import Retrieval, RetrievedChunk
from copilot.retrieval.units import Unit, announces_list
from copilot.text import detect_language, english_stem, fold_chinese, has_han, tokenize

LIST_SLACK = 1.5  # a list competes when its best item scores within this of the best unit
LIST_TIE = 0.5  # a list question's item this close to a best sentence is as good an answer
LIST_MAX_CHARS = {"zh": 640, "en": 1000}
LIST_ITEM_CHARS = 80
MIN_NAMED_LEAD = 2  # shorter titles occur in sentences by chance
FOLLOWING_SPAN = 2  # an introduced list starts at most this many chunks after its sentence

ListKey = tuple[str, str, str, int]  # source, section heading, lead, group


@dataclass
class _List:
    key: ListKey
    items: dict[str, tuple[int, int]] = field(default_factory=dict)  # text -> (position, index)
    overview: bool = False  # a section's sub-headings, not a list the source wrote
    score: float | None = None  # its best scored item
    cite: int | None = None  # a retrieved chunk that holds one of its items

    @property
    def lead(self) -> str:
        return self.key[2]

    def ordered(self) -> list[str]:
        return sorted(self.items, key=lambda text: self.items[text])


def list_answer(
    retrieval: Retrieval, question: QuestionProfile, best: ScoredUnit
) -> tuple[str, int] | None:
    """The list that answers the question, rendered under its lead, and the chunk to cite."""
    assert retrieval.evidence is not None
    chunk = retrieval.chunks[best.chunk]
    unit = chunk.units[best.unit]
    if chunk.kind == "chat":
        return None
    lists = _lists(retrieval)
    # "特点如下：" introduces the list after it; so does an item ending with a colon
    # ("5、值班内容：") the sub-list under it.
    introduces = announces_list(unit.text) and (
        unit.kind == "sentence" or (unit.kind == "item" and unit.text.endswith(("：", ":")))
    )
    # A sentence names a list by its title ("整理成“五个必须”"); so does an overview's item,
    # which is a sub-heading with the list under it. That item never answers by itself (it is
    # only a title), so its section's list does, whatever the question's wording.
    heading_item = bool(chunk.meta.get("overview")) and unit.kind == "item"
    names = heading_item or (question.wants_list and unit.kind == "sentence")
    named = _named(lists, chunk, unit) if names else []
    # A sentence that neither introduces nor names a list stays the answer: a list merely
    # scoring near it answers another question more often than this one; unless the question
    # asks for a list and an item of the sentence's own passage scores about as well (a tie,
    # not a runner-up from another page).
    tied_item = question.wants_list and any(
        s.score >= best.score - LIST_TIE
        and s.chunk == best.chunk
        and chunk.units[s.unit].kind == "item"
        for s in retrieval.evidence.units[1:]
    )
    if not (introduces or named or tied_item or (unit.kind == "item" and question.wants_list)):
        return None
    for scored in retrieval.evidence.units:
        item = retrieval.chunks[scored.chunk].units[scored.unit]
        found = lists.get(_key(retrieval.chunks[scored.chunk], item))
        if found is not None and item.kind == "item" and found.score is None:
            found.score, found.cite = scored.score, scored.chunk
    introduced = _introduced(lists, chunk, unit, best) if introduces else None
    for pointed in (*named, *([introduced] if introduced else [])):
        pointed.score = max(pointed.score or best.score, best.score)
        pointed.cite = best.chunk if pointed.cite is None else pointed.cite
    floor = best.score - LIST_SLACK
    candidates = [
        c for c in lists.values() if c.score is not None and c.score >= floor and len(c.items) >= 2
    ]
    if not candidates:
        return None
    wanted = question.count or (named_count(unit.text) if introduces else None)
    grams = bigrams(question.text)

    def preference(c: _List) -> tuple[bool, bool, bool, float]:
        # An overview only repeats sub-headings: the list a sub-heading holds says more.
        return (
            len(c.items) == wanted,
            bool(grams & bigrams(c.lead)),
            not c.overview,
            c.score or 0.0,
        )

    chosen = max(candidates, key=preference)
    lead = unit.text if chosen is introduced else chosen.lead
    assert chosen.cite is not None
    sublists = {c.lead: c.ordered() for c in lists.values() if c.key[:2] == chosen.key[:2]}
    return _render(lead, chosen.ordered(), sublists), chosen.cite


# What a first column's header adds to the thing it names: 卡种 → 卡, "Plan type" → plan.
_KIND_OF = re.compile(
    r"(?:种类|類型|类型|类别|類別|名称|名稱|种|種|类|類|名|\s+(?:types?|kinds?|names?))$", re.I
)


def table_list(
    retrieval: Retrieval, question: QuestionProfile, best: ScoredUnit
) -> tuple[str, int] | None:
    """A list question read off a table a row of which scores near the best unit:
    "你们有哪几种卡？" names its first column (卡种), so the answer is every row's first cell,
    with its price when the next column has one; "周三晚上有什么课？" names a cell (周三), so the
    answer is every row holding it."""
    assert retrieval.evidence is not None
    if not question.wants_list or question.extreme:  # "最便宜的那种卡…" is one row
        return None
    tried: set[tuple[str, str, int]] = set()
    for scored in retrieval.evidence.units:
        if scored.score < best.score - LIST_SLACK:
            break
        chunk = retrieval.chunks[scored.chunk]
        unit = chunk.units[scored.unit]
        table = (chunk.source, unit.key, unit.group)
        if unit.kind != "row" or table in tried:
            continue
        tried.add(table)
        header = unit.key.split(" | ")
        rows = [row_cells(text) for text in _table(retrieval, chunk, unit)]
        names = [cells.get(header[0], "") for cells in rows]
        if len(rows) < 2 or _names_one_row(question.text, names):
            continue
        # a names column holds one name per row; "星期" repeats 周二 on every Tuesday row
        distinct = len(set(names)) == len(names)
        if distinct and _names_column(question.text, header[0]):
            if _names_a_figure(question.text, rows):
                continue
            items = [_named_row(cells, header) for cells in rows]
            return _render(header[0], [i for i in items if i]), scored.chunk
        for column, value in row_cells(unit.text).items():
            holding = [cells for cells in rows if cells.get(column) == value]
            if _says(question.text, value) and 2 <= len(holding) < len(rows):
                items = [joined_cells((h, v) for h, v in c.items() if h != column) for c in holding]
                return _render(value, items), scored.chunk
    return None


def _table(retrieval: Retrieval, chunk: RetrievedChunk, unit: Unit) -> list[str]:
    """The rows of `unit`'s table in the retrieved chunks and their neighbours, in order."""
    rows: dict[str, tuple[int, int]] = {}
    for other in (*retrieval.chunks, *retrieval.neighbours):
        if other.source != chunk.source:
            continue
        for index, row in enumerate(other.units):
            if row.kind == "row" and row.key == unit.key and row.group == unit.group:
                rows.setdefault(row.text, (other.position, index))
    return sorted(rows, key=rows.__getitem__)


def _names_column(question: str, header: str) -> bool:
    core = _KIND_OF.sub("", header.strip()).strip()
    if not core:
        return False
    if has_han(core):
        return fold_chinese(core) in fold_chinese(question)
    wanted = {english_stem(t) for t in tokenize(core)}
    return bool(wanted) and wanted <= {english_stem(t) for t in tokenize(question)}


def _says(question: str, value: str) -> bool:
    """The question writes the cell's value: 周三 in "周三晚上有什么课"; "Mon" as a word, not
    inside "month"."""
    if len(value) < 2:
        return False
    if has_han(value):
        return fold_chinese(value) in fold_chinese(question)
    return bool(re.search(rf"(?<!\w){re.escape(value)}(?!\w)", question, re.IGNORECASE))


def _names_one_row(question: str, names: list[str]) -> bool:
    """ "10次卡有哪些好处？" is about the one row whose name (first cell) it writes."""
    return any(_says(question, n) and names.count(n) == 1 for n in names)


def _names_a_figure(question: str, rows: list[dict[str, str]]) -> bool:
    """ "599的那张卡有哪些好处？" is about the row holding the figure it names."""
    figures = set(_FIGURE.findall(question))
    return any(figures & set(_FIGURE.findall(v)) for cells in rows for v in cells.values())


_FIGURE = re.compile(r"\d+(?:\.\d+)?")


def _named_row(cells: dict[str, str], header: list[str]) -> str:
    """A row as its first cell, and its second when that is a price: "10次卡：1080元"."""
    name = cells.get(header[0], "")
    second = cells.get(header[1], "") if len(header) > 1 else ""
    if name and second and re.search(r"\d", second) and _PRICE_WORD.search(header[1] + second):
        return f"{name}：{second}" if has_han(name + second) else f"{name}: {second}"
    return name


_PRICE_WORD = re.compile(r"价|價|费|費|元|块|¥|￥|\$|€|£|price|fee|cost", re.I)


def _key(chunk: RetrievedChunk, unit: Unit) -> ListKey:
    return (chunk.source, chunk.heading, unit.lead, unit.group)


def _lists(retrieval: Retrieval) -> dict[ListKey, _List]:
    """Every list of the document chunks retrieved or next to them, items in document order."""
    lists: dict[ListKey, _List] = {}
    for chunk in (*retrieval.chunks, *retrieval.neighbours):
        if chunk.kind == "chat":
            continue
        for index, unit in enumerate(chunk.units):
            if unit.kind == "item":
                key = _key(chunk, unit)
                entry = lists.setdefault(key, _List(key, overview=bool(chunk.meta.get("overview"))))
                entry.items.setdefault(unit.text, (chunk.position, index))
    return lists


def _named(lists: dict[ListKey, _List], chunk: RetrievedChunk, unit: Unit) -> list[_List]:
    """Lists of the sentence's document that it names by their title ("整理成“五个必须”")."""
    return [
        c
        for c in lists.values()
        if c.key[0] == chunk.source
        and c.lead != chunk.heading.rsplit(" > ", 1)[-1]  # the sentence's own section
        and len(c.lead) >= MIN_NAMED_LEAD
        and (c.lead != unit.text or unit.kind == "item")  # a sentence leading it: introduced
        and not (c.overview and unit.kind == "item")
        and c.lead in unit.text
    ]


def _introduced(
    lists: dict[ListKey, _List], chunk: RetrievedChunk, unit: Unit, best: ScoredUnit
) -> _List | None:
    """The list a sentence introduces: the one it leads, else the first that follows it in
    its document (a section overview, which only repeats the headings, does not count)."""
    led = [c for c in lists.values() if c.key[0] == chunk.source and c.lead == unit.text]
    if led:
        return led[0]
    after = (chunk.position, best.unit)
    following = [
        c
        for c in lists.values()
        if c.key[0] == chunk.source
        and after < min(c.items.values()) <= (chunk.position + FOLLOWING_SPAN, 0)
        and not c.overview
    ]
    return min(following, key=lambda c: min(c.items.values()), default=None)


def _render(lead: str, items: list[str], sublists: dict[str, list[str]] | None = None) -> str:
    """The list under its lead, numbered; an item that introduces a sub-list ("值班内容：")
    brings the sub-list's items, indented under it."""
    zh = detect_language(" ".join(items)) == "zh"
    lines = [lead.rstrip("：:。.") + ("：" if zh else ":")] if lead else []
    for n, text in enumerate(items, 1):
        lines.append(f"{n}. {_clip(text)}")
        if text.endswith(("：", ":")) and text != lead:
            lines += [f"   - {_clip(sub)}" for sub in (sublists or {}).get(text, [])]
    text = "\n".join(lines)
    cap = LIST_MAX_CHARS["zh" if zh else "en"]
    return text if len(text) <= cap else text[: cap - 1].rstrip() + "…"


def _clip(text: str) -> str:
    return text if len(text) <= LIST_ITEM_CHARS else text[: LIST_ITEM_CHARS - 1].rstrip() + "…"
