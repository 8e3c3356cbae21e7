"""Community analytics over chat history: health report, spam detection, keywords."""

from copilot.analytics.health import compute_health
from copilot.analytics.report import SIGNAL_ORDER, HealthReport, Signal
from copilot.analytics.spam import is_spam, looks_like_injection, spam_ids

__all__ = [
    "SIGNAL_ORDER",
    "HealthReport",
    "Signal",
    "compute_health",
    "is_spam",
    "looks_like_injection",
    "spam_ids",
]
