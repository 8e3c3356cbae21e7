"""A rule that leaves the details to a notice ("具体时间和地点由团长在群里通知") is answered with
the organiser's notice first, then the rule; another chat line is never pulled in that way."""

from __future__ import annotations

import json

import pytest

from copilot.service import Copilot

CALENDAR = (
    "跑团活动日历\n\n年会：每年12月举行，具体时间和地点由团长在群里通知。\n\n"
    "周六长距离：每周六早上6:30在春茧南门集合。\n\n月度测试赛：每月最后一个周日。\n"
)
CHAT = [
    {
        "ts": "2026-11-20T20:00:00+08:00",
        "author": "团长-阿杰",
        "text": "年会方案定下来了：",
        "id": "1",
    },
    {
        "ts": "2026-11-20T20:01:00+08:00",
        "author": "团长-阿杰",
        "text": "时间：12月20日（周六）18:00\n地点：南山区海岸城5楼聚福楼\n费用：80元/人",
        "id": "2",
    },
    {"ts": "2026-11-20T20:05:00+08:00", "author": "小王", "text": "报名！", "id": "3"},
    {
        "ts": "2026-11-21T09:00:00+08:00",
        "author": "小李",
        "text": "周六长距离下雨还跑吗？",
        "id": "4",
    },
    {
        "ts": "2026-11-21T09:03:00+08:00",
        "author": "团长-阿杰",
        "text": "小雨照跑，大雨群里通知",
        "id": "5",
    },
]


@pytest.fixture(scope="module")
def runners(tmp_path_factory: pytest.TempPathFactory, embedder) -> Copilot:  # type: ignore[no-untyped-def]
    from copilot.config import Settings

    folder = tmp_path_factory.mktemp("defers")
    (folder / "活动日历.txt").write_text(CALENDAR, "utf-8")
    chat = folder / "chat.jsonl"
    chat.write_text("\n".join(json.dumps(m, ensure_ascii=False) for m in CHAT), "utf-8")
    settings = Settings(  # type: ignore[call-arg]
        data_dir=folder / "data", llm_provider="offline", handoff_threshold=0.0, _env_file=None
    )
    copilot = Copilot(settings, embedder=embedder, llm=None)
    copilot.ingest_paths("runners", [folder / "活动日历.txt"])
    copilot.ingest_paths("runners", [chat], kind="chat")
    yield copilot
    copilot.close()


def test_a_rule_that_defers_to_the_group_is_answered_by_the_organisers_notice(
    runners: Copilot,
) -> None:
    answer = runners.ask("runners", "今年年会具体哪天、在哪里办？").answer
    assert answer.startswith("团长-阿杰 在群里说过：年会方案定下来了"), answer
    assert "12月20日" in answer and "海岸城5楼聚福楼" in answer, answer
    assert answer.index("聚福楼") < answer.index("由团长在群里通知")  # the notice, then the rule


def test_a_rule_that_answers_by_itself_keeps_the_chat_out(runners: Copilot) -> None:
    answer = runners.ask("runners", "周六长距离几点在哪里集合？").answer
    assert "6:30" in answer and "春茧南门" in answer, answer
    assert "年会" not in answer and "在群里说过" not in answer, answer
