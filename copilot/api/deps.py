"""Dependencies as typed aliases: the facade, settings, the connector worker, the caller, and
community access by role."""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import anyio.to_thread
from fastapi import Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from connectors.worker import ConnectorWorker
from copilot.api.connector_worker import connector_worker
from copilot.api.errors import ApiError, community_not_found
from copilot.api.metrics import ApiMetrics
from copilot.config import Settings
from copilot.keys import KeyStore, Principal, Role
from copilot.service import Copilot

T = TypeVar("T")
ADMIN_TOKEN_ID = "admin-token"

bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer cc_...`.")


def get_copilot(request: Request) -> Copilot:
    return request.app.state.copilot


def get_skills(request: Request) -> Copilot:
    """What runs the registered skills: the facade, or reader processes with the same skill
    methods (``copilot.api.readers.ReaderPool``)."""
    return request.app.state.skills


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_metrics(request: Request) -> ApiMetrics:
    return request.app.state.metrics


def get_keys(request: Request) -> KeyStore:
    return request.app.state.keys


def get_worker(request: Request) -> ConnectorWorker:
    """The connector worker (webhooks, review queue); tests override it."""
    return connector_worker(request.app)


CopilotDep = Annotated[Copilot, Depends(get_copilot)]
SkillsDep = Annotated[Copilot, Depends(get_skills)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
MetricsDep = Annotated[ApiMetrics, Depends(get_metrics)]
KeysDep = Annotated[KeyStore, Depends(get_keys)]
WorkerDep = Annotated[ConnectorWorker, Depends(get_worker)]
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


async def run_sync(request: Request, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run blocking facade work in a worker thread, a few at a time (the work is CPU-bound)."""
    limiter = getattr(request.app.state, "capacity", None)  # set by the app's lifespan
    return await anyio.to_thread.run_sync(lambda: fn(*args, **kwargs), limiter=limiter)


def _unauthorized(message: str) -> ApiError:
    return ApiError(401, message, headers={"WWW-Authenticate": "Bearer"})


def _is_admin_token(settings: Settings, secret: str) -> bool:
    token = settings.admin_token.get_secret_value() if settings.admin_token else ""
    return bool(token) and hmac.compare_digest(token.encode(), secret.encode())


def _rate_limit(request: Request, key_id: str) -> None:
    wait = request.app.state.limiter.acquire(key_id)
    if wait:
        raise ApiError(
            429,
            f"too many requests for this key; try again in {wait} s",
            headers={"Retry-After": str(wait)},
        )


async def _principal(
    request: Request, credentials: HTTPAuthorizationCredentials | None, *, allow_admin_token: bool
) -> Principal:
    if credentials is None or not credentials.credentials:
        raise _unauthorized("missing API key: send the header 'Authorization: Bearer YOUR_KEY'")
    secret = credentials.credentials
    settings: Settings = request.app.state.settings
    if _is_admin_token(settings, secret):
        if not allow_admin_token:
            raise ApiError(
                403,
                "the admin token only manages API keys; create a key for "
                "the community and use that",
            )
        principal = Principal(community=None, role=Role.admin, key_id=ADMIN_TOKEN_ID)
    else:
        info = await run_sync(request, request.app.state.keys.authenticate, secret)
        if info is None:
            raise _unauthorized("invalid or revoked API key")
        principal = Principal(community=info.community, role=info.role, key_id=info.id)
    request.state.key_id = principal.key_id
    _rate_limit(request, principal.key_id)
    return principal


async def current_principal(request: Request, credentials: Credentials) -> Principal:
    """The caller, from an API key. 401 without a valid key, 429 over the key's rate."""
    return await _principal(request, credentials, allow_admin_token=False)


async def key_manager(request: Request, credentials: Credentials) -> Principal:
    """An admin key, or the deployment's bootstrap admin token (COPILOT_ADMIN_TOKEN)."""
    principal = await _principal(request, credentials, allow_admin_token=True)
    if principal.role is not Role.admin:
        raise ApiError(403, f"managing keys needs the admin role; this key is {principal.role}")
    return principal


PrincipalDep = Annotated[Principal, Depends(current_principal)]
KeyManagerDep = Annotated[Principal, Depends(key_manager)]
CommunityPath = Annotated[str, Path(description="Community id (the one your key belongs to).")]


def community_access(minimum: Role) -> Callable[..., Awaitable[str]]:
    """The path's community, if the key belongs to it (else 404) and has the role (else 403)."""

    async def check(community: CommunityPath, principal: PrincipalDep) -> str:
        if principal.community != community:
            raise community_not_found()
        if not principal.role.allows(minimum):
            raise ApiError(
                403,
                f"this needs the {minimum} role or higher; your key has the {principal.role} role",
            )
        return community

    return check


async def managed_community(community: CommunityPath, principal: KeyManagerDep) -> str:
    if principal.community is not None and principal.community != community:
        raise community_not_found()
    return community


MemberCommunity = Annotated[str, Depends(community_access(Role.member))]
OperatorCommunity = Annotated[str, Depends(community_access(Role.operator))]
AdminCommunity = Annotated[str, Depends(managed_community)]
