"""Property-based fuzzing of the OpenAPI schema (schemathesis): no input makes the server fail.

Runs against its own Copilot and data dir, so the generated uploads and keys never leak into
the other API tests. The key is an admin of `fuzz`, which may call every community route.
Answer quality is not the point here, so the Copilot runs on the fakes (hashing embedder,
in-memory vectors): the fuzzer's requests cost milliseconds instead of model time.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from copilot.api import create_app
from copilot.embeddings.fake import HashingEmbedder
from copilot.keys import KeyStore
from copilot.retrieval.memory import MemoryVectorStore
from copilot.service import Copilot
from tests.api.conftest import BETA_DOC, api_settings

COMMUNITY = "fuzz"
EXAMPLES = 15  # per operation; the suite stays well under a minute on 2 cores
SLOW_EXAMPLES = 5  # skills that do ~1 s of work per call
SLOW = ("/activities", "/summaries", "/drafts")
_key: dict[str, str] = {}

# The edges of the calendar (a zone pushing year 1 or 9999 over the edge), mixed into every
# date and date-time the generator makes, and lone surrogates put into JSON string fields:
# each used to be a 500 somewhere (hardening issue, finding 4).
EDGE_MOMENTS = [
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "9999-12-31T00:00:00",
    "0001-01-01T00:00:00Z",
    "1900-01-01T00:00:00Z",
]
EDGE_DATES = ["0001-01-01", "9999-12-31", "1900-02-28"]
SURROGATES = ["\ud800", "x\udfff", "\udbff\udbff"]
schemathesis.openapi.format(
    "date-time",
    st.sampled_from(EDGE_MOMENTS)
    | st.datetimes().map(lambda d: d.isoformat())
    | st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()),
)
schemathesis.openapi.format(
    "date", st.sampled_from(EDGE_DATES) | st.dates().map(lambda d: d.isoformat())
)


def _with_surrogate(case: object, surrogate: str | None) -> object:
    """Put a lone surrogate into the first string of a JSON body (when the draw says so)."""
    body = getattr(case, "body", None)
    is_json = "json" in (getattr(case, "media_type", None) or "")
    if surrogate is not None and is_json and isinstance(body, dict):
        for key, value in body.items():
            if isinstance(value, str):
                body[key] = value + surrogate
                break
    return case


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    data = tmp_path_factory.mktemp("fuzz")
    embedder = HashingEmbedder()
    vectors = MemoryVectorStore(embedder.name)
    cp = Copilot(api_settings(data / "data"), embedder=embedder, vectors=vectors, llm=None)
    doc = data / "hikers.md"
    doc.write_text(BETA_DOC, encoding="utf-8")
    cp.ingest_file(COMMUNITY, doc, source="hikers.md")
    _key["secret"] = KeyStore(cp.db).create(COMMUNITY, "admin", "fuzz")[1]
    yield schemathesis.openapi.from_asgi("/openapi.json", create_app(cp.settings, cp))
    cp.close()


def test_no_input_makes_the_server_fail(api_schema) -> None:  # type: ignore[no-untyped-def]
    # The Python API, not schemathesis' pytest plugin: the plugin touches pytest internals
    # that pytest 9 removed. One hypothesis run per operation; failures are collected.
    failures: list[str] = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 15
    for operation in operations:
        cases = st.builds(
            _with_surrogate, operation.as_strategy(), st.none() | st.sampled_from(SURROGATES)
        )

        @given(case=cases)
        @settings(
            max_examples=SLOW_EXAMPLES if operation.path.endswith(SLOW) else EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case) -> None:  # type: ignore[no-untyped-def]
            if "community" in (case.path_parameters or {}):
                case.path_parameters["community"] = COMMUNITY
            response = case.call(headers={"Authorization": f"Bearer {_key['secret']}"})
            assert response.status_code < 500, (response.status_code, response.text[:300])
            content_type = (response.headers.get("content-type") or [""])[0]
            if response.status_code >= 400 and content_type.startswith("application/json"):
                error = response.json()["error"]
                assert error["code"] and error["message"]

        try:
            check()
        except AssertionError as exc:
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    assert not failures, "\n".join(failures)
