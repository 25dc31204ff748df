"""Join the PDFs of a document's pieces into the one PDF that one-piece layout would have made.

Pages are copied in order. The rest is rebuilt as WeasyPrint builds it for
a whole document: one name tree of destinations (the pieces' stand-ins for
anchors elsewhere left out), one outline nested by bookmark level across
pieces, and one structure tree under one Document element, with the
parent tree numbered as WeasyPrint numbers it (every page in order, then
every link annotation); an element a piece reopened is joined to the
previous piece's (structure.join), and structure.repair does what only
the whole file knows. The catalog's other entries (language, mark info,
viewer preferences, XMP metadata) and the document information come from
the first piece; they are the same in every piece. The file ID is derived
from the content, so the same pieces give the same bytes.

Uses pikepdf (qpdf), which copies objects between files keeping their
references, so that the structure tree still points at the copied pages
and annotations.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compendium.render.pdf.structure import join, repair, save
from compendium.render.pdf.subsets import share_fonts, share_images


@dataclass(frozen=True)
class Part:
    """A piece's PDF, the anchors that are its own, and the levels of its bookmarks in order."""

    path: Path
    anchors: frozenset[str]
    levels: tuple[int, ...]


def merge(parts: Sequence[Part], target: Path) -> int:
    """Write the pieces as one PDF; return its page count."""
    import pikepdf

    pdfs = [pikepdf.open(part.path) for part in parts]
    try:
        merged = pikepdf.new()
        first = pdfs[0]
        for key in map(str, first.Root):
            if key not in ("/Pages", "/Outlines", "/Names", "/StructTreeRoot", "/Type"):
                merged.Root[key] = _copy(merged, first.Root[key])
        merged.docinfo = _copy(merged, first.docinfo)
        with warnings.catch_warnings():
            # pikepdf warns that named destinations are not copied with the pages: _names() makes them.
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
            for pdf in pdfs:
                merged.pages.extend(pdf.pages)
        _structure(merged, pdfs)
        _names(merged, pdfs, parts)
        _outlines(merged, pdfs, parts)
        share_fonts(merged)
        share_images(merged)
        repair(merged)
        save(merged, target)
        return len(merged.pages)
    finally:
        for pdf in pdfs:
            pdf.close()


def _copy(merged: Any, obj: Any) -> Any:
    """Copy an object from a piece, with what it refers to."""
    import pikepdf

    if not isinstance(obj, pikepdf.Object):
        return obj  # a number or boolean, which pikepdf gives as Python's own
    if obj.is_indirect:
        return merged.copy_foreign(obj)
    if isinstance(obj, pikepdf.Dictionary):
        return pikepdf.Dictionary({key: _copy(merged, value) for key, value in obj.items()})
    if isinstance(obj, pikepdf.Array):
        return pikepdf.Array([_copy(merged, value) for value in obj])
    return obj


def _copy_all(merged: Any, pdf: Any, objects: list[Any]) -> list[Any]:
    """Copy many objects from a piece at once: qpdf takes much longer copying them one by one."""
    import pikepdf

    if not objects:
        return []
    holder = pdf.make_indirect(pikepdf.Array(objects))  # in the piece as opened, which is never saved
    return list(merged.copy_foreign(holder))


def _structure(merged: Any, pdfs: list[Any]) -> None:
    """Join the structure trees under one Document element, renumbering the parent tree."""
    import pikepdf

    root = merged.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
    document = merged.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document, K=pikepdf.Array(), P=root)
    )
    root.K = pikepdf.Array([document])
    total_pages = sum(len(pdf.pages) for pdf in pdfs)
    page_nums: list[tuple[int, Any]] = []
    annot_nums: list[tuple[int, Any]] = []
    page_base = 0
    for pdf in pdfs:
        # One copy of the whole tree: qpdf is much slower copying it element by element.
        tree = merged.copy_foreign(pdf.Root.StructTreeRoot)
        count = len(pdf.pages)
        for element in tree.K[0].K:
            join(document, element)
        # Annotations come after every page of the whole document, in order.
        annot_base = total_pages + len(annot_nums) - count
        nums = tree.ParentTree.Nums
        for i in range(0, len(nums), 2):
            key, value = int(nums[i]), nums[i + 1]
            if key < count:
                page_nums.append((page_base + key, value))
            else:
                annot_nums.append((annot_base + key, value))
        for page in merged.pages[page_base : page_base + count]:
            page.obj.StructParents = page_base + int(page.obj.StructParents)
            for annot in page.obj.get("/Annots", []):
                if "/StructParent" in annot:
                    annot.StructParent = annot_base + int(annot.StructParent)
        page_base += count
    flat: list[Any] = []
    for key, value in sorted(page_nums, key=lambda kv: kv[0]) + sorted(annot_nums, key=lambda kv: kv[0]):
        flat.extend([key, value])
    root.ParentTree = merged.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(flat)))
    merged.Root.StructTreeRoot = root


def _names(merged: Any, pdfs: list[Any], parts: Sequence[Part]) -> None:
    """Make one sorted name tree of the pieces' own destinations; the first of a name wins."""
    import pikepdf

    dests: dict[str, tuple[Any, Any]] = {}
    for pdf, part in zip(pdfs, parts, strict=True):
        if "/Names" not in pdf.Root or "/Dests" not in pdf.Root.Names:
            continue
        entries = list(pdf.Root.Names.Dests.Names)  # a Python list: indexing a pikepdf Array is slow
        own = [i for i in range(0, len(entries), 2) if str(entries[i]) in part.anchors]
        own = [i for i in own if str(entries[i]) not in dests]
        for i, copied in zip(own, _copy_all(merged, pdf, [entries[i + 1] for i in own]), strict=True):
            dests[str(entries[i])] = (entries[i], copied)
    if dests:
        flat = pikepdf.Array()
        for name in sorted(dests):  # by text, as WeasyPrint and qpdf sort them
            flat.extend(dests[name])
        merged.Root.Names = pikepdf.Dictionary(Dests=merged.make_indirect(pikepdf.Dictionary(Names=flat)))


def _outlines(merged: Any, pdfs: list[Any], parts: Sequence[Part]) -> None:
    """Rebuild the outline from every piece's bookmarks, nested by level as WeasyPrint nests them."""
    import pikepdf

    flat: list[tuple[int, Any, Any, bool]] = []  # level, title, destination, closed
    for pdf, part in zip(pdfs, parts, strict=True):
        items = list(_preorder(pdf.Root.Outlines.get("/First")) if "/Outlines" in pdf.Root else [])
        if len(items) != len(part.levels):
            raise ValueError(f"{part.path.name}: {len(items)} outline items for {len(part.levels)} bookmarks")
        copies = _copy_all(merged, pdf, [item.Dest for item in items])
        for level, item, dest in zip(part.levels, items, copies, strict=True):
            closed = int(item.get("/Count", 0)) < 0
            flat.append((level, item.Title, dest, closed))
    if not flat:
        return
    top: list[Any] = []
    stack: list[tuple[int, list[Any]]] = [(0, top)]
    nodes: list[tuple[Any, list[Any], bool]] = []
    for level, title, dest, closed in flat:
        while stack[-1][0] >= level:
            stack.pop()
        children: list[Any] = []
        node = (merged.make_indirect(pikepdf.Dictionary(Title=title, Dest=dest)), children, closed)
        stack[-1][1].append(node)
        stack.append((level, children))
        nodes.append(node)
    outlines = merged.make_indirect(pikepdf.Dictionary())
    count = _link(top, outlines)
    outlines.Count = len(top) + count
    merged.Root.Outlines = outlines


def _link(nodes: list[Any], parent: Any) -> int:
    """Chain outline items under their parent as WeasyPrint does; return the count of open descendants."""
    opened = 0
    for i, (item, children, closed) in enumerate(nodes):
        below = _link(children, item)
        item.Count = -(len(children) + below) if closed else len(children) + below
        if not closed:
            opened += len(children) + below
        item.Parent = parent
        if i:
            item.Prev = nodes[i - 1][0]
            nodes[i - 1][0].Next = item
        if children:
            item.First, item.Last = children[0][0], children[-1][0]
    if nodes:
        parent.First, parent.Last = nodes[0][0], nodes[-1][0]
    return opened


def _preorder(item: Any) -> Any:
    """Walk outline items in document order."""
    while item is not None:
        yield item
        if "/First" in item:
            yield from _preorder(item.First)
        item = item.get("/Next")
