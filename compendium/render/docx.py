"""The Word edition: a document's public HTML converted by pandoc into a .docx with Word's own styles.

Made from the HTML the public edition renders, so there is one source of truth: what consent
withholds is already out of it, and the leak check then reads the .docx's words too (docx_texts).
pandoc (shipped by the pypandoc-binary wheel) runs with --sandbox, so it reads no file and no URL:
the photos it embeds are handed to it inside the HTML as data: URIs, from the staged print versions.
A Lua filter (templates/word/edition.lua) turns the screen and print parts into Word's structure,
and templates/word/reference.docx gives the styles the PDF has (tools/word_reference.py makes it).
Nothing here reads the clock: the zip's timestamps and the core properties' dates are the
publication's date, so the same inputs give the same bytes.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import os
import re
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from compendium.errors import CompendiumError

WORD_TEMPLATES = Path(__file__).parents[1] / "templates" / "word"
REFERENCE = WORD_TEMPLATES / "reference.docx"
FILTER = WORD_TEMPLATES / "edition.lua"
# Word's language tags for the publication's languages.
LANGUAGE_TAGS = {"da": "da-DK", "en": "en-GB"}
PANDOC_SECONDS = 600  # a 1,000-story compendium converts in well under a minute
IMAGE_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
IMG_SOURCE = re.compile(r'(<img\b[^>]*?\bsrc=")([^"]*)(")', re.IGNORECASE)
# pandoc reads only what is inside <main> when there is one; the colophon is outside it.
MAIN_TAG = re.compile(r"<(/?)main\b", re.IGNORECASE)
# The XML parts whose words a reader of the .docx can see: the text, notes, headers, properties.
READABLE_PART = re.compile(
    r"^(word/(document|footnotes|endnotes|comments|header\d*|footer\d*)\.xml|docProps/\w+\.xml|word/_rels/\w+\.xml\.rels)$"
)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT, BREAKS = f"{W}t", {f"{W}p", f"{W}tab", f"{W}br", f"{W}cr"}
ZIP_EPOCH = dt.date(1980, 1, 1)
CORE_DATE = re.compile(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")
# pandoc names a picture by its source, here the photo's bytes as a data: URI; the alt text is in wp:docPr.
DATA_URI_NAME = re.compile(rb' descr="data:[^"]*"')  # the earliest time a zip entry can carry


@dataclass(frozen=True)
class WordEdition:
    """What a document's Word edition needs besides its HTML."""

    language: str  # the publication's: da or en
    date: dt.date  # the publication date's first day: the core properties' and the zip's time
    toc_title: str  # the contents' heading, from the labels


def word_document(page: str, assets: Path, edition: WordEdition) -> bytes:
    """Convert a document's HTML into a Word document; its photos are read from the staged assets folder."""
    from pypandoc import get_pandoc_path  # only when a Word edition is asked for

    made = subprocess.run(
        [
            get_pandoc_path(), "--sandbox", "--from=html", "--to=docx", "--output=-",
            f"--reference-doc={REFERENCE}", f"--lua-filter={FILTER}", "--shift-heading-level-by=-1",
            "--toc", f"--metadata=toc-title:{edition.toc_title}",
            f"--metadata=lang:{LANGUAGE_TAGS[edition.language]}",
        ],
        input=_prepared(page, assets).encode(),
        capture_output=True,
        timeout=PANDOC_SECONDS,
        env=_environment(edition.date),
        check=False,
    )  # fmt: skip
    if made.returncode != 0:
        error = made.stderr.decode(errors="replace").strip()
        raise CompendiumError(f"pandoc could not make the Word edition: {error}")
    return _repacked(made.stdout, edition.date)


def _environment(date: dt.date) -> dict[str, str]:
    """Give pandoc the publication date as its clock, for the core properties' dates."""
    epoch = dt.datetime.combine(max(date, ZIP_EPOCH), dt.time(), dt.UTC).timestamp()
    return {"PATH": os.environ.get("PATH", ""), "SOURCE_DATE_EPOCH": str(int(epoch)), "LANG": "C.UTF-8"}


def _prepared(page: str, assets: Path) -> str:
    """Unwrap <main>, and put each staged photo into the HTML as a data: URI (pandoc reads no file itself)."""
    page = MAIN_TAG.sub(lambda found: f"<{found.group(1)}div", page)
    return IMG_SOURCE.sub(lambda found: found.group(1) + _inlined(found.group(2), assets) + found.group(3), page)


def _inlined(source: str, assets: Path) -> str:
    """Return a photo as a data: URI when it is a staged asset; any other source stays, and pandoc shows its alt text."""
    name = html.unescape(source)
    path = (assets / name).resolve()
    kind = IMAGE_TYPES.get(path.suffix.lower())
    if (
        not name.startswith("assets/")
        or kind is None
        or not path.is_relative_to(assets.resolve())
        or not path.is_file()
    ):
        return source
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode()}"


def _repacked(data: bytes, date: dt.date) -> bytes:
    """Write the .docx again with every entry dated the publication date, in pandoc's order."""
    stamp = max(date, ZIP_EPOCH)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as made, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as packed:
        for entry in made.infolist():
            info = zipfile.ZipInfo(entry.filename, (stamp.year, stamp.month, stamp.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            packed.writestr(info, _settled(entry.filename, made.read(entry), stamp))
    return out.getvalue()


def _settled(part: str, data: bytes, date: dt.date) -> bytes:
    """Date the core properties by the publication, and drop the copy of each photo's data: URI pandoc keeps."""
    if part == "docProps/core.xml":
        return CORE_DATE.sub(rb"\g<1>" + date.isoformat().encode() + rb"T00:00:00Z\g<3>", data)
    if part == "word/document.xml":
        return DATA_URI_NAME.sub(b' descr=""', data)
    return data


def docx_texts(data: bytes, name: str) -> dict[str, str]:
    """Return the words of every readable part of a .docx (text, notes, headers, properties), by part, for the leak check."""
    texts = {}
    with zipfile.ZipFile(io.BytesIO(data)) as docx:
        for part in sorted(docx.namelist()):
            if READABLE_PART.match(part):
                texts[f"{name}:{part}"] = _words(docx.read(part))
    return texts


def _words(xml: bytes) -> str:
    """Return an XML part's words as a reader sees them: runs joined within a paragraph, and attribute values.

    Escaped, since the leak check reads every output as HTML: a '<' in the text must not hide what follows.
    """
    pieces = []
    for element in ElementTree.fromstring(xml).iter():
        if element.tag == TEXT:  # a run's text: a word may be split across runs ("Ni" + "elsen" in italics)
            pieces.append(element.text or "")
            continue
        if element.tag in BREAKS:
            pieces.append("\n")
        pieces += [f"\n{value}\n" for value in element.attrib.values() if value.strip()]
        pieces += [f"\n{text}\n" for text in (element.text, element.tail) if text and text.strip()]
    return html.escape("".join(pieces), quote=False)
