"""The fonts the documents use: where they come from and which characters they cover."""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from pathlib import Path

from compendium.content.load import Located
from compendium.content.validate import strings
from compendium.errors import Problem
from compendium.messages import N_, _

FONT_SUFFIXES = {".ttf", ".otf", ".woff", ".woff2"}
NO_GLYPH = N_("it would print in another font, or not at all. Add a font that has it to templates/fonts/")


def fonts(folders: list[Path]) -> dict[str, Path]:
    """Find the font files of every template folder; a project's replace same-named packaged ones."""
    found: dict[str, Path] = {}
    for folder in reversed(folders):
        for path in sorted((folder / "fonts").glob("*")):
            if path.suffix.lower() in FONT_SUFFIXES and path.is_file():
                found[path.name] = path
    return found


def covered_characters(
    font_files: dict[str, Path], read: Callable[[Path], bytes | None] = lambda path: None
) -> frozenset[int]:
    """Return the characters some font covers, each font read from its bytes as the build read them (read)."""
    covered: set[int] = set()
    for font in font_files.values():
        data = read(font)
        covered |= _cmap(font if data is None else data)
    return frozenset(covered)


def file_glyphs(located: Located, covered: frozenset[int]) -> list[Problem]:
    """Warn about the characters of one file that no font covers; nothing when there are no fonts at all."""
    if not covered:
        return []
    texts = strings(located.data)
    # Most files use no uncovered character: look at each string only when the file has one.
    if not any(_uncovered(c, covered) for c in set("".join(t for _, t in texts))):
        return []
    problems = []
    for path, text in texts:
        missing = sorted({c for c in set(text) if _uncovered(c, covered)})
        if missing:
            shown = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in missing[:5])
            problems.append(
                located.problem(
                    path,
                    _("the fonts have no {shown}; {no_glyph}").format(shown=shown, no_glyph=_(NO_GLYPH)),
                    hint=_(NO_GLYPH),
                    warning=True,
                )
            )
    return problems


def _uncovered(char: str, covered: frozenset[int]) -> bool:
    """Tell whether a visible character is missing from every font."""
    return ord(char) not in covered and not char.isspace() and char.isprintable()


@functools.cache
def _cmap(font_file: Path | bytes) -> frozenset[int]:
    """Return the characters a font file (or its bytes) covers."""
    from fontTools.ttLib import TTFont, TTLibError

    try:
        with TTFont(io.BytesIO(font_file) if isinstance(font_file, bytes) else font_file, lazy=True) as font:
            return frozenset(font.getBestCmap() or {})
    except (TTLibError, OSError):
        return frozenset()
