"""The outermost layer: request ids, access logs, metrics, body-size limits, last-resort 500.

A plain ASGI middleware rather than BaseHTTPMiddleware, so streamed (SSE) responses pass through
untouched and an oversized body is refused from its Content-Length before it is read. Starlette's
own body limit is not used because uploads and JSON bodies need different limits and our error
shape.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from copilot.api.logs import request_id_var
from copilot.api.metrics import ApiMetrics
from copilot.knowledge.textio import human_size

log = logging.getLogger("copilot.api")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_QUIET = {"/healthz", "/metrics"}


class RequestContextMiddleware:
    def __init__(
        self, app: ASGIApp, *, metrics: ApiMetrics, json_limit: int, upload_limit: int
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.json_limit = json_limit
        self.upload_limit = upload_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {
            k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])
        }
        incoming = headers.get("x-request-id", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        start = time.perf_counter()
        state = {"status": 500, "started": False}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                state["status"], state["started"] = message["status"], True
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        multipart = headers.get("content-type", "").startswith("multipart/")
        limit = self.upload_limit if multipart else self.json_limit
        try:
            declared = int(headers.get("content-length") or 0)
        except ValueError:
            declared = 0
        try:
            if declared > limit:
                await self._refuse(send_with_id, declared, limit, multipart)
            else:
                is_json = "json" in headers.get("content-type", "")
                await self.app(scope, _counting(receive, limit, multipart, is_json), send_with_id)
        except Exception:
            log.exception("unhandled error in %s %s", scope["method"], scope["path"])
            if not state["started"]:
                body = json.dumps(
                    {
                        "error": {
                            "code": "internal",
                            "message": (
                                f"something went wrong on our side; quote request id {request_id} "
                                "when reporting it"
                            ),
                        }
                    }
                ).encode()
                await send_with_id(
                    {
                        "type": "http.response.start",
                        "status": 500,
                        "headers": [
                            (b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                        ],
                    }
                )
                await send_with_id({"type": "http.response.body", "body": body})
        finally:
            elapsed = time.perf_counter() - start
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            self.metrics.observe_request(scope["method"], route, int(state["status"]), elapsed)
            level = logging.DEBUG if scope["path"] in _QUIET else logging.INFO
            log.log(
                level,
                "%s %s -> %s",
                scope["method"],
                route,
                state["status"],
                extra={
                    "method": scope["method"],
                    "route": route,
                    "status": state["status"],
                    "duration_ms": round(elapsed * 1000, 1),
                    "key_id": scope.get("state", {}).get("key_id", ""),
                },
            )
            request_id_var.reset(token)

    @staticmethod
    async def _refuse(send: Send, size: int, limit: int, multipart: bool) -> None:
        what = "upload" if multipart else "request body"
        body = json.dumps(
            {
                "error": {
                    "code": "too_large",
                    "message": (
                        f"the {what} is {human_size(size)}; the limit is {human_size(limit)}"
                    ),
                }
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _counting(receive: Receive, limit: int, multipart: bool, is_json: bool = False) -> Receive:
    """Stop reading a body without Content-Length (chunked) as soon as it passes the limit;
    refuse a JSON body holding a lone surrogate before any route sees it."""
    seen = 0
    body = bytearray()

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > limit:
                what = "upload" if multipart else "request body"
                raise HTTPException(413, f"the {what} is over the {human_size(limit)} limit")
            if is_json:
                body.extend(chunk)
                if not message.get("more_body"):
                    _check_json(bytes(body))
        return message

    return wrapped


MAX_JSON_DEPTH = 64  # no request of this API nests more than a few levels
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(rb"[\[\]{}]")
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _check_json(body: bytes) -> None:
    """Refuse, with a message a person can act on, what the JSON parser would only call "an
    error parsing the body" (or worse)."""
    if _too_deep(body):
        raise HTTPException(
            400,
            f"the JSON body is nested more than {MAX_JSON_DEPTH} levels deep; no request to "
            "this API needs more than a few levels: send the fields as documented at /docs",
        )
    if _lone_surrogate(body):
        raise HTTPException(
            422,
            "the JSON body contains a lone UTF-16 surrogate (such as \\ud800), "
            "which is not text; send valid Unicode",
        )


def _too_deep(body: bytes) -> bool:
    """Whether arrays and objects nest past MAX_JSON_DEPTH (Python's parser gives up near 1,000
    levels with a RecursionError). Counting brackets first keeps ordinary bodies cheap."""
    if body.count(b"[") + body.count(b"{") <= MAX_JSON_DEPTH:
        return False
    depth = 0
    for bracket in _BRACKET.findall(_JSON_STRING.sub(b"", body)):
        depth += 1 if bracket in (b"[", b"{") else -1
        if depth > MAX_JSON_DEPTH:
            return True
    return False


def _lone_surrogate(body: bytes) -> bool:
    """JSON can spell a lone surrogate only as an escape; json.loads pairs the valid ones."""
    if not _SURROGATE_ESCAPE.search(body):
        return False
    try:
        json.dumps(json.loads(body), ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    except (ValueError, RecursionError):
        return False  # not JSON at all: the route says so
    return False
