"""The compendium's typography, measured from the built PDF by benchmarks/typography.py (DESIGN.md's targets)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from benchmarks.typography import Report, contrast, main, measure, read_pages
from compendium.render.keep_whole import keep_whole
from tests.base import MINIMAL, PUBLICATION

from .conftest import REPO, run


@pytest.fixture(scope="module")
def report(built: Path) -> Report:
    """The typography report of the example's compendium, built once for the session."""
    return measure(built / "compendium.pdf")


def test_body_lines_are_60_to_75_characters(report: Report) -> None:
    assert report.body_size == 10.5
    assert report.measured_lines > 250
    assert 60 <= report.chars_median <= 75
    assert report.share_in_measure >= 0.75


def test_few_lines_end_hyphenated_and_never_three_in_a_row(report: Report) -> None:
    assert report.hyphenated_share <= 0.08
    assert report.hyphen_runs_3 == 0
    assert report.longest_hyphen_run <= 2


def test_no_page_holds_three_lines_or_fewer(report: Report) -> None:
    assert report.short_pages == []


def test_at_most_one_page_inside_a_chapter_is_under_half_full(report: Report) -> None:
    assert len(report.half_empty_pages) <= 1


def test_every_heading_keeps_three_lines_with_it(report: Report) -> None:
    assert report.headings_at_page_foot == []


def test_no_widows_or_orphans(report: Report) -> None:
    assert (report.widows, report.orphans) == ([], [])


def test_no_line_is_broken_before_its_time(report: Report) -> None:
    assert report.broken_lines == []


def test_the_key_figures_stay_on_one_page(built: Path) -> None:
    figures = yaml.safe_load((REPO / "inputs" / "key-figures.yaml").read_text(encoding="utf-8"))["key_figures"]
    values = [str(f["value"]) for f in figures]
    pages = [page.extract_text() for page in PdfReader(built / "compendium.pdf").pages]
    # The heading "Nøgletal" goes with the figures (a heading keeps what follows).
    (page,) = [text for text in pages if "Nøgletal" in text]
    assert [value for value in values if value not in page] == []


def test_photo_credits_are_8_pt_or_more_with_contrast(built: Path) -> None:
    pages, _ = read_pages(built / "compendium.pdf")
    credits = [line for page in pages for line in page.lines if "Foto:" in line.text]
    assert len(credits) >= 5
    glyphs = [glyph for line in credits for glyph in line.glyphs if glyph.text.strip()]
    assert min(glyph.size for glyph in glyphs) >= 8
    assert min(contrast(glyph.colour) for glyph in glyphs) >= 4.5


def test_no_text_is_under_8_pt_and_every_colour_reads(report: Report) -> None:
    assert report.smallest_text >= 8, report.smallest_text_sample
    assert report.lowest_contrast >= 4.5, report.lowest_contrast_sample


def test_contrast_of_text_colours_on_white() -> None:
    assert contrast((0.0, 0.0, 0.0)) == 21.0
    assert contrast((1.0,)) == 1.0
    # The muted grey of meta lines and credits, #5b5b60.
    assert contrast((0x5B / 255, 0x5B / 255, 0x60 / 255)) == 6.75
    assert contrast((0.0, 0.0, 0.0, 1.0)) == 21.0


def test_report_refuses_a_missing_pdf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "none.pdf")]) == 1
    assert capsys.readouterr().err == f"Error: no such PDF: {tmp_path / 'none.pdf'}\n"


def test_report_prints_json(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--json", str(built / "compendium.pdf")]) == 0
    out = capsys.readouterr().out
    assert '"body_size": 10.5' in out
    assert '"hyphen_runs_3": ' in out


def test_keep_whole_marks_addresses_numbers_ids_and_names() -> None:
    html = (
        "<html><head><title>Om 1.500</title></head><body>"
        "<p>Skriv til sekretariat@hk.dk, se https://www.kl.dk/om-job-center/rapport. "
        "I 2021–2023 var 1.500 med i sag KL-2023-04, sagde Hanne Engsted-Hansen.</p>"
        "<svg><text>1.500</text></svg></body></html>"
    )
    assert keep_whole(html, ["Hanne Engsted-Hansen"]) == (
        "<html><head><title>Om 1.500</title></head><body>"
        '<p>Skriv til<span class="keep-whole"> <span class="no-break">sekretariat@hk.dk</span></span>, se'
        '<span class="keep-whole"> <span class="no-break">https://</span><span class="no-break">www.kl.dk/</span>'
        '<span class="no-break">om-job-center/</span><span class="no-break">rapport</span></span>. '
        'I<span class="keep-whole"> <span class="no-break">2021–2023</span></span> var 1.500 med i sag'
        '<span class="keep-whole"> <span class="no-break">KL-2023-04</span></span>, sagde'
        '<span class="keep-whole"> Hanne Engsted-Hansen</span>.</p>'
        "<svg><text>1.500</text></svg></body></html>"
    )


def test_keep_whole_leaves_attributes_and_plain_words() -> None:
    html = '<body><a href="mailto:a@b.dk" title="x-1">Beskæftigelsesindsatsen i Aarhus</a></body>'
    assert keep_whole(html, ["Aa"]) == html


URL = "https://www.hkkommunal.dk/om-job-center/beskaeftigelsesindsatsen/rapport-om-fremtiden"
EMAIL = "sekretariatet.for.beskaeftigelse@hkkommunal.dk"


def test_print_never_hyphenates_an_address(make_project: Callable[..., Path]) -> None:
    openers = ["Skriv til", "Kontakt os gerne på", "Eller læs mere på", "Spørgsmål kan sendes til", "Se også"]
    text = " ".join(f"{opener} {EMAIL} eller læs {URL} her." for opener in openers * 3)
    publication = MINIMAL[PUBLICATION].replace("foreword: Forord.", f"foreword: {text}")
    root = make_project({PUBLICATION: publication})
    result = run("build", "--quiet", "--only", "compendium", "--format", "pdf", "--project", root)
    assert result.exit_code == 0, result.output
    pages, _ = read_pages(root / "build" / "compendium.pdf")
    lines = [line.text for page in pages for line in page.content()]
    broken = [line for line in lines if line.endswith(("-", "‐")) and line.split()[-1].rstrip("-‐") in URL + EMAIL]
    assert broken == []
    assert sum(EMAIL in line for line in lines) >= 10
