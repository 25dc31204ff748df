"""Hostile case setup."""

from __future__ import annotations

import shutil
from pathlib import Path


def edit(project: Path, rel: str, old: str, new: str) -> None:
    """Replace text in a project file; the case is broken if the text is gone."""
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def setup(project: Path) -> None:
    """The teller of the walk story withdraws; start from no outputs, so 'absent' sees only this build."""
    edit(project, "inputs/stories/gaaturen.yaml", "consent: named", "consent: withdrawn")
    shutil.rmtree(project / "build")
