"""Community profiles: stored per community, validated, and editable from the CLI."""

from __future__ import annotations

import json

import jsonschema
import pytest
from typer.testing import CliRunner

from copilot.cli import app
from copilot.errors import InputError
from copilot.profile import CommunityProfile
from copilot.service import Copilot


def test_a_new_community_gets_a_default_profile_named_after_it(copilot) -> None:  # type: ignore[no-untyped-def]
    profile = copilot.profile("club")
    assert profile.name == "club" and profile.type == "interest" and profile.language == "zh"
    assert profile.banned_words == [] and profile.timezone == "Asia/Shanghai"


def test_profile_changes_persist_and_stay_in_their_community(copilot, settings, embedder) -> None:  # type: ignore[no-untyped-def]
    copilot.set_profile(
        "club",
        name="晨跑读书会",
        type="learning",
        goals=["留存", "促活"],
        required_hashtags=["#晨读打卡#", "晨读打卡", " "],
        banned_words=["免费"],
    )
    copilot.set_profile("club", voice="温暖、简洁")  # other fields keep their values
    reopened = Copilot(settings, embedder=embedder, llm=None)
    try:
        profile = reopened.profile("club")
    finally:
        reopened.close()
    assert profile.name == "晨跑读书会" and profile.type == "learning"
    assert profile.required_hashtags == ["晨读打卡"]  # '#', duplicates and blanks cleaned
    assert profile.voice == "温暖、简洁" and profile.banned_words == ["免费"]
    assert copilot.profile("other").name == "other"  # another community is untouched


def test_bad_profile_values_are_refused_with_the_reason(copilot) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError, match="type: Input should be 'consumer', 'learning'"):
        copilot.set_profile("club", type="gaming")
    with pytest.raises(InputError, match="unknown time zone 'Mars/Olympus'"):
        copilot.set_profile("club", timezone="Mars/Olympus")
    with pytest.raises(InputError, match="unknown profile field"):
        copilot.set_profile("club", colour="blue")
    with pytest.raises(InputError, match="invalid community id"):
        copilot.profile("../etc")
    assert copilot.profile("club").type == "interest"  # nothing half-saved


def test_profile_cli_sets_lists_and_shows_json(settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COPILOT_DATA_DIR", str(settings.data_dir))
    runner = CliRunner()
    changed = runner.invoke(
        app,
        [
            "profile",
            "set",
            "-c",
            "club",
            "--name",
            "晨跑读书会",
            "--type",
            "learning",
            "--goals",
            "留存，促活",
            "--hashtags",
            "晨读打卡",
            "--banned-words",
            "免费,加微信",
            "--cta",
            "想参加的在群里接龙",
            "--admins",
            "小林(管理员)",
        ],
    )
    assert changed.exit_code == 0, changed.output
    assert "saved club" in changed.output
    cleared = runner.invoke(app, ["profile", "set", "-c", "club", "--banned-words", ""])
    assert cleared.exit_code == 0, cleared.output
    shown = runner.invoke(app, ["profile", "show", "-c", "club", "--json"])
    data = json.loads(shown.output)
    jsonschema.validate(data, CommunityProfile.model_json_schema())
    assert data["goals"] == ["留存", "促活"] and data["banned_words"] == []
    assert data["call_to_action"] == "想参加的在群里接龙" and data["admins"] == ["小林(管理员)"]


def test_profile_cli_explains_mistakes(settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COPILOT_DATA_DIR", str(settings.data_dir))
    runner = CliRunner()
    nothing = runner.invoke(app, ["profile", "set", "-c", "club"])
    assert nothing.exit_code == 2 and "nothing to change" in nothing.output
    bad = runner.invoke(app, ["profile", "set", "-c", "club", "--language", "fr"])
    assert bad.exit_code == 2 and "language" in bad.output
