"""WeCom (企业微信) connector (GET/POST /connectors/wecom/callback).

One callback URL serves both WeCom integrations that can receive messages:

- the intelligent robot (智能机器人): JSON ``{"encrypt": ...}``, receiveid ``""``; group
  @-messages and single chats; answered once through ``response_url`` (single use, 1 h) or a
  passive encrypted reply;
- the self-built app (自建应用): XML ``<Encrypt>``, receiveid = CorpID; direct messages,
  answered through ``message/send`` with the app's access token.

The group robot webhook (群机器人) can only send: ``send()`` uses it for digests, with the
robot's webhook key as ``chat_id`` (a group robot is addressed by nothing else).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import httpx
from pydantic import Field, SecretStr

from connectors.base import (
    Capabilities,
    Challenge,
    Connector,
    DeliveryError,
    Ignored,
    InboundMessage,
    ParseResult,
    PayloadError,
    VerificationError,
    Webhook,
    WebhookResponse,
    check_fresh,
    load_json,
)
from connectors.http import CachedToken, call_json, install_log_redaction, same_origin
from connectors.settings import PlatformSettings, platform_config, require
from connectors.text import compose, split_command, squash, truncate, utf8_len
from connectors.wecom_crypto import WXBizMsgCrypt, parse_xml

_TOKEN_EXPIRED = {40014, 42001}  # invalid / expired access_token


def _neutralise(text: str) -> str:
    """``<@all>``/``<@userid>`` written by a member or the model must not ping anyone."""
    return text.replace("<@", "＜@")


class WecomSettings(PlatformSettings):
    model_config = platform_config("wecom")
    _required: ClassVar[tuple[str, ...]] = ("token", "encoding_aes_key")
    token: SecretStr | None = None
    encoding_aes_key: SecretStr | None = None
    corp_id: str | None = Field(default=None, description="ReceiveId of the self-built app.")
    corp_secret: SecretStr | None = Field(default=None, description="App secret, for DM replies.")
    agent_id: str | None = None
    bot_name: str | None = Field(default=None, description="Intelligent robot's display name.")
    webhook_key: SecretStr | None = Field(default=None, description="Default group robot key.")
    api_url: str = "https://qyapi.weixin.qq.com"
    max_skew_seconds: int = 300


class WecomConnector(Connector):
    platform = "wecom"
    settings_model = WecomSettings
    webhook = Webhook("callback", methods=("GET", "POST"))
    capabilities = Capabilities(signs_body=True, replay_window_s=300)
    robot_reply_limit = 4096  # response_url markdown, UTF-8 bytes (WeCom's markdown cap)
    webhook_limit = 4096  # group robot markdown.content, UTF-8 bytes
    app_text_limit = 2048  # message/send text.content, UTF-8 bytes

    def __init__(self, settings: WecomSettings, http: httpx.AsyncClient | None = None) -> None:
        super().__init__(settings, http)
        install_log_redaction()  # webhook key and access_token travel in query strings
        self.crypt = WXBizMsgCrypt(
            require(settings.token, "COPILOT_WECOM_TOKEN"),
            require(settings.encoding_aes_key, "COPILOT_WECOM_ENCODING_AES_KEY"),
        )
        self.corp_id = settings.corp_id or ""
        self._corp_secret = settings.corp_secret.get_secret_value() if settings.corp_secret else ""
        self.agent_id = settings.agent_id
        self.bot_name = settings.bot_name
        self._webhook_key = settings.webhook_key.get_secret_value() if settings.webhook_key else ""
        self.api_url = settings.api_url.rstrip("/")
        self.max_skew = settings.max_skew_seconds
        self._access_token = CachedToken(self._fetch_access_token)

    # -- inbound -------------------------------------------------------------------------
    def _envelope(self, body: bytes, query: Mapping[str, str]) -> tuple[str, str]:
        """(kind, encrypt); kind is ``echostr`` (URL check), ``robot`` (JSON) or ``app`` (XML)."""
        if "echostr" in query:
            return "echostr", query["echostr"]
        if body.lstrip().startswith(b"<"):
            return "app", parse_xml(body).get("Encrypt", "")
        return "robot", str(load_json(body).get("encrypt", ""))

    def _open(self, body: bytes, query: Mapping[str, str]) -> tuple[str, str]:
        kind, encrypt = self._envelope(body, query)
        if not encrypt:
            raise VerificationError("no encrypted payload")
        message, receive_id = self.crypt.decrypt(encrypt)
        # The app is bound to our CorpID, the robot to ""; the URL check may be either.
        allowed = {"app": {self.corp_id}, "robot": {""}, "echostr": {self.corp_id, ""}}[kind]
        if receive_id not in allowed or (kind == "app" and not self.corp_id):
            raise VerificationError("message is for another receiver (receiveid mismatch)")
        return kind, message

    def verify(
        self,
        headers: Mapping[str, str],
        body: bytes,
        query: Mapping[str, str] | None = None,
        now: float | None = None,
    ) -> None:
        q = query or {}
        sig, ts, nonce = q.get("msg_signature"), q.get("timestamp"), q.get("nonce")
        if not sig or not ts or not nonce:
            raise VerificationError("missing msg_signature/timestamp/nonce")
        try:
            _, encrypt = self._envelope(body, q)
        except PayloadError:
            raise VerificationError("unreadable WeCom envelope") from None
        self.crypt.check_signature(sig, ts, nonce, encrypt)
        check_fresh(ts, time.time() if now is None else now, self.max_skew)
        self._open(body, q)

    def parse(
        self, headers: Mapping[str, str], body: bytes, query: Mapping[str, str] | None = None
    ) -> ParseResult:
        kind, message = self._open(body, query or {})
        if kind == "echostr":
            return Challenge(message, "text/plain")
        if kind == "app":
            return self._parse_app(parse_xml(message))
        try:
            data = json.loads(message)
        except ValueError:
            raise PayloadError("decrypted robot message is not JSON") from None
        return self._parse_robot(data)

    def _parse_robot(self, data: dict[str, Any]) -> ParseResult:
        if data.get("msgtype") != "text":
            return Ignored(
                f"unsupported robot msgtype {data.get('msgtype')!r}"
            )  # stream refresh, events
        user = str((data.get("from") or {}).get("userid", ""))
        chat_id = data.get("chatid")
        group = data.get("chattype") == "group" or (
            data.get("chattype") != "single" and bool(chat_id)
        )
        text = str((data.get("text") or {}).get("content", ""))
        if group:  # group content starts with "@RobotName "
            name = re.escape(self.bot_name) if self.bot_name else r"\S+"
            text = re.sub(rf"^\s*@{name}\s*", "", text, count=1)
        text = squash(text)
        command, args, _ = split_command(text)
        quote = data.get("quote") or {}
        return InboundMessage(
            platform="wecom",
            event_id=str(data.get("msgid", "")),
            chat_id=str(chat_id if group else user),
            chat_type="group" if group else "private",
            message_id=str(data.get("msgid", "")),
            user_id=user,
            text=text,
            mentioned=True,  # the robot only receives messages addressed to it
            command=command,
            args=args,
            quoted_text=(quote.get("text") or {}).get("content"),
            reply_context={"kind": "robot", "response_url": str(data.get("response_url", ""))},
        )

    def _parse_app(self, xml: dict[str, str]) -> ParseResult:
        if xml.get("MsgType") != "text":
            return Ignored(f"unsupported app MsgType {xml.get('MsgType')!r}")
        text = squash(xml.get("Content", ""))
        command, args, _ = split_command(text)
        user = xml.get("FromUserName", "")
        return InboundMessage(
            platform="wecom",
            event_id=xml.get("MsgId", ""),
            chat_id=user,
            chat_type="private",
            message_id=xml.get("MsgId", ""),
            user_id=user,
            text=text,
            mentioned=True,
            command=command,
            args=args,
            reply_context={"kind": "app", "agent_id": xml.get("AgentID", "")},
        )

    def passive_reply(
        self, msg: InboundMessage, text: str, *, nonce: str, timestamp: str | None = None
    ) -> WebhookResponse:
        """Answer inside the callback's own HTTP response (must be within WeCom's 5 s)."""
        ts = timestamp or str(int(time.time()))
        if msg.reply_context.get("kind") == "robot":
            content = truncate(_neutralise(text), self.robot_reply_limit, utf8_len)
            plain = json.dumps(
                {
                    "msgtype": "stream",
                    "stream": {"id": msg.message_id, "finish": True, "content": content},
                },
                ensure_ascii=False,
            )
            return WebhookResponse(200, self.crypt.reply_json(plain, ts, nonce), "application/json")
        content = truncate(text, self.app_text_limit, utf8_len).replace("]]>", "]]]]><![CDATA[>")
        plain = (
            f"<xml><ToUserName><![CDATA[{msg.user_id}]]></ToUserName><FromUserName><![CDATA[{self.corp_id}]]>"
            f"</FromUserName><CreateTime>{ts}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[{content}]]></Content></xml>"
        )
        return WebhookResponse(
            200, self.crypt.reply_xml(plain, self.corp_id, ts, nonce), "application/xml"
        )

    # -- outbound ------------------------------------------------------------------------
    async def reply(self, msg: InboundMessage, text: str, *, mention: Sequence[str] = ()) -> None:
        if msg.reply_context.get("kind") == "app":
            for chunk in compose(text, self.app_text_limit, utf8_len):
                await self._app_send(msg.user_id, chunk)
            return
        url = msg.reply_context.get("response_url", "")
        if not same_origin(url, self.api_url):  # the URL comes from the payload: no SSRF
            raise DeliveryError("wecom reply: response_url is not on the WeCom API host")
        suffix = self.mention(mention)
        limit = self.robot_reply_limit - (utf8_len(suffix) + 2 if suffix else 0)
        content = truncate(_neutralise(text), limit, utf8_len)  # response_url is single-use
        content = f"{content}\n\n{suffix}" if suffix else content
        await self._checked(
            "POST",
            url,
            {"msgtype": "markdown", "markdown": {"content": content}},
            "wecom response_url",
        )

    async def send(
        self, chat_id: str, text: str, *, thread_id: str | None = None, mention: Sequence[str] = ()
    ) -> None:
        """Post to a group through its group robot; ``chat_id`` is that robot's webhook key
        (empty: ``COPILOT_WECOM_WEBHOOK_KEY``). WeCom group chats have no threads."""
        key = chat_id or self._webhook_key
        if not key:
            raise DeliveryError("wecom send needs a group robot webhook key")
        url = f"{self.api_url}/cgi-bin/webhook/send"
        for chunk in compose(
            text, self.webhook_limit, utf8_len, escape=_neutralise, suffix=self.mention(mention)
        ):
            await self._checked(
                "POST",
                url,
                {"msgtype": "markdown", "markdown": {"content": chunk}},
                "wecom webhook",
                params={"key": key},
            )

    def mention(self, user_ids: Sequence[str]) -> str:
        return " ".join(f"<@{u}>" for u in user_ids)

    async def _checked(
        self, method: str, url: str, payload: Any, what: str, params: dict[str, str] | None = None
    ) -> dict[str, Any]:
        data = await call_json(self.http, method, url, json=payload, params=params, what=what)
        if data.get("errcode", 0) != 0:  # WeCom reports errors with HTTP 200
            raise DeliveryError(f"{what}: {data.get('errcode')} {data.get('errmsg')}")
        return data

    async def _fetch_access_token(self) -> tuple[str, float]:
        if not (self.corp_id and self._corp_secret):
            raise DeliveryError(
                "wecom app replies need COPILOT_WECOM_CORP_ID and COPILOT_WECOM_CORP_SECRET"
            )
        data = await self._checked(
            "GET",
            f"{self.api_url}/cgi-bin/gettoken",
            None,
            "wecom gettoken",
            params={"corpid": self.corp_id, "corpsecret": self._corp_secret},
        )
        return str(data["access_token"]), float(data.get("expires_in", 7200))

    async def _app_send(self, user_id: str, content: str) -> None:
        if not self.agent_id:
            raise DeliveryError("wecom app replies need COPILOT_WECOM_AGENT_ID")
        payload = {
            "touser": user_id,
            "msgtype": "text",
            "agentid": int(self.agent_id),
            "text": {"content": content},
        }
        for attempt in (1, 2):
            token = await self._access_token.get()
            data = await call_json(
                self.http,
                "POST",
                f"{self.api_url}/cgi-bin/message/send",
                json=payload,
                params={"access_token": token},
                what="wecom message/send",
            )
            if data.get("errcode") in _TOKEN_EXPIRED and attempt == 1:
                self._access_token.invalidate()
                continue
            if data.get("errcode", 0) != 0:
                raise DeliveryError(
                    f"wecom message/send: {data.get('errcode')} {data.get('errmsg')}"
                )
            return
