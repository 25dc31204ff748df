"""A folder given as a photo is refused."""

from __future__ import annotations

from pathlib import Path


def setup(project: Path) -> None:
    """Break the project this way."""
    (project / "inputs/photos").mkdir(exist_ok=True)
    (project / "inputs/photos/folder.jpg").mkdir()
