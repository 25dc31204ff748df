"""The command line: thin commands over the build stages.

Exit codes: 0 success, 1 input or build error, 2 usage error (Click's own).
"""

from __future__ import annotations

import shlex
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from compendium import __version__
from compendium.errors import CompendiumError, InputError, Problem, plural
from compendium.messages import _, ngettext, use_language

if TYPE_CHECKING:
    from compendium.cache.check_record import CheckResult
    from compendium.commands.importer import Plan
    from compendium.commands.new import Created
    from compendium.content.dates import PartialDate
    from compendium.pipeline import BuildResult
    from compendium.project import Project

app = typer.Typer(
    help="Turn YAML workshop inputs into a compendium and a debate paper, as HTML and PDF.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

T = TypeVar("T")

ProjectOption = Annotated[
    Path | None,
    typer.Option("--project", "-p", help="The project folder (default: found upward from here).", file_okay=False),
]
DebugOption = Annotated[bool, typer.Option("--debug", help="Show a traceback on errors.")]
StrictOption = Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")]


class Document(StrEnum):
    """The documents a build can make."""

    compendium = "compendium"
    debate_paper = "debate-paper"


class EditionChoice(StrEnum):
    """The editions a build can make."""

    public = "public"
    internal = "internal"


class Format(StrEnum):
    """The output formats."""

    html = "html"
    pdf = "pdf"
    docx = "docx"
    data = "data"
    search = "search"


def _version(value: bool) -> None:
    """Print the version and stop."""
    if value:
        typer.echo(f"compendium {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help="The language of the messages: da or en (default: the locale's, from LANGUAGE, LC_ALL, "
            "LC_MESSAGES or LANG).",
        ),
    ] = None,
) -> None:
    """Turn YAML workshop inputs into a compendium and a debate paper, as HTML and PDF."""
    # Chosen here, before any command makes a message.
    use_language(lang)


def _run(debug: bool, action: Callable[[], T]) -> T:
    """Run a command, turning errors into messages and exit code 1."""
    try:
        return action()
    except InputError as exc:
        for problem in exc.problems:
            typer.echo(str(problem), err=True)
        typer.echo(_("Error: {summary}").format(summary=exc.summary()), err=True)
        if debug:
            traceback.print_exc()
    except CompendiumError as exc:
        typer.echo(_("Error: {error}").format(error=exc), err=True)
        if debug:
            traceback.print_exc()
    except KeyboardInterrupt:
        typer.echo(_("Error: interrupted; the previous outputs are unchanged"), err=True)
    except Exception as exc:
        if debug:
            traceback.print_exc()
        typer.echo(
            _("Error: internal error: {kind}: {exc} (run with --debug for details)").format(
                kind=type(exc).__name__, exc=exc
            ),
            err=True,
        )
    raise typer.Exit(1)


def _project(explicit: Path | None) -> Project:
    """Find the project for a command."""
    from compendium.project import find_project

    return find_project(explicit=explicit)


def _shown(path: Path) -> str:
    """Show a path relative to the working folder when it is below it."""
    absolute = path.absolute()
    return str(absolute.relative_to(Path.cwd())) if absolute.is_relative_to(Path.cwd()) else str(path)


OnlyOption = Annotated[Document | None, typer.Option(help="Build only this document.")]
FormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format",
        help="Make only this format: html, pdf, docx (Word), data (the open-data package) or search (the "
        "compendium's HTML with its search index). Default: publication.yaml's `formats`, else html, pdf and search.",
    ),
]
OutputOption = Annotated[Path | None, typer.Option("--output", "-o", help="Output folder (default: build/).")]


class PdfStandard(StrEnum):
    """The standards a build can make its PDFs to."""

    ua1 = "ua-1"
    a3a_ua1 = "a-3a+ua-1"


PdfStandardOption = Annotated[
    PdfStandard,
    typer.Option(
        help="ua-1: tagged PDF/UA-1; a-3a+ua-1: also PDF/A-3a (archival: sRGB output intent, "
        "PDF/A identifiers in the metadata)."
    ),
]
EditionOption = Annotated[
    EditionChoice,
    typer.Option(
        help="public prints people as their consent allows; internal prints every name, "
        "marked 'not for distribution', into build/internal/."
    ),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors and the summary.")]
ChangesSinceOption = Annotated[
    str | None,
    typer.Option("--changes-since", metavar="REV", help="Add an appendix of what changed since this git revision."),
]
NoCacheOption = Annotated[
    bool,
    typer.Option("--no-cache", help="Make everything afresh; neither use nor update the cache in .build-cache/."),
]
WorkersOption = Annotated[
    int | None,
    typer.Option(
        "--workers",
        min=1,
        help="Processes that lay out PDF pages at once (default: one per core). The PDFs are the same either way.",
    ),
]


@app.command()
def build(
    only: OnlyOption = None,
    format: FormatOption = None,
    output: OutputOption = None,
    strict: StrictOption = False,
    edition: EditionOption = EditionChoice.public,
    quiet: QuietOption = False,
    changes_since: ChangesSinceOption = None,
    no_cache: NoCacheOption = False,
    workers: WorkersOption = None,
    pdf_standard: PdfStandardOption = PdfStandard.ua1,
    project: ProjectOption = None,
    debug: DebugOption = False,
) -> None:
    """Build the compendium and the debate paper as HTML and PDF."""
    from compendium.pipeline import build as run_build

    live = sys.stderr.isatty()

    def action() -> BuildResult:
        try:
            return run_build(
                _project(project),
                only=only.value if only else None,
                formats=(format.value,) if format else None,
                output=output.resolve() if output else None,
                strict=strict,
                edition=edition.value,
                progress=_progress(quiet, live),
                changes_since=changes_since,
                use_cache=not no_cache,
                workers=workers,
                pdf_standard=pdf_standard.value,
            )
        finally:
            if live and not quiet:
                typer.echo("\r\033[K", err=True, nl=False)  # clear the last page count, before any error

    _print_built(_run(debug, action))


def _progress(quiet: bool, live: bool) -> Callable[[str, bool], None]:
    """Return how a build shows its progress: on one rewritten line on a terminal, else a line per step."""

    def progress(message: str, transient: bool) -> None:
        # Page counts are only worth showing on a terminal, where they overwrite each other.
        if quiet or (transient and not live):
            return
        if live:  # rewrite the current line; a finished step keeps its own line
            typer.echo(f"\r\033[K  {message}" + ("" if transient else " …\n"), err=True, nl=False)
        else:
            typer.echo(f"  {message} …", err=True)

    return progress


def _print_built(result: BuildResult) -> None:
    """Print a build's warnings and notes, then its summary line."""
    for warning in result.warnings:
        typer.echo(warning, err=True)
    for note in result.notes:
        typer.echo(note, err=True)
    shown = []
    for path in result.outputs:
        pages = result.pages.get(path.stem) if path.suffix == ".pdf" else None
        count = " " + ngettext("({n} page)", "({n} pages)", pages).format(n=pages) if pages else ""
        shown.append(_shown(path) + count)
    if result.up_to_date:
        typer.echo(
            _("Up to date, nothing changed since the last build ({seconds:.1f} s): {shown}").format(
                seconds=result.seconds, shown=", ".join(shown)
            )
        )
    else:
        typer.echo(
            _("Built {outputs} outputs in {seconds:.1f} s: {shown}").format(
                outputs=len(result.outputs), seconds=result.seconds, shown=", ".join(shown)
            )
        )


class CheckFormat(StrEnum):
    """How `check` reports problems."""

    text = "text"
    github = "github"
    json = "json"


@app.command()
def check(
    strict: StrictOption = False,
    format: Annotated[
        CheckFormat,
        typer.Option(
            "--format", help="text for people, github for GitHub Actions annotations, json for tools (on stdout)."
        ),
    ] = CheckFormat.text,
    project: ProjectOption = None,
    debug: DebugOption = False,
) -> None:
    """Validate every input file and report every problem; write nothing."""
    if format is not CheckFormat.text:
        _check_report(format, lambda: _checked(project, strict), debug)
        return
    _print_ok(_run(debug, lambda: _checked(project, strict)))


def _print_ok(checked: CheckResult) -> None:
    """Print a successful check's warnings and its summary line."""
    for warning in checked.warnings:
        typer.echo(str(warning), err=True)
    typer.echo(
        _("OK: {files}, {themes}, {events}, {stories}; {warnings}").format(
            files=plural(checked.counts.files, "{n} file", "{n} files"),
            themes=plural(checked.counts.themes, "{n} theme", "{n} themes"),
            events=plural(checked.counts.events, "{n} event", "{n} events"),
            stories=plural(checked.counts.stories, "{n} story", "{n} stories"),
            warnings=plural(len(checked.warnings), "{n} warning", "{n} warnings"),
        )
    )


def _checked(explicit: Path | None, strict: bool) -> CheckResult:
    """Check a project; when the last build checked these very files, print what it found."""
    from compendium.commands.check import check as run_check

    return run_check(explicit, strict)


def _check_report(format: CheckFormat, action: Callable[[], CheckResult], debug: bool) -> None:
    """Print a check's problems as GitHub annotations or JSON; exit 1 when it failed."""
    from compendium.errors import github_annotation
    from compendium.report import github_summary, to_json

    counts = None
    try:
        checked = action()
        problems = list(checked.warnings)
        counts = checked.counts
    except InputError as exc:
        problems = exc.problems
    except CompendiumError as exc:
        problems = [exc.as_problem()]
    except KeyboardInterrupt:
        problems = [Problem("", message="interrupted")]
    except Exception as exc:
        if debug:
            traceback.print_exc()
        problems = [
            Problem(
                "",
                message=_("internal error: {kind}: {exc} (run with --debug for details)").format(
                    kind=type(exc).__name__, exc=exc
                ),
            )
        ]
    if format is CheckFormat.json:
        typer.echo(to_json(problems, counts))
    else:
        for problem in problems:
            typer.echo(github_annotation(problem))
        typer.echo(github_summary(problems, counts))
    if counts is None:
        raise typer.Exit(1)


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Folder for the new project; must be empty or new.")],
    debug: DebugOption = False,
) -> None:
    """Create a new project with a small working example."""
    from compendium.commands.init import create_project

    _run(debug, lambda: create_project(directory))
    shown = _shown(directory)
    typer.echo(
        _("Created a project in {shown}; run 'cd {quoted} && compendium build'").format(
            shown=shown, quoted=shlex.quote(shown)
        )
    )


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="The address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="The port to listen on; 0 picks a free one.", min=0, max=65535)] = 8000,
    project: ProjectOption = None,
    debug: DebugOption = False,
) -> None:
    """Serve a live preview of the HTML that rebuilds and reloads when an input or template is saved."""
    from compendium.commands.serve import serve as run_serve

    _run(debug, lambda: run_serve(_project(project), host=host, port=port, echo=typer.echo))


class StatsFormat(StrEnum):
    """How `stats` prints."""

    text = "text"
    json = "json"


@app.command()
def stats(
    format: Annotated[StatsFormat, typer.Option("--format", help="text tables, or json for tools.")] = StatsFormat.text,
    project: ProjectOption = None,
    debug: DebugOption = False,
) -> None:
    """Count proposals, statements, stories and more per theme, event, municipality and status."""
    from compendium.commands.stats import compute, to_json, to_text
    from compendium.consent import CONTENT_CHECKS
    from compendium.content.validate import load_content

    counted = _run(debug, lambda: compute(load_content(_project(project), checks=CONTENT_CHECKS)))
    typer.echo(to_json(counted) if format is StatsFormat.json else to_text(counted))


class NewKind(StrEnum):
    """What `new` can start."""

    story = "story"
    event = "event"
    proposal = "proposal"
    statement = "statement"
    participant = "participant"


class Consent(StrEnum):
    """A participant's or teller's consent, for `new`."""

    named = "named"
    role_only = "role-only"
    anonymous = "anonymous"
    withdrawn = "withdrawn"


# The options of `new` for speakers who are not one consenting person and for where a statement comes from.
SpeakerOption = Annotated[
    str | None, typer.Option(help="The participant id (person, group or organisation) of who said a statement.")
]
UnnamedOption = Annotated[
    str | None, typer.Option(help="A statement's speaker nobody can name, printed as written: 'en borger'.")
]
PublisherOption = Annotated[
    bool, typer.Option("--publisher", help="The publisher's own statement or proposal, from no event.")
]
SourceOption = Annotated[
    str | None, typer.Option(help="A statement's source id, or the press report a story is taken from.")
]
ContextOption = Annotated[str | None, typer.Option(help="How a statement was said: 'til Fyens.dk'.")]
GroupOption = Annotated[
    str | None, typer.Option(help="A new participant that is a group: its description, e.g. 'et borgerpanel'.")
]
OrganisationOption = Annotated[str | None, typer.Option(help="A new participant that is an organisation: its name.")]
SizeOption = Annotated[int | None, typer.Option(min=1, help="How many people a new group is.")]


@app.command()
def new(
    kind: Annotated[NewKind, typer.Argument(help="What to start.")],
    title: Annotated[str | None, typer.Option(help="Title (story, event, proposal).")] = None,
    id: Annotated[str | None, typer.Option("--id", help="The id (default: made from the title or name).")] = None,
    event: Annotated[
        str | None, typer.Option(help="The event id: where a proposal or statement goes; a story's event.")
    ] = None,
    theme: Annotated[list[str] | None, typer.Option("--theme", help="A theme id; repeat for more.")] = None,
    date: Annotated[
        str | None,
        typer.Option(help="Date as precisely as known: 2025, 2025-03 or 2025-03-12, 'ca. 2025-03' (default: today)."),
    ] = None,
    place: Annotated[str | None, typer.Option(help="Where the event was.")] = None,
    event_kind: Annotated[
        str, typer.Option("--kind", help="The event's kind in your words: workshop, borgermøde, borgerpanel, survey …")
    ] = "workshop",
    speaker: SpeakerOption = None,
    unnamed: UnnamedOption = None,
    publisher: PublisherOption = False,
    source: SourceOption = None,
    context: ContextOption = None,
    group: GroupOption = None,
    organisation: OrganisationOption = None,
    size: SizeOption = None,
    teller: Annotated[str | None, typer.Option(help="The participant id of who tells a story.")] = None,
    text: Annotated[str | None, typer.Option(help="The quote, the proposal's summary or the story's body.")] = None,
    name: Annotated[str | None, typer.Option(help="A participant's name.")] = None,
    role: Annotated[str | None, typer.Option(help="A participant's role.")] = None,
    workplace: Annotated[str | None, typer.Option(help="A participant's or a story's workplace.")] = None,
    municipality: Annotated[str | None, typer.Option(help="A participant's or a story's municipality.")] = None,
    consent: Annotated[
        Consent | None, typer.Option(help="A person's or a story teller's consent (default: anonymous).")
    ] = None,
    project: ProjectOption = None,
    debug: DebugOption = False,
) -> None:
    """Start a new story, event, proposal, statement or participant, with every field and a comment.

    Stories and events get a new file; proposals and statements are added to an
    event's file, participants to participants.yaml, keeping the rest of the file
    as it is. Nothing is overwritten. Texts only you know are written as
    'UDFYLD: …' placeholders, which check warns about until they are replaced.
    """
    from compendium.commands.new import Options, create

    # Every option of the command but these four is a field of Options by the same name.
    given = {name: value for name, value in locals().items() if name in Options.__dataclass_fields__}
    options = Options(
        **given
        | {
            "themes": tuple(theme or ()),
            "date": _new_date(event_kind, date),
            "kind": event_kind,
            "consent": consent.value if consent else None,
        }
    )
    created = _run(debug, lambda: create(_project(project), kind.value, options))
    _say_created(kind.value, created)


def _new_date(event_kind: str, date: str | None) -> PartialDate | None:
    """Check `new`'s --kind and read its --date, as usage errors (exit 2)."""
    from compendium.content.dates import PartialDate
    from compendium.errors import Refused

    if not event_kind.strip():
        raise typer.BadParameter(
            _("give the kind of event in your own words, e.g. workshop or borgermøde"), param_hint="--kind"
        )
    try:
        return PartialDate.parse(date) if date else None
    except Refused as refused:
        raise typer.BadParameter(refused.fault.message, param_hint="--date") from None


def _say_created(kind: str, created: Created) -> None:
    """Tell what `new` wrote, and how many placeholders are left to fill in."""
    if created.appended:
        typer.echo(_("Added {kind} '{id}' to {file}").format(kind=_(kind), id=created.id, file=created.rel))
    else:
        typer.echo(_("Created {kind} '{id}' {file}").format(kind=_(kind), id=created.id, file=created.rel))
    if created.placeholders:
        typer.echo(
            _("Fill in {placeholders} marked UDFYLD; 'compendium check' lists them").format(
                placeholders=plural(created.placeholders, "{n} placeholder", "{n} placeholders")
            )
        )


@app.command()
def schema(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Folder for the schemas (default: schemas/ in the project).")
    ] = None,
    project: ProjectOption = None,
    debug: DebugOption = False,
) -> None:
    """Write a JSON Schema for each kind of input file, for editors that check YAML while you type."""
    from compendium.commands.schema import SCHEMA_FOLDER, write_schemas

    folder = output if output is not None else _run(debug, lambda: _project(project).root / SCHEMA_FOLDER)
    written = _run(debug, lambda: write_schemas(folder))
    typer.echo(
        _("Wrote {count} to {folder}: {files}").format(
            count=plural(len(written), "{n} schema", "{n} schemas"),
            folder=_shown(folder),
            files=", ".join(p.name for p in written),
        )
    )


class Colour(StrEnum):
    """When to colour a word diff."""

    auto = "auto"
    always = "always"
    never = "never"


@app.command()
def diff(
    revision: Annotated[
        str,
        typer.Argument(
            help="The older git revision: a hash, branch, tag or e.g. HEAD~1; or a range, A..B (from A to B) "
            "or A...B (from where B forked off A to B)."
        ),
    ],
    revision2: Annotated[
        str | None, typer.Argument(help="The newer revision (default: the working tree).", show_default=False)
    ] = None,
    color: Annotated[Colour, typer.Option("--color", help="Colour the word diff.")] = Colour.auto,
    project: ProjectOption = None,
    debug: DebugOption = False,
) -> None:
    """Show the proposals, statements, stories and wishes added, removed or reworded between two revisions."""
    import os

    from compendium.commands.diff import coloured, compare_project, describe, format_changes, plain, summary

    found = _run(debug, lambda: compare_project(_project(project), revision, revision2))
    use_colour = color == Colour.always or (
        color == Colour.auto and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    )
    typer.echo(_("Changes from {old} to {new}:\n").format(old=describe(found.old), new=describe(found.new)))
    for line in format_changes(found.changes, coloured if use_colour else plain):
        typer.echo(line, color=use_colour)
    typer.echo(("\n" if found.changes else "") + summary(found.changes))


import_app = typer.Typer(
    help="Import content from other tools.", no_args_is_help=True, add_completion=False, rich_markup_mode=None
)
app.add_typer(import_app, name="import")


@import_app.command(
    "stories",
    epilog="Fields: title, workplace, date, themes and body (required); municipality, event, teller.name, "
    "teller.role, teller.workplace, consent. Consent answers such as 'Ja, med navn', 'Kun rolle' and 'Nej' "
    "are understood (the README lists them all); without a consent column tellers are anonymous.",
)
def import_stories(
    file: Annotated[Path, typer.Argument(help="A Microsoft Forms or Google Forms export: .csv or .xlsx.")],
    maps: Annotated[
        list[str] | None,
        typer.Option(
            "--map", "-m", metavar="COLUMN=FIELD", help="Fill a story field from a column (header or letter)."
        ),
    ] = None,
    sets: Annotated[
        list[str] | None, typer.Option("--set", metavar="FIELD=VALUE", help="Give every story the same value.")
    ] = None,
    write: Annotated[
        bool, typer.Option("--write", help="Create the files (default: only show what would be made).")
    ] = False,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Import the valid rows even when others have problems.")
    ] = False,
    sheet: Annotated[str | None, typer.Option("--sheet", help="The XLSX sheet to read (default: the first).")] = None,
    project: ProjectOption = None,
    debug: DebugOption = False,
) -> None:
    """Turn the rows of a forms export into story files in inputs/stories/, one per row."""
    from compendium.commands.importer import make_mapping, plan_import, write_stories
    from compendium.commands.tables import read_table

    def action() -> Plan:
        where = _project(project)
        table = read_table(file, sheet)
        plan = plan_import(where, table, make_mapping(table, maps or [], sets or []))
        for line in [*plan.notes, *(str(p) for p in plan.warnings)]:
            typer.echo(line, err=True)
        if plan.problems and not skip_invalid:
            raise InputError(plan.problems)
        for problem in plan.problems:
            typer.echo(_("{problem} (row skipped)").format(problem=problem), err=True)
        if write:
            write_stories(plan, file.name)
        return plan

    plan = _run(debug, action)
    if not plan.stories:
        typer.echo(_("Nothing to import from {name}.").format(name=file.name))
        return
    n = len(plan.stories)
    if write:
        said = ngettext("Created {n} story from {file}:", "Created {n} stories from {file}:", n)
    else:
        said = ngettext("Would create {n} story from {file}:", "Would create {n} stories from {file}:", n)
    typer.echo(said.format(n=n, file=file.name))
    for story in plan.stories:
        row = _("(row {row})").format(row=story.row)
        typer.echo(f"  {_shown(story.path)}  {row} {story.data['title']}")
    if not write:
        typer.echo(_("Dry run: nothing was written. Add --write to create these files."))


def run() -> None:
    """Entry point for the console script."""
    use_language(None)  # the locale's, for the quick check; Typer's callback chooses again with --lang
    if sys.argv[1:2] == ["check"] and _quick_check(sys.argv[2:]):
        return
    app(prog_name="compendium")


def _quick_check(args: list[str]) -> bool:
    """Print the last build's check of these very files, without Typer; False to run the command as usual.

    Typer builds a pydantic adapter for every option (0.15 s, most of an
    unchanged check), so plain `check [--strict] [--format F] [--project DIR]
    [--debug]` is read here. Anything else, a miss, or a failed --strict check
    goes the usual way, which prints the same.
    """
    options = _check_options(args)
    if options is None:
        return False
    from compendium.cache.check_record import cached_check, find_root

    try:
        root = find_root(options.project)
        checked = cached_check(root, options.strict) if root else None
    except Exception:  # --strict refusing a warning, or anything unforeseen: the usual way reports it
        return False
    if checked is None:
        return False
    if options.format == "text":
        _print_ok(checked)
    else:
        _check_report(CheckFormat(options.format), lambda: checked, False)
    return True


@dataclass
class _CheckOptions:
    """check's options, as read by _check_options."""

    strict: bool = False
    debug: bool = False
    format: str = "text"
    project: Path | None = None


def _check_options(args: list[str]) -> _CheckOptions | None:
    """Read check's options when they are plain: each at most once, every value given; else None."""
    options = _CheckOptions()
    seen = set()
    rest = list(args)
    while rest:
        name, eq, value = rest.pop(0).partition("=")
        name = {"-p": "--project"}.get(name, name)
        if name in seen or name not in ("--strict", "--debug", "--format", "--project"):
            return None
        seen.add(name)
        if name in ("--strict", "--debug"):
            if eq:
                return None
            setattr(options, name[2:], True)
            continue
        if not eq:
            if not rest:
                return None
            value = rest.pop(0)
        if not value or value.startswith("-"):
            return None
        if name == "--format":
            if value not in ("text", "github", "json"):
                return None
            options.format = value
        else:
            options.project = Path(value)
    return options


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run())  # type: ignore[func-returns-value]
