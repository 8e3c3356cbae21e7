"""Group decisions and action items in chat: what was agreed, with its details, and who does
what by when.

Read from the structure of the chat, not from one community's words:

- a decision is a sentence with a decision cue (定了, 决定, it's decided, we'll go with…) that
  is not a question and not a personal resolution (first person singular — 我决定继续学,
  I've decided I'm… — unless an admin says it for the group);
- it carries the rest of its message, and when the cue sentence is a header (it ends with a
  colon: "方案定下来了：", "Okay, it's decided:") the same author's next messages within
  `DETAILS_WINDOW` in the same channel and thread;
- a bare cue ("就这么定了") adopts the message it replies to, or the one before it;
- date, place and owner come from labelled lines first (时间：/地点：/负责人：/Host:/📍), then
  from the text;
- an action item is a whole sentence giving a named person a task: addressed to them (@X at
  the start, or the one person @-mentioned), a named assignment (X负责, 交给X, 请X…), or a
  first-person commitment (我来…, I'll…); its due date is the one the sentence marks as a
  deadline (…前, 截止, by …) before any other date in it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import timedelta
from zoneinfo import ZoneInfo

from copilot.analytics.conversation import ConversationIndex, Roles
from copilot.analytics.exchanges import is_noise
from copilot.analytics.extract import (
    DECISION_RE,
    WHEN_RE,
    action_strength,
    commits_self,
    find_owner,
    find_place,
    find_when,
    resolve_date,
)
from copilot.models import ChatMessage
from copilot.skills.results import ActionItem, Decision
from copilot.text import MENTION_RE, fold_chinese, is_question, split_sentences, to_simplified

DETAILS_WINDOW = timedelta(minutes=5)  # a header's details follow within minutes…
DETAILS_MESSAGES = 1  # …in the same author's next message
PLAN_WINDOW = timedelta(minutes=30)  # "I'll bring the snacks" right after a decision
MAX_DETAILS = 8
_PERSONAL = re.compile(
    r"(?<![们咱])我(?:已经|还是|最终|终于|也|就|今天|刚刚)?(?:决定|打算|定了)"
    r"|\bI(?:'ve| have)?\s+(?:just\s+|finally\s+)?decided\b",
    re.IGNORECASE,
)
_HEADER_END = re.compile(r"[:：]\s*$")
_LABELLED = re.compile(r"^\W{0,4}(?P<label>[^\W\d][^：:|\n]{0,11}?)\s*[：:]\s*(?P<value>\S.*)$")
_OWNER_LABEL = re.compile(
    r"负责人?|主讲|主持|组织者?|联系人|对接人|带队|领队|\bhost(?:ed by)?\b|\bowner\b|\blead\b"
    r"|organi[sz]er|in charge|\bcontact\b",
    re.IGNORECASE,
)
_PLACE_LABEL = re.compile(r"地点|地址|场地|集合|\bvenue\b|\blocation\b|\bwhere\b|\bplace\b", re.I)
_WHEN_LABEL = re.compile(r"时间|日期|\bdate\b|\bwhen\b|\btime\b", re.I)
_DETAIL_LABEL = re.compile(
    "|".join(p.pattern for p in (_OWNER_LABEL, _PLACE_LABEL, _WHEN_LABEL))
    + r"|费用|价格|收费|名额|人数|报名|签到|截止|合作|内容|流程|\bfee\b|\bprice\b|\bcost\b"
    r"|sign.?ups?|deadline|\bspots?\b|\bagenda\b",
    re.IGNORECASE,
)
_PIN = "📍"
_TASK_LABEL = re.compile(r"^[^\W\d]{1,6}[：:]\s*")  # "分工：", "TODO:" (not "22:00")
_LEADING_MENTION = re.compile(r"^\s*[@＠](?P<name>[^\s@,，:：。!！?？]+)\s*")
_DEADLINE_AFTER = re.compile(
    r"^\s*[)）]?\s*(?:下班|睡觉|睡|中午|晚上|上午|下午|午饭|开始|出发)?\s*(?:之前|以前|前|截止|为止)",
    re.I,
)
_DEADLINE_BEFORE = re.compile(r"(?:\bby|\bbefore|\buntil|\bdue|截止(?:到|至)?|最晚)\s*$", re.I)
_EXPLICIT_TODO = re.compile(r"待办|\btodo\b|to-do|action item", re.I)
_WORD = re.compile(r"[^\W_]")


def _wordlike(text: str) -> int:
    return len(_WORD.findall(text))


def is_personal(sentence: str) -> bool:
    """A resolution about oneself ("我决定继续学"), not something the group decided."""
    return bool(_PERSONAL.search(to_simplified(sentence)))


def find_decisions(
    clean: list[ChatMessage], index: ConversationIndex, roles: Roles, zone: ZoneInfo
) -> list[Decision]:
    decisions: list[Decision] = []
    seen: set[str] = set()
    previous: dict[str, ChatMessage] = {}  # last message per channel, for "就这么定了"
    for position, m in enumerate(clean):
        sentences = split_sentences(m.text)
        for i, raw in enumerate(sentences):
            sentence = to_simplified(raw)
            if is_question(sentence) or not DECISION_RE.search(sentence):
                continue
            if is_personal(sentence) and not roles.is_admin(m):
                continue
            decision = _decision(m, raw, sentences[i + 1 :], clean, position, index, previous)
            key = fold_chinese(decision.text)
            if key not in seen:
                seen.add(key)
                decisions.append(_located(decision, m, zone))
            break  # one decision per message: its later sentences are its details
        previous[m.channel] = m
    return decisions


def _decision(
    m: ChatMessage,
    cue: str,
    rest: list[str],
    clean: list[ChatMessage],
    position: int,
    index: ConversationIndex,
    previous: dict[str, ChatMessage],
) -> Decision:
    text, author = cue.strip(), m.author
    details = [s.strip() for s in rest if s.strip()]
    if _HEADER_END.search(cue) and not details:
        details = _following_details(m, clean, position)
        title = details[0] if details and not _is_detail_line(details[0]) else None
        if title is not None and len(title) <= 80:
            text, details = f"{text}{title}", details[1:]
    elif _wordlike(DECISION_RE.sub("", to_simplified(cue))) < 4:
        ref = index.by_id.get(m.reply_to or "") or previous.get(m.channel)
        if ref is not None:  # "就这么定了": the proposal it agrees to
            text, author = ref.text.strip(), ref.author
    return Decision(
        text=text[:200],
        details=[d[:160] for d in details[:MAX_DETAILS]],
        owner=author,  # provisional: replaced by _located
        message_id=m.id,
    )


def _is_detail_line(line: str) -> bool:
    """'时间：…', 'Host: Theo', '📍 …' are details; '12月品鉴会·老白茶专场' is a title."""
    found = _LABELLED.match(to_simplified(line))
    return _PIN in line or bool(found and _DETAIL_LABEL.search(found["label"]))


def _following_details(m: ChatMessage, clean: list[ChatMessage], position: int) -> list[str]:
    """Lines of the author's next messages right after a header, until someone else speaks."""
    lines: list[str] = []
    last, taken = m.ts, 0
    for nxt in clean[position + 1 :]:
        if nxt.ts - last > DETAILS_WINDOW or taken == DETAILS_MESSAGES:
            break
        if nxt.channel != m.channel or nxt.thread != m.thread:
            continue
        if nxt.author != m.author or is_question(nxt.text) or is_noise(nxt.text):
            break
        lines += [line.strip() for line in nxt.text.splitlines() if line.strip()]
        last, taken = nxt.ts, taken + 1
    return lines


def _labelled(lines: list[str], label: re.Pattern[str]) -> str | None:
    for line in lines:
        if (found := _LABELLED.match(line)) and label.search(found["label"]):
            return found["value"].strip()
    return None


def _located(d: Decision, m: ChatMessage, zone: ZoneInfo) -> Decision:
    """Date, place and owner of a decision, from its labelled details first."""
    lines = [to_simplified(x) for x in [d.text, *d.details]]
    whole = "\n".join(lines)
    when_line = _labelled(lines, _WHEN_LABEL)
    when = find_when(when_line) if when_line else None
    when = when or find_when(whole)
    pinned = next((x.split(_PIN, 1)[1].strip() for x in lines if _PIN in x), None)
    place = _labelled(lines, _PLACE_LABEL) or pinned or find_place(whole)
    owner_line = _labelled(lines, _OWNER_LABEL)
    author = d.owner or m.author
    if owner_line:
        owner: str | None = _name_in(owner_line)
    else:
        owner = author if commits_self(whole) else find_owner(whole, author)
    base = m.ts.astimezone(zone).date()
    return d.model_copy(
        update={
            "date": when,
            "on": resolve_date(when, base) if when else None,
            "place": place[:60] if place else None,
            "owner": owner,
        }
    )


def _name_in(value: str) -> str:
    """'助教-阿周（有问题直接@我）' → 助教-阿周; '@theo' → theo."""
    return re.split(r"[\s（(，,；;、]", value.strip().lstrip("@＠"), maxsplit=1)[0]


# ---- action items -------------------------------------------------------------------------


def find_actions(
    clean: list[ChatMessage],
    zone: ZoneInfo,
    roles: Roles = Roles(),
    decisions: Sequence[Decision] = (),
) -> list[ActionItem]:
    """Action items in time order. A first-person commitment ("我明天去买", "I'll bring…")
    is a group task when an admin says it, when its author is named as an owner, or when it
    follows a decision or an assignment within `PLAN_WINDOW`; else it is a member's own plan
    ("那我周二去")."""
    by_id = {m.id: m for m in clean}
    sentences = [(m, raw) for m in clean for raw in split_sentences(m.text)]
    assigned = {(m.id, raw): x for m, raw in sentences if (x := _action(raw, m, False))}
    owners = {x[1] for x in assigned.values() if x[1]} | {d.owner for d in decisions if d.owner}
    plans = sorted(
        [by_id[d.message_id].ts for d in decisions if d.message_id in by_id]
        + [by_id[mid].ts for mid, _ in assigned]
    )

    def may_commit(m: ChatMessage) -> bool:
        if not roles.admins or roles.is_admin(m) or m.author in owners:
            return True
        return any(timedelta(0) <= m.ts - t <= PLAN_WINDOW for t in plans)

    actions: list[ActionItem] = []
    seen: set[str] = set()
    for m, raw in sentences:
        item = assigned.get((m.id, raw)) or _action(raw, m, may_commit(m))
        if item is None:
            continue
        task, owner, due = item
        key = fold_chinese(task)
        if key in seen:
            continue
        seen.add(key)
        base = m.ts.astimezone(zone).date()
        actions.append(
            ActionItem(
                task=task[:200],
                owner=owner,
                due=due,
                due_on=resolve_date(due, base) if due else None,
                message_id=m.id,
            )
        )
    return actions


def _action(
    raw: str, m: ChatMessage, may_commit: bool
) -> tuple[str, str | None, str | None] | None:
    """(task, owner, due) when the sentence gives someone a task (`may_commit`: a first-person
    commitment by this author counts)."""
    author = m.author
    sentence = _TASK_LABEL.sub("", to_simplified(raw).strip())
    shown = _TASK_LABEL.sub("", raw.strip())
    mine = commits_self(sentence)
    # "我去问问草坪能不能用" commits to a task although it holds a question word.
    if "?" in sentence or (is_question(sentence) and not mine) or _wordlike(sentence) < 4:
        return None
    due = deadline(sentence)
    strength = action_strength(sentence)
    owner: str | None = None
    lead = _LEADING_MENTION.match(sentence)
    # "@X 场地还在谈" answers X; "@X 周五前把…" / "@X 请…" gives X a task.
    if lead and (strength or (due and _is_deadline(sentence, due))):
        owner = lead["name"]
        shown = _LEADING_MENTION.sub("", shown, count=1)
    if mine and not may_commit:  # "那我周二去": a member's own plan, not a group task
        return None
    owner = owner or (author if mine else find_owner(sentence, author, addressed=False))
    mentioned = MENTION_RE.findall(sentence)
    if owner is None and len(mentioned) == 1 and due and _is_deadline(sentence, due):
        owner = mentioned[0].lstrip("@")
    if owner is None and not _EXPLICIT_TODO.search(sentence):
        return None
    if not (strength or due):
        return None
    task = shown.strip(" ;；。.!！")
    if _wordlike(task) < 4:
        return None
    return task, owner, due


def _marked(sentence: str, start: int, end: int) -> bool:
    after, before = sentence[end : end + 8], sentence[max(0, start - 8) : start]
    return bool(_DEADLINE_AFTER.match(after) or _DEADLINE_BEFORE.search(before))


def _is_deadline(sentence: str, due: str) -> bool:
    at = sentence.find(due.split("（")[0])
    return at >= 0 and _marked(sentence, at, at + len(due.split("（")[0]))


def deadline(sentence: str) -> str | None:
    """The sentence's deadline: a date/time marked 前/截止/by, else the first one stated."""
    found = [m for m in WHEN_RE.finditer(sentence) if _WORD.search(m.group(0))]
    if not found:
        return None
    chosen = next((m for m in found if _marked(sentence, m.start(), m.end())), found[0])
    return _explicit(chosen.group(0).strip(), sentence[chosen.end() : chosen.end() + 16])


def _explicit(when: str, after: str) -> str:
    """'明天（11月13日，周五）' states the date twice: keep the explicit one too."""
    paren = re.match(r"\s*[（(]\s*(\d{1,2}\s*月\s*\d{1,2}\s*[日号])", after)
    if paren and not re.search(r"\d", when):
        return f"{when}（{paren[1]}）"
    return when
