"""'The LLM, else the offline engine': provenance says which ran, under which prompt."""

from __future__ import annotations

import pytest

from copilot.llm import ChatLLM
from copilot.llm.fake import FakeLLM
from copilot.prompts import Prompt, PromptNotFoundError
from copilot.skills.fallback import llm_else_offline, llm_provenance
from copilot.skills.llm_json import parse_reply
from copilot.skills.results import Provenance, Topic


def online(llm: ChatLLM, template: Prompt) -> tuple[str, Provenance]:
    reply = llm.complete(template.render(messages="[1] 09:00 ann: hi", language="English"))
    topic = parse_reply(reply.text, Topic)
    return topic.title, llm_provenance(template, reply)


def offline(provenance: Provenance) -> tuple[str, Provenance]:
    return "offline title", provenance


def test_no_llm_runs_the_offline_engine_as_the_product_mode() -> None:
    title, provenance = llm_else_offline(None, "summarize", online, offline)
    assert title == "offline title" and provenance == Provenance()


def test_a_working_llm_is_used_and_recorded() -> None:
    llm = FakeLLM(['{"title": "Check-ins", "keywords": [], "message_ids": []}'], name="fake-1")
    title, provenance = llm_else_offline(llm, "summarize@v1", online, offline)
    assert title == "Check-ins"
    assert (provenance.mode, provenance.prompt, provenance.model) == (
        "llm",
        "summarize@v1",
        "fake-1",
    )
    assert "09:00 ann: hi" in llm.calls[0][-1].content


@pytest.mark.parametrize("reply", [TimeoutError("read timed out"), "not JSON at all"])
def test_a_failing_or_garbled_llm_falls_back_and_says_so(reply: object) -> None:
    llm = FakeLLM([reply])  # type: ignore[list-item]
    title, provenance = llm_else_offline(llm, "summarize", online, offline)
    assert title == "offline title"
    assert provenance.mode == "offline-fallback" and provenance.prompt == "summarize@v1"


def test_an_unknown_prompt_is_an_error_not_a_silent_fallback() -> None:
    with pytest.raises(PromptNotFoundError, match="has no version 'v9'"):
        llm_else_offline(FakeLLM(["{}"]), "summarize@v9", online, offline)
