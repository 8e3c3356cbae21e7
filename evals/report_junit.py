"""JUnit XML for CI: one <testsuite> per (suite, variant), one <testcase> per case and repeat,
plus a 'gate' suite with one testcase per gate rule. Failing assertions become <failure>, target
exceptions <error>, and the output text goes to <system-out> so CI shows what was answered."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from evals.results import RunReport


def _clean(text: str) -> str:
    # XML 1.0 forbids most control characters; CI parsers reject the whole file on one.
    return "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 0x20)


def build_junit(report: RunReport) -> ET.Element:
    root = ET.Element("testsuites", name="copilot-eval")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for v in report.variants:
        for suite in report.suite_summary:
            runs = [r for r in report.runs if r.variant == v.id and r.suite == suite]
            if not runs:
                continue
            ts = ET.SubElement(root, "testsuite", name=f"{suite} [{v.id}: {v.label}]")
            props = ET.SubElement(ts, "properties")
            for metric, s in report.suite_summary[suite].get(v.id, {}).items():
                ET.SubElement(props, "property", name=metric, value=f"{s.mean:.6g}")
            counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
            for r in runs:
                tc = ET.SubElement(
                    ts,
                    "testcase",
                    classname=f"evals.{suite}.{v.id}",
                    name=f"{r.case_id}#r{r.repeat}"
                    if report.meta.get("repeat", 1) > 1
                    else r.case_id,
                    time=f"{r.latency_ms / 1000:.3f}",
                )
                counts["tests"] += 1
                failed = [a for a in r.assertions if a.passed is False]
                if r.error:
                    ET.SubElement(
                        tc, "error", message=_clean(r.error[:200]), type="target-error"
                    ).text = _clean(r.error)
                    counts["errors"] += 1
                elif failed:
                    first = failed[0]
                    ET.SubElement(
                        tc,
                        "failure",
                        message=_clean(f"{first.name}: {first.detail}"[:300]),
                        type="assertion",
                    ).text = _clean("\n".join(f"{a.name}: {a.detail}" for a in failed))
                    counts["failures"] += 1
                ET.SubElement(tc, "system-out").text = _clean(r.text)
            for k, n in counts.items():
                ts.set(k, str(n))
                totals[k] += n
    if report.gate:
        gs = ET.SubElement(
            root,
            "testsuite",
            name="gate",
            tests=str(len(report.gate)),
            failures=str(sum(not g.passed for g in report.gate)),
            errors="0",
            skipped="0",
        )
        for g in report.gate:
            tc = ET.SubElement(
                gs, "testcase", classname="evals.gate", name=f"{g.rule} [{g.variant}]"
            )
            if not g.passed:
                ET.SubElement(
                    tc, "failure", message=_clean(g.detail[:300]), type="gate"
                ).text = _clean(g.detail)
        totals["tests"] += len(report.gate)
        totals["failures"] += sum(not g.passed for g in report.gate)
    for k, n in totals.items():
        root.set(k, str(n))
    root.set("time", str(report.meta.get("duration_s", 0)))
    return root


def write_junit(report: RunReport, path: str | Path) -> None:
    tree = ET.ElementTree(build_junit(report))
    ET.indent(tree)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    tree.write(path, encoding="utf-8", xml_declaration=True)
