"""A key written twice is an error, not a silent overwrite."""

from __future__ import annotations

import os  # noqa: F401
from pathlib import Path


def setup(project: Path) -> None:
    """Break the project this way."""
    path = project / "inputs/stories/gaaturen.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("\nexample: true", "\nexample: true\nexample: false", 1),
        encoding="utf-8",
    )
