"""What a PDF shows a reader in words: its text layer, its bookmarks and its metadata.

The consent check reads rendered HTML; this is what it reads of the PDFs made
from it, so a name that only the layout brings in (generated content, a running
head, a bookmark or the XMP packet) is caught as well. The text layer comes from
poppler's pdftotext (a system package the build installs), which maps
WeasyPrint's ligature glyphs back to their letters; the rest from pikepdf.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from compendium.errors import CompendiumError
from compendium.messages import N_, _

PDFTOTEXT_HINT = N_("install poppler-utils (make build does), so the PDF's text can be checked for withheld names")
TIMEOUT = 600  # seconds; pdftotext reads a 1,000-page PDF in a few
# A word hyphenated at the end of a line, as the reader joins it again.
LINE_HYPHEN = re.compile(r"(?<=\w)[-\u00ad\u2010\u2011]\n(?=\w)")


def pdf_texts(path: Path, name: str) -> dict[str, str]:
    """Return the text of a PDF's pages, its bookmarks and its metadata, by what each is called in a message."""
    layer = _text_layer(path)
    joined = LINE_HYPHEN.sub("", layer)
    texts = {f"{name} (text)": layer if joined == layer else f"{layer}\n{joined}"}
    import pikepdf  # only when a PDF is made

    with pikepdf.open(path) as pdf:
        texts[f"{name} (bookmarks)"] = "\n".join(_outline_titles(pdf))
        texts[f"{name} (metadata)"] = "\n".join(_metadata(pdf))
    return texts


def _text_layer(path: Path) -> str:
    """Return the text of every page, as pdftotext extracts it."""
    tool = shutil.which("pdftotext")
    if tool is None:
        raise CompendiumError(_("pdftotext was not found; {pdftotext_hint}").format(pdftotext_hint=_(PDFTOTEXT_HINT)))
    done = subprocess.run(
        [tool, "-q", "-enc", "UTF-8", str(path), "-"], capture_output=True, timeout=TIMEOUT, check=False
    )
    if done.returncode != 0:
        raise CompendiumError(
            _("{name}: pdftotext could not read the PDF to check it for withheld names").format(name=path.name)
        )
    return done.stdout.decode("utf-8", "replace")


def _outline_titles(pdf: Any) -> list[str]:
    """Return the title of every bookmark, nested ones too."""
    titles: list[str] = []
    with pdf.open_outline() as outline:
        stack = list(outline.root)
        while stack:
            item = stack.pop()
            titles.append(str(item.title or ""))
            stack.extend(item.children)
    return titles


def _metadata(pdf: Any) -> list[str]:
    """Return the document information dictionary's values and the XMP packet as text."""
    found = [str(value) for value in pdf.docinfo.values()] if pdf.trailer.get("/Info") is not None else []
    metadata = pdf.Root.get("/Metadata")
    if metadata is not None:
        found.append(metadata.read_bytes().decode("utf-8", "replace"))
    return found
