"""Stage 2, validate: shape each file with pydantic, then check references.

Every problem in every file is collected; the caller raises once.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from compendium.content import model as m
from compendium.content.explain import NOT_AN_ID, explain_all
from compendium.content.images import IMAGE_SUFFIXES, image_problem, suffix_problem
from compendium.content.invisible import invisible_problems
from compendium.content.load import Located, decode, load_bytes, load_yaml
from compendium.errors import Fault, InputError, KeyPath, Problem, did_you_mean, in_brackets
from compendium.project import Project, input_files

# Fields a participant of one kind may have and another not (the first kind named is suggested).
KIND_FIELDS: dict[str, tuple[m.ParticipantKind, ...]] = {
    "description": ("group",),
    "size": ("group",),
    "name": ("person", "organisation"),
}
SPEAKER_FIX = (
    "give 'speaker' (a participant id: a person, a group or an organisation), 'unnamed_speaker' "
    "(a description printed as written, e.g. 'en borger') or 'publisher: true' (the publisher's own words)"
)
NO_PROVENANCE_FIX = "add 'source' (a source id) or 'context' (e.g. 'i et skriftligt høringssvar'), or 'publisher: true'"
NO_PROVENANCE = f"a statement from no event needs to say where it comes from; {NO_PROVENANCE_FIX}"
# Fixes that several messages end with.
README = "see the README for where inputs go"
HERE = "put the file itself here"
UNIQUE = "give each a unique id"


@dataclass
class Content:
    """Everything the inputs say, validated and cross-checked."""

    project: Project
    publication: m.Publication
    themes: list[m.Theme]
    participants: dict[str, m.Participant]
    key_figures: list[m.KeyFigure]
    events: list[m.Event]
    stories: list[m.Story]
    # Statements and proposals from no event (inputs/statements/): press quotes, the publisher's own.
    collections: list[m.Collection] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    located: list[Located] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def photos(content: Content) -> list[m.Photo]:
    """Return every photo the documents show."""
    found = [content.publication.cover_photo] if content.publication.cover_photo else []
    for event in content.events:
        found += event.photos
    found += [s.photo for s in content.stories if s.photo]
    return found


@dataclass(frozen=True)
class Loaded:
    """A parsed file and, when its shape is valid, its model object."""

    located: Located
    obj: Any


@dataclass(frozen=True)
class Parsed:
    """What reading one input file gave: the file, unless it could not be parsed, and its problems."""

    loaded: Loaded | None
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class InputFiles:
    """The input files the rules read, the model each is shaped by, and the YAML files no rule reads."""

    registry: dict[str, Path]  # publication.yaml and the other registries that exist
    folders: dict[str, list[Path]]  # events/, stories/ and statements/
    strays: list[Path]
    missing: list[Problem]  # a registry that does not exist

    def models(self) -> dict[Path, type[BaseModel]]:
        """Map each file to the model it is shaped by."""
        found: dict[Path, type[BaseModel]] = {path: m.REGISTRY_FILES[name] for name, path in self.registry.items()}
        return found | {path: m.FOLDER_FILES[folder] for folder, paths in self.folders.items() for path in paths}


# A parsed input file and its kind: a registry file's name ("participants.yaml") or a folder's ("stories").
LocatedFile = tuple[str, Located]


class PreparedCheck(typing.Protocol):
    """A check made ready from every file (say, the names to look for), to be run on each file on its own."""

    @property
    def key(self) -> str:
        """Name what the check depends on besides the file: the same key and bytes give the same problems."""

    def __call__(self, located: Located) -> list[Problem]:
        """Return the problems in one file."""


# A check of the parsed files that a layer above adds (consent's: no name without consent), run with the others.
# It reads what it needs from all the files once, then looks at each file on its own, so the pipeline can keep
# each file's result for as long as the file's bytes and the check's key are the same.
FileCheck = Callable[[Sequence[LocatedFile]], PreparedCheck]


def run_check(check: FileCheck, files: Sequence[LocatedFile]) -> list[Problem]:
    """Make a check ready from every file, then run it on each."""
    prepared = check(files)
    return [problem for _, located in files for problem in prepared(located)]


def list_inputs(project: Project) -> InputFiles:
    """Find every input file, and every registry missing."""
    folders = {folder: input_files(project.inputs / folder) for folder in m.FOLDER_FILES}
    strays = _stray_files(project, folders)
    registry, missing = {}, []
    for name in m.REGISTRY_FILES:
        path = project.inputs / name
        if path.is_file():
            registry[name] = path
        else:
            hint = did_you_mean(name, [p.name for p in strays])
            message = f"missing file; every project needs {name}{in_brackets(hint)}"
            missing.append(Problem(project.rel(path), message=message, hint=hint or f"every project needs {name}"))
    return InputFiles(registry, folders, strays, missing)


def load_content(project: Project, *, checks: Sequence[FileCheck], strict: bool = False) -> Content:
    """Load and validate every input file, running the checks too; raise InputError listing all problems.

    checks has no default: a caller that leaves out consent's check must say so with checks=().
    """
    inputs = list_inputs(project)
    parsed = {path: read_input(project, path, model) for path, model in inputs.models().items()}
    images = {name: image_problem(path, name) for name, path in photo_files(project, inputs, parsed)}
    return validate_content(project, inputs, parsed, images, checks=checks, strict=strict)


def validate_content(
    project: Project,
    inputs: InputFiles,
    parsed: Mapping[Path, Parsed],
    images: Mapping[str, Fault | None],
    *,
    checks: Sequence[FileCheck],
    strict: bool = False,
) -> Content:
    """Check references across the parsed files; raise InputError listing all problems.

    images holds what image_problem says of each photo file named (see photo_files).
    """
    problems = list(inputs.missing) + [p for one in parsed.values() for p in one.problems]
    docs = {name: loaded for name, path in inputs.registry.items() if (loaded := parsed[path].loaded)}
    folders = {
        folder: [loaded for path in paths if (loaded := parsed[path].loaded)]
        for folder, paths in inputs.folders.items()
    }
    # References are checked even when some files are broken, against
    # whatever ids could be read, so one run reports every problem.
    unreadable = {project.rel(path): path.stem for path in inputs.folders["events"] if parsed[path].loaded is None}
    checker = _References(project, docs, folders, images, unreadable)
    problems += checker.check()
    located = [(name, loaded.located) for name, loaded in docs.items()]
    located += [(folder, loaded.located) for folder, items in folders.items() for loaded in items]
    problems += [problem for check in checks for problem in run_check(check, located)]
    checker.warnings += [
        Problem(project.rel(p), message=f"this file is not read; {README}", warning=True, hint=README)
        for p in inputs.strays
    ]
    if strict:
        problems += checker.warnings
    if problems:
        raise InputError(_drop_shadowed(sorted(set(problems))))
    return _content(project, docs, folders, sorted(set(checker.warnings)))


def _content(
    project: Project, docs: dict[str, Loaded], folders: dict[str, list[Loaded]], warnings: list[Problem]
) -> Content:
    """Gather the valid files into the content."""

    def valid(name: str) -> Any:
        return docs[name].obj

    every = [*docs.values(), *folders["events"], *folders["stories"], *folders["statements"]]
    return Content(
        project=project,
        publication=valid("publication.yaml"),
        themes=list(valid("themes.yaml").themes),
        participants={p.id: p for p in valid("participants.yaml").participants},
        key_figures=list(valid("key-figures.yaml").key_figures),
        events=sorted((typing.cast(m.Event, x.obj) for x in folders["events"]), key=lambda e: (e.date, e.id)),
        stories=sorted((typing.cast(m.Story, x.obj) for x in folders["stories"]), key=lambda s: (s.date, s.id)),
        collections=sorted((typing.cast(m.Collection, x.obj) for x in folders["statements"]), key=lambda c: c.id),
        files=sorted(x.located.file for x in every),
        located=[x.located for x in every],
        warnings=warnings,
    )


def _drop_shadowed(problems: list[Problem]) -> list[Problem]:
    """Leave out "not a valid id" where the same value is also an unknown reference, which names the fix."""
    unknown = {(p.file, p.line, p.column, p.key_path) for p in problems if p.message.startswith("unknown ")}
    return [
        p for p in problems if not (p.message.endswith(NOT_AN_ID) and (p.file, p.line, p.column, p.key_path) in unknown)
    ]


def _stray_files(project: Project, folders: Mapping[str, list[Path]]) -> list[Path]:
    """List YAML files under the inputs folder that no rule reads (misspelt or misplaced)."""
    read = {project.inputs / name for name in m.REGISTRY_FILES}
    read |= {p for paths in folders.values() for p in paths}
    return [p for p in input_files(project.inputs, recursive=True) if p not in read]


def read_input(project: Project, path: Path, model: type[BaseModel], data: bytes | None = None) -> Parsed:
    """Read one input file, from its bytes when given, else from disk; refuse a link out of the project first."""
    if not path.resolve().is_relative_to(project.root):
        # A link out of the project would let an input read any file on the machine.
        message = f"is a link to a file outside the project; {HERE}"
        return Parsed(None, (Problem(project.rel(path), message=message, hint=HERE),))
    if data is not None:
        return parse_input(project.rel(path), data, model)
    try:  # not read yet, or not a regular file: the loader reads it, or says why it cannot
        located = load_yaml(path, project.rel(path))
        return _shaped(located, model, decode(path.read_bytes(), located.file))
    except InputError as exc:
        return Parsed(None, tuple(exc.problems))


def parse_input(rel: str, data: bytes, model: type[BaseModel]) -> Parsed:
    """Parse and shape-check one input file's bytes: a function of these three alone."""
    try:
        return _shaped(load_bytes(data, rel), model, decode(data, rel))
    except InputError as exc:
        return Parsed(None, tuple(exc.problems))


def _shaped(located: Located, model: type[BaseModel], text: str) -> Parsed:
    """Shape-check a parsed file with its model, and look for invisible characters in its text."""
    invisible = tuple(invisible_problems(located, text))
    try:
        return Parsed(Loaded(located, model.model_validate(located.data)), invisible)
    except ValidationError as exc:
        return Parsed(Loaded(located, None), tuple(explain_all(located, model, exc)) + invisible)


def photo_files(project: Project, inputs: InputFiles, parsed: Mapping[Path, Parsed]) -> list[tuple[str, Path]]:
    """List each photo file the inputs name that may be a photo, to be opened and checked as an image."""
    found = {}
    kinds = [(name, path) for name, path in inputs.registry.items()]
    kinds += [(folder, path) for folder, paths in inputs.folders.items() for path in paths]
    for kind, path in kinds:
        loaded = parsed[path].loaded
        for pattern in PHOTOS.get(kind, []) if loaded else []:
            for _, value in find(loaded.located.data, pattern):  # type: ignore[union-attr]
                if isinstance(value, str) and not _photo_refused(project, value):
                    found[value] = project.root / value
    return sorted(found.items())


def _photo_refused(project: Project, name: str) -> Fault | None:
    """Say why a photo file named cannot be a photo, before it is opened; None when it may be one."""
    return suffix_problem(name) or project.check_asset(name, IMAGE_SUFFIXES, what="photo file")


# --- references between files ----------------------------------------------


# Where each kind of file refers to other ids. "*" stands for every list index.
# These are checked on the raw data, so a file with a shape error elsewhere
# still has its references checked in the same run.
Pattern = tuple[str, ...]
# Statements and proposals refer alike inside an event and in inputs/statements/.
STATEMENT_REFERENCES: list[tuple[Pattern, str]] = [
    (("statements", "*", "speaker"), "participant"),
    (("statements", "*", "source"), "source"),
    (("statements", "*", "themes", "*"), "theme"),
    (("proposals", "*", "themes", "*"), "theme"),
    (("proposals", "*", "origin", "participants", "*"), "participant"),
]
REFERENCES: dict[str, list[tuple[Pattern, str]]] = {
    "events": [
        (("facilitator",), "participant"),
        (("participants", "*"), "participant"),
        (("participants", "*", "id"), "participant"),
        (("source",), "source"),
        (("sources", "*"), "source"),
        *STATEMENT_REFERENCES,
        (("wishes", "keep", "*", "themes", "*"), "theme"),
        (("wishes", "discard", "*", "themes", "*"), "theme"),
        (("practice_examples", "*", "themes", "*"), "theme"),
    ],
    "stories": [
        (("themes", "*"), "theme"),
        (("event",), "event"),
        (("teller", "participant"), "participant"),
        (("teller", "source"), "source"),
    ],
    "statements": STATEMENT_REFERENCES,
    "key-figures.yaml": [(("key_figures", "*", "source"), "source")],
}
PHOTOS: dict[str, list[Pattern]] = {
    "events": [("photos", "*", "file")],
    "stories": [("photo", "file")],
    "publication.yaml": [("cover_photo", "file")],
}
# Old spellings that still work, and the new field each warns about: (kind of file, where, new name, fix).
DEPRECATED: list[tuple[str, Pattern, str, str]] = [
    ("events", ("source",), "sources", "write 'sources: [{value}]' instead, a list that can hold several"),
]
# Ids that must be unique across all files of a folder.
ENTRY_IDS: dict[str, list[tuple[Pattern, str]]] = {
    "events": [
        (("id",), "event"),
        (("statements", "*", "id"), "statement"),
        (("proposals", "*", "id"), "proposal"),
        (("practice_examples", "*", "id"), "practice example"),
    ],
    "stories": [(("id",), "story")],
    "statements": [
        (("id",), "statements file"),
        (("statements", "*", "id"), "statement"),
        (("proposals", "*", "id"), "proposal"),
    ],
}


def find(data: Any, pattern: Pattern, path: KeyPath = ()) -> list[tuple[KeyPath, Any]]:
    """Return (path, value) for every value in data that matches a pattern."""
    if not pattern:
        return [(path, data)]
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        if not isinstance(data, list):
            return []
        return [hit for i, item in enumerate(data) for hit in find(item, rest, (*path, i))]
    if not isinstance(data, dict) or head not in data:
        return []
    return find(data[head], rest, (*path, head))


def _raw_ids(loaded: Loaded | None, key: str) -> list[str] | None:
    """Read the ids of a registry list, even from a file that failed validation."""
    if loaded is None:
        return None
    return [value for _, value in find(loaded.located.data, (key, "*", "id")) if isinstance(value, str)]


class _References:
    """Check ids, references and photo files across all loaded files."""

    def __init__(
        self,
        project: Project,
        docs: dict[str, Loaded],
        folders: dict[str, list[Loaded]],
        images: Mapping[str, Fault | None],
        unreadable_events: Mapping[str, str] | None = None,
    ) -> None:
        self.project = project
        # Event files YAML could not read, by file, with the id each must have: references to them wait.
        self.unreadable = {"event": dict(unreadable_events or {})}
        self.docs = docs
        self.folders = folders
        self.images = images  # what image_problem says of each photo file (see photo_files)
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        # None means the registry could not be read, so references to it are not checked.
        self.known: dict[str, list[str] | None] = {
            "theme": _raw_ids(docs.get("themes.yaml"), "themes"),
            "participant": _raw_ids(docs.get("participants.yaml"), "participants"),
            "source": _raw_ids(docs.get("publication.yaml"), "sources"),
            "event": [v for x in folders["events"] for _, v in find(x.located.data, ("id",)) if isinstance(v, str)],
        }
        self.used: dict[str, set[str]] = {"theme": set(), "participant": set()}

    def check(self) -> list[Problem]:
        """Run every check and return the problems found."""
        for kind, loaded in self._all():
            self._references(loaded.located, REFERENCES.get(kind, []))
            self._deprecated(kind, loaded.located)
            for pattern in PHOTOS.get(kind, []):
                self._photos(loaded.located, pattern)
        self._registries()
        for loaded in self.folders["events"]:
            self._file_id(loaded.located)
            if loaded.obj is not None:
                self._event(loaded.located, loaded.obj)
        for loaded in self.folders["stories"]:
            self._file_id(loaded.located)
            if loaded.obj is not None:
                self._teller(loaded.located, loaded.obj.teller)
        for loaded in self.folders["statements"]:
            self._file_id(loaded.located)
            if loaded.obj is not None:
                self._collection(loaded.located, loaded.obj)
        self._unique_entries()
        self._statement_total()
        if len(self.docs) == len(m.REGISTRY_FILES) and all(d.obj is not None for d in self.docs.values()):
            self._unused()
        return self.problems

    def _all(self) -> list[tuple[str, Loaded]]:
        """List every loaded file with the key its rules are filed under."""
        found = list(self.docs.items())
        for folder, items in self.folders.items():
            found += [(folder, loaded) for loaded in items]
        return found

    def _references(self, located: Located, rules: list[tuple[Pattern, str]]) -> None:
        """Report unknown ids, and ids listed twice in one list."""
        for pattern, what in rules:
            seen: dict[KeyPath, set[str]] = {}
            for path, value in find(located.data, pattern):
                if not isinstance(value, str):
                    continue  # a shape error, reported by pydantic
                if what in self.used:
                    self.used[what].add(value)
                siblings = seen.setdefault(path[:-1], set())
                if pattern[-1] == "*" and value in siblings:
                    self.problems.append(
                        located.problem(path, f"'{value}' is listed twice; remove one", hint="remove one")
                    )
                    continue
                siblings.add(value)
                known = self.known[what]
                if known is not None and value not in known:
                    self.problems.append(self._unknown(located, path, what, value, known))

    def _unknown(self, located: Located, path: KeyPath, what: str, value: str, known: list[str]) -> Problem:
        """Report an unknown id; one that may be in a file YAML could not read is not guessed at."""
        unreadable = self.unreadable.get(what, {})
        file = next((file for file, ident in unreadable.items() if ident == value), None)
        if file is not None:
            fix = "fix the problem reported there first"
            return located.problem(
                path, f"{what} '{value}' cannot be checked until {file} can be read; {fix}", hint=fix
            )
        hint = did_you_mean(value, [*known, *unreadable.values()])
        return located.problem(path, f"unknown {what} '{value}'{in_brackets(hint)}", hint=hint)

    def _deprecated(self, kind: str, located: Located) -> None:
        """Warn about an old spelling that still works, naming the new one."""
        for where, pattern, new, fix in DEPRECATED:
            if where != kind:
                continue
            for path, value in find(located.data, pattern):
                if value is None:
                    continue  # left empty, as `new` used to write it: nothing to move
                old, said = str(path[-1]), fix.format(value=value)
                if new in _at(located.data, path[:-1]):  # both spellings: which one is meant is not clear
                    both = f"add '{value}' to '{new}' and remove '{old}'"
                    message = f"give '{new}' alone; '{old}' is its old spelling; {both}"
                    self.problems.append(located.problem(path, message, hint=both, key=True))
                    continue
                message = f"'{old}' is deprecated and replaced by '{new}'; {said}"
                self.warnings.append(located.problem(path, message, hint=said, warning=True, key=True))

    def _photos(self, located: Located, pattern: Pattern) -> None:
        """Check that photo files exist inside the project and are images."""
        for path, value in find(located.data, pattern):
            if isinstance(value, str):
                fault = _photo_refused(self.project, value) or self._image(value)
                if fault:
                    self.problems.append(located.problem(path, fault.message, hint=fault.hint))

    def _image(self, name: str) -> Fault | None:
        """Say what is wrong with a photo file as an image, as checked already when it was."""
        if name in self.images:
            return self.images[name]
        return image_problem(self.project.root / name, name)

    def duplicates(self, located: Located, path: KeyPath, ids: list[str], what: str) -> None:
        """Report ids used twice within one list."""
        first: dict[str, int] = {}
        for i, ident in enumerate(ids):
            if ident in first:
                line = located.where((*path, first[ident], "id"))[0]
                self.problems.append(
                    located.problem(
                        (*path, i, "id"),
                        f"duplicate {what} id '{ident}' (first used on line {line}); {UNIQUE}",
                        hint=UNIQUE,
                    )
                )
            else:
                first[ident] = i

    def _registries(self) -> None:
        """Check ids within the publication, themes, participants and key figures."""
        for name, key, what in (
            ("publication.yaml", "sources", "source"),
            ("themes.yaml", "themes", "theme"),
            ("participants.yaml", "participants", "participant"),
            ("key-figures.yaml", "key_figures", "key figure"),
        ):
            if loaded := self.docs.get(name):
                self.duplicates(loaded.located, (key,), _raw_ids(loaded, key) or [], what)
        if (loaded := self.docs.get("participants.yaml")) and loaded.obj:
            for i, person in enumerate(loaded.obj.participants):
                self._participant(loaded.located, ("participants", i), person)

    def _participant(self, located: Located, path: KeyPath, who: m.Participant) -> None:
        """Require the fields a participant's kind prints; consent/ judges its consent."""
        if who.kind == "person" and who.consent == "named" and not who.name:
            fix = "add 'name' or use 'role-only'"
            self.problems.append(located.problem((*path, "consent"), f"consent 'named' needs a name; {fix}", hint=fix))
        for name, kinds in KIND_FIELDS.items():
            if getattr(who, name) is not None and who.kind not in kinds:
                fix = f"remove it, or use 'kind: {kinds[0]}'"
                message = f"'{name}' is not for a {who.kind}; {fix}"
                self.problems.append(located.problem((*path, name), message, hint=fix))
        needs = {"group": "description", "organisation": "name"}.get(who.kind)
        if needs and getattr(who, needs) is None:
            fix = f"add '{needs}'"
            what = "what the group is, e.g. 'et borgerpanel'" if needs == "description" else "its name"
            self.problems.append(located.problem(path, f"a {who.kind} needs '{needs}' ({what}); {fix}", hint=fix))

    def _file_id(self, located: Located) -> None:
        """Require a file's id to match its file name, so ids stay findable."""
        ident = located.data.get("id")
        stem = Path(located.file).stem
        if not isinstance(ident, str) or ident == stem:
            return
        if m.ID_PATTERN.fullmatch(stem):
            fix = f"change it to '{stem}' or rename the file to {ident}.yaml"
        else:
            fix = f"rename the file to {ident}.yaml"
        self.problems.append(located.problem(("id",), f"id '{ident}' does not match the file name; {fix}", hint=fix))

    def _event(self, located: Located, event: m.Event) -> None:
        """Check who said each statement; warn about statements by people not listed at the event."""
        present = {*event.participant_ids, event.facilitator}
        participants = self.known["participant"] or []
        for i, st in enumerate(event.statements):
            self._speaker(located, ("statements", i), st)
            if st.speaker and st.speaker in participants and st.speaker not in present:
                self.warnings.append(
                    located.problem(
                        ("statements", i, "speaker"),
                        f"'{st.speaker}' is not listed in the event's participants",
                        warning=True,
                    )
                )

    def _collection(self, located: Located, collection: m.Collection) -> None:
        """Require each statement and proposal from no event to say where it comes from."""
        for i, st in enumerate(collection.statements):
            self._speaker(located, ("statements", i), st)
            if not (st.source or st.context or st.publisher):
                self.problems.append(located.problem(("statements", i), NO_PROVENANCE, hint=NO_PROVENANCE_FIX))
        for i, prop in enumerate(collection.proposals):
            if not (prop.origin.participants or prop.origin.publisher):
                fix = "add 'origin' with 'participants' or 'publisher: true'"
                message = f"a proposal from no event needs to say whose it is; {fix}"
                self.problems.append(located.problem(("proposals", i), message, hint=fix))

    def _speaker(self, located: Located, path: KeyPath, st: m.Statement) -> None:
        """Require exactly one kind of speaker, and a role at the time only for a participant."""
        given = [k for k in ("speaker", "unnamed_speaker", "publisher") if getattr(st, k)]
        if not given:
            self.problems.append(located.problem(path, f"missing speaker; {SPEAKER_FIX}", hint=SPEAKER_FIX))
        elif len(given) > 1:
            fix = f"keep one of {_either(given)}"
            self.problems.append(located.problem((*path, given[1]), f"a statement has one speaker; {fix}", hint=fix))
        for key in ("role", "workplace"):
            if getattr(st, key) is not None and not st.speaker:
                fix = f"remove '{key}', or name the participant in 'speaker'"
                message = f"'{key}' is the role a participant held when they said it; {fix}"
                self.problems.append(located.problem((*path, key), message, hint=fix))

    def _statement_total(self) -> None:
        """Refuse more statements over all events than one PDF can hold, at the event file that passes the limit."""
        total = 0
        # Statements from no event (inputs/statements/) are printed like an event's, and count alike.
        for loaded in [*self.folders["events"], *self.folders["statements"]]:
            total += len(loaded.obj.statements) if loaded.obj is not None else 0
            if total > m.MAX_STATEMENTS:
                fix = "split the compendium, or leave some statements out"
                message = (
                    f"with this file the events hold {total:,} statements, more than the {m.MAX_STATEMENTS:,} "
                    f"a compendium may have (the PDF would take too long to lay out); {fix}"
                )
                self.problems.append(loaded.located.problem(("statements",), message, hint=fix))
                return

    def _teller(self, located: Located, teller: m.Teller) -> None:
        """Require a teller to be a participant, a person with their own consent, or a source."""
        if teller.participant is not None:
            if teller.name or teller.consent or teller.role or teller.workplace:
                self.problems.append(
                    located.problem(
                        ("teller",),
                        "give either 'participant', or 'name', 'role', 'workplace' and 'consent', not both",
                    )
                )
        elif teller.consent is None and (teller.name or teller.role or teller.workplace or not teller.source):
            self.problems.append(
                located.problem(
                    ("teller",),
                    f"missing 'consent' ({_either(m.CONSENTS)}) for a teller who is not a participant; "
                    "a story from a press report may give 'source' (a source id) alone",
                )
            )
        elif teller.consent == "named" and not teller.name:
            self.problems.append(located.problem(("teller", "consent"), "consent 'named' needs a name"))

    def _unique_entries(self) -> None:
        """Require event, story, statement, proposal and example ids to be unique across files."""
        seen: dict[tuple[str, str], tuple[str, int]] = {}
        for folder, rules in ENTRY_IDS.items():
            for loaded in self.folders[folder]:
                located = loaded.located
                for pattern, what in rules:
                    for path, ident in find(located.data, pattern):
                        if not isinstance(ident, str):
                            continue
                        first = seen.get((what, ident))
                        if first is None:
                            seen[(what, ident)] = (located.file, located.where(path)[0])
                            continue
                        where = f"line {first[1]}" if first[0] == located.file else f"{first[0]}:{first[1]}"
                        self.problems.append(
                            located.problem(
                                path, f"duplicate {what} id '{ident}' (first used on {where}); {UNIQUE}", hint=UNIQUE
                            )
                        )

    def _unused(self) -> None:
        """Warn about registry entries nothing refers to."""
        for name, key, what, message, hint in (
            (
                "participants.yaml",
                "participants",
                "participant",
                "participant '{}' is never referred to",
                "remove it or refer to it",
            ),
            ("themes.yaml", "themes", "theme", "theme '{}' has no content yet", "its chapter will be empty"),
        ):
            loaded = self.docs[name]
            for i, ident in enumerate(_raw_ids(loaded, key) or []):
                if ident not in self.used[what]:
                    said = f"{message.format(ident)}; {hint}"
                    self.warnings.append(loaded.located.problem((key, i, "id"), said, hint=hint, warning=True))


def _at(data: Any, path: KeyPath) -> Any:
    """Return the value at a key path that find() returned."""
    for part in path:
        data = data[part]
    return data


def strings(data: Any, path: KeyPath = ()) -> list[tuple[KeyPath, str]]:
    """Return (path, text) for every string in a loaded file."""
    if isinstance(data, str):
        return [(path, data)]
    if isinstance(data, dict):
        return [hit for key, value in data.items() for hit in strings(value, (*path, key))]
    if isinstance(data, list):
        return [hit for i, value in enumerate(data) for hit in strings(value, (*path, i))]
    return []


def _either(values: Sequence[str]) -> str:
    """Quote values as a choice: 'a', 'b' or 'c'."""
    quoted = [f"'{v}'" for v in values]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]
