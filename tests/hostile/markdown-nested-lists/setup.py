"""A list nested 2,000 deep (a recursion crash) is refused, naming the field."""

from __future__ import annotations

from pathlib import Path


def setup(project: Path) -> None:
    """Break the project this way."""
    (project / "inputs/themes.yaml").write_text(
        "themes:\n  - id: tillid\n    title: Tillid\n" + '    introduction: "' + "- " * 2000 + 'a"\n', encoding="utf-8"
    )
