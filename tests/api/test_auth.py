"""Keys, roles and tenancy: every community route refuses what the key may not do or see."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from copilot.api import create_app
from copilot.keys import KeyStore, Role
from tests.api.conftest import BETA_FACT, Keys, api_settings

UPLOAD = {"files": {"file": ("note.md", b"# Note\n\nA note.", "text/markdown")}}
# Every community-scoped route: (method, path under /v1/communities/{c}, request kwargs, role).
ROUTES: list[tuple[str, str, dict[str, Any], Role]] = [
    ("POST", "/ask", {"json": {"question": "What are the group rules?"}}, Role.member),
    ("GET", "/documents", {}, Role.member),
    ("POST", "/documents", UPLOAD, Role.operator),
    ("DELETE", "/documents/beta-hikers.md", {}, Role.operator),
    (
        "POST",
        "/messages",
        {
            "json": {
                "source": "api:t",
                "messages": [
                    {"id": "1", "author": "a", "ts": "2024-06-01T10:00:00Z", "text": "hi"}
                ],
            }
        },
        Role.operator,
    ),
    ("POST", "/drafts", {"json": {"kind": "announcement", "topic": "周三分享会"}}, Role.operator),
    ("POST", "/summaries", {"json": {}}, Role.operator),
    ("POST", "/activities", {"json": {"limit": 2}}, Role.operator),
    ("GET", "/stats", {}, Role.operator),
    ("POST", "/search", {"json": {"question": "Where do we meet?"}}, Role.operator),
    ("GET", "/keys", {}, Role.admin),
    ("POST", "/keys", {"json": {"role": "member"}}, Role.admin),
    ("DELETE", "/keys/key_000000000000", {}, Role.admin),
    ("GET", "/settings", {}, Role.admin),
]
ROUTE_IDS = [f"{m} {p}" for m, p, _, _ in ROUTES]
NOT_FOUND = {"error": {"code": "not_found", "message": "community not found"}}


def call(
    client: TestClient,
    method: str,
    community: str,
    path: str,
    kwargs: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> Any:
    return client.request(method, f"/v1/communities/{community}{path}", headers=headers, **kwargs)


@pytest.mark.parametrize(("method", "path", "kwargs", "role"), ROUTES, ids=ROUTE_IDS)
def test_no_key_is_401(client, method, path, kwargs, role) -> None:  # type: ignore[no-untyped-def]
    response = call(client, method, "alpha", path, kwargs)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(("method", "path", "kwargs", "role"), ROUTES, ids=ROUTE_IDS)
def test_other_communitys_key_gets_the_same_404_as_a_missing_community(
    client, keys: Keys, method, path, kwargs, role
) -> None:  # type: ignore[no-untyped-def]
    foreign = call(client, method, "beta", path, kwargs, keys("alpha", Role.admin))
    missing = call(client, method, "no-such-community", path, kwargs, keys("alpha", Role.admin))
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json() == NOT_FOUND


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "role"),
    [r for r in ROUTES if r[3] is not Role.member],
    ids=[i for i, r in zip(ROUTE_IDS, ROUTES, strict=True) if r[3] is not Role.member],
)
def test_a_role_below_the_route_needs_is_403(
    client, keys: Keys, method, path, kwargs, role
) -> None:  # type: ignore[no-untyped-def]
    lower = Role.member if role is Role.operator else Role.operator
    response = call(client, method, "alpha", path, kwargs, keys("alpha", lower))
    assert response.status_code == 403
    assert f"needs the {role} role" in response.json()["error"]["message"]


def test_invalid_and_revoked_keys_are_401(client, api_copilot) -> None:  # type: ignore[no-untyped-def]
    store = KeyStore(api_copilot.db)
    info, secret = store.create("alpha", "member")
    ask = {"json": {"question": "What are the group rules?"}}
    assert (
        call(
            client, "POST", "alpha", "/ask", ask, {"Authorization": f"Bearer {secret}"}
        ).status_code
        == 200
    )
    store.revoke(info.id)
    for header in (f"Bearer {secret}", "Bearer cc_not-a-real-key", "Basic dXNlcjpwYXNz", "Bearer"):
        response = call(client, "POST", "alpha", "/ask", ask, {"Authorization": header})
        assert response.status_code == 401, header
    assert call(client, "POST", "alpha", "/ask", ask, {"Authorization": f"Bearer {secret}"}).json()[
        "error"
    ]["message"] == ("invalid or revoked API key")


def test_answers_and_listings_never_cross_communities(client, keys: Keys) -> None:  # type: ignore[no-untyped-def]
    question = {"question": "Where do the Beta Hikers gather on Saturday?"}
    beta = client.post("/v1/communities/beta/ask", json=question, headers=keys("beta", "member"))
    assert BETA_FACT in beta.json()["answer"]
    alpha = client.post(
        "/v1/communities/alpha/ask", json=question, headers=keys("alpha", "member")
    ).json()
    assert BETA_FACT not in alpha["answer"]
    assert all(c["source"] != "beta-hikers.md" for c in alpha["citations"])
    alpha_docs = client.get(
        "/v1/communities/alpha/documents", headers=keys("alpha", "member")
    ).json()
    assert alpha_docs and "beta-hikers.md" not in {d["source"] for d in alpha_docs}
    chat = client.post(
        "/v1/chat/completions",
        headers=keys("alpha", "member"),
        json={"model": "copilot-ask:beta", "messages": [{"role": "user", "content": "Where?"}]},
    )
    assert chat.status_code == 404 and chat.json() == NOT_FOUND


def test_admins_manage_only_their_own_communitys_keys(client, keys: Keys) -> None:  # type: ignore[no-untyped-def]
    admin = keys("alpha", "admin")
    created = client.post(
        "/v1/communities/alpha/keys", json={"role": "member", "name": "bot"}, headers=admin
    )
    assert created.status_code == 201
    new = created.json()
    assert new["key"].startswith("cc_") and new["community"] == "alpha"
    listed = client.get("/v1/communities/alpha/keys", headers=admin).json()
    assert new["id"] in {k["id"] for k in listed} and all("key" not in k for k in listed)
    beta_ids = {
        k["id"]
        for k in client.get("/v1/communities/beta/keys", headers=keys("beta", "admin")).json()
    }
    foreign_id = next(iter(beta_ids))
    assert (
        client.delete(f"/v1/communities/alpha/keys/{foreign_id}", headers=admin).status_code == 404
    )
    new_headers = {"Authorization": f"Bearer {new['key']}"}
    ask = {"question": "What are the group rules?"}
    assert (
        client.post("/v1/communities/alpha/ask", json=ask, headers=new_headers).status_code == 200
    )
    assert (
        client.delete(f"/v1/communities/alpha/keys/{new['id']}", headers=admin).status_code == 204
    )
    assert (
        client.post("/v1/communities/alpha/ask", json=ask, headers=new_headers).status_code == 401
    )


def test_bootstrap_admin_token_manages_keys_of_any_community_and_nothing_else(api_copilot) -> None:  # type: ignore[no-untyped-def]
    settings = api_copilot.settings.model_copy(
        update={"admin_token": SecretStr("t0p-secret-admin-token")}
    )
    with TestClient(create_app(settings, api_copilot)) as client:
        token = {"Authorization": "Bearer t0p-secret-admin-token"}
        made = client.post(
            "/v1/admin/keys", headers=token, json={"community": "gamma", "role": "operator"}
        )
        assert made.status_code == 201 and made.json()["community"] == "gamma"
        listed = client.get("/v1/admin/keys", params={"community": "gamma"}, headers=token)
        assert [k["id"] for k in listed.json()] == [made.json()["id"]]
        assert (
            client.post(
                "/v1/communities/gamma/keys", headers=token, json={"role": "member"}
            ).status_code
            == 201
        )
        ask = client.post("/v1/communities/gamma/ask", headers=token, json={"question": "hi?"})
        assert ask.status_code == 403 and "admin token only manages" in ask.text
        assert (
            client.post(
                "/v1/admin/keys",
                headers={"Authorization": "Bearer wrong"},
                json={"community": "gamma", "role": "member"},
            ).status_code
            == 401
        )
        assert (
            client.delete(f"/v1/admin/keys/{made.json()['id']}", headers=token).status_code == 204
        )


def test_community_admin_keys_cannot_use_the_deployment_admin_routes(client, keys: Keys) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        "/v1/admin/keys",
        headers=keys("alpha", "admin"),
        json={"community": "beta", "role": "admin"},
    )
    assert response.status_code == 403
    assert "admin token" in response.json()["error"]["message"]


def test_rate_limit_is_per_key_with_retry_after(api_copilot, keys: Keys) -> None:  # type: ignore[no-untyped-def]
    settings = api_copilot.settings.model_copy(
        update={"api_rate_per_minute": 60, "api_rate_burst": 3}
    )
    with TestClient(create_app(settings, api_copilot)) as client:
        alpha = keys("alpha", "member")
        codes = [
            client.get("/v1/communities/alpha/documents", headers=alpha).status_code
            for _ in range(4)
        ]
        assert codes == [200, 200, 200, 429]
        limited = client.get("/v1/communities/alpha/documents", headers=alpha)
        assert limited.json()["error"]["code"] == "rate_limited"
        assert 1 <= int(limited.headers["retry-after"]) <= 2
        # Another key has its own bucket.
        assert (
            client.get("/v1/communities/beta/documents", headers=keys("beta", "member")).status_code
            == 200
        )


def test_key_store_keeps_only_hashes(api_copilot) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    info, secret = KeyStore(api_copilot.db).create("alpha", "member", "hash check")
    with api_copilot.db.engine.connect() as connection:
        row = (
            connection.execute(text("SELECT * FROM api_keys WHERE id = :id"), {"id": info.id})
            .mappings()
            .one()
        )
    assert secret not in " ".join(str(v) for v in row.values())
    assert len(row["key_hash"]) == 64


def test_fresh_data_dir_serves_with_an_empty_key_table(tmp_path, embedder) -> None:  # type: ignore[no-untyped-def]
    from copilot.service import Copilot

    cp = Copilot(api_settings(tmp_path / "d"), embedder=embedder, llm=None)
    with TestClient(create_app(cp.settings, cp)) as client:
        assert client.get("/healthz").json()["status"] == "ok"
        assert client.get("/v1/models").status_code == 401
    cp.close()
