"""An unquoted NO in a text field is not silently read as false."""

from __future__ import annotations

import os  # noqa: F401
from pathlib import Path


def setup(project: Path) -> None:
    """Break the project this way."""
    path = project / "inputs/participants.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("role: formand", "role: NO", 1), encoding="utf-8")
