"""Versioned prompt templates: `copilot/prompts/<skill>/<version>.yaml` (package data, so an
installed wheel has them), loaded as `skill@version`.

A prompt change is a new version file, never an edit in place, so evals can compare versions
and every output records exactly which prompt produced it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, Field

if TYPE_CHECKING:  # LangChain loads only when a prompt is rendered for an LLM (~1 s of import)
    from langchain_core.messages import BaseMessage

PROMPTS_DIR = Path(str(files(__name__)))  # installed packages are plain folders
VERSION = re.compile(r"^v(\d+)$")
# Templates quote data between <<<...>>> markers; a value must never close (or open) one.
_MARKER_RUN = re.compile(r"<{3,}|>{3,}")


def quote_safe(value: str) -> str:
    """`value` with every run of 3+ '<' or '>' turned into look-alikes ('‹', '›'), so member
    text cannot end the quoted block it sits in (`PASSAGES>>>`) and speak as instructions."""
    return _MARKER_RUN.sub(lambda m: ("‹" if m[0][0] == "<" else "›") * len(m[0]), value)


class PromptNotFoundError(LookupError):
    pass


class Prompt(BaseModel):
    """A prompt file: metadata plus chat messages in LangChain's f-string template syntax."""

    name: str
    version: str
    description: str = ""
    input_variables: list[str]
    output_schema: dict[str, Any] | None = None
    messages: list[dict[str, str]] = Field(min_length=1)

    @property
    def ref(self) -> str:
        return f"{self.name}@{self.version}"

    def render(self, **variables: str) -> list[BaseMessage]:
        from langchain_core.prompts import ChatPromptTemplate

        template = ChatPromptTemplate.from_messages(
            [(m["role"], m["content"]) for m in self.messages]
        )
        return template.format_messages(
            **{k: quote_safe(v) if isinstance(v, str) else v for k, v in variables.items()}
        )


def available_versions(name: str, directory: Path = PROMPTS_DIR) -> list[str]:
    """Versions of one prompt, oldest first (v2 before v10)."""
    folder = directory / name
    versions = [p.stem for p in folder.glob("v*.yaml") if VERSION.match(p.stem)]
    return sorted(versions, key=lambda v: int(v[1:]))


def load_prompt(ref: str, directory: Path = PROMPTS_DIR) -> Prompt:
    """Load `name@version`, or the latest version for a bare `name`."""
    name, _, version = ref.partition("@")
    versions = available_versions(name, directory)
    if not versions:
        raise PromptNotFoundError(f"no prompt named '{name}' in {directory}")
    version = version or versions[-1]
    if version not in versions:
        raise PromptNotFoundError(
            f"prompt '{name}' has no version '{version}' (available: {', '.join(versions)})"
        )
    return _load(directory / name / f"{version}.yaml")


@lru_cache(maxsize=64)
def _load(path: Path) -> Prompt:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    prompt = Prompt.model_validate(data)
    if f"{prompt.name}/{prompt.version}" != f"{path.parent.name}/{path.stem}":
        raise ValueError(f"{path}: name/version inside the file do not match its path")
    return prompt
