"""A file saved as UTF-16 is named and explained."""

from __future__ import annotations

import os  # noqa: F401
from pathlib import Path


def setup(project: Path) -> None:
    """Break the project this way."""
    path = project / "inputs/themes.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
