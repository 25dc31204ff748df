"""Measure a built PDF as a typesetter would: line length, hyphenation, page fill, headings at page feet.

    python -m benchmarks.typography build/compendium.pdf [--json]
    make typography PDF=build/compendium.pdf

Everything is read from the PDF alone (pdfplumber gives each character's font, size, colour and
position), so any build can be measured, the example's, a generated corpus's or a real project's.
DESIGN.md explains the figures and quotes them for the example, a 300-story corpus and real material.

How lines are told apart:
- body: the font and size that set the most characters in lines filling most of the column
  (the running text), upright or italic;
- heading: every character bold, at the body size or larger, or any line larger than the body;
- small: captions, credits, meta lines, tables, notes (smaller than the body);
- margin: running heads and page numbers, outside the text block that the body lines span.
A page without a page number in its margin is a designed page (the cover, the colophon, the
contents), which the page measures leave out.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import statistics
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

# Characters a line may end with when a word is broken there: WeasyPrint's hyphenate-character
# (U+2010), the ASCII hyphen-minus and a visible soft hyphen.
HYPHENS = ("\u2010", "-", "\u00ad")
# A comfortable measure for running text, in characters per line (spaces included).
MEASURE = (60, 75)
# A line whose baseline is this many of its font sizes from another's is on the same line
# (covers superscript note calls and a bold word's slightly different metrics).
BASELINE_TOLERANCE = 0.4
# Characters on one baseline further apart than this many font sizes are in different columns.
COLUMN_GAP = 0.6
# A gap between two glyphs wider than this many font sizes is a word space.
WORD_GAP = 0.15
# Consecutive body lines further apart than this many line pitches are in different paragraphs.
PARAGRAPH_GAP = 1.25
# A page's last line reaching this share of its column's width may go on over the page.
FULL_LINE = 0.85
SHORT_PAGE_LINES = 3
HALF_FULL = 0.5
HEADING_KEEP = 3
SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")
STYLE_SUFFIX = re.compile(r"[-,]?(?:Bold|Italic|Oblique|Regular|Medium|Semibold|Light)+$", re.IGNORECASE)
LEADER = re.compile(r"(?:\. ?){4,}")
LIST_MARKER = re.compile(r"^(?:[•◦▪–-]|\d+[.)])\s")


@dataclass(frozen=True)
class Glyph:
    """One character as printed: where, how big, in which font and colour."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    baseline: float
    size: float
    font: str
    colour: tuple[float, ...]

    @property
    def bold(self) -> bool:
        """Whether the font is a bold one (by its name)."""
        return "bold" in self.font.lower()


@dataclass
class Line:
    """One printed line (a column's share of a baseline), with its style and place in the flow."""

    page: int
    glyphs: list[Glyph]
    kind: str = "small"
    # Set once the page's flow is known: whether the next line below goes on with this paragraph.
    continues: bool = False
    starts: bool = True
    next: Line | None = field(default=None, repr=False)

    @property
    def text(self) -> str:
        """The line's text, with a space wherever the glyphs leave a word gap."""
        out: list[str] = []
        previous: Glyph | None = None
        for glyph in self.glyphs:
            gap = glyph.x0 - previous.x1 if previous else 0.0
            if previous and gap > WORD_GAP * glyph.size and glyph.text != " " and not out[-1].endswith(" "):
                out.append(" ")
            out.append(glyph.text)
            previous = glyph
        return re.sub(r" {2,}", " ", "".join(out)).strip()

    @property
    def x0(self) -> float:
        """The line's left edge."""
        return min(g.x0 for g in self.glyphs)

    @property
    def x1(self) -> float:
        """The line's right edge."""
        return max(g.x1 for g in self.glyphs)

    @property
    def top(self) -> float:
        """The line's top, from the top of the page."""
        return min(g.top for g in self.glyphs)

    @property
    def bottom(self) -> float:
        """The line's bottom, from the top of the page."""
        return max(g.bottom for g in self.glyphs)

    @property
    def baseline(self) -> float:
        """The line's baseline, from the top of the page (a raised note call does not move it)."""
        return max(g.baseline for g in self.glyphs)

    @property
    def style(self) -> tuple[str, float]:
        """The font family and size that set most of the line's characters."""
        counts = Counter((family(g.font), round(g.size, 1)) for g in self.glyphs if g.text.strip())
        return counts.most_common(1)[0][0] if counts else ("", 0.0)

    @property
    def hyphenated(self) -> bool:
        """Whether the line ends with a word broken at a hyphen."""
        text = self.text
        return len(text) >= 2 and text.endswith(HYPHENS) and text[-2].isalnum()


@dataclass
class Page:
    """One page: its lines, and how much of the text block its content fills."""

    number: int
    lines: list[Line]
    figure_bottoms: list[float] = field(default_factory=list)
    numbered: bool = False
    chapter_start: bool = False

    def content(self) -> list[Line]:
        """The lines inside the text block, top to bottom."""
        return [line for line in self.lines if line.kind != "margin"]


@dataclass(frozen=True)
class Block:
    """The text block the body lines span, and the body's style and line pitch."""

    top: float
    bottom: float
    right: float
    body: tuple[str, float]
    pitch: float


@dataclass(frozen=True)
class Report:
    """The measures of one PDF."""

    pdf: str
    pages: int
    designed_pages: list[int]
    body_size: float
    body_lines: int
    measured_lines: int
    chars_median: float
    chars_p10: float
    chars_p90: float
    share_in_measure: float
    hyphenated_lines: int
    hyphenated_share: float
    hyphen_runs_3: int
    longest_hyphen_run: int
    short_pages: list[int]
    half_empty_pages: list[int]
    half_empty_chapter_ends: list[int]
    headings_at_page_foot: list[str]
    widows: list[str]
    orphans: list[str]
    broken_lines: list[str]
    smallest_text: float
    smallest_text_sample: str
    lowest_contrast: float
    lowest_contrast_sample: str


def family(font: str) -> str:
    """The font's family: its name without subset tag, weight or slant (ABCDEF+Noto-Serif-Italic → Noto-Serif)."""
    return STYLE_SUFFIX.sub("", SUBSET_TAG.sub("", font))


def read_glyphs(pdf_path: Path) -> tuple[list[list[Glyph]], list[list[float]], list[float]]:
    """Every page's glyphs, the bottoms of its pictures and filled boxes, and the page heights."""
    import pdfplumber  # a development tool: imported only when a report is made

    glyphs: list[list[Glyph]] = []
    figures: list[list[float]] = []
    heights: list[float] = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            glyphs.append([_glyph(c, page.height) for c in page.chars if c.get("upright", True)])
            figures.append([float(o["bottom"]) for o in (*page.images, *page.rects)])
            heights.append(float(page.height))
            page.close()  # pdfplumber keeps every page's objects otherwise; a 300-page PDF needs gigabytes
    return glyphs, figures, heights


def _glyph(char: dict[str, Any], height: float) -> Glyph:
    """Make a Glyph of a pdfplumber character."""
    colour = char.get("non_stroking_color") or (0.0,)
    if not isinstance(colour, tuple | list):
        colour = (float(colour),)
    return Glyph(
        text=str(char["text"]),
        x0=float(char["x0"]),
        x1=float(char["x1"]),
        top=float(char["top"]),
        bottom=float(char["bottom"]),
        baseline=height - float(char["matrix"][5]),
        size=float(char["size"]),
        font=str(char["fontname"]),
        colour=tuple(float(c) for c in colour if isinstance(c, int | float)),
    )


def group_lines(number: int, glyphs: Sequence[Glyph]) -> list[Line]:
    """Group a page's glyphs into lines: by baseline, then split where a column gap parts them."""
    rows: list[list[Glyph]] = []
    for glyph in sorted(glyphs, key=lambda g: (g.baseline, g.x0)):
        row = rows[-1] if rows else None
        if row and abs(glyph.baseline - row[0].baseline) <= BASELINE_TOLERANCE * max(glyph.size, row[0].size):
            row.append(glyph)
        else:
            rows.append([glyph])
    lines: list[Line] = []
    for row in rows:
        row.sort(key=lambda g: g.x0)
        segment = [row[0]]
        for glyph in row[1:]:
            if glyph.x0 - segment[-1].x1 > COLUMN_GAP * glyph.size:
                lines.append(Line(number, segment))
                segment = []
            segment.append(glyph)
        lines.append(Line(number, segment))
    return [line for line in lines if line.text]


def find_block(pages: Sequence[Page]) -> Block:
    """Find the body style (most characters in full lines), the text block its lines span, and its line pitch."""
    # Running text fills its column: count only lines at least 60 % as wide as the widest, so that
    # table cells, however many, do not pass for the body; nor do the contents' dotted leaders.
    widest = max((line.x1 - line.x0 for page in pages for line in page.lines), default=0.0)
    counts: Counter[tuple[str, float]] = Counter()
    for page in pages:
        for line in page.lines:
            if line.x1 - line.x0 >= 0.6 * widest and not LEADER.search(line.text):
                counts[line.style] += len(line.glyphs)
    body = counts.most_common(1)[0][0] if counts else ("", 0.0)
    body_lines = [line for page in pages for line in page.lines if line.style == body]
    if not body_lines:
        return Block(0.0, 0.0, 0.0, body, 0.0)
    pitches: Counter[float] = Counter()
    for page in pages:
        tops = sorted(line.top for line in page.lines if line.style == body)
        pitches.update(round(b - a, 1) for a, b in itertools.pairwise(tops) if 0 < b - a < 3 * body[1])
    pitch = pitches.most_common(1)[0][0] if pitches else 1.5 * body[1]
    return Block(
        top=min(line.top for line in body_lines),
        bottom=max(line.bottom for line in body_lines),
        right=max(line.x1 for line in body_lines),
        body=body,
        pitch=pitch,
    )


def classify(pages: Sequence[Page], block: Block) -> None:
    """Set each line's kind, and mark the pages that carry a running head or folio."""
    family_, size = block.body
    for page in pages:
        for line in page.lines:
            line_family, line_size = line.style
            if line.bottom < block.top - 1 or line.top > block.bottom + 1:
                line.kind = "margin"
            elif line_size > size * 1.15 or (
                line_size >= size * 0.95 and all(g.bold for g in line.glyphs if g.text.strip())
            ):
                line.kind = "heading"
            elif line_family == family_ and abs(line_size - size) < 0.3:
                line.kind = "body"
            else:
                line.kind = "small"
        page.numbered = any(line.kind == "margin" and line.text.isdigit() for line in page.lines)


def link_flow(page: Page, block: Block) -> None:
    """Mark which body lines go on with the paragraph below them (same column, one pitch down)."""
    content = page.content()
    for index, line in enumerate(content):
        below = _next_in_column(line, content[index + 1 :])
        line.continues = bool(
            below is not None
            and line.kind == "body"
            and below.kind == "body"
            and below.top - line.top <= PARAGRAPH_GAP * block.pitch
            and below.x0 >= line.x0 - 2
            and not LIST_MARKER.match(below.text)
        )
        if below is not None and line.continues:
            below.starts, line.next = False, below


def _next_in_column(line: Line, rest: Iterable[Line]) -> Line | None:
    """The first line below this one whose horizontal extent overlaps it."""
    for other in rest:
        if other.top > line.top + 1 and min(line.x1, other.x1) - max(line.x0, other.x0) > 0:
            return other
    return None


def read_pages(pdf_path: Path) -> tuple[list[Page], Block]:
    """Read a PDF into pages of classified lines, with the flow of its paragraphs linked."""
    glyphs, figures, _ = read_glyphs(pdf_path)
    pages = [
        Page(number, sorted(group_lines(number, page), key=lambda line: (line.top, line.x0)), bottoms)
        for number, (page, bottoms) in enumerate(zip(glyphs, figures, strict=True), start=1)
    ]
    block = find_block(pages)
    classify(pages, block)
    for page in pages:
        link_flow(page, block)
    _link_pages(pages, block)
    for number in chapter_starts(pdf_path):
        if 1 <= number <= len(pages):
            pages[number - 1].chapter_start = True
    return pages, block


def _link_pages(pages: Sequence[Page], block: Block) -> None:
    """Mark a page's last body line as going on over the page when the next page takes it up."""
    for page, following in itertools.pairwise(pages):
        content, next_content = page.content(), following.content()
        if not content or not next_content:
            continue
        last, first = content[-1], next_content[0]
        if last.kind == first.kind == "body" and abs(first.x0 - last.x0) <= 2 and _goes_on(last, first, block):
            last.continues, last.next, first.starts = True, first, False


def _goes_on(last: Line, first: Line, block: Block) -> bool:
    """Whether a page's last line and the next page's first are one paragraph.

    A broken word goes on for certain; otherwise the last line must be about as long as the
    column, and not look like a sentence's end followed by a new paragraph or list item.
    """
    if last.hyphenated:
        return True
    full = (last.x1 - last.x0) >= FULL_LINE * (block.right - last.x0)
    text, following = last.text, first.text
    sentence_ends = text.endswith((".", "!", "?", ":", "»", "«", '"', "”")) and following[:1].isupper()
    return full and not sentence_ends and not LIST_MARKER.match(following)


def chapter_starts(pdf_path: Path) -> list[int]:
    """The pages the PDF's top-level bookmarks point at (the chapters' first pages)."""
    from pypdf import PdfReader

    reader = PdfReader(pdf_path)
    starts: list[int] = []
    for item in reader.outline:
        number = None if isinstance(item, list) else reader.get_destination_page_number(item)
        if number is not None:
            starts.append(number + 1)
    return starts


def paragraphs(pages: Sequence[Page]) -> list[list[Line]]:
    """Every paragraph of body text, as its lines in order (following them over page breaks)."""
    found: list[list[Line]] = []
    for page in pages:
        for line in page.content():
            if line.kind == "body" and line.starts:
                chain = [line]
                while chain[-1].next is not None and len(chain) < 10_000:
                    chain.append(chain[-1].next)
                found.append(chain)
    return found


def hyphen_runs(chains: Iterable[Sequence[Line]]) -> list[int]:
    """The lengths of every run of consecutive lines ending hyphenated."""
    runs: list[int] = []
    for chain in chains:
        run = 0
        for line in chain:
            if line.hyphenated:
                run += 1
                continue
            if run:
                runs.append(run)
            run = 0
        if run:
            runs.append(run)
    return runs


def split_paragraphs(chains: Iterable[Sequence[Line]]) -> tuple[list[str], list[str]]:
    """Widows (a paragraph's last line alone atop a page) and orphans (its first alone at a page foot)."""
    widows: list[str] = []
    orphans: list[str] = []
    for chain in chains:
        per_page = Counter(line.page for line in chain)
        if len(per_page) < 2:
            continue
        first_page, last_page = chain[0].page, chain[-1].page
        if per_page[first_page] == 1:
            orphans.append(f"p. {first_page}: {chain[0].text}")
        if per_page[last_page] == 1:
            widows.append(f"p. {last_page}: {chain[-1].text}")
    return widows, orphans


def broken_lines(body: Iterable[Line], block: Block) -> list[str]:
    """Lines that go on in their paragraph yet are under half as long as the next: a break gone wrong.

    Only lines one pitch apart count, so a block that follows a paragraph (a note under a key figure)
    is not taken for its continuation.
    """
    return [
        f"p. {line.page}: {line.text}"
        for line in body
        if line.next is not None
        and line.next.continues
        and line.next.page == line.page
        and abs(line.next.baseline - line.baseline - block.pitch) < 1
        and (line.x1 - line.x0) < 0.5 * (line.next.x1 - line.next.x0)
    ]


def fill(page: Page, block: Block) -> float:
    """The share of the text block's height that the page's content reaches down to."""
    height = block.bottom - block.top
    if height <= 0:
        return 0.0
    bottoms = [line.bottom for line in page.content()]
    bottoms += [b for b in page.figure_bottoms if block.top < b <= block.bottom + 1]
    return max(0.0, min(1.0, (max(bottoms, default=block.top) - block.top) / height))


def short_pages(pages: Sequence[Page], block: Block) -> list[int]:
    """Numbered pages holding at most three lines and not half filled by a picture."""
    return [
        page.number
        for page in pages
        if page.numbered and len(page.content()) <= SHORT_PAGE_LINES and fill(page, block) < HALF_FULL
    ]


def half_empty(pages: Sequence[Page], block: Block) -> tuple[list[int], list[int]]:
    """Pages under half full: those inside a chapter, and those that end one (kept apart)."""
    inside: list[int] = []
    ends: list[int] = []
    for index, page in enumerate(pages):
        if not page.numbered or fill(page, block) >= HALF_FULL:
            continue
        following = pages[index + 1] if index + 1 < len(pages) else None
        chapter_end = following is None or following.chapter_start or not following.numbered
        (ends if chapter_end else inside).append(page.number)
    return inside, ends


def headings_at_foot(pages: Sequence[Page]) -> list[str]:
    """Headings followed by fewer than three lines on their page while their section goes on overleaf."""
    found: list[str] = []
    for index, page in enumerate(pages[:-1]):
        following = pages[index + 1]
        next_content = following.content()
        if not page.numbered or following.chapter_start or not next_content or next_content[0].kind == "heading":
            continue
        content = page.content()
        for position, line in enumerate(content):
            after = content[position + 1 :]
            if line.kind == "heading" and (not after or after[0].kind != "heading"):
                below = [other for other in after if other.top > line.bottom]
                if len(below) < HEADING_KEEP:
                    found.append(f"p. {page.number}: {line.text}")
    return found


def contrast(colour: Sequence[float]) -> float:
    """The WCAG contrast ratio of a text colour (grey, RGB or CMYK, 0–1) on white paper."""
    if len(colour) == 4:
        c, m, y, k = colour
        colour = ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    elif len(colour) != 3:
        colour = (colour[0] if colour else 0.0,) * 3

    def linear(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(v) for v in colour)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return round(1.05 / (luminance + 0.05), 2)


def faintest(pages: Sequence[Page]) -> tuple[float, str, float, str]:
    """The smallest text size and the lowest contrast inside the text block, each with its line."""
    smallest, small_line = float("inf"), ""
    lowest, low_line = float("inf"), ""
    for page in pages:
        for line in page.content():
            for glyph in line.glyphs:
                if not glyph.text.strip():
                    continue
                if glyph.size < smallest:
                    smallest, small_line = glyph.size, f"p. {page.number}: {line.text}"
                ratio = contrast(glyph.colour)
                if ratio < lowest:
                    lowest, low_line = ratio, f"p. {page.number}: {line.text}"
    return round(smallest, 2), small_line, lowest, low_line


def percentile(values: Sequence[int], share: float) -> float:
    """The value below which the given share of the values lie (nearest rank)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return float(ordered[min(len(ordered) - 1, int(share * len(ordered)))])


def measure(pdf_path: Path) -> Report:
    """Measure one PDF."""
    pages, block = read_pages(pdf_path)
    body = [line for page in pages for line in page.content() if line.kind == "body"]
    # The measure is read on lines that go on (a paragraph's last line is as short as it happens to be).
    lengths = [len(line.text) for line in body if line.continues]
    chains = paragraphs(pages)
    runs = hyphen_runs(chains)
    widows, orphans = split_paragraphs(chains)
    inside, ends = half_empty(pages, block)
    smallest, small_line, lowest, low_line = faintest(pages)
    hyphenated = sum(line.hyphenated for line in body)
    return Report(
        pdf=str(pdf_path),
        pages=len(pages),
        designed_pages=[page.number for page in pages if not page.numbered],
        body_size=block.body[1],
        body_lines=len(body),
        measured_lines=len(lengths),
        chars_median=float(statistics.median(lengths)) if lengths else 0.0,
        chars_p10=percentile(lengths, 0.1),
        chars_p90=percentile(lengths, 0.9),
        share_in_measure=round(sum(MEASURE[0] <= n <= MEASURE[1] for n in lengths) / len(lengths), 3)
        if lengths
        else 0.0,
        hyphenated_lines=hyphenated,
        hyphenated_share=round(hyphenated / len(body), 3) if body else 0.0,
        hyphen_runs_3=sum(run >= 3 for run in runs),
        longest_hyphen_run=max(runs, default=0),
        short_pages=short_pages(pages, block),
        half_empty_pages=inside,
        half_empty_chapter_ends=ends,
        headings_at_page_foot=headings_at_foot(pages),
        widows=widows,
        orphans=orphans,
        broken_lines=broken_lines(body, block),
        smallest_text=smallest,
        smallest_text_sample=small_line,
        lowest_contrast=lowest,
        lowest_contrast_sample=low_line,
    )


def table(report: Report) -> str:
    """The report as a readable table, with the targets beside the figures."""

    def pages_(numbers: Sequence[int]) -> str:
        return f"{len(numbers)}" + (
            f" (p. {', '.join(map(str, numbers[:12]))}{' …' if len(numbers) > 12 else ''})" if numbers else ""
        )

    rows = [
        ("pages", f"{report.pages} ({len(report.designed_pages)} designed: no page number)", ""),
        ("body text", f"{report.body_size:g} pt, {report.body_lines} lines", ""),
        (
            "characters per line, median",
            f"{report.chars_median:g} (10–90 %: {report.chars_p10:g}–{report.chars_p90:g})",
            "60–75",
        ),
        ("lines within 60–75 characters", f"{report.share_in_measure:.0%}", ""),
        ("lines ending hyphenated", f"{report.hyphenated_lines} ({report.hyphenated_share:.1%})", "≤ 8 %"),
        ("runs of ≥ 3 hyphenated line ends", f"{report.hyphen_runs_3} (longest {report.longest_hyphen_run})", "0"),
        ("pages with ≤ 3 lines", pages_(report.short_pages), "0"),
        ("pages under half full, inside a chapter", pages_(report.half_empty_pages), "≤ 1 per chapter"),
        ("pages under half full, ending a chapter", pages_(report.half_empty_chapter_ends), ""),
        ("headings at a page foot", f"{len(report.headings_at_page_foot)}", "0"),
        ("widows (last line atop a page)", f"{len(report.widows)}", "0"),
        ("orphans (first line at a page foot)", f"{len(report.orphans)}", "0"),
        ("lines broken too early (under half the next)", f"{len(report.broken_lines)}", "0"),
        ("smallest text", f"{report.smallest_text:g} pt", ""),
        ("lowest contrast on white", f"{report.lowest_contrast:g}:1", "≥ 4.5:1"),
    ]
    width = max(len(name) for name, _, _ in rows)
    value_width = max(len(value) for _, value, _ in rows)
    out = [f"Typography of {report.pdf}", ""]
    out += [f"{name:<{width}}  {value:<{value_width}}  {target}".rstrip() for name, value, target in rows]
    details = [
        ("Headings at a page foot", report.headings_at_page_foot),
        ("Widows", report.widows),
        ("Orphans", report.orphans),
        ("Lines broken too early", report.broken_lines),
        ("Smallest text", [report.smallest_text_sample] if report.smallest_text_sample else []),
        ("Lowest contrast", [report.lowest_contrast_sample] if report.lowest_contrast_sample else []),
    ]
    for title, items in details:
        if items:
            out += ["", f"{title}:"] + [f"  {item[:100]}" for item in items[:20]]
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the typography report of one or more PDFs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("pdf", nargs="+", type=Path, help="a built PDF")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    missing = [str(path) for path in args.pdf if not path.is_file()]
    if missing:
        print(f"Error: no such PDF: {', '.join(missing)}", file=sys.stderr)
        return 1
    reports = [measure(path) for path in args.pdf]
    if args.json:
        print(
            json.dumps(
                [asdict(r) for r in reports] if len(reports) > 1 else asdict(reports[0]), ensure_ascii=False, indent=2
            )
        )
    else:
        print("\n\n".join(table(r) for r in reports))
    return 0


if __name__ == "__main__":
    sys.exit(main())
