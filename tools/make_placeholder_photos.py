"""Write the placeholder photos that the example project in inputs/ refers to.

The real photos from the source articles are not available, so the example
uses generated stand-ins. The output is deterministic: the same Pillow build
writes the same bytes every time (no EXIF, no timestamps).

Run from anywhere:  .venv/bin/python tools/make_placeholder_photos.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
PHOTO_DIR = ROOT / "inputs" / "photos"
FONT_DIR = ROOT / "compendium" / "templates" / "fonts"

SIZE = (1200, 800)
QUALITY = 80
HEADING = "Pladsholderbillede"

# File name, label printed under the heading, background colour (calm tones).
PHOTOS: list[tuple[str, str, tuple[int, int, int]]] = [
    ("forside.jpg", "Et nyt beskæftigelsessystem", (62, 92, 118)),
    (
        "2021-amager-gruppebillede.jpg",
        "Workshop på Amager: gruppebillede",
        (70, 110, 100),
    ),
    ("2021-amager-moedelokale.jpg", "Workshop på Amager: mødelokalet", (96, 112, 88)),
    ("2023-midtvest-oplaeg.jpg", "HK Kommunal MidtVest: oplæg", (120, 90, 80)),
    (
        "2023-midtvest-planche.jpg",
        "HK Kommunal MidtVest: planche med ønsker",
        (128, 104, 70),
    ),
    ("2023-midtvest-karina-sorensen.jpg", "Portræt: Karina Sørensen", (92, 86, 120)),
    ("historie-gaaturen.jpg", "Eksempel på en god historie", (78, 104, 126)),
    ("historie-borgerraadgiveren.jpg", "Eksempel på en god historie", (104, 96, 112)),
]


def font(name: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Return the packaged Noto font, or Pillow's default if it is missing."""
    path = FONT_DIR / name
    if path.is_file():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def lighten(colour: tuple[int, int, int], amount: float) -> tuple[int, int, int]:
    """Mix a colour with white; amount 0 keeps it, 1 gives white."""
    r, g, b = (round(c + (255 - c) * amount) for c in colour)
    return (r, g, b)


def draw_centred(
    draw: ImageDraw.ImageDraw,
    y: int,
    text: str,
    face: ImageFont.FreeTypeFont | ImageFont.ImageFont,
    fill: tuple[int, int, int],
) -> None:
    """Draw one line of text centred horizontally with its top at y."""
    left, top, right, _ = draw.textbbox((0, 0), text, font=face)
    x = (SIZE[0] - (right - left)) // 2 - left
    draw.text((x, y - top), text, font=face, fill=fill)


def make_photo(label: str, colour: tuple[int, int, int]) -> Image.Image:
    """Return one placeholder image: a calm background, a frame and two lines of text."""
    image = Image.new("RGB", SIZE, colour)
    draw = ImageDraw.Draw(image)
    frame = lighten(colour, 0.25)
    draw.rectangle((40, 40, SIZE[0] - 41, SIZE[1] - 41), outline=frame, width=4)
    # A simple camera outline, so the image reads as "a photo goes here".
    cx, cy = SIZE[0] // 2, 250
    draw.rounded_rectangle((cx - 90, cy - 55, cx + 90, cy + 65), radius=14, outline=frame, width=6)
    draw.rectangle((cx - 35, cy - 80, cx + 35, cy - 55), fill=frame)
    draw.ellipse((cx - 38, cy - 28, cx + 38, cy + 48), outline=frame, width=6)
    text = lighten(colour, 0.85)
    draw_centred(draw, 400, HEADING, font("NotoSans-Bold.ttf", 84), text)
    draw_centred(draw, 530, label, font("NotoSans-Regular.ttf", 44), text)
    return image


def main() -> None:
    """Write every placeholder photo into inputs/photos/."""
    PHOTO_DIR.mkdir(parents=True, exist_ok=True)
    for name, label, colour in PHOTOS:
        path = PHOTO_DIR / name
        make_photo(label, colour).save(path, "JPEG", quality=QUALITY, optimize=True)
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
