"""The offline answer engine: the best answer unit of the evidence, shaped by its kind.

The evidence (copilot.retrieval.evidence) already ranks every unit of the retrieved chunks. The
answer is built from the best one the way its source is structured:

- a Q/A pair or an FAQ section: its answer;
- a reply in a chat exchange: the reply, said to come from the group (never the question);
- a list item, when the question asks "which / what are": the whole list under its lead;
- a table row: the row with its header;
- a sentence: it and its nearly-as-good neighbours in the same passage.

Text keeps the asker's script (simplified or traditional Chinese, OpenCC), and a note says when
the quoted source is in another language than the question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from copilot.analytics.exchanges import defers, is_signup_chain
from copilot.knowledge.structure import row_cells
from copilot.retrieval.evidence import ScoredUnit
from copilot.retrieval.question import QuestionProfile, named_count
from copilot.retrieval.results import Retrieval, RetrievedChunk
from copilot.retrieval.units import Unit, inline_items
from copilot.skills.answer.lists import LIST_MAX_CHARS, LIST_SLACK, list_answer, table_list
from copilot.skills.figures import key_figures
from copilot.text import detect_language, in_script_of, tokenize

MAX_CHARS = {"zh": 200, "en": 450}
MAX_SENTENCES = 4
NEIGHBOUR_SLACK = 1.0  # a neighbour joins the answer when its score is within this of the best
COMPLEMENT_SLACK = 1.5  # another unit may add a missing part of the answer within this
COMPLEMENT_POOL = 8
NOTICE_SLACK = 3.0  # a notice a rule defers to may score this far below the rule
MAX_COMPLEMENTS = 2
_ENDS = tuple("。！？!?；;：:….」”)）")  # a piece ending on one reads on into the next
ROW_SLACK = 0.3  # a row of the same table this close to the best row answers too
MAX_TIED_ROWS = 1  # rows added to the best one
TIED_ROWS_CHARS = 240
ANNOUNCEMENT_LINES = 3  # detail lines an announcement's answer may add to its best line


@dataclass(frozen=True)
class Quote:
    """A piece of the answer and the chunk (index in the retrieval) it comes from."""

    text: str
    chunk: int


def compose_answer(retrieval: Retrieval, language: str) -> list[Quote]:
    """The extractive answer as quotes; empty when there is nothing to quote."""
    evidence, question = retrieval.evidence, retrieval.question
    if evidence is None or question is None or evidence.best is None:
        return []
    best = evidence.best
    quotes = [_primary(retrieval, question, best, language)]
    if defers(quotes[0].text) and (notice := _notice(retrieval, question, best, language)):
        quotes.insert(0, notice)  # what was announced, then the rule that left it to the notice
    quotes += _complements(retrieval, question, best, quotes, language)
    return [Quote(in_script_of(question.text, q.text), q.chunk) for q in quotes]


def _primary(
    retrieval: Retrieval, question: QuestionProfile, best: ScoredUnit, language: str
) -> Quote:
    """The best unit, read the way its source is structured."""
    assert retrieval.evidence is not None
    chunk = retrieval.chunks[best.chunk]
    unit = chunk.units[best.unit]
    if question.extreme and unit.kind != "row":
        # "办了最贵那张卡…" is about a table's priciest row, even when a Q&A line scores a bit
        # higher on the question's other words.
        row = next(
            (
                s
                for s in retrieval.evidence.units
                if s.score >= best.score - LIST_SLACK
                and retrieval.chunks[s.chunk].units[s.unit].kind == "row"
            ),
            None,
        )
        if row is not None:
            return _row(retrieval, question, row)
    if (table := table_list(retrieval, question, best)) is not None:
        return Quote(*table)
    if unit.kind == "qa":
        return Quote(_clip(unit.text, language), best.chunk)
    if unit.kind == "reply":
        return Quote(_reply(unit, language), best.chunk)
    if unit.kind == "message":
        if unit.group >= 0:
            return Quote(
                _said(unit, language, _announcement(retrieval, question, best)), best.chunk
            )
        return Quote(_said(unit, language, unit.text), best.chunk)
    if unit.kind == "row":
        return _row(retrieval, question, best)
    listed = list_answer(retrieval, question, best)
    if listed:
        return Quote(*listed)
    return _sentences(retrieval.evidence.units, best, chunk, language, question)


def _complements(
    retrieval: Retrieval,
    question: QuestionProfile,
    best: ScoredUnit,
    quotes: list[Quote],
    language: str,
) -> list[Quote]:
    """Units that answer a part of the question the primary quote leaves open ("多少钱？中午
    管饭吗？"): nearly as good as the best, and holding words or the shape it lacks."""
    assert retrieval.evidence is not None
    said = " ".join(q.text for q in quotes)
    covered = set(tokenize(said)) | set(tokenize(retrieval.chunks[best.chunk].heading))
    open_words = set(question.content) - covered
    # every shape asked for: "哪天？要交多少？" answered with the day still wants the fee
    open_shapes = set(question.missing_shapes(said))
    limit = MAX_CHARS.get(language, MAX_CHARS["en"])
    extra: list[Quote] = []
    for scored in retrieval.evidence.units[1:COMPLEMENT_POOL]:
        if len(extra) == MAX_COMPLEMENTS or scored.score < best.score - COMPLEMENT_SLACK:
            break
        unit = retrieval.chunks[scored.chunk].units[scored.unit]
        if unit.kind in ("reply", "message") or unit.text in said:
            continue
        tokens = _shown_tokens(retrieval.chunks[scored.chunk], scored.unit)
        adds_words = bool(open_words & tokens)
        shapes_added = open_shapes - set(question.missing_shapes(unit.text))
        if (adds_words or shapes_added) and len(said) + len(unit.text) <= limit:
            extra.append(Quote(unit.text, scored.chunk))
            said += " " + unit.text
            open_words -= tokens
            open_shapes -= shapes_added
    return extra


def _notice(
    retrieval: Retrieval, question: QuestionProfile, best: ScoredUnit, language: str
) -> Quote | None:
    """The organiser's chat notice a rule defers to ("date and venue announced by Rosa", "具体
    时间和地点由团长在群里通知"): a notice about the question's subject that holds everything the
    question asks, scoring at most NOTICE_SLACK below the rule (its words are the rule's)."""
    assert retrieval.evidence is not None
    for scored in retrieval.evidence.units[1:COMPLEMENT_POOL]:
        if scored.score < best.score - NOTICE_SLACK:
            break
        unit = retrieval.chunks[scored.chunk].units[scored.unit]
        if unit.kind != "message" or unit.group < 0:
            continue
        lines = _announcement(retrieval, question, scored)
        if question.missing_shapes(lines) or is_signup_chain(lines):
            continue
        if set(question.content) & set(tokenize(lines + " " + unit.lead)):
            return Quote(_said(unit, language, lines), scored.chunk)
    return None


def _announcement(retrieval: Retrieval, question: QuestionProfile, best: ScoredUnit) -> str:
    """Lines of a chat announcement ("方案定下来了：" / "时间：…" / "地点：…"): all of them for a
    list question, else its opening line, the best line and the lines that hold what the
    question asks and the best line lacks (the time, the place, the fee, its words)."""
    assert retrieval.evidence is not None
    chunk = retrieval.chunks[best.chunk]
    unit = chunk.units[best.unit]
    lines = [i for i, u in enumerate(chunk.units) if u.kind == "message" and u.group == unit.group]
    if question.wants_list:
        return "\n".join(chunk.units[i].text for i in lines)
    scores = {s.unit: s.score for s in retrieval.evidence.units if s.chunk == best.chunk}
    chosen = {best.unit}
    open_words = set(question.content) - _tokens_of(chunk, best.unit)
    ranked = sorted(lines, key=lambda i: -scores.get(i, -1e9))
    # Lines with the question's own words first ("先交多少占位？" wants the 报名 line's 定金
    # 占位), then lines that merely have the shape asked for (any line with a number).
    for wants_words in (True, False):
        for index in ranked:
            if len(chosen) > ANNOUNCEMENT_LINES:
                break
            tokens = _tokens_of(chunk, index)
            line = chunk.units[index].text
            adds_shape = bool(question.shapes) and question.shaped(line)  # "时间：…", "地点：…"
            adds = bool(open_words & tokens) if wants_words else adds_shape
            if index not in chosen and adds:
                chosen.add(index)
                open_words -= tokens
    header = [] if lines[0] in chosen or not unit.lead else [unit.lead]
    return "\n".join(header + [chunk.units[i].text for i in sorted(chosen)])


def _row(retrieval: Retrieval, question: QuestionProfile, best: ScoredUnit) -> Quote:
    """A table row with its header; for "the priciest / cheapest …" the row of the same table
    (same document, header and table) with the highest / lowest price in the first column that has
    prices, which words cannot tell apart ("叶青会员" and "叶金会员" read alike to a question
    about "最高一级")."""
    chunk = retrieval.chunks[best.chunk]
    unit = chunk.units[best.unit]
    if question.extreme is None:
        return Quote(_tied_rows(retrieval, best), best.chunk)
    rows = [
        (ci, row.text, row_cells(row.text))
        for ci, other in enumerate(retrieval.chunks)
        if other.source == chunk.source
        for row in other.units
        if row.kind == "row" and row.key == unit.key and row.group == unit.group
    ]
    for column in unit.key.split(" | "):
        priced = [
            (p, ci, text)
            for ci, text, cells in rows
            if (p := _price(cells.get(column))) is not None
        ]
        if len(priced) >= 2:
            pick = max if question.extreme == "max" else min
            _, ci, text = pick(priced, key=lambda p: p[0])
            return Quote(text, ci)
    return Quote(unit.text, best.chunk)


def _tied_rows(retrieval: Retrieval, best: ScoredUnit) -> str:
    """The best row, and the rows of its table that score nearly as well: "a morning of
    consecutive interpreting" is the half-day row or the full-day one, and both rates answer."""
    assert retrieval.evidence is not None
    chunk = retrieval.chunks[best.chunk]
    unit = chunk.units[best.unit]
    tied = {best.unit}
    size = len(unit.text)
    for scored in retrieval.evidence.units:
        if len(tied) > MAX_TIED_ROWS or scored.score < best.score - ROW_SLACK:
            break
        other = chunk.units[scored.unit] if scored.chunk == best.chunk else None
        if other is None or other.kind != "row" or other.group != unit.group or other is unit:
            continue
        if size + len(other.text) <= TIED_ROWS_CHARS:  # wide rows leave room for nothing else
            tied.add(scored.unit)
            size += len(other.text)
    return "\n".join(chunk.units[i].text for i in sorted(tied))


_PRICE = re.compile(
    r"[¥￥$€£]\s*(\d[\d,]*(?:\.\d+)?)|(\d[\d,]*(?:\.\d+)?)\s*(?:元|块|rmb|usd|hkd|twd|港币|港幣)",
    re.IGNORECASE,
)


_FREE = re.compile(r"^\s*(?:免费|免費|free)\b", re.IGNORECASE)


def _price(cell: str | None) -> float | None:
    if _FREE.search(cell or ""):
        return 0.0
    match = _PRICE.search(cell or "")
    if match is None:
        return None
    return float((match.group(1) or match.group(2)).replace(",", ""))


def _tokens_of(chunk: RetrievedChunk, index: int) -> frozenset[str]:
    """A unit's tokens as stored at ingest (tokenized here for chunks that carry none)."""
    if index < len(chunk.unit_tokens):
        return chunk.unit_tokens[index]
    return frozenset(tokenize(chunk.units[index].text))


def _shown_tokens(chunk: RetrievedChunk, index: int) -> frozenset[str]:
    """The words a quoted unit brings to the answer: a Q/A pair's stored tokens are its
    question's (what a member's question is matched with); quoting it adds its answer's too."""
    unit = chunk.units[index]
    if unit.kind == "qa":
        return _tokens_of(chunk, index) | frozenset(tokenize(unit.text))
    return _tokens_of(chunk, index)


def _clip(text: str, language: str, limit: dict[str, int] = MAX_CHARS) -> str:
    cap = limit.get(language, limit["en"])
    return text if len(text) <= cap else text[: cap - 1].rstrip() + "…"


def _reply(unit: Unit, language: str) -> str:
    answer = _clip(unit.text, language)
    if language == "zh":
        return f"群里 {unit.author} 回复过：{answer}"
    return f"{unit.author} answered this in the group: {answer}"


def _said(unit: Unit, language: str, text: str) -> str:
    text = _clip(text, language, LIST_MAX_CHARS if "\n" in text else MAX_CHARS)
    if language == "zh":
        return f"{unit.author} 在群里说过：{text}"
    return f"{unit.author} said: {text}"


def _sentences(
    ranked: list[ScoredUnit],
    best: ScoredUnit,
    chunk: RetrievedChunk,
    language: str,
    question: QuestionProfile,
) -> Quote:
    """The best sentence and its nearly-as-good neighbours in the same chunk, in order; for a
    list question, also the sentence right after them when it holds the list inline."""
    scores = {s.unit: s.score for s in ranked if s.chunk == best.chunk}
    chosen = {best.unit}
    used = len(chunk.units[best.unit].text)
    limit = MAX_CHARS.get(language, MAX_CHARS["en"])
    for distance in range(1, MAX_SENTENCES + 2):
        for index in (best.unit - distance, best.unit + distance):
            if len(chosen) == MAX_SENTENCES or index not in scores:
                continue
            if not (index - 1 in chosen or index + 1 in chosen):
                continue  # keep the answer one contiguous passage
            text = chunk.units[index].text
            # a question heading's Q/A pair repeats its paragraph: joined once, costs nothing
            size = 0 if any(chunk.units[i].text == text for i in chosen) else len(text)
            if scores[index] >= best.score - NEIGHBOUR_SLACK and used + size <= limit:
                chosen.add(index)
                used += size
    after = max(chosen) + 1
    if question.wants_list and after < len(chunk.units):
        # "总结出五个特征。" then "分别是同好、结构、输出、运营、复制。": the items are one sentence
        # further, scored lower because they share no word with the question.
        wanted = question.count or named_count(chunk.units[best.unit].text)
        items = inline_items(chunk.units[after].text)
        fits = used + len(chunk.units[after].text) <= limit
        if items >= 3 and items == (wanted or items) and len(chosen) < MAX_SENTENCES and fits:
            chosen.add(after)
    if chunk.units[best.unit].kind != "item":
        # A sentence about a list ("…skip the ladder" after the four strikes) that brought some
        # of its items brings them all: never strikes 2 to 4 without the first.
        lists = {(u.lead, u.group) for i in chosen if (u := chunk.units[i]).kind == "item"}
        whole = {
            i for i, u in enumerate(chunk.units) if u.kind == "item" and (u.lead, u.group) in lists
        }
        if sum(len(chunk.units[i].text) for i in chosen | whole) <= limit:
            chosen |= whole
    return Quote(
        _clip(
            _joined(list(dict.fromkeys(chunk.units[i].text for i in sorted(chosen))), language),
            language,
        ),
        best.chunk,
    )


def _joined(texts: list[str], language: str) -> str:
    """Sentences run on; a piece without its own end mark (a table's line, a list item) is
    separated from the next one, never glued to it ("14:00 - 23:00周五")."""
    out = ""
    for text in texts:
        if out:
            ended = out.endswith(_ENDS)
            out += ("" if ended else "；") if language == "zh" else (" " if ended else "; ")
        out += text
    return out


def figures_line(language: str, quoted: str) -> str:
    """The quoted text's quantities and dates written for the asker ("（要点：14天、2小时）" under
    an English quote for a Chinese question); empty when it has none."""
    found = key_figures(quoted, "zh" if language == "zh" else "en")
    if not found:
        return ""
    if language == "zh":
        return "（要点：" + "、".join(found) + "）"
    return " (Key figures: " + ", ".join(found) + ")"


def cross_language_note(question_language: str, chunks: list[RetrievedChunk]) -> str:
    """A short note when the quoted passages are in another language than the question."""
    source_language = detect_language(" ".join(c.text for c in chunks[:2]))
    if question_language == source_language or source_language not in ("zh", "en"):
        return ""
    return "（以下内容摘自英文资料）" if question_language == "zh" else "(From our Chinese notes:) "
