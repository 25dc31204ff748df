"""Write the screenshots of the docs' "Kom i gang": the project `compendium init` makes, built, as the PDF and the HTML.

Makes a fresh project with `compendium init` in a temporary folder and builds it, so the pictures
show exactly what a new user sees; then draws a PDF page with pdftoppm (poppler-utils) and the
HTML in headless Chromium. The PNGs are reduced to a small palette to keep them small.

Run from anywhere:  .venv/bin/python tools/make_docs_screenshots.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from make_readme_picture import chapter_page  # beside this file
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "img"
COMPENDIUM = Path(sys.executable).parent / "compendium"
CHAPTER = "Baggrund"  # the page shown: the background chapter, with the key figures
WIDTH = 560  # pixels: the pictures are shown at about this width in the docs


def build_starter(folder: Path) -> Path:
    """Create the starter project in folder with `compendium init`, build it, and return its build folder."""
    project = folder / "mit-projekt"
    subprocess.run([str(COMPENDIUM), "init", str(project)], check=True, capture_output=True)
    subprocess.run([str(COMPENDIUM), "build", "--quiet"], cwd=project, check=True, capture_output=True)
    return project / "build"


def pdf_page(pdf: Path, page: int, out: Path) -> None:
    """Draw one page of a PDF as a small PNG."""
    with tempfile.TemporaryDirectory() as tmp:
        stem = Path(tmp) / "page"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(stem)],
            check=True,
        )
        save_small(Image.open(stem.with_suffix(".png")), out)


def html_view(html: Path, out: Path) -> None:
    """Draw the top of an HTML page in headless Chromium, as a screen shows it."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise SystemExit("Error: chromium is needed for the HTML screenshot (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as tmp:
        shot = Path(tmp) / "shot.png"
        subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--window-size=1000,760",
                f"--screenshot={shot}",
                html.as_uri(),
            ],
            check=True,
            capture_output=True,
        )
        save_small(Image.open(shot), out)


def save_small(image: Image.Image, out: Path) -> None:
    """Scale an image to the docs' width and save it with a 64-colour palette (a few tens of kB)."""
    image = image.convert("RGB")
    if image.width > WIDTH:
        image = image.resize((WIDTH, round(image.height * WIDTH / image.width)), Image.Resampling.LANCZOS)
    image.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(out, optimize=True)
    print(f"Wrote {out.relative_to(ROOT)} ({out.stat().st_size // 1024} kB)")


def main() -> None:
    """Build the starter project and write both screenshots."""
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        build = build_starter(Path(tmp))
        pdf = build / "compendium.pdf"
        pdf_page(pdf, chapter_page(pdf, CHAPTER), OUT / "kom-i-gang-pdf.png")
        html_view(build / "compendium.html", OUT / "kom-i-gang-html.png")


if __name__ == "__main__":
    main()
