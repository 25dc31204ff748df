"""A photo path with ../ leaving the project is refused."""

from __future__ import annotations

import os  # noqa: F401
from pathlib import Path


def setup(project: Path) -> None:
    """Break the project this way."""
    path = project / "inputs/stories/gaaturen.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "file: inputs/photos/historie-gaaturen.jpg", "file: inputs/../../../../etc/x.jpg", 1
        ),
        encoding="utf-8",
    )
