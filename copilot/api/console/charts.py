"""The health report as bar charts: geometry computed here, drawn as inline SVG by templates.

Each chart keeps its numbers, so the page shows the same figures as a table one click away.
"""

from __future__ import annotations

from dataclasses import dataclass

from copilot.analytics.report import HealthReport

WIDTH, HEIGHT, GAP = 600, 160, 2


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Chart:
    key: str  # translation key of the title
    rows: list[tuple[str, int]]  # the numbers behind the bars, as the table shows them
    bars: list[Bar]
    peak: int
    width: int = WIDTH
    height: int = HEIGHT


def bar_chart(key: str, rows: list[tuple[str, int]]) -> Chart:
    """Vertical bars scaled to the largest value (an all-zero chart draws no bars)."""
    peak = max((value for _, value in rows), default=0)
    step = WIDTH / max(len(rows), 1)
    bars = []
    for i, (label, value) in enumerate(rows):
        height = (HEIGHT - 20) * value / peak if peak else 0.0
        bars.append(
            Bar(label, value, i * step + GAP / 2, HEIGHT - height, max(step - GAP, 1), height)
        )
    return Chart(key, rows, bars, peak)


def health_charts(report: HealthReport) -> list[Chart]:
    """Messages per day; active, silent and new members; questions; spam."""
    silent = len(report.silent_members)
    return [
        bar_chart(
            "chart.messages_per_day",
            [(d.date.isoformat(), d.count) for d in report.messages_per_day],
        ),
        bar_chart(
            "chart.members",
            [
                ("chart.members_total", report.members_total),
                ("chart.active", report.active_members.count),
                ("chart.silent", silent),
                ("chart.new", len(report.new_members)),
            ],
        ),
        bar_chart(
            "chart.questions",
            [
                ("chart.questions_all", report.question_count),
                ("chart.answered", report.question_count - report.unanswered_count),
                ("chart.unanswered", report.unanswered_count),
            ],
        ),
        bar_chart(
            "chart.spam",
            [
                ("chart.messages", report.total_messages),
                ("chart.spam_messages", report.spam_messages),
            ],
        ),
    ]
