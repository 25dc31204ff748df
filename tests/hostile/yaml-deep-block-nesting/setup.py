"""A hundred levels of indented lists are refused."""

from __future__ import annotations

from pathlib import Path


def setup(project: Path) -> None:
    """Break the project this way."""
    (project / "inputs/themes.yaml").write_text("themes:\n" + "".join(" " * i + "- \n" for i in range(1, 100)))
