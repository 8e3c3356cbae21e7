"""The operator console in headless Chromium, against a real server on 127.0.0.1.

One server and one browser for the module. Each test drives the pages as an operator would
(sign in, upload, hit test, ask, approve a review, draft and copy, sign out), and every test
checks that no request left for another origin and that the browser logged no error.
Screenshots of every page, in Chinese and English at desktop and phone width, go to
``.data/console-screenshots/``.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from connectors.tables import Route, list_reviews, put_route
from copilot.api import create_app
from copilot.config import Settings
from copilot.keys import KeyStore
from copilot.profile import CommunityProfile, save_profile
from copilot.service import Copilot
from copilot.skills.questions import Origin
from tests.conftest import KNOWLEDGE, REPO
from tests.connectors.fake_platform import FakePlatform
from tests.connectors_e2e.conftest import platform_env
from tests.connectors_e2e.events import CHAT, event, posted_text, replies

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="needs Chromium (apt-get install -y chromium)"
)
sync_api = pytest.importorskip("playwright.sync_api")

SHOTS = REPO / ".data" / "console-screenshots"
ALPHA_NAME = "晨跑读书会 Morning Readers"
BETA_DOC = "# Beta Hikers\n\n## Meeting point\nWe gather at the north gate of Xiangshan Park.\n"
CHAT_EXPORT = KNOWLEDGE / "samples" / "chat" / "morning_readers.jsonl"
PAGES = ("", "knowledge", "ask", "questions", "faq", "reviews", "create", "settings")
# Waiting in the queue from the start (the screenshots show it): asked twice in other words.
QUEUED = ("读书会有没有线上直播？", "读书分享可以在线看直播吗")
UNKNOWN = "Which rocket leaves for the Moon next week?"
OPERATOR_ANSWER = "No rocket: our club only reads about the Moon, every Saturday at 7."
SHOW_RESULT = {
    "knowledge": ("#hit-question", "#hit-test", "#hits .passage"),
    "ask": ("#question", "#ask", "#answer-text"),
    "create": ("#draft-topic", "#draft", "#variant-1"),
}
WIDTHS = {"desktop": {"width": 1280, "height": 860}, "phone": {"width": 390, "height": 844}}


@dataclass
class Server:
    url: str
    copilot: Copilot
    fake: FakePlatform
    keys: dict[tuple[str, str], str]


@dataclass
class Watch:
    """What a browser context did that it must not: other origins, console errors."""

    origin: str
    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[Server]:  # type: ignore[no-untyped-def]
    fake = FakePlatform().start()
    with pytest.MonkeyPatch.context() as env:
        platform_env(env, fake.url)  # Telegram (and the rest) post to the fake platform API
        env.chdir(tmp_path_factory.mktemp("cwd"))  # no stray .env is read
        data = tmp_path_factory.mktemp("console") / "data"
        settings = Settings(
            data_dir=data,
            llm_provider="offline",
            api_rate_per_minute=0,
            upload_job_mb=0.004,  # a 6 KB file goes through the job path
            _env_file=None,  # type: ignore[call-arg]
        )
        copilot = Copilot(settings, embedder=embedder, llm=None)
        copilot.ingest_paths("alpha", [KNOWLEDGE / "playbooks", CHAT_EXPORT])
        beta = data.parent / "beta-hikers.md"
        beta.write_text(BETA_DOC, encoding="utf-8")
        copilot.ingest_file("beta", beta, source="beta-hikers.md")
        save_profile(copilot.db, "alpha", CommunityProfile(name=ALPHA_NAME, language="zh"))
        store = KeyStore(copilot.db)
        keys = {
            (c, r): store.create(c, r, "browser test")[1]
            for c in ("alpha", "beta")
            for r in ("operator", "admin")
        }
        put_route(
            copilot.db,
            Route(platform="telegram", chat_id=CHAT["telegram"], community="alpha", mode="review"),
        )
        put_route(copilot.db, Route(platform="slack", chat_id=CHAT["slack"], community="alpha"))
        for asker, question in zip(("小林", "阿梅"), QUEUED, strict=True):
            copilot.ask("alpha", question, origin=Origin(channel="telegram", asker=asker))
        port = free_port()
        config = uvicorn.Config(
            create_app(settings, copilot), host="127.0.0.1", port=port, log_level="warning"
        )
        uv = uvicorn.Server(config)
        thread = threading.Thread(target=uv.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 60
        while not uv.started and time.monotonic() < deadline:
            time.sleep(0.05)
        assert uv.started, "the server did not start"
        try:
            yield Server(f"http://127.0.0.1:{port}", copilot, fake, keys)
        finally:
            uv.should_exit = True
            thread.join(timeout=20)
            copilot.close()
            fake.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def open_context(browser: Any, server: Server) -> Iterator[Any]:
    """New browser contexts (zh or en, desktop or phone) that record what they must not do."""
    made: list[tuple[Any, Watch]] = []

    def make(locale: str = "en-US", width: str = "desktop") -> tuple[Any, Watch]:
        context = browser.new_context(locale=locale, viewport=WIDTHS[width])
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
        watch = Watch(server.url)

        def guard(route: Any) -> None:
            if route.request.url.startswith(server.url):
                route.continue_()
            else:
                watch.foreign.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        context.on("weberror", lambda e: watch.errors.append(str(e.error)))

        def on_page(page: Any) -> None:
            page.on("console", lambda m: m.type == "error" and watch.errors.append(m.text))

        context.on("page", on_page)
        made.append((context, watch))
        return context, watch

    yield make
    for context, watch in made:
        context.close()
        assert not watch.foreign, f"requests to other origins: {watch.foreign}"
        assert not watch.errors, f"console errors: {watch.errors}"


def sign_in(context: Any, server: Server, key: str) -> Any:
    page = context.new_page()
    page.goto(server.url + "/console/")
    assert "/console/login" in page.url  # no session: the sign-in page
    page.fill("#key", key)
    page.click("#sign-in")
    page.wait_for_url(server.url + "/console/")
    return page


def test_sign_in_upload_and_see_it_listed(
    open_context: Any, server: Server, tmp_path: Path
) -> None:
    context, _ = open_context()
    page = sign_in(context, server, server.keys[("alpha", "operator")])
    assert page.inner_text("#community-name") == ALPHA_NAME
    assert "morning_readers.jsonl" in page.inner_text("table.sources")
    page.click("#chart-messages_per_day summary")  # the numbers behind the chart
    assert page.is_visible("#chart-messages_per_day table")

    page.goto(server.url + "/console/knowledge")
    small = tmp_path / "tea-party.md"
    small.write_text("# Tea party\n\nThe tea party starts at 8 pm on Friday.\n", encoding="utf-8")
    page.set_input_files("#file", str(small))
    page.click("#upload")
    page.wait_for_url("**/console/knowledge?done=upload_added*")
    assert "tea-party.md" in page.inner_text("table.sources")
    assert "Added tea-party.md" in page.inner_text(".notice")

    large = tmp_path / "handbook.md"
    sections = [
        f"## Rule {i}\nMembers post their reading notes before {i} pm.\n" for i in range(120)
    ]
    large.write_text("# Handbook\n\n" + "\n".join(sections), encoding="utf-8")
    page.set_input_files("#file", str(large))
    page.click("#upload")
    page.wait_for_url("**/console/knowledge/jobs/*")
    page.wait_for_selector("#job-status:text('Done')", timeout=60_000)
    page.click("text=Back to the knowledge")
    assert "handbook.md" in page.inner_text("table.sources")

    page.click("table.sources >> text=tea-party.md")
    assert "8 pm on Friday" in page.inner_text("#chunks")


def test_hit_test_and_ask(open_context: Any, server: Server) -> None:
    context, _ = open_context()
    page = sign_in(context, server, server.keys[("alpha", "operator")])
    page.goto(server.url + "/console/knowledge")
    page.fill("#hit-question", "How do I join the group?")
    page.click("#hit-test")
    page.wait_for_selector("#hits .passage")
    assert page.url.endswith("/console/knowledge")  # htmx swapped the results in place
    scores = [float(s) for s in page.locator("#hits .score").all_inner_texts()]
    assert scores and all(score > 0 for score in scores)  # ranked by answer unit, not score
    assert "48" in page.locator("#hits .passage").first.inner_text()
    assert "Would answer" in page.inner_text("#hit-handoff")
    assert page.inner_text("#hit-confidence").startswith("Confidence")

    page.goto(server.url + "/console/ask")
    page.fill("#question", "How do I join the group?")
    page.click("#ask")
    page.wait_for_selector("#answer-text")
    assert "48" in page.inner_text("#answer-text")  # the application is reviewed in 48 hours
    page.click("#citations a >> nth=0")  # a citation opens its source at the chunk
    page.wait_for_url("**/console/knowledge/source?name=**")
    assert page.locator("#chunks li").count() > 0

    page.goto(server.url + "/console/ask")
    page.fill("#question", "What is the Wi-Fi password of the Mars base?")
    page.click("#ask")
    page.wait_for_selector("#answer-text")
    assert "Handed off" in page.inner_text("#ask-result")


def test_approve_a_review_item_posts_it(open_context: Any, server: Server) -> None:
    ev = event("telegram", "会费多少？可以退款吗？", server.fake, event_id="930000001")
    sent = httpx.post(server.url + ev.path, content=ev.req.body, headers=ev.req.headers)
    assert sent.status_code == 200
    deadline = time.monotonic() + 30
    while not list_reviews(server.copilot.db, "alpha") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert list_reviews(server.copilot.db, "alpha"), "the webhook queued no review item"
    assert replies(server.fake, "telegram") == []

    context, _ = open_context()
    page = sign_in(context, server, server.keys[("alpha", "operator")])
    page.goto(server.url + "/console/reviews")
    item = page.locator(".review-item").first
    edited = "年费 99 元，7 天内可全额退款。"
    item.locator("textarea").fill(edited)
    item.locator("button[value=approve]").click()
    page.wait_for_url("**/console/reviews?done=review_approved*")
    assert "posted" in page.inner_text(".notice")
    (reply,) = replies(server.fake, "telegram")
    assert posted_text(reply).startswith(edited)
    assert page.locator(".review-item").count() == 0


def test_answer_a_queued_question_and_the_chat_hears_it(open_context: Any, server: Server) -> None:
    ev = event("slack", UNKNOWN, server.fake, event_id="Ev0CONSOLE1", user="U0MEMBER")
    sent = httpx.post(server.url + ev.path, content=ev.req.body, headers=ev.req.headers)
    assert sent.status_code == 200
    deadline = time.monotonic() + 30
    while not replies(server.fake, "slack") and time.monotonic() < deadline:
        time.sleep(0.1)
    (handoff,) = replies(server.fake, "slack")  # the member was told a person will answer

    context, _ = open_context()
    page = sign_in(context, server, server.keys[("alpha", "operator")])
    page.click("nav.pages >> text=Questions")
    page.wait_for_url("**/console/questions")
    items = page.locator(".question-item")
    first = items.first.inner_text()  # most asked first: the one asked twice in other words
    assert QUEUED[0] in first and "asked 2×" in first and "小林, 阿梅" in first
    mined = page.locator(".question-item", has_text="请问年费可以开发票吗")  # from the export
    assert "Unanswered in the chat" in mined.inner_text() and "北京-韩梅梅" in mined.inner_text()
    moon = page.locator(".question-item", has_text=UNKNOWN)
    assert "U0MEMBER" in moon.inner_text() and "slack" in moon.inner_text()
    moon.locator("a").click()
    page.wait_for_url("**/console/questions/q_*")
    assert page.inner_text("#question-text") == UNKNOWN
    assert CHAT["slack"] in page.inner_text("#askings")  # where it was asked
    page.fill("#answer", OPERATOR_ANSWER)
    page.click("#answer-it")
    page.wait_for_url("**/console/questions?done=question_answered*")
    assert "Chats told: 1." in page.inner_text(".notice")
    assert page.locator(".question-item", has_text=UNKNOWN).count() == 0
    posted = [posted_text(r) for r in replies(server.fake, "slack")]
    assert posted[0] == posted_text(handoff) and OPERATOR_ANSWER in posted[-1]

    page.click("nav.badges >> text=Answered")
    page.wait_for_url("**/console/questions?status=answered")
    assert OPERATOR_ANSWER in page.inner_text("#question-items")
    page.goto(server.url + "/console/ask")  # the next asker, in other words, gets the answer
    page.fill("#question", "What rocket goes to the Moon next week?")
    page.click("#ask")
    page.wait_for_selector("#answer-text")
    assert OPERATOR_ANSWER in page.inner_text("#answer-text")
    assert "faq:approved" in page.inner_text("#citations")


def test_draft_and_copy_keeps_line_breaks(open_context: Any, server: Server) -> None:
    context, _ = open_context()
    page = sign_in(context, server, server.keys[("alpha", "operator")])
    page.goto(server.url + "/console/create")
    page.select_option("#draft-kind", "announcement")
    page.fill("#draft-topic", "周三晚上的读书分享会")
    page.fill("#draft-variants", "2")
    with page.expect_response("**/console/create/draft") as streamed:
        page.click("#draft")
    assert streamed.value.headers["content-type"].startswith("text/event-stream")
    page.wait_for_selector("#variant-2")
    assert page.url.endswith("/console/create")  # swapped in place, no page load
    shown = page.inner_text("#variant-1")
    assert "\n" in shown and "分享会" in shown
    page.click("#draft-result button.copy >> nth=0")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == shown

    page.click("#summarize")  # the whole chat history, streamed the same way
    page.wait_for_selector("#summary-text")
    assert "messages" in page.inner_text("#summary-result")
    page.fill("#summary-since", "2026-12-31")
    page.fill("#summary-until", "2026-01-01")
    page.click("#summarize")
    page.wait_for_selector("#summary-result .error")  # the API's message, in place

    page.fill("#suggest-limit", "2")
    page.click("#suggest")
    page.wait_for_selector(".suggestion")
    assert page.locator(".suggestion").count() == 2


def test_sign_out_ends_the_session(open_context: Any, server: Server) -> None:
    context, _ = open_context(locale="zh-CN")
    page = sign_in(context, server, server.keys[("alpha", "operator")])
    page.click("#sign-out")
    page.wait_for_url("**/console/login*")
    assert "已退出登录" in page.inner_text(".notice")
    page.goto(server.url + "/console/knowledge")
    assert "/console/login" in page.url


def test_another_community_sees_none_of_it(open_context: Any, server: Server) -> None:
    context, _ = open_context()
    page = sign_in(context, server, server.keys[("beta", "operator")])
    text = page.inner_text("main")
    assert "beta-hikers.md" in text
    assert "morning_readers" not in text and ALPHA_NAME not in text and "tea-party" not in text
    page.goto(server.url + "/console/reviews")
    assert page.locator(".review-item").count() == 0
    page.goto(server.url + "/console/questions")
    assert page.locator(".question-item").count() == 0
    page.goto(server.url + "/console/faq")
    page.click("#faq-refresh")
    assert page.locator(".faq-item").count() == 0  # alpha's chat mined nothing here
    page.goto(server.url + "/console/ask")
    page.fill("#question", "How do I join the morning readers group?")
    page.click("#ask")
    page.wait_for_selector("#answer-text")
    assert "morning_readers" not in page.inner_text("#ask-result")


def run_suggest_suite(page: Any) -> str:
    """Run the shipped `suggest` suite from Settings and wait for it; returns the run's id."""
    page.goto(page.url.split("/console/")[0] + "/console/settings")
    for box in page.locator("#eval-run-form input[name=suite]").all():
        box.set_checked(box.get_attribute("value") == "suggest")
    page.click("#eval-run")
    page.wait_for_url("**/console/settings?done=eval_started*")
    run_id = page.locator("#eval-runs .eval-run").first.get_attribute("data-id")
    assert run_id and run_id in page.inner_text(".notice")
    row = f"#eval-runs .eval-run[data-id='{run_id}']"
    page.wait_for_selector(f"{row} .eval-status:text('Done')", timeout=180_000)  # htmx polls
    return run_id


def test_run_the_shipped_suites_open_the_report_and_compare_two_runs(
    open_context: Any, server: Server
) -> None:
    context, _ = open_context()
    page = sign_in(context, server, server.keys[("alpha", "admin")])
    first = run_suggest_suite(page)
    row = page.locator(f"#eval-runs .eval-run[data-id='{first}']")
    cells = row.locator("td").all_inner_texts()
    assert cells[1] == "suggest" and cells[3] == "7" and cells[4].endswith("%")
    with context.expect_page() as opened:
        row.locator("a.open-report").click()
    report = opened.value
    report.wait_for_load_state()
    assert "suggest" in report.inner_text("body") and report.locator("details.case").count() == 7

    second = run_suggest_suite(page)
    page.select_option("#eval-a", first)
    page.select_option("#eval-b", second)
    with context.expect_page() as opened:
        page.click("#eval-compare")
    compared = opened.value
    compared.wait_for_url(f"**/console/settings/evals/{second}/compare/{first}")
    assert "Against baseline" in compared.inner_text("#baseline")

    other, _ = open_context()  # another community's operator sees none of these runs
    beta = sign_in(other, server, server.keys[("beta", "operator")])
    beta.goto(server.url + "/console/settings")
    assert beta.locator("#eval-runs").count() == 0 and beta.locator("#eval-run").count() == 0


def test_the_keyboard_alone_signs_in_reaches_a_page_and_answers(
    open_context: Any, server: Server
) -> None:
    context, _ = open_context()
    page = context.new_page()
    page.goto(server.url + "/console/")
    assert page.evaluate("document.activeElement.id") == "key"  # the key field has focus
    page.keyboard.type(server.keys[("alpha", "operator")])
    page.keyboard.press("Enter")
    page.wait_for_url(server.url + "/console/")

    page.keyboard.press("Tab")  # the first stop skips the bars
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    for _ in range(30):  # Tab along the page bar to Questions
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Questions":
            break
    page.keyboard.press("Enter")
    page.wait_for_url("**/console/questions")
    page.focus(".question-item a >> nth=0")
    page.keyboard.press("Enter")
    page.wait_for_url("**/console/questions/q_*")
    page.focus("#answer")
    page.keyboard.type("Keyboard answer: yes, on Zoom.")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "answer-it"
    page.keyboard.press("Enter")
    page.wait_for_url("**/console/questions?done=question_answered*")


def test_on_a_phone_every_page_link_is_in_sight_and_no_text_is_boxes(
    open_context: Any, server: Server
) -> None:
    context, _ = open_context(locale="zh-CN", width="phone")
    page = sign_in(context, server, server.keys[("alpha", "operator")])
    links = page.locator("nav.pages a")
    assert links.count() == len(PAGES)
    width = page.evaluate("window.innerWidth")
    for i in range(links.count()):
        box = links.nth(i).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, links.nth(i).inner_text()
    page.click("nav.pages >> text=设置")  # the last link, tapped without scrolling the bar
    page.wait_for_url("**/console/settings")

    # Which fonts Chromium really drew Chinese, traditional Chinese and emoji with.
    page.evaluate(
        """() => { const p = document.createElement("p"); p.id = "glyphs";
        p.textContent = "晨跑读书会 會費 👍👎"; document.querySelector("main").append(p); }"""
    )
    cdp = context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "#glyphs"})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    names = {f["familyName"] for f in fonts}
    assert any("WenQuanYi" in n or "CJK" in n for n in names), names
    assert any("Emoji" in n for n in names), names


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_screenshots_of_every_page(
    open_context: Any, server: Server, locale: str, width: str
) -> None:
    context, _ = open_context(locale=locale, width=width)
    lang = locale[:2]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = context.new_page()
    page.goto(server.url + "/console/login")
    page.screenshot(path=SHOTS / f"login-{lang}-{width}.png", full_page=True)
    page = sign_in(context, server, server.keys[("alpha", "admin")])
    for name in PAGES:
        page.goto(f"{server.url}/console/{name}")
        assert page.locator("main h1").count() == 1
        if name in SHOW_RESULT:  # the page as it looks with a result on it
            field, button, result = SHOW_RESULT[name]
            page.fill(field, "周三晚上的读书分享会" if name == "create" else "怎么加入读书会？")
            page.click(button)
            page.wait_for_selector(result)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"/console/{name} scrolls sideways by {overflow}px at {width} width"
        page.screenshot(path=SHOTS / f"{name or 'overview'}-{lang}-{width}.png", full_page=True)
        if name == "questions":  # one item: who asked, where and when; answer, dismiss, merge
            page.locator(".question-item a").first.click()
            page.wait_for_selector("#askings")
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"a question's page scrolls sideways by {overflow}px"
            page.screenshot(path=SHOTS / f"question-{lang}-{width}.png", full_page=True)
