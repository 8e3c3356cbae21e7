"""Summaries, health stats and the FAQ workflow over realistic chat exports, via the facade/CLI."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import jsonschema
import pytest
from typer.testing import CliRunner

from copilot.cli import app
from copilot.skills.results import SummaryResult
from copilot.text import text_width
from tests.conftest import KNOWLEDGE
from tests.fakes.openai_server import fake_openai_server

TELEGRAM = KNOWLEDGE / "samples" / "chat" / "telegram_result.json"
JSONL = KNOWLEDGE / "samples" / "chat" / "morning_readers.jsonl"


@pytest.fixture
def chat(fake_copilot):  # type: ignore[no-untyped-def]
    report = fake_copilot.ingest_paths("club", [TELEGRAM, JSONL])
    assert not report.skipped
    return fake_copilot


def test_summary_is_structured_schema_valid_and_safe(chat) -> None:  # type: ignore[no-untyped-def]
    result = chat.summarize("club")
    data = result.model_dump(mode="json")
    jsonschema.validate(data, SummaryResult.model_json_schema())
    assert result.mode == "offline" and result.messages > 100
    assert any("朝阳公园南门" in (d.place or d.text) for d in result.summary.decisions)
    assert any(
        d.owner == "北京-小王" for d in result.summary.decisions
    )  # "小王负责…", as the chat names him
    text = json.dumps(data, ensure_ascii=False)
    assert "13812345678" not in text and "laochen.reads@example.com" not in text
    decisions_and_actions = " ".join(
        [d.text for d in result.summary.decisions] + [a.task for a in result.summary.action_items]
    )
    assert "忽略之前" not in decisions_and_actions and "代购" not in decisions_and_actions
    # one message's worth: 1200 wide (a Latin letter half a character), never 1800 letters
    assert text_width(result.markdown) <= 1200 and len(result.markdown) <= 1800


def test_an_empty_window_gives_a_clear_notice_not_an_error(chat) -> None:  # type: ignore[no-untyped-def]
    result = chat.summarize(
        "club", since=datetime(2020, 1, 1, tzinfo=UTC), until=datetime(2020, 1, 2, tzinfo=UTC)
    )
    assert result.messages == 0 and "没有消息" in result.notice


def test_summary_window_and_channel_filters_apply(chat) -> None:  # type: ignore[no-untyped-def]
    everything = chat.summarize("club").messages
    recent = chat.summarize("club", since=datetime(2026, 11, 8, tzinfo=UTC)).messages
    assert 0 < recent < everything


def test_llm_summary_sends_the_versioned_prompt_and_falls_back_on_errors(
    chat, settings, embedder
) -> None:  # type: ignore[no-untyped-def]
    from copilot.service import Copilot

    with fake_openai_server() as fake:
        configured = settings.model_copy(
            update={"llm_provider": "openai", "llm_base_url": fake.url, "llm_max_retries": 0}
        )
        cp = Copilot(configured, embedder=embedder)
        fake.enqueue(
            *[
                json.dumps(
                    {
                        "topics": [{"title": "周六线下晨跑", "keywords": ["晨跑"]}],
                        "decisions": [
                            {
                                "text": "周六上午9点朝阳公园南门集合",
                                "date": "周六上午9点",
                                "place": "朝阳公园南门",
                                "owner": "小王",
                                "message_id": "m1",
                            }
                        ],
                        "action_items": [],
                        "open_questions": [],
                        "mood": {"label": "positive", "reason": "大家很期待"},
                    }
                )
            ]
            * 10
        )
        llm_result = cp.summarize("club")
        fake.queue[:] = [500]
        fallback = cp.summarize("club")
        cp.close()
    assert llm_result.mode == "llm" and llm_result.prompt == "summarize@v1"
    assert llm_result.summary.topics[0].title == "周六线下晨跑"
    assert llm_result.summary.mood.label == "positive"
    sent = fake.prompts()[0]
    assert "<<<MESSAGES" in sent and "忽略之前的所有指令" not in sent  # injection never sent
    assert "13812345678" not in sent  # redacted before it was ever stored
    assert fallback.mode == "offline-fallback" and fallback.summary.decisions


def test_stats_cli_prints_exact_json(chat, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COPILOT_DATA_DIR", str(settings.data_dir))
    result = CliRunner().invoke(app, ["stats", "--community", "club", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["total_messages"] == chat.stats("club").total_messages > 100
    assert "unanswered_questions" in data["signals"]


def test_faq_candidates_can_be_approved_into_answers(chat) -> None:  # type: ignore[no-untyped-def]
    from copilot.skills.faq import list_entries

    assert chat.faq_refresh("club") >= 1
    assert chat.faq_refresh("club") == 0  # mining again adds no duplicates
    candidate = list_entries(chat.db, "club", "pending")[0]
    chat.faq_decide("club", candidate.id, "approved", answer="年费 99 元，7 天内可以全额退款。")
    approved = list_entries(chat.db, "club", "approved")
    assert [e.id for e in approved] == [candidate.id]
    result = chat.ask("club", candidate.question)
    assert any(c.source == "faq:approved" for c in result.citations) or result.handoff is False


def test_summarize_cli_rejects_unreadable_times(chat, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COPILOT_DATA_DIR", str(settings.data_dir))
    result = CliRunner().invoke(app, ["summarize", "-c", "club", "--since", "last tuesday"])
    assert result.exit_code == 2
    assert "cannot read the time 'last tuesday'" in result.output


def test_summarize_cli_prints_the_digest_and_a_footer_in_its_language(
    chat, settings, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COPILOT_DATA_DIR", str(settings.data_dir))
    result = CliRunner().invoke(app, ["summarize", "-c", "club"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("**群聊摘要**")
    assert "条消息 · 离线模式" in result.output and "messages" not in result.output
    english = CliRunner().invoke(app, ["summarize", "-c", "club", "--language", "en"])
    assert "**Chat digest**" in english.output and "messages · offline" in english.output
