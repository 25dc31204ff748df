"""The hostile corpus: each folder in tests/hostile/ is one attack or accident an input can carry.

A case folder holds:

- ``case.yaml``: ``description``; ``args`` (the CLI arguments after ``compendium``,
  default ``[build, --format, html]``; ``--project`` is added); ``exit`` (expected
  exit code); ``messages`` (texts that must each appear in the output, exactly);
  ``absent`` (texts that must appear in no file under build/ afterwards);
  ``remove`` (project-relative paths to delete before running);
  ``edits`` (a list of ``{file, old, new}``: replace text that must be in the file);
  ``untouched`` (default true when exit is not 0: build/ must be byte-identical).
- ``files/``: copied over a fresh copy of the example project (replacing files).
- ``setup.py`` (optional): ``setup(project: Path) -> None`` for inputs that can't
  live in git (huge, generated, symlinks, FIFOs, odd encodings); it runs after the edits.

Every case first makes a good HTML build, so "untouched" means the previous outputs survived.
No case may show a traceback, and none may run longer than TIME_LIMIT seconds.
"""

from __future__ import annotations

import importlib.util
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
import yaml

from tests.conftest import copy_example, run, snapshot

HOSTILE = Path(__file__).resolve().parent / "hostile"
CASES = sorted(p.name for p in HOSTILE.iterdir() if (p / "case.yaml").is_file()) if HOSTILE.is_dir() else []
TIME_LIMIT = 30  # seconds; a hostile input must fail fast, never hang


def load_case(name: str) -> dict[str, Any]:
    """Read one case's description."""
    with (HOSTILE / name / "case.yaml").open(encoding="utf-8") as handle:
        case = yaml.safe_load(handle)
    assert isinstance(case, dict) and "exit" in case, f"{name}/case.yaml needs at least 'exit'"
    return case


def apply_case(name: str, project: Path, case: dict[str, Any]) -> None:
    """Break the project the way the case says."""
    for rel in case.get("remove", []):
        target = project / rel
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    for change in case.get("edits", []):
        path = project / change["file"]
        text = path.read_text(encoding="utf-8")
        assert change["old"] in text, f"{name}: {change['old']!r} is not in {change['file']}"
        path.write_text(text.replace(change["old"], change["new"]), encoding="utf-8")
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
    """Run one hostile case: exact messages, exit code, no traceback, build/ untouched."""
    case = load_case(name)
    project = copy_example(tmp_path / "project")
    good = run("build", "--format", "html", "--quiet", "--project", project)
    assert good.exit_code == 0, good.output
    before = snapshot(project / "build")
    apply_case(name, project, case)

    args = [str(a) for a in case.get("args", ["build", "--format", "html"])]
    result = run(*args, "--project", project)
    output = result.output

    assert result.exit_code == case["exit"], output
    assert "Traceback" not in output
    assert "internal error" not in output
    for message in case.get("messages", []):
        assert message in output, f"missing {message!r} in:\n{output}"
    if case.get("untouched", case["exit"] != 0):
        assert snapshot(project / "build") == before
    texts = [p.read_bytes().decode("utf-8", "replace") for p in (project / "build").rglob("*") if p.is_file()]
    for forbidden in case.get("absent", []):
        assert not any(forbidden in text for text in texts), f"{forbidden!r} found in build/"
