"""An empty registry file is an error that names it."""

from __future__ import annotations

import os  # noqa: F401
from pathlib import Path


def setup(project: Path) -> None:
    """Break the project this way."""
    (project / "inputs/themes.yaml").write_text("")
