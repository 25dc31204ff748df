"""The stories chapter in groups by municipality, and the page before a forced break at least half full."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from benchmarks.pagefill import page_fills
from compendium.assemble import groups
from compendium.assemble.groups import danish_key, group_stories, slug
from compendium.pipeline import build
from compendium.project import find_project
from compendium.render.pdf import feather
from compendium.render.pdf.layout import write_pdf


@dataclass(frozen=True)
class _Story:
    name: str
    municipality: str | None


def _titles(stories: list[_Story]) -> list[tuple[str, list[str]]]:
    return [(g.title, [s.name for s in g.stories]) for g in group_stories(stories, "Andre steder")]


def test_groups_are_in_danish_order_with_the_unplaced_last() -> None:
    stories = [
        _Story("a", "Aarhus"),
        _Story("b", "Ærø"),
        _Story("c", None),
        _Story("d", "Vejle"),
        _Story("e", "Ødsted"),
        _Story("f", "Århus"),
        _Story("g", "Esbjerg"),
        _Story("h", "Vejle"),
        _Story("i", " "),
    ]
    assert _titles(stories) == [
        ("Esbjerg", ["g"]),
        ("Vejle", ["d", "h"]),
        ("Ærø", ["b"]),
        ("Ødsted", ["e"]),
        ("Aarhus", ["a"]),  # 'aa' is read as å, as Danish readers look for it
        ("Århus", ["f"]),
        ("Andre steder", ["c", "i"]),
    ]


def test_the_order_does_not_depend_on_the_order_of_the_stories() -> None:
    stories = [_Story(str(i), place) for i, place in enumerate(["Kolding", "Aalborg", "Køge", "Odense", "Kolding"])]
    assert [g.title for g in group_stories(stories, "-")] == [
        g.title for g in group_stories(list(reversed(stories)), "-")
    ]
    assert sorted(["Køge", "Kolding", "Aalborg", "Århus", "Zealand"], key=danish_key) == [
        "Kolding",
        "Køge",
        "Zealand",
        "Aalborg",
        "Århus",
    ]


def test_group_anchors_are_ascii_and_unique() -> None:
    stories = [_Story("a", "Høje-Taastrup"), _Story("b", "Hoeje Taastrup"), _Story("c", "Ærø")]
    anchors = [g.id for g in group_stories(stories, "Andre steder")]
    assert anchors == ["stories-hoeje-taastrup", "stories-hoeje-taastrup-2", "stories-aeroe"]
    assert slug("Københavns Kommune") == "koebenhavns-kommune"


def test_pieces_start_at_group_headings_and_inside_long_groups(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(groups, "PIECE_STORIES", 3)
    stories = [_Story(str(i), place) for i, place in enumerate("AABBBCDDDDDDDEEF")]
    made = group_stories(stories, "-")
    assert [(g.title, g.starts_piece, sorted(g.piece_starts)) for g in made] == [
        ("A", False, []),
        ("B", False, []),  # 2 stories since the start: not yet
        ("C", True, []),  # 5 since the start
        ("D", False, [3, 6]),  # a group of 7 (twice 3 or more) is cut between stories, every 3
        ("E", False, []),  # 1 story since the last cut inside D
        ("F", True, []),  # 3 since then
    ]


STORIES = {
    f"inputs/stories/historie-{i}.yaml": f"""\
        id: historie-{i}
        title: Historie {i}
        workplace: Jobcenter {place}
        municipality: {place}
        teller:
          name: Fortæller Nummer{i}
          consent: {consent}
        date: 2026-09-{10 + i}
        themes: [tillid]
        body: Historien.
        """
    for i, (place, consent) in enumerate(
        [("Aalborg", "named"), ("Viborg", "named"), ("Ærø", "named"), ("Skjulested", "anonymous")], start=1
    )
}


def test_each_group_has_a_heading_listed_in_the_contents(make_project: Callable[..., Path]) -> None:
    root = make_project(STORIES)
    build(find_project(explicit=root), formats=("html",))
    html = (root / "build/compendium.html").read_text(encoding="utf-8")
    headings = re.findall(
        r'<section class="story-group" id="([^"]+)"[^>]*>\s*<h3 class="group-title">([^<]+)</h3>', html
    )
    # The minimal project's story has no municipality; the anonymous teller's would identify them.
    assert headings == [
        ("stories-viborg", "Viborg"),
        ("stories-aeroe", "Ærø"),
        ("stories-aalborg", "Aalborg"),
        ("stories-andre-steder", "Andre steder"),
    ]
    toc = html[html.index('<nav class="toc"') : html.index("</nav>")]
    assert re.findall(r'<a data-page="side" href="#(stories-[^"]+)">([^<]+)</a>', toc) == headings
    assert "Skjulested" not in html
    last = html[html.index('id="stories-andre-steder"') :]
    assert last.index('id="story-gaaturen"') < last.index('id="story-historie-4"')


def _seam_html(paragraphs: int) -> str:
    """A small document whose chapter is cut by a forced break after some paragraphs."""
    para = "<p>" + "Ord i en linje der fylder. " * 6 + "</p>"
    style = (
        "@page { size: 120mm 100mm; margin: 10mm; } body { font-size: 10pt; line-height: 1.4; }"
        " p { margin: 0 0 8pt; } .story-group[data-chunk] { break-before: page; }"
    )
    return (
        f"<!DOCTYPE html><html><head><style>{style}</style></head><body>"
        f'<section class="chapter" data-chunk><h2 class="chapter-title">Kapitel</h2>{para * paragraphs}'
        f'<section class="story-group" data-chunk><h3>Gruppe</h3>{para * 3}</section></section></body></html>'
    )


# 8 paragraphs leave 2 lines on the page before the break (pulled back); 9 leave 44 % of it (stretched).
@pytest.mark.parametrize("paragraphs", [8, 9], ids=["shrunk", "stretched"])
def test_the_page_before_a_break_inside_a_chapter_is_at_least_half_full(
    paragraphs: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "assets").mkdir()
    html = _seam_html(paragraphs)
    plain = tmp_path / "plain.pdf"
    with monkeypatch.context() as patch:
        patch.setattr(feather, "HALF", 0.0)  # nothing to ease: the page as the text falls
        write_pdf(html, tmp_path, plain)
    eased = tmp_path / "eased.pdf"
    write_pdf(html, tmp_path, eased)
    before = [f.fill for f in page_fills(plain)]
    after = [f.fill for f in page_fills(eased)]
    assert before[-2] < 0.5  # the page before the break, laid out as the text falls
    assert after[-2] >= 0.5
    assert PdfReader(eased).pages[-1].extract_text().startswith("Gruppe")
