"""Two YAML documents in one file are refused."""

from __future__ import annotations

import os  # noqa: F401
from pathlib import Path


def setup(project: Path) -> None:
    """Break the project this way."""
    path = project / "inputs/themes.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("themes:", "themes: []\n---\nthemes:", 1), encoding="utf-8"
    )
