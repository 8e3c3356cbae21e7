"""Chat-platform connectors: verify → parse → (app routes) → reply.

Each module in ``connectors.platforms`` implements :class:`connectors.base.Connector` for one
platform; ``build_connectors`` returns the ones enabled by ``COPILOT_<PLATFORM>_*`` settings.
No web framework here: the HTTP routes live in ``copilot.api``.
"""

from .base import (
    Capabilities,
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
    Webhook,
    WebhookResponse,
)
from .registry import ConnectorSettings, build_connectors, connector_classes, platform_names
from .settings import PlatformSettings

__all__ = [
    "Capabilities",
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
    "PlatformSettings",
    "VerificationError",
    "Webhook",
    "WebhookResponse",
    "build_connectors",
    "connector_classes",
    "platform_names",
]
