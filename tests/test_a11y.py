"""The accessibility gate (issue 15): vnu, axe-core at 1280 and 390 px, and pdfua on the example's outputs.

Nothing here is skipped: a missing tool fails the test and says how to install it (`make test` does).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests import a11y
from tests.conftest import run


@pytest.fixture(scope="module")
def editions(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built example with its internal edition's HTML beside it (in build/internal/)."""
    assert a11y.missing_tools() == [], f"missing: {', '.join(a11y.missing_tools())}; {a11y.INSTALL}"
    root = tmp_path_factory.mktemp("a11y") / "project"
    shutil.copytree(built.parent, root, ignore=shutil.ignore_patterns(".build-cache"))
    result = run("build", "--edition", "internal", "--format", "html", "--quiet", "--project", root)
    assert result.exit_code == 0, result.output
    return root / "build"


def report(findings: list[str]) -> str:
    """One finding a line, for an assertion message."""
    return f"{len(findings)} found:\n" + "\n".join(findings)


def test_html_passes_vnu_apart_from_print_only_css(editions: Path) -> None:
    pages = a11y.html_pages(editions)
    assert [p.name for p in pages] == ["compendium.html", "debate-paper.html", "index.html"] * 2

    findings = a11y.vnu_findings(pages)

    assert findings == [], report(findings)


def test_html_has_no_axe_violations_at_desktop_and_phone_width(editions: Path) -> None:
    findings = a11y.axe_findings(a11y.html_pages(editions))

    assert findings == [], report(findings)


def test_pdfs_pass_pdfua(editions: Path) -> None:
    pdfs = sorted(editions.glob("*.pdf"))
    assert [p.name for p in pdfs] == ["compendium.pdf", "debate-paper.pdf"]

    findings = a11y.pdfua_findings(pdfs)

    assert findings == [], report(findings)


def test_print_only_css_is_all_the_filter_leaves_out() -> None:
    kept = [
        "CSS: “colr”: Property “colr” doesn't exist.",
        "CSS: “content”: “attr(x)” is not a “content” value.",
        "Element “div” not allowed as child of element “span” in this context.",
    ]
    left_out = [
        "CSS: “string-set”: Property “string-set” doesn't exist.",
        "CSS: “content”: “element(edition)” is not a “content” value.",
        "CSS: “position”: “running(edition)” is not a “position” value.",
        "CSS: “float”: “footnote” is not a “float” value.",
        "CSS: Unknown pseudo-element or pseudo-class “::footnote-call”.",
    ]

    assert [m for m in kept + left_out if not a11y.PRINT_ONLY_CSS.search(m)] == kept


def test_pdfs_pass_the_projects_structure_checks(editions: Path) -> None:
    findings = a11y.structure_findings(sorted(editions.glob("*.pdf")))

    assert findings == [], report(findings)


def test_accessibility_statement_with_contact_is_in_every_output(editions: Path) -> None:
    contact = "Har du problemer med at læse dokumentet, så kontakt HK Kommunals sekretariat, kompendium@example.org."

    for page in ("compendium.html", "debate-paper.html", "index.html"):
        html = (editions / page).read_text(encoding="utf-8")
        assert '<section class="accessibility" aria-labelledby="accessibility-title">' in html, page
        # The words as a reader sees them: print marks addresses and ids with spans (render/keep_whole.py).
        words = re.sub(r"<span[^>]*>|</span>", "", html)
        assert "lavet til at opfylde WCAG 2.1 niveau AA (EN 301 549) og PDF-udgaven PDF/UA-1" in words, page
        assert contact in words, page
    for pdf in ("compendium.pdf", "debate-paper.pdf"):
        text = " ".join(page.extract_text() for page in PdfReader(editions / pdf).pages)
        assert "Tilgængelighed" in text, pdf


def test_one_h1_per_page_and_every_table_captioned(editions: Path) -> None:
    for page in a11y.html_pages(editions):
        html = page.read_text(encoding="utf-8")
        assert html.count("<h1") == 1, a11y.shown(page)
        assert html.count("<table") == html.count("<caption"), a11y.shown(page)
