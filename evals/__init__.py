"""Evaluation harness for Community Copilot: YAML suites, a variant matrix, paired comparisons,
HTML/JSON/JUnit reports and a CI gate. See evals/README.md."""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from evals.cli import eval_command, run_eval
    from evals.results import RunReport, Variant
    from evals.targets import CopilotTarget, Target, TargetOutput

# Imported on first use (PEP 562): `copilot` mounts `copilot eval` from evals.cli, and every
# other command should not import the harness (0.5 s) to start.
_WHERE = {
    "eval_command": "evals.cli",
    "run_eval": "evals.cli",
    "RunReport": "evals.results",
    "Variant": "evals.results",
    "CopilotTarget": "evals.targets",
    "Target": "evals.targets",
    "TargetOutput": "evals.targets",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'evals' has no attribute {name!r}")


__all__ = [
    "CopilotTarget",
    "RunReport",
    "Target",
    "TargetOutput",
    "Variant",
    "eval_command",
    "run_eval",
]
