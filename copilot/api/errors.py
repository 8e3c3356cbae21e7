"""One error shape for every failure: `{"error": {"code": ..., "message": ...}}`.

Messages are written for the person reading them; internal details stay in the logs.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from copilot.embeddings import EmbedderMismatchError
from copilot.errors import InputError, NotFoundError
from copilot.knowledge.errors import FileTooLargeError, UnsupportedFormatError

log = logging.getLogger("copilot.api")

CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 406: "not_acceptable", 409: "conflict", 413: "too_large",
    415: "unsupported_media_type", 422: "invalid_input", 429: "rate_limited",
    500: "internal", 503: "unavailable",
}  # fmt: skip


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorOut(BaseModel):
    """What every 4xx/5xx response carries."""

    error: ErrorBody


class ApiError(Exception):
    """Raise from routes and dependencies; becomes the JSON error response."""

    def __init__(
        self,
        status: int,
        message: str,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or CODES.get(status, "error")
        self.message = message
        self.headers = headers


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries documenting our error body for these status codes."""
    return {code: {"model": ErrorOut} for code in codes}


def community_not_found() -> ApiError:
    """The same answer for another community and a missing one, so existence never leaks."""
    return ApiError(404, "community not found")


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": code, "message": message}}, status_code=status, headers=headers
    )


def input_error_status(exc: InputError) -> int:
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, FileTooLargeError):
        return 413
    if isinstance(exc, UnsupportedFormatError):
        return 415
    return 422


def describe_validation(errors: list[dict[str, Any]]) -> tuple[int, str, str]:
    """Status, code and a readable message for pydantic/FastAPI validation errors."""
    if any(e.get("type") == "json_invalid" for e in errors):
        detail = next(e for e in errors if e.get("type") == "json_invalid")
        reason = (detail.get("ctx") or {}).get("error", "syntax error")
        return 400, "invalid_json", f"the request body is not valid JSON ({reason})"
    parts = []
    for e in errors[:5]:
        loc = [str(x) for x in e.get("loc", ()) if x not in ("body", "query", "path", "header")]
        where = ".".join(loc) or "request body"
        # Our validators' ValueErrors are written for people: drop pydantic's "Value error, ".
        message = str(e.get("msg", "invalid value")).removeprefix("Value error, ")
        parts.append(f"{where}: {message}")
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    return 422, "invalid_input", "; ".join(parts) + more


_DEFAULT_MESSAGES = {
    404: "no such endpoint",
    405: "this endpoint does not accept that method",
    401: "missing or invalid API key",
    403: "not allowed",
}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        status, code, message = describe_validation(list(exc.errors()))
        return error_response(status, code, message)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else ""
        if exc.status_code in _DEFAULT_MESSAGES and detail in (
            "",
            "Not Found",
            "Method Not Allowed",
        ):
            detail = _DEFAULT_MESSAGES[exc.status_code]
            if exc.status_code in (404, 405):
                detail += f": {request.method} {request.url.path}"
        return error_response(
            exc.status_code,
            CODES.get(exc.status_code, "error"),
            detail or "request failed",
            dict(exc.headers or {}),
        )

    @app.exception_handler(InputError)
    async def bad_input(_: Request, exc: InputError) -> JSONResponse:
        status = input_error_status(exc)
        return error_response(status, CODES[status], str(exc))

    @app.exception_handler(EmbedderMismatchError)
    async def embedder_mismatch(_: Request, exc: EmbedderMismatchError) -> JSONResponse:
        return error_response(409, "conflict", str(exc))
