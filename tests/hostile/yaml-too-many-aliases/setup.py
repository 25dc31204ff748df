"""More than 1,000 aliases in one file are refused."""

from __future__ import annotations

from pathlib import Path


def setup(project: Path) -> None:
    """Break the project this way."""
    (project / "inputs/key-figures.yaml").write_text("a: &a x\nkey_figures: [" + ", ".join(["*a"] * 1001) + "]\n")
