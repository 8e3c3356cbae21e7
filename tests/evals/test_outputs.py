"""The operator-outputs harness: outputs.yaml is read as written, each kind is scored on what
an operator would see, and the report gates the dev split only."""

from __future__ import annotations

import json
import textwrap
from datetime import date
from pathlib import Path

import pytest

from copilot.embeddings.fake import HashingEmbedder
from copilot.retrieval.memory import MemoryVectorStore
from copilot.skills.results import (
    ActionItem,
    Decision,
    DraftResult,
    QuestionRef,
    SuggestResult,
    Summary,
    SummaryResult,
)
from copilot.skills.results.common import HealthNumbers, PlanStep, Suggestion
from evals.communities import COMMUNITIES, community_id, prepared
from evals.outputs import (
    DraftCase,
    OutputsError,
    SuggestionsSpec,
    SummaryCase,
    load_output_communities,
    load_outputs,
    run_community,
    score_draft,
    score_suggestions,
    score_summary,
)
from evals.outputs import __main__ as report

CHAT = [
    {
        "id": "m1",
        "ts": "2026-11-02T10:00:00+08:00",
        "author": "小王",
        "text": "请问周六活动在哪里集合？",
    },
    {
        "id": "m2",
        "ts": "2026-11-02T10:05:00+08:00",
        "author": "小李",
        "text": "在南门集合",
        "reply_to": "m1",
    },
    {
        "id": "m3",
        "ts": "2026-11-02T11:00:00+08:00",
        "author": "小张",
        "text": "有人知道附近停车方便吗？",
    },
    {
        "id": "m4",
        "ts": "2026-11-02T11:20:00+08:00",
        "author": "广告哥",
        "text": "兼职日结200，加V：abc12345",
    },
    {"id": "m5", "ts": "2026-11-02T12:00:00+08:00", "author": "小赵", "text": "今天打卡完成"},
]


def _community(root: Path, split: str = "dev", stats: str = "") -> Path:
    folder = root / f"mini-{split}"
    (folder / "knowledge" / "chat").mkdir(parents=True)
    chat = folder / "knowledge" / "chat" / "chat.jsonl"
    chat.write_text("\n".join(json.dumps(m, ensure_ascii=False) for m in CHAT), "utf-8")
    (folder / "community.yaml").write_text(
        f"id: mini-{split}\nsplit: {split}\nprofile: {{name: 迷你群, timezone: Asia/Shanghai}}\n",
        "utf-8",
    )
    (folder / "ask.yaml").write_text(
        textwrap.dedent(f"""
            suite: ask-mini-{split}
            skill: ask
            community: eval-mini-{split}
            knowledge: [{{path: {chat}, kind: chat}}]
            cases: [{{id: q, question: 在哪里集合？, handoff: false}}]
            """),
        "utf-8",
    )
    (folder / "outputs.yaml").write_text(
        stats
        or textwrap.dedent("""
            summaries:
              - id: day
                since: 2026-11-02T00:00:00+08:00
                until: 2026-11-03T00:00:00+08:00
                questions: [["停车"]]
                answered: [["集合"]]
                must_not_contain: ["abc12345"]
            stats:
              - {id: right, messages: 5, members: 5, spam: 1, questions: 2, unanswered: 1}
              - {id: wrong, messages: 9}
            """),
        "utf-8",
    )
    return folder


def test_every_evaluation_communitys_outputs_file_reads() -> None:
    """The files as authored: each dev community has cases of every kind."""
    for target in load_output_communities(splits=("dev",)):
        o = target.outputs
        assert o.drafts and o.summaries and o.stats and o.suggestions, target.id


def test_a_bad_outputs_file_names_the_file_and_the_field(tmp_path: Path) -> None:
    path = tmp_path / "outputs.yaml"
    path.write_text("stats:\n  - {id: s, spam: many}\n", "utf-8")
    with pytest.raises(OutputsError, match=r"outputs\.yaml: stats\.0\.spam"):
        load_outputs(path)


def _summary(**parts: object) -> SummaryResult:
    summary = Summary(**parts)  # type: ignore[arg-type]
    return SummaryResult(
        summary=summary, markdown=summary.to_markdown("zh"), language="zh", messages=3
    )


def test_a_decision_without_its_details_fails_and_says_which_detail() -> None:
    case = SummaryCase(
        id="w",
        decisions=[["线下模考"]],
        decision_details=[["12月5日"], ["鲁磨路"]],
        owners=["助教-阿周"],
        owner_dates=[{"owner": "助教-阿周", "due": ["11月20日"]}],  # type: ignore[list-item]
    )
    header_only = _summary(decisions=[Decision(text="线下模考方案定下来了：", message_id="m1")])
    checks = {c.name: c for c in score_summary(case, header_only)}
    assert checks["decisions"].passed
    assert not checks["decision_details"].passed
    assert "12月5日" in checks["decision_details"].detail
    assert "鲁磨路" in checks["decision_details"].detail
    assert not checks["owners"].passed and "助教-阿周" in checks["owners"].detail

    detailed = _summary(
        decisions=[Decision(text="线下模考：12月5日 鲁磨路88号", owner="阿周", message_id="m1")],
        action_items=[
            ActionItem(
                task="阿周整理考场名单", owner="阿周", due_on=date(2026, 11, 20), message_id="m2"
            )
        ],
    )
    assert all(c.passed for c in score_summary(case, detailed))


def test_a_telegram_draft_is_scored_as_members_read_it() -> None:
    """HTML parse mode escapes "&": members read "Ohm & Wheel", and so does the check."""
    case = DraftCase(id="d", kind="reminder", topic="t", must_contain=["Ohm & Wheel"])
    draft = DraftResult(
        text="<b>Reminder</b>\nWorkshop at Ohm &amp; Wheel, 19:00",
        variants=[],
        citations=[],
        checks=[],
        kind="reminder",
        channel="telegram",
        language="en",
    )
    assert all(c.passed for c in score_draft(case, draft))


def test_an_answered_question_listed_as_open_fails() -> None:
    case = SummaryCase(id="w", questions=[["停车"]], answered=[["集合"]])
    result = _summary(
        unanswered_questions=[
            QuestionRef(text="在哪里集合？", author="小王", message_id="m1"),
            QuestionRef(text="停车方便吗？", author="小张", message_id="m3"),
        ]
    )
    checks = {c.name: c for c in score_summary(case, result)}
    assert checks["open_questions"].passed
    assert not checks["answered_not_open"].passed and "集合" in checks["answered_not_open"].detail


def test_no_decisions_expected_means_none_listed() -> None:
    case = SummaryCase.model_validate({"id": "w", "decisions": []})
    resolution = _summary(decisions=[Decision(text="我决定明年再养第二只", message_id="m9")])
    checks = {c.name: c for c in score_summary(case, resolution)}
    assert not checks["no_decisions"].passed and "我决定" in checks["no_decisions"].detail


def _suggestion(name: str, pitch: str) -> Suggestion:
    return Suggestion(
        activity_id=name, name=name, score=1.0, rationale="", pitch=pitch, goal="retention",
        effort="low", start=date(2026, 12, 1), plan=[PlanStep(date=date(2026, 12, 1), step="开始")],
        kpis=[], materials=[], signals_matched=[], score_breakdown={},
    )  # fmt: skip


def _suggest(*suggestions: Suggestion) -> SuggestResult:
    return SuggestResult(
        suggestions=list(suggestions), health=HealthNumbers(), today=date(2026, 12, 1),
        community_type="learning", language="zh",
    )  # fmt: skip


def test_suggestions_that_repeat_an_activity_or_break_a_rule_fail() -> None:
    spec = SuggestionsSpec(
        runs_already=["21天打卡"], rules=["积分兑换只在每月1号到3号开放"], must_not_contain=["跑步"]
    )
    bad = _suggest(
        _suggestion("21天打卡挑战", "发起21天打卡"),
        _suggestion("积分兑换周", "本周六开放积分兑换，大家来换礼品"),
    )
    checks = {c.name: c for c in score_suggestions(spec, bad)}
    assert not checks["not_already_run"].passed and "21天打卡" in checks["not_already_run"].detail
    assert not checks["keeps_rules"].passed and "周六" in checks["keeps_rules"].detail
    good = _suggest(
        _suggestion("经验分享会", "延续现有的21天打卡，再请上岸学长分享；积分兑换仍在每月1号到3号")
    )
    assert all(c.passed for c in score_suggestions(spec, good))


def test_a_community_is_run_and_scored_end_to_end(tmp_path: Path) -> None:
    _community(tmp_path / "communities")
    (target,) = load_output_communities(tmp_path / "communities")
    embedder = HashingEmbedder()
    cp = prepared(
        target.community,
        tmp_path / "data",
        embedder=embedder,
        vectors=MemoryVectorStore(embedder.name),
    )
    assert community_id(target.community) == "eval-mini-dev"
    scores = {s.id: s for s in run_community(target, kinds=["summaries", "stats"], copilot=cp)}
    cp.close()
    assert scores["right"].passed, scores["right"].checks
    assert not scores["wrong"].passed
    assert scores["wrong"].checks[0].detail == "5, hand count 9"
    assert not scores["day"].error
    assert "abc12345" not in scores["day"].output  # the spam's contact never reaches a summary


def test_the_report_hides_what_held_out_cases_miss_and_gates_dev_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "communities"
    stats = "stats:\n  - {id: count, messages: 99}\n"
    _community(root, "dev", stats)
    _community(root, "heldout", stats)
    embedder = HashingEmbedder()

    def run(target, data, kinds):  # type: ignore[no-untyped-def]
        cp = prepared(
            target.community, data, embedder=embedder, vectors=MemoryVectorStore(embedder.name)
        )
        try:
            return run_community(target, kinds=kinds, copilot=cp)
        finally:
            cp.close()

    monkeypatch.setattr(report, "run_community", run)
    code = report.main(
        ["--root", str(root), "--data", str(tmp_path / "d"), "--split", "all",
         "--fail-under", "stats=0.5"]
    )  # fmt: skip
    printed = capsys.readouterr()
    assert code == 1 and "gate failed: dev stats = 0.00 < 0.50" in printed.err
    dev, heldout = printed.out.split("mini-heldout (heldout)")
    assert "hand count 99" in dev and "FAIL stats" in heldout
    assert "hand count" not in heldout.split("split")[0]
    assert report.main(["--root", str(root), "--split", "heldout", "--fail-under", "stats=0.5",
                        "--data", str(tmp_path / "d")]) == 0  # fmt: skip


def test_the_real_communities_folder_is_the_default() -> None:
    assert (COMMUNITIES / "kaoyan-wechat" / "outputs.yaml").is_file()


def test_a_forbidden_word_must_appear_as_a_word() -> None:
    from evals.outputs.scoring import _absent

    assert _absent("x", "Room B (the electronics room at the back)", ["Room A"]).passed
    assert not _absent("x", "Room A or Room B", ["Room A"]).passed
    assert not _absent("x", "Fusion 360 early bird", ["Fusion"]).passed
    assert not _absent("x", "加V：szmls2026", ["szmls2026"]).passed
