"""A photo that links outside the project is refused."""

from __future__ import annotations

import os  # noqa: F401
from pathlib import Path


def setup(project: Path) -> None:
    """Break the project this way."""
    (project / "inputs/photos/link.jpg").symlink_to("/etc/passwd")
    path = project / "inputs/stories/gaaturen.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "file: inputs/photos/historie-gaaturen.jpg", "file: inputs/photos/link.jpg", 1
        ),
        encoding="utf-8",
    )
