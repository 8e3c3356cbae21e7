"""API keys and settings: community admins manage their own community; the bootstrap admin
token (COPILOT_ADMIN_TOKEN) manages any community, so a deployment can hand out the first key."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from copilot.api.deps import (
    AdminCommunity,
    KeyManagerDep,
    KeysDep,
    SettingsDep,
    run_sync,
)
from copilot.api.errors import ApiError, error_responses
from copilot.api.schemas import AdminKeyIn, KeyCreatedOut, KeyIn, KeyOut, PublicSettingsOut
from copilot.keys import Principal

router = APIRouter(tags=["keys"])
ERRORS = error_responses(401, 403, 404, 422, 429)


@router.get("/v1/communities/{community}/keys", response_model=list[KeyOut], responses=ERRORS)
async def list_keys(request: Request, community: AdminCommunity, keys: KeysDep) -> list[KeyOut]:
    """Active keys of the community (ids and roles, never secrets)."""
    return [KeyOut(**k.model_dump()) for k in await run_sync(request, keys.list, community)]


@router.post(
    "/v1/communities/{community}/keys",
    status_code=201,
    response_model=KeyCreatedOut,
    responses=ERRORS,
)
async def create_key(
    request: Request, body: KeyIn, community: AdminCommunity, keys: KeysDep
) -> KeyCreatedOut:
    """A new key for the community; the secret is in the response and nowhere else."""
    info, secret = await run_sync(request, keys.create, community, body.role, body.name)
    return KeyCreatedOut(**info.model_dump(), key=secret)


@router.delete("/v1/communities/{community}/keys/{key_id}", status_code=204, responses=ERRORS)
async def revoke_key(
    request: Request, key_id: str, community: AdminCommunity, keys: KeysDep
) -> Response:
    """Revoke a key of the community at once."""
    if not await run_sync(request, keys.revoke, key_id, community=community):
        raise ApiError(404, f"no key '{key_id}' in this community")
    return Response(status_code=204)


@router.get(
    "/v1/communities/{community}/settings", response_model=PublicSettingsOut, responses=ERRORS
)
async def community_settings(community: AdminCommunity, settings: SettingsDep) -> PublicSettingsOut:
    """The effective configuration that serves this community (secrets left out)."""
    return PublicSettingsOut(
        mode="offline" if settings.offline else "llm",
        llm_model=settings.llm_model,
        embedder=settings.embedder,
        top_k=settings.top_k,
        handoff_threshold=settings.handoff_threshold,
        max_question_chars=settings.max_question_chars,
        max_file_mb=settings.max_file_mb,
        api_rate_per_minute=settings.api_rate_per_minute,
        api_max_batch=settings.api_max_batch,
    )


async def admin_token_only(principal: KeyManagerDep) -> Principal:
    if principal.community is not None:
        raise ApiError(
            403,
            "this endpoint needs the deployment's admin token "
            "(COPILOT_ADMIN_TOKEN); community admins use "
            "/v1/communities/{id}/keys",
        )
    return principal


AdminToken = Annotated[Principal, Depends(admin_token_only)]


@router.post("/v1/admin/keys", status_code=201, response_model=KeyCreatedOut, responses=ERRORS)
async def admin_create_key(
    request: Request, body: AdminKeyIn, _: AdminToken, keys: KeysDep
) -> KeyCreatedOut:
    """Create a key for any community (bootstrap a new community's first admin key)."""
    info, secret = await run_sync(request, keys.create, body.community, body.role, body.name)
    return KeyCreatedOut(**info.model_dump(), key=secret)


@router.get("/v1/admin/keys", response_model=list[KeyOut], responses=ERRORS)
async def admin_list_keys(
    request: Request,
    _: AdminToken,
    keys: KeysDep,
    community: Annotated[str | None, Query(max_length=64)] = None,
) -> list[KeyOut]:
    """Active keys of every community, or of one."""
    return [KeyOut(**k.model_dump()) for k in await run_sync(request, keys.list, community)]


@router.delete("/v1/admin/keys/{key_id}", status_code=204, responses=ERRORS)
async def admin_revoke_key(request: Request, key_id: str, _: AdminToken, keys: KeysDep) -> Response:
    if not await run_sync(request, keys.revoke, key_id):
        raise ApiError(404, f"no key '{key_id}'")
    return Response(status_code=204)
