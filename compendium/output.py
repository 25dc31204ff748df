"""Stage 6, write: stage outputs in a temporary folder, then swap them in.

Nothing under the output folder changes until every output has been made,
and each file is replaced with one atomic rename, so a failed or
interrupted build leaves the previous outputs as they were.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from types import TracebackType

from .errors import CompendiumError


class Staging:
    """A temporary folder beside the output folder, committed at the end."""

    def __init__(self, output: Path) -> None:
        self.output = output
        self.dir = Path()
        self.files: list[str] = []

    def __enter__(self) -> Staging:
        try:
            # Beside the output folder, so the final renames stay on one file system
            # and a failed build does not even create the output folder.
            self.output.parent.mkdir(parents=True, exist_ok=True)
            self.dir = Path(tempfile.mkdtemp(prefix=f".{self.output.name}-staging-", dir=self.output.parent))
        except OSError as exc:
            raise CompendiumError(f"cannot write to {self.output}: {exc.strerror}") from None
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, name: str) -> Path:
        """Return where a staged output goes, creating its folder."""
        path = self.dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        self.files.append(name)
        return path

    def write_text(self, name: str, text: str) -> None:
        """Stage a text output."""
        self.path(name).write_text(text, encoding="utf-8", newline="\n")

    def copy(self, source: Path, name: str) -> None:
        """Stage a copy of an asset."""
        shutil.copyfile(source, self.path(name))

    def commit(self) -> list[str]:
        """Move every staged file into place; unchanged files are left alone. Return the names replaced."""
        replaced = []
        try:
            self.output.mkdir(exist_ok=True)
            for name in self.files:
                staged, final = self.dir / name, self.output / name
                if final.is_file() and _same(staged, final):
                    continue
                final.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staged, final)
                replaced.append(name)
        except OSError as exc:
            raise CompendiumError(f"cannot write to {self.output}: {exc.strerror}") from None
        return replaced


def _same(a: Path, b: Path) -> bool:
    """Tell whether two files hold the same bytes."""
    if a.stat().st_size != b.stat().st_size:
        return False
    return a.read_bytes() == b.read_bytes()
