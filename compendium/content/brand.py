"""Brand settings: an accent colour text can be read in, and font files that are whole fonts a PDF may embed.

Kept free of build logic, like images.py, so the model and the pipeline's memo can call it.
The contrast is WCAG 2's (relative luminance, the ratio (L1 + 0.05) / (L2 + 0.05)), computed by
coloraide; a colour that falls short is darkened in HSL, hue and saturation kept, until it passes,
which is the nearest colour of the same hue that does.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

from compendium.errors import Fault
from compendium.messages import N_, _

# WCAG 2.2 AA for body text (1.4.3): the accent colours headings, links and key figures.
MIN_CONTRAST = 4.5
PAPER = "#ffffff"
HEX = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")
EXAMPLE_ACCENT = "#a6192e"
# Darkening steps of a tenth of a percent of lightness: fine enough that the suggestion is the nearest passing shade.
STEP = 0.001
# The soft tint behind key figures: this much of the accent on white, less if the accent would not stand out on it.
TINT = 0.1

FONT_SUFFIXES = {".ttf", ".otf"}
# A whole family of a large script (CJK) is about 20 MB a face; a Latin face is under 1 MB.
MAX_FONT_BYTES = 20_000_000
# Files of one role: regular, italic, bold and bold italic, with room for a semibold or two.
MAX_FONT_FILES = 8
AS_TTF = N_("export it again as TTF or OTF")
# OS/2 fsType bits (OpenType spec): embedding a font in a document is what a PDF does, as a subset.
RESTRICTED, NO_SUBSETTING, BITMAP_ONLY = 0x0002, 0x0100, 0x0200
EMBEDDABLE = 0x0004 | 0x0008  # preview & print, or editable: embedding allowed


def contrast_on_white(colour: str) -> float:
    """Return a colour's WCAG contrast ratio against white paper."""
    from coloraide import Color

    return float(Color(colour).contrast(PAPER, method="wcag21"))


def shown_ratio(ratio: float) -> str:
    """Write a ratio rounded down, so 4.497 is never shown as a passing 4.50."""
    return f"{math.floor(ratio * 100) / 100:.2f}"


def darkened(colour: str) -> str:
    """Return the lightest shade of a colour's hue and saturation (as hex) that has the contrast text needs."""
    from coloraide import Color

    hsl = Color(colour).convert("hsl")
    hue, saturation, lightness = hsl["hue"], hsl["saturation"], hsl["lightness"]

    def shade(step: int) -> str:
        darker = Color("hsl", [hue, saturation, max(lightness - step * STEP, 0.0)]).convert("srgb")
        return str(darker.to_string(hex=True))

    # Darker never lowers the contrast on white, so the fewest steps that pass are found by halving.
    low, high = 0, math.ceil(lightness / STEP)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if contrast_on_white(shade(middle)) >= MIN_CONTRAST else (middle, high)
    return shade(high)


def accent_fault(value: str) -> Fault | None:
    """Say why a text is not a usable accent colour (not hex, or too light on white); None when it is one."""
    if not HEX.fullmatch(value):
        return _not_hex(value)
    ratio = contrast_on_white(value)
    if ratio >= MIN_CONTRAST:
        return None
    nearest = darkened(value)
    return Fault.then(
        _(
            "'{value}' has a contrast of {ratio}:1 on white, less than the {min_contrast}:1 that text needs (WCAG 2.2 AA)"
        ).format(value=value, ratio=shown_ratio(ratio), min_contrast=MIN_CONTRAST),
        _('use "{nearest}", the nearest darker shade that has it ({ratio}:1)').format(
            nearest=nearest, ratio=shown_ratio(contrast_on_white(nearest))
        ),
    )


def _not_hex(value: str) -> Fault:
    """Refuse a colour not written in hex, giving its hex form when it is a colour CSS knows."""
    from coloraide import Color

    try:
        known = Color(value.strip()).convert("srgb")
    except ValueError:
        known = None
    if known is not None and known.alpha() == 1 and known.in_gamut():
        hex_form = known.to_string(hex=True)
        return Fault.then(
            _("'{value}' is not written in hex").format(value=value),
            _('write it as "{hex_form}"').format(hex_form=hex_form),
        )
    return Fault.then(
        _("'{value}' is not a colour in hex").format(value=value),
        _('write it as "#rrggbb", e.g. "{example_accent}"').format(example_accent=EXAMPLE_ACCENT),
    )


def normal_hex(value: str) -> str:
    """Write a hex colour as #rrggbb in lower case."""
    digits = value[1:].lower()
    return "#" + ("".join(c * 2 for c in digits) if len(digits) == 3 else digits)


def soft_tint(colour: str) -> str:
    """Return a pale tint of the accent for backgrounds, on which the accent itself still has the contrast text needs."""
    from coloraide import Color

    accent = Color(colour)
    for tenth in range(int(TINT * 100), -1, -1):
        tint = Color(PAPER).mix(accent, tenth / 100, space="srgb").to_string(hex=True)
        if float(accent.contrast(tint, method="wcag21")) >= MIN_CONTRAST:
            return str(tint)
    return PAPER


@dataclass(frozen=True)
class FontFace:
    """What a font file is, as CSS needs it: its weight and whether it is italic."""

    weight: int
    italic: bool

    @property
    def style(self) -> str:
        """Return the CSS font-style."""
        return "italic" if self.italic else "normal"

    def describe(self) -> str:
        """Name the face as an editor would: 'bold italic', 'regular'."""
        weight = {400: "regular", 700: "bold"}.get(self.weight, f"weight {self.weight}")
        if self.italic:
            return "italic" if self.weight == 400 else f"{weight} italic"
        return weight


def font_face(data: bytes, name: str) -> FontFace | Fault:
    """Read a font file's weight and style, after checking it is a whole TrueType or OpenType font a PDF may embed."""
    if len(data) > MAX_FONT_BYTES:
        return _too_large(len(data), name)
    from fontTools.ttLib import TTFont

    try:
        with TTFont(io.BytesIO(data), lazy=False) as font:
            missing = [t for t in ("cmap", "head", "name", "OS/2") if t not in font]
            if missing or not any(t in font for t in ("glyf", "CFF ", "CFF2")):
                return Fault.then(
                    _("'{name}' is not a complete font (it has no {glyphs})").format(
                        name=name, glyphs=", ".join(missing) or _("glyphs")
                    ),
                    _(AS_TTF),
                )
            font.ensureDecompiled()  # every table and glyph: a damaged font is refused here, not while printing
            return _licence(font["OS/2"].fsType, name) or _face(font)
    # fontTools reads a damaged or crafted file with whatever error its parser meets (struct.error, KeyError,
    # AssertionError, RecursionError …): any of them means the file is not a font to print with.
    except Exception as exc:
        return Fault.then(_("'{name}' is not a readable font ({exc})").format(name=name, exc=_reason(exc)), _(AS_TTF))


def _too_large(size: int, name: str) -> Fault:
    """Refuse a font file larger than any font a publication needs, by its size alone."""
    return Fault.then(
        _("'{name}' is {size:,.1f} MB, more than the {limit} MB a font file may be").format(
            name=name, size=size / 1_000_000, limit=MAX_FONT_BYTES // 1_000_000
        ),
        _("subset it to the scripts the publication uses"),
    )


def _reason(exc: Exception) -> str:
    """Give an error's first line, or its kind when it says nothing."""
    text = str(exc).strip().splitlines()
    return text[0][:120] if text else type(exc).__name__


def _licence(fs_type: int, name: str) -> Fault | None:
    """Refuse a font whose embedding permissions (OS/2 fsType) forbid what a PDF does: embed a subset of it."""
    fix = _("use a font whose licence allows embedding, e.g. one under the SIL Open Font License")
    if fs_type & RESTRICTED and not fs_type & EMBEDDABLE:
        return Fault.then(
            _("'{name}' may not be embedded in a document (its licence restricts embedding)").format(name=name), fix
        )
    if fs_type & (NO_SUBSETTING | BITMAP_ONLY):
        kind = _("subset") if fs_type & NO_SUBSETTING else _("embedded except as bitmaps")
        return Fault.then(
            _("'{name}' may not be {kind} (its licence says so), which a PDF needs").format(name=name, kind=kind), fix
        )
    return None


def _face(font: object) -> FontFace:
    """Read the weight and style a font says it has."""
    os2 = font["OS/2"]  # type: ignore[index]
    italic = bool(os2.fsSelection & 0x0001) or bool(font["head"].macStyle & 0x0002)  # type: ignore[index]
    return FontFace(min(max(int(os2.usWeightClass), 1), 1000), italic)


def font_file_face(path: Path, name: str) -> FontFace | Fault:
    """Check a font file on disk as font_face does, by its size before a byte of it is read."""
    try:
        size = path.stat().st_size
        if size > MAX_FONT_BYTES:
            return _too_large(size, name)
        return font_face(path.read_bytes(), name)
    except OSError as exc:
        return Fault.then(
            _("'{name}' cannot be read ({strerror})").format(name=name, strerror=exc.strerror), _("check the file")
        )
