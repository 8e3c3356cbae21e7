"""Wording of offline drafts, zh + en: titles, leads, greetings, calls to action per kind.

Each kind has three leads; variant i uses lead i and layout i (see `offline.LAYOUTS`), so
variants differ in wording and in order, deterministically. Traditional Chinese is produced by
converting the simplified text with OpenCC (one source of wording, no drift between scripts).
"""

from __future__ import annotations

import re
from typing import Any

from copilot.analytics.keywords import is_time_word
from copilot.text import tokenize

KINDS = (
    "announcement",
    "welcome",
    "activity_promotion",
    "weekly_digest",
    "knowledge_share",
    "rules_reminder",
    "reminder",
)
KIND_ALIASES = {
    "promotion": "activity_promotion",
    "activity": "activity_promotion",
    "digest": "weekly_digest",
    "weekly": "weekly_digest",
    "knowledge": "knowledge_share",
    "tip": "knowledge_share",
    "rules": "rules_reminder",
    "event_reminder": "reminder",
}
# A "reminder" about the rules is a rules reminder; any other is a reminder of an event.
GROUP_RULES_WORDS = ("群规", "群規", "house rules", "community rules", "group rules")
RULES_WORDS = ("群规", "规则", "规定", "禁止", "静默", "广告", "rules", "house rules", "etiquette")
TONES = ("friendly", "formal", "playful", "concise")

TITLES = {
    "zh": {
        "announcement": "公告｜{topic}",
        "welcome": "欢迎加入{name}",
        "activity_promotion": "活动｜{topic}",
        "weekly_digest": "本周精华｜{topic}",
        "knowledge_share": "干货｜{topic}",
        "rules_reminder": "群规提醒｜{topic}",
        "reminder": "提醒｜{topic}",
    },
    "en": {
        "announcement": "Announcement: {topic}",
        "welcome": "Welcome to {name}",
        "activity_promotion": "Event: {topic}",
        "weekly_digest": "Weekly digest: {topic}",
        "knowledge_share": "Tip: {topic}",
        "rules_reminder": "House rules: {topic}",
        "reminder": "Reminder: {topic}",
    },
}
LEADS = {
    "zh": {
        "announcement": (
            "关于「{topic}」，有几件事跟大家同步一下：",
            "「{topic}」的安排定下来了，请大家留意：",
            "先说重点：{topic}。具体信息如下：",
        ),
        "welcome": (
            "欢迎新朋友加入{name}！进群先了解这几件事：",
            "热烈欢迎刚进群的伙伴！关于{topic}，先给你划个重点：",
            "新朋友你好，很高兴在{name}见到你！下面是入群须知：",
        ),
        "activity_promotion": (
            "{topic}开始报名啦！",
            "一起来参加{topic}吧！",
            "{topic}，这次不要错过：",
        ),
        "weekly_digest": (
            "本周{name}精华回顾来啦，没空爬楼的看这里：",
            "一周过去了，关于{topic}，挑几条值得再看一眼的：",
            "这周群里聊了不少干货，整理如下：",
        ),
        "knowledge_share": (
            "今天分享一个关于「{topic}」的小知识：",
            "很多人问过{topic}，把要点整理一下：",
            "{topic}，收藏备用：",
        ),
        "rules_reminder": (
            "温馨提醒：为了让群里保持清爽，再和大家过一遍{topic}：",
            "最近有新朋友进群，借机再提醒一下{topic}：",
            "群规小课堂：{topic}。",
        ),
        "reminder": (
            "温馨提醒：{topic}，再和大家确认一下安排：",
            "{topic}，还没报名的抓紧啦：",
            "再提醒一次：{topic}。",
        ),
    },
    "en": {
        "announcement": (
            "A quick update on {topic}:",
            "{topic}: here is what you need to know.",
            "Heads-up: {topic}. The details:",
        ),
        "welcome": (
            "Welcome to {name}! A few things to know as you settle in:",
            "A warm welcome to everyone who just joined! The short version of {topic}:",
            "Great to have you in {name}! Start here:",
        ),
        "activity_promotion": (
            "Sign-ups for {topic} are open!",
            "Join us for {topic}!",
            "Don't miss {topic}:",
        ),
        "weekly_digest": (
            "This week in {name}: the highlights, in case you missed them.",
            "Another week gone! The best of {topic}:",
            "Too busy to scroll back? This week in brief:",
        ),
        "knowledge_share": (
            "Today's tip on {topic}:",
            "Several of you asked about {topic}, so here are the key points:",
            "Worth saving: {topic} in a nutshell.",
        ),
        "rules_reminder": (
            "A friendly reminder to keep {name} a good place to be: {topic}.",
            "With new members joining, here's a refresher on {topic}:",
            "House rules in brief: {topic}.",
        ),
        "reminder": (
            "Friendly reminder: {topic}. The details once more:",
            "{topic}: here is what you need to know.",
            "Don't miss it: {topic}.",
        ),
    },
}
GREETINGS = {
    "zh": {
        "friendly": "{name}的小伙伴们好！",
        "formal": "各位成员：",
        "playful": "叮咚～{name}的家人们看过来 👀",
        "concise": "",
    },
    "en": {
        "friendly": "Hi everyone 👋",
        "formal": "Dear members,",
        "playful": "Hey hey, {name} crew! 🎉",
        "concise": "",
    },
}
CTAS = {
    "zh": {
        "announcement": "有问题直接在群里@管理员～",
        "welcome": "有任何问题随时在群里问，大家都很热心😊",
        "activity_promotion": "想参加的在群里接龙报名吧！",
        "weekly_digest": "下周见，欢迎继续在群里分享你的收获～",
        "knowledge_share": "觉得有用就转给需要的朋友吧～",
        "rules_reminder": "感谢大家一起维护好我们的群🙏",
        "reminder": "还没报名的抓紧时间，有问题在群里@管理员～",
        "called_off": "有问题在群里@管理员～",
    },
    "en": {
        "announcement": "Questions? Just ask in the group.",
        "welcome": "Say hi and tell us a little about yourself!",
        "activity_promotion": "Reply here to sign up!",
        "weekly_digest": "See you next week, and keep sharing!",
        "knowledge_share": "Found this useful? Pass it on.",
        "rules_reminder": "Thanks for helping keep this a great space 🙏",
        "reminder": "Not signed up yet? Now's the time. Questions? Just ask here.",
        "called_off": "Questions? Just ask here.",
    },
}
DIGEST_LABELS = {
    "zh": {
        "news": "📢 ",
        "decision": "✅ ",
        "done": "🎉 ",
        "answered": "💬 ",
        "open": "❓ 待解答：",
    },
    "en": {
        "news": "📢 ",
        "decision": "✅ ",
        "done": "🎉 ",
        "answered": "💬 ",
        "open": "❓ Still open: ",
    },
}
# A topic that already names its kind is the title on its own (no "提醒｜…截止提醒").
TITLE_SAYS = {
    "weekly_digest": re.compile(
        r"digest|recap|round-?up|\bweekly\b|本周|周报|週報|精华|精華|回顾|回顧", re.I
    ),
    "reminder": re.compile(r"remind|提醒", re.I),
    "announcement": re.compile(r"announce|公告", re.I),
    "rules_reminder": re.compile(r"house rules|群规|群規", re.I),
}
SIGNOFFS = {"zh": "—— {name}运营组", "en": "— The {name} team"}
DETAIL_LABELS = {"zh": ("时间", "地点"), "en": ("When", "Where")}
DETAIL_EMOJI = ("🕗", "📍")
# Words added to the retrieval query so each kind finds the right kind of facts.
KIND_HINTS = {
    "zh": {
        "announcement": "时间 地点 安排",
        "welcome": "新人 入群 群规 打卡 欢迎",
        "activity_promotion": "活动 报名 时间 地点",
        "weekly_digest": "本周 分享 讨论",
        "knowledge_share": "方法 规则 说明",
        "rules_reminder": "群规 禁止 规则 违规",
        "reminder": "时间 地点 报名 截止",
    },
    "en": {
        "announcement": "when where schedule",
        "welcome": "newcomer join rules check-in",
        "activity_promotion": "event sign up when where",
        "weekly_digest": "this week shared",
        "knowledge_share": "how to rules",
        "rules_reminder": "rules not allowed violation",
        "reminder": "when where sign up deadline",
    },
}


def normalize_kind(kind: str, topic: str = "") -> str | None:
    key = kind.strip().lower().replace("-", "_").replace(" ", "_")
    found = key if key in KINDS else KIND_ALIASES.get(key)
    # "Throwdown this Saturday — judging rules and what to bring" reminds of an event (it names
    # its day); "提醒大家遵守群规" of the group's rules
    about_rules = any(w in topic.lower() for w in RULES_WORDS)
    group_rules = any(w in topic.lower() for w in GROUP_RULES_WORDS)
    names_a_day = any(is_time_word(w) and not w.isdigit() for w in tokenize(topic))
    if found == "reminder" and about_rules and (group_rules or not names_a_day):
        return "rules_reminder"
    return found


def template_language(language: str) -> str:
    return "en" if language == "en" else "zh"


def fill(template: str, **slots: Any) -> str:
    """str.format that leaves an empty slot empty (a profile without a name, say)."""
    return template.format(**{k: ("" if v is None else v) for k, v in slots.items()})
