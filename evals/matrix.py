"""The variant matrix: `--matrix AXIS=V1,V2` flags, expanded as a Cartesian product.

Axes: `prompt` (values `name@version`, several joined with `+`: `answer@v2+draft@v2`),
`provider` (→ llm_provider), `model` (→ llm_model), `base_url` (→ llm_base_url),
`temperature` (→ llm_temperature), and any other copilot Settings field by its own name
(`top_k`, `handoff_threshold`, `chunk_tokens`, ...). The first variant (A) is the reference the
others are compared against.
"""

from __future__ import annotations

import itertools
import string
from typing import Any

import yaml

from evals.results import Variant

AXIS_ALIASES = {
    "provider": "llm_provider",
    "model": "llm_model",
    "base_url": "llm_base_url",
    "temperature": "llm_temperature",
}


class MatrixError(ValueError):
    pass


def _scalar(text: str) -> Any:
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        return text
    return value if isinstance(value, int | float | bool) else text


def parse_axis(spec: str) -> tuple[str, list[Any]]:
    name, sep, values = spec.partition("=")
    name = name.strip()
    if not sep or not name or not values.strip():
        raise MatrixError(f"--matrix expects AXIS=V1,V2,... (got {spec!r})")
    if "key" in name.lower() or "secret" in name.lower() or name.lower() == "token":
        raise MatrixError(
            f"--matrix {name}: secrets never go on the command line (they would "
            "be printed in every report); set COPILOT_LLM_API_KEY instead"
        )
    items = [v.strip() for v in values.split(",") if v.strip()]
    if len(set(items)) != len(items):
        raise MatrixError(f"--matrix {name}: duplicate values in {spec!r}")
    if name == "prompt":
        for item in items:
            for ref in item.split("+"):
                if "@" not in ref:
                    raise MatrixError(f"--matrix prompt: expected name@version, got {ref!r}")
        return name, items
    return name, [_scalar(v) for v in items]


def compare_axis(a: str, b: str) -> str:
    """`--compare A B` as a matrix axis: two prompt refs, or two AXIS=VALUE of one axis."""
    if "@" in a and "@" in b and "=" not in a + b:
        return f"prompt={a},{b}"
    (ka, _, va), (kb, _, vb) = a.partition("="), b.partition("=")
    if ka and ka == kb and va and vb:
        return f"{ka}={va},{vb}"
    raise MatrixError(
        f"--compare expects two prompt versions (answer@v1 answer@v2) or two "
        f"values of one axis (top_k=3 top_k=5), got {a!r} {b!r}"
    )


def _variant_id(i: int) -> str:
    return string.ascii_uppercase[i] if i < 26 else f"V{i + 1}"


def expand_matrix(specs: list[str] | tuple[str, ...] | None) -> list[Variant]:
    axes: list[tuple[str, list[Any]]] = [parse_axis(s) for s in specs or []]
    names = [a for a, _ in axes]
    if len(set(names)) != len(names):
        raise MatrixError(f"--matrix: axis given twice in {names}")
    if not axes:
        return [Variant(id="A", label="default")]
    variants = []
    for i, combo in enumerate(itertools.product(*(values for _, values in axes))):
        point = dict(zip(names, combo, strict=True))
        prompts: dict[str, str] = {}
        settings: dict[str, Any] = {}
        for name, value in point.items():
            if name == "prompt":
                for ref in str(value).split("+"):
                    prompts[ref.partition("@")[0]] = ref
            else:
                settings[AXIS_ALIASES.get(name, name)] = value
        label = " · ".join(f"{k}={v}" for k, v in point.items())
        variants.append(
            Variant(id=_variant_id(i), label=label, axes=point, prompts=prompts, settings=settings)
        )
    return variants
