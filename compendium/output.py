"""Stage 7, write: stage outputs in a temporary folder, then swap them in.

Nothing under the output folder changes until every output has been made,
and each file is replaced with one atomic rename, so a failed or
interrupted build leaves the previous outputs as they were.

What a build killed at any moment (even SIGKILL) leaves: every output file
is either its complete previous version or its complete new one, never a
mix or a fragment. Files are swapped one by one, so a kill during the swap
itself can leave some files old and some new; the kill test in
tests/test_nothing_lost.py checks this. A staging folder left behind by a
killed build is removed by the next build. (Renames are not fsynced: a power
cut is a different promise, which the file system's journal has to keep.)
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from compendium.errors import CompendiumError


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
            _remove_abandoned(self.output)
            prefix = f".{self.output.name}-staging-{os.getpid()}-"
            self.dir = Path(tempfile.mkdtemp(prefix=prefix, dir=self.output.parent))
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

    @contextmanager
    def writing(self, name: str) -> Iterator[Path]:
        """Give the staged path for an output; a failed write names the output and its reason."""
        try:
            yield self.path(name)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise CompendiumError(
                f"cannot write {self.output / name}: {reason}; the previous outputs are unchanged"
            ) from None

    def write_text(self, name: str, text: str) -> None:
        """Stage a text output."""
        with self.writing(name) as path:
            path.write_text(text, encoding="utf-8", newline="\n")

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


def _remove_abandoned(output: Path) -> None:
    """Remove staging folders that builds killed earlier left behind; a running build's stays."""
    for folder in output.parent.glob(f".{output.name}-staging-*"):
        pid = folder.name.removeprefix(f".{output.name}-staging-").split("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    """Tell whether a process exists (one we may not signal exists too)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _same(a: Path, b: Path) -> bool:
    """Tell whether two files hold the same bytes."""
    if a.stat().st_size != b.stat().st_size:
        return False
    return a.read_bytes() == b.read_bytes()


def create_file(path: Path, text: str) -> None:
    """Create a file whole or not at all, never replacing one: FileExistsError if anything is there.

    The text goes to a hidden temporary file first, which is then linked in under
    its name (a link never replaces), so a crash never leaves half an input file
    for the next build or a running `serve` to read.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
    # Mode 0o666 less the umask, like any file an editor saves (mkstemp would make it 0o600).
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.link(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
