"""Draft a post for a community (announcement, welcome, promotion, digest, tip, rules reminder).

Facts come only from the community's retrieved knowledge and chat history and are cited;
every draft is checked against its channel's rules and the community profile. With an LLM,
the versioned prompt gets the passages quoted and delimited and must answer in JSON; any
failure (model down, invalid JSON) falls back to the offline engine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel, Field

from copilot.config import Settings
from copilot.embeddings import Embedder
from copilot.errors import InputError
from copilot.llm import ChatLLM, LlmError
from copilot.profile import CommunityProfile
from copilot.prompts import load_prompt
from copilot.retrieval.hybrid import HybridRetriever, Retrieval, RetrievedChunk
from copilot.skills import draft_templates as T
from copilot.skills.channels import CHANNELS, ChannelRule, check_draft, get_channel
from copilot.skills.draft_offline import (
    FACTS_PER_KIND,
    Fact,
    Post,
    fit,
    select_facts,
)
from copilot.skills.draft_slots import extract_details
from copilot.skills.llm_json import InvalidReplyError, parse_reply
from copilot.skills.results import Citation, DraftFact, DraftResult, Mode
from copilot.tokens import count_tokens

LANGUAGES = ("zh", "zh-hant", "en")
LANGUAGE_NAMES = {"zh": "Simplified Chinese", "zh-hant": "Traditional Chinese", "en": "English"}
MAX_VARIANTS = 5
GROUNDED_SIMILARITY = 0.35
MAX_TOPIC_CHARS = 300
MARKER = re.compile(r"\s?\[(\d{1,2})\]")
_TONE_WORDS = {
    "formal": ("正式", "严谨", "专业", "formal", "professional"),
    "playful": ("活泼", "俏皮", "幽默", "playful", "fun", "humor", "humour"),
    "concise": ("简洁", "简短", "干脆", "concise", "brief", "short"),
}


@dataclass(frozen=True)
class DraftPorts:
    settings: Settings
    retriever: HybridRetriever
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
    normalized = T.normalize_kind(kind)
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
    language = language or profile.language
    if language not in LANGUAGES:
        raise InputError(
            f"unsupported language {language!r}; choose one of: {', '.join(LANGUAGES)}"
        )
    if not 1 <= variants <= MAX_VARIANTS:
        raise InputError(f"variants must be between 1 and {MAX_VARIANTS}, not {variants}")
    return DraftRequest(normalized, topic, rule, tone or tone_of(profile.voice), language, variants)


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
    prompt: str | None = None,
) -> DraftResult:
    lang = T.template_language(request.language)
    query = f"{request.topic} {T.KIND_HINTS[lang][request.kind]}"
    digest = request.kind == "weekly_digest"
    retrieval = ports.retriever.search(community, query, top_k=6, kind="chat" if digest else None)
    if digest and not retrieval.chunks:  # no chat imported yet: digest the playbooks
        retrieval = ports.retriever.search(community, query, top_k=6)
    if ports.llm is None:
        return _offline(ports, profile, request, retrieval, mode="offline")
    template = load_prompt(prompt or "draft")
    passages = _pack(retrieval.chunks, ports.settings.context_token_budget)
    messages = template.render(
        kind=request.kind.replace("_", " "),
        topic=request.topic,
        tone=request.tone,
        language=LANGUAGE_NAMES[request.language],
        variants=str(request.variants),
        channel=request.rule.label,
        channel_rules=f"{request.rule.guidance} Maximum {request.rule.max_chars} characters.",
        profile=profile.model_dump_json(
            include={"name", "type", "voice", "banned_words", "required_hashtags", "call_to_action"}
        ),
        context="\n\n".join(f"[{i}] ({c.source})\n{c.text}" for i, c in enumerate(passages, 1)),
    )
    try:
        reply = ports.llm.complete(messages, json_mode=True)
        parsed = parse_reply(reply.text, _LlmDraft)
    except (LlmError, InvalidReplyError):
        return _offline(
            ports, profile, request, retrieval, mode="offline-fallback", prompt=template.ref
        )
    text = MARKER.sub("", parsed.text).strip()
    cited = [n for n in dict.fromkeys(parsed.citations) if 1 <= n <= len(passages)]
    cited += [
        int(n)
        for n in MARKER.findall(parsed.text)
        if 1 <= int(n) <= len(passages) and int(n) not in cited
    ]
    variants = [text] + [MARKER.sub("", v).strip() for v in parsed.variants if v.strip()]
    warnings = (
        []
        if len(variants) >= request.variants
        else [f"the model wrote {len(variants)} of {request.variants} variants"]
    )
    return DraftResult(
        text=text,
        variants=variants[: request.variants],
        citations=[_citation(passages[n - 1], passages[n - 1].text) for n in cited],
        checks=check_draft(text, request.rule.id, profile, request.language),
        kind=request.kind,
        channel=request.rule.id,
        language=request.language,
        warnings=warnings,
        mode="llm",
        prompt=template.ref,
        model=reply.model,
        usage=reply.usage,
    )


def _offline(
    ports: DraftPorts,
    profile: CommunityProfile,
    request: DraftRequest,
    retrieval: Retrieval,
    *,
    mode: Mode,
    prompt: str = "",
) -> DraftResult:
    warnings: list[str] = []
    # A topic usually carries news the knowledge lacks (a book title, a park), so a close
    # passage is enough to ground a draft even when the answer-style confidence is low.
    best = max((c.similarity for c in retrieval.chunks[:3]), default=0.0)
    grounded = retrieval.chunks and (
        request.kind == "weekly_digest"
        or retrieval.confidence >= ports.settings.handoff_threshold
        or best >= GROUNDED_SIMILARITY
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
    rendered = [fit(post, i) for i in range(request.variants)]
    text, shown, used = rendered[0]
    order: list[int] = []
    for fact in used.facts:
        if fact.chunk not in order:
            order.append(fact.chunk)
    citations = [
        _citation(retrieval.chunks[ci], " ".join(f.text for f in used.facts if f.chunk == ci))
        for ci in order
    ]
    draft_facts = [
        DraftFact(text=t, citation=order.index(f.chunk) + 1)
        for f, t in zip(used.facts, shown, strict=True)
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
        mode=mode,
        prompt=prompt,
    )


def _pack(chunks: list[RetrievedChunk], budget: int) -> list[RetrievedChunk]:
    """Best passages first, while they fit the token budget (at least one)."""
    packed: list[RetrievedChunk] = []
    used = 0
    for chunk in chunks:
        used += count_tokens(chunk.text) + 12
        if packed and used > budget:
            break
        packed.append(chunk)
    return packed


def _citation(chunk: RetrievedChunk, snippet: str) -> Citation:
    return Citation(
        source=chunk.source,
        chunk_id=chunk.chunk_id,
        score=round(chunk.score, 6),
        snippet=snippet[:300],
    )
