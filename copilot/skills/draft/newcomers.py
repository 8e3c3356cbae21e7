"""A welcome post follows the community's own newcomer steps, read from the playbooks' structure.

Steps are the list items under a heading (document title, section or an in-text heading such
as "二、入群后：三件事") about newcomers (新人 / 入群 / 进群 / newcomer / getting started …),
and list items that themselves say what a newcomer does ("进群后请把群昵称改成…"), and the
row of a roles table for newcomers. Then, when the playbooks say so, where to ask questions
(a channel, a person) and the community's daily or weekly routine (签到, check-ins): what a
newcomer needs on day one. Facts keep their documents' order; nothing is invented.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from copilot.knowledge.structure import item_number, list_marker
from copilot.profile import CommunityProfile
from copilot.retrieval.results import RetrievedChunk
from copilot.skills.draft import templates as T
from copilot.skills.draft.channels import banned_words_in
from copilot.text import (
    detect_language,
    english_stem,
    fold_chinese,
    has_han,
    looks_like_injection,
    split_sentences,
    text_width,
    to_simplified,
    tokenize,
)

NEWCOMER = re.compile(
    r"新人|新成员|新朋友|新同学|新群友|新会员|新来的|刚入群|入群|进群|入会|加入(?:本群|群聊|我们)"
    r"|newcomers?|new members?|new here|new to the|getting started|start here|onboarding"
    r"|first (?:day|week|steps?)|when you join|after (?:you )?join|how to join",
    re.IGNORECASE,
)
# Outside a newcomer section, an item is a step only when it tells the newcomer what to do
# ("进群后请把群昵称改成…", "Newcomers should set…"), not what the operators do about them
# ("Every newcomer should be greeted…", "给新人发群规").
_NEWCOMER_DOES = re.compile(
    # a rule may open with its name: "群名片：进群后48小时内把群名片改成…"
    r"^(?:[^：:]{1,8}[：:]\s*)?(?:新人|新成员|新朋友|新同学|新群友|新会员)?(?:进群|入群|加入|入会)"
    r"(?:后|以后|之后|时|当天)"
    r"|^新(?:人|成员|朋友|同学|群友|会员)(?:请|需要|要|须|必须|务必|先)"
    r"|^(?:new(?:comers?| members?)\s+(?:should|must|need to|are asked to|can)\s+(?!be\b))"
    r"|^(?:after|when|once) (?:you )?join"
    # the group card every member renames on joining: "群名片统一改成“组别-昵称”"
    r"|^(?:[^：:]{1,8}[：:]\s*)?(?:请)?(?:大家)?(?:把)?(?:群名片|群昵称|群备注)(?:统一|一律)?(?:改成|改为)",
    re.IGNORECASE,
)
# A fee table's row ("下半年入会 | 100元") names no newcomer's role, whatever its first cell says.
_FEE = re.compile(r"\d\s*(?:元|块|RMB|HKD|港币|港幣)|[¥￥$£€]\s*\d", re.IGNORECASE)
# A step the operators take about newcomers ("迎新官私聊新人", "Greet every newcomer"), from
# an operators' playbook: not something to tell the newcomer, unless it speaks to them (你/you).
_STAFF_ACTS = re.compile(
    r"^(?:[^：:]{1,8}[：:]\s*)?(?:迎新官|管理员|群主|志愿者|值班|运营|版主|安排|\bmod(?:erator)?s?\b|\badmins?\b"
    r"|\bstaff\b|\bwe\b|\bour team\b)"
    r"|[给向对帮带@＠]\s*新(?:人|成员|群友)|(?:私聊|提醒|邀请|欢迎|通知)\s*(?:新人|新成员|他|她)|新人包|轮值|排班"
    r"|\b(?:greet|welcome|invite|remind|send|message|dm)\w*\s+(?:the\s+|every\s+|each\s+|all\s+)?"
    r"(?:newcomers?|new members?|them)\b",
    re.IGNORECASE,
)
_TO_YOU = re.compile(r"你|您|\byou\b|\byour\b", re.IGNORECASE)
_SECTION_MARKS = {"chapter", "cn-dun"}  # 第一章, 一、: headings of the guide's sections
_ZH_HEADING = re.compile(r"^\s*[一二三四五六七八九十]{1,3}\s*[、.．]\s*\S")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s+\S")
_TABLE_ROW = re.compile(r"^\s*\|?[^|\n]+\|[^|\n]+")
_ASK = re.compile(
    r"问题|提问|咨询|求助|疑问|售后|\bask\b|\bquestions?\b|\bhelp\b|\bsupport\b|\bbugs?\b", re.I
)
_ASKING = re.compile(r"(?<![问])问(?![题])|提问|咨询|求助|\bask\b", re.IGNORECASE)
_WHERE = re.compile(
    r"(?<![\w-])#[\w-]{2,}|[@＠]\S{1,20}|私聊|私信|找(?!不)|联系|客服|管理员|群主|助教|顾问|\bDM\b"
    r"|\bchannel\b|\bticket\b",
    re.IGNORECASE,
)
# A day-one routine: daily check-ins and the like (a monthly rule is not one).
_ROUTINE = re.compile(
    r"签到|打卡|每天一次|每日|\bdaily\b|\bcheck-?ins?\b|\bevery (?:day|morning|evening)",
    re.IGNORECASE,
)
_TRIAL = re.compile(
    r"免费体验|体验\S{0,3}次|试听|试课|试玩|\bas a guest\b|\bguest (?:rides?|pass(?:es)?|visits?)\b"
    r"|\bfree (?:trial|first)\b|\btrial (?:session|class|ride|visit)s?\b",
    re.IGNORECASE,
)
_FIRST_EVENT = re.compile(
    r"\bbest first\b|\b(?:your|a|the) first (?:ride|run|visit|session|event|meetup)\b"
    r"|\bfirst-timers?\b|\borientation\b|新人(?:专场|场|局|夜)|新手(?:组|专场|局|场)|入门(?:课|介绍)",
    re.IGNORECASE,
)
# Where the group meets and when someone answers: what a newcomer asks on day one.
_MEETING_POINT = re.compile(
    r"集合(?:点|地点|地方)|碰头(?:点|地点)|\bmeeting point\b|\bwe meet (?:at|in|outside|by)\b",
    re.IGNORECASE,
)
_ANSWER_HOURS = re.compile(
    r"(?:答疑|客服|在线|服务|值班)时间|\b(?:office|support|staffed) hours\b", re.IGNORECASE
)
_ADDRESSED = re.compile(r"^\s*[@＠]\S")
# "Refund after the first event is not possible" is about money, not where to start
_REFUND = re.compile(r"退款|退费|取消|\brefunds?\b|\bcancel", re.IGNORECASE)
_ANSWER_HEAD = re.compile(
    r"^\s*(?:A|答)\s*[:：]\s*(?:(?:yes|no|yep|nope|是的|不是|不用|可以|不能)[.,!。，！]\s*)?", re.I
)
_DONT = re.compile(r"^(?:禁止|不要|不能|严禁|请勿|不得|no |don'?t |never |do not )", re.IGNORECASE)
_MD = re.compile(r"\*\*|__|`|\|\|")
MAX_STEPS = 4  # steps gathered from here and there
MAX_GUIDE_STEPS = 6  # a guide's own list of steps: its last step is often "introduce yourself"
MAX_CHANNELS = 5
# A lead that announces steps: "How to join:", "入会步骤", "Getting started", "进群三件事"
_STEPS_LEAD = re.compile(
    r"步骤|流程|怎么|如何|第一步|须知|入群|进群|入会|加入|报名|注册|上手|三件事"
    r"|\bhow to\b|\bsteps?\b|\bjoin|getting started|start here|\bfirst\b|sign[ -]?up"
    r"|regist|onboard",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^(?:整理|作者|编辑|来源|发布|更新|author|updated|posted)\s*[:：]", re.I)
_CHANNEL_ITEM = re.compile(r"^(#[\w-]{2,})\b")
FIRST_VISIT_QUERY = {
    "zh": "第一次来 新手 免费体验 试听 新人专场 入门",
    "en": "best first ride first visit beginners orientation trial guest",
}
NEWCOMER_QUERY = {
    "zh": "新人入群 第一步 进群后 新成员须知",
    "en": "newcomers getting started new members first steps start here",
}


@dataclass(frozen=True)
class Line:
    text: str
    chunk: int  # index into the chunks given
    position: int  # reading order across the documents
    scope: bool  # under a heading about newcomers
    item: bool  # a list item (or a table row)
    lead: str = ""  # the nearest heading above it, or a line ending in a colon ("How to join:")


def document_lines(chunks: Sequence[RetrievedChunk]) -> list[Line]:
    """The playbook chunks' lines in document order, each knowing whether a heading about
    newcomers is above it (the title, the chunk's section, or an in-text heading)."""
    order = sorted(
        (i for i, c in enumerate(chunks) if c.kind != "chat"),
        key=lambda i: (chunks[i].source, chunks[i].position),
    )
    out: list[Line] = []
    heading_of: dict[str, bool] = {}  # per source: the last in-text heading's verdict
    for ci in order:
        chunk = chunks[ci]
        parts = [p.strip() for p in chunk.heading.split(">") if p.strip()]
        title_scope = bool(
            NEWCOMER.search(to_simplified(" ".join(parts[:1]) + " " + chunk.source.rsplit("/")[-1]))
        )
        section_scope = bool(parts[1:] and NEWCOMER.search(to_simplified(" ".join(parts[1:]))))
        inline = heading_of.get(chunk.source, False) if chunk.position else False
        lead = parts[-1] if parts else ""
        for raw in chunk.text.splitlines():
            line = raw.strip()
            if not line:
                continue
            if _ZH_HEADING.match(line) or _MD_HEADING.match(line):
                inline = bool(NEWCOMER.search(to_simplified(line)))
                heading_of[chunk.source] = inline
                lead = line
                continue
            item = bool(_list_item(line) or _TABLE_ROW.match(line))
            scope = title_scope or section_scope or inline
            out.append(Line(line, ci, len(out), scope, item, lead))
            if not item and line.endswith((":", "：")) and len(line) <= 40:
                lead = line
    return out


# A list's lead saying it is where to ask: "Who to ask", "Getting help", "有问题找谁", "联系方式"
_ASK_LEAD = re.compile(
    r"\bwho to (?:ask|contact)\b|\bwhere to ask\b|\bgetting help\b|\bcontacts?\b"
    r"|找谁|问谁|联系(?:谁|方式|人)|求助",
    re.IGNORECASE,
)
MIN_STEPS = 3  # fewer newcomer steps than this: a "who to ask" list joins whole
ASK_LIST_LINES = 3


def welcome_lines(
    chunks: Sequence[RetrievedChunk], profile: CommunityProfile, language: str
) -> list[tuple[str, int, int]]:
    """(text, chunk index, position) of the newcomer steps, then where to ask and the routine."""
    lang = T.template_language(language)
    # A list of section names (an outline) is not a list of steps.
    sections = {fold_chinese(p.strip()) for c in chunks for p in c.heading.split(">") if p.strip()}
    lines = [
        ln
        for ln in document_lines(chunks)
        if fits_welcome(ln.text, lang, profile) and not _ADDRESSED.match(_text(ln.text))
    ]  # "@新人-小林 欢迎～…" was said to one member, not to every newcomer
    steps: list[Line] = []
    for ln in lines:
        text = _text(ln.text)
        if not ln.item:
            steps.extend(_told_sentences(ln, steps))
            continue
        if _DONT.match(to_simplified(text)) or _said(text, steps, sections):
            continue
        if _operators(text) or len(text) < (10 if lang == "zh" else 20):
            continue  # the operators' own step, or a fragment (a template's field name)
        if _is_row(ln.text):
            first_cell = ln.text.strip().strip("|").split("|")[0]
            if NEWCOMER.search(to_simplified(first_cell)) and not _FEE.search(ln.text):
                steps.append(ln)  # the newcomers' row of a roles table
        elif ln.scope or _NEWCOMER_DOES.search(to_simplified(text)):
            steps.append(ln)
    chosen = _guide_steps(steps, chunks, lang) or _ranked_steps(steps)
    # with no steps, the list of channels still tells a newcomer where things are
    extras: list[Line] = _channel_guide(lines, chosen)
    text_so_far = to_simplified(" ".join(c.text for c in [*chosen, *extras]))
    asks = [a for ln in lines if ln not in chosen and (a := _ask_sentence(ln))]
    # "乜都可以问", "ask in #help" says where to ask; "付款问题" only names a topic
    ask = max(asks, key=lambda a: bool(_ASKING.search(to_simplified(a.text))), default=None)
    if ask is not None and not (_ASK.search(text_so_far) and _WHERE.search(text_so_far)):
        extras.append(ask)
        # under "Who to ask" / "有问题找谁", the list's other lines say where the rest goes
        if ask.item and len(chosen) < MIN_STEPS and _ASK_LEAD.search(to_simplified(ask.lead)):
            extras += [
                ln
                for ln in lines
                if ln.item
                and ln.chunk == ask.chunk
                and ln.lead == ask.lead
                and ln not in chosen
                and all(ln.position != e.position for e in extras)
                and not _DONT.match(to_simplified(_text(ln.text)))
                and not _operators(_text(ln.text))
            ][: ASK_LIST_LINES - 1]
    # what a newcomer can try before deciding, the first event meant for them, where the group
    # meets and when someone answers
    for pattern in (_TRIAL, _FIRST_EVENT, _MEETING_POINT, _ANSWER_HOURS):
        said = to_simplified(" ".join(c.text for c in [*chosen, *extras]))
        found = next(
            (
                f
                for ln in lines
                if (f := _sentence_with(ln, pattern))
                and not _DONT.match(f.text)
                and not _REFUND.search(to_simplified(f.text))
            ),
            None,
        )
        if found is not None and not pattern.search(said):
            extras.append(found)
    routines = [
        ln
        for ln in lines
        if ln.item
        and _ROUTINE.search(to_simplified(ln.text))
        and ln not in chosen
        and not _operators(_text(ln.text))
    ]
    # a list item says it better than a table row ("签到 | +2"), and the steps' own page
    # better than an article about one round of it ("21天打卡挑战第三期开营啦")
    guide = {chunks[ln.chunk].source for ln in chosen}
    routine = min(
        routines,
        key=lambda ln: (_is_row(ln.text), chunks[ln.chunk].source not in guide),
        default=None,
    )
    if routine is not None and chosen and not _ROUTINE.search(text_so_far):
        extras.append(routine)
    if not chosen and not extras:
        return []  # without steps, where to ask and where the group meets still help
    # the steps in the guide's order, then where to ask and the routine
    picked = sorted(chosen, key=lambda ln: ln.position) + sorted(extras, key=lambda ln: ln.position)
    return [(_text(ln.text), ln.chunk, ln.position) for ln in picked]


def _guide_steps(steps: list[Line], chunks: Sequence[RetrievedChunk], lang: str) -> list[Line]:
    """The steps of a newcomer guide: of the list blocks under a newcomer heading, the one that
    reads most like steps (a lead such as "How to join:" / "入会步骤", numbered, speaking to the
    newcomer), when they are real steps (not an introduction template's field names)."""
    blocks: list[list[Line]] = []
    for ln in steps:
        if not (ln.scope and ln.item):
            continue
        last = blocks[-1][-1] if blocks else None
        number = item_number(ln.text)
        last_number = item_number(last.text) if last is not None else None
        if (
            last is not None
            and chunks[last.chunk].source == chunks[ln.chunk].source
            # one list: numbered on from the last item (across a chunk's edge), or under the
            # same lead and not starting again at 1
            and (
                (number is not None and last_number is not None and number == last_number + 1)
                or (last.lead == ln.lead and number != 1)
            )
        ):
            blocks[-1].append(ln)
        else:
            blocks.append([ln])
    blocks = [b for b in blocks if len(b) >= 2]
    if not blocks:
        return []
    best = max(blocks, key=_steps_score)  # the first of equals: reading order
    mean = sum(len(_text(ln.text)) for ln in best) / len(best)
    if mean < (20 if lang == "zh" else 40):
        return []
    return best[:MAX_GUIDE_STEPS]


def _steps_score(block: list[Line]) -> float:
    lead = to_simplified(block[0].lead)
    ordered = all((list_marker(ln.text) or ("bullet", ""))[0] != "bullet" for ln in block)
    speaks = sum(
        bool(_TO_YOU.search(ln.text) or _NEWCOMER_DOES.search(to_simplified(_text(ln.text))))
        for ln in block
    ) / len(block)
    return 2 * bool(_STEPS_LEAD.search(lead)) + ordered + speaks + min(len(block), 5) / 5


def _told_sentences(ln: Line, steps: Sequence[Line]) -> list[Line]:
    """The sentences of a paragraph that tell a newcomer what to do ("进群后请把群昵称改成…")."""
    out = []
    for sentence in split_sentences(ln.text):
        text = sentence.strip()
        told = 10 <= len(text) <= 160 and _NEWCOMER_DOES.search(to_simplified(text))
        if told and not _operators(text) and not any(text in s.text for s in steps):
            out.append(replace(ln, text=text, item=True, scope=False))
    return out


def _channel_guide(lines: Sequence[Line], chosen: Sequence[Line]) -> list[Line]:
    """The community's list of channels ("#general：公告…", "- #help for questions"), when it
    has one and the steps do not already name them: where things are, on day one."""
    said = " ".join(ln.text for ln in chosen)
    guide = [
        ln
        for ln in lines
        if ln.item and (c := _CHANNEL_ITEM.match(_text(ln.text))) and c.group(1) not in said
    ]
    return guide[:MAX_CHANNELS] if len(guide) >= 2 else []


def _ranked_steps(steps: list[Line]) -> list[Line]:
    """A step that speaks to the newcomer ("新成员请…", "Newcomers should…") before one that is
    only under a newcomer heading; then the better-retrieved passage; in reading order."""
    ranked = sorted(
        steps,
        key=lambda ln: (
            not _NEWCOMER_DOES.search(to_simplified(_text(ln.text))),
            ln.chunk,
            ln.position,
        ),
    )
    return sorted(ranked[:MAX_STEPS], key=lambda ln: ln.position)


def _operators(text: str) -> bool:
    """What the operators do about newcomers, not what to tell a newcomer."""
    return bool(_STAFF_ACTS.search(to_simplified(text))) and not _TO_YOU.search(text)


def _sentence_with(ln: Line, pattern: re.Pattern[str]) -> Line | None:
    """The line's first sentence matching `pattern`, as a line of its own (a table row, a
    price list, is no such sentence; an FAQ answer loses its "A: No.")."""
    if _is_row(ln.text) or ln.text.count(";") >= 2:
        return None
    text = _ANSWER_HEAD.sub("", _text(ln.text))
    for sentence in split_sentences(text):
        if pattern.search(to_simplified(sentence)) and not _operators(sentence):
            return replace(ln, text=sentence.strip())
    return None


def _ask_sentence(ln: Line) -> Line | None:
    """The line's sentence saying where to ask (a channel, a person), as a line of its own."""
    for sentence in split_sentences(_text(ln.text)):
        if _BYLINE.match(sentence.strip()):
            continue  # "整理：客服组 最近更新：…": who wrote the page, not where to ask
        if (
            _ASK.search(to_simplified(sentence))
            and _WHERE.search(to_simplified(sentence))
            and not _operators(sentence)
        ):
            return replace(ln, text=sentence.strip())
    return None


def _said(text: str, steps: Sequence[Line], sections: set[str]) -> bool:
    """The line names a section, or says what a chosen step already says."""
    folded = fold_chinese(text)
    head = re.split(r"[:：]", folded, maxsplit=1)[0]
    if folded in sections or head in sections:
        return True
    return any(folded in fold_chinese(_text(s.text)) for s in steps)


def _is_row(line: str) -> bool:
    """A table row; a list item quoting "First name | language pairs" is none."""
    return bool(_TABLE_ROW.match(line)) and _list_item(line) is None


def _list_item(line: str) -> str | None:
    """The text of a numbered or bulleted line (a section number is a heading, not an item)."""
    marked = list_marker(line.strip())
    return marked[1] if marked and marked[0] not in _SECTION_MARKS else None


def _text(line: str) -> str:
    """A list item or table row as a sentence: no list mark, no Markdown, cells joined."""
    if _is_row(line):
        cells = [c.strip() for c in line.strip().strip("|").split("|") if c.strip()]
        line = f"{cells[0]}: " + "; ".join(cells[1:]) if len(cells) > 1 else cells[0]
    line = line.lstrip("> ")
    marked = _list_item(line)
    text = _MD.sub("", marked or line).strip()
    return text.rstrip("；;，,")


# "欢迎新邻居入群（怎么改昵称、怎么下单、去哪儿提货）": what the operator wants covered
_ASIDE = re.compile(r"[（(]([^（()）]{2,160})[）)]")
_LIST_MARKS = re.compile(r"[、，,;；/]|以及|和|及")
_AND = re.compile(r"\band\b", re.IGNORECASE)
_AND_ASKS = re.compile(r"\band\s+(?=(?:how|where|what|when|why|which|who)\b)", re.IGNORECASE)
_ASKS = re.compile(r"(?:and\s+)?(?:how|where|what|when|why|which|who)\b", re.IGNORECASE)
_LEADING_AND = re.compile(r"^and\b\s*", re.IGNORECASE)


def topic_parts(topic: str) -> list[str]:
    """The things a welcome's topic names in brackets, when it names two or more."""
    aside = _ASIDE.search(topic)
    if aside is None:
        return []
    inner = aside.group(1)
    # "how pausing and cancelling work, where to ask…": with commas, an English "and" is inside
    # a part (or joins the last one: ", and how to find us"); "订位、店休和群规" ends on 和
    pieces = _LIST_MARKS.split(inner) if _LIST_MARKS.search(inner) else _AND.split(inner)
    if _LIST_MARKS.search(inner):  # "rules, check-ins and parking", "…, how to book and how to…"
        last = pieces[-1].strip()
        pieces[-1:] = _AND_ASKS.split(last) if _ASKS.match(last) else _AND.split(last)
    parts = [q for p in pieces if len(q := _LEADING_AND.sub("", p.strip()).strip()) >= 2]
    return parts if len(parts) >= 2 else []


def part_section(part: str, chunks: Sequence[RetrievedChunk]) -> RetrievedChunk | None:
    """The chunk whose own section a topic's part names: "how to find us" → "## Finding us",
    "the English class" → "## Classes in English", "暗房預約" → "### 暗房預約須知"."""
    folded = fold_chinese(part)
    wanted = {english_stem(t) for t in tokenize(part)}
    for chunk in chunks:
        leaf = chunk.heading.rsplit(" > ", 1)[-1].strip()
        if chunk.kind == "chat" or not leaf:
            continue
        if has_han(folded):
            if folded in fold_chinese(leaf):
                return chunk
        elif wanted and wanted <= {english_stem(t) for t in tokenize(leaf)}:
            return chunk
    return None


def with_inflections(part: str) -> str:
    """The part and its English words' -ing and -s forms: guides title their sections
    "Finding us", "Booking classes", "Paying", which "how to find us" never matches."""
    words = [english_stem(t) for t in tokenize(part) if t.isascii() and t.isalpha()]
    forms = [
        form
        for w in words
        for form in (f"{w[:-1] if w.endswith('e') else w}ing", f"{w}s")
        if not w.endswith(("ing", "s"))
    ]
    return " ".join([part, *forms])


_HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def fits_welcome(line: str, lang: str, profile: CommunityProfile) -> bool:
    """Could this line be a step of the welcome: short, in its language, not a banned word?"""
    text = _text(line)
    # (by width: an English step of 165 letters says what a Chinese one says in 90)
    if not len(text) >= 4 or text_width(text) > 160:
        return False
    if looks_like_injection(text) or banned_words_in(text, profile):
        return False
    if set(text) <= set("-|: "):  # a Markdown table's rule line
        return False
    same = T.template_language(detect_language(text)) == lang
    # an English guide's line naming a Chinese place or mini program ("…search for 松间约课"):
    # English once the names are out, with more English words than Chinese characters
    han = sum(len(run) for run in _HAN_RUN.findall(text))
    same = same or (
        lang == "en"
        and 0 < han <= len(re.findall(r"[A-Za-z]+", text))
        and detect_language(_HAN_RUN.sub(" ", text)) == "en"
    )
    return same and fold_chinese(to_simplified(text)) != fold_chinese(profile.name)
