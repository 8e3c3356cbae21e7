"""Welcome posts follow the community's own newcomer steps, read from its playbooks' structure."""

from __future__ import annotations

import pytest

from copilot.profile import CommunityProfile, save_profile

ZH_PROFILE = CommunityProfile(
    name="山野徒步社", type="interest", language="zh", admins=["领队-阿山"]
)
EN_PROFILE = CommunityProfile(name="Orbit Makers", type="interest", language="en")

# A guide whose steps sit under an in-text heading, after an outline of its sections, next to
# a rules document that is not about newcomers.
ZH_GUIDE = """山野徒步社 新成员手册

目录
1. 关于我们
2. 入群以后
3. 常见问题

关于我们
我们每个月组织两次周末徒步，路线由领队提前一周发在群里。

入群以后
① 把群昵称改成「区县-昵称-常走路线」，比如「余杭-小树-北高峰」。
② 三天内在群里做个自我介绍，说说你走过最远的一条线。
③ 第一次跟队前，先在小程序里买好户外意外险。

常见问题
Q：没有登山鞋可以来吗？
A：第一次走入门线可以穿运动鞋。
"""
ZH_RULES = """山野徒步社 群规

1. 禁止发广告和拉人进其他群。
2. 每日打卡：每天一次，格式「打卡+今天走的步数」。
3. 装备问题可以在群里 @领队-阿山，他每天晚上统一回复。
4. 活动当天迟到超过十分钟不等人。
"""
EN_ROLES = """# Roles

| Role | How you get it | What it unlocks |
|------|----------------|-----------------|
| Newcomer | Accept the rules in #welcome-desk | #lobby, #ask-a-maker |
| Builder | Post three projects | #build-logs |
"""
EN_RULES = """# Server rules

1. Be kind to each other and to beginners.
2. Questions about printers go in #ask-a-maker, so everyone can find the answers later.
3. No selling or self-promotion outside #marketplace.
"""


def draft_over(  # type: ignore[no-untyped-def]
    tmp_path, embedder, files: dict[str, str], profile: CommunityProfile, **request: str
) -> str:
    """Ingest `files` (name -> text) as one community's playbooks and draft one post."""
    from copilot.config import Settings
    from copilot.service import Copilot

    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "data", llm_provider="offline", _env_file=None)  # type: ignore[call-arg]
    cp = Copilot(settings, embedder=embedder, llm=None)
    try:
        paths = [tmp_path / name for name in files]
        assert not cp.ingest_paths("club", paths, kind="playbook").skipped
        save_profile(cp.db, "club", profile)
        return cp.draft("club", **request).text  # type: ignore[arg-type]
    finally:
        cp.close()


@pytest.fixture(scope="module")
def clubs(tmp_path_factory: pytest.TempPathFactory, embedder):  # type: ignore[no-untyped-def]
    from copilot.config import Settings
    from copilot.service import Copilot

    root = tmp_path_factory.mktemp("welcome")
    for name, text in (
        ("zh/新成员手册.txt", ZH_GUIDE),
        ("zh/群规.txt", ZH_RULES),
        ("en/roles.md", EN_ROLES),
        ("en/rules.md", EN_RULES),
    ):
        (root / name).parent.mkdir(exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    settings = Settings(data_dir=root / "data", llm_provider="offline", _env_file=None)  # type: ignore[call-arg]
    cp = Copilot(settings, embedder=embedder, llm=None)
    assert not cp.ingest_paths("hike", [root / "zh"], kind="playbook").skipped
    assert not cp.ingest_paths("orbit", [root / "en"], kind="playbook").skipped
    save_profile(cp.db, "hike", ZH_PROFILE)
    save_profile(cp.db, "orbit", EN_PROFILE)
    yield cp
    cp.close()


def test_a_welcome_lists_the_newcomer_steps_in_the_guides_order(clubs) -> None:  # type: ignore[no-untyped-def]
    text = clubs.draft("hike", kind="welcome", topic="欢迎新朋友入群").text
    steps = ["区县-昵称-常走路线", "自我介绍", "意外险"]
    assert all(s in text for s in steps), text
    assert [text.index(s) for s in steps] == sorted(text.index(s) for s in steps)
    # the outline's section names are not steps, and the community's id is never shown
    assert "关于我们" not in text and "常见问题" not in text and "hike" not in text
    assert "山野徒步社" in text


def test_a_welcome_says_where_to_ask_and_the_daily_routine(clubs) -> None:  # type: ignore[no-untyped-def]
    text = clubs.draft("hike", kind="welcome", topic="欢迎新朋友入群").text
    assert "@领队-阿山" in text  # where questions go, from the rules
    assert "打卡+今天走的步数" in text  # the day-one routine
    assert "禁止发广告" not in text and "迟到" not in text  # prohibitions are not steps


def test_an_english_welcome_takes_the_newcomer_row_of_a_roles_table(clubs) -> None:  # type: ignore[no-untyped-def]
    result = clubs.draft(
        "orbit", kind="welcome", topic="Welcome post for new members", channel="discord"
    )
    assert "#welcome-desk" in result.text and "#ask-a-maker" in result.text, result.text
    assert "#build-logs" not in result.text  # another role's row
    assert result.citations and all(c.source.endswith(".md") for c in result.citations)


def test_a_call_to_action_in_another_language_stays_out(clubs) -> None:  # type: ignore[no-untyped-def]
    save_profile(
        clubs.db, "orbit", EN_PROFILE.model_copy(update={"call_to_action": "在群里接龙报名"})
    )
    try:
        result = clubs.draft(
            "orbit", kind="welcome", topic="Welcome post for new members", channel="discord"
        )
    finally:
        save_profile(clubs.db, "orbit", EN_PROFILE)
    assert "接龙" not in result.text  # an English post does not end in Chinese
    assert all(c.passed for c in result.checks if c.rule == "call_to_action")


TEA_RULES = """拾光茶友会 群规

1. 进群后请把群昵称改成「城市-称呼」，例如「杭州-小李」。
2. 群里只聊茶和茶器，不发与茶无关的链接。
3. 每日签到：每天一次，格式「签到+今天喝的茶」。
"""
# "新手" is a beginner at brewing here, not a newcomer to the group.
TEA_GUIDE = """# 拾光冲泡指南（新手版）

## 乌龙茶 · 盖碗

1. 温碗：开水烫一遍盖碗和公道杯。
2. 用 100℃ 沸水，第一泡 5 秒内出汤倒掉。
3. 第 2 到 4 泡每泡 10 秒出汤，之后每泡多加 5 秒。
"""


def test_a_beginners_guide_to_a_skill_is_not_the_newcomer_steps(tmp_path, embedder) -> None:  # type: ignore[no-untyped-def]
    from copilot.config import Settings
    from copilot.service import Copilot

    for name, text in (("群规.txt", TEA_RULES), ("冲泡指南.md", TEA_GUIDE)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "data", llm_provider="offline", _env_file=None)  # type: ignore[call-arg]
    cp = Copilot(settings, embedder=embedder, llm=None)
    try:
        paths = [tmp_path / "群规.txt", tmp_path / "冲泡指南.md"]
        assert not cp.ingest_paths("tea", paths, kind="playbook").skipped
        save_profile(cp.db, "tea", CommunityProfile(name="拾光茶友会", type="brand", language="zh"))
        text = cp.draft("tea", kind="welcome", topic="欢迎新茶友入群").text
    finally:
        cp.close()
    assert "城市-称呼" in text, text
    assert "温碗" not in text and "出汤" not in text, text


# A traditional-Chinese guide: its steps, then the list of Slack channels a newcomer needs.
HANT_GUIDE = """新會員入會指引

歡迎加入九龍單車同好會！以下係新會員第一個月要知嘅嘢。

一、入會步驟
① 喺網站撳「申請入會」填表，附上單車相片。
② 委員會會喺一星期內審批，通過後用 FPS 交年費。
③ 收到 Slack 邀請之後，請喺 #general 自我介紹：住邊區、踩咩車。

二、Slack 頻道點用
（1）#general：公告、每週出車、閒聊。
（2）#trade：只限二手買賣，要寫價錢。
（3）#repair：維修問題乜都可以問。
"""
# An English "start here" page: what the club does comes first, the steps to join later.
EN_START = """# Harbour Cycling Club — start here

Hello and welcome. We ride together around the harbour every weekend.

## What the club does

- Group rides on fixed weekend routes, for every pace and every kind of bike.
- A repair evening once a month with spare parts at cost price for members.
- Discounts at three partner bike shops in the city centre for members.

## Membership

You can join any ride as a guest twice before you decide to become a member.

How to join:

1. Go to harbourcycling.club/join and pick your membership type there.
2. Set your display name to "First name | area", for example "Ana | Docklands".
3. Pay by card; you get an email with your membership number straight away.
4. Post a hello in the group and tell us which part of the city you ride from.
"""


@pytest.mark.parametrize(
    ("name", "text", "profile", "topic", "wanted", "unwanted"),
    [
        (
            "新會員入會指引.txt",
            HANT_GUIDE,
            CommunityProfile(name="九龍單車同好會", type="interest", language="zh-hant"),
            "歡迎新會員加入",
            ["申請入會", "FPS", "#general 自我介紹", "#trade", "#repair"],
            [],
        ),
        (
            "start-here.md",
            EN_START,
            CommunityProfile(name="Harbour Cycling Club", type="interest", language="en"),
            "Welcome post for new members",
            ["harbourcycling.club/join", "First name | area", "membership number"],
            ["repair evening", "partner bike shops"],
        ),
    ],
)
def test_a_welcome_takes_the_guides_steps_and_its_channel_list(  # type: ignore[no-untyped-def]
    tmp_path, embedder, name, text, profile, topic, wanted, unwanted
) -> None:
    post = draft_over(
        tmp_path, embedder, {name: text}, profile,
        kind="welcome", topic=topic, language=profile.language,
    )  # fmt: skip
    assert all(w in post for w in wanted), post
    assert not any(u in post for u in unwanted), post
    assert [post.index(w) for w in wanted] == sorted(post.index(w) for w in wanted)


def test_a_fact_keeps_one_list_mark() -> None:
    from copilot.skills.draft.offline import _bullet

    assert (
        _bullet("plain", 2, "1、不得私自把站里的猫带离救助站。")
        == "2. 不得私自把站里的猫带离救助站。"
    )
    assert _bullet("html", 1, "（3）#general：公告") == "• #general：公告"
    assert _bullet("plain", 1, "12月5日领养日") == "1. 12月5日领养日"  # a date is no list mark


def test_a_name_starting_with_the_and_a_topic_naming_its_kind_read_once(tmp_path, embedder) -> None:  # type: ignore[no-untyped-def]
    events = "# Events\n\nGlossary Swap Night is on Thursday 3 December, 19:00 in Room 2A.\n"
    post = draft_over(
        tmp_path, embedder, {"events.md": events},
        CommunityProfile(name="The Loom Guild", language="en"),
        kind="reminder", topic="Reminder: Glossary Swap Night",
    )  # fmt: skip
    assert "The Loom Guild team" in post and "The The" not in post, post
    assert "Reminder: Reminder" not in post and post.count("Reminder: Glossary Swap Night") == 1


def test_with_no_newcomer_steps_a_welcome_still_lists_the_channels(tmp_path, embedder) -> None:  # type: ignore[no-untyped-def]
    about = (
        "# About the space\n\nWe are a community workshop with a laser cutter and 3D printers.\n\n"
        "## Discord channels\n\n- #general for chatter, photos and announcements\n"
        "- #help for questions about machines and bookings\n- #events for workshops\n"
    )
    post = draft_over(
        tmp_path, embedder, {"about.md": about}, CommunityProfile(name="Maker Hub", language="en"),
        kind="welcome", topic="Welcome new members", channel="discord",
    )  # fmt: skip
    assert all(c in post for c in ("#general", "#help", "#events")), post


def test_with_no_newcomer_guide_a_welcome_still_says_where_to_ask(  # type: ignore[no-untyped-def]
    tmp_path, embedder
) -> None:
    faq = (
        "Q: Where do I ask coding questions?\nA: In #help, and please open a thread under your\n"
        "   question so answers stay together.\n\n"
        "Q: Can I pay in installments?\nA: Yes, in three.\n"
    )
    post = draft_over(
        tmp_path, embedder, {"faq.txt": faq}, CommunityProfile(name="Cohort 14", language="en"),
        kind="welcome", topic="Welcome a new student", channel="slack",
    )  # fmt: skip
    assert "#help" in post and "thread" in post, post


def test_a_named_rule_is_a_newcomer_step_and_the_routine_comes_from_the_rules(  # type: ignore[no-untyped-def]
    tmp_path, embedder
) -> None:
    rules = (
        "# 学员群群规\n\n> 进群即视为同意下面每一条，请花两分钟看完。\n\n"
        "1. **群名片**：进群后48小时内把群名片改成「地区-考试类型-昵称」。\n"
        "2. **打卡**：每天的打卡内容交在小鹅通，群里只发一行文字。\n3. **禁止广告**：不许发广告。\n"
    )
    camp = "21天打卡挑战第三期开营啦\n\n1. 每天打卡一次，连续21天。\n2. 押金21元，全勤返还。\n"
    post = draft_over(
        tmp_path, embedder, {"群规.md": rules, "打卡开营.txt": camp},
        CommunityProfile(name="青禾研习社", language="zh"),
        kind="welcome", topic="欢迎新学员入群", channel="wechat_group",
    )  # fmt: skip
    assert "进群后48小时内" in post and "小鹅通" in post, post
    assert "开营啦" not in post, post
    assert "下面每一条" not in post, post  # the rules' preamble points at a list not shown


# A studio's rules: an equipment section with a line naming a helper, then the newcomer guide
# of five steps, the last one the introduction.
STUDIO_RULES = """会员守则

三、设备使用
1、拉坯机用完请清理干净，关掉电源。
2、设备有问题请当场告诉值班助教，不要自己拆。

六、新会员入门步骤
1、入群后把群昵称改成“昵称-卡种”，例如“阿果-年卡”；
2、在小程序“拾窑约课”完成实名登记，并阅读本守则；
3、参加一次免费的安全与设备介绍（每周六10:00，在一号拉坯室）；
4、到前台领取个人围裙和工具包，押金100元，退卡时退还；
5、在群里发一条自我介绍：怎么称呼、以前有没有玩过泥、想做什么东西。
"""


def test_a_guides_five_steps_all_make_the_welcome_before_anything_else(tmp_path, embedder) -> None:  # type: ignore[no-untyped-def]
    profile = ZH_PROFILE.model_copy(update={"name": "拾窑陶艺会员群"})
    text = draft_over(
        tmp_path,
        embedder,
        {"会员守则.txt": STUDIO_RULES},
        profile,
        kind="welcome",
        topic="欢迎新会员",
    )
    steps = ["昵称-卡种", "实名登记", "安全与设备介绍", "围裙", "自我介绍"]
    assert all(s in text for s in steps), text
    assert [text.index(s) for s in steps] == sorted(text.index(s) for s in steps)
    # a line from another section comes after the guide's steps, never as step 1
    if "值班助教" in text:
        assert text.index("值班助教") > text.index("自我介绍"), text


RIDERS_GUIDE = """# Welcome to Canal Riders

## How to join

1. Go to canalriders.example/join and pick your membership type.
2. Pay by card; you get an email with your membership number.
3. Post a hello in the group and tell us which part of town you ride from.
"""
RIDERS_FAQ = """# Membership FAQ

Q: Do I have to be a member to come on a ride?
A: No. Anyone can come on two rides as a guest. From the third ride you need to join.

Q: Is my bike covered by the club insurance?
A: Only third-party liability, while on a club ride.
"""
RIDERS_CALENDAR = """# Rides calendar

| Ride | When | Where |
| --- | --- | --- |
| Canal Commute | Tuesdays 07:45 | Lock 3 |
| Newbies' Night Ride | first Friday, 19:00 | Manor House gate |

- The Newbies' Night Ride is the best first ride: slow, short, and the leader explains hand signals.
"""


def test_a_welcome_tells_a_newcomer_the_trial_and_the_first_event_from_other_pages(  # type: ignore[no-untyped-def]
    tmp_path, embedder
) -> None:
    files = {"guide.md": RIDERS_GUIDE, "faq.md": RIDERS_FAQ, "calendar.md": RIDERS_CALENDAR}
    profile = EN_PROFILE.model_copy(update={"name": "Canal Riders"})
    text = draft_over(
        tmp_path, embedder, files, profile, kind="welcome", topic="Welcome!", channel="slack"
    )
    assert "canalriders.example/join" in text and "membership number" in text, text
    assert "Anyone can come on two rides as a guest." in text, text
    assert "best first ride" in text, text
    # the FAQ's "A: No." is not quoted, nor a row of the calendar table
    assert "A: No" not in text and "Tuesdays 07:45" not in text, text


def test_a_long_english_step_is_one_of_the_steps(tmp_path, embedder) -> None:  # type: ignore[no-untyped-def]
    """An English step says in 165 letters what a Chinese one says in 90: it is measured by
    width, so the voice-placement step is no longer left out of the welcome."""
    guide = """# Join the Choir

## How to join

- Come to up to two rehearsals as a guest, free of charge. Email us beforehand so a folder is ready.
- Book a voice placement with our Artistic Director, Elaine Fong. Placements take about \
ten minutes and happen between 6:20 and 6:55 pm, before a Tuesday rehearsal.
- Fill in the online membership form and pay your term fee by the fourth rehearsal of the term.
"""
    text = draft_over(
        tmp_path,
        embedder,
        {"join.md": guide},
        EN_PROFILE,
        kind="welcome",
        topic="Welcome",
        language="en",
    )
    assert "Book a voice placement" in text and "6:55 pm" in text


def test_what_the_topic_names_in_brackets_is_in_the_welcome(tmp_path, embedder) -> None:  # type: ignore[no-untyped-def]
    """ "欢迎新会员（订位、店休）": a shop with no newcomer guide still gets a welcome that says
    how to book and which day it is closed, each from the playbook line about it."""
    hours = "营业时间\n\n周三到周日 13:00-23:00，每周一店休。\n"
    booking = (
        "订位说明\n\n1、在小程序“猫窝订位”里选日期和人数，提交后会收到确认消息。\n"
        "2、五人以上请提前一天订。\n"
    )
    text = draft_over(
        tmp_path,
        embedder,
        {"营业时间.txt": hours, "订位说明.txt": booking},
        ZH_PROFILE,
        kind="welcome",
        topic="欢迎新会员进群（订位、店休）",
        language="zh",
    )
    assert "猫窝订位" in text and "周一店休" in text, text


def test_a_welcome_says_where_the_group_meets_and_when_staff_answer(tmp_path, embedder) -> None:  # type: ignore[no-untyped-def]
    guide = """新人须知

一、第一次来之前
1、进群后把群昵称改成“组别-昵称”，比如“慢组-小树”。
2、第一次来不用交钱，新朋友可以免费体验两次。

二、集合和答疑
集合点在滨江公园南门的大台阶下面，领跑举着黄色小旗。
官方答疑时间为工作日 9:30-18:00，其余时间靠群友互助。
"""
    text = draft_over(
        tmp_path,
        embedder,
        {"新人须知.txt": guide},
        ZH_PROFILE,
        kind="welcome",
        topic="欢迎新朋友入群",
        language="zh",
    )
    assert "组别-昵称" in text and "免费体验" in text, text
    assert "滨江公园南门" in text and "9:30-18:00" in text, text


# An English guide for a Chinese studio: sections titled the way guides are ("Finding us",
# "Booking sessions"), lines naming the mini program in Chinese, a first-visit list before them.
EN_GUIDE = """# Guide for English-speaking members

## Your first visit

- Arrive ten minutes early and sign the waiver at reception.
- Your first drop-in session is half price.
- Lockers take a 1 RMB coin, which you get back.
- Bring your own towel; we do not rent them out.

## Booking sessions

1. Open WeChat and search for the mini program 青竹约课.
2. Sessions open for booking every Monday at 09:00.

## Finding us

- Metro: Keyuan station, Exit B, then a five-minute walk north.
- 中文咨询请加前台微信：qingzhu_help（小青）

## Classes in English

- Vinyasa in English runs every Sunday at 10:30 with Kira.
"""


def test_each_thing_a_welcome_topic_names_comes_from_its_own_section(tmp_path, embedder) -> None:  # type: ignore[no-untyped-def]
    """ "(how to book, how to find us, the English class)": each from the section it names,
    kept when the channel's length drops other steps."""
    text = draft_over(
        tmp_path,
        embedder,
        {"guide.md": EN_GUIDE},
        EN_PROFILE,
        kind="welcome",
        topic="Welcome post for new members (how to book, how to find us, the English class)",
        language="en",
        channel="wechat_group",
    )
    assert "青竹约课" in text, text  # an English line naming the mini program is English
    assert "Keyuan station, Exit B" in text, text  # "find us" is the "Finding us" section
    assert "Vinyasa in English" in text, text
    assert "中文咨询" not in text, text  # a Chinese line with an id in it is no English step


def test_with_few_steps_a_welcome_takes_the_whole_who_to_ask_list(tmp_path, embedder) -> None:  # type: ignore[no-untyped-def]
    handbook = """# Cohort handbook

## Schedule

Live classes run on Zoom every Tuesday and Thursday evening.

## Who to ask

- Code questions: #help on Slack, in a thread.
- Anything about fees or attendance: Dana, by DM.
- Conduct concerns: see the Code of Conduct.
"""
    text = draft_over(
        tmp_path,
        embedder,
        {"handbook.md": handbook},
        EN_PROFILE,
        kind="welcome",
        topic="Welcome a new student",
        language="en",
    )
    for line in ("#help on Slack", "Dana, by DM", "see the Code of Conduct"):
        assert line in text, text


def test_the_group_card_rule_is_a_step_and_a_fee_row_is_not(tmp_path, embedder) -> None:  # type: ignore[no-untyped-def]
    rules = (
        "群规\n\n① 群名片统一改成“区域-昵称”，比如“南山-阿明”。"
        "进群三天内不改的，管理员会提醒一次。\n"
        "② 严禁发广告。\n③ 每晚 23:00 以后请不要在群里发消息。\n"
    )
    fees = (
        "费用表\n\n项目        价格     备注\n体验跑      免费     每人限3次\n"
        "下半年入会  100元    7月1日以后入会\n"
    )
    text = draft_over(
        tmp_path,
        embedder,
        {"群规.txt": rules, "费用表.txt": fees},
        ZH_PROFILE,
        kind="welcome",
        topic="欢迎新团友入群",
        language="zh",
    )
    assert "群名片统一改成“区域-昵称”" in text, text
    assert "100元" not in text, text  # the fee table's row for joining is no step


def test_a_long_aside_with_commas_keeps_each_parts_own_and() -> None:
    from copilot.skills.draft.newcomers import topic_parts

    topic = (
        "Welcome message for new club members (how pausing and cancelling work, where to ask "
        "brewing questions, and the next cupping night)"
    )
    assert topic_parts(topic) == [
        "how pausing and cancelling work",
        "where to ask brewing questions",
        "the next cupping night",
    ]
    assert topic_parts("Welcome (rules and check-ins)") == ["rules", "check-ins"]
    assert topic_parts("Welcome (rules, check-ins and parking)") == [
        "rules",
        "check-ins",
        "parking",
    ]
    assert topic_parts("Welcome (the English class, how to book and how to find us)") == [
        "the English class",
        "how to book",
        "how to find us",
    ]
    assert topic_parts("欢迎词（订位、店休和群规）") == ["订位", "店休", "群规"]
