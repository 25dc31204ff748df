"""One font subset per font in a merged PDF, instead of one per piece (and one copy of each image).

Each piece of a document embeds its own subset of every font it uses,
so a merged PDF would carry the same font many times over (24–30 % of its
bytes at 300–1,000 stories). WeasyPrint 70 subsets with the glyph ids
kept (HarfBuzz's retain-gids, fontTools' retain_gids), and its fonts are
CID-keyed with an identity map, so a glyph has the same id in every piece
and no content stream needs rewriting: the pieces' subsets of one font are
joined into one (every glyph outline any piece has), with the union of
their widths and of their ToUnicode maps, and every page is pointed at it.

A font whose pieces disagree (a glyph with two widths or two texts, a
custom encoding, a CFF outline, a font file fontTools cannot read) is left
as the pieces made it: the PDF is then larger, never wrong.
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

BFCHAR = re.compile(rb"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]*)>")
SUBSET_TAG = re.compile(r"^/?[A-Z]{6}\+")


@dataclass
class _Font:
    """The Type0 fonts of the merged PDF that are subsets of one font, and what they cover together."""

    fonts: list[Any] = field(default_factory=list)  # Type0 font dictionaries, in the order first met
    widths: dict[int, Any] = field(default_factory=dict)
    texts: dict[int, bytes] = field(default_factory=dict)
    files: dict[bytes, Any] = field(default_factory=dict)  # each distinct font file's bytes and its stream
    agrees: bool = True


def share_fonts(pdf: Any) -> None:
    """Replace the pieces' subsets of each font by one subset holding every glyph they use."""
    import pikepdf

    groups: dict[str, _Font] = defaultdict(_Font)
    for font in _page_fonts(pdf):
        key = _key(font)
        if key is None:
            continue
        _gather(groups[key], font)
    shared: dict[tuple[int, int], Any] = {}
    for group in groups.values():
        if len(group.fonts) < 2 or not group.agrees:
            continue
        made = _shared(pdf, group)
        if made is not None:
            shared.update({font.objgen: made for font in group.fonts})
    if not shared:
        return
    for page in pdf.pages:
        fonts = page.obj.get("/Resources", {}).get("/Font")
        if isinstance(fonts, pikepdf.Dictionary):
            for name in list(fonts.keys()):
                replacement = shared.get(fonts[name].objgen)
                if replacement is not None:
                    fonts[name] = replacement


def share_images(pdf: Any) -> None:
    """Point every page at one copy of each image the pieces embedded alike (the logo in each running head)."""
    import hashlib

    import pikepdf

    first: dict[str, Any] = {}
    digests: dict[tuple[int, int], str] = {}  # each image object hashed once, though every page of its piece uses it
    for page in pdf.pages:
        images = page.obj.get("/Resources", {}).get("/XObject")
        if not isinstance(images, pikepdf.Dictionary):
            continue
        for name in list(images.keys()):
            image = images[name]
            if image.get("/Subtype") != "/Image":
                continue
            if image.objgen not in digests:
                digests[image.objgen] = _image_digest(image, hashlib.sha256())
            images[name] = first.setdefault(digests[image.objgen], image)


def _image_digest(image: Any, digest: Any) -> str:
    """Name an image by its bytes and settings, its transparency mask's included."""
    mask = image.get("/SMask")
    digest.update(image.read_raw_bytes())
    digest.update(repr(sorted((k, repr(v)) for k, v in image.items() if k != "/SMask")).encode())
    if mask is not None:  # an image's transparency is an image of its own
        digest.update(mask.read_raw_bytes() + repr(sorted((k, repr(v)) for k, v in mask.items())).encode())
    return str(digest.hexdigest())


def _page_fonts(pdf: Any) -> list[Any]:
    """List the Type0 fonts the pages use, once each, in page order."""
    seen: set[tuple[int, int]] = set()
    found = []
    for page in pdf.pages:
        for font in page.obj.get("/Resources", {}).get("/Font", {}).values():
            if font.objgen not in seen and font.get("/Subtype") == "/Type0":
                seen.add(font.objgen)
                found.append(font)
    return found


def _key(font: Any) -> str | None:
    """Name the font a Type0 font is a subset of, or None when it cannot be shared (not a TrueType CID font)."""
    kids = font.get("/DescendantFonts")
    if kids is None or len(kids) != 1 or font.get("/Encoding") != "/Identity-H":
        return None
    kid = kids[0]
    descriptor = kid.get("/FontDescriptor")
    if kid.get("/Subtype") != "/CIDFontType2" or descriptor is None or "/FontFile2" not in descriptor:
        return None
    if kid.get("/CIDToGIDMap") != "/Identity" or "/ToUnicode" not in font:
        return None
    return SUBSET_TAG.sub("", str(font.BaseFont))


def _gather(group: _Font, font: Any) -> None:
    """Add one piece's subset to its font's group, noting any disagreement."""
    group.fonts.append(font)
    kid = font.DescendantFonts[0]
    for gid, width in _widths(kid.get("/W", [])).items():
        if group.widths.setdefault(gid, width) != width:
            group.agrees = False
    for gid, text in BFCHAR.findall(font.ToUnicode.read_bytes()):
        if group.texts.setdefault(int(gid, 16), text.lower()) != text.lower():
            group.agrees = False
    stream = kid.FontDescriptor.FontFile2
    group.files.setdefault(stream.read_bytes(), stream)


def _widths(array: Any) -> dict[int, Any]:
    """Read a CID font's W array: runs 'first [w1 w2 …]' and ranges 'first last w'."""
    import pikepdf

    items = list(array)
    widths: dict[int, Any] = {}
    i = 0
    while i < len(items):
        first = int(items[i])
        if isinstance(items[i + 1], pikepdf.Array):
            for n, width in enumerate(items[i + 1]):
                widths[first + n] = width
            i += 2
        else:
            for gid in range(first, int(items[i + 1]) + 1):
                widths[gid] = items[i + 2]
            i += 3
    return widths


def _shared(pdf: Any, group: _Font) -> Any | None:
    """Make the one Type0 font that replaces a group's subsets; None when their outlines cannot be joined."""
    import pikepdf

    data = next(iter(group.files)) if len(group.files) == 1 else _joined(list(group.files))
    if data is None:
        return None
    first = group.fonts[0]
    kid = first.DescendantFonts[0]
    stream = pdf.make_stream(zlib.compress(data))
    stream.Filter = pikepdf.Name.FlateDecode
    stream.Length1 = len(data)
    descriptor = pikepdf.Dictionary({k: v for k, v in kid.FontDescriptor.items() if k != "/CIDSet"})
    descriptor.FontFile2 = stream
    widest = max((float(w) for w in group.widths.values()), default=0.0)
    bbox = [float(v) for v in descriptor.FontBBox]
    descriptor.FontBBox = pikepdf.Array([bbox[0], bbox[1], max(bbox[2], widest), bbox[3]])
    descendant = pikepdf.Dictionary({k: v for k, v in kid.items() if k not in ("/W", "/FontDescriptor")})
    descendant.W = _width_array(group.widths)
    descendant.FontDescriptor = pdf.make_indirect(descriptor)
    font = pikepdf.Dictionary({k: v for k, v in first.items() if k not in ("/ToUnicode", "/DescendantFonts")})
    font.DescendantFonts = pikepdf.Array([pdf.make_indirect(descendant)])
    font.ToUnicode = pdf.make_stream(_to_unicode(group.texts))
    return pdf.make_indirect(font)


def _width_array(widths: dict[int, Any]) -> Any:
    """Write widths as WeasyPrint does: a run per stretch of consecutive glyph ids."""
    import pikepdf

    out = pikepdf.Array()
    run: Any = None
    for gid in sorted(widths):
        if gid - 1 not in widths:
            run = pikepdf.Array()
            out.append(gid)
            out.append(run)
        run.append(widths[gid])
    return out


def _to_unicode(texts: dict[int, bytes]) -> bytes:
    """Write a ToUnicode CMap as WeasyPrint does, a hundred glyphs a block."""
    lines = [
        b"/CIDInit /ProcSet findresource begin",
        b"12 dict begin",
        b"begincmap",
        b"/CIDSystemInfo",
        b"<< /Registry (Adobe)",
        b"/Ordering (UCS)",
        b"/Supplement 0",
        b">> def",
        b"/CMapName /Adobe-Identity-UCS def",
        b"/CMapType 2 def",
        b"1 begincodespacerange",
        b"<0000> <ffff>",
        b"endcodespacerange",
    ]
    items = sorted(texts.items())
    for start in range(0, len(items), 100):
        block = items[start : start + 100]
        lines.append(f"{len(block)} beginbfchar".encode())
        lines += [b"<%04x> <%s>" % (gid, text) for gid, text in block]
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


def _joined(files: list[bytes]) -> bytes | None:
    """Join TrueType subsets that keep their glyph ids: every outline any of them has, in one font."""
    from fontTools.ttLib import TTFont, TTLibError

    try:
        fonts = [TTFont(io.BytesIO(data), recalcTimestamp=False, lazy=False) for data in files]
        if any("glyf" not in font for font in fonts):
            return None
        base = max(fonts, key=lambda font: len(font.getGlyphOrder()))
        for other in fonts:
            if other is not base:
                _fill_in(base, other)
        out = io.BytesIO()
        base.save(out)
        return out.getvalue()
    except (TTLibError, KeyError, ValueError, AssertionError, IndexError, struct.error):
        return None  # a font fontTools cannot read or write is left as the pieces made it


def _fill_in(base: Any, other: Any) -> None:
    """Copy into base every outline other has and base lacks, at the same glyph id."""
    order, other_order = base.getGlyphOrder(), other.getGlyphOrder()
    glyf, other_glyf = base["glyf"], other["glyf"]
    metrics, other_metrics = base["hmtx"].metrics, other["hmtx"].metrics
    for gid, name in enumerate(other_order):
        glyph = other_glyf[name]
        if glyph.numberOfContours == 0 or glyf[order[gid]].numberOfContours != 0:
            continue
        if glyph.isComposite():
            for component in glyph.components:
                component.glyphName = order[other_order.index(component.glyphName)]
        glyf[order[gid]] = glyph
        metrics[order[gid]] = other_metrics[name]
