"""Faithfulness: a number the publisher states in its own texts must be a key figure with a source (item 10)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from compendium.content.faithfulness import numbers
from tests.base import KEY_FIGURES, MINIMAL, OK, PUBLICATION, THEMES
from tests.conftest import run


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("1.200 ledige, 1200 andre", [("1.200", "1200"), ("1200", "1200")]),
        ("3,5 % og 25 pct. og 40 procent", [("3,5", "3.5"), ("25", "25"), ("40", "40")]),
        ("1,3 mia. kr. eller 1.300 millioner kr.", [("1,3 mia.", "1300000000"), ("1.300 millioner", "1300000000")]),
        ("10-15 deltagere", [("10", "10"), ("15", "15")]),
        ("Vi var 9. Det gik godt.", [("9", "9")]),
        # Not quantities: years, dates, times, ordinals, list numbers, addresses, code and numbers in words.
        ("Frem mod 2030, den 7. februar, 2023-03-08, 8/3, kl. 12:30", []),
        ("den 3. plads\n1. punkt\n2. punkt", []),
        ("[artiklen](https://example.org/2021/42) og `42` og en note[^3]", []),
        ("halvdelen af de fem", []),
    ],
)
def test_what_counts_as_a_number(text: str, found: list[tuple[str, str]]) -> None:
    assert [(n.written, n.value) for n in numbers(text)] == [(w, Decimal(v)) for w, v in found]


def test_english_groups_with_commas() -> None:
    assert [n.value for n in numbers("1,200 people and 3.5 %", "en")] == [Decimal(1200), Decimal("3.5")]


def project_with(make_project: Callable[..., Path], main_message: str, **files: str) -> Path:
    """Make the minimal project with a main message of its own."""
    publication = MINIMAL[PUBLICATION].replace("main_message: Budskab.", f"main_message: {main_message}")
    return make_project({PUBLICATION: publication, **files})


def test_a_number_that_is_a_key_figure_in_another_format_is_fine(make_project: Callable[..., Path]) -> None:
    project = project_with(make_project, "Der skal spares 3.000 mio. kr.")
    assert run("check", "--project", project).output == OK


def test_a_number_without_a_key_figure_names_the_nearest(make_project: Callable[..., Path]) -> None:
    project = project_with(make_project, "Der skal spares 4 mia. kr.")
    warning = (
        f"{PUBLICATION}:13:33 warning: debate_paper.main_message: the number '4 mia.' is not a key figure with a "
        "source: no key figure states it; the nearest is 'besparelse' (3 mia. kr.); add it to "
        "inputs/key-figures.yaml with its source, or correct the number"
    )
    result = run("check", "--project", project)
    assert (result.exit_code, result.output) == (0, f"{warning}\n{OK.replace('0 warnings', '1 warning')}")
    strict = run("build", "--strict", "-q", "--format", "html", "--project", project)
    assert (strict.exit_code, strict.output) == (
        1,
        f"{warning}\nError: 1 problem found (1 of them warnings, which --strict treats as errors); nothing was "
        "written.\n",
    )


def test_numbers_in_theme_questions_are_found_where_they_stand(make_project: Callable[..., Path]) -> None:
    themes = MINIMAL[THEMES].rstrip(" ") + "            questions:\n              - Hvad gør vi med de 12 jobcentre?\n"
    project = make_project({THEMES: themes})
    result = run("check", "--project", project)
    assert result.output.splitlines()[0] == (
        f"{THEMES}:6:28 warning: themes[0].questions[0]: the number '12' is not a key figure with a source: no key "
        "figure states it; the nearest is 'besparelse' (3 mia. kr.); add it to inputs/key-figures.yaml with its "
        "source, or correct the number"
    )


def test_a_key_figure_without_a_source_is_a_warning_and_does_not_vouch(make_project: Callable[..., Path]) -> None:
    figures = (
        MINIMAL[KEY_FIGURES].rstrip(" ")
        + '          - id: deltagere\n            label: Deltagere\n            value: "9"\n'
    )
    project = project_with(make_project, "Vi var 9 deltagere.", **{KEY_FIGURES: figures})
    result = run("check", "--project", project)
    assert result.output.splitlines() == [
        f"{KEY_FIGURES}:6:5 warning: key_figures[1]: key figure 'deltagere' has no source; add 'source' with the "
        "id of a source in publication.yaml",
        f"{PUBLICATION}:13:24 warning: debate_paper.main_message: the number '9' is not a key figure with a source: "
        "it is key figure 'deltagere' (9), which has no source; add it to inputs/key-figures.yaml with its source, "
        "or correct the number",
        OK.replace("0 warnings", "2 warnings").strip(),
    ]


def test_quotes_and_the_background_are_not_the_publishers_own_numbers(make_project: Callable[..., Path]) -> None:
    publication = MINIMAL[PUBLICATION].replace("background: Baggrund.", "background: Vi var 77.")
    project = make_project({PUBLICATION: publication})
    assert run("check", "--project", project).output == OK
