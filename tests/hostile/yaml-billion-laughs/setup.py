"""Nine levels of nine aliases (a billion values) fail fast with a located error."""

from __future__ import annotations

import os  # noqa: F401
from pathlib import Path


def setup(project: Path) -> None:
    """Break the project this way."""
    (project / "inputs/themes.yaml").write_text(
        "themes: &a0 [x, x, x, x, x, x, x, x, x]\nl1: &a1 [*a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0]\nl2: &a2 [*a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1]\nl3: &a3 [*a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2]\nl4: &a4 [*a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3]\nl5: &a5 [*a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4]\nl6: &a6 [*a5, *a5, *a5, *a5, *a5, *a5, *a5, *a5, *a5]\nl7: &a7 [*a6, *a6, *a6, *a6, *a6, *a6, *a6, *a6, *a6]\nl8: &a8 [*a7, *a7, *a7, *a7, *a7, *a7, *a7, *a7, *a7]\nl9: &a9 [*a8, *a8, *a8, *a8, *a8, *a8, *a8, *a8, *a8]\n"
    )
