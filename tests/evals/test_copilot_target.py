"""The harness against the real Copilot (copilot.service), offline and through a loopback LLM.

- Every skill runs through CopilotTarget without errors (the adapter matches the service API).
- Two real prompt versions (answer@v1, answer@v2) are compared in one run against an
  OpenAI-compatible server on 127.0.0.1 that misreads v2: per-case differences show, the gate
  fails, and a re-run replays the recorded LLM outputs from the cache with the server gone.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from evals.cli import run_eval
from evals.results import RunReport
from evals.targets import CopilotTarget
from tests.evals.conftest import HashEmbedder

REPO = Path(__file__).resolve().parents[2]
ZH = (REPO / "knowledge" / "playbooks" / "zh").as_posix()
FAQ = "knowledge/playbooks/zh/faq-morning-readers.md"
RULES = "knowledge/playbooks/zh/group-rules.md"

ASK = f"""
suite: real_ask
skill: ask
community: eval-real
knowledge: ["{ZH}"]
cases:
  - {{id: fee, question: 会费多少钱？可以退款吗？, sources: [{FAQ}], handoff: false}}
  - {{id: sharing, question: 每周分享会是什么时候？, sources: [{FAQ}], handoff: false}}
  - {{id: checkin, question: 打卡要在几点之前发？, sources: [{FAQ}], handoff: false}}
  - {{id: admin, question: 怎么才能当管理员？, sources: [{FAQ}], handoff: false}}
  - {{id: ads, question: 可以在群里发代购广告吗？, sources: [{RULES}], handoff: false}}
  - {{id: quiet, question: 晚上几点以后不要在群里发消息？, sources: [{RULES}], handoff: false}}
  - {{id: violation, question: 违反群规会怎么处理？, sources: [{RULES}], handoff: false}}
  - {{id: points, question: 积分可以换什么？, sources: [{FAQ}], handoff: false}}
"""

ALL_SKILLS = {
    "ask.yaml": f"""
suite: s_ask
skill: ask
community: eval-real
knowledge: ["{ZH}"]
cases:
  - {{id: fee, question: 会费多少钱？, sources: [{FAQ}], must_contain: ["99"]}}
""",
    "draft.yaml": f"""
suite: s_draft
skill: draft
community: eval-real
knowledge: ["{ZH}"]
profile: {{name: 晨跑读书会, type: learning, banned_words: [最便宜]}}
cases:
  - {{id: promo, kind: announcement, topic: 周三晚上的分享会, language: zh, banned_words: [最便宜]}}
""",
    "summarize.yaml": """
suite: s_sum
skill: summarize
community: eval-real
cases:
  - id: inline
    transcript:
      - {author: 小林, text: 定了：周六上午9点在朝阳公园南门集合, ts: "2026-11-05T09:00:00+08:00"}
      - {author: 小王, text: 横幅我来带，有事打 13812345678, ts: "2026-11-05T09:05:00+08:00"}
    must_not_contain: ["13812345678"]
""",
    "suggest.yaml": """
suite: s_suggest
skill: suggest
community: eval-real
cases:
  - {id: midautumn, profile: {type: learning}, today: 2026-09-18,
     exclude_activities: [industry-salon]}
""",
    "replay.yaml": f"""
suite: s_replay
skill: replay
community: eval-real
knowledge: ["{ZH}"]
cases:
  - id: group
    messages:
      - {{author: 周周, text: "#晨读打卡 5km 20页", expect: silent}}
      - {{author: 木木, text: "@bot 会费多少钱？", mentioned: true, expect: answer}}
""",
}


def write(tmp_path: Path, files: dict[str, str]) -> list[Path]:
    folder = tmp_path / "suites"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return sorted(folder.glob("*.yaml"))


@pytest.fixture
def target(tmp_path: Path, embedder: Any) -> Iterator[CopilotTarget]:
    instance = CopilotTarget(tmp_path / "data", embedder=embedder)  # one USE model per session
    yield instance
    instance.close()


def test_every_skill_runs_against_the_real_copilot(
    tmp_path: Path, target: CopilotTarget, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    out = tmp_path / "run.json"
    run_eval(
        write(tmp_path, ALL_SKILLS),
        json_out=out,
        target=target,
        embedder=HashEmbedder(),
        judge=None,
        cache_dir=tmp_path / "cache",
        console=Console(quiet=True),
        progress=False,
    )
    report = RunReport.model_validate(json.loads(out.read_text("utf-8")))
    assert {r.suite: r.error for r in report.runs} == dict.fromkeys(
        ["s_ask", "s_draft", "s_replay", "s_suggest", "s_sum"]
    )
    by_suite = {r.suite: r for r in report.runs}
    assert by_suite["s_ask"].output["retrieved"] and "hit@1" in by_suite["s_ask"].metrics
    assert by_suite["s_draft"].output["text"]
    assert "summary" in by_suite["s_sum"].output
    assert by_suite["s_suggest"].output["suggestions"]
    assert [t["id"] for t in by_suite["s_replay"].output["turns"]] == ["m1", "m2"]
    assert by_suite["s_sum"].passed, by_suite["s_sum"].assertions  # the phone was redacted


@contextmanager
def prompt_sensitive_llm() -> Iterator[dict[str, Any]]:
    """Answers from passage [1] for answer@v1; for v2 (which asks for a one-sentence direct
    answer first) it always says HANDOFF: a deliberately worse prompt for this model."""
    state: dict[str, Any] = {"calls": 0}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            state["calls"] += 1
            system = body["messages"][0]["content"]
            passage = re.search(r"\[1\] \([^)]*\)\n(.+)", system)
            reply = (
                "HANDOFF"
                if "one-sentence direct answer" in system or not passage
                else f"{passage.group(1)[:160]} [1]"
            )
            payload = json.dumps(
                {
                    "id": "x",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": body.get("model", "m"),
                    "choices": [
                        {
                            "index": 0,
                            "finish_reason": "stop",
                            "message": {"role": "assistant", "content": reply},
                        }
                    ],
                    "usage": {"prompt_tokens": 500, "completion_tokens": 40, "total_tokens": 540},
                }
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state["url"] = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def test_prompt_versions_compared_gated_and_replayed_offline(
    tmp_path: Path, target: CopilotTarget, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("COPILOT_LLM_API_KEY", "sk-test-not-a-secret")
    monkeypatch.setenv("COPILOT_LLM_MAX_RETRIES", "0")
    suites = write(tmp_path, {"ask.yaml": ASK})
    cache = tmp_path / "cache"
    first = tmp_path / "first.json"
    with prompt_sensitive_llm() as llm:
        matrix = [
            "prompt=answer@v1,answer@v2",
            "provider=openai",
            f"base_url={llm['url']}",
            "model=gpt-4o-mini",
        ]
        code = run_eval(
            suites,
            matrix,
            json_out=first,
            report=tmp_path / "r.html",
            max_regression=["pass=0.1"],
            target=target,
            embedder=HashEmbedder(),
            judge=None,
            cache_dir=cache,
            console=Console(quiet=True),
            progress=False,
        )
        calls = llm["calls"]
    report = RunReport.model_validate(json.loads(first.read_text("utf-8")))
    assert calls > 0 and all(r.error is None for r in report.runs)
    a = [r for r in report.runs if r.variant == "A"]
    assert {r.output["mode"] for r in a} == {"llm"} and {r.output["prompt"] for r in a} == {
        "answer@v1"
    }
    assert report.summary["A"]["pass"].mean >= 0.75
    assert report.summary["A"]["cost_usd"].mean > 0  # priced from the recorded usage
    worse = [c for c in report.changes if c.direction == "worse"]
    assert len(worse) >= 6
    assert any(f.startswith("handoff=False: passed→failed") for f in worse[0].flipped)
    assert code == 1 and not report.gate_passed  # v2 is worse with 95% confidence

    # The server is gone: replay mode serves every recorded output and never calls out.
    second = tmp_path / "second.json"
    code = run_eval(
        suites,
        matrix,
        json_out=second,
        cache_mode="replay",
        max_regression=["pass=0.1"],
        target=target,
        embedder=HashEmbedder(),
        judge=None,
        cache_dir=cache,
        console=Console(quiet=True),
        progress=False,
    )
    replayed = RunReport.model_validate(json.loads(second.read_text("utf-8")))
    assert code == 1 and replayed.meta["target_calls"] == 0
    assert all(r.cached and r.error is None for r in replayed.runs)
    assert [r.metrics["pass"] for r in replayed.runs] == [r.metrics["pass"] for r in report.runs]


def test_a_real_chat_export_is_replayed_as_the_group_saw_it() -> None:
    from evals.copilot_inputs import replay_messages, strip_mentions
    from evals.schema import load_suite

    suite = load_suite(REPO / "evals" / "suites" / "replay.yaml")
    case = next(c for c in suite.cases if getattr(c, "file", None))
    messages = {mid: (text, mentioned) for mid, text, mentioned in replay_messages(suite, case)}
    assert messages["1010"][1] is True and messages["1005"][1] is False
    assert "1011" not in messages  # the bot's own reply in the export is skipped
    assert "1002" not in messages  # service message (a join)
    assert set(case.labels) <= set(messages)
    assert strip_mentions("@copilot_bot how do points work here?") == "how do points work here?"
    assert strip_mentions("@晨读助手，补卡怎么补？") == "补卡怎么补？"
