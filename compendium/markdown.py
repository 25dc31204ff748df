"""Markdown to safe HTML: one configured converter per language, then nh3."""

from __future__ import annotations

import hashlib
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


class Fragments:
    """Rendered Markdown kept between builds: Python-Markdown is most of an HTML build's time."""

    def __init__(self, stored: dict[str, str] | None = None) -> None:
        self.stored: dict[str, str] = stored if stored is not None else {}
        self.used: set[str] = set()


# The fragment store of the build in progress; None renders everything afresh.
_fragments: Fragments | None = None


def use_fragments(fragments: Fragments | None) -> None:
    """Make render_markdown reuse and record fragments in this store (None to stop)."""
    global _fragments
    _fragments = fragments


def render_markdown(text: str, language: str = "da", top: int = 3) -> Markup:
    """Convert Markdown to sanitised HTML whose headings start at h<top>."""
    if _fragments is None:
        return Markup(_render(text, language, top))
    key = hashlib.sha256(f"{language}\0{top}\0{text}".encode()).hexdigest()
    _fragments.used.add(key)
    html = _fragments.stored.get(key)
    if html is None:
        html = _fragments.stored[key] = _render(text, language, top)
    return Markup(html)


def _render(text: str, language: str, top: int) -> str:
    """Convert and sanitise, without any cache."""
    converter = _converter(language)
    html = shift_headings(converter.reset().convert(text), top)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return str(clean)
