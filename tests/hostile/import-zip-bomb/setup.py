"""An XLSX whose sheet packs 1,000 to 1 (a zip bomb that ended in MemoryError at 3.2 GB) is refused before it is parsed."""

from __future__ import annotations

from pathlib import Path

from tests.hostile.shared import HEADER, SHEET, answers, xlsx


def setup(project: Path) -> None:
    """Pad the sheet with 50 MB of spaces, which pack to 50 kB."""
    padding = b" " * 50_000_000
    xlsx(
        project / "bomb.xlsx",
        [HEADER, *answers(1)],
        lambda n, d: d.replace(b"<sheetData>", b"<sheetData>" + padding) if n == SHEET else d,
    )
