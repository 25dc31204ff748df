"""The Jinja environment: a project's templates/ first, the packaged defaults second."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import babel.dates
import jinja2
import yaml

from .errors import CompendiumError
from .labels import Labels
from .markdown import render_markdown

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"
BABEL_LOCALES = {"da": "da_DK", "en": "en_GB"}


def search_path(project_templates: Path | None) -> list[Path]:
    """Return the template folders, the project's overrides first."""
    folders = [PACKAGE_TEMPLATES]
    if project_templates is not None and project_templates.is_dir():
        folders.insert(0, project_templates)
    return folders


def make_environment(folders: list[Path], language: str) -> jinja2.Environment:
    """Build the environment every document is rendered with."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(f) for f in folders]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    locale = BABEL_LOCALES[language]
    # `markdown(2)` for a chapter's own text, where headings are sections (h2).
    env.filters["markdown"] = lambda text, top=3: render_markdown(text, language, top)
    env.filters["longdate"] = lambda d: format_date(d, locale)
    env.globals["language"] = language
    return env


def format_date(value: dt.date, locale: str) -> str:
    """Format a date the local way, e.g. '8. marts 2023'."""
    return babel.dates.format_date(value, format="long", locale=locale)


def load_labels(folders: list[Path], language: str) -> Labels:
    """Load labels/<language>.yaml; a project's file overrides single labels of the packaged one."""
    merged: dict[str, str] = {}
    found = False
    for folder in reversed(folders):  # packaged defaults first, overrides on top
        path = folder / "labels" / f"{language}.yaml"
        if path.is_file():
            try:
                data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
            except (yaml.YAMLError, UnicodeDecodeError) as exc:
                raise CompendiumError(f"{path}: invalid language file: {exc}") from None
            merged.update(Labels.from_data(language, data or {}, str(path)))
            found = True
    if not found:
        raise CompendiumError(f"no labels/{language}.yaml in {', '.join(str(f) for f in folders)}")
    return Labels.from_data(language, merged, "labels")


def get_template(env: jinja2.Environment, name: str, folders: list[Path]) -> jinja2.Template:
    """Load a template, naming the folders searched when it is missing."""
    try:
        return env.get_template(name)
    except jinja2.TemplateNotFound:
        raise CompendiumError(f"template '{name}' not found; searched {', '.join(str(f) for f in folders)}") from None
    except jinja2.TemplateSyntaxError as exc:
        raise CompendiumError(f"{exc.filename}:{exc.lineno}: template error: {exc.message}") from None
