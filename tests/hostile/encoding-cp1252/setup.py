"""A file saved as Windows-1252 is named, with the letter that gave it away."""

from __future__ import annotations

import os  # noqa: F401
from pathlib import Path


def setup(project: Path) -> None:
    """Break the project this way."""
    path = project / "inputs/participants.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))
