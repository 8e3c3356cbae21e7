"""Activity suggestions: ranked by type, goals, measured health and the calendar, explainably."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from copilot.cli import app
from copilot.config import Settings
from copilot.models import ChatMessage
from copilot.profile import CommunityProfile, save_profile
from copilot.service import Copilot
from copilot.skills.results import SuggestResult
from copilot.skills.suggest.catalogue import CATALOGUE_PATH, CatalogueError, load_catalogue
from copilot.skills.suggest.holidays import holidays_of_year, upcoming
from tests.conftest import KNOWLEDGE
from tests.fakes.openai_server import fake_openai_server

END = datetime(2026, 11, 11, 21, 0, tzinfo=UTC)
TODAY = date(2026, 11, 12)
ICEBREAKERS = {"daily-one-line-prompt", "quick-poll", "intro-chain", "silent-member-reconnect"}
QUESTION_FIXERS = {"newcomer-qa-day", "ama-night", "weekly-digest"}


def history(community: str, *, members: int, silent: int, unanswered: int) -> list[ChatMessage]:
    """Two weeks of chat: active members post daily; silent ones said hello 20 days ago."""

    def msg(i: int, author: str, ts: datetime, text: str) -> ChatMessage:
        return ChatMessage(id=f"m{i}", community=community, author=author, ts=ts, text=text)

    out = [
        msg(i, f"安静{i}", END - timedelta(days=20, hours=i), "大家好，我来报到")
        for i in range(silent)
    ]
    for day in range(14):
        for j in range(members - silent):
            ts = END - timedelta(days=day, hours=j % 6, minutes=j)
            out.append(msg(len(out), f"活跃{j}", ts, "今天读了二十页《原子习惯》，收获很大"))
    for q in range(unanswered):
        ts = END - timedelta(days=2, minutes=90 * q)
        out.append(msg(len(out), f"活跃{q}", ts, f"第{q + 3}章后面的练习题到底该怎么做？"))
    return out


@pytest.fixture(scope="module")
def cp(tmp_path_factory: pytest.TempPathFactory, embedder):  # type: ignore[no-untyped-def]
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("suggest"), llm_provider="offline", _env_file=None
    )  # type: ignore[call-arg]
    instance = Copilot(settings, embedder=embedder, llm=None)
    # The ranking is tested on communities with no playbook: the starter playbooks run many
    # formats, and a format a community already runs is never suggested (see "runs").
    instance.ingest_paths("runs", [KNOWLEDGE / "playbooks"])
    organiser = [
        ChatMessage(
            id=f"r{i}",
            community="runs",
            author="小林(管理员)",
            ts=END - timedelta(days=7 * i),
            text=f"今天的每日一问：你第{i + 1}次早起是为了什么？",
        )
        for i in range(2)
    ]
    instance.ingest_messages("runs", organiser)
    instance.ingest_messages("quiet", history("quiet", members=20, silent=12, unanswered=0))
    instance.ingest_messages("stuck", history("stuck", members=20, silent=2, unanswered=4))
    yield instance
    instance.close()


@pytest.fixture(autouse=True)
def learning_profiles(cp) -> None:  # type: ignore[no-untyped-def]
    for community in ("quiet", "stuck", "fresh"):
        save_profile(cp.db, community, CommunityProfile(name="晨跑读书会", type="learning"))
    save_profile(
        cp.db,
        "runs",
        CommunityProfile(name="晨跑读书会", type="learning", admins=["小林(管理员)"]),
    )


def test_many_silent_members_puts_an_icebreaker_first_with_the_numbers(cp) -> None:  # type: ignore[no-untyped-def]
    result = cp.suggest("quiet", today=TODAY)
    assert result.health.signals == ["many_silent_members"]
    assert (result.health.members, result.health.silent_members) == (20, 12)
    first = result.suggestions[0]
    assert first.activity_id in ICEBREAKERS and first.signals_matched == ["many_silent_members"]
    assert "20 位成员中有 12 位（60%）已沉默 7 天以上" in first.rationale
    assert any("沉默成员：现在 12/20" in k for k in first.kpis)  # the KPI to watch, with baseline


def test_the_ranking_follows_the_health_signals(cp) -> None:  # type: ignore[no-untyped-def]
    quiet = cp.suggest("quiet", today=TODAY)
    stuck = cp.suggest("stuck", today=TODAY)
    assert stuck.health.signals == ["unanswered_questions"]
    assert stuck.suggestions[0].activity_id in QUESTION_FIXERS
    assert "4 个没人回复" in stuck.suggestions[0].rationale
    assert quiet.suggestions[0].activity_id != stuck.suggestions[0].activity_id
    fresh = cp.suggest("fresh", today=TODAY)  # no chat history: nothing to react to
    assert fresh.health.signals == [] and all(
        s.score_breakdown["signals"] == 0 for s in fresh.suggestions
    )
    assert "还没有导入聊天记录" in fresh.notes[0]


def test_scores_are_the_sum_of_their_explained_terms(cp) -> None:  # type: ignore[no-untyped-def]
    result = cp.suggest("stuck", today=TODAY, limit=8)
    assert len(result.suggestions) == 8
    scores = [s.score for s in result.suggestions]
    assert scores == sorted(scores, reverse=True)
    for s in result.suggestions:
        assert set(s.score_breakdown) == {
            "type_fit",
            "signals",
            "season",
            "goal",
            "effort",
        }
        assert s.score == pytest.approx(sum(s.score_breakdown.values()))
        assert s.score_breakdown["signals"] == 3.0 * len(s.signals_matched)
        dates = [p.date for p in s.plan]
        assert dates == sorted(dates) and dates[0] >= TODAY and s.start in dates
        assert s.kpis and s.materials and s.pitch


def test_formats_the_community_already_runs_are_never_suggested(cp) -> None:  # type: ignore[no-untyped-def]
    result = cp.suggest("runs", today=TODAY, limit=20)
    ids = {s.activity_id for s in result.suggestions}
    # The FAQ schedules an English AMA every month and newcomer Q&A slots; the organiser
    # posts a daily question in the chat.
    assert {"ama-night", "newcomer-qa-day", "daily-one-line-prompt"}.isdisjoint(ids)
    running = result.notes[-1]
    assert "AMA 问答夜 (faq-morning-readers.md › " in running and "每日一问 (chat (2))" in running
    assert "daily-one-line-prompt" in {
        s.activity_id for s in cp.suggest("fresh", today=TODAY, limit=20).suggestions
    }
    for s in result.suggestions:  # no "extend X", no file paths in what operators read
        assert "/" not in s.rationale and "资料里有" not in s.rationale


def test_english_suggestions_have_no_chinese_in_them(cp) -> None:  # type: ignore[no-untyped-def]
    cp.set_profile("quiet", language="en")
    result = cp.suggest("quiet", today=TODAY, limit=20)
    cp.set_profile("quiet", language="zh")
    for s in result.suggestions:
        shown = " ".join([s.name, s.rationale, s.pitch, *s.kpis, *s.materials])
        shown += " ".join(p.step for p in s.plan)
        assert not re.search(r"[\u4e00-\u9fff]", shown), (s.activity_id, shown)


def test_a_holiday_within_two_weeks_boosts_its_festival_activity(cp) -> None:  # type: ignore[no-untyped-def]
    july = cp.suggest("fresh", today=date(2026, 7, 1), limit=20)
    assert "mid-autumn-moon-reading" not in {s.activity_id for s in july.suggestions}
    september = cp.suggest("fresh", today=date(2026, 9, 15), limit=20)
    ids = [s.activity_id for s in september.suggestions]
    moon = september.suggestions[ids.index("mid-autumn-moon-reading")]
    assert moon.score_breakdown["season"] == 2.5 and ids.index("mid-autumn-moon-reading") < 3
    assert "中秋节还有 10 天（9月25日）" in moon.rationale
    assert moon.start == date(2026, 9, 25)
    assert ("mid_autumn", 10) in {(h.id, h.days_until) for h in september.upcoming}


def test_spring_festival_lifts_the_red_envelope_quiz(cp) -> None:  # type: ignore[no-untyped-def]
    cp.set_profile("fresh", type="consumer")

    def rank(day: date) -> tuple[int, float]:
        ids = [s.activity_id for s in cp.suggest("fresh", today=day, limit=20).suggestions]
        quiz = cp.suggest("fresh", today=day, limit=20).suggestions[ids.index("red-envelope-quiz")]
        return ids.index("red-envelope-quiz"), quiz.score_breakdown["season"]

    assert rank(date(2027, 1, 30)) < rank(date(2027, 4, 20))  # Spring Festival: 6 February 2027
    assert rank(date(2027, 1, 30))[1] == 2.5


def test_type_and_goals_change_the_ranking(cp) -> None:  # type: ignore[no-untyped-def]
    cp.set_profile("fresh", type="industry", goals=["拉新", "人脉", "做大做强"], language="en")
    result = cp.suggest("fresh", today=TODAY, limit=20)
    ids = [s.activity_id for s in result.suggestions]
    salon = result.suggestions[ids.index("industry-salon")]
    assert salon.score_breakdown["type_fit"] == 2.0 and salon.score_breakdown["goal"] == 1.5
    assert "serves your goal: growth" in salon.rationale.lower()
    assert salon.name == "Industry salon" and salon.rationale[0].isupper()
    assert ids.index("industry-salon") < ids.index("checkin-21-days")  # learning-only format
    assert result.notes == [
        "No chat history imported yet: ranking used type, goals and the date only.",
        "Goals that match no catalogue goal: 做大做强",
    ]


def test_suggest_cli_json_matches_the_schema(cp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COPILOT_DATA_DIR", str(cp.settings.data_dir))
    monkeypatch.setenv("COPILOT_LLM_PROVIDER", "offline")
    result = CliRunner().invoke(
        app, ["suggest", "-c", "quiet", "--today", "2026-11-12", "--limit", "3", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    jsonschema.validate(data, SuggestResult.model_json_schema(mode="serialization"))
    assert len(data["suggestions"]) == 3 and data["today"] == "2026-11-12"
    assert data["suggestions"][0]["score_breakdown"]["signals"] == 3.0
    bad = CliRunner().invoke(app, ["suggest", "-c", "quiet", "--today", "12/11/2026"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output


def llm_copilot(shared: Copilot, url: str) -> Copilot:
    settings = shared.settings.model_copy(
        update={
            "llm_provider": "openai",
            "llm_base_url": url,
            "llm_model": "fake-model",
            "llm_timeout_s": 2.0,
            "llm_max_retries": 0,
        }
    )
    return Copilot(settings, embedder=shared.embedder)


def test_llm_polishes_the_pitch_but_never_the_ranking(cp) -> None:  # type: ignore[no-untyped-def]
    offline = cp.suggest("quiet", today=TODAY, limit=3)
    first = offline.suggestions[0].activity_id
    pitch = "先从一句话的小问题开始，把沉默的人叫醒。"
    reply = {
        "suggestions": [
            {"activity_id": first, "pitch": pitch},
            {"activity_id": "made-up", "pitch": "不存在的活动"},
        ]
    }
    with fake_openai_server() as fake:
        llm = llm_copilot(cp, fake.url)
        fake.enqueue(json.dumps(reply, ensure_ascii=False), 500)
        polished = llm.suggest("quiet", today=TODAY, limit=3, prompt="suggest@v1")
        fallback = llm.suggest("quiet", today=TODAY, limit=3)
        llm.close()
    assert polished.mode == "llm" and polished.prompt == "suggest@v1"
    assert polished.model == "fake-model"
    assert polished.suggestions[0].pitch == pitch
    assert [s.activity_id for s in polished.suggestions] == [
        s.activity_id for s in offline.suggestions
    ]
    assert polished.suggestions[1].pitch == offline.suggestions[1].pitch  # not in the reply
    sent = fake.prompts()[0]
    assert "<<<SUGGESTIONS" in sent and first in sent and '"silent_members": 12' in sent
    assert fallback.mode == "offline-fallback" and fallback.prompt == "suggest@v1"
    assert fallback.suggestions == offline.suggestions


def test_holidays_are_computed_for_any_year_in_the_table() -> None:
    days = {h.id: h.date for h in holidays_of_year(2027)}
    assert days["spring_festival"] == date(2027, 2, 6) and days["lantern"] == date(2027, 2, 20)
    assert days["mid_autumn"] == date(2027, 9, 15) and days["qingming"] == date(2027, 4, 5)
    assert days["dragon_boat"] == date(2027, 6, 9)
    soon = [(h.id, h.date) for h in upcoming(date(2026, 12, 20), within_days=14)]
    assert soon == [("christmas", date(2026, 12, 25)), ("new_year", date(2027, 1, 1))]


def test_a_broken_catalogue_names_the_activity_and_field(tmp_path: Path) -> None:
    activities = yaml.safe_load(CATALOGUE_PATH.read_text("utf-8"))
    assert len(load_catalogue()) == len(activities["activities"]) >= 20
    activities["activities"][1]["fits"] = ["gaming"]
    broken = tmp_path / "catalogue.yaml"
    broken.write_text(yaml.safe_dump(activities, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"activity 'newcomer-qa-day', fits\.0: Input should"):
        load_catalogue(broken)


def test_a_format_needing_what_the_rules_say_there_is_none_of_is_not_suggested(
    tmp_path: Path, embedder
) -> None:  # type: ignore[no-untyped-def]
    """'没有会员卡，也没有积分': a points-redemption week is never suggested, and a note says why;
    a community whose rules grant points gets it."""
    settings = Settings(data_dir=tmp_path / "data", llm_provider="offline", _env_file=None)  # type: ignore[call-arg]
    instance = Copilot(settings, embedder=embedder, llm=None)
    try:
        for community, faq in (
            (
                "nopoints",
                "常见问题\n\nQ：有没有会员卡或者积分？\nA：没有会员卡，也没有积分，所有人一个价。\n",
            ),
            ("points", "积分规则\n\n每次签到得 2 积分，积分可以在月底兑换周边。\n"),
        ):
            (tmp_path / f"{community}.txt").write_text(faq, "utf-8")
            instance.ingest_paths(community, [tmp_path / f"{community}.txt"])
            save_profile(instance.db, community, CommunityProfile(name="邻里群", type="consumer"))
        none = instance.suggest("nopoints", today=TODAY, limit=20)
        assert "points-redemption-week" not in {s.activity_id for s in none.suggestions}
        assert any("积分兑换周 (积分)" in n for n in none.notes), none.notes
        some = instance.suggest("points", today=TODAY, limit=20)
        assert "points-redemption-week" in {s.activity_id for s in some.suggestions}
    finally:
        instance.close()
