"""Photos at print resolution: scaled down once with Pillow, so layout and PDFs carry no excess pixels.

A photo prints at most 168 mm wide (the A4 text width) and 95 mm tall
(style.css caps photo height); 300 dpi is print quality. A photo already
within that box is used exactly as it is.
"""

from __future__ import annotations

import io
from pathlib import Path

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


def print_version(source: Path, box: tuple[int, int] = PRINT_BOX) -> bytes | None:
    """Return the photo scaled to fit the box, or None when it already fits (or cannot be rescaled)."""
    try:
        return _scale(source, box)
    except (OSError, ValueError):  # validation has vouched for the file; the original is then used as it is
        return None


def _scale(source: Path, box: tuple[int, int]) -> bytes | None:
    """Scale a photo down to fit a box; None when it fits already or is not a format we rewrite."""
    from PIL import Image, ImageOps

    with Image.open(source) as image:
        if image.format not in SAVE_OPTIONS or getattr(image, "is_animated", False):
            return None
        # Phone photos are often stored sideways with an EXIF turn; apply it, since the copy drops EXIF.
        width, height = image.size
        if image.getexif().get(0x0112, 1) in (5, 6, 7, 8):
            width, height = height, width
        if width <= box[0] and height <= box[1]:
            return None
        upright = ImageOps.exif_transpose(image)
        upright.thumbnail(box, Image.Resampling.LANCZOS)
        out = io.BytesIO()
        extra = {"icc_profile": image.info["icc_profile"]} if image.info.get("icc_profile") else {}
        upright.save(out, format=image.format, **SAVE_OPTIONS[image.format], **extra)
        return out.getvalue()
