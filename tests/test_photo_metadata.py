"""Photos are published without their metadata: EXIF, XMP, IPTC and text can name people."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from compendium.render.photos import print_version
from tests.conftest import run

NAME = "Lisbet Feldborg Johannesen"


def exif(**tags: object) -> bytes:
    """Make EXIF data holding an artist and a description, plus any other tags by number."""
    data = Image.Exif()
    data[0x013B] = NAME  # Artist
    data[0x010E] = f"{NAME} ved planchen"  # ImageDescription
    for number, value in tags.items():
        data[int(number.removeprefix("t"))] = value
    return data.tobytes()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_small_photo_loses_its_metadata_but_keeps_its_pixels(tmp_path: Path, fmt: str) -> None:
    source = tmp_path / f"photo.{fmt.lower()}"
    Image.new("RGB", (80, 60), (200, 30, 40)).save(source, format=fmt, exif=exif())
    assert NAME.encode() in source.read_bytes()
    out = print_version(source)
    assert out is not None and NAME.encode() not in out
    with Image.open(io.BytesIO(out)) as image:
        assert image.size == (80, 60)
        assert not image.getexif()
        if fmt == "PNG":  # lossless: the very same pixels
            assert image.convert("RGB").tobytes() == Image.open(source).convert("RGB").tobytes()


def test_jpeg_without_metadata_is_used_as_it_is(tmp_path: Path) -> None:
    source = tmp_path / "clean.jpg"
    Image.new("RGB", (80, 60)).save(source, format="JPEG")
    assert print_version(source) is None


def test_turned_jpeg_is_saved_upright_without_metadata(tmp_path: Path) -> None:
    source = tmp_path / "turned.jpg"
    Image.new("RGB", (80, 60)).save(source, format="JPEG", exif=exif(t274=6))  # 274: orientation, 6: turn right
    out = print_version(source)
    assert out is not None and NAME.encode() not in out
    with Image.open(io.BytesIO(out)) as image:
        assert image.size == (60, 80)


def test_built_photo_assets_hold_no_metadata(project: Path) -> None:
    photo = project / "inputs/photos/historie-gaaturen.jpg"
    Image.open(photo).convert("RGB").resize((800, 600)).save(photo, format="JPEG", exif=exif())
    result = run("build", "--format", "html", "-q", "--project", project)
    assert result.exit_code == 0, result.output
    assets = list((project / "build/assets/photos").iterdir())
    assert assets
    assert [p.name for p in assets if NAME.encode() in p.read_bytes()] == []
