"""Offline, extractive chat summary: topics, decisions, action items, questions, mood.

Pattern-based and deterministic (no LLM), linear-ish in the number of messages.
Messages are data: spam and prompt-injection messages are dropped before any
extraction, and nothing a message says changes what this code does.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from datetime import datetime, timedelta
from typing import Literal, TypeVar
from zoneinfo import ZoneInfo

from copilot.analytics.conversation import ConversationIndex, Roles, aware, member_key, normalize
from copilot.analytics.extract import (
    DECISION_RE,
    action_strength,
    find_owner,
    find_place,
    find_when,
    is_decision,
    resolve_date,
    split_clauses,
)
from copilot.analytics.keywords import contains_keyword, top_keywords
from copilot.analytics.mood import mood_of
from copilot.analytics.spam import spam_ids
from copilot.models import ChatMessage
from copilot.skills.faq_mining import confirmed_answer, is_answer_like, mine_faq
from copilot.skills.summary_model import (
    ActionItem,
    Contribution,
    Decision,
    FaqPair,
    Mood,
    QuestionRef,
    Summary,
    SummaryStats,
    Topic,
)
from copilot.text import (
    URL_RE,
    content_words,
    fold_chinese,
    is_question,
    looks_like_injection,
    split_sentences,
    to_simplified,
)

T = TypeVar("T")
TOPIC_MERGE = 0.34  # keywords sharing a third of their conversations (Jaccard) form one topic
TOPIC_EXAMPLES = 20
CONVERSATION_GAP = timedelta(hours=1)
_SHARE = re.compile(
    r"分享|整理(?:了|好)|放(?:到|在)?群文件|发(?:到|在)?群文件|已发群文件|上传了|https?://"
    r"|\bshar(?:e|ing)\b|uploaded|here (?:is|are) the|slides (?:are|is)|notes (?:are|is)",
    re.IGNORECASE,
)
_HAN = re.compile(r"[\u4e00-\u9fff]")
_LABEL = re.compile(r"^[^：:\s]{1,6}[：:]\s*")  # "分工：", "TODO:"


def select_messages(
    messages: Iterable[ChatMessage],
    since: datetime | None = None,
    until: datetime | None = None,
    channel: str | None = None,
) -> list[ChatMessage]:
    """Messages with since <= ts < until (naive = UTC) in `channel` (None = all), by time."""
    lo = aware(since) if since else None
    hi = aware(until) if until else None
    return [
        m
        for m in normalize(messages)
        if (channel is None or m.channel == channel)
        and (lo is None or m.ts >= lo)
        and (hi is None or m.ts < hi)
    ]


def summarize_offline(
    messages: Iterable[ChatMessage],
    *,
    max_items: int = 8,
    admins: Collection[str] = frozenset(),
    bots: Collection[str] = frozenset(),
    tz: str = "Asia/Shanghai",
) -> Summary:
    """Extractive summary of a chat history; every list holds at most `max_items`."""
    zone = ZoneInfo(tz)
    roles = Roles.of(admins, bots)
    cap = max(max_items, 0)
    convo = [m for m in normalize(messages) if not m.is_service and not roles.is_bot(m)]
    spam = spam_ids(convo)
    real = [m for m in convo if m.id not in spam]
    clean = [m for m in real if not looks_like_injection(m.text)]
    index = ConversationIndex(clean, roles)
    names = {m.author for m in real} | set(roles.admins)

    decisions, actions = _decisions_and_actions(clean, index, zone)
    unanswered, open_qs, helped = _questions(clean, index, roles)
    faq = mine_faq(clean, admins=roles.admins, bots=roles.bots)[:cap]
    label, pos, neg, total = mood_of(m.text for m in clean)
    return Summary(
        topics=_topics(clean, names, cap),
        decisions=_best(
            decisions, cap, lambda d: sum(x is not None for x in (d.date, d.place, d.owner))
        ),
        action_items=_best(actions, cap, lambda a: 2 * (a.owner is not None) + (a.due is not None)),
        open_questions=[_ref(q) for q in open_qs][-cap:] if cap else [],
        unanswered_questions=[_ref(q) for q in unanswered][-cap:] if cap else [],
        faq_candidates=[
            FaqPair(
                question=f.question,
                answer=f.answer,
                question_id=f.question_id,
                answer_id=f.answer_id,
            )
            for f in faq
        ],
        notable_contributions=_contributions(clean, helped, roles)[:cap],
        mood=Mood(
            label=label,
            reason=f"{pos} positive and {neg} negative messages out of {total}",
            positive=pos,
            negative=neg,
        ),
        stats=SummaryStats(
            messages=len(real),
            participants=len({member_key(m) for m in real}),
            start=real[0].ts.astimezone(zone) if real else None,
            end=real[-1].ts.astimezone(zone) if real else None,
            language=_language(real),
        ),
    )


def _ref(m: ChatMessage) -> QuestionRef:
    return QuestionRef(text=m.text.strip()[:200], author=m.author, message_id=m.id)


def _wordlike(text: str) -> int:
    return len(re.findall(r"[^\W_]", text))


def _decisions_and_actions(
    clean: list[ChatMessage], index: ConversationIndex, zone: ZoneInfo
) -> tuple[list[Decision], list[ActionItem]]:
    decisions: list[Decision] = []
    actions: list[ActionItem] = []
    seen: set[str] = set()
    previous: dict[str, ChatMessage] = {}  # last message per channel, for "就这么定了"
    for m in clean:
        base = m.ts.astimezone(zone).date()
        for raw in split_sentences(m.text):
            sentence = to_simplified(raw)  # match on the normalized form, show the original
            if is_question(sentence):
                continue
            decided = is_decision(sentence)
            if decided:
                source, shown, author = sentence, raw, m.author
                if _wordlike(DECISION_RE.sub("", sentence)) < 4:  # cue only: what was agreed?
                    ref = index.by_id.get(m.reply_to or "") or previous.get(m.channel)
                    if ref is not None:
                        shown, author = ref.text.strip(), ref.author
                        source = to_simplified(shown)
                when = find_when(source)
                key = "d:" + fold_chinese(source)
                if key not in seen:
                    seen.add(key)
                    decisions.append(
                        Decision(
                            text=shown[:200],
                            date=when,
                            on=resolve_date(when, base) if when else None,
                            place=find_place(source),
                            owner=find_owner(source, author),
                            message_id=m.id,
                        )
                    )
            # A decision's time is its tasks' deadline; elsewhere only the clause's own counts.
            sentence_when = find_when(sentence) if decided else None
            for clause in split_clauses(sentence):
                strength = action_strength(clause)
                clause_when = find_when(clause)
                owner = find_owner(clause, m.author)
                if not strength or (strength == 1 and not (owner or clause_when)):
                    continue
                task = _LABEL.sub("", clause).strip(" ;。.!！") or clause
                key = "a:" + fold_chinese(task)
                if _wordlike(task) < 4 or key in seen:
                    continue
                seen.add(key)
                due = clause_when or sentence_when
                actions.append(
                    ActionItem(
                        task=task[:200],
                        owner=owner,
                        due=due,
                        due_on=resolve_date(due, base) if due else None,
                        message_id=m.id,
                    )
                )
        previous[m.channel] = m
    return decisions, actions


def _best(items: list[T], cap: int, score: Callable[[T], int]) -> list[T]:
    """The `cap` most specific items (ties: latest), kept in chronological order."""
    if len(items) <= cap:
        return items
    ranked = sorted(range(len(items)), key=lambda i: (-score(items[i]), -i))[:cap]
    return [items[i] for i in sorted(ranked)]


def _questions(
    clean: list[ChatMessage], index: ConversationIndex, roles: Roles
) -> tuple[list[ChatMessage], list[ChatMessage], dict[str, list[ChatMessage]]]:
    """(unanswered, open, answers credited per member).

    Unanswered: nobody responded, not even a top-level message from someone else within
    30 min. Open: there were responses, but no direct answer (reply, thread, @-mention,
    admin) and no confirmation by the asker. Admins' questions are polls and prompts.
    """
    unanswered: list[ChatMessage] = []
    open_qs: list[ChatMessage] = []
    helped: dict[str, list[ChatMessage]] = defaultdict(list)
    for q in clean:
        if roles.is_admin(q) or not is_question(q.text):
            continue
        anyone = index.responses(q, anyone_nearby=True)
        if not anyone:
            unanswered.append(q)
            continue
        direct = [a for a in index.responses(q) if is_answer_like(a)]
        confirmed = confirmed_answer(q, [a for a in anyone if is_answer_like(a)], index)
        if not direct and confirmed is None:
            open_qs.append(q)
        credited = confirmed or next((a for a in direct if not roles.is_admin(a)), None)
        if credited is not None and not roles.is_admin(credited):
            helped[member_key(credited)].append(credited)
    return unanswered, open_qs, helped


def _contributions(
    clean: list[ChatMessage], helped: dict[str, list[ChatMessage]], roles: Roles
) -> list[Contribution]:
    """Members (not admins) who answered others' questions or shared resources."""
    shared: dict[str, list[ChatMessage]] = defaultdict(list)
    for m in clean:
        if roles.is_admin(m) or is_question(m.text) or not _SHARE.search(m.text):
            continue
        if _wordlike(URL_RE.sub("", m.text)) >= 6:  # a bare link is not a contribution
            shared[member_key(m)].append(m)
    out: list[Contribution] = []
    for kind, source, reason in (
        ("helpful_answers", helped, "answered {n} question(s)"),
        ("resource_sharing", shared, "shared {n} resource(s)"),
    ):
        for msgs in source.values():
            out.append(
                Contribution(
                    author=msgs[-1].author,
                    kind=kind,  # type: ignore[arg-type]
                    count=len(msgs),
                    reason=reason.format(n=len(msgs)),
                    message_ids=[m.id for m in msgs][:TOPIC_EXAMPLES],
                )
            )
    return sorted(out, key=lambda c: (-c.count, c.kind, c.author))


def _topics(clean: list[ChatMessage], names: set[str], cap: int) -> list[Topic]:
    """Keyword clusters over conversations.

    jieba TF-IDF proposes keywords; a conversation is a reply chain or a run of thread
    messages (a lone message is its own). A keyword joins a topic when they share enough
    conversations (南门 joins 朝阳公园 when both come up in the same exchanges), or when
    one keyword contains the other (报名/报名表).
    """
    if not cap or not clean:
        return []
    folded = [fold_chinese(content_words(m.text)) for m in clean]
    unit = _conversations(clean)
    keywords = [w for w, _ in top_keywords([m.text for m in clean], k=cap * 4, exclude=names)]
    clusters: list[tuple[list[str], set[int], set[int]]] = []  # (words, units, messages)
    for word in keywords:
        hits = {i for i, text in enumerate(folded) if contains_keyword(text, word)}
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
            Topic(
                title=_title(words, [folded[i] for i in ids]),
                keywords=words[:5],
                message_ids=[clean[i].id for i in ids[:TOPIC_EXAMPLES]],
                messages=len(ids),
            )
        )
    return topics


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


def _language(msgs: list[ChatMessage]) -> Literal["zh", "en"]:
    """zh when at least half of the messages contain Chinese characters, else en."""
    if not msgs:
        return "zh"
    han = sum(1 for m in msgs if _HAN.search(m.text))
    return "zh" if 2 * han >= len(msgs) else "en"
