"""Photo validation: a photo must be a real, reasonably sized raster image.

Kept small and free of build logic so the photo cache can call it too.
Pillow only reads the header to learn the size, so a decompression bomb
(a small file that unpacks to gigabytes of pixels) is refused before any
pixel is decoded.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from compendium.errors import Fault
from compendium.messages import N_, _

# JPEG, PNG, WebP and GIF: what every browser and WeasyPrint show.
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif"}
# MPO is a JPEG with more pictures after its first (some phones and 3D cameras); the first is printed.
FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "GIF"}
# A 60-megapixel camera makes 9,504 × 6,336; print needs far less.
MAX_SIDE = 12_000
MAX_PIXELS = 80_000_000
# Such a camera's best JPEG is about 30 MB; a photo is checked by size before a byte of it is read.
MAX_PHOTO_BYTES = 50_000_000
AS_JPEG = N_("export it again as JPEG or PNG")
# What an image is, in messages: a photo, or the brand's logo.
PHOTO = N_("photo")
LOGO = N_("logo")


def suffix_problem(name: str, what: str = PHOTO) -> Fault | None:
    """Explain a refused file type before anything is opened, or None when the suffix is fine; what: photo or logo."""
    suffix = Path(name).suffix.lower()
    if suffix in (".svg", ".svgz"):
        return Fault.then(
            _(
                "'{name}' is an SVG drawing, which is not accepted as a {what} (an SVG can load other files and expand entities)"
            ).format(name=name, what=_(what)),
            _("export it as PNG"),
        )
    if suffix not in IMAGE_SUFFIXES:
        return Fault.then(
            _("'{name}' has an unsupported type").format(name=name),
            _("expected one of {image_suffixes}").format(image_suffixes=", ".join(sorted(IMAGE_SUFFIXES))),
        )
    return None


def size_problem(size: int, name: str) -> Fault | None:
    """Refuse a photo file larger than any photo needs to be, by its size alone; None when it is fine."""
    if size <= MAX_PHOTO_BYTES:
        return None
    return Fault.then(
        _("'{name}' is {size:,.1f} MB, more than the {limit} MB a photo may be").format(
            name=name, size=size / 1_000_000, limit=MAX_PHOTO_BYTES // 1_000_000
        ),
        _("scale it down or export it again as JPEG"),
    )


def image_problem(photo: Path | bytes, name: str) -> Fault | None:
    """Say why a file (or its bytes) is not a usable photo, or None when it is one; name is how the editor wrote it."""
    from PIL import Image, UnidentifiedImageError

    size = len(photo) if isinstance(photo, bytes) else _file_size(photo)
    if (too_big := size_problem(size, name)) is not None:
        return too_big
    try:
        with warnings.catch_warnings():
            # Pillow warns, then raises, above its own pixel limit; ours is checked below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(photo) if isinstance(photo, bytes) else photo) as image:
                width, height = image.size
                if image.format not in FORMATS:
                    return Fault.then(
                        _("'{name}' is a {format} image").format(name=name, format=image.format), _(AS_JPEG)
                    )
                frames = getattr(image, "n_frames", 1) if image.format != "MPO" else 1
                if max(width, height) > MAX_SIDE or width * height * frames > MAX_PIXELS:
                    return _too_many_pixels(name, width, height, frames)
                image.verify()
            _decode(photo)
    except Image.DecompressionBombError:
        return Fault.then(
            _("'{name}' unpacks to more pixels than any photo has (a decompression bomb)").format(name=name),
            _("export it again"),
        )
    except UnidentifiedImageError:
        return Fault.then(
            _("'{name}' is not a readable image (its format is not recognised)").format(name=name), _(AS_JPEG)
        )
    except (OSError, SyntaxError, ValueError) as exc:
        return Fault.then(_("'{name}' is not a readable image ({exc})").format(name=name, exc=exc), _(AS_JPEG))
    return None


def _file_size(path: Path) -> int:
    """Return a file's size without opening it (0 when it cannot be read; opening it will say why)."""
    try:
        return path.stat().st_size
    except (OSError, ValueError):
        return 0


def _too_many_pixels(name: str, width: int, height: int, frames: int) -> Fault:
    """Refuse a photo with more pixels than print needs, saying how many it has."""
    of_frames = _(" in each of {frames:,} frames").format(frames=frames) if frames > 1 else ""
    return Fault.then(
        _(
            "'{name}' is {width:,} × {height:,} pixels{of_frames}, more than the {max_side:,} pixels per side and {value} megapixels allowed"
        ).format(
            name=name, width=width, height=height, of_frames=of_frames, max_side=MAX_SIDE, value=MAX_PIXELS // 1_000_000
        ),
        _("scale it down"),
    )


def _decode(photo: Path | bytes) -> None:
    """Decode every pixel, as the build will: a damaged photo is refused here, not found while printing."""
    from PIL import Image, ImageFile, ImageSequence

    # WeasyPrint, once imported, tells Pillow to fill in truncated images; a photo must be whole.
    lenient, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        with Image.open(io.BytesIO(photo) if isinstance(photo, bytes) else photo) as image:
            for frame in ImageSequence.Iterator(image):
                frame.load()
                if image.format == "MPO":
                    break
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient
