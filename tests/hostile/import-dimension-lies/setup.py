"""A sheet that declares itself A1:B3 but holds five answers in five columns is read whole: five stories, not two."""

from __future__ import annotations

from pathlib import Path

from tests.hostile.shared import HEADER, SHEET, answers, xlsx


def setup(project: Path) -> None:
    """Make the sheet claim to be smaller than it is."""
    small = lambda n, d: d.replace(b'<dimension ref="A1:E6"/>', b'<dimension ref="A1:B3"/>') if n == SHEET else d  # noqa: E731
    xlsx(project / "svar.xlsx", [HEADER, *answers(5)], small)
