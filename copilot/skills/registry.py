"""The skill registry: each skill package declares one ``SKILL``; every surface reads it.

From a declaration follow: the facade method ``Copilot.<name>`` (its keyword arguments are the
request's fields), the HTTP route ``POST /v1/communities/{id}/<path>`` with ``request`` as body
and ``response`` as what leaves the server, the OpenAI model ``copilot-<name>``, the
``copilot <name>`` command, the eval suites' ``skill: <name>`` and the prompt family under
``prompts/<prompt>/``. ``tests/skills/test_registry.py`` checks each surface has the skill.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from functools import cache
from typing import Literal

from pydantic import BaseModel

import copilot.skills


@dataclass(frozen=True)
class SkillSpec:
    name: str
    summary: str  # one line for the route's documentation
    prompt: str
    role: Literal["member", "operator"]  # the least API key role that may run it
    path: str
    request: type[BaseModel]
    response: type[BaseModel]
    streamable: bool = True  # may answer as server-sent events (long-running skills)

    @property
    def model(self) -> str:
        """The OpenAI-compatible model name."""
        return f"copilot-{self.name}"


@cache
def skills() -> dict[str, SkillSpec]:
    """Skill name → declaration, for every package in copilot.skills that declares one (in
    package order)."""
    found: dict[str, SkillSpec] = {}
    for info in pkgutil.iter_modules(copilot.skills.__path__):
        if not info.ispkg:
            continue
        spec = getattr(importlib.import_module(f"copilot.skills.{info.name}"), "SKILL", None)
        if isinstance(spec, SkillSpec):
            found[spec.name] = spec
    return found
