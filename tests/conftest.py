"""Shared fixtures: minimal inline projects, copies of the example project, one built example, the CLI runner."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from compendium import messages
from compendium.cli import app
from tests.base import write_project

# The tests assert English messages whatever the machine's locale: gettext reads these in this order,
# and the CLI chooses its language from them (tests/test_messages.py sets a Danish one where it means to).
for _variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_variable, None)
os.environ["LANG"] = "C.UTF-8"

# The harness asserts on behalf of the tests, so its failures should show the texts that differ.
pytest.register_assert_rewrite("tests.harness")

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_FILES = ("compendium.yaml", "inputs", "templates")


def copy_example(target: Path) -> Path:
    """Copy the example project (not its build/) into target."""
    target.mkdir(parents=True, exist_ok=True)
    for name in EXAMPLE_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        elif source.is_file():
            shutil.copy2(source, target / name)
    return target


def snapshot(folder: Path) -> dict[str, bytes]:
    """Read every file below a folder, to assert later that nothing changed."""
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run(*args: str | Path) -> Result:
    """Invoke the CLI in-process, as a user would from a shell."""
    return CliRunner().invoke(app, [str(a) for a in args], prog_name="compendium", catch_exceptions=False)


@pytest.fixture(scope="session", autouse=True)
def _cache_key(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Seal the cache with a key of the test run's own, so the suite never reads or makes ~/.cache's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COMPENDIUM_CACHE_KEY_FILE", str(tmp_path_factory.mktemp("key") / "cache-key"))
        yield


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Speak English in every test, and again after one that chose Danish (the language is the process's)."""
    messages.use_language("en")
    yield
    messages.use_language("en")


@pytest.fixture(autouse=True)
def _no_git_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pin the colophon's commit, so outputs do not depend on this repository's HEAD."""
    monkeypatch.setenv("COMPENDIUM_COMMIT", "")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the example project."""
    return copy_example(tmp_path / "project")


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Path]:
    """Write a minimal valid project with the given files laid over it (see tests/base.py)."""

    def make(files: Mapping[str, str | bytes | None] | None = None) -> Path:
        return write_project(tmp_path / "project", files)

    return make


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The example project, built once (HTML and PDF) for the read-only tests."""
    root = copy_example(tmp_path_factory.mktemp("built") / "project")
    old = os.environ.get("COMPENDIUM_COMMIT")
    os.environ["COMPENDIUM_COMMIT"] = ""
    try:
        result = run("build", "--quiet", "--project", root)
    finally:
        if old is None:
            del os.environ["COMPENDIUM_COMMIT"]
        else:
            os.environ["COMPENDIUM_COMMIT"] = old
    assert result.exit_code == 0, result.output
    yield root / "build"
