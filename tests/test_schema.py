"""`compendium schema` and the editor wiring `init` writes: the schemas accept the example and reject mistakes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from compendium.commands.schema import KINDS, schema_text
from compendium.content.dates import DATE_PATTERN
from tests.conftest import run

SCHEMA_OF = {
    "compendium.yaml": "project",
    "inputs/publication.yaml": "publication",
    "inputs/themes.yaml": "themes",
    "inputs/participants.yaml": "participants",
    "inputs/key-figures.yaml": "key-figures",
}


def as_editor_sees(path: Path) -> Any:
    """Read YAML as the editor's language server does: YAML 1.2 reads 2025-03-12 as text."""

    def text_dates(value: Any) -> Any:
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, dict):
            return {k: text_dates(v) for k, v in value.items()}
        if isinstance(value, list):
            return [text_dates(v) for v in value]
        return value

    return text_dates(yaml.safe_load(path.read_text(encoding="utf-8")))


def schema_for(rel: str) -> str:
    """Name the schema a project-relative input file is checked against."""
    if rel.startswith("inputs/events/"):
        return "event"
    if rel.startswith("inputs/stories/"):
        return "story"
    return SCHEMA_OF[rel]


def validator(folder: Path, name: str) -> jsonschema.protocols.Validator:
    """Load a written schema and make a validator for it, checking the schema itself first."""
    schema = json.loads((folder / f"{name}.schema.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def input_files(root: Path) -> list[str]:
    """List every YAML input file of a project, relative to it."""
    found = ["compendium.yaml", *(p.relative_to(root).as_posix() for p in (root / "inputs").rglob("*.yaml"))]
    return sorted(found)


def test_schema_writes_one_file_per_kind(project: Path) -> None:
    result = run("schema", "--project", project)

    assert result.exit_code == 0, result.output
    assert result.output == (
        "Wrote 8 schemas to "
        f"{project / 'schemas'}: project.schema.json, publication.schema.json, themes.schema.json, "
        "participants.schema.json, key-figures.schema.json, event.schema.json, story.schema.json, "
        "statements.schema.json\n"
    )
    assert sorted(p.name for p in (project / "schemas").iterdir()) == sorted(f"{k.name}.schema.json" for k in KINDS)


def test_schemas_accept_every_input_file_of_the_example(project: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    assert run("schema", "--project", project, "--output", folder).exit_code == 0

    checked = []
    for rel in input_files(project):
        errors = list(validator(folder, schema_for(rel)).iter_errors(as_editor_sees(project / rel)))
        assert errors == [], (rel, [e.message for e in errors])
        checked.append(rel)
    assert len(checked) == 12  # compendium.yaml, four registries, two events, five stories


def test_schemas_accept_the_init_skeleton_and_its_settings_name_them(tmp_path: Path) -> None:
    root = tmp_path / "new"
    assert run("init", root).exit_code == 0

    settings = json.loads((root / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    globs = {schema: patterns for schema, patterns in settings["yaml.schemas"].items()}
    for rel in input_files(root):
        name = schema_for(rel)
        (patterns,) = [p for s, p in globs.items() if s == f"./schemas/{name}.schema.json"]
        assert any(Path(rel).match(p) for p in patterns), (rel, patterns)
        # The modeline on the first line points at the same schema, relative to the file.
        modeline = (root / rel).read_text(encoding="utf-8").splitlines()[0]
        target = modeline.removeprefix("# yaml-language-server: $schema=")
        assert (root / rel).parent.joinpath(target).resolve() == (root / "schemas" / f"{name}.schema.json"), rel
        assert list(validator(root / "schemas", name).iter_errors(as_editor_sees(root / rel))) == [], rel


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("themes: [tillid, faglighed]", "themes: []", "[] should be non-empty"),
        ("themes: [tillid, faglighed]", "", "'themes' is a required property"),
        ("date: 2026-09-14", "date: 14. sep 2026", f"'14. sep 2026' does not match {DATE_PATTERN!r}"),
        ("id: gaaturen", "id: Gåturen", "'Gåturen' does not match '^[a-z0-9æøå]+(-[a-z0-9æøå]+)*$'"),
        (
            "id: gaaturen",
            "id: gaaturen\nforfatter: X",
            "Additional properties are not allowed ('forfatter' was unexpected)",
        ),
    ],
)
def test_story_schema_rejects_a_broken_file(project: Path, tmp_path: Path, old: str, new: str, message: str) -> None:
    story = project / "inputs" / "stories" / "gaaturen.yaml"
    text = story.read_text(encoding="utf-8")
    assert old in text
    story.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert run("schema", "--project", project, "--output", tmp_path / "out").exit_code == 0

    errors = [e.message for e in validator(tmp_path / "out", "story").iter_errors(as_editor_sees(story))]

    assert errors == [message]


@pytest.mark.parametrize(
    ("entry", "valid"),
    [
        ("- id: a\n  name: A\n  consent: named\n", True),
        ("- id: a\n  kind: person\n  consent: anonymous\n", True),
        ("- id: a\n  name: A\n", False),  # a person needs a consent
        ("- id: g\n  kind: group\n  description: et borgerpanel\n  size: 9\n", True),
        ("- id: g\n  kind: group\n  description: et borgerpanel\n  consent: named\n", False),
        ("- id: g\n  kind: group\n", False),  # a group needs its description
        ("- id: o\n  kind: organisation\n  name: Dansk Metal\n", True),
        ("- id: o\n  kind: organisation\n  name: Dansk Metal\n  consent: named\n", False),
    ],
)
def test_participants_schema_knows_what_each_kind_needs(tmp_path: Path, entry: str, valid: bool) -> None:
    assert run("schema", "--project", tmp_path, "--output", tmp_path / "out").exit_code == 0
    path = tmp_path / "participants.yaml"
    path.write_text("participants:\n" + "".join("  " + line + "\n" for line in entry.splitlines()), "utf-8")
    errors = list(validator(tmp_path / "out", "participants").iter_errors(as_editor_sees(path)))
    assert (errors == []) is valid, [e.message for e in errors]


@pytest.mark.parametrize(
    ("date", "valid"),
    [
        (2020, True),
        ("2020-03", True),
        ("2020-03-08", True),
        ("ca. 2020-03", True),
        ("c. 2020", True),
        ("~2020-03-08", True),
        ("2020-03~", True),
        ("2020-3", False),
        ("marts 2020", False),
        (20201, False),
    ],
)
def test_the_schemas_take_every_date_form_an_editor_may_write(date: object, valid: bool) -> None:
    (story,) = [k for k in KINDS if k.name == "story"]
    schema = json.loads(schema_text(story))["properties"]["date"]
    assert jsonschema.Draft202012Validator(schema).is_valid(date) is valid


@pytest.mark.parametrize(
    ("count", "valid"), [(30, True), ("ca. 30", True), ("~30", True), ("tredive", False), (-1, False), ("ca. ", False)]
)
def test_the_event_schema_takes_a_headcount_as_a_number_or_ca(count: object, valid: bool) -> None:
    (event,) = [k for k in KINDS if k.name == "event"]
    schema = json.loads(schema_text(event))["properties"]["participants_count"]
    assert jsonschema.Draft202012Validator(schema).is_valid(count) is valid
