"""Outbound connections (``copilot connect``): what every stream shares.

A stream turns what the platform pushes into the same ``InboundMessage`` a webhook would
(through the platform connector's own ``parse``) and hands it to the worker, so routing,
dedupe, rate limits, the review queue and replies are the webhooks'. One module per platform
lives beside this one; ``connectors.outbound`` lists them.
"""

from __future__ import annotations

import asyncio
import json
import logging
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from typing import Any, ClassVar

from websockets.exceptions import WebSocketException

from connectors.base import Connector, ConnectorError, DeliveryError, InboundMessage

log = logging.getLogger("connectors.outbound")
Deliver = Callable[[InboundMessage], Awaitable[None]]


class StreamRefused(DeliveryError):
    """The platform refused our credentials: retrying cannot help, the operator must act."""


class Stream(ABC):
    """One outbound connection; ``connector`` parses what arrives and sends the replies."""

    platform: ClassVar[str]
    mode: ClassVar[str]  # what users call it: "Slack Socket Mode"
    connector: Connector
    # First wait after a failed connection; doubled on each failure up to ``retry_cap_s``.
    retry_first_s: float = 1.0
    retry_cap_s: float = 60.0

    @abstractmethod
    async def run(self, deliver: Deliver) -> None:
        """Receive until cancelled, handing every message for the bot to ``deliver``."""

    def _deliver_raw(self, raw: dict[str, Any]) -> InboundMessage | None:
        """A pushed payload through the connector's own parser (no signature to verify); one
        of an unexpected shape is dropped, never the connection."""
        try:
            result = self.connector.parse({}, json.dumps(raw).encode(), {})
        except (AttributeError, TypeError, KeyError, ValueError, ConnectorError) as exc:
            log.warning(
                "%s: dropped a payload of unexpected shape (%s)", self.platform, type(exc).__name__
            )
            return None
        return result if isinstance(result, InboundMessage) else None

    async def _reconnecting(self, session: Callable[[], Awaitable[None]]) -> None:
        """Run ``session`` forever. A session that ends cleanly (the platform asked us to
        move) is reopened at once; a dropped or refused one after an exponential backoff.
        Refused credentials (``StreamRefused``) end the stream with their message."""
        backoff = self.retry_first_s
        while True:
            try:
                await session()
                backoff = self.retry_first_s
            except StreamRefused:
                raise
            # KeyError/TypeError: a platform answer or frame missing what its protocol promises.
            except (OSError, DeliveryError, ValueError, KeyError, TypeError, TimeoutError,
                    WebSocketException) as err:  # fmt: skip
                reason = err if isinstance(err, (OSError, DeliveryError)) else type(err).__name__
                log.warning("%s: %s; reconnecting in %.1f s", self.platform, reason, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self.retry_cap_s)
