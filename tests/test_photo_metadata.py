"""Photos are published as their pixels and colour profile only: EXIF, XMP, IPTC, text and any other bytes can name people."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageCms

from compendium.render.photos import print_version
from tests.conftest import run

NAME = "Lisbet Feldborg Johannesen"
SECRET = NAME.encode()


def exif(**tags: object) -> bytes:
    """Make EXIF data holding an artist and a description, plus any other tags by number."""
    data = Image.Exif()
    data[0x013B] = NAME  # Artist
    data[0x010E] = f"{NAME} ved planchen"  # ImageDescription
    for number, value in tags.items():
        data[int(number.removeprefix("t"))] = value
    return data.tobytes()


def srgb() -> bytes:
    """Return an sRGB colour profile, the one part of a file besides its pixels that is kept."""
    return bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())


def saved(fmt: str, size: tuple[int, int] = (80, 60), **options: object) -> bytes:
    """Save a plain test picture in a format."""
    out = io.BytesIO()
    mode = "P" if fmt == "GIF" else "RGB"
    Image.new("RGB", size, (200, 30, 40)).convert(mode).save(out, format=fmt, **options)
    return out.getvalue()


def jpeg_segment(marker: int, payload: bytes) -> bytes:
    """Make one JPEG marker segment."""
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    """Make one PNG chunk, with its checksum."""
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def png_chunks(data: bytes) -> list[bytes]:
    """List a PNG's chunk types in order."""
    kinds, i = [], 8
    while i + 8 <= len(data):
        (length,) = struct.unpack(">I", data[i : i + 4])
        kinds.append(data[i + 4 : i + 8])
        i += 12 + length
    return kinds


def jpeg_markers(data: bytes) -> list[int]:
    """List every marker of a JPEG, those between and after its scans too, up to its end (EOI)."""
    markers, i = [], 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            i += 1  # entropy-coded data of a scan
            continue
        marker = data[i + 1]
        if marker == 0x00 or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
            i += 1 if marker == 0xFF else 2  # stuffed byte, restart marker or fill
            continue
        markers.append(marker)
        if marker == 0xD9:
            break
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        i += 2 + length
    return markers


def before_first_scan(data: bytes, *segments: bytes) -> bytes:
    """Insert segments right after a JPEG's start marker."""
    return data[:2] + b"".join(segments) + data[2:]


ALLOWED_JPEG = {0xC0, 0xC1, 0xC2, 0xC4, 0xDA, 0xDB, 0xDD, 0xD9, 0xE0, 0xE2, 0xEE}
JFIF = {"jfif", "jfif_version", "jfif_density", "jfif_unit", "dpi"}
ALLOWED_PNG = {b"IHDR", b"PLTE", b"tRNS", b"iCCP", b"IDAT", b"IEND", b"acTL", b"fcTL", b"fdAT"}


def assert_bare(out: bytes) -> None:
    """Assert a printed photo holds no name and no part besides pixels and colour profile."""
    assert SECRET not in out
    if out.startswith(b"\xff\xd8"):
        assert out.endswith(b"\xff\xd9")
        assert set(jpeg_markers(out)) <= ALLOWED_JPEG
    elif out.startswith(b"\x89PNG"):
        assert set(png_chunks(out)) <= ALLOWED_PNG
        assert out.endswith(png_chunk(b"IEND", b""))
    with Image.open(io.BytesIO(out)) as image:
        assert not image.getexif()
        assert set(image.info) <= {
            "icc_profile",
            "transparency",
            "duration",
            "loop",
            "background",
            "version",
            "extension",
            *JFIF,
        }


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_small_photo_loses_its_metadata_but_keeps_its_pixels(tmp_path: Path, fmt: str) -> None:
    source = tmp_path / f"photo.{fmt.lower()}"
    Image.new("RGB", (80, 60), (200, 30, 40)).save(source, format=fmt, exif=exif())
    assert SECRET in source.read_bytes()
    out = print_version(source)
    assert_bare(out)
    with Image.open(io.BytesIO(out)) as image:
        assert image.size == (80, 60)
        if fmt == "PNG":  # lossless: the very same pixels
            assert image.convert("RGB").tobytes() == Image.open(source).convert("RGB").tobytes()


def test_bytes_after_the_jpeg_end_marker_are_not_published() -> None:
    data = saved("JPEG") + b"\x00" * 7 + SECRET * 3
    assert_bare(print_version(data))


def test_comments_between_progressive_scans_are_not_published() -> None:
    data = saved("JPEG", (120, 90), progressive=True)
    second_scan = data.index(b"\xff\xda", data.index(b"\xff\xda") + 2)
    data = data[:second_scan] + jpeg_segment(0xFE, SECRET) + data[second_scan:]
    with Image.open(io.BytesIO(data)) as image:
        image.load()  # still a valid photo
    assert_bare(print_version(data))


def test_only_the_colour_profile_of_the_app2_segments_is_kept() -> None:
    profile = srgb()
    data = before_first_scan(
        saved("JPEG", icc_profile=profile),
        jpeg_segment(0xE2, b"FPXR\x00" + SECRET),
        jpeg_segment(0xE3, SECRET),
        jpeg_segment(0xEB, b"JP\x00\x00" + SECRET),  # JUMBF: where C2PA keeps its manifest
        jpeg_segment(0xED, b"Photoshop 3.0\x00" + SECRET),
    )
    out = print_version(data)
    assert_bare(out)
    with Image.open(io.BytesIO(out)) as image:
        assert image.info["icc_profile"] == profile


def test_private_text_and_c2pa_chunks_of_a_png_are_not_published() -> None:
    data = saved("PNG", icc_profile=srgb())
    end = data.rindex(b"\x00\x00\x00\x00IEND")
    extra = b"".join(
        [
            png_chunk(b"tEXt", b"Author\x00" + SECRET),
            png_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(SECRET)),
            png_chunk(b"iTXt", b"Description\x00\x00\x00\x00\x00" + SECRET),
            png_chunk(b"eXIf", b"MM\x00*" + SECRET),
            png_chunk(b"caBX", b"jumb" + SECRET),  # C2PA's manifest chunk
            png_chunk(b"prVt", SECRET),  # any private ancillary chunk
            png_chunk(b"tIME", b"\x07\xea\x0b\x14\x0c\x00\x00"),
        ]
    )
    data = data[:end] + extra + data[end:] + SECRET  # and bytes after IEND
    out = print_version(data)
    assert_bare(out)
    assert b"tIME" not in png_chunks(out)
    with Image.open(io.BytesIO(out)) as image:
        assert image.info["icc_profile"] == srgb()


def test_gif_comments_are_not_published_and_its_frames_are_kept() -> None:
    frames = [Image.new("RGB", (20, 20), colour).convert("P") for colour in ((250, 0, 0), (0, 250, 0), (0, 0, 250))]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=[50, 60, 70], loop=0, comment=SECRET)
    data = out.getvalue() + SECRET  # and after the trailer
    assert SECRET in data
    printed = print_version(data)
    assert_bare(printed)
    with Image.open(io.BytesIO(printed)) as image:
        assert image.n_frames == 3
        assert "comment" not in image.info


def test_webp_xmp_is_not_published() -> None:
    data = saved("WEBP", xmp=b"<x:xmpmeta>" + SECRET + b"</x:xmpmeta>", exif=exif())
    assert SECRET in data
    assert_bare(print_version(data))


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_a_photo_is_printed_the_same_every_time(fmt: str) -> None:
    data = saved(fmt, (300, 200))
    assert print_version(data) == print_version(data)


def test_a_clean_jpeg_is_encoded_afresh_too() -> None:
    data = saved("JPEG")
    out = print_version(data)
    assert_bare(out)
    with Image.open(io.BytesIO(out)) as image:
        assert image.size == (80, 60)


def test_turned_jpeg_is_saved_upright_without_metadata(tmp_path: Path) -> None:
    source = tmp_path / "turned.jpg"
    Image.new("RGB", (80, 60)).save(source, format="JPEG", exif=exif(t274=6))  # 274: orientation, 6: turn right
    out = print_version(source)
    assert SECRET not in out
    with Image.open(io.BytesIO(out)) as image:
        assert image.size == (60, 80)


def hostile_jpeg(size: tuple[int, int]) -> bytes:
    """Return a JPEG carrying the name in a comment between scans, a non-ICC APP2 and after its end."""
    data = saved("JPEG", size, progressive=True)
    second_scan = data.index(b"\xff\xda", data.index(b"\xff\xda") + 2)
    data = data[:second_scan] + jpeg_segment(0xFE, SECRET) + data[second_scan:]
    return before_first_scan(data, jpeg_segment(0xE2, b"FPXR\x00" + SECRET)) + SECRET


def test_built_photo_assets_hold_no_metadata(project: Path) -> None:
    photo = project / "inputs/photos/historie-gaaturen.jpg"
    photo.write_bytes(hostile_jpeg((800, 600)))
    result = run("build", "--format", "html", "-q", "--project", project)
    assert result.exit_code == 0, result.output
    assets = list((project / "build/assets/photos").iterdir())
    assert assets
    assert [p.name for p in assets if SECRET in p.read_bytes()] == []


def test_the_pdf_image_streams_hold_only_pixels(project: Path) -> None:
    for photo in (project / "inputs/photos").iterdir():
        if photo.suffix == ".jpg":
            photo.write_bytes(hostile_jpeg((400, 300)))
    result = run("build", "--format", "pdf", "-q", "--project", project)
    assert result.exit_code == 0, result.output
    pdfs = sorted((project / "build").glob("*.pdf"))
    assert pdfs
    images = 0
    for path in pdfs:
        assert SECRET not in path.read_bytes()
        with pikepdf.open(path) as pdf:
            for image in (o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"):
                images += 1
                assert "/Metadata" not in image
                raw = image.read_raw_bytes()
                assert SECRET not in raw
                if image.get("/Filter") == "/DCTDecode":
                    assert raw.endswith(b"\xff\xd9")  # nothing after the end marker
                    assert set(jpeg_markers(raw)) <= ALLOWED_JPEG
    assert images


def test_a_photo_that_cannot_be_decoded_is_an_error_never_published_as_it_is() -> None:
    from compendium.errors import CompendiumError
    from compendium.pipeline import _printed

    damaged = saved("JPEG")[:200] + SECRET
    with pytest.raises(CompendiumError) as caught:
        _printed(None, "key", damaged, "inputs/photos/x.jpg")
    assert str(caught.value).startswith("inputs/photos/x.jpg: the photo cannot be printed (")
    assert str(caught.value).endswith("); export it again as JPEG or PNG")


def test_validation_decodes_every_pixel_so_a_truncated_photo_is_refused() -> None:
    from compendium.content.images import image_problem

    whole = saved("JPEG", (300, 200))
    assert image_problem(whole, "x.jpg") is None
    fault = image_problem(whole[: len(whole) // 2], "x.jpg")
    assert fault is not None
    assert fault.message.startswith("'x.jpg' is not a readable image (")


def test_a_photo_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    from compendium.content.images import image_problem
    from compendium.content.sources import read_source

    big = tmp_path / "big.jpg"
    with big.open("wb") as handle:
        handle.truncate(60_000_000)  # sparse: nothing written, and nothing may be read
    assert read_source(big).data is None
    fault = image_problem(big, "inputs/photos/big.jpg")
    assert fault is not None
    assert (fault.message, fault.hint) == (
        "'inputs/photos/big.jpg' is 60.0 MB, more than the 50 MB a photo may be; "
        "scale it down or export it again as JPEG",
        "scale it down or export it again as JPEG",
    )


def test_a_truncated_photo_is_refused_even_after_weasyprint_is_imported() -> None:
    import weasyprint  # noqa: F401 (it tells Pillow to fill in truncated images)
    from PIL import ImageFile

    from compendium.content.images import image_problem

    assert ImageFile.LOAD_TRUNCATED_IMAGES
    whole = saved("JPEG", (300, 200))
    assert image_problem(whole[: len(whole) // 2], "x.jpg") is not None
    assert ImageFile.LOAD_TRUNCATED_IMAGES  # as WeasyPrint wants it, afterwards
