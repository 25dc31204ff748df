"""Bad inputs: every class of mistake an editor can make gets one exact, located message.

Each test starts from a good build of a fresh example project, breaks exactly
one thing (a visible str.replace on a known line), runs `check` and `build`,
and asserts exit code 1, the full error output, and that build/ is untouched.

The expected texts are exact. Where a message is known to fall short (see the
comments marked "LIMITATION"), the test documents the current text so that an
improvement shows up as a deliberate test change.

Positions assume PyYAML's C loader (libyaml), which compendium.content.load prefers;
the pure-Python loader words syntax errors differently.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from compendium.cli import app
from tests.conftest import run, snapshot

EVENT = "inputs/events/2023-midtvest.yaml"
STORY = "inputs/stories/gaaturen.yaml"
PARTICIPANTS = "inputs/participants.yaml"
KEY_FIGURES = "inputs/key-figures.yaml"
THEMES = "inputs/themes.yaml"
PUBLICATION = "inputs/publication.yaml"

# `build` without --quiet prints this progress line before it fails.
CHECKING = "  Checking inputs …\n"
OK = "OK: 11 files, 5 themes, 2 events, 5 stories; 0 warnings\n"


def one(line: str) -> str:
    """The whole error output for a single problem."""
    return f"{line}\nError: 1 problem found; nothing was written.\n"


# --- helpers ----------------------------------------------------------------


def good_build(project: Path) -> dict[str, bytes]:
    """Build the untouched example (HTML only, for speed) and snapshot build/."""
    result = run("build", "--format", "html", "--quiet", "--project", project)
    assert result.exit_code == 0, result.output
    before = snapshot(project / "build")
    assert "compendium.html" in before
    return before


def edit(project: Path, rel: str, old: str, new: str) -> None:
    """Replace one known, unique piece of an input file's text."""
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur exactly once in {rel}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def edit_bytes(project: Path, rel: str, old: bytes, new: bytes) -> None:
    """Replace one known, unique piece of an input file's bytes."""
    path = project / rel
    raw = path.read_bytes()
    assert raw.count(old) == 1, f"{old!r} must occur exactly once in {rel}"
    path.write_bytes(raw.replace(old, new))


def assert_rejected(project: Path, before: dict[str, bytes], expected: str) -> None:
    """`check` and `build` both fail with exactly `expected`, and build/ is unchanged."""
    checked = run("check", "--project", project)
    assert (checked.exit_code, checked.output) == (1, expected)
    built = run("build", "--format", "html", "--project", project)
    assert (built.exit_code, built.output) == (1, CHECKING + expected)
    assert snapshot(project / "build") == before


# --- YAML syntax and encoding ----------------------------------------------


@pytest.mark.parametrize(
    ("rel", "old", "new", "expected"),
    [
        pytest.param(
            EVENT,
            "place: HK Kommunal MidtVest\n",
            "  place: HK Kommunal MidtVest\n",  # indented by mistake
            f"{EVENT}:8:8 invalid YAML: unexpected ':'; check this line's indentation, or put the value in quotes "
            "(YAML says: mapping values are not allowed in this context)",
            id="bad-indent",
        ),
        pytest.param(
            PUBLICATION,
            'version: "0.1 (eksempel)"\n',
            'version: "0.1 (eksempel)\n',  # closing quote missing on line 8
            # LIMITATION: libyaml notices the problem at line 71, where the next '"' is, not at
            # line 8 where the quote opened; the hint points the editor to an earlier line.
            f"{PUBLICATION}:71:11 invalid YAML: this line does not fit the structure above it; check its "
            "indentation, and look for an unclosed quote on an earlier line (YAML says: did not find expected key)",
            id="unclosed-quote",
        ),
        pytest.param(
            EVENT,
            "    themes: [faglighed]\n    text: >-\n      Jeg er senior",
            "    themes: [faglighed\n    text: >-\n      Jeg er senior",  # ']' missing on line 78
            # Reported where libyaml notices it (line 79); the message names the line the '[' opened on.
            f"{EVENT}:79:9 invalid YAML: a list opened with '[' on line 78 is not closed with ']' "
            "(YAML says: did not find expected ',' or ']')",
            id="unclosed-bracket",
        ),
    ],
)
def test_yaml_syntax_error(project: Path, rel: str, old: str, new: str, expected: str) -> None:
    before = good_build(project)
    edit(project, rel, old, new)
    assert_rejected(project, before, one(expected))


def test_tab_indentation(project: Path) -> None:
    before = good_build(project)
    edit(project, EVENT, "  - lene-buhl\n", "\t- lene-buhl\n")
    assert_rejected(
        project,
        before,
        one(
            f"{EVENT}:13:1 invalid YAML: a tab is used for indentation; indent with spaces "
            "(YAML says: found a tab character that violates indentation)"
        ),
    )


def test_duplicate_key(project: Path) -> None:
    before = good_build(project)
    edit(project, EVENT, "place: HK Kommunal MidtVest\n", "place: HK Kommunal MidtVest\nplace: Viborg\n")
    assert_rejected(
        project, before, one(f"{EVENT}:9:1 place: duplicate key 'place' (first used on line 8); remove one of them")
    )


def test_not_utf8(project: Path) -> None:
    before = good_build(project)
    # 'ø' as a cp1252 byte, as an editor saving in Windows-1252 would write it.
    edit_bytes(project, PARTICIPANTS, "    name: Karina Sørensen\n".encode(), b"    name: Karina S\xf8rensen\n")
    assert_rejected(
        project,
        before,
        one(
            f"{PARTICIPANTS}:9:19 the file is not UTF-8 text (byte 0xf8, which is 'ø' in Windows-1252); save it as UTF-8 in your editor"
        ),
    )


def test_not_utf8_column_after_other_letters(project: Path) -> None:
    before = good_build(project)
    line = "    role: HK Kommunals talsperson på beskæftigelsesområdet\n"
    edit_bytes(project, PARTICIPANTS, line.encode(), line.encode().replace("området".encode(), b"omr\xe5det"))
    # The bad byte is character 55 on the line; the 'å' and 'æ' before it are two bytes
    # each in UTF-8, and the column counts characters, as an editor shows them.
    assert line.index("området") + len("omr") + 1 == 55
    assert_rejected(
        project,
        before,
        one(
            f"{PARTICIPANTS}:10:55 the file is not UTF-8 text (byte 0xe5, which is 'å' in Windows-1252); save it as UTF-8 in your editor"
        ),
    )


def test_whole_file_in_cp1252(project: Path) -> None:
    before = good_build(project)
    path = project / THEMES
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))
    # The first non-ASCII letter is the 'æ' in "beskæftigelsesindsats" on line 7.
    assert_rejected(
        project,
        before,
        one(
            f"{THEMES}:7:26 the file is not UTF-8 text (byte 0xe6, which is 'æ' in Windows-1252); save it as UTF-8 in your editor"
        ),
    )


def test_utf8_bom_is_accepted(project: Path) -> None:
    path = project / THEMES
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = run("check", "--project", project)
    assert (result.exit_code, result.output) == (0, OK)


@pytest.mark.parametrize("content", [b"", b"# nothing here yet\n"], ids=["empty", "only-a-comment"])
def test_empty_file(project: Path, content: bytes) -> None:
    before = good_build(project)
    (project / THEMES).write_bytes(content)
    assert_rejected(project, before, one(f"{THEMES}:1:1 the file is empty; expected a mapping of fields"))


def test_top_level_list(project: Path) -> None:
    before = good_build(project)
    # The "themes:" key forgotten: the file is now a bare list (the first two lines are comments).
    edit(project, THEMES, "themes:\n", "")
    assert_rejected(project, before, one(f"{THEMES}:3:3 expected a mapping of fields at the top level, found a list"))


def test_two_documents(project: Path) -> None:
    before = good_build(project)
    edit(project, STORY, "date: 2026-09-14\n", "date: 2026-09-14\n---\nthemes: [tillid]\n")
    assert_rejected(
        project,
        before,
        one(f"{STORY}:12:1 the file holds more than one YAML document ('---'); keep one per file"),
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "workplace: Jobcenter Fjordby\nmunicipality",
            "workplace: !!python/object/apply:os.system 'echo hi'\nmunicipality",
            f"{STORY}:4:12 workplace: the tag '!!python/object/apply:os.system' is not allowed; "
            "remove it and write a plain value",
            id="on-a-scalar",
        ),
        pytest.param(
            "workplace: Jobcenter Fjordby\nmunicipality",
            "workplace: !!python/object/apply:os.system [echo hi]\nmunicipality",
            f"{STORY}:4:12 workplace: the tag '!!python/object/apply:os.system' is not allowed; "
            "remove it and write a plain value",
            id="on-a-list",
        ),
    ],
)
def test_python_tag(project: Path, old: str, new: str, expected: str) -> None:
    before = good_build(project)
    edit(project, STORY, old, new)
    assert_rejected(project, before, one(expected))


def test_python_tag_on_a_list_field_is_refused(project: Path) -> None:
    before = good_build(project)
    edit(
        project, STORY, "themes: [tillid, faglighed]\n", "themes: !!python/object/apply:os.system [tillid, faglighed]\n"
    )
    assert_rejected(
        project,
        before,
        one(
            f"{STORY}:12:9 themes: the tag '!!python/object/apply:os.system' is not allowed; "
            "remove it and write a plain value"
        ),
    )


def test_recursive_alias(project: Path) -> None:
    before = good_build(project)
    edit(project, STORY, "themes: [tillid, faglighed]\n", "themes: &a [tillid, *a]\n")
    assert_rejected(
        project,
        before,
        one(
            f"{STORY}:12:21 the alias *a stands inside the value it refers to (&a on line 12), "
            "which would repeat for ever; remove the alias"
        ),
    )


# --- references between files ----------------------------------------------


def test_unknown_theme(project: Path) -> None:
    before = good_build(project)
    edit(
        project,
        EVENT,
        "speaker: kirsten-larsen\n    themes: [faglighed, resultater-frem-for-processer]\n",
        "speaker: kirsten-larsen\n    themes: [faglighed, resultater-frem-for-proceser]\n",
    )
    assert_rejected(
        project,
        before,
        one(
            f"{EVENT}:85:25 statements[2].themes[1]: unknown theme 'resultater-frem-for-proceser' "
            "(did you mean 'resultater-frem-for-processer'?)"
        ),
    )


def test_unknown_speaker(project: Path) -> None:
    before = good_build(project)
    edit(project, EVENT, "speaker: hanne-engsted\n", "speaker: hanne-engstedt\n")
    assert_rejected(
        project,
        before,
        one(
            f"{EVENT}:96:14 statements[3].speaker: unknown participant 'hanne-engstedt' (did you mean 'hanne-engsted'?)"
        ),
    )


def test_unknown_event(project: Path) -> None:
    before = good_build(project)
    edit(project, STORY, "date: 2026-09-14\n", "date: 2026-09-14\nevent: 2021-amagr\n")
    assert_rejected(
        project, before, one(f"{STORY}:12:8 event: unknown event '2021-amagr' (did you mean '2021-amager'?)")
    )


def test_unknown_source(project: Path) -> None:
    before = good_build(project)
    edit(
        project,
        KEY_FIGURES,
        '    value: "9 timer"\n    source: artikel-2021-amager\n',
        '    value: "9 timer"\n    source: artikel-2021-amagr\n',
    )
    assert_rejected(
        project,
        before,
        one(
            f"{KEY_FIGURES}:23:13 key_figures[4].source: unknown source 'artikel-2021-amagr' "
            "(did you mean 'artikel-2021-amager'?)"
        ),
    )


def test_duplicate_statement_id(project: Path) -> None:
    before = good_build(project)
    edit(project, EVENT, "  - id: midtvest-mentor-mors\n", "  - id: midtvest-heidi-lind-sandholm\n")
    assert_rejected(
        project,
        before,
        one(
            f"{EVENT}:76:9 statements[1].id: duplicate statement id 'midtvest-heidi-lind-sandholm' (first used on line 66); give each a unique id"
        ),
    )


def test_duplicate_proposal_id_across_files(project: Path) -> None:
    before = good_build(project)
    edit(project, EVENT, "  - id: medarbejderne-med-i-den-nye-indsats\n", "  - id: borgeren-i-centrum\n")
    assert_rejected(
        project,
        before,
        one(
            f"{EVENT}:118:9 proposals[0].id: duplicate proposal id 'borgeren-i-centrum' "
            "(first used on inputs/events/2021-amager.yaml:132); give each a unique id"
        ),
    )


def test_duplicate_participant_id(project: Path) -> None:
    before = good_build(project)
    entry = "  - id: hk-ansat-3\n    role: HK-ansat\n    consent: anonymous\n"
    edit(project, PARTICIPANTS, entry, entry + entry)
    assert_rejected(
        project,
        before,
        one(
            f"{PARTICIPANTS}:93:9 participants[18].id: duplicate participant id 'hk-ansat-3' (first used on line 90); give each a unique id"
        ),
    )


# --- photos -----------------------------------------------------------------


def test_missing_photo(project: Path) -> None:
    before = good_build(project)
    edit(project, STORY, "file: inputs/photos/historie-gaaturen.jpg", "file: inputs/photos/historie-gaturen.jpg")
    assert_rejected(
        project,
        before,
        one(
            f"{STORY}:15:9 photo.file: photo file 'inputs/photos/historie-gaturen.jpg' does not exist "
            "(did you mean 'inputs/photos/historie-gaaturen.jpg'?)"
        ),
    )


def test_photo_outside_project(project: Path) -> None:
    before = good_build(project)
    (project.parent / "x.jpg").write_bytes((project / "inputs/photos/forside.jpg").read_bytes())
    edit(project, STORY, "file: inputs/photos/historie-gaaturen.jpg", "file: ../x.jpg")
    assert_rejected(
        project,
        before,
        one(
            f"{STORY}:15:9 photo.file: '../x.jpg' is outside the project; "
            "give a path inside it, e.g. inputs/photos/x.jpg"
        ),
    )


# --- the shape of each file -------------------------------------------------


@pytest.mark.parametrize(
    ("old", "expected"),
    [
        pytest.param(
            "title: Samtalen, der blev til en gåtur\n",
            f"{STORY}:2:1 title: required field is missing; add it",
            id="top-level",
        ),
        pytest.param(
            "  alt: Pladsholder for et billede af to personer, der går en tur langs vandet.\n",
            f"{STORY}:15:3 photo.alt: required field is missing; add it",
            id="nested",
        ),
    ],
)
def test_missing_required_field(project: Path, old: str, expected: str) -> None:
    before = good_build(project)
    edit(project, STORY, old, "")
    assert_rejected(project, before, one(expected))


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "title: Samtalen",
            "titel: Samtalen",
            f"{STORY}:3:1 titel: unknown field 'titel' (did you mean 'title'?)",
            id="top-level",
        ),
        pytest.param(
            '  caption: "Plads',
            '  caption_text: "Plads',
            f"{STORY}:16:3 photo.caption_text: unknown field 'caption_text' (did you mean 'caption'?)",
            id="nested",
        ),
    ],
)
def test_unknown_field(project: Path, old: str, new: str, expected: str) -> None:
    """A misspelt key is one problem: the 'missing' one it causes is not reported as well."""
    before = good_build(project)
    edit(project, STORY, old, new)
    assert_rejected(project, before, one(expected))


def test_unknown_field_in_danish(project: Path) -> None:
    """A Danish word for a field is matched by meaning, since its spelling is nothing like it."""
    before = good_build(project)
    edit(project, PARTICIPANTS, "    name: Lene Buhl", "    navn: Lene Buhl")
    assert_rejected(
        project,
        before,
        one(f"{PARTICIPANTS}:15:5 participants[1].navn: unknown field 'navn' (did you mean 'name'?)"),
    )


def test_wrong_enum_value(project: Path) -> None:
    before = good_build(project)
    edit(
        project,
        PARTICIPANTS,
        "    municipality: Struer\n    consent: named\n",
        "    municipality: Struer\n    consent: nammed\n",
    )
    assert_rejected(
        project,
        before,
        one(
            f"{PARTICIPANTS}:42:14 participants[5].consent: 'nammed' is not allowed; "
            "expected 'named', 'role-only', 'anonymous' or 'withdrawn' (did you mean 'named'?)"
        ),
    )


@pytest.mark.parametrize(
    ("rel", "old", "new", "expected"),
    [
        pytest.param(
            KEY_FIGURES,
            'value: "1.000"',
            "value: 1.000",
            f"{KEY_FIGURES}:18:12 key_figures[3].value: expected text, but YAML reads 1.000 as a number; "
            'put it in quotes: "1.000"',
            id="number",
        ),
        pytest.param(
            EVENT,
            "    text: >-\n      Jeg tilslutter mig alles bekymringer. Jeg har 10-12 år tilbage på\n"
            "      arbejdsmarkedet endnu. Og jeg elsker det, jeg laver, og jeg er også god\n"
            "      til det. Så jeg vil ikke søge noget andet.\n",
            "    text: NO\n",
            f"{EVENT}:109:11 statements[4].text: expected text, but YAML reads NO as true/false; "
            'put it in quotes: "NO"',
            id="boolean",
        ),
        pytest.param(
            EVENT,
            "place: HK Kommunal MidtVest\n",
            "place: 12:30\n",
            f'{EVENT}:8:8 place: expected text, but YAML reads 12:30 as a number; put it in quotes: "12:30"',
            id="sexagesimal",
        ),
    ],
)
def test_yaml_1_1_trap_in_text_field(project: Path, rel: str, old: str, new: str, expected: str) -> None:
    """YAML 1.1 reads some unquoted words and numbers as other types; the hint says to quote them."""
    before = good_build(project)
    edit(project, rel, old, new)
    assert_rejected(project, before, one(expected))


def test_invalid_date(project: Path) -> None:
    before = good_build(project)
    edit(project, EVENT, "date: 2023-03-08\n", "date: 2023-02-30\n")
    assert_rejected(
        project,
        before,
        one(f"{EVENT}:7:7 date: '2023-02-30' is not a valid date; expected YYYY-MM-DD, e.g. 2023-03-08"),
    )


def test_date_in_words(project: Path) -> None:
    before = good_build(project)
    edit(project, EVENT, "date: 2023-03-08\n", "date: 8. marts 2023\n")
    assert_rejected(
        project, before, one(f"{EVENT}:7:7 date: '8. marts 2023' is not a date; expected YYYY-MM-DD, e.g. 2023-03-08")
    )


def test_event_id_does_not_match_file_name(project: Path) -> None:
    before = good_build(project)
    edit(project, EVENT, "id: 2023-midtvest\n", "id: 2023-midt-vest\n")
    assert_rejected(
        project,
        before,
        one(
            f"{EVENT}:4:5 id: id '2023-midt-vest' does not match the file name; "
            "change it to '2023-midtvest' or rename the file to 2023-midt-vest.yaml"
        ),
    )


def test_missing_registry_file(project: Path) -> None:
    before = good_build(project)
    (project / THEMES).unlink()
    assert_rejected(project, before, one(f"{THEMES}: missing file; every project needs themes.yaml"))


def test_named_consent_without_name(project: Path) -> None:
    before = good_build(project)
    edit(project, PARTICIPANTS, "  - id: lars-brandstrup\n    name: Lars Brandstrup\n", "  - id: lars-brandstrup\n")
    assert_rejected(
        project,
        before,
        one(
            f"{PARTICIPANTS}:59:14 participants[8].consent: consent 'named' needs a name; add 'name' or use 'role-only'"
        ),
    )


def test_unknown_field_in_project_file(project: Path) -> None:
    before = good_build(project)
    edit(project, "compendium.yaml", "output: build\n", "ouptut: build\n")
    result = run("check", "--project", project)
    assert (result.exit_code, result.output) == (
        1,
        one("compendium.yaml:4:1 ouptut: unknown field 'ouptut' (did you mean 'output'?)"),
    )
    assert snapshot(project / "build") == before


# --- several problems at once ----------------------------------------------


def test_several_problems_in_several_files(project: Path) -> None:
    before = good_build(project)
    edit(project, STORY, "title: Samtalen", "titel: Samtalen")
    edit(project, EVENT, "speaker: hanne-engsted\n", "speaker: hanne-engstedt\n")
    edit(project, KEY_FIGURES, 'value: "1.000"', "value: 1.000")
    edit(
        project,
        PARTICIPANTS,
        "    municipality: Struer\n    consent: named\n",
        "    municipality: Struer\n    consent: nammed\n",
    )
    edit(project, PUBLICATION, 'version: "0.1 (eksempel)"\n', 'version: "0.1 (eksempel)\n')
    expected = [
        f"{EVENT}:96:14 statements[3].speaker: unknown participant 'hanne-engstedt' (did you mean 'hanne-engsted'?)",
        f"{KEY_FIGURES}:18:12 key_figures[3].value: expected text, but YAML reads 1.000 as a number; "
        'put it in quotes: "1.000"',
        f"{PARTICIPANTS}:42:14 participants[5].consent: 'nammed' is not allowed; "
        "expected 'named', 'role-only', 'anonymous' or 'withdrawn' (did you mean 'named'?)",
        f"{PUBLICATION}:71:11 invalid YAML: this line does not fit the structure above it; check its "
        "indentation, and look for an unclosed quote on an earlier line (YAML says: did not find expected key)",
        f"{STORY}:3:1 titel: unknown field 'titel' (did you mean 'title'?)",
    ]
    assert_rejected(project, before, "\n".join(expected) + "\nError: 5 problems found; nothing was written.\n")


# --- warnings and --strict --------------------------------------------------


def test_strict_turns_a_warning_into_a_failure(project: Path) -> None:
    before = good_build(project)
    entry = "  - id: hk-ansat-3\n    role: HK-ansat\n    consent: anonymous\n"
    edit(project, PARTICIPANTS, entry, entry + entry.replace("hk-ansat-3", "hk-ansat-4"))
    warning = f"{PARTICIPANTS}:93:9 warning: participants[18].id: participant 'hk-ansat-4' is never referred to; remove it or refer to it"

    lenient = run("check", "--project", project)
    assert (lenient.exit_code, lenient.output) == (
        0,
        f"{warning}\nOK: 11 files, 5 themes, 2 events, 5 stories; 1 warning\n",
    )

    failed = f"{warning}\nError: 1 problem found (1 of them warnings, which --strict treats as errors); nothing was written.\n"
    strict = run("check", "--strict", "--project", project)
    assert (strict.exit_code, strict.output) == (1, failed)
    built = run("build", "--format", "html", "--strict", "--project", project)
    assert (built.exit_code, built.output) == (1, CHECKING + failed)
    assert snapshot(project / "build") == before


# --- the command line itself ------------------------------------------------


def test_debug_shows_a_traceback(project: Path) -> None:
    before = good_build(project)
    edit(project, EVENT, "speaker: hanne-engsted\n", "speaker: hanne-engstedt\n")
    expected = one(
        f"{EVENT}:96:14 statements[3].speaker: unknown participant 'hanne-engstedt' (did you mean 'hanne-engsted'?)"
    )

    plain = run("check", "--project", project)
    assert (plain.exit_code, plain.output) == (1, expected)
    assert "Traceback" not in plain.output

    debug = run("check", "--debug", "--project", project)
    assert debug.exit_code == 1
    assert debug.output.startswith(expected + "Traceback (most recent call last):\n")
    assert debug.output.endswith("compendium.errors.InputError: " + expected.splitlines()[0] + "\n")
    assert snapshot(project / "build") == before


def test_outside_any_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    here = Path.cwd().resolve()
    assert not any((folder / "compendium.yaml").exists() for folder in (here, *here.parents))
    expected = (
        f"Error: no compendium.yaml found in {here} or any folder above it; "
        "run this inside a project, pass --project DIR, or create one with 'compendium init DIR'\n"
    )
    for command in ("check", "build"):
        result = run(command)
        assert (result.exit_code, result.output) == (1, expected)
    assert list(elsewhere.iterdir()) == []


def test_project_option_without_project_file(tmp_path: Path) -> None:
    result = run("check", "--project", tmp_path)
    assert (result.exit_code, result.output) == (
        1,
        f"Error: {tmp_path} is not a compendium project: it has no compendium.yaml\n",
    )


def test_unknown_option(project: Path) -> None:
    result = CliRunner().invoke(app, ["check", "--strickt", "--project", str(project)], prog_name="compendium")
    assert (result.exit_code, result.output) == (
        2,
        "Usage: compendium check [OPTIONS]\n"
        "Try 'compendium check --help' for help.\n"
        "\n"
        "Error: No such option: --strickt (Possible options: --strict)\n",
    )
    assert not (project / "build").exists()


def test_project_option_to_a_missing_folder(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    result = run("check", "--project", missing)
    assert (result.exit_code, result.output) == (1, f"Error: the project folder {missing} does not exist\n")
    assert not missing.exists()


def test_references_are_checked_in_a_file_with_a_shape_error(project: Path) -> None:
    before = good_build(project)
    edit(project, EVENT, "place: HK Kommunal MidtVest\n", "plads: HK Kommunal MidtVest\n")
    edit(project, EVENT, "speaker: hanne-engsted\n", "speaker: hanne-engstedt\n")
    assert_rejected(
        project,
        before,
        f"{EVENT}:8:1 plads: unknown field 'plads' (did you mean 'place'?)\n"
        f"{EVENT}:96:14 statements[3].speaker: unknown participant 'hanne-engstedt' (did you mean 'hanne-engsted'?)\n"
        "Error: 2 problems found; nothing was written.\n",
    )


def test_an_id_listed_twice(project: Path) -> None:
    before = good_build(project)
    edit(project, STORY, "themes: [tillid, faglighed]\n", "themes: [tillid, tillid]\n")
    assert_rejected(project, before, one(f"{STORY}:12:18 themes[1]: 'tillid' is listed twice; remove one"))


def test_free_text_naming_someone_without_consent(project: Path) -> None:
    before = good_build(project)
    edit(
        project,
        EVENT,
        "    text: >-\n      Jeg tilslutter mig alles bekymringer.",
        "    text: >-\n      Jeg er enig med Lisbet Feldborg Johannesen. Jeg tilslutter mig alles bekymringer.",
    )
    assert_rejected(
        project,
        before,
        one(
            f"{EVENT}:109:11 statements[4].text: names 'Lisbet Feldborg Johannesen', whose consent is 'anonymous'; "
            "remove the name from this text, or change their consent to 'named'"
        ),
    )


def test_photo_that_is_not_an_image(project: Path) -> None:
    before = good_build(project)
    (project / "inputs" / "photos" / "historie-gaaturen.jpg").write_text("not a photo", encoding="utf-8")
    assert_rejected(
        project,
        before,
        one(
            f"{STORY}:15:9 photo.file: 'inputs/photos/historie-gaaturen.jpg' is not a readable image "
            "(its format is not recognised); export it again as JPEG or PNG"
        ),
    )


def test_label_override_that_is_not_text(project: Path) -> None:
    before = good_build(project)
    (project / "templates" / "labels").mkdir(parents=True)
    (project / "templates" / "labels" / "da.yaml").write_text("# labels\nforeword: [Indledning]\n", encoding="utf-8")
    assert_rejected(
        project, before, one("templates/labels/da.yaml:2:11 foreword: a label must be text; put it in quotes")
    )


def test_label_override_with_an_unknown_key_warns(project: Path) -> None:
    (project / "templates" / "labels").mkdir(parents=True)
    (project / "templates" / "labels" / "da.yaml").write_text("forword: Indledning\n", encoding="utf-8")
    result = run("check", "--project", project)
    assert (result.exit_code, result.output) == (
        0,
        "templates/labels/da.yaml:1:1 warning: forword: unknown label 'forword' (did you mean 'foreword'?); it is not used\n"
        + OK.replace("0 warnings", "1 warning"),
    )


def test_check_compiles_template_overrides(project: Path) -> None:
    (project / "templates").mkdir()
    (project / "templates" / "compendium.html").write_text("{% for x in %}\n", encoding="utf-8")
    result = run("check", "--project", project)
    assert (result.exit_code, result.output) == (
        1,
        f"Error: {project / 'templates' / 'compendium.html'}:1: template error: Expected an expression, got 'end of statement block'\n",
    )


def test_flags_must_be_true_or_false(project: Path) -> None:
    before = good_build(project)
    edit(project, STORY, "example: true\n", "example: 1\n")
    assert_rejected(
        project,
        before,
        one(f"{STORY}:{story_line(project, 'example: 1')}:10 example: expected true or false, found a number"),
    )


def test_text_of_only_spaces(project: Path) -> None:
    before = good_build(project)
    edit(project, STORY, "title: Samtalen, der blev til en gåtur\n", 'title: "   "\n')
    assert_rejected(project, before, one(f"{STORY}:3:8 title: must not be empty"))


def test_misspelt_registry_file(project: Path) -> None:
    before = good_build(project)
    (project / KEY_FIGURES).rename(project / "inputs" / "keyfigures.yaml")
    assert_rejected(
        project,
        before,
        one(
            "inputs/key-figures.yaml: missing file; every project needs key-figures.yaml (did you mean 'keyfigures.yaml'?)"
        ),
    )


def test_yaml_files_nobody_reads_are_reported(project: Path) -> None:
    (project / "inputs" / "stories" / "2024").mkdir()
    (project / STORY).rename(project / "inputs" / "stories" / "2024" / "gaaturen.yaml")
    result = run("check", "--project", project)
    assert result.exit_code == 0, result.output
    assert result.output == (
        "inputs/stories/2024/gaaturen.yaml: warning: this file is not read; see the README for where inputs go\n"
        "OK: 10 files, 5 themes, 2 events, 4 stories; 1 warning\n"
    )


def test_project_folders_must_lie_inside_the_project(project: Path) -> None:
    (project / "compendium.yaml").write_text("inputs: ../elsewhere\n", encoding="utf-8")
    result = run("check", "--project", project)
    assert (result.exit_code, result.output) == (
        1,
        "compendium.yaml:1:9 inputs: '../elsewhere' is outside the project; give a folder inside it, e.g. 'inputs'\n"
        "Error: 1 problem found; nothing was written.\n",
    )


def story_line(project: Path, text: str) -> int:
    """Return the line number of a text in the example story."""
    lines = (project / STORY).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def test_characters_the_fonts_lack_are_reported(project: Path) -> None:
    edit(project, STORY, "title: Samtalen, der blev til en gåtur\n", "title: Samtalen 日本\n")
    result = run("check", "--project", project)
    assert (result.exit_code, result.output) == (
        0,
        f"{STORY}:3:8 warning: title: the fonts have no '日' (U+65E5), '本' (U+672C); it would print in another "
        "font, or not at all. Add a font that has it to templates/fonts/\n" + OK.replace("0 warnings", "1 warning"),
    )


def test_strict_check_reports_every_kind_of_warning_at_once(project: Path) -> None:
    (project / "templates" / "labels").mkdir(parents=True)
    (project / "templates" / "labels" / "da.yaml").write_text("forword: Indledning\n", encoding="utf-8")
    story = project / "inputs" / "stories" / "gaaturen.yaml"
    text = story.read_text(encoding="utf-8")
    story.write_text(re.sub(r"(?m)^title: .*$", 'title: "UDFYLD: overskrift"', text, count=1), encoding="utf-8")
    result = run("check", "--strict", "--project", project)
    assert result.exit_code == 1
    assert result.output == (
        "inputs/stories/gaaturen.yaml:3:8 warning: title: still holds the placeholder 'UDFYLD: overskrift'; "
        "replace it with the real text\n"
        "templates/labels/da.yaml:1:1 warning: forword: unknown label 'forword' (did you mean 'foreword'?); "
        "it is not used\n"
        "Error: 2 problems found (2 of them warnings, which --strict treats as errors); nothing was written.\n"
    )


def test_capitalised_reference_is_one_problem_not_two(project: Path) -> None:
    story = project / "inputs" / "stories" / "gaaturen.yaml"
    story.write_text(
        story.read_text(encoding="utf-8").replace("themes: [tillid,", "themes: [Tillid,", 1), encoding="utf-8"
    )
    result = run("check", "--project", project)
    assert result.exit_code == 1
    assert result.output == (
        "inputs/stories/gaaturen.yaml:12:10 themes[0]: unknown theme 'Tillid' (did you mean 'tillid'?)\n"
        "Error: 1 problem found; nothing was written.\n"
    )


def test_characters_the_fonts_lack_are_reported_after_a_clean_build(project: Path) -> None:
    # A build skips the files it found covered before; the edited one is looked at again.
    assert run("build", "--format", "html", "--quiet", "--project", project).exit_code == 0
    edit(project, STORY, "title: Samtalen, der blev til en gåtur\n", "title: Samtalen 日本\n")
    cached = run("build", "--format", "html", "--quiet", "--project", project)
    fresh = run("build", "--format", "html", "--quiet", "--no-cache", "--project", project)
    warning = (
        f"{STORY}:3:8 warning: title: the fonts have no '日' (U+65E5), '本' (U+672C); it would print in another "
        "font, or not at all. Add a font that has it to templates/fonts/\n"
    )
    assert (cached.exit_code, fresh.exit_code) == (0, 0)
    assert cached.output.startswith(warning) and fresh.output.startswith(warning)


def test_workers_must_be_at_least_one(project: Path) -> None:
    result = run("build", "--workers", "0", "--project", project)
    assert result.exit_code == 2
    assert "Invalid value for '--workers': Input should be greater than or equal to 1" in result.output
