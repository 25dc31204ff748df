"""Stage 4, HTML: render each document's template with its context."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import jinja2

from compendium.assemble.context import Context
from compendium.render.keep_whole import Remember, keep_whole, printed_names
from compendium.render.templates import get_template, render_template

DOCUMENT_TEMPLATES = {"compendium": "compendium.html", "debate-paper": "debate-paper.html"}


def render_document(env: jinja2.Environment, folders: list[Path], name: str, context: Context) -> str:
    """Render one document to an HTML string."""
    template = get_template(env, DOCUMENT_TEMPLATES[name], folders)
    values = {f.name: getattr(context, f.name) for f in dataclasses.fields(context)}
    return render_template(env, template, values)


def for_print(html: str, context: Context, remember: Remember | None = None) -> str:
    """Return a document's HTML marked for print, which never hyphenates its addresses, numbers, ids and names."""
    return keep_whole(html, printed_names(context), remember)


def render_index(
    env: jinja2.Environment, folders: list[Path], context: Context, documents: list[dict[str, str]]
) -> str:
    """Render build/index.html, linking every output that exists."""
    template = get_template(env, "index.html", folders)
    values = {"publication": context.publication, "labels": context.labels, "documents": documents}
    values |= {"brand": context.brand, "assets": context.assets}
    return render_template(env, template, values | {"edition": context.edition})
