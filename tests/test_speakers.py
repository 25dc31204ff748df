"""Who said it, and where and when: speakers who are not one consenting person, a statement's own
provenance, the role held at the time, and stories from press reports.

Each test writes the minimal project (tests/base.py) with the files it needs; an error is asserted
with the exact text `check` prints, a credit with the exact caption the compendium prints.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from textwrap import dedent

import pytest

from compendium.consent import policy
from compendium.content import model as m
from tests.base import EVENT, MINIMAL, OK, PARTICIPANTS, PUBLICATION, STORY, one
from tests.conftest import run

PRESS = "inputs/statements/presse.yaml"

# The minimal project's participants, with a role-only person (whose name no text may hold),
# a group, a panel of nine and an organisation.
PEOPLE = """\
    participants:
      - id: lene-buhl
        name: Lene Buhl
        role: jobkonsulent
        workplace: Jobcenter Viborg
        consent: named
      - id: karina-soerensen
        name: Karina Sørensen
        role: tillidsrepræsentant
        workplace: Jobcenter Fredericia
        consent: role-only
      - id: tr-gruppen
        kind: group
        description: tillidsrepræsentanterne på workshoppen
      - id: panelet
        kind: group
        description: borgerpanelet i Tønder
        size: 9
      - id: dansk-metal
        kind: organisation
        name: Dansk Metal
    """
# The minimal project's publication with a second source: a newspaper article known to the month.
PUBLICATION_WITH_PRESS = dedent(MINIMAL[PUBLICATION]) + (
    "  - id: fyens-2020\n"
    "    title: Tillidsrepræsentant frygter for borgerne\n"
    "    publisher: Fyens.dk\n"
    "    date: 2020-03\n"
)


def captions(project: Path, document: str = "compendium") -> list[str]:
    """Build the HTML and return each quote's caption, without tags."""
    result = run("build", "--format", "html", "--quiet", "--project", project)
    assert result.exit_code == 0, result.output
    html = (project / "build" / f"{document}.html").read_text(encoding="utf-8")
    return [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<figcaption>(– .*?)</figcaption>", html)]


def event_with(statements: str, participants: str = "[lene-buhl]") -> str:
    """Return the minimal project's event with these participants and statements."""
    head = dedent(MINIMAL[EVENT]).split("participants:")[0]
    rest = "background: Baggrund.\nmethod: Metode.\n"
    return head + f"participants: {participants}\n" + rest + "statements:\n" + dedent(statements)


# --- what each kind of speaker is credited as ---------------------------------------


def test_each_kind_of_speaker_is_credited_as_what_the_inputs_say(make_project: Callable[..., Path]) -> None:
    statements = """\
      - id: lene
        speaker: lene-buhl
        themes: [tillid]
        text: Et udsagn.
      - id: karina
        speaker: karina-soerensen
        themes: [tillid]
        text: Et andet udsagn.
      - id: gruppen
        speaker: tr-gruppen
        themes: [tillid]
        text: Et tredje udsagn.
      - id: metal
        speaker: dansk-metal
        themes: [tillid]
        text: Et fjerde udsagn.
      - id: borgeren
        unnamed_speaker: en borger
        themes: [tillid]
        text: Et femte udsagn.
      - id: os-selv
        publisher: true
        themes: [tillid]
        text: Et sjette udsagn.
    """
    participants = "[lene-buhl, karina-soerensen, tr-gruppen, panelet, dansk-metal]"
    project = make_project({PARTICIPANTS: PEOPLE, EVENT: event_with(statements, participants)})
    event = ", Mødet i MidtVest, 8. marts 2023"
    assert captions(project) == [
        f"– Lene Buhl, jobkonsulent, Jobcenter Viborg{event}",
        f"– Tillidsrepræsentant, Jobcenter Fredericia{event}",
        f"– Tillidsrepræsentanterne på workshoppen{event}",
        f"– Dansk Metal{event}",
        f"– En borger{event}",
        f"– HK Kommunal{event}",
    ]
    html = (project / "build" / "compendium.html").read_text(encoding="utf-8")
    assert "<li>Borgerpanelet i Tønder (9 personer)</li>" in html
    assert "Karina" not in html and "Sørensen" not in html


def test_a_press_quote_is_credited_to_its_source_and_date_never_to_the_event(
    make_project: Callable[..., Path],
) -> None:
    # Filed under the event, but with its own source: not said at the meeting, so neither its title nor date is printed.
    statements = """\
      - id: karina
        speaker: karina-soerensen
        source: fyens-2020
        context: til Fyens.dk
        themes: [tillid]
        text: Et udsagn.
      - id: lene
        speaker: lene-buhl
        source: fyens-2020
        themes: [tillid]
        text: Et andet udsagn.
      - id: lene-2
        speaker: lene-buhl
        date: 2019-12
        themes: [tillid]
        text: Et tredje udsagn.
    """
    project = make_project(
        {
            PARTICIPANTS: PEOPLE,
            PUBLICATION: PUBLICATION_WITH_PRESS,
            EVENT: event_with(statements, "[lene-buhl, karina-soerensen]"),
        }
    )
    assert captions(project) == [
        "– Tillidsrepræsentant, Jobcenter Fredericia, til Fyens.dk",
        "– Lene Buhl, jobkonsulent, Jobcenter Viborg, Fyens.dk",
        "– Lene Buhl, jobkonsulent, Jobcenter Viborg, december 2019",
    ]


def test_a_quote_from_a_report_of_the_meeting_is_still_credited_to_the_meeting(
    make_project: Callable[..., Path],
) -> None:
    statements = """\
      - id: borgeren
        unnamed_speaker: en borger
        source: fyens-2020
        themes: [tillid]
        text: Et udsagn.
    """
    event = event_with(statements).replace("participants:", "sources: [fyens-2020]\nparticipants:")
    project = make_project({PUBLICATION: PUBLICATION_WITH_PRESS, EVENT: event})
    assert captions(project) == ["– En borger, Mødet i MidtVest, 8. marts 2023"]


def test_statements_from_no_event_print_their_own_provenance_in_both_documents(
    make_project: Callable[..., Path],
) -> None:
    press = """\
        id: presse
        title: Presseklip
        statements:
          - id: fyens-karina
            speaker: karina-soerensen
            source: fyens-2020
            context: til Fyens.dk
            date: 2020-03
            themes: [tillid]
            text: Et udsagn fra avisen.
            highlight: true
          - id: hoeringssvar
            speaker: dansk-metal
            context: i et skriftligt høringssvar
            date: ca. 2020
            themes: [tillid]
            text: Et høringssvar.
        proposals:
          - id: vores-forslag
            title: Vores eget forslag
            themes: [tillid]
            summary: Et forslag.
            origin:
              publisher: true
    """
    project = make_project({PARTICIPANTS: PEOPLE, PUBLICATION: PUBLICATION_WITH_PRESS, PRESS: press})
    assert captions(project) == [
        "– Lene Buhl, jobkonsulent, Jobcenter Viborg, Mødet i MidtVest, 8. marts 2023",
        "– Tillidsrepræsentant, Jobcenter Fredericia, til Fyens.dk, marts 2020",
        "– Dansk Metal, i et skriftligt høringssvar, ca. 2020",
    ]
    # The debate paper prints the same provenance on one line (two quotes per theme, the highlighted one first).
    paper = (project / "build" / "debate-paper.html").read_text(encoding="utf-8")
    assert (
        '– Tillidsrepræsentant, Jobcenter Fredericia<span class="event-ref"> · til Fyens.dk, marts 2020</span>' in paper
    )
    html = (project / "build" / "compendium.html").read_text(encoding="utf-8")
    assert "Ophav: HK Kommunal. Status: Foreslået." in html


# --- role at the time -------------------------------------------------------------


def test_a_statement_is_credited_with_the_role_held_then_and_elsewhere_with_the_current_one(
    make_project: Callable[..., Path],
) -> None:
    statements = """\
      - id: lene
        speaker: lene-buhl
        themes: [tillid]
        text: Et udsagn.
      - id: lene-2
        speaker: lene-buhl
        role: fællestillidsrepræsentant
        themes: [tillid]
        text: Et andet udsagn.
    """
    participants = "\n  - id: lene-buhl\n    role: sagsbehandler\n    workplace: null"
    project = make_project({PARTICIPANTS: PEOPLE, EVENT: event_with(statements, participants)})
    event = ", Mødet i MidtVest, 8. marts 2023"
    assert captions(project) == [
        f"– Lene Buhl, sagsbehandler{event}",  # the event's entry: role then, workplace then unknown
        f"– Lene Buhl, fællestillidsrepræsentant{event}",  # the statement's own role wins
    ]
    html = (project / "build" / "compendium.html").read_text(encoding="utf-8")
    assert "<li>Lene Buhl, sagsbehandler</li>" in html  # the event's participant list, as then
    assert "<td>Lene Buhl</td><td>jobkonsulent</td><td>Jobcenter Viborg</td>" in html  # appendix A: now


def test_held_then_takes_the_statement_over_the_event_and_only_fields_given() -> None:
    event = m.Event.model_validate(
        {
            "id": "e",
            "kind": "meeting",
            "title": "Mødet",
            "date": "2023-03-08",
            "organiser": "HK",
            "background": "",
            "participants": ["a", {"id": "b", "role": "tr"}],
        }
    )
    statement = m.Statement(id="s", speaker="b", workplace="Jobcenter Vejle", themes=["t"], text="x")
    assert policy.held_then(event, None, "a") == {}
    assert policy.held_then(event, None, "b") == {"role": "tr"}
    assert policy.held_then(event, statement, "b") == {"role": "tr", "workplace": "Jobcenter Vejle"}
    assert event.participant_ids == ["a", "b"]


# --- stories from press reports -----------------------------------------------------


def test_a_story_from_a_press_report_is_told_by_its_source_without_a_workplace(
    make_project: Callable[..., Path],
) -> None:
    story = """\
        id: gaaturen
        title: Gåturen
        teller:
          source: fyens-2020
        date: 2020-03
        themes: [tillid]
        body: Historien.
    """
    project = make_project({PUBLICATION: PUBLICATION_WITH_PRESS, STORY: story})
    assert run("build", "--format", "html", "--quiet", "--project", project).exit_code == 0
    html = (project / "build" / "compendium.html").read_text(encoding="utf-8")
    assert '<p class="meta">marts 2020 · Fortæller: Fyens.dk</p>' in html


def test_a_person_in_a_press_report_is_shown_as_consent_allows_and_the_report_named(
    make_project: Callable[..., Path],
) -> None:
    story = """\
        id: gaaturen
        title: Gåturen
        teller:
          source: fyens-2020
          role: sygeplejerske
          consent: role-only
        date: 2020-03
        themes: [tillid]
        body: Historien.
    """
    project = make_project({PUBLICATION: PUBLICATION_WITH_PRESS, STORY: story})
    assert run("build", "--format", "html", "--quiet", "--project", project).exit_code == 0
    html = (project / "build" / "compendium.html").read_text(encoding="utf-8")
    assert '<p class="meta">marts 2020 · Fortæller: Sygeplejerske · Gengivet i Fyens.dk</p>' in html


# --- consent rules of each kind -----------------------------------------------------


def test_each_kind_has_one_consent_rule() -> None:
    group = m.Participant(id="g", kind="group", description="en gruppe", size=9)
    organisation = m.Participant(id="o", kind="organisation", name="Dansk Metal")
    for who in (group, organisation):
        assert policy.consent_of(who) == "named"
        assert policy.listed(who, "public") and not policy.withdrawn(who)
    assert policy.shown_fields(group, "public") == ("en gruppe", None, None)
    assert policy.shown_fields(organisation, "public") == ("Dansk Metal", None, None)
    assert policy.kind_consent_problem("group", "named") == (
        "a group has no consent: it is printed as its description, which names no one; remove 'consent'",
        "remove 'consent'",
    )
    assert policy.kind_consent_problem("person", "named") is None
    assert policy.kind_consent_problem(None, None) is not None
    # A press report with no person given is credited to the source, a named thing.
    assert policy.consent_of(m.Teller(source="fyens-2020")) == "named"


PARTICIPANT_ERRORS = [
    (
        "  - id: gruppen\n    kind: group\n    description: en gruppe\n    consent: named\n",
        "inputs/participants.yaml:8:14 participants[1].consent: a group has no consent: it is printed as its "
        "description, which names no one; remove 'consent'",
    ),
    (
        "  - id: metal\n    kind: organisation\n    name: Dansk Metal\n    consent: anonymous\n",
        "inputs/participants.yaml:8:14 participants[1].consent: an organisation has no consent: it is always "
        "printed by its name; remove 'consent'",
    ),
    (
        "  - id: karin\n    name: Karin\n",
        "inputs/participants.yaml:5:5 participants[1]: a person needs a consent; add 'consent' ('named', "
        "'role-only', 'anonymous' or 'withdrawn'), or give 'kind: group' or 'kind: organisation' for a speaker "
        "who is not one person",
    ),
    (
        "  - id: gruppen\n    kind: group\n",
        "inputs/participants.yaml:5:5 participants[1]: a group needs 'description' (what the group is, "
        "e.g. 'et borgerpanel'); add 'description'",
    ),
    (
        "  - id: gruppen\n    kind: group\n    name: Gruppen\n    description: en gruppe\n",
        "inputs/participants.yaml:7:11 participants[1].name: 'name' is not for a group; remove it, "
        "or use 'kind: person'",
    ),
    (
        "  - id: karin\n    name: Karin\n    size: 3\n    consent: named\n",
        "inputs/participants.yaml:7:11 participants[1].size: 'size' is not for a person; remove it, "
        "or use 'kind: group'",
    ),
]


@pytest.mark.parametrize(("entry", "message"), PARTICIPANT_ERRORS)
def test_a_participant_is_refused_with_what_its_kind_needs(
    make_project: Callable[..., Path], entry: str, message: str
) -> None:
    participants = "participants:\n  - id: lene-buhl\n    name: Lene Buhl\n    consent: named\n" + entry
    project = make_project({PARTICIPANTS: participants})
    (project / PARTICIPANTS).write_text(participants, encoding="utf-8")
    result = run("check", "--project", project)
    assert (result.exit_code, result.output) == (1, one(message))


def test_a_withheld_name_inside_an_organisations_name_or_a_groups_description_is_caught(
    make_project: Callable[..., Path],
) -> None:
    people = PEOPLE.replace("name: Dansk Metal", "name: Karina Sørensens Rådgivning").replace(
        "description: borgerpanelet i Tønder", "description: Karina Sørensen og hendes kolleger"
    )
    project = make_project({PARTICIPANTS: people})
    result = run("check", "--project", project)
    assert result.exit_code == 1
    assert result.output == (
        "inputs/participants.yaml:17:18 participants[3].description: names 'Karina Sørensen', whose consent is "
        "'role-only'; remove the name from this text, or change their consent to 'named'\n"
        "inputs/participants.yaml:21:11 participants[4].name: names 'Karina Sørensen', whose consent is "
        "'role-only'; remove the name from this text, or change their consent to 'named'\n"
        "Error: 2 problems found; nothing was written.\n"
    )


def test_the_leak_check_does_not_take_an_organisations_name_for_a_printable_name(
    make_project: Callable[..., Path],
) -> None:
    from compendium.consent import find_leaks
    from compendium.content.validate import load_content
    from compendium.project import find_project

    people = PEOPLE.replace("name: Dansk Metal", "name: Karina Sørensens Rådgivning")
    project = make_project({PARTICIPANTS: people})
    content = load_content(find_project(explicit=project), checks=())  # as if validation had let it through
    problems = find_leaks({"compendium.html": "<p>Karina Sørensens Rådgivning</p>"}, content, "public")
    assert problems and all("participant karina-soerensen, consent 'role-only'" in p.message for p in problems)


# --- statements: who, and where from ------------------------------------------------


STATEMENT_ERRORS = [
    (
        "  - id: x\n    context: til avisen\n    themes: [tillid]\n    text: Et udsagn.\n",
        f"{PRESS}:3:5 statements[0]: missing speaker; give 'speaker' (a participant id: a person, a group or an "
        "organisation), 'unnamed_speaker' (a description printed as written, e.g. 'en borger') or 'publisher: true' "
        "(the publisher's own words)",
    ),
    (
        "  - id: x\n    speaker: lene-buhl\n    themes: [tillid]\n    text: Et udsagn.\n",
        f"{PRESS}:3:5 statements[0]: a statement from no event needs to say where it comes from; add 'source' "
        "(a source id) or 'context' (e.g. 'i et skriftligt høringssvar'), or 'publisher: true'",
    ),
    (
        "  - id: x\n    speaker: lene-buhl\n    source: fyens\n    themes: [tillid]\n    text: Et udsagn.\n",
        f"{PRESS}:5:13 statements[0].source: unknown source 'fyens' (did you mean 'fyens-2020'?)",
    ),
    (
        "  - id: x\n    speaker: lene-buhl\n    unnamed_speaker: en borger\n    context: til avisen\n"
        "    themes: [tillid]\n    text: Et udsagn.\n",
        f"{PRESS}:5:22 statements[0].unnamed_speaker: a statement has one speaker; keep one of 'speaker' or "
        "'unnamed_speaker'",
    ),
    (
        "  - id: x\n    unnamed_speaker: en borger\n    role: borger\n    context: til avisen\n"
        "    themes: [tillid]\n    text: Et udsagn.\n",
        f"{PRESS}:5:11 statements[0].role: 'role' is the role a participant held when they said it; remove "
        "'role', or name the participant in 'speaker'",
    ),
    (
        "  - id: x\n    publisher: true\n    date: 2020-13\n    themes: [tillid]\n    text: Et udsagn.\n",
        None,  # the date's own message is the dates module's; here only that it is refused
    ),
]


@pytest.mark.parametrize(("entry", "message"), STATEMENT_ERRORS)
def test_a_statement_is_refused_when_who_or_where_from_is_not_clear(
    make_project: Callable[..., Path], entry: str, message: str | None
) -> None:
    project = make_project({PUBLICATION: PUBLICATION_WITH_PRESS})
    (project / PRESS).parent.mkdir(parents=True, exist_ok=True)
    (project / PRESS).write_text("id: presse\nstatements:\n" + entry, encoding="utf-8")
    result = run("check", "--project", project)
    assert result.exit_code == 1
    if message is not None:
        assert result.output == one(message)
    else:
        assert result.output.startswith(
            f"{PRESS}:5:11 statements[0].date: '2020-13' is not a date: there is no month 13"
        )


def test_a_proposal_from_no_event_must_say_whose_it_is(make_project: Callable[..., Path]) -> None:
    project = make_project()
    (project / PRESS).parent.mkdir(parents=True, exist_ok=True)
    proposal = "id: presse\nproposals:\n  - id: x\n    title: Et forslag\n    themes: [tillid]\n    summary: Tekst.\n"
    (project / PRESS).write_text(proposal, encoding="utf-8")
    result = run("check", "--project", project)
    assert result.output == one(
        f"{PRESS}:3:5 proposals[0]: a proposal from no event needs to say whose it is; add 'origin' with "
        "'participants' or 'publisher: true'"
    )


def test_a_teller_that_is_neither_participant_nor_source_nor_consenting_is_refused(
    make_project: Callable[..., Path],
) -> None:
    story = "id: gaaturen\ntitle: Gåturen\nteller:\n  role: sygeplejerske\ndate: 2020\nthemes: [tillid]\nbody: Tekst.\n"
    project = make_project()
    (project / STORY).write_text(story, encoding="utf-8")
    result = run("check", "--project", project)
    assert result.output == one(
        f"{STORY}:4:3 teller: missing 'consent' ('named', 'role-only', 'anonymous' or 'withdrawn') for a teller "
        "who is not a participant; a story from a press report may give 'source' (a source id) alone"
    )


# --- what exists keeps working ------------------------------------------------------


def test_the_minimal_project_checks_as_before(make_project: Callable[..., Path]) -> None:
    result = run("check", "--project", make_project())
    assert (result.exit_code, result.output) == (0, OK)


def test_the_skeleton_checks_strictly_and_builds(tmp_path: Path) -> None:
    target = tmp_path / "neu"
    assert run("init", target).exit_code == 0
    result = run("check", "--strict", "--project", target)
    assert result.exit_code == 0, result.output
    assert run("build", "--format", "html", "--quiet", "--project", target).exit_code == 0


def test_a_withdrawn_speakers_press_quote_is_left_out_and_reported(make_project: Callable[..., Path]) -> None:
    press = """\
        id: presse
        statements:
          - id: fyens-karina
            speaker: karina-soerensen
            source: fyens-2020
            themes: [tillid]
            text: Et udsagn fra avisen.
        proposals:
          - id: presse-forslag
            title: Et forslag
            themes: [tillid]
            summary: Tekst.
            origin:
              participants: [karina-soerensen, dansk-metal]
    """
    people = PEOPLE.replace("consent: role-only", "consent: withdrawn")
    project = make_project({PARTICIPANTS: people, PUBLICATION: PUBLICATION_WITH_PRESS, PRESS: press})
    result = run("build", "--format", "html", "--project", project)
    assert result.exit_code == 0, result.output
    assert (
        "Note: left out statement presse/fyens-karina: participant karina-soerensen withdrew consent" in result.output
    )
    html = (project / "build" / "compendium.html").read_text(encoding="utf-8")
    assert "Et udsagn fra avisen" not in html
    assert "Ophav: Dansk Metal. Status: Foreslået." in html
    report = (project / "build-reports" / "redactions.txt").read_text(encoding="utf-8")
    assert (
        "proposal presse/presse-forslag: the participant's credit (participant karina-soerensen withdrew consent)"
        in (report)
    )
