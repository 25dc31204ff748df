"""--changes-since takes one revision; a range is refused and build/ is left as it was."""

from __future__ import annotations

from pathlib import Path

from tests.hostile.shared import history


def setup(project: Path) -> None:
    """Give the project a history."""
    history(project)
