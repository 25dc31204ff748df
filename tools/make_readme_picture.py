"""Write docs/page.png, the README's picture: the first theme chapter and the debate paper's first page.

Needs a built example (`make build`) and pdftoppm (poppler-utils).

Run from anywhere:  .venv/bin/python tools/make_readme_picture.py
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build"
OUT = ROOT / "docs" / "page.png"
DPI = 60
GAP = 22
BACKGROUND = (232, 230, 226)


def chapter_page(pdf: Path, title: str) -> int:
    """Return the 1-based page that the PDF bookmark named title points at."""
    reader = PdfReader(pdf)
    for item in reader.outline:
        # A nested list holds the sub-bookmarks of the entry before it; chapters are top-level.
        if not isinstance(item, list) and item.title == title:
            return reader.get_destination_page_number(item) + 1
    raise SystemExit(f"{pdf.name}: no bookmark named {title!r}")


def page_image(pdf: Path, number: int, folder: Path) -> Image.Image:
    """Render one PDF page to an image with pdftoppm."""
    stem = folder / f"{pdf.stem}-{number}"
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(DPI), "-f", str(number), "-l", str(number), "-singlefile", str(pdf), str(stem)],
        check=True,
    )
    return Image.open(f"{stem}.png").convert("RGB")


def main() -> None:
    """Compose the two pages side by side on a light background."""
    compendium, debate = BUILD / "compendium.pdf", BUILD / "debate-paper.pdf"
    with tempfile.TemporaryDirectory() as tmp:
        pages = [
            page_image(compendium, chapter_page(compendium, "Tillid"), Path(tmp)),
            page_image(debate, 1, Path(tmp)),
        ]
    width, height = pages[0].size
    sheet = Image.new("RGB", (2 * width + 3 * GAP, height + 2 * GAP), BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    for index, page in enumerate(pages):
        x = GAP + index * (width + GAP)
        sheet.paste(page, (x, GAP))
        draw.rectangle((x - 1, GAP - 1, x + width, GAP + height), outline=(190, 188, 184))
    # A 256-colour palette keeps the picture small in the repository; the pages are mostly flat colour.
    sheet.quantize(colors=256).save(OUT, optimize=True)
    print(f"Wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
