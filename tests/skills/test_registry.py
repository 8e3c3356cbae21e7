"""Every registered skill is reachable the same way everywhere: its declaration names the
facade method, route, OpenAI model, CLI command, eval suites and prompt, and each exists."""

from __future__ import annotations

import inspect

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from copilot.api import create_app
from copilot.api.chat_skills import CHAT_SKILLS
from copilot.cli import app as cli
from copilot.prompts import load_prompt
from copilot.service import Copilot
from copilot.skills.registry import SkillSpec, skills
from evals.cases import CASE_MODELS

SKILLS = list(skills().values())


def test_the_four_skills_are_registered() -> None:
    assert sorted(skills()) == ["ask", "draft", "suggest", "summarize"]


@pytest.mark.parametrize("spec", SKILLS, ids=lambda s: s.name)
def test_the_facade_method_takes_every_field_of_the_request(spec: SkillSpec) -> None:
    parameters = inspect.signature(getattr(Copilot, spec.name)).parameters
    assert list(parameters)[1] == "community"
    assert set(spec.request.model_fields) <= set(parameters)
    assert "prompt" in parameters  # evals compare prompt versions on every skill


@pytest.mark.parametrize("spec", SKILLS, ids=lambda s: s.name)
def test_prompt_cli_eval_and_openai_model_exist(spec: SkillSpec) -> None:
    assert load_prompt(spec.prompt).name == spec.prompt
    assert CliRunner().invoke(cli, [spec.name, "--help"]).exit_code == 0
    assert spec.name in CASE_MODELS
    chat = CHAT_SKILLS[spec.model]
    assert (chat.name, chat.role.value) == (spec.name, spec.role)


def test_each_skill_has_its_route_with_its_body_and_response(copilot: Copilot) -> None:
    paths = TestClient(create_app(copilot.settings, copilot)).get("/openapi.json").json()["paths"]
    for spec in SKILLS:
        post = paths[f"/v1/communities/{{community}}/{spec.path}"]["post"]
        body = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        ok = post["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        assert body.endswith(f"/{spec.request.__name__}")
        assert ok.endswith(f"/{spec.response.__name__}")
        assert ("text/event-stream" in post["responses"]["200"]["content"]) == spec.streamable
