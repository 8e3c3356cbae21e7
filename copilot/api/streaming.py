"""Long work over server-sent events, for clients that send `Accept: text/event-stream`.

A summary over a long chat or a draft from a slow LLM can take a minute; proxies close idle
connections long before that. The stream opens at once, pings while the work runs, and ends
with one `result` event (the same JSON the plain response has) or one `error` event.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

from fastapi import Request
from pydantic import BaseModel
from sse_starlette.sse import EventSourceResponse

from copilot.api.deps import run_sync
from copilot.api.errors import CODES, input_error_status
from copilot.api.logs import request_id_var
from copilot.embeddings import EmbedderMismatchError
from copilot.errors import InputError

log = logging.getLogger("copilot.api")
PING_SECONDS = 5
SSE_RESPONSE = {"text/event-stream": {"schema": {"type": "string"}}}


def wants_stream(request: Request) -> bool:
    return "text/event-stream" in request.headers.get("accept", "")


def stream_work(
    request: Request,
    work: Callable[[], BaseModel],
    on_result: Callable[[BaseModel], None] = lambda _: None,
) -> EventSourceResponse:
    request_id = request_id_var.get()

    async def events() -> AsyncIterator[dict[str, str]]:
        yield {"event": "started", "data": json.dumps({"request_id": request_id})}
        try:
            result = await run_sync(request, work)
        except (InputError, EmbedderMismatchError) as exc:
            status = input_error_status(exc) if isinstance(exc, InputError) else 409
            yield _error(CODES[status], str(exc))
            return
        except Exception:
            log.exception("streamed work failed")
            yield _error(
                "internal",
                f"something went wrong on our side; quote request id "
                f"{request_id} when reporting it",
            )
            return
        on_result(result)
        yield {"event": "result", "data": result.model_dump_json()}

    return EventSourceResponse(events(), ping=PING_SECONDS)


def _error(code: str, message: str) -> dict[str, Any]:
    return {
        "event": "error",
        "data": json.dumps({"error": {"code": code, "message": message}}, ensure_ascii=False),
    }
