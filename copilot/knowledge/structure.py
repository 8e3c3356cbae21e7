"""Read a document's outline: headings, paragraphs, list items, Q/A pairs and table rows.

Operators bring material as they have it: Markdown, but also web articles pasted as plain text
(no '#', the title repeated, headings numbered '一、' / '1.' / '1.1' / '（1）', a date line, a
byline, a disclaimer and "上一篇/下一篇" links at the end) and FAQs written as 'Q:'/'A:' lines.
The outline is read from the text itself, so an answer can quote the items of a list, the answer
of a Q/A pair or a table row with its header, and repeated headings or page chrome never become
answers.

Heading levels follow the order in which numbering styles appear (as outline readers do): the
first style seen is level 1, a new style below it level 2, and a style seen before closes every
level opened after it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from copilot.text import to_simplified

BlockKind = Literal["heading", "para", "item", "qa", "row"]


@dataclass(frozen=True)
class Block:
    """One structural element of a document, in reading order."""

    kind: BlockKind
    text: str  # heading title, paragraph, item, the answer of a Q/A pair, a rendered row
    level: int = 0  # headings only: 1 = top
    key: str = ""  # qa: the question; row: the header line
    group: int = -1  # items and rows: which list or table they belong to
    lead: str = ""  # items: the sentence or heading that introduces the list
    line: str = ""  # the line as written (items keep their marker for display)


@dataclass
class Outline:
    title: str
    blocks: list[Block] = field(default_factory=list)


_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
# FAQ lines in either script and either width: "Q1:", "Ｑ：", "问：", "問題：", "答：", "Ａ："
_QUESTION = re.compile(
    r"^\s*(?:[QＱ]\s*[\d０-９]*|[问問](?:题|題)?\s*[\d０-９]*|提[问問])\s*[:：.．、]\s*(.+)$",
    re.IGNORECASE,
)
_ANSWER = re.compile(
    r"^\s*(?:[AＡ]\s*[\d０-９]*|答案?|回答|解答|答[复覆]|回[复覆])\s*[:：.．、]\s*(.*)$",
    re.IGNORECASE,
)
_CN_NUM = "一二三四五六七八九十百零〇两"
_EMOJI_MARK = "[\u2600-\u27bf\u2b50\u2b55\U0001f300-\U0001faff]"
_BULLET_MARKS = "-*+•·●○◆◇■□▪▸►✓✔➢→"
_EMOJI_LEAD = re.compile(rf"(?![{_BULLET_MARKS}❶-❿]){_EMOJI_MARK}")
# Numbering styles, most specific first. The name is the style; the regex eats the marker.
_MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("chapter", re.compile(rf"^第[{_CN_NUM}\d]+[章节部分篇]\s*")),
    ("cn-dun", re.compile(rf"^[{_CN_NUM}]+\s*[、.．]\s*")),
    ("cn-paren", re.compile(rf"^[（(][{_CN_NUM}]+[)）]\s*")),
    ("num-dotted", re.compile(r"^\d{1,2}(?:[.．]\d{1,2})+[.．]?\s*")),
    ("num-dun", re.compile(r"^\d{1,2}\s*、\s*")),
    ("num-dot", re.compile(r"^\d{1,2}[.．](?!\d)\s*")),
    ("num-paren", re.compile(r"^(?:[（(]\d{1,2}[)）]|\d{1,2}[)）])\s*")),
    ("circled", re.compile(r"^[①-⑳❶-❿]\s*")),
    (
        "step",
        re.compile(
            rf"^(?:step\s*\d{{1,2}}\s*[:：.、)-]|第\s*[{_CN_NUM}\d]{{1,3}}\s*步\s*[:：.、，,]?)\s*",
            re.IGNORECASE,
        ),
    ),
    # Marks, and the emoji WeChat articles list with ("✅ 判断推理 35分钟", "🔹", "👉").
    ("bullet", re.compile(rf"^(?:[{_BULLET_MARKS}]|{_EMOJI_MARK}\ufe0f?)\s*")),
]
# Styles that number the document's own sections when their text is short.
_SECTION_STYLES = {"chapter", "cn-dun", "cn-paren", "num-dotted"}
_END_PUNCT = "。！？!?；;，,：:….?"
_SENTENCE_END = "。！？!?；;：:….」”"
# A date stamp alone, or with a time and an author's name: when it was posted, not what it says.
_DATE_LINE = re.compile(
    r"^(?:发布(?:时间|于)?[:：]?\s*)?\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?"
    r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?(?:\s+[^\s，。,.!?！？]{1,12})?\s*$"
)
# "作者：小周", "整理：阿Wing（香港团友，平时周四过关）": who wrote it, with a note on who they are
_BYLINE = re.compile(
    r"^(?:作者|文|撰文|编辑|责编|来源|出品|图|整理|供稿|by)\s*[:：/|]\s*[^\s（(，,。；;]{1,20}"
    r"(?:\s*[（(][^）)]{1,40}[）)])?$",
    re.I,
)
# "（最後更新：2026/10/20，小魚整理）", "Last updated 5 Nov 2026": when the page was edited
_UPDATED = re.compile(
    r"^[（(]?\s*(?:最后更新|更新于|更新时间|last updated|updated)\s*[:：]?\s*"
    r"(?:\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?|\d{1,2}\s+[a-z]{3,9}\s+\d{4}|[a-z]{3,9}\s+\d{1,2},?\s+\d{4})"
    r"[^）)]{0,24}[）)]?$",
    re.IGNORECASE,
)
# A WeChat article's own chrome, wherever it is pasted: "点击上方蓝字"蓉城毛孩子"关注我们", "↑ 点
# 上方卡片设为星标", and the byline "原创 阿Ken 蓉城毛孩子 2025-07-02 10:20 四川".
_FOLLOW_PROMPT = re.compile(
    r"^[↑☝👆⬆▲\s]*(?:点击|点|戳)(?=.{0,30}?(?:上方|顶部|蓝字|卡片|名片|公众号))"
    r".{0,36}?(?:关注|星标|置顶)[^。！？!?]{0,12}$"
)
_WECHAT_BYLINE = re.compile(
    r"^原创\s+.{1,40}?\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2})?(?:\s+\S{1,8})?$"
)
# A newsletter's links, at its top or bottom: "View in browser | Unsubscribe".
_NEWSLETTER_LINKS = re.compile(
    r"^(?:\s*(?:view (?:it |this email )?(?:in|on) (?:your )?browser|unsubscribe"
    r"|forward to a friend|update (?:your )?preferences"
    r"|manage (?:your )?(?:preferences|subscription))\s*[|·•/]?)+$",
    re.IGNORECASE,
)
# Page chrome of pasted web articles: from the first of these near the end, nothing is content.
_TAIL_MARKERS = re.compile(
    r"^(?:免责声明|版权声明|版权所有|声明[:：]|上一篇|下一篇|相关\S{0,3}[:：]?$|推荐阅读|延伸阅读"
    r"|原文链接|本文链接|阅读原文|猜你喜欢|热门(?:推荐|文章)|扫码|长按识别|关注公众号|往期(?:推荐|回顾|精选|精彩)"
    r"|share this|related (?:posts|articles)|previous post|next post|copyright ©"
    r"|all rights reserved|forward to a friend|you(?:'re| are) receiving this)",
    re.IGNORECASE,
)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_KEY_VALUE = re.compile(r"^[^：:，,。]{1,12}[：:]\s*\S.{0,80}$")
_TABLE_SPLIT = re.compile(r"\t+|\s{2,}|\u3000+")
_TABLE_GAP = re.compile(r"\t|\s{3,}|\u3000")  # wider than a double space after a full stop
_DIGIT = re.compile(r"\d")
_BRACKET_TITLE = re.compile(r"^【([^】]{1,30})】$")
# "------  -----" under a header; "——————" or "━━━" drawn across a page, "***" in Markdown
_RULE_LINE = re.compile(r"^[-=_:+\s]*(?:[-=_]{3,}|[—─━]{2,}|\*{3,})[-=_:+\s—─━*]*$")


def display_length(text: str) -> float:
    """Length in 'characters' where an English word counts like three CJK characters (about the
    share of a line each takes)."""
    cjk = len(_CJK.findall(text))
    words = len(re.findall(r"[A-Za-z0-9]+", text))
    return cjk + 3 * words


def list_marker(line: str) -> tuple[str, str] | None:
    """(style, text after the marker) for a numbered or bulleted line."""
    for style, pattern in _MARKERS:
        match = pattern.match(line)
        if match and line[match.end() :].strip():
            return style, line[match.end() :].strip()
    return None


def is_name_like(text: str) -> bool:
    """A short label ("图形推理", "Bisque firing"), not a sentence or a labelled detail."""
    return _is_short_title(text) and not any(c in text for c in "：:，,；;")


def _is_short_title(text: str) -> bool:
    return 0 < display_length(text) <= 24 and not text.rstrip().endswith(tuple(_END_PUNCT))


def _fold(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


@dataclass
class _Line:
    text: str
    marker: tuple[str, str] | None
    after_blank: bool = False  # a blank line before it: ends an aligned table


def read_outline(text: str, title: str = "") -> Outline:
    """The outline of `text` (Markdown or plain text), chrome and repeated headings removed."""
    lines = _content_lines(text)
    outline = Outline(title=title)
    if not lines:
        return outline
    # A pasted article starts with its title (often repeated); a file name is only a fallback.
    first = lines[0]
    if (
        not first.marker
        and 0 < display_length(first.text) <= 40
        and not first.text.endswith(tuple(_END_PUNCT))
        and not _MD_HEADING.match(first.text)
    ):
        outline.title = first.text
    seen_titles = {_fold(outline.title)} if outline.title else set()
    seen_headings: set[str] = set()  # Markdown headings are dropped only when repeated
    styles: list[str] = []
    group = 0
    numbered: dict[str, tuple[int, int, str]] = {}  # style -> (last group, last number, lead)
    lead = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        raw = line.text
        if md := _MD_HEADING.match(raw):
            heading = md.group(2).strip()
            if _fold(heading) in seen_headings:
                i += 1
                continue
            seen_headings.add(_fold(heading))
            style = f"md{len(md.group(1))}"
            level = _push_style(styles, style)
            seen_titles.add(_fold(heading))
            outline.blocks.append(Block("heading", heading, level=level, line=raw))
            lead = heading
            numbered.clear()  # a list's numbering goes on across paragraphs, not sections
            i += 1
            continue
        if _PIPE_ROW.match(raw):
            rows, i = _pipe_table(lines, i)
            group += 1
            outline.blocks.extend(_row_blocks(rows, group))
            continue
        if (q := _QUESTION.match(raw)) and (pair := _qa_pair(lines, i, q.group(1))):
            question, answer, i = pair
            outline.blocks.append(Block("qa", answer, key=question, line=raw))
            continue
        if (table := _aligned_table(lines, i)) is not None:
            rows, i, headed = table
            group += 1
            if headed:
                outline.blocks.extend(_row_blocks(rows, group))
            else:
                for row in rows:
                    text = " · ".join(row)
                    outline.blocks.append(Block("item", text, group=group, lead=lead, line=text))
            continue
        if _RULE_LINE.match(raw):
            i += 1  # a drawn rule ("=====") between sections: no text
            continue
        if _fold(raw) in seen_titles and display_length(raw) <= 40:
            i += 1  # the title, a heading or a short line repeated: no new information
            continue
        if display_length(raw) <= 40:
            seen_titles.add(_fold(raw))
        if _is_heading(line, nxt):
            bracketed = _BRACKET_TITLE.match(raw)
            style = line.marker[0] if line.marker else "bracket" if bracketed else "plain"
            heading = line.marker[1] if line.marker else bracketed[1] if bracketed else raw
            level = _push_style(styles, style)
            seen_titles.add(_fold(raw))
            seen_titles.add(_fold(heading))
            outline.blocks.append(Block("heading", heading, level=level, line=raw))
            lead = heading
            numbered.clear()  # a list's numbering goes on across paragraphs, not sections
            i += 1
            continue
        if line.marker:
            # A run of items of one style is one list, introduced by what came just before; a
            # run whose numbers go on from an earlier run of its style ("①②" under one sub-title,
            # "③④⑤" under the next) is that list continued.
            style = line.marker[0]
            group += 1
            run_group, run_lead = group, lead
            start = _ordinal(line)
            if start and start > 1 and numbered.get(style, (0, 0, ""))[1] == start - 1:
                run_group, _, run_lead = numbered[style]
            elif (parent := _parent_item(outline.blocks)) is not None:
                # "5、值班内容：" then "（1）…（4）": the sub-list belongs to that item, which
                # says what it lists far better than the section heading does.
                run_lead = parent
            while i < len(lines) and lines[i].marker and lines[i].marker[0] == style:  # type: ignore[index]
                item_line = lines[i]
                assert item_line.marker is not None
                outline.blocks.append(
                    Block(
                        "item",
                        item_line.marker[1],
                        group=run_group,
                        lead=run_lead,
                        line=item_line.text,
                    )
                )
                if (n := _ordinal(item_line)) is not None:
                    numbered[style] = (run_group, n, run_lead)
                i += 1
            continue
        if _labelled(raw) and i + 1 < len(lines) and _labelled(lines[i + 1].text):
            # "时间：每周日 20:00" / "形式：腾讯会议": a run of labelled lines is a list too;
            # "Q: …" / "A: …" lines after it are an FAQ's pairs, not more labels.
            group += 1
            while i < len(lines) and not lines[i].marker and _labelled(lines[i].text):
                text = lines[i].text
                outline.blocks.append(Block("item", text, group=group, lead=lead, line=text))
                i += 1
            continue
        outline.blocks.append(Block("para", raw, line=raw))
        lead = raw
        i += 1
    return outline


def _parent_item(blocks: list[Block]) -> str | None:
    """The text of the item just before, when it ends with a colon: it introduces a sub-list."""
    last = blocks[-1] if blocks else None
    if last is not None and last.kind == "item" and last.text.endswith(("：", ":")):
        return last.text
    return None


def _content_lines(text: str) -> list[_Line]:
    """Logical lines: hard-wrapped lines joined, without date stamps, bylines and the page
    chrome at the end."""
    physical = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines: list[str] = []
    blanks: list[bool] = []
    blank_before = True
    for raw in physical:
        stripped = raw.strip()
        if not stripped:
            blank_before = True
            continue
        if lines and not blank_before and _continues(lines[-1], raw):
            lines[-1] = _join_wrapped(lines[-1], stripped)
        else:
            lines.append(stripped)
            blanks.append(blank_before)
        blank_before = False
    cut = len(lines)
    for i in range(min(5, len(lines)), len(lines)):  # past the opening lines, chrome ends it
        if _TAIL_MARKERS.match(to_simplified(lines[i])):
            cut = i
            break
    kept = [
        _Line(ln, list_marker(ln), blank)
        for ln, blank in zip(lines[:cut], blanks, strict=False)
        if not _DATE_LINE.match(ln)
        and not _BYLINE.match(simple := to_simplified(ln))
        and not _UPDATED.match(simple)
        and not (len(simple) <= 40 and _FOLLOW_PROMPT.match(simple))
        and not _WECHAT_BYLINE.match(simple)
        and not _NEWSLETTER_LINKS.match(ln)
    ]
    # An emoji marks a list only in a run of such lines: "⚠️ 注意：…" alone is a sentence.
    emoji = [bool(_EMOJI_LEAD.match(line.text)) for line in kept]
    for i, line in enumerate(kept):
        if emoji[i] and not (i and emoji[i - 1]) and not (i + 1 < len(kept) and emoji[i + 1]):
            line.marker = None
    return kept


def _continues(previous: str, raw: str) -> bool:
    """Is `raw` the wrapped rest of `previous` (an editor's hard wrap, a list item's indented
    second line) rather than a line of its own?"""
    line = raw.strip()
    if any(p.match(x) for p in (_MD_HEADING, _PIPE_ROW) for x in (previous, line)):
        return False
    if _QUESTION.match(line) or _ANSWER.match(line):
        return False
    if _RULE_LINE.match(line) or _RULE_LINE.match(previous):
        return False
    if _KEY_VALUE.match(line) and _KEY_VALUE.match(previous):
        return False  # "时间：…" then "地点：…": labelled lines, one each
    if _TABLE_GAP.search(line) and 2 <= len(_cells(line)) == len(_cells(previous)):
        return False  # the next row of a table aligned with tabs or spaces, not a wrap
    indented = raw[:1] in (" ", "\t")
    mid_sentence = not previous.endswith(tuple(_SENTENCE_END))
    if marker := list_marker(line):
        # "… Verified since" + "   0.9.2. There is …": a number, not a new item.
        return (
            indented and mid_sentence and marker[0] != "bullet" and display_length(previous) >= 30
        )
    if indented and (mid_sentence or list_marker(previous) or _ANSWER.match(previous)):
        return True
    if not mid_sentence or display_length(previous) < 20:
        return False
    return not (_is_short_title(line) and _CJK.search(line))


def _join_wrapped(previous: str, line: str) -> str:
    wide = bool(_CJK.search(previous[-1:])) and bool(_CJK.search(line[:1]))
    return previous + ("" if wide else " ") + line


def _is_heading(line: _Line, nxt: _Line | None) -> bool:
    """A short, unpunctuated line that opens a section (something follows it)."""
    if nxt is None:
        return False
    if _BRACKET_TITLE.match(line.text):
        return True  # "【乐烧之夜 Raku Night】" over its "日期：…" lines: a notice's title
    if _KEY_VALUE.match(line.text) and _KEY_VALUE.match(nxt.text):
        return False  # "日期：12月12日" over "时间：…": a run of labelled lines
    if line.marker:
        style, rest = line.marker
        if not _is_short_title(rest) or "：" in rest or ":" in rest:
            return False
        if style in _SECTION_STYLES:
            return True
        # '1. 垂直细分' heads a paragraph; '1. 目标' followed by '2. 内容' is a list.
        return not (nxt.marker and nxt.marker[0] == style) and not _MD_HEADING.match(nxt.text)
    if not _is_short_title(line.text) or _PIPE_ROW.match(line.text):
        return False
    if nxt.marker:
        # A plain line before sub-numbering ('1.1', '1.', '（1）') heads it; before '一、' it is a
        # byline or a caption.
        return nxt.marker[0] not in ("chapter", "cn-dun")
    return display_length(nxt.text) > display_length(line.text) and not _is_short_title(nxt.text)


def _push_style(styles: list[str], style: str) -> int:
    """Level of a heading of `style`; closes the levels opened after an earlier style."""
    if style in styles:
        del styles[styles.index(style) + 1 :]
    else:
        if style.startswith("md"):
            depth = int(style[2:])
            for j, open_style in enumerate(styles):
                if open_style.startswith("md") and int(open_style[2:]) >= depth:
                    del styles[j:]
                    break
        styles.append(style)
    return len(styles)


def _labelled(text: str) -> bool:
    """A labelled line ("时间：每周日 20:00"), not a line of a Q/A pair."""
    return bool(_KEY_VALUE.match(text)) and not (_QUESTION.match(text) or _ANSWER.match(text))


def _qa_pair(lines: list[_Line], i: int, question: str) -> tuple[str, str, int] | None:
    """A 'Q:' line, then an 'A:' line and its continuation until the next question or heading."""
    j = i + 1
    while j < len(lines) and not _ANSWER.match(lines[j].text):
        if _QUESTION.match(lines[j].text) or j - i > 3:
            return None
        question += lines[j].text  # a question wrapped over two lines
        j += 1
    if j == len(lines):
        return None
    answer_lines = [_ANSWER.match(lines[j].text).group(1)]  # type: ignore[union-attr]
    j += 1
    while j < len(lines):
        text = lines[j].text
        if _QUESTION.match(text) or _MD_HEADING.match(text) or _PIPE_ROW.match(text):
            break
        if _RULE_LINE.match(text):  # a drawn rule ends the answer: a page footer may follow
            break
        if lines[j].marker and lines[j].marker[0] in _SECTION_STYLES:  # type: ignore[index]
            break
        answer_lines.append(text)
        j += 1
    answer = "\n".join(a for a in answer_lines if a).strip()
    return (question.strip(), answer, j) if answer else None


def _pipe_table(lines: list[_Line], i: int) -> tuple[list[list[str]], int]:
    rows: list[list[str]] = []
    while i < len(lines) and _PIPE_ROW.match(lines[i].text):
        if not _PIPE_SEPARATOR.match(lines[i].text):
            rows.append([c.strip() for c in lines[i].text.strip().strip("|").split("|")])
        i += 1
    return rows, i


def _aligned_table(lines: list[_Line], i: int) -> tuple[list[list[str]], int, bool] | None:
    """Three or more lines split into columns (≥ 2) by tabs or wide gaps: (rows, end, headed).

    A table is headed when its lines have one width and its first line holds no number (a
    header names columns; "卡坦岛  3-4人  60分钟" is already a row). Otherwise it is a headerless
    table, its lines a list: lines of one width, or lines all aligned with tabs or wide gaps
    whose widths differ by one (a catalogue whose last column is optional)."""
    first = _cells(lines[i].text)
    if len(first) < 2 or lines[i].marker:
        return None
    j = i
    rows: list[list[str]] = []
    while j < len(lines):
        if _RULE_LINE.match(lines[j].text) and j > i:  # a rule under the header or the rows
            j += 1
            continue
        row = _cells(lines[j].text)
        aligned = len(row) == len(first) or (
            len(row) >= 2
            and abs(len(row) - len(first)) == 1
            and bool(_TABLE_GAP.search(lines[j].text))
        )
        if not aligned or (j > i and lines[j].after_blank):
            break
        rows.append(row)
        j += 1
    if len(rows) < 3:
        return None
    same_width = all(len(r) == len(first) for r in rows)
    if same_width and not _DIGIT.search(lines[i].text):
        return rows, j, True
    gapped = all(_TABLE_GAP.search(ln.text) or _RULE_LINE.match(ln.text) for ln in lines[i:j])
    return (rows, j, False) if same_width or gapped else None


_CIRCLED = {c: i + 1 for i, c in enumerate("①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳")} | {
    c: i + 1 for i, c in enumerate("❶❷❸❹❺❻❼❽❾❿")
}
_LEADING_NUMBER = re.compile(r"^\D{0,6}?(\d{1,2})")


def item_number(line: str) -> int | None:
    """The number of a numbered list item as written ("③ 填表" → 3, "Step 2: …" → 2)."""
    text = line.strip()
    return _ordinal(_Line(text, list_marker(text)))


def _ordinal(line: _Line) -> int | None:
    """The number of a numbered item ("③" → 3, "4." → 4, "Step 2:" → 2); None for bullets and
    Chinese numerals (section titles, not the items that go on across them)."""
    if not line.marker or line.marker[0] in ("bullet", "chapter", "cn-dun", "cn-paren"):
        return None
    if line.marker[0] == "circled":
        return _CIRCLED.get(line.text[:1])
    number = _LEADING_NUMBER.match(line.text)
    return int(number.group(1)) if number else None


def _cells(text: str) -> list[str]:
    return [c for c in _TABLE_SPLIT.split(text.strip()) if c]


def _row_blocks(rows: list[list[str]], group: int) -> list[Block]:
    """Rows rendered with their header ('规格: 250g；价格: 88元'), so a row reads on its own."""
    if not rows:
        return []
    header, body = rows[0], rows[1:]
    header_line = " | ".join(header)
    blocks = []
    for row in body:
        rendered = joined_cells((h, v) for h, v in zip(header, row, strict=False) if v)
        blocks.append(Block("row", rendered, key=header_line, group=group, line=" | ".join(row)))
    return blocks


def joined_cells(cells: Iterable[tuple[str, str]]) -> str:
    """(header, value) pairs as a row reads on its own: '规格: 250g；价格: 88元', 'Plan: Team;
    Price: $29'."""
    pairs = [f"{h}: {v}" for h, v in cells]
    return "；".join(pairs) if any(_CJK.search(p) for p in pairs) else "; ".join(pairs)


def row_cells(row: str) -> dict[str, str]:
    """A row `joined_cells` wrote, as header -> value again."""
    pairs = (cell.partition(": ") for cell in re.split(r"；|; ", row))
    return {head.strip(): value.strip() for head, _, value in pairs if value}
