"""The hostile corpus: each folder in tests/hostile/ is one attack or accident an input can carry.

A case folder holds:

- ``case.yaml``: ``description``; ``project`` (``example``, the default: a copy of the
  example project; or ``minimal``: the small project of tests/base.py); ``args`` (the CLI
  arguments after ``compendium``, default ``[build, --format, html]``; ``--project`` is
  added, and ``{project}`` in an argument is the project's folder); ``exit`` (expected exit code); ``output`` (the exact output) or ``messages``
  (texts that must each appear in it); ``absent`` (texts that must appear neither in any
  file under build/ afterwards nor in the output); ``remove`` (project-relative paths to
  delete); ``edits`` (a list of ``{file, old, new}``: replace text that must occur in the
  file once); ``files`` (project-relative path: text, written over the project);
  ``untouched`` (default true when exit is not 0: build/ must be byte-identical).
- ``files/``: copied over the project (replacing files).
- ``setup.py`` (optional): ``setup(project: Path) -> None`` for inputs that can't be
  written as text (huge, generated, symlinks, FIFOs); it runs after the edits.

Every case runs through the harness of tests/harness.py, which first makes a good HTML
build, so "untouched" means the previous outputs survived. No case may show a traceback,
and none may run longer than TIME_LIMIT seconds.
"""

from __future__ import annotations

import importlib.util
import shutil
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType

import pytest
import yaml

from tests.harness import Case, Edit, run_case

HOSTILE = Path(__file__).resolve().parent / "hostile"
CASES = sorted(p.name for p in HOSTILE.iterdir() if (p / "case.yaml").is_file()) if HOSTILE.is_dir() else []
TIME_LIMIT = 30  # seconds; a hostile input must fail fast, never hang


def load_case(name: str) -> Case:
    """Read one case folder into a harness case."""
    with (HOSTILE / name / "case.yaml").open(encoding="utf-8") as handle:
        spec = yaml.safe_load(handle)
    assert isinstance(spec, dict) and "exit" in spec, f"{name}/case.yaml needs at least 'exit'"
    unknown = set(spec) - KEYS
    assert not unknown, f"{name}/case.yaml: unknown keys {sorted(unknown)}"
    assert spec.get("project", "example") in ("example", "minimal"), f"{name}/case.yaml: project is example or minimal"
    return Case(
        name=name,
        description=spec.get("description", ""),
        exit=spec["exit"],
        output=spec.get("output"),
        messages=tuple(spec.get("messages", ())),
        files=spec.get("files", {}),
        edits=tuple(Edit(**change) for change in spec.get("edits", ())),
        remove=tuple(spec.get("remove", ())),
        setup=_setup(name),
        args=tuple(str(a) for a in spec.get("args", ("build", "--format", "html"))),
        absent=tuple(spec.get("absent", ())),
        untouched=spec.get("untouched"),
        example=spec.get("project", "example") == "example",
    )


KEYS = {
    "description",
    "project",
    "args",
    "exit",
    "output",
    "messages",
    "absent",
    "remove",
    "edits",
    "files",
    "untouched",
}


def _setup(name: str) -> Callable[[Path], None]:
    """Return what lays the case's files/ folder over the project and runs its setup.py, if it has them."""

    def setup(project: Path) -> None:
        files = HOSTILE / name / "files"
        if files.is_dir():
            shutil.copytree(files, project, dirs_exist_ok=True)
        script = HOSTILE / name / "setup.py"
        if script.is_file():
            spec = importlib.util.spec_from_file_location(f"hostile_{name.replace('-', '_')}", script)
            assert spec and spec.loader
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            module.setup(project)

    return setup


class Timeout(Exception):
    """A case ran past its time limit."""


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise Timeout(f"hostile case ran longer than {TIME_LIMIT} s")


@pytest.fixture
def time_limit() -> Iterator[None]:
    """Fail a case that hangs instead of hanging the suite."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(TIME_LIMIT)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_corpus_is_large_enough() -> None:
    """The issue asks for at least 30 named hostile inputs."""
    assert len(CASES) >= 30, f"only {len(CASES)} hostile cases"


@pytest.mark.parametrize("name", CASES)
def test_hostile(name: str, tmp_path: Path, time_limit: None) -> None:
    """Run one hostile case: exit code, exact output or messages, no traceback, build/ untouched, absent texts."""
    run_case(load_case(name), tmp_path / "project")
