"""40,000 nested brackets would crash libyaml's composer; the pre-scan refuses them first."""

from __future__ import annotations

from pathlib import Path


def setup(project: Path) -> None:
    """Break the project this way."""
    (project / "inputs/themes.yaml").write_text("themes: " + "[" * 40_000 + "]" * 40_000 + "\n")
