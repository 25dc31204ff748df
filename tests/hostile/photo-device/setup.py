"""A photo that links to /dev/zero is refused (reading it would never end)."""

from __future__ import annotations

import os  # noqa: F401
from pathlib import Path


def setup(project: Path) -> None:
    """Break the project this way."""
    (project / "inputs/photos/zero.jpg").symlink_to("/dev/zero")
    path = project / "inputs/stories/gaaturen.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "file: inputs/photos/historie-gaaturen.jpg", "file: inputs/photos/zero.jpg", 1
        ),
        encoding="utf-8",
    )
