"""Each input file and photo is read once per build, and an edited build's outputs are a fresh build's."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

import compendium
from compendium.pipeline import build
from compendium.project import find_project
from tests.conftest import copy_example, snapshot

# The files opened while counting is on; an audit hook stays for the whole process, so it counts only then.
_opened: list[Counter[str]] = []


def _count_opens(event: str, args: tuple[Any, ...]) -> None:
    """Count each file Python opens, while a test is counting."""
    if event == "open" and _opened and isinstance(args[0], (str, bytes, Path)):
        _opened[-1][Path(args[0] if not isinstance(args[0], bytes) else args[0].decode()).as_posix()] += 1


sys.addaudithook(_count_opens)


def test_each_input_file_and_photo_is_opened_once(project: Path) -> None:
    # The logo, and a brand font outside inputs/ and templates/, are inputs too.
    font = project / "fonts" / "Brand-Regular.ttf"
    font.parent.mkdir()
    font.write_bytes((Path(compendium.__file__).parent / "templates" / "fonts" / "NotoSans-Regular.ttf").read_bytes())
    _edit(
        project / "inputs" / "publication.yaml", "brand:\n", "brand:\n  fonts:\n    body: [fonts/Brand-Regular.ttf]\n"
    )
    inputs = sorted(p for p in [*(project / "inputs").rglob("*"), font] if p.is_file())
    assert {p.suffix for p in inputs} == {".yaml", ".jpg", ".png", ".ttf"}
    _opened.append(Counter())
    try:
        build(find_project(explicit=project), workers=1)
    finally:
        opened = _opened.pop()
    assert {p.relative_to(project).as_posix(): opened[p.as_posix()] for p in inputs} == {
        p.relative_to(project).as_posix(): 1 for p in inputs
    }


def _edit(path: Path, old: str, new: str) -> None:
    """Change one piece of text in a file, failing if it is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_build_after_editing_one_file_makes_what_a_build_without_cache_makes(project: Path, tmp_path: Path) -> None:
    build(find_project(explicit=project))
    fresh = copy_example(tmp_path / "fresh")
    for root in (project, fresh):
        _edit(root / "inputs/stories/gaaturen.yaml", "gik vi en tur", "gik vi en lang tur")
    edited = build(find_project(explicit=project))
    assert edited.laid_out == ["compendium"]  # the debate paper came from the cache
    build(find_project(explicit=fresh), use_cache=False)
    assert snapshot(project / "build") == snapshot(fresh / "build")
