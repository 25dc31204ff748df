"""`compendium new`: every kind starts valid, keeps the editor's file as it was, and never overwrites."""

from __future__ import annotations

from pathlib import Path

import pytest

from compendium.commands.new import insert_into_list
from tests.conftest import run, snapshot

EVENT = "inputs/events/2023-midtvest.yaml"
PARTICIPANTS = "inputs/participants.yaml"
OK_PREFIX = "OK: "


def read(project: Path, rel: str) -> str:
    """Read a project file."""
    return (project / rel).read_text(encoding="utf-8")


def check_output(project: Path) -> list[str]:
    """Run check and return its lines; it must pass."""
    result = run("check", "--project", project)
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def ok_line(project: Path, warnings: int) -> str:
    """Return check's summary for the example project as copied, with some warnings: its counts follow its files."""
    inputs = project / "inputs"
    files = len(list(inputs.rglob("*.yaml")))
    themes = (inputs / "themes.yaml").read_text(encoding="utf-8").count("\n  - id: ")
    events = len(list((inputs / "events").glob("*.yaml")))
    stories = len(list((inputs / "stories").glob("*.yaml")))
    return (
        f"OK: {files} files, {themes} themes, {events} events, {stories} stories; "
        f"{warnings} warning{'' if warnings == 1 else 's'}"
    )


def assert_only_inserted(before: str, after: str) -> str:
    """Assert that `after` is `before` with one block of lines inserted; return that block."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    start = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), len(old))
    added = len(new) - len(old)
    assert added > 0
    assert new[:start] == old[:start] and new[start + added :] == old[start:]
    return "".join(new[start : start + added])


def test_new_story_is_valid_and_warns_about_its_placeholders(project: Path) -> None:
    result = run(
        "new", "story", "--title", "Gåturen i Aarhus", "--theme", "tillid", "--date", "2025-01-02", "--project", project
    )

    assert result.exit_code == 0, result.output
    assert result.output == (
        "Created story 'gaaturen-i-aarhus' inputs/stories/gaaturen-i-aarhus.yaml\n"
        "Fill in 2 placeholders marked UDFYLD; 'compendium check' lists them\n"
    )
    text = read(project, "inputs/stories/gaaturen-i-aarhus.yaml")
    assert 'title: "Gåturen i Aarhus"\n' in text
    assert "themes: [tillid]\n" in text
    assert "date: 2025-01-02\n" in text
    assert "  consent: anonymous\n" in text
    assert not text.startswith("# yaml-language-server")  # the example project has no schemas/
    lines = check_output(project)
    assert lines == [
        "inputs/stories/gaaturen-i-aarhus.yaml:9:12 warning: workplace: still holds the placeholder "
        "'UDFYLD: arbejdsplads'; replace it with the real text",
        "inputs/stories/gaaturen-i-aarhus.yaml:35:7 warning: body: still holds the placeholder "
        "'UDFYLD: historien, i afsnit adskilt af en tom linje'; replace it with the real text",
        "OK: 12 files, 5 themes, 2 events, 6 stories; 2 warnings",
    ]
    assert run("check", "--strict", "--project", project).exit_code == 1


def test_new_story_with_everything_given_has_no_placeholders(project: Path) -> None:
    result = run(
        "new",
        "story",
        "--title",
        "Mødet",
        "--theme",
        "tillid",
        "--theme",
        "faglighed",
        "--teller",
        "karina-sorensen",
        "--workplace",
        "Jobcenter Holstebro",
        "--municipality",
        "Holstebro",
        "--event",
        "2023-midtvest",
        "--text",
        "Første afsnit.\n\nAndet afsnit.",
        "--date",
        "2025-01-02",
        "--project",
        project,
    )

    assert result.exit_code == 0, result.output
    assert result.output == "Created story 'moedet' inputs/stories/moedet.yaml\n"
    text = read(project, "inputs/stories/moedet.yaml")
    assert "teller:\n  participant: karina-sorensen\n" in text
    assert "body: |\n  Første afsnit.\n\n  Andet afsnit.\n" in text
    assert check_output(project)[-1] == "OK: 12 files, 5 themes, 2 events, 6 stories; 0 warnings"
    result = run("build", "--format", "html", "--quiet", "--project", project)
    assert result.exit_code == 0, result.output
    assert "Mødet" in (project / "build" / "compendium.html").read_text(encoding="utf-8")


def test_new_story_takes_the_next_free_id_and_never_overwrites(project: Path) -> None:
    args = ("new", "story", "--title", "Gåturen", "--theme", "tillid", "--project", project)
    before = read(project, "inputs/stories/gaaturen.yaml")

    result = run(*args)

    assert result.exit_code == 0, result.output
    assert result.output.startswith("Created story 'gaaturen-2' inputs/stories/gaaturen-2.yaml\n")
    assert read(project, "inputs/stories/gaaturen.yaml") == before
    assert run(*args).output.startswith("Created story 'gaaturen-3' ")

    result = run("new", "story", "--id", "gaaturen", "--theme", "tillid", "--project", project)
    assert result.exit_code == 1
    assert result.output == "Error: a story with id 'gaaturen' already exists; choose another --id\n"
    assert read(project, "inputs/stories/gaaturen.yaml") == before


def test_new_event_then_statement_into_its_empty_list(project: Path) -> None:
    result = run(
        "new", "event", "--place", "Aalborg", "--title", "Workshop", "--date", "2025-04-01", "--project", project
    )
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Created event '2025-aalborg' inputs/events/2025-aalborg.yaml\n"
        "Fill in 3 placeholders marked UDFYLD; 'compendium check' lists them\n"
    )
    before = read(project, "inputs/events/2025-aalborg.yaml")

    result = run(
        "new",
        "statement",
        "--event",
        "2025-aalborg",
        "--speaker",
        "karina-sorensen",
        "--theme",
        "tillid",
        "--text",
        "Vi skal have tid til borgeren",
        "--project",
        project,
    )

    assert result.exit_code == 0, result.output
    assert result.output == "Added statement 'aalborg-vi-skal-have-tid' to inputs/events/2025-aalborg.yaml\n"
    after = read(project, "inputs/events/2025-aalborg.yaml")
    # The empty list's [] goes; everything else stays, and the entry follows the key.
    inserted = assert_only_inserted(before.replace("statements: []\n", "statements:\n"), after)
    assert inserted.startswith("  # id: unikt for alle udsagn i projektet.\n  - id: aalborg-vi-skal-have-tid\n")
    assert "statements:\n  # id: unikt for alle udsagn" in after
    lines = check_output(project)
    assert lines[-1] == "OK: 12 files, 5 themes, 3 events, 5 stories; 4 warnings"
    assert (
        "inputs/events/2025-aalborg.yaml:53:14 warning: statements[0].speaker: "
        "'karina-sorensen' is not listed in the event's participants" in lines
    )


def test_new_proposal_is_inserted_after_the_last_one_keeping_comments(project: Path) -> None:
    before = read(project, EVENT)

    result = run(
        "new",
        "proposal",
        "--event",
        "2023-midtvest",
        "--title",
        "Færre møder",
        "--theme",
        "tillid",
        "--project",
        project,
    )

    assert result.exit_code == 0, result.output
    assert result.output == (
        "Added proposal 'faerre-moeder' to inputs/events/2023-midtvest.yaml\n"
        "Fill in 1 placeholder marked UDFYLD; 'compendium check' lists them\n"
    )
    after = read(project, EVENT)
    inserted = assert_only_inserted(before, after)
    assert inserted.startswith("  # id: unikt for alle forslag i projektet.\n  - id: faerre-moeder\n")
    # It follows the last proposal and comes before the wishes.
    assert after.index("- id: faerre-moeder") < after.index("\nwishes:")
    assert after.index("debate_paper: false\n  # id: unikt for alle forslag") > 0
    # Where the placeholder's block starts, read off the file (the example project's events may change).
    lines = after.splitlines()
    line = next(n for n, text in enumerate(lines, 1) if text.strip() == "UDFYLD: resumé") - 1
    column = lines[line - 1].index("summary: ") + len("summary: ") + 1
    assert check_output(project)[-2:] == [
        f"inputs/events/2023-midtvest.yaml:{line}:{column} warning: proposals[2].summary: still holds the placeholder "
        "'UDFYLD: resumé'; replace it with the real text",
        ok_line(project, warnings=1),
    ]


def test_new_participant_keeps_the_file_and_numbers_anonymous_ones(project: Path) -> None:
    before = read(project, PARTICIPANTS)

    result = run("new", "participant", "--name", "Ole Olsen", "--consent", "named", "--project", project)
    assert result.exit_code == 0, result.output
    assert result.output == "Added participant 'ole-olsen' to inputs/participants.yaml\n"
    result = run("new", "participant", "--role", "ledig", "--project", project)
    assert result.output == "Added participant 'deltager-1' to inputs/participants.yaml\n"

    inserted = assert_only_inserted(before, read(project, PARTICIPANTS))
    assert inserted.startswith("  - id: ole-olsen\n")
    assert '    name: "Ole Olsen"\n' in inserted
    assert "  - id: deltager-1\n    # Navnet; påkrævet ved consent: named, og trykkes kun da.\n    name:\n" in inserted
    lines = check_output(project)
    assert lines[-1] == ok_line(project, warnings=2)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("story",),
            "Error: give at least one --theme; the themes are: tillid, faglighed, resultater-frem-for-processer, "
            "brugerbestyrelser, borgerraadgiver\n",
        ),
        (
            ("proposal", "--theme", "tillid"),
            "Error: give --event with the id of the event it belongs to; the events are: 2021-amager, 2023-midtvest\n",
        ),
        (
            ("proposal", "--event", "2023-midvest", "--theme", "tillid"),
            "Error: unknown event '2023-midvest' in --event (did you mean '2023-midtvest'?); "
            "the events are: 2021-amager, 2023-midtvest\n",
        ),
        (
            ("statement", "--event", "2023-midtvest", "--theme", "tillid"),
            "Error: give who said it: --speaker (a participant id: a person, a group or an organisation), "
            "--unnamed (a description printed as written, e.g. 'en borger') or --publisher (the publisher's own "
            "words)\n",
        ),
        (
            ("statement", "--event", "2023-midtvest", "--theme", "tillid", "--speaker", "karina-sorenson"),
            "Error: unknown participant 'karina-sorenson' in --speaker (did you mean 'karina-sorensen'?)\n",
        ),
        (("participant", "--consent", "named"), "Error: consent 'named' needs --name\n"),
        (
            ("participant", "--group", "borgerpanelet", "--consent", "anonymous"),
            "Error: a group has no consent: it is printed as its description, which names no one; remove --consent\n",
        ),
        (
            ("participant", "--organisation", "Dansk Metal", "--consent", "named"),
            "Error: an organisation has no consent: it is always printed by its name; remove --consent\n",
        ),
        (
            ("participant", "--name", "Ole", "--size", "3"),
            "Error: --size is the number of people in a group; give it with --group\n",
        ),
        (
            ("statement", "--theme", "tillid", "--unnamed", "en borger"),
            "Error: give --event (the event it was said at), --source (the source it is taken from, for a "
            "statement from no event) or --publisher (the publisher's own); the events are: 2021-amager, "
            "2023-midtvest\n",
        ),
        (
            ("statement", "--theme", "tillid", "--source", "artikel-2023", "--publisher"),
            "Error: unknown source 'artikel-2023' in --source (did you mean 'artikel-2023-midtvest'?); the sources "
            "are: artikel-2021-amager, artikel-2023-midtvest\n",
        ),
        (
            ("story", "--theme", "tillid", "--id", "Ny Historie"),
            "Error: 'Ny Historie' is not a valid id; use lower-case letters, digits and dashes\n",
        ),
    ],
)
def test_new_refuses_what_it_cannot_guess_and_writes_nothing(
    project: Path, args: tuple[str, ...], message: str
) -> None:
    before = snapshot(project)

    result = run("new", *args, "--project", project)

    assert result.exit_code == 1
    assert result.output == message
    assert snapshot(project) == before


def test_new_story_in_an_init_project_points_at_its_schema(tmp_path: Path) -> None:
    root = tmp_path / "new"
    assert run("init", root).exit_code == 0

    result = run("new", "story", "--theme", "tillid", "--project", root)

    assert result.exit_code == 0, result.output
    text = read(root, "inputs/stories/ny-historie.yaml")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/story.schema.json\n")
    assert run("check", "--project", root).exit_code == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\nitems: []\nb: 2\n", "a: 1\nitems:\n  - x: 1\nb: 2\n"),
        ("a: 1\nitems: [] # none yet\nb: 2\n", "a: 1\nitems: # none yet\n  - x: 1\nb: 2\n"),
        ("a: 1\nitems:\nb: 2\n", "a: 1\nitems:\n  - x: 1\nb: 2\n"),
        ("a: 1\n", "a: 1\n\nitems:\n  - x: 1\n"),
        ("a: 1", "a: 1\n\nitems:\n  - x: 1\n"),
        (
            "items:\n- x: 0\n  t: |\n    body\n\n# About b\nb: 2\n",
            "items:\n- x: 0\n  t: |\n    body\n- x: 1\n\n# About b\nb: 2\n",
        ),
        ("items:\n    - x: 0 # last\n", "items:\n    - x: 0 # last\n    - x: 1\n"),
    ],
)
def test_insert_into_list_changes_nothing_else(text: str, expected: str) -> None:
    assert insert_into_list(text, "items", "- x: 1\n", "f.yaml") == expected


def test_new_participant_keeps_windows_line_endings(project: Path) -> None:
    path = project / PARTICIPANTS
    before = path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(before)

    result = run("new", "participant", "--role", "ledig", "--project", project)

    assert result.exit_code == 0, result.output
    after = path.read_bytes()
    assert after.startswith(before)
    assert after[len(before) :].startswith(b"  - id: deltager-1\r\n    # Navnet;")
    assert b"\n" not in after.replace(b"\r\n", b"")
    assert check_output(project)[-1] == ok_line(project, warnings=1)


def test_insert_into_list_refuses_a_flow_list_with_items() -> None:
    with pytest.raises(Exception, match=r"f.yaml: 'items' is not a list written with '-' on each line"):
        insert_into_list("items: [a, b]\n", "items", "- c\n", "f.yaml")


def test_new_files_match_the_editor_schemas(tmp_path: Path) -> None:
    from tests.test_schema import as_editor_sees, validator

    root = tmp_path / "new"
    assert run("init", root).exit_code == 0
    for args in (
        ("event", "--place", "Aalborg", "--date", "2025-04-01"),
        ("story", "--theme", "tillid", "--date", "2025-04-01"),
        ("proposal", "--event", "2025-aalborg", "--theme", "tillid"),
        ("statement", "--event", "2025-aalborg", "--theme", "tillid", "--speaker", "eva-eksempel"),
        ("participant", "--name", "Ole Olsen", "--consent", "named"),
        ("statement", "--publisher", "--theme", "tillid", "--text", "Vores egne ord", "--date", "2025-03"),
    ):
        assert run("new", *args, "--project", root).exit_code == 0, args

    for rel, name in (
        ("inputs/events/2025-aalborg.yaml", "event"),
        ("inputs/stories/ny-historie.yaml", "story"),
        ("inputs/participants.yaml", "participants"),
        ("inputs/statements/udgiveren.yaml", "statements"),
    ):
        errors = [e.message for e in validator(root / "schemas", name).iter_errors(as_editor_sees(root / rel))]
        assert errors == [], rel
    lines = check_output(root)
    assert lines[-1] == "OK: 9 files, 2 themes, 2 events, 2 stories; 12 warnings", lines


def test_create_file_never_replaces_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    from compendium.output import create_file

    target = tmp_path / "stories" / "ny.yaml"
    create_file(target, "id: ny\n")
    assert target.read_text(encoding="utf-8") == "id: ny\n"
    with pytest.raises(FileExistsError):
        create_file(target, "id: other\n")
    assert target.read_text(encoding="utf-8") == "id: ny\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["ny.yaml"]


def test_new_group_organisation_and_quotes_without_an_event_build_with_their_credits(project: Path) -> None:
    def new(*args: str) -> str:
        result = run("new", *args, "--project", project)
        assert result.exit_code == 0, result.output
        return result.output

    assert new("participant", "--group", "borgerpanelet i Tønder", "--size", "9") == (
        "Added participant 'borgerpanelet-i-toender' to inputs/participants.yaml\n"
    )
    new("participant", "--organisation", "Dansk Metal")
    assert (
        new(
            "statement",
            "--source",
            "artikel-2023-midtvest",
            "--speaker",
            "dansk-metal",
            "--theme",
            "tillid",
            "--context",
            "i et skriftligt høringssvar",
            "--date",
            "2023-02",
            "--text",
            "Vi vil have tillid",
        )
        == "Added statement 'artikel-2023-midtvest-vi-vil-have-tillid' to inputs/statements/artikel-2023-midtvest.yaml\n"
    )
    new("statement", "--event", "2023-midtvest", "--unnamed", "en borger", "--theme", "tillid", "--text", "Hej")
    new(
        "statement",
        "--event",
        "2023-midtvest",
        "--speaker",
        "borgerpanelet-i-toender",
        "--theme",
        "tillid",
        "--text",
        "Vi er ni",
    )
    new("proposal", "--publisher", "--theme", "tillid", "--title", "Vores forslag", "--text", "Tekst.")
    new(
        "story",
        "--source",
        "artikel-2023-midtvest",
        "--theme",
        "tillid",
        "--title",
        "Fra avisen",
        "--date",
        "2023-02",
        "--text",
        "Historien.",
    )
    story = (project / "inputs/stories/fra-avisen.yaml").read_text(encoding="utf-8")
    assert "workplace:\n" in story and "teller:\n  source: artikel-2023-midtvest\n" in story

    result = run("build", "--format", "html", "--quiet", "--project", project)
    assert result.exit_code == 0, result.output
    html = (project / "build" / "compendium.html").read_text(encoding="utf-8")
    assert '– Dansk Metal<span class="event-ref">, i et skriftligt høringssvar, februar 2023</span>' in html
    assert '– En borger<span class="event-ref">, Møde om fremtidens beskæftigelsesindsats' in html
    assert "– Borgerpanelet i Tønder<span" in html
    assert "Ophav: HK Kommunal. Status: Foreslået." in html
    assert "Fortæller: HK Kommunal" in html


def test_new_event_takes_an_open_kind_and_a_partial_approximate_date(project: Path) -> None:
    result = run(
        "new", "event", "--kind", "borgerpanel", "--place", "Tønder", "--date", "ca. 2020-03", "--project", project
    )
    assert result.exit_code == 0, result.output
    text = read(project, "inputs/events/2020-toender.yaml")
    assert "\nkind: borgerpanel\n" in text
    assert "\ndate: ca. 2020-03\n" in text
    assert "\nsources: []\n" in text
    assert check_output(project)[-1] == "OK: 12 files, 5 themes, 3 events, 5 stories; 4 warnings"


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("2020-13", "'2020-13' is not a date: there is no month 13"),
        ("2020-02-30", "'2020-02-30' is not a date: February 2020 has no day 30"),
    ],
)
def test_new_refuses_a_wrong_date_as_a_usage_error(project: Path, date: str, message: str) -> None:
    result = run("new", "event", "--date", date, "--project", project)
    assert result.exit_code == 2
    assert message in " ".join(result.output.replace("│", " ").split())
