"""5,000 themes would crash a PDF worker; more than 100 are refused at the list."""

from __future__ import annotations

from pathlib import Path


def setup(project: Path) -> None:
    """Write 5,000 themes."""
    themes = "".join(f"  - id: tema-{i}\n    title: Tema {i}\n    introduction: Indledning.\n" for i in range(5_000))
    (project / "inputs/themes.yaml").write_text(
        "themes:\n  - id: tillid\n    title: Tillid\n    introduction: I.\n" + themes
    )
