"""Evaluation reports in the console's settings over HTTP: who may run, clear errors, and runs
kept per community. (Running a suite to the end, opening its report and comparing two runs is
in the browser test, tests/console/test_browser.py.)"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from copilot.api.console.eval_runs import EvalBusy, EvalRuns
from copilot.keys import KeyStore, Role
from copilot.service import Copilot
from tests.api.conftest import Keys
from tests.api.test_console import csrf_of, sign_in


def test_only_an_admin_runs_suites_and_unknown_suites_are_refused(
    client: TestClient, keys: Keys
) -> None:
    token = sign_in(client, keys.secrets[("beta", Role.operator)])
    page = client.get("/console/settings", headers={"accept-language": "en"})
    assert "Evaluation reports" in page.text and 'id="eval-run"' not in page.text
    refused = client.post("/console/settings/evals/run", data={"csrf": token, "suite": "ask_en"})
    assert refused.status_code == 403 and "Only an admin" in refused.text

    store = KeyStore(client.app.state.copilot.db)  # type: ignore[attr-defined]
    token = sign_in(client, store.create("beta", Role.admin, "evals test")[1])
    page = client.get("/console/settings")
    assert re.findall(r'name="suite" value="([a-z_]+)"', page.text) == [
        "ask_en", "ask_zh", "draft", "replay", "suggest", "summarize",
    ]  # fmt: skip
    bad = client.post("/console/settings/evals/run", data={"csrf": token, "suite": "nope"})
    assert bad.status_code == 422 and "choose suites among ask_en" in bad.text
    none = client.post("/console/settings/evals/run", data={"csrf": token})
    assert none.status_code == 422


def test_a_run_belongs_to_its_community(
    client: TestClient, keys: Keys, api_copilot: Copilot
) -> None:
    store = KeyStore(api_copilot.db)
    token = sign_in(client, store.create("alpha", Role.admin, "evals test")[1])
    started = client.post(
        "/console/settings/evals/run",
        data={"csrf": token, "suite": "suggest"},
        headers={"accept-language": "en"},
    )
    assert started.status_code == 200 and "The evaluation started" in started.text
    [run_id] = re.findall(r'class="eval-run" data-id="([0-9a-f-]+)"', started.text)
    assert "Running" in started.text and 'hx-trigger="every 2s"' in started.text  # polls
    again = client.post("/console/settings/evals/run", data={"csrf": token, "suite": "suggest"})
    assert again.status_code == 409 and "already running" in again.text

    rival = TestClient(client.app)
    sign_in(rival, keys.secrets[("beta", Role.operator)])
    assert run_id not in rival.get("/console/settings").text
    assert rival.get(f"/console/settings/evals/{run_id}/report").status_code == 404
    assert client.get("/console/settings/evals/..%2F..%2Fetc/report").status_code == 404
    token = csrf_of(rival.get("/console/settings").text)
    compared = rival.post(
        "/console/settings/evals/compare", data={"csrf": token, "a": run_id, "b": run_id}
    )
    assert compared.status_code == 422  # the same run twice

    worker = EvalRuns(client.app.state.eval_runs.root)  # type: ignore[attr-defined]
    assert worker.get("alpha", run_id).status == "running"  # another server worker agrees
    with pytest.raises(EvalBusy):
        worker.start("beta", ["suggest"], "key:other")  # one run at a time on the machine

    client.app.state.eval_runs.close()  # type: ignore[attr-defined]  # the server stops
    page = client.get("/console/settings", headers={"accept-language": "en"})
    row = page.text.split(f'data-id="{run_id}"')[1].split("</tr>")[0]
    assert "Failed" in row  # an interrupted run says so instead of running forever
