"""Drafts: real posts from cited facts, channel rules and profile checks, LLM path and fallback."""

from __future__ import annotations

import json

import jsonschema
import pytest
from typer.testing import CliRunner

from copilot.cli import app
from copilot.config import Settings
from copilot.errors import InputError
from copilot.profile import CommunityProfile, save_profile
from copilot.service import Copilot
from copilot.skills.draft.channels import CHANNELS, check_draft
from copilot.skills.results import DraftResult
from tests.conftest import KNOWLEDGE
from tests.fakes.openai_server import fake_openai_server

PROFILE = CommunityProfile(
    name="晨跑读书会",
    type="learning",
    goals=["留存"],
    voice="温暖",
    language="zh",
    banned_words=["免费"],
    required_hashtags=["晨读打卡"],
    call_to_action="想参加的在群里接龙～",
    admins=["小林(管理员)", "Lin (admin)"],
)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory, embedder):  # type: ignore[no-untyped-def]
    """The starter playbooks and sample chats, ingested once as community 'mr'."""
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("drafts"), llm_provider="offline", _env_file=None
    )  # type: ignore[call-arg]
    instance = Copilot(settings, embedder=embedder, llm=None)
    report = instance.ingest_paths("mr", [KNOWLEDGE / "playbooks", KNOWLEDGE / "samples"])
    assert not report.skipped, report.skipped
    yield instance
    instance.close()


@pytest.fixture
def mr(shared):  # type: ignore[no-untyped-def]
    save_profile(shared.db, "mr", PROFILE)  # every test starts from the same profile
    return shared


def failed(result: DraftResult) -> dict[str, str]:
    return {c.rule: c.detail for c in result.checks if not c.passed}


def test_offline_announcement_reads_like_a_post_built_from_cited_facts(mr) -> None:  # type: ignore[no-untyped-def]
    result = mr.draft("mr", kind="announcement", topic="本周三分享会《原子习惯》")
    text = result.text
    assert result.mode == "offline" and result.channel == "wechat_group" and not failed(result)
    assert text.startswith("【公告｜本周三分享会《原子习惯》】")
    assert "晨跑读书会的小伙伴们好" in text  # greeting
    time_line = next(line for line in text.splitlines() if "时间：" in line)
    assert "周三" in time_line and "20:00" in time_line
    assert text.rstrip().endswith("—— 晨跑读书会运营组")
    assert "想参加的在群里接龙～" in text and "#晨读打卡" in text
    assert "[1]" not in text and "**" not in text  # citations stay out of a WeChat post
    assert result.facts and result.citations
    for fact in result.facts:
        assert fact.text in text
        cited = result.citations[fact.citation - 1]
        assert fact.text.rstrip("。") in cited.snippet
    # The admin's notice in the chat is among the sources (the FAQ may add the hour).
    assert any(c.source.endswith("morning_readers.jsonl") for c in result.citations)


def test_welcome_post_uses_playbook_facts_in_one_script(mr) -> None:  # type: ignore[no-untyped-def]
    result = mr.draft("mr", kind="welcome", topic="新人入群须知")
    assert result.text.startswith("【欢迎加入晨跑读书会】") and len(result.facts) >= 3
    assert "進群" not in result.text and "群裡" not in result.text  # zh-hant facts converted
    hant = mr.draft("mr", kind="rules_reminder", topic="群规", language="zh-hant")
    assert "群規" in hant.text and "群规" not in hant.text
    assert all(c.passed for c in hant.checks if c.rule == "language")


def test_moments_post_has_date_place_and_one_to_three_topic_tags(mr) -> None:  # type: ignore[no-untyped-def]
    result = mr.draft(
        "mr",
        kind="activity_promotion",
        channel="moments",
        topic="11月15日 周六上午 奥森公园线下晨跑",
    )
    assert len(result.text) <= 300 and not failed(result)
    assert "时间：11月15日 周六上午" in result.text and "地点：奥森公园" in result.text
    assert result.text.splitlines()[-1] == "#晨读打卡"
    assert "【" not in result.text.splitlines()[0]  # no title line on Moments


@pytest.mark.parametrize("channel", list(CHANNELS))
def test_every_channel_gets_its_own_markup_within_its_limit(mr, channel: str) -> None:  # type: ignore[no-untyped-def]
    result = mr.draft("mr", kind="knowledge_share", topic="积分怎么兑换", channel=channel)
    rule = CHANNELS[channel]
    assert len(result.text) <= rule.max_chars and not failed(result), failed(result)
    first = result.text.splitlines()[0]
    expected = {"plain": "【", "mrkdwn": "*干货", "markdown": "**干货", "html": "<b>干货"}
    if channel != "moments":
        assert first.startswith(expected[rule.markup])
    assert ("#晨读打卡" in result.text) == rule.hashtags
    assert any("100 积分" in f.text for f in result.facts)


def test_long_drafts_are_trimmed_to_the_channel_limit(mr) -> None:  # type: ignore[no-untyped-def]
    full = mr.draft("mr", kind="welcome", topic="新人入群须知")
    mr.set_profile(
        "mr",
        call_to_action="想参加的朋友请在群里接龙报名" * 14 + "谢谢大家",
        name="晨跑读书会·北京上海杭州深圳广州成都联合会员俱乐部" * 2,
    )
    result = mr.draft("mr", kind="welcome", topic="新人入群须知")
    assert len(full.text) < 500 < len(full.text) + 200 + 4 * 48  # it would not fit as is
    assert len(result.text) <= 500 and not failed(result)
    assert 1 <= len(result.facts) < len(full.facts)  # facts made room for the long CTA
    assert all(f.text in result.text for f in result.facts) and not failed(result)


def test_banned_words_are_flagged_and_never_come_from_the_knowledge(mr) -> None:  # type: ignore[no-untyped-def]
    result = mr.draft("mr", kind="activity_promotion", topic="免费领取积分兑换书")
    assert failed(result)["banned_words"] == "contains banned word(s): 免费"
    save_profile(mr.db, "mr", PROFILE.model_copy(update={"banned_words": ["腾讯会议"]}))
    clean = mr.draft("mr", kind="announcement", topic="每周分享会")
    assert clean.facts and "腾讯会议" not in clean.text and "banned_words" not in failed(clean)


def test_a_topic_the_knowledge_does_not_cover_invents_nothing(mr) -> None:  # type: ignore[no-untyped-def]
    result = mr.draft("mr", kind="announcement", topic="火星移民计划说明会")
    assert result.facts == [] and result.citations == []
    assert "no matching facts" in result.warnings[0]
    assert "火星移民计划说明会" in result.text
    # and no lead announces a list that is not there ("有几件事跟大家同步一下：" then nothing)
    variants = mr.draft("mr", kind="announcement", topic="火星移民计划说明会", variants=3).variants
    for text in variants:
        assert not any(line.rstrip().endswith(("：", ":")) for line in text.splitlines()), text


def test_variants_differ_and_repeat_exactly(mr) -> None:  # type: ignore[no-untyped-def]
    first = mr.draft("mr", kind="weekly_digest", topic="本周话题：坚持最久的习惯", variants=3)
    again = mr.draft("mr", kind="weekly_digest", topic="本周话题：坚持最久的习惯", variants=3)
    assert len(set(first.variants)) == 3 and first.variants == again.variants
    assert first.text == first.variants[0]
    assert all(f.text.split("：", 1)[0] for f in first.facts)  # a digest says who said it
    assert all(c.source.endswith((".jsonl", ".json")) for c in first.citations)


def test_english_draft_for_discord(mr) -> None:  # type: ignore[no-untyped-def]
    result = mr.draft(
        "mr", kind="announcement", topic="English AMA this month", channel="discord", language="en"
    )
    assert result.text.startswith("**Announcement: English AMA this month**")
    assert "When: the first Sunday of every month at 21:00 Beijing time" in result.text
    assert "AMA Stage" in result.text and not failed(result)


def test_checker_flags_what_breaks_channel_rules_and_the_profile() -> None:
    profile = PROFILE
    markdown = "**本周分享会** 周三 20:00 见！想参加的在群里接龙～ #晨读打卡"
    assert not {c.rule: c.passed for c in check_draft(markdown, "wechat_group", profile)}[
        "formatting"
    ]
    checks = {c.rule: c for c in check_draft("周三见 #a #b #c #d", "moments", profile)}
    assert not checks["hashtags"].passed and not checks["required_hashtags"].passed
    assert not checks["call_to_action"].passed
    assert check_draft("x" * 501, "wechat_group", profile)[0].passed is False
    assert check_draft("x" * 1999, "discord", profile)[0].passed is True
    wecom = {c.rule: c for c in check_draft("群" * 700, "wecom_group", profile)}
    assert not wecom["length"].passed and "2100/2048 bytes" in wecom["length"].detail
    html = {c.rule: c for c in check_draft("<div>hi</div> <b>ok", "telegram", profile)}
    assert "<div> is not allowed" in html["formatting"].detail
    assert "unbalanced" in html["formatting"].detail
    slack = {c.rule: c for c in check_draft("**bold** [x](http://a.b)", "slack", profile)}
    assert "Markdown **bold**" in slack["formatting"].detail
    slots = {c.rule: c for c in check_draft("时间：{date}，地点：[place]", "slack", profile)}
    assert not slots["placeholders"].passed


def test_bad_options_are_refused_with_the_choices(mr) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError, match="unknown draft kind 'poem'; choose one of: announce"):
        mr.draft("mr", kind="poem", topic="x")
    with pytest.raises(InputError, match="unknown channel 'fax'"):
        mr.draft("mr", kind="welcome", topic="x", channel="fax")
    with pytest.raises(InputError, match="the topic is empty"):
        mr.draft("mr", kind="welcome", topic="  ")
    with pytest.raises(InputError, match="variants must be between 1 and 5"):
        mr.draft("mr", kind="welcome", topic="x", variants=9)
    with pytest.raises(InputError, match="unknown tone 'angry'"):
        mr.draft("mr", kind="welcome", topic="x", tone="angry")
    assert mr.draft("mr", kind="rules", topic="群规", channel="WeChat").kind == "rules_reminder"
    # the kind of place a channel is, written after its name, names the channel too
    assert mr.draft("mr", kind="welcome", topic="x", channel="telegram_group").channel == "telegram"
    with pytest.raises(InputError, match="unknown channel 'myspace_group'"):
        mr.draft("mr", kind="welcome", topic="x", channel="myspace_group")


def test_draft_cli_json_matches_the_schema(mr, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COPILOT_DATA_DIR", str(mr.settings.data_dir))
    monkeypatch.setenv("COPILOT_LLM_PROVIDER", "offline")
    result = CliRunner().invoke(
        app,
        [
            "draft",
            "-c",
            "mr",
            "--kind",
            "activity-promotion",
            "--topic",
            "周六线下晨跑",
            "--channel",
            "telegram",
            "--variants",
            "2",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    jsonschema.validate(data, DraftResult.model_json_schema(mode="serialization"))
    assert data["channel"] == "telegram" and len(data["variants"]) == 2
    assert {c["rule"] for c in data["checks"]} >= {"length", "banned_words", "hashtags"}


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


def test_llm_draft_sends_the_versioned_prompt_and_keeps_only_real_citations(mr) -> None:  # type: ignore[no-untyped-def]
    text = "【周三分享会】本周三 20:00 老陈分享《原子习惯》[1]，想参加的在群里接龙～ #晨读打卡"
    reply = {"text": text, "citations": [1, 9], "variants": []}
    with fake_openai_server() as fake:
        cp = llm_copilot(mr, fake.url)
        fake.enqueue(json.dumps(reply, ensure_ascii=False))
        result = cp.draft("mr", kind="announcement", topic="本周三分享会", prompt="draft@v1")
        cp.close()
    assert result.mode == "llm" and result.prompt == "draft@v1" and result.model == "fake-model"
    assert "[1]" not in result.text and len(result.citations) == 1  # [9] was never sent
    assert not failed(result) and result.usage["prompt_tokens"] == 42
    sent = fake.prompts()[0]
    assert "<<<PASSAGES" in sent and "<<<本周三分享会>>>" in sent and "晨读打卡" in sent
    assert fake.requests[0]["response_format"] == {"type": "json_object"}


@pytest.mark.parametrize(
    "failure", [500, "Sure! Here is a lovely post for you."], ids=["server-error", "not-json"]
)
def test_llm_failure_falls_back_to_the_offline_draft(mr, failure) -> None:  # type: ignore[no-untyped-def]
    with fake_openai_server() as fake:
        cp = llm_copilot(mr, fake.url)
        fake.enqueue(failure)
        result = cp.draft("mr", kind="announcement", topic="本周三分享会《原子习惯》")
        cp.close()
    assert result.mode == "offline-fallback" and result.prompt == "draft@v1"
    time_line = next(line for line in result.text.splitlines() if "时间：" in line)
    assert "周三" in time_line and "20:00" in time_line and result.citations
    assert len(fake.requests) == 1
