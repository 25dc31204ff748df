"""Sandboxed resources: the PDF fetcher loads only staged assets, and photos are checked images."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image

from compendium.content.images import image_problem, suffix_problem
from compendium.render.pdf.layout import make_fetcher, refusal

ROOT = "file:///compendium/"


@pytest.fixture
def staged(tmp_path: Path) -> Path:
    """A staged output folder with one font, a folder, a FIFO and links out."""
    (tmp_path / "assets" / "fonts").mkdir(parents=True)
    (tmp_path / "assets" / "fonts" / "a.ttf").write_bytes(b"font")
    (tmp_path / "compendium.html").write_text("<p>x</p>")
    os.mkfifo(tmp_path / "assets" / "pipe.png")
    (tmp_path / "assets" / "passwd.png").symlink_to("/etc/passwd")
    (tmp_path / "assets" / "zero.png").symlink_to("/dev/zero")
    return tmp_path


def test_fetcher_serves_an_asset(staged: Path) -> None:
    assert refusal(ROOT + "assets/fonts/a.ttf", staged) == (staged / "assets/fonts/a.ttf").resolve()
    response = make_fetcher(staged).fetch(ROOT + "assets/fonts/a.ttf")
    assert response.read() == b"font"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://example.org/x.png", "the network and 'http' addresses are not allowed"),
        ("https://example.org/x.png", "the network and 'https' addresses are not allowed"),
        ("ftp://example.org/x.png", "the network and 'ftp' addresses are not allowed"),
        ("data:text/plain,secret", "the network and 'data' addresses are not allowed"),
        ("file:///etc/passwd", "only the build's own fonts and photos may be loaded"),
        ("file://host/compendium/assets/fonts/a.ttf", "only the build's own fonts and photos may be loaded"),
        (ROOT + "assets/fonts/a.ttf?x=1", "only the build's own fonts and photos may be loaded"),
        (ROOT + "assets/../../../etc/passwd", "the path leaves the assets folder"),
        (ROOT + "assets/%2e%2e/%2E%2E/etc/passwd", "the path leaves the assets folder"),
        (ROOT + "assets/..%2f..%2fetc/passwd", "the path leaves the assets folder"),
        (ROOT + "%2fetc/passwd", "the path leaves the assets folder"),
        (ROOT + "assets/fonts/a.ttf%00.png", "the path leaves the assets folder"),
        (ROOT + "compendium.html", "only files in the build's assets/ folder may be loaded"),
        (ROOT + "assets/passwd.png", "only files in the build's assets/ folder may be loaded"),
        (ROOT + "assets/zero.png", "only files in the build's assets/ folder may be loaded"),
        (ROOT + "assets/pipe.png", "not a regular file"),
        (ROOT + "assets/fonts", "not a regular file"),
        (ROOT + "assets/fonts/missing.ttf", "not a regular file"),
    ],
)
def test_fetcher_refuses(staged: Path, url: str, reason: str) -> None:
    assert refusal(url, staged) == f"refused to fetch {url}: {reason}"
    with pytest.raises(ValueError) as caught:
        make_fetcher(staged).fetch(url)
    assert str(caught.value) == f"refused to fetch {url}: {reason}"


def test_svg_refused() -> None:
    assert suffix_problem("inputs/photos/x.svg").message == (
        "'inputs/photos/x.svg' is an SVG drawing, which is not accepted as a photo (an SVG can load other files "
        "and expand entities); export it as PNG"
    )


def test_image_too_large(tmp_path: Path) -> None:
    path = tmp_path / "x.png"
    Image.new("1", (13_000, 10)).save(path)
    assert image_problem(path, "x.png").message == (
        "'x.png' is 13,000 × 10 pixels, more than the 12,000 pixels per side and 80 megapixels allowed; scale it down"
    )


def test_decompression_bomb(tmp_path: Path) -> None:
    path = tmp_path / "x.png"
    Image.new("1", (11_000, 11_000)).save(path)  # 121 megapixels in a few kilobytes
    assert path.stat().st_size < 100_000
    assert image_problem(path, "x.png").message == (
        "'x.png' is 11,000 × 11,000 pixels, more than the 12,000 pixels per side and 80 megapixels allowed; "
        "scale it down"
    )


def test_not_an_image(tmp_path: Path) -> None:
    path = tmp_path / "x.jpg"
    path.write_bytes(b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><svg/>")
    assert image_problem(path, "x.jpg").message == (
        "'x.jpg' is not a readable image (its format is not recognised); export it again as JPEG or PNG"
    )


def test_real_photo_passes() -> None:
    photo = Path(__file__).resolve().parent.parent / "inputs/photos/forside.jpg"
    assert image_problem(photo, "inputs/photos/forside.jpg") is None


@pytest.mark.parametrize(
    "html",
    [
        '<html><head><link rel="attachment" href="assets/fonts/a.ttf"></head><body><p>x</p></body></html>',
        '<html><body><p><a rel="attachment" href="assets/fonts/a.ttf">x</a></p></body></html>',
    ],
)
def test_pdf_attachments_are_refused(staged: Path, html: str) -> None:
    from compendium.errors import CompendiumError
    from compendium.render.pdf.layout import write_pdf

    target = staged / "out.pdf"
    with pytest.raises(CompendiumError) as caught:
        write_pdf(html, staged, target)
    assert str(caught.value) == (
        'out.pdf: the templates ask to attach a file to the PDF (rel="attachment"), which is not allowed; '
        'remove rel="attachment" from the template'
    )
    assert not target.exists()
