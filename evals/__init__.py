"""Evaluation harness for Community Copilot: YAML suites, a variant matrix, paired comparisons,
HTML/JSON/JUnit reports and a CI gate. See evals/README.md."""

from evals.cli import eval_command, run_eval
from evals.results import RunReport, Variant
from evals.targets import CopilotTarget, Target, TargetOutput

__all__ = [
    "CopilotTarget",
    "RunReport",
    "Target",
    "TargetOutput",
    "Variant",
    "eval_command",
    "run_eval",
]
