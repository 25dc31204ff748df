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
    """Mention the anonymous mentor by surname in a story."""
    edit(
        project,
        "inputs/stories/gaaturen.yaml",
        "Da jeg mødte Louise første gang,",
        "Da jeg og kollegaen Johannesen mødte Louise første gang,",
    )
