"""A FIFO given as a photo is refused, never opened."""

from __future__ import annotations

import os
from pathlib import Path


def setup(project: Path) -> None:
    """Break the project this way."""
    (project / "inputs/photos").mkdir(exist_ok=True)
    os.mkfifo(project / "inputs/photos/pipe.jpg")
