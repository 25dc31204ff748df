"""An alias inside the value it names is refused at the alias."""

from __future__ import annotations

import os  # noqa: F401
from pathlib import Path


def setup(project: Path) -> None:
    """Break the project this way."""
    path = project / "inputs/stories/gaaturen.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("themes: [tillid, faglighed]", "themes: &a [tillid, *a]", 1),
        encoding="utf-8",
    )
