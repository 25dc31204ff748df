"""An XLSX whose shared strings hide a billion-laughs DTD behind a 100 kB comment is refused by the XML parser, as input."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl


def xlsx(path: Path, rows: list[list[str]], change: Callable[[str, bytes], bytes] = lambda name, data: data) -> None:
    """Save a workbook of these rows, with each part passed through change(name, data)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    with zipfile.ZipFile(path) as source:
        parts = [(info.filename, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts:
            target.writestr(name, change(name, data))


HEADER = ["Titel", "Sted", "Tekst", "Tema", "Dato"]
SHEET = "xl/worksheets/sheet1.xml"


def answers(n: int) -> list[list[str]]:
    """Return n good answers."""
    return [[f"Historie {i}", "Jobcenter Fjordby", f"Det skete {i}.", "tillid", "2026-10-12"] for i in range(1, n + 1)]


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
