"""Ads operators see in Chinese and English groups: contact hooks glued to Chinese ('加V了解',
'联系vx'), job scams with or without a contact, paid material and lures, in simplified,
traditional and English; members sharing, asking and hiring in their own words are not ads."""

from __future__ import annotations

import pytest

from copilot.analytics.spam import is_spam

ADS = [
    "誠招代理，月入過萬，加V了解",  # traditional; "加v" is glued to 了解 (no \b between them)
    "小红书代运营，涨粉快，联系vx",
    "全国可接，价格美丽，详情咨询vx",
    "招聘打字员，在家就能做，一单一结，有意私聊",
    "急招宝妈学生党，手机操作，每天两小时，工资日结",  # no contact yet: the DM comes later
    "想赚零花钱的看我主页",
    "有需要办信用卡的私聊",
    "加我好友送资料",
    "本店新品上市，全场五折，欢迎进店选购 www.shop.example",
    "Selling full course materials and past papers, message me on WhatsApp",
    "Looking for part-time workers, flexible hours, good pay, DM for details",
    "Get all the exam notes and answer keys, cheap, inbox me",
    "Check my bio for a special offer",
    "🔥 Trados Studio lifetime licence — only £39!! Instant download, tested. Telegram @cat_deals",
    "Get 200+ verified direct clients every month! Only £29.99/month. Sign up: leads.biz/x",
    # a bare phishing link is a way off the group too; free tickets for strangers are a lure
    "🎁 Free Discord Nitro for 3 months 🎁 claim it before it expires: dlscord-gift.promo/harbour",
    "🎟️ FREE TICKETS 🎟️ I have extra tickets for Michael Bublé, free to a good home!! DM me",
    # Taiwan's words: 私訊我 (DM me), 加 LINE, 誠徵 / 日領 (hiring, paid daily)
    "專業調色包 200 組，限時 NT$299，私訊我拿連結 👉 presets.example.shop",
    "我用 USDT 套利三個月翻倍，想了解私訊我",
    "【誠徵】在家打字員，一天 2 小時日領 NT$3000，免經驗，有意者加 LINE：job5566",
]
NOT_ADS = [
    "Tickets are on sale at harboursidechoir.ca/tickets, free for kids under 12",
    "我把笔记整理好了，需要的私我，免费",
    "有没有人兼职过家教？想问下一般时薪多少",
    "我们实验室招聘学生助理，时间自由，有兴趣问老师",
    "招聘季到了，学生们在家准备简历",
    "谁有去年的真题？求分享",
    "DM me if you want the slides from today's talk",
    "I'm hiring for my team next year, anyone interested in referrals?",
    "Please don't buy cracked licences: members can borrow the guild's (see the library)",
    "The workshop is only £12 for members, tickets at loomguild.example/events",
    "【搵替更】週六朝 8 點至下午 4 點，需要一位 barista，時薪 $80",  # a real shift, a real wage
    "我知你私訊咗我個 barista，仲話加 $3 時薪",  # a quarrel about a DM, not an ad
    "有人要一起去看展嗎？私訊我",
]


@pytest.mark.parametrize("text", ADS)
def test_ads_with_hooks_scams_and_paid_material_are_spam(text: str) -> None:
    assert is_spam(text)


@pytest.mark.parametrize("text", NOT_ADS)
def test_members_sharing_asking_and_hiring_are_not_spam(text: str) -> None:
    assert not is_spam(text)


def test_sending_a_member_to_an_admin_is_no_hook_but_an_ad_naming_its_own_poster_is() -> None:
    from datetime import datetime, timedelta, timezone

    from copilot.analytics.spam import spam_ids
    from copilot.models import ChatMessage

    start = datetime(2026, 11, 3, 12, 0, tzinfo=timezone(timedelta(hours=8)))
    rows = [
        ("青禾", "衣橱本周六开放"),
        ("苏木", "可以的，社团衣橱，私聊青禾预约，要提前三天"),  # 预约 reads like an offer
        ("福利官小美", "免费送汉服啦，名额有限，私聊小美领取"),  # 小美 is the poster herself
        ("纸样工作室", "300款纸样全套高清PDF 只要19.9 需要的私聊"),
    ]
    chat = [
        ChatMessage(id=f"m{i}", community="c", author=a, ts=start + timedelta(minutes=i), text=t)
        for i, (a, t) in enumerate(rows)
    ]
    assert spam_ids(chat, admins={"青禾"}) == {"m2", "m3"}
    assert spam_ids(chat) == {"m2", "m3"}  # the names come from the chat, admins set or not
