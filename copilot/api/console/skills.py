"""Run a registered skill for the console exactly as its HTTP route does: the request model
validates the form's fields, the facade runs in a worker thread, the response model filters
what is shown, and the metrics count it. Errors come back as the message a person reads."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from pydantic import BaseModel, ValidationError

from copilot.api.deps import run_sync
from copilot.api.errors import ApiError, describe_validation, input_error_status
from copilot.errors import InputError
from copilot.skills.registry import skills


class SkillFailed(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


async def run_skill(request: Request, community: str, name: str, fields: dict[str, Any]) -> Any:
    """The skill's response model for these fields, or SkillFailed with the API's message."""
    spec = skills()[name]
    try:
        body = spec.request.model_validate(fields)
    except ValidationError as exc:
        status, _, message = describe_validation(exc.errors())  # type: ignore[arg-type]
        raise SkillFailed(status, message) from None
    method = getattr(request.app.state.copilot, spec.name)

    def work() -> BaseModel:
        result = method(community, **BaseModel.model_dump(body))
        if isinstance(result, spec.response):
            return result
        return spec.response.model_validate(result.model_dump())

    try:
        result = await run_sync(request, work)
    except InputError as exc:
        raise SkillFailed(input_error_status(exc), str(exc)) from None
    except ApiError as exc:
        raise SkillFailed(exc.status, exc.message) from None
    request.app.state.metrics.observe_result(spec.name, result)
    return result
