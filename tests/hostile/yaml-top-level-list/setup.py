"""A top-level list where a mapping belongs is refused."""

from __future__ import annotations

import os  # noqa: F401
from pathlib import Path


def setup(project: Path) -> None:
    """Break the project this way."""
    (project / "inputs/key-figures.yaml").write_text("- a\n- b\n")
