"""Structured data (JSON, JSONL, CSV) that is not chat → readable Markdown for the chunker.

A FAQ table becomes "## question\\nanswer" sections, so retrieval can cite one Q&A pair.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from copilot.knowledge.errors import UnreadableFileError

_QUESTION = ("question", "q", "问题", "问", "提问", "問題", "問", "提問", "ask")
_ANSWER = ("answer", "a", "答案", "回答", "答", "解答", "reply")
_TITLE = ("title", "name", "heading", "topic", "subject", "标题", "名称", "主题", "名字")


def read_csv(text: str, label: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """(header, [(row number, record)]); the delimiter (, ; tab |) is sniffed.

    Empty cells are left out of a record; row numbers count the header as row 1.
    """
    sample = text[:8192]
    first = sample.split("\n", 1)[0]
    if "," in first and not any(c in first for c in ";\t|"):
        dialect: Any = csv.excel  # a plain comma header; sniffing the body could mislead
    else:
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        except csv.Error:
            dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        rows = list(reader)
    except csv.Error as exc:  # a field over csv's 128 KiB limit, a NUL byte, a stray quote
        what = "a field is over 131,072 characters" if "field limit" in str(exc) else str(exc)
        raise UnreadableFileError(
            label, f"not a readable CSV table at line {reader.line_num}: {what}"
        ) from None
    if not rows:
        return [], []
    header = [h.strip() or f"column {i + 1}" for i, h in enumerate(rows[0])]
    records = []
    for n, row in enumerate(rows[1:], 2):
        record = {h: v.strip() for h, v in zip(header, row, strict=False) if v.strip()}
        if record:
            records.append((n, record))
    return header, records


def _find(record: dict[str, Any], names: tuple[str, ...]) -> str | None:
    lowered = {str(k).strip().lower(): k for k in record}
    for name in names:
        key = lowered.get(name)
        if key is not None and _scalar(record[key]):
            return str(key)
    return None


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool | int | float):
        return str(value)
    if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        return ", ".join(_scalar(v) for v in value if _scalar(v))
    return json.dumps(value, ensure_ascii=False)


def render_record(record: dict[str, Any], level: int = 2) -> str:
    hashes = "#" * min(level, 6)
    q, a = _find(record, _QUESTION), _find(record, _ANSWER)
    if q and a:
        head, skip = f"{hashes} {_scalar(record[q])}\n{_scalar(record[a])}", {q, a}
    elif title := _find(record, _TITLE):
        head, skip = f"{hashes} {_scalar(record[title])}", {title}
    else:
        head, skip = "", set()
    fields = [
        f"{key}: {_scalar(value)}"
        for key, value in record.items()
        if key not in skip and _scalar(value)
    ]
    return "\n".join(filter(None, [head, *fields]))


def render_records(records: list[dict[str, Any]], level: int = 2) -> str:
    return "\n\n".join(filter(None, (render_record(r, level) for r in records)))


def render_json(value: Any, level: int = 2) -> str:
    """Any JSON value as nested Markdown: keys with structure become headings."""
    if isinstance(value, list):
        if value and all(isinstance(v, dict) for v in value):
            return render_records(value, level)
        return "\n".join(f"- {_scalar(v)}" for v in value if _scalar(v))
    if not isinstance(value, dict):
        return _scalar(value)
    parts: list[str] = []
    for key, item in value.items():
        if isinstance(item, dict) or (
            isinstance(item, list) and any(isinstance(v, dict | list) for v in item)
        ):
            body = render_json(item, level + 1)
            if body:
                parts.append(f"{'#' * min(level, 6)} {key}\n\n{body}")
        elif text := _scalar(item):
            parts.append(f"{key}: {text}")
    return "\n\n".join(parts)
