"""The skills of one community, one route per registered skill (``copilot.skills.registry``):
``POST /v1/communities/{id}/<path>`` runs ``Copilot.<name>`` with the body's fields; and stats.

No ``from __future__ import annotations`` here: each route's body and response types are set
per skill when the route is made, and FastAPI reads them from the signature.
"""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from copilot.analytics.report import HealthReport
from copilot.api.deps import (
    CopilotDep,
    MetricsDep,
    OperatorCommunity,
    SkillsDep,
    community_access,
    run_sync,
)
from copilot.api.errors import error_responses
from copilot.api.streaming import SSE_RESPONSE, stream_work, wants_stream
from copilot.keys import Role
from copilot.models import Moment
from copilot.skills.registry import SkillSpec, skills

router = APIRouter(prefix="/v1/communities", tags=["skills"])
ERRORS = error_responses(401, 403, 404, 409, 413, 422, 429)
STREAMABLE = {
    **ERRORS,
    200: {
        "content": SSE_RESPONSE,
        "description": (
            "The result; with `Accept: text/event-stream`, `started`, then `result` or "
            "`error` events."
        ),
    },
}


def _route(spec: SkillSpec) -> Callable[..., Any]:
    Body = spec.request  # a variable type: FastAPI reads it from the signature below
    Community = Annotated[str, Depends(community_access(Role(spec.role)))]

    async def run_skill(
        request: Request,
        body: Body,  # type: ignore[valid-type]
        community: Community,
        copilot: SkillsDep,
        metrics: MetricsDep,
    ) -> Any:
        method = getattr(copilot, spec.name)

        def work() -> BaseModel:
            result = method(community, **BaseModel.model_dump(body))
            if isinstance(result, spec.response):
                return result
            return spec.response.model_validate(result.model_dump())  # what may leave

        if spec.streamable and wants_stream(request):
            return stream_work(request, work, lambda r: metrics.observe_result(spec.name, r))
        result = await run_sync(request, work)
        metrics.observe_result(spec.name, result)
        return result

    run_skill.__name__ = spec.name
    run_skill.__doc__ = spec.summary
    return run_skill


for _spec in skills().values():
    router.add_api_route(
        f"/{{community}}/{_spec.path}",
        _route(_spec),
        methods=["POST"],
        response_model=_spec.response,
        responses=STREAMABLE if _spec.streamable else ERRORS,
    )


@router.get("/{community}/stats", response_model=HealthReport, responses=ERRORS)
async def stats(
    request: Request,
    community: OperatorCommunity,
    copilot: CopilotDep,
    since: Annotated[
        Moment | None,
        Query(
            description=(
                "Start of the period (UTC if no zone; at most 1,098 days back); "
                "default: 30 days before the last message."
            )
        ),
    ] = None,
) -> HealthReport:
    """Community health from the stored chat: activity, silent and new members, questions."""
    return await run_sync(request, copilot.stats, community, since=since)
