"""Prometheus metrics, on a registry per app (tests build many apps in one process)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)

if TYPE_CHECKING:
    from langchain_core.messages import BaseMessage

from copilot.llm import ChatLLM, LlmError, LlmReply

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)


class ApiMetrics:
    """Requests, latency, LLM tokens and errors, and offline fallbacks. No community labels:
    one tenant's traffic is never visible in another's numbers, and cardinality stays bounded."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            "copilot_http_requests", "HTTP requests.", ["method", "route", "status"], registry=r
        )
        self.latency = Histogram(
            "copilot_http_request_duration_seconds",
            "HTTP request latency.",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.skill_results = Counter(
            "copilot_skill_results", "Skill outputs by mode.", ["skill", "mode"], registry=r
        )
        self.fallbacks = Counter(
            "copilot_offline_fallbacks",
            "Outputs the offline engine produced because the LLM failed.",
            ["skill"],
            registry=r,
        )
        self.llm_calls = Counter("copilot_llm_requests", "LLM completions attempted.", registry=r)
        self.llm_errors = Counter("copilot_llm_errors", "LLM completions that failed.", registry=r)
        self.llm_latency = Histogram(
            "copilot_llm_request_duration_seconds",
            "LLM completion latency.",
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.tokens = Counter("copilot_llm_tokens", "LLM tokens.", ["kind"], registry=r)

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)

    def observe_result(self, skill: str, result: Any) -> None:
        mode = str(getattr(result, "mode", "offline"))
        self.skill_results.labels(skill, mode).inc()
        if mode == "offline-fallback":
            self.fallbacks.labels(skill).inc()

    def render(self) -> tuple[bytes, str]:
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


class MeteredLLM:
    """Wraps the LLM port to count calls, failures, latency and tokens for every skill."""

    def __init__(self, inner: ChatLLM, metrics: ApiMetrics) -> None:
        self.inner = inner
        self.name = inner.name
        self._metrics = metrics

    def complete(self, messages: list[BaseMessage], *, json_mode: bool = False) -> LlmReply:
        self._metrics.llm_calls.inc()
        start = time.perf_counter()
        try:
            reply = self.inner.complete(messages, json_mode=json_mode)
        except LlmError:
            self._metrics.llm_errors.inc()
            raise
        finally:
            self._metrics.llm_latency.observe(time.perf_counter() - start)
        for kind in ("prompt_tokens", "completion_tokens"):
            self._metrics.tokens.labels(kind.removesuffix("_tokens")).inc(reply.usage.get(kind, 0))
        return reply


def meter_llm(copilot: Any, metrics: ApiMetrics) -> None:
    """Put a MeteredLLM in front of the facade's LLM (a cached property, so set it once here)."""
    llm = copilot.llm
    if llm is None:
        return
    if isinstance(llm, MeteredLLM):
        llm = llm.inner
    copilot.__dict__["llm"] = MeteredLLM(llm, metrics)
