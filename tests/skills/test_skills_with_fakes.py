"""Each skill driven through its ports alone: a scripted retriever, the hashing embedder and
the scriptable FakeLLM. What a user would see: only real citations, honest provenance, the
offline engine whenever the model fails."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from copilot.embeddings.fake import HashingEmbedder
from copilot.llm.fake import FakeLLM
from copilot.models import ChatMessage
from copilot.profile import CommunityProfile
from copilot.skills.answer import AnswerPorts, answer_question
from copilot.skills.draft import DraftPorts, make_request, write_draft
from copilot.skills.suggest import SuggestPorts, suggest_activities
from copilot.skills.summarize import SummarizePorts, summarize_messages
from tests.skills.fakes import ScriptedRetriever, passage, unit_settings

RULES = [
    passage(1, "读书分享会每周三晚上八点在腾讯会议举行。", source="rules.md"),
    passage(2, "每次签到可以获得十个积分，积分可以兑换书籍。", source="points.md"),
]


def answer_ports(tmp_path: Path, llm: FakeLLM | None, confidence: float = 0.9) -> AnswerPorts:
    retriever = ScriptedRetriever(RULES, confidence)
    return AnswerPorts(unit_settings(tmp_path), retriever, llm)


def test_an_llm_answer_keeps_only_citations_of_passages_it_was_sent(tmp_path: Path) -> None:
    llm = FakeLLM(["分享会在每周三晚上八点[1]，签到有积分[2]，还有抽奖[7]。"])
    result = answer_question(answer_ports(tmp_path, llm), "club", "分享会什么时候？")
    assert result.mode == "llm" and result.prompt.startswith("answer@")
    assert result.answer == "分享会在每周三晚上八点[1]，签到有积分[2]，还有抽奖。"
    assert [c.chunk_id for c in result.citations] == ["chunk-1", "chunk-2"]
    sent = "\n".join(str(m.content) for m in llm.calls[0])
    assert "[1] (rules.md)" in sent and "<<<分享会什么时候？>>>" in sent


def test_below_the_threshold_the_model_is_not_asked_and_a_moderator_is(tmp_path: Path) -> None:
    llm = FakeLLM(["anything"])
    result = answer_question(answer_ports(tmp_path, llm, confidence=0.1), "club", "明天下雨吗？")
    assert result.handoff and result.citations == [] and "管理员" in result.answer
    assert llm.calls == []


def test_when_the_model_is_down_the_offline_engine_answers_from_the_passages(
    tmp_path: Path,
) -> None:
    result = answer_question(
        answer_ports(tmp_path, FakeLLM([TimeoutError("timed out")])), "club", "分享会几点开始？"
    )
    assert result.mode == "offline-fallback" and not result.handoff
    assert "八点" in result.answer and result.citations[0].source == "rules.md"


def draft_ports(tmp_path: Path, llm: FakeLLM | None) -> DraftPorts:
    return DraftPorts(unit_settings(tmp_path), ScriptedRetriever(RULES), HashingEmbedder(), llm)


def test_a_drafted_post_cites_what_the_model_cited_and_nothing_it_made_up(
    tmp_path: Path,
) -> None:
    reply = {"text": "周三晚八点读书分享会 [1]，欢迎来！", "citations": [1, 9], "variants": []}
    request = make_request(
        CommunityProfile(), kind="announcement", topic="读书分享会", channel="wechat_group"
    )
    result = write_draft(
        draft_ports(tmp_path, FakeLLM([json.dumps(reply)])), "club", CommunityProfile(), request
    )
    assert result.mode == "llm" and result.text == "周三晚八点读书分享会，欢迎来！"
    assert [c.source for c in result.citations] == ["rules.md"]


def test_a_drafted_post_cites_each_passage_once_however_often_the_model_marks_it(
    tmp_path: Path,
) -> None:
    reply = {
        "text": "周三晚八点 [2] 读书分享会 [1]，签到有积分 [2]。",
        "citations": [],
        "variants": [],
    }
    # Not an event post: an announcement would send only the event's own notice passage.
    request = make_request(
        CommunityProfile(), kind="knowledge_share", topic="读书分享会", channel="wechat_group"
    )
    result = write_draft(
        draft_ports(tmp_path, FakeLLM([json.dumps(reply)])), "club", CommunityProfile(), request
    )
    assert [c.source for c in result.citations] == ["points.md", "rules.md"]


def test_a_reply_that_is_not_the_json_asked_for_falls_back_offline(tmp_path: Path) -> None:
    request = make_request(
        CommunityProfile(), kind="announcement", topic="读书分享会", channel="wechat_group"
    )
    result = write_draft(
        draft_ports(tmp_path, FakeLLM(["Sure! Here is your post: ..."])),
        "club",
        CommunityProfile(),
        request,
    )
    assert (result.mode, result.prompt) == ("offline-fallback", "draft@v1")
    assert "八点" in result.text and result.citations


def chat(n: int) -> list[ChatMessage]:
    start = datetime(2026, 11, 2, 9, tzinfo=UTC)
    return [
        ChatMessage(
            id=f"m{i}",
            community="club",
            author=f"member{i % 3}",
            ts=start + timedelta(minutes=i),
            text=f"周六去香山徒步，第{i}个人报名，记得带水。",
        )
        for i in range(n)
    ]


def test_a_summary_keeps_the_offline_facts_when_the_model_fails(tmp_path: Path) -> None:
    partial = {
        "topics": [{"title": "香山徒步报名", "keywords": ["徒步"]}],
        "mood": {"label": "positive"},
    }
    ok = summarize_messages(SummarizePorts(FakeLLM([json.dumps(partial)])), chat(12))
    assert ok.mode == "llm" and [t.title for t in ok.summary.topics] == ["香山徒步报名"]
    assert ok.summary.mood.label == "positive" and ok.batches == 1

    failed = summarize_messages(SummarizePorts(FakeLLM([])), chat(12))
    offline = summarize_messages(SummarizePorts(None), chat(12))
    assert failed.mode == "offline-fallback" and offline.mode == "offline"
    assert failed.summary == offline.summary and failed.markdown == offline.markdown


def test_a_window_of_nothing_but_spam_is_answered_plainly_without_asking_the_model(
    tmp_path: Path,
) -> None:
    start = datetime(2026, 11, 2, 9, tzinfo=UTC)
    spam = [
        ChatMessage(
            id=f"s{i}",
            community="club",
            author="ad",
            ts=start + timedelta(minutes=i),
            text=f"低价代购正品，加微信 shop{i}888 领券",
        )
        for i in range(5)
    ]
    llm = FakeLLM(['{"topics": [{"title": "代购", "keywords": []}]}'])
    result = summarize_messages(SummarizePorts(llm), spam, language="en")
    assert llm.calls == [] and result.mode == "offline" and result.batches == 0
    assert result.notice.startswith("All 5 messages in this window look like spam")
    assert result.summary.topics == [] and "shop" not in result.markdown


def test_only_the_pitches_of_suggestions_are_polished_by_the_model(tmp_path: Path) -> None:
    profile = CommunityProfile(type="learning", goals=["activation"])
    offline = suggest_activities(
        SuggestPorts(None, None), "club", profile, chat(30), today=date(2026, 11, 3), limit=2
    )
    first = offline.suggestions[0].activity_id
    reply = {"suggestions": [{"activity_id": first, "pitch": "来一场读书打卡挑战吧！"}]}
    polished = suggest_activities(
        SuggestPorts(None, FakeLLM([json.dumps(reply)])),
        "club",
        profile,
        chat(30),
        today=date(2026, 11, 3),
        limit=2,
    )
    assert polished.mode == "llm"
    assert [s.activity_id for s in polished.suggestions] == [
        s.activity_id for s in offline.suggestions
    ]
    assert polished.suggestions[0].pitch == "来一场读书打卡挑战吧！"
    assert polished.suggestions[1].pitch == offline.suggestions[1].pitch


def test_an_llm_announcement_sees_only_the_events_own_notice(tmp_path: Path) -> None:
    """The model is sent the notice of the event the topic names, not a passage that also
    holds another event: it cannot mix the two up."""
    start = datetime(2026, 11, 9, 12, tzinfo=UTC)
    lines = ["方案定下来了：", "冬季徒步\n时间：12月6日（周日）8:00\n地点：香山东门\n费用：30元"]
    notice = [
        ChatMessage(
            id=f"n{i}",
            community="club",
            author="管理员",
            ts=start + timedelta(minutes=i),
            text=text,
        )
        for i, text in enumerate(lines)
    ]
    other = "[11-02 09:00] 管理员: 读书会改到周五 20:00，地点：三楼会议室"
    chunk = passage(3, f"{other}\n[11-09 12:00] 管理员: " + "\n".join(lines), kind="chat")
    retriever = ScriptedRetriever([*RULES, chunk])
    reply = {"text": "冬季徒步 12月6日 8:00 香山东门集合 [1]", "citations": [1], "variants": []}
    llm = FakeLLM([json.dumps(reply, ensure_ascii=False)])
    profile = CommunityProfile(admins=["管理员"])
    ports = DraftPorts(unit_settings(tmp_path), retriever, HashingEmbedder(), llm)
    request = make_request(
        profile, kind="announcement", topic="12月冬季徒步", channel="wechat_group"
    )
    result = write_draft(ports, "club", profile, request, messages=notice)
    sent = "\n".join(str(m.content) for m in llm.calls[0])
    assert "香山东门" in sent and "30元" in sent
    assert "读书会" not in sent and "三楼会议室" not in sent and "腾讯会议" not in sent
    assert result.mode == "llm" and [c.chunk_id for c in result.citations] == ["chunk-3"]
