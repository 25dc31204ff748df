"""A 3 MB input file is refused by size before it is parsed."""

from __future__ import annotations

from pathlib import Path


def setup(project: Path) -> None:
    """Break the project this way."""
    (project / "inputs/events/huge.yaml").write_text("id: huge\nnote: " + "x" * 3_000_000 + "\n")
