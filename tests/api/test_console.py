"""The operator console over HTTP: its sign-in contract, sessions, CSRF and tenancy.

Browser behaviour (uploads with progress, copy, screenshots) is in tests/console/; these
checks need no browser and pin what outside checks rely on: ``GET /console/`` redirects to a
sign-in page, ``POST /console/login`` with ``key`` signs in and redirects to ``/console/``,
and ``/console/`` lists the community's display name and its sources.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from copilot.api.console.i18n import pick_language
from copilot.keys import KeyStore, Role
from copilot.profile import CommunityProfile, load_profile, save_profile
from copilot.service import Copilot
from tests.api.conftest import BETA_FACT, Keys

CONSOLE = Path(__file__).resolve().parents[2] / "copilot" / "api" / "console"


def sign_in(client: TestClient, key: str) -> str:
    """Sign in and return the page's CSRF token."""
    response = client.post("/console/login", data={"key": key}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/console/").text)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


@pytest.fixture
def named_beta(api_copilot: Copilot) -> Iterator[str]:
    """Beta with a display name for the duration of a test."""
    before = load_profile(api_copilot.db, "beta")
    save_profile(api_copilot.db, "beta", CommunityProfile(name="北山徒步 Beta Hikers"))
    yield "北山徒步 Beta Hikers"
    save_profile(api_copilot.db, "beta", before)


def test_console_without_session_redirects_to_sign_in(client: TestClient) -> None:
    response = client.get("/console/", follow_redirects=False)
    assert response.status_code in (302, 303, 307)
    assert response.headers["location"].startswith("/console/login")
    page = client.get(response.headers["location"])
    assert page.status_code == 200 and 'name="key"' in page.text


def test_login_with_key_lists_name_and_sources(
    client: TestClient, keys: Keys, named_beta: str
) -> None:
    secret = keys.secrets[("beta", Role.operator)]
    response = client.post("/console/login", data={"key": secret}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/console/"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Max-Age=" in cookie
    assert secret not in cookie  # the browser holds a session token, never the key
    page = client.get("/console/")
    assert page.status_code == 200
    assert named_beta in page.text and "beta-hikers.md" in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'self'")


def test_member_key_is_refused_with_a_clear_message(client: TestClient, keys: Keys) -> None:
    response = client.post(
        "/console/login",
        data={"key": keys.secrets[("alpha", Role.member)]},
        headers={"accept-language": "en"},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert "member key" in response.text and "operator or admin key" in response.text
    assert "set-cookie" not in response.headers
    assert client.get("/console/", follow_redirects=False).status_code == 303


def test_bad_key_and_foreign_origin_are_refused(client: TestClient, keys: Keys) -> None:
    bad = client.post("/console/login", data={"key": "cc_nope"}, headers={"accept-language": "zh"})
    assert bad.status_code == 401 and "无效" in bad.text
    forged = client.post(
        "/console/login",
        data={"key": keys.secrets[("alpha", Role.operator)]},
        headers={"origin": "https://evil.example"},
        follow_redirects=False,
    )
    assert forged.status_code == 403 and "set-cookie" not in forged.headers


def test_forms_without_the_csrf_token_change_nothing(
    client: TestClient, keys: Keys, api_copilot: Copilot
) -> None:
    sign_in(client, keys.secrets[("beta", Role.operator)])
    response = client.post("/console/knowledge/delete", data={"source": "beta-hikers.md"})
    assert response.status_code == 403 and "Reload the page" in response.text
    assert "beta-hikers.md" in client.get("/console/knowledge").text
    assert api_copilot.search("beta", "Where do the Beta Hikers meet?").chunks


def test_a_community_sees_none_of_another_s_data(client: TestClient, keys: Keys) -> None:
    token = sign_in(client, keys.secrets[("beta", Role.operator)])
    overview = client.get("/console/").text
    assert "beta-hikers.md" in overview and "morning_readers.jsonl" not in overview
    other = client.get("/console/knowledge/source", params={"name": "morning_readers.jsonl"})
    assert other.status_code == 404
    hits = client.post(
        "/console/knowledge/hits", data={"csrf": token, "question": "晨读打卡几点开始？"}
    )
    cited = set(re.findall(r'knowledge/source\?name=([^"#]+)#', hits.text))
    assert cited <= {"beta-hikers.md"}, cited
    deleted = client.post(
        "/console/knowledge/delete", data={"csrf": token, "source": "morning_readers.jsonl"}
    )
    assert deleted.status_code == 404
    alpha = TestClient(client.app)
    sign_in(alpha, keys.secrets[("alpha", Role.operator)])
    assert "morning_readers.jsonl" in alpha.get("/console/").text
    token = csrf_of(alpha.get("/console/knowledge").text)
    question = "Where is the north gate meeting?"
    found = alpha.post("/console/knowledge/hits", data={"csrf": token, "question": question})
    assert found.status_code == 200 and BETA_FACT not in found.text


def test_sign_out_and_revoking_the_key_end_the_session(
    client: TestClient, api_copilot: Copilot
) -> None:
    store = KeyStore(api_copilot.db)
    info, secret = store.create("beta", Role.admin, "console test")
    token = sign_in(client, secret)
    cookie = client.cookies.get("copilot_console")
    out = client.post("/console/logout", data={"csrf": token}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"].startswith("/console/login")
    replay = TestClient(client.app, cookies={"copilot_console": cookie or ""})
    assert replay.get("/console/", follow_redirects=False).status_code == 303  # dead server-side
    sign_in(client, secret)
    store.revoke(info.id)
    assert client.get("/console/", follow_redirects=False).status_code == 303


def test_language_comes_from_the_browser_and_the_switcher(client: TestClient) -> None:
    assert (
        "登录" in client.get("/console/login", headers={"accept-language": "zh-CN,zh;q=0.9"}).text
    )
    assert "Sign in" in client.get("/console/login", headers={"accept-language": "en-US"}).text
    client.get("/console/lang/zh?next=/console/login")
    assert "登录" in client.get("/console/login", headers={"accept-language": "en"}).text
    assert pick_language(None, "fr;q=1, en;q=0.5, zh;q=0.8") == "zh"


def test_every_text_used_exists_in_both_languages() -> None:
    en = json.loads((CONSOLE / "locales" / "en.json").read_text("utf-8"))
    zh = json.loads((CONSOLE / "locales" / "zh.json").read_text("utf-8"))
    assert set(en) == set(zh), set(en) ^ set(zh)
    used: set[str] = set()
    for path in [*CONSOLE.glob("templates/*.html"), *CONSOLE.glob("*.py")]:
        used |= set(
            re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']""", path.read_text("utf-8"))
        )
        used |= set(re.findall(r"""["'](error\.[a-z_]+)["']""", path.read_text("utf-8")))
    missing = sorted(k for k in used if k not in en)
    assert not missing, missing
