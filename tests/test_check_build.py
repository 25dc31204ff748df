"""`check` runs every check `build` runs: its verdict on a project is the build's (issue 13, item 8)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.base import EVENT, MINIMAL, OK, PARTICIPANTS, STORY
from tests.conftest import run

# A role-only participant whose surname alone is in a quote: the input check (full names) does not see it,
# the search of the rendered output (first and last names too) does.
SURNAME_ALONE = {
    PARTICIPANTS: """\
        participants:
          - id: lene-buhl
            name: Lene Buhl
            consent: named
          - id: karen-mose
            name: Karen Mose
            role: Jobkonsulent
            consent: role-only
        """,
    EVENT: MINIMAL[EVENT].rstrip(" ").replace("participants: [lene-buhl]", "participants: [lene-buhl, karen-mose]")
    + """\
          - id: karen
            speaker: karen-mose
            themes: [tillid]
            text: Mose mener, at det virker.
        """,
}
LEAK = "\n".join(
    f"{EVENT}:18:11 the public edition would print 'Mose' (participant karen-mose, consent 'role-only') in "
    f"{doc}.html; remove it from the text"
    for doc in ("compendium", "debate-paper")
)

BROKEN_PROJECTS: dict[str, dict[str, str | bytes | None]] = {
    "consent leak": SURNAME_ALONE,
    "template syntax": {"templates/compendium.html": "{% for x in %}\n"},
    "template name": {"templates/debate-paper.html": "<p>\n{{ publication.titel }}\n"},
    "label placeholder": {"templates/labels/da.yaml": "anonymous_count: 'Anonyme: {antal}'\n"},
    "input": {STORY: MINIMAL[STORY].replace("themes: [tillid]", "themes: [tilid]")},
}


def test_check_finds_a_surname_the_build_would_print(make_project: Callable[..., Path]) -> None:
    project = make_project(SURNAME_ALONE)
    checked = run("check", "--project", project)
    built = run("build", "--format", "html", "-q", "--project", project)
    expected = f"{LEAK}\nError: 2 problems found; nothing was written.\n"
    assert (checked.exit_code, checked.output) == (1, expected)
    assert (built.exit_code, built.output) == (1, expected)


@pytest.mark.parametrize("name", sorted(BROKEN_PROJECTS))
def test_check_and_build_agree(make_project: Callable[..., Path], name: str) -> None:
    project = make_project(BROKEN_PROJECTS[name])
    checked = run("check", "--project", project)
    built = run("build", "--format", "html", "-q", "--project", project)
    assert checked.exit_code == built.exit_code == 1, (checked.output, built.output)
    assert checked.output == built.output


def test_check_and_build_agree_on_a_clean_project(make_project: Callable[..., Path]) -> None:
    project = make_project()
    assert (
        run("check", "--project", project).output,
        run("build", "-q", "--format", "html", "--project", project).exit_code,
    ) == (OK, 0)


def test_template_errors_of_every_document_are_reported_together(make_project: Callable[..., Path]) -> None:
    project = make_project(
        {
            "templates/compendium.html": "<p>\n{{ publication.titel }}\n",
            "templates/debate-paper.html": "{{ nothing }}\n",
        }
    )
    result = run("check", "--project", project)
    assert (result.exit_code, result.output) == (
        1,
        "templates/compendium.html:2 template error: 'compendium.content.model.Publication object' has no "
        "attribute 'titel'\n"
        "templates/debate-paper.html:1 template error: 'nothing' is undefined\n"
        "Error: 2 problems found; nothing was written.\n",
    )


def test_input_label_and_template_errors_are_reported_in_one_run(make_project: Callable[..., Path]) -> None:
    project = make_project(
        {
            STORY: MINIMAL[STORY].replace("themes: [tillid]", "themes: [tilid]"),
            "templates/labels/da.yaml": "anonymous_count: 'Anonyme: {antal}'\n",
            "templates/index.html": "<p>\n{% if %}\n",
        }
    )
    result = run("check", "--project", project)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{STORY}:8:10 themes[0]: unknown theme 'tilid' (did you mean 'tillid'?)",
        "templates/index.html:2 template error: Expected an expression, got 'end of statement block'",
        "templates/labels/da.yaml:1:18 anonymous_count: unknown placeholder {antal}; this label can use: {n}",
        "Error: 3 problems found; nothing was written.",
    ]


def test_a_file_that_does_not_parse_gives_no_misleading_did_you_mean(make_project: Callable[..., Path]) -> None:
    # The story's event is in a file with a YAML error: its id is unknown, but that says nothing about the story.
    broken_event = MINIMAL[EVENT].replace("place: Viborg", "place: Viborg\n  organiser HK")
    project = make_project(
        {
            EVENT: broken_event,
            "inputs/events/2023-amager.yaml": MINIMAL[EVENT]
            .replace("id: 2023-midtvest", "id: 2023-amager")
            .replace("id: lene\n", "id: lene-amager\n"),
            STORY: MINIMAL[STORY].rstrip(" ") + "        event: 2023-midtvest\n",
        }
    )
    result = run("check", "--project", project)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert not any("did you mean '2023-amager'" in line for line in lines), lines
    assert lines[-2] == (
        f"{STORY}:10:8 event: event '2023-midtvest' cannot be checked until {EVENT} can be read; "
        "fix the problem reported there first"
    )
