"""The HTML report opens in a real browser: headless Chromium renders the summary table and a
side-by-side case (checked in the rendered DOM, after the page's script ran)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from evals.cli import run_eval
from tests.evals.conftest import HashEmbedder
from tests.evals.fakes import FakeTarget

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="needs Chromium at /usr/bin/chromium (apt-get install -y chromium)",
)


def dump_dom(page: Path, tmp_path: Path) -> str:
    profile = tmp_path / "chromium-profile"
    profile.mkdir()
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_report_renders_in_chromium(suites: list[Path], tmp_path: Path) -> None:
    from html.parser import HTMLParser

    page = tmp_path / "report.html"
    run_eval(
        suites,
        ["prompt=answer@v1,answer@bad"],
        report=page,
        target=FakeTarget(),
        embedder=HashEmbedder(),
        judge=None,
        cache_dir=tmp_path / "cache",
        progress=False,
    )
    dom = dump_dom(page, tmp_path)

    class Collector(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.stack: list[tuple[str, dict[str, str | None]]] = []
            self.summary_rows = 0
            self.side_by_side = 0
            self.variant_cells: list[str | None] = []
            self.inserted = 0

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            a = dict(attrs)
            inside = [t for t, at in self.stack if at.get("id") == "summary"]
            if tag == "tr" and inside:
                self.summary_rows += 1
            if tag == "table" and "side-by-side" in (a.get("class") or ""):
                self.side_by_side += 1
            if tag == "td" and "variant-output" in (a.get("class") or ""):
                self.variant_cells.append(a.get("data-variant"))
            if tag == "ins":
                self.inserted += 1
            if tag not in ("br", "meta", "input", "line", "rect"):
                self.stack.append((tag, a))

        def handle_endtag(self, tag: str) -> None:
            while self.stack and self.stack.pop()[0] != tag:
                pass

    c = Collector()
    c.feed(dom)
    assert c.summary_rows >= 10  # header + one row per metric
    assert c.side_by_side == 16  # one side-by-side table per case
    assert c.variant_cells[:2] == ["A", "B"]
    assert "mini_ask/fee" in dom and "B is worse than A with 95% confidence" in dom
    assert c.inserted + dom.count("<del>") > 0  # the differences are highlighted
