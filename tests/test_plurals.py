"""Labels that hold a count take their plural form from the language file (CLDR categories via Babel)."""

from __future__ import annotations

from pathlib import Path

import pytest

from compendium.render.templates import load_labels, make_environment, search_path
from tests.conftest import run

# Each count label with the text printed for 1 and for 2, in Danish and in English.
EXPECTED = {
    ("da", "anonymous_count"): (
        "Én deltager ønsker ikke at blive nævnt.",
        "Deltagere, der ikke ønsker at blive nævnt: 2.",
    ),
    ("en", "anonymous_count"): (
        "One participant does not wish to be named.",
        "Participants who do not wish to be named: 2.",
    ),
    ("da", "anonymous_participants"): (
        "Én deltager ønsker ikke at blive nævnt og er derfor ikke med i listen.",
        "Deltagere, der ikke ønsker at blive nævnt, og som derfor ikke er med i listen: 2.",
    ),
    ("en", "anonymous_participants"): (
        "One participant does not wish to be named, and so is not listed.",
        "Participants who do not wish to be named, and so are not listed: 2.",
    ),
    ("da", "group_size"): ("1 person", "2 personer"),
    ("en", "group_size"): ("1 person", "2 people"),
    ("da", "chart_proposals"): ("1 forslag", "2 forslag"),
    ("en", "chart_proposals"): ("1 proposal", "2 proposals"),
    ("da", "chart_stories"): ("1 god historie", "2 gode historier"),
    ("en", "chart_stories"): ("1 good story", "2 good stories"),
}
CHART_ROW = "{% set p, s = 1, 2 %}{{ labels.chart_row.format(theme='T', proposals=p, stories=s, \
proposals_counted=(labels.chart_proposals | plural(p)), stories_counted=(labels.chart_stories | plural(s))) }}"


def render(root: Path, language: str, source: str, folders: list[Path] | None = None) -> str:
    """Render a template string with a language's labels, in the documents' own sandbox."""
    folders = folders or search_path(None)
    labels, _ = load_labels(folders, language, root)
    return make_environment(folders, language).from_string(source).render(labels=labels)


@pytest.mark.parametrize(("language", "key"), sorted(EXPECTED))
def test_count_label_takes_the_plural_form_of_its_number(tmp_path: Path, language: str, key: str) -> None:
    one, two = EXPECTED[language, key]
    assert render(tmp_path, language, f"{{{{ labels.{key} | plural(1) }}}}") == one
    assert render(tmp_path, language, f"{{{{ labels.{key} | plural(2) }}}}") == two


def test_chart_row_counts_each_noun_on_its_own(tmp_path: Path) -> None:
    assert render(tmp_path, "da", CHART_ROW) == "T: 1 forslag, 2 gode historier."
    assert render(tmp_path, "en", CHART_ROW) == "T: 1 proposal, 2 good stories."


def test_single_text_override_still_works(tmp_path: Path) -> None:
    (tmp_path / "templates" / "labels").mkdir(parents=True)
    (tmp_path / "templates" / "labels" / "da.yaml").write_text(
        'group_size: "{n} pers."\nchart_row: "{theme}: {proposals} forslag og {stories} historier"\n', encoding="utf-8"
    )
    folders = search_path(tmp_path / "templates")
    assert render(tmp_path, "da", "{{ labels.group_size | plural(1) }}", folders) == "1 pers."
    assert render(tmp_path, "da", CHART_ROW, folders) == "T: 1 forslag og 2 historier"
    assert render(tmp_path, "da", "{{ labels.group_size.format(n=3) }}", folders) == "3 pers."


def test_template_written_for_single_texts_prints_the_other_form(tmp_path: Path) -> None:
    assert render(tmp_path, "en", "{{ labels.group_size.format(n=3) }}") == "3 people"


def test_plural_override_in_a_project(tmp_path: Path) -> None:
    (tmp_path / "templates" / "labels").mkdir(parents=True)
    (tmp_path / "templates" / "labels" / "en.yaml").write_text(
        'group_size:\n  one: "a group of one"\n  other: "a group of {n}"\n', encoding="utf-8"
    )
    folders = search_path(tmp_path / "templates")
    assert render(tmp_path, "en", "{{ labels.group_size | plural(1) }}", folders) == "a group of one"
    assert render(tmp_path, "en", "{{ labels.group_size | plural(5) }}", folders) == "a group of 5"


def test_malformed_plural_label_is_an_input_error(project: Path) -> None:
    (project / "templates" / "labels").mkdir(parents=True)
    (project / "templates" / "labels" / "da.yaml").write_text(
        'group_size:\n  one: "{n} person"\n  several: "{n} personer"\n'
        'anonymous_count:\n  one: "En: {m}"\n  other: "Andre: {n}"\n'
        "chart_stories:\n  one: 1\n  other: x\n",
        encoding="utf-8",
    )
    result = run("check", "--project", project)
    assert result.exit_code == 1
    assert result.output == (
        "templates/labels/da.yaml:2:3 group_size: a plural label needs an 'other' form (used for every number "
        "without its own form); give the forms as one: and other: (other is required), each text in quotes\n"
        "templates/labels/da.yaml:3:3 group_size.several: unknown plural category 'several'; "
        "a plural label's forms are: zero, one, two, few, many, other\n"
        "templates/labels/da.yaml:8:8 chart_stories.one: a plural form must be text; put it in quotes\n"
        "Error: 3 problems found; nothing was written.\n"
    )


def test_plural_form_with_an_unknown_placeholder_is_an_input_error(project: Path) -> None:
    (project / "templates" / "labels").mkdir(parents=True)
    (project / "templates" / "labels" / "da.yaml").write_text(
        'anonymous_count:\n  one: "En: {m}"\n  other: "Andre: {n}"\n', encoding="utf-8"
    )
    result = run("check", "--project", project)
    assert result.exit_code == 1
    assert result.output == (
        "templates/labels/da.yaml:2:8 anonymous_count.one: unknown placeholder {m}; "
        "this label can use: {n}\n"
        "Error: 1 problem found; nothing was written.\n"
    )


def test_compendium_prints_the_plural_forms(project: Path) -> None:
    result = run("build", "--format", "html", "-q", "--project", project)
    assert result.exit_code == 0, result.output
    html = (project / "build" / "compendium.html").read_text(encoding="utf-8")
    assert "1 gode historier" not in html
    assert "Brugerbestyrelser: 1 forslag, 1 god historie." in html
    assert '<p class="anonymous">Én deltager ønsker ikke at blive nævnt.</p>' in html
    assert "1 personer" not in html
