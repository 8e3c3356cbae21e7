"""Commands import what they need: no Chroma, Alembic, eval harness or connectors to list keys,
no Chroma or jieba to show a profile (the CLI's cold start is mostly imports)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("chromadb", "alembic", "evals.runner", "connectors.base", "langchain_core", "jieba")
PROBE = """
import json, sys
from typer.testing import CliRunner
from copilot.cli import app
result = CliRunner().invoke(app, json.loads(sys.argv[1]))
print(json.dumps({"code": result.exit_code, "loaded": [m for m in json.loads(sys.argv[2])
                  if m in sys.modules]}))
"""


def _loaded(args: list[str], data_dir: Path) -> dict[str, object]:
    env = {**os.environ, "COPILOT_DATA_DIR": str(data_dir), "COPILOT_LLM_PROVIDER": "offline"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args), json.dumps(HEAVY)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "args",
    [["keys", "list"], ["profile", "show", "-c", "club"], ["questions", "list", "-c", "club"]],
)
def test_commands_without_retrieval_import_none_of_it(args: list[str], tmp_path: Path) -> None:
    _loaded(["keys", "list"], tmp_path)  # the database exists (and is at the head) from here on
    found = _loaded(args, tmp_path)
    assert found == {"code": 0, "loaded": []}


def test_an_offline_ask_of_a_small_community_opens_no_chroma(tmp_path: Path) -> None:
    """Its vectors come from the snapshot the ingest wrote (copilot.retrieval.snapshots)."""
    (tmp_path / "rules.md").write_text("# 群规\n## 分享会\n每周三晚上八点举行分享会。\n")
    assert _loaded(["ingest", str(tmp_path / "rules.md"), "-c", "club"], tmp_path)["code"] == 0
    found = _loaded(["ask", "分享会是什么时候？", "-c", "club"], tmp_path)
    assert found["code"] == 0
    assert not {"chromadb", "langchain_core"} & set(found["loaded"])  # type: ignore[arg-type]


def test_the_cli_lists_the_platforms_of_the_registry() -> None:
    from connectors.registry import platform_names as registered
    from copilot.cli.connectors import listed_platforms

    assert listed_platforms() == registered()
