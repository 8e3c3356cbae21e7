"""Suite model and YAML loading with errors that name the file and the case.

A suite is one YAML file: which skill it exercises, which community id it uses, which
knowledge it ingests (and optionally the community profile), and its cases (evals/cases.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from evals.cases import (
    CASE_MODELS,
    CHECK_TYPES,
    AskCase,
    Case,
    CaseBase,
    Check,
    DraftCase,
    Expect,
    Message,
    ReplayCase,
    SuggestCase,
    SummarizeCase,
)

__all__ = [
    "CASE_MODELS",
    "CHECK_TYPES",
    "AskCase",
    "Case",
    "CaseBase",
    "Check",
    "DraftCase",
    "Expect",
    "Message",
    "ReplayCase",
    "Skill",
    "SuggestCase",
    "Suite",
    "SuiteError",
    "SummarizeCase",
    "load_suite",
    "load_suites",
    "parse_suite",
]

Skill = str  # a registered skill (copilot.skills.registry) or "replay": see CASE_MODELS
COMMUNITY_ID = r"^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,62}[A-Za-z0-9])?$"  # as copilot.errors


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class SuiteError(ValueError):
    """A suite file is missing, malformed or inconsistent; the message says where."""


class KnowledgeSpec(_Strict):
    path: str
    kind: Literal["playbook", "chat"] | None = None


class Defaults(_Strict):
    """Limits and checks applied to every case of the suite."""

    max_latency_ms: float | None = None
    max_tokens: int | None = None
    max_cost: float | None = None
    checks: list[Check] = Field(default_factory=list, alias="assert")


class Suite(_Strict):
    name: str = Field(alias="suite")
    skill: Skill
    community: str = Field(pattern=COMMUNITY_ID)
    description: str = ""
    profile: dict[str, Any] = Field(default_factory=dict)  # community profile set before cases
    knowledge: list[KnowledgeSpec] = Field(default_factory=list)
    k: list[int] = Field(default_factory=lambda: [1, 3, 5])
    defaults: Defaults = Field(default_factory=Defaults)
    cases: list[Any] = Field(min_length=1)
    path: Path = Path("<memory>")
    root: Path = Path(".")  # project root: knowledge and file paths are relative to it

    @field_validator("skill")
    @classmethod
    def _known_skill(cls, v: str) -> str:
        if v not in CASE_MODELS:
            raise ValueError(f"unknown skill {v!r}; choose one of: {', '.join(CASE_MODELS)}")
        return v

    @field_validator("knowledge", mode="before")
    @classmethod
    def _paths(cls, v: Any) -> Any:
        return [{"path": x} if isinstance(x, str) else x for x in (v or [])]

    def resolve(self, relative: str) -> Path:
        p = Path(relative)
        return p if p.is_absolute() else self.root / p

    def knowledge_paths(self) -> list[tuple[Path, str | None]]:
        return [(self.resolve(k.path), k.kind) for k in self.knowledge]


def find_root(start: Path) -> Path:
    """The nearest ancestor holding pyproject.toml (else the suite's own folder)."""
    for parent in [start, *start.parents]:
        if (parent / "pyproject.toml").exists():
            return parent
    return start


def _where(path: Path, raw: Any, index: int) -> str:
    ident = raw.get("id") if isinstance(raw, dict) else None
    return f"{path}: case #{index + 1}" + (f" '{ident}'" if ident else "")


def _explain(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err["loc"]) or "(top level)"
        parts.append(f"{loc}: {err['msg']}")
    return "; ".join(parts)


def parse_suite(data: Any, path: Path, root: Path | None = None) -> Suite:
    if not isinstance(data, dict):
        raise SuiteError(f"{path}: expected a mapping with 'suite', 'skill', 'cases'")
    root = root or find_root(path.resolve().parent)
    try:
        suite = Suite.model_validate({**data, "path": path, "root": root})
    except ValidationError as exc:
        raise SuiteError(f"{path}: {_explain(exc)}") from None
    model = CASE_MODELS[suite.skill]
    cases: list[CaseBase] = []
    seen: set[str] = set()
    for i, raw in enumerate(suite.cases):
        where = _where(path, raw, i)
        if not isinstance(raw, dict):
            raise SuiteError(f"{where}: expected a mapping")
        try:
            case = model.model_validate(raw)
        except ValidationError as exc:
            raise SuiteError(f"{where}: {_explain(exc)}") from None
        if case.id in seen:
            raise SuiteError(f"{where}: duplicate case id '{case.id}'")
        seen.add(case.id)
        for rel in _files_of(case):
            if not suite.resolve(rel).exists():
                raise SuiteError(f"{where}: file not found: {rel} (relative to {root})")
        cases.append(case)
    suite.cases = cases
    for spec in suite.knowledge:
        if not suite.resolve(spec.path).exists():
            raise SuiteError(f"{path}: knowledge path not found: {spec.path} (relative to {root})")
    return suite


def _files_of(case: CaseBase) -> list[str]:
    if isinstance(case, SummarizeCase) and case.file:
        return [case.file]
    if isinstance(case, SuggestCase) and case.history_file:
        return [case.history_file]
    if isinstance(case, ReplayCase) and case.file:
        return [case.file]
    return []


def load_suite(path: str | Path, root: Path | None = None) -> Suite:
    path = Path(path)
    if not path.is_file():
        raise SuiteError(f"{path}: suite file not found")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SuiteError(f"{path}: invalid YAML: {exc}") from None
    return parse_suite(data, path, root)


def load_suites(paths: list[str | Path], root: Path | None = None) -> list[Suite]:
    """Load suite files (folders expand to their *.yaml); suite names must be unique."""
    files: list[Path] = []
    for p in map(Path, paths):
        files.extend(sorted(p.glob("*.yaml")) if p.is_dir() else [p])
    suites = [load_suite(f, root) for f in files]
    names: dict[str, Path] = {}
    for s in suites:
        if s.name in names:
            raise SuiteError(f"{s.path}: suite name '{s.name}' also used by {names[s.name]}")
        names[s.name] = s.path
    if not suites:
        raise SuiteError("no suite files given")
    return suites
