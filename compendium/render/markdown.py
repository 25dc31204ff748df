"""Markdown to safe HTML: one configured converter per language, then nh3."""

from __future__ import annotations

import re

import nh3
from markupsafe import Markup

from compendium.content.markup import convert

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
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return str(clean)
