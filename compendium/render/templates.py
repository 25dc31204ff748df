"""The Jinja environment: a project's templates/ first, the packaged defaults second."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import inspect
import io
import string
import types
from collections.abc import Callable
from pathlib import Path, PurePath
from typing import Any

import babel.numbers
import jinja2
import jinja2.runtime
from jinja2.environment import TemplateModule
from jinja2.exceptions import SecurityError
from jinja2.runtime import Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedFormatter
from markupsafe import Markup

from compendium.content import dates
from compendium.content.dates import PartialDate
from compendium.content.labels import PLURAL_CATEGORIES, Labels, PluralLabel
from compendium.content.load import Located, load_yaml
from compendium.content.markup import QUOTES
from compendium.content.model import Count
from compendium.errors import CompendiumError, InputError, Problem, did_you_mean, in_brackets
from compendium.messages import N_, _
from compendium.render.markdown import render_markdown
from compendium.render.typography import tie

PACKAGE_TEMPLATES = Path(__file__).parents[1] / "templates"
BABEL_LOCALES = {"da": "da_DK", "en": "en_GB"}
INSIDE = N_("templates, labels and fonts must be files inside the project (replace the link with a copy)")
PLAIN = N_("templates/ may hold only plain files and folders")


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
                    message=_("a link to a file outside the project; {inside}").format(inside=_(INSIDE)),
                    hint=_(INSIDE),
                )
            )
        elif not path.is_file():
            problems.append(
                Problem(
                    shown,
                    message=_("not a regular file (a folder link, pipe or device); {plain}").format(plain=_(PLAIN)),
                    hint=_(PLAIN),
                )
            )
    return problems


# Where the attributes a template may use are defined: data, and the methods of text, numbers,
# dates, lists and mappings, of Jinja's own loop helpers, and of our own context classes.
SAFE_MODULES = frozenset({"builtins", "datetime", "markupsafe", "jinja2", "compendium"})
# Values a template never gets, whoever holds them: each leads to files, code or the network.
UNSAFE_VALUES = (type, types.ModuleType, PurePath, io.IOBase, jinja2.Environment, jinja2.BaseLoader)
DOCUMENTED = N_('a template may use only the values the README\'s "Template context" lists')


class TemplateSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, narrowed to the documented context.

    The sandbox refuses underscore attributes (so no `__globals__`, `__class__` or `mro`),
    format-string tricks and changes to lists and mappings. It still lets a template call
    any public method, and pydantic models have public ones that reach files (`parse_file`)
    or classes (`model_fields`); so only data attributes, the methods of plain values and
    the methods our own context classes define are allowed, and never a class, module,
    path, file or loader.
    """

    root: Path | None = None  # the project's folder, which problems are shown relative to

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Read an attribute; a declared field of our own context classes holding data takes the short way."""
        kind: type = type(obj)
        fields = _FIELDS.get(kind)
        if fields is None:
            fields = _FIELDS[kind] = _declared_fields(kind)
        if attribute in fields or (kind, attribute) in _METHODS:
            value = getattr(obj, attribute)
            plain = _PLAIN.get(type(value))
            if plain is None:
                plain = _PLAIN[type(value)] = type(value) in DATA_TYPES or _ours(value)
            if plain or getattr(value, "__self__", None) is obj:
                return value
        elif kind is TemplateModule and attribute[:1] != "_":  # a macro of an imported template
            value = getattr(obj, attribute, None)
            if type(value) is Macro:
                return value
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        """Subscript; a name on one of our own objects (map(attribute=…), x["y"]) is read as the attribute it is."""
        if type(argument) is str and _FIELDS.get(type(obj)) and argument in _FIELDS[type(obj)]:
            return self.getattr(obj, argument)  # Jinja would try obj[name], fail, then judge the attribute slowly
        return super().getitem(obj, argument)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Allow an attribute the sandbox allows that is data or a documented method."""
        safe = super().is_safe_attribute(obj, attr, value) and documented(obj, attr, value)
        if safe and isinstance(inspect.getattr_static(type(obj), attr, None), (types.FunctionType, property)):
            _METHODS.add((type(obj), attr))  # a method or property of the class: judged once
        return safe


# Most of what a template reads is a field of a view or model holding text, a date or a list: those
# skip the sandbox's general checks, which would otherwise double the time an HTML build renders.
DATA_TYPES = frozenset({str, int, float, bool, type(None), Markup, dt.date, list, tuple, dict})
_FIELDS: dict[type, frozenset[str]] = {}  # each class's declared fields, found once
_METHODS: set[tuple[type, str]] = set()  # the methods and properties of a class the full checks allowed
_PLAIN: dict[type, bool] = {}  # whether a value of this class is data or one of our own objects, judged once


def _declared_fields(kind: type) -> frozenset[str]:
    """Return the declared fields of one of our dataclasses or pydantic models; none for any other class."""
    if not kind.__module__.startswith("compendium."):
        return frozenset()
    if dataclasses.is_dataclass(kind):
        return frozenset(f.name for f in dataclasses.fields(kind) if not f.name.startswith("_"))
    model_fields = getattr(kind, "model_fields", None)  # a pydantic model's, read on the class
    return (
        frozenset(n for n in model_fields if not n.startswith("_")) if isinstance(model_fields, dict) else frozenset()
    )


def _ours(value: object) -> bool:
    """Tell whether a value is an instance of one of our own classes (never a class, file or code)."""
    return type(value).__module__.startswith("compendium.") and not isinstance(value, UNSAFE_VALUES)


def documented(obj: Any, attr: str, value: Any) -> bool:
    """Tell whether a template may read obj.attr: plain data, or a method of a plain value or context class."""
    if isinstance(value, UNSAFE_VALUES) or isinstance(getattr(value, "__self__", None), (type, types.ModuleType)):
        return False  # a class, module, path or file; or a method of a class or module (classmethods, builtins)
    if isinstance(value, (types.FunctionType, functools.partial)) or isinstance(obj, type):
        return False  # a function kept as data, not a method of the object; or anything a class has
    if attr in getattr(obj, "__dict__", {}):
        return True  # the object's own data: a model's or a view's fields
    kind: type = type(obj)
    return _class_allows(kind, attr)


@functools.lru_cache(maxsize=4096)  # asked for every attribute a template reads: thousands of times per document
def _class_allows(kind: type, attr: str) -> bool:
    """Tell whether an attribute a class defines is a plain value's, Jinja's or our own, and not a classmethod."""
    owner = next((cls for cls in kind.__mro__ if attr in vars(cls)), None)
    if owner is None:
        return False  # made up by __getattr__
    if isinstance(vars(owner)[attr], (classmethod, staticmethod)):
        return False
    return owner.__module__.partition(".")[0] in SAFE_MODULES


# Markdown to safe HTML: the text, the language and the top heading level.
MarkdownFilter = Callable[[str, str, int], Markup]


def make_environment(
    folders: list[Path],
    language: str,
    bytecode_cache: jinja2.BytecodeCache | None = None,
    markdown: MarkdownFilter = render_markdown,
    root: Path | None = None,
) -> TemplateSandbox:
    """Build the environment every document is rendered with.

    The build gives a bytecode cache and a markdown that remember their results between builds.
    Every template, packaged or a project's override, runs in the sandbox (TemplateSandbox).
    """
    env = TemplateSandbox(
        bytecode_cache=bytecode_cache,
        loader=jinja2.FileSystemLoader([str(f) for f in folders]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.root = root
    locale = BABEL_LOCALES[language]
    # The cover's title is the document's one h1 and chapters are h2: `markdown(3)` for a chapter's own text,
    # where headings are sections (h3); h4 within an entry.
    env.filters["markdown"] = lambda text, top=4: markdown(text, language, top)
    env.filters["longdate"] = longdate_filter(locale, APPROXIMATELY[language])
    env.filters["headcount"] = headcount_filter(locale, APPROXIMATELY[language])
    env.filters["plural"] = plural_filter(env, locale)
    env.filters["tie"] = tie
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


def plural_filter(env: jinja2.Environment, locale: str) -> Callable[..., str]:
    """Return the `plural` filter: a label's form for a number (CLDR plural category), placeholders filled in.

    `{{ labels.group_size | plural(p.size) }}` fills {n} with the number; other placeholders are given by
    name. A label that is a single text is that text for every number, so old overrides keep working.
    """
    rules = babel.Locale.parse(locale)
    formatter = SandboxedFormatter(env)  # label files are semi-trusted: no attribute tricks in a placeholder

    def plural(label: str, count: Count | int, **values: object) -> str:
        number = count.value if isinstance(count, Count) else count
        text = label.form(rules.plural_form(number)) if isinstance(label, PluralLabel) else str(label)
        return formatter.vformat(text, (), {"n": number, **values})

    return plural


@functools.lru_cache(maxsize=4096)  # Babel is slow, and a thousand stories share few dates
def format_date(value: PartialDate | dt.date, locale: str, approximately: str = "ca.") -> str:
    """Format a date the local way, only as precisely as it is known: '2023', 'marts 2023', '8. marts 2023'."""
    return dates.format_date(value, locale, approximately)


def load_labels(folders: list[Path], language: str, project_root: Path) -> tuple[Labels, list[Problem]]:
    """Load labels/<language>.yaml; a project's file overrides single labels of the packaged one.

    Returns the labels and warnings about override keys the packaged file does not know.
    """
    merged: dict[str, Any] = {}
    warnings: list[Problem] = []
    for folder in reversed(folders):  # packaged defaults first, overrides on top
        path = folder / "labels" / f"{language}.yaml"
        if not path.is_file():
            continue
        shown = path.relative_to(project_root).as_posix() if path.is_relative_to(project_root) else str(path)
        located = load_yaml(path, shown)
        problems = [problem for key, value in located.data.items() for problem in _shape_problems(located, key, value)]
        if problems:
            raise InputError(problems)
        if merged:
            problems = [
                problem
                for key, value in located.data.items()
                if key in merged
                for form, text in _forms(value).items()
                if (problem := _placeholder_problem(located, key, text, merged[key], form))
            ]
            if problems:
                raise InputError(problems)
            warnings += [_unknown_label(located, key, merged) for key in located.data if key not in merged]
        merged.update(located.data)
    if not merged:
        raise CompendiumError(
            _("no labels/{language}.yaml in {folders}").format(
                language=language, folders=", ".join(str(f) for f in folders)
            )
        )
    return Labels.from_data(language, merged, "labels"), warnings


PLURAL_FIX = N_("give the forms as one: and other: (other is required), each text in quotes")


def _shape_problems(located: Located, key: str, value: object) -> list[Problem]:
    """Say what is wrong when a label is neither text nor a mapping of plural categories to text with `other`."""
    if isinstance(value, str):
        return []
    if not isinstance(value, dict):
        return [located.problem((key,), _("a label must be text; put it in quotes"), hint=_("put it in quotes"))]
    problems = []
    for category, text in value.items():
        if category not in PLURAL_CATEGORIES:
            hint = did_you_mean(str(category), PLURAL_CATEGORIES)
            known = ", ".join(PLURAL_CATEGORIES)
            message = _("unknown plural category '{category}'{hint}; a plural label's forms are: {known}").format(
                category=category, hint=in_brackets(hint), known=known
            )
            problems.append(located.problem((key, category), message, hint=hint or _(PLURAL_FIX), key=True))
        elif not isinstance(text, str):
            problems.append(
                located.problem(
                    (key, category), _("a plural form must be text; put it in quotes"), hint=_("put it in quotes")
                )
            )
    if "other" not in value:
        message = _(
            "a plural label needs an 'other' form (used for every number without its own form); {plural_fix}"
        ).format(plural_fix=_(PLURAL_FIX))
        problems.append(located.problem((key,), message, hint=_(PLURAL_FIX)))
    return problems


def _forms(value: str | dict[str, str]) -> dict[str, str]:
    """Return a label's texts by plural category; a single text is every category's ('other')."""
    return dict(value) if isinstance(value, dict) else {"other": value}


def _unknown_label(located: Located, key: str, known: dict[str, Any]) -> Problem:
    """Warn about an override of a label the packaged file does not have."""
    hint = did_you_mean(key, known)
    message = _("unknown label '{key}'{hint}; it is not used").format(key=key, hint=in_brackets(hint))
    return located.problem((key,), message, hint=hint or _("it is not used"), key=True, warning=True)


# Placeholders the documents still fill in for labels written before their packaged form changed: the chart's
# row gives {proposals} and {stories} as numbers, besides the counted nouns ({proposals_counted}).
FILLED_IN_TOO: dict[str, set[str]] = {"chart_row": {"proposals", "stories"}}


def _fields(text: str) -> set[str]:
    """Return the {placeholders} a label uses; ValueError for a stray brace."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _placeholder_problem(
    located: Located, key: str, value: str, packaged: str | dict[str, str], form: str = "other"
) -> Problem | None:
    """Say what is wrong when an override (or one plural form of it) uses a placeholder the documents do not fill in."""
    expected = set().union(*(_fields(text) for text in _forms(packaged).values())) | FILLED_IN_TOO.get(key, set())
    where = (key, form) if isinstance(located.data.get(key), dict) else (key,)
    if not expected:  # not filled in by the templates, so braces print as they are
        return None
    shown = ", ".join(f"{{{name}}}" for name in sorted(expected)) or "none"
    try:
        used = _fields(value)
    except ValueError:
        fix = _("placeholders are written like {{n}} (expected: {shown})").format(shown=shown)
        return located.problem(where, _("a single '{{' or '}}'; {fix}").format(fix=fix), hint=fix)
    unknown = sorted(used - expected)
    if not unknown:
        return None
    names = ", ".join(f"{{{name}}}" for name in unknown)
    hint = did_you_mean(unknown[0], expected) if len(unknown) == 1 else ""
    can_use = _("this label can use: {shown}").format(shown=shown)
    return located.problem(
        where,
        _("unknown placeholder {names}{hint}; {can_use}").format(names=names, hint=in_brackets(hint), can_use=can_use),
        hint=hint or can_use,
    )


def check_templates(env: jinja2.Environment, folders: list[Path], root: Path) -> list[Problem]:
    """Compile every template in the search path, so a broken override fails `check` too; return every error."""
    names = sorted({p.name for folder in folders for p in folder.glob("*.html")})
    problems = []
    for name in names:
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            where = shown_path(exc.filename or name, root)
            problems.append(
                Problem(where, exc.lineno, message=_("template error: {message}").format(message=exc.message))
            )
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
        raise CompendiumError(
            _("template '{name}' not found; {searched}").format(name=name, searched=searched), hint=searched
        ) from None
    except (jinja2.TemplateError, UnicodeDecodeError) as exc:
        raise InputError([template_problem(env, exc)]) from None


def render_template(env: jinja2.Environment, template: jinja2.Template, values: dict[str, object]) -> str:
    """Render a template; a mistake or a sandbox refusal is a problem at the template's file and line."""
    try:
        return template.render(values)
    except (jinja2.TemplateError, UnicodeDecodeError) as exc:
        raise InputError([template_problem(env, exc, template.filename)]) from None


def template_problem(env: jinja2.Environment, exc: Exception, rendered: str | None = None) -> Problem:
    """Describe a template error at the innermost template line it happened on."""
    file, line = _where(env, exc)
    file = file or rendered or ""
    root = getattr(env, "root", None)
    shown = Path(file)
    if root is not None and shown.is_relative_to(root):
        file = shown.relative_to(root).as_posix()
    if isinstance(exc, SecurityError):
        return Problem(
            file,
            line,
            message=_("template error: {value}; {documented}").format(
                value=str(exc).rstrip("."), documented=_(DOCUMENTED)
            ),
            hint=_(DOCUMENTED),
        )
    if isinstance(exc, UnicodeDecodeError):
        fix = _("include only UTF-8 text files")
        return Problem(
            file, line, message=_("template error: an included file is not UTF-8 text; {fix}").format(fix=fix), hint=fix
        )
    message = exc.message if isinstance(exc, jinja2.TemplateError) and exc.message else str(exc)
    return Problem(file, line, message=_("template error: {message}").format(message=message))


def _where(env: jinja2.Environment, exc: Exception) -> tuple[str | None, int]:
    """Find the template file and line of an error: a syntax error says; at run time, Jinja's traceback does."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return exc.filename, exc.lineno
    folders = [Path(f) for f in getattr(env.loader, "searchpath", [])]
    found: tuple[str | None, int] = (None, 0)
    tb = exc.__traceback__
    while tb is not None:  # Jinja rewrites the traceback so template lines appear as frames of the template's file
        name = tb.tb_frame.f_code.co_filename
        if any(Path(name).is_relative_to(folder) for folder in folders):
            found = (name, tb.tb_lineno)
        tb = tb.tb_next
    return found
