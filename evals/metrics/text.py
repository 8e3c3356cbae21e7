"""Text helpers for scoring: folding, tolerant containment, output fields, personal data."""

from __future__ import annotations

import json
import re
from typing import Any

from copilot.text import detect_language, fold_chinese, tokenize

__all__ = [
    "contains",
    "detect_language",
    "find_pii",
    "fold",
    "get_field",
    "render_output",
    "text_language",
    "tokenize",
]

# Personal data that must never surface in a summary or a draft (DESIGN.md §5, Privacy).
PII_PATTERNS: dict[str, re.Pattern[str]] = {
    "phone": re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)"),
    "email": re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"),
    "id-card": re.compile(r"(?<!\d)\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])\d{2}\d{3}[\dXx](?!\d)"),
}


def fold(text: str) -> str:
    """Traditional→simplified, NFKC, lowercase, whitespace collapsed."""
    return re.sub(r"\s+", " ", fold_chinese(text or "")).strip()


def contains(text: str, needle: str | list[str]) -> bool:
    """Folded containment; a list means any one of the alternatives."""
    hay = fold(text)
    options = needle if isinstance(needle, list) else [needle]
    return any(fold(o) in hay for o in options if o)


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")


def text_language(text: str) -> str:
    """zh or en by majority script, else copilot's detector.

    An English answer that quotes terms like 同好 (as the English playbooks do) is still
    English: count Chinese characters / 1.5 (about one word) against Latin words.
    """
    han = len(_HAN.findall(text or ""))
    latin = len(_LATIN_WORD.findall(text or ""))
    if han or latin:
        detected = detect_language(text)
        if detected in ("zh", "en"):
            return "zh" if han / 1.5 > latin else "en"
        return detected
    return "other"


def find_pii(text: str) -> list[str]:
    found: list[str] = []
    for kind, pattern in PII_PATTERNS.items():
        found.extend(f"{kind}: {m.group(0)}" for m in pattern.finditer(text or ""))
    return found


def get_field(output: dict[str, Any], path: str) -> Any:
    """Dotted lookup into an output dict ('summary.decisions', 'citations.0.source')."""
    cur: Any = output
    for part in path.split("."):
        if isinstance(cur, dict):
            cur = cur.get(part)
        elif isinstance(cur, list) and part.isdigit() and int(part) < len(cur):
            cur = cur[int(part)]
        else:
            return None
    return cur


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def render_output(skill: str, output: dict[str, Any]) -> str:
    """The human-readable text of an output: what reports show and text checks read."""
    if skill == "ask":
        return str(output.get("answer", ""))
    if skill == "draft":
        return str(output.get("text", ""))
    if skill == "summarize":
        return str(output.get("markdown") or as_text(output.get("summary")))
    if skill == "suggest":
        lines = []
        for i, s in enumerate(output.get("suggestions") or [], start=1):
            lines.append(
                f"{i}. {s.get('name', '')} [{s.get('activity_id', '')}] "
                f"{s.get('rationale', '')}".rstrip()
            )
        return "\n".join(lines)
    if skill == "replay":
        lines = []
        for t in output.get("turns") or []:
            reply = (
                t.get("answer", "")
                if t.get("answered")
                else "(silent: handed off)"
                if t.get("routed")
                else "(silent)"
            )
            lines.append(f"[{t.get('id')}] {reply}")
        return "\n".join(lines)
    return as_text(output)
