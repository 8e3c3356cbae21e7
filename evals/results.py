"""Result models: what a run produces, what the reports render and what --json writes."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

# Metrics where a smaller value is better; every other metric is "higher is better".
LOWER_IS_BETTER = frozenset({"latency_ms", "tokens", "cost_usd", "error"})


def higher_is_better(metric: str) -> bool:
    return metric.split(":")[-1] not in LOWER_IS_BETTER


class AssertionResult(BaseModel):
    name: str
    passed: bool | None  # None = skipped (e.g. judge without an LLM)
    score: float | None = None
    detail: str = ""


class Variant(BaseModel):
    """One point of the matrix. `settings` are overrides for copilot.config.Settings."""

    id: str
    label: str
    axes: dict[str, Any] = Field(default_factory=dict)
    prompts: dict[str, str] = Field(default_factory=dict)  # prompt name -> "name@version"
    settings: dict[str, Any] = Field(default_factory=dict)

    def prompt_for(self, skill: str) -> str | None:
        return self.prompts.get(prompt_of(skill))


def prompt_of(skill: str) -> str:
    """The prompt family a suite's skill runs on (its declaration; replay runs `ask`)."""
    from copilot.skills.registry import skills  # imported on use: the CLI starts faster

    spec = skills().get("ask" if skill == "replay" else skill)
    return spec.prompt if spec else skill


class CaseInfo(BaseModel):
    suite: str
    case_id: str
    skill: str
    language: str | None = None
    tags: list[str] = Field(default_factory=list)
    input: str = ""

    @property
    def key(self) -> str:
        return f"{self.suite}/{self.case_id}"


class CaseRun(BaseModel):
    """One (variant, case, repeat): the target's output and how it scored."""

    variant: str
    suite: str
    case_id: str
    repeat: int = 0
    output: dict[str, Any] = Field(default_factory=dict)
    text: str = ""  # the output rendered as text (for reports and diffs)
    latency_ms: float = 0.0
    usage: dict[str, int] = Field(default_factory=dict)
    cached: bool = False
    error: str | None = None
    assertions: list[AssertionResult] = Field(default_factory=list)
    metrics: dict[str, float] = Field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.suite}/{self.case_id}"

    @property
    def passed(self) -> bool:
        return self.metrics.get("pass", 0.0) >= 1.0


class MetricSummary(BaseModel):
    mean: float
    spread: float = 0.0  # stdev of the metric's mean across repeats (run-to-run noise)
    n: int = 0  # cases with a value


class Comparison(BaseModel):
    """B against A over the cases both have, with a paired-bootstrap confidence interval."""

    metric: str
    a: str
    b: str
    n: int
    mean_a: float
    mean_b: float
    delta: float  # mean_b - mean_a
    ci_low: float
    ci_high: float
    confidence: float = 0.95
    verdict: str  # "better" | "worse" | "no significant difference"
    changed_cases: int = 0


class CaseChange(BaseModel):
    """A case whose outcome differs between two runs or variants, and why."""

    case: str
    a: str
    b: str
    direction: str  # "better" | "worse" | "changed"
    pass_a: float
    pass_b: float
    flipped: list[str] = Field(default_factory=list)  # "name: passed→failed (detail)"
    metric_deltas: dict[str, float] = Field(default_factory=dict)


class GateResult(BaseModel):
    rule: str
    variant: str
    passed: bool
    detail: str


class RunReport(BaseModel):
    meta: dict[str, Any] = Field(default_factory=dict)
    variants: list[Variant]
    cases: list[CaseInfo]
    runs: list[CaseRun]
    summary: dict[str, dict[str, MetricSummary]] = Field(default_factory=dict)
    suite_summary: dict[str, dict[str, dict[str, MetricSummary]]] = Field(default_factory=dict)
    comparisons: list[Comparison] = Field(default_factory=list)
    changes: list[CaseChange] = Field(default_factory=list)  # between variants (B.. vs A)
    baseline: dict[str, Any] | None = None  # {"path", "comparisons": [...], "changes": [...]}
    gate: list[GateResult] = Field(default_factory=list)

    @property
    def gate_passed(self) -> bool:
        return all(g.passed for g in self.gate)

    def variant(self, vid: str) -> Variant:
        return next(v for v in self.variants if v.id == vid)

    def runs_of(self, variant: str, key: str) -> list[CaseRun]:
        return [r for r in self.runs if r.variant == variant and r.key == key]
