"""Markdown to safe HTML: one configured converter per language, then nh3."""

from __future__ import annotations

from functools import cache

import markdown as md
import nh3
from markupsafe import Markup

# What editors may produce. Everything else, including scripts, style
# attributes, event handlers and javascript: or data: links, is removed.
ALLOWED_TAGS = {
    "p",
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
        extensions=["sane_lists", "smarty", "tables", "toc"],
        # Headings in a field sit below the chapter's own h1/h2.
        extension_configs={"smarty": {"substitutions": subs}, "toc": {"baselevel": 3}},
        output_format="html",
    )


def render_markdown(text: str, language: str = "da") -> Markup:
    """Convert Markdown to sanitised HTML."""
    converter = _converter(language)
    html = converter.reset().convert(text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return Markup(clean)
