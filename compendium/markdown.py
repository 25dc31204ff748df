"""Markdown to safe HTML: one configured converter per language, then nh3."""

from __future__ import annotations

import re
from functools import cache

import markdown as md
import nh3
from markupsafe import Markup

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
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}

# Typographic quotes per language: Danish print uses »guillemets«.
QUOTES = {
    "da": {"left-double-quote": "»", "right-double-quote": "«", "left-single-quote": "›", "right-single-quote": "‹"},
    "en": {"left-double-quote": "“", "right-double-quote": "”", "left-single-quote": "‘", "right-single-quote": "’"},
}


@cache
def _converter(language: str) -> md.Markdown:
    """Build the converter for a language once; it is reset between uses."""
    subs = dict(QUOTES[language], ndash="–", mdash="—", ellipsis="…")
    return md.Markdown(
        extensions=["sane_lists", "smarty", "tables"],
        extension_configs={"smarty": {"substitutions": subs}},
        output_format="html",
    )


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
    converter = _converter(language)
    html = shift_headings(converter.reset().convert(text), top)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return Markup(clean)
