"""An XLSX whose shared strings hide a billion-laughs DTD behind a 100 kB comment is refused by the XML parser, as input."""

from __future__ import annotations

from pathlib import Path

from tests.hostile.shared import HEADER, SHEET, answers, xlsx

LAUGHS = (
    b'<?xml version="1.0"?><!--' + b"x" * 100_000 + b'--><!DOCTYPE w [<!ENTITY a "haha">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
)


def setup(project: Path) -> None:
    """Put the DTD before the sheet's root element, past where a quick look would see it."""
    xlsx(
        project / "laughs.xlsx",
        [HEADER, *answers(1)],
        lambda n, d: LAUGHS + d.replace(b"Historie 1", b"&c;") if n == SHEET else d,
    )
