"""One fake chat-platform API server on 127.0.0.1 for every platform.

Real HTTP, each platform's real paths and response envelopes, so connectors are tested with
their production code paths by pointing ``COPILOT_<PLATFORM>_API_URL`` at ``fake.url``:

====================  ===============================================================
Slack                 ``api_url = fake.url + "/api/"``   (POST /api/chat.postMessage ...)
Telegram              ``api_url = fake.url``             (POST /bot<token>/sendMessage ...)
Discord               ``api_url = fake.url + "/api/v10"`` (PATCH/POST /api/v10/webhooks/...)
Feishu/Lark           ``api_url = fake.url``             (/open-apis/...)
WeCom                 ``api_url = fake.url``             (/cgi-bin/...)
DingTalk              ``api_url = fake.url``             (/robot/...)
QQ official           ``api_url = fake.url``             (/app/getAppAccessToken, /v2/groups/...)
OneBot v11            ``api_url = fake.url``             (/send_group_msg ...)
====================  ===============================================================

Every request is recorded in ``fake.requests`` as ``(method, path, headers, json, body, query)``.
``fake.respond(method, path_regex, status=..., json=...)`` scripts the next matching answer(s),
e.g. a Slack ``ok: false`` or an expired Feishu token.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, urlsplit

FEISHU_TENANT_TOKEN = "t-fake-tenant-token"
WECOM_ACCESS_TOKEN = "wecom-fake-access-token"
SLACK_BOT_USER_ID = "UBOTFAKE1"
TELEGRAM_BOT_USERNAME = "copilot_test_bot"
FEISHU_BOT_OPEN_ID = "ou_fake_bot"
QQ_ACCESS_TOKEN = "qq-fake-access-token"


class RecordedRequest(NamedTuple):
    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    json: Any
    body: bytes
    query: dict[str, str]


Reply = tuple[int, Any]
Route = Callable[[RecordedRequest, re.Match[str]], Reply]


class FakePlatform:
    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self.url = ""
        self._scripted: list[tuple[str, re.Pattern[str], Reply, list[int]]] = []
        self._served: list[tuple[str, re.Pattern[str], Route]] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # -- test API --------------------------------------------------------------------------
    def respond(
        self, method: str, path: str, *, status: int = 200, json: Any = None, times: int = 1
    ) -> None:
        """Answer the next ``times`` requests matching ``method`` and regex ``path``."""
        self._scripted.append((method.upper(), re.compile(path), (status, json), [times]))

    def serve(self, method: str, path: str, route: Route) -> None:
        """Answer every request matching ``method`` and regex ``path`` with ``route(req, m)``
        (a stateful fake of its own, e.g. a WebSocket gateway's HTTP half)."""
        self._served.append((method.upper(), re.compile(path), route))

    def calls(self, path_part: str, method: str | None = None) -> list[RecordedRequest]:
        return [
            r
            for r in self.requests
            if path_part in r.path and (method is None or r.method == method.upper())
        ]

    def start(self) -> FakePlatform:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        server.daemon_threads = True
        self._server = server
        self.url = f"http://127.0.0.1:{server.server_address[1]}"
        # A short poll interval makes shutdown() (each test's teardown) quick.
        threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    # -- dispatch --------------------------------------------------------------------------
    def _answer(self, req: RecordedRequest) -> Reply:
        with self._lock:
            self.requests.append(req)
            for method, pattern, reply, left in self._scripted:
                if method == req.method and pattern.search(req.path) and left[0] > 0:
                    left[0] -= 1
                    return reply
        for method, pattern, route in [*self._served, *_ROUTES]:
            m = pattern.fullmatch(req.path)
            if m and method == req.method:
                return route(req, m)
        return 404, {"error": f"fake platform has no route {req.method} {req.path}"}

    def next_id(self) -> int:
        return next(self._ids)


def _handler(fake: FakePlatform) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length) if length else b""
            try:
                payload = json.loads(body) if body else None
            except ValueError:
                payload = None
            parts = urlsplit(self.path)
            req = RecordedRequest(
                self.command,
                parts.path,
                {k.lower(): v for k, v in self.headers.items()},
                payload,
                body,
                dict(parse_qsl(parts.query)),
            )
            status, answer = fake._answer(req)
            out = b"" if answer is None else json.dumps(answer, ensure_ascii=False).encode()
            self.send_response(status)
            if out:
                self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)

        do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

    return Handler


# -- per-platform default answers, in each platform's real response format -------------------
_POSTED = itertools.count(1)


def _slack(req: RecordedRequest, m: re.Match[str]) -> Reply:
    if not req.headers.get("authorization", "").startswith("Bearer xoxb-"):
        return 200, {"ok": False, "error": "not_authed"}
    if m["method"] == "auth.test":
        return 200, {"ok": True, "team_id": "T1", "user_id": SLACK_BOT_USER_ID, "bot_id": "B1"}
    body = req.json or {}
    ts = f"1800000000.{next(_POSTED):06d}"  # each posted message its own ts, as on Slack
    return 200, {
        "ok": True,
        "channel": body.get("channel"),
        "ts": ts,
        "message": {"ts": ts, **body},
    }


def _telegram(req: RecordedRequest, m: re.Match[str]) -> Reply:
    bot_id = int(m["token"].split(":")[0])
    if m["method"] == "getUpdates":  # long polling with nothing new: hold briefly, then empty
        time.sleep(0.05)
        return 200, {"ok": True, "result": []}
    if m["method"] == "getMe":
        me = {"id": bot_id, "is_bot": True, "first_name": "Copilot"}
        return 200, {"ok": True, "result": {**me, "username": TELEGRAM_BOT_USERNAME}}
    body = req.json or {}
    if not body.get("text"):
        return 400, {
            "ok": False,
            "error_code": 400,
            "description": "Bad Request: message text is empty",
        }
    result = {
        "message_id": 500000 + next(_POSTED),
        "from": {"id": bot_id, "is_bot": True, "first_name": "Copilot"},
        "chat": {"id": body.get("chat_id")},
        "date": 1700000000,
        "text": body["text"],
    }
    return 200, {"ok": True, "result": result}


def _discord(req: RecordedRequest, m: re.Match[str]) -> Reply:
    if req.path.startswith("/api/v10/channels/") and not req.headers.get(
        "authorization", ""
    ).startswith("Bot "):
        return 401, {"message": "401: Unauthorized", "code": 0}
    body = req.json or {}
    message = {
        "id": str(1_200_000_000_000_000_000 + len(body.get("content", ""))),
        "type": 0,
        "content": body.get("content", ""),
        "channel_id": m.groupdict().get("channel") or "645027906669510667",
        "author": {"id": "999", "username": "copilot", "bot": True},
        "timestamp": "2024-01-01T00:00:00+00:00",
    }
    return 200, message


def _feishu_token(req: RecordedRequest, m: re.Match[str]) -> Reply:
    body = req.json or {}
    if not body.get("app_id") or not body.get("app_secret"):
        return 400, {"code": 10003, "msg": "invalid param"}
    answer = {"code": 0, "msg": "ok", "tenant_access_token": FEISHU_TENANT_TOKEN, "expire": 7200}
    return 200, answer


def _feishu_api(req: RecordedRequest, m: re.Match[str]) -> Reply:
    if req.headers.get("authorization") != f"Bearer {FEISHU_TENANT_TOKEN}":
        return 400, {"code": 99991663, "msg": "Invalid access token for authorization."}
    if req.path.endswith("/bot/v3/info"):
        return 200, {
            "code": 0,
            "msg": "ok",
            "bot": {"open_id": FEISHU_BOT_OPEN_ID, "app_name": "c"},
        }
    body = req.json or {}
    data = {
        "message_id": f"om_fake_{next(_POSTED)}",
        "root_id": m.groupdict().get("mid") or "",
        "msg_type": body.get("msg_type"),
        "chat_id": body.get("receive_id", "oc_fake"),
        "body": {"content": body.get("content")},
    }
    return 200, {"code": 0, "msg": "success", "data": data}


def _wecom(req: RecordedRequest, m: re.Match[str]) -> Reply:
    ok = {"errcode": 0, "errmsg": "ok"}
    if m["api"] == "gettoken":
        if not req.query.get("corpid") or not req.query.get("corpsecret"):
            return 200, {"errcode": 41002, "errmsg": "corpid missing"}
        return 200, {**ok, "access_token": WECOM_ACCESS_TOKEN, "expires_in": 7200}
    if m["api"] == "message/send" and req.query.get("access_token") != WECOM_ACCESS_TOKEN:
        return 200, {"errcode": 40014, "errmsg": "invalid access_token"}
    if m["api"] == "webhook/send" and not req.query.get("key"):
        return 200, {"errcode": 93000, "errmsg": "invalid webhook url"}
    return 200, ok


def _dingtalk(req: RecordedRequest, m: re.Match[str]) -> Reply:
    if m["api"] == "send" and not req.query.get("access_token"):
        return 200, {"errcode": 300001, "errmsg": "token is not exist"}
    return 200, {"errcode": 0, "errmsg": "ok"}


def _qq_token(req: RecordedRequest, m: re.Match[str]) -> Reply:
    body = req.json or {}
    if not body.get("appId") or not body.get("clientSecret"):
        return 400, {"code": 100007, "message": "appid or secret invalid"}
    return 200, {"access_token": QQ_ACCESS_TOKEN, "expires_in": "7200"}


def _qq_api(req: RecordedRequest, m: re.Match[str]) -> Reply:
    if req.headers.get("authorization") != f"QQBot {QQ_ACCESS_TOKEN}":
        return 401, {"code": 11244, "message": "token not exist or expire"}
    body = req.json or {}
    if not body.get("content") or not body.get("msg_id"):
        return 400, {"code": 40034006, "message": "active message is not allowed"}
    return 200, {"id": f"qq-msg-{body['msg_id']}-{body.get('msg_seq', 1)}", "timestamp": 1700000000}


def _onebot(req: RecordedRequest, m: re.Match[str]) -> Reply:
    if not req.headers.get("authorization", "").startswith("Bearer "):
        return 403, {"status": "failed", "retcode": 1403, "message": "token verify failed"}
    body = req.json or {}
    if not body.get("message"):
        return 200, {"status": "failed", "retcode": 1400, "wording": "消息为空", "data": None}
    return 200, {
        "status": "ok",
        "retcode": 0,
        "data": {"message_id": 5000},
        "message": "",
        "wording": "",
        "echo": None,
    }


_ROUTES: list[tuple[str, re.Pattern[str], Route]] = [
    (meth, re.compile(path), route)
    for meth, path, route in [
        ("POST", r"/api/(?P<method>auth\.test|chat\.postMessage)", _slack),
        ("POST", r"/bot(?P<token>\d+:[\w-]+)/(?P<method>getMe|sendMessage|getUpdates)", _telegram),
        ("PATCH", r"/api/v10/webhooks/(?P<app>\d+)/(?P<tok>[^/]+)/messages/@original", _discord),
        ("POST", r"/api/v10/webhooks/(?P<app>\d+)/(?P<tok>[^/]+)", _discord),
        ("POST", r"/api/v10/channels/(?P<channel>\d+)/messages", _discord),
        ("POST", r"/open-apis/auth/v3/tenant_access_token/internal", _feishu_token),
        ("POST", r"/open-apis/im/v1/messages/(?P<mid>[^/]+)/reply", _feishu_api),
        ("POST", r"/open-apis/im/v1/messages", _feishu_api),
        ("GET", r"/open-apis/bot/v3/info", _feishu_api),
        ("GET", r"/cgi-bin/(?P<api>gettoken)", _wecom),
        ("POST", r"/cgi-bin/(?P<api>aibot/response|message/send|webhook/send)", _wecom),
        ("POST", r"/robot/(?P<api>sendBySession|send)", _dingtalk),
        ("POST", r"/app/getAppAccessToken", _qq_token),
        ("POST", r"/v2/(?P<kind>groups|users)/(?P<chat>[^/]+)/messages", _qq_api),
        ("POST", r"/channels/(?P<chat>[^/]+)/messages", _qq_api),
        ("POST", r"/(?P<action>send_group_msg|send_private_msg|send_msg)", _onebot),
    ]
]
