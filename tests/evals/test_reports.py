"""Reports: JSON for machines, JUnit XML for CI, the terminal table and the HTML page."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rich.console import Console

from evals.cli import run_eval
from evals.report_html import diff_pair
from evals.results import RunReport
from tests.evals.conftest import HashEmbedder
from tests.evals.fakes import FakeTarget


@pytest.fixture
def outputs(suites: list[Path], tmp_path: Path) -> dict[str, Path]:
    paths = {"html": tmp_path / "r.html", "json": tmp_path / "r.json", "xml": tmp_path / "r.xml"}
    console = Console(record=True, width=160)
    code = run_eval(
        suites,
        ["prompt=answer@v1,answer@bad"],
        repeat=2,
        report=paths["html"],
        json_out=paths["json"],
        junit=paths["xml"],
        fail_under=["pass=0.9"],
        target=FakeTarget(),
        embedder=HashEmbedder(),
        judge=None,
        cache_dir=tmp_path / "cache",
        console=console,
        progress=False,
    )
    assert code == 1  # B is under the floor
    paths["terminal"] = tmp_path / "terminal.txt"
    paths["terminal"].write_text(console.export_text(), encoding="utf-8")
    return paths


def test_json_is_a_complete_reloadable_run(outputs: dict[str, Path]) -> None:
    report = RunReport.model_validate(json.loads(outputs["json"].read_text("utf-8")))
    assert len(report.runs) == 16 * 2 * 2 and len(report.variants) == 2
    assert report.summary["B"]["pass"].mean < report.summary["A"]["pass"].mean
    assert report.comparisons and report.changes and report.gate
    run = report.runs[0]
    assert run.output and run.text and run.assertions and "pass" in run.metrics


def test_junit_xml_lists_cases_failures_and_the_gate(outputs: dict[str, Path]) -> None:
    root = ET.parse(outputs["xml"]).getroot()
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    ask_b = next(s for name, s in suites.items() if name.startswith("mini_ask [B"))
    assert ask_b.get("tests") == "20" and ask_b.get("failures") == "16"
    failure = ask_b.find("testcase/failure")
    assert failure is not None and failure.get("message")
    assert any(p.get("name") == "hit@1" for p in ask_b.iter("property"))
    gate = suites["gate"]
    assert gate.get("failures") == "1"
    assert int(root.get("tests", "0")) == 16 * 2 * 2 + 2


def test_terminal_report_has_summary_comparison_and_failures(outputs: dict[str, Path]) -> None:
    text = outputs["terminal"].read_text("utf-8")
    for expected in (
        "Summary",
        "Pass rate by suite",
        "mini_ask",
        "paired bootstrap",
        "Failing in B",
        "gate FAIL fail-under pass=0.9 [B]",
    ):
        assert expected in text


def test_html_is_self_contained_with_summary_charts_and_side_by_side(
    outputs: dict[str, Path],
) -> None:
    html = outputs["html"].read_text("utf-8")
    assert '<table id="summary">' in html and '<svg class="chart"' in html
    assert 'class="side-by-side"' in html
    assert "<ins>" in html or "<del>" in html
    assert "with 95% confidence" in html
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in html  # no external assets


def test_diff_marks_words_and_chinese_characters() -> None:
    left, right = diff_pair("年费 99 元，7 天内可退", "年费 99 元，14 天内可退")
    assert "<del>7</del>" in left and "<ins>14</ins>" in right
    left, right = diff_pair("可以退款", "不可以退款")
    assert "<ins>不</ins>" in right and "<del>" not in left
    _, escaped = diff_pair("a", "<script>")
    assert "<script>" not in escaped
