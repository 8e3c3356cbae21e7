""" "The LLM, else the offline engine": one wrapper for every skill (like pydantic-ai's
FallbackModel, with the deterministic engine as the last model).

With no LLM configured the offline engine *is* the product's mode; when the LLM fails (down,
timed out, or a reply that is not the JSON asked for) it is the fallback. Either way the
result's provenance says which happened and under which prompt version.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from copilot.llm import ChatLLM, LlmError, LlmReply
from copilot.prompts import Prompt, load_prompt
from copilot.skills.llm_json import InvalidReplyError
from copilot.skills.results import Provenance

T = TypeVar("T")
FALLBACK_ERRORS = (LlmError, InvalidReplyError)


def llm_else_offline(
    llm: ChatLLM | None,
    prompt: str,
    online: Callable[[ChatLLM, Prompt], T],
    offline: Callable[[Provenance], T],
) -> T:
    """`online(llm, template)` with the prompt `prompt` (a `name` or `name@version`), or
    `offline(provenance)` when there is no LLM or it raised one of FALLBACK_ERRORS."""
    if llm is None:
        return offline(Provenance())
    template = load_prompt(prompt)  # an unknown prompt is the caller's mistake: it raises
    try:
        return online(llm, template)
    except FALLBACK_ERRORS:
        return offline(Provenance(mode="offline-fallback", prompt=template.ref))


def llm_provenance(template: Prompt, reply: LlmReply) -> Provenance:
    """What produced an LLM-written output."""
    return Provenance(mode="llm", prompt=template.ref, model=reply.model, usage=reply.usage)
