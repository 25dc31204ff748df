"""One Problem type: the hint is a field set where a problem is found, and each output format has one formatter."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from compendium.commands.serve import describe, error_overlay
from compendium.content.explain import explain_all
from compendium.content.load import parse
from compendium.content.model import ThemesFile
from compendium.errors import (
    CompendiumError,
    InputError,
    Problem,
    github_annotation,
    json_item,
    page_item,
    text_line,
)
from compendium.report import Counts, to_json

LOCATED = Problem(
    "inputs/stories/x.yaml",
    3,
    9,
    "themes[0]",
    "unknown theme 'tilid' (did you mean 'tillid'?)",
    hint="did you mean 'tillid'?",
)
WHOLE_FILE = Problem("inputs/notes.yaml", message="this file is not read", warning=True)


def _explained(text: str) -> list[Problem]:
    """Validate a themes.yaml text and return its problems."""
    located = parse(text, "inputs/themes.yaml")
    with pytest.raises(ValidationError) as caught:
        ThemesFile.model_validate(located.data)
    return explain_all(located, ThemesFile, caught.value)


def test_a_did_you_mean_is_the_hint() -> None:
    [problem] = _explained("themes:\n  - id: tillid\n    titel: Tillid\n    introduction: x\n")

    assert problem == Problem(
        "inputs/themes.yaml",
        3,
        5,
        "themes[0].titel",
        "unknown field 'titel' (did you mean 'title'?)",
        hint="did you mean 'title'?",
    )


def test_the_fix_after_a_semicolon_is_the_hint() -> None:
    [problem] = _explained("themes:\n  - id: tillid\n    title: Tillid\n    introduction: x\n    foo: 1\n")

    assert problem.message == "unknown field 'foo'; expected one of: id, title, introduction, questions"
    assert problem.hint == "expected one of: id, title, introduction, questions"


def test_a_problem_found_while_loading_carries_its_hint() -> None:
    with pytest.raises(InputError) as caught:
        parse("", "inputs/themes.yaml")

    assert caught.value.problems == [
        Problem(
            "inputs/themes.yaml",
            1,
            1,
            "",
            "the file is empty; expected a mapping of fields",
            hint="expected a mapping of fields",
        )
    ]


def test_a_message_without_a_fix_has_no_hint() -> None:
    [problem] = _explained("themes:\n  - id: tillid\n    title: Tillid\n    introduction: [a]\n")

    assert (problem.message, problem.hint) == ("expected text, found a list", "")


def test_text_with_a_position_key_and_hint() -> None:
    assert text_line(LOCATED) == ("inputs/stories/x.yaml:3:9 themes[0]: unknown theme 'tilid' (did you mean 'tillid'?)")
    assert str(LOCATED) == text_line(LOCATED)


def test_text_of_a_warning_about_a_whole_file() -> None:
    assert text_line(WHOLE_FILE) == "inputs/notes.yaml: warning: this file is not read"


def test_github_annotation_with_a_position_and_without() -> None:
    assert github_annotation(LOCATED) == (
        "::error file=inputs/stories/x.yaml,line=3,col=9,title=themes[0]::"
        "unknown theme 'tilid' (did you mean 'tillid'?)"
    )
    assert github_annotation(WHOLE_FILE) == "::warning file=inputs/notes.yaml::this file is not read"


def test_json_with_a_position_and_hint() -> None:
    assert json_item(LOCATED) == {
        "file": "inputs/stories/x.yaml",
        "line": 3,
        "column": 9,
        "key_path": "themes[0]",
        "message": "unknown theme 'tilid' (did you mean 'tillid'?)",
        "hint": "did you mean 'tillid'?",
        "severity": "error",
    }


def test_json_without_a_position_or_hint() -> None:
    assert json_item(WHOLE_FILE) == {
        "file": "inputs/notes.yaml",
        "line": None,
        "column": None,
        "key_path": "",
        "message": "this file is not read",
        "hint": None,
        "severity": "warning",
    }


def test_json_hint_comes_from_the_field_not_the_message() -> None:
    reworded = Problem("f.yaml", message="no theme is called 'tilid'", hint="did you mean 'tillid'?")
    no_hint = Problem("f.yaml", message="x (did you mean 'y'?); z")

    report = json.loads(to_json([reworded, no_hint], None))

    assert [p["hint"] for p in report["problems"]] == ["did you mean 'tillid'?", None]


def test_json_of_an_error_with_the_whole_project() -> None:
    error = CompendiumError(
        "no compendium.yaml found in /x; run this inside a project", hint="run this inside a project"
    )

    assert json_item(error.as_problem()) == {
        "file": None,
        "line": None,
        "column": None,
        "key_path": "",
        "message": "no compendium.yaml found in /x; run this inside a project",
        "hint": "run this inside a project",
        "severity": "error",
    }
    assert json.loads(to_json([], Counts(1, 2, 3, 4)))["ok"] is True


def test_page_item_with_a_position_and_without() -> None:
    assert page_item(LOCATED) == {
        "where": "inputs/stories/x.yaml:3:9",
        "message": "themes[0]: unknown theme 'tilid' (did you mean 'tillid'?)",
    }
    assert page_item(WHOLE_FILE) == {"where": "inputs/notes.yaml", "message": "warning: this file is not read"}


def test_serve_overlay_shows_the_problem_fields() -> None:
    items = describe(InputError([LOCATED, WHOLE_FILE]))

    assert items == [page_item(LOCATED), page_item(WHOLE_FILE)]
    overlay = error_overlay(items)
    assert (
        "<li><code>inputs/stories/x.yaml:3:9</code> themes[0]: unknown theme &#x27;tilid&#x27; "
        "(did you mean &#x27;tillid&#x27;?)</li>"
    ) in overlay
    assert "<li><code>inputs/notes.yaml</code> warning: this file is not read</li>" in overlay


def test_serve_overlay_of_an_error_with_the_whole_project() -> None:
    assert describe(CompendiumError("no labels")) == [{"where": "", "message": "no labels"}]
    assert describe(KeyError("x")) == [{"where": "", "message": "internal error: KeyError: 'x'"}]
