"""A font in templates/fonts/ that links to a file outside the project is refused, not copied into build/assets/."""

from __future__ import annotations

from pathlib import Path


def setup(project: Path) -> None:
    """Break the project this way."""
    secret = project.parent / "secret.txt"  # beside the project, so outside it
    secret.write_text("SECRET-OUTSIDE-PROJECT\n", encoding="utf-8")
    (project / "templates/fonts").mkdir(parents=True, exist_ok=True)
    (project / "templates/fonts/NotoSans-Regular.ttf").symlink_to(secret)
