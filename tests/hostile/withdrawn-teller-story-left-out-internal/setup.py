"""Hostile case setup: after the case's edits, start with no previous outputs."""

from __future__ import annotations

import shutil
from pathlib import Path


def setup(project: Path) -> None:
    """Remove build/, so the internal edition is the only output."""
    shutil.rmtree(project / "build")
