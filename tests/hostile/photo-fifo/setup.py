"""A FIFO given as a photo is refused, never opened."""

from __future__ import annotations

import os
from pathlib import Path


def setup(project: Path) -> None:
    """Break the project this way."""
    os.mkfifo(project / "inputs/photos/pipe.jpg")
    path = project / "inputs/stories/gaaturen.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "file: inputs/photos/historie-gaaturen.jpg", "file: inputs/photos/pipe.jpg", 1
        ),
        encoding="utf-8",
    )
