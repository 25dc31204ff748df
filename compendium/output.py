"""Stage 7, write: stage outputs in a temporary folder, then switch them in as one set.

Nothing under the output folder changes until every output has been made.
Then each changed file is replaced with one atomic rename, after a hard link
(or copy) of the file it replaces is kept in the staging folder. If any file
cannot be replaced (a PDF open in a viewer on Windows, an immutable file, a
full disk) or the build is stopped by SIGTERM or SIGINT while switching, the
files already replaced are put back from those copies: the output folder
holds the whole previous set or the whole new one.

A build killed with SIGKILL cannot put anything back itself: every output
file is then either its complete previous version or its complete new one,
and the next build, finding the dead build's staging folder with its list of
what it was replacing, puts the previous versions back before it starts
(tests/test_nothing_lost.py). SIGTERM and SIGINT remove the staging folder
before the build exits. (Renames are not fsynced: a power cut is a different
promise, which the file system's journal has to keep.)
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

from compendium.errors import CompendiumError
from compendium.messages import N_, _

PREVIOUS = ".previous"  # in a staging folder: the files being replaced, to put back
JOURNAL = ".switching.json"  # in a staging folder: what is being replaced, for the next build to undo
HELD = N_("close any program that has it open (a PDF viewer, say), make sure it may be replaced, and build again")


class Staging:
    """A temporary folder beside the output folder, switched in at the end."""

    def __init__(self, output: Path) -> None:
        self.output = output
        self.dir = Path()
        self.files: list[str] = []
        self._signals = _StopSignals()

    def __enter__(self) -> Staging:
        self._signals.__enter__()  # SIGTERM, like Ctrl-C, unwinds the build and so removes the staging folder
        try:
            # Beside the output folder, so the final renames stay on one file system
            # and a failed build does not even create the output folder.
            self.output.parent.mkdir(parents=True, exist_ok=True)
            _remove_abandoned(self.output)
            prefix = f".{self.output.name}-staging-{os.getpid()}-"
            self.dir = Path(tempfile.mkdtemp(prefix=prefix, dir=self.output.parent))
        except OSError as exc:
            self._signals.__exit__(None, None, None)
            raise CompendiumError(
                _("cannot write to {output}: {strerror}").format(output=self.output, strerror=exc.strerror)
            ) from None
        except BaseException:
            self._signals.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        try:
            with signals_held():
                shutil.rmtree(self.dir, ignore_errors=True)
        finally:
            self._signals.__exit__(kind, exc, tb)

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
                _("cannot write {name}: {reason}; the previous outputs are unchanged").format(
                    name=self.output / name, reason=reason
                )
            ) from None

    def write_text(self, name: str, text: str) -> None:
        """Stage a text output."""
        with self.writing(name) as path:
            path.write_text(text, encoding="utf-8", newline="\n")

    def changed(self) -> list[str]:
        """List the staged files whose bytes differ from the file in the output folder."""
        return [n for n in self.files if not ((self.output / n).is_file() and _same(self.dir / n, self.output / n))]

    def commit(self) -> list[str]:
        """Switch every changed file in as one set; return the names replaced."""
        return commit_together([self])[0]


@dataclass
class _Switch:
    """One staging folder's files being switched in, and what it takes to put the previous ones back."""

    staging: Staging
    names: list[str]
    replaced: list[str] = field(default_factory=list)
    current: str = ""  # the file being replaced
    made_folders: list[Path] = field(default_factory=list)

    def run(self) -> None:
        """Replace each file, keeping the one it replaces; on OSError, `current` is the file that could not be."""
        staging, previous = self.staging, self.staging.dir / PREVIOUS
        _write_journal(staging, self.names)
        for name in self.names:
            self.current = name
            staged, final = staging.dir / name, staging.output / name
            self._make_folder(final.parent)
            if final.is_file():
                _keep(final, previous / name)
            # Listed before the rename, so a signal between the two cannot leave a replaced file off the list:
            # undoing a file not yet replaced puts back the same bytes.
            self.replaced.append(name)
            try:
                os.replace(staged, final)
            except OSError:
                self.replaced.pop()
                raise

    def _make_folder(self, folder: Path) -> None:
        """Create an output folder, remembering it when new, so that undoing removes it again."""
        missing = [f for f in (folder, *folder.parents) if not f.exists()]
        folder.mkdir(parents=True, exist_ok=True)
        self.made_folders += missing

    def undo(self) -> list[str]:
        """Put every replaced file back as it was; return the names that could not be."""
        failed = []
        for name in reversed(self.replaced):
            kept, final = self.staging.dir / PREVIOUS / name, self.staging.output / name
            try:
                os.replace(kept, final) if kept.is_file() else final.unlink(missing_ok=True)
            except OSError:
                failed.append(name)
        for folder in self.made_folders:
            with contextlib.suppress(OSError):
                folder.rmdir()  # only when empty again
        return failed


def commit_together(stagings: list[Staging]) -> list[list[str]]:
    """Switch several staging folders' files in as one set: all, or on any failure none.

    Returns, for each staging folder, the names replaced (unchanged files are left alone).
    """
    if _stop_requested.is_set():  # a stop signal came, though its KeyboardInterrupt was lost on the way
        raise KeyboardInterrupt
    switches = [_Switch(s, s.changed()) for s in stagings]
    current: _Switch | None = None
    try:
        for current in switches:
            current.run()
    except BaseException as exc:  # an OSError, or SIGTERM / Ctrl-C in the middle
        with signals_held():
            failed = [f"{s.staging.output / n}" for s in switches for n in s.undo()]
        if not isinstance(exc, OSError) or current is None:
            raise
        raise CompendiumError(_not_replaced(current, exc, failed)) from None
    for switch in switches:
        (switch.staging.dir / JOURNAL).unlink(missing_ok=True)
    return [s.replaced for s in switches]


def _not_replaced(switch: _Switch, exc: OSError, failed: list[str]) -> str:
    """Say which file could not be replaced, why, and what to do; and whether the previous set is back."""
    target = switch.staging.output / switch.current
    reason = exc.strerror or str(exc)
    if failed:
        return _(
            "cannot replace {target}: {reason}; could not put back {failed} either, so the output folder mixes old and new files: build again"
        ).format(target=target, reason=reason, failed=", ".join(failed))
    return _("cannot replace {target}: {reason}; {held}; the previous outputs are unchanged").format(
        target=target, reason=reason, held=_(HELD)
    )


def _keep(final: Path, kept: Path) -> None:
    """Keep the file about to be replaced: a hard link where the file system has them, else a copy."""
    kept.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(final, kept)
    except OSError:
        partial = kept.with_name(kept.name + ".partial")  # so an interrupted copy is never put back
        shutil.copy2(final, partial)
        os.replace(partial, kept)


def _write_journal(staging: Staging, names: list[str]) -> None:
    """Record what is about to be replaced, and which files existed, for the next build to undo after a kill."""
    existed = {name: (staging.output / name).is_file() for name in names}
    (staging.dir / JOURNAL).write_text(json.dumps({"output": str(staging.output), "existed": existed}), "utf-8")


def _undo_abandoned(folder: Path, output: Path) -> None:
    """Put back the previous outputs a killed build was replacing when it died."""
    try:
        journal = json.loads((folder / JOURNAL).read_text("utf-8"))
        existed: dict[str, bool] = journal["existed"]
    except (OSError, ValueError, KeyError, TypeError):
        return  # no switch was under way
    for name, was in existed.items():
        kept, final = folder / PREVIOUS / name, output / name
        with contextlib.suppress(OSError):
            if kept.is_file():
                os.replace(kept, final)
            elif not was and not (folder / name).exists():
                final.unlink(missing_ok=True)  # made by the killed build: moved out of staging, so it is in place


def _remove_abandoned(output: Path) -> None:
    """Undo and remove staging folders that builds killed earlier left behind; a running build's stays."""
    for folder in output.parent.glob(f".{output.name}-staging-*"):
        pid = folder.name.removeprefix(f".{output.name}-staging-").split("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            _undo_abandoned(folder, output)
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


STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class _StopSignals:
    """While a build stages its outputs, SIGTERM (CI cancelling, `timeout`) stops it like Ctrl-C.

    Python's default for SIGTERM ends the process at once, leaving the staging folder;
    raising KeyboardInterrupt instead unwinds the build, which removes it. SIGINT is set
    too, as a shell starts background jobs with it ignored. Only the main thread can
    set handlers; a build in another thread (serve) keeps its process's.
    """

    def __init__(self) -> None:
        self.old: dict[int, Any] = {}
        self.hook: Callable[[Any], object] = sys.unraisablehook

    def __enter__(self) -> None:
        if threading.current_thread() is threading.main_thread():
            _stop_requested.clear()
            self.old = {sig: signal.signal(sig, _interrupt) for sig in STOP_SIGNALS}
            self.hook, sys.unraisablehook = sys.unraisablehook, _quiet_interrupt(sys.unraisablehook)

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        for sig, handler in self.old.items():
            signal.signal(sig, handler)
        if self.old:
            sys.unraisablehook = self.hook
        self.old = {}


# Set by a stop signal while staging: a KeyboardInterrupt raised inside a finaliser or a library that
# swallows it is lost, and the build must still not switch its outputs in.
_stop_requested = threading.Event()


def _quiet_interrupt(hook: Callable[[Any], object]) -> Callable[[Any], object]:
    """Keep Python from printing a stop signal's KeyboardInterrupt that a finaliser swallowed: it is noted."""

    def unraisable(info: Any) -> object:
        return None if isinstance(info.exc_value, KeyboardInterrupt) else hook(info)

    return unraisable


def _interrupt(signum: int, frame: FrameType | None) -> None:
    """Stop the build as Ctrl-C would."""
    _stop_requested.set()
    raise KeyboardInterrupt


@contextmanager
def signals_held() -> Iterator[None]:
    """Ignore SIGTERM and SIGINT while putting files back or cleaning up, so a second one cannot cut it short."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = {sig: signal.signal(sig, signal.SIG_IGN) for sig in STOP_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)


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
