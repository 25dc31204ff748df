"""'diff ^HEAD' (git's notation for what HEAD does not reach) is refused by name, not an internal error."""

from __future__ import annotations

from pathlib import Path

from tests.hostile.shared import history


def setup(project: Path) -> None:
    """Give the project a history."""
    history(project)
