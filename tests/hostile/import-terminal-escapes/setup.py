"""Terminal escape sequences in a cell (a title-changing OSC, screen clearing, colours, a hyperlink) are not printed by the dry run."""

from __future__ import annotations

from pathlib import Path


def setup(project: Path) -> None:
    """Write a CSV whose title cell is full of escape sequences."""
    title = "\x1b]0;pwned\x07Mødet\x1b[2J\x1b[31m i kantinen\x9b1m\x1b]8;;https://example.org\x1b\\"
    text = f"Titel,Sted,Tekst,Tema,Dato\n{title},Jobcenter Fjordby,Det skete.,tillid,2026-10-12\n"
    (project / "svar.csv").write_text(text, encoding="utf-8")
