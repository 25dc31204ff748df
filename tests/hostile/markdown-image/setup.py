"""A Markdown image would be dropped by the sanitiser; it is an error instead."""

from __future__ import annotations

import os  # noqa: F401
from pathlib import Path


def setup(project: Path) -> None:
    """Break the project this way."""
    path = project / "inputs/themes.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "    introduction: |\n", "    introduction: |\n      ![x](inputs/photos/forside.jpg)\n\n", 1
        ),
        encoding="utf-8",
    )
