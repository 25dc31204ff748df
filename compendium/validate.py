"""Stage 2, validate: shape each file with pydantic, then check references.

Every problem in every file is collected; the caller raises once.
"""

from __future__ import annotations

import difflib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from . import model as m
from .errors import InputError, KeyPath, Problem, suggest
from .load import Located, load_yaml
from .project import Project

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif"}


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
    files: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def load_content(project: Project, *, strict: bool = False) -> Content:
    """Load and validate every input file; raise InputError listing all problems."""
    problems: list[Problem] = []
    docs: dict[str, Loaded] = {}
    folders: dict[str, list[Loaded]] = {name: [] for name in m.FOLDER_FILES}

    for name, model in m.REGISTRY_FILES.items():
        path = project.inputs / name
        if not path.is_file():
            problems.append(Problem(project.rel(path), message=f"missing file; every project needs {name}"))
            continue
        loaded = _load_one(project, path, model, problems)
        if loaded:
            docs[name] = loaded
    for folder, model in m.FOLDER_FILES.items():
        for path in sorted((project.inputs / folder).glob("*.y*ml")):
            loaded = _load_one(project, path, model, problems)
            if loaded:
                folders[folder].append(loaded)

    # References are checked even when some files are broken, against
    # whatever ids could be read, so one run reports every problem.
    checker = _References(project, docs, folders)
    problems += checker.check()
    if strict:
        problems += checker.warnings
    if problems:
        raise InputError(sorted(set(problems)))

    def valid(name: str) -> Any:
        return docs[name].obj

    return Content(
        project=project,
        publication=valid("publication.yaml"),
        themes=list(valid("themes.yaml").themes),
        participants={p.id: p for p in valid("participants.yaml").participants},
        key_figures=list(valid("key-figures.yaml").key_figures),
        events=sorted((typing.cast(m.Event, x.obj) for x in folders["events"]), key=lambda e: (e.date, e.id)),
        stories=sorted((typing.cast(m.Story, x.obj) for x in folders["stories"]), key=lambda s: (s.date, s.id)),
        files=sorted(x.located.file for x in [*docs.values(), *folders["events"], *folders["stories"]]),
        warnings=sorted(set(checker.warnings)),
    )


@dataclass(frozen=True)
class Loaded:
    """A parsed file and, when its shape is valid, its model object."""

    located: Located
    obj: Any


def _load_one(project: Project, path: Path, model: type[BaseModel], problems: list[Problem]) -> Loaded | None:
    """Load and shape-check one file, adding its problems to the list."""
    try:
        located = load_yaml(path, project.rel(path))
    except InputError as exc:
        problems += exc.problems
        return None
    try:
        return Loaded(located, model.model_validate(located.data))
    except ValidationError as exc:
        problems += explain_all(located, model, exc)
        return Loaded(located, None)


# --- pydantic errors, in an editor's words ---------------------------------


def explain_all(located: Located, model: type[BaseModel], exc: ValidationError) -> list[Problem]:
    """Explain every error of one file, dropping a 'missing' that a typo explains."""
    errors = exc.errors()
    # A misspelt key ('titel') shows up twice: unknown 'titel', missing 'title'.
    # The unknown one, with its suggestion, says all there is to say.
    explained = set()
    for err in errors:
        if err["type"] == "extra_forbidden":
            owner = _model_at(model, _data_path(located.data, tuple(err["loc"][:-1])))
            fields = list(owner.model_fields) if owner else []
            match = difflib.get_close_matches(str(err["loc"][-1]), fields, n=1, cutoff=0.6)
            if match:
                explained.add((*err["loc"][:-1], match[0]))
    return [
        _explain(located, model, err)
        for err in errors
        if not (err["type"] == "missing" and tuple(err["loc"]) in explained)
    ]


def _data_path(data: Any, loc: tuple[Any, ...]) -> KeyPath:
    """Keep the part of a pydantic location that exists in the data."""
    path: list[str | int] = []
    for part in loc:
        in_mapping = isinstance(data, dict) and isinstance(part, str) and part in data
        in_list = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if not (in_mapping or in_list):
            break
        data = data[part]
        path.append(part)
    return tuple(path)


def _model_at(model: type[BaseModel], path: KeyPath) -> type[BaseModel] | None:
    """Find the model class that describes the mapping at a key path."""
    current: Any = model
    for part in path:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = _unwrap(info.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """Strip Optional and list[...] from an annotation to find a model."""
    origin = typing.get_origin(annotation)
    if origin in (list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _unwrap(arg)
            if isinstance(found, type) and issubclass(found, BaseModel):
                return found
    return annotation


def _type_name(value: Any) -> str:
    """Describe a YAML value's type for a message."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    return "text"


def _explain(located: Located, model: type[BaseModel], err: Any) -> Problem:
    """Turn one pydantic error into a Problem with a position and a hint."""
    loc = tuple(err["loc"])
    kind = err["type"]
    path = _data_path(located.data, loc)
    value = err.get("input")
    if kind == "missing":
        return located.problem(loc, "required field is missing; add it")
    if kind == "extra_forbidden":
        key = str(loc[-1])
        owner = _model_at(model, path[:-1])
        fields = list(owner.model_fields) if owner else []
        expected = f"; expected one of: {', '.join(fields)}" if fields else ""
        return located.problem(path, f"unknown field '{key}'{suggest(key, fields) or expected}", key=True)
    if kind in ("string_type", "str_type") and path in located.raw:
        text, read_as = located.raw[path]
        return located.problem(path, f'expected text, but YAML reads {text} as {read_as}; put it in quotes: "{text}"')
    if kind == "literal_error":
        expected = err["ctx"]["expected"]
        options = [o.strip(" '") for o in expected.replace(" or ", ", ").split(",")]
        return located.problem(path, f"'{value}' is not allowed; expected {expected}{suggest(str(value), options)}")
    if kind == "string_pattern_mismatch" and path and path[-1] == "url":
        return located.problem(path, f"'{value}' is not a web address; it must start with http:// or https://")
    if kind == "string_pattern_mismatch":
        return located.problem(path, f"'{value}' is not a valid id; use lower-case letters, digits and dashes")
    if kind == "string_too_short":
        return located.problem(path, "must not be empty")
    if kind == "too_short":
        return located.problem(path, "needs at least one item")
    if kind.startswith("date"):
        return located.problem(path, f"'{value}' is not a date; expected YYYY-MM-DD, e.g. 2023-03-08")
    if kind.startswith("bool"):
        return located.problem(path, f"expected true or false, found {_type_name(value)}")
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return located.problem(path, f"expected a mapping of fields, found {_type_name(value)}")
    if kind == "list_type":
        return located.problem(path, f"expected a list, found {_type_name(value)}")
    if kind in ("string_type", "str_type"):
        return located.problem(path, f"expected text, found {_type_name(value)}")
    return located.problem(path, str(err["msg"]))


# --- references between files ----------------------------------------------


def _raw_ids(loaded: Loaded | None, key: str) -> list[str] | None:
    """Read the ids of a registry list, even from a file that failed validation."""
    if loaded is None:
        return None
    if loaded.obj is not None:
        return [item.id for item in getattr(loaded.obj, key)]
    items = loaded.located.data.get(key) if isinstance(loaded.located.data, dict) else None
    if not isinstance(items, list):
        return None
    return [item["id"] for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)]


class _References:
    """Check ids, references and photo files across all loaded files."""

    def __init__(self, project: Project, docs: dict[str, Loaded], folders: dict[str, list[Loaded]]) -> None:
        self.project = project
        self.docs = docs
        self.folders = folders
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        # None means the registry could not be read, so references to it are not checked.
        self.themes = _raw_ids(docs.get("themes.yaml"), "themes")
        self.participants = _raw_ids(docs.get("participants.yaml"), "participants")
        self.sources = _raw_ids(docs.get("publication.yaml"), "sources")
        self.events = [x.located.data["id"] for x in folders["events"] if isinstance(x.located.data.get("id"), str)]
        self.used_participants: set[str] = set()
        self.used_themes: set[str] = set()

    def check(self) -> list[Problem]:
        """Run every check and return the problems found."""
        self._registries()
        for loaded in self.folders["events"]:
            if loaded.obj is not None:
                self._event(loaded.located, loaded.obj)
        for loaded in self.folders["stories"]:
            if loaded.obj is not None:
                self._story(loaded.located, loaded.obj)
        self._unique_entries()
        if len(self.docs) == len(m.REGISTRY_FILES) and all(d.obj is not None for d in self.docs.values()):
            self._unused()
        return self.problems

    def ref(self, located: Located, path: KeyPath, value: str | None, known: list[str] | None, what: str) -> None:
        """Report a reference to an unknown id, with the nearest valid one."""
        if value is None or known is None:
            return
        if value not in known:
            self.problems.append(located.problem(path, f"unknown {what} '{value}'{suggest(value, known)}"))

    def themes_ref(self, located: Located, path: KeyPath, themes: list[str]) -> None:
        """Check a list of theme ids."""
        for i, theme in enumerate(themes):
            self.ref(located, (*path, i), theme, self.themes, "theme")
            self.used_themes.add(theme)

    def person(self, located: Located, path: KeyPath, pid: str | None) -> None:
        """Check a participant id."""
        if pid is not None:
            self.used_participants.add(pid)
        self.ref(located, path, pid, self.participants, "participant")

    def photo(self, located: Located, path: KeyPath, photo: m.Photo | None) -> None:
        """Check that a photo file exists inside the project."""
        if photo is None:
            return
        message = self.project.check_asset(photo.file, IMAGE_SUFFIXES)
        if message:
            self.problems.append(located.problem((*path, "file"), message))

    def duplicates(self, located: Located, path: KeyPath, ids: list[str], what: str) -> None:
        """Report ids used twice within one list."""
        first: dict[str, int] = {}
        for i, ident in enumerate(ids):
            if ident in first:
                line = located.where((*path, first[ident], "id"))[0]
                self.problems.append(
                    located.problem(
                        (*path, i, "id"),
                        f"duplicate {what} id '{ident}' (first used on line {line}); give each a unique id",
                    )
                )
            else:
                first[ident] = i

    def _registries(self) -> None:
        """Check the publication, themes, participants and key figures."""
        if (loaded := self.docs.get("publication.yaml")) and loaded.obj:
            pub: m.Publication = loaded.obj
            self.duplicates(loaded.located, ("sources",), [s.id for s in pub.sources], "source")
            self.photo(loaded.located, ("cover_photo",), pub.cover_photo)
        if (loaded := self.docs.get("themes.yaml")) and loaded.obj:
            self.duplicates(loaded.located, ("themes",), [t.id for t in loaded.obj.themes], "theme")
        if (loaded := self.docs.get("participants.yaml")) and loaded.obj:
            people: list[m.Participant] = loaded.obj.participants
            self.duplicates(loaded.located, ("participants",), [p.id for p in people], "participant")
            for i, person in enumerate(people):
                if person.consent == "named" and not person.name:
                    self.problems.append(
                        loaded.located.problem(
                            ("participants", i, "consent"),
                            "consent 'named' needs a name; add 'name' or use 'role-only'",
                        )
                    )
        if (loaded := self.docs.get("key-figures.yaml")) and loaded.obj:
            figures: list[m.KeyFigure] = loaded.obj.key_figures
            self.duplicates(loaded.located, ("key_figures",), [k.id for k in figures], "key figure")
            for i, fig in enumerate(figures):
                self.ref(loaded.located, ("key_figures", i, "source"), fig.source, self.sources, "source")

    def _file_id(self, located: Located, ident: str) -> None:
        """Require a file's id to match its file name, so ids stay findable."""
        if ident != Path(located.file).stem:
            self.problems.append(
                located.problem(
                    ("id",),
                    f"id '{ident}' does not match the file name; change it to '{Path(located.file).stem}' "
                    f"or rename the file to {ident}.yaml",
                )
            )

    def _event(self, located: Located, event: m.Event) -> None:
        """Check one event file's references."""
        self._file_id(located, event.id)
        self.person(located, ("facilitator",), event.facilitator)
        for i, pid in enumerate(event.participants):
            self.person(located, ("participants", i), pid)
        self.ref(located, ("source",), event.source, self.sources, "source")
        for i, photo in enumerate(event.photos):
            self.photo(located, ("photos", i), photo)
        present = {*event.participants, event.facilitator}
        for i, st in enumerate(event.statements):
            self.person(located, ("statements", i, "speaker"), st.speaker)
            self.themes_ref(located, ("statements", i, "themes"), st.themes)
            if self.participants and st.speaker in self.participants and st.speaker not in present:
                self.warnings.append(
                    located.problem(
                        ("statements", i, "speaker"),
                        f"'{st.speaker}' is not listed in the event's participants",
                        warning=True,
                    )
                )
        for i, prop in enumerate(event.proposals):
            self.themes_ref(located, ("proposals", i, "themes"), prop.themes)
            for j, pid in enumerate(prop.origin.participants):
                self.person(located, ("proposals", i, "origin", "participants", j), pid)
        for kind in ("keep", "discard"):
            for i, wish in enumerate(getattr(event.wishes, kind)):
                self.themes_ref(located, ("wishes", kind, i, "themes"), wish.themes)
        for i, ex in enumerate(event.practice_examples):
            self.themes_ref(located, ("practice_examples", i, "themes"), ex.themes)

    def _story(self, located: Located, story: m.Story) -> None:
        """Check one story file's references and its teller."""
        self._file_id(located, story.id)
        self.themes_ref(located, ("themes",), story.themes)
        self.ref(located, ("event",), story.event, self.events, "event")
        self.photo(located, ("photo",), story.photo)
        teller = story.teller
        if teller.participant is not None:
            self.person(located, ("teller", "participant"), teller.participant)
            if teller.name or teller.consent or teller.role or teller.workplace:
                self.problems.append(
                    located.problem(
                        ("teller",),
                        "give either 'participant', or 'name', 'role', 'workplace' and 'consent', not both",
                    )
                )
        elif teller.consent is None:
            self.problems.append(
                located.problem(
                    ("teller",),
                    "missing 'consent' ('named', 'role-only' or 'anonymous') for a teller who is not a participant",
                )
            )
        elif teller.consent == "named" and not teller.name:
            self.problems.append(located.problem(("teller", "consent"), "consent 'named' needs a name"))

    def _unique_entries(self) -> None:
        """Require event, story, statement, proposal and example ids to be unique across files."""
        seen: dict[tuple[str, str], tuple[str, int]] = {}

        def claim(what: str, ident: str, located: Located, path: KeyPath) -> None:
            first = seen.get((what, ident))
            if first is None:
                seen[(what, ident)] = (located.file, located.where(path)[0])
                return
            where = f"line {first[1]}" if first[0] == located.file else f"{first[0]}:{first[1]}"
            self.problems.append(
                located.problem(path, f"duplicate {what} id '{ident}' (first used on {where}); give each a unique id")
            )

        for loaded in self.folders["events"]:
            event: m.Event | None = loaded.obj
            if event is None:
                continue
            claim("event", event.id, loaded.located, ("id",))
            lists = (("statement", "statements"), ("proposal", "proposals"), ("practice example", "practice_examples"))
            for what, key in lists:
                for i, item in enumerate(getattr(event, key)):
                    claim(what, item.id, loaded.located, (key, i, "id"))
        for loaded in self.folders["stories"]:
            if loaded.obj is not None:
                claim("story", loaded.obj.id, loaded.located, ("id",))

    def _unused(self) -> None:
        """Warn about registry entries nothing refers to."""
        loaded = self.docs["participants.yaml"]
        for i, pid in enumerate(self.participants or []):
            if pid not in self.used_participants:
                self.warnings.append(
                    loaded.located.problem(
                        ("participants", i, "id"),
                        f"participant '{pid}' is never referred to; remove it or refer to it",
                        warning=True,
                    )
                )
        loaded = self.docs["themes.yaml"]
        for i, tid in enumerate(self.themes or []):
            if tid not in self.used_themes:
                self.warnings.append(
                    loaded.located.problem(
                        ("themes", i, "id"),
                        f"theme '{tid}' has no content yet; its chapter will be empty",
                        warning=True,
                    )
                )
