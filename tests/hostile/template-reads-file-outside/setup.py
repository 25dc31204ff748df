"""A templates/ override that opens a file outside the project through Python's builtins is stopped by the sandbox."""

from __future__ import annotations

from pathlib import Path


def setup(project: Path) -> None:
    """Break the project this way."""
    secret = project.parent / "secret.txt"  # beside the project, so outside it
    secret.write_text("SECRET-OUTSIDE-PROJECT\n", encoding="utf-8")
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates/debate-paper.html").write_text(
        f"{{{{ lipsum.__globals__.__builtins__.open('{secret}').read() }}}}\n", encoding="utf-8"
    )
