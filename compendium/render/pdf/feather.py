"""No page under half full before a page break the pieces need: the vertical space on the pages before it is eased.

The PDF is laid out in pieces that start where the template marks
`data-chunk`; inside a chapter (the stories chapter, cut at some groups'
headings) each such mark is a forced page break, and the page before it
ends wherever the text happens to end. When that page is under half full,
the vertical margins of the blocks on it and on the pages before it, back
to the last forced break and at most WINDOW pages, are scaled, as a
typesetter feathers a page: shrunk, so that the little left over moves
back onto the pages before, or else stretched, so that the page fills to
more than half. WeasyPrint lays out again only the pages from the first one
changed (its own repagination, `make_all_pages`), and the scaling is
undone if no attempt helps.

The same rule runs in one-piece layout (at every such break) and in a
piece (at its end, when the piece after it continues the chapter, which
pieces.py marks with SEAM on the body), so both give the same pages.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

SEAM = "data-chunk-seam"  # on a piece's body: the piece after it continues its chapter
CHUNK = "data-chunk"
WINDOW = 6  # pages whose spacing may change, the page before the break included
HALF = 0.5
STRETCH_TO = 0.62  # how full a stretched page is aimed to be
SHRINK_BELOW = 0.3  # a page less full than this is first pulled back onto the pages before it
LINE = 16.0  # about one line of body text, in CSS pixels: the slack a page break leaves
MIN_SCALE, MAX_SCALE = 0.25, 2.5
ATTEMPTS = 3


@contextlib.contextmanager
def feathered(seam_at_end: bool) -> Iterator[None]:
    """While a document is laid out, ease the spacing before every forced break inside a chapter."""
    import weasyprint.layout

    original = weasyprint.layout.make_all_pages

    def make_all_pages(context: Any, root_box: Any, html: Any, pages: list[Any]) -> Iterator[Any]:
        made = list(original(context, root_box, html, pages))
        if any(state[-1]["content_changed"] or state[-1]["pages_wanted"] for state in context.page_maker):
            return iter(made)  # WeasyPrint lays out again for its page references: ease the spacing after that
        shift = 0  # pages a seam before has taken away
        eased = made
        for last, run in _seams(made, seam_at_end):
            before = len(eased)
            eased = _feather(
                eased, (last + shift, run + shift), lambda old: list(original(context, root_box, html, old)), context
            )
            shift += len(eased) - before
        if eased is not made:
            _look_up_again(context)
        return iter(eased)

    weasyprint.layout.make_all_pages = make_all_pages
    try:
        yield
    finally:
        weasyprint.layout.make_all_pages = original


def _look_up_again(context: Any) -> None:
    """Have WeasyPrint fill in every target-counter() again: pages eased may have moved their anchors.

    WeasyPrint updates a page reference only while its target is missing,
    so the pages that print one are marked to be made again, and its layout
    loop (layout_document) goes round once more.
    """
    for (_, token), item in context.target_collector.counter_lookup_items.items():
        index = item.page_maker_index
        if token == "content" and index is not None and index < len(context.page_maker):
            item.parse_again(item.cached_page_counter_values)
            context.page_maker[index][-1]["content_changed"] = True


def _chunks_started(pages: list[Any]) -> list[list[Any]]:
    """List, for each page, the elements marked data-chunk whose boxes start on it."""
    seen: set[int] = set()
    started: list[list[Any]] = []
    for page in pages:
        here = []
        for box in page.descendants():
            element = getattr(box, "element", None)
            if element is not None and id(element) not in seen and element.get(CHUNK) is not None:
                seen.add(id(element))
                here.append(element)
        started.append(here)
    return started


def _in_chapter(element: Any) -> bool:
    """Tell whether a data-chunk element continues a chapter (a group of stories) rather than starting one."""
    classes = (element.get("class") or "").split()
    return "chapter" not in classes and "cover" not in classes and element.tag not in ("header", "nav", "main")


def _seams(pages: list[Any], seam_at_end: bool) -> list[tuple[int, int]]:
    """Give each page that a forced break inside a chapter follows, with the first page of its run."""
    started = _chunks_started(pages)
    seams: list[tuple[int, int]] = []
    run = 0
    for n in range(1, len(pages)):
        if started[n]:
            if any(_in_chapter(e) for e in started[n]):
                seams.append((n - 1, run))
            run = n
    if seam_at_end and pages:
        seams.append((len(pages) - 1, run))
    return seams


def fill(page: Any) -> float:
    """Tell how far down its text block a page's content reaches, from 0 to 1."""
    from weasyprint.formatting_structure import boxes

    top, height = page.content_box_y(), page.height
    bottom = top
    for box in page.descendants():
        if isinstance(box, (boxes.LineBox, boxes.ReplacedBox)):
            bottom = max(bottom, box.position_y + box.margin_height())
    return (bottom - top) / height if height else 1.0


def _feather(pages: list[Any], seam: tuple[int, int], remake: Any, context: Any) -> list[Any]:
    """Scale the spacing of the pages before a break until the page before it is at least half full."""
    last, run = seam
    if last >= len(pages) or fill(pages[last]) >= HALF:
        return pages
    first = max(run, last - WINDOW + 1)
    styles = _spacing(pages[first : last + 1])
    total = sum(abs(top) + abs(bottom) for _, (top, bottom) in styles.items())
    if not total:
        return pages
    full = fill(pages[last])
    height, count = pages[last].height, len(pages)
    wanted = [-(full * height + LINE)] if full < SHRINK_BELOW else []
    wanted.append((STRETCH_TO - full) * height)
    for change in wanted:
        for attempt in range(ATTEMPTS):
            scale = min(MAX_SCALE, max(MIN_SCALE, 1 + change * (1 + attempt / 2) / total))
            pages = _relaid(pages, (first, last), styles, scale, remake, context)
            end = last - (count - len(pages))
            if first <= end < len(pages) and fill(pages[end]) >= HALF:
                return pages
    return _relaid(pages, (first, last), styles, 1.0, remake, context)


def _spacing(pages: list[Any]) -> dict[Any, tuple[float, float]]:
    """Map the style of every block on the pages to its own top and bottom margins, in pixels."""
    from weasyprint.formatting_structure import boxes

    found: dict[int, Any] = {}
    margins: dict[Any, tuple[float, float]] = {}
    for page in pages:
        for box in page.descendants():
            if not isinstance(box, boxes.BlockBox) or getattr(box, "element", None) is None:
                continue
            style = box.style
            if id(style) in found:
                continue
            top, bottom = style["margin_top"], style["margin_bottom"]
            if getattr(top, "unit", None) == "px" and getattr(bottom, "unit", None) == "px":
                found[id(style)] = style
                margins[_Key(style)] = (float(top.value), float(bottom.value))
    return margins


class _Key:
    """A style as a dictionary key, by identity (WeasyPrint's styles are dictionaries, which do not hash)."""

    def __init__(self, style: Any) -> None:
        self.style = style

    def __hash__(self) -> int:
        return id(self.style)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Key) and other.style is self.style


def _relaid(
    pages: list[Any],
    window: tuple[int, int],
    styles: dict[Any, tuple[float, float]],
    scale: float,
    remake: Any,
    context: Any,
) -> list[Any]:
    """Set the margins to scale times their own, and lay out again the pages that hold them."""
    from weasyprint.css.properties import Dimension

    for key, (top, bottom) in styles.items():
        key.style["margin_top"] = Dimension(top * scale, "px")
        key.style["margin_bottom"] = Dimension(bottom * scale, "px")
    first, last = window
    # Every page of the window, not only the first: WeasyPrint remakes a later page only when its start moved.
    for state in context.page_maker[first : last + 1]:
        state[-1]["content_changed"] = True
    return remake(pages)
