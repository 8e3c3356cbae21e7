"""Errors a person can read, size limits, request ids, logs without secrets, metrics, docs."""

from __future__ import annotations

import json
import logging

import pytest
from fastapi.testclient import TestClient

from copilot.api import create_app
from copilot.api.logs import JsonFormatter, RequestIdFilter, scrub
from tests.api.conftest import Keys


def test_every_error_has_the_same_shape(client, keys: Keys) -> None:  # type: ignore[no-untyped-def]
    responses = [
        client.get("/no/such/route"),
        client.put("/healthz"),
        client.post("/v1/communities/alpha/ask", json={"question": "hi?"}),
        client.post("/v1/communities/alpha/ask", headers=keys("alpha", "member"), json=[1]),
        client.post(
            "/v1/chat/completions",
            headers=keys("alpha", "member"),
            json={"model": "copilot-ask", "messages": []},
        ),
        client.post(
            "/v1/chat/completions",
            headers=keys("alpha", "member"),
            json={"model": "copilot-ask", "messages": [{"role": "robot"}]},
        ),
    ]
    assert [r.status_code for r in responses] == [404, 405, 401, 422, 422, 422]
    for response in responses:
        body = response.json()
        assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
        assert body["error"]["message"] and len(body["error"]["message"]) < 400
    assert responses[0].json()["error"]["message"] == "no such endpoint: GET /no/such/route"
    assert "messages: List should have at least 1 item" in responses[4].json()["error"]["message"]


def test_oversized_json_is_413_from_its_declared_length(api_copilot, keys: Keys) -> None:  # type: ignore[no-untyped-def]
    settings = api_copilot.settings.model_copy(update={"api_max_body_kb": 4})
    with TestClient(create_app(settings, api_copilot)) as client:
        body = json.dumps({"question": "x" * 10_000})
        declared = client.post(
            "/v1/communities/alpha/ask",
            content=body,
            headers={**keys("alpha", "member"), "Content-Type": "application/json"},
        )
        assert declared.status_code == 413
        assert declared.json()["error"] == {
            "code": "too_large",
            "message": "the request body is 9.8 KB; the limit is 4.0 KB",
        }

        def chunks():  # type: ignore[no-untyped-def]
            yield body[:5000].encode()
            yield body[5000:].encode()

        streamed = client.post(
            "/v1/communities/alpha/ask",
            content=chunks(),
            headers={**keys("alpha", "member"), "Content-Type": "application/json"},
        )
        assert streamed.status_code == 413 and streamed.json()["error"]["code"] == "too_large"


def test_request_ids_are_echoed_or_made(client) -> None:  # type: ignore[no-untyped-def]
    assert (
        client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["x-request-id"]
        == "abc-123"
    )
    made = client.get("/healthz", headers={"X-Request-ID": "bad id\twith junk"}).headers[
        "x-request-id"
    ]
    assert len(made) == 32 and made.isalnum()


def test_logs_are_json_with_request_id_and_never_contain_keys(client, keys: Keys, caplog) -> None:  # type: ignore[no-untyped-def]
    secret = keys("alpha", "member")["Authorization"].removeprefix("Bearer ")
    handler_records: list[str] = []

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            handler_records.append(self.format(record))

    capture = Capture()
    capture.setFormatter(JsonFormatter())
    capture.addFilter(RequestIdFilter())
    logger = logging.getLogger("copilot.api")
    logger.addHandler(capture)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    try:
        client.post(
            "/v1/communities/alpha/ask",
            headers={"Authorization": f"Bearer {secret}", "X-Request-ID": "req-42"},
            json={"question": "What are the group rules?"},
        )
        client.post(
            "/v1/communities/alpha/ask",
            headers={"Authorization": "Bearer cc_guessedAAAAAAAAAAAAAAAAAAAAAA"},
            json={"question": "x?"},
        )
    finally:
        logger.removeHandler(capture)
        logger.setLevel(old_level)
    entries = [json.loads(line) for line in handler_records]
    access = [e for e in entries if e.get("route") == "/v1/communities/{community}/ask"]
    assert access[0]["request_id"] == "req-42" and access[0]["status"] == 200
    assert access[0]["key_id"].startswith("key_") and access[0]["duration_ms"] >= 0
    assert access[1]["status"] == 401
    text = "\n".join(handler_records)
    assert secret not in text and "cc_guessed" not in text and "Bearer" not in text


def test_scrubber_removes_secrets_that_slip_into_messages() -> None:
    line = scrub("auth Bearer abc.def key=cc_" + "A" * 30 + " api_key: 'sk-" + "b" * 20 + "'")
    assert "abc.def" not in line and "cc_AAAA" not in line and "sk-bbb" not in line
    assert line.count("[redacted]") == 3


def test_personal_data_quoted_in_a_log_line_is_redacted() -> None:
    line = scrub("InputError('question: 我的手机 (138)0013-8003, mail bob [at] bravo [dot] io')")
    assert "0013" not in line and "bravo" not in line
    assert "[PHONE]" in line and "[EMAIL]" in line


def test_unexpected_errors_are_500_json_with_the_request_id(
    api_copilot, keys: Keys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    app = create_app(api_copilot.settings, api_copilot)

    def explode(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(api_copilot, "ask", explode)
    with TestClient(app) as client:
        response = client.post(
            "/v1/communities/alpha/ask",
            headers={**keys("alpha", "member"), "X-Request-ID": "boom-1"},
            json={"question": "hi?"},
        )
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal"
    assert "boom-1" in response.json()["error"]["message"]
    assert "disk on fire" not in response.text


def test_metrics_count_requests_by_route_template(client, keys: Keys) -> None:  # type: ignore[no-untyped-def]
    client.get("/v1/communities/alpha/documents", headers=keys("alpha", "member"))
    client.get("/v1/communities/beta/documents", headers=keys("alpha", "member"))
    text = client.get("/metrics").text
    assert (
        'copilot_http_requests_total{method="GET",route="/v1/communities/{community}/'
        'documents",status="200"} 1.0'
    ) in text
    assert 'route="/v1/communities/{community}/documents",status="404"} 1.0' in text
    assert "copilot_http_request_duration_seconds_bucket" in text
    assert "alpha" not in text and "beta" not in text  # no tenant names in metrics


def test_openapi_documents_every_route_and_the_bearer_scheme(client) -> None:  # type: ignore[no-untyped-def]
    schema = client.get("/openapi.json").json()
    paths = set(schema["paths"])
    for path in (
        "/healthz",
        "/metrics",
        "/v1/communities/{community}/documents",
        "/v1/communities/{community}/documents/{source}",
        "/v1/communities/{community}/ask",
        "/v1/communities/{community}/summaries",
        "/v1/communities/{community}/stats",
        "/v1/chat/completions",
        "/v1/models",
        "/v1/admin/keys",
    ):
        assert path in paths, path
    assert schema["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert client.get("/docs").status_code == 200


@pytest.mark.parametrize("model", ["copilot-ask", "copilot-summarize"])
def test_chat_completion_input_errors(client, keys: Keys, model: str) -> None:  # type: ignore[no-untyped-def]
    operator = keys("alpha", "operator")
    no_user = client.post(
        "/v1/chat/completions",
        headers=operator,
        json={
            "model": model,
            "messages": [{"role": "system", "content": "hi"}],
            "since": "not a date",
        },
    )
    assert no_user.status_code == 422
    assert ("the question is empty" in no_user.text) or ("not a date" in no_user.text)
    wrong_type = client.post(
        "/v1/chat/completions", headers=operator, json={"model": model, "messages": "hello"}
    )
    assert wrong_type.status_code == 422
