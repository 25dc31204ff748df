"""Read a project's inputs as they were at a git revision, without touching the working tree.

Files are listed with `git ls-tree` and read with `git cat-file --batch` into a
temporary folder, which is then loaded and validated like any project, so the
same loader, limits and checks apply to old revisions as to the working tree.
Nothing is checked out and the index is never written.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from compendium.content.validate import Content, FileCheck, load_content
from compendium.errors import CompendiumError, InputError, Problem, plural
from compendium.messages import N_, _
from compendium.project import find_project

GIT_TIMEOUT = 60
# Regular files only: symlinks (120000) could point outside the project, and
# submodules (160000) hold no inputs.
REGULAR_MODES = {"100644", "100755"}


@dataclass(frozen=True)
class Revision:
    """A commit as the user named it, with what git says about it."""

    name: str
    commit: str
    date: dt.date

    @property
    def short(self) -> str:
        """Return the abbreviated hash people quote, e.g. '3f2a1b9'."""
        return self.commit[:7]


class RevisionInputError(InputError):
    """The inputs at a revision (None: the working tree) do not validate, so they cannot be compared."""

    def __init__(self, revision: Revision | None, problems: list[Problem]) -> None:
        self.revision = revision
        super().__init__(problems)

    def summary(self) -> str:
        """Say which version is invalid and why nothing was compared."""
        where = (
            _("at revision '{name}' ({short})").format(name=self.revision.name, short=self.revision.short)
            if self.revision
            else _("in the working tree")
        )
        return _("the inputs {where} are not valid ({problems}), so they cannot be compared").format(
            where=where, problems=plural(len(self.problems), "{n} problem", "{n} problems")
        )


def _git(root: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run a read-only git command in a folder."""
    try:
        return subprocess.run(
            ["git", "-C", str(root), *args],
            input=stdin,
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except FileNotFoundError:
        raise CompendiumError(_("git is not installed; install git to compare revisions")) from None
    except subprocess.TimeoutExpired:
        raise CompendiumError(
            _("git {command} took longer than {git_timeout} s; is the repository very large?").format(
                command=args[0], git_timeout=GIT_TIMEOUT
            )
        ) from None


def repository_root(folder: Path) -> Path:
    """Return the top folder of the git repository a folder is in."""
    done = _git(folder, "rev-parse", "--show-toplevel")
    if done.returncode != 0:
        raise CompendiumError(
            _("{folder} is not in a git repository; comparing revisions needs the project's git history").format(
                folder=folder
            )
        )
    return Path(done.stdout.decode().strip()).resolve()


UNKNOWN_HINT = N_("give a commit hash, branch or tag, e.g. HEAD~1 (see 'git log --oneline')")
# git's notations for sets of commits rather than one: ^A (all but A's history), A^! (A alone), A^@ (its parents).
_SET_NOTATIONS = ("^!", "^@")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _shown(name: str) -> str:
    """Show a revision name as typed, with control characters written as escapes so none reaches the terminal."""
    return _CONTROL.sub(lambda hit: f"\\x{ord(hit.group()):02x}", name)


def resolve(root: Path, name: str) -> Revision:
    """Look up one revision (hash, branch, tag, HEAD~2 …) and its commit date; a range or set of commits is refused."""
    if not name or name.startswith("-") or _CONTROL.search(name):
        # git takes neither an option nor a control character (a NUL ends an argument) as a revision.
        raise CompendiumError(
            _("unknown revision '{name}'; {unknown_hint}").format(name=_shown(name), unknown_hint=_(UNKNOWN_HINT))
        )
    _refuse_sets(name)
    # "--end-of-options" keeps a name like "--all" from being read as an option.
    done = _git(root, "log", "-1", "--no-walk", "--format=%H %cI", "--end-of-options", f"{name}^{{commit}}", "--")
    found = done.stdout.decode().split() if done.returncode == 0 else []
    if len(found) != 2:
        raise CompendiumError(
            _("unknown revision '{name}'; {unknown_hint}").format(name=name, unknown_hint=_(UNKNOWN_HINT))
        )
    commit, date = found
    # The commit's own date in its own time zone: what the committer's calendar said.
    return Revision(name, commit, dt.datetime.fromisoformat(date).date())


def _refuse_sets(name: str) -> None:
    """Refuse git's notations for ranges and sets of commits where one version is meant."""
    if ".." in name:
        raise CompendiumError(
            _("'{name}' is a range of commits, but one version is needed here; give one revision, e.g. HEAD~1").format(
                name=name
            )
        )
    if name.startswith("^") or name.endswith(_SET_NOTATIONS) or re.search(r"\^-\d*$", name):
        raise CompendiumError(
            _("'{name}' names a set of commits (git's ^ notation), not one version; {unknown_hint}").format(
                name=name, unknown_hint=_(UNKNOWN_HINT)
            )
        )


def resolve_range(root: Path, old: str, new: str | None) -> tuple[Revision, Revision | None]:
    """Read diff's revisions: one (to the working tree), two, or a range A..B (A to B) or A...B (their fork point to B).

    As in `git diff`, a side left out of a range is HEAD.
    """
    if ".." not in old:
        return resolve(root, old), (resolve(root, new) if new is not None else None)
    if new is not None:
        raise CompendiumError(
            _("give either a range ('{old}') or two revisions, not both; e.g. 'compendium diff HEAD~2..HEAD'").format(
                old=old
            )
        )
    three = "..." in old
    first, _dots, second = old.partition("..." if three else "..")
    if ".." in second or (not first and not second):
        raise CompendiumError(
            _("'{old}' is not a range of two revisions; write it as A..B, e.g. HEAD~2..HEAD").format(old=old)
        )
    start, end = resolve(root, first or "HEAD"), resolve(root, second or "HEAD")
    return (_fork_point(root, start, end) if three else start), end


def _fork_point(root: Path, a: Revision, b: Revision) -> Revision:
    """Return the commit where two revisions' histories met (git merge-base), as A...B compares from it."""
    done = _git(root, "merge-base", a.commit, b.commit)
    if done.returncode != 0:
        raise CompendiumError(
            _("'{a}' and '{b}' have no commit in common, so '{a}...{b}' is empty").format(a=a.name, b=b.name)
        )
    fork = resolve(root, done.stdout.decode().strip())
    return replace(fork, name=_("the fork point of {a} and {b}").format(a=a.name, b=b.name))


def _list_files(root: Path, revision: Revision, prefix: str) -> list[tuple[str, str]]:
    """List (blob hash, path below the project) for every regular file of the project at a revision."""
    spec = [prefix] if prefix else []
    done = _git(root, "ls-tree", "-r", "-z", "--full-tree", revision.commit, "--", *spec)
    if done.returncode != 0:
        raise CompendiumError(
            _("git ls-tree failed for '{name}': {error}").format(name=revision.name, error=done.stderr.decode().strip())
        )
    files = []
    for entry in done.stdout.decode().split("\0"):
        if not entry:
            continue
        meta, path = entry.split("\t", 1)
        mode, kind, blob = meta.split()
        if kind == "blob" and mode in REGULAR_MODES:
            files.append((blob, path[len(prefix) :].lstrip("/") if prefix else path))
    return files


def _read_blobs(root: Path, blobs: list[str]) -> list[bytes]:
    """Read many blobs with one git process."""
    done = _git(root, "cat-file", "--batch", stdin="".join(f"{b}\n" for b in blobs).encode())
    if done.returncode != 0:
        raise CompendiumError(_("git cat-file failed: {error}").format(error=done.stderr.decode().strip()))
    out, pos, contents = done.stdout, 0, []
    for _blob in blobs:
        header_end = out.index(b"\n", pos)
        size = int(out[pos:header_end].split()[2])
        contents.append(out[header_end + 1 : header_end + 1 + size])
        pos = header_end + 1 + size + 1  # the content is followed by a newline
    return contents


@contextmanager
def exported(project_root: Path, revision: Revision) -> Iterator[Path]:
    """Write the project's files at a revision into a temporary folder, removed afterwards."""
    root = repository_root(project_root)
    prefix = project_root.resolve().relative_to(root).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    files = _list_files(root, revision, prefix)
    with tempfile.TemporaryDirectory(prefix="compendium-rev-") as tmp:
        target = Path(tmp)
        for (_kind, rel), data in zip(files, _read_blobs(root, [blob for blob, _ in files]), strict=True):
            parts = PurePosixPath(rel).parts
            if not parts or any(p in ("", ".", "..") for p in parts):
                continue  # git never stores such paths; refuse them anyway
            path = target.joinpath(*parts)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        yield target


def content_at(project_root: Path, revision: Revision, *, checks: Sequence[FileCheck]) -> Content:
    """Load and validate the project's inputs as they were at a revision, running the checks too."""
    with exported(project_root, revision) as folder:
        if not (folder / "compendium.yaml").is_file():
            raise CompendiumError(
                _(
                    "the project has no compendium.yaml at revision '{name}' ({short}); it did not exist yet there"
                ).format(name=revision.name, short=revision.short)
            )
        try:
            return load_content(find_project(explicit=folder), checks=checks)
        except InputError as exc:
            # Name files the way git does, "<hash>:<path from the repository's top>", so `git show` opens them.
            top = repository_root(project_root)
            prefix = project_root.resolve().relative_to(top).as_posix()
            prefix = "" if prefix == "." else prefix + "/"
            problems = [replace(p, file=f"{revision.short}:{prefix}{p.file}") for p in exc.problems]
            raise RevisionInputError(revision, problems) from None
