"""Events as they really are, and dates as precise as they are known, in the built documents.

Each test builds a small project (tests/base.py) to HTML and reads what would be
printed: a partial date never gains a day, a kind the labels do not know is
printed as written, an unknown place or method prints nothing, and a project
written for the old model still builds, with a deprecation warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from textwrap import dedent

import pytest

from tests.base import EVENT, MINIMAL, PUBLICATION, STORY
from tests.conftest import run

EVENT_TEXT = dedent(MINIMAL[EVENT])
COUNT_FIX = "write a whole number, e.g. 30, or 'ca. 30' when it is approximate"


def build_html(project: Path, *extra: str) -> str:
    """Build the compendium's HTML and return it, asserting the build worked."""
    result = run("build", "--project", project, "--format", "html", "--only", "compendium", *extra)
    assert result.exit_code == 0, result.output
    return (project / "build" / "compendium.html").read_text(encoding="utf-8")


def facts(html: str) -> list[str]:
    """Return the event's facts as 'term: description' lines, tags removed."""
    block = re.search(r'<dl class="facts">(.*?)</dl>', html, re.S)
    assert block, "no facts list"
    pairs = re.findall(r"<dt>(.*?)</dt>(.*?)(?=<dt>|$)", block.group(1), re.S)
    return [f"{term}: {' | '.join(re.findall(r'<dd>(.*?)</dd>', dds, re.S))}" for term, dds in pairs]


def with_language(language: str) -> str:
    """Return the minimal publication in another language."""
    return dedent(MINIMAL[PUBLICATION]).replace(
        "organisation: HK Kommunal\n", f"organisation: HK Kommunal\nlanguage: {language}\n"
    )


@pytest.mark.parametrize(
    ("written", "language", "printed"),
    [
        ("2019", "da", "2019"),
        ("2019-02", "da", "februar 2019"),
        ("2019-02-02", "da", "2. februar 2019"),
        ("ca. 2019", "da", "ca. 2019"),
        ("ca. 2019-02", "da", "ca. februar 2019"),
        ("~2019-02-02", "da", "ca. 2. februar 2019"),
        ("2019", "en", "2019"),
        ("2019-02", "en", "February 2019"),
        ("2019-02-02", "en", "2 February 2019"),
        ("ca. 2019", "en", "c. 2019"),
        ("ca. 2019-02", "en", "c. February 2019"),
        ("ca. 2019-02-02", "en", "c. 2 February 2019"),
    ],
)
def test_an_event_date_prints_as_precisely_as_known(
    make_project: Callable[..., Path], written: str, language: str, printed: str
) -> None:
    event = EVENT_TEXT.replace("date: 2023-03-08", f"date: {written}")
    html = build_html(make_project({EVENT: event, PUBLICATION: with_language(language)}))
    kind = "Møde" if language == "da" else "Meeting"
    assert facts(html)[0] == f"{kind}: {printed}, Viborg"
    # The statement's credit line gives the same date, and no day is made up anywhere.
    assert f"Mødet i MidtVest, {printed}</span>" in html
    if "-02-02" not in written:
        assert not re.search(r"\b1\. (januar|februar) 2019|\b1 (January|February) 2019", html)


def test_a_source_and_a_story_known_only_to_the_year_print_the_year(make_project: Callable[..., Path]) -> None:
    publication = dedent(MINIMAL[PUBLICATION]).replace("date: 2023-03-13", "date: 2020")
    story = dedent(MINIMAL[STORY]).replace("date: 2026-09-14", "date: ca. 2026-09")
    html = build_html(make_project({PUBLICATION: publication, STORY: story}))
    assert "<cite>Artiklen</cite>, HK Kommunal, 2020." in html
    assert "ca. september 2026 · " in html
    assert "januar 2020" not in html


def test_a_kind_the_labels_know_gets_its_label_and_any_other_prints_as_written(
    make_project: Callable[..., Path],
) -> None:
    known = build_html(make_project({EVENT: EVENT_TEXT.replace("kind: meeting", "kind: borgermøde")}))
    assert facts(known)[0] == "Borgermøde: 8. marts 2023, Viborg"
    other = build_html(make_project({EVENT: EVENT_TEXT.replace("kind: meeting", "kind: fyraftensmøde for ledige")}))
    assert facts(other)[0] == "fyraftensmøde for ledige: 8. marts 2023, Viborg"


def test_an_unknown_place_and_method_print_nothing(make_project: Callable[..., Path]) -> None:
    event = EVENT_TEXT.replace("place: Viborg\n", "").replace("method: Metode.\n", "")
    html = build_html(make_project({EVENT: event}))
    assert facts(html)[0] == "Møde: 8. marts 2023"
    assert "<h4>Metode</h4>" not in html


def test_a_panel_with_an_approximate_headcount_and_several_sources(make_project: Callable[..., Path]) -> None:
    referat = "  - id: referatet\n    title: Referatet\n    publisher: Tønder Kommune\n    date: 2020-11\n"
    publication = dedent(MINIMAL[PUBLICATION]) + referat
    event = EVENT_TEXT.replace("kind: meeting", "kind: borgerpanel").replace(
        "participants: [lene-buhl]\n",
        "participants: [lene-buhl]\nparticipants_count: ca. 1200\nsources: [artiklen, referatet]\n",
    )
    html = build_html(make_project({PUBLICATION: publication, EVENT: event}))
    assert facts(html)[1:] == [
        "Arrangør: HK Kommunal MidtVest",
        "Antal deltagere: ca. 1.200",
        "Kilder: Artiklen, 13. marts 2023 | Referatet, november 2020",
    ]


@pytest.mark.parametrize(
    ("respondents", "printed"),
    [
        ("  invited: 1200\n  answered: 431\n", "Besvarelser: 431 af 1.200 inviterede"),
        ("  invited: ca. 1200\n  answered: 431\n", "Besvarelser: 431 af ca. 1.200 inviterede"),
        ("  answered: ca. 430\n", "Besvarelser: ca. 430"),
    ],
)
def test_a_survey_prints_its_respondents(make_project: Callable[..., Path], respondents: str, printed: str) -> None:
    event = EVENT_TEXT.replace("kind: meeting", "kind: survey").replace(
        "participants: [lene-buhl]\n", f"participants: [lene-buhl]\nrespondents:\n{respondents}"
    )
    lines = facts(build_html(make_project({EVENT: event})))
    assert lines[0] == "Spørgeskemaundersøgelse: 8. marts 2023, Viborg"
    assert printed in lines


def test_the_old_source_spelling_builds_with_a_deprecation_warning(make_project: Callable[..., Path]) -> None:
    project = make_project(
        {EVENT: EVENT_TEXT.replace("participants: [lene-buhl]\n", "participants: [lene-buhl]\nsource: artiklen\n")}
    )
    check = run("check", "--project", project)
    assert check.exit_code == 0, check.output
    assert check.output == (
        f"{EVENT}:8:1 warning: source: 'source' is deprecated and replaced by 'sources'; "
        "write 'sources: [artiklen]' instead, a list that can hold several\n"
        "OK: 6 files, 1 theme, 1 event, 1 story; 1 warning\n"
    )
    html = build_html(project)
    assert "Kilde: Artiklen, 13. marts 2023" in facts(html)


def test_an_empty_old_source_is_no_deprecation(make_project: Callable[..., Path]) -> None:
    project = make_project(
        {EVENT: EVENT_TEXT.replace("participants: [lene-buhl]\n", "participants: [lene-buhl]\nsource:\n")}
    )
    check = run("check", "--project", project)
    assert check.exit_code == 0, check.output
    assert "deprecated" not in check.output


def test_full_dates_keep_working_without_a_warning(make_project: Callable[..., Path]) -> None:
    check = run("check", "--project", make_project())
    assert check.output.endswith("0 warnings\n"), check.output


def test_a_publication_known_to_the_month_prints_and_dates_its_metadata_so(make_project: Callable[..., Path]) -> None:
    publication = dedent(MINIMAL[PUBLICATION]).replace("date: 2026-11-20", "date: 2026-11")
    html = build_html(make_project({PUBLICATION: publication}))
    assert '<meta name="dcterms.created" content="2026-11">' in html
    assert '<span class="date">november 2026</span>' in html
    assert "<dt>Udgivet</dt><dd>november 2026</dd>" in html
    assert "HK Kommunal, november 2026</p>" in html


def test_the_docs_examples_of_panels_and_surveys_are_valid_events() -> None:
    import yaml

    from compendium.content.model import Event

    guide = (Path(__file__).parents[1] / "docs" / "guide" / "inputs.md").read_text(encoding="utf-8")
    section = guide.split("## Panels, surveys and other events", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```yaml\n(.*?)```", section, re.S)
    assert len(blocks) == 2
    events = [Event.model_validate(yaml.safe_load(block)) for block in blocks]
    assert [str(e.participants_count) for e in events] == ["ca. 30", "None"]
    assert [str(e.date) for e in events] == ["2020-11", "2024-05"]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        (3.5, "'3.5' is not a number of people; " + COUNT_FIX),
        (-2, "'-2' is not a number of people; " + COUNT_FIX),
        ("ca. tredive", "'ca. tredive' is not a number of people; " + COUNT_FIX),
        ({"value": 30}, "expected a number of people, found a list or mapping; " + COUNT_FIX),
        (True, "expected a number of people, found true/false; " + COUNT_FIX),
    ],
)
def test_a_headcount_is_a_whole_number_perhaps_approximate(written: object, message: str) -> None:
    from compendium.content.model import Count
    from compendium.errors import Refused

    assert (Count.parse(30), Count.parse("ca. 30"), Count.parse("~30")) == (
        Count(value=30),
        Count(value=30, approximate=True),
        Count(value=30, approximate=True),
    )
    with pytest.raises(Refused) as caught:
        Count.parse(written)
    assert caught.value.fault.message == message
