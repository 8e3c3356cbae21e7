"""Uploading chat exports over HTTP: the `tz` and `year` an export cannot state itself."""

from __future__ import annotations

from pathlib import Path

from tests.api.conftest import Keys

EXPORTS = Path(__file__).resolve().parent.parent / "fixtures" / "exports"
CHATLOG = (EXPORTS / "chatlog" / "运营交流群.txt").read_bytes()


def upload(client, keys: Keys, data: dict[str, str]):  # type: ignore[no-untyped-def]
    return client.post(
        "/v1/communities/alpha/documents",
        headers=keys("alpha", "operator"),
        files={"file": ("运营交流群.txt", CHATLOG, "text/plain")},
        data=data,
    )


def test_chatlog_text_needs_its_year_and_then_is_stored(client, keys: Keys) -> None:  # type: ignore[no-untyped-def]
    refused = upload(client, keys, {})
    assert refused.status_code == 422
    assert "the dates have no year" in refused.json()["error"]["message"]
    assert "`year` field" in refused.json()["error"]["message"]
    stored = upload(client, keys, {"year": "2024"})
    assert stored.status_code == 201, stored.json()
    # 8 text posts and notices, and 3 media-only posts (a picture, a sticker, a voice message)
    assert (stored.json()["kind"], stored.json()["messages"]) == ("chat", 11)


def test_bad_time_zone_or_year_is_a_422(client, keys: Keys) -> None:  # type: ignore[no-untyped-def]
    zone = upload(client, keys, {"year": "2024", "tz": "Mars/Olympus"})
    assert zone.status_code == 422 and "tz: unknown time zone 'Mars/Olympus'" in zone.text
    year = upload(client, keys, {"year": "24"})
    assert year.status_code == 422 and "year" in year.text
