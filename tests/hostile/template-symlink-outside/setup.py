"""A stylesheet in templates/ that links to a file outside the project is refused, not inlined into the HTML."""

from __future__ import annotations

from pathlib import Path


def setup(project: Path) -> None:
    """Break the project this way."""
    secret = project.parent / "secret.txt"  # beside the project, so outside it
    secret.write_text("SECRET-OUTSIDE-PROJECT\n", encoding="utf-8")
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates/style.css").symlink_to(secret)
