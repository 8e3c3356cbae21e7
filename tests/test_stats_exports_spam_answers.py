"""`copilot stats --json` on small Telegram and Slack exports, as an operator runs it: English
ads and scams are counted as spam (a link or phone number after a sales pitch, a labelled Slack
link keeping its address), and a question answered inside a Slack thread, or hours later in a
quiet channel, is not reported unanswered."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from copilot.analytics.health import compute_health
from copilot.analytics.spam import is_spam
from copilot.cli import app
from copilot.knowledge.chat_exports.slack import decode_mrkdwn
from copilot.models import ChatMessage
from copilot.skills.summarize.offline import summarize_offline

T0 = 1793600000  # 2026-11-02 UTC, a Monday morning
START = datetime(2026, 5, 4, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def msg(i: int, minute: int, author: str, text: str) -> ChatMessage:
    ts = START + timedelta(minutes=minute)
    return ChatMessage(id=f"m{i}", community="c", author=author, ts=ts, text=text)


def _tg(mid: int, minutes: int, who: str, text: Any, **extra: Any) -> dict[str, Any]:
    return {
        "id": mid,
        "type": "message",
        "date": "2026-11-02T08:00:00",
        "date_unixtime": str(T0 + minutes * 60),
        "from": who,
        "from_id": f"user{abs(hash(who)) % 10**6}",
        "text": text,
        **extra,
    }


def _telegram(folder: Path) -> Path:
    """A club's Telegram Desktop export: two members talking, three ads and a scam."""
    messages = [
        _tg(1, 0, "Tom", "Morning all, ride leaves Granary Square at 9:30"),
        _tg(2, 5, "Kasia", "Does anyone know if the café takes cards?"),
        _tg(3, 9, "Femi", "They do, contactless is fine", reply_to_message_id=2),
        _tg(4, 30, "Bike Parts Outlet", [
            "🔥 GENUINE batteries 60% OFF 🔥 Direct from factory. WhatsApp ",
            {"type": "phone", "text": "+44 7400 123456"}, " for the price list. Limited stock!",
        ]),
        _tg(5, 60, "Coach Amelia", [
            "I make £2,000 every week from home trading with my mentor. DM me or WhatsApp ",
            {"type": "phone", "text": "+44 7800 654321"},
        ]),
        _tg(6, 90, "Rider Accounts", "Delivery rider accounts for RENT, start earning today. "
            "Message @rider_acc"),
        _tg(7, 120, "Premium Gift", [
            "🎁 FREE Premium for the first 100 members! Claim here 👉 ",
            {"type": "link", "text": "t.me/premium_claim_bot"},
        ]),
        # Members talking about prices and links, and warning about the scam: not spam.
        _tg(8, 130, "Femi", "Don't click that, it's a scam. Winter Lights is £5 for non-members, "
            "sign up at voltriders.club/join"),
        _tg(9, 140, "Kasia", "Selling my old helmet, £20, message me if you want it"),
    ]  # fmt: skip
    path = folder / "result.json"
    path.write_text(
        json.dumps({"name": "Riders", "type": "private_supergroup", "id": 1, "messages": messages}),
        "utf-8",
    )
    return path


def _sl(minutes: int, user: str, text: str, thread: int | None = None) -> dict[str, Any]:
    ts = f"{T0 + minutes * 60}.000100"
    out: dict[str, Any] = {"type": "message", "user": user, "text": text, "ts": ts}
    if thread is not None:
        out["thread_ts"] = f"{T0 + thread * 60}.000100"
    return out


def _slack(folder: Path) -> Path:
    """A Slack export: a question asked inside a thread and answered there, one answered hours
    later in a quiet channel, one nobody answered, and an ad behind a labelled link."""
    root = folder / "slack"
    users = {"U1": "Kelvin", "U2": "Yan", "U3": "Ricky", "U4": "Mandy", "U9": "Free Gift"}
    channels = ["general", "ask"]
    general = [
        _sl(0, "U1", "本月杯測會 10 月 29 日晚上 7 點，要來的喺 thread 報名", thread=0),
        _sl(10, "U2", "杯測會要唔要自己帶杯同匙羹？", thread=0),
        _sl(30, "U1", "唔使帶，我哋準備好杯測碗同匙羹", thread=0),
        _sl(60, "U3", "今年仲有冇電費資助？有冇人知"),
        _sl(150, "U2", "今日落大雨，好靜"),  # 1.5 h later, about something else
        _sl(200, "U9", "🎁 官方免費送試用裝!! 填表即送 1 箱 👉 <https://gift.example.top/claim|立即領取>"),
    ]  # fmt: skip
    ask = [
        _sl(300, "U4", "請問點樣登記咖啡渣回收？"),
        _sl(460, "U1", "Mandy DM 我店名同地址，登記後一個星期開始收 🙂"),
    ]
    root.mkdir()
    (root / "users.json").write_text(
        json.dumps([{"id": k, "real_name": v} for k, v in users.items()]), "utf-8"
    )
    (root / "channels.json").write_text(json.dumps([{"name": c} for c in channels]), "utf-8")
    for name, day in (("general", general), ("ask", ask)):
        (root / name).mkdir()
        (root / name / "2026-11-02.json").write_text(json.dumps(day, ensure_ascii=False), "utf-8")
    return root


@pytest.fixture
def stats(tmp_path: Path):  # type: ignore[no-untyped-def]
    runner = CliRunner()
    env = {"COPILOT_DATA_DIR": str(tmp_path / "data")}

    def run(path: Path) -> dict[str, Any]:
        ingested = runner.invoke(app, ["ingest", str(path), "-c", "club", "--json"], env=env)
        assert ingested.exit_code == 0, ingested.output
        result = runner.invoke(app, ["stats", "-c", "club", "--json"], env=env)
        assert result.exit_code == 0, result.output
        return dict(json.loads(result.output))

    return run


def test_telegram_export_counts_english_ads_and_scams_as_spam(stats, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report = stats(_telegram(tmp_path))
    assert report["spam_messages"] == 4
    assert report["total_messages"] == 5  # the members' messages, warning and sale included
    assert (report["question_count"], report["unanswered_count"]) == (1, 0)


def test_slack_thread_reply_and_a_late_quiet_channel_reply_answer(stats, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report = stats(_slack(tmp_path))
    assert report["spam_messages"] == 1  # the freebie behind a labelled link
    open_questions = [q["text"] for q in report["unanswered_questions"]]
    assert open_questions == ["今年仲有冇電費資助？有冇人知"]
    assert report["question_count"] == 3


def test_slack_labelled_link_keeps_its_address() -> None:
    assert decode_mrkdwn("👉 <https://gift.example.top/claim|立即領取>", {}) == (
        "👉 立即領取 (https://gift.example.top/claim)"
    )
    assert decode_mrkdwn("<https://bit.ly/x|bit.ly/x> <mailto:a@b.hk|a@b.hk>", {}) == (
        "bit.ly/x a@b.hk"
    )


def test_slack_emoji_shortcodes_read_as_the_emoji_slack_shows() -> None:
    assert decode_mrkdwn("Decided: Demo Day is locked in :tada::tada: :+1::skin-tone-3:", {}) == (
        "Decided: Demo Day is locked in 🎉🎉 👍"
    )
    # a clock, a ratio and a code nobody knows stay as written
    assert decode_mrkdwn("at 10:30:45, a:b:c, :party-parrot-fast:", {}) == (
        "at 10:30:45, a:b:c, :party-parrot-fast:"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Hello! We are hiring remote part-time reviewers, £250–£400 per day, no experience "
        "needed. Message me on WhatsApp [PHONE]",
        "Boost your café's Instagram 📈 10,000 REAL followers for only HK$399! visit bit.ly/ig",
        "各位老闆，不如學投資 💰 我帶嘅學員上個月平均回報 35%，免費入群 👉 t.me/invest_vip",
    ],
)
def test_pitches_with_a_way_off_the_group_are_spam(text: str) -> None:
    assert is_spam(text)


@pytest.mark.parametrize(
    "text",
    [
        "Is the 20% off at the bike shop still on? Anyone got the link?",
        "Beware: the 'earn £300 a day' guy DMing people is a scam, report him",
        "我哋上個月投資咗 3 萬裝修，回報要等一年，詳情睇 https://example.org/blog",
        "Our shop is hiring a barista, £12 an hour, details at cafe.example.com/jobs",
    ],
)
def test_members_talking_about_prices_returns_and_scams_are_not_spam(text: str) -> None:
    assert not is_spam(text)


def test_the_next_message_hours_later_answers_only_when_it_speaks_to_the_question() -> None:
    chat = [
        msg(1, 0, "小王", "请问怎么登记旧书回收？"),
        msg(2, 150, "群主", "登记发我名字和地址就行，一周内上门"),
        msg(3, 200, "小李", "周六读书会在哪里？"),
        msg(4, 350, "小张", "今天天气真好"),  # hours later, about something else
    ]
    report = compute_health(chat, now=START.replace(hour=23), tz="Asia/Shanghai")
    assert [q.text for q in report.unanswered_questions] == ["周六读书会在哪里？"]


def test_indefinite_question_words_and_put_downs_are_not_questions() -> None:
    chat = [
        msg(1, 0, "阿木", "大理这几天一直下雨，民宿空了一半"),  # 几 in 这几天 asks nothing
        msg(2, 5, "二十一", "眼镜是我的😭 难怪我看什么都糊的，后天去拿"),  # 什么都: everything
        msg(3, 10, "大锤", "回消息慢一点不行？玩不起就别玩，菜就多练"),  # a put-down with a "?"
        msg(4, 11, "岛主", "你回到别人的群里去了？脸都不要了"),
        msg(5, 20, "小满", "十几个人能订包间吗"),
        msg(6, 30, "豆花", "这几个扩展哪个适合新手？"),
    ]
    report = compute_health(chat, now=START.replace(hour=23), tz="Asia/Shanghai")
    assert [q.text for q in report.questions] == ["十几个人能订包间吗", "这几个扩展哪个适合新手？"]


def test_a_late_answer_addressed_to_the_asker_by_first_name_answers() -> None:
    def at(i: int, minute: int, author: str, text: str, thread: str | None = None) -> ChatMessage:
        m = msg(i, minute, author, text)
        return m.model_copy(update={"thread": thread, "channel": "ask"})

    chat = [
        at(1, 0, "Ingrid Olsen", "Can I borrow a memoQ licence as an Associate member?"),
        at(2, 60, "Hana Sato", "What do people charge for LQA on games?"),
        at(3, 70, "Marco Bellini", "Per hour for me, £35", thread="m2"),
        # six hours on, after another conversation: addressed to her by first name
        at(4, 380, "Tomasz Wójcik", "@Ingrid sorry for the slow reply: memoQ licences are for "
                                    "Full members only."),
        at(5, 400, "Claire Dubois", "[JOB] ES>EN protocol, 15,000 words, £0.13/word"),
        at(6, 410, "Emma Hughes", "Would you consider a student for part of it?", thread="m5"),
        # in the job's thread 21 minutes later, naming her mid-sentence
        at(7, 431, "Claire Dubois", "Not for this one, sorry Emma, it needs a specialist.",
           thread="m5"),
        at(8, 500, "Sam Patel", "Is anyone going to the ATA conference in 2027?"),
    ]  # fmt: skip
    report = compute_health(chat, now=START.replace(hour=23), tz="Asia/Shanghai")
    assert [q.text for q in report.unanswered_questions] == [
        "Is anyone going to the ATA conference in 2027?"
    ]


def test_a_yes_no_question_answered_by_repeating_its_verb_is_answered() -> None:
    chat = [
        msg(1, 0, "晴天", "203里那只黑猫还在打针吗？今天它没怎么吃"),
        msg(2, 8, "林医生", "还在打，明天最后一针。晚上再观察一下"),
        msg(3, 30, "小雨", "周末有人去市集吗？"),
    ]
    report = compute_health(chat, now=START.replace(hour=23), tz="Asia/Shanghai")
    assert [q.text for q in report.unanswered_questions] == ["周末有人去市集吗？"]
    # and the summary lists it neither as unanswered nor as still being discussed
    summary = summarize_offline(chat)
    listed = [q.text for q in summary.open_questions + summary.unanswered_questions]
    assert listed == ["周末有人去市集吗？"]
