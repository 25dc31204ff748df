"""Photos at print resolution, rebuilt from their pixels: nothing of the file but its pixels and colour profile.

A photo prints at most 168 mm wide (the A4 text width) and 95 mm tall
(style.css caps photo height); 300 dpi is print quality. A photo already
within that box keeps its size. Every photo is decoded and encoded afresh,
never copied: a file can carry EXIF, XMP, IPTC, comments (even between the
scans of a progressive JPEG), private PNG chunks, C2PA manifests, GIF comments
and bytes after its end marker, any of which can name the photographer or a
pictured person, or give GPS coordinates that consent does not allow to be
published. Stripping what is known would miss what is not; re-encoding keeps
only what a reader sees.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import Any

from compendium.messages import _

DPI = 300
MM_PER_INCH = 25.4
# Width and height in pixels: 168 mm × 95 mm at 300 dpi.
PRINT_BOX = (round(168 / MM_PER_INCH * DPI), round(95 / MM_PER_INCH * DPI))
# Fixed settings, so the same pixels give the same bytes in every build.
SAVE_OPTIONS: dict[str, dict[str, object]] = {
    "JPEG": {"quality": 90, "optimize": False, "progressive": False, "subsampling": "4:2:0"},
    "PNG": {"optimize": False, "compress_level": 6},
    "WEBP": {"quality": 90, "method": 4},
    "GIF": {"optimize": False},
}
# A JPEG holding more than one picture (MPO, from some phones and 3D cameras) is printed as its first, a JPEG.
SAVED_AS = {"MPO": "JPEG"}
# What a decoded frame may keep from its file: how its pixels are to be shown, nothing said about them.
# (The colour profile is passed on explicitly; everything else, text chunks included, is dropped.)
KEEP_INFO = {"transparency", "duration", "loop", "background"}


class PhotoError(Exception):
    """A photo validation accepted cannot be decoded after all; it is refused, never published as it is."""


def print_version(source: Path | bytes, box: tuple[int, int] = PRINT_BOX) -> bytes:
    """Return the photo (a file or its bytes) rebuilt from its pixels: upright, fitting the box, only its profile."""
    from PIL import Image

    data = source if isinstance(source, bytes) else source.read_bytes()
    try:
        with warnings.catch_warnings():
            # Validation has checked the size against our own limit, which is below Pillow's error.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind = SAVED_AS.get(str(image.format), str(image.format))
                if kind not in SAVE_OPTIONS:
                    raise PhotoError(_("a {format} image is not a photo format").format(format=image.format))
                if getattr(image, "is_animated", False) and kind != "JPEG":
                    return _save_animation(image, kind)
                return _save_still(image, kind, box)
    except (OSError, ValueError, SyntaxError) as exc:
        raise PhotoError(str(exc)) from exc


def _profile(image: Any) -> dict[str, bytes]:
    """Return the save option that keeps a photo's colour profile, if it has one."""
    profile = image.info.get("icc_profile")
    return {"icc_profile": profile} if profile else {}


def _bare(frame: Any) -> Any:
    """Return a copy of a decoded frame that holds its pixels and how to show them, and nothing else."""
    bare = frame.copy()
    bare.info = {key: value for key, value in frame.info.items() if key in KEEP_INFO}
    return bare


def _save_still(image: Any, kind: str, box: tuple[int, int]) -> bytes:
    """Encode one picture afresh, turned upright by its EXIF and scaled down to fit the box."""
    from PIL import Image, ImageOps

    # Phone photos are often stored sideways with an EXIF turn; apply it, since the copy has no EXIF.
    upright = ImageOps.exif_transpose(image)
    if upright.width > box[0] or upright.height > box[1]:
        upright.thumbnail(box, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    _bare(upright).save(out, format=kind, **SAVE_OPTIONS[kind], **_profile(image))
    return out.getvalue()


def _save_animation(image: Any, kind: str) -> bytes:
    """Encode every frame of an animated GIF, PNG or WebP afresh, with its timing and nothing else."""
    from PIL import ImageSequence

    frames = [_bare(frame) for frame in ImageSequence.Iterator(image)]
    durations = [frame.info.get("duration", 100) for frame in frames]
    out = io.BytesIO()
    frames[0].save(
        out,
        format=kind,
        save_all=True,
        append_images=frames[1:],
        duration=durations,
        loop=image.info.get("loop", 0),
        **SAVE_OPTIONS[kind],
        **_profile(image),
    )
    return out.getvalue()
