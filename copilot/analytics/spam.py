"""Obvious-spam detection for chat history.

Deliberately conservative: an ad keyword alone (someone mentioning 代购 or a low
price) is not spam; an ad keyword *plus* a way to contact the sender is. Spam is
excluded from topics, questions, FAQ mining and summaries, never deleted.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable

from copilot.models import ChatMessage
from copilot.text import URL_RE, fold_chinese, looks_like_injection

__all__ = ["is_link_only", "is_spam", "looks_like_injection", "spam_ids"]

_AD_KEYWORDS = re.compile(
    r"代购|低价|特价|兼职|刷单|返利|返现|免费领|免费送|日赚|日结|月入|招代理|招募代理|私聊我?领|加群领"
    r"|点击领取|正品保证"
)
# Asking strangers to add you is itself a contact, even without an id ("加微信xxx").
_CONTACT_ASK = re.compile(
    r"加[我他她]?\s*(?:微信|薇信|威信|v信|vx|wx|v\b|q\b|qq|扣扣|好友)|\bvx\b|\bwx\b|私聊我|私信我"
)
_CONTACT = re.compile(
    r"1[3-9]\d{9}"  # mainland mobile number
    r"|(?:微信号?|薇信|威信|v信|vx|wx|weixin|wechat|qq|q号|扣扣|tg|telegram|whatsapp)\s*[:：]?\s*"
    r"[a-z0-9_\-]{5,}"
    r"|(?<![a-z])v\s*[:：]\s*[a-z0-9_\-]{5,}"
    r"|(?<!\d)\d{6,}(?!\d)"  # QQ number or similar
    r"|https?://|www\.|t\.me/|wa\.me/"
    r"|(?i:\[(?:phone|wechat_id|qq|email)\])"  # a contact already redacted is still a contact
)
_EN_SPAM = re.compile(
    r"crypto\s+giveaway|(?:btc|eth|bitcoin|usdt)\s+giveaway"
    r"|double your (?:btc|eth|bitcoin|crypto|money)"
    r"|guaranteed (?:profit|returns?|income)|free (?:btc|eth|usdt|bitcoin|airdrop)"
    r"|(?:dm|message|whatsapp|text) me for (?:\w+ ){0,3}"
    r"(?:investment|profit|crypto|forex|trading|earn|offer|giveaway|signals|money|\$)"
)


def is_link_only(text: str) -> bool:
    """A post that is nothing but one or more links."""
    if not URL_RE.search(text or ""):
        return False
    rest = URL_RE.sub("", text)
    return not re.search(r"[^\W_]", rest)


def is_spam(text: str) -> bool:
    """Ads with a contact (代购/刷单/低价… + 加微信, an id, phone or link) and English scams."""
    folded = fold_chinese(text or "")
    if not folded.strip():
        return False
    if _EN_SPAM.search(folded):
        return True
    if not _AD_KEYWORDS.search(folded):
        return False
    return bool(_CONTACT.search(folded) or _CONTACT_ASK.search(folded))


def spam_ids(messages: Iterable[ChatMessage], admins: Collection[str] = ()) -> set[str]:
    """Ids of spam messages: `is_spam` text, plus repeated link-only posts.

    A link-only post is spam when the same author posts the same link-only text
    twice or more, or anyone posts it three times or more (link-drop bots). Admins'
    messages are never spam: their warnings quote the scams ("别加V，兼职都是骗子").
    """
    trusted = set(admins)
    messages = [m for m in messages if m.author not in trusted and m.author_id not in trusted]
    found: set[str] = set()
    by_author: Counter[tuple[str, str]] = Counter()
    by_text: Counter[str] = Counter()
    link_posts: list[tuple[ChatMessage, str]] = []
    for msg in messages:
        if msg.is_service:
            continue
        if is_spam(msg.text):
            found.add(msg.id)
        elif is_link_only(msg.text):
            key = fold_chinese(msg.text).strip()
            by_author[(msg.author_id or msg.author, key)] += 1
            by_text[key] += 1
            link_posts.append((msg, key))
    for msg, key in link_posts:
        if by_author[(msg.author_id or msg.author, key)] >= 2 or by_text[key] >= 3:
            found.add(msg.id)
    return found
