"""The example project builds, matches the golden HTML, and is deterministic."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

import compendium
from tests.base import OK
from tests.conftest import copy_example, run, snapshot
from tests.golden import GOLDEN, GOLDEN_FILES, styles, without_styles

OUTPUTS = ["compendium.html", "compendium.pdf", "debate-paper.html", "debate-paper.pdf", "index.html"]


def test_build_makes_all_outputs(built: Path) -> None:
    for name in OUTPUTS:
        assert (built / name).stat().st_size > 0, name
    assert sorted(p.name for p in (built / "assets" / "fonts").glob("*.ttf")) == [
        "NotoSans-Bold.ttf",
        "NotoSans-Italic.ttf",
        "NotoSans-Regular.ttf",
        "NotoSerif-Bold.ttf",
        "NotoSerif-BoldItalic.ttf",
        "NotoSerif-Italic.ttf",
        "NotoSerif-Regular.ttf",
    ]
    assert not list(built.parent.glob(".build-staging-*")), "the staging folder must be cleaned up"


@pytest.mark.parametrize("name", GOLDEN_FILES)
def test_html_matches_golden(built: Path, name: str) -> None:
    """Everything but the stylesheet's text is compared: the golden files leave that out."""
    expected = (GOLDEN / name).read_text(encoding="utf-8")
    actual = without_styles((built / name).read_text(encoding="utf-8"))
    assert actual == expected, f"{name} differs from tests/golden; if the change is intended, run `make update-golden`"


# The style sheets each output carries, whole and in this order: the shared one, then the document's own.
STYLE_SHEETS = {"debate-paper.html": ["style.css", "debate-paper.css"]}


@pytest.mark.parametrize("name", GOLDEN_FILES)
def test_html_inlines_the_stylesheet(built: Path, name: str) -> None:
    """Each HTML output carries the packaged stylesheets, whole (the debate paper its own too), then the brand settings."""
    folder = Path(compendium.__file__).parent / "templates"
    sheets = ["\n" + (folder / sheet).read_text(encoding="utf-8") for sheet in STYLE_SHEETS.get(name, ["style.css"])]
    brand = (
        "\n/* publication.yaml's brand settings (brand: accent, fonts), as the custom properties style.css uses.\n"
        "   Included after style.css, so a brand setting wins over the defaults; override this file or style.css "
        "for more. */\n:root { --accent: #d6001c; --accent-soft: #fbe6e8; }\n"
    )
    assert styles((built / name).read_text(encoding="utf-8")) == [*sheets, brand]


def test_index_links_all_four_outputs(built: Path) -> None:
    html = (built / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'href="([^"]+)"', html) == [
        "compendium.html",
        "compendium.pdf",
        "debate-paper.html",
        "debate-paper.pdf",
    ]


def test_photos_are_copied_beside_the_html(built: Path) -> None:
    html = (built / "compendium.html").read_text(encoding="utf-8")
    sources = re.findall(r'<img src="([^"]+)"', html)
    assert sources, "the example has photos"
    for src in sources:
        assert re.fullmatch(r"assets/photos/[0-9a-f]{16}\.jpg", src), src
        assert (built / src).is_file(), src


def test_two_builds_are_byte_identical(built: Path, tmp_path: Path) -> None:
    again = copy_example(tmp_path / "elsewhere")
    result = run("build", "--quiet", "--project", again)
    assert result.exit_code == 0, result.output
    assert snapshot(again / "build") == snapshot(built)


def test_rebuild_leaves_unchanged_outputs_alone(project: Path) -> None:
    assert run("build", "--format", "html", "-q", "--project", project).exit_code == 0
    before = {p: p.stat().st_mtime_ns for p in (project / "build").rglob("*") if p.is_file()}
    assert run("build", "--format", "html", "-q", "--project", project).exit_code == 0
    after = {p: p.stat().st_mtime_ns for p in (project / "build").rglob("*") if p.is_file()}
    assert after == before


def test_build_summary_line(project: Path) -> None:
    result = run("build", "--only", "debate-paper", "--format", "html", "--quiet", "--project", project)
    assert result.exit_code == 0, result.output
    assert re.fullmatch(
        r"Built 2 outputs in \d+\.\d s: \S*build/debate-paper\.html, \S*build/index\.html\n", result.stdout
    ), result.stdout
    assert sorted(p.name for p in (project / "build").glob("*.html")) == ["debate-paper.html", "index.html"]


def test_build_shows_progress_on_stderr(project: Path) -> None:
    result = run("build", "--format", "search", "--project", project)
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "  Checking inputs …\n  Rendering compendium.html …\n  Rendering debate-paper.html …\n"
        "  Indexing compendium.html for search …\n"
    )


def test_build_output_option(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "elsewhere"
    result = run("build", "--format", "html", "-q", "--output", out, "--project", project)
    assert result.exit_code == 0, result.output
    assert (out / "compendium.html").is_file()
    assert not (project / "build").exists()


def test_build_pdf_only_keeps_no_html(project: Path) -> None:
    result = run("build", "--only", "debate-paper", "--format", "pdf", "-q", "--project", project)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (project / "build").iterdir() if p.is_file())
    assert names == ["debate-paper.pdf", "index.html"]


def test_build_folder_holds_only_what_may_be_published(project: Path) -> None:
    # A consultant uploads build/ to a web host as it is: the redaction reports go beside it.
    result = run("build", "--format", "search", "-q", "--project", project)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (project / "build").iterdir()) == [
        "assets",
        "compendium.html",
        "debate-paper.html",
        "index.html",
        "search",  # the public compendium's search index (tests/test_search.py checks it holds no withheld name)
    ]
    assert sorted(p.name for p in (project / "build-reports").iterdir()) == ["redactions.json", "redactions.txt"]


def test_reports_an_older_version_left_in_build_are_removed(project: Path) -> None:
    # Before they moved beside build/, the reports were written into it; an upgrade must not leave them there.
    (project / "build").mkdir()
    for name in ("redactions.txt", "redactions.json"):
        (project / "build" / name).write_text("Karina Sørensen\n", encoding="utf-8")
    result = run("build", "--format", "html", "-q", "--project", project)
    assert result.exit_code == 0, result.output
    assert not (project / "build" / "redactions.txt").exists()
    assert not (project / "build" / "redactions.json").exists()
    assert (project / "build-reports" / "redactions.txt").exists()


def test_commands_find_the_project_upward(make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(make_project() / "inputs" / "events")
    result = run("check")
    assert result.exit_code == 0, result.output
    assert result.stdout == OK


def test_unknown_document_is_a_usage_error(project: Path) -> None:
    result = run("build", "--only", "pamphlet", "--project", project)
    assert result.exit_code == 2
    assert "Invalid value for '--only'" in result.output


def test_every_command_has_help() -> None:
    for args in (["--help"], ["build", "--help"], ["check", "--help"], ["init", "--help"]):
        result = run(*args)
        assert result.exit_code == 0, args
        assert result.output.startswith("Usage: "), args


def test_colophon_shows_the_commit(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPENDIUM_COMMIT", "0123abcd4567")
    assert run("build", "--format", "html", "-q", "--project", project).exit_code == 0
    html = (project / "build" / "compendium.html").read_text(encoding="utf-8")
    assert "<dt>Bygget fra commit</dt><dd><code>0123abcd4567</code></dd>" in html


def test_check_writes_nothing(project: Path) -> None:
    before = snapshot(project)
    result = run("check", "--project", project)
    assert result.exit_code == 0, result.output
    assert snapshot(project) == before
    assert not (project / "build").exists()


def test_inputs_are_never_changed_by_a_build(project: Path) -> None:
    before = snapshot(project / "inputs")
    assert run("build", "-q", "--format", "html", "--project", project).exit_code == 0
    assert snapshot(project / "inputs") == before


def test_html_ids_are_unique(built: Path) -> None:
    for name in ("compendium.html", "debate-paper.html"):
        ids = re.findall(r'\sid="([^"]+)"', (built / name).read_text(encoding="utf-8"))
        assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_cross_references_point_at_existing_anchors(built: Path) -> None:
    for name in ("compendium.html", "debate-paper.html"):
        html = (built / name).read_text(encoding="utf-8")
        ids = set(re.findall(r'\sid="([^"]+)"', html))
        targets = re.findall(r'href="#([^"]+)"', html)
        assert targets
        assert [t for t in targets if t not in ids] == []


def test_index_lists_only_the_publications_documents(project: Path) -> None:
    assert run("build", "--format", "html", "-q", "--project", project).exit_code == 0
    publication = project / "inputs" / "publication.yaml"
    text = publication.read_text(encoding="utf-8")
    text, found = re.subn(r"(?m)^documents:\n(  - .*\n)+", "documents: [compendium]\n", text)
    assert found == 1
    publication.write_text(text, encoding="utf-8")
    assert run("build", "--format", "html", "-q", "--project", project).exit_code == 0
    html = (project / "build" / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'href="([^"]+)"', html) == ["compendium.html"]
