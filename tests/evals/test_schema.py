"""Suite files: the shipped suites are valid and broad; bad files fail with a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest

from copilot.skills.suggest.catalogue import CATALOGUE_PATH
from evals.schema import AskCase, ReplayCase, SuiteError, load_suite, load_suites

REPO = Path(__file__).resolve().parents[2]
SHIPPED = sorted((REPO / "evals" / "suites").glob("*.yaml"))


@pytest.fixture(scope="module")
def shipped():  # type: ignore[no-untyped-def]
    return load_suites(SHIPPED)


def test_shipped_suites_cover_every_skill_with_at_least_60_cases(shipped) -> None:  # type: ignore[no-untyped-def]
    cases = [c for s in shipped for c in s.cases]
    assert len(cases) >= 60
    assert {s.skill for s in shipped} == {"ask", "draft", "summarize", "suggest", "replay"}
    tags = {t for c in cases for t in c.tags}
    assert {"unanswerable", "zh-hant-source", "spam", "injection"} <= tags
    languages = {c.language for c in cases}
    assert {"zh", "en"} <= languages
    asks = [c for c in cases if isinstance(c, AskCase)]
    assert sum(c.handoff is True for c in asks) >= 6
    replay = [c for s in shipped if s.skill == "replay" for c in s.cases]
    assert any(isinstance(c, ReplayCase) and c.file for c in replay)  # a real export format


def test_every_labelled_source_and_file_exists(shipped) -> None:  # type: ignore[no-untyped-def]
    for suite in shipped:
        for case in suite.cases:
            for source in getattr(case, "sources", []):
                assert (REPO / source).is_file(), f"{suite.name}/{case.id}: {source}"


def test_activity_ids_exist_in_the_catalogue(shipped) -> None:  # type: ignore[no-untyped-def]
    import yaml

    catalogue = yaml.safe_load(CATALOGUE_PATH.read_text("utf-8"))
    ids = {a["id"] for a in catalogue["activities"]}
    for suite in shipped:
        for case in suite.cases:
            named = [
                *getattr(case, "expect_activities", []),
                *getattr(case, "exclude_activities", []),
            ]
            for item in named:
                for activity in item if isinstance(item, list) else [item]:
                    assert activity in ids, f"{case.id}: unknown activity {activity}"


def _write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    (tmp_path / "kb").mkdir(exist_ok=True)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_errors_name_the_file_and_the_case(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "suite: s\nskill: ask\ncommunity: c\ncases:\n"
        "  - {id: ok, question: hi}\n  - {id: broken, qestion: hi}\n",
    )
    with pytest.raises(SuiteError) as err:
        load_suite(path)
    message = str(err.value)
    assert str(path) in message and "case #2 'broken'" in message
    assert "question" in message  # the missing field
    assert "qestion" in message  # the unknown one


def test_unknown_check_type_and_duplicates_and_missing_paths(tmp_path: Path) -> None:
    bad_check = _write(
        tmp_path,
        "suite: s\nskill: ask\ncommunity: c\ncases:\n"
        "  - {id: a, question: q, assert: [{type: containz, value: x}]}\n",
    )
    with pytest.raises(SuiteError, match="unknown check type 'containz'"):
        load_suite(bad_check)
    dup = _write(
        tmp_path,
        "suite: s\nskill: ask\ncommunity: c\ncases:\n"
        "  - {id: a, question: q}\n  - {id: a, question: r}\n",
    )
    with pytest.raises(SuiteError, match="duplicate case id 'a'"):
        load_suite(dup)
    missing = _write(
        tmp_path,
        "suite: s\nskill: ask\ncommunity: c\nknowledge: [nope]\ncases:\n  - {id: a, question: q}\n",
    )
    with pytest.raises(SuiteError, match="knowledge path not found: nope"):
        load_suite(missing)


def test_bad_yaml_bad_community_and_unlabelled_replay(tmp_path: Path) -> None:
    with pytest.raises(SuiteError, match="invalid YAML"):
        load_suite(_write(tmp_path, "suite: [unclosed\n"))
    with pytest.raises(SuiteError, match="community"):
        load_suite(
            _write(
                tmp_path, "suite: s\nskill: ask\ncommunity: 'a b'\ncases: [{id: a, question: q}]\n"
            )
        )
    with pytest.raises(SuiteError, match="label at least one message"):
        load_suite(
            _write(
                tmp_path,
                "suite: s\nskill: replay\ncommunity: c\ncases:\n"
                "  - {id: r, messages: [{author: x, text: hi}]}\n",
            )
        )
    with pytest.raises(SuiteError, match="suite file not found"):
        load_suite(tmp_path / "absent.yaml")


def test_numbers_in_expectations_become_text(tmp_path: Path) -> None:
    suite = load_suite(
        _write(
            tmp_path,
            "suite: s\nskill: ask\ncommunity: c\ncases:\n"
            "  - {id: a, question: q, must_contain: [35, [7, 七]]}\n",
        )
    )
    assert suite.cases[0].must_contain == ["35", ["7", "七"]]


def test_inputs_exclude_expectations() -> None:
    case = AskCase(id="a", question="q?", must_contain=["x"], sources=["s.md"])
    assert case.inputs() == {"question": "q?", "top_k": None}
