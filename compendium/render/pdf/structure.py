"""The finished PDF's structure: join the pieces' trees, repair what is left, and check it.

tagging.py makes each piece's tree as PDF/UA means it; what only the
whole document knows is done here, with pikepdf, on the merged PDF (and on
a document laid out whole): elements that pieces.py reopened at the start
of a piece are joined to the previous piece's (`join`), and `repair` gives
every font subset a tag derived from its own bytes (the pieces each make a
subset of the same font under one name), adds the PDF/UA identifier to a
PDF/A file's metadata, and sets the version to 1.7.

`check_structure` reads a PDF's tree and lists what PDF/UA (or a reader
using assistive technology) would trip over, each naming the element and
its page: the project's own checks, for the tests and the CI gate, of what
pdfua and qpdf do not look at. `python -m compendium.render.pdf.structure
FILE.pdf ...` prints them and exits 1 if there are any.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compendium.render.pdf.tagging import CONTINUED

PDF_VERSION = "1.7"
SUBSET = re.compile(r"^/?([A-Z]{6})\+(.*)$")
# Text this close to the top or bottom edge of a page is in its margin: running heads, page numbers.
MARGIN_PT = 56.0  # 20 mm
LIST_KIDS = {"/L": ("/LI", "/Caption"), "/LI": ("/Lbl", "/LBody")}
UA_EXTENSION = """<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" \
xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">\
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">\
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix><pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">\
<pdfaProperty:name>part</pdfaProperty:name><pdfaProperty:valueType>Integer</pdfaProperty:valueType>\
<pdfaProperty:category>internal</pdfaProperty:category>\
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>\
</rdf:li></rdf:Seq></pdfaSchema:property></rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>\
<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" pdfuaid:part="1"/>"""


# --- joining and repairing -------------------------------------------------------------------


def join(parent: Any, element: Any) -> None:
    """Put element last under parent, or, if it goes on from parent's last element, join it to that one."""
    last = parent.K[len(parent.K) - 1] if len(parent.K) else None
    continued = f"/{CONTINUED}" in element
    if continued:
        del element[f"/{CONTINUED}"]
    if continued and last is not None and _is_element(last) and last.get("/S") == element.get("/S"):
        for kid in list(element.K):
            if _is_element(kid):
                join(last, kid)
            else:
                last.K.append(kid)
        return
    if _is_element(element):
        element.P = parent
    parent.K.append(element)


def _is_element(obj: Any) -> bool:
    """Tell whether a kid is a structure element (not a marked-content id or an annotation's reference)."""
    import pikepdf

    return isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") != "/OBJR" and "/S" in obj


def repair(pdf: Any) -> None:
    """Repair what only the whole PDF knows: subset tags, the PDF/UA identifier of a PDF/A file."""
    _subset_tags(pdf)
    _ua_identifier(pdf)


def repair_file(path: Path) -> None:
    """Repair a PDF in place (a document laid out whole)."""
    import pikepdf

    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        repair(pdf)
        save(pdf, path)


def save(pdf: Any, path: Path) -> None:
    """Save as PDF 1.7, with an ID derived from the content so that the same input gives the same bytes."""
    import pikepdf

    pdf.save(
        path,
        deterministic_id=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        force_version=PDF_VERSION,
    )


def _fonts(pdf: Any) -> Iterator[Any]:
    """Yield every font the pages use (Type0 fonts and their descendants), once each."""
    seen: set[tuple[int, int]] = set()
    for page in pdf.pages:
        fonts = page.obj.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            for each in [font, *font.get("/DescendantFonts", [])]:
                if each.objgen not in seen:
                    seen.add(each.objgen)
                    yield each


def _descriptor(font: Any) -> Any:
    """Give a font's descriptor, or None (a Type0 font has its descendant's)."""
    if "/FontDescriptor" in font:
        return font.FontDescriptor
    kids = font.get("/DescendantFonts", [])
    return kids[0].get("/FontDescriptor") if len(kids) else None


def _subset_tags(pdf: Any) -> None:
    """Name each font subset after a digest of its own bytes, so that different subsets never share a tag."""
    import pikepdf

    for font in _fonts(pdf):
        descriptor = _descriptor(font)
        match = SUBSET.match(str(font.get("/BaseFont", "")))
        if descriptor is None or match is None:
            continue
        data = next((descriptor[k] for k in ("/FontFile2", "/FontFile3", "/FontFile") if k in descriptor), None)
        if data is None:
            continue
        digest = hashlib.sha256(data.read_raw_bytes()).digest()
        tag = "".join(chr(ord("A") + b % 26) for b in digest[:6])
        name = pikepdf.Name(f"/{tag}+{match.group(2)}")
        font.BaseFont = name
        descriptor.FontName = name


def _ua_identifier(pdf: Any) -> None:
    """Add pdfuaid:part to a PDF/A file's metadata, with the extension schema PDF/A asks for."""
    import pikepdf

    if "/Metadata" not in pdf.Root:
        return
    xmp = pdf.Root.Metadata.read_bytes()
    if b"pdfaid:part" not in xmp or b"pdfuaid:part" in xmp:
        return
    xmp = xmp.replace(b"</rdf:RDF>", UA_EXTENSION.encode() + b"</rdf:RDF>", 1)
    pdf.Root.Metadata = pdf.make_stream(xmp, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)


# --- checking --------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Finding:
    """One thing wrong with a PDF's structure: the page (1-based, 0 for the whole file), the element, what."""

    page: int
    element: str
    problem: str

    def __str__(self) -> str:
        where = f"page {self.page}" if self.page else "document"
        return f"{where}: {self.element}: {self.problem}"


def check_structure(pdf: Any, fonts: tuple[str, ...] = ("NotoSans", "NotoSerif")) -> list[Finding]:
    """List what is wrong with a PDF's structure tree, each finding naming the element and its page."""
    pages = {page.objgen: n for n, page in enumerate(pdf.pages, start=1)}
    found: list[Finding] = []
    if pdf.pdf_version != PDF_VERSION:
        found.append(Finding(0, "header", f"PDF {pdf.pdf_version}, expected {PDF_VERSION}"))
    found += _font_findings(pdf, fonts)
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return [*found, Finding(0, "catalog", "no structure tree")]
    reachable: set[tuple[int, int]] = set()
    ids = "/IDTree" in root
    for element, parent in _walk(root.K[0], None):
        reachable.add(element.objgen)
        found += _element_findings(element, parent, pages, ids)
    found += _sibling_findings(root.K[0], pages)
    found += _content_findings(pdf, root, reachable)
    return sorted(set(found))


def _walk(element: Any, parent: Any) -> Iterator[tuple[Any, Any]]:
    """Yield every structure element below and including element, with its parent."""
    yield element, parent
    for kid in _kids(element):
        if _is_element(kid):
            yield from _walk(kid, element)


def _kids(element: Any) -> list[Any]:
    """List an element's kids (K may be one object or an array)."""
    import pikepdf

    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _name(element: Any, pages: dict[Any, int]) -> tuple[int, str]:
    """Give an element's page and a short name for it."""
    page = pages.get(element.Pg.objgen, 0) if "/Pg" in element else 0
    return page, str(element.get("/S", "?"))


def _element_findings(element: Any, parent: Any, pages: dict[Any, int], ids: bool) -> list[Finding]:
    """Check one element: table headers, lists, figures, links."""
    page, name = _name(element, pages)
    kind = str(element.get("/S"))
    attributes = element.get("/A", {})
    found: list[Finding] = []
    if kind == "/TH" and "/Scope" not in attributes:
        found.append(Finding(page, name, "header cell without /Scope"))
    if "/Headers" in attributes and not ids:
        found.append(Finding(page, name, "/Headers without an /IDTree"))
    if kind in LIST_KIDS:
        kinds = [str(k.get("/S")) for k in _kids(element) if _is_element(k)]
        wrong = sorted({k for k in kinds if k not in LIST_KIDS[kind]})
        if wrong or len(kinds) != len(_kids(element)):
            found.append(Finding(page, name, f"holds {', '.join(wrong) or 'content'}, expected {LIST_KIDS[kind]}"))
        if kind == "/LI" and (kinds.count("/LBody") > 1 or kinds.count("/Lbl") > 1):
            found.append(Finding(page, name, "more than one Lbl or LBody"))
    if kind == "/Figure":
        found += _figure_findings(element, page, name, pages)
    if kind == "/Link":
        found += _link_findings(element, parent, page, name)
    return found


def _figure_findings(element: Any, page: int, name: str, pages: dict[Any, int]) -> list[Finding]:
    """A figure has an Alt and a BBox in points inside its page."""
    found = []
    if not str(element.get("/Alt", "")).strip():
        found.append(Finding(page, name, "figure without /Alt"))
    bbox = element.get("/A", {}).get("/BBox")
    box = element.Pg.MediaBox if "/Pg" in element else None
    if bbox is None or box is None:
        found.append(Finding(page, name, "figure without /BBox"))
        return found
    x1, y1, x2, y2 = (float(v) for v in bbox)
    left, bottom, right, top = (float(v) for v in box)
    if not (left <= x1 < x2 <= right and bottom <= y1 < y2 <= top):
        found.append(
            Finding(page, name, f"/BBox {[x1, y1, x2, y2]} is not inside the page {[left, bottom, right, top]}")
        )
    return found


def _link_findings(element: Any, parent: Any, page: int, name: str) -> list[Finding]:
    """A link is not inside another, and its annotations say what it shows rather than where it goes."""
    found = []
    for kid in _kids(element):
        if _is_element(kid) and kid.get("/S") == "/Link":
            found.append(Finding(page, name, "a link inside a link"))
        if hasattr(kid, "get") and kid.get("/Type") == "/OBJR":
            annotation = kid.Obj
            contents = str(annotation.get("/Contents", "")).strip()
            target = str(annotation.get("/Dest", "")) or str(annotation.get("/A", {}).get("/URI", ""))
            if not contents or contents == target:
                found.append(Finding(page, name, f"link described by its target {target!r}, not its text"))
    return found


def _sibling_findings(top: Any, pages: dict[Any, int]) -> list[Finding]:
    """Find elements split where a page breaks: a Part, Table or list followed by another, a Sect without a heading."""
    found: list[Finding] = []
    parts = 0
    for element, _ in _walk(top, None):
        kids = [k for k in _kids(element) if _is_element(k)]
        for before, after in itertools.pairwise(kids):
            if before.get("/S") == after.get("/S") and str(after.get("/S")) in ("/Table", "/L", "/Part"):
                page, name = _name(after, pages)
                found.append(Finding(page, name, f"follows another {name}: one element split where a page breaks?"))
        parts += sum(1 for k in kids if k.get("/S") == "/Part")
        if element.get("/S") == "/Table" and sum(1 for k in kids if k.get("/S") == "/THead") > 1:
            page, name = _name(element, pages)
            found.append(Finding(page, name, "table head tagged more than once: a repeated head is an Artifact"))
        if element.get("/S") == "/Sect" and not any(re.fullmatch(r"/H[1-6]", str(k.get("/S"))) for k in kids):
            page, name = _name(element, pages)
            found.append(Finding(page, name, "section without a heading of its own: split where a page breaks?"))
    if parts > 1:
        found.append(Finding(0, "/Part", f"{parts} Parts: the document's main part is split"))
    return found


def _font_findings(pdf: Any, allowed: tuple[str, ...]) -> list[Finding]:
    """Every font is embedded, one of the project's, and no two subsets share a tag."""
    found: list[Finding] = []
    tags: dict[str, bytes] = {}
    for font in _fonts(pdf):
        name = str(font.get("/BaseFont", ""))
        descriptor = _descriptor(font)
        if descriptor is None:
            if font.get("/Subtype") != "/Type0":
                found.append(Finding(0, name, "font not embedded"))
            continue
        match = SUBSET.match(name)
        family = match.group(2) if match else name.lstrip("/")
        if not family.replace("-", "").startswith(allowed):
            found.append(Finding(0, name, f"font is not one of the project's ({', '.join(allowed)})"))
        data = next((descriptor[k] for k in ("/FontFile2", "/FontFile3", "/FontFile") if k in descriptor), None)
        if data is None:
            found.append(Finding(0, name, "font not embedded"))
        elif match:
            digest = hashlib.sha256(data.read_raw_bytes()).digest()
            if tags.setdefault(match.group(1), digest) != digest:
                found.append(Finding(0, name, f"subset tag {match.group(1)} is shared by different subsets"))
    return found


def _content_findings(pdf: Any, root: Any, reachable: set[tuple[int, int]]) -> list[Finding]:
    """Every marked content's element is in the tree, and no text in the margins is anything but an Artifact."""
    found: list[Finding] = []
    nums = list(root.ParentTree.get("/Nums", []))
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    for n, page in enumerate(pdf.pages, start=1):
        entries = parents.get(int(page.obj.get("/StructParents", -1)), [])
        for mcid, element in enumerate(entries):
            if hasattr(element, "objgen") and element.objgen not in reachable:
                found.append(Finding(n, str(element.get("/S")), f"marked content {mcid} is in no element of the tree"))
        found += _annotation_findings(page, n, parents)
        height = float(page.MediaBox[3])
        for mark, y in _text_runs(page):
            in_margin = y < MARGIN_PT or y > height - MARGIN_PT
            if mark is None:
                found.append(Finding(n, "text", f"text at y={y:.0f} is neither tagged nor an Artifact"))
            elif in_margin and mark != "/Artifact":
                found.append(Finding(n, mark, f"text in the page margin (y={y:.0f}) is not an Artifact"))
    return found


def _annotation_findings(page: Any, n: int, parents: dict[int, Any]) -> list[Finding]:
    """Every link annotation is in a Link element of the tree, and says what it shows rather than where it goes."""
    found = []
    for annotation in page.get("/Annots", []):
        if annotation.get("/Subtype") != "/Link":
            continue
        target = str(annotation.get("/Dest", "")) or str(annotation.get("/A", {}).get("/URI", ""))
        element = parents.get(int(annotation.get("/StructParent", -1)))
        if element is None or element.get("/S") != "/Link":
            found.append(Finding(n, "/Annot", f"link annotation to {target!r} is in no Link element"))
        contents = str(annotation.get("/Contents", "")).strip()
        if not contents or contents == target:
            found.append(Finding(n, "/Annot", f"link annotation described by its target {target!r}, not its text"))
    return found


def _text_runs(page: Any) -> Iterator[tuple[str | None, float]]:
    """Yield each text-showing operator's marked-content tag and its height on the page, in points."""
    import pikepdf

    ctm = [pikepdf.Matrix()]
    marks: list[str] = []
    text = pikepdf.Matrix()
    for instruction in pikepdf.parse_content_stream(page):
        operands, op = instruction.operands, str(instruction.operator)
        if op == "q":
            ctm.append(ctm[-1])
        elif op == "Q" and len(ctm) > 1:
            ctm.pop()
        elif op == "cm":
            ctm[-1] = pikepdf.Matrix(*[float(v) for v in operands]) @ ctm[-1]
        elif op in ("BDC", "BMC"):
            marks.append(str(operands[0]))
        elif op == "EMC" and marks:
            marks.pop()
        elif op == "BT":
            text = pikepdf.Matrix()
        elif op == "Tm":
            text = pikepdf.Matrix(*[float(v) for v in operands])
        elif op == "Td":
            text = pikepdf.Matrix(1, 0, 0, 1, float(operands[0]), float(operands[1])) @ text
        elif op in ("Tj", "TJ", "'", '"'):
            y = (text @ ctm[-1]).f
            mark = "/Artifact" if "/Artifact" in marks else (marks[-1] if marks else None)
            yield mark, y


def main(paths: list[str]) -> int:
    """Print every finding in the PDFs given, one a line naming file, page and element; return 1 if any."""
    import pikepdf

    count = 0
    for path in paths:
        with pikepdf.open(path) as pdf:
            for finding in check_structure(pdf):
                print(f"{path}: {finding}")
                count += 1
    print(f"{count} structure finding{'' if count == 1 else 's'} in {len(paths)} PDF{'' if len(paths) == 1 else 's'}")
    return 1 if count else 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
