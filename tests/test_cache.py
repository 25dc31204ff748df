"""The build cache: a rebuild redoes exactly what changed, and nothing when nothing did."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

import compendium
from compendium.errors import InputError
from compendium.pipeline import FORMATS, BuildResult, build, printed_documents
from compendium.project import find_project
from compendium.render.pdf.jobs import make_pdfs
from compendium.render.pdf.layout import write_pdf
from compendium.render.pdf.protocol import DocumentJob, MadePdf
from tests.conftest import copy_example, snapshot

HTML = ("html",)


def _build(root: Path, formats: tuple[str, ...] = HTML, **options: object) -> BuildResult:
    """Build a project through the Python API, which reports what it redid."""
    return build(find_project(explicit=root), formats=formats, **options)  # type: ignore[arg-type]


def _stamps(folder: Path) -> dict[str, tuple[int, int]]:
    """Return each file's mtime and inode, to tell whether it was rewritten."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.stat().st_ino) for p in folder.rglob("*")}


def _edit(path: Path, old: str, new: str) -> None:
    """Change one piece of text in a file, failing if it is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_noop_rebuild_does_nothing(project: Path) -> None:
    first = _build(project)
    assert not first.up_to_date
    assert {"compendium.html", "debate-paper.html", "index.html"} <= set(first.written)
    before, stamps = snapshot(project / "build"), _stamps(project / "build")
    again = _build(project)
    assert again.up_to_date
    assert again.written == []
    assert again.outputs == first.outputs
    assert snapshot(project / "build") == before
    assert _stamps(project / "build") == stamps


def _documents(written: list[str]) -> list[str]:
    """Leave out the search index's files (a story's text is in it too) from the files a build replaced."""
    return [name for name in written if not name.startswith("search/")]


def test_story_edit_rewrites_only_the_compendium(project: Path) -> None:
    _build(project, ("html", "search"))
    _edit(project / "inputs/stories/gaaturen.yaml", "gik vi en tur", "gik vi en lang tur")
    result = _build(project, ("html", "search"))
    assert not result.up_to_date
    assert _documents(result.written) == ["compendium.html"]
    # And of the search index, only what holds the story: its fragment, an index chunk, the lists of both.
    search = [n for n in result.written if n.startswith("search/")]
    assert len([n for n in search if n.startswith("search/fragment/")]) == 1
    assert {n.split("/")[1] if n.count("/") == 2 else "top" for n in search} <= {"fragment", "index", "top"}
    assert "gik vi en lang tur" in (project / "build/compendium.html").read_text(encoding="utf-8")


def test_story_edit_in_a_linked_folder_rebuilds(project: Path) -> None:
    # The loader reads through a linked inputs/stories, so the fingerprint must follow the link too.
    real = project / "stories-elsewhere"
    (project / "inputs/stories").rename(real)
    (project / "inputs/stories").symlink_to(real, target_is_directory=True)
    _build(project)
    _edit(real / "gaaturen.yaml", "gik vi en tur", "gik vi en lang tur")
    result = _build(project)
    assert not result.up_to_date
    assert "gik vi en lang tur" in (project / "build/compendium.html").read_text(encoding="utf-8")


def test_template_change_rewrites_only_that_document(project: Path) -> None:
    _build(project)
    override = project / "templates/debate-paper.html"
    override.parent.mkdir(exist_ok=True)
    shutil.copy(Path(compendium.__file__).parent / "templates/debate-paper.html", override)
    assert _build(project).written == []  # the same template, now overridden: same output
    _edit(override, "{{ labels.main_message }}</h2>", "{{ labels.main_message }}!</h2>")
    assert _build(project).written == ["debate-paper.html"]


def test_language_file_change_rewrites_the_documents_that_use_the_label(project: Path) -> None:
    _build(project)
    labels = project / "templates/labels/da.yaml"
    labels.parent.mkdir(parents=True)
    labels.write_text("main_message: Det vigtigste\n", encoding="utf-8")
    result = _build(project)
    assert result.written == ["debate-paper.html"]
    assert '<h2 class="chapter-title">Det vigtigste</h2>' in (project / "build/debate-paper.html").read_text(
        encoding="utf-8"
    )


def test_photo_change_rewrites_the_photo_and_the_page_showing_it(project: Path) -> None:
    _build(project)
    Image.new("RGB", (60, 40), "red").save(project / "inputs/photos/historie-gaaturen.jpg")
    result = _build(project)
    photos = [n for n in result.written if n.startswith("assets/photos/")]
    assert len(photos) == 1
    assert sorted(result.written) == sorted([*photos, "compendium.html"])
    assert photos[0] in (project / "build/compendium.html").read_text(encoding="utf-8")


def test_version_bump_rebuilds(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _build(project)
    monkeypatch.setattr(compendium, "__version__", "99.0.0")
    result = _build(project)
    assert not result.up_to_date
    assert result.written == []  # same outputs, so the files are left alone
    assert _build(project).up_to_date


def test_library_upgrade_rebuilds(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A new WeasyPrint (or Markdown, nh3, Babel) may lay out or convert differently: no "up to date" then.
    from compendium.cache import fingerprint

    _build(project)
    monkeypatch.setattr(fingerprint, "_library_versions", lambda: "weasyprint=999.0")
    assert not _build(project).up_to_date
    assert _build(project).up_to_date


def test_changed_options_rebuild(project: Path) -> None:
    _build(project)
    assert not _build(project, strict=True).up_to_date
    assert not _build(project, only="compendium").up_to_date
    assert _build(project, only="compendium").up_to_date


def test_edited_output_is_restored(project: Path) -> None:
    _build(project)
    made = (project / "build/compendium.html").read_bytes()
    (project / "build/compendium.html").write_text("edited by hand", encoding="utf-8")
    result = _build(project)
    assert not result.up_to_date
    assert result.written == ["compendium.html"]
    assert (project / "build/compendium.html").read_bytes() == made


def test_failed_build_leaves_the_cache_alone(project: Path) -> None:
    _build(project)
    before = snapshot(project / ".build-cache")
    _edit(project / "inputs/stories/gaaturen.yaml", "consent: named", "consent: maybe")
    with pytest.raises(compendium.errors.InputError):
        _build(project)
    assert snapshot(project / ".build-cache") == before


def test_cache_is_kept_outside_the_published_folder(project: Path) -> None:
    _build(project)
    assert not any(p.name.startswith(".") for p in (project / "build").rglob("*"))
    assert (project / ".build-cache/public/manifest.json").is_file()
    assert (project / ".build-cache/.gitignore").read_text(encoding="utf-8") == "*\n"


def test_pdf_is_laid_out_only_when_its_html_changed(built: Path, tmp_path: Path) -> None:
    project = copy_example(tmp_path / "project")
    shutil.copytree(built, project / "build")
    shutil.copytree(built.parent / ".build-cache", project / ".build-cache")  # the cache travels with the build
    shutil.copytree(built.parent / "build-reports", project / "build-reports")  # and the reports, part of its outputs
    stamps = _stamps(project / "build")
    again = _build(project, FORMATS)
    assert again.up_to_date
    pages = {doc: len(PdfReader(built / f"{doc}.pdf").pages) for doc in ("compendium", "debate-paper")}
    assert again.pages == pages
    assert _stamps(project / "build") == stamps

    # The debate paper has no stories: a story edit must not lay it out again.
    _edit(project / "inputs/stories/gaaturen.yaml", "gik vi en tur", "gik vi en lang tur")
    edited = _build(project, FORMATS)
    assert edited.laid_out == ["compendium"]
    assert sorted(_documents(edited.written)) == ["compendium.html", "compendium.pdf"]
    assert edited.pages == pages


def test_parallel_pdfs_match_serial(built: Path, tmp_path: Path) -> None:
    html = printed_documents(find_project(explicit=built.parent))["debate-paper"]  # what its PDF is laid out from
    serial = tmp_path / "serial.pdf"
    write_pdf(html, built, serial)
    pages: set[tuple[str, int]] = set()
    jobs = [DocumentJob(name, html, built, tmp_path / f"{name}.pdf", tmp_path / f"{name}.pdf") for name in ("a", "b")]
    made = make_pdfs(jobs, lambda doc, n: pages.add((doc, n)), workers=2)
    assert made == {"a": MadePdf(pages=4, warnings=()), "b": MadePdf(pages=4, warnings=())}
    assert (tmp_path / "a.pdf").read_bytes() == serial.read_bytes() == (tmp_path / "b.pdf").read_bytes()
    assert (tmp_path / "a.pdf").read_bytes() == (built / "debate-paper.pdf").read_bytes()
    assert pages == {(doc, n) for doc in ("a", "b") for n in range(1, 5)}


def test_page_progress_shows_a_bar_once_the_page_count_is_known() -> None:
    from compendium.pipeline import _PageProgress

    shown: list[tuple[str, bool]] = []
    pages = _PageProgress(lambda message, transient: shown.append((message, transient)), {"compendium": 40})
    pages("compendium", 10)
    pages("debate-paper", 2)
    pages("compendium", 3)  # a page laid out again does not move the bar back
    assert shown == [
        ("compendium.pdf [#####...............] page 10 of ~40", True),
        ("compendium.pdf [#####...............] page 10 of ~40  debate-paper.pdf: page 2", True),
        ("compendium.pdf [#####...............] page 10 of ~40  debate-paper.pdf: page 2", True),
    ]


def test_large_photo_is_scaled_to_print_size_once(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = Image.linear_gradient("L").resize((4000, 3000)).convert("RGB")
    big.save(project / "inputs/photos/historie-gaaturen.jpg", quality=95)
    elsewhere = shutil.copytree(project, tmp_path / "elsewhere")
    _build(project)
    # Scaled to fit 168 mm x 95 mm at 300 dpi, keeping its shape.
    scaled = [p for p in (project / "build/assets/photos").iterdir() if Image.open(p).size == (1496, 1122)]
    assert len(scaled) == 1
    _build(elsewhere)
    assert (elsewhere / "build/assets/photos" / scaled[0].name).read_bytes() == scaled[0].read_bytes()

    # The next build takes the scaled photo from the cache instead of scaling it again.
    def fail(source: Path) -> bytes:
        raise AssertionError(f"scaled {source} again")

    monkeypatch.setattr("compendium.pipeline.print_version", fail)
    _edit(project / "inputs/stories/gaaturen.yaml", "gik vi en tur", "gik vi en lang tur")
    result = _build(project)
    assert _documents(result.written) == ["compendium.html"]


def test_remembered_name_check_follows_the_text_and_the_names(make_project: Callable[..., Path]) -> None:
    root = make_project()
    _build(root)
    story = root / "inputs/stories/gaaturen.yaml"
    # The story names Lene, whose consent allows it; then her consent changes and the unchanged story must fail.
    _edit(story, "body: Historien.", "body: Historien, sagde Lene Buhl.")
    _build(root)  # Lene is named, so the story may name her
    participants = root / "inputs/participants.yaml"
    _edit(participants, "consent: named", "consent: role-only")
    with pytest.raises(InputError) as refused:
        _build(root)
    assert [p.message for p in refused.value.problems] == [
        "names 'Lene Buhl', whose consent is 'role-only'; remove the name from this text, "
        "or change their consent to 'named'"
    ]
    # The names unchanged and the story edited back: the story is checked again, and passes.
    _edit(story, "body: Historien, sagde Lene Buhl.", "body: Historien.")
    assert not _build(root).up_to_date
