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
    """Rename a story after its role-only teller."""
    edit(
        project, "inputs/stories/borgerraadgiveren.yaml", "id: borgerraadgiveren", "id: mette-dahl-og-borgerraadgiveren"
    )
    stories = project / "inputs" / "stories"
    (stories / "borgerraadgiveren.yaml").rename(stories / "mette-dahl-og-borgerraadgiveren.yaml")
