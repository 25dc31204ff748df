"""Markdown to safe HTML: one configured converter per language, then nh3."""

from __future__ import annotations

import hashlib
import re
import threading

import nh3
from markupsafe import Markup

from compendium.content.markup import convert

# Fragments in use by this thread's build (see use_fragments).
_local = threading.local()

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


class Fragments:
    """Rendered Markdown kept between builds: Python-Markdown is most of an HTML build's time."""

    def __init__(self, stored: dict[str, str] | None = None) -> None:
        self.stored: dict[str, str] = stored if stored is not None else {}
        self.used: set[str] = set()


def use_fragments(fragments: Fragments | None) -> None:
    """Make render_markdown reuse and record fragments in this store (None to stop), in this thread only."""
    _local.fragments = fragments


def render_markdown(text: str, language: str = "da", top: int = 3) -> Markup:
    """Convert Markdown to sanitised HTML whose headings start at h<top>."""
    fragments: Fragments | None = getattr(_local, "fragments", None)  # the store of this thread's build
    if fragments is None:
        return Markup(_render(text, language, top))
    key = hashlib.sha256(f"{language}\0{top}\0{text}".encode()).hexdigest()
    fragments.used.add(key)
    html = fragments.stored.get(key)
    if html is None:
        html = fragments.stored[key] = _render(text, language, top)
    return Markup(html)


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
