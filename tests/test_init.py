"""`compendium init`, and the package data a wheel must carry for it to work."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from PIL import Image

from tests.conftest import REPO, run, snapshot

PACKAGE = REPO / "compendium"

SKELETON_FILES = {
    ".gitignore",
    ".github/workflows/publish.yml",
    ".vscode/extensions.json",
    ".vscode/settings.json",
    "compendium.yaml",
    "inputs/events/2025-eksempelby.yaml",
    "inputs/key-figures.yaml",
    "inputs/participants.yaml",
    "inputs/photos/2025-eksempelby.jpg",
    "inputs/publication.yaml",
    "inputs/stories/eksempel-historien.yaml",
    "inputs/themes.yaml",
    "schemas/event.schema.json",
    "schemas/key-figures.schema.json",
    "schemas/participants.schema.json",
    "schemas/project.schema.json",
    "schemas/publication.schema.json",
    "schemas/statements.schema.json",
    "schemas/story.schema.json",
    "schemas/themes.schema.json",
    "templates/README.md",
}


def test_init_creates_a_project_that_checks_and_builds(tmp_path: Path) -> None:
    target = tmp_path / "new"

    result = run("init", target)
    assert result.exit_code == 0, result.output
    assert "Created a project in" in result.output
    assert set(snapshot(target)) == SKELETON_FILES
    ignored(target)

    result = run("check", "--strict", "--project", target)
    assert result.exit_code == 0, result.output
    # One summary line and nothing else: no warnings.
    assert len(result.output.splitlines()) == 1, result.output
    assert result.output.startswith("OK: 6 files, 2 themes, 1 event"), result.output

    result = run("build", "--format", "html", "--quiet", "--project", target)
    assert result.exit_code == 0, result.output
    build = target / "build"
    for name in ("compendium.html", "debate-paper.html", "index.html"):
        assert (build / name).is_file(), name
    assert not (build / "compendium.pdf").exists()
    (photo,) = (build / "assets" / "photos").iterdir()
    # Published as its pixels, encoded afresh (tests/test_photo_metadata.py): the same picture, not the same file.
    with Image.open(photo) as printed, Image.open(target / "inputs" / "photos" / "2025-eksempelby.jpg") as source:
        assert (printed.format, printed.size) == (source.format, source.size)


def test_init_accepts_an_empty_folder(tmp_path: Path) -> None:
    result = run("init", tmp_path)
    assert result.exit_code == 0, result.output
    assert set(snapshot(tmp_path)) == SKELETON_FILES


def test_init_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me\n", encoding="utf-8")
    (tmp_path / "inputs").mkdir()
    (tmp_path / "inputs" / "themes.yaml").write_text("themes: []\n", encoding="utf-8")
    before = snapshot(tmp_path)

    result = run("init", tmp_path)

    assert result.exit_code == 1
    assert result.output == f"Error: {tmp_path} already exists and is not empty; choose a new folder\n"
    assert snapshot(tmp_path) == before
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "inputs",
        "inputs/themes.yaml",
        "notes.txt",
    ]


def test_init_help() -> None:
    result = run("init", "--help")
    assert result.exit_code == 0, result.output
    assert "Create a new project with a small working example." in result.output
    assert "must be empty or new" in result.output


def _package_data() -> list[str]:
    """List the non-Python files the package needs at run time, as wheel paths."""
    files = [p for folder in ("templates", "skeleton") for p in (PACKAGE / folder).rglob("*") if p.is_file()]
    return sorted(p.relative_to(REPO).as_posix() for p in files if "__pycache__" not in p.parts)


def test_wheel_contains_templates_fonts_labels_and_skeleton(tmp_path: Path) -> None:
    # Build from a copy: setuptools builds in place, and its build/ folder
    # would land in the example project's output folder.
    source = tmp_path / "source"
    source.mkdir()
    shutil.copy2(REPO / "pyproject.toml", source)
    shutil.copy2(REPO / "README.md", source)
    shutil.copytree(PACKAGE, source / "compendium", ignore=shutil.ignore_patterns("__pycache__"))
    dist = tmp_path / "dist"

    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    done = subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(dist), str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr

    (wheel,) = dist.glob("compendium-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    expected = _package_data()
    for required in (
        "compendium/templates/base.html",
        "compendium/templates/style.css",
        "compendium/templates/labels/da.yaml",
        "compendium/templates/fonts/NotoSerif-Regular.ttf",
        "compendium/templates/fonts/LICENSE.txt",
        "compendium/skeleton/gitignore",
        "compendium/skeleton/compendium.yaml",
        "compendium/skeleton/inputs/photos/2025-eksempelby.jpg",
    ):
        assert required in expected, required
    assert [name for name in expected if name not in names] == []


# What a build leaves beside the inputs: outputs, reports, cache, and the staging folders of a killed build.
BUILD_LEFTOVERS = (
    "build/compendium.pdf",
    "build/internal/compendium.pdf",
    "build-reports/redactions.txt",
    ".build-cache/public/memo.pickle",
    ".build-staging-4242-abcd1234/compendium.pdf",
    ".build-reports-staging-4242-abcd1234/redactions.txt",
    "build/.internal-staging-4242-abcd1234/compendium.pdf",
)


def ignored(project: Path, init: bool = True) -> None:
    """Assert git ignores everything a build writes in a project, and nothing of the inputs."""
    if init:
        subprocess.run(["git", "init", "-q", str(project)], check=True)
    for rel in BUILD_LEFTOVERS:
        done = subprocess.run(["git", "-C", str(project), "check-ignore", "-q", rel], check=False)
        assert done.returncode == 0, f"{rel} is not ignored"
    kept = subprocess.run(["git", "-C", str(project), "check-ignore", "-q", "inputs/themes.yaml"], check=False)
    assert kept.returncode == 1


def test_this_repository_ignores_what_a_build_writes() -> None:
    ignored(REPO, init=False)
