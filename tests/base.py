"""Small inline projects, in the style of MkDocs' tests/base.py.

`write_project` writes a minimal valid project (one theme, one participant, one
event, one story, no photos) and lays the few files a test needs over it. A test
that asserts a position writes the file it breaks in full, so the line and
column can be read off the test itself, and editing the example project in
inputs/ cannot move them.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Mapping
from pathlib import Path

EVENT = "inputs/events/2023-midtvest.yaml"
STORY = "inputs/stories/gaaturen.yaml"
PARTICIPANTS = "inputs/participants.yaml"
KEY_FIGURES = "inputs/key-figures.yaml"
THEMES = "inputs/themes.yaml"
PUBLICATION = "inputs/publication.yaml"

MINIMAL: dict[str, str] = {
    "compendium.yaml": "output: build\n",
    PUBLICATION: """\
        title: Kompendiet
        organisation: HK Kommunal
        date: 2026-11-20
        version: "1"
        editors:
          - name: Redaktionen
        contact:
          name: Redaktionen
        foreword: Forord.
        background: Baggrund.
        debate_paper:
          title: Debatoplæg
          main_message: Budskab.
          call_to_action: Opfordring.
        sources:
          - id: artiklen
            title: Artiklen
            publisher: HK Kommunal
            date: 2023-03-13
        """,
    THEMES: """\
        themes:
          - id: tillid
            title: Tillid
            introduction: Indledning.
        """,
    PARTICIPANTS: """\
        participants:
          - id: lene-buhl
            name: Lene Buhl
            consent: named
        """,
    KEY_FIGURES: """\
        key_figures:
          - id: besparelse
            label: Besparelse
            value: "3 mia. kr."
            source: artiklen
        """,
    EVENT: """\
        id: 2023-midtvest
        kind: meeting
        title: Mødet i MidtVest
        date: 2023-03-08
        place: Viborg
        organiser: HK Kommunal MidtVest
        participants: [lene-buhl]
        background: Baggrund.
        method: Metode.
        statements:
          - id: lene
            speaker: lene-buhl
            themes: [tillid]
            text: Et udsagn.
        """,
    STORY: """\
        id: gaaturen
        title: Gåturen
        workplace: Jobcenter Fjordby
        teller:
          name: Maria Holm
          consent: named
        date: 2026-09-14
        themes: [tillid]
        body: Historien.
        """,
}

# What `check` prints for the minimal project as it is.
OK = "OK: 6 files, 1 theme, 1 event, 1 story; 0 warnings\n"

# `build` without --quiet prints this progress line before it fails.
CHECKING = "  Checking inputs …\n"


def one(line: str) -> str:
    """Return the whole error output for a single problem."""
    return f"{line}\nError: 1 problem found; nothing was written.\n"


def jpeg(size: tuple[int, int] = (40, 30)) -> bytes:
    """Return a small, valid JPEG photo."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (90, 120, 150)).save(out, "JPEG")
    return out.getvalue()


def write_files(root: Path, files: Mapping[str, str | bytes | None]) -> None:
    """Write files below root: text dedented (so a test can indent it with its code), bytes as they are, None removed."""
    for rel, content in files.items():
        path = root / rel
        if content is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")


def write_project(root: Path, files: Mapping[str, str | bytes | None] | None = None) -> Path:
    """Write the minimal project into root, with files added, replaced or (None) left out."""
    layout = {**MINIMAL, **(files or {})}
    root.mkdir(parents=True, exist_ok=True)
    write_files(root, {rel: content for rel, content in layout.items() if content is not None})
    return root


# A project whose public edition must leave names out in every way consent can ask for: Karina Sørensen
# is shown by role only (her name is printed in the internal edition alone), Ole withdrew (his statement
# goes), a group and an unnamed speaker are shown by their description. The story has the Markdown a
# Word edition must turn into Word's structure: a note, a quotation, a list and a table, and a photo.
CONSENT_MIX: dict[str, str | bytes] = {
    PARTICIPANTS: """\
        participants:
          - id: lene-buhl
            name: Lene Buhl
            consent: named
          - id: karina
            name: Karina Sørensen
            role: Jobkonsulent
            workplace: Jobcenter Fjordby
            consent: role-only
          - id: ole
            name: Ole Thygesen
            consent: withdrawn
          - id: tr
            kind: group
            description: Tillidsrepræsentanterne
        """,
    EVENT: """\
        id: 2023-midtvest
        kind: meeting
        title: Mødet i MidtVest
        date: 2023-03-08
        place: Viborg
        organiser: HK Kommunal MidtVest
        participants: [lene-buhl, karina, ole, tr]
        background: Baggrund.
        method: Metode.
        photos:
          - file: inputs/photos/moedet.jpg
            caption: Mødelokalet i Viborg.
            alt: Et mødelokale med otte stole om et bord.
        statements:
          - id: lene
            speaker: lene-buhl
            themes: [tillid]
            text: Et udsagn.
          - id: jobkonsulenten
            speaker: karina
            themes: [tillid]
            text: Jobkonsulentens udsagn om tillid.
          - id: ole
            speaker: ole
            themes: [tillid]
            text: Det trukne udsagn.
          - id: tr
            speaker: tr
            themes: [tillid]
            text: Gruppens udsagn.
          - id: ukendt
            unnamed_speaker: En leder fra salen
            themes: [tillid]
            text: Den ukendtes udsagn.
        proposals:
          - id: forslaget
            title: Forslaget
            themes: [tillid]
            summary: Resumé.
            origin:
              participants: [karina, ole]
        """,
    STORY: """\
        id: gaaturen
        title: Gåturen
        workplace: Jobcenter Fjordby
        teller:
          participant: karina
        date: 2026-09-14
        themes: [tillid]
        body: |
          Første afsnit med en note.[^1]

          > Et citat i historien.

          - punkt et
          - punkt to

          | Kolonne | Tal |
          |---|--:|
          | a | 1 |

          [^1]: Notens tekst.
        """,
    "inputs/photos/moedet.jpg": jpeg(),
}
