"""The command line: thin commands over the build stages.

Exit codes: 0 success, 1 input or build error, 2 usage error (Click's own).
"""

from __future__ import annotations

import shlex
import sys
import traceback
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from . import __version__
from .errors import CompendiumError, InputError, plural

if TYPE_CHECKING:
    from .build import BuildResult
    from .importer import Plan
    from .project import Project

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
) -> None:
    """Turn YAML workshop inputs into a compendium and a debate paper, as HTML and PDF."""


def _run(debug: bool, action: Callable[[], T]) -> T:
    """Run a command, turning errors into messages and exit code 1."""
    try:
        return action()
    except InputError as exc:
        for problem in exc.problems:
            typer.echo(str(problem), err=True)
        typer.echo(f"Error: {exc.summary()}", err=True)
        if debug:
            traceback.print_exc()
    except CompendiumError as exc:
        typer.echo(f"Error: {exc}", err=True)
        if debug:
            traceback.print_exc()
    except KeyboardInterrupt:
        typer.echo("Error: interrupted; the previous outputs are unchanged", err=True)
    except Exception as exc:
        if debug:
            traceback.print_exc()
        typer.echo(f"Error: internal error: {type(exc).__name__}: {exc} (run with --debug for details)", err=True)
    raise typer.Exit(1)


def _project(explicit: Path | None) -> Project:
    """Find the project for a command."""
    from .project import find_project

    return find_project(explicit=explicit)


def _shown(path: Path) -> str:
    """Show a path relative to the working folder when it is below it."""
    absolute = path.absolute()
    return str(absolute.relative_to(Path.cwd())) if absolute.is_relative_to(Path.cwd()) else str(path)


@app.command()
def build(
    only: Annotated[Document | None, typer.Option(help="Build only this document.")] = None,
    format: Annotated[Format | None, typer.Option("--format", help="Make only this format.")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Output folder (default: build/).")] = None,
    strict: StrictOption = False,
    edition: Annotated[
        EditionChoice,
        typer.Option(
            help="public prints people as their consent allows; internal prints every name, "
            "marked 'not for distribution', into build/internal/."
        ),
    ] = EditionChoice.public,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors and the summary.")] = False,
    changes_since: Annotated[
        str | None,
        typer.Option("--changes-since", metavar="REV", help="Add an appendix of what changed since this git revision."),
    ] = None,
    project: ProjectOption = None,
    debug: DebugOption = False,
) -> None:
    """Build the compendium and the debate paper as HTML and PDF."""
    from .build import FORMATS
    from .build import build as run_build

    live = sys.stderr.isatty()

    def progress(message: str, transient: bool) -> None:
        # Page counts are only worth showing on a terminal, where they overwrite each other.
        if quiet or (transient and not live):
            return
        if live:  # rewrite the current line; a finished step keeps its own line
            typer.echo(f"\r\033[K  {message}" + ("" if transient else " …\n"), err=True, nl=False)
        else:
            typer.echo(f"  {message} …", err=True)

    def action() -> BuildResult:
        try:
            return run_build(
                _project(project),
                only=only.value if only else None,
                formats=(format.value,) if format else FORMATS,
                output=output.resolve() if output else None,
                strict=strict,
                edition=edition.value,
                progress=progress,
                changes_since=changes_since,
            )
        finally:
            if live and not quiet:
                typer.echo("\r\033[K", err=True, nl=False)  # clear the last page count, before any error

    result = _run(debug, action)
    for warning in result.warnings:
        typer.echo(warning, err=True)
    for note in result.notes:
        typer.echo(note, err=True)
    shown = []
    for path in result.outputs:
        pages = result.pages.get(path.stem) if path.suffix == ".pdf" else None
        shown.append(_shown(path) + (f" ({pages} pages)" if pages else ""))
    typer.echo(f"Built {len(result.outputs)} outputs in {result.seconds:.1f} s: {', '.join(shown)}")


@app.command()
def check(
    strict: StrictOption = False,
    project: ProjectOption = None,
    debug: DebugOption = False,
) -> None:
    """Validate every input file and report every problem; write nothing."""
    from .build import check as run_check

    checked = _run(debug, lambda: run_check(_project(project), strict=strict))
    content = checked.content
    for warning in checked.warnings:
        typer.echo(str(warning), err=True)
    typer.echo(
        f"OK: {plural(len(content.files), 'file')}, {plural(len(content.themes), 'theme')}, "
        f"{plural(len(content.events), 'event')}, {plural(len(content.stories), 'story', 'stories')}; "
        f"{plural(len(checked.warnings), 'warning')}"
    )


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Folder for the new project; must be empty or new.")],
    debug: DebugOption = False,
) -> None:
    """Create a new project with a small working example."""
    from .scaffold import create_project

    _run(debug, lambda: create_project(directory))
    shown = _shown(directory)
    typer.echo(f"Created a project in {shown}; run 'cd {shlex.quote(shown)} && compendium build'")


class Colour(StrEnum):
    """When to colour a word diff."""

    auto = "auto"
    always = "always"
    never = "never"


@app.command()
def diff(
    revision: Annotated[str, typer.Argument(help="The older git revision: a hash, branch, tag or e.g. HEAD~1.")],
    revision2: Annotated[
        str | None, typer.Argument(help="The newer revision (default: the working tree).", show_default=False)
    ] = None,
    color: Annotated[Colour, typer.Option("--color", help="Colour the word diff.")] = Colour.auto,
    project: ProjectOption = None,
    debug: DebugOption = False,
) -> None:
    """Show the proposals, statements, stories and wishes added, removed or reworded between two revisions."""
    import os

    from .diff import coloured, compare_project, describe, format_changes, plain, summary

    found = _run(debug, lambda: compare_project(_project(project), revision, revision2))
    use_colour = color == Colour.always or (
        color == Colour.auto and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    )
    typer.echo(f"Changes from {describe(found.old)} to {describe(found.new)}:\n")
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
    from .importer import make_mapping, plan_import, write_stories
    from .tables import read_table

    def action() -> Plan:
        where = _project(project)
        table = read_table(file, sheet)
        plan = plan_import(where, table, make_mapping(table, maps or [], sets or []))
        for line in [*plan.notes, *(str(p) for p in plan.warnings)]:
            typer.echo(line, err=True)
        if plan.problems and not skip_invalid:
            raise InputError(plan.problems)
        for problem in plan.problems:
            typer.echo(f"{problem} (row skipped)", err=True)
        if write:
            write_stories(plan, file.name)
        return plan

    plan = _run(debug, action)
    if not plan.stories:
        typer.echo(f"Nothing to import from {file.name}.")
        return
    verb = "Created" if write else "Would create"
    typer.echo(f"{verb} {plural(len(plan.stories), 'story', 'stories')} from {file.name}:")
    for story in plan.stories:
        typer.echo(f"  {_shown(story.path)}  (row {story.row}) {story.data['title']}")
    if not write:
        typer.echo("Dry run: nothing was written. Add --write to create these files.")


def run() -> None:
    """Entry point for the console script."""
    app(prog_name="compendium")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run())  # type: ignore[func-returns-value]
