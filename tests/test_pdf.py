"""The PDFs, opened with pypdf: pages, table of contents, text, fonts, outline, metadata."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from pypdf import PdfReader

from compendium.content.validate import load_content
from compendium.project import find_project
from tests.conftest import REPO


def squash(text: str) -> str:
    """Drop whitespace and hyphens, so hyphenated, wrapped text still matches."""
    return re.sub(r"[\s\-\u00ad\u2010]", "", text)


def pdf(built: Path, name: str) -> PdfReader:
    return PdfReader(built / f"{name}.pdf")


def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """Return (level, title, 1-based page) for every bookmark."""
    found: list[tuple[int, str, int]] = []

    def walk(items: list[Any], level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append((level, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 1)
    return found


def example_statements() -> list[str]:
    texts = []
    for path in sorted((REPO / "inputs" / "events").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        texts += [s["text"] for s in data.get("statements", [])]
    return texts


def test_page_counts_are_sane(built: Path) -> None:
    assert 20 <= len(pdf(built, "compendium").pages) <= 60
    assert 4 <= len(pdf(built, "debate-paper").pages) <= 14


def test_pages_are_a4(built: Path) -> None:
    for name in ("compendium", "debate-paper"):
        for page in pdf(built, name).pages:
            width, height = float(page.mediabox.width), float(page.mediabox.height)
            assert (round(width), round(height)) == (595, 842)


def test_toc_page_numbers_match_the_headings(built: Path) -> None:
    reader = pdf(built, "compendium")
    toc_text = reader.pages[2].extract_text()
    assert toc_text.startswith("Indhold")
    entries = re.findall(r"^(.+?)[ .]*\s(\d+)$", toc_text, flags=re.MULTILINE)
    # Every chapter, and under the stories the groups' headings (one per municipality).
    chapters: dict[str, int] = {}
    chapter = ""
    for level, title, page in outline(reader):
        chapter = title if level == 1 else chapter
        if level == 1 or (level == 2 and chapter == "Gode historier"):
            chapters[title] = page
    assert [title.strip() for title, _ in entries] == list(chapters), "the TOC lists every chapter, in order"
    assert {"Bakkeby", "Fjordby", "Nørrevang", "Vesterå"} <= set(chapters)
    for title, number in entries:
        page = int(number)
        assert chapters[title.strip()] == page, title
        heading_text = reader.pages[page - 1].extract_text()
        assert squash(title) in squash(heading_text), f"{title!r} is not on page {page}"


def test_outline_lists_the_chapters(built: Path) -> None:
    chapters = [title for level, title, _ in outline(pdf(built, "compendium")) if level == 1]
    assert chapters == [
        "Forord",
        "Baggrund",
        "Overblik",
        "Arrangementerne",
        "Tillid",
        "Faglighed",
        "Resultater frem for processer",
        "Brugerbestyrelser",
        "Borgerrådgiver",
        "Gode historier",
        "Bilag A. Deltagere",
        "Bilag B. Alle forslag",
        "Bilag C. Kilder",
    ]
    paper = [title for level, title, _ in outline(pdf(built, "debate-paper")) if level == 1]
    assert paper == [
        "Hovedbudskab",
        "Tillid",
        "Faglighed",
        "Resultater frem for processer",
        "Brugerbestyrelser",
        "Borgerrådgiver",
        "Det vil vi",
    ]


def test_chapters_start_on_a_new_page(built: Path) -> None:
    pages = [page for level, _, page in outline(pdf(built, "compendium")) if level == 1]
    assert len(set(pages)) == len(pages)


@pytest.fixture(scope="module")
def compendium_text(built: Path) -> str:
    """The compendium's text, extracted once: it takes about a second."""
    return squash("".join(page.extract_text() for page in pdf(built, "compendium").pages))


@pytest.mark.parametrize("statement", example_statements())
def test_every_statement_is_in_the_compendium(compendium_text: str, statement: str) -> None:
    assert squash(statement) in compendium_text


def test_running_headers_and_page_numbers(built: Path) -> None:
    reader = pdf(built, "compendium")
    chapters = {page: title for level, title, page in outline(reader) if level == 1}
    tillid = next(page for page, title in chapters.items() if title == "Tillid")
    # The page after the chapter opening; pypdf reads the margin boxes last.
    lines = reader.pages[tillid].extract_text().splitlines()
    assert lines[-2:] == ["Et nyt beskæftigelsessystem Tillid", str(tillid + 1)]
    cover = reader.pages[0].extract_text().splitlines()
    assert not re.fullmatch(r"\d+", cover[-1]), "the cover has no page number"


def test_danish_dates_and_labels(built: Path) -> None:
    text = pdf(built, "compendium").pages[1].extract_text()
    assert "Udgivet 20. november 2026" in text
    assert "Version" in text and "Redaktion" in text


def test_fonts_are_embedded(built: Path) -> None:
    for name in ("compendium", "debate-paper"):
        fonts = {}
        for page in pdf(built, name).pages:
            for font in (page["/Resources"].get("/Font") or {}).values():
                font = font.get_object()
                descriptor = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                descriptor = descriptor.get_object()
                fonts[str(font["/BaseFont"])] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        assert fonts, name
        assert all(fonts.values()), fonts
        assert all("Noto" in base for base in fonts), fonts


def test_metadata_title_author_language(built: Path) -> None:
    reader = pdf(built, "compendium")
    assert reader.metadata.title == "Et nyt beskæftigelsessystem – Kompendium"
    assert reader.metadata.author == "HK Kommunal"
    assert reader.trailer["/Root"]["/Lang"] == "da"
    paper = pdf(built, "debate-paper")
    assert paper.metadata.title.startswith("Debatoplæg")


def test_pdf_is_tagged_for_accessibility(built: Path) -> None:
    for name in ("compendium", "debate-paper"):
        root = pdf(built, name).trailer["/Root"]
        assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 - a pypdf BooleanObject
        assert "/StructTreeRoot" in root
        assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()


def test_creation_date_comes_from_the_inputs(built: Path) -> None:
    assert pdf(built, "compendium").metadata["/CreationDate"] == "D:20261120"


def test_debate_paper_opens_with_its_main_message_and_every_key_figure(built: Path) -> None:
    content = load_content(find_project(explicit=REPO), checks=())
    values = [figure.value for figure in content.key_figures if figure.debate_paper]
    first_page = squash(pdf(built, "debate-paper").pages[0].extract_text())
    assert len(values) == 4
    assert squash("Hovedbudskab") in first_page
    assert [value for value in values if squash(value) not in first_page] == []
