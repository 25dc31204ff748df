"""Turn a Microsoft Forms or Google Forms export into story files.

Each row becomes one inputs/stories/<id>.yaml. Columns are mapped to story
fields by the user (`--map COLUMN=FIELD`), constants given with `--set`.
Every row is checked before anything is written: its values, its themes and
event, its teller's consent, and finally the whole project with the new
files in place, so files that are written always pass `compendium check`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import babel.dates
import yaml
from pydantic import ValidationError

from compendium.commands.tables import Cell, Table, column_letter
from compendium.consent import CONTENT_CHECKS, DEFAULT_CONSENT, names_in
from compendium.consent.policy import ANONYMOUS, NAMED, ROLE_ONLY, withholds_name
from compendium.content import model as m
from compendium.content.dates import PartialDate, split_approximate
from compendium.content.validate import Content, load_content, photos
from compendium.errors import (
    CompendiumError,
    Fault,
    InputError,
    Problem,
    Refused,
    did_you_mean,
    in_brackets,
    suggest,
)
from compendium.messages import N_, _
from compendium.output import create_file
from compendium.project import PROJECT_FILE, Project, find_project

# The story fields a column can fill, and what each expects.
FIELDS = {
    "title": "the story's title",
    "workplace": "where the story took place, e.g. 'Jobcenter Viborg'",
    "municipality": "the municipality",
    "date": "the date the story was told (a date, or a form's timestamp)",
    "themes": "theme ids or titles, separated by ';' or ','",
    "event": "the id or title of the event the story was collected at",
    "body": "the story itself; several columns are joined as paragraphs",
    "teller.name": "the teller's name",
    "teller.role": "the teller's role, e.g. 'sagsbehandler'",
    "teller.workplace": "the teller's workplace",
    "teller.source": "the id or title of the source (a press report) the story is taken from",
    "consent": "the answer to the consent question (see the README for the answers understood)",
}
# A story's workplace is printed when known, and left out when not (a press report may not say).
REQUIRED = ("title", "date", "themes", "body")
NEEDS = {
    "title": N_("a title"),
    "workplace": N_("a workplace"),
    "date": N_("a date"),
    "themes": N_("a theme"),
    "body": N_("its text"),
}

# Consent answers understood, after lower-casing and dropping a final full stop.
# Anything else is a row error: guessing at consent is never safe.
CONSENT_ANSWERS: dict[str, m.Consent] = {
    **dict.fromkeys(
        ("ja, med navn", "ja med navn", "med navn", "ja, gerne med navn", "yes, with my name", "yes, with name"),
        NAMED,
    ),
    **dict.fromkeys(
        (
            "kun rolle",
            "ja, kun rolle",
            "ja, men kun med rolle",
            "kun min rolle",
            "kun funktion",
            "ja, uden navn",
            "uden navn",
            "only my role",
            "role only",
            "yes, without my name",
        ),
        ROLE_ONLY,
    ),
    **dict.fromkeys(("nej", "anonym", "anonymt", "ja, anonymt", "no", "anonymous", "anonymously"), ANONYMOUS),
    # The levels themselves, for a sheet an editor has already cleaned up.
    **{level: level for level in (NAMED, ROLE_ONLY)},
}
MAX_ID_LENGTH = 50


class RowProblem(Problem):
    """A problem in one row of a spreadsheet, shown by row and column rather than line."""

    def __str__(self) -> str:
        where = f"{self.file}: row {self.line}"
        if self.key_path:
            where += f", {self.key_path}"
        kind = " warning:" if self.warning else ""
        return f"{where}:{kind} {self.message}"


@dataclass
class Planned:
    """A story to create, with the row it came from."""

    row: int
    path: Path
    data: dict[str, Any]

    @property
    def ident(self) -> str:
        """Return the story's id."""
        return str(self.data["id"])


@dataclass
class Plan:
    """What an import would create, and what it found wrong."""

    stories: list[Planned] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Mapping:
    """Which columns fill which fields, and the constants given with --set."""

    columns: dict[str, list[int]]
    constants: dict[str, str]

    def source(self, table: Table, name: str) -> str:
        """Describe where a field's value comes from, for messages."""
        if name in self.constants:
            return f"--set {name}"
        index = self.columns[name][0]
        return _("column {letter} '{header}'").format(letter=column_letter(index), header=table.header[index])


# --- mapping columns to fields ----------------------------------------------


def _field_name(name: str, option: str) -> str:
    """Check a field name given to --map or --set."""
    if name not in FIELDS:
        raise CompendiumError(
            _("{option}: unknown field '{name}'{hint}; the fields are {fields}").format(
                option=option, name=name, hint=suggest(name, FIELDS), fields=", ".join(FIELDS)
            )
        )
    return name


def _find_column(table: Table, name: str) -> int:
    """Find a column by its header (spaces and case ignored) or its letter."""
    wanted = " ".join(name.split()).casefold()
    for i, header in enumerate(table.header):
        if header.casefold() == wanted:
            return i
    letters = [column_letter(i) for i in range(len(table.header))]
    if name.upper() in letters:
        return letters.index(name.upper())
    # Form headers are whole questions: a column named by part of its question is the likeliest meaning.
    partial = [h for h in table.header if wanted in h.casefold()]
    hint = (
        _(" (did you mean '{partial}'?)").format(partial=partial[0])
        if len(partial) == 1
        else suggest(name, table.header)
    )
    raise CompendiumError(
        _("--map: no column '{name}' in {file}{hint}; its columns are ").format(name=name, file=table.name, hint=hint)
        + ", ".join(f"{column_letter(i)} '{h}'" for i, h in enumerate(table.header))
    )


def make_mapping(table: Table, maps: Iterable[str], sets: Iterable[str]) -> Mapping:
    """Read --map COLUMN=FIELD and --set FIELD=VALUE options, and require every needed field."""
    columns: dict[str, list[int]] = {}
    for item in maps:
        column, sep, name = item.rpartition("=")
        if not sep or not column.strip():
            raise CompendiumError(
                _("--map '{item}': write it as COLUMN=FIELD, e.g. --map 'Titel=title'").format(item=item)
            )
        name = _field_name(name.strip(), "--map")
        if name in columns and name != "body":
            raise CompendiumError(
                _("--map: two columns are mapped to '{name}'; only 'body' can take several").format(name=name)
            )
        columns.setdefault(name, []).append(_find_column(table, column.strip()))
    constants: dict[str, str] = {}
    for item in sets:
        name, sep, value = item.partition("=")
        if not sep:
            raise CompendiumError(
                _("--set '{item}': write it as FIELD=VALUE, e.g. --set 'themes=tillid'").format(item=item)
            )
        name = _field_name(name.strip(), "--set")
        if name in columns:
            raise CompendiumError(_("'{name}' is given both by --map and by --set; use one of them").format(name=name))
        constants[name] = value.strip()
    missing = [name for name in REQUIRED if name not in columns and name not in constants]
    if missing:
        listed = ", ".join(f"{column_letter(i)} '{h}'" for i, h in enumerate(table.header))
        raise CompendiumError(
            _(
                "no column is mapped to {missing}; add --map 'COLUMN=FIELD' (or --set FIELD=VALUE) for each. The columns of {name} are: {listed}"
            ).format(missing=", ".join(repr(n) for n in missing), name=table.name, listed=listed)
        )
    return Mapping(columns, constants)


# --- reading values ---------------------------------------------------------

_DANISH_MONTHS = {name.casefold(): n for n, name in babel.dates.get_month_names("wide", locale="da").items()}
# A form's timestamp may follow the date ("12-10-2026 14.03.22", "… 2:03:22 PM GMT+2"); only the date is kept.
_NUMERIC_DATE = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})(?:[ T,].*)?")
_LONG_DATE = re.compile(r"(\d{1,2})\.? (\w+) (\d{4})")


_MONTH_YEAR = re.compile(r"(\w+) (\d{4})")


def parse_date(value: Cell) -> PartialDate:
    """Read a date as precisely as a form gives it: an Excel date, ISO (2026-10-12, 2026-10, 2026),
    day first (12-10-2026, 12/10/26), '12. oktober 2026' or 'oktober 2026'; 'ca. ' in front when approximate."""
    if isinstance(value, dt.datetime):
        return PartialDate.of(value.date())
    if isinstance(value, dt.date):
        return PartialDate.of(value)
    text, approximate = split_approximate(value)
    found = _read_date(text)
    if found is None:
        raise ValueError(text)
    return dataclasses.replace(found, approximate=approximate)


def _read_date(text: str) -> PartialDate | None:
    """Read one of the forms parse_date takes, without 'ca.'; None when it is none of them."""
    try:
        if iso := re.fullmatch(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T].*)?", text):
            year, month, day = (int(g) for g in iso.groups())
            return PartialDate(year, month, day)
        if found := _NUMERIC_DATE.fullmatch(text):
            day, month, year = (int(g) for g in found.groups())
            return PartialDate(year + 2000 if year < 100 else year, month, day)
        if (found := _LONG_DATE.fullmatch(text)) and found.group(2).casefold() in _DANISH_MONTHS:
            return PartialDate(int(found.group(3)), _DANISH_MONTHS[found.group(2).casefold()], int(found.group(1)))
        if (found := _MONTH_YEAR.fullmatch(text)) and found.group(1).casefold() in _DANISH_MONTHS:
            return PartialDate(int(found.group(2)), _DANISH_MONTHS[found.group(1).casefold()])
        if re.fullmatch(r"\d{4}(-\d{2})?", text):
            return PartialDate.parse(text)
    except Refused:
        return None
    return None


def consent_level(answer: str) -> m.Consent:
    """Map a consent answer to a consent level; raise KeyError for an answer not in the list."""
    return CONSENT_ANSWERS[" ".join(answer.split()).casefold().rstrip(".!")]


def _text(value: Cell) -> str:
    """Return a cell as text; a date in a text field is written the ISO way."""
    return value.isoformat() if isinstance(value, dt.date) else value


def _paragraphs(text: str) -> str:
    """Normalise a multi-line answer: no trailing spaces, at most one blank line between paragraphs."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _lookup(value: str, options: dict[str, str], what: str) -> str:
    """Find an id by itself or by its title, ignoring case and spaces."""
    key = " ".join(value.split()).casefold()
    if key in options:
        return options[key]
    hint = did_you_mean(key, options)
    raise Refused(
        Fault(_("unknown {what} '{value}'{hint}").format(what=what, value=value, hint=in_brackets(hint)), hint)
    )


# --- ids and files ----------------------------------------------------------


def slug(title: str) -> str:
    """Make an id from a title: 'Gåturen i Ølgod' → 'gaaturen-i-oelgod'."""
    text = title.casefold().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(text) > MAX_ID_LENGTH:
        text = text[:MAX_ID_LENGTH].rsplit("-", 1)[0]
    return text or "historie"


def unique(ident: str, taken: set[str]) -> str:
    """Add -2, -3 … to an id until nothing else uses it."""
    candidate, n = ident, 1
    while candidate in taken:
        n += 1
        candidate = f"{ident}-{n}"
    return candidate


class _Dumper(yaml.SafeDumper):
    """Write multi-line text as a literal block, so a story reads like the answer did."""


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_str)


def story_yaml(data: dict[str, Any], source: str, row: int) -> str:
    """Write a story file's text."""
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    return f"# Imported from {source}, row {row}, by 'compendium import stories'.\n{body}"


# --- one row ------------------------------------------------------------------


class _Row:
    """Turn one spreadsheet row into story data, collecting its problems."""

    def __init__(self, table: Table, mapping: Mapping, content: Content, number: int, cells: list[Cell]) -> None:
        self.table, self.mapping, self.content = table, mapping, content
        self.number, self.cells = number, cells
        self.problems: list[Problem] = []

    def fail(self, name: str, message: str, hint: str = "") -> None:
        """Record a problem with a field's column; hint is the fix the message ends with."""
        source = self.mapping.source(self.table, name)
        self.problems.append(RowProblem(self.table.name, self.number, 0, source, message, hint=hint))

    def raw(self, name: str) -> list[Cell]:
        """Return the cells (or the constant) that fill a field."""
        if name in self.mapping.constants:
            return [self.mapping.constants[name]]
        return [self.cells[i] if i < len(self.cells) else "" for i in self.mapping.columns.get(name, [])]

    def text(self, name: str) -> str | None:
        """Return a field's text, or None when it is empty or not mapped."""
        parts = [_paragraphs(_text(c)) for c in self.raw(name)]
        joined = "\n\n".join(p for p in parts if p)
        return joined or None

    def data(self) -> dict[str, Any] | None:
        """Build the story's fields (without its id); None when something is wrong."""
        out: dict[str, Any] = {}
        for name in ("title", "workplace", "municipality"):
            if (value := self.text(name)) is not None:
                out[name] = " ".join(value.split())
        out["teller"] = self.teller()
        out["date"] = self.date()
        if (event := self.text("event")) is not None:
            out["event"] = self.lookup("event", event, {e.id: e.id for e in self.content.events}, self.event_titles())
        out["themes"] = self.themes()
        out["body"] = self.text("body")
        for name in REQUIRED:
            if out.get(name) in (None, "", []) and not any(
                p.key_path == self.mapping.source(self.table, name) for p in self.problems
            ):
                self.fail(
                    name,
                    _("empty; every story needs {needs}").format(needs=_(NEEDS[name])),
                    _("every story needs {needs}").format(needs=_(NEEDS[name])),
                )
        if not self.problems:
            self.validate(out)
        return None if self.problems else out

    def event_titles(self) -> dict[str, str]:
        """Map each event's title to its id."""
        return {e.title: e.id for e in self.content.events}

    def lookup(self, name: str, value: str, ids: dict[str, str], titles: dict[str, str], what: str = "") -> str | None:
        """Find an id given as itself or as a title."""
        options = {" ".join(k.split()).casefold(): v for k, v in {**titles, **ids}.items()}
        try:
            return _lookup(value, options, what or name)
        except Refused as exc:
            self.fail(name, exc.fault.message, exc.fault.hint)
            return None

    def themes(self) -> list[str]:
        """Read a list of themes, given by id or title."""
        value = self.text("themes") or ""
        ids = {t.id: t.id for t in self.content.themes}
        titles = {t.title: t.id for t in self.content.themes}
        # Titles may hold commas, so first try the whole value and ';' (Microsoft Forms' separator).
        parts = [p for p in re.split(r"[;\n]", value) if p.strip()]
        found: list[str] = []
        for part in parts:
            options = {" ".join(k.split()).casefold(): v for k, v in {**titles, **ids}.items()}
            pieces = (
                [part] if " ".join(part.split()).casefold() in options else [p for p in part.split(",") if p.strip()]
            )
            for piece in pieces:
                theme = self.lookup("themes", piece.strip(), ids, titles, "theme")
                if theme and theme not in found:
                    found.append(theme)
        return found

    def date(self) -> str | dt.date | None:
        """Read the date field: a whole day as a date, a month, a year or an approximate date as the editor writes it."""
        cells = self.raw("date")
        if not cells or not _text(cells[0]).strip():
            return None
        try:
            found = parse_date(cells[0])
        except ValueError:
            fix = _("write e.g. 2026-10-12 or 12-10-2026 (day first), or 2026-10 or 2026 when the day is not known")
            self.fail("date", _("'{text}' is not a date; {fix}").format(text=_text(cells[0]), fix=fix), fix)
            return None
        if found.precision == "day" and not found.approximate:
            return found.first_day()  # the whole day is known: YAML writes it as 2026-10-12
        return str(found)

    def teller(self) -> dict[str, Any]:
        """Build the teller: their consent answer decides what may be printed later."""
        teller: dict[str, Any] = {}
        for key in ("name", "role", "workplace"):
            if (value := self.text(f"teller.{key}")) is not None:
                teller[key] = " ".join(value.split())
        if (source := self.text("teller.source")) is not None:
            sources = self.content.publication.sources
            found = self.lookup(
                "teller.source", source, {s.id: s.id for s in sources}, {s.title: s.id for s in sources}, "source"
            )
            teller["source"] = found
        answer = self.text("consent")
        if "consent" not in self.mapping.columns and "consent" not in self.mapping.constants:
            if teller.keys() != {"source"}:  # a press report with no person in it is credited to the source
                teller["consent"] = DEFAULT_CONSENT  # no consent question: nothing about the teller is printed
        elif answer is None:
            fix = _("without consent the story cannot be imported (answers: see the README)")
            self.fail("consent", _("no answer; {fix}").format(fix=fix), fix)
        else:
            try:
                teller["consent"] = consent_level(answer)
            except KeyError:
                known = _("'Ja, med navn' (named), 'Kun rolle' (role-only), 'Nej' (anonymous)")
                fix = _("expected e.g. {known}; see the README for all").format(known=known)
                self.fail("consent", _("unknown answer '{answer}'; {fix}").format(answer=answer, fix=fix), fix)
        if teller.get("consent") == NAMED and not teller.get("name"):
            self.fail("consent", _("the teller agreed to be named, but the name is empty"))
        return teller

    def validate(self, data: dict[str, Any]) -> None:
        """Check the story against the model and against naming people without consent."""
        try:
            m.Story.model_validate({"id": "x", **data})
        except ValidationError as exc:
            for error in exc.errors():
                loc = [str(p) for p in error["loc"]]
                name = ".".join(loc[:2]) if loc[0] == "teller" else loc[0]
                name = "consent" if name == "teller.consent" else name
                self.fail(name if name in FIELDS else "title", error["msg"])
        name, consent = data["teller"].get("name"), data["teller"].get("consent")
        if name and withholds_name(consent):
            for key in ("title", "body"):
                if names_in(data[key], [name]):
                    fix = _("remove the name from the text")
                    self.fail(
                        key,
                        _("names the teller '{name}', whose consent is '{consent}'; {fix}").format(
                            name=name, consent=consent, fix=fix
                        ),
                        fix,
                    )


# --- the whole import ---------------------------------------------------------


def _fingerprint(data: dict[str, Any]) -> tuple[str, str]:
    """Return what makes two stories the same: their title and text, ignoring spacing and case."""
    return (" ".join(data["title"].split()).casefold(), " ".join(data["body"].split()).casefold())


def plan_import(project: Project, table: Table, mapping: Mapping) -> Plan:
    """Work out the story files a table would become, checking every row."""
    content = load_content(project, checks=CONTENT_CHECKS)
    folder = project.inputs / "stories"
    plan = Plan(notes=list(table.notes))
    taken = {s.id for s in content.stories} | {p.stem for p in folder.glob("*")}
    existing = {_fingerprint(s.model_dump()): s.id for s in content.stories}
    seen: dict[tuple[str, str], int] = {}
    for number, cells in table.rows:
        row = _Row(table, mapping, content, number, cells)
        data = row.data()
        plan.problems += row.problems
        if data is None:
            continue
        key = _fingerprint(data)
        if key in seen:
            plan.warnings.append(
                RowProblem(
                    table.name,
                    number,
                    0,
                    "",
                    _("duplicate of row {row} (same title and story); skipped").format(row=seen[key]),
                    True,
                    "skipped",
                )
            )
            continue
        if key in existing:
            plan.warnings.append(
                RowProblem(
                    table.name,
                    number,
                    0,
                    "",
                    _("already imported as {file}.yaml; skipped").format(file=project.rel(folder / existing[key])),
                    True,
                    "skipped",
                )
            )
            continue
        seen[key] = number
        ident = unique(slug(data["title"]), taken)
        taken.add(ident)
        plan.stories.append(Planned(number, folder / f"{ident}.yaml", {"id": ident, **data}))
    if plan.stories:
        found = _check_with(project, content, plan, table.name)
        # A row the project check refuses is not written, even with --skip-invalid.
        bad = {p.line for p in found if isinstance(p, RowProblem)}
        attributed = all(isinstance(p, RowProblem) for p in found)
        plan.stories = [s for s in plan.stories if s.row not in bad] if attributed else []
        plan.problems += found
    plan.problems.sort()
    return plan


def _check_with(project: Project, content: Content, plan: Plan, source: str) -> list[Problem]:
    """Validate the whole project with the new files in place, as `compendium check` will."""
    with tempfile.TemporaryDirectory(prefix="compendium-import-") as tmp:
        root = Path(tmp)
        shutil.copy2(project.root / PROJECT_FILE, root / PROJECT_FILE)
        shutil.copytree(project.inputs, root / project.rel(project.inputs))
        # The files the inputs name outside inputs/ too: photos, the logo, the brand's fonts.
        for file in [photo.file for photo in photos(content)] + sorted(content.fonts):
            target = root / file
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(project.root / file, target)
        rows = {}
        for story in plan.stories:
            path = root / project.rel(story.path)
            path.write_text(story_yaml(story.data, source, story.row), encoding="utf-8")
            rows[project.rel(story.path)] = story.row
        try:
            load_content(find_project(explicit=root), checks=CONTENT_CHECKS)
        except InputError as exc:
            return [
                RowProblem(source, rows[p.file], 0, p.key_path, p.message, hint=p.hint) if p.file in rows else p
                for p in exc.problems
            ]
    return []


def write_stories(plan: Plan, source: str) -> list[Path]:
    """Create the planned files, all or none: an existing file is never overwritten, and on failure none is left."""
    written: list[Path] = []
    try:
        for story in plan.stories:
            create_file(story.path, story_yaml(story.data, source, story.row))  # never overwrites
            written.append(story.path)
    except FileExistsError:
        _remove(written)
        raise CompendiumError(
            _("{path} appeared while importing; it was not overwritten, and nothing was imported").format(
                path=story.path
            )
        ) from None
    except OSError as exc:
        _remove(written)
        fix = _("check that the folder exists and that you may write to it")
        raise CompendiumError(
            _("cannot write {path}: {exc}; nothing was imported ({fix})").format(
                path=story.path, exc=exc.strerror or exc, fix=fix
            )
        ) from None
    return written


def _remove(paths: list[Path]) -> None:
    """Remove the files this import created, so a failed import leaves the inputs as they were."""
    for path in paths:
        path.unlink(missing_ok=True)
