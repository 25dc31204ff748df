"""Template code in a title and in Markdown is printed literally, never run."""

from __future__ import annotations

from pathlib import Path

TEXT = "ZZ{{ 7*7 }}ZZ {% for x in range(3) %}Zq7{% endfor %}"


def setup(project: Path) -> None:
    """Put the hostile text into a Markdown field and a title."""
    path = project / "inputs/themes.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("    introduction: |\n", "    introduction: |\n      " + TEXT + "\n\n", 1)
    text = text.replace("title: Tillid", "title: '" + TEXT + "'", 1)
    path.write_text(text, encoding="utf-8")
