"""Health numbers an operator can report: ads caught by their contact hooks, insults and ads
never counted as questions, unanswered = nobody else replied (with or without admins set),
and every time in the community's time zone."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from copilot.analytics.health import compute_health
from copilot.analytics.spam import is_spam
from copilot.cli import app
from copilot.models import ChatMessage

SH = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 5, 4, 9, 0, tzinfo=SH)

ADS = [
    "本人茶厂直供，批发价拿货，+V：tea8899 看实拍",
    "专业代发朋友圈，引流加粉，vx：[WECHAT_ID]",  # the id already redacted at ingest
    "姐妹们想要瘦的找我，薇：mm520888，无效退款",
    "【高薪兼职】在家动动手指就能赚钱，日结200-800，有意者私我",
    "招兼职遛狗员，日结150-300，先交99元押金入驻",
    "出全套复习资料 + 网课账号，九成新，打包99元，需要的私聊",
    "全套真题资料全部免费领，加V领资料：abc_777，先到先得",
    "宠物写真99元一套，精修20张，私我预约",
    "USDT搬砖套利，稳赚不赔，日收益5%，新人进群送100U体验金",
    "Discord is giving away 3 months of Nitro! Claim before it expires: https://dlscord.gift/x",
    "I made $4,800 last week trading with a simple crypto method, DM me to start",
    "Hello, your Steam account was reported for suspicious trading. Contact our agent: https://x.y",
    "@everyone Free $50 Steam gift card for the first 100 people 👉 https://steamcommunnity.com/g",
    "宝妈在家也能赚，动动手指日入300，详情+V",  # a bare hook, no id
    "需要真题电子版的私我，便宜出",
    "有需要外卖红包的加我微信 wx_hongbao99",
    "全网最低价会员代充，需要的滴滴我",
    "扫码进群领取资料 https://t.cn/abc",
    "看我头像，免费领取考研资料",
    "【福利】內部渠道，淘寶優惠券，戳我頭像",  # traditional script folds first
    # a link shown by its label only, as Slack exports write <https://…|label>
    "🚨 TOKEN AIRDROP 🚨 claim 500 $TIDE for free! Connect your wallet at tide-airdrop.claims",
    "🎁 FREE $TIDE airdrop round 2 is LIVE 🎁 Claim before midnight at tidepool-rewards.xyz",
]
NOT_ADS = [
    "群里禁止买卖资料，遇到陌生人私聊推销直接拉黑",
    "有需要的私我，我把笔记发你",
    "别加那个+V的，是骗子，已经举报了",
    "私我一下你的地址，我给你寄书",
    "非会员也按59元在小程序报名就行",
    "Banned. Don't click that, Discord never hands out Nitro through random links.",
    "the OST is free on spotify https://open.spotify.com/album/x",
    "Is there a giveaway at FOSDEM this year? saw a post on tidepool.dev",
    "the whitelist lives in config.yaml, add your host there",
]


@pytest.mark.parametrize("text", ADS)
def test_common_ads_and_scams_are_spam(text: str) -> None:
    assert is_spam(text)


@pytest.mark.parametrize("text", NOT_ADS)
def test_warnings_and_ordinary_offers_are_not_spam(text: str) -> None:
    assert not is_spam(text)


def msg(i: int, minute: int, author: str, text: str, **kw: object) -> ChatMessage:
    return ChatMessage(
        id=f"m{i}", community="c", author=author, ts=START + timedelta(minutes=minute), text=text,
        **kw,  # type: ignore[arg-type]
    )  # fmt: skip


CHAT = [
    msg(0, 0, "阿花", "请问周六遛狗局几点集合？"),
    msg(1, 4, "小米", "8点，北门"),
    msg(2, 30, "大黄", "你算老几？也配管我？"),
    msg(3, 31, "广告", "狗粮批发价，+V：pet6688"),
    msg(4, 60, "豆豆", "洗牙一定要全麻吗？"),
    msg(5, 120, "管理员-阿Ken", "明天的讲座改到晚上8点"),
    msg(6, 200, "阿花", "有人知道附近哪家医院夜里开门吗？"),
    msg(7, 204, "管理员-阿Ken", "锦江那家24小时的"),
]


@pytest.mark.parametrize("admins", [set(), {"管理员-阿Ken"}])
def test_unanswered_means_nobody_else_replied_with_or_without_admins(admins: set[str]) -> None:
    report = compute_health(CHAT, admins=admins, tz="Asia/Shanghai")
    assert report.spam_messages == 1
    assert [q.text for q in report.questions] == [  # the insult and the ad are not questions
        "请问周六遛狗局几点集合？",
        "洗牙一定要全麻吗？",
        "有人知道附近哪家医院夜里开门吗？",
    ]
    assert [q.text for q in report.unanswered_questions] == ["洗牙一定要全麻吗？"]
    assert report.senders == 6  # the spammer and the admin posted too


def test_an_announcement_under_a_header_is_not_a_question_but_a_call_for_help_is() -> None:
    chat = [
        msg(
            0,
            0,
            "小林",
            "【本周预告】周三 20:00 分享会。本周话题：你最近放弃的一本书是哪本？为什么？",
        ),
        msg(1, 30, "阿花", "【求助】小程序打不开了，怎么打卡？"),
    ]
    report = compute_health(chat, admins=set(), tz="Asia/Shanghai")
    assert [q.text for q in report.unanswered_questions] == ["【求助】小程序打不开了，怎么打卡？"]


def test_every_time_in_the_report_is_in_the_community_time_zone() -> None:
    report = compute_health(CHAT, tz="Asia/Shanghai")
    data = report.model_dump(mode="json")
    assert data["period_end"].endswith("+08:00") and data["last_message_at"].endswith("+08:00")
    assert all(q["ts"].endswith("+08:00") for q in data["questions"])
    assert all(
        m["last_active"].endswith("+08:00") for m in data["silent_members"] if m["last_active"]
    )
    utc = compute_health(CHAT, tz="UTC").model_dump(mode="json")
    assert utc["questions"][0]["ts"] == "2026-05-04T01:00:00Z"


def test_stats_cli_whole_history_or_window(fake_copilot, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    old = [msg(100 + i, -60 * 24 * 40 + i, "老成员", f"四十天前的消息{i}") for i in range(3)]
    monkeypatch.setenv("COPILOT_DATA_DIR", str(settings.data_dir))
    path = settings.data_dir / "chat.jsonl"
    path.write_text(
        "\n".join(
            json.dumps({"id": m.id, "ts": m.ts.isoformat(), "author": m.author, "text": m.text},
                       ensure_ascii=False)
            for m in [*old, *CHAT]
        ),
        "utf-8",
    )  # fmt: skip
    fake_copilot.ingest_paths("c", [path], kind="chat")
    whole = CliRunner().invoke(app, ["stats", "-c", "c", "--json"])
    assert whole.exit_code == 0, whole.output
    assert json.loads(whole.output)["total_messages"] == 10  # 40 days back: all of it
    window = CliRunner().invoke(
        app, ["stats", "-c", "c", "--json", "--since", "2026-05-04T00:00+08:00",
              "--until", "2026-05-04T10:00+08:00"],
    )  # fmt: skip
    data = json.loads(window.output)
    assert (data["total_messages"], data["spam_messages"], data["question_count"]) == (3, 1, 1)
    assert data["period_end"].startswith("2026-05-04T09:59:59")
