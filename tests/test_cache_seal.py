"""The cache seal: files in .build-cache/ that this machine's key did not seal are never used."""

from __future__ import annotations

import json
import pickle
import shutil
import stat
from pathlib import Path

import pytest

from compendium.cache import seal
from compendium.pipeline import FORMATS, BuildResult, build
from compendium.project import find_project
from tests.conftest import copy_example, run, snapshot

CACHE = Path(".build-cache/public")


def _build(root: Path, formats: tuple[str, ...] = ("html",), **options: object) -> BuildResult:
    """Build a project through the Python API, which reports what it redid."""
    return build(find_project(explicit=root), formats=formats, **options)  # type: ignore[arg-type]


def _edit(path: Path, old: str, new: str) -> None:
    """Change one piece of text in a file, failing if it is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _copy_built(built: Path, target: Path) -> Path:
    """Copy the built example, outputs and cache, into target."""
    project = copy_example(target)
    shutil.copytree(built, project / "build")
    shutil.copytree(built.parent / ".build-cache", project / ".build-cache")
    shutil.copytree(built.parent / "build-reports", project / "build-reports")  # part of the output set
    return project


def _reseal(path: Path, data: bytes) -> None:
    """Replace a cache file's bytes, keeping its old MAC, as an editor without the key could."""
    path.write_bytes(path.read_bytes()[: seal.MAC_BYTES] + data)


class _Payload:
    """A pickle that, once loaded, creates a file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (str(self.marker), "w"))


def test_planted_pickle_is_never_unpickled(project: Path, tmp_path: Path) -> None:
    _build(project)
    marker = tmp_path / "pwned"
    payload = pickle.dumps(_Payload(marker))
    (project / CACHE / "memo.pickle").write_bytes(payload)
    _edit(project / "inputs/stories/gaaturen.yaml", "gik vi en tur", "gik vi en lang tur")
    result = _build(project)
    assert not marker.exists()
    # The search index changes with the story too (tests/test_cache.py checks only the story's part of it).
    assert [name for name in result.written if not name.startswith("search/")] == ["compendium.html"]
    fresh = copy_example(tmp_path / "fresh")
    _edit(fresh / "inputs/stories/gaaturen.yaml", "gik vi en tur", "gik vi en lang tur")
    _build(fresh, use_cache=False)
    assert snapshot(project / "build") == snapshot(fresh / "build")


def test_planted_pdfs_are_not_published(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = _copy_built(built, tmp_path / "project")
    cache = project / CACHE
    names = sorted(p.relative_to(cache).as_posix() for p in cache.glob("*/*.pdf"))
    assert [n.split("-")[0] for n in names if n.startswith("pdf/")] == ["pdf/compendium", "pdf/debate"]
    assert any(n.startswith("pieces/") for n in names)
    # Planted under the right names, sealed with a key that is not this machine's.
    monkeypatch.setenv("COMPENDIUM_CACHE_KEY_FILE", str(tmp_path / "their-key"))
    foreign = (built / "debate-paper.pdf").read_bytes()[::-1]
    for name in names:
        (cache / name).write_bytes(seal.sealed(cache, name, foreign))
    monkeypatch.undo()
    for doc in ("compendium", "debate-paper"):
        (project / "build" / f"{doc}.pdf").unlink()
    result = _build(project, FORMATS)
    assert sorted(result.laid_out) == ["compendium", "debate-paper"]
    for doc in ("compendium", "debate-paper"):
        assert (project / "build" / f"{doc}.pdf").read_bytes() == (built / f"{doc}.pdf").read_bytes()


def test_cached_pdf_under_another_name_is_rejected(built: Path, tmp_path: Path) -> None:
    project = _copy_built(built, tmp_path / "project")
    folder = project / CACHE / "pdf"
    (theirs,) = folder.glob("compendium-*.pdf")
    (ours,) = folder.glob("debate-paper-*.pdf")
    shutil.copyfile(theirs, ours)  # validly sealed, but as another entry
    (project / "build/debate-paper.pdf").unlink()
    result = _build(project, FORMATS)
    assert result.laid_out == ["debate-paper"]
    assert (project / "build/debate-paper.pdf").read_bytes() == (built / "debate-paper.pdf").read_bytes()


def test_sealed_file_reads_only_under_its_own_name(tmp_path: Path) -> None:
    folder = tmp_path / "public"
    folder.mkdir()
    (folder / "a.json").write_bytes(seal.sealed(folder, "a.json", b"{}"))
    shutil.copyfile(folder / "a.json", folder / "b.json")
    other = tmp_path / "internal"
    other.mkdir()
    shutil.copyfile(folder / "a.json", other / "a.json")
    assert seal.read(folder, "a.json") == b"{}"
    assert seal.read(folder, "b.json") is None
    assert seal.read(other, "a.json") is None
    assert seal.read(folder, "missing.json") is None


def test_tampered_manifest_is_ignored(project: Path) -> None:
    first = _build(project)
    path = project / CACHE / "manifest.json"
    data = json.loads(path.read_bytes()[seal.MAC_BYTES :])
    data["manifest"]["warnings"] = ["planted"]
    _reseal(path, json.dumps(data, sort_keys=True, indent=1).encode())
    again = _build(project)
    assert not again.up_to_date
    assert again.warnings == first.warnings
    assert _build(project).up_to_date  # and the rebuild sealed a good manifest again


def test_tampered_check_record_is_ignored(project: Path) -> None:
    assert _build(project).warnings == []
    before = run("check", "--project", project)
    assert before.exit_code == 0, before.output
    path = project / CACHE / "check.json"
    data = json.loads(path.read_bytes()[seal.MAC_BYTES :])
    data["counts"] = {k: 999 for k in data["counts"]}
    planted = json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
    _reseal(path, planted)
    assert run("check", "--project", project).output == before.output
    # The same record, sealed with the right key, is what check would print: the test reaches it.
    path.write_bytes(seal.sealed(path.parent, path.name, planted))
    assert "999" in run("check", "--project", project).output


def test_cache_made_with_another_key_is_a_miss(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _build(project)
    assert _build(project).up_to_date
    monkeypatch.setenv("COMPENDIUM_CACHE_KEY_FILE", str(tmp_path / "other-key"))
    again = _build(project)
    assert not again.up_to_date
    assert again.outputs == first.outputs
    assert _build(project).up_to_date


def test_key_file_is_made_once_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "xdg/compendium/cache-key"
    monkeypatch.delenv("COMPENDIUM_CACHE_KEY_FILE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    key = seal.key()
    assert path.read_bytes() == key
    assert len(key) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in path.parent.iterdir()) == ["cache-key"]
    seal._key_at.cache_clear()
    assert seal.key() == key


def test_key_that_cannot_be_made_does_not_fail_the_build(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "file").write_text("", encoding="utf-8")
    monkeypatch.setenv("COMPENDIUM_CACHE_KEY_FILE", str(tmp_path / "file/cache-key"))  # below a file
    key = seal.key()
    assert len(key) == 32
    assert seal.key() == key  # the same for the whole process
    assert not _build(project).up_to_date
    assert _build(project).up_to_date
    assert not (tmp_path / "file/cache-key").exists()
