"""A fake OpenAI-compatible server on 127.0.0.1: real HTTP, real response shapes, scripted replies.

Each queued item is either a reply text, an HTTP status code to fail with, or ("sleep", s).
Every request body is recorded so tests can assert which prompt was sent.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeOpenAI:
    def __init__(self) -> None:
        self.queue: list[Any] = []
        self.requests: list[dict[str, Any]] = []
        self.url = ""

    def enqueue(self, *items: Any) -> None:
        self.queue.extend(items)

    def prompts(self) -> list[str]:
        """System+user text of every chat request, in order."""
        return [
            "\n".join(m["content"] for m in r["messages"]) for r in self.requests if "messages" in r
        ]


def _handler(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep test output clean
            pass

        def _send(self, status: int, payload: dict[str, Any]) -> None:
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            request = json.loads(self.rfile.read(length) or b"{}")
            fake.requests.append(request)
            item = fake.queue.pop(0) if fake.queue else 500
            if isinstance(item, tuple) and item[0] == "sleep":
                time.sleep(item[1])
                item = item[2] if len(item) > 2 else "late"
            if isinstance(item, int):
                self._send(item, {"error": {"message": "scripted failure", "type": "server_error"}})
                return
            self._send(
                200,
                {
                    "id": "chatcmpl-fake",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": request.get("model", "fake-model"),
                    "choices": [
                        {
                            "index": 0,
                            "finish_reason": "stop",
                            "message": {"role": "assistant", "content": item},
                        }
                    ],
                    "usage": {"prompt_tokens": 42, "completion_tokens": 7, "total_tokens": 49},
                },
            )

    return Handler


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that timed out closes the socket before the scripted slow reply: expected.
        pass


@contextmanager
def fake_openai_server() -> Iterator[FakeOpenAI]:
    fake = FakeOpenAI()
    server = _QuietServer(("127.0.0.1", 0), _handler(fake))
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
