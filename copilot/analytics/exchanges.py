"""Questions in a chat linked to the messages that answer them (Q→A links).

One definition shared by ingestion (an answered question becomes a cited exchange, an unanswered
one is no evidence at all), summaries (answered vs open questions), health (unanswered counts)
and the question queue. A question's answer is, in this order of trust:

1. an explicit reply to it, or a reply in the thread it opened, within `REPLY_WITHIN`;
2. within `NEARBY_WINDOW` in the same channel and thread: an admin's message, or one that
   @-mentions the asker (unless a member's on-topic answer, rule 3, came before an admin's
   message that shares nothing with the question; an admin's message @-mentioning someone
   else, or one after another member's question that does not speak to this one, answers
   that other member);
3. within `NEXT_WINDOW`: one of the next `NEXT_MESSAGES` messages by someone else that shares a
   content word with the question or has the shape of the answer it wants (a time for "几点",
   a number for "多少", a place for "在哪");
4. within `QUIET_WINDOW`: the very next message in the channel and thread by someone else, when
   it shares a content word with the question (a quiet channel answered hours later);
5. within `ADMIN_WINDOW`: an admin's message said to nobody else that shares two words of
   the question the chat does not use everywhere, between the members' check-ins;
6. within `ADDRESSED_WINDOW`: a message addressed to the asker that shares a word with the
   question ("@Ingrid sorry for the slow reply — …"), whatever was said in between;
7. a late reply to one question that @-mentions the asker of the same question asked since.

A message the asker thanks someone for right after ("…, thanks!") answers too.

Candidates that are questions themselves, echoes ("同问", "+1", "me too"), stickers and media,
spam and prompt injection never answer. The answerer's next messages within a few minutes
continue the answer ("在图书馆" / "三楼 302").
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Collection, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from copilot.analytics.conversation import (
    ConversationIndex,
    Roles,
    address_starts,
    addresses,
    flow,
    member_key,
    mentions,
    names,
    replies_elsewhere,
)
from copilot.analytics.keywords import is_time_word
from copilot.analytics.mood import is_insult
from copilot.analytics.spam import spam_ids
from copilot.models import ChatMessage
from copilot.text import fold_chinese, is_media_only, is_question, looks_like_injection, tokenize

_HAN = re.compile(r"[\u4e00-\u9fff]")
NEARBY_WINDOW = timedelta(minutes=30)
NEXT_WINDOW = timedelta(minutes=15)
NEXT_MESSAGES = 4
CONTINUATION = timedelta(minutes=3)
MAX_ANSWER_MESSAGES = 3
QUIET_WINDOW = timedelta(hours=6)
ADDRESSED_WINDOW = timedelta(hours=24)
REPLY_WITHIN = timedelta(days=14)  # an explicit reply answers, even a week on
ADMIN_WINDOW = timedelta(hours=2)
ADMIN_SHARED = 2  # uncommon words an admin's message shares with the question (rule 5)

_SAME_ASK = (  # someone else asking the same: the question is open, not answered
    r"同问|同求|\+1|加一|我也(?:想|是|要|不知道|不清楚|想知道|在找)|求\S{0,4}|蹲一个|蹲|mark|码住|顶"
    r"|me too|same(?: here| question)?|(?:also|me) curious|curious too|\+\d|following|bump"
)
_SAME_ASK_RE = re.compile(rf"^(?:{_SAME_ASK})$", re.IGNORECASE)
_ECHO = re.compile(
    rf"^(?:{_SAME_ASK}"
    r"|哈+|嗯+|好的?|ok|okay|收到|谢谢\S{0,4}"
    r"|thanks?\S{0,6}|thank you\S{0,6}|[?？!！.。~～]+)$",
    re.IGNORECASE,
)
_MEDIA = re.compile(
    r"^(?:\[[^\]]{1,8}\]\s*)+$|^!\[[^\]]*\]\([^)]*\)$|^\s*(?:<media omitted>|sticker)\s*$",
    re.IGNORECASE,
)
_YES_NO = (  # a yes/no question ("线下模考必须去吗？") is answered by a yes or a no ("不强制的，…")
    re.compile(
        r"吗\s*(?:[?？]|$)|是不是|能不能|可不可以|有没有|要不要|用不用|需不需要"
        # (an English one may follow a sentence of context: "I'm looking for a second
        # issue. can I claim two at once?")
        r"|(?:^|[.!]\s+)(?:is|are|do|does|did|can|could|will|would|should|has|have)\b",
        re.I,
    ),
    re.compile(
        r"^\W{0,2}(?:不(?!知道|清楚|确定|懂)|没|是的|是啊|对|可以|能|会的|有的|要的|需要|必须|当然"
        # "只能带指针表", "都行", "一般不用": a yes or a no with its condition
        r"|只(?:能|可以|有|要|收|限)|都(?:行|可以)|一般(?:不|都|是|会)"
        r"|yes\b|no\b|nope|yep|yeah|sure|of course|you can|you need|it is|it's not"
        # "有没有人周末一起去自习？" calls for company: "我在！" / "我！" / "count me in"
        r"|我\s*[!！]|我在|我可以|我也去|我来|算我一个|me\b|i'm in|count me in)",
        re.I,
    ),
)
# "When?" wants a time, "how much?" a number, "where?" a place: an answer has that shape.
_WANTS = [
    (
        re.compile(r"几点|什么时候|何时|几时|哪天|几号|周几|星期几|多久|\bwhen\b|what time", re.I),
        re.compile(
            r"\d{1,2}[:：点]\d{0,2}|[周星期礼拜][一二三四五六日天]|\d+\s*[月日号天]|今天|明天|"
            r"下周|tomorrow|today|tonight|monday|tuesday|wednesday|thursday|friday|"
            r"saturday|sunday|\d\s*(?:am|pm)",
            re.I,
        ),
    ),
    (
        re.compile(
            r"多少|几(?![点时号乎])|费用|价格|怎么收费"  # 几盒, 几个, 几次, 几天: a count
            r"|\bhow (?:much|many)\b|\bcost\b|\bprice\b",
            re.I,
        ),
        # (a number redacted at ingest is one all the same: "[PHONE]，值班时间才有人接")
        re.compile(
            r"\d|[一二两三四五六七八九十百千万]+[个次天元块]|免费|free|\[(?:PHONE|QQ|WECHAT_ID)\]",
            re.I,
        ),
    ),
    _YES_NO,
    # "who wrote it?" is answered by naming them: "@Hannah did most of the ranking code", "我"
    (
        re.compile(r"\bwho\b(?!\s+else)|谁", re.I),
        re.compile(r"[@＠][^\s@]|^\W{0,2}(?:me|i did|i do|i will|我)(?![a-z])", re.I),
    ),
    (
        re.compile(
            r"哪里|在哪|哪儿|什么地方|地址|哪个(?:地铁|公交|高铁|火车)?(?:站|出口|门|校区|楼(?!主))"
            r"|\bwhere\b",
            re.I,
        ),
        re.compile(
            r"在\S{1,12}|路|号楼|楼|室|馆|中心|站|[A-Z\d]口|频道|群文件|链接|#\S+"
            r"|\b(?:in|at|on) \S+",
            re.I,
        ),
    ),
]


@dataclass(frozen=True)
class Exchange:
    """A member's question and the messages that answer it (none: nobody answered)."""

    question: ChatMessage
    answers: tuple[ChatMessage, ...] = ()

    @property
    def answered(self) -> bool:
        return bool(self.answers)


def asks_too(text: str) -> bool:
    """ "同问", "+1", "me too": another member wants the same answer."""
    return bool(_SAME_ASK_RE.match((text or "").strip()))


def is_noise(text: str) -> bool:
    """Messages that carry no information: echoes, acknowledgements, stickers, media."""
    stripped = (text or "").strip()
    return not stripped or bool(
        _ECHO.match(stripped) or _MEDIA.match(stripped) or is_media_only(stripped)
    )


# Without a "?", a question word can sit in a session's topic ("今晚茶话：白茶为什么越陈越香，
# 8点见", "Tonight: how we ship, see you at 8") or in an exclamation ("什么破服务！").
_ANNOUNCES = re.compile(
    r"(?:\d{1,2}\s*(?:[:：]\s*\d{2}|点半?)|今晚|明晚|今天|明天|周[一二三四五六日天])[^?]{0,12}?"
    r"(?:见|开始|开讲|开播|准时|不见不散|集合)|\bsee you\b|\bstarts? at\b|\bjoin us\b",
    re.IGNORECASE,
)
_RHETORICAL = re.compile(
    r"(?:什么破|什么鬼|搞什么|凭什么|算什么|什么玩意|有什么用)[^?]*!"
    r"|哪(?:里|儿)[\u4e00-\u9fff]{1,2}了(?![吗呢])"  # "5'10\"哪里快了": it was not fast, says he
)
# A shared article, link or file ("[链接] 冬天夜跑怎么穿，转给大家看看"): its title's question word
# names the article's topic; the member asks nothing unless they add a "?".
_SHARED = re.compile(r"^\s*\[(?:链接|文件|link|file|文章|公众号)\]", re.IGNORECASE)
# A sign-up chain ("#接龙 年会 12月19日\n1. 小雅\n2. 老周"): a list of names, never an answer.
_SIGNUP_CHAIN = re.compile(r"^\s*#?\s*接龙", re.IGNORECASE)
# A post under a bracketed header ("【本周预告】…本周话题：你最近放弃的一本书是哪本？") announces;
# its question is a prompt to the group. Headers that ask ("【求助】") still ask; square brackets
# are not headers ("[图片] 这是哪里？" asks about a picture).
_HEADER = re.compile(r"^\s*【([^】\n]{1,12})】")
_ASKING_HEADER = re.compile(r"求助|提问|问题|请教|咨询|疑问|help|question|ask", re.IGNORECASE)


# "中午有人一起吃饭吗？", "今晚周三晚场有谁在？", "Anyone up for dinner before Monday's hatha?":
# a member looking for company; "off topic but who's watching the darts tonight?": chatter the
# member marks as such. It counts as a question, but nothing in it waits for an answer from the
# organisers.
_SMALL_TALK = re.compile(
    r"^\W*(?:off[- ]?topic|ot\s*[:：]|题外话|跑个?题|闲聊)"
    r"|\banyone doing anything\b|有人[^?？，,]{0,6}干(?:什么|啥)"
    r"|(?:有人|有谁|有冇人|谁|大家)(?:要|想)?一[起齐](?![^?？]{0,8}过)"
    r"|(?:有)?谁在[?？吗]\W*$|有人在吗\W*$"
    r"|\banyone (?:up for|fancy|wanna|want to (?:join|come|go))|\bjoin me\b"
    r"|\bwho(?:'s| is) (?:in|up for|around)\W*$",
    re.IGNORECASE,
)


def is_small_talk(text: str) -> bool:
    """A member inviting company ("有人一起去爬山吗", "anyone up for dinner?") or chatting off
    topic, not asking the community something."""
    return bool(_SMALL_TALK.search(fold_chinese(text or "")))


def is_member_question(text: str) -> bool:
    """A message that asks something: not noise, not an insult with a question mark
    ("你算老几？" attacks, it does not ask), not an announcement of a session whose topic
    holds a question word or a post under an announcement's header ("【本周预告】…"), and not
    an exclamation ("什么破服务！")."""
    if not is_question(text) or is_noise(text) or is_insult(text):
        return False
    folded = fold_chinese(text)
    header = _HEADER.match(folded)
    if header and not _ASKING_HEADER.search(header.group(1)):
        return False
    if "?" in folded:
        return True
    return not (_ANNOUNCES.search(folded) or _RHETORICAL.search(folded) or _SHARED.match(folded))


# A reply that puts the answer off ("具体时间地点过几天定下来在群里通知", "We're picking a date this
# week, keep an eye on #announcements"): someone replied, but the fact asked for comes later.
_DEFERS = re.compile(
    r"过几天(?:再)?(?:定|通知|公布|发|说)|定下来(?:了)?(?:以?后|再)?(?:在群里)?(?:通知|公布|说|发)"
    r"|(?:确定|定好)(?:了)?(?:以?后|再)(?:在群里)?(?:通知|公布|说|发)|再(?:另行)?(?:通知|公布)"
    r"|另行通知|(?:还|暂时|目前)(?:没|未)(?:有)?(?:定|确定|决定)|待定|还在(?:商量|讨论|定)"
    r"|到时候(?:在群里)?(?:通知|公布)|稍后(?:通知|公布)"
    # "具体时间和地点由团长在群里通知", "date and venue announced by Rosa"
    r"|由(?!于)[^，,。；;]{1,10}?(?:在群里)?(?:另行)?(?:通知|公布|宣布)"
    r"|\b(?:will be|to be|be) announced by\b"
    r"|\b(?:date|time|venue|place|details?)s?\b[^.;!?]{0,20}\bannounced by\b"
    r"|\b(?:will|'ll) (?:post|announce|confirm|share) (?:it|the (?:date|time|details|place))"
    r"|\bto be (?:confirmed|announced|decided)\b|\bTB[ACD]\b|\bpicking a (?:date|time|day)\b"
    r"|\bnot (?:yet )?(?:decided|confirmed|fixed)\b|\bhaven'?t (?:decided|picked|set|fixed)\b"
    r"|\bstay tuned\b|\bkeep an eye on\b",
    re.IGNORECASE,
)


def defers(text: str) -> bool:
    """A reply that says the answer will come later (a date still to be picked, details to be
    announced): an answer in the counts, but no evidence for the fact it puts off."""
    return bool(_DEFERS.search(fold_chinese(text or "")))


def is_signup_chain(text: str) -> bool:
    """A 接龙 sign-up list (its header, then one name per line)."""
    return bool(_SIGNUP_CHAIN.match(fold_chinese(text or "")))


def link_questions(
    messages: Sequence[ChatMessage],
    admins: Collection[str] = (),
    bots: Collection[str] = (),
    *,
    late_answers: bool = True,
) -> list[Exchange]:
    """Every member question of the chat with its answer messages, in time order.

    `late_answers=False` leaves out the quiet-channel rule (the next message hours later that
    shares a word): good enough to count a question as answered, too weak to quote as its
    answer ("晚安各位铲屎官" shares 铲屎官 with a question about grooming)."""
    roles = Roles.of(admins, bots)
    excluded = spam_ids(messages, admins) | {
        m.id
        for m in messages
        if looks_like_injection(m.text) or is_media_only(m.text)  # a sticker is never an answer,
    }  # nor does it push the answer out of the next few messages
    index = ConversationIndex(messages, roles, exclude=excluded)
    common = common_words(index.messages)
    exchanges: list[Exchange] = []
    for message in index.messages:
        if roles.is_admin(message) or not is_member_question(message.text):
            continue
        if message.reply_to and "?" not in fold_chinese(message.text):
            continue  # a reply without a question mark answers ("多放几个水碗"), it does not ask
        first = _first_answer(index, message, late_answers, common)
        if first is None:
            exchanges.append(Exchange(message))
            continue
        exchanges.append(Exchange(message, tuple(_continued(index, first))))
    return _answered_together(exchanges)


def _answered_together(exchanges: list[Exchange]) -> list[Exchange]:
    """ "@小周 @Ella 问过了，可以开…", a reply to 小周's "能开发票吗？", answers Ella's "+1，也想问
    能不能开票" asked in between: a reply that @-mentions another asker answers their open
    question in the same channel when it shares a word with the one replied to, however late
    the reply came. Open questions are looked up by time, not compared with every reply."""
    open_at = sorted((ex.question.ts, i) for i, ex in enumerate(exchanges) if not ex.answered)
    times = [ts for ts, _ in open_at]
    out = list(exchanges)
    for first in exchanges:
        if not first.answers or first.answers[0].reply_to != first.question.id:
            continue
        answer, asked = first.answers[0], first.question
        if "@" not in answer.text and "＠" not in answer.text:
            continue
        words = _singulars(_content_words(asked.text))
        start, stop = bisect_left(times, asked.ts), bisect_left(times, answer.ts)
        for _, i in open_at[start:stop]:
            q = out[i].question
            if out[i].answered or q.channel != asked.channel or not mentions(answer.text, q.author):
                continue
            if words & _singulars(_content_words(q.text)):
                out[i] = Exchange(q, first.answers)
    return out


def _answers_shape(question: str, text: str, common: Collection[str] = ()) -> bool:
    """`text` has the shape of the answer `question` wants, or shares a word with it that is
    not `common` in the chat."""
    folded_q, folded_a = fold_chinese(question), fold_chinese(text)
    shaped = [want for asks, want in _WANTS if asks.search(folded_q)]
    if any(want.search(folded_a) for want in shaped):
        return True
    return _echoes_yes_no(folded_q, folded_a) or bool(_shared(question, text, common))


_YES_NO_CLAUSE = re.compile(r"([\u4e00-\u9fff]{2,})吗\s*(?:[?？]|$)")


def _echoes_yes_no(question: str, answer: str) -> bool:
    """A Chinese yes/no question is answered by repeating its verb: "黑猫还在打针吗？" /
    "还在打，明天最后一针", "能进吗？" / "能进，…"."""
    clause = _YES_NO_CLAUSE.search(question)
    head = re.match(r"[\u4e00-\u9fff]{2}", answer.lstrip())
    return bool(clause and head and head.group(0) in clause.group(1))


def _shared(question: str, text: str, common: Collection[str]) -> set[str]:
    """Words of both, less the chat's common ones: a later message that shares only "今天",
    "大家" or a character every other message has (人, 好) with a question is about something
    else; a rarer single character still links ("煮之前要先泡吗？" / "…再拿叶底去煮")."""
    return (_singulars(_words(question)) & _singulars(_words(text))) - set(common)


@lru_cache(maxsize=1 << 15)
def _words(text: str) -> frozenset[str]:
    """Tokens and content words, without short numbers ("1.0" and "2.0" share a "0")."""
    return frozenset(
        t for t in set(tokenize(text)) | _content_words(text) if not _SHORT_NUMBER.match(t)
    )


_LATIN_WORD = re.compile(r"^[a-z]{4,}$")


def _singulars(words: AbstractSet[str]) -> set[str]:
    """English words and, for a plural, its singulars: "Are earrings ok for concerts?" and
    "Small studs only… under concert dress" share "concert"; "times" gives "time" (and "tim":
    a spare stem links nothing)."""
    out = set(words)
    for w in words:
        if not _LATIN_WORD.match(w) or not w.endswith("s") or w.endswith("ss"):
            continue
        out.add(w[:-1])
        if w.endswith("es"):
            out.add(w[:-2])
        if w.endswith("ies"):
            out.add(w[:-3] + "y")
    return out


_SHORT_NUMBER = re.compile(r"^\d{1,2}$")


COMMON_SHARE = 0.03  # a word in this share of a chat's messages or more says nothing of topic…
COMMON_MIN = 5  # …once it is in at least this many


def common_words(messages: Sequence[ChatMessage]) -> set[str]:
    """Words so frequent in this chat that sharing one links nothing (in a tea group's chat 喝,
    大家 and 今天 are everywhere; a question about 白茶 and an answer about 白茶 still share it,
    unless every third message does)."""
    df: Counter[str] = Counter()
    for m in messages:
        df.update(_words(m.text))
    floor = max(COMMON_MIN, COMMON_SHARE * len(messages))
    return {w for w, n in df.items() if n >= floor}


def _usable(candidate: ChatMessage) -> bool:
    return _answerable(candidate) and not is_question(candidate.text)


def _answerable(candidate: ChatMessage) -> bool:
    """Could answer anything at all: not noise, not a sign-up list."""
    return not is_noise(candidate.text) and not is_signup_chain(candidate.text)


def _says_to(candidate: ChatMessage) -> bool:
    """An admin's message or one addressed to the asker answers unless it asks back with a
    question mark: "…在“设置-订单”里点升级就能看到要补多少" tells, although it holds 多少."""
    return _answerable(candidate) and "?" not in fold_chinese(candidate.text)


def _first_answer(
    index: ConversationIndex,
    q: ChatMessage,
    late_answers: bool = True,
    common: Collection[str] = (),
) -> ChatMessage | None:
    direct = [  # a reply without a question mark answers, even "多放几个水碗" (几个: not asking)
        m
        # replies and thread replies only, however late ("抱歉回晚了" two days on)
        for m in index.responses(q, within=REPLY_WITHIN, window=timedelta(0))
        if not is_noise(m.text) and "?" not in fold_chinese(m.text)
    ]
    if direct:
        return direct[0]
    asker = member_key(q)
    later = [
        m
        for m in index.following(q, NEARBY_WINDOW)
        if m.ts >= q.ts
        and member_key(m) != asker
        and flow(m) == flow(q)
        and not replies_elsewhere(m, q)
    ]
    # The first message by someone else may share any word; later ones a word the chat does
    # not use everywhere ("bike" in a cycling club's chat links nothing three messages on).
    on_topic = next(
        (
            m
            for i, m in enumerate(later[:NEXT_MESSAGES])
            if m.ts - q.ts <= NEXT_WINDOW
            and _usable(m)
            and (_answers_shape(q.text, m.text, common if i else ()) or _thanked(index, m, q))
        ),
        None,
    )
    asked_since = False  # another member asked something after q
    for m in later:
        if mentions(q.text, m.author) and _says_to(m):
            return m  # "@Sofía train at 08:10 on Saturday?" / "deal 🚋": the one asked answers
        admin = index.roles.is_admin(m)
        if _says_to(m) and (admin or addresses(m.text, q.author)):
            if admin and _to_someone_else(m, q):
                continue  # "@团团 含材料的…": the admin answers another member's question
            if asked_since and not _speaks_to(q, m, common):
                continue  # "线上版后面看情况" answers the question asked just before it
            if (
                on_topic is not None
                and on_topic.ts < m.ts
                and _to_everyone(m.text)
                and not _speaks_to(q, m, common)
            ):
                break  # a member answered first; the admin's later "晚安各位" is about nothing
            if addresses(m.text, q.author) or _usable(m):
                return m
        asked_since = asked_since or (not admin and is_member_question(m.text))
    if on_topic is not None:
        return on_topic
    if thanked := _thanked_turn(index, q):
        return thanked
    if not late_answers:
        return None
    return (
        _quiet_answer(index, q, common)
        or _admin_on_topic(index, q, common)
        or _addressed_later(index, q)
    )


# "@团团", not "billing@club.org"; "@所有人 / @channel / @here" speaks to everyone
_AT_SOMEONE = re.compile(
    r"(?<![\w.])[@＠](?!所有人|全体|all\b|everyone\b|channel\b|here\b)\S", re.I
)


def _to_someone_else(m: ChatMessage, q: ChatMessage) -> bool:
    """`m` @-mentions a member, not the asker of `q`."""
    return bool(_AT_SOMEONE.search(m.text)) and not mentions(m.text, q.author)


def _admin_on_topic(
    index: ConversationIndex, q: ChatMessage, common: Collection[str] = ()
) -> ChatMessage | None:
    """An admin checking the group half an hour on answers between the members' check-ins
    ("要减的，高海拔酵母减20%左右" to "海拔高，面团发得快，酵母要不要减？"): within
    `ADMIN_WINDOW`, an admin's telling message in the question's flow, said to nobody else,
    that shares two words of the question the chat does not use everywhere (one is too weak:
    the next announcement names the book club too)."""
    words = {w for w in _singulars(_content_words(q.text)) - set(common) if not is_time_word(w)}
    if len(words) < ADMIN_SHARED:
        return None
    for m in index.following(q, ADMIN_WINDOW):
        if m.ts < q.ts or flow(m) != flow(q) or not index.roles.is_admin(m):
            continue
        if member_key(m) == member_key(q) or _to_someone_else(m, q) or not _usable(m):
            continue
        if len(words & _singulars(_content_words(m.text))) >= ADMIN_SHARED:
            return m
    return None


def _addressed_later(index: ConversationIndex, q: ChatMessage) -> ChatMessage | None:
    """ "@Ingrid sorry for the slow reply — the licences are for Full members only": a message
    addressed to the asker within `ADDRESSED_WINDOW`, in the question's channel and thread,
    that tells (no question mark) and shares a word with the question, answers it however much
    was said in between. Being addressed is the strong signal: any shared word will do, even
    one the chat uses everywhere ("memoQ" in a translators' guild)."""
    words = _singulars(_content_words(q.text))
    starts = address_starts(q.author)
    for m in index.following(q, ADDRESSED_WINDOW):
        if m.ts < q.ts:
            continue
        opening = m.text.lstrip()[:1]
        if "@" not in m.text and "＠" not in m.text and fold_chinese(opening) not in starts:
            continue  # neither mentions nor opens with a name: addresses nobody
        if flow(m) != flow(q) or member_key(m) == member_key(q):
            continue
        if (
            addresses(m.text, q.author)
            and _says_to(m)
            and words & _singulars(_content_words(m.text))
        ):
            return m
    return None


# Said to the whole group, not to the asker: a greeting, a good night, "各位…", "everyone …".
_TO_EVERYONE = re.compile(
    r"各位|大家|家人们|朋友们|所有人|全体|晚安|早安|早上好|晚上好"
    r"|\b(?:everyone|everybody|all|folks|good (?:night|morning|evening))\b",
    re.IGNORECASE,
)


def _to_everyone(text: str) -> bool:
    return bool(_TO_EVERYONE.search(fold_chinese(text)))


def responds_to(
    index: ConversationIndex, q: ChatMessage, r: ChatMessage, common: Collection[str] = ()
) -> bool:
    """Is `r` (a message after `q` by someone else, from `index.responses`) said to `q`? A reply
    or thread reply, an admin's or an @-mention within `NEARBY_WINDOW` are (the responses rule);
    a message anyone posts nearby is only when it is the first by someone else within
    `NEXT_WINDOW` (the next turn of the conversation: "嗰個係下個月先有啩"), or speaks to the
    question (`_speaks_to`: a shape or a word the chat does not use everywhere). Someone's
    unrelated post 20 minutes on ("银针很清甜…" after a question about flying with tea) is not,
    nor is a sign-up list ("#接龙 年会…")."""
    if is_signup_chain(r.text):
        return False
    if r.reply_to == q.id or (r.thread == q.id and r.id != q.id):
        return True
    if index.roles.is_admin(r) or addresses(r.text, q.author):
        return True
    asker = member_key(q)
    turn = next(
        (
            m
            for m in index.following(q, NEXT_WINDOW)
            if m.ts >= q.ts and member_key(m) != asker and flow(m) == flow(q)
        ),
        None,
    )
    return (turn is not None and turn.id == r.id) or _speaks_to(q, r, common)


def _speaks_to(q: ChatMessage, m: ChatMessage, common: Collection[str] = ()) -> bool:
    """Does `m` answer `q` by its words: it @-mentions the asker, or has the shape or a
    (not common) word of the answer `q` wants."""
    return addresses(m.text, q.author) or _answers_shape(q.text, m.text, common)


def _quiet_answer(
    index: ConversationIndex, q: ChatMessage, common: Collection[str] = ()
) -> ChatMessage | None:
    """In a quiet channel an answer can come hours later (an admin checking in after lunch):
    the very next message in the question's channel and thread, by someone else, within
    `QUIET_WINDOW`, answers when it is no question or echo, shares a content word with the
    question and nothing else was said in between. The shape of an answer alone (a time for
    "什么时候") is not enough this late: the next announcement has times too. Past
    `NEARBY_WINDOW` the shared word must be one the chat does not use everywhere (`common`):
    in a cycling club's chat, the next morning's "great ride!" shares "ride" with any question;
    a message that opens with the asker's name or @-mentions them answers however late."""
    asker = member_key(q)
    for m in index.following(q, QUIET_WINDOW):
        if m.ts < q.ts or flow(m) != flow(q):
            continue
        if member_key(m) == asker:
            continue  # the asker adding detail ("我個舖想 12 月開") keeps the question open
        if replies_elsewhere(m, q) or not _usable(m):
            return None  # the channel moved on: someone else's conversation, not an answer
        if addresses(m.text, q.author) or (flow(q) is not None and names(m.text, q.author)):
            return m  # in a thread, "Not for this one, sorry Emma, …" speaks to Emma too
        if m.ts - q.ts <= NEARBY_WINDOW and _shared(q.text, m.text, common):
            return m  # the next thing anyone said, minutes on, on a word of the question
        shared = _singulars(_content_words(q.text)) & _singulars(_content_words(m.text))
        shared = {w for w in shared if not is_time_word(w)}  # "一月" is no topic
        if m.ts - q.ts > NEARBY_WINDOW:
            shared -= set(common)
        return m if shared or _thanked(index, m, q) or _yes_or_no(q.text, m.text) else None
    return None


# "yes, up to 2 at a time", "不行，要先…": the next message opening on a plain yes or no
_YES_OR_NO = re.compile(
    r"^\W{0,2}(?:(?:yes|no|yep|nope|yeah)\b(?!\s+(?:idea|clue))|可以|不可以|不行|不能|是的"
    r"|不是(?![很太]清楚)|不用|不需要|要的)",
    re.I,
)  # (not "no idea, sorry": that answers nothing)


def _yes_or_no(question: str, text: str) -> bool:
    """A plain yes or no, the next thing said after a yes/no question, however late."""
    asks, _ = _YES_NO
    return bool(asks.search(fold_chinese(question)) and _YES_OR_NO.match(fold_chinese(text)))


def _thanked_turn(index: ConversationIndex, q: ChatMessage) -> ChatMessage | None:
    """The next telling message by someone else within `QUIET_WINDOW`, when the asker thanks
    for it right after ("Sorry Emily，只发中国大陆…" / "Ok, I'll buy locally then. Thanks!")."""
    for m in index.following(q, QUIET_WINDOW):
        if m.ts < q.ts or flow(m) != flow(q) or member_key(m) == member_key(q):
            continue
        if not _usable(m):
            continue
        return m if _thanked(index, m, q) else None
    return None


# The asker's "thank you!", "好喔" or "那还行，谢谢" right after a message: what they waited
# for has come.
_THANKS = re.compile(
    # a short word may lead ("那还行，谢谢"), but not one saying it still fails ("还是不行，谢谢")
    r"^(?:(?![^，,\s]*(?:不|没|还是))(?!(?:not|no|still)\b)[^，,。.!！?？\s]{1,4}[，,\s]\s*)?"
    r"(?:谢谢|多谢|感谢|谢啦|谢了|唔该|好的|好喔|好哦|好滴|好嘞|了解|明白了?|懂了|收到|原来如此|太好了"
    # "好，上午9点门口见": agreed, on to the plan
    r"|好(?=[，,]\s*(?![^，,]*(?:不|没|还是|不过|但|[?？]))[^，,]*?(?:\d|[一二三四五六七八九十两]点|见))"
    r"|(?:thanks|thank you|thx|ty|cheers|got it|gotcha|makes sense|that helps|fair enough"
    r"|good to know|noted|understood|i see|will do)\b"
    # "perfect, thank you" / "great!" / "following!" (an account pointed to) on their own, not
    # "great, still broken"; "nice" or "cool" reacts to anything said, answer or not
    r"|(?:ok(?:ay)?|perfect|great|awesome|following|deal)"
    r"(?=\s*(?:[!！.。]|$|[,，]?\s*(?:thanks|thank you|ty)\b)))",
    re.IGNORECASE,
)
THANKS_WITHIN = timedelta(minutes=10)


def _thanked(index: ConversationIndex, m: ChatMessage, q: ChatMessage) -> bool:
    """Does the asker thank someone right after `m`, before anyone else speaks? Then `m`
    answered them, though it shares no telling word ("What are we working on tonight?" …
    half an hour later the director: "Tonight: The Ground from bar 40 …" … "thank you!")."""
    for after in index.following(m, THANKS_WITHIN):
        if after.ts < m.ts or after.id == m.id or flow(after) != flow(q):
            continue
        if member_key(after) != member_key(q):
            return False
        said = fold_chinese(after.text).strip()
        return bool(_THANKS.match(said) or _THANKS_LAST.search(said))
    return False


# "Ok, I'll buy locally then. Thanks!": a short message that ends thanking, not one that
# still fails ("still broken, thanks"), nor another question.
_THANKS_LAST = re.compile(
    r"^(?!.*(?:不行|还是|没有?用|不到|算了|可惜|\bstill\b|\bnot\b|n't\b|no luck|elsewhere|[?？]))"
    r".{0,60}"
    r"(?:谢谢|多谢|感谢|thanks|thank you|thx)[!！.。~～\s]*$",
    re.IGNORECASE,
)


@lru_cache(maxsize=1 << 15)  # a message is read against every question whose window holds it
def _content_words(text: str) -> frozenset[str]:
    """Words that say what a message is about: not digits ("1.0" and "2.0" share a "0") nor
    single characters; but jieba cuts words it does not know (Cantonese, trade terms: 杯測 →
    杯 / 测) into single characters, so runs of those are joined back in pairs."""
    tokens = tokenize(text)
    words = {t for t in tokens if len(t) >= 2 and not t.isdigit()}
    for a, b in itertools.pairwise(tokens):
        if len(a) == len(b) == 1 and _HAN.match(a) and _HAN.match(b):
            words.add(a + b)
    return frozenset(words)


def _continued(index: ConversationIndex, first: ChatMessage) -> list[ChatMessage]:
    """The first answer and the same person's next messages right after it."""
    out = [first]
    for m in index.following(first, CONTINUATION * MAX_ANSWER_MESSAGES):
        if len(out) == MAX_ANSWER_MESSAGES:
            break
        if m.ts < first.ts or m.id == first.id:
            continue
        if member_key(m) != member_key(first):
            break
        if m.ts - out[-1].ts > CONTINUATION or not _usable(m):
            break
        out.append(m)
    return out
