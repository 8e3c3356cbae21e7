"""Answer a member's question from the community's knowledge, with citations, or hand off."""

from __future__ import annotations

import re
from dataclasses import dataclass

from copilot.config import Settings
from copilot.embeddings import Embedder
from copilot.llm import ChatLLM, LlmError
from copilot.prompts import load_prompt
from copilot.retrieval.hybrid import HybridRetriever, Retrieval, RetrievedChunk
from copilot.skills.answer_offline import cross_language_note, extract_answer
from copilot.skills.results import AnswerResult, Citation, Provenance, RetrievedRef
from copilot.text import detect_language
from copilot.tokens import count_tokens, truncate_tokens

MARKER = re.compile(r"\[(\d{1,2})\]")
LANGUAGE_NAMES = {"zh": "Chinese (the same script as the question)", "en": "English"}
HANDOFF = {
    "zh": "这个问题我在社群资料里没找到可靠的答案，已经请管理员跟进，稍后会有人回复你。",
    "en": "I couldn't find a reliable answer to this in the community's knowledge, so I've "
    "asked a moderator to follow up with you.",
}


@dataclass(frozen=True)
class AnswerPorts:
    """What the answer skill needs from the outside world."""

    settings: Settings
    retriever: HybridRetriever
    embedder: Embedder
    llm: ChatLLM | None


def answer_question(
    ports: AnswerPorts,
    community: str,
    question: str,
    *,
    prompt: str | None = None,
    top_k: int | None = None,
) -> AnswerResult:
    """Retrieve, then answer with the LLM (falling back to the offline engine) or hand off."""
    detected = detect_language(question)
    language = detected if detected in HANDOFF else "en"
    retrieval = ports.retriever.search(community, question, top_k=top_k)
    refs = [
        RetrievedRef(chunk_id=c.chunk_id, source=c.source, score=round(c.score, 6))
        for c in retrieval.chunks
    ]

    def result(answer: str, citations: list[Citation], provenance: Provenance) -> AnswerResult:
        return AnswerResult(
            answer=answer,
            citations=citations,
            handoff=not citations,
            confidence=retrieval.confidence,
            language=language,
            retrieved=refs,
            **provenance.model_dump(),
        )

    if retrieval.confidence < ports.settings.handoff_threshold or not retrieval.chunks:
        return result(HANDOFF[language], [], Provenance(prompt=prompt or ""))
    if ports.llm is None:
        return result(*_offline(ports, question, retrieval, language), Provenance())
    template = load_prompt(prompt or "answer")
    passages = _pack(retrieval.chunks, ports.settings.context_token_budget)
    messages = template.render(
        question=question,
        language=LANGUAGE_NAMES[language],
        context="\n\n".join(f"[{i}] ({c.source})\n{c.text}" for i, c in enumerate(passages, 1)),
    )
    try:
        reply = ports.llm.complete(messages)
    except LlmError:
        return result(
            *_offline(ports, question, retrieval, language),
            Provenance(mode="offline-fallback", prompt=template.ref),
        )
    provenance = Provenance(mode="llm", prompt=template.ref, model=reply.model, usage=reply.usage)
    text, cited = _resolve_markers(reply.text.strip(), len(passages))
    if not cited or text.strip().upper().startswith("HANDOFF"):
        return result(HANDOFF[language], [], provenance)
    return result(
        text, [_citation(passages[i - 1], passages[i - 1].text) for i in cited], provenance
    )


def _offline(
    ports: AnswerPorts, question: str, retrieval: Retrieval, language: str
) -> tuple[str, list[Citation]]:
    """The extractive answer and its citations; no citations means hand off."""
    picked = extract_answer(question, retrieval.chunks, ports.embedder, language)
    if not picked:
        return HANDOFF[language], []
    order: list[int] = []
    for _, ci in picked:
        if ci not in order:
            order.append(ci)
    glue = "" if language == "zh" else " "
    body = glue.join(f"{sentence}[{order.index(ci) + 1}]" for sentence, ci in picked)
    note = cross_language_note(language, [retrieval.chunks[ci] for ci in order])
    citations = [
        _citation(retrieval.chunks[ci], " ".join(s for s, c in picked if c == ci)) for ci in order
    ]
    return note + body, citations


def _pack(chunks: list[RetrievedChunk], budget: int) -> list[RetrievedChunk]:
    """Best passages first, as many as fit in the token budget (the first is trimmed to fit)."""
    packed: list[RetrievedChunk] = []
    used = 0
    for chunk in chunks:
        n = count_tokens(chunk.text) + 12
        if used + n > budget:
            if not packed:
                text = truncate_tokens(chunk.text, budget - 12)
                packed.append(RetrievedChunk(**{**chunk.__dict__, "text": text}))
            break
        packed.append(chunk)
        used += n
    return packed


def _resolve_markers(text: str, n_passages: int) -> tuple[str, list[int]]:
    """Keep [n] markers that point at a passage we sent; drop the rest (never a dead citation)."""
    cited: list[int] = []

    def keep(match: re.Match[str]) -> str:
        n = int(match.group(1))
        if 1 <= n <= n_passages:
            if n not in cited:
                cited.append(n)
            return f"[{cited.index(n) + 1}]"
        return ""

    return MARKER.sub(keep, text), cited


def _citation(chunk: RetrievedChunk, snippet: str) -> Citation:
    return Citation(
        source=chunk.source,
        chunk_id=chunk.chunk_id,
        score=round(chunk.score, 6),
        snippet=snippet[:300],
    )
