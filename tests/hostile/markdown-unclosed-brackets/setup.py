"""18 KB of unclosed '[' (38 s in Python-Markdown) is refused at once, naming the field."""

from __future__ import annotations

from pathlib import Path


def setup(project: Path) -> None:
    """Break the project this way."""
    (project / "inputs/themes.yaml").write_text(
        "themes:\n  - id: tillid\n    title: Tillid\n" + '    introduction: "' + "[a " * 6000 + '"\n', encoding="utf-8"
    )
