"""Create in the console streams as the API streams: `started` at once, then one `result`
carrying the rendered drafts (or one `error` with the message); a plain form post still gets
the whole page."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient

from copilot.keys import Role
from tests.api.conftest import Keys
from tests.api.test_console import sign_in

STREAM = {"accept": "text/event-stream", "accept-language": "en"}


def events(body: str) -> list[tuple[str, str]]:
    """(event, data) pairs of a server-sent event stream; pings are comments."""
    found = []
    for block in re.split(r"\r?\n\r?\n", body):
        lines = [line for line in re.split(r"\r?\n", block) if line and not line.startswith(":")]
        name = next((line[7:] for line in lines if line.startswith("event: ")), "message")
        data = "\n".join(line[6:] for line in lines if line.startswith("data: "))
        if data:
            found.append((name, data))
    return found


def test_a_draft_streams_started_then_the_rendered_result(client: TestClient, keys: Keys) -> None:
    token = sign_in(client, keys.secrets[("alpha", Role.operator)])
    form = {"csrf": token, "kind": "announcement", "topic": "周三晚上的读书分享会", "variants": "2"}
    with client.stream("POST", "/console/create/draft", data=form, headers=STREAM) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        body = "".join(response.iter_text())
    (first, _), (last, html) = events(body)[0], events(body)[-1]
    assert first == "started" and last == "result"
    result = html.split('id="draft-result"')[1]
    assert 'id="variant-1"' in result and 'id="variant-2"' in result and "分享会" in result

    plain = client.post("/console/create/draft", data=form)  # no JavaScript: the whole page
    assert plain.headers["content-type"].startswith("text/html") and 'id="variant-2"' in plain.text


def test_a_bad_request_streams_one_error_with_the_message(client: TestClient, keys: Keys) -> None:
    token = sign_in(client, keys.secrets[("alpha", Role.operator)])
    form = {"csrf": token, "kind": "announcement", "topic": "", "variants": "99"}
    with client.stream("POST", "/console/create/draft", data=form, headers=STREAM) as response:
        body = "".join(response.iter_text())
    names = [name for name, _ in events(body)]
    assert names == ["started", "error"]
    message = json.loads(events(body)[-1][1])["message"]
    assert "variants" in message or "topic" in message
    refused = client.post("/console/create/draft", data={**form, "csrf": "x"}, headers=STREAM)
    assert refused.status_code == 403  # no stream opens for a forged form
