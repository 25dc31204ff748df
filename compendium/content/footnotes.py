"""Footnotes and table alignment as print needs them: a Python-Markdown tree step after the footnotes extension.

Python-Markdown's footnotes extension puts the notes at the end of the text,
which is how the HTML shows them. A PDF page needs each note where it is
called: WeasyPrint moves an element with `float: footnote` to the foot of the
page. So each call gets a copy of its note beside it (class footnote-print),
which the style sheet shows only in print, while the list at the end is shown
only on screen. Ids are made unique per text (many texts share one HTML page),
and the alignment of a table column becomes a class, since the sanitiser
allows no style attribute.
"""

from __future__ import annotations

import copy
import hashlib
import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.footnotes import NBSP_PLACEHOLDER
from markdown.treeprocessors import Treeprocessor

# Python-Markdown writes a column's alignment as style="text-align: right;".
ALIGNMENT = re.compile(r"text-align:\s*(left|center|right)")
# What the back-link says to a screen reader, per language ({} is the note's number).
BACKLINK_TITLES = {"da": "Tilbage til henvisning {} i teksten", "en": "Back to reference {} in the text"}


def note_prefix(text: str) -> str:
    """Name a text's notes after its content, so the same text gets the same ids in every build."""
    return hashlib.sha256(text.encode()).hexdigest()[:8]


class PrintNotes(Treeprocessor):
    """Renumber a text's notes with ids of its own, put a copy of each beside its call, and classify alignment."""

    def __init__(self, md: Markdown) -> None:
        super().__init__(md)
        self.prefix = "n"  # set per text by the converter (content/markup.py)

    def run(self, root: etree.Element) -> None:
        """Rework the tree of one converted text."""
        for cell in root.iter():
            if cell.tag in ("th", "td") and (match := ALIGNMENT.search(cell.get("style", ""))):
                del cell.attrib["style"]
                cell.set("class", f"align-{match.group(1)}")
        _drop_calls_without_note(root)
        notes = next((div for div in root.iter("div") if div.get("class") == "footnote"), None)
        if notes is not None:
            self._notes(root, notes)

    def _notes(self, root: etree.Element, notes: etree.Element) -> None:
        """Give the notes their ids, drop those never called, and copy each next to its call."""
        items = {li.get("id", ""): li for li in notes.iter("li")}
        numbers: dict[str, int] = {}  # a note's old id -> its number, in the order the text calls them
        for parent in list(root.iter()):
            for sup in list(parent):
                link = sup.find("a") if sup.tag == "sup" else None
                if link is None or link.get("class") != "footnote-ref":
                    continue
                old = link.get("href", "").removeprefix("#")
                number = numbers.setdefault(old, len(numbers) + 1)
                self._call(parent, sup, link, number, items.get(old))
        listed = notes.find("ol")
        for old, li in items.items():
            if old not in numbers and listed is not None:
                listed.remove(li)  # defined but never called; content/unsupported.py warns about it
            else:
                self._item(li, numbers[old])
        notes.set("role", "doc-endnotes")

    def _call(
        self, parent: etree.Element, sup: etree.Element, link: etree.Element, number: int, li: etree.Element | None
    ) -> None:
        """Renumber one call, and put the print copy of its note right after it."""
        sup.set("id", f"fnref-{self.prefix}-{number}")
        sup.set("class", "footnote-ref")
        link.set("href", f"#fn-{self.prefix}-{number}")
        link.set("role", "doc-noteref")
        link.text = str(number)
        if li is None:
            return
        printed = _inline_copy(li)
        printed.tail, sup.tail = sup.tail, None
        parent.insert(list(parent).index(sup) + 1, printed)

    def _item(self, li: etree.Element, number: int) -> None:
        """Renumber a note in the list at the end, and label its way back for screen readers."""
        li.set("id", f"fn-{self.prefix}-{number}")
        for back in li.iter("a"):
            if back.get("class") == "footnote-backref":
                back.set("href", f"#fnref-{self.prefix}-{number}")
                title = BACKLINK_TITLES.get(getattr(self.md, "language", "da"), BACKLINK_TITLES["da"]).format(number)
                back.set("title", title)
                back.set("aria-label", title)
                back.set("role", "doc-backlink")


# A footnote call the extension left as text, as the text has no note for it (content/unsupported.py warns).
CALL_WITHOUT_NOTE = re.compile(r"\[\^[^\]\s]+\](?!:)")


def _drop_calls_without_note(root: etree.Element) -> None:
    """Leave out the footnote calls that have no note, rather than print their syntax."""
    for element in root.iter():
        if element.tag not in ("code", "pre") and element.text:
            element.text = CALL_WITHOUT_NOTE.sub("", element.text)
        if element.tail:
            element.tail = CALL_WITHOUT_NOTE.sub("", element.tail)


def _inline_copy(li: etree.Element) -> etree.Element:
    """Copy a note as one run of text, its paragraphs joined by spaces and without its back-link."""
    span = etree.Element("span", {"class": "footnote-print"})
    for number, block in enumerate(li):
        part = copy.deepcopy(block)
        for parent in part.iter():
            for child in list(parent):
                if child.tag == "a" and child.get("class") == "footnote-backref":
                    parent.remove(child)
        if block.tag != "p":  # a list or quote in a note: its words, as a page's foot holds no blocks
            part = etree.Element("span")
            part.text = " ".join("".join(block.itertext()).split())
        part.tag = "span"
        for inner in part.iter():
            inner.text = inner.text and inner.text.replace(NBSP_PLACEHOLDER, "")
            inner.tail = inner.tail and inner.tail.replace(NBSP_PLACEHOLDER, "")
        if number:
            _append_text(span, " ")
        span.append(part)
    return span


def _append_text(element: etree.Element, text: str) -> None:
    """Append text after an element's last child (or to its text when it has none)."""
    if len(element):
        last = element[-1]
        last.tail = (last.tail or "") + text
    else:
        element.text = (element.text or "") + text


class PrintNotesExtension(Extension):
    """Register PrintNotes after the footnotes extension's own tree steps (priority 15 and up)."""

    def extendMarkdown(self, md: Markdown) -> None:
        """Add the tree step."""
        md.treeprocessors.register(PrintNotes(md), "print-notes", 14)
