"""One harness for broken and hostile inputs: a `Case` says how to break a project and what compendium must say.

The cases of tests/test_errors.py are written in Python; those of tests/hostile/
are folders with a case.yaml (see tests/test_hostile.py). Both become a `Case`
and are run by `run_case`:

1. write the project (the minimal one of tests/base.py, or a copy of the example)
   and build it (HTML only, for speed), so there are outputs to keep;
2. break it: remove paths, apply `edits`, lay `files` over it, run `setup`;
3. run the command: by default `check` and then `build --format html`, which must
   both fail with the same text (build prints its progress line first); with
   `args`, just that command;
4. assert the exit code, the exact `output` or each of `messages`, no traceback,
   build/ byte-identical to before (when the run failed), and no `absent` text in
   build/ or in what was printed.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from typer.testing import Result

from tests.base import CHECKING, write_files, write_project
from tests.conftest import copy_example, run, snapshot


@dataclass(frozen=True)
class Edit:
    """Replace a text that must occur in a file exactly once."""

    file: str
    old: str
    new: str


@dataclass(frozen=True)
class Case:
    """One broken input, and the exit code and text compendium must answer it with."""

    name: str
    exit: int = 1
    output: str | None = None
    messages: tuple[str, ...] = ()
    files: Mapping[str, str | bytes | None] = field(default_factory=dict)
    edits: tuple[Edit, ...] = ()
    remove: tuple[str, ...] = ()
    setup: Callable[[Path], None] | None = None
    args: tuple[str, ...] | None = None
    absent: tuple[str, ...] = ()
    untouched: bool | None = None
    example: bool = False
    description: str = ""

    def __str__(self) -> str:
        return self.name


def break_project(case: Case, project: Path) -> None:
    """Break the project the way the case says."""
    for rel in case.remove:
        target = project / rel
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    for change in case.edits:
        path = project / change.file
        text = path.read_text(encoding="utf-8")
        assert text.count(change.old) == 1, f"{case}: {change.old!r} must occur exactly once in {change.file}"
        path.write_text(text.replace(change.old, change.new), encoding="utf-8")
    write_files(project, case.files)
    if case.setup:
        case.setup(project)


def expect(case: Case, result: Result, prefix: str = "") -> None:
    """Assert one run's exit code and text."""
    output = result.output
    assert result.exit_code == case.exit, output
    assert "Traceback" not in output and "internal error" not in output, output
    if case.output is not None:
        assert output == prefix + case.output
    for message in case.messages:
        assert message in output, f"missing {message!r} in:\n{output}"
    for forbidden in case.absent:
        assert forbidden not in output, f"{forbidden!r} printed in:\n{output}"


def run_case(case: Case, root: Path) -> None:
    """Build a good project, break it, run the command, and check the answer."""
    project = copy_example(root) if case.example else write_project(root)
    good = run("build", "--format", "html", "--quiet", "--project", project)
    assert good.exit_code == 0, good.output
    before = snapshot(project / "build")
    break_project(case, project)

    if case.args is None:
        assert case.exit != 0, f"{case}: a case that passes names its command in args"
        expect(case, run("check", "--project", project))
        expect(case, run("build", "--format", "html", "--project", project), prefix=CHECKING)
    else:
        # "{project}" in an argument is the project's folder, for a command that reads a file beside the inputs.
        expect(case, run(*(a.replace("{project}", str(project)) for a in case.args), "--project", project))

    if case.exit != 0 if case.untouched is None else case.untouched:
        assert snapshot(project / "build") == before
    texts = [p.read_bytes().decode("utf-8", "replace") for p in (project / "build").rglob("*") if p.is_file()]
    for forbidden in case.absent:
        assert not any(forbidden in text for text in texts), f"{forbidden!r} found in build/"
