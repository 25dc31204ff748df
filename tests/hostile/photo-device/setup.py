"""A photo that links to /dev/zero is refused (reading it would never end)."""

from __future__ import annotations

from pathlib import Path


def setup(project: Path) -> None:
    """Break the project this way."""
    (project / "inputs/photos").mkdir(exist_ok=True)
    (project / "inputs/photos/zero.jpg").symlink_to("/dev/zero")
