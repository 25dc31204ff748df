"""The compendium laid out in pieces, in parallel, and merged: the same PDF as one-piece layout."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from pypdf import PdfReader

from benchmarks import corpus
from benchmarks.pagefill import page_fills, under_half
from compendium.pipeline import BuildResult, build, printed_documents
from compendium.project import find_project
from compendium.render.pdf import pieces as chunks
from compendium.render.pdf.layout import write_pdf
from compendium.render.pdf.structure import _fonts
from tests.conftest import copy_example
from tests.test_pdf import outline

STORIES = 30  # over 25 stories, so the stories chapter is cut too, at a group's heading


def _build(root: Path, **options: Any) -> BuildResult:
    """Build a project's compendium through the Python API."""
    return build(find_project(explicit=root), only="compendium", **options)


@pytest.fixture(scope="module")
def corpus_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated project of 30 stories, built once with the cache, in parallel."""
    root = tmp_path_factory.mktemp("pieces") / "project"
    corpus.write(corpus.generate(STORIES, STORIES // 2, 1), root)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COMPENDIUM_COMMIT", "")
        result = _build(root, workers=2)
    assert result.laid_out_pieces["compendium"] >= 20
    return root


def printed(root: Path) -> str:
    """The compendium's HTML as the build lays out its PDF from: the page marked for print (keep_whole)."""
    return printed_documents(find_project(explicit=root))["compendium"]


@pytest.fixture(scope="module")
def one_piece(corpus_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same compendium HTML laid out by WeasyPrint in one piece."""
    target = tmp_path_factory.mktemp("one") / "compendium.pdf"
    built = corpus_project / "build"
    write_pdf(printed(built.parent), built, target)
    return target


def _texts(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def _dests(path: Path) -> dict[str, int]:
    reader = PdfReader(path)
    return {name: reader.get_destination_page_number(d) for name, d in reader.named_destinations.items()}


def test_the_html_is_cut_where_pages_break(corpus_project: Path) -> None:
    html = printed(corpus_project)
    pieces = chunks.split(html)
    assert pieces is not None
    names = [p.name for p in pieces]
    assert names[0] == "000-cover"
    assert names[1] == "001-main"  # the foreword, with <main id="main"> that opens before it
    assert sum(1 for n in names if "-stories-" in n) == 1  # the stories chapter, cut at a group's heading
    second = pieces[next(i for i, n in enumerate(names) if "-stories-" in n)].html({})
    # The continued chapter keeps its running head, and no id is repeated.
    assert "string-set: doctitle &quot;Et nyt beskæftigelsessystem&quot;, chapter &quot;Gode historier&quot;" in second
    assert 'id="stories"' not in second and 'id="main"' not in second


def test_pieces_give_the_pages_of_one_piece_layout(corpus_project: Path, one_piece: Path) -> None:
    pieced = corpus_project / "build/compendium.pdf"
    # Same pages with the same text: running heads, page numbers, TOC and cross-reference numbers included.
    assert _texts(pieced) == _texts(one_piece)
    assert outline(PdfReader(pieced)) == outline(PdfReader(one_piece))
    assert _dests(pieced) == _dests(one_piece)


def test_page_numbers_run_on_across_pieces(corpus_project: Path) -> None:
    texts = _texts(corpus_project / "build/compendium.pdf")
    # Every page after the front matter (cover, colophon, contents) ends its text with its own number.
    numbered = [i + 1 for i, text in enumerate(texts) if re.search(rf"(^|\n){i + 1}$", text.strip())]
    assert numbered == list(range(4, len(texts) + 1))


def test_toc_numbers_are_the_pages_of_the_chapters(corpus_project: Path) -> None:
    pdf = corpus_project / "build/compendium.pdf"
    dests = _dests(pdf)
    toc = _texts(pdf)[2]
    for title, anchor in (
        ("Forord", "foreword"),
        ("Gode historier", "stories"),
        ("Bilag C. Kilder", "appendix-sources"),
    ):
        assert re.search(rf"{title}[ .]*{dests[anchor] + 1}\b", toc), title


def test_every_link_goes_to_an_anchor_on_its_page(corpus_project: Path, one_piece: Path) -> None:
    def links(path: Path) -> list[tuple[int, str, int]]:
        with pikepdf.open(path) as pdf:
            names = pdf.Root.Names.Dests.Names
            where = {str(names[i]): names[i + 1][0].objgen for i in range(0, len(names), 2)}
            pages = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
            found = []
            for n, page in enumerate(pdf.pages):
                for annot in page.obj.get("/Annots", []):
                    if "/Dest" in annot:
                        found.append((n, str(annot.Dest), pages[where[str(annot.Dest)]]))
            return found

    pieced = links(corpus_project / "build/compendium.pdf")
    assert len(pieced) > 100
    assert pieced == links(one_piece)


def test_the_merged_pdf_is_tagged_and_valid(corpus_project: Path, one_piece: Path) -> None:
    def shape(path: Path) -> dict[str, Any]:
        with pikepdf.open(path) as pdf:
            tree = pdf.Root.StructTreeRoot
            nums = tree.ParentTree.Nums
            pages = {page.obj.objgen for page in pdf.pages}
            marked = [int(page.obj.StructParents) for page in pdf.pages]
            annots = [int(a.StructParent) for page in pdf.pages for a in page.obj.get("/Annots", [])]
            return {
                "problems": pdf.check_pdf_syntax(),
                "catalog": sorted(map(str, pdf.Root)),
                "lang": str(pdf.Root.Lang),
                "elements": len(tree.K[0].K),
                "parent tree": [int(nums[i]) for i in range(0, len(nums), 2)],
                "pages marked": marked == list(range(len(pages))),
                "annotations": annots == list(range(len(pages), len(pages) + len(annots))),
                "info": {str(k): str(v) for k, v in pdf.docinfo.items()},
                "pg on pages": all(e.Pg.objgen in pages for e in tree.K[0].K if "/Pg" in e),
            }

    pieced = shape(corpus_project / "build/compendium.pdf")
    assert pieced == shape(one_piece)
    assert pieced["problems"] == []
    assert pieced["lang"] == "da"


def test_each_font_is_embedded_once(corpus_project: Path, one_piece: Path) -> None:
    pieced = corpus_project / "build/compendium.pdf"
    with pikepdf.open(pieced) as pdf:
        names = [re.sub(r"^/[A-Z]{6}\+", "", str(f.BaseFont)) for f in _fonts(pdf) if f.get("/Subtype") == "/Type0"]
    assert len(names) == len(set(names)) >= 4
    assert pieced.stat().st_size <= 1.05 * one_piece.stat().st_size


def test_no_page_is_under_half_full_but_a_chapter_end(corpus_project: Path) -> None:
    assert under_half(page_fills(corpus_project / "build/compendium.pdf")) == []


def test_serial_and_parallel_pieces_give_the_same_bytes(corpus_project: Path, tmp_path: Path) -> None:
    serial = _build(corpus_project, workers=1, use_cache=False, output=tmp_path / "serial")
    again = _build(corpus_project, workers=2, use_cache=False, output=tmp_path / "parallel")
    assert serial.laid_out_pieces == again.laid_out_pieces
    made = (corpus_project / "build/compendium.pdf").read_bytes()
    assert (tmp_path / "serial/compendium.pdf").read_bytes() == made
    assert (tmp_path / "parallel/compendium.pdf").read_bytes() == made


def test_an_edited_story_lays_out_only_its_piece(corpus_project: Path, tmp_path: Path) -> None:
    project = tmp_path / "edited"
    shutil.copytree(corpus_project, project)
    story = project / "inputs/stories/historie-00002.yaml"
    story.write_text(story.read_text(encoding="utf-8").replace("borger", "borgeren", 1), encoding="utf-8")
    edited = _build(project, workers=2)
    assert edited.laid_out_pieces == {"compendium": 1}
    fresh = _build(project, use_cache=False, output=tmp_path / "fresh")
    assert fresh.laid_out_pieces["compendium"] > 20
    assert (project / "build/compendium.pdf").read_bytes() == (tmp_path / "fresh/compendium.pdf").read_bytes()


def test_a_template_without_markers_is_laid_out_in_one_piece(project: Path) -> None:
    template = (Path(__file__).parent.parent / "compendium/templates/compendium.html").read_text(encoding="utf-8")
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates/compendium.html").write_text(template.replace(" data-chunk", ""), encoding="utf-8")
    result = _build(project, use_cache=False)
    assert result.laid_out_pieces == {}
    assert result.laid_out == ["compendium"]
    assert len(PdfReader(project / "build/compendium.pdf").pages) == result.pages["compendium"]


@pytest.mark.parametrize(
    "style",
    [
        "@page { @bottom-right { content: counter(page) ' / ' counter(pages); } }",
        "@page :left { margin-left: 30mm; }",
        "h2::after { content: target-counter(attr(id), page); }",
        # Footnotes numbered through the document: the count would restart in every piece.
        ".note { float: footnote; }",
    ],
)
def test_page_features_of_the_whole_document_keep_it_in_one_piece(style: str) -> None:
    html = (
        f"<!DOCTYPE html><html><head><style>{style}</style></head><body>"
        '<section data-chunk><h2 class="chapter-title">A</h2></section>'
        '<section data-chunk><h2 class="chapter-title">B</h2></section></body></html>'
    )
    assert chunks.split(html) is None
    assert chunks.split(html.replace(style, "p { color: red; }")) is not None


def test_footnotes_numbered_page_by_page_can_be_laid_out_in_pieces() -> None:
    style = "@page { counter-reset: footnote; } .note { float: footnote; }"
    html = (
        f"<!DOCTYPE html><html><head><style>{style}</style></head><body>"
        "<section data-chunk><h1>A</h1></section><section data-chunk><h1>B</h1></section></body></html>"
    )
    assert chunks.split(html) is not None


def test_tags_that_do_not_nest_keep_it_in_one_piece() -> None:
    html = "<!DOCTYPE html><html><head></head><body><section data-chunk><div></section><section data-chunk></section></body></html>"
    assert chunks.split(html) is None


def test_example_project_pieces_match_one_piece(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "example")
    result = _build(root, use_cache=False)
    assert result.laid_out_pieces["compendium"] >= 10
    built = root / "build"
    write_pdf(printed(built.parent), built, tmp_path / "one.pdf")
    assert _texts(built / "compendium.pdf") == _texts(tmp_path / "one.pdf")
    assert outline(PdfReader(built / "compendium.pdf")) == outline(PdfReader(tmp_path / "one.pdf"))


def test_pieces_whose_numbers_do_not_settle_are_laid_out_in_one_piece(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from compendium.render.pdf import jobs as pdf_jobs

    root = copy_example(tmp_path / "example")
    monkeypatch.setattr(pdf_jobs, "ROUNDS", 1)  # one round lays out and writes, but leaves no round to merge
    result = _build(root, use_cache=False, workers=1)
    built = root / "build"
    write_pdf(printed(built.parent), built, tmp_path / "one.pdf")
    assert (built / "compendium.pdf").read_bytes() == (tmp_path / "one.pdf").read_bytes()
    assert result.pages["compendium"] == len(PdfReader(tmp_path / "one.pdf").pages)


def test_a_worker_that_dies_fails_the_build_and_keeps_the_outputs(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from compendium.errors import CompendiumError
    from compendium.render.pdf import layout as render_pdf

    _build(project, use_cache=False)
    before = (project / "build/compendium.pdf").read_bytes()
    monkeypatch.setattr(render_pdf, "lay_out", lambda *args: os._exit(3))  # the workers are forked with it
    with pytest.raises(CompendiumError) as caught:
        _build(project, use_cache=False, workers=2)
    assert str(caught.value) == (
        "a PDF layout worker stopped unexpectedly (exit code 3); the previous outputs are unchanged"
    )
    assert (project / "build/compendium.pdf").read_bytes() == before
