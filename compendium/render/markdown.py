"""Markdown to safe HTML: one configured converter per language, then nh3."""

from __future__ import annotations

import re

import nh3
from markupsafe import Markup

from compendium.content.markup import convert

ALIGNMENTS = {"align-left", "align-center", "align-right"}
# What editors may produce. Everything else, including scripts, style
# attributes, event handlers and javascript: or data: links, is removed.
ALLOWED_TAGS = {
    "p",
    "h2",
    "br",
    "em",
    "strong",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "sup",
    "sub",
    # Footnotes (content/footnotes.py): the call, the note beside it for print, and the notes at the end.
    "span",
    "div",
}
# Classes and roles are limited to the values the converter writes (tag_attribute_values); ids are checked
# by _keep, so a text cannot take an id the templates use.
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "aria-label"},
    "ol": {"start"},
    "sup": {"id"},
    "li": {"id"},
}
ATTRIBUTE_VALUES = {
    "a": {"class": {"footnote-ref", "footnote-backref"}, "role": {"doc-noteref", "doc-backlink"}},
    "sup": {"class": {"footnote-ref"}},
    "span": {"class": {"footnote-print"}},
    "div": {"class": {"footnote"}, "role": {"doc-endnotes"}},
    "th": {"class": ALIGNMENTS},
    "td": {"class": ALIGNMENTS},
}
URL_SCHEMES = {"http", "https", "mailto"}
NOTE_ID = re.compile(r"fn(?:ref)?-[0-9a-f]{8}-[0-9]+")


def _keep(tag: str, attribute: str, value: str) -> str | None:
    """Keep an id only when it is a footnote's, made by the converter; keep every other allowed attribute."""
    if attribute == "id":
        return value if NOTE_ID.fullmatch(value) else None
    return value


HEADING = re.compile(r"<(/?)h([1-6])\b")


def shift_headings(html: str, top: int) -> str:
    """Renumber headings so the text's highest one becomes h<top>, keeping the outline unbroken."""
    levels = [int(level) for _, level in HEADING.findall(html)]
    if not levels:
        return html
    shift = top - min(levels)
    return HEADING.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + shift, 6)}", html)


def render_markdown(text: str, language: str = "da", top: int = 3) -> Markup:
    """Convert Markdown to sanitised HTML whose headings start at h<top>."""
    return Markup(_render(text, language, top))


def _render(text: str, language: str, top: int) -> str:
    """Convert and sanitise, without any cache."""
    html = shift_headings(convert(text, language), top)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        tag_attribute_values=ATTRIBUTE_VALUES,
        attribute_filter=_keep,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return str(clean)
