"""Hostile case setup: after the case's edits, give the story file its new id's name."""

from __future__ import annotations

from pathlib import Path


def setup(project: Path) -> None:
    """Rename the story file to match the id with a name in it."""
    stories = project / "inputs" / "stories"
    (stories / "borgerraadgiveren.yaml").rename(stories / "mette-dahl-og-borgerraadgiveren.yaml")
