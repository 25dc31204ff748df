"""Split a document's HTML into pieces that each start a page, so the PDF can be laid out in parallel.

The template marks every place where the print layout starts a new page
anyway (the cover, each chapter, each group of stories after the first)
with a data-chunk attribute. Each piece becomes a whole HTML document: the
same head and style, the body's parts that precede the first marker (the
edition mark), the elements that enclose the piece reopened without their
ids, and the piece itself. What one-piece layout would carry across the
cut is given to the piece: the running-head strings, as a string-set on
the body, and the page numbers of the cross-references and the table of
contents, as data attributes that a piece style sheet shows instead of
target-counter(). The pieces' first page numbers are set when the PDF is
made (layout.finish).

A template without the markers, or a style sheet that uses page-based
features this cannot reproduce, gives no pieces: the document is then laid
out in one piece as before.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass

from compendium.render.pdf.feather import SEAM
from compendium.render.pdf.tagging import CONTINUED_ATTRIBUTE

MARKER = re.compile(r"<(?:header|section|div|article|nav)\b[^>]*?\sdata-chunk(?=[\s>=/])[^>]*>")
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
VOID = frozenset(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"])
ID_ATTR = re.compile(r"\s+id=\"[^\"]*\"")
# Links whose page number the default style sheet prints with target-counter().
NUMBERED_LINK = re.compile(r"<a\b(?=[^>]*\bclass=\"[^\"]*\bxref\b)[^>]*\shref=\"#([^\"]+)\"[^>]*>")
TOC = re.compile(r"<nav\b[^>]*\bclass=\"[^\"]*\btoc\b[^>]*>.*?</nav>", re.S)
INTERNAL_LINK = re.compile(r"<a\b[^>]*\shref=\"#([^\"]+)\"[^>]*>")
# The only page-based content the pieces can reproduce: these two rules of the default style sheet.
KNOWN_COUNTERS = (
    '.toc a::after { content: leader(". ") target-counter(attr(href), page); }',
    'a.xref::after { content: " (" attr(data-page) " " target-counter(attr(href), page) ")"; }',
)
PIECE_STYLE = """<style>
@media print {
  .toc a::after { content: leader(". ") attr(data-chunk-page); }
  a.xref::after { content: " (" attr(data-page) " " attr(data-chunk-page) ")"; }
}
</style>
"""
# Page features that depend on the whole document: one-piece layout only.
WHOLE_DOCUMENT = re.compile(r"counter\(\s*pages\s*\)|:left|:right|:blank|:nth\(|target-text")
# Footnotes are numbered through the document unless every page starts them afresh, as the default style does.
FOOTNOTES_PER_PAGE = re.compile(r"@page\s*\{\s*counter-reset:\s*footnote\s*[;}]")
HEADING = re.compile(r"<h2\b[^>]*\bclass=\"[^\"]*\bchapter-title\b[^>]*>(.*?)</h2>", re.S)
COVER_TITLE = re.compile(r"<h1\b[^>]*\bclass=\"[^\"]*\bcover-title\b[^>]*>(.*?)</h1>", re.S)


@dataclass(frozen=True)
class DocumentPiece:
    """One piece of a document, as HTML with a hole before each link that needs a page number."""

    name: str
    parts: tuple[str, ...]  # the HTML around the holes
    refs: tuple[str, ...]  # the anchor each hole needs the page of

    def html(self, pages: dict[str, int]) -> str:
        """Fill in the page numbers of the anchors the piece refers to ('?' for one that is nowhere)."""
        out = [self.parts[0]]
        for ref, part in zip(self.refs, self.parts[1:], strict=True):
            out.append(f' data-chunk-page="{pages.get(ref, "?")}"')
            out.append(part)
        return "".join(out)


def split(document: str) -> list[DocumentPiece] | None:
    """Cut a document at its data-chunk markers; None when it cannot be cut correctly."""
    head_end = document.find("</head>")
    body = re.search(r"<body\b[^>]*>", document)
    body_end = document.rfind("</body>")
    if head_end < 0 or body is None or body_end < body.end() or "style=" in body.group(0):
        return None
    styles = "".join(re.findall(r"<style\b[^>]*>(.*?)</style>", document[:head_end], re.S))
    if not _style_supported(styles):
        return None
    start = body.end()
    cuts = [_cut_point(document, m.start(), start) for m in MARKER.finditer(document, start, body_end)]
    if len(cuts) < 2:
        return None
    stacks = _open_elements(document, start, body_end, cuts)
    if stacks is None:
        return None
    head = document[:head_end] + PIECE_STYLE + document[head_end : body.end()] + document[start : cuts[0]]
    if stacks[0]:
        return None  # the first marker must be a child of the body, so that what precedes it is all preamble
    title = _text(COVER_TITLE, document[cuts[0] : cuts[1]])
    pieces = []
    ends = [*cuts[1:], body_end]
    # A piece without a chapter heading continues the chapter before it.
    continues = [HEADING.search(document, cut, end) is None for cut, end in zip(cuts, ends, strict=True)]
    for i, (cut, end) in enumerate(zip(cuts, ends, strict=True)):
        opened, closing = stacks[i], stacks[i + 1] if i + 1 < len(stacks) else []
        # Marked as continued, so that the PDF's structure joins them to the previous piece's (tagging.py).
        reopen = "".join(ID_ATTR.sub("", tag)[:-1] + f" {CONTINUED_ATTRIBUTE}>" for _, tag in opened)
        text = reopen + document[cut:end] + "".join(f"</{name}>" for name, _ in reversed(closing))
        # A continued chapter keeps its running head too.
        carried = _carried_strings(document, start, cut, title, continued=continues[i])
        # The string-set goes on the body: it applies from the piece's first page.
        piece_head = head.replace("<body", f'<body style="{carried}"', 1) if i > 0 and carried else head
        if i + 1 < len(continues) and continues[i + 1]:
            # The page break after this piece falls inside a chapter: its last page must not stay near empty.
            piece_head = piece_head.replace("<body", f"<body {SEAM}", 1)
        pieces.append(_piece(_name(document, cut, i), piece_head + text + "\n</body>\n</html>\n", front=i == 0))
    return pieces


def _style_supported(styles: str) -> bool:
    """Tell whether every page-based feature of the style sheets can be reproduced piece by piece."""
    compact = re.sub(r"\s+", " ", styles)
    if WHOLE_DOCUMENT.search(compact) or ("footnote" in compact and not FOOTNOTES_PER_PAGE.search(compact)):
        return False
    return compact.count("target-counter(") == sum(compact.count(rule) for rule in KNOWN_COUNTERS)


def _cut_point(document: str, marker: int, floor: int) -> int:
    """Move a cut back over the start tags just before it, so that a parent opened there goes with it."""
    cut = marker
    while True:
        before = document[floor:cut].rstrip()
        tag_start = before.rfind("<")
        tag = TAG.fullmatch(before, tag_start) if tag_start >= 0 and before.endswith(">") else None
        if tag is None or tag.group(1) or tag.group(2).lower() in VOID or tag.group(3).rstrip().endswith("/"):
            return cut
        cut = floor + tag_start


def _open_elements(document: str, start: int, end: int, cuts: list[int]) -> list[list[tuple[str, str]]] | None:
    """Return the elements open at each cut (name and start tag); None when the tags do not nest."""
    stack: list[tuple[str, str]] = []
    stacks: list[list[tuple[str, str]]] = []
    pending = iter(cuts)
    cut = next(pending, None)
    for tag in TAG.finditer(document, start, end):
        while cut is not None and tag.start() >= cut:
            stacks.append(list(stack))
            cut = next(pending, None)
        closing, name = tag.group(1), tag.group(2).lower()
        if name in VOID or tag.group(3).rstrip().endswith("/"):
            continue
        if not closing:
            stack.append((name, tag.group(0)))
        elif not stack or stack.pop()[0] != name:
            return None
    while cut is not None:
        stacks.append(list(stack))
        cut = next(pending, None)
    return stacks if not stack else None


def _text(pattern: re.Pattern[str], html: str) -> str | None:
    """Return the text of the last element a pattern matches, tags removed."""
    found = pattern.findall(html)
    return html_lib.unescape(re.sub(r"<[^>]+>", "", found[-1])).strip() if found else None


def _carried_strings(document: str, start: int, cut: int, title: str | None, continued: bool) -> str:
    """Give the running-head strings that one-piece layout would carry onto a piece's first page."""
    strings = []
    if title is not None:
        strings.append(f"doctitle {_css_string(title)}")
    chapter = _text(HEADING, document[start:cut]) if continued else None
    if chapter is not None:
        strings.append(f"chapter {_css_string(chapter)}")
    return html_lib.escape(f"string-set: {', '.join(strings)}") if strings else ""


def _css_string(text: str) -> str:
    """Quote text as a CSS string."""
    return '"' + re.sub(r'(["\\])', r"\\\1", " ".join(text.split())) + '"'


def _name(document: str, cut: int, index: int) -> str:
    """Name a piece after its first element with an id, or its number."""
    found = re.search(r"\sid=\"([^\"]+)\"", document[cut : cut + 2000])
    return f"{index:03d}-{found.group(1) if found else 'piece'}"


def _piece(name: str, html: str, front: bool) -> DocumentPiece:
    """Make a piece, leaving a hole in each link whose page number it prints."""
    holes: list[tuple[int, str]] = []
    for link in NUMBERED_LINK.finditer(html):
        holes.append((link.start() + 2, link.group(1)))
    if front:
        for toc in TOC.finditer(html):
            for link in INTERNAL_LINK.finditer(html, toc.start(), toc.end()):
                holes.append((link.start() + 2, link.group(1)))
    holes = sorted(set(holes))
    parts, refs, last = [], [], 0
    for at, ref in holes:
        parts.append(html[last:at])
        refs.append(ref)
        last = at
    parts.append(html[last:])
    return DocumentPiece(name, tuple(parts), tuple(refs))
