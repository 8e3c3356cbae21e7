"""Platform-neutral contract every chat connector implements.

A webhook request goes through four steps:

1. ``verify``  — authenticate the raw request exactly as the platform specifies
   (signature, replay window, shared token). Raises :class:`VerificationError`.
2. ``parse``   — turn the (decrypted) payload into an :class:`InboundMessage`, a
   :class:`Challenge` the platform expects echoed back, or :class:`Ignored`.
3. ``ack``     — the immediate HTTP response the platform expects (Discord's deferred
   response, WeCom's empty body, ...). ``handle`` runs 1-3 in order.
4. ``reply`` / ``send`` — post the answer through the platform API, split to its limits.

Each connector also declares what the rest of the app derives from it (see ``registry``):
its ``platform`` name, the ``settings_model`` read from ``COPILOT_<PLATFORM>_*``, the
``webhook`` it receives events on (``/connectors/<platform>/<hook>``; None for a platform that
connects out instead) and its protocol's ``capabilities``.

Nothing here imports the web framework or the copilot core: the app layer maps
``WebhookResponse`` onto its own response type and decides what to do with a message.
"""

from __future__ import annotations

import hmac
import json
import time
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

import httpx
from pydantic import BaseModel, ConfigDict, Field

from connectors.settings import PlatformSettings

# A registered platform's name (``registry.platform_names()``), which is also its module's.
Platform = str


@dataclass(frozen=True)
class Webhook:
    """Where a platform delivers events: ``/connectors/<platform>/<hook>`` with ``methods``."""

    hook: str
    methods: tuple[str, ...] = ("POST",)


@dataclass(frozen=True)
class Capabilities:
    """What a platform's request authentication can prove (the shared conformance suite holds
    every connector to its declaration)."""

    # False where the platform's proof does not cover the body (DingTalk's sign covers only
    # the timestamp, Telegram's secret token nothing): whoever holds one valid request can
    # write any body, so the app holds operator commands from such callbacks for approval.
    signs_body: bool = True
    replay_window_s: int | None = 300  # older timestamps are refused; None: no timestamp
    # True where a user id is a person's account number (a QQ number through OneBot): chat
    # history captured from the platform keeps a pseudonym of it, never the number.
    personal_user_ids: bool = False


class InboundMessage(BaseModel):
    """One message addressed (or possibly addressed) to the bot, whatever the platform."""

    model_config = ConfigDict(frozen=True)

    platform: Platform = Field(pattern=r"^[a-z][a-z0-9_]*$")
    event_id: str = Field(description="Stable delivery id; the app dedupes retries on it.")
    chat_id: str
    chat_type: Literal["group", "private"]
    thread_id: str | None = Field(default=None, description="Thread/topic the message lives in.")
    message_id: str
    user_id: str
    user_name: str | None = Field(default=None, description="Display name (anyone can pick any).")
    user_handle: str | None = Field(
        default=None, description="Login name the platform keeps unique (Telegram @username)."
    )
    text: str = Field(description="Message text with the bot mention removed, stripped.")
    mentioned: bool = Field(description="Bot was @-mentioned, commanded, replied to, or DMed.")
    command: str | None = Field(default=None, description="Lower-case command without '/'.")
    args: str = Field(default="", description="Text after the command.")
    quoted_text: str | None = Field(default=None, description="Text of the message replied to.")
    reply_to: str | None = Field(
        default=None, description="Platform id of the message this one replies to."
    )
    reaction: Literal["up", "down"] | None = Field(
        default=None,
        description="Not a text message: a thumbs up/down on the message ``message_id``.",
    )
    reply_context: dict[str, str] = Field(
        default_factory=dict, description="Platform data the reply needs (thread ts, tokens...)."
    )


@dataclass(frozen=True)
class Challenge:
    """A handshake (url_verification, PING, echostr) answered with ``body`` and status 200."""

    body: str
    media_type: str = "application/json"


@dataclass(frozen=True)
class Ignored:
    """A valid delivery that needs no answer (bot's own message, edits, unsupported types)."""

    reason: str


ParseResult = InboundMessage | Challenge | Ignored
Posted = list[str]  # platform ids of the messages a reply or send posted


@dataclass(frozen=True)
class WebhookResponse:
    """The HTTP response to return to the platform, framework-neutral."""

    status_code: int = 200
    body: str = ""
    media_type: str = "text/plain"
    headers: dict[str, str] = field(default_factory=dict)


class ConnectorError(Exception):
    """Base for request errors; ``status`` is the HTTP status to answer with."""

    status: int = 400

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status

    def response(self) -> WebhookResponse:
        return WebhookResponse(self.status, json.dumps({"error": self.message}), "application/json")


class VerificationError(ConnectorError):
    """The request is not provably from the platform: 401 (signature/time) or 403 (token)."""

    status = 401


class PayloadError(ConnectorError):
    """The request was authentic but its payload is malformed (400)."""

    status = 400


class DeliveryError(Exception):
    """The platform API refused or failed a reply/send."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def lower_keys(headers: Mapping[str, str]) -> dict[str, str]:
    """Header names are case-insensitive; normalise once."""
    return {k.lower(): v for k, v in headers.items()}


def secrets_equal(a: str, b: str) -> bool:
    """Constant-time comparison that tolerates non-ASCII input."""
    return hmac.compare_digest(a.encode(), b.encode())


def check_fresh(timestamp: str | None, now: float, window: float, *, unit: float = 1.0) -> None:
    """Reject a missing, malformed or out-of-window timestamp (both directions: skew)."""
    if not timestamp:
        raise VerificationError("missing request timestamp")
    try:
        ts = float(timestamp) / unit
    except ValueError:
        raise VerificationError("malformed request timestamp") from None
    if abs(now - ts) > window:
        raise VerificationError("stale request timestamp (outside the replay window)")


def load_json(body: bytes | str) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise PayloadError("body is not valid JSON") from None
    if not isinstance(data, dict):
        raise PayloadError("JSON body must be an object")
    return data


@dataclass(frozen=True)
class Expiring:
    """A value valid until ``expires`` (epoch seconds): a proof to accept once, a reply URL."""

    value: str
    expires: float


class Connector(ABC):
    """One chat platform. Subclasses are small; shared plumbing lives here.

    The registry builds each as ``cls(settings_model(), http)``."""

    platform: ClassVar[Platform]
    settings_model: ClassVar[type[PlatformSettings]]
    webhook: ClassVar[Webhook | None] = None
    # A WebSocket the platform's client connects to (``/connectors/<platform>/<socket>``),
    # e.g. OneBot's reverse WebSocket; such a connector implements the ``socket_*`` methods.
    socket: ClassVar[str | None] = None
    capabilities: ClassVar[Capabilities] = Capabilities()

    def __init__(self, settings: PlatformSettings, http: httpx.AsyncClient | None = None) -> None:
        """Subclasses read what they need from ``settings`` (their ``settings_model``)."""
        # Sharing one client across connectors is cheaper; own one (lazily) only if not given.
        self._owns_http = http is None
        self._http = http

    @property
    def http(self) -> httpx.AsyncClient:
        if self._http is None:
            self._http = httpx.AsyncClient(timeout=httpx.Timeout(10.0))
        return self._http

    @abstractmethod
    def verify(
        self,
        headers: Mapping[str, str],
        body: bytes,
        query: Mapping[str, str] | None = None,
        now: float | None = None,
    ) -> None:
        """Raise :class:`VerificationError` unless the request provably comes from the platform."""

    def replay_key(self, headers: Mapping[str, str]) -> Expiring | None:
        """The proof to accept only once (platforms whose proof does not cover the body)."""
        return None

    def reply_target(self, msg: InboundMessage) -> Expiring | None:
        """A reply URL that arrived inside an unsigned body, and until when it is valid. The
        app layer keeps the first one of each chat until it expires and replies through it,
        so a forged body cannot redirect the answers of a chat elsewhere."""
        return None

    def with_reply_target(self, msg: InboundMessage, target: Expiring) -> InboundMessage:
        """``msg`` answering through ``target`` (what ``reply_target`` returned before)."""
        return msg

    @abstractmethod
    def parse(
        self, headers: Mapping[str, str], body: bytes, query: Mapping[str, str] | None = None
    ) -> ParseResult:
        """Parse an already verified request. Raises :class:`PayloadError` on malformed input."""

    def ack(self, result: ParseResult) -> WebhookResponse:
        """Immediate HTTP response; the answer itself goes out later through ``reply``."""
        if isinstance(result, Challenge):
            return WebhookResponse(200, result.body, result.media_type)
        return WebhookResponse(200)

    def handle(
        self,
        headers: Mapping[str, str],
        body: bytes,
        query: Mapping[str, str] | None = None,
        now: float | None = None,
    ) -> tuple[ParseResult, WebhookResponse]:
        """verify → parse → ack. Errors raise :class:`ConnectorError` (see ``.response()``)."""
        self.verify(headers, body, query or {}, time.time() if now is None else now)
        try:
            result = self.parse(headers, body, query or {})
        except (AttributeError, TypeError, KeyError, ValueError):
            # Authentic but oddly shaped (a field of an unexpected type): a 400, never a 500.
            raise PayloadError(f"unexpected {self.platform} payload shape") from None
        return result, self.ack(result)

    def socket_verify(self, headers: Mapping[str, str], query: Mapping[str, str]) -> str:
        """Authenticate a connecting client; returns the connection's key (its bot id)."""
        raise VerificationError(f"{self.platform} accepts no WebSocket connections")

    def socket_attach(self, key: str, send: Callable[[str], Awaitable[None]]) -> None:  # noqa: B027
        """A verified client is connected: frames for ``key`` go out through ``send``."""

    def socket_detach(self, key: str) -> None:  # noqa: B027 - optional, like socket_attach
        """The client ``key`` is gone."""

    def socket_frame(self, key: str, text: str) -> ParseResult | None:
        """One frame from client ``key``: an event to route, or None (an API answer)."""
        return None

    async def setup(self) -> None:  # noqa: B027 - optional hook, most platforms need none
        """Learn what is not configured (bot user id/username) from the platform API."""

    @abstractmethod
    async def reply(
        self, msg: InboundMessage, text: str, *, mention: Sequence[str] = ()
    ) -> Posted | None:
        """Answer ``msg`` in its thread/as a quote. ``text`` is plain text: markup that could
        ping everyone is neutralised; users in ``mention`` are @-mentioned properly. Returns
        the ids of the messages posted where the platform says them (reactions on them and
        replies to them find the answer), else None."""

    @abstractmethod
    async def send(
        self, chat_id: str, text: str, *, thread_id: str | None = None, mention: Sequence[str] = ()
    ) -> Posted | None:
        """Post unprompted (digests, approved review items) to a chat."""

    def reply_thread(self, msg: InboundMessage) -> str | None:
        """The thread a reply to ``msg`` opens or joins, where the platform threads replies
        under the message (Slack): an operator's message there answers it. None elsewhere."""
        return None

    @abstractmethod
    def mention(self, user_ids: Sequence[str]) -> str:
        """Render @-mentions in the platform's own syntax."""

    async def aclose(self) -> None:
        if self._owns_http and self._http is not None:
            await self._http.aclose()
            self._http = None
