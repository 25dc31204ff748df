"""A text file named .jpg is refused, not silently dropped."""

from __future__ import annotations

import os  # noqa: F401
from pathlib import Path


def setup(project: Path) -> None:
    """Break the project this way."""
    (project / "inputs/photos/fake.jpg").write_text("not a photo")
    path = project / "inputs/stories/gaaturen.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "file: inputs/photos/historie-gaaturen.jpg", "file: inputs/photos/fake.jpg", 1
        ),
        encoding="utf-8",
    )
