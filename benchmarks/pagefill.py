"""How full each page of a built PDF is, and which pages are under half full, chapter by chapter.

    python -m benchmarks.pagefill build/compendium.pdf

A page's fill is how far down its text reaches: from the highest line of
body text found on any page (the top of the text block) to the lowest one
on this page, divided by the text block's height (the highest minus the
lowest line of body text on any page). Running heads and page numbers are
Artifacts and do not count. Chapters are the outline's first-level
bookmarks; a chapter's last page is its end, and is reported apart.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from compendium.render.pdf.structure import _text_runs

HALF = 0.5


@dataclass(frozen=True)
class PageFill:
    """One page: its number (1-based), its chapter, how full it is, and whether it ends its chapter."""

    page: int
    chapter: str
    fill: float
    chapter_end: bool


def _lowest_lines(pdf: pikepdf.Pdf) -> list[tuple[float, float] | None]:
    """Give each page's highest and lowest line of body text, or None for a page without any."""
    found: list[tuple[float, float] | None] = []
    for page in pdf.pages:
        ys = [y for mark, y in _text_runs(page) if mark is not None and mark != "/Artifact"]
        found.append((max(ys), min(ys)) if ys else None)
    return found


def _chapters(pdf: pikepdf.Pdf) -> list[str]:
    """Name each page's chapter after the last first-level bookmark at or before it."""
    pages: dict[tuple[int, int], int] = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
    starts: list[tuple[int, str]] = []
    with pdf.open_outline() as outline:
        for item in outline.root:
            dest = item.destination
            target = dest[0] if isinstance(dest, pikepdf.Array) else None
            if target is None and item.action is not None:
                target = item.action.get("/D", [None])[0]
            if target is not None and target.objgen in pages:
                starts.append((pages[target.objgen], item.title))
    starts.sort()
    names = []
    for n in range(len(pdf.pages)):
        before = [title for at, title in starts if at <= n]
        names.append(before[-1] if before else "(front)")
    return names


def page_fills(path: Path) -> list[PageFill]:
    """Measure every page of a PDF."""
    with pikepdf.open(path) as pdf:
        lines = _lowest_lines(pdf)
        chapters = _chapters(pdf)
    known = [line for line in lines if line is not None]
    top = max(high for high, _ in known)
    bottom = min(low for _, low in known)
    fills = []
    for n, (line, chapter) in enumerate(zip(lines, chapters, strict=True)):
        fill = 0.0 if line is None else (top - line[1]) / (top - bottom)
        end = n + 1 == len(chapters) or chapters[n + 1] != chapter
        fills.append(PageFill(n + 1, chapter, round(fill, 3), end))
    return fills


def under_half(fills: list[PageFill], chapter_ends: bool = False) -> list[PageFill]:
    """List the pages under half full (chapters' last pages only when asked)."""
    return [f for f in fills if f.fill < HALF and (chapter_ends or not f.chapter_end)]


def main(argv: list[str] | None = None) -> None:
    """Print the pages under half full, per chapter, and the counts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", type=Path)
    args = parser.parse_args(argv)
    fills = page_fills(args.pdf)
    low = under_half(fills)
    ends = [f for f in under_half(fills, chapter_ends=True) if f.chapter_end]
    for f in low:
        print(f"page {f.page}: {f.fill:.0%} full ({f.chapter})")
    per_chapter: dict[str, int] = {}
    for f in low:
        per_chapter[f.chapter] = per_chapter.get(f.chapter, 0) + 1
    worst = max(per_chapter.values(), default=0)
    print(
        f"{len(fills)} pages; {len(low)} under half full, not counting chapter ends "
        f"(at most {worst} in one chapter); {len(ends)} chapter ends under half full"
    )


if __name__ == "__main__":
    main()
