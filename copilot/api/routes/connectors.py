"""Platform webhooks, one route per registered connector: ``/connectors/<platform>/<hook>``.

A webhook is verified, parsed and acknowledged inside the request (platforms give 3-5 s);
the answer is produced afterwards by a background task of the connector worker.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import anyio
from fastapi import APIRouter, Request, Response, WebSocket, WebSocketDisconnect
from fastapi.responses import JSONResponse

from connectors import ConnectorError, InboundMessage, connector_classes
from copilot.api.connector_worker import connector_worker
from copilot.api.deps import WorkerDep
from copilot.api.errors import CODES, error_response


def _error(status: int, message: str) -> JSONResponse:
    return error_response(status, CODES.get(status, "error"), message)


def _webhook(platform: str) -> Callable[[Request, WorkerDep], Awaitable[Response]]:
    async def hook(request: Request, worker: WorkerDep) -> Response:
        conn = worker.connectors.get(platform)
        if conn is None:
            return _error(404, f"the {platform} connector is not configured on this server")
        body = await request.body()
        try:
            result, out = conn.handle(request.headers, body, dict(request.query_params))
        except ConnectorError as err:
            return _error(err.status, err.message)
        proof = conn.replay_key(request.headers)
        if proof and not await anyio.to_thread.run_sync(worker.first_use, platform, proof, body):
            return _error(401, f"this {platform} signature was already used for another request")
        # Recorded before the ack: once acked, the work survives a restart; a retry of the
        # same event id finds the row and is acked without a second answer.
        if isinstance(result, InboundMessage):
            accepted = await anyio.to_thread.run_sync(worker.accept, result)
            if accepted is not None:  # redacted: what is stored is what gets processed
                worker.spawn(worker.process(accepted))
        return Response(out.body, out.status_code, out.headers, out.media_type)

    hook.__name__ = f"{platform}_webhook"
    hook.__doc__ = f"{platform.capitalize()} webhook: verified, acknowledged, answered later."
    return hook


def _socket(platform: str) -> Callable[[WebSocket], Awaitable[None]]:
    async def socket(ws: WebSocket) -> None:
        worker = connector_worker(ws.app)
        conn = worker.connectors.get(platform)
        try:
            if conn is None:
                raise ConnectorError(f"the {platform} connector is not configured", 404)
            key = conn.socket_verify(ws.headers, dict(ws.query_params))
        except ConnectorError as err:  # refused before the handshake completes (HTTP 403)
            await ws.close(code=1008, reason=err.message[:120])
            return
        await ws.accept()
        conn.socket_attach(key, ws.send_text)
        try:
            while True:
                try:
                    result = conn.socket_frame(key, await ws.receive_text())
                except ConnectorError:
                    continue  # one odd frame does not end the connection
                if isinstance(result, InboundMessage):
                    accepted = await anyio.to_thread.run_sync(worker.accept, result)
                    if accepted is not None:  # redacted: what is stored is what is processed
                        worker.spawn(worker.process(accepted))
        except WebSocketDisconnect:
            pass
        finally:
            conn.socket_detach(key)

    socket.__name__ = f"{platform}_socket"
    return socket


def webhook_router() -> APIRouter:
    """The webhook routes of every registered connector that receives them."""
    router = APIRouter(tags=["connectors"])
    for platform, connector in connector_classes().items():
        if connector.socket is not None:  # a client connecting in (OneBot reverse WebSocket)
            router.add_api_websocket_route(
                f"/connectors/{platform}/{connector.socket}", _socket(platform)
            )
        if connector.webhook is None:  # connects out (socket mode, long polling): no route
            continue
        for method in connector.webhook.methods:
            router.add_api_route(
                f"/connectors/{platform}/{connector.webhook.hook}",
                _webhook(platform),
                methods=[method],
                operation_id=f"{platform}_webhook_{method.lower()}",
            )
    return router
