"""The package's shape holds: its layers, the size of its functions, and a fingerprint that sees every module."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from radon.complexity import cc_visit

from tests.conftest import REPO, copy_example

PACKAGE = REPO / "compendium"
MAX_TOP_LEVEL_MODULES = 12
MAX_FUNCTION_LINES = 60
MAX_COMPLEXITY = 20


def _modules() -> list[Path]:
    """List every Python module of the package."""
    return sorted(PACKAGE.rglob("*.py"))


def _sub_packages() -> list[Path]:
    """List every sub-package (a folder with an __init__.py), nested ones included."""
    return sorted(p.parent for p in PACKAGE.rglob("__init__.py") if p.parent != PACKAGE)


def test_import_contracts_hold() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run(
        [str(lint_imports), "--config", str(REPO / "pyproject.toml")],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_few_modules_are_left_at_the_top() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_LEVEL_MODULES, top


def test_every_sub_package_is_a_package() -> None:
    folders = {p.parent for p in _modules() if p.parent != PACKAGE}
    assert folders <= set(_sub_packages()), sorted(str(f) for f in folders - set(_sub_packages()))


def test_no_function_is_too_long() -> None:
    long = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(REPO)}:{node.lineno} {node.name}: {lines} lines")
    assert long == []


def test_no_function_is_too_complex() -> None:
    complex_ = [
        f"{path.relative_to(REPO)}:{block.lineno} {block.fullname}: complexity {block.complexity}"
        for path in _modules()
        for block in cc_visit(path.read_text(encoding="utf-8"))
        if block.complexity > MAX_COMPLEXITY and not hasattr(block, "methods")  # classes sum their methods
    ]
    assert complex_ == []


def _copy_package(target: Path) -> Path:
    """Copy the package's source somewhere importable, and return the folder to put on PYTHONPATH."""
    shutil.copytree(PACKAGE, target / "compendium", ignore=shutil.ignore_patterns("__pycache__"))
    return target


def _fingerprint(path_entry: Path) -> str:
    """Return the tool fingerprint that the package copy at path_entry computes."""
    code = "from compendium.cache.fingerprint import tool_fingerprint; print(tool_fingerprint())"
    env = dict(os.environ, PYTHONPATH=str(path_entry), PYTHONDONTWRITEBYTECODE="1")
    # Run outside the repository: `python -c` puts the working folder ahead of PYTHONPATH.
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=path_entry, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_fingerprint_covers_a_module_in_every_sub_package(tmp_path: Path) -> None:
    entry = _copy_package(tmp_path / "src")
    copied = entry / "compendium"
    before = _fingerprint(entry)
    unchanged = []
    for folder in _sub_packages():
        module = sorted((copied / folder.relative_to(PACKAGE)).glob("*.py"))[-1]
        module.write_text(module.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
        after = _fingerprint(entry)
        if after == before:
            unchanged.append(module.relative_to(copied).as_posix())
        before = after
    assert unchanged == []


@pytest.mark.parametrize("module", ["render/pdf/merge.py", "consent/names.py"])
def test_editing_a_sub_package_module_rebuilds(tmp_path: Path, module: str) -> None:
    entry = _copy_package(tmp_path / "src")
    project = copy_example(tmp_path / "project")
    env = dict(os.environ, PYTHONPATH=str(entry), PYTHONDONTWRITEBYTECODE="1", COMPENDIUM_COMMIT="")
    command = [sys.executable, "-m", "compendium", "build", "--format", "html", "-p", str(project)]
    first = subprocess.run(command, cwd=entry, env=env, capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stderr
    again = subprocess.run(command, cwd=entry, env=env, capture_output=True, text=True, check=False)
    assert again.stdout.startswith("Up to date"), again.stdout
    path = entry / "compendium" / module
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    edited = subprocess.run(command, cwd=entry, env=env, capture_output=True, text=True, check=False)
    assert edited.returncode == 0, edited.stderr
    assert edited.stdout.startswith("Built "), edited.stdout
