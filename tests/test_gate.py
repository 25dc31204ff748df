"""One consent gate: every output is made from, and checked against, what consent lets an edition print.

Also: an edited build sees as much as a fresh one (the leak check's cached verdicts).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml

from compendium.assemble.changes import KINDS, printed_fields
from compendium.render.templates import PACKAGE_TEMPLATES
from tests.base import EVENT, PARTICIPANTS, STORY
from tests.conftest import run, snapshot

# Two named people and one anonymous one who shares a first name with the one and a surname with
# the other: only her whole name is withheld, so only the whole name is a leak.
SHARED_PARTS = """\
    participants:
      - id: lene-buhl
        name: Lene Buhl
        consent: named
      - id: karina-holm
        name: Karina Holm
        consent: named
      - id: jens-sorensen
        name: Jens Sørensen
        consent: named
      - id: ks
        name: Karina Sørensen
        consent: anonymous
    """


def story(body: str) -> str:
    """Return the minimal story with another body."""
    return f"""\
        id: gaaturen
        title: Gåturen
        workplace: Jobcenter Fjordby
        teller:
          name: Maria Holm
          consent: named
        date: 2026-09-14
        themes: [tillid]
        body: "{body}"
        """


def test_an_edit_of_the_markup_around_a_name_is_refused_as_a_fresh_build_refuses_it(
    make_project: Callable[..., Path],
) -> None:
    project = make_project({PARTICIPANTS: SHARED_PARTS, STORY: story("**Karina** og Sørensen kom.")})
    assert run("build", "--format", "html", "--quiet", "--project", project).exit_code == 0
    before = snapshot(project / "build")
    # Only the word between the emphasis and the surname goes: the printed text now reads "Karina Sørensen".
    (project / STORY).write_text(
        (project / STORY).read_text(encoding="utf-8").replace("og Sørensen", "Sørensen"), encoding="utf-8"
    )
    edited = run("build", "--format", "html", "--project", project)
    fresh = run("build", "--format", "html", "--no-cache", "--project", project)
    assert fresh.exit_code == 1, fresh.output
    assert (edited.exit_code, edited.output) == (fresh.exit_code, fresh.output)
    assert snapshot(project / "build") == before


WITHDRAWN_SPEAKER = {
    PARTICIPANTS: """\
        participants:
          - id: lene-buhl
            name: Lene Buhl
            consent: named
          - id: ole
            consent: withdrawn
        """,
    EVENT: """\
        id: 2023-midtvest
        kind: meeting
        title: Mødet i MidtVest
        date: 2023-03-08
        place: Viborg
        organiser: HK Kommunal MidtVest
        participants: [lene-buhl, ole]
        facilitator: ole
        background: Baggrund.
        method: Metode.
        statements:
          - id: lene
            speaker: lene-buhl
            themes: [tillid]
            text: Et udsagn.
          - id: ole
            speaker: ole
            themes: [tillid]
            text: Det trukne udsagn.
        proposals:
          - id: forslaget
            title: Forslaget
            themes: [tillid]
            summary: Resumé.
            origin:
              participants: [ole]
        """,
    # An ordinary override that prints every statement and credit of every event, as the documents' context holds them.
    "templates/compendium.html": (
        "{% for ev in events %}{% for s in ev.event.statements %}<p>{{ s.text }} ({{ s.speaker }})</p>{% endfor %}"
        "<p>{{ ev.event.facilitator }} {{ ev.event.participants | join(',') }}</p>"
        "{% for p in ev.event.proposals %}<p>{{ p.origin.participants | join(',') }}</p>{% endfor %}{% endfor %}"
    ),
}


def test_a_template_override_cannot_print_a_withdrawn_statement(make_project: Callable[..., Path]) -> None:
    project = make_project(WITHDRAWN_SPEAKER)
    result = run("build", "--format", "html", "--only", "compendium", "--project", project)
    assert result.exit_code == 0, result.output
    assert "Note: left out statement 2023-midtvest/ole: participant ole withdrew consent" in result.output
    html = (project / "build" / "compendium.html").read_text(encoding="utf-8")
    assert html == "<p>Et udsagn. (lene-buhl)</p><p>None lene-buhl</p><p></p>"


def test_every_field_the_comparison_can_report_has_a_label_in_every_language() -> None:
    fields = printed_fields()
    assert set(fields) == set(KINDS)
    for language in ("da", "en"):
        labels = yaml.safe_load((PACKAGE_TEMPLATES / "labels" / f"{language}.yaml").read_text(encoding="utf-8"))
        missing = [f"changes_kind_{kind}" for kind in fields if f"changes_kind_{kind}" not in labels]
        missing += sorted({f"field_{name}" for names in fields.values() for name in names} - set(labels))
        assert missing == [], language
    assert fields["story"] >= {"title", "workplace", "body", "teller.name", "photo.caption"}
    assert "file" not in fields["photos"] and "consent" not in fields["story"] and "themes" not in fields["story"]


# People (main's work) through the public view: speakers held-then fields, statements from no event.
SPEAKERS = """\
    participants:
      - id: lene-buhl
        name: Lene Buhl
        role: jobkonsulent
        workplace: Jobcenter Viborg
        consent: named
      - id: karina-soerensen
        name: Karina Sørensen
        consent: anonymous
      - id: ole-holm
        name: Ole Holm
        consent: withdrawn
      - id: tr-gruppen
        kind: group
        description: tillidsrepræsentanterne på workshoppen
    """
FROM_NO_EVENT = """\
    id: presse
    statements:
      - id: ole
        context: i et høringssvar
        speaker: ole-holm
        themes: [tillid]
        text: Oles ord.
      - id: gruppen
        context: i et høringssvar
        speaker: tr-gruppen
        themes: [tillid]
        text: Gruppens ord.
      - id: udgiveren
        publisher: true
        themes: [tillid]
        text: Vores ord.
      - id: karina
        context: i et høringssvar
        speaker: karina-soerensen
        role: fællestillidsrepræsentant
        workplace: Jobcenter Tønder
        themes: [tillid]
        text: Karinas ord.
    proposals:
      - id: forslag
        title: Et forslag
        themes: [tillid]
        summary: Tekst.
        origin:
          participants: [ole-holm, tr-gruppen]
    """


def test_the_public_view_leaves_out_withdrawn_speakers_from_no_event_and_held_fields_consent_withholds(
    make_project: Callable[..., Path],
) -> None:
    from textwrap import dedent

    from compendium.consent import CONTENT_CHECKS, LeftOut, public_view
    from compendium.content.validate import load_content
    from compendium.project import find_project

    root = make_project({PARTICIPANTS: SPEAKERS, "inputs/statements/presse.yaml": dedent(FROM_NO_EVENT)})
    content = load_content(find_project(explicit=root), checks=CONTENT_CHECKS)
    public = public_view(content, "public")
    (collection,) = public.content.collections
    assert [st.id for st in collection.statements] == ["gruppen", "udgiveren", "karina"]
    assert collection.proposals[0].origin.participants == ["tr-gruppen"]
    assert LeftOut("statement", "ole") in public.left_out
    karina = collection.statements[-1]
    # An anonymous speaker's role and workplace then would point at her: the public view has neither.
    assert (karina.role, karina.workplace) == (None, None)
    assert public.content.participants["tr-gruppen"].name == "tillidsrepræsentanterne på workshoppen"
    internal = public_view(content, "internal").content.collections[0].statements[-1]
    assert (internal.role, internal.workplace) == ("fællestillidsrepræsentant", "Jobcenter Tønder")
