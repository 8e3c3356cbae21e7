"""Chat-platform connectors: verify → parse → (app routes) → reply.

Each platform module implements :class:`connectors.base.Connector`; ``build_connectors``
returns the ones enabled by ``COPILOT_<PLATFORM>_*`` settings.
"""

from .base import (
    Challenge,
    Connector,
    ConnectorError,
    DeliveryError,
    Ignored,
    InboundMessage,
    ParseResult,
    PayloadError,
    Platform,
    VerificationError,
    WebhookResponse,
)
from .registry import build_connectors
from .settings import ConnectorSettings

__all__ = [
    "Challenge",
    "Connector",
    "ConnectorError",
    "ConnectorSettings",
    "DeliveryError",
    "Ignored",
    "InboundMessage",
    "ParseResult",
    "PayloadError",
    "Platform",
    "VerificationError",
    "WebhookResponse",
    "build_connectors",
]
