"""HTML → Markdown-ish text: headings become '#' lines, page chrome and scripts are dropped."""

from __future__ import annotations

import re
import warnings

from bs4 import (
    BeautifulSoup,
    Comment,
    Declaration,
    Doctype,
    MarkupResemblesLocatorWarning,
    NavigableString,
    ProcessingInstruction,
    Tag,
)

_DROP = ("script", "style", "nav", "noscript", "template", "svg", "iframe", "head")
_BLOCKS = (
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "figure",
    "figcaption",
    "form",
    "details",
    "summary",
    "hr",
)
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_SPACES = re.compile(r"\s+")
_NOT_TEXT = (Comment, Declaration, Doctype, ProcessingInstruction)


def html_to_text(html: str) -> tuple[str, str]:
    """Return (title, text). Title is <title>, else the first <h1>, else ''."""
    with warnings.catch_warnings():
        # A short HTML snippet that looks like a file name makes bs4 warn; it is still HTML.
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(html, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup.find_all(_DROP):
        tag.decompose()
    for node in soup.find_all(string=lambda s: isinstance(s, _NOT_TEXT)):
        node.extract()
    h1 = soup.find("h1")
    if not title and h1:
        title = h1.get_text(" ", strip=True)
    _keep_main_content(soup)

    # Collapse source-code line wrapping first; structure is re-added as explicit newlines.
    for string in soup.find_all(string=True):
        if not any(p.name == "pre" for p in string.parents):
            string.replace_with(_SPACES.sub(" ", str(string)))
    # Tables first: a row is read with its header only when the table stays one block.
    for table in reversed(soup.find_all("table")):
        table.replace_with(NavigableString(_pipe_table(table)))
    for tag in soup.find_all(True):
        _mark_structure(tag)
    return title, _tidy(soup.get_text())


def _keep_main_content(soup: BeautifulSoup) -> None:
    """A saved web page is its content: what sits outside <main> (the site header, footer
    widgets, "Skip to content") repeats on every page of the site and answers nothing. A page
    without <main> loses its skip links and its top-level header and footer."""
    main = soup.find("main") or soup.find(True, role="main")
    if isinstance(main, Tag):
        body = soup.body or soup
        if isinstance(body, Tag) and main is not body:
            body.clear()
            body.append(main)
        return
    for tag in soup.find_all(class_=re.compile(r"\bskip-link\b|\bscreen-reader-text\b")):
        tag.decompose()
    for tag in soup.find_all(("header", "footer")):
        if not any(p.name in ("article", "section", "main") for p in tag.parents):
            tag.decompose()


def _pipe_table(table: Tag) -> str:
    """A table as a Markdown pipe table (header, separator, rows, no blank lines between), the
    layout the structure reader turns into rows that each carry their header. A table nested in
    a cell, or a layout table of one column, is kept as its text."""
    rows = [
        [_SPACES.sub(" ", cell.get_text(" ", strip=True)).replace("|", "/") for cell in cells]
        for tr in table.find_all("tr")
        if (cells := tr.find_all(("td", "th"), recursive=False))
    ]
    if len(rows) < 2 or max(len(r) for r in rows) < 2:
        return "\n" + table.get_text("\n", strip=True) + "\n"
    width = max(len(r) for r in rows)
    lines = ["| " + " | ".join(r + [""] * (width - len(r))) + " |" for r in rows]
    lines.insert(1, "|" + " --- |" * width)
    return "\n\n" + "\n".join(lines) + "\n\n"


def _mark_structure(tag: Tag) -> None:
    name = tag.name
    if name in _HEADINGS:
        text = tag.get_text(" ", strip=True)
        hashes = "#" * int(name[1])
        tag.replace_with(NavigableString(f"\n\n{hashes} {text}\n\n" if text else "\n"))
    elif name == "br":
        tag.replace_with(NavigableString("\n"))
    elif name == "li":
        tag.insert(0, NavigableString("\n- "))
        tag.append(NavigableString("\n"))
    elif name in _BLOCKS:
        tag.insert(0, NavigableString("\n\n" if name == "p" else "\n"))
        tag.append(NavigableString("\n\n" if name == "p" else "\n"))


def _tidy(text: str) -> str:
    lines = [line.strip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if out and out[-1] == "-" and line:  # "<li><p>text</p></li>" puts the bullet alone
            out[-1] = f"- {line}"
        elif line or (out and out[-1] and out[-1] != "-"):
            out.append(line)
    return "\n".join(out).strip()


def looks_like_telegram_html(html: str) -> bool:
    """Telegram Desktop's 'HTML' export: chat, but not machine-readable."""
    return 'class="page_wrap"' in html and "message default clearfix" in html
