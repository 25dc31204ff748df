"""Write a contact sheet of a PDF: every page (or the first N) small, side by side, for a typesetter's look.

    .venv/bin/python tools/contact_sheet.py build/compendium.pdf docs/contact-sheets/compendium-example.png
    .venv/bin/python tools/contact_sheet.py BIG.pdf sheet.png --pages 40 --columns 10

Needs pdftoppm (poppler-utils). Page numbers are printed under each page.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw

GAP = 14
BACKGROUND = (232, 230, 226)
FRAME = (190, 188, 184)
LABEL = (60, 60, 64)


def render_pages(pdf: Path, last: int, dpi: int, folder: Path) -> list[Image.Image]:
    """Render pages 1 to last of a PDF as images with pdftoppm."""
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", str(last), str(pdf), str(folder / "p")], check=True
    )
    return [Image.open(path).convert("RGB") for path in sorted(folder.glob("p-*.png"))]


def sheet(pages: list[Image.Image], columns: int) -> Image.Image:
    """Lay the pages out in rows on a light background, each numbered below."""
    width, height = pages[0].size
    rows = (len(pages) + columns - 1) // columns
    label = 12
    out = Image.new("RGB", (columns * (width + GAP) + GAP, rows * (height + GAP + label) + GAP), BACKGROUND)
    draw = ImageDraw.Draw(out)
    for index, page in enumerate(pages):
        x = GAP + (index % columns) * (width + GAP)
        y = GAP + (index // columns) * (height + GAP + label)
        out.paste(page, (x, y))
        draw.rectangle((x - 1, y - 1, x + width, y + height), outline=FRAME)
        draw.text((x + width // 2 - 6, y + height + 1), str(index + 1), fill=LABEL)
    return out


def main() -> None:
    """Parse the arguments and write the sheet."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("pdf", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--pages", type=int, default=0, help="only the first N pages (default: all)")
    parser.add_argument("--columns", type=int, default=8)
    parser.add_argument("--dpi", type=int, default=24)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pages = render_pages(args.pdf, args.pages or 100_000, args.dpi, Path(tmp))
    # A 256-colour palette keeps the sheet small in the repository; pages are mostly flat colour.
    sheet(pages, args.columns).quantize(colors=256).save(args.out, optimize=True)
    print(f"Wrote {args.out} ({len(pages)} pages, {args.out.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
