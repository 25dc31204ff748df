"""A folder given as a photo is refused."""

from __future__ import annotations

import os  # noqa: F401
from pathlib import Path


def setup(project: Path) -> None:
    """Break the project this way."""
    (project / "inputs/photos/folder.jpg").mkdir()
    path = project / "inputs/stories/gaaturen.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "file: inputs/photos/historie-gaaturen.jpg", "file: inputs/photos/folder.jpg", 1
        ),
        encoding="utf-8",
    )
