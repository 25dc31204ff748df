"""A 1.2 GB photo file is refused by its size, without a byte of it being read or published."""

from __future__ import annotations

from pathlib import Path


def setup(project: Path) -> None:
    """Make a sparse 1.2 GB photo file: no bytes are written, and none may be read."""
    (project / "inputs/photos").mkdir(parents=True, exist_ok=True)
    with (project / "inputs/photos/stor.jpg").open("wb") as handle:
        handle.truncate(1_200_000_000)
