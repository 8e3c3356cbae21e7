"""Build correctly signed/encrypted webhook requests the way each platform does, plus
settings pointing every connector at the fake platform server.

Vectors in ``vectors/`` are copies of ``shared/protocols/vectors``; each names its public
source in ``_source``. The signing code here is written from the platform docs, independently
of the connector code it tests.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from connectors.platforms.dingtalk import DingtalkSettings
from connectors.platforms.discord import DiscordSettings
from connectors.platforms.feishu import FeishuSettings
from connectors.platforms.onebot import OnebotSettings
from connectors.platforms.qq import QqSettings
from connectors.platforms.slack import SlackSettings
from connectors.platforms.telegram import TelegramSettings
from connectors.platforms.wecom import WecomSettings
from connectors.wecom_crypto import WXBizMsgCrypt

VECTORS = Path(__file__).parent / "vectors"


def vector(name: str) -> dict[str, Any]:
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))


def dumps(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode()


@dataclass
class Req:
    """A webhook request as the app would hand it to ``Connector.handle``."""

    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)


# -- Slack -----------------------------------------------------------------------------------
SLACK_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"  # the slack_sdk test vector's secret
SLACK_BOT = "U0LAN0Z89"


def slack_settings(api: str = "http://127.0.0.1:9/api/", **kw: Any) -> SlackSettings:
    return SlackSettings(
        _env_file=None, signing_secret=SLACK_SECRET, bot_token="xoxb-test", api_url=api, **kw
    )


def slack_request(body: bytes, ts: int, secret: str = SLACK_SECRET) -> Req:
    base = f"v0:{ts}:".encode() + body
    sig = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return Req(
        body,
        {
            "X-Slack-Request-Timestamp": str(ts),
            "X-Slack-Signature": sig,
            "Content-Type": "application/json",
        },
    )


# -- Telegram --------------------------------------------------------------------------------
TELEGRAM_TOKEN = "123456789:AAH-fake-token_for_tests"
TELEGRAM_SECRET = "webhook-Secret_123"


def telegram_settings(api: str = "http://127.0.0.1:9", **kw: Any) -> TelegramSettings:
    kw.setdefault("bot_username", "copilot_test_bot")
    return TelegramSettings(
        _env_file=None,
        bot_token=TELEGRAM_TOKEN,
        secret_token=TELEGRAM_SECRET,
        api_url=api,
        **kw,
    )


def telegram_request(body: bytes, secret: str | None = TELEGRAM_SECRET) -> Req:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    return Req(body, headers)


# -- Discord ---------------------------------------------------------------------------------
_RFC = vector("discord_ed25519_vector_DERIVED.json")["rfc8032_test1"]
DISCORD_KEY = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(_RFC["secret_seed_hex"]))
DISCORD_PUBLIC_HEX = _RFC["public_key_hex"]


def discord_settings(api: str = "http://127.0.0.1:9/api/v10", **kw: Any) -> DiscordSettings:
    return DiscordSettings(
        _env_file=None, public_key=DISCORD_PUBLIC_HEX, application_id="111", api_url=api, **kw
    )


def discord_request(body: bytes, ts: int, key: Ed25519PrivateKey = DISCORD_KEY) -> Req:
    sig = key.sign(str(ts).encode() + body).hex()
    return Req(body, {"X-Signature-Ed25519": sig, "X-Signature-Timestamp": str(ts)})


# -- Feishu ----------------------------------------------------------------------------------
FEISHU_KEY = "test key"  # the official decrypt vector's encrypt key
FEISHU_TOKEN = "CAkC-verification-token"


def feishu_settings(api: str = "http://127.0.0.1:9", **kw: Any) -> FeishuSettings:
    kw.setdefault("bot_open_id", "open_id")  # the vector's bot mention id
    return FeishuSettings(
        _env_file=None,
        app_id="cli_test",
        app_secret="app-secret",
        verification_token=FEISHU_TOKEN,
        encrypt_key=FEISHU_KEY,
        api_url=api,
        **kw,
    )


def feishu_encrypt(plain: bytes, key: str = FEISHU_KEY) -> str:
    iv = os.urandom(16)
    padder = padding.PKCS7(128).padder()
    data = padder.update(plain) + padder.finalize()
    enc = Cipher(algorithms.AES(hashlib.sha256(key.encode()).digest()), modes.CBC(iv)).encryptor()
    return base64.b64encode(iv + enc.update(data) + enc.finalize()).decode()


def feishu_request(
    payload: dict[str, Any] | bytes,
    ts: int | None,
    *,
    key: str = FEISHU_KEY,
    nonce: str = "533226633",
) -> Req:
    """Encrypted body; signed unless ``ts`` is None (Feishu's url_verification)."""
    plain = payload if isinstance(payload, bytes) else dumps(payload)
    body = dumps({"encrypt": feishu_encrypt(plain, key)})
    if ts is None:
        return Req(body, {"Content-Type": "application/json"})
    sig = hashlib.sha256((str(ts) + nonce + key).encode() + body).hexdigest()
    headers = {
        "X-Lark-Request-Timestamp": str(ts),
        "X-Lark-Request-Nonce": nonce,
        "X-Lark-Signature": sig,
    }
    return Req(body, headers)


def feishu_event(index: int, token: str = FEISHU_TOKEN) -> dict[str, Any]:
    """One of the vector's two group events, with our verification token."""
    event = vector("feishu_im_message_receive_v1_group_events.json")["events"][index]
    event["header"]["token"] = token
    return event


# -- WeCom -----------------------------------------------------------------------------------
WECOM = vector("wecom_wxbizmsgcrypt_vector_QDG6eK.json")
WECOM_TOKEN, WECOM_KEY, WECOM_CORP = (
    WECOM["token"],
    WECOM["encoding_aes_key"],
    WECOM["receive_id_corpid"],
)


def wecom_settings(api: str = "http://127.0.0.1:9", **kw: Any) -> WecomSettings:
    kw.setdefault("corp_id", WECOM_CORP)
    kw.setdefault("token", WECOM_TOKEN)
    kw.setdefault("encoding_aes_key", WECOM_KEY)
    return WecomSettings(_env_file=None, api_url=api, **kw)


def wecom_request(
    message: str,
    ts: int,
    *,
    kind: str = "robot",
    receive_id: str | None = None,
    token: str = WECOM_TOKEN,
    key: str = WECOM_KEY,
    nonce: str = "1372623149",
) -> Req:
    crypt = WXBizMsgCrypt(token, key)
    rid = receive_id if receive_id is not None else ("" if kind == "robot" else WECOM_CORP)
    encrypt = crypt.encrypt(message, rid)
    if kind == "robot":
        body = dumps({"encrypt": encrypt})
    else:
        body = (
            f"<xml><ToUserName><![CDATA[{WECOM_CORP}]]></ToUserName>"
            f"<Encrypt><![CDATA[{encrypt}]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>"
        ).encode()
    sig = crypt.signature(str(ts), nonce, encrypt)
    return Req(body, {}, {"msg_signature": sig, "timestamp": str(ts), "nonce": nonce})


# -- DingTalk --------------------------------------------------------------------------------
DINGTALK_SECRET = "this is secret"  # literal from the DingTalk signing sample


def dingtalk_settings(api: str = "http://127.0.0.1:9", **kw: Any) -> DingtalkSettings:
    return DingtalkSettings(_env_file=None, app_secret=DINGTALK_SECRET, api_url=api, **kw)


def dingtalk_request(body: bytes, ts_ms: int, secret: str = DINGTALK_SECRET) -> Req:
    mac = hmac.new(secret.encode(), f"{ts_ms}\n{secret}".encode(), hashlib.sha256).digest()
    sign = base64.b64encode(mac).decode()
    return Req(body, {"timestamp": str(ts_ms), "sign": sign, "Content-Type": "application/json"})


# -- QQ (official bot API) --------------------------------------------------------------------
QQ_APP_ID = "11111111"
QQ_SECRET = "DG5g3B4j9X2KOErG"  # the official callback-check example's secret


def qq_settings(api: str = "http://127.0.0.1:9", **kw: Any) -> QqSettings:
    kw.setdefault("token_url", f"{api}/app/getAppAccessToken")
    return QqSettings(_env_file=None, app_id=QQ_APP_ID, app_secret=QQ_SECRET, api_url=api, **kw)


def qq_key(secret: str = QQ_SECRET) -> Ed25519PrivateKey:
    """The documented derivation, written here independently of the connector."""
    seed = secret
    while len(seed) < 32:
        seed = seed * 2
    return Ed25519PrivateKey.from_private_bytes(seed[:32].encode())


def qq_request(body: bytes, ts: int, secret: str = QQ_SECRET) -> Req:
    sig = qq_key(secret).sign(str(ts).encode() + body).hex()
    headers = {
        "X-Signature-Ed25519": sig,
        "X-Signature-Timestamp": str(ts),
        "X-Signature-Method": "Ed25519",
        "X-Bot-Appid": QQ_APP_ID,
        "User-Agent": "QQBot-Callback",
        "Content-Type": "application/json",
    }
    return Req(body, headers)


def qq_event(t: str, d: dict[str, Any], event_id: str = "GROUP_AT_MESSAGE_CREATE:e1") -> bytes:
    return dumps({"id": event_id, "op": 0, "d": d, "t": t})


# -- OneBot v11 -------------------------------------------------------------------------------
ONEBOT = vector("onebot_http_post_vector_DERIVED.json")
ONEBOT_SECRET = ONEBOT["secret"]
ONEBOT_SELF = "10001000"


def onebot_settings(api: str = "http://127.0.0.1:9", **kw: Any) -> OnebotSettings:
    kw.setdefault("access_token", "onebot-token")
    return OnebotSettings(_env_file=None, secret=ONEBOT_SECRET, api_url=api, **kw)


def onebot_request(body: bytes, secret: str = ONEBOT_SECRET) -> Req:
    sig = "sha1=" + hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()
    headers = {"Content-Type": "application/json", "X-Self-ID": ONEBOT_SELF, "X-Signature": sig}
    return Req(body, headers)


def onebot_group_message(
    text: str,
    ts: int,
    *,
    message_id: int = 1001,
    at_bot: bool = True,
    user: int = 20002000,
    group: int = 123456789,
) -> dict[str, Any]:
    segments: list[dict[str, Any]] = []
    if at_bot:
        segments.append({"type": "at", "data": {"qq": ONEBOT_SELF}})
    segments.append({"type": "text", "data": {"text": f" {text}" if at_bot else text}})
    return {
        "time": ts, "self_id": int(ONEBOT_SELF), "post_type": "message",
        "message_type": "group", "sub_type": "normal", "message_id": message_id,
        "group_id": group, "user_id": user, "anonymous": None, "message": segments,
        "raw_message": (f"[CQ:at,qq={ONEBOT_SELF}] " if at_bot else "") + text, "font": 0,
        "sender": {"user_id": user, "nickname": "小林", "card": "林薇", "role": "member"},
    }  # fmt: skip
