"""Brand settings in publication.yaml: the accent colour, the logo and the project's own fonts."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from textwrap import dedent

import pikepdf
import pytest
from fontTools.ttLib import TTFont
from PIL import Image, PngImagePlugin

from compendium.content.brand import contrast_on_white, darkened, soft_tint
from tests.base import MINIMAL, PUBLICATION, one, write_files
from tests.conftest import run
from tests.harness import Case, run_case

# The minimal publication is 19 lines long: brand: is on line 20, what it holds from line 21.
LOGO = "inputs/brand/logo.png"
FONT = "fonts/BrandTest-Regular.ttf"
NOTO_SANS = Path(__file__).parent.parent / "compendium" / "templates" / "fonts" / "NotoSans-Regular.ttf"
NOTO_BOLD = NOTO_SANS.with_name("NotoSans-Bold.ttf")
SECRET = "Lisbet Feldborg Johannesen"


def publication(brand: str) -> str:
    """Return the minimal publication with a brand block (given without indentation) at line 20."""
    return dedent(MINIMAL[PUBLICATION]) + "brand:\n" + "".join(f"  {line}\n" for line in dedent(brand).splitlines())


def logo(size: tuple[int, int] = (120, 60), text: str | None = None) -> bytes:
    """Return a small PNG logo, with a text chunk naming someone when asked (which must not be published)."""
    out = io.BytesIO()
    info = PngImagePlugin.PngInfo()
    if text:
        info.add_text("Author", text)
    Image.new("RGBA", size, (214, 0, 28, 255)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def font(family: str = "BrandTest", source: Path = NOTO_SANS, fs_type: int | None = None) -> bytes:
    """Return Noto Sans renamed to a family of its own, so a PDF shows whether it was used."""
    with TTFont(source) as face:
        for record in face["name"].names:
            if record.nameID in (1, 4, 6, 16):
                text = str(record.toUnicode()).replace("Noto Sans", family).replace("NotoSans", family)
                record.string = text
        if fs_type is not None:
            face["OS/2"].fsType = fs_type
        out = io.BytesIO()
        face.save(out)
    return out.getvalue()


def accent_case(name: str, value: str, output: str) -> Case:
    """A case whose publication sets an accent, refused with the given message."""
    return Case(name, files={PUBLICATION: publication(f"accent: {value}")}, output=one(output))


CASES = [
    accent_case(
        "accent-too-light",
        '"#ff0000"',
        f"{PUBLICATION}:21:11 brand.accent: '#ff0000' has a contrast of 3.99:1 on white, less than the 4.5:1 that "
        'text needs (WCAG 2.2 AA); use "#ee0000", the nearest darker shade that has it (4.52:1)',
    ),
    accent_case(
        "accent-yellow",
        "'#ffcc00'",
        f"{PUBLICATION}:21:11 brand.accent: '#ffcc00' has a contrast of 1.51:1 on white, less than the 4.5:1 that "
        'text needs (WCAG 2.2 AA); use "#907300", the nearest darker shade that has it (4.52:1)',
    ),
    accent_case(
        "accent-unquoted-is-a-comment",
        "#a6192e",
        f"{PUBLICATION}:21:10 brand.accent: the colour is empty; YAML reads what follows # as a comment, so put the "
        'colour in quotes, e.g. accent: "#a6192e"',
    ),
    accent_case(
        "accent-by-name",
        "red",
        f"{PUBLICATION}:21:11 brand.accent: 'red' is not written in hex; write it as \"#ff0000\"",
    ),
    accent_case(
        "accent-not-a-colour",
        "rødlig",
        f'{PUBLICATION}:21:11 brand.accent: \'rødlig\' is not a colour in hex; write it as "#rrggbb", e.g. "#a6192e"',
    ),
    Case(
        "logo-outside-the-project",
        files={PUBLICATION: publication("logo:\n  file: ../logo.png\n  alt: HK"), "../logo.png": logo()},
        output=one(
            f"{PUBLICATION}:22:11 brand.logo.file: '../logo.png' is outside the project; give a path inside it, "
            "e.g. inputs/photos/x.jpg"
        ),
    ),
    Case(
        "logo-that-is-not-an-image",
        files={PUBLICATION: publication(f"logo:\n  file: {LOGO}\n  alt: HK"), LOGO: b"not an image"},
        output=one(
            f"{PUBLICATION}:22:11 brand.logo.file: '{LOGO}' is not a readable image (its format is not recognised); "
            "export it again as JPEG or PNG"
        ),
    ),
    Case(
        "logo-as-svg",
        files={
            PUBLICATION: publication("logo:\n  file: inputs/brand/logo.svg\n  alt: HK"),
            "inputs/brand/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>',
        },
        output=one(
            f"{PUBLICATION}:22:11 brand.logo.file: 'inputs/brand/logo.svg' is an SVG drawing, which is not accepted "
            "as a logo (an SVG can load other files and expand entities); export it as PNG"
        ),
    ),
    Case(
        "logo-missing",
        files={PUBLICATION: publication("logo:\n  file: inputs/brand/lgo.png\n  alt: HK"), LOGO: logo()},
        output=one(
            f"{PUBLICATION}:22:11 brand.logo.file: logo file 'inputs/brand/lgo.png' does not exist "
            f"(did you mean '{LOGO}'?)"
        ),
    ),
    Case(
        "logo-without-alt",
        files={PUBLICATION: publication(f"logo:\n  file: {LOGO}"), LOGO: logo()},
        output=one(f"{PUBLICATION}:22:5 brand.logo.alt: required field is missing; add it"),
    ),
    Case(
        "font-that-is-not-a-font",
        files={PUBLICATION: publication(f"fonts:\n  body: [{FONT}]"), FONT: b"not a font at all"},
        output=one(
            f"{PUBLICATION}:22:12 brand.fonts.body[0]: '{FONT}' is not a readable font (Not a TrueType or OpenType "
            "font (bad sfntVersion)); export it again as TTF or OTF"
        ),
    ),
    Case(
        "font-outside-the-project",
        files={PUBLICATION: publication("fonts:\n  body: [../x.ttf]"), "../x.ttf": font()},
        output=one(
            f"{PUBLICATION}:22:12 brand.fonts.body[0]: '../x.ttf' is outside the project; give a path inside it, "
            "e.g. inputs/photos/x.jpg"
        ),
    ),
    Case(
        "font-as-woff",
        files={PUBLICATION: publication("fonts:\n  body: [fonts/x.woff2]"), "fonts/x.woff2": b"wOF2"},
        output=one(
            f"{PUBLICATION}:22:12 brand.fonts.body[0]: 'fonts/x.woff2' has an unsupported type; "
            "expected one of .otf, .ttf"
        ),
    ),
    Case(
        "font-whose-licence-forbids-embedding",
        files={PUBLICATION: publication(f"fonts:\n  headings: [{FONT}]"), FONT: font(fs_type=0x0002)},
        output=one(
            f"{PUBLICATION}:22:16 brand.fonts.headings[0]: '{FONT}' may not be embedded in a document (its licence "
            "restricts embedding); use a font whose licence allows embedding, e.g. one under the SIL Open Font "
            "License"
        ),
    ),
    Case(
        "font-face-given-twice",
        files={
            PUBLICATION: publication(f"fonts:\n  body:\n    - {FONT}\n    - fonts/Other.ttf"),
            FONT: font(),
            "fonts/Other.ttf": font("Other"),
        },
        output=one(
            f"{PUBLICATION}:24:9 brand.fonts.body[1]: 'fonts/Other.ttf' is a regular face, as '{FONT}' is; "
            "list one file per weight and style"
        ),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_refused(case: Case, tmp_path: Path) -> None:
    run_case(case, tmp_path / "project")


def test_a_failing_accent_is_darkened_to_the_nearest_shade_that_passes() -> None:
    assert round(contrast_on_white("#ffffff"), 2) == 1.0 and round(contrast_on_white("#000000"), 2) == 21.0
    for colour in ("#ff0000", "#ffcc00", "#4da6ff", "#ffffff", "#777777"):
        shade = darkened(colour)
        assert contrast_on_white(shade) >= 4.5
        # One step (a tenth of a percent of lightness) lighter would not pass: it is the nearest.
        from coloraide import Color

        hsl = Color(shade).convert("hsl")
        lighter = Color("hsl", [hsl["hue"], hsl["saturation"], hsl["lightness"] + 0.004]).convert("srgb")
        assert contrast_on_white(lighter.to_string(hex=True)) < 4.5, colour


def test_the_tint_keeps_the_accents_contrast() -> None:
    from coloraide import Color

    for accent in ("#d6001c", "#a6192e", "#767676", "#000000", "#1a4d2e"):
        tint = soft_tint(accent)
        assert Color(accent).contrast(tint, method="wcag21") >= 4.5, accent
    assert soft_tint("#d6001c") == "#fbe6e8"


BRANDED = {
    PUBLICATION: publication(
        f"""\
        accent: "#1a4d2e"
        logo:
          file: {LOGO}
          alt: HK Kommunal
        fonts:
          headings: [{FONT}]
        """
    ),
    LOGO: logo(text=SECRET),
    FONT: font(),
}


def test_the_brand_is_on_the_covers_in_the_running_heads_and_in_the_fonts(
    make_project: Callable[..., Path],
) -> None:
    project = make_project(BRANDED)
    result = run("build", "--quiet", "--project", project)
    assert result.exit_code == 0, result.output
    build = project / "build"
    paper = (build / "debate-paper.html").read_text(encoding="utf-8")
    logo_files = list((build / "assets" / "photos").glob("*.png"))
    assert len(logo_files) == 1
    src = f"assets/photos/{logo_files[0].name}"
    assert f'<img class="brand-logo" src="{src}" alt="HK Kommunal">' in paper
    assert f'<img class="running-logo" src="{src}" alt="">' in paper
    assert ":root { --accent: #1a4d2e; --accent-soft: #e8edea; }" in paper
    assert '@font-face { font-family: "Brand Headings"; src: url("assets/fonts/brand-' in paper
    assert f'<img class="brand-logo" src="{src}" alt="HK Kommunal">' in (build / "index.html").read_text("utf-8")
    # The logo is published as its pixels only: the name in its text chunk is gone.
    assert SECRET.encode() not in logo_files[0].read_bytes()
    with pikepdf.open(build / "debate-paper.pdf") as pdf:
        # One page (the debate paper runs on in one flow): the logo beside its title, 120 × 60 pixels.
        assert _images(pdf.pages[0]) == [(120, 60)]
        assert "BrandTest" in _fonts(pdf.pages[0]).values()
    with pikepdf.open(build / "compendium.pdf") as pdf:
        assert _images(pdf.pages[0]) == [(120, 60)]  # the cover
        assert _images(pdf.pages[1]) == []  # the colophon: no running head
        assert _images(pdf.pages[3]) == [(120, 60)]  # the foreword, in its running head
        assert _fonts(pdf.pages[3])["Brand-Headings"] == "BrandTest"


def _images(page: pikepdf.Page) -> list[tuple[int, int]]:
    """List the size of each image a page draws (the image XObjects its content calls with Do)."""
    objects = page.Resources.get("/XObject", {})
    drawn = [operands[-1] for operands, operator in pikepdf.parse_content_stream(page) if str(operator) == "Do"]
    return sorted((int(objects[n].Width), int(objects[n].Height)) for n in drawn if objects[n].Subtype == "/Image")


def _fonts(page: pikepdf.Page) -> dict[str, str]:
    """Map each font a page uses, by its name in the PDF (the CSS family's), to the family its embedded file names."""
    fonts, found = page.Resources.get("/Font", {}), {}
    for _, font in fonts.items():
        descriptor = font.get("/FontDescriptor") or font.DescendantFonts[0].FontDescriptor
        with TTFont(io.BytesIO(descriptor.FontFile2.read_bytes())) as embedded:
            found[str(font.BaseFont).partition("+")[2]] = str(embedded["name"].getDebugName(1))
    return found


def test_without_a_brand_nothing_changes(make_project: Callable[..., Path]) -> None:
    project = make_project()
    assert run("build", "--format", "html", "--quiet", "--project", project).exit_code == 0
    html = (project / "build" / "compendium.html").read_text(encoding="utf-8")
    assert html.count("<style>") == 1 and 'brand-logo" src' not in html and 'running-logo" src' not in html


def test_the_logo_and_font_bytes_are_in_the_cache_key(make_project: Callable[..., Path]) -> None:
    # The font lies outside inputs/ and templates/: the build reads it as one of its sources all the same.
    project = make_project(BRANDED)
    args = ("build", "--format", "html", "--project", project)
    assert run(*args).exit_code == 0
    assert run(*args).output.startswith("Up to date")
    fonts = project / "build" / "assets" / "fonts"
    before = sorted(p.name for p in fonts.glob("brand-*"))
    write_files(project, {FONT: font(source=NOTO_BOLD)})
    changed = run(*args)
    assert changed.exit_code == 0 and not changed.output.startswith("Up to date"), changed.output
    assert sorted(p.name for p in fonts.glob("brand-*")) != before
    assert run(*args).output.startswith("Up to date")
    write_files(project, {LOGO: logo(size=(100, 50))})
    changed = run(*args)
    assert changed.exit_code == 0 and not changed.output.startswith("Up to date"), changed.output
    html = (project / "build" / "compendium.html").read_text(encoding="utf-8")
    src = html.split('<img class="brand-logo" src="', 1)[1].split('"', 1)[0]
    with Image.open(project / "build" / src) as image:
        assert image.size == (100, 50)


def test_import_checks_a_project_whose_brand_font_lies_outside_inputs(make_project: Callable[..., Path]) -> None:
    # import checks the project with the new stories in a copy of it: the copy needs the brand's files too.
    project = make_project(BRANDED)
    export = project.parent / "svar.csv"
    export.write_text(
        "Titel;Arbejdsplads;Historie;Tema;Samtykke;Dato\nMødet;Jobcenter Viborg;Noget skete.;Tillid;Nej;12-10-2026\n"
    )
    maps = ["-m", "Titel=title", "-m", "Arbejdsplads=workplace", "-m", "Historie=body", "-m", "Tema=themes"]
    maps += ["-m", "Samtykke=consent", "-m", "Dato=date"]
    result = run("import", "stories", export, *maps, "--write", "--project", project)
    assert result.exit_code == 0, result.output
    assert (project / "inputs" / "stories" / "moedet.yaml").is_file()


def otf(family: str = "BrandOtf") -> bytes:
    """Return Noto Sans as an OpenType font with PostScript (CFF) outlines, under a family of its own."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen

    with TTFont(NOTO_SANS) as source:
        order, glyphs = source.getGlyphOrder(), source.getGlyphSet()
        outlines = {}
        for name in order:
            pen = T2CharStringPen(glyphs[name].width, glyphs)
            glyphs[name].draw(pen)
            outlines[name] = pen.getCharString()
        built = FontBuilder(source["head"].unitsPerEm, isTTF=False)
        built.setupGlyphOrder(order)
        built.setupCharacterMap(source.getBestCmap())
        built.setupCFF(f"{family}-Regular", {"FullName": f"{family} Regular"}, outlines, {})
        built.setupHorizontalMetrics({name: source["hmtx"][name] for name in order})
        built.setupHorizontalHeader(ascent=source["hhea"].ascent, descent=source["hhea"].descent)
        built.setupNameTable({"familyName": family, "styleName": "Regular"})
        os2 = source["OS/2"]
        built.setupOS2(
            sTypoAscender=os2.sTypoAscender,
            sTypoDescender=os2.sTypoDescender,
            usWinAscent=os2.usWinAscent,
            usWinDescent=os2.usWinDescent,
        )
        built.setupPost()
        out = io.BytesIO()
        built.save(out)
    return out.getvalue()


def test_an_opentype_font_with_postscript_outlines_is_embedded(make_project: Callable[..., Path]) -> None:
    project = make_project(
        {PUBLICATION: publication("fonts:\n  body: [fonts/BrandOtf-Regular.otf]"), "fonts/BrandOtf-Regular.otf": otf()}
    )
    result = run("build", "--only", "debate-paper", "--quiet", "--project", project)
    assert result.exit_code == 0, result.output
    with pikepdf.open(project / "build" / "debate-paper.pdf") as pdf:
        fonts = pdf.pages[0].Resources.Font
        bodies = [fonts[k] for k in fonts if "Brand-Body" in str(fonts[k].BaseFont)]
        descriptor = bodies[0].DescendantFonts[0].FontDescriptor
        assert descriptor.FontFile3.Subtype == "/OpenType"
