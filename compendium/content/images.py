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

# JPEG, PNG, WebP and GIF: what every browser and WeasyPrint show.
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif"}
FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
# A 60-megapixel camera makes 9,504 × 6,336; print needs far less.
MAX_SIDE = 12_000
MAX_PIXELS = 80_000_000
AS_JPEG = "export it again as JPEG or PNG"


def suffix_problem(name: str) -> Fault | None:
    """Explain a refused file type before anything is opened, or None when the suffix is fine."""
    suffix = Path(name).suffix.lower()
    if suffix in (".svg", ".svgz"):
        return Fault.then(
            f"'{name}' is an SVG drawing, which is not accepted as a photo (an SVG can load other files "
            "and expand entities)",
            "export it as PNG",
        )
    if suffix not in IMAGE_SUFFIXES:
        return Fault.then(f"'{name}' has an unsupported type", f"expected one of {', '.join(sorted(IMAGE_SUFFIXES))}")
    return None


def image_problem(photo: Path | bytes, name: str) -> Fault | None:
    """Say why a file (or its bytes) is not a usable photo, or None when it is one; name is how the editor wrote it."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            # Pillow warns, then raises, above its own pixel limit; ours is checked below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(photo) if isinstance(photo, bytes) else photo) as image:
                width, height = image.size
                if image.format not in FORMATS:
                    return Fault.then(f"'{name}' is a {image.format} image", AS_JPEG)
                if max(width, height) > MAX_SIDE or width * height > MAX_PIXELS:
                    return Fault.then(
                        f"'{name}' is {width:,} × {height:,} pixels, more than the {MAX_SIDE:,} pixels per side "
                        f"and {MAX_PIXELS // 1_000_000} megapixels allowed",
                        "scale it down",
                    )
                image.verify()
    except Image.DecompressionBombError:
        return Fault.then(
            f"'{name}' unpacks to more pixels than any photo has (a decompression bomb)", "export it again"
        )
    except UnidentifiedImageError:
        return Fault.then(f"'{name}' is not a readable image (its format is not recognised)", AS_JPEG)
    except (OSError, SyntaxError, ValueError) as exc:
        return Fault.then(f"'{name}' is not a readable image ({exc})", AS_JPEG)
    return None
