"""What the runner evaluates: the `Target` protocol, and the adapter over the real Copilot.

A target gets (variant, suite, case) and returns the skill's output as a plain dict (the
pydantic result's `model_dump(mode="json")`), with latency and token usage. The runner owns
matrix, repeats, cache, scoring and reports; targets only produce outputs. Tests use a fake.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from evals.copilot_inputs import (
    case_community,
    chat_messages,
    load_router,
    replay_messages,
    set_profile,
    shown_path,
    strip_mentions,
)
from evals.results import Variant, prompt_of
from evals.schema import (
    AskCase,
    CaseBase,
    DraftCase,
    Message,
    ReplayCase,
    SuggestCase,
    Suite,
    SummarizeCase,
)


@dataclass
class TargetOutput:
    output: dict[str, Any]
    latency_ms: float | None = None  # None: the runner measures wall time around run()
    usage: dict[str, int] = field(default_factory=dict)
    model: str = ""  # priced for the cost metric
    cacheable: bool = True  # False for outputs that must not be replayed (fallbacks)


class Target(Protocol):
    name: str

    def validate(self, variant: Variant) -> None:
        """Raise ValueError with a clear message if the variant cannot run."""

    def cache_enabled(self, variant: Variant) -> bool:
        """May outputs of this variant be cached in cache mode 'auto' (i.e. are they LLM calls)?"""

    def describe(self, variant: Variant, suite: Suite) -> dict[str, Any]:
        """Everything besides the case that determines an output: effective provider, model,
        settings and prompt version (and its content hash). Part of the cache key."""

    def prepare(self, variant: Variant, suite: Suite) -> None:
        """Ingest the suite's knowledge for this variant (called once, before its first case)."""

    def run(self, variant: Variant, suite: Suite, case: CaseBase) -> TargetOutput: ...

    def close(self) -> None: ...


class CopilotTarget:
    """Runs cases against copilot.service.Copilot, one instance per distinct settings.

    Each variant's Settings = environment/.env settings + the variant's overrides, with a
    data dir of its own under `data_dir` (a temporary folder by default, removed on close).
    """

    name = "copilot"

    def __init__(self, data_dir: Path | None = None, *, embedder: Any = None) -> None:
        self._own_root = data_dir is None
        self.root = Path(data_dir or tempfile.mkdtemp(prefix="copilot-eval-"))
        self._embedder = embedder
        self._instances: dict[str, Any] = {}
        self._prepared: set[tuple[str, str]] = set()
        self._lock = threading.Lock()
        self._keyed_locks: dict[Any, threading.Lock] = {}

    # ---- settings and instances ------------------------------------------------------------

    def _overrides(self, variant: Variant) -> dict[str, Any]:
        return {k: v for k, v in sorted(variant.settings.items())}

    def validate(self, variant: Variant) -> None:
        from copilot.config import Settings

        unknown = sorted(set(variant.settings) - set(Settings.model_fields))
        if unknown:
            known = ", ".join(Settings.model_fields)
            raise ValueError(
                f"variant {variant.label}: unknown settings {unknown} "
                f"(known: prompt, provider, model, {known})"
            )
        self._settings(variant)  # validates values

    def _settings(self, variant: Variant) -> Any:
        from copilot.config import Settings

        key = _settings_key(self._overrides(variant))
        return Settings(**{**self._overrides(variant), "data_dir": self.root / key})

    def cache_enabled(self, variant: Variant) -> bool:
        return not self._settings(variant).offline

    def describe(self, variant: Variant, suite: Suite) -> dict[str, Any]:
        import hashlib

        from copilot.prompts import PROMPTS_DIR, available_versions

        settings = self._settings(variant).model_dump(
            mode="json", exclude={"data_dir", "llm_api_key", "embedding_api_key"}
        )
        name = prompt_of(suite.skill)
        ref = variant.prompt_for(suite.skill)
        versions = available_versions(name)
        version = ref.partition("@")[2] if ref else (versions[-1] if versions else "")
        path = PROMPTS_DIR / name / f"{version}.yaml"
        sha = hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.is_file() else ""
        return {"settings": settings, "prompt": f"{name}@{version}", "prompt_sha": sha}

    def _copilot(self, variant: Variant) -> Any:
        key = _settings_key(self._overrides(variant))
        with self._lock:
            if key not in self._instances:
                from copilot.service import Copilot

                settings = self._settings(variant)
                if self._embedder is None and settings.embedder == "use":
                    from copilot.embeddings.factory import build_embedder

                    self._embedder = build_embedder(settings)  # one model for all variants
                embedder = self._embedder if settings.embedder == "use" else None
                self._instances[key] = Copilot(settings, embedder=embedder)
            return self._instances[key]

    def _keyed_lock(self, key: Any) -> threading.Lock:
        with self._lock:
            return self._keyed_locks.setdefault(key, threading.Lock())

    # ---- protocol --------------------------------------------------------------------------

    def prepare(self, variant: Variant, suite: Suite) -> None:
        """Ingest the suite's knowledge. Suites may share a community: re-ingesting unchanged
        files is a no-op in the copilot. Ingests into one data dir are serialised."""
        cp = self._copilot(variant)
        skey = _settings_key(self._overrides(variant))
        key = (skey, "suite:" + suite.name)
        # One writer per data dir: concurrent ingests only queue on SQLite's write lock.
        with self._keyed_lock(("ingest", skey)):
            if key in self._prepared:
                return
            for path, kind in suite.knowledge_paths():
                report = cp.ingest_paths(suite.community, [shown_path(path)], kind=kind)
                bad = [f"{f.source}: {f.error}" for f in report.files if f.outcome == "skipped"]
                if bad:
                    raise RuntimeError(f"suite {suite.name}: could not ingest {bad}")
            if suite.profile:
                set_profile(cp, suite.community, suite.profile)
            self._prepared.add(key)

    def _ingest_case(
        self,
        cp: Any,
        variant: Variant,
        suite: Suite,
        case: CaseBase,
        messages: list[Message] | None,
        file: str | None,
        profile: dict[str, Any] | None = None,
    ) -> str:
        """A case with its own transcript or profile gets its own community (isolation)."""
        if messages is None and file is None and not profile:
            return suite.community
        community = case_community(suite, case)
        skey = _settings_key(self._overrides(variant))
        key = (skey, community)
        with self._keyed_lock(("ingest", skey)):
            if key not in self._prepared:
                if file is not None:
                    cp.ingest_paths(community, [shown_path(suite.resolve(file))], kind="chat")
                elif messages:
                    channel = getattr(case, "channel", None) or "default"
                    cp.ingest_messages(community, chat_messages(messages, community, channel))
                if profile or suite.profile:
                    set_profile(cp, community, {**suite.profile, **(profile or {})})
                self._prepared.add(key)
        return community

    def run(self, variant: Variant, suite: Suite, case: CaseBase) -> TargetOutput:
        cp = self._copilot(variant)
        prompt = variant.prompt_for(suite.skill)
        start = time.perf_counter()
        if isinstance(case, AskCase):
            result = cp.ask(suite.community, case.question, prompt=prompt, top_k=case.top_k)
        elif isinstance(case, DraftCase):
            result = cp.draft(
                suite.community,
                kind=case.kind,
                topic=case.topic,
                channel=case.channel,
                tone=case.tone,
                language=case.language,
                prompt=prompt,
            )
        elif isinstance(case, SummarizeCase):
            community = self._ingest_case(cp, variant, suite, case, case.transcript, case.file)
            result = cp.summarize(
                community, since=case.since, until=case.until, channel=case.channel, prompt=prompt
            )
        elif isinstance(case, SuggestCase):
            community = self._ingest_case(
                cp, variant, suite, case, case.history, case.history_file, case.profile
            )
            result = cp.suggest(community, today=case.today, prompt=prompt)
        elif isinstance(case, ReplayCase):
            return self._replay(cp, suite, case, prompt, start)
        else:  # pragma: no cover - schema guarantees one of the above
            raise TypeError(f"unsupported case type {type(case).__name__}")
        latency = (time.perf_counter() - start) * 1000
        data = result.model_dump(mode="json")
        return TargetOutput(
            output=data,
            latency_ms=latency,
            usage=dict(data.get("usage") or {}),
            model=str(data.get("model", "")),
            cacheable=data.get("mode") != "offline-fallback",
        )

    def _replay(
        self, cp: Any, suite: Suite, case: ReplayCase, prompt: str | None, start: float
    ) -> TargetOutput:
        """Feed the group conversation message by message; the router and handoff decide."""
        should_answer, router = load_router()
        turns, usage, modes, model = [], {"prompt_tokens": 0, "completion_tokens": 0}, set(), ""
        for mid, text, mentioned in replay_messages(suite, case):
            routed = bool(should_answer(text, mentioned, case.mode))
            turn: dict[str, Any] = {"id": mid, "routed": routed, "answered": False}
            if routed:
                question = strip_mentions(text) or text
                res = cp.ask(suite.community, question, prompt=prompt).model_dump(mode="json")
                turn.update(
                    answered=not res["handoff"],
                    handoff=res["handoff"],
                    answer=res["answer"],
                    citations=res["citations"],
                    retrieved=res.get("retrieved", []),
                )
                for k, v in (res.get("usage") or {}).items():
                    usage[k] = usage.get(k, 0) + int(v)
                modes.add(res.get("mode"))
                model = res.get("model", model)
            turns.append(turn)
        latency = (time.perf_counter() - start) * 1000
        return TargetOutput(
            output={"turns": turns, "router": router, "mode": ",".join(sorted(map(str, modes)))},
            latency_ms=latency,
            usage=usage,
            model=model,
            cacheable="offline-fallback" not in modes,
        )

    def close(self) -> None:
        for instance in self._instances.values():
            instance.close()
        self._instances.clear()
        if self._own_root:
            shutil.rmtree(self.root, ignore_errors=True)


def _settings_key(overrides: dict[str, Any]) -> str:
    import hashlib
    import json

    blob = json.dumps(overrides, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:12]
