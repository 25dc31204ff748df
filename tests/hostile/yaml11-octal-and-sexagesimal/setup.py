"""012345 and 12:30 in text fields are not silently read as numbers."""

from __future__ import annotations

import os  # noqa: F401
from pathlib import Path


def setup(project: Path) -> None:
    """Break the project this way."""
    path = project / "inputs/themes.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: Tillid", "title: 012345", 1), encoding="utf-8")
    path = project / "inputs/participants.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("role: formand", "role: 12:30", 1), encoding="utf-8")
