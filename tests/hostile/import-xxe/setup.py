"""An XLSX whose sheet declares an external entity (XXE) is an input error, with nothing resolved."""

from __future__ import annotations

from pathlib import Path

from tests.hostile.shared import HEADER, SHEET, answers, xlsx

DTD = b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY e SYSTEM "file:///etc/passwd">]>'


def setup(project: Path) -> None:
    """Declare the entity and use it as the first title."""

    def change(name: str, data: bytes) -> bytes:
        return DTD + data.replace(b"Historie 1", b"&e;") if name == SHEET else data

    xlsx(project / "xxe.xlsx", [HEADER, *answers(1)], change)
