"""Find the project and resolve paths inside it, refusing anything outside."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from compendium.content.explain import explain_all
from compendium.content.load import Located, load_yaml
from compendium.content.model import Project as ProjectSettings
from compendium.errors import CompendiumError, Fault, InputError, Problem, did_you_mean, in_brackets

PROJECT_FILE = "compendium.yaml"


@dataclass(frozen=True)
class Project:
    """A project folder: its settings and the absolute paths they name."""

    root: Path
    settings: ProjectSettings

    @property
    def inputs(self) -> Path:
        """Return the inputs folder."""
        return self.root / self.settings.inputs

    @property
    def templates(self) -> Path:
        """Return the template override folder."""
        return self.root / self.settings.templates

    @property
    def output(self) -> Path:
        """Return the default output folder."""
        return self.root / self.settings.output

    def rel(self, path: Path) -> str:
        """Return a path relative to the project root, for messages."""
        return relative_name(self.root, path)

    def resolve_inside(self, name: str) -> Path | None:
        """Resolve a project-relative path; None if it leaves the project."""
        if not name or os.path.isabs(name) or "\\" in name or "\0" in name:
            return None
        path = (self.root / name).resolve()
        if not path.is_relative_to(self.root):
            return None
        return path

    def check_asset(self, name: str, suffixes: set[str], what: str = "file") -> Fault | None:
        """Say what is wrong with an asset path and how to fix it, or None when it is usable."""
        if "\0" in name:
            shown = name.replace("\0", "\\0")
            return Fault.then(f"'{shown}' holds a NUL character (U+0000), which no file name can hold", "remove it")
        if "\\" in name:
            return Fault.then(
                f"'{name}' uses backslashes", "write the path with forward slashes, e.g. inputs/photos/x.jpg"
            )
        path = self.resolve_inside(name)
        if path is None:
            return Fault.then(f"'{name}' is outside the project", "give a path inside it, e.g. inputs/photos/x.jpg")
        if path.suffix.lower() not in suffixes:
            return Fault.then(f"'{name}' has an unsupported type", f"expected one of {', '.join(sorted(suffixes))}")
        if path.exists() and not path.is_file():
            return Fault.then(
                f"'{name}' is not a regular file (a folder, device or pipe)", f"give the path of a {what}"
            )
        if not path.is_file():
            siblings = sorted(self.rel(p) for p in path.parent.glob("*")) if path.parent.is_dir() else []
            hint = did_you_mean(self.rel(path), siblings)
            return Fault(f"{what} '{name}' does not exist{in_brackets(hint)}", hint)
        return None


YAML_SUFFIXES = (".yaml", ".yml")


def relative_name(root: Path, path: Path) -> str:
    """Name a path relative to root with '/' (as written in the project), or in full when it lies outside.

    By text when it begins with root: a build names thousands of files, and pathlib's relative_to
    costs a tenth of an edited build's time at that scale.
    """
    prefix = str(root).rstrip(os.sep) + os.sep
    text = str(path)
    if text.startswith(prefix) and os.sep == "/":
        return text[len(prefix) :]
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return text


def input_files(folder: Path, *, recursive: bool = False) -> list[Path]:
    """List the YAML files in a folder, leaving out hidden ones.

    Editors and systems leave hidden files that look like inputs: Emacs's lock
    links (.#x.yaml) and macOS's resource forks on shared drives (._x.yaml).
    """
    found = folder.rglob("*") if recursive else folder.glob("*")
    return sorted(p for p in found if p.suffix in YAML_SUFFIXES and not _hidden(p, folder))


def _hidden(path: Path, folder: Path) -> bool:
    """Tell whether a path found under folder has a hidden part below it (by text: thousands of files are listed)."""
    prefix = str(folder) + os.sep
    below = str(path)[len(prefix) :] if str(path).startswith(prefix) else str(path.relative_to(folder))
    return any(part.startswith(".") for part in below.split(os.sep))


def _inside(root: Path, settings: ProjectSettings, located: Located | None) -> None:
    """Require the folders compendium.yaml names to lie inside the project; report them all at their lines."""
    problems = []
    for key in ("inputs", "templates", "output"):
        value = getattr(settings, key)
        # A NUL cannot be in a path (resolving it would fail), so it is as good as outside.
        if "\0" in value or os.path.isabs(value) or not (root / value).resolve().is_relative_to(root):
            fault = Fault.then(f"'{value}' is outside the project", f"give a folder inside it, e.g. '{key}'")
            problems.append(
                located.problem((key,), fault.message, hint=fault.hint)
                if located
                else Problem(PROJECT_FILE, message=fault.message, hint=fault.hint)
            )
    if problems:
        raise InputError(problems)


def find_project(start: Path | None = None, explicit: Path | None = None) -> Project:
    """Find compendium.yaml in `explicit`, or in `start` or a folder above it."""
    if explicit is not None:
        root = explicit.resolve()
        if not root.is_dir():
            raise CompendiumError(f"the project folder {explicit} does not exist")
        if not (root / PROJECT_FILE).is_file():
            raise CompendiumError(f"{explicit} is not a compendium project: it has no {PROJECT_FILE}")
    else:
        here = (start or Path.cwd()).resolve()
        for root in (here, *here.parents):
            if (root / PROJECT_FILE).is_file():
                break
        else:
            fix = "run this inside a project, pass --project DIR, or create one with 'compendium init DIR'"
            raise CompendiumError(f"no {PROJECT_FILE} found in {here} or any folder above it; {fix}", hint=fix)
    settings, located = _settings(root)
    _inside(root, settings, located)
    return Project(root, settings)


def _settings(root: Path) -> tuple[ProjectSettings, Located | None]:
    """Load compendium.yaml, with where each value is (None for an empty file)."""

    text = (root / PROJECT_FILE).read_text(encoding="utf-8", errors="replace")
    if all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        return ProjectSettings(), None  # an empty project file means all defaults
    located = load_yaml(root / PROJECT_FILE, PROJECT_FILE)
    try:
        return ProjectSettings.model_validate(located.data), located
    except ValidationError as exc:
        raise InputError(explain_all(located, ProjectSettings, exc)) from None
