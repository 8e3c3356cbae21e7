"""Chat topics: keyword clusters over conversations (reply chains and thread runs)."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import timedelta

from copilot.analytics.conversation import normalize
from copilot.analytics.keywords import contains_keyword, top_keywords
from copilot.models import ChatMessage
from copilot.text import content_words, fold_chinese

TOPIC_MERGE = 0.34  # keywords sharing a third of their conversations (Jaccard) form one topic
EXAMPLES = 20
CONVERSATION_GAP = timedelta(hours=1)


@dataclass(frozen=True)
class TopicCluster:
    title: str
    keywords: list[str]
    message_ids: list[str]  # up to EXAMPLES, oldest first
    messages: int


def cluster_topics(
    messages: Sequence[ChatMessage], *, exclude: Collection[str] = (), limit: int = 8
) -> list[TopicCluster]:
    """Keyword clusters over conversations.

    jieba TF-IDF proposes keywords; a conversation is a reply chain or a run of thread
    messages (a lone message is its own). A keyword joins a topic when they share enough
    conversations (南门 joins 朝阳公园 when both come up in the same exchanges), or when
    one keyword contains the other (报名/报名表).
    """
    clean, cap = normalize(messages), limit  # time order matters for conversations
    routine = routine_posts(clean)
    clean = [m for i, m in enumerate(clean) if i not in routine]
    if cap <= 0 or not clean:
        return []
    folded = [fold_chinese(content_words(m.text)) for m in clean]
    unit = _conversations(clean)
    keywords = [w for w, _ in top_keywords([m.text for m in clean], k=cap * 4, exclude=exclude)]
    clusters: list[tuple[list[str], set[int], set[int]]] = []  # (words, units, messages)
    for word in keywords:
        hits = {i for i, text in enumerate(folded) if contains_keyword(text, word)}
        if not hits:
            continue
        units = {unit[i] for i in hits}
        for words, c_units, c_hits in clusters:
            shared = len(units & c_units) / len(units | c_units)
            if shared >= TOPIC_MERGE or any(word in w or w in word for w in words):
                words.append(word)
                c_units |= units
                c_hits |= hits
                break
        else:
            clusters.append(([word], units, hits))
    clusters.sort(key=lambda c: (-len(c[2]), min(c[2])))
    topics = []
    for words, _, hits in clusters[:cap]:
        ids = sorted(hits)
        topics.append(
            TopicCluster(
                title=_title(words, [folded[i] for i in ids]),
                keywords=words[:5],
                message_ids=[clean[i].id for i in ids[:EXAMPLES]],
                messages=len(ids),
            )
        )
    return topics


# A line's label: "today: …", "blocker: none", "打卡：…", "Day 12:" (not a clock "9:30")
_LABEL = re.compile(r"^\s*([^\W\d_][^\s:：]{0,15})\s*[:：]", re.MULTILINE)
# A numbered opening: "Day14 打卡 …", "第12天 …", "D3 …" (digits folded: one template)
_NUMBERED_OPENING = re.compile(r"^\W{0,2}((?:day|d|第)\s?\d{1,3}\s?[天日]?)(?:\s|打卡)", re.I)
MIN_LABELS = 2  # "today: … / blocker: …"; one label ("请问：", "https:") is how anyone writes
ROUTINE_AUTHORS = 3


def routine_posts(messages: Sequence[ChatMessage]) -> set[int]:
    """Indexes of posts written to a template: the same labels ("today: … / blocker: …") or
    numbered opening ("Day14 打卡 …") in the posts of at least ROUTINE_AUTHORS members. A
    stand-up or a check-in says what each member did, never what the group talks about; an
    organiser's notices ("时间：/地点：") come from one or two people."""
    forms: dict[tuple[str, ...], list[int]] = {}
    for i, m in enumerate(messages):
        labels = tuple(label.lower() for label in _LABEL.findall(m.text or ""))
        if len(labels) < MIN_LABELS:
            labels = ()
        if not labels and (opening := _NUMBERED_OPENING.match(m.text or "")):
            labels = (re.sub(r"\d+", "#", opening.group(1).lower()),)
        if labels:
            forms.setdefault(labels, []).append(i)
    routine: set[int] = set()
    for members in forms.values():
        if len({messages[i].author for i in members}) >= ROUTINE_AUTHORS:
            routine.update(members)
    return routine


def _conversations(msgs: list[ChatMessage]) -> list[int]:
    """Conversation number of each message: reply chains, plus runs of messages in one
    thread with gaps under an hour (a long-lived topic thread holds many conversations)."""
    parent = list(range(len(msgs)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    position = {m.id: i for i, m in enumerate(msgs)}
    last_in_thread: dict[str, int] = {}
    for i, m in enumerate(msgs):
        links = [position.get(m.reply_to or ""), position.get(m.thread or "")]
        if m.thread:
            prev = last_in_thread.get(m.thread)
            if prev is not None and m.ts - msgs[prev].ts <= CONVERSATION_GAP:
                links.append(prev)
            last_in_thread[m.thread] = i
        for j in links:
            if j is not None:
                parent[root(i)] = root(j)
    return [root(i) for i in range(len(msgs))]


def _title(words: list[str], texts: list[str]) -> str:
    """Lead keyword plus the next one; keywords written together are joined (农业 + 革命)."""

    def joined(a: str, b: str) -> str | None:
        return next((x + y for x, y in ((a, b), (b, a)) if any(x + y in t for t in texts)), None)

    head = max((w for w in words if words[0] in w), key=len)  # 线下 → 线下聚会
    rest = [w for w in words[1:] if w not in head and head not in w][:2]
    if not rest:
        return head
    second = (joined(rest[0], rest[1]) if len(rest) > 1 else None) or rest[0]
    return joined(head, second) or f"{head} / {second}"
