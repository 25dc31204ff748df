"""18 KB of unclosed '[' (38 s in Python-Markdown) is refused at once, naming the field."""

from __future__ import annotations

import os  # noqa: F401
from pathlib import Path


def setup(project: Path) -> None:
    """Break the project this way."""
    path = project / "inputs/themes.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("    introduction: |\n")
    end = text.index("    questions:", start)
    path.write_text(text[:start] + '    introduction: "' + "[a " * 6000 + '"\n' + text[end:], encoding="utf-8")
