"""Markdown as the inputs may hold it: the configured Python-Markdown converter and the bounds on a text.

A Markdown field is validated by converting it once (content.model's Markdown
type); the render stage converts the same text again through the remembered
result and sanitises it (render/markdown.py).
"""

from __future__ import annotations

import re
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from types import FrameType

import markdown as md

from compendium.content.footnotes import BACKLINK_TITLES, PrintNotes, PrintNotesExtension, note_prefix
from compendium.errors import Fault, Refused
from compendium.messages import _

# Typographic quotes per language: Danish print uses »guillemets«.
QUOTES = {
    "da": {"left-double-quote": "»", "right-double-quote": "«", "left-single-quote": "›", "right-single-quote": "‹"},
    "en": {"left-double-quote": "“", "right-double-quote": "”", "left-single-quote": "‘", "right-single-quote": "’"},
}


# Per thread: a Python-Markdown instance keeps state while it converts, and `serve`
# builds the HTML and a PDF in two threads at once.
_local = threading.local()


def _converter(language: str) -> md.Markdown:
    """Return this thread's converter for a language, built once; it is reset between uses."""
    converters: dict[str, md.Markdown] = _local.__dict__.setdefault("converters", {})
    if language not in converters:
        converters[language] = _new_converter(language)
    return converters[language]


def _new_converter(language: str) -> md.Markdown:
    """Build a converter for a language."""
    subs = dict(QUOTES[language], ndash="–", mdash="—", ellipsis="…")
    converter = md.Markdown(
        extensions=["sane_lists", "smarty", "tables", "footnotes", PrintNotesExtension()],
        extension_configs={
            "smarty": {"substitutions": subs},
            # Numbered in the order the text calls them, as a reader meets them.
            "footnotes": {"USE_DEFINITION_ORDER": False, "BACKLINK_TITLE": BACKLINK_TITLES[language]},
        },
        output_format="html",
    )
    converter.language = language  # type: ignore[attr-defined]
    return converter


@lru_cache(maxsize=4096)
def convert(text: str, language: str) -> str:
    """Convert Markdown to (unsanitised) HTML; remembered, since validation renders each text once already."""
    converter = _converter(language).reset()
    notes = converter.treeprocessors["print-notes"]
    assert isinstance(notes, PrintNotes)
    notes.prefix = note_prefix(text)
    return converter.convert(text)


# --- bounds on what a Markdown text may cost --------------------------------
#
# Python-Markdown's inline parser rescans the rest of a paragraph for every
# bracket or '<' that is never closed, so 5,000 characters of '[' take ten
# seconds and 20,000 take minutes; list items nested 2,000 deep exhaust
# Python's recursion limit. The structural checks below are the real bound:
# they are deterministic, so a text that passes on a laptop passes in CI too.
# (Measured: within these limits the worst texts found render in under 1 s.)
# The time limit is only a backstop for a pattern nobody has thought of; it
# uses SIGALRM, which works in the main thread only (a Python thread cannot be
# interrupted, and a subprocess per field would cost more than the rendering).
MAX_MARKDOWN_CHARS = 20_000
MAX_UNCLOSED = 50
MAX_NESTING = 20
RENDER_SECONDS = 10.0

PAIRS = (("[", "]"), ("(", ")"), ("<", ">"))
# How to write each opener as a plain character (Markdown has no backslash escape for '<').
ESCAPES = {"[": "\\[", "(": "\\(", "<": "&lt;"}
# One level of nesting at the start of a line: a quote marker or a list marker.
NESTING_MARKER = re.compile(r"[ \t]*(?:>|[-*+][ \t]|\d{1,9}[.)][ \t])")


class MarkdownTooSlow(Exception):
    """Rendering a Markdown text ran past its time limit."""


def markdown_problem(text: str) -> Fault | None:
    """Say why a Markdown text would be too big, slow or deep to render, and the fix, or None when it is fine."""
    if len(text) > MAX_MARKDOWN_CHARS:
        return Fault.then(
            _(
                "the text is {length:,} characters long, more than the {max_markdown_chars:,} a Markdown field may hold"
            ).format(length=len(text), max_markdown_chars=MAX_MARKDOWN_CHARS),
            _("shorten it or split it into several entries"),
        )
    for opening, closing in PAIRS:
        # At most every opener is unclosed: count them (fast) before walking the text (slow).
        unclosed = _unclosed(text, opening, closing) if text.count(opening) > MAX_UNCLOSED else 0
        if unclosed > MAX_UNCLOSED:
            return Fault.then(
                _(
                    "{unclosed} '{opening}' have no matching '{closing}' (at most {max_unclosed} are allowed, as each one slows Markdown down)"
                ).format(unclosed=unclosed, opening=opening, closing=closing, max_unclosed=MAX_UNCLOSED),
                _("close them, or write {escapes} for a literal '{opening}'").format(
                    escapes=ESCAPES[opening], opening=opening
                ),
            )
    for number, line in enumerate(text.splitlines(), 1):
        depth = _nesting(line)
        if depth > MAX_NESTING:
            return Fault.then(
                _("line {number} of the text nests lists and quotes {depth} levels deep").format(
                    number=number, depth=depth
                ),
                _("at most {max_nesting} are allowed, so flatten the list").format(max_nesting=MAX_NESTING),
            )
    return None


def _unclosed(text: str, opening: str, closing: str) -> int:
    """Count openers with no closer after them, ignoring backslash-escaped ones."""
    depth = 0
    escaped = False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == opening:
            depth += 1
        elif char == closing and depth:
            depth -= 1
    return depth


def _nesting(line: str) -> int:
    """Count how deep a line nests: its list and quote markers plus its indentation in steps of four."""
    depth = 0
    position = 0
    while match := NESTING_MARKER.match(line, position):
        depth += 1
        position = match.end()
    indent = len(line) - len(line.lstrip(" \t"))
    return depth + indent // 4


def check_markdown(text: str) -> str:
    """Refuse a Markdown text that is too big, deep or slow to render; used as a model validator."""
    fault = markdown_problem(text)
    if fault is None:
        try:
            with time_limit(RENDER_SECONDS):
                html = convert(text, "da")
            if "<img" in html:  # the sanitiser would drop it, and a photo must never vanish silently
                fault = Fault.then(
                    _("an image in Markdown text (![...](...) or <img>) is not printed"),
                    _("list the photo under the entry's photos (or photo) instead"),
                )
        except MarkdownTooSlow:
            fault = Fault.then(
                _("rendering this Markdown took longer than {render_seconds:g} s").format(
                    render_seconds=RENDER_SECONDS
                ),
                _("simplify it (fewer brackets, '<' signs or nested lists)"),
            )
        except RecursionError:
            fault = Fault.then(
                _("lists and quotes are nested too deeply"),
                _("at most {max_nesting} levels are allowed").format(max_nesting=MAX_NESTING),
            )
    if fault:
        raise Refused(fault)
    return text


def _expire(signum: int, frame: FrameType | None) -> None:
    """Interrupt a rendering that ran too long."""
    raise MarkdownTooSlow


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise MarkdownTooSlow in the block after some seconds (main thread only; elsewhere no limit)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    previous = signal.signal(signal.SIGALRM, _expire)
    outer, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:
            # Give an outer timer (a test's time limit, say) back what is left of it.
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - started), 0.001))
