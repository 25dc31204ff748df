"""A photo that links to /dev/zero is refused (reading it would never end)."""

from __future__ import annotations

import os  # noqa: F401
from pathlib import Path


def setup(project: Path) -> None:
    """Break the project this way."""
    (project / "inputs/photos/zero.jpg").symlink_to("/dev/zero")
