"""An event from a playbook guide carries the details the guide gives in its other sections,
in either Chinese script."""

from __future__ import annotations

import pytest

from copilot.profile import CommunityProfile, save_profile
from copilot.skills.draft.notices import calendar_days, slots_of

GUIDE = """# 週末讀書會指南

## 時間與地點

每月第二個週六下午 14:00 在城東圖書館三樓集合，活動約兩小時。

## 費用

- 採 AA 制，每人約 25 元，包含茶水與場地費。

## 報名

- 活動前一週的週一開放接龍報名，週四 22:00 截止。
"""


@pytest.fixture(scope="module")
def club(tmp_path_factory: pytest.TempPathFactory, embedder):  # type: ignore[no-untyped-def]
    from copilot.config import Settings
    from copilot.service import Copilot

    root = tmp_path_factory.mktemp("sections")
    (root / "guide.md").write_text(GUIDE, encoding="utf-8")
    settings = Settings(data_dir=root / "data", llm_provider="offline", _env_file=None)  # type: ignore[call-arg]
    cp = Copilot(settings, embedder=embedder, llm=None)
    assert not cp.ingest_paths("books", [root / "guide.md"], kind="playbook").skipped
    save_profile(
        cp.db, "books", CommunityProfile(name="城东读书会", type="interest", language="zh")
    )
    yield cp
    cp.close()


def test_traditional_script_days_count_as_dates() -> None:
    assert "date" in slots_of("每月第二個週六下午 14:00 集合")
    assert calendar_days("十二月活動：12月5日（週六）") == {(12, 5)}


def test_a_promotion_carries_the_fee_from_the_guides_own_fee_section(club) -> None:  # type: ignore[no-untyped-def]
    text = club.draft(
        "books", kind="activity_promotion", topic="下个月第二个周六的读书会，开始接龙报名"
    ).text
    assert "14:00" in text and "25" in text, text
    assert "\n费用\n" not in f"\n{text}\n"  # a section's bare name is not a detail line
