"""Bad inputs: every class of mistake an editor can make gets one exact, located message.

Most cases have one shape, so they are data (`CASES`), run by the harness of
tests/harness.py: build the minimal project of tests/base.py, lay the case's few
files over it, run `check` and `build`, and assert exit code 1, the full error
output, and that build/ is untouched. Each case writes the whole file it breaks,
so the line and column in its expected text can be read off the case itself.
Tests of another shape follow as functions.

The expected texts are exact. Where a message is known to fall short (see the
comments marked "LIMITATION"), the case documents the current text so that an
improvement shows up as a deliberate test change.

Positions assume PyYAML's C loader (libyaml), which compendium.content.load prefers;
the pure-Python loader words syntax errors differently.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from textwrap import dedent

import pytest
from typer.testing import CliRunner

from compendium.cli import app
from compendium.content.dates import FORMS
from tests.base import (
    CHECKING,
    EVENT,
    KEY_FIGURES,
    MINIMAL,
    OK,
    PARTICIPANTS,
    PUBLICATION,
    STORY,
    THEMES,
    jpeg,
    one,
    write_files,
)
from tests.conftest import run, snapshot
from tests.harness import Case, run_case

PHOTO = "inputs/photos/historie-gaaturen.jpg"

# A valid event and story, for the cases whose problem is in a reference or a value, not in the YAML.
EVENT_HEAD = dedent("""\
    id: 2023-midtvest
    kind: meeting
    title: Mødet i MidtVest
    date: 2023-03-08
    place: Viborg
    organiser: HK Kommunal MidtVest
    background: Baggrund.
    method: Metode.
    """)  # 8 lines
# The minimal project's story, 9 lines: id, title, workplace, teller (name, consent), date, themes, body.
STORY_HEAD = dedent(MINIMAL[STORY])


def photo_story(file: str) -> str:
    """Return the story with a photo whose file is given (its `file:` is on line 11, column 9)."""
    return STORY_HEAD + f"photo:\n  file: {file}\n  caption: Gåturen.\n  alt: To personer på gåtur.\n"


CASES = [
    # --- YAML syntax and encoding ----------------------------------------------
    Case(
        "bad-indent",
        files={EVENT: "id: 2023-midtvest\ndate: 2023-03-08\n  place: Viborg\n"},  # indented by mistake
        output=one(
            f"{EVENT}:3:8 invalid YAML: unexpected ':'; check this line's indentation, or put the value in quotes "
            "(YAML says: mapping values are not allowed in this context)"
        ),
    ),
    Case(
        "unclosed-quote",
        # The closing quote is missing on line 2.
        files={PUBLICATION: 'title: Kompendiet\nversion: "1\norganisation: HK Kommunal\nforeword: "Forord."\n'},
        # LIMITATION: libyaml notices the problem at line 4, where the next '"' is, not at
        # line 2 where the quote opened; the hint points the editor to an earlier line.
        output=one(
            f"{PUBLICATION}:4:12 invalid YAML: this line does not fit the structure above it; check its "
            "indentation, and look for an unclosed quote on an earlier line (YAML says: did not find expected key)"
        ),
    ),
    Case(
        "unclosed-bracket",
        files={EVENT: "id: 2023-midtvest\nstatements:\n  - id: lene\n    themes: [tillid\n    text: Et udsagn.\n"},
        # Reported where libyaml notices it (line 5); the message names the line the '[' opened on.
        output=one(
            f"{EVENT}:5:9 invalid YAML: a list opened with '[' on line 4 is not closed with ']' "
            "(YAML says: did not find expected ',' or ']')"
        ),
    ),
    Case(
        "tab-indentation",
        files={EVENT: "id: 2023-midtvest\nparticipants:\n  - lene-buhl\n\t- lisbet\n"},
        output=one(
            f"{EVENT}:4:1 invalid YAML: a tab is used for indentation; indent with spaces "
            "(YAML says: found a tab character that violates indentation)"
        ),
    ),
    Case(
        "duplicate-key",
        files={EVENT: "id: 2023-midtvest\nplace: Viborg\nplace: Skive\n"},
        output=one(f"{EVENT}:3:1 place: duplicate key 'place' (first used on line 2); remove one of them"),
    ),
    Case(
        "not-utf8",
        # 'ø' as a cp1252 byte, as an editor saving in Windows-1252 would write it.
        files={PARTICIPANTS: b"participants:\n  - id: lene-buhl\n    name: Lene S\xf8rensen\n    consent: named\n"},
        output=one(
            f"{PARTICIPANTS}:3:17 the file is not UTF-8 text (byte 0xf8, which is 'ø' in Windows-1252); "
            "save it as UTF-8 in your editor"
        ),
    ),
    Case(
        "not-utf8-column-after-other-letters",
        # The bad byte is character 42 on line 3; the 'å' and 'æ' before it are two bytes each
        # in UTF-8, and the column counts characters, as an editor shows them.
        files={
            PARTICIPANTS: "participants:\n  - id: lene-buhl\n    role: talsperson på beskæftigelsesområdet\n".encode().replace(
                "området".encode(), b"omr\xe5det"
            )
        },
        output=one(
            f"{PARTICIPANTS}:3:42 the file is not UTF-8 text (byte 0xe5, which is 'å' in Windows-1252); "
            "save it as UTF-8 in your editor"
        ),
    ),
    Case(
        "whole-file-in-cp1252",
        # The first non-ASCII letter is the 'æ' in "beskæftigelse" on line 4.
        files={
            THEMES: "themes:\n  - id: tillid\n    title: Tillid\n    introduction: Tillid i beskæftigelsen, også i år.\n".encode(
                "cp1252"
            )
        },
        output=one(
            f"{THEMES}:4:32 the file is not UTF-8 text (byte 0xe6, which is 'æ' in Windows-1252); "
            "save it as UTF-8 in your editor"
        ),
    ),
    Case(
        "saved-as-utf16",
        files={THEMES: "themes:\n  - id: tillid\n    title: Tillid\n    introduction: Indledning.\n".encode("utf-16")},
        output=one(f"{THEMES}:1:1 the file is saved as UTF-16, not UTF-8; save it as UTF-8 in your editor"),
    ),
    Case(
        "empty-file", files={THEMES: b""}, output=one(f"{THEMES}:1:1 the file is empty; expected a mapping of fields")
    ),
    Case(
        "file-of-only-a-comment",
        files={THEMES: b"# nothing here yet\n"},
        output=one(f"{THEMES}:1:1 the file is empty; expected a mapping of fields"),
    ),
    Case(
        "top-level-list",
        # The "themes:" key forgotten: the file is now a bare list (after a comment).
        files={THEMES: "# The themes.\n  - id: tillid\n    title: Tillid\n    introduction: Indledning.\n"},
        output=one(f"{THEMES}:2:3 expected a mapping of fields at the top level, found a list"),
    ),
    Case(
        "two-documents",
        files={STORY: "id: gaaturen\ntitle: Gåturen\n---\nthemes: [tillid]\n"},
        output=one(f"{STORY}:3:1 the file holds more than one YAML document ('---'); keep one per file"),
    ),
    Case(
        "python-tag-on-a-scalar",
        files={STORY: "id: gaaturen\nworkplace: !!python/object/apply:os.system 'echo hi'\n"},
        output=one(
            f"{STORY}:2:12 workplace: the tag '!!python/object/apply:os.system' is not allowed; "
            "remove it and write a plain value"
        ),
    ),
    Case(
        "python-tag-on-a-list",
        files={STORY: "id: gaaturen\nworkplace: !!python/object/apply:os.system [echo hi]\n"},
        output=one(
            f"{STORY}:2:12 workplace: the tag '!!python/object/apply:os.system' is not allowed; "
            "remove it and write a plain value"
        ),
    ),
    Case(
        "python-tag-on-a-list-field",
        files={STORY: "id: gaaturen\nthemes: !!python/object/apply:os.system [tillid]\n"},
        output=one(
            f"{STORY}:2:9 themes: the tag '!!python/object/apply:os.system' is not allowed; "
            "remove it and write a plain value"
        ),
    ),
    Case(
        "recursive-alias",
        files={STORY: "id: gaaturen\nthemes: &a [tillid, *a]\n"},
        output=one(
            f"{STORY}:2:21 the alias *a stands inside the value it refers to (&a on line 2), "
            "which would repeat for ever; remove the alias"
        ),
    ),
    # --- references between files ----------------------------------------------
    Case(
        "unknown-theme",
        files={
            EVENT: EVENT_HEAD
            + dedent("""\
            statements:
              - id: lene
                speaker: lene-buhl
                themes: [tillid, tilid]
                text: Et udsagn.
            """)
        },
        output=one(f"{EVENT}:12:22 statements[0].themes[1]: unknown theme 'tilid' (did you mean 'tillid'?)"),
    ),
    Case(
        "unknown-speaker",
        files={
            EVENT: EVENT_HEAD
            + dedent("""\
            statements:
              - id: lene
                speaker: lene-buhll
                themes: [tillid]
                text: Et udsagn.
            """)
        },
        output=one(
            f"{EVENT}:11:14 statements[0].speaker: unknown participant 'lene-buhll' (did you mean 'lene-buhl'?)"
        ),
    ),
    Case(
        "unknown-event",
        files={STORY: STORY_HEAD + "event: 2023-midtvst\n"},
        output=one(f"{STORY}:10:8 event: unknown event '2023-midtvst' (did you mean '2023-midtvest'?)"),
    ),
    Case(
        "unknown-source",
        files={
            KEY_FIGURES: """\
            key_figures:
              - id: besparelse
                label: Besparelse
                value: "3 mia. kr."
                source: artiklem
            """
        },
        output=one(f"{KEY_FIGURES}:5:13 key_figures[0].source: unknown source 'artiklem' (did you mean 'artiklen'?)"),
    ),
    Case(
        "duplicate-statement-id",
        files={
            EVENT: EVENT_HEAD
            + dedent("""\
            participants: [lene-buhl]
            statements:
              - id: lene
                speaker: lene-buhl
                themes: [tillid]
                text: Et udsagn.
              - id: lene
                speaker: lene-buhl
                themes: [tillid]
                text: Et andet udsagn.
            """)
        },
        output=one(
            f"{EVENT}:15:9 statements[1].id: duplicate statement id 'lene' (first used on line 11); give each a unique id"
        ),
    ),
    Case(
        "duplicate-proposal-id-across-files",
        files={
            "inputs/events/2021-amager.yaml": EVENT_HEAD.replace("2023-midtvest", "2021-amager")
            + dedent("""\
            proposals:
              - id: borgeren-i-centrum
                title: Borgeren i centrum
                themes: [tillid]
                summary: Et forslag.
            """),
            EVENT: EVENT_HEAD
            + dedent("""\
            participants: [lene-buhl]
            statements:
              - id: lene
                speaker: lene-buhl
                themes: [tillid]
                text: Et udsagn.
            proposals:
              - id: borgeren-i-centrum
                title: Borgeren i centrum igen
                themes: [tillid]
                summary: Et forslag.
            """),
        },
        output=one(
            f"{EVENT}:16:9 proposals[0].id: duplicate proposal id 'borgeren-i-centrum' "
            "(first used on inputs/events/2021-amager.yaml:10); give each a unique id"
        ),
    ),
    Case(
        "duplicate-participant-id",
        files={
            PARTICIPANTS: """\
            participants:
              - id: lene-buhl
                name: Lene Buhl
                consent: named
              - id: lene-buhl
                role: HK-ansat
                consent: anonymous
            """
        },
        output=one(
            f"{PARTICIPANTS}:5:9 participants[1].id: duplicate participant id 'lene-buhl' (first used on line 2); "
            "give each a unique id"
        ),
    ),
    # --- photos -----------------------------------------------------------------
    Case(
        "missing-photo",
        files={STORY: photo_story("inputs/photos/historie-gaturen.jpg"), PHOTO: jpeg()},
        output=one(
            f"{STORY}:11:9 photo.file: photo file 'inputs/photos/historie-gaturen.jpg' does not exist "
            "(did you mean 'inputs/photos/historie-gaaturen.jpg'?)"
        ),
    ),
    Case(
        "photo-outside-project",
        files={STORY: photo_story("../x.jpg"), "../x.jpg": jpeg()},
        output=one(
            f"{STORY}:11:9 photo.file: '../x.jpg' is outside the project; give a path inside it, e.g. inputs/photos/x.jpg"
        ),
    ),
    Case(
        "photo-that-is-not-an-image",
        files={STORY: photo_story(PHOTO), PHOTO: b"not a photo"},
        output=one(
            f"{STORY}:11:9 photo.file: 'inputs/photos/historie-gaaturen.jpg' is not a readable image "
            "(its format is not recognised); export it again as JPEG or PNG"
        ),
    ),
    # --- the shape of each file -------------------------------------------------
    Case(
        "missing-required-field-top-level",
        files={STORY: STORY_HEAD.replace("title: Gåturen\n", "")},
        output=one(f"{STORY}:1:1 title: required field is missing; add it"),
    ),
    Case(
        "missing-required-field-nested",
        files={STORY: photo_story(PHOTO).replace("  alt: To personer på gåtur.\n", ""), PHOTO: jpeg()},
        output=one(f"{STORY}:11:3 photo.alt: required field is missing; add it"),
    ),
    Case(
        # A misspelt key is one problem: the 'missing' one it causes is not reported as well.
        "unknown-field-top-level",
        files={STORY: STORY_HEAD.replace("title:", "titel:")},
        output=one(f"{STORY}:2:1 titel: unknown field 'titel' (did you mean 'title'?)"),
    ),
    Case(
        "unknown-field-nested",
        files={STORY: photo_story(PHOTO).replace("  caption:", "  caption_text:"), PHOTO: jpeg()},
        output=one(f"{STORY}:12:3 photo.caption_text: unknown field 'caption_text' (did you mean 'caption'?)"),
    ),
    Case(
        # A Danish word for a field is matched by meaning, since its spelling is nothing like it.
        "unknown-field-in-danish",
        files={PARTICIPANTS: "participants:\n  - id: lene-buhl\n    navn: Lene Buhl\n    consent: named\n"},
        output=one(f"{PARTICIPANTS}:3:5 participants[0].navn: unknown field 'navn' (did you mean 'name'?)"),
    ),
    Case(
        "wrong-enum-value",
        files={PARTICIPANTS: "participants:\n  - id: lene-buhl\n    name: Lene Buhl\n    consent: nammed\n"},
        output=one(
            f"{PARTICIPANTS}:4:14 participants[0].consent: 'nammed' is not allowed; "
            "expected 'named', 'role-only', 'anonymous' or 'withdrawn' (did you mean 'named'?)"
        ),
    ),
    # YAML 1.1 reads some unquoted words and numbers as other types; the hint says to quote them.
    Case(
        "yaml-1.1-number",
        files={
            KEY_FIGURES: """\
            key_figures:
              - id: besparelse
                label: Besparelse
                value: 1.000
                source: artiklen
            """
        },
        output=one(
            f"{KEY_FIGURES}:4:12 key_figures[0].value: expected text, but YAML reads 1.000 as a number; "
            'put it in quotes: "1.000"'
        ),
    ),
    Case(
        "yaml-1.1-boolean",
        files={
            EVENT: EVENT_HEAD
            + dedent("""\
            participants: [lene-buhl]
            statements:
              - id: lene
                speaker: lene-buhl
                themes: [tillid]
                text: NO
            """)
        },
        output=one(
            f'{EVENT}:14:11 statements[0].text: expected text, but YAML reads NO as true/false; put it in quotes: "NO"'
        ),
    ),
    Case(
        "yaml-1.1-sexagesimal",
        files={EVENT: EVENT_HEAD.replace("place: Viborg", "place: 12:30") + "participants: [lene-buhl]\n"},
        output=one(f'{EVENT}:5:8 place: expected text, but YAML reads 12:30 as a number; put it in quotes: "12:30"'),
    ),
    Case(
        "yaml-1.1-octal",
        files={THEMES: "themes:\n  - id: tillid\n    title: 012345\n    introduction: Indledning.\n"},
        output=one(
            f'{THEMES}:3:12 themes[0].title: expected text, but YAML reads 012345 as a number; put it in quotes: "012345"'
        ),
    ),
    Case(
        "invalid-date",
        files={EVENT: EVENT_HEAD.replace("2023-03-08", "2023-02-30") + "participants: [lene-buhl]\n"},
        output=one(
            f"{EVENT}:4:7 date: '2023-02-30' is not a date: February 2023 has no day 30; "
            "if the day is not known, write the month alone: 2023-02"
        ),
    ),
    Case(
        "date-with-month-13",
        files={EVENT: EVENT_HEAD.replace("2023-03-08", "2023-13") + "participants: [lene-buhl]\n"},
        output=one(f"{EVENT}:4:7 date: '2023-13' is not a date: there is no month 13; write {FORMS}"),
    ),
    Case(
        "date-with-five-digits",
        files={STORY: STORY_HEAD.replace("date: 2026-09-14", "date: 20261")},
        output=one(f"{STORY}:7:7 date: '20261' is not a date; write {FORMS}"),
    ),
    Case(
        "approximate-publication-date",
        files={PUBLICATION: dedent(MINIMAL[PUBLICATION]).replace("date: 2026-11-20", "date: ca. 2026-11")},
        output=one(
            f"{PUBLICATION}:3:7 date: 'ca. 2026-11' cannot be approximate: it is the publication's own date; "
            "write 2026-11"
        ),
    ),
    Case(
        "headcount-in-words",
        files={EVENT: EVENT_HEAD + "participants: [lene-buhl]\nparticipants_count: ca. tredive\n"},
        output=one(
            f"{EVENT}:10:21 participants_count: 'ca. tredive' is not a number of people; "
            "write a whole number, e.g. 30, or 'ca. 30' when it is approximate"
        ),
    ),
    Case(
        "more-answers-than-invited",
        files={EVENT: EVENT_HEAD + "participants: [lene-buhl]\nrespondents:\n  invited: 40\n  answered: 45\n"},
        output=one(f"{EVENT}:11:3 respondents: 45 answered, but only 40 were invited; check the two numbers"),
    ),
    Case(
        "source-and-sources",
        files={EVENT: EVENT_HEAD + "participants: [lene-buhl]\nsource: artiklen\nsources: [artiklen]\n"},
        output=one(
            f"{EVENT}:10:1 source: give 'sources' alone; 'source' is its old spelling; "
            "add 'artiklen' to 'sources' and remove 'source'"
        ),
    ),
    Case(
        "unknown-source-in-sources",
        files={EVENT: EVENT_HEAD + "participants: [lene-buhl]\nsources: [artiklen, artikel]\n"},
        output=one(f"{EVENT}:10:21 sources[1]: unknown source 'artikel' (did you mean 'artiklen'?)"),
    ),
    Case(
        "date-in-words",
        files={EVENT: EVENT_HEAD.replace("2023-03-08", "8. marts 2023") + "participants: [lene-buhl]\n"},
        output=one(f"{EVENT}:4:7 date: '8. marts 2023' is not a date; write {FORMS}"),
    ),
    Case(
        "event-id-does-not-match-file-name",
        files={EVENT: EVENT_HEAD.replace("id: 2023-midtvest", "id: 2023-midt-vest") + "participants: [lene-buhl]\n"},
        output=one(
            f"{EVENT}:1:5 id: id '2023-midt-vest' does not match the file name; "
            "change it to '2023-midtvest' or rename the file to 2023-midt-vest.yaml"
        ),
    ),
    Case(
        "missing-registry-file",
        remove=(THEMES,),
        output=one(f"{THEMES}: missing file; every project needs themes.yaml"),
    ),
    Case(
        "misspelt-registry-file",
        remove=(KEY_FIGURES,),
        files={"inputs/keyfigures.yaml": "key_figures: []\n"},
        output=one(
            f"{KEY_FIGURES}: missing file; every project needs key-figures.yaml (did you mean 'keyfigures.yaml'?)"
        ),
    ),
    Case(
        "named-consent-without-name",
        files={PARTICIPANTS: "participants:\n  - id: lene-buhl\n    consent: named\n"},
        output=one(
            f"{PARTICIPANTS}:3:14 participants[0].consent: consent 'named' needs a name; add 'name' or use 'role-only'"
        ),
    ),
    Case(
        "an-id-listed-twice",
        files={STORY: STORY_HEAD.replace("themes: [tillid]", "themes: [tillid, tillid]")},
        output=one(f"{STORY}:8:18 themes[1]: 'tillid' is listed twice; remove one"),
    ),
    Case(
        "flags-must-be-true-or-false",
        files={STORY: STORY_HEAD + "example: 1\n"},
        output=one(f"{STORY}:10:10 example: expected true or false, found a number"),
    ),
    Case(
        "text-of-only-spaces",
        files={STORY: STORY_HEAD.replace("title: Gåturen", 'title: "   "')},
        output=one(f"{STORY}:2:8 title: must not be empty"),
    ),
    Case(
        "capitalised-reference-is-one-problem-not-two",
        files={STORY: STORY_HEAD.replace("themes: [tillid]", "themes: [Tillid]")},
        output=one(f"{STORY}:8:10 themes[0]: unknown theme 'Tillid' (did you mean 'tillid'?)"),
    ),
    Case(
        "project-folders-must-lie-inside-the-project",
        files={"compendium.yaml": "inputs: ../elsewhere\n"},
        args=("check",),
        output=one(
            "compendium.yaml:1:9 inputs: '../elsewhere' is outside the project; give a folder inside it, e.g. 'inputs'"
        ),
    ),
    Case(
        "free-text-naming-someone-without-consent",
        files={
            PARTICIPANTS: """\
            participants:
              - id: lene-buhl
                name: Lene Buhl
                consent: named
              - id: lisbet-feldborg-johannesen
                name: Lisbet Feldborg Johannesen
                consent: anonymous
            """,
            EVENT: EVENT_HEAD
            + dedent("""\
            participants: [lene-buhl, lisbet-feldborg-johannesen]
            statements:
              - id: lene
                speaker: lene-buhl
                themes: [tillid]
                text: Jeg er enig med Lisbet Feldborg Johannesen.
            """),
        },
        output=one(
            f"{EVENT}:14:11 statements[0].text: names 'Lisbet Feldborg Johannesen', whose consent is 'anonymous'; "
            "remove the name from this text, or change their consent to 'named'"
        ),
    ),
    Case(
        "label-override-that-is-not-text",
        files={"templates/labels/da.yaml": "# labels\nforeword: [Indledning]\n"},
        output=one("templates/labels/da.yaml:2:11 foreword: a label must be text; put it in quotes"),
    ),
    Case(
        "unknown-field-in-project-file",
        files={"compendium.yaml": "ouptut: build\n"},
        args=("check",),
        output=one("compendium.yaml:1:1 ouptut: unknown field 'ouptut' (did you mean 'output'?)"),
    ),
    # --- warnings, which `check` passes and `check --strict` fails -------------
    Case(
        "label-override-with-an-unknown-key-warns",
        files={"templates/labels/da.yaml": "forword: Indledning\n"},
        args=("check",),
        exit=0,
        output="templates/labels/da.yaml:1:1 warning: forword: unknown label 'forword' (did you mean 'foreword'?); "
        "it is not used\n" + OK.replace("0 warnings", "1 warning"),
    ),
    Case(
        "yaml-files-nobody-reads-are-reported",
        remove=(STORY,),
        files={"inputs/stories/2024/gaaturen.yaml": STORY_HEAD},
        args=("check",),
        exit=0,
        output="inputs/stories/2024/gaaturen.yaml: warning: this file is not read; see the README for where inputs go\n"
        "OK: 5 files, 1 theme, 1 event, 0 stories; 1 warning\n",
    ),
    Case(
        "characters-the-fonts-lack-are-reported",
        files={STORY: STORY_HEAD.replace("title: Gåturen", "title: Gåturen 日本")},
        args=("check",),
        exit=0,
        output=f"{STORY}:2:8 warning: title: the fonts have no '日' (U+65E5), '本' (U+672C); it would print in "
        "another font, or not at all. Add a font that has it to templates/fonts/\n"
        + OK.replace("0 warnings", "1 warning"),
    ),
    Case(
        "strict-check-reports-every-kind-of-warning-at-once",
        files={
            "templates/labels/da.yaml": "forword: Indledning\n",
            STORY: STORY_HEAD.replace("title: Gåturen", 'title: "UDFYLD: overskrift"'),
        },
        args=("check", "--strict"),
        output=f"{STORY}:2:8 warning: title: still holds the placeholder 'UDFYLD: overskrift'; "
        "replace it with the real text\n"
        "templates/labels/da.yaml:1:1 warning: forword: unknown label 'forword' (did you mean 'foreword'?); "
        "it is not used\n"
        "Error: 2 problems found (2 of them warnings, which --strict treats as errors); nothing was written.\n",
    ),
    # --- several problems at once ----------------------------------------------
    Case(
        "several-problems-in-several-files",
        files={
            STORY: STORY_HEAD.replace("title:", "titel:"),
            EVENT: EVENT_HEAD
            + dedent("""\
            participants: [lene-buhl]
            statements:
              - id: lene
                speaker: lene-buhll
                themes: [tillid]
                text: Et udsagn.
            """),
            KEY_FIGURES: "key_figures:\n  - id: besparelse\n    label: Besparelse\n    value: 1.000\n    source: artiklen\n",
            PARTICIPANTS: "participants:\n  - id: lene-buhl\n    name: Lene Buhl\n    consent: nammed\n",
            PUBLICATION: 'title: Kompendiet\nversion: "1\norganisation: HK Kommunal\nforeword: "Forord."\n',
        },
        output=f"{EVENT}:12:14 statements[0].speaker: unknown participant 'lene-buhll' (did you mean 'lene-buhl'?)\n"
        f"{KEY_FIGURES}:4:12 key_figures[0].value: expected text, but YAML reads 1.000 as a number; "
        'put it in quotes: "1.000"\n'
        f"{PARTICIPANTS}:4:14 participants[0].consent: 'nammed' is not allowed; "
        "expected 'named', 'role-only', 'anonymous' or 'withdrawn' (did you mean 'named'?)\n"
        f"{PUBLICATION}:4:12 invalid YAML: this line does not fit the structure above it; check its "
        "indentation, and look for an unclosed quote on an earlier line (YAML says: did not find expected key)\n"
        f"{STORY}:2:1 titel: unknown field 'titel' (did you mean 'title'?)\n"
        "Error: 5 problems found; nothing was written.\n",
    ),
    Case(
        "references-are-checked-in-a-file-with-a-shape-error",
        files={
            EVENT: EVENT_HEAD.replace("place:", "plads:")
            + dedent("""\
            participants: [lene-buhl]
            statements:
              - id: lene
                speaker: lene-buhll
                themes: [tillid]
                text: Et udsagn.
            """)
        },
        output=f"{EVENT}:5:1 plads: unknown field 'plads' (did you mean 'place'?)\n"
        f"{EVENT}:12:14 statements[0].speaker: unknown participant 'lene-buhll' (did you mean 'lene-buhl'?)\n"
        "Error: 2 problems found; nothing was written.\n",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_problem(case: Case, tmp_path: Path) -> None:
    """`check` and `build` both reject the broken project with exactly the case's text, and build/ is unchanged."""
    run_case(case, tmp_path / "project")


def test_case_names_are_unique() -> None:
    names = [case.name for case in CASES]
    assert len(names) == len(set(names))


# --- tests of other shapes --------------------------------------------------


def test_utf8_bom_is_accepted(make_project: Callable[..., Path]) -> None:
    project = make_project({THEMES: b"\xef\xbb\xbfthemes:\n  - id: tillid\n    title: Tillid\n    introduction: x\n"})
    result = run("check", "--project", project)
    assert (result.exit_code, result.output) == (0, OK)


# Two participants, the second referred to by nobody: one warning.
UNREFERRED = {
    PARTICIPANTS: """\
    participants:
      - id: lene-buhl
        name: Lene Buhl
        consent: named
      - id: hk-ansat-4
        role: HK-ansat
        consent: anonymous
    """
}


def test_strict_turns_a_warning_into_a_failure(make_project: Callable[..., Path]) -> None:
    project = make_project()
    before = good_build(project)
    write_files(project, UNREFERRED)
    warning = (
        f"{PARTICIPANTS}:5:9 warning: participants[1].id: participant 'hk-ansat-4' is never referred to; "
        "remove it or refer to it"
    )

    lenient = run("check", "--project", project)
    assert (lenient.exit_code, lenient.output) == (0, f"{warning}\n" + OK.replace("0 warnings", "1 warning"))

    failed = f"{warning}\nError: 1 problem found (1 of them warnings, which --strict treats as errors); nothing was written.\n"
    strict = run("check", "--strict", "--project", project)
    assert (strict.exit_code, strict.output) == (1, failed)
    built = run("build", "--format", "html", "--strict", "--project", project)
    assert (built.exit_code, built.output) == (1, CHECKING + failed)
    assert snapshot(project / "build") == before


def good_build(project: Path) -> dict[str, bytes]:
    """Build the project (HTML only, for speed) and snapshot build/."""
    result = run("build", "--format", "html", "--quiet", "--project", project)
    assert result.exit_code == 0, result.output
    return snapshot(project / "build")


def test_debug_shows_a_traceback(make_project: Callable[..., Path]) -> None:
    project = make_project({STORY: STORY_HEAD.replace("themes: [tillid]", "themes: [tilid]")})
    expected = one(f"{STORY}:8:10 themes[0]: unknown theme 'tilid' (did you mean 'tillid'?)")

    plain = run("check", "--project", project)
    assert (plain.exit_code, plain.output) == (1, expected)
    assert "Traceback" not in plain.output

    debug = run("check", "--debug", "--project", project)
    assert debug.exit_code == 1
    assert debug.output.startswith(expected + "Traceback (most recent call last):\n")
    assert debug.output.endswith("compendium.errors.InputError: " + expected.splitlines()[0] + "\n")
    assert not (project / "build").exists()


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


def test_unknown_option(make_project: Callable[..., Path]) -> None:
    project = make_project()
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


def test_check_compiles_template_overrides(make_project: Callable[..., Path]) -> None:
    project = make_project({"templates/compendium.html": "{% for x in %}\n"})
    result = run("check", "--project", project)
    assert (result.exit_code, result.output) == (
        1,
        "templates/compendium.html:1 template error: Expected an expression, got 'end of statement block'\n"
        "Error: 1 problem found; nothing was written.\n",
    )


def test_characters_the_fonts_lack_are_reported_after_a_clean_build(make_project: Callable[..., Path]) -> None:
    # A build skips the files it found covered before; the edited one is looked at again.
    project = make_project()
    assert run("build", "--format", "html", "--quiet", "--project", project).exit_code == 0
    write_files(project, {STORY: STORY_HEAD.replace("title: Gåturen", "title: Gåturen 日本")})
    cached = run("build", "--format", "html", "--quiet", "--project", project)
    fresh = run("build", "--format", "html", "--quiet", "--no-cache", "--project", project)
    warning = (
        f"{STORY}:2:8 warning: title: the fonts have no '日' (U+65E5), '本' (U+672C); it would print in another "
        "font, or not at all. Add a font that has it to templates/fonts/\n"
    )
    assert (cached.exit_code, fresh.exit_code) == (0, 0)
    assert cached.output.startswith(warning) and fresh.output.startswith(warning)


def test_workers_must_be_at_least_one(make_project: Callable[..., Path]) -> None:
    result = run("build", "--workers", "0", "--project", make_project())
    assert result.exit_code == 2
    assert "Invalid value for '--workers': Input should be greater than or equal to 1" in result.output
