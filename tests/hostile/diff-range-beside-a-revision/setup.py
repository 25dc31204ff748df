"""A range and a second revision together are refused, not silently read as one commit."""

from __future__ import annotations

from pathlib import Path

from tests.hostile.shared import history


def setup(project: Path) -> None:
    """Give the project a history."""
    history(project)
