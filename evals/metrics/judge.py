"""Optional LLM-judge rubric. Used only when an LLM is configured; otherwise skipped, not failed.

The judge prompt is versioned like every other prompt: `judge@v1` is looked up in the
project's prompts/ folder first and in evals/prompts/ second. Grades are cached with the same
response cache as the target's outputs (keyed by judge prompt, model, rubric, input, output),
so CI replays recorded grades with no network.
"""

from __future__ import annotations

import json
import re
from importlib.resources import files
from pathlib import Path
from typing import Any

from evals.cache import ResponseCache

EVALS_PROMPTS = Path(str(files("evals") / "prompts"))
JUDGE_PROMPT = "judge@v1"


def load_judge_prompt(ref: str = JUDGE_PROMPT) -> Any:
    from copilot.prompts import PROMPTS_DIR, PromptNotFoundError, load_prompt

    try:
        return load_prompt(ref, PROMPTS_DIR)
    except PromptNotFoundError:
        return load_prompt(ref, EVALS_PROMPTS)


def parse_grade(text: str) -> tuple[int, str]:
    """Extract {"score": 1-5, "reason": ...} from a reply (tolerates prose around the JSON)."""
    match = re.search(r"\{.*\}", text or "", re.DOTALL)
    if not match:
        raise ValueError(f"judge reply has no JSON: {text[:120]!r}")
    data = json.loads(match.group(0))
    score = int(data["score"])
    if not 1 <= score <= 5:
        raise ValueError(f"judge score out of range: {score}")
    return score, str(data.get("reason", ""))


class Judge:
    """Grades text against a rubric with an LLM (anything with `.name` and `.complete()`)."""

    def __init__(
        self, llm: Any, prompt_ref: str = JUDGE_PROMPT, cache: ResponseCache | None = None
    ) -> None:
        self.llm = llm
        self.prompt = load_judge_prompt(prompt_ref)
        self.cache = cache

    @classmethod
    def from_environment(cls, cache: ResponseCache | None = None) -> Judge | None:
        """A judge over the configured LLM (COPILOT_LLM_*), or None in offline mode."""
        try:
            from copilot.config import Settings
            from copilot.llm.factory import build_llm

            llm = build_llm(Settings())
        except Exception:
            return None
        return cls(llm, cache=cache) if llm is not None else None

    def grade(self, rubric: str, input_text: str, output_text: str) -> tuple[float, str]:
        """A score in [0, 1] ((grade - 1) / 4) and the judge's reason."""
        key_parts = {
            "judge": self.prompt.ref,
            "model": getattr(self.llm, "name", "?"),
            "rubric": rubric,
            "input": input_text,
            "output": output_text,
        }
        cached = self.cache.get(key_parts) if self.cache else None
        if cached is not None:
            reply = cached["reply"]
        else:
            messages = self.prompt.render(rubric=rubric, input=input_text, output=output_text)
            reply = self.llm.complete(messages, json_mode=True).text
            if self.cache:
                self.cache.put(key_parts, {"reply": reply})
        score, reason = parse_grade(reply)
        return (score - 1) / 4, reason
