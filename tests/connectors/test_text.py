from __future__ import annotations

import pytest

from connectors.text import compose, split_command, split_text, truncate, utf8_len, utf16_len


def test_short_text_is_one_chunk_and_empty_is_none() -> None:
    assert split_text("  hello  ", 10) == ["hello"]
    assert split_text("   ", 10) == []


def test_prefers_paragraph_then_sentence_boundaries() -> None:
    text = "First paragraph is here.\n\nSecond one. It has two sentences."
    assert split_text(text, 40) == ["First paragraph is here.", "Second one. It has two sentences."]
    assert split_text("Alpha beta. Gamma delta epsilon.", 20) == [
        "Alpha beta.",
        "Gamma delta epsilon.",
    ]


def test_chinese_sentences_split_without_spaces() -> None:
    text = "今天讨论了活动方案。大家同意周五举办线下聚会！请提前报名。"
    chunks = split_text(text, 13)
    assert chunks == ["今天讨论了活动方案。", "大家同意周五举办线下聚会！", "请提前报名。"]


@pytest.mark.parametrize("measure", [len, utf16_len, utf8_len])
def test_every_chunk_fits_and_nothing_is_lost(measure: object) -> None:
    text = ("Mixed 中文 text with emoji 😀👍🏽 and more words. " * 80).strip()
    chunks = split_text(text, 200, measure)  # type: ignore[arg-type]
    assert all(measure(c) <= 200 for c in chunks)  # type: ignore[operator]
    assert "".join(chunks).replace(" ", "") == text.replace(" ", "")


def test_hard_cut_never_splits_a_surrogate_pair_or_zwj_sequence() -> None:
    family = "👨\u200d👩\u200d👧"  # one grapheme, 8 UTF-16 units
    chunks = split_text(family * 10, 9, utf16_len)
    assert all(c == family for c in chunks)
    for c in split_text("😀" * 9, 5, utf16_len):
        c.encode("utf-16-le")  # no lone surrogate: encoding would fail
        assert utf16_len(c) <= 5


def test_truncate_marks_the_cut() -> None:
    out = truncate("one two three four five six", 12)
    assert out.endswith("…") and len(out) <= 12
    assert truncate("short", 12) == "short"


def test_compose_escapes_within_limit_and_appends_mentions() -> None:
    chunks = compose("a<b " * 30, 40, escape=lambda s: s.replace("<", "&lt;"), suffix="<@U1>")
    assert all(len(c) <= 40 for c in chunks)
    assert chunks[-1].endswith("\n\n<@U1>") and "<b" not in "".join(chunks)
    assert compose("", 40, suffix="<@U1>") == ["<@U1>"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/summary 24h", ("summary", "24h", None)),
        ("/Summary@copilot_bot  last week ", ("summary", "last week", "copilot_bot")),
        ("／draft 欢迎新人", ("draft", "欢迎新人", None)),
        ("/ask", ("ask", "", None)),
        ("what is /summary?", (None, "what is /summary?", None)),
        ("/ 24h", (None, "/ 24h", None)),
        ("总结今天的讨论", (None, "总结今天的讨论", None)),
    ],
)
def test_split_command(text: str, expected: tuple[str | None, str, str | None]) -> None:
    assert split_command(text) == expected
