"""Action items in group chat: whole sentences giving a named person a task, with its due date.

An action item is addressed to someone (@X at the start, or the one person @-mentioned), a
named assignment (X负责, 交给X, 请X…, "Dan to update…"), a request to someone even when
phrased as a question ("@priya can you book the room by Tuesday?", "小王能帮忙订一下场地吗"),
or a first-person commitment (我来…, I'll…) that answers a decision, an assignment or a call
for volunteers; its due date is the one the sentence marks as a deadline (…前, 截止, by …)
before any other date in it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from datetime import timedelta
from zoneinfo import ZoneInfo

from copilot.analytics.conversation import Roles
from copilot.analytics.extract import (
    TASK_LABEL,
    WHEN_RE,
    action_strength,
    commits_self,
    find_owner,
    resolve_date,
    split_assignments,
)
from copilot.analytics.people import as_member, member_named
from copilot.models import ChatMessage
from copilot.skills.results import ActionItem, Decision
from copilot.text import MENTION_RE, fold_chinese, is_question, split_sentences, to_simplified

PLAN_WINDOW = timedelta(minutes=30)  # "I'll bring the snacks" right after a decision
_LEADING_MENTION = re.compile(r"^\s*[@＠](?P<name>[^\s@,，:：。!！?？]+)\s*")
# "11月4日前", "周五下班前", "11月4日（星期三）重开之前": the day ends a deadline
_DEADLINE_AFTER = re.compile(
    r"^\s*[)）]?\s*(?:(?:下班|睡觉|睡|中午|晚上|上午|下午|午饭|开始|出发)?\s*(?:之前|以前|前|截止|为止)"
    r"|[\u4e00-\u9fff]{1,3}(?:之前|以前))",
    re.I,
)
_DEADLINE_BEFORE = re.compile(r"(?:\bby|\bbefore|\buntil|\bdue|截止(?:到|至)?|最晚)\s*$", re.I)
_EN_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b"
)
# A line marked as a to-do ("TODO: …", "action item: …"), not "my TODO notebook is full"
_EXPLICIT_TODO = re.compile(
    r"待办|^\W{0,3}(?:todo|to-do|action items?)\b|\b(?:todo|to-do|action items?)\s*[:：]", re.I
)
# A request to the person addressed: "@X can you…?", "X，能帮忙…吗"
_REQUEST = re.compile(
    r"\b(?:can|could|would) you\b|\bmind\b|能不能|能否|可不可以|可以帮|能帮|帮忙|麻烦", re.I
)
# "…前告诉我缺多少": asked to report back by a deadline, though the sentence holds a 多少.
_REPORT_BACK = re.compile(
    r"告诉我|跟我说|回复我|回我|发我|报给我|通知我|\blet me know\b|\btell me\b|\breport back\b"
    r"|\bsend me\b",
    re.I,
)
# A call for volunteers: the "I'll do it" that answers it is a task.
_CALL = re.compile(
    r"谁(?:能|可以|来|有空|愿意|方便)|有没有人(?:能|可以|愿意)|有人(?:能|可以|愿意)"
    r"|\bwho (?:can|could|wants|will|is able)\b|\banyone (?:can|could|able|free|want)|volunteers?",
    re.I,
)
# What the organiser publishes by a deadline, with no subject ("回放11月3日前上传帮助中心",
# "Slides will be posted by Friday"); members' deadlines are to sign up, pay or submit.
_PUBLISHED = re.compile(
    r"(?:之前|以前|前)\s*(?:会|将|就)?\s*(?:上传|发布|公布|发到|发在|发群|传到|放到|放在|寄出|发出|更新|上线"
    r"|发给大家)"
    r"|\b(?:will|'ll) be (?:uploaded|posted|shared|published|sent out|released|announced)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W_]")
# A request put to someone mentioned mid-sentence: "Can @Amy send…", "could @Theo post…"
_ASKED_OF = re.compile(
    r"\b(?:can|could|would|will)\s+[@＠](?P<name>[^\s@,，:：?？]+)\s+(?:please\s+)?[a-z]",
    re.IGNORECASE,
)
# "早安～12月的值班表我在排了…": the greeting is said to the room, not part of the task
_GREETING = re.compile(
    r"^(?:早安|早上好|晚上好|大家好|各位好|hi all|hi everyone|hello all|morning all"
    r"|good morning(?: all| everyone)?)[～~!！,，.。\s]+",
    re.IGNORECASE,
)


def _wordlike(text: str) -> int:
    return len(_WORD.findall(text))


def find_actions(
    clean: list[ChatMessage],
    zone: ZoneInfo,
    roles: Roles = Roles(),
    decisions: Sequence[Decision] = (),
    people: Collection[str] | None = None,
) -> list[ActionItem]:
    """Action items in time order. A first-person commitment ("我明天去买", "I'll bring…")
    is a group task when an admin says it, when its author is named as an owner, or when it
    follows a decision, an assignment or a call for volunteers ("谁能帮忙订车？") within
    `PLAN_WINDOW`, or when it promises a deadline ("I'll go through it by Friday"); else it
    is a member's own plan ("那我周二去"). Owners are named as the
    chat writes them (`people`, default: everyone who spoke, and the admins)."""
    members = set(people) if people is not None else {m.author for m in clean} | set(roles.admins)
    by_id = {m.id: m for m in clean}
    sentences = [
        (m, part)
        for m in clean
        for raw in split_sentences(m.text)
        for part in split_assignments(raw, m.author, members)
    ]
    assigned = {(m.id, raw): x for m, raw in sentences if (x := _action(raw, m, False, members))}
    owners = {x[1] for x in assigned.values() if x[1]} | {d.owner for d in decisions if d.owner}
    calls = [m.ts for m in clean if is_question(m.text) and _CALL.search(fold_chinese(m.text))]
    plans = sorted(
        [by_id[d.message_id].ts for d in decisions if d.message_id in by_id]
        + [by_id[mid].ts for mid, _ in assigned]
        + calls
    )

    def may_commit(m: ChatMessage) -> bool:
        if not roles.admins or roles.is_admin(m) or m.author in owners:
            return True
        return any(timedelta(0) <= m.ts - t <= PLAN_WINDOW for t in plans)

    actions: list[ActionItem] = []
    seen: set[str] = set()

    def promised(m: ChatMessage, raw: str) -> bool:
        """A commitment with a marked deadline ("I'll post the results by Friday 20 November",
        "Send me your plan and I'll go through it by Friday"): a promise to the group or to
        the member it answers, to follow up; "那我周二去" names a day, not a deadline."""
        due = deadline(to_simplified(raw))
        return bool(due) and _is_deadline(to_simplified(raw), due or "")

    listed: set[str] = set()  # messages whose owner line was read
    handed_out: list[str] = []  # the folded tasks this message's owner lines gave
    for m, raw in sentences:
        if m.id not in listed:
            listed.add(m.id)
            handed_out = []
            for task, owner, due in _owner_line_tasks(m.text, members):
                handed_out.append(fold_chinese(task))
                if (key := fold_chinese(task) + f"\n{owner}") not in seen:
                    seen.add(key)
                    due = _answered_with_deadline(m, owner, clean) or due
                    base = m.ts.astimezone(zone).date()
                    due_on = resolve_date(due, base) if due else None
                    actions.append(
                        ActionItem(task=task, owner=owner, due=due, due_on=due_on, message_id=m.id)
                    )
        folded = fold_chinese(raw.strip())
        if any(folded in task or task in folded for task in handed_out):
            continue  # read already, as the owner line's tasks
        item = assigned.get((m.id, raw)) or _action(
            raw, m, may_commit(m) or promised(m, raw), members, organiser=roles.is_admin(m)
        )
        if item is None:
            continue
        task, owner, due = item
        key = fold_chinese(task) + f"\n{owner}"  # one task given to two people: a to-do each
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


_OWNER_LINE = re.compile(
    r"^\W{0,4}(?:负责人?|分工|\bowners?\b|\bleads?\b|in charge|\bwho\b)\s*[：:]\s*(?P<value>\S.*)$",
    re.IGNORECASE | re.MULTILINE,
)
_WHEN_LINE = re.compile(
    r"^\W{0,4}(?:时间|日期|\bwhen\b|\bdate\b)\s*[：:]\s*(?P<value>\S.*)$", re.I | re.M
)
_PART = re.compile(r"[^、，,；;（(]+(?:[（(][^）)]*[）)])?")
_NAME_TASK = re.compile(r"^\s*(?P<name>[^（(]{1,24}?)\s*[（(](?P<task>[^）)]+)[）)]\s*$")
_NAMES_JOIN = re.compile(r"\s*(?:\band\b|&|\+)\s*", re.I)


def _owner_line_tasks(
    text: str, people: Collection[str]
) -> list[tuple[str, str | None, str | None]]:
    """'负责：Joyce（场地同流程）、May（评判，11月9日前确认 3 位评判）' or 'Who: Kofi cuts the
    release, Lukas writes the fix' gives each person named their own task, with the deadline
    written in it (what someone does in a plan, else the day its 'When:' line sets); a line
    naming one person only says who owns the whole (the decision's owner)."""
    out: list[tuple[str, str | None, str | None]] = []
    when = _WHEN_LINE.search(to_simplified(text))
    day = deadline(when["value"]) if when else None
    for line in _OWNER_LINE.finditer(to_simplified(text)):
        shown = text[line.start("value") : line.end("value")]  # same length: script folded
        # (name, task, due when the task states none): "Kofi cuts the release" happens on the
        # plan's day; "Joyce（场地同流程）" has no deadline unless its brackets give one
        named: list[tuple[str, str, str | None]] = []
        for part in _PART.finditer(shown):
            if found := _NAME_TASK.match(part.group(0)):
                name = found["name"].strip()
                named.append((name, f"{name}：{found['task']}", None))
            else:
                named += [(name, part.group(0).strip(), day) for name in _doers(part[0], people)]
        if len(named) < 2:
            continue
        for name, task, plan_day in named:
            out.append((task, as_member(name, people), deadline(to_simplified(task)) or plan_day))
    return out


def _answered_with_deadline(
    m: ChatMessage, owner: str | None, clean: Sequence[ChatMessage]
) -> str | None:
    """The deadline the owner of a task handed out in `m` replies with soon after ("PR by
    tomorrow noon"): theirs, more exact than the day of the whole plan."""
    for later in clean:
        if later.author == owner and timedelta(0) < later.ts - m.ts <= PLAN_WINDOW:
            said = to_simplified(later.text)
            if (due := deadline(said)) and _is_deadline(said, due):
                return due
    return None


def _doers(part: str, people: Collection[str]) -> list[str]:
    """The members a clause opens with when what follows is what they do: "Kofi cuts the
    release" → Kofi, "@Mei Lin and @Chen Yu review the strings" → both; else none."""
    names: list[str] = []
    rest = part.strip()
    while rest:
        lead = _lead_mention("@" + rest.lstrip("@＠"), people)
        if lead is None or member_named(lead[0], people) is None:
            return []
        names.append(lead[0])
        rest = rest.lstrip("@＠")[lead[1] - 1 :]
        joined = _NAMES_JOIN.match(rest)
        if joined and joined.end():
            rest = rest[joined.end() :]
            continue
        # what they do: an English verb phrase ("cuts the release", "reviews")
        return names if re.match(r"[a-z]{2,}", rest) else []
    return []


def _lead_mention(text: str, people: Collection[str]) -> tuple[str, int] | None:
    """Whom a message opens by @-mentioning, and where the rest of it starts: the longest
    member name after the @, so "@Amara Okafor could you…" is Amara Okafor's task, not Amara's
    with "Okafor could you…" left in it."""
    found = _LEADING_MENTION.match(text)
    if found is None:
        return None
    at = found.start("name")
    rest = text[at:].casefold()
    named = [
        p
        for p in people
        if " " in p.strip()
        and rest.startswith(p.casefold())
        and not rest[len(p) : len(p) + 1].isalnum()
    ]
    if not named:
        return found["name"], found.end()
    end = at + len(max(named, key=len))
    return text[at:end], end + len(text[end:]) - len(text[end:].lstrip())


def _action(
    raw: str,
    m: ChatMessage,
    may_commit: bool,
    people: Collection[str],
    *,
    organiser: bool = False,
) -> tuple[str, str | None, str | None] | None:
    """(task, owner, due) when the sentence gives someone a task (`may_commit`: a first-person
    commitment by this author counts; `organiser`: the author runs the group, so what they
    say will be published by a deadline, with nobody named, is theirs to do)."""
    author = m.author
    sentence = TASK_LABEL.sub("", to_simplified(raw).strip())
    shown = _GREETING.sub("", TASK_LABEL.sub("", raw.strip())) or raw.strip()
    mine = commits_self(sentence)
    lead = _lead_mention(sentence, people)
    due = deadline(sentence)
    marked = bool(due) and _is_deadline(sentence, due or "")
    # "@priya can you book the room by Tuesday?" asks priya to do something: a task; so does
    # "@大熊 下周三前告诉我缺多少", a deadline to report back by, though 多少 asks.
    reports_back = (
        marked and bool(_REPORT_BACK.search(sentence)) and "?" not in sentence and not mine
    )
    asked_of = _ASKED_OF.search(sentence)  # "Can @Amy send the slides by Friday?"
    request = bool(lead and (_REQUEST.search(sentence) or reports_back)) or bool(asked_of)
    # "我去问问草坪能不能用" commits to a task although it holds a question word.
    asks = "?" in sentence or (is_question(sentence) and not mine)
    if (asks and not request) or _wordlike(sentence) < 4 or _HEDGED.search(sentence):
        return None
    strength = action_strength(sentence) or (2 if request else 0)
    owner: str | None = None
    # "@X 场地还在谈" answers X; "@X 周五前把…" / "@X 请…" gives X a task.
    if lead and (strength or (due and _is_deadline(sentence, due))):
        # "@Rosa sorry about your slot, I'll credit you 30 minutes": the author's own promise
        owner = author if mine and not request else lead[0]
        shown_lead = _lead_mention(shown, people)
        shown = shown[shown_lead[1] :] if shown_lead else shown
    if mine and not may_commit:  # "那我周二去": a member's own plan, not a group task
        return None
    if owner is None and asked_of is not None:
        owner = asked_of["name"]
    owner = owner or (
        author if mine else find_owner(sentence, author, addressed=False, people=people)
    )
    mentioned = MENTION_RE.findall(sentence)
    if owner is None and len(mentioned) == 1 and due and _is_deadline(sentence, due):
        owner = mentioned[0].lstrip("@")
    published = organiser and bool(_PUBLISHED.search(sentence))
    if owner is None and published and due and _is_deadline(sentence, due):
        owner = author  # "回放11月3日前上传帮助中心": nobody named, the organiser's to do
    if owner is None and not _EXPLICIT_TODO.search(sentence):
        return None
    if not (strength or due):
        return None
    task = _core(shown.strip(" ;；。.!！?？"), due)
    if _wordlike(task) < 4:
        return None
    return task, as_member(owner, people), due


# "我周末不一定能来成都取", "I might not make it by Friday": what someone may fail to do is no task
_HEDGED = re.compile(
    r"不一定|不确定|说不定|(?:来|去|赶|做)不了|没空|没时间|可能(?:不|没|来不)"
    r"|\b(?:might|may) not\b|\bcan'?t make\b|\bnot sure\b|\bprobably (?:not|won'?t)\b",
    re.IGNORECASE,
)
TASK_CHARS = 70  # what a summary line shows of a task (`results.summary`)
_CLAUSE = re.compile(r"(?<=[，,；;])\s*")


def _core(task: str, due: str | None) -> str:
    """A long sentence's task part: from the clause that holds the commitment or the marked
    deadline to the end, after the sentence's first clause (its subject) when both fit:
    "12月的新游试玩会是12月13日（周日）下午3点，这次试玩三款：…，我11月30日前会在群里开接龙" →
    "12月的新游试玩会是12月13日（周日）下午3点，我11月30日前会在群里开接龙". A line cut at
    `TASK_CHARS` would show the event and lose the task."""
    if len(task) <= TASK_CHARS:
        return task
    clauses = _CLAUSE.split(task)
    simple = [to_simplified(c) for c in clauses]
    key = next(
        (
            i
            for i, c in enumerate(simple)
            if commits_self(c) or (due and due.split("（")[0] in c and _is_deadline(c, due))
        ),
        None,
    )
    if not key:  # none, or the first clause: the sentence reads from its start
        return task
    core = "".join(clauses[key:])
    if len(clauses[0]) + len(core) <= TASK_CHARS:
        return clauses[0] + core
    return core


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
    # "Friday 20 November": the weekday is followed by the date it means.
    dated = re.match(
        rf",?\s+(\d{{1,2}}(?:st|nd|rd|th)?\s+{_EN_MONTH}|{_EN_MONTH}\s+\d{{1,2}}\b)", after, re.I
    )
    if dated and not re.search(r"\d", when):
        return f"{when}{dated[0]}"  # as written, so the sentence still holds it
    return when
