"""`compendium new`: start a story, event, proposal, statement or participant.

A story or an event gets a new file; a proposal or statement is added to an
event's file, and a participant to participants.yaml, as text inserted into
the file, so the editor's comments and layout stay exactly as they were.
Nothing is ever overwritten.

Every field is written with a short Danish comment, as in `init`'s example.
What only the editor can know (a title, a summary, the quote itself) is
written as a placeholder starting with "UDFYLD:" ("fill in"); the result passes
`compendium check`, which warns about each placeholder left (so `--strict`
and CI catch one before it is printed). What cannot be guessed without
risk (which theme, who said a quote) must be given as an option.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from compendium.commands.schema import SCHEMA_FOLDER, modeline
from compendium.consent import DEFAULT_CONSENT, kind_consent_problem
from compendium.content.dates import PartialDate
from compendium.content.load import load_yaml
from compendium.content.model import ID_PATTERN
from compendium.content.validate import find
from compendium.errors import CompendiumError, did_you_mean, in_brackets
from compendium.messages import _
from compendium.output import create_file
from compendium.project import Project, input_files

PLACEHOLDER = "UDFYLD"
STATEMENTS_FOLDER = "statements"
PUBLISHER_FILE = "udgiveren"  # inputs/statements/udgiveren.yaml: the publisher's own words and proposals
KINDS = ("story", "event", "proposal", "statement", "participant")


@dataclass(frozen=True)
class Options:
    """What the editor gave on the command line."""

    title: str | None = None
    id: str | None = None
    event: str | None = None
    themes: tuple[str, ...] = ()
    date: PartialDate | None = None
    place: str | None = None
    kind: str = "workshop"
    speaker: str | None = None
    teller: str | None = None
    text: str | None = None
    name: str | None = None
    role: str | None = None
    workplace: str | None = None
    municipality: str | None = None
    consent: str | None = None  # None: not given (a new person or teller is then anonymous)
    # Speakers who are not one consenting person, and where a statement comes from.
    unnamed: str | None = None  # a statement's unnamed speaker, e.g. 'en borger'
    publisher: bool = False  # the publisher's own statement or proposal
    group: str | None = None  # a new participant that is a group: its description
    organisation: str | None = None  # a new participant that is an organisation: its name
    size: int | None = None  # how many people a new group is
    source: str | None = None  # a statement's source, or the source a story is taken from
    context: str | None = None  # how a statement was said, e.g. 'til Fyens.dk'

    @property
    def person_consent(self) -> str:
        """Return the consent given, or the default for a new person or teller."""
        return self.consent or DEFAULT_CONSENT


@dataclass(frozen=True)
class Created:
    """What `new` wrote: the file, the new id and the placeholders left to fill in."""

    path: Path
    rel: str  # relative to the project, as in check's messages
    id: str
    placeholders: int
    appended: bool


# --- ids --------------------------------------------------------------------


_TRANSLITERATE = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ü": "ue", "ö": "oe", "ä": "ae"})


def slug(text: str, words: int = 6) -> str:
    """Make an id from text: 'Gåturen i Aarhus' -> 'gaaturen-i-aarhus' (file-name safe)."""
    parts = re.findall(r"[a-z0-9]+", text.lower().translate(_TRANSLITERATE))
    return "-".join(parts[:words])


def next_free(base: str, taken: Iterable[str]) -> str:
    """Return base, or base-2, base-3 … whichever is not taken."""
    used = set(taken)
    if base not in used:
        return base
    n = 2
    while f"{base}-{n}" in used:
        n += 1
    return f"{base}-{n}"


def _given_id(ident: str, taken: Iterable[str], what: str) -> str:
    """Check an id the editor chose: well formed and not used."""
    if not ID_PATTERN.fullmatch(ident):
        raise CompendiumError(
            _("'{ident}' is not a valid id; use lower-case letters, digits and dashes").format(ident=ident)
        )
    if ident in set(taken):
        raise CompendiumError(
            _("a {what} with id '{ident}' already exists; choose another --id").format(what=_(what), ident=ident)
        )
    return ident


# --- text -------------------------------------------------------------------


def quote(text: str) -> str:
    """Write one line of text as a YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def plain_or_quoted(text: str) -> str:
    """Write one line of text plain when YAML reads it back as the same text ('borgermøde'), else quoted."""
    try:
        plain = yaml.safe_load(text) == text and "#" not in text and ":" not in text
    except yaml.YAMLError:
        plain = False
    return text if plain else quote(text)


def block(text: str, indent: str) -> str:
    """Write text as a YAML literal block (for Markdown)."""
    lines = text.strip("\n").splitlines() or [""]
    return "|\n" + "\n".join(f"{indent}  {line}" if line else "" for line in lines)


def placeholder(what: str) -> str:
    """Return the placeholder text for a required field."""
    return f"{PLACEHOLDER}: {what}"


def _count(text: str) -> int:
    """Count the placeholders in generated text."""
    return text.count(f"{PLACEHOLDER}:")


# --- reading the project ----------------------------------------------------


class _Ids:
    """The ids already used in a project, read from the raw files."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.events: dict[str, Path] = {}
        self.proposals: set[str] = set()
        self.statements: set[str] = set()
        for path in input_files(project.inputs / "events"):
            data = self._data(path)
            ident = data.get("id") if isinstance(data, dict) else None
            self.events[ident if isinstance(ident, str) else path.stem] = path
            self.proposals |= self._strings(data, ("proposals", "*", "id"))
            self.statements |= self._strings(data, ("statements", "*", "id"))
        self.collections: dict[str, Path] = {}  # inputs/statements/: statements and proposals from no event
        for path in input_files(project.inputs / STATEMENTS_FOLDER):
            data = self._data(path)
            self.collections[path.stem] = path
            self.proposals |= self._strings(data, ("proposals", "*", "id"))
            self.statements |= self._strings(data, ("statements", "*", "id"))
        self.sources = self._registry("publication.yaml", "sources")
        self.stories = set()
        for path in input_files(project.inputs / "stories"):
            self.stories |= {path.stem, *self._strings(self._data(path), ("id",))}
        self.themes = self._registry("themes.yaml", "themes")
        self.participants = self._registry("participants.yaml", "participants")

    def _data(self, path: Path) -> object:
        """Read a file's raw data; a file that does not parse is an error to fix first."""
        return load_yaml(path, self.project.rel(path)).data

    @staticmethod
    def _strings(data: object, pattern: tuple[str, ...]) -> set[str]:
        """Return the string values at a pattern."""
        return {v for _, v in find(data, pattern) if isinstance(v, str)}

    def _registry(self, name: str, key: str) -> list[str]:
        """Return the ids of a registry file, in file order."""
        path = self.project.inputs / name
        if not path.is_file():
            return []
        return [v for _, v in find(self._data(path), (key, "*", "id")) if isinstance(v, str)]

    def require(self, value: str, known: Sequence[str], what: str, option: str) -> str:
        """Refuse an id that the project does not have, naming the nearest one."""
        if value not in known:
            listed = (
                _("the {what}s are: {known}").format(what=_(what), known=", ".join(known))
                if known and len(known) <= 12
                else ""
            )
            hint = did_you_mean(value, known)
            message = _("unknown {what} '{value}' in {option}{hint}").format(
                what=_(what), value=value, option=option, hint=in_brackets(hint)
            ) + (f"; {listed}" if listed else "")
            raise CompendiumError(message, hint=hint or listed)
        return value

    def themes_of(self, options: Options) -> list[str]:
        """Return the themes given with --theme; at least one is required."""
        if not options.themes:
            listed = _("the themes are: {themes}").format(themes=", ".join(self.themes)) if self.themes else ""
            raise CompendiumError(_("give at least one --theme") + (f"; {listed}" if listed else ""), hint=listed)
        return [self.require(t, self.themes, "theme", "--theme") for t in options.themes]


# --- writing ----------------------------------------------------------------


def _write_new(path: Path, text: str) -> None:
    """Create a file; refuse if anything is already there."""
    try:
        create_file(path, text)
    except FileExistsError:
        raise CompendiumError(_("{path} already exists; nothing was written").format(path=path)) from None
    except OSError as exc:
        raise CompendiumError(_("cannot write {path}: {strerror}").format(path=path, strerror=exc.strerror)) from None


def _replace_atomically(path: Path, text: str) -> None:
    """Write a file's new text through a temporary file, so it is never half written."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise CompendiumError(_("cannot write {path}: {strerror}").format(path=path, strerror=exc.strerror)) from None


def insert_into_list(text: str, key: str, entry: str, rel: str) -> str:
    """Add an entry (dash at column 0) at the end of a top-level block list; leave every other byte as it was."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode):
        raise CompendiumError(_("{rel} is not a mapping of fields; fix it first").format(rel=rel))
    found = next(((k, v) for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)
    if found is None:  # no list yet: start one at the end of the file
        nl = "\r\n" if "\r\n" in text else "\n"
        sep = "" if text.endswith("\n") or not text else nl
        return f"{text}{sep}{nl}{key}:{nl}{_indent(entry, '  ')}"
    key_node, value = found
    if isinstance(value, yaml.SequenceNode) and not value.flow_style:
        dash = " " * value.start_mark.column
        return _insert_after_line(text, _last_line(text, value), _indent(entry, dash))
    empty = (isinstance(value, yaml.SequenceNode) and not value.value) or (
        isinstance(value, yaml.ScalarNode) and value.tag.endswith(":null")
    )
    if not empty:
        raise CompendiumError(
            _("{rel}: '{key}' is not a list written with '-' on each line; change it to that first").format(
                rel=rel, key=key
            )
        )
    # `key: []` or `key:` with nothing: the empty value goes, the entry follows the key's line.
    before, after = text[: value.start_mark.index].rstrip(" "), text[value.end_mark.index :]
    if after[:1] not in ("\n", ""):  # keep a comment after the [] on the key's line
        after = " " + after.lstrip(" ")
    return _insert_after_line(before + after, key_node.start_mark.line, _indent(entry, "  "))


def _indent(entry: str, prefix: str) -> str:
    """Indent every non-empty line of an entry."""
    return "".join(prefix + line if line.strip() else line for line in entry.splitlines(keepends=True))


def _last_line(text: str, seq: yaml.SequenceNode) -> int:
    """Return the 0-based line where a block list's last item ends, before any comments of what follows."""
    lines = text.splitlines()
    end = seq.value[-1].end_mark
    last = end.line if end.column > 0 else end.line - 1
    dash = seq.start_mark.column
    while last > seq.start_mark.line:
        stripped = lines[last].strip()
        indent = len(lines[last]) - len(lines[last].lstrip())
        if stripped and not (stripped.startswith("#") and indent <= dash):
            break
        last -= 1
    return last


def _insert_after_line(text: str, line: int, entry: str) -> str:
    """Insert text after a 0-based line."""
    lines = text.splitlines(keepends=True)
    nl = "\r\n" if "\r\n" in text else "\n"
    if line >= len(lines):
        sep = "" if not lines or lines[-1].endswith("\n") else nl
        return text + sep + entry
    if not lines[line].endswith("\n"):
        lines[line] += nl
    return "".join([*lines[: line + 1], entry, *lines[line + 1 :]])


# --- the kinds --------------------------------------------------------------


def _flow(ids: Sequence[str]) -> str:
    """Write ids as a flow list: [a, b]."""
    return "[" + ", ".join(ids) + "]"


def _optional(value: str | None) -> str:
    """Write an optional one-line text, or nothing (null) when it was not given."""
    return f" {quote(value)}" if value else ""


def _modeline(project: Project, kind: str) -> str:
    """Point a new file at its schema when the project has the schemas (from init or `compendium schema`)."""
    return modeline(kind, 2) if (project.root / SCHEMA_FOLDER / f"{kind}.schema.json").is_file() else ""


def new_story(project: Project, ids: _Ids, options: Options) -> Created:
    """Write inputs/stories/<id>.yaml."""
    themes = ids.themes_of(options)
    event = ids.require(options.event, list(ids.events), "event", "--event") if options.event else None
    if options.teller:
        ids.require(options.teller, ids.participants, "participant", "--teller")
    if options.source:
        ids.require(options.source, ids.sources, "source", "--source")
    taken = ids.stories
    ident = (
        _given_id(options.id, taken, "story")
        if options.id
        else next_free(slug(options.title or "") or "ny-historie", taken)
    )
    date = options.date or PartialDate.of(dt.date.today())
    teller = _story_teller(options)
    text = (
        _modeline(project, "story") + f"# En god historie. Filen skal hedde det samme som id'et: {ident}.yaml.\n"
        "# Erstat hver tekst, der begynder med UDFYLD; compendium check advarer om dem.\n\n"
        "# id: små bogstaver, tal og bindestreger; samme som filnavnet (påkrævet).\n"
        f"id: {ident}\n"
        "# Overskrift (påkrævet).\n"
        f"title: {quote(options.title or placeholder('overskrift'))}\n"
        "# Arbejdspladsen, historien kommer fra, og kommunen (kan udelades, hvis de ikke kendes).\n"
        f"workplace:{_story_workplace(options)}\n"
        f"municipality:{_optional(options.municipality)}\n"
        f"{teller}"
        "# Datoen, historien blev fortalt, så præcist den kendes: 2025, 2025-03 eller\n"
        "# 2025-03-12; 'ca. 2025-03', hvis den er omtrentlig (påkrævet).\n"
        f"date: {date}\n"
        "# Id'et på det arrangement, historien blev samlet ind på (kan udelades).\n"
        f"event:{' ' + event if event else ''}\n"
        "# Id'er på temaerne (mindst ét).\n"
        f"themes: {_flow(themes)}\n"
        "# true markerer opdigtet eksempelindhold (standard: false).\n"
        "example: false\n"
        "# Et billede til historien (kan udelades):\n"
        "# photo:\n"
        "#   file: inputs/photos/historie.jpg\n"
        "#   caption: Billedtekst\n"
        "#   alt: Beskrivelse af billedet\n"
        "#   credit: Fotografen\n"
        "# Selve historien (Markdown, påkrævet).\n"
        f"body: {block(options.text or placeholder('historien, i afsnit adskilt af en tom linje'), '')}\n"
    )
    path = project.inputs / "stories" / f"{ident}.yaml"
    _write_new(path, text)
    return Created(path, project.rel(path), ident, _count(text), appended=False)


def _story_workplace(options: Options) -> str:
    """Write a new story's workplace: as given, unknown for a press report, else a placeholder to fill in."""
    if options.workplace:
        return f" {quote(options.workplace)}"
    return "" if options.source else f" {quote(placeholder('arbejdsplads'))}"


def _story_teller(options: Options) -> str:
    """Write a new story's teller: the participant given with --teller, or a person of their own to fill in."""
    if options.source and not options.teller:
        consent = f"  consent: {options.consent}\n" if options.consent else ""
        return (
            "# Historien er gengivet fra en kilde (fx en avisartikel) og krediteres den. Giv også\n"
            "# name/role og consent, hvis en navngiven person fortæller i artiklen.\n"
            f"teller:\n  source: {options.source}\n{consent}"
        )
    if options.teller:
        return (
            "# Hvem der fortæller: en deltager fra participants.yaml …\n"
            f"teller:\n  participant: {options.teller}\n"
            "# … eller i stedet name, role, workplace og consent for en, der ikke er deltager.\n"
        )
    return (
        "# Hvem der fortæller: en person med sit eget samtykke (consent: named, role-only,\n"
        "# anonymous eller withdrawn). Name trykkes kun ved named. Eller i stedet\n"
        "# kun 'participant: <id>' for en deltager fra participants.yaml.\n"
        "teller:\n"
        "  name:\n"
        "  role:\n"
        "  workplace:\n"
        f"  consent: {options.person_consent}\n"
    )


# The fields of a new event that say who took part and where it is told: nothing to fill in from the options.
EVENT_PEOPLE_AND_SOURCES = (
    "# Id'et på den deltager, der ledede arrangementet (kan udelades).\n"
    "facilitator:\n"
    "# Id'er på deltagerne fra participants.yaml.\n"
    "participants: []\n"
    "# Hvor mange der deltog: 30, eller 'ca. 30', hvis tallet er omtrentligt (kan udelades).\n"
    "participants_count:\n"
    "# Hvem der ellers deltog, som tekst (Markdown, kan udelades).\n"
    'participants_note: ""\n'
    "# For en spørgeskemaundersøgelse: hvor mange der blev spurgt, og hvor mange der svarede\n"
    "# (kan udelades), fx:\n"
    "# respondents:\n"
    "#   invited: 1200\n"
    "#   answered: ca. 430\n"
    "# Id'er på kilder under sources i publication.yaml (kan udelades).\n"
    "sources: []\n"
)


def new_event(project: Project, ids: _Ids, options: Options) -> Created:
    """Write inputs/events/<id>.yaml."""
    date = options.date or PartialDate.of(dt.date.today())
    taken = {*ids.events, *(p.stem for p in ids.events.values())}
    base = slug(options.place or options.title or "", 4) or "arrangement"
    ident = _given_id(options.id, taken, "event") if options.id else next_free(f"{date.year}-{base}", taken)
    text = (
        _modeline(project, "event")
        + "# Et arrangement (workshop, møde, borgerpanel, survey …) og det, der kom ud af det.\n"
        f"# Filen skal hedde det samme som id'et: {ident}.yaml.\n"
        "# Erstat hver tekst, der begynder med UDFYLD; compendium check advarer om dem.\n"
        "# Tilføj forslag og udsagn med `compendium new proposal|statement --event "
        f"{ident}`.\n\n"
        "# id: små bogstaver, tal og bindestreger; samme som filnavnet (påkrævet).\n"
        f"id: {ident}\n"
        "# Slags arrangement med dine egne ord, fx workshop, borgermøde, dialogmøde,\n"
        "# borgerpanel, høring, survey eller interview (påkrævet).\n"
        f"kind: {plain_or_quoted(options.kind)}\n"
        "# Titel (påkrævet).\n"
        f"title: {quote(options.title or placeholder('titel'))}\n"
        "# Datoen så præcist, den kendes: 2025, 2025-03 eller 2025-03-12; skriv\n"
        "# 'ca. 2025-03', hvis den er omtrentlig (påkrævet). Opfind aldrig en dag.\n"
        f"date: {date}\n"
        "# Stedet (kan udelades, hvis det ikke vides).\n"
        f"place: {quote(options.place or placeholder('sted'))}\n"
        "# Trykkes efter datoen, fx »artiklen er opdateret 8. december 2021« (kan udelades).\n"
        "date_note:\n"
        "# Varighed, som den skal trykkes, fx »6 timer« (kan udelades).\n"
        "duration:\n"
        "# Hvem der stod bag (påkrævet).\n"
        f"organiser: {quote(placeholder('arrangør'))}\n"
        f"{EVENT_PEOPLE_AND_SOURCES}"
        "# Baggrunden for arrangementet (Markdown, påkrævet).\n"
        f"background: {block(placeholder('baggrunden for arrangementet'), '')}\n"
        "# Hvordan der blev arbejdet (Markdown; kan udelades, hvis det ikke vides).\n"
        f"method: {block(placeholder('hvordan der blev arbejdet'), '')}\n"
        "# Billeder: hver med file, caption, alt og evt. credit (kan udelades).\n"
        "photos: []\n"
        "# Udsagn: citater fra deltagerne.\n"
        "statements: []\n"
        "# Forslag, som kom ud af arrangementet.\n"
        "proposals: []\n"
        "# Hvad deltagerne vil bevare (keep) og have afskaffet (discard); hver med text og themes.\n"
        "wishes:\n"
        "  keep: []\n"
        "  discard: []\n"
        "# Eksempler på, hvordan en arbejdsplads allerede gør.\n"
        "practice_examples: []\n"
    )
    path = project.inputs / "events" / f"{ident}.yaml"
    _write_new(path, text)
    return Created(path, project.rel(path), ident, _count(text), appended=False)


def _event_file(ids: _Ids, options: Options) -> Path:
    """Return the file of the event given with --event, which is required."""
    if not options.event:
        listed = _("; the events are: {events}").format(events=", ".join(ids.events)) if ids.events else ""
        raise CompendiumError(_("give --event with the id of the event it belongs to{listed}").format(listed=listed))
    return ids.events[ids.require(options.event, list(ids.events), "event", "--event")]


def _append(project: Project, path: Path, key: str, entry: str) -> None:
    """Add an entry to a list in a file, keeping the rest of the file as it is."""
    # Bytes, not read_text: universal newlines would turn a Windows file's CRLF into LF.
    text = path.read_bytes().decode("utf-8")
    if "\r\n" in text:
        entry = entry.replace("\n", "\r\n")
    _replace_atomically(path, insert_into_list(text, key, entry, project.rel(path)))


def new_proposal(project: Project, ids: _Ids, options: Options) -> Created:
    """Add a proposal to an event's file, or the publisher's own to inputs/statements/udgiveren.yaml."""
    path = (
        _event_file(ids, options)
        if options.event or not options.publisher
        else _statement_file(project, ids, options, None)[0]
    )
    themes = ids.themes_of(options)
    ident = (
        _given_id(options.id, ids.proposals, "proposal")
        if options.id
        else next_free(slug(options.title or "") or "nyt-forslag", ids.proposals)
    )
    entry = (
        "# id: unikt for alle forslag i projektet.\n"
        f"- id: {ident}\n"
        "  # Forslagets overskrift.\n"
        f"  title: {quote(options.title or placeholder('overskrift'))}\n"
        "  # Id'er på temaerne (mindst ét).\n"
        f"  themes: {_flow(themes)}\n"
        "  # Kort resumé (Markdown, påkrævet); trykkes også i debatoplægget.\n"
        f"  summary: {block(options.text or placeholder('resumé'), '  ')}\n"
        "  # Begrundelse (Markdown, kan udelades); kun i kompendiet.\n"
        '  rationale: ""\n'
        "  # Deltagere (personer, grupper, organisationer), forslaget især kom fra, og\n"
        "  # publisher: true, hvis det er udgiverens eget forslag (kan udelades).\n"
        "  origin:\n"
        "    participants: []\n"
        f"    publisher: {'true' if options.publisher else 'false'}\n"
        "  # Status: idea, proposed, adopted eller rejected.\n"
        "  status: proposed\n"
        "  # true tager forslaget med i debatoplægget.\n"
        "  debate_paper: false\n"
    )
    _append(project, path, "proposals", entry)
    return Created(path, project.rel(path), ident, _count(entry), appended=True)


def new_statement(project: Project, ids: _Ids, options: Options) -> Created:
    """Add a statement to an event's file, or to a file of statements from no event."""
    speaker = _speaker_lines(ids, options)
    themes = ids.themes_of(options)
    source = ids.require(options.source, ids.sources, "source", "--source") if options.source else None
    path, prefix = _statement_file(project, ids, options, source)
    base = f"{prefix}-{slug(options.text, 4)}" if options.text else f"{prefix}-udsagn"
    ident = _given_id(options.id, ids.statements, "statement") if options.id else next_free(base, ids.statements)
    entry = (
        "# id: unikt for alle udsagn i projektet.\n"
        f"- id: {ident}\n"
        f"{speaker}"
        "  # Kilden (et id under sources i publication.yaml), hvor og hvornår det blev sagt, hvis\n"
        "  # ikke ved arrangementet: fx context: til Fyens.dk, date: 2020-03 (kan udelades).\n"
        f"  source:{' ' + source if source else ''}\n"
        f"  context:{_optional(options.context)}\n"
        f"  date:{' ' + quote(str(options.date)) if options.date else ''}\n"
        "  # Id'er på de temaer, udsagnet hører til (mindst ét).\n"
        f"  themes: {_flow(themes)}\n"
        "  # true foretrækker citatet i debatoplægget.\n"
        "  highlight: false\n"
        "  # Citatet, uden anførselstegn: de sættes automatisk.\n"
        f"  text: {quote(options.text or placeholder('citatet'))}\n"
    )
    _append(project, path, "statements", entry)
    return Created(path, project.rel(path), ident, _count(entry), appended=True)


def _speaker_lines(ids: _Ids, options: Options) -> str:
    """Write who said a statement: exactly one of --speaker, --unnamed and --publisher."""
    given = [o for o, v in (("--speaker", options.speaker), ("--unnamed", options.unnamed)) if v]
    given += ["--publisher"] * options.publisher
    if len(given) != 1:
        start = (
            _("give only one of {options}").format(options=_(" and ").join(given)) if given else _("give who said it")
        )
        raise CompendiumError(
            _(
                "{start}: --speaker (a participant id: a person, a group or an organisation), --unnamed (a description printed as written, e.g. 'en borger') or --publisher (the publisher's own words)"
            ).format(start=start)
        )
    if options.unnamed:
        return f"  # Hvem der sagde det, når ingen kan navngives; trykkes som skrevet.\n  unnamed_speaker: {quote(options.unnamed)}\n"
    if options.publisher:
        return "  # Udgiverens egne ord.\n  publisher: true\n"
    speaker = ids.require(options.speaker or "", ids.participants, "participant", "--speaker")
    return (
        "  # Id'et på den, der sagde det (en person, en gruppe eller en organisation); hvad der\n"
        "  # trykkes under citatet, afgør deltagerens consent i participants.yaml.\n"
        f"  speaker: {speaker}\n"
        "  # Rollen og arbejdspladsen dengang, hvis de var andre end nu (kan udelades).\n"
        f"  role:{_optional(options.role)}\n"
        f"  workplace:{_optional(options.workplace)}\n"
    )


def _statement_file(project: Project, ids: _Ids, options: Options, source: str | None) -> tuple[Path, str]:
    """Return the file a statement or proposal goes to, and the prefix of its id.

    With --event, the event's file; otherwise a file in inputs/statements/: the source's
    (one file per article) or the publisher's own, made when it does not exist yet.
    """
    if options.event:
        event = options.event
        return _event_file(ids, options), (event.split("-", 1)[1] if re.fullmatch(r"\d{4}-.+", event) else event)
    if not (source or options.publisher):
        listed = _("; the events are: {events}").format(events=", ".join(ids.events)) if ids.events else ""
        raise CompendiumError(
            _(
                "give --event (the event it was said at), --source (the source it is taken from, for a statement from no event) or --publisher (the publisher's own){listed}"
            ).format(listed=listed)
        )
    ident = source or PUBLISHER_FILE
    path = ids.collections.get(ident) or project.inputs / STATEMENTS_FOLDER / f"{ident}.yaml"
    if not path.exists():
        what = f"Udsagn fra kilden {source}" if source else "Udgiverens egne udsagn og forslag"
        header = (
            _modeline(project, "statements") + "# Udsagn og forslag, der ikke kommer fra et arrangement.\n"
            f"# Filen skal hedde det samme som id'et: {ident}.yaml.\n"
            f"id: {ident}\n"
            f"title: {quote(what)}\n"
        )
        _write_new(path, header)
    return path, ident


def new_participant(project: Project, ids: _Ids, options: Options) -> Created:
    """Add a participant to participants.yaml: a person, or a group or organisation (which has no consent)."""
    path = project.inputs / "participants.yaml"
    if not path.is_file():
        raise CompendiumError(
            _("{path} does not exist; create it with 'participants: []' first").format(path=project.rel(path))
        )
    if options.group and options.organisation:
        raise CompendiumError(_("give --group or --organisation, not both"))
    kind = "group" if options.group else "organisation" if options.organisation else "person"
    _check_participant_options(kind, options)
    taken = ids.participants
    if options.id:
        ident = _given_id(options.id, taken, "participant")
    elif options.name or options.group or options.organisation:
        ident = next_free(slug(options.name or options.group or options.organisation or "", 3), taken)
    else:  # deltager-1, deltager-2 …, as in the example
        ident = next(f"deltager-{n}" for n in range(1, len(taken) + 2) if f"deltager-{n}" not in taken)
    entry = f"- id: {ident}\n" + _participant_fields(kind, options)
    _append(project, path, "participants", entry)
    return Created(path, project.rel(path), ident, 0, appended=True)


def _check_participant_options(kind: str, options: Options) -> None:
    """Refuse options that do not fit the kind of participant, with the consent rule's own words."""
    problem = kind_consent_problem(kind, options.consent if kind != "person" else options.person_consent)
    if problem:
        raise CompendiumError(problem[0].replace("'consent'", "--consent"))
    if kind == "person" and options.person_consent == "named" and not options.name:
        raise CompendiumError(_("consent 'named' needs --name"))
    if kind != "group" and options.size is not None:
        raise CompendiumError(_("--size is the number of people in a group; give it with --group"))
    if kind != "person" and options.name:
        raise CompendiumError(_("--name is a person's; give the name of a {kind} with --{kind}").format(kind=kind))


def _participant_fields(kind: str, options: Options) -> str:
    """Write a new participant's fields, with a Danish comment on each."""
    tail = (
        "  # Funktion, arbejdsplads og kommune (kan udelades).\n"
        f"  role:{_optional(options.role)}\n"
        f"  workplace:{_optional(options.workplace)}\n"
        f"  municipality:{_optional(options.municipality)}\n"
    )
    if kind == "group":
        size = f" {options.size}" if options.size is not None else ""
        return (
            "  # En gruppe: trykkes som beskrivelsen og har intet samtykke, for den navngiver ingen.\n"
            "  kind: group\n"
            f"  description: {quote(options.group or '')}\n"
            "  # Hvor mange gruppen er, fx 9 i et borgerpanel (kan udelades).\n"
            f"  size:{size}\n" + tail
        )
    if kind == "organisation":
        return (
            "  # En organisation: trykkes altid med navn og har intet samtykke.\n"
            "  kind: organisation\n"
            f"  name: {quote(options.organisation or '')}\n" + tail
        )
    return (
        "  # Navnet; påkrævet ved consent: named, og trykkes kun da.\n"
        f"  name:{_optional(options.name)}\n"
        + tail
        + "  # Samtykke: named, role-only, anonymous eller withdrawn (påkrævet).\n"
        f"  consent: {options.person_consent}\n"
    )


def create(project: Project, kind: str, options: Options) -> Created:
    """Make a new entry of a kind; never overwrite anything."""
    ids = _Ids(project)
    makers = {
        "story": new_story,
        "event": new_event,
        "proposal": new_proposal,
        "statement": new_statement,
        "participant": new_participant,
    }
    return makers[kind](project, ids, options)
