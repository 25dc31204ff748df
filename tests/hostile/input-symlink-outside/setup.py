"""An input that links to a file outside the project is not read."""

from __future__ import annotations

from pathlib import Path


def setup(project: Path) -> None:
    """Break the project this way."""
    (project / "inputs/stories/passwd.yaml").symlink_to("/etc/passwd")
