"""Answer a member's question from the community's knowledge, with citations, or hand off."""

from __future__ import annotations

from dataclasses import dataclass

from copilot.config import Settings
from copilot.llm import ChatLLM
from copilot.prompts import Prompt
from copilot.retrieval.hybrid import Retrieval
from copilot.retrieval.retriever import Retriever
from copilot.skills.answer.offline import compose_answer, cross_language_note, figures_line
from copilot.skills.fallback import llm_else_offline, llm_provenance
from copilot.skills.grounding import (
    citation,
    cite_quotes,
    numbered_passages,
    pack,
    resolve_markers,
)
from copilot.skills.language import language_name
from copilot.skills.results import AnswerResult, Citation, Provenance, ReplyDraft, RetrievedRef
from copilot.text import detect_language

HANDOFF = {
    "zh": "这个问题我在社群资料里没找到可靠的答案，已经请管理员跟进，稍后会有人回复你。",
    "en": "I couldn't find a reliable answer to this in the community's knowledge, so I've "
    "asked a moderator to follow up with you.",
}


@dataclass(frozen=True)
class AnswerPorts:
    """What the answer skill needs from the outside world."""

    settings: Settings
    retriever: Retriever
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
    language = _answer_language(question)
    retrieval = ports.retriever.search(community, question, top_k=top_k)
    refs = [
        RetrievedRef(chunk_id=c.chunk_id, source=c.source, score=round(c.score, 6))
        for c in retrieval.chunks
    ]

    def result(answer: str, citations: list[Citation], provenance: Provenance) -> AnswerResult:
        llm_wrote = provenance.mode == "llm"
        return AnswerResult(
            answer=answer,
            citations=citations,
            handoff=not citations,
            confidence=retrieval.grounded_confidence if llm_wrote else retrieval.confidence,
            language=language,
            retrieved=refs,
            **provenance.model_dump(),
        )

    # Quoting one passage needs the right one; an LLM reads them all, so for it the passages
    # need only hold the answer somewhere. Either way the decision comes before any token.
    if not (retrieval.grounded if ports.llm else retrieval.supported):
        return result(HANDOFF[language], [], Provenance(prompt=prompt or ""))

    def offline(provenance: Provenance) -> AnswerResult:
        if not retrieval.supported:  # the LLM failed on passages too weak to quote from
            return result(HANDOFF[language], [], provenance)
        return result(*_offline(retrieval, language), provenance)

    def online(llm: ChatLLM, template: Prompt) -> AnswerResult:
        passages = pack(retrieval.chunks, ports.settings.context_token_budget)
        messages = template.render(
            question=question,
            language=language_name(language, script="mirror"),
            context=numbered_passages(passages),
        )
        reply = llm.complete(messages)
        provenance = llm_provenance(template, reply)
        text, cited = resolve_markers(reply.text.strip(), len(passages))
        if not cited or text.strip().upper().startswith("HANDOFF"):
            return result(HANDOFF[language], [], provenance)
        return result(
            text, [citation(passages[i - 1], passages[i - 1].text) for i in cited], provenance
        )

    return llm_else_offline(ports.llm, prompt or "answer", online, offline)


def suggest_reply(retriever: Retriever, community: str, question: str) -> ReplyDraft | None:
    """The extractive answer the handoff gate held back, as a draft for the operator who takes
    the question over: what the knowledge says closest to it, cited, with the gate's confidence.
    Offline and deterministic whatever LLM is configured (it costs one retrieval); None when
    no passage holds anything to quote."""
    language = _answer_language(question)
    retrieval = retriever.search(community, question)
    quotes = [(q.text, q.chunk) for q in compose_answer(retrieval, language)]
    if not quotes:
        return None
    text, citations = _cited(retrieval, language, quotes)
    glue = "" if language == "zh" else " "
    return ReplyDraft(
        text=text,
        editable=glue.join(q for q, _ in quotes),
        citations=citations,
        confidence=retrieval.confidence,
    )


def _answer_language(question: str) -> str:
    """The language the answer is written in: the question's, if we write it, else English."""
    detected = detect_language(question)
    return detected if detected in HANDOFF else "en"


def _offline(retrieval: Retrieval, language: str) -> tuple[str, list[Citation]]:
    """The extractive answer and its citations; no citations means hand off."""
    quotes = [(q.text, q.chunk) for q in compose_answer(retrieval, language)]
    if not quotes:
        return HANDOFF[language], []
    return _cited(retrieval, language, quotes)


def _cited(
    retrieval: Retrieval, language: str, quotes: list[tuple[str, int]]
) -> tuple[str, list[Citation]]:
    """The quotes with their citation markers (and a note when the sources are in another
    language), and the citations."""
    order, citations = cite_quotes(retrieval.chunks, quotes)
    glue = "" if language == "zh" else " "
    body = glue.join(f"{text}[{order.index(ci) + 1}]" for text, ci in quotes)
    note = cross_language_note(language, [retrieval.chunks[ci] for ci in order])
    if note:  # the quote is in the other language: its figures in the asker's
        body += figures_line(language, " ".join(text for text, _ in quotes))
    return note + body, citations
