"""Make compendium/templates/word/reference.docx: pandoc's reference document, styled like the PDF.

Run `.venv/bin/python -m tools.word_reference` after changing a style below, and commit the file:
pandoc takes every style of a Word edition from it (fonts, sizes, colours), and nothing else.
"""

from __future__ import annotations

import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pypandoc
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Pt, RGBColor

TARGET = Path(__file__).resolve().parent.parent / "compendium" / "templates" / "word" / "reference.docx"
SERIF, SANS = "Noto Serif", "Noto Sans"
INK, ACCENT, MUTED = RGBColor(0x1D, 0x1D, 0x1F), RGBColor(0xA6, 0x19, 0x2E), RGBColor(0x5B, 0x5B, 0x60)
# The print style sheet's sizes (style.css, @media print): the body is 10.5 pt, headings are em of it.
STYLES: dict[str, tuple[str, float, RGBColor, bool]] = {
    "Normal": (SERIF, 10.5, INK, False),
    "Body Text": (SERIF, 10.5, INK, False),
    "First Paragraph": (SERIF, 10.5, INK, False),
    "Compact": (SERIF, 10.5, INK, False),
    "Title": (SANS, 30, INK, True),
    "Subtitle": (SANS, 14, MUTED, False),
    "Author": (SANS, 11, INK, False),
    "Date": (SANS, 11, MUTED, False),
    "Heading 1": (SANS, 20, ACCENT, True),
    "Heading 2": (SANS, 13.5, INK, True),
    "Heading 3": (SANS, 11, INK, True),
    "Heading 4": (SANS, 10.5, INK, True),
    "Caption": (SANS, 8.5, MUTED, False),
    "Table Caption": (SANS, 9, INK, True),
    "Image Caption": (SANS, 8.5, MUTED, False),
    "Footnote Text": (SERIF, 8.5, INK, False),
    "Definition Term": (SANS, 10.5, INK, True),
    "Quote": (SERIF, 10.5, INK, False),
}


def reference() -> bytes:
    """Return pandoc's own reference document, restyled."""
    pandoc = pypandoc.get_pandoc_path()
    data = subprocess.run([pandoc, "--print-default-data-file", "reference.docx"], capture_output=True, check=True)
    document = Document(BytesIO(data.stdout))
    names = {style.name for style in document.styles}
    if "Quote" not in names:  # pandoc's has Block Text; the Word edition's quotations take Word's own Quote
        quote = document.styles.add_style("Quote", WD_STYLE_TYPE.PARAGRAPH)
        quote.base_style = document.styles["Body Text"]
        quote.paragraph_format.left_indent = Pt(18)
        quote.font.italic = True
    for name, (font, size, colour, bold) in STYLES.items():
        style = document.styles[name]
        style.font.name = font
        style.font.size = Pt(size)
        style.font.color.rgb = colour
        style.font.bold = bold
    out = BytesIO()
    document.save(out)
    return out.getvalue()


if __name__ == "__main__":
    TARGET.write_bytes(reference())
    sys.stdout.write(f"wrote {TARGET}\n")
