"""The PDFs' structure: what a reader with assistive technology meets, checked by structure.check_structure."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from compendium.render.pdf import layout, structure
from compendium.render.pdf.structure import Finding, check_structure
from tests.conftest import run

# A page with what WeasyPrint 70 tags wrongly: a running head and page number, a table whose head
# repeats on the next page, a link with a page-number pseudo-element, a definition list, a hyphenated word.
PAGE = (
    """<!DOCTYPE html><html lang="da"><head><title>Prøve</title><style>
@page { size: A4; margin: 24mm; @top-left { content: "Løbende hoved"; } @bottom-center { content: counter(page); } }
html { font-family: "DejaVu Sans"; }
p { hyphens: auto; width: 30mm; }
thead { display: table-header-group; } tr { break-inside: avoid; } td { height: 30mm; }
a::after { content: " (side " target-counter(attr(href), page) ")"; }
</style></head><body><main>
<section><h1 id="top">Kapitel</h1>
<p>Beskæftigelsesindsatsens medarbejderrepræsentanter</p>
<p><a href="#top">Til toppen</a></p>
<dl><dt>Udgiver</dt><dd>HK</dd><dt>År</dt><dd>2026</dd></dl>
<table><thead><tr><th>Navn</th><th>Rolle</th></tr></thead><tbody>
"""
    + "".join(f"<tr><th>Person {i}</th><td>Rolle {i}</td></tr>" for i in range(14))
    + """
</tbody></table></section></main></body></html>"""
)


def written(tmp_path: Path, ours: bool) -> Any:
    """Write PAGE with WeasyPrint's own tags or with this project's; return it opened."""
    import weasyprint

    target = tmp_path / ("ours.pdf" if ours else "theirs.pdf")
    document = weasyprint.HTML(string=PAGE).render(pdf_variant=layout.PDF_VARIANT)
    if ours:
        layout._write(document, target, layout.PDF_VARIANT)
        structure.repair_file(target)
    else:
        document.write_pdf(target, pdf_variant=layout.PDF_VARIANT)
    return pikepdf.open(target)


@pytest.fixture(scope="module")
def ours(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """PAGE written with this project's tags, once for the module."""
    return written(tmp_path_factory.mktemp("ours"), ours=True)


def problems(findings: list[Finding]) -> set[str]:
    """Give the kinds of finding, without their numbers."""
    return {f.problem.split(" (")[0].split(" at y=")[0].split(" 1")[0] for f in findings}


def test_check_structure_finds_what_weasyprint_tags_wrongly(tmp_path: Path) -> None:
    pdf = written(tmp_path, ours=False)
    found = problems(check_structure(pdf, fonts=("DejaVuSans",)))
    assert "text in the page margin" in found
    assert "header cell without /Scope" in found
    assert "/Headers without an /IDTree" in found
    assert "a link inside a link" in found
    assert "link described by its target 'top', not its text" in found
    assert "section without a heading of its own: split where a page breaks?" in found
    assert any(p.startswith("marked content") for p in found)


def test_this_projects_tags_have_no_findings(ours: Any) -> None:
    pdf = ours
    assert check_structure(pdf, fonts=("DejaVuSans",)) == []
    assert pdf.pdf_version == "1.7"


def _elements(pdf: Any, kind: str) -> list[Any]:
    """List the structure elements of one type."""
    return [e for e, _ in structure._walk(pdf.Root.StructTreeRoot.K[0], None) if e.get("/S") == f"/{kind}"]


def test_one_table_one_head_cells_scoped(ours: Any) -> None:
    pdf = ours
    assert len(pdf.pages) > 1
    tables = _elements(pdf, "Table")
    assert len(tables) == 1, "the table across pages is one Table"
    assert len(_elements(pdf, "THead")) == 1, "the head repeated on page 2 is an Artifact"
    scopes = [str(th.A.Scope) for th in _elements(pdf, "TH")]
    assert scopes == ["/Column", "/Column"] + ["/Row"] * 14
    assert len(_elements(pdf, "Sect")) == 1 and len(_elements(pdf, "Part")) == 1


def test_link_is_one_element_described_by_its_text(ours: Any) -> None:
    pdf = ours
    (link,) = _elements(pdf, "Link")
    contents = {str(k.Obj.Contents) for k in link.K if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR"}
    assert contents == {"Til toppen, side 1"}


def test_definition_list_is_items_of_label_and_body(ours: Any) -> None:
    pdf = ours
    (lst,) = _elements(pdf, "L")
    assert [[str(k.S) for k in item.K] for item in lst.K] == [["/Lbl", "/LBody"], ["/Lbl", "/LBody"]]


def test_hyphenated_fragment_reads_whole(ours: Any) -> None:
    pdf = ours
    actual = [str(s.ActualText) for s in _elements(pdf, "Span") if "/ActualText" in s]
    assert actual, "the narrow paragraph is hyphenated"
    assert all(not text.endswith(("-", "\u2010")) for text in actual)
    assert "".join(actual).startswith("Beskæf")


def test_example_pdfs_have_no_structure_findings(built: Path) -> None:
    for name in ("compendium", "debate-paper"):
        with pikepdf.open(built / f"{name}.pdf") as pdf:
            assert [str(f) for f in check_structure(pdf)] == [], name


def test_example_contents_links_name_chapter_and_page(built: Path) -> None:
    with pikepdf.open(built / "compendium.pdf") as pdf:
        contents = [str(a.get("/Contents")) for page in pdf.pages for a in page.get("/Annots", [])]
    assert any(c.startswith("Bilag A. Deltagere, side ") and c.split()[-1].isdigit() for c in contents), contents


def test_example_chart_alt_carries_its_numbers(built: Path) -> None:
    with pikepdf.open(built / "compendium.pdf") as pdf:
        alts = [str(f.Alt) for f in _elements(pdf, "Figure") if "/Alt" in f]
    chart = next(alt for alt in alts if "forslag" in alt.lower() and "historie" in alt.lower())
    assert sum(ch.isdigit() for ch in chart) >= 6, chart


def test_pdf_a_option_declares_both_standards(make_project: Callable[..., Path]) -> None:
    root = make_project()
    result = run("build", "--quiet", "--format", "pdf", "--pdf-standard", "a-3a+ua-1", "--project", root)
    assert result.exit_code == 0, result.output
    for path in sorted((root / "build").glob("*.pdf")):
        with pikepdf.open(path) as pdf:
            meta = pdf.open_metadata()
            assert (meta.get("pdfaid:part"), meta.get("pdfaid:conformance"), meta.get("pdfuaid:part")) == (
                "3",
                "A",
                "1",
            )
            assert b"pdfaExtension:schemas" in pdf.Root.Metadata.read_bytes()
            assert "sRGB" in str(pdf.Root.OutputIntents[0].OutputConditionIdentifier)
            assert check_structure(pdf) == []


@pytest.mark.skipif(
    not os.environ.get("COMPENDIUM_CORPUS_300"), reason="a 300-story build: set COMPENDIUM_CORPUS_300=1"
)
def test_corpus_of_300_stories_has_no_structure_findings(tmp_path: Path) -> None:
    from benchmarks import corpus

    corpus.write(corpus.generate(300, 150), tmp_path / "c")
    result = run("build", "--quiet", "--format", "pdf", "--project", tmp_path / "c")
    assert result.exit_code == 0, result.output
    for path in sorted((tmp_path / "c" / "build").glob("*.pdf")):
        with pikepdf.open(path) as pdf:
            assert [str(f) for f in check_structure(pdf)] == [], path.name


def test_internal_edition_has_its_own_title_and_its_mark_is_an_artifact(make_project: Callable[..., Path]) -> None:
    root = make_project()
    result = run("build", "--quiet", "--format", "pdf", "--edition", "internal", "--project", root)
    assert result.exit_code == 0, result.output
    for path in sorted((root / "build" / "internal").glob("*.pdf")):
        with pikepdf.open(path) as pdf:
            assert str(pdf.docinfo.Title).endswith(" (Intern – må ikke videregives)"), path.name
            assert pdf.open_metadata().get("dc:title").endswith(" (Intern – må ikke videregives)")
            assert check_structure(pdf) == []


def test_colophon_commit_is_set_in_the_projects_fonts(
    make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPENDIUM_COMMIT", "1e797323ff11")
    root = make_project()
    result = run("build", "--quiet", "--format", "pdf", "--only", "compendium", "--project", root)
    assert result.exit_code == 0, result.output
    from pypdf import PdfReader

    assert "1e797323ff11" in PdfReader(root / "build" / "compendium.pdf").pages[1].extract_text()
    with pikepdf.open(root / "build" / "compendium.pdf") as pdf:
        assert [str(f) for f in check_structure(pdf)] == []
