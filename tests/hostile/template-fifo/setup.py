"""A FIFO named like a template is refused before Jinja opens it (reading it would hang)."""

from __future__ import annotations

import os
from pathlib import Path


def setup(project: Path) -> None:
    """Break the project this way."""
    (project / "templates").mkdir(exist_ok=True)
    os.mkfifo(project / "templates/compendium.html")
