"""`compendium schema`: JSON Schemas for the input files, made from the pydantic models.

An editor with the YAML extension (yaml-language-server) uses them to
complete keys, show each field's description and mark mistakes while typing.
`compendium check` stays the authority: a schema cannot see references
between files (an unknown theme id) or whether a photo exists.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from compendium.content import model as m
from compendium.errors import CompendiumError
from compendium.messages import _

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_FOLDER = "schemas"


@dataclass(frozen=True)
class Kind:
    """One kind of input file: its schema's name, its model and where such files are."""

    name: str
    model: type[m.Strict]
    pattern: str  # relative to the inputs folder, or to the project for compendium.yaml


KINDS = (
    Kind("project", m.Project, "compendium.yaml"),
    Kind("publication", m.Publication, "publication.yaml"),
    Kind("themes", m.ThemesFile, "themes.yaml"),
    Kind("participants", m.ParticipantsFile, "participants.yaml"),
    Kind("key-figures", m.KeyFiguresFile, "key-figures.yaml"),
    Kind("event", m.Event, "events/*.yaml"),
    Kind("story", m.Story, "stories/*.yaml"),
    Kind("statements", m.Collection, "statements/*.yaml"),
)


def file_name(kind: Kind) -> str:
    """Return the schema's file name, e.g. event.schema.json."""
    return f"{kind.name}.schema.json"


def schema_text(kind: Kind) -> str:
    """Return one kind's JSON Schema as stable, readable JSON text."""
    schema = {"$schema": SCHEMA_DIALECT, **kind.model.model_json_schema()}
    schema["title"] = f"compendium: {kind.pattern}"
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write every kind's schema into a folder; return the files written."""
    written = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for kind in KINDS:
            path = folder / file_name(kind)
            path.write_text(schema_text(kind), encoding="utf-8")
            written.append(path)
    except OSError as exc:
        raise CompendiumError(
            _("cannot write the schemas to {folder}: {strerror}").format(folder=folder, strerror=exc.strerror)
        ) from None
    return written


def glob_for(kind: Kind, inputs: str) -> str:
    """Return the project-relative glob of the files a schema applies to."""
    return kind.pattern if kind.name == "project" else f"{inputs.rstrip('/')}/{kind.pattern}"


def vscode_settings(inputs: str = "inputs", folder: str = SCHEMA_FOLDER) -> str:
    """Return .vscode/settings.json text that ties each schema to its files."""
    schemas = {f"./{folder}/{file_name(k)}": _both_suffixes(glob_for(k, inputs)) for k in KINDS}
    return json.dumps({"yaml.schemas": schemas}, ensure_ascii=False, indent=2) + "\n"


def _both_suffixes(glob: str) -> list[str]:
    """Return a folder glob for .yaml and for .yml, which the loader reads alike."""
    return [glob, glob.removesuffix(".yaml") + ".yml"] if "*" in glob else [glob]


# VS Code offers to install the YAML extension that reads the schemas.
VSCODE_EXTENSIONS = json.dumps({"recommendations": ["redhat.vscode-yaml"]}, indent=2) + "\n"


def modeline(kind_name: str, depth: int) -> str:
    """Return the first-line comment that points a file at its schema, `depth` folders below the project."""
    return f"# yaml-language-server: $schema={'../' * depth}{SCHEMA_FOLDER}/{kind_name}.schema.json\n"
