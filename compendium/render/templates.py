"""The Jinja environment: a project's templates/ first, the packaged defaults second."""

from __future__ import annotations

import datetime as dt
import functools
import string
from collections.abc import Callable
from pathlib import Path

import babel.numbers
import jinja2
import jinja2.runtime
from markupsafe import Markup

from compendium.content import dates
from compendium.content.dates import PartialDate
from compendium.content.labels import Labels
from compendium.content.load import Located, load_yaml
from compendium.content.markup import QUOTES
from compendium.content.model import Count
from compendium.errors import CompendiumError, InputError, Problem, did_you_mean, in_brackets
from compendium.render.markdown import render_markdown

PACKAGE_TEMPLATES = Path(__file__).parents[1] / "templates"
BABEL_LOCALES = {"da": "da_DK", "en": "en_GB"}
INSIDE = "templates, labels and fonts must be files inside the project (replace the link with a copy)"
PLAIN = "templates/ may hold only plain files and folders"


def search_path(project_templates: Path | None) -> list[Path]:
    """Return the template folders, the project's overrides first."""
    folders = [PACKAGE_TEMPLATES]
    if project_templates is not None and project_templates.is_dir():
        folders.insert(0, project_templates)
    return folders


def template_problems(project_templates: Path | None, root: Path) -> list[Problem]:
    """Refuse files in a project's templates/ that are links out of the project, pipes or devices.

    Git stores symbolic links, so a pull request could otherwise make a build inline a
    file from the machine it runs on (a stylesheet) or copy it into the outputs (a font).
    """
    if project_templates is None or not project_templates.is_dir():
        return []
    root = root.resolve()
    problems = []
    for path in sorted(project_templates.rglob("*")):
        shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        if path.is_dir() and not path.is_symlink():
            continue
        real = path.resolve()
        if not real.is_relative_to(root):
            problems.append(
                Problem(
                    shown,
                    message=f"a link to a file outside the project; {INSIDE}",
                    hint=INSIDE,
                )
            )
        elif not path.is_file():
            problems.append(
                Problem(
                    shown,
                    message=f"not a regular file (a folder link, pipe or device); {PLAIN}",
                    hint=PLAIN,
                )
            )
    return problems


# Markdown to safe HTML: the text, the language and the top heading level.
MarkdownFilter = Callable[[str, str, int], Markup]


def make_environment(
    folders: list[Path],
    language: str,
    bytecode_cache: jinja2.BytecodeCache | None = None,
    markdown: MarkdownFilter = render_markdown,
) -> jinja2.Environment:
    """Build the environment every document is rendered with.

    The build gives a bytecode cache and a markdown that remember their results between builds.
    """
    env = jinja2.Environment(
        bytecode_cache=bytecode_cache,
        loader=jinja2.FileSystemLoader([str(f) for f in folders]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    locale = BABEL_LOCALES[language]
    # The cover's title is the document's one h1 and chapters are h2: `markdown(3)` for a chapter's own text,
    # where headings are sections (h3); h4 within an entry.
    env.filters["markdown"] = lambda text, top=4: markdown(text, language, top)
    env.filters["longdate"] = longdate_filter(locale, APPROXIMATELY[language])
    env.filters["headcount"] = headcount_filter(locale, APPROXIMATELY[language])
    env.globals["language"] = language
    env.globals["quote_open"] = QUOTES[language]["left-double-quote"]
    env.globals["quote_close"] = QUOTES[language]["right-double-quote"]
    return env


# What goes before an approximate date when the labels do not say (the `approximately` label).
APPROXIMATELY = {"da": "ca.", "en": "c."}


def longdate_filter(locale: str, default: str) -> Callable[..., str]:
    """Return the `longdate` filter: a date as precisely as it is known, 'ca.' from the labels in front."""

    @jinja2.pass_context
    def longdate(context: jinja2.runtime.Context, value: PartialDate | dt.date) -> str:
        return format_date(value, locale, _approximately(context, default))

    return longdate


def _approximately(context: jinja2.runtime.Context, default: str) -> str:
    """Return the word printed before an approximate date or number: the `approximately` label."""
    labels = context.get("labels")
    return labels.get("approximately", default) if isinstance(labels, dict) else default


def headcount_filter(locale: str, default: str) -> Callable[..., str]:
    """Return the `headcount` filter: a number of people the local way ('1.200'), 'ca.' in front when approximate."""

    @jinja2.pass_context
    def headcount(context: jinja2.runtime.Context, value: Count | int) -> str:
        number = value.value if isinstance(value, Count) else value
        text = babel.numbers.format_decimal(number, locale=locale)
        return f"{_approximately(context, default)} {text}" if isinstance(value, Count) and value.approximate else text

    return headcount


@functools.lru_cache(maxsize=4096)  # Babel is slow, and a thousand stories share few dates
def format_date(value: PartialDate | dt.date, locale: str, approximately: str = "ca.") -> str:
    """Format a date the local way, only as precisely as it is known: '2023', 'marts 2023', '8. marts 2023'."""
    return dates.format_date(value, locale, approximately)


def load_labels(folders: list[Path], language: str, project_root: Path) -> tuple[Labels, list[Problem]]:
    """Load labels/<language>.yaml; a project's file overrides single labels of the packaged one.

    Returns the labels and warnings about override keys the packaged file does not know.
    """
    merged: dict[str, str] = {}
    warnings: list[Problem] = []
    for folder in reversed(folders):  # packaged defaults first, overrides on top
        path = folder / "labels" / f"{language}.yaml"
        if not path.is_file():
            continue
        shown = path.relative_to(project_root).as_posix() if path.is_relative_to(project_root) else str(path)
        located = load_yaml(path, shown)
        problems = [
            located.problem((key,), "a label must be text; put it in quotes", hint="put it in quotes")
            for key, value in located.data.items()
            if not isinstance(value, str)
        ]
        if problems:
            raise InputError(problems)
        if merged:
            problems = [
                problem
                for key, value in located.data.items()
                if key in merged and (problem := _placeholder_problem(located, key, value, merged[key]))
            ]
            if problems:
                raise InputError(problems)
            warnings += [_unknown_label(located, key, merged) for key in located.data if key not in merged]
        merged.update(located.data)
    if not merged:
        raise CompendiumError(f"no labels/{language}.yaml in {', '.join(str(f) for f in folders)}")
    return Labels.from_data(language, merged, "labels"), warnings


def _unknown_label(located: Located, key: str, known: dict[str, str]) -> Problem:
    """Warn about an override of a label the packaged file does not have."""
    hint = did_you_mean(key, known)
    message = f"unknown label '{key}'{in_brackets(hint)}; it is not used"
    return located.problem((key,), message, hint=hint or "it is not used", key=True, warning=True)


def _fields(text: str) -> set[str]:
    """Return the {placeholders} a label uses; ValueError for a stray brace."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _placeholder_problem(located: Located, key: str, value: str, packaged: str) -> Problem | None:
    """Say what is wrong when an override uses a placeholder the documents do not fill in."""
    expected = _fields(packaged)
    if not expected:  # not filled in by the templates, so braces print as they are
        return None
    shown = ", ".join(f"{{{name}}}" for name in sorted(expected)) or "none"
    try:
        used = _fields(value)
    except ValueError:
        fix = f"placeholders are written like {{n}} (expected: {shown})"
        return located.problem((key,), f"a single '{{' or '}}'; {fix}", hint=fix)
    unknown = sorted(used - expected)
    if not unknown:
        return None
    names = ", ".join(f"{{{name}}}" for name in unknown)
    hint = did_you_mean(unknown[0], expected) if len(unknown) == 1 else ""
    can_use = f"this label can use: {shown}"
    return located.problem((key,), f"unknown placeholder {names}{in_brackets(hint)}; {can_use}", hint=hint or can_use)


def check_templates(env: jinja2.Environment, folders: list[Path], root: Path) -> list[Problem]:
    """Compile every template in the search path, so a broken override fails `check` too; return every error."""
    names = sorted({p.name for folder in folders for p in folder.glob("*.html")})
    problems = []
    for name in names:
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            where = shown_path(exc.filename or name, root)
            problems.append(Problem(where, exc.lineno, 1, "", f"template error: {exc.message}"))
    return problems


def shown_path(path: str | Path, root: Path) -> str:
    """Name a template file relative to the project, or in full when it is a packaged one."""
    path = Path(path)
    return path.relative_to(root).as_posix() if path.is_absolute() and path.is_relative_to(root) else str(path)


def get_template(env: jinja2.Environment, name: str, folders: list[Path]) -> jinja2.Template:
    """Load a template, naming the folders searched when it is missing."""
    try:
        return env.get_template(name)
    except jinja2.TemplateNotFound:
        searched = f"searched {', '.join(str(f) for f in folders)}"
        raise CompendiumError(f"template '{name}' not found; {searched}", hint=searched) from None
    except jinja2.TemplateSyntaxError as exc:
        raise CompendiumError(f"{exc.filename}:{exc.lineno}: template error: {exc.message}") from None
