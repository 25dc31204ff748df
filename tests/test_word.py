"""The Word edition (build --format docx): Word's own styles, the public edition's consent, the same bytes twice."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from compendium.consent import find_leaks
from compendium.content.validate import load_content
from compendium.project import find_project
from compendium.render.docx import docx_texts
from tests.base import CONSENT_MIX, MINIMAL, PUBLICATION, write_project
from tests.conftest import run, snapshot

# Every way the project spells a person the public edition must not name.
WITHHELD = ("Karina", "Sørensen", "Ole", "Thygesen")


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The consent mix built as a Word edition, public and internal (its outputs in build/ and build/internal/)."""
    root = write_project(tmp_path_factory.mktemp("word") / "project", CONSENT_MIX)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COMPENDIUM_COMMIT", "")
        for edition in ("public", "internal"):
            result = run("build", "--format", "docx", "--edition", edition, "--quiet", "--project", root)
            assert result.exit_code == 0, result.output
    return root


def all_words(path: Path) -> str:
    """Return every readable text of a .docx: what the leak check reads, and the raw XML of every part."""
    data = path.read_bytes()
    with zipfile.ZipFile(path) as packed:
        raw = [packed.read(n).decode("utf-8", "replace") for n in packed.namelist() if n.endswith((".xml", ".rels"))]
    return "\n".join([*docx_texts(data, path.name).values(), *raw])


def styles_used(document: docx.document.Document) -> set[str]:
    """Name every paragraph style the document's body uses, tables included."""
    names = {p.style.name for p in document.paragraphs}
    for table in document.tables:
        names |= {p.style.name for row in table.rows for cell in row.cells for p in cell.paragraphs}
    return names


def test_the_word_edition_uses_words_own_styles(mixed: Path) -> None:
    document = docx.Document(str(mixed / "build" / "compendium.docx"))
    used = styles_used(document)
    wanted = {"Title", "Heading 1", "Heading 2", "Heading 3", "Quote", "Caption", "Image Caption", "Table Caption"}
    assert wanted <= used, wanted - used
    quotes = [p.text for p in document.paragraphs if p.style.name == "Quote"]
    assert "»Jobkonsulentens udsagn om tillid.«" in quotes
    assert "Et citat i historien." in quotes
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert "– Jobkonsulent, Jobcenter Fjordby, Mødet i MidtVest, 8. marts 2023" in captions
    # The story's list is a Word list (numbered by numbering.xml), not paragraphs that start with a dash.
    item = next(p for p in document.paragraphs if p.text == "punkt et")
    assert item._p.pPr is not None and item._p.pPr.numPr is not None


def test_every_table_repeats_its_header_row_on_each_page(mixed: Path) -> None:
    document = docx.Document(str(mixed / "build" / "compendium.docx"))
    story_table = next(t for t in document.tables if t.rows[0].cells[0].text == "Kolonne")
    assert [c.text for c in story_table.rows[1].cells] == ["a", "1"]
    for table in document.tables:
        header = table.rows[0]._tr.trPr
        assert header is not None and header.find(qn("w:tblHeader")) is not None, table.rows[0].cells[0].text


def test_a_note_is_a_word_footnote_and_a_photo_keeps_its_alt_text(mixed: Path) -> None:
    path = mixed / "build" / "compendium.docx"
    with zipfile.ZipFile(path) as packed:
        notes = packed.read("word/footnotes.xml").decode()
        body = packed.read("word/document.xml").decode()
    assert "Notens tekst." in notes
    assert body.count("<w:footnoteReference ") == 1
    document = docx.Document(str(path))
    described = [el.get("descr") for el in document.element.body.iter(qn("wp:docPr"))]
    assert described == ["Et mødelokale med otte stole om et bord."]


def test_the_language_and_core_properties_come_from_the_publication(mixed: Path) -> None:
    document = docx.Document(str(mixed / "build" / "compendium.docx"))
    core = document.core_properties
    midnight = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    assert (core.title, core.author, core.language) == ("Kompendiet – Kompendium", "HK Kommunal", "da-DK")
    assert (core.created, core.modified) == (midnight, midnight)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults is not None
    assert {el.get(qn("w:val")) for el in defaults.iter(qn("w:lang"))} == {"da-DK"}


def test_no_withheld_name_is_in_the_public_word_edition_though_the_internal_one_prints_it(mixed: Path) -> None:
    for doc in ("compendium", "debate-paper"):
        words = all_words(mixed / "build" / f"{doc}.docx")
        assert [name for name in WITHHELD if name in words] == [], doc
        assert "Det trukne udsagn." not in words
    internal = all_words(mixed / "build" / "internal" / "compendium.docx")
    assert "Karina Sørensen" in internal
    assert "Det trukne udsagn." not in internal  # a withdrawal holds in every edition


def test_the_leak_check_reads_the_words_of_a_word_edition(mixed: Path) -> None:
    """What check_for_leaks is given of a .docx is enough to find a name: here the internal edition's, read as public."""
    content = load_content(find_project(explicit=mixed), checks=())
    path = mixed / "build" / "internal" / "compendium.docx"
    leaks = find_leaks(docx_texts(path.read_bytes(), "compendium.docx"), content, "public")
    assert {p.message.split(" in ")[0] for p in leaks} >= {
        "the public edition would print 'Karina Sørensen' (participant karina, consent 'role-only')"
    }


def test_the_word_edition_has_the_same_bytes_every_time(mixed: Path, tmp_path: Path) -> None:
    again = run("build", "--format", "docx", "--no-cache", "--quiet", "--output", tmp_path / "out", "--project", mixed)
    assert again.exit_code == 0, again.output
    for doc in ("compendium", "debate-paper"):
        assert (tmp_path / "out" / f"{doc}.docx").read_bytes() == (mixed / "build" / f"{doc}.docx").read_bytes()
    with zipfile.ZipFile(mixed / "build" / "compendium.docx") as packed:
        assert {info.date_time for info in packed.infolist()} == {(2026, 11, 20, 0, 0, 0)}


def test_publication_formats_choose_what_a_plain_build_makes(tmp_path: Path) -> None:
    publication = (
        MINIMAL[PUBLICATION]
        .replace("date: 2026-11-20", "language: en\n        date: 2026-11")
        .replace("background: Baggrund.", "background: Baggrund.\n        formats: [html, docx]")
    )
    root = write_project(tmp_path / "project", {PUBLICATION: publication})
    result = run("build", "--quiet", "--project", root)
    assert result.exit_code == 0, result.output
    made = sorted(n for n in snapshot(root / "build") if not n.startswith("assets/"))
    assert made == [
        "compendium.docx", "compendium.html", "debate-paper.docx", "debate-paper.html", "index.html",
    ]  # fmt: skip
    assert '<a href="compendium.docx">For editing (Word)</a>' in (root / "build" / "index.html").read_text()
    again = run("build", "--project", root)
    assert again.output.startswith("Up to date, nothing changed since the last build"), again.output
    document = docx.Document(str(root / "build" / "compendium.docx"))
    assert document.core_properties.language == "en-GB"
    assert document.core_properties.created == dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def test_a_build_without_word_does_not_import_pandoc() -> None:
    code = "import sys, compendium.cli, compendium.pipeline; print(sorted({'pypandoc', 'docx'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "[]\n"
