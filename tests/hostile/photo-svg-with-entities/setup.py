"""An SVG photo (here with an entity and an external reference) is refused."""

from __future__ import annotations

import os  # noqa: F401
from pathlib import Path


def setup(project: Path) -> None:
    """Break the project this way."""
    (project / "inputs/photos/x.svg").write_text(
        "<?xml version='1.0'?><!DOCTYPE s [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><svg xmlns='http://www.w3.org/2000/svg'><image href='http://example.org/x.png'/>&e;</svg>"
    )
