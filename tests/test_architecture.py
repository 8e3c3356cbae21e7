"""ARCHITECTURE.md stays true: every module, class, function and file it names exists, and
the layers it draws are the ones import-linter enforces."""

from __future__ import annotations

import importlib
import re
import tomllib
from pathlib import Path

import pytest

from copilot.api.routes.connectors import webhook_router

REPO = Path(__file__).resolve().parent.parent
PAGE = (REPO / "ARCHITECTURE.md").read_text(encoding="utf-8")
NAMES = sorted(
    set(re.findall(r"`((?:copilot|connectors|evals|tests)(?:\.\w+)+)`", PAGE))
    | set(re.findall(r"`((?:copilot|connectors|evals|tests)\.\w+(?:\.\w+)*)\(", PAGE))
)
PATHS = sorted(p for p in re.findall(r"`([\w./-]+/[\w./-]*)`", PAGE) if not p.startswith("/"))


def resolve(name: str) -> object:
    """Import the longest module prefix of `name`, then walk the attributes."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[cut:]:
            target = getattr(target, attribute)
        return target
    raise ModuleNotFoundError(name)


def test_the_page_names_enough_to_be_checked() -> None:
    assert len(NAMES) > 30 and len(PATHS) > 10


@pytest.mark.parametrize("name", NAMES)
def test_every_named_module_and_object_exists(name: str) -> None:
    assert resolve(name) is not None


@pytest.mark.parametrize("path", PATHS)
def test_every_named_file_and_folder_exists(path: str) -> None:
    assert (REPO / path).exists(), path


def test_the_route_of_the_walkthrough_is_mounted() -> None:
    (route,) = re.findall(r"POSTs to `(/connectors/[\w/]+)`", PAGE)
    assert route in {r.path for r in webhook_router().routes}  # type: ignore[attr-defined]


def test_the_drawn_layers_are_the_enforced_ones() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    (layers,) = [c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    enforced = {name.strip() for layer in layers["layers"] for name in layer.split("|")}
    drawing = PAGE.split("```")[1]
    drawn = set(re.findall(r"^(copilot\.\w+|connectors|evals)\b", drawing, re.MULTILINE))
    drawn |= set(re.findall(r"\|\s+(evals)\b", drawing))
    assert drawn <= enforced, drawn - enforced
