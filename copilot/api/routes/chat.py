"""OpenAI-compatible chat: any OpenAI client or chat UI can talk to the copilot.

The API key selects the community; `model` selects the skill (`copilot-ask`, ...). A model may
also name the community, `copilot-ask:COMMUNITY`, which must be the key's own. Citations travel
in the message text (a "Sources" list) and in the extra top-level fields `citations`,
`copilot` (mode, confidence, handoff, answer_id) and `answer_id` (rate the answer with
`POST /v1/communities/{id}/feedback`). With `stream: true` the finished answer is sent as
OpenAI chunks over server-sent events, ending with `data: [DONE]`.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from sse_starlette.sse import EventSourceResponse

from copilot.api.chat_skills import CHAT_SKILLS, ChatSkill, SkillOutput
from copilot.api.deps import MetricsDep, PrincipalDep, SkillsDep, run_sync
from copilot.api.errors import ApiError, community_not_found, error_responses
from copilot.keys import Role
from copilot.tokens import count_tokens

router = APIRouter(prefix="/v1", tags=["openai-compatible"])
ERRORS = error_responses(401, 403, 404, 413, 422, 429)
OWNER = "community-copilot"


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="ignore")

    type: str = Field(max_length=32)
    text: str | None = None


class ChatMessageIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[ContentPart] | None = None

    @property
    def text(self) -> str:
        if isinstance(self.content, list):
            return "\n".join(p.text for p in self.content if p.type == "text" and p.text)
        return self.content or ""


class ChatCompletionIn(BaseModel):
    """OpenAI's request body; unknown OpenAI parameters (temperature, ...) are accepted and
    ignored. Extra fields for skills, sent with the client's `extra_body`: `kind`, `channel`,
    `since`, `until`."""

    model_config = ConfigDict(extra="ignore")

    model: str = Field(max_length=128, examples=["copilot-ask"])
    messages: list[ChatMessageIn] = Field(min_length=1, max_length=200)
    stream: bool = False
    kind: str | None = Field(default=None, max_length=64, description="Draft kind.")
    channel: str | None = Field(default=None, max_length=256)
    since: str | None = Field(default=None, max_length=64)
    until: str | None = Field(default=None, max_length=64)

    @property
    def user_text(self) -> str:
        users = [m for m in self.messages if m.role == "user"]
        return users[-1].text if users else ""


class ModelOut(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str = OWNER


class ModelListOut(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelOut]


@router.get("/models", response_model=ModelListOut, responses=ERRORS)
async def list_models(principal: PrincipalDep) -> ModelListOut:
    """The skills this key may use, as OpenAI models."""
    return ModelListOut(
        data=[
            ModelOut(id=s.model, created=0)
            for s in CHAT_SKILLS.values()
            if principal.role.allows(s.role)
        ]
    )


def _resolve(model: str, community: str | None, role: Role) -> ChatSkill:
    name, _, named_community = model.partition(":")
    skill = CHAT_SKILLS.get(name)
    if skill is None:
        raise ApiError(
            404,
            f"unknown model '{model}'; use one of: {', '.join(CHAT_SKILLS)}",
            code="model_not_found",
        )
    if named_community and named_community != community:
        raise community_not_found()
    if not role.allows(skill.role):
        raise ApiError(
            403,
            f"the model '{name}' needs the {skill.role} role or higher; your "
            f"key has the {role} role",
        )
    return skill


@router.post(
    "/chat/completions",
    responses={
        **ERRORS,
        200: {
            "description": "A chat.completion, or chat.completion.chunk events when "
            "`stream` is true.",
            "content": {"application/json": {}, "text/event-stream": {}},
        },
    },
)
async def chat_completions(
    request: Request,
    body: ChatCompletionIn,
    principal: PrincipalDep,
    copilot: SkillsDep,
    metrics: MetricsDep,
) -> Any:
    """Run a skill for the key's community, answering in OpenAI's chat completion format."""
    skill = _resolve(body.model, principal.community, principal.role)
    community = principal.community or ""
    output: SkillOutput = await run_sync(request, skill.run, copilot, community, body)
    metrics.observe_result(skill.name, output.result)
    completion_id = "chatcmpl-" + uuid.uuid4().hex[:24]
    created = int(time.time())
    model = body.model
    extras: dict[str, Any] = {
        "citations": [c.model_dump() for c in output.citations],
        "copilot": output.meta,
    }
    if "answer_id" in output.meta:  # rate it with POST /v1/communities/{id}/feedback
        extras["answer_id"] = output.meta["answer_id"]
    usage = _usage(output, body.user_text)
    if not body.stream:
        return {
            "id": completion_id,
            "object": "chat.completion",
            "created": created,
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "stop",
                    "message": {"role": "assistant", "content": output.text},
                }
            ],
            "usage": usage,
            **extras,
        }

    def chunk(delta: dict[str, Any], finish: str | None = None, **more: Any) -> dict[str, str]:
        return {
            "data": json.dumps(
                {
                    "id": completion_id,
                    "object": "chat.completion.chunk",
                    "created": created,
                    "model": model,
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
                    **more,
                },
                ensure_ascii=False,
            )
        }

    async def events() -> AsyncIterator[dict[str, str]]:
        yield chunk({"role": "assistant", "content": ""})
        for piece in split_for_stream(output.text):
            yield chunk({"content": piece})
        yield chunk({}, "stop", usage=usage, **extras)
        yield {"data": "[DONE]"}

    return EventSourceResponse(events(), ping=15)


_PIECES = re.compile(r"\S{1,16}\s*|\s+")


def split_for_stream(text: str) -> list[str]:
    """Word-sized pieces (at most 16 characters for unspaced Chinese) that join back exactly."""
    return _PIECES.findall(text)


def _usage(output: SkillOutput, prompt_text: str) -> dict[str, int]:
    """The LLM's token counts when it ran; the offline engine's, counted, otherwise."""
    usage = getattr(output.result, "usage", None) or {}
    prompt = int(usage.get("prompt_tokens") or count_tokens(prompt_text))
    completion = int(usage.get("completion_tokens") or count_tokens(output.text))
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }
