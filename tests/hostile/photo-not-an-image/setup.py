"""A text file named .jpg is refused, not silently dropped."""

from __future__ import annotations

import os  # noqa: F401
from pathlib import Path


def setup(project: Path) -> None:
    """Break the project this way."""
    (project / "inputs/photos/fake.jpg").write_text("not a photo")
