"""Group decisions in chat: what was agreed, with its details, owner and date.

Read from the structure of the chat, not from one community's words:

- a decision is a sentence with a decision cue (定了, 定案, 决议, 确定：, 投票结果, we're going
  with, final call…; traditional script is folded first) that is not a question and not a
  personal resolution (first person singular — 我决定继续学, I've decided I'm… — unless an
  admin says it for the group);
- it carries the rest of its message; when the cue message says no more than the cue (a
  header: "方案定下来了：", "各位，行程定案了", "Okay, it's decided:") it also carries the
  same author's next messages in the same channel and thread within `DETAILS_WINDOW` (those
  after a colon header always; otherwise those that state details: labelled lines, a date,
  a place, a price);
- a bare cue ("就这么定了") adopts the message it replies to, or the one before it;
- an organiser's notice is settled news too: an admin's message that opens like a notice
  ("【调课通知】…", "【冬令营报名开启】", "<!channel> …", "各位注意：…") and says when, where or
  how much;
- date, place and owner come from labelled lines first (时间：/地点：/负责人：/Host:/📍), then
  from the text; with no owner stated, the owner is the member who announced the decision
  (the one to ask about it); names are given as the chat writes them.

Action items are in `copilot.skills.summarize.actions`.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import timedelta
from zoneinfo import ZoneInfo

from copilot.analytics.conversation import ConversationIndex, Roles, flow
from copilot.analytics.exchanges import is_noise
from copilot.analytics.extract import (
    DECISION_RE,
    action_strength,
    commits_self,
    find_owner,
    find_place,
    find_when,
    resolve_date,
    split_assignments,
)
from copilot.analytics.people import as_member
from copilot.models import ChatMessage
from copilot.skills.results import Decision
from copilot.skills.results.summary import DETAILS_SHOWN
from copilot.text import MENTION_RE, fold_chinese, is_question, split_sentences, to_simplified

DETAILS_WINDOW = timedelta(minutes=5)  # a header's details follow within minutes…
DETAILS_MESSAGES = 2  # …in the same author's next messages
MAX_DETAILS = DETAILS_SHOWN  # what the summary shows: the ones kept are chosen here
REACTION_CHARS = 6  # letters or characters: "好耶", "太好了", "great!", "nice one"
_PERSONAL = re.compile(
    r"(?<![们咱])我(?:已经|还是|最终|终于|也|就|今天|刚刚|自己)?(?:决定|打算|定了|定在|确定)"
    r"|\bI(?:'ve| have)?\s+(?:just\s+|finally\s+)?decided\b|\bmy (?:final )?decision\b"
    r"|\bI(?:'m| am)? going with\b",
    re.IGNORECASE,
)
# "Decided: …", "Agreed: …", "定了：…": the verdict as a label before what was decided
# (what was settled may come first: "方案定下来了：…", "Plan's decided: …"; a word to get
# attention may open it: "OK, decided: …", "好，定了：…")
_VERDICT_LABEL = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|alright|all right|right|so|好的?|好啦|那|各位|大家)\W+)?"
    r"(?:[\u4e00-\u9fff]{1,4}|(?:the\s+)?[a-z]+(?:'s|\s+is)\s+)?"
    # (Cantonese writes 了 as 咗: "方案定咗：")
    r"(?:decided|agreed|decision|final(?:ly)?|定[了咗]|决定[了咗]?|确定[了咗]?|定下来[了咗]?"
    r"|定案[了咗]?|决议)\s*[:：]",
    re.IGNORECASE,
)
_HEADER_END = re.compile(r"(?:[:：]|如下|below|as follows)\s*$", re.I)
_PRICE = re.compile(r"\d+(?:\.\d+)?\s*(?:元|块|rmb)|[¥￥$€£]\s*\d|\bfree\b|免费|aa制?", re.I)
_LABELLED = re.compile(r"^\W{0,4}(?P<label>[^\W\d][^：:|\n]{0,11}?)\s*[：:]\s*(?P<value>\S.*)$")
_OWNER_LABEL = re.compile(
    r"负责人?|主讲|主持|组织者?|联系人|对接人|带队|领队|\bhost(?:ed by)?\b|\bowner\b|\blead\b"
    r"|organi[sz]er|in charge|\bcontact\b",
    re.IGNORECASE,
)
_PLACE_LABEL = re.compile(r"地点|地址|场地|集合|\bvenue\b|\blocation\b|\bwhere\b|\bplace\b", re.I)
_WHEN_LABEL = re.compile(r"时间|日期|\bdate\b|\bwhen\b|\btime\b", re.I)
# What a member acts on: when, where, how much, by when and with whom; "名额：12 人" and
# "内容：…" are details too, shown after these when there are more lines than the summary shows
_KEY_DETAILS = "|".join(p.pattern for p in (_OWNER_LABEL, _PLACE_LABEL, _WHEN_LABEL)) + (
    r"|费用|价格|收费|报名|截止|\bfee\b|\bprice\b|\bcost\b|sign.?ups?|deadline"
)
_DETAIL_LABEL = re.compile(
    _KEY_DETAILS + r"|名额|人数|签到|合作|内容|流程|\bspots?\b|\bagenda\b", re.IGNORECASE
)
_KEY_LABEL = re.compile(_KEY_DETAILS + r"|rsvp", re.IGNORECASE)
_PIN = "📍"
# "Update: I'm running late", "注意：我明天请假": about the admin, not the group
_FIRST_PERSON_NEWS = re.compile(r"^\W*(?:i(?:'m| am|'ll| will)?\b|我(?!们))", re.IGNORECASE)
_MOVED_TO = re.compile(
    r"改到|改成|改在|改为|调到|调整到|调整为|推迟到|延期到|顺延到|提前到"
    r"|\b(?:moved|postponed|rescheduled|pushed|brought forward) (?:to|for|until)\b",
    re.IGNORECASE,
)
# How a notice opens: a title saying what changed or opened ("【调课通知】", not a sale's
# "【双十二预告】"), a call to everyone, or "…注意：" / "Heads up:"
_NOTICE_OPENER = re.compile(
    r"^\W{0,3}(?:【(?![^】]*(?:预告|团购|秒杀|优惠|特价|上新|福利))[^】]{0,16}"
    r"(?:通知|公告|安排|调整|变更|改期|调课|开启|开放|启动|定档|报名)[^】]{0,8}】"
    r"|@(?:所有人|全体成员|everyone|channel|here)\b"
    r"|<!(?:channel|everyone|here)>|[^\s，。：:]{0,8}(?:注意|通知|公告)\s*[:：]"
    # "关于铺垫子的规矩：从3月16日起…", "新规定：…": a rule the organisers set
    r"|关于[^\s，。！？：:]{1,16}的(?:规矩|规定|规则|安排|调整)\s*[:：]|新(?:规矩|规定|规则)\s*[:：]"
    # "由星期一（10月26日）起，…", "Starting Monday 23 November, …": a rule from a day on
    r"|(?:由|从|自)[^，。！？!?]{1,20}起[，,]"
    r"|(?:from|starting|effective|as of)\s+[^,.!?:]{1,30}\d[^,.!?:]{0,12},"
    # "十一月雅集接龙开啦！", "Sign-ups are open:": a sign-up opening for what it goes on to state
    r"|[^\s，。！!：:]{0,12}(?:接龙|报名)(?:通道)?(?:已经?|正式)?(?:开启|开放|开始|开)(?:啦|了|咯|喽)?[！!，,：:。]"
    r"|(?:[^.!?:]{0,30}\s)?(?:sign-?ups?|registration|rsvps?) (?:is |are )?(?:now )?open\b"
    r"|(?:announcement|schedule change|update|heads[- ]up|new rules?|rule change)\s*[:：])",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W_]")


def _wordlike(text: str) -> int:
    return len(_WORD.findall(text))


# "北点开起来了，年货团也定了，12月19日见": a look back at what was settled earlier (也/都/早就
# 定了), not a decision made here; "时间也定了：…" with its colon still announces one.
_RECAP = re.compile(r"(?:也|都|早就|之前就)(?:已经)?定(?:下来)?了(?!\s*[:：])")


def without_verdict(line: str) -> str:
    """What was decided without the verdict that labels it ("方案定咗：石澳戶外抱石日" →
    "石澳戶外抱石日"); a bare header ("方案定下来了：") is kept as it is."""
    found = _VERDICT_LABEL.match(to_simplified(line))
    rest = line[found.end() :].strip() if found else ""
    return rest[:1].upper() + rest[1:] if rest else line  # "Decided: new rules…" → "New rules…"


def is_personal(sentence: str) -> bool:
    """A resolution about oneself ("我决定继续学"), not something the group decided."""
    return bool(_PERSONAL.search(to_simplified(sentence)))


def find_decisions(
    clean: list[ChatMessage],
    index: ConversationIndex,
    roles: Roles,
    zone: ZoneInfo,
    people: Collection[str] | None = None,
) -> list[Decision]:
    """Decisions in time order; `people` (default: everyone who spoke, and the admins) are
    the names owners are matched to."""
    members = set(people) if people is not None else {m.author for m in clean} | set(roles.admins)
    decisions: list[Decision] = []
    seen: set[str] = set()
    detailed: list[str] = []  # the detail lines of the decisions found
    previous: dict[str, ChatMessage] = {}  # last message per channel, for "就这么定了"
    for position, m in enumerate(clean):
        sentences = split_sentences(m.text)
        decision: Decision | None = None
        for i, raw in enumerate(sentences):
            sentence = to_simplified(raw)
            if is_question(sentence) or not DECISION_RE.search(sentence):
                continue
            if _RECAP.search(sentence):
                continue
            if is_personal(sentence) and not roles.is_admin(m):
                continue
            decision = _decision(m, raw, sentences[i + 1 :], clean, position, index, previous)
            break  # one decision per message: its later sentences are its details
        else:
            decision = _notice(m, sentences, clean, position, index, previous, roles)
        if decision is not None:
            key = fold_chinese(decision.text)
            # the details of a decision ("定了：北区加一个提货点" then "从11月23日起…") are no
            # decision of their own
            if key not in seen and not any(key[:40] in d for d in detailed):
                seen.add(key)
                detailed.extend(fold_chinese(d) for d in decision.details)
                decisions.append(_located(decision, m, zone, members))
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
        details = _following_details(m, clean, position, any_line=True)
        title = details[0] if details and not is_detail_line(details[0]) else None
        if title is not None and len(title) > 80:  # "…晚飯：12月14日…。May 負責…。": its first
            first, *more = split_sentences(title)  # sentence is what was decided
            if len(first) <= 80 and more:
                title, details = first, [first, " ".join(x.strip() for x in more), *details[1:]]
        if title is not None and len(title) <= 80:
            gap = " " if text[-1:].isascii() and title[:1].isascii() else ""  # "decided: Spring…"
            text, details = f"{text}{gap}{title}", details[1:]
    elif _wordlike(DECISION_RE.sub("", to_simplified(cue))) < 4 and not any(
        _states_details(d) and not is_question(d) for d in details
    ):  # "Agreed. Mia, can you post it by Friday?": a request follows, not what was agreed
        ref = index.by_id.get(m.reply_to or "") or previous.get(m.channel)
        if ref is not None:  # "就这么定了": the proposal it agrees to
            text, author = ref.text.strip(), ref.author
    else:  # "各位，行程定案了" / "we're going with X": details may follow in the next messages;
        # after a labelled verdict ("Decided: new rules from Monday.") its author's next
        # message is its details whatever it says
        labelled = bool(_VERDICT_LABEL.match(to_simplified(cue)))
        details += _following_details(m, clean, position, any_line=labelled)
    return Decision(
        text=text[:200],
        details=[d[:160] for d in _shown_details(details)],
        owner=author,  # provisional: replaced by _located
        message_id=m.id,
    )


def _notice(
    m: ChatMessage,
    sentences: list[str],
    clean: list[ChatMessage],
    position: int,
    index: ConversationIndex,
    previous: dict[str, ChatMessage],
    roles: Roles,
) -> Decision | None:
    """An admin's notice of something settled ("【调课通知】本周日的直播改到周六20:00"), read as
    a decision headed by its first sentence; None for any other message."""
    text = to_simplified(m.text)
    opener = _NOTICE_OPENER.match(text)
    if not sentences or opener is None or not roles.is_admin(m) or is_question(sentences[0]):
        return None
    if _FIRST_PERSON_NEWS.match(text[opener.end() :]):
        return None  # "Heads up: I'll be offline tomorrow": the admin's own plans
    # a notice names whom to ask ("报名找@助理·桃子"): not a task given to someone
    if not _states_details(MENTION_RE.sub("", text[opener.end() :])):
        return None  # "@所有人 记得打卡": a reminder, nothing settled
    return _decision(m, sentences[0], sentences[1:], clean, position, index, previous)


def is_detail_line(line: str) -> bool:
    """'时间：…', 'Host: Theo', '📍 …' are details; '12月品鉴会·老白茶专场' is a title."""
    found = _LABELLED.match(to_simplified(line))
    return _PIN in line or bool(found and _DETAIL_LABEL.search(found["label"]))


def _states_details(text: str) -> bool:
    """A message that says when, where or how much (labelled lines, a date, a place, a price),
    and is not a task given to someone ("@小周 周三前确认大巴": an action item of its own)."""
    lines = [to_simplified(x) for x in text.splitlines() if x.strip()]
    folded = "\n".join(lines)
    if DECISION_RE.search(folded) or MENTION_RE.search(folded):
        return False
    if action_strength(folded) == 2:
        # "Thursday 3 December, 19:00–21:00, Room 2A. … Mei collects the glossaries by…": the
        # details come first and the tasks after them; a task alone is an action item
        first = split_sentences(folded)[0] if folded else ""
        return action_strength(first) < 2 and bool(
            find_when(first) and (_PRICE.search(first) or find_place(first))
        )
    return any(is_detail_line(x) for x in lines) or bool(
        find_when(folded) or _PRICE.search(folded) or find_place(folded)
    )


# "另外这次加一个香囊手作环节…", "Also: bring a water bottle": the author's next message adds to
# what they just announced, whatever it says
_GOES_ON = re.compile(
    r"^\W*(?:另外|此外|还有|补充|再补充|ps\b|p\.s\.|also\b|plus\b|one more thing)", re.I
)


def _following_details(
    m: ChatMessage, clean: list[ChatMessage], position: int, *, any_line: bool
) -> list[str]:
    """Lines of the author's next messages right after the decision, until someone else
    speaks; after a colon header any message (`any_line`), else only messages that state
    details."""
    lines: list[str] = []
    last, taken = m.ts, 0
    for nxt in clean[position + 1 :]:
        if nxt.ts - last > DETAILS_WINDOW or taken == DETAILS_MESSAGES:
            break
        # The decision's own thread carries its details too (a Slack/Discord thread under it).
        if nxt.channel != m.channel or flow(nxt) not in (flow(m), m.id):
            continue
        if nxt.author != m.author and _reaction(nxt.text):
            continue  # "好耶", "+1", a sticker between the decision and its details
        if nxt.author != m.author or is_question(nxt.text) or is_noise(nxt.text):
            break
        if not any_line and not _states_details(nxt.text) and not _GOES_ON.match(nxt.text):
            break
        lines += [line.strip() for line in nxt.text.splitlines() if line.strip()]
        last, taken = nxt.ts, taken + 1
        if any_line:  # a header's details are its next message
            any_line = False
    return lines


# "Soldering 101: Saturday March 21, 1:00–4:00 pm · Room B · $15 · run by Dmitri · sign up by
# Wednesday March 18": one line of details, shown as one detail each (a summary line is short).
_DETAIL_SEPARATOR = re.compile(r"\s+[·•|]\s+|\s*；\s*")
DETAIL_CHARS = 60  # what a summary shows of one detail line (`results.summary`)


def _detail_parts(line: str) -> list[str]:
    if len(line) <= DETAIL_CHARS:
        return [line]
    parts = [p.strip() for p in _DETAIL_SEPARATOR.split(line) if p.strip()]
    if len(parts) == 1:  # "Every post must state the rate. Posts without one are removed…"
        parts = [p.strip() for p in split_sentences(line) if p.strip()]
    return parts if len(parts) > 1 else [line]


def _shown_details(lines: list[str]) -> list[str]:
    """At most MAX_DETAILS parts of the detail lines, in order; when there are more, labelled
    lines ("报名：…12月13日前", "Where: …") go before the rest, so the sign-up deadline on the
    last line is not lost to the second half of the fee line. An emoji on a line of its own
    ("🎄") says nothing."""
    parts = [
        (_detail_rank(part) if pi == 0 else 2, li, pi, part)
        for li, line in enumerate(lines)
        for pi, part in enumerate(p for p in _detail_parts(line) if _wordlike(p))
    ]
    kept = sorted(sorted(parts)[:MAX_DETAILS], key=lambda p: (p[1], p[2]))
    return [part for *_, part in kept]


def _detail_rank(line: str) -> int:
    """0: a key detail's line (`_KEY_LABEL`, or 📍), 1: another labelled detail, 2: the rest."""
    if _PIN in line:
        return 0
    found = _LABELLED.match(to_simplified(line))
    if found is None or not _DETAIL_LABEL.search(found["label"]):
        return 2  # not `is_detail_line`
    return 0 if _KEY_LABEL.search(found["label"]) else 1


def _reaction(text: str) -> bool:
    """A short cheer or acknowledgement ("好耶", "太好了！", "great!", a sticker), which does
    not end the decision's author's turn."""
    return is_noise(text) or (not is_question(text) and _wordlike(text) <= REACTION_CHARS)


def _labelled(lines: list[str], label: re.Pattern[str]) -> str | None:
    for line in lines:
        if (found := _LABELLED.match(line)) and label.search(found["label"]):
            return found["value"].strip()
    return None


def _located(d: Decision, m: ChatMessage, zone: ZoneInfo, people: Collection[str]) -> Decision:
    """Date, place and owner of a decision, from its labelled details first."""
    lines = [to_simplified(x) for x in [d.text, *d.details]]
    whole = "\n".join(lines)
    when_line = _labelled(lines, _WHEN_LABEL)
    when = find_when(when_line) if when_line else None
    base = m.ts.astimezone(zone).date()
    moved = _MOVED_TO.search(whole)  # "本周日的直播改到周六20:00": the new time is the news
    new_when = find_when(whole[moved.end() :]) if moved else None
    if new_when and resolve_date(new_when, base) is None:
        new_when = None  # "3月8日的直播，时间改到晚上20:00": the day is the one named before
    when = when or new_when or find_when(whole)
    pinned = next((x.split(_PIN, 1)[1].strip() for x in lines if _PIN in x), None)
    place = _labelled(lines, _PLACE_LABEL) or pinned or find_place(whole)
    owner_line = _labelled(lines, _OWNER_LABEL)
    author = d.owner or m.author
    if owner_line:
        owner: str | None = _name_in(owner_line)
    elif len(split_assignments(lines[0], author, people)) > 1:
        owner = author  # it hands out tasks to several people: its announcer owns the whole
    else:  # the decision's own words first ("…，小王负责带横幅"), then its details
        owner = find_owner(lines[0], author, people=people)
        if owner is None:
            owner = author if commits_self(whole) else find_owner(whole, author, people=people)
        owner = owner or author  # nobody named: the member who announced it is the one to ask
    return d.model_copy(
        update={
            "date": when,
            "on": resolve_date(when, base) if when else None,
            "place": place[:60] if place else None,
            "owner": as_member(owner, people),
        }
    )


def _name_in(value: str) -> str:
    """'助教-阿周（有问题直接@我）' → 助教-阿周; '@theo' → theo."""
    return re.split(r"[\s（(，,；;、]", value.strip().lstrip("@＠"), maxsplit=1)[0]
