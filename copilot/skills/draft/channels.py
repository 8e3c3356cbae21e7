"""Channel rules (length, markup, emoji and hashtag conventions) and the draft checker.

Limits: WeCom group-robot text is capped at 2048 UTF-8 bytes, Discord at 2000 characters and
Telegram at 4096 (platform limits). WeChat group (500) and Moments (300) limits are ours:
longer posts are folded or skipped by readers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from copilot.profile import CommunityProfile
from copilot.skills.results import Check
from copilot.text import detect_language, fold_chinese

Markup = Literal["plain", "mrkdwn", "markdown", "html"]


@dataclass(frozen=True)
class ChannelRule:
    id: str
    label: str
    max_chars: int
    markup: Markup
    hashtags: bool  # are #hashtags a convention here (else they are left out and not checked)
    min_hashtags: int
    max_hashtags: int
    guidance: str  # what the LLM is told
    max_bytes: int | None = None


CHANNELS: dict[str, ChannelRule] = {
    r.id: r
    for r in (
        ChannelRule(
            "wechat_group",
            "WeChat group",
            500,
            "plain",
            True,
            0,
            3,
            "Plain text only: WeChat shows Markdown symbols literally. Short lines, the title "
            "in 【】, emoji welcome. At most 3 #hashtags, used as search keywords.",
        ),
        ChannelRule(
            "wecom_group",
            "WeCom group",
            1000,
            "plain",
            True,
            0,
            3,
            "Plain text only, at most 2048 UTF-8 bytes (WeCom's limit). Businesslike, "
            "the title in 【】, few emoji, at most 3 #hashtags.",
            max_bytes=2048,
        ),
        ChannelRule(
            "moments",
            "WeChat Moments-style post",
            300,
            "plain",
            True,
            1,
            3,
            "A Moments-style post: at most 300 characters, no title, a hook in the first "
            "line, plain text, 1-3 topic tags written #话题 at the end.",
        ),
        ChannelRule(
            "qq_group",
            "QQ group",
            1000,
            "plain",
            True,
            0,
            3,
            "Plain text only: QQ shows Markdown symbols literally. Short lines, the title in "
            "【】, emoji welcome, at most 3 #hashtags.",
        ),
        ChannelRule(
            "feishu_group",
            "Feishu / Lark group",
            2000,
            "plain",
            False,
            0,
            0,
            "Plain text for a Feishu/Lark group message: short paragraphs, the title on the "
            "first line, no Markdown symbols and no #hashtags.",
        ),
        ChannelRule(
            "dingtalk_group",
            "DingTalk group",
            2000,
            "plain",
            False,
            0,
            0,
            "Plain text for a DingTalk group message: the title in 【】, short lines, no "
            "Markdown symbols and no #hashtags.",
        ),
        ChannelRule(
            "slack",
            "Slack",
            4000,
            "mrkdwn",
            False,
            0,
            0,
            "Slack mrkdwn: *bold*, _italic_, • bullets, <url|text> links. No # headings and "
            "no **double asterisks**. No #hashtags (they look like channel links).",
        ),
        ChannelRule(
            "discord",
            "Discord",
            2000,
            "markdown",
            False,
            0,
            0,
            "Discord Markdown: **bold**, - bullets, ## headings allowed. Hard limit 2000 "
            "characters. No #hashtags (they look like channel links).",
        ),
        ChannelRule(
            "telegram",
            "Telegram",
            4096,
            "html",
            True,
            0,
            3,
            'Telegram HTML parse mode: <b>, <i>, <a href="...">; escape &, < and >. No '
            "Markdown. At most 4096 characters; #hashtags are clickable (at most 3).",
        ),
    )
}
CHANNEL_ALIASES = {
    "wechat": "wechat_group",
    "weixin": "wechat_group",
    "wecom": "wecom_group",
    "wework": "wecom_group",
    "朋友圈": "moments",
    "pengyouquan": "moments",
    "qq": "qq_group",
    "feishu": "feishu_group",
    "lark": "feishu_group",
    "lark_group": "feishu_group",
    "dingtalk": "dingtalk_group",
    "微信群": "wechat_group",
    "企业微信": "wecom_group",
    "qq群": "qq_group",
    "飞书": "feishu_group",
    "钉钉": "dingtalk_group",
    "tg": "telegram",
}

HASHTAG = re.compile(r"(?<![\w/&#])#(\w[\w-]*)#?")
_MARKDOWN = {
    "**bold**": re.compile(r"\*\*[^*\n]+\*\*"),
    "# heading": re.compile(r"^#{1,6} ", re.MULTILINE),
    "[text](link)": re.compile(r"\[[^\]\n]+\]\([^)\s]+\)"),
    "`code`": re.compile(r"`[^`\n]+`"),
}
_HTML_TAG = re.compile(r"</?([a-zA-Z][\w-]*)[^>]*>")
_SLACK_LINK = re.compile(r"<(?:https?://|mailto:)[^>|]+\|[^>]+>")
TELEGRAM_TAGS = frozenset(
    "b strong i em u ins s strike del a code pre blockquote tg-spoiler span".split()
)
PLACEHOLDER = re.compile(
    r"\{[a-z_]+\}|\[(?:date|time|place|venue|link|name|tbd)\]|XXX+|TODO|"
    r"待补充|此处填写",
    re.IGNORECASE,
)


_PLACE_SUFFIX = re.compile(r"_(?:group|chat|channel|server)s?$")


def get_channel(channel: str) -> ChannelRule | None:
    """The rule of `channel`: its id, an alias ("wechat", "lark"), or either with the kind of
    place it is ("telegram_group", "slack_channel", "discord_server")."""
    key = channel.strip().lower().replace("-", "_").replace(" ", "_")
    for name in (key, _PLACE_SUFFIX.sub("", key)):
        if (rule := CHANNELS.get(CHANNEL_ALIASES.get(name, name))) is not None:
            return rule
    return None


def hashtags_in(text: str) -> list[str]:
    return HASHTAG.findall(text)


def check_draft(
    text: str, channel: str, profile: CommunityProfile, language: str | None = None
) -> list[Check]:
    """Check a draft against its channel's rules and the community profile."""
    rule = get_channel(channel)
    if rule is None:
        raise ValueError(f"unknown channel {channel!r}")
    checks = [
        _length(text, rule),
        _formatting(text, rule),
        _hashtag_count(text, rule),
        _banned(text, profile),
        _required_hashtags(text, rule, profile),
        _call_to_action(text, profile, language),
        _placeholders(text),
    ]
    if language:
        found = detect_language(text)
        want = "zh" if language == "zh-hant" else language
        checks.append(
            Check(
                rule="language",
                passed=found == want,
                detail=f"written in {found}, asked for {language}",
            )
        )
    return checks


def _length(text: str, rule: ChannelRule) -> Check:
    n = len(text)
    detail = f"{n}/{rule.max_chars} characters"
    passed = n <= rule.max_chars
    if rule.max_bytes:
        size = len(text.encode("utf-8"))
        detail += f", {size}/{rule.max_bytes} bytes"
        passed = passed and size <= rule.max_bytes
    return Check(rule="length", passed=passed, detail=detail)


def _formatting(text: str, rule: ChannelRule) -> Check:
    problems: list[str] = []
    if rule.markup in ("plain", "mrkdwn", "html"):
        names = [name for name, rx in _MARKDOWN.items() if rx.search(text)]
        if rule.markup == "mrkdwn":  # *bold* and `code` are mrkdwn too
            names = [n for n in names if n != "`code`"]
        problems += [f"Markdown {n}" for n in names]
    tags = _HTML_TAG.findall(text)
    if rule.markup == "html":
        problems += [f"<{t}> is not allowed" for t in sorted(set(tags) - TELEGRAM_TAGS)]
        if not _balanced(text):
            problems.append("unbalanced HTML tags")
    elif tags and rule.markup != "mrkdwn":
        problems.append(f"HTML tags ({', '.join(sorted(set(tags)))})")
    if rule.markup == "markdown" and _SLACK_LINK.search(text):
        problems.append("Slack-style <url|text> link")
    style = {
        "plain": "plain text",
        "mrkdwn": "Slack mrkdwn",
        "markdown": "Discord Markdown",
        "html": "Telegram HTML",
    }[rule.markup]
    return Check(
        rule="formatting",
        passed=not problems,
        detail="; ".join(problems) if problems else f"{style} as {rule.label} expects",
    )


def _hashtag_count(text: str, rule: ChannelRule) -> Check:
    tags = list(dict.fromkeys(fold_chinese(t) for t in hashtags_in(text)))
    if not rule.hashtags:  # a #word here names a channel, which a post may well do
        return Check(
            rule="hashtags",
            passed=True,
            detail=(f"hashtags are not used on {rule.label}; #words read as channel names"),
        )
    ok = rule.min_hashtags <= len(tags) <= rule.max_hashtags
    return Check(
        rule="hashtags",
        passed=ok,
        detail=(
            f"{len(tags)} hashtag(s); {rule.label} posts use "
            f"{rule.min_hashtags}-{rule.max_hashtags}"
        ),
    )


def banned_words_in(text: str, profile: CommunityProfile) -> list[str]:
    folded = fold_chinese(text)
    found = []
    for word in profile.banned_words:
        w = fold_chinese(word)
        pattern = rf"(?<![a-z0-9]){re.escape(w)}(?![a-z0-9])" if w.isascii() else re.escape(w)
        if re.search(pattern, folded):
            found.append(word)
    return found


def _banned(text: str, profile: CommunityProfile) -> Check:
    found = banned_words_in(text, profile)
    return Check(
        rule="banned_words",
        passed=not found,
        detail=(
            f"contains banned word(s): {', '.join(found)}"
            if found
            else f"none of the {len(profile.banned_words)} banned word(s)"
        ),
    )


def _required_hashtags(text: str, rule: ChannelRule, profile: CommunityProfile) -> Check:
    if not profile.required_hashtags:
        return Check(rule="required_hashtags", passed=True, detail="the profile requires none")
    if not rule.hashtags:
        return Check(rule="required_hashtags", passed=True, detail=f"not used on {rule.label}")
    present = {fold_chinese(t) for t in hashtags_in(text)}
    missing = [t for t in profile.required_hashtags if fold_chinese(t) not in present]
    return Check(
        rule="required_hashtags",
        passed=not missing,
        detail=("missing " + ", ".join(f"#{t}" for t in missing) if missing else "all present"),
    )


def _call_to_action(text: str, profile: CommunityProfile, language: str | None = None) -> Check:
    cta = profile.call_to_action
    if not cta:
        return Check(rule="call_to_action", passed=True, detail="the profile sets none")
    if language and (detect_language(cta) == "en") != (language == "en"):
        return Check(
            rule="call_to_action",
            passed=True,
            detail="the profile's call to action is in another language: left out",
        )
    ok = fold_chinese(cta) in fold_chinese(text)
    return Check(
        rule="call_to_action",
        passed=ok,
        detail="included" if ok else f"missing the profile's call to action: {cta}",
    )


def _placeholders(text: str) -> Check:
    found = sorted(set(PLACEHOLDER.findall(text)))
    return Check(
        rule="placeholders",
        passed=not found,
        detail=(f"unfilled: {', '.join(found)}" if found else "no unfilled slots"),
    )


def _balanced(text: str) -> bool:
    stack: list[str] = []
    for match in re.finditer(r"<(/?)([a-zA-Z][\w-]*)[^>]*?(/?)>", text):
        closing, name, self_closing = match.groups()
        if self_closing:
            continue
        if not closing:
            stack.append(name)
        elif not stack or stack.pop() != name:
            return False
    return not stack
