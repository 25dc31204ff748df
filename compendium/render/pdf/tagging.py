"""PDF tags for WeasyPrint 70, made as PDF/UA means them rather than as WeasyPrint 70 makes them.

WeasyPrint builds its structure tree page by page from the boxes it drew
(weasyprint/pdf/tags.py). That tree passes a validator's syntax rules but
reads badly: running heads and page numbers are marked content that no
element lists, every page starts a new Part, Sect and Table, a repeated
table header is read again as a header, the contents' leader dots are
words of a link nested in a link, a definition list is a list of lone
items, header cells have no Scope, a figure's BBox is in CSS pixels, and a
hyphenated word is read as two.

This module replaces WeasyPrint's `add_tags` while a document is written
(`tagged()`), pinned to the version layout.py lays out with. It keeps
WeasyPrint's way of numbering marked content and annotations, and changes
what the tree says:

- content that is not part of the text (the page margins, which hold the
  running heads, page numbers and the internal edition's mark; leaders; a
  table header repeated on a later page) is drawn as /Artifact marked
  content and is not in the tree at all;
- one element per HTML element, however many pages and lines it spans;
  the elements that pieces.py reopens at the start of a piece carry
  CONTINUED, so that merge.py can join them to the previous piece's;
- a link is one Link, whatever pseudo-elements it has, whose annotations'
  /Contents are its visible text ("Bilag A. Deltagere, side 27");
- lists are L > LI > Lbl / LBody, a <dl>'s dt and dd included;
- header cells have /Scope (and cells no /Headers, which would need IDs);
- a figure's BBox is in PDF points inside its page, and an SVG's Alt is its
  title and its description (the chart's description carries its numbers);
- a hyphenated fragment's Span has the /ActualText of the fragment without
  the hyphen, so the word reads whole.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

# The attribute that marks a box to be drawn as an artifact (set by flag_artifacts before drawing).
ARTIFACT = "_compendium_artifact"
# The key merge.py joins on: this element goes on from the same element in the previous piece.
CONTINUED = "CompendiumContinued"
# The attribute pieces.py puts on the elements it reopens at the start of a piece.
CONTINUED_ATTRIBUTE = "data-continued"
HEAD = "_compendium_head"  # set on the rows of a table's head
SVG = "{http://www.w3.org/2000/svg}"
PT_PER_PX = 0.75  # 72 PDF points per inch / 96 CSS pixels per inch
INLINE = frozenset(["span", "em", "strong", "b", "i", "small", "abbr", "cite", "q", "time", "code", "sup", "sub"])
GROUPS = frozenset(["header", "footer", "nav", "aside", "figure", "div"])
PDF_TAGS = {
    "main": "Part",
    "article": "Art",
    "section": "Sect",
    "blockquote": "BlockQuote",
    "p": "P",
    "ul": "L",
    "ol": "L",
    "dl": "L",
    "li": "LI",
    "dt": "Lbl",
    "dd": "LBody",
    "li::marker": "Lbl",
    "table": "Table",
    "tr": "TR",
    "th": "TH",
    "td": "TD",
    "thead": "THead",
    "tbody": "TBody",
    "tfoot": "TFoot",
    "img": "Figure",
    f"{SVG}svg": "Figure",
    "caption": "Caption",
    "figcaption": "Caption",
    "pre": "P",
    **{f"h{n}": f"H{n}" for n in range(1, 7)},
    **dict.fromkeys(INLINE, "Span"),
    **dict.fromkeys(GROUPS, "Div"),
}


def pdf_tag(element_tag: str | None, parent_tag: str | None) -> str:
    """Give the structure type of an HTML element (parent_tag: the enclosing element's)."""
    if element_tag is None:
        return "NonStruct"
    if element_tag.split(":")[0] == "a":
        return "Link"
    if element_tag == "div" and parent_tag == "dl":
        return "LI"  # a <div> grouping a dt and its dd
    return PDF_TAGS.get(element_tag, "NonStruct")


# --- before drawing: which boxes are artifacts -----------------------------------------------


def flag_artifacts(document: Any) -> None:
    """Mark the boxes that are not part of the text: page margins, leaders, a table's head or foot repeated on a later page."""
    heads: set[int] = set()
    for page in document.pages:
        seen: set[int] = set()
        _flag(page._page_box, False, heads, seen)
        heads |= seen


def _flag(box: Any, artifact: bool, heads: set[int], seen: set[int]) -> None:
    """Flag a box and its descendants."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout.absolute import AbsolutePlaceholder

    if isinstance(box, AbsolutePlaceholder):
        box = box._box
    if isinstance(box, boxes.MarginBox) or box.is_leader:
        artifact = True
    elif isinstance(box, boxes.TableRowGroupBox) and (box.is_header or box.is_footer) and box.element is not None:
        artifact = artifact or id(box.element) in heads
        seen.add(id(box.element))
    if artifact:
        setattr(box, ARTIFACT, True)
    for child in getattr(box, "children", ()):
        _flag(child, artifact, heads, seen)


class _Installed:
    """How many writes use these tags now, and WeasyPrint's own functions to put back when none does."""

    lock = threading.Lock()
    users = 0
    originals: tuple[Any, Any] | None = None


@contextmanager
def tagged() -> Iterator[None]:
    """Write PDFs with these tags while the block runs: WeasyPrint's add_tags and Stream.marked replaced.

    Counted, so that a write in another thread (serve) never finds WeasyPrint's own put back halfway.
    """
    import weasyprint.pdf
    from weasyprint.pdf.stream import Stream

    with _Installed.lock:
        if _Installed.users == 0:
            _Installed.originals = (weasyprint.pdf.add_tags, Stream.marked)
            marked = Stream.marked

            @contextmanager
            def marked_unless_artifact(stream: Any, box: Any, tag: str) -> Iterator[None]:
                with stream.artifact() if getattr(box, ARTIFACT, False) else marked(stream, box, tag):
                    yield

            weasyprint.pdf.add_tags = add_structure
            Stream.marked = marked_unless_artifact
        _Installed.users += 1
    try:
        yield
    finally:
        with _Installed.lock:
            _Installed.users -= 1
            if _Installed.users == 0 and _Installed.originals is not None:
                weasyprint.pdf.add_tags, Stream.marked = _Installed.originals


# --- the structure tree ----------------------------------------------------------------------


@dataclass
class _Link:
    """A link being tagged: its element, its annotations, its own text and its pseudo-elements' text."""

    element: Any
    annotations: list[Any] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    word: str = ""  # the word before a page number, from data-page


@dataclass
class _Page:
    """What tagging one page needs: the PDF, the page's number, its marked content and the document's state."""

    pdf: Any
    number: int
    height: float  # in PDF points
    width: float
    nums: dict[int, Any]
    tags: dict[Any, Any]
    tree: _Tree
    reference: Any  # the page's, for the elements' /Pg (pydyf makes the list of all pages anew on every call)


@dataclass
class _Tree:
    """The document's elements so far, one per HTML element, and its links' annotations in order."""

    document: Any
    elements: dict[int, Any] = field(default_factory=dict)  # id(HTML element) -> structure element
    kept: list[Any] = field(default_factory=list)  # the HTML elements, so that their ids stay theirs
    annotations: list[tuple[Any, Any]] = field(default_factory=list)
    links: dict[int, _Link] = field(default_factory=dict)


def add_structure(pdf: Any, document: Any, pdf_version: Any, page_streams: Any) -> None:
    """Add the structure tree, the parent tree and the catalog entries PDF/UA needs (replaces add_tags)."""
    import pydyf

    parent_tree = pydyf.Dictionary({})
    pdf.add_object(parent_tree)
    root = pydyf.Dictionary({"Type": "/StructTreeRoot", "ParentTree": parent_tree.reference})
    pdf.add_object(root)
    top = pydyf.Dictionary({"Type": "/StructElem", "S": "/Document", "K": pydyf.Array(), "P": root.reference})
    pdf.add_object(top)
    root["K"] = pydyf.Array([top.reference])
    pdf.catalog["StructTreeRoot"] = root.reference
    tree = _Tree(top)
    parent_tree["Nums"] = pydyf.Array()
    references = pdf.page_references
    for number, (page, stream) in enumerate(zip(document.pages, page_streams, strict=True)):
        box = page._page_box
        size = (box.height * PT_PER_PX, box.width * PT_PER_PX)
        state = _Page(pdf, number, *size, {}, stream._tags, tree, references[number])
        for element in _children(box, top, None, None, state):
            top["K"].append(element.reference)
        parent_tree["Nums"].extend([number, pydyf.Array([ref for _, ref in sorted(state.nums.items())])])
    for link in tree.links.values():
        _describe(link)
    for i, (reference, annotation) in enumerate(tree.annotations, start=len(document.pages)):
        parent_tree["Nums"].extend([i, reference])
        annotation["StructParent"] = i
    _normalise(pdf, top)
    pdf.catalog["ViewerPreferences"] = pydyf.Dictionary({"DisplayDocTitle": "true"})
    pdf.catalog["MarkInfo"] = pydyf.Dictionary({"Marked": "true"})
    if "Lang" not in pdf.catalog:
        pdf.catalog["Lang"] = pydyf.String()


def _children(box: Any, parent: Any, parent_box: Any, link: _Link | None, page: _Page) -> Iterator[Any]:
    """Tag a box's content under parent; yield the new elements parent should list."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout.absolute import AbsolutePlaceholder

    if isinstance(box, AbsolutePlaceholder):
        box = box._box
    if getattr(box, ARTIFACT, False) or isinstance(box, boxes.MarginBox):
        if link is not None:
            _annotate_all(box, link, page)  # a leader's annotation still belongs to its link
        return
    if isinstance(box, boxes.TextBox):
        yield from _text(box, parent, link, page)
        return
    transparent = (
        box.element is None
        or isinstance(box, boxes.PageBox)
        or box.element_tag in ("html", "body")
        or (parent_box is not None and box.element is parent_box.element)  # an anonymous box
    )
    if transparent or (link is not None and box.element_tag.split(":")[0] == "a"):
        # Its content belongs to the enclosing element (a pseudo-element of a link: to the link).
        if link is not None and box.element_tag.split(":")[0] == "a" and "::" in box.element_tag:
            link = _Link(link.element, link.annotations, link.extra, link.extra, link.word)
        yield from _content(box, parent, box, link, page)
        return
    yield from _element(box, parent, parent_box, link, page)


def _element(box: Any, parent: Any, parent_box: Any, link: _Link | None, page: _Page) -> Iterator[Any]:
    """Tag a box that stands for an HTML element: the element's one structure element, made or found."""
    from weasyprint.formatting_structure import boxes

    tree = page.tree
    element = tree.elements.get(id(box.element))
    made = element is None
    if element is None:
        element = _make(box, parent, parent_box, page)
    if element["S"] == "/Link":
        link = tree.links.setdefault(id(element), _Link(element, word=box.element.get("data-page") or ""))
    if box.link_annotation and link is not None:
        _annotate(box.link_annotation, link, page)
    box = _table_parts(box)
    for child in box.children:
        for grandchild in child.children if isinstance(child, boxes.LineBox) else [child]:
            element["K"].extend(kid.reference for kid in _children(grandchild, element, box, link, page))
    if isinstance(box, boxes.ReplacedBox):
        _replaced(box, element, page)
    if made:
        yield element


def _table_parts(box: Any) -> Any:
    """Mark the rows of a table's head; give a table's wrapper as the table with its caption, as WeasyPrint does."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TableRowGroupBox):
        for row in box.children:
            setattr(row, HEAD, box.is_header or box.element_tag == "thead")
    if box.element_tag == "table" and box.is_table_wrapper and (table := box.get_wrapped_table()):
        return table.copy_with_children(
            [c for child in box.children for c in (child.children if child is table else [child])]
        )
    return box


def _make(box: Any, parent: Any, parent_box: Any, page: _Page) -> Any:
    """Make the structure element of a box's HTML element, the first time one of its boxes is met."""
    import pydyf

    parent_tag = parent_box.element_tag if parent_box is not None and parent_box.element is not None else None
    tag = pdf_tag(box.element_tag, parent_tag)
    element = pydyf.Dictionary(
        {
            "Type": "/StructElem",
            "S": f"/{tag}",
            "K": pydyf.Array([]),
            "Pg": page.reference,
            "P": parent.reference,
        }
    )
    page.pdf.add_object(element)
    page.tree.elements[id(box.element)] = element
    page.tree.kept.append(box.element)  # so that no other element gets its id while the tree is made
    if box.element.get(CONTINUED_ATTRIBUTE) is not None:
        element[CONTINUED] = "true"
    _attributes(box, parent_box, element, tag)
    return element


def _content(box: Any, parent: Any, parent_box: Any, link: _Link | None, page: _Page) -> Iterator[Any]:
    """Tag a box's children under parent, as if they were parent's own."""
    from weasyprint.formatting_structure import boxes

    if box.link_annotation and link is not None:
        _annotate(box.link_annotation, link, page)
    for child in getattr(box, "children", ()):
        for grandchild in child.children if isinstance(child, boxes.LineBox) else [child]:
            yield from _children(grandchild, parent, parent_box, link, page)
    if isinstance(box, boxes.ReplacedBox) and box in page.tags:
        # Anonymous replaced content: tag it as a Figure of its own.
        yield from _element(box, parent, None, link, page)


def _annotate_all(box: Any, link: _Link, page: _Page) -> None:
    """Put the link annotations of a box and its descendants in the link."""
    if getattr(box, "link_annotation", None):
        _annotate(box.link_annotation, link, page)
    for child in getattr(box, "children", ()):
        _annotate_all(child, link, page)


def _annotate(annotation: Any, link: _Link, page: _Page) -> None:
    """Put a link annotation in its Link element, once."""
    import pydyf

    if any(a is annotation for a in link.annotations):
        return
    reference = pydyf.Dictionary({"Type": "/OBJR", "Obj": annotation.reference, "Pg": page.reference})
    page.pdf.add_object(reference)
    link.element["K"].append(reference.reference)
    link.annotations.append(annotation)
    page.tree.annotations.append((link.element.reference, annotation))


def _text(box: Any, parent: Any, link: _Link | None, page: _Page) -> Iterator[Any]:
    """Tag a run of text: its marked content in the Link, or in a Span of its own."""
    import pydyf

    kid = page.tags.pop(box, None)
    if kid is None:
        return
    mcid = kid["mcid"]
    if link is not None:
        link.text.append(box.text)
        link.element["K"].append(mcid)
        page.nums[mcid] = link.element.reference
        return
    span = pydyf.Dictionary(
        {
            "Type": "/StructElem",
            "S": f"/{kid['tag']}",
            "K": pydyf.Array([mcid]),
            "Pg": page.reference,
            "P": parent.reference,
        }
    )
    hyphen = box.style["hyphenate_character"]
    if box.style["hyphens"] != "none" and hyphen and box.text.endswith(hyphen) and len(box.text) > len(hyphen):
        span["ActualText"] = pydyf.String(box.text[: -len(hyphen)])
    page.pdf.add_object(span)
    page.nums[mcid] = span.reference
    yield span


def _attributes(box: Any, parent_box: Any, element: Any, tag: str) -> None:
    """Give table cells their Scope and spans, and SVG figures their Alt."""
    import pydyf

    if tag in ("TH", "TD"):
        element["A"] = pydyf.Dictionary({"O": "/Table"})
        if box.colspan != 1:
            element["A"]["ColSpan"] = box.colspan
        if box.rowspan != 1:
            element["A"]["RowSpan"] = box.rowspan
        if tag == "TH":
            element["A"]["Scope"] = "/" + _scope(box, parent_box)
    elif tag == "Figure":
        alt = _alt(box.element)
        if alt:
            element["Alt"] = pydyf.String(alt)


def _scope(cell: Any, row: Any) -> str:
    """Tell whether a header cell heads its column or its row: its scope attribute, else where it is."""
    scope = (cell.element.get("scope") or "").lower()
    if scope in ("row", "rowgroup"):
        return "Row"
    if scope in ("col", "colgroup"):
        return "Column"
    # A header cell that starts a row outside the table's head heads its row; any other heads its column.
    first = row is not None and row.children and row.children[0] is cell
    return "Row" if first and not getattr(row, HEAD, False) else "Column"


def _alt(element: Any) -> str:
    """Give an image's alternative text: an SVG's title and description, an img's alt."""
    if element.tag == f"{SVG}svg":
        parts = [element.find(f"{SVG}title"), element.find(f"{SVG}desc")]
        return " ".join(" ".join(p.text.split()) for p in parts if p is not None and p.text)
    return str(element.get("alt") or "")


def _replaced(box: Any, element: Any, page: _Page) -> None:
    """Put an image's marked content in its Figure, with its BBox in PDF points inside the page."""
    import pydyf

    kid = page.tags.pop(box, None)
    if kid is None:
        return
    element["K"].append(kid["mcid"])
    page.nums[kid["mcid"]] = element.reference
    x1, y1 = box.content_box_x() * PT_PER_PX, box.content_box_y() * PT_PER_PX
    x2, y2 = x1 + box.width * PT_PER_PX, y1 + box.height * PT_PER_PX

    def inside(value: float, limit: float) -> float:
        return round(min(max(value, 0.0), limit), 3)

    bbox = (
        inside(x1, page.width),
        inside(page.height - y2, page.height),
        inside(x2, page.width),
        inside(page.height - y1, page.height),
    )
    element["A"] = pydyf.Dictionary({"O": "/Layout", "BBox": pydyf.Array(bbox)})


def _describe(link: _Link) -> None:
    """Give a link's annotations its visible text as /Contents: 'Bilag A. Deltagere, side 27'."""
    import pydyf

    text = " ".join("".join(link.text).split())
    extra = " ".join("".join(link.extra).split()).strip("() ")
    if extra and link.word and not extra.startswith(link.word):
        extra = f"{link.word} {extra}"
    contents = f"{text}, {extra}" if text and extra else text or extra
    for annotation in link.annotations:
        annotation["Contents"] = pydyf.String(contents)


# --- lists, once every page is tagged ----------------------------------------------------------


def _normalise(pdf: Any, element: Any) -> None:
    """Make every list L > LI > Lbl, LBody, below element."""
    for reference in element["K"]:
        kid = _obj(pdf, reference)
        if kid is not None and kid.get("Type") == "/StructElem":
            _normalise(pdf, kid)
    if element["S"] == "/L":
        _list(pdf, element)
    elif element["S"] == "/LI":
        _item(pdf, element)


def _obj(pdf: Any, reference: Any) -> Any:
    """Give the object a reference ('12 0 R') points at; None for a marked-content id."""
    return None if isinstance(reference, int) else pdf.objects[int(reference.split()[0])]


def _list(pdf: Any, lst: Any) -> None:
    """Group a list's kids into items: a Lbl (a dt) opens one, a LBody (a dd) joins the open one."""
    items: list[Any] = []
    open_item: Any = None
    for reference in list(lst["K"]):
        kid = _obj(pdf, reference)
        kind = kid["S"] if kid is not None else None
        if kind in ("/LI", "/Caption"):
            items.append(reference)
            open_item = None
            continue
        if kind == "/LBody" and open_item is not None and _kinds(pdf, open_item) == ["/Lbl"]:
            _adopt(open_item, reference, kid)
            continue
        open_item = _new(pdf, "LI", lst, kid)
        items.append(open_item.reference)
        if kind in ("/Lbl", "/LBody"):
            _adopt(open_item, reference, kid)
        else:
            body = _new(pdf, "LBody", open_item, kid)
            open_item["K"].append(body.reference)
            _adopt(body, reference, kid)
        if kind != "/Lbl":
            open_item = None
    lst["K"] = type(lst["K"])(items)


def _item(pdf: Any, item: Any) -> None:
    """Make a list item its labels, then one LBody with the rest."""
    import pydyf

    labels: list[Any] = []
    rest: list[Any] = []
    for reference in item["K"]:
        kid = _obj(pdf, reference)
        (labels if kid is not None and kid["S"] == "/Lbl" else rest).append(reference)
    bodies = [r for r in rest if not isinstance(r, int) and _obj(pdf, r)["S"] == "/LBody"]
    if len(rest) == 1 and bodies:
        return
    body = _obj(pdf, bodies[0]) if bodies else _new(pdf, "LBody", item, None)
    content: list[Any] = []
    for reference in rest:
        kid = _obj(pdf, reference)
        if kid is not None and kid["S"] == "/LBody":
            for grand in kid["K"]:
                content.append(grand)
                if not isinstance(grand, int) and "P" in _obj(pdf, grand):
                    _obj(pdf, grand)["P"] = body.reference
        else:
            content.append(reference)
            if kid is not None:
                kid["P"] = body.reference
    body["K"] = pydyf.Array(content)
    item["K"] = pydyf.Array([*labels, body.reference])


def _kinds(pdf: Any, element: Any) -> list[str]:
    """List the structure types of an element's kids."""
    return [_obj(pdf, k)["S"] for k in element["K"] if not isinstance(k, int)]


def _new(pdf: Any, tag: str, parent: Any, like: Any) -> Any:
    """Make an element under parent, on the page of like."""
    import pydyf

    element = pydyf.Dictionary({"Type": "/StructElem", "S": f"/{tag}", "K": pydyf.Array([]), "P": parent.reference})
    page = (like or parent).get("Pg")
    if page is not None:
        element["Pg"] = page
    pdf.add_object(element)
    return element


def _adopt(parent: Any, reference: Any, kid: Any) -> None:
    """Move an element under parent."""
    parent["K"].append(reference)
    if kid is not None:
        kid["P"] = parent.reference
