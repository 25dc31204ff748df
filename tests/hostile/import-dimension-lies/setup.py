"""A sheet that declares itself A1:B3 but holds five answers in five columns is read whole: five stories, not two."""

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


def setup(project: Path) -> None:
    """Make the sheet claim to be smaller than it is."""
    small = lambda n, d: d.replace(b'<dimension ref="A1:E6"/>', b'<dimension ref="A1:B3"/>') if n == SHEET else d  # noqa: E731
    xlsx(project / "svar.xlsx", [HEADER, *answers(5)], small)
