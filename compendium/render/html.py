"""Stage 4, HTML: render each document's template with its context."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import jinja2

from compendium.assemble.context import Context
from compendium.render.keep_whole import Remember, keep_whole, printed_names
from compendium.render.templates import get_template, render_template

DOCUMENT_TEMPLATES = {"compendium": "compendium.html", "debate-paper": "debate-paper.html"}


def render_document(
    env: jinja2.Environment, folders: list[Path], name: str, context: Context, remember: Remember | None = None
) -> str:
    """Render one document to an HTML string; remember keeps each part's marks (see keep_whole)."""
    template = get_template(env, DOCUMENT_TEMPLATES[name], folders)
    values = {f.name: getattr(context, f.name) for f in dataclasses.fields(context)}
    # Addresses, numbers, ids and names are marked so that print never hyphenates them.
    return keep_whole(render_template(env, template, values), printed_names(context), remember)


def render_index(
    env: jinja2.Environment, folders: list[Path], context: Context, documents: list[dict[str, str]]
) -> str:
    """Render build/index.html, linking every output that exists."""
    template = get_template(env, "index.html", folders)
    values = {"publication": context.publication, "labels": context.labels, "documents": documents}
    values |= {"brand": context.brand, "assets": context.assets}
    return render_template(env, template, values | {"edition": context.edition})
