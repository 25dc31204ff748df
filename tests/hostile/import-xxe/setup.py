"""An XLSX whose sheet declares an external entity (XXE) is an input error, with nothing resolved."""

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


DTD = b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY e SYSTEM "file:///etc/passwd">]>'


def setup(project: Path) -> None:
    """Declare the entity and use it as the first title."""

    def change(name: str, data: bytes) -> bytes:
        return DTD + data.replace(b"Historie 1", b"&e;") if name == SHEET else data

    xlsx(project / "xxe.xlsx", [HEADER, *answers(1)], change)
