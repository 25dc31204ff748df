"""Hostile case setup."""

from __future__ import annotations

from pathlib import Path


def edit(project: Path, rel: str, old: str, new: str) -> None:
    """Replace text in a project file; the case is broken if the text is gone."""
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def setup(project: Path) -> None:
    """Point the output at the inputs folder."""
    edit(project, "compendium.yaml", "output: build", "output: inputs")
