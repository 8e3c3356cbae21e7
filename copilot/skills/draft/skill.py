"""Draft a post for a community (announcement, welcome, promotion, digest, tip, rules reminder).

Facts come only from the community's retrieved knowledge and chat history and are cited;
every draft is checked against its channel's rules and the community profile. With an LLM,
the versioned prompt gets the passages quoted and delimited and must answer in JSON; any
failure (model down, invalid JSON) falls back to the offline engine.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from pydantic import BaseModel, Field

from copilot.config import Settings
from copilot.embeddings import Embedder
from copilot.errors import InputError
from copilot.llm import ChatLLM
from copilot.models import ChatMessage
from copilot.profile import CommunityProfile
from copilot.prompts import Prompt
from copilot.retrieval.hybrid import Retrieval, RetrievedChunk
from copilot.retrieval.retriever import Retriever
from copilot.skills.draft import templates as T
from copilot.skills.draft.carry_over import carry_over
from copilot.skills.draft.channels import (
    CHANNELS,
    ChannelRule,
    banned_words_in,
    check_draft,
    get_channel,
)
from copilot.skills.draft.digest import digest_items, digest_window
from copilot.skills.draft.newcomers import (
    FIRST_VISIT_QUERY,
    NEWCOMER_QUERY,
    fits_welcome,
    part_section,
    topic_parts,
    welcome_lines,
    with_inflections,
)
from copilot.skills.draft.notices import (
    Notice,
    best_notice,
    calendar_days,
    chat_notices,
    event_lines,
    playbook_notices,
    section_notices,
)
from copilot.skills.draft.offline import (
    FACTS_PER_KIND,
    Fact,
    Post,
    fit,
    select_facts,
)
from copilot.skills.draft.slots import extract_details
from copilot.skills.draft.subject import post_subject, stated_language
from copilot.skills.fallback import llm_else_offline, llm_provenance
from copilot.skills.grounding import (
    citation,
    cite_quotes,
    marker_numbers,
    numbered_passages,
    pack,
    strip_markers,
)
from copilot.skills.language import LANGUAGE_NAMES
from copilot.skills.llm_json import parse_reply
from copilot.skills.results import DraftFact, DraftResult, Provenance
from copilot.text import detect_language, fold_chinese, split_sentences, text_width

LANGUAGES = tuple(LANGUAGE_NAMES)
EVENT_KINDS = ("announcement", "activity_promotion", "reminder")
UNCITED = -1  # a line shown without a citation (an open question: no passage holds it)
MAX_VARIANTS = 5
GROUNDED_SIMILARITY = 0.35
MAX_TOPIC_CHARS = 300
_TONE_WORDS = {
    "formal": ("正式", "严谨", "专业", "formal", "professional"),
    "playful": ("活泼", "俏皮", "幽默", "playful", "fun", "humor", "humour"),
    "concise": ("简洁", "简短", "干脆", "concise", "brief", "short"),
}


@dataclass(frozen=True)
class DraftPorts:
    settings: Settings
    retriever: Retriever
    embedder: Embedder
    llm: ChatLLM | None


@dataclass(frozen=True)
class DraftRequest:
    kind: str
    topic: str
    rule: ChannelRule
    tone: str
    language: str
    variants: int
    asked: str = ""  # the topic as the operator typed it: the LLM reads its instructions too


class _LlmDraft(BaseModel):
    text: str = Field(min_length=1)
    citations: list[int] = Field(default_factory=list)
    variants: list[str] = Field(default_factory=list)


def make_request(
    profile: CommunityProfile,
    *,
    kind: str,
    topic: str,
    channel: str,
    tone: str | None = None,
    language: str | None = None,
    variants: int = 1,
) -> DraftRequest:
    """Validate the operator's options; every mistake gets a message that lists the choices."""
    normalized = T.normalize_kind(kind, topic or "")
    if normalized is None:
        raise InputError(f"unknown draft kind {kind!r}; choose one of: {', '.join(T.KINDS)}")
    rule = get_channel(channel)
    if rule is None:
        raise InputError(f"unknown channel {channel!r}; choose one of: {', '.join(CHANNELS)}")
    topic = (topic or "").strip()
    if not topic:
        raise InputError(
            "the topic is empty: say what the post is about, e.g. --topic '周三分享会'"
        )
    if len(topic) > MAX_TOPIC_CHARS:
        raise InputError(
            f"the topic is {len(topic)} characters long; the limit is {MAX_TOPIC_CHARS}"
        )
    if tone is not None and tone not in T.TONES:
        raise InputError(f"unknown tone {tone!r}; choose one of: {', '.join(T.TONES)}")
    stated = stated_language(topic)
    if stated == "zh" and profile.language.startswith("zh"):
        stated = profile.language  # "in Chinese" in a Taiwanese club: its traditional script
    language = language or stated or profile.language
    if language not in LANGUAGES:
        raise InputError(
            f"unsupported language {language!r}; choose one of: {', '.join(LANGUAGES)}"
        )
    if not 1 <= variants <= MAX_VARIANTS:
        raise InputError(f"variants must be between 1 and {MAX_VARIANTS}, not {variants}")
    tone = tone or tone_of(profile.voice)
    return DraftRequest(normalized, post_subject(topic), rule, tone, language, variants, topic)


def tone_of(voice: str) -> str:
    folded = voice.lower()
    return next(
        (t for t, words in _TONE_WORDS.items() if any(w in folded for w in words)), "friendly"
    )


def write_draft(
    ports: DraftPorts,
    community: str,
    profile: CommunityProfile,
    request: DraftRequest,
    *,
    messages: Sequence[ChatMessage] = (),
    prompt: str | None = None,
) -> DraftResult:
    lang = T.template_language(request.language)
    query = f"{request.topic} {T.KIND_HINTS[lang][request.kind]}"
    digest = request.kind == "weekly_digest"
    retrieval = ports.retriever.search(community, query, top_k=6, kind="chat" if digest else None)
    if digest and not retrieval.chunks:  # no chat imported yet: digest the playbooks
        retrieval = ports.retriever.search(community, query, top_k=6)
    event = (
        find_event(ports, community, profile, request.topic, retrieval, messages, lang)
        if request.kind in EVENT_KINDS
        else week_digest(ports, community, profile, request, messages)
        if digest and messages
        else []
    )

    def offline(provenance: Provenance) -> DraftResult:
        if event:
            return _event_post(ports, profile, request, event, provenance)
        if request.kind == "welcome" and (welcome := _welcome(ports, community, profile, request)):
            return welcome(provenance)
        return _offline(ports, profile, request, retrieval, provenance)

    def online(llm: ChatLLM, template: Prompt) -> DraftResult:
        # An event's own notice is all the model sees: no passage about another event.
        chunks = _event_passages(event) if event else retrieval.chunks
        passages = pack(chunks, ports.settings.context_token_budget)
        messages = template.render(
            kind=request.kind.replace("_", " "),
            topic=request.asked or request.topic,
            tone=request.tone,
            language=LANGUAGE_NAMES[request.language],
            variants=str(request.variants),
            channel=request.rule.label,
            channel_rules=f"{request.rule.guidance} Maximum {request.rule.max_chars} characters.",
            profile=profile.model_dump_json(
                include={
                    "name",
                    "type",
                    "voice",
                    "banned_words",
                    "required_hashtags",
                    "call_to_action",
                }
            ),
            context=numbered_passages(passages),
        )
        reply = llm.complete(messages, json_mode=True)
        parsed = parse_reply(reply.text, _LlmDraft)
        return _from_llm(parsed, passages, profile, request, llm_provenance(template, reply))

    return llm_else_offline(ports.llm, prompt or "draft", online, offline)


EventLine = tuple[str, RetrievedChunk | None]
_DETAIL_QUERY = "费用 价格 地点 时间 报名 截止 fee price venue time sign-up deadline"


def find_event(
    ports: DraftPorts,
    community: str,
    profile: CommunityProfile,
    topic: str,
    retrieval: Retrieval,
    messages: Sequence[ChatMessage],
    language: str = "",
) -> list[EventLine]:
    """The lines of the community's own notice of the event the topic names (chat or
    playbook), each with the passage that cites it; empty when no notice names the event.
    `language` ("en" / "zh", default the topic's) is the post's: a notice written in the other
    one has its detail lines carried over (`carry_over`), the rest of it left out."""
    language = language or ("en" if detect_language(topic) == "en" else "zh")
    # The playbooks are searched on their own too: a busy chat can fill the top passages.
    playbooks = ports.retriever.search(community, topic, top_k=6, kind="playbook").chunks
    seen = {c.chunk_id for c in retrieval.chunks}
    chunks = [*retrieval.chunks, *(c for c in playbooks if c.chunk_id not in seen)]
    notices = chat_notices(messages, profile.admins) + playbook_notices(chunks)
    best = best_notice(topic, notices, ports.embedder, profile.name)
    if best is None:
        return []
    out: list[EventLine] = []
    cited: dict[int, RetrievedChunk | None] = {}
    sections: list[Notice] = []
    if best.kind == "playbook":  # the guide's other sections: its fee, place, sign-up rules
        query = f"{topic} {best.heading} {_DETAIL_QUERY}"
        more = ports.retriever.search(community, query, top_k=10, kind="playbook").chunks
        sections = section_notices(best, [*chunks, *(c for c in more if c.chunk_id not in seen)])
    foreign = _other_language("\n".join(best.lines), language)
    for line, notice in event_lines(best, notices, topic, profile.name, sections):
        if foreign:  # a Chinese notice, an English post: what it says in figures and names
            line = carry_over(line, language) or ("" if _other_language(line, language) else line)
        elif _other_language(line, language):
            continue  # an English note in a Chinese notice
        if not line or banned_words_in(line, profile):
            continue  # the knowledge may say what the post must not
        if id(notice) not in cited:
            cited[id(notice)] = _passage_of(ports, community, notice)
        chunk = cited[id(notice)]
        if chunk is not None:
            out.append((line, chunk))
    return out


def week_digest(
    ports: DraftPorts,
    community: str,
    profile: CommunityProfile,
    request: DraftRequest,
    messages: Sequence[ChatMessage],
) -> list[EventLine]:
    """The week's digest lines (news, decisions, answered, open), each citing its chat passage."""
    since, until = digest_window(request.topic, messages, profile.timezone)
    lang = T.template_language(request.language)
    out: list[EventLine] = []
    for item in digest_items(messages, profile, since, until, request.language):
        if banned_words_in(item.text, profile):
            continue
        quoted = [line for m in item.messages for line in m.text.splitlines()]
        # An open question is in no passage (unanswered questions are not indexed): it is
        # shown without a citation rather than pinned to a passage that does not hold it.
        chunk = _passage_of_lines(ports, community, quoted)
        out.append((T.DIGEST_LABELS[lang][item.section] + item.text, chunk))
    return out


def _other_language(text: str, language: str) -> bool:
    """Is `text` in another language than the post's ("en" / "zh")?"""
    return (detect_language(text) == "en") != (language == "en")


def _passage_of(ports: DraftPorts, community: str, notice: Notice) -> RetrievedChunk | None:
    """The indexed passage that holds a notice (a chat notice: the chat chunk quoting it)."""
    if notice.chunk is not None:
        return notice.chunk
    return _passage_of_lines(ports, community, list(notice.lines))


def _passage_of_lines(ports: DraftPorts, community: str, lines: list[str]) -> RetrievedChunk | None:
    """The chat chunk quoting these lines (None when none does: no citation is invented)."""
    keys = [fold_chinese(line)[:24] for line in lines if len(line) >= 4]
    query = " ".join(lines)[:400]
    if not keys or not query.strip():
        return None
    found = ports.retriever.search(community, query, top_k=5, kind="chat").chunks
    scored = [(sum(k in fold_chinese(c.text) for k in keys), i) for i, c in enumerate(found)]
    hits, index = max(scored, default=(0, -1))
    return found[index] if hits else None


def _event_passages(event: list[EventLine]) -> list[RetrievedChunk]:
    """One passage per cited chunk holding only the event's lines taken from it."""
    texts: dict[str, list[str]] = {}
    chunks: dict[str, RetrievedChunk] = {}
    for line, chunk in event:
        if chunk is None:
            continue
        texts.setdefault(chunk.chunk_id, []).append(line)
        chunks[chunk.chunk_id] = chunk
    return [replace(chunks[k], text="\n".join(v)) for k, v in texts.items()]


def _event_post(
    ports: DraftPorts,
    profile: CommunityProfile,
    request: DraftRequest,
    event: list[EventLine],
    provenance: Provenance,
) -> DraftResult:
    """An announcement, promotion, reminder or digest built from the community's own lines."""
    passages = _event_passages(event)
    index = {c.chunk_id: i for i, c in enumerate(passages)}
    facts = [
        Fact(line, index[chunk.chunk_id] if chunk else UNCITED, i)
        for i, (line, chunk) in enumerate(event)
    ]
    text_of_event = "\n".join(line for line, _ in event)
    # A recurring event's notice has no calendar day: the topic's day goes on its own line.
    lines = [line for line, _ in event]
    # A sign-up deadline's day ("11月25日截止") is not the event's: the topic's day must be there.
    days, topic_days = calendar_days(text_of_event), calendar_days(request.topic)
    dated = bool(days & topic_days if topic_days else days) or request.kind == "weekly_digest"
    when = "" if dated else extract_details([request.topic, *lines])[0]
    post = Post(
        kind=request.kind,
        language=request.language,
        tone=request.tone,
        topic=request.topic,
        profile=profile,
        rule=request.rule,
        facts=facts,
        when=when,
        notice=True,
    )
    return _result(post, request, profile, passages, provenance, [])


def _from_llm(
    parsed: _LlmDraft,
    passages: list[RetrievedChunk],
    profile: CommunityProfile,
    request: DraftRequest,
    provenance: Provenance,
) -> DraftResult:
    text = strip_markers(parsed.text)
    # Each passage once, in order of first mention: listed, then marked in the text.
    mentioned = dict.fromkeys([*parsed.citations, *marker_numbers(parsed.text)])
    cited = [n for n in mentioned if 1 <= n <= len(passages)]
    variants = [text] + [strip_markers(v) for v in parsed.variants if v.strip()]
    warnings = (
        []
        if len(variants) >= request.variants
        else [f"the model wrote {len(variants)} of {request.variants} variants"]
    )
    return DraftResult(
        text=text,
        variants=variants[: request.variants],
        citations=[citation(passages[n - 1], passages[n - 1].text) for n in cited],
        checks=check_draft(text, request.rule.id, profile, request.language),
        kind=request.kind,
        channel=request.rule.id,
        language=request.language,
        warnings=warnings,
        **provenance.model_dump(),
    )


def _welcome(
    ports: DraftPorts, community: str, profile: CommunityProfile, request: DraftRequest
) -> Callable[[Provenance], DraftResult] | None:
    """A welcome built from the community's own newcomer steps (None when its playbooks
    have none: the general fact selection writes it then)."""
    lang = T.template_language(request.language)
    query = f"{request.topic} {T.KIND_HINTS[lang]['welcome']} {NEWCOMER_QUERY[lang]}"
    chunks = ports.retriever.search(community, query, top_k=20, kind="playbook").chunks
    # the trial and the first event for newcomers are often on another page (a calendar)
    seen = {c.chunk_id for c in chunks}
    visit = ports.retriever.search(community, FIRST_VISIT_QUERY[lang], top_k=6, kind="playbook")
    chunks = [*chunks, *(c for c in visit.chunks if c.chunk_id not in seen)]
    lines = welcome_lines(chunks, profile, request.language)
    lines += _named_parts(ports, community, profile, request, chunks, lines)
    if not lines:
        return None
    # what the topic named was asked for: a post too long for the channel loses other steps first
    facts = [Fact(text, ci, pos, asked=pos >= NAMED_PART_POSITION) for text, ci, pos in lines]
    post = Post(
        kind="welcome",
        language=request.language,
        tone=request.tone,
        topic=request.topic,
        profile=profile,
        rule=request.rule,
        facts=facts,
    )
    return lambda provenance: _result(post, request, profile, chunks, provenance, [])


def _named_parts(
    ports: DraftPorts,
    community: str,
    profile: CommunityProfile,
    request: DraftRequest,
    chunks: list[RetrievedChunk],
    lines: list[tuple[str, int, int]],
) -> list[tuple[str, int, int]]:
    """For each thing the topic names ("（订位、店休和群规）"), the playbook line that answers
    it best, when the newcomer steps do not hold it already: the operator asked for it. The
    line's chunk joins `chunks` (its citation)."""
    lang = T.template_language(request.language)
    said = [fold_chinese(text) for text, _, _ in lines]
    extra: list[tuple[str, int, int]] = []
    for n, part in enumerate(topic_parts(request.topic)):
        asked = ports.retriever.search(community, with_inflections(part), top_k=5, kind="playbook")
        section = part_section(part, [*asked.chunks, *chunks])
        steps = [_leading_sentences(u.text) for u in section.units] if section else []
        steps = [t for t in steps if fits_welcome(t, lang, profile)]
        if section is not None and steps:  # the section it names: its first step
            chunk, text = section, steps[0]
        else:
            best = asked.evidence.best if asked.evidence else None
            if best is None or best.features.get("overlap", 0.0) <= 0.0:
                continue  # nothing shares a word with it: better left out than guessed
            chunk = asked.chunks[best.chunk]
            text = _leading_sentences(chunk.units[best.unit].text)
        folded = fold_chinese(text)
        if not fits_welcome(text, lang, profile) or any(folded in s or s in folded for s in said):
            continue
        ids = [c.chunk_id for c in chunks]
        if chunk.chunk_id not in ids:
            chunks.append(chunk)
            ids.append(chunk.chunk_id)
        said.append(folded)
        extra.append((text, ids.index(chunk.chunk_id), NAMED_PART_POSITION + n))
    return extra


NAMED_PART_POSITION = 1_000_000  # after the guide's own steps, in the topic's order
NAMED_PART_WIDTH = 80  # a step of a welcome, not the whole FAQ answer


def _leading_sentences(text: str) -> str:
    """The first sentences of `text` within NAMED_PART_WIDTH (at least the first)."""
    out = ""
    for sentence in split_sentences(text):
        if out and text_width(out + sentence) > NAMED_PART_WIDTH:
            break
        out = f"{out} {sentence}" if out and sentence[:1].isascii() else out + sentence
    out = out.strip()
    return out[:-1] + ("。" if out.endswith("；") else ".") if out.endswith(("；", ";")) else out


def _offline(
    ports: DraftPorts,
    profile: CommunityProfile,
    request: DraftRequest,
    retrieval: Retrieval,
    provenance: Provenance,
) -> DraftResult:
    warnings: list[str] = []
    # A topic usually carries news the knowledge lacks (a book title, a park), so a close
    # passage is enough to ground a draft even when the answer-style confidence is low.
    best = max((c.similarity for c in retrieval.chunks[:3]), default=0.0)
    grounded = retrieval.chunks and (
        request.kind == "weekly_digest" or retrieval.supported or best >= GROUNDED_SIMILARITY
    )
    facts: list[Fact] = []
    if grounded:
        limit = FACTS_PER_KIND[request.kind] if request.rule.id != "moments" else 2
        facts = select_facts(
            request.topic,
            retrieval.chunks,
            ports.embedder,
            request.language,
            request.kind,
            profile,
            limit,
        )
    if not facts:
        warnings.append(
            "no matching facts in the community's knowledge: the draft only "
            "restates the topic; add the details before posting"
        )
    when, where = extract_details([request.topic, *(f.text for f in facts)])
    post = Post(
        kind=request.kind,
        language=request.language,
        tone=request.tone,
        topic=request.topic,
        profile=profile,
        rule=request.rule,
        facts=facts,
        when=when,
        where=where,
    )
    return _result(post, request, profile, retrieval.chunks, provenance, warnings)


def _result(
    post: Post,
    request: DraftRequest,
    profile: CommunityProfile,
    chunks: Sequence[RetrievedChunk],
    provenance: Provenance,
    warnings: list[str],
) -> DraftResult:
    rendered = [fit(post, i) for i in range(request.variants)]
    text, shown, used = rendered[0]
    cited = [(f.text, f.chunk) for f in used.facts if f.chunk != UNCITED]
    order, citations = cite_quotes(chunks, cited)
    draft_facts = [
        DraftFact(text=t, citation=order.index(f.chunk) + 1)
        for f, t in zip(used.facts, shown, strict=True)
        if f.chunk != UNCITED
    ]
    return DraftResult(
        text=text,
        variants=[r[0] for r in rendered],
        citations=citations,
        facts=draft_facts,
        checks=check_draft(text, request.rule.id, profile, request.language),
        kind=request.kind,
        channel=request.rule.id,
        language=request.language,
        warnings=warnings,
        **provenance.model_dump(),
    )
