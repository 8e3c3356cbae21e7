"""Finding 3 of the hardening issue: one upload must not take the server down. A zip is refused
from its directory before any entry is read when it names too many files or unpacks to too
much (a 2.4 MB zip of 20,000 entries took 565 s of CPU; 600 KB of 15 × 40 MB entries, 24 s)."""

from __future__ import annotations

import io
import json
import time
import zipfile

import pytest

from tests.api.conftest import Keys


def slack_zip(*, empty_channels: int = 0, huge_days: int = 0) -> bytes:
    """A real Slack export layout, zipped the way Slack hands it out."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("users.json", json.dumps([{"id": "U1", "name": "ann"}]))
        z.writestr("channels.json", json.dumps([{"name": "general"}]))
        day = [{"type": "message", "user": "U1", "text": "周三读书会", "ts": "1700000000.000100"}]
        z.writestr("general/2023-11-14.json", json.dumps(day, ensure_ascii=False))
        for i in range(empty_channels):
            z.writestr(f"c{i}/2023-11-14.json", "[]")
        for i in range(huge_days):  # 40 MB of spaces each: compresses to almost nothing
            z.writestr(f"general/2023-12-{i + 1:02d}.json", "[" + " " * (40 * 1024 * 1024) + "]")
    return out.getvalue()


@pytest.mark.parametrize(
    ("archive", "expected"),
    [
        (lambda: slack_zip(empty_channels=20_000), "20,003 entries; the limit is 10,000"),
        (lambda: slack_zip(huge_days=15), "unpacks to 600.0 MB; the limit is 200.0 MB"),
    ],
    ids=["20k-entries", "600MB-unpacked"],
)
def test_archives_over_the_caps_are_refused_before_unpacking(
    client, keys: Keys, archive, expected: str
) -> None:  # type: ignore[no-untyped-def]
    data = archive()
    assert len(data) < 3 * 1024 * 1024  # small on the wire: the danger is in what it unpacks to
    res = client.post(
        "/v1/communities/alpha/documents",
        files={"file": ("export.zip", data, "application/zip")},
        headers=keys("alpha", "operator"),
    )
    assert res.status_code == 413, res.text
    assert expected in res.json()["error"]["message"]
    docs = client.get("/v1/communities/alpha/documents", headers=keys("alpha", "operator"))
    assert "export.zip" not in {d["source"] for d in docs.json()}


def test_an_archive_within_the_caps_is_ingested(client, keys: Keys) -> None:  # type: ignore[no-untyped-def]
    res = client.post(
        "/v1/communities/alpha/documents",
        files={"file": ("small-export.zip", slack_zip(empty_channels=50), "application/zip")},
        headers=keys("alpha", "operator"),
    )
    assert res.status_code in (200, 201), res.text
    assert res.json()["kind"] == "chat" and res.json()["messages"] == 1


def test_a_large_upload_becomes_a_job_to_poll(tmp_path, embedder) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from copilot.api import create_app
    from copilot.keys import KeyStore
    from copilot.service import Copilot
    from tests.api.conftest import api_settings

    cp = Copilot(api_settings(tmp_path / "data", upload_job_mb=0.01), embedder=embedder, llm=None)
    store = KeyStore(cp.db)
    op = {"Authorization": f"Bearer {store.create('club', 'operator', 'op')[1]}"}
    other = {"Authorization": f"Bearer {store.create('rival', 'operator', 'op')[1]}"}
    # One paragraph, no sentence punctuation: 40 KB, over the 10 KB job threshold.
    text = "# Log\n" + " ".join(f"member{i} joined the weekly reading" for i in range(1200))
    with TestClient(create_app(cp.settings, cp)) as client:
        small = client.post(
            "/v1/communities/club/documents",
            files={"file": ("small.md", b"# Rules\nMeet at seven.", "text/markdown")},
            headers=op,
        )
        assert small.status_code == 201  # small files stay synchronous

        res = client.post(
            "/v1/communities/club/documents",
            files={"file": ("log.md", text.encode(), "text/markdown")},
            headers=op,
        )
        assert res.status_code == 202, res.text
        location = res.headers["location"]
        assert location == f"/v1/communities/club/jobs/{res.json()['id']}"
        job = res.json()
        for _ in range(600):
            if job["status"] in ("done", "failed"):
                break
            time.sleep(0.05)
            job = client.get(location, headers=op).json()
        assert job["status"] == "done", job
        assert job["done"] == job["total"] > 10 and job["result"]["chunks"] == job["total"]
        assert job["result"]["outcome"] == "added" and job["result"]["kind"] == "playbook"
        docs = client.get("/v1/communities/club/documents", headers=op).json()
        assert {d["source"] for d in docs} == {"small.md", "log.md"}
        # Another community's key cannot see the job, exactly as for a missing one.
        assert client.get(location.replace("club", "rival"), headers=other).status_code == 404
        assert client.get(location, headers=other).status_code in (403, 404)
    cp.close()
