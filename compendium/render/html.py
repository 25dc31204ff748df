"""Stage 4, HTML: render each document's template with its context."""

from __future__ import annotations

import dataclasses
import traceback
from pathlib import Path

import jinja2

from compendium.assemble.context import Context
from compendium.errors import InputError, Problem
from compendium.render.templates import get_template, shown_path

DOCUMENT_TEMPLATES = {"compendium": "compendium.html", "debate-paper": "debate-paper.html"}


def render_document(env: jinja2.Environment, folders: list[Path], name: str, context: Context, root: Path) -> str:
    """Render one document to an HTML string."""
    template = get_template(env, DOCUMENT_TEMPLATES[name], folders)
    values = {f.name: getattr(context, f.name) for f in dataclasses.fields(context)}
    return _render(template, values, root)


def render_index(
    env: jinja2.Environment, folders: list[Path], context: Context, documents: list[dict[str, str]], root: Path
) -> str:
    """Render build/index.html, linking every output that exists."""
    template = get_template(env, "index.html", folders)
    values = {"publication": context.publication, "labels": context.labels, "documents": documents}
    return _render(template, values | {"edition": context.edition}, root)


def _render(template: jinja2.Template, values: dict[str, object], root: Path) -> str:
    """Render a template, turning template mistakes into problems at the template line that made them."""
    try:
        return template.render(values)
    except jinja2.TemplateError as exc:
        # UndefinedError's message is the useful part; other errors (a sandbox's refusal too) say it themselves.
        message = exc.message if isinstance(exc, jinja2.UndefinedError) else str(exc)
        file, line = _template_line(exc, template.filename)
        problem = Problem(shown_path(file, root), line, 1 if line else 0, "", f"template error: {message}")
        raise InputError([problem]) from None


def _template_line(exc: BaseException, filename: str | None) -> tuple[str, int]:
    """Find the template file and line a rendering error came from (Jinja rewrites tracebacks to point there)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith((".html", ".css"))]
    if frames:
        return frames[-1].filename, frames[-1].lineno or 0
    return filename or "", 0
