"""Photos at print resolution: scaled down once with Pillow, so layout and PDFs carry no excess pixels.

A photo prints at most 168 mm wide (the A4 text width) and 95 mm tall
(style.css caps photo height); 300 dpi is print quality. A photo already
within that box keeps its pixels, but never its metadata: EXIF, XMP and IPTC
can hold the photographer's or a pictured person's name, a description and GPS
coordinates, which consent may not allow to be published.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path
from typing import Any

DPI = 300
MM_PER_INCH = 25.4
# Width and height in pixels: 168 mm × 95 mm at 300 dpi.
PRINT_BOX = (round(168 / MM_PER_INCH * DPI), round(95 / MM_PER_INCH * DPI))
# Formats Pillow writes back deterministically; others (GIF, say) are kept as they are.
SAVE_OPTIONS: dict[str, dict[str, object]] = {
    "JPEG": {"quality": 90, "optimize": False, "progressive": False, "subsampling": "4:2:0"},
    "PNG": {"optimize": False, "compress_level": 6},
    "WEBP": {"quality": 90, "method": 4},
}


def print_version(source: Path | bytes, box: tuple[int, int] = PRINT_BOX) -> bytes | None:
    """Return the photo (a file or its bytes) scaled to fit the box and without metadata; None to use it as it is."""
    data = source if isinstance(source, bytes) else source.read_bytes()
    try:
        scaled = _scale(data, box)
    except (OSError, ValueError):  # validation has vouched for the file; the metadata is still stripped below
        scaled = None
    if scaled is not None:
        return strip_metadata(scaled)
    stripped = strip_metadata(data)
    return None if stripped == data else stripped


# JPEG segments kept: JFIF (APP0), the colour profile (APP2) and Adobe's colour transform (APP14).
# Everything else before the image data (EXIF and XMP in APP1, IPTC in APP13, comments) goes.
_JPEG_KEEP = {0xE0, 0xE2, 0xEE}
# PNG chunks that carry text, EXIF or a timestamp; the pixels and colour information stay.
_PNG_DROP = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}


def strip_metadata(data: bytes) -> bytes:
    """Remove EXIF, XMP, IPTC, comments and text from a JPEG or PNG without re-encoding it; others as they are."""
    if data.startswith(b"\xff\xd8"):
        return _strip_jpeg(data)
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return _strip_png(data)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _reencode_webp(data)
    return data


def _strip_jpeg(data: bytes) -> bytes:
    """Drop a JPEG's metadata segments; an EXIF turn is applied first, since dropping it would turn the photo."""
    if _exif_turn(data) not in (0, 1):
        return _reencode_upright(data)
    out, i = bytearray(data[:2]), 2
    while i + 4 <= len(data) and data[i] == 0xFF:
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker == 0xDA:  # start of scan: the image data follows, and no metadata after it matters
            out += data[i:]
            return bytes(out)
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        segment = data[i : i + 2 + length]
        if not (0xE0 <= marker <= 0xEF or marker == 0xFE) or marker in _JPEG_KEEP:
            out += segment
        i += 2 + length
    return data  # not a JPEG we understand: leave it to the layout, which validation has vouched for


def _strip_png(data: bytes) -> bytes:
    """Drop a PNG's text, EXIF and time chunks."""
    out, i = bytearray(data[:8]), 8
    while i + 8 <= len(data):
        (length,) = struct.unpack(">I", data[i : i + 4])
        kind = data[i + 4 : i + 8]
        chunk = data[i : i + 12 + length]
        if len(chunk) < 12 + length or zlib.crc32(chunk[4:-4]) != struct.unpack(">I", chunk[-4:])[0]:
            return data  # damaged: leave it as it is
        if kind not in _PNG_DROP:
            out += chunk
        i += 12 + length
        if kind == b"IEND":
            return bytes(out)
    return data


def _exif_turn(data: bytes) -> int:
    """Return a JPEG's EXIF orientation (1 is upright), or 0 when it has none."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            return int(image.getexif().get(0x0112, 0))
    except (OSError, ValueError):
        return 0


def _reencode_upright(data: bytes) -> bytes:
    """Turn a JPEG upright and save it again, without its metadata."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        return _save_upright(image)


def _scale(data: bytes, box: tuple[int, int]) -> bytes | None:
    """Scale a photo down to fit a box; None when it fits already or is not a format we rewrite."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        if image.format not in SAVE_OPTIONS or getattr(image, "is_animated", False):
            return None
        # Phone photos are often stored sideways with an EXIF turn; apply it, since the copy drops EXIF.
        width, height = image.size
        if image.getexif().get(0x0112, 1) in (5, 6, 7, 8):
            width, height = height, width
        if width <= box[0] and height <= box[1]:
            return None
        return _save_upright(image, box)


def _save_upright(image: Any, box: tuple[int, int] | None = None) -> bytes:
    """Save a photo again in its format, turned upright and scaled to fit box if given, keeping only its colour profile."""
    from PIL import Image, ImageOps

    upright = ImageOps.exif_transpose(image)
    if box:
        upright.thumbnail(box, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    extra = {"icc_profile": image.info["icc_profile"]} if image.info.get("icc_profile") else {}
    upright.save(out, format=image.format, **SAVE_OPTIONS[image.format], **extra)
    return out.getvalue()


def _reencode_webp(data: bytes) -> bytes:
    """Save a WebP again without its EXIF and XMP, when it has any."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            if not (image.info.get("exif") or image.info.get("xmp")) or getattr(image, "is_animated", False):
                return data
            return _save_upright(image)
    except (OSError, ValueError):
        return data
