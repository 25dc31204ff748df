"""A tiny PNG that unpacks to 121 megapixels is refused before it is decoded."""

from __future__ import annotations

from pathlib import Path


def setup(project: Path) -> None:
    """Break the project this way."""
    (project / "inputs/photos").mkdir(exist_ok=True)
    from PIL import Image

    Image.new("1", (11_000, 11_000)).save(project / "inputs/photos/bomb.png")
