"""The docs site: the generated references cover the code, label descriptions match the label files, the README is short."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import yaml

from compendium.content.model import Language
from tools import docs_reference as reference
from tools import mkdocs_hooks as hooks

REPO = Path(__file__).parents[1]


def _keys(name: str) -> list[str]:
    """Return the keys of a packaged label file, in file order."""
    return list(yaml.safe_load((reference.LABELS / f"{name}.yaml").read_text(encoding="utf-8")))


def test_every_label_key_has_a_description_and_every_description_a_key() -> None:
    descriptions = yaml.safe_load((reference.LABELS / "descriptions.yaml").read_text(encoding="utf-8"))

    for language in ("da", "en"):
        assert sorted(set(_keys(language)) - set(descriptions)) == [], f"keys of {language}.yaml with no description"
        assert sorted(set(descriptions) - set(_keys(language))) == [], f"descriptions of keys not in {language}.yaml"
    assert [k for k, v in descriptions.items() if not isinstance(v, str) or not v.strip() or "\n" in v.strip()] == []


def test_the_descriptions_file_is_not_a_language() -> None:
    # The labels are read from labels/<language>.yaml, and a language is one the model allows.
    label_files = {p.stem for p in reference.LABELS.glob("*.yaml")}
    assert set(typing.get_args(Language)) == label_files - {"descriptions"}
    assert "descriptions" not in typing.get_args(Language)


def test_the_label_reference_names_every_key_with_its_description_and_both_texts() -> None:
    page = reference.label_reference()

    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `([^`]+)` \|.*$", page, re.M)}
    assert list(rows) == _keys("da")
    assert rows["group_size"] == (
        "| `group_size` | After a group in an event's participant list: its `size` ({n}; plural forms). "
        "| *one:* {n} person<br>*other:* {n} personer | *one:* {n} person<br>*other:* {n} people |"
    )
    assert rows["internal_mark"].endswith("| Intern – må ikke videregives | Internal – not for distribution |")


def test_the_field_reference_names_every_model_and_field_each_with_a_description() -> None:
    from compendium.commands.schema import KINDS

    page = reference.field_reference()
    fields = reference.documented_fields()

    assert len(fields) > 100
    for kind in KINDS:
        assert f"## `{'compendium.yaml' if kind.name == 'project' else 'inputs/' + kind.pattern}` – " in page
    for model in reference.model_names():
        assert model in page
    rows = re.findall(r"^\| `(\w+)` \| (.*?) \| (.*?) \| (.*) \|$", page, re.M)
    assert [name for name, *_ in rows] == [name for _, name in fields]
    assert [name for name, _, _, meaning in rows if not meaning.strip()] == [], "fields without a description"


def test_the_field_reference_describes_types_and_defaults_as_an_editor_writes_them() -> None:
    page = reference.field_reference()

    assert "| `date` | date, not approximate | required | The publication date" in page
    assert "| `themes` | list of ids, at least one | required | The themes it is filed under" in page
    assert "| `status` | `idea`, `proposed`, `adopted` or `rejected` | `proposed` |" in page
    assert "| `teller` | [Teller](#teller) | required |" in page
    assert "| `participants_count` | count | optional |" in page
    assert '| `rationale` | Markdown | `""` |' in page


def test_the_command_reference_names_every_command_and_option() -> None:
    import typer

    from compendium.cli import app

    page = reference.cli_reference()
    root = typer.main.get_command(app)

    paths = [" ".join(path) for path, _ in reference.commands(root, ("compendium",))]
    assert {"compendium build", "compendium check", "compendium diff", "compendium import stories"} <= set(paths)
    for path, command in reference.commands(root, ("compendium",)):
        assert f"## `{' '.join(path)}`\n" in page
        for param in command.params:
            for spelling in getattr(param, "opts", []):
                if not getattr(param, "hidden", False):
                    assert spelling in page, f"{' '.join(path)} {spelling}"
    assert "| `--edition <public|internal>` | public prints people as their consent allows;" in page


def test_an_optional_page_not_written_yet_leaves_the_nav_and_nothing_else_does() -> None:
    nav = [
        {"Home": "index.md"},
        {"Guide": [{"Using the CLI": "guide/cli.md"}, {"Word edition": "guide/word.md"}]},
        {"Developers": [{"Design": "design.md"}]},
    ]

    kept = hooks._without_missing(nav, frozenset({"guide/word.md", "design.md"}))

    assert kept == [{"Home": "index.md"}, {"Guide": [{"Using the CLI": "guide/cli.md"}]}]
    assert hooks._without_missing(nav, frozenset()) == nav


def test_every_page_the_nav_names_exists_or_is_an_optional_page_another_branch_writes() -> None:
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))

    def pages(entry: object) -> list[str]:
        if isinstance(entry, list):
            return [p for item in entry for p in pages(item)]
        if isinstance(entry, dict):
            return [p for value in entry.values() for p in pages(value)]
        return [str(entry)]

    named = pages(config["nav"])
    generated = set(reference.PAGES) | {page for page in hooks.TOP_FILES if hooks._top_file(page)}
    missing = [p for p in named if not (REPO / "docs" / p).is_file() and p not in generated]
    assert sorted(set(missing) - hooks.OPTIONAL) == []
    assert "guide/templates.md" in named and (REPO / "docs" / "guide" / "templates.md").is_file()


def test_the_readme_is_short_and_its_links_lead_to_files() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")

    assert len(readme.splitlines()) < 150
    links = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", readme)
    assert "docs/kom-i-gang.md" in links and "docs/page.png" in links
    assert [link for link in links if not (REPO / link).exists()] == []


def test_links_in_a_top_level_file_lead_to_the_pages_on_the_site(tmp_path: Path) -> None:
    design = tmp_path / "DESIGN.md"
    design.write_text(
        "See [consent](README.md#consent), [the README](README.md), [the CLI](docs/guide/cli.md#exit-codes), "
        "[where to change what](ARCHITECTURE.md) and [data](README.md#field-reference).\n",
        encoding="utf-8",
    )

    assert hooks._top_page(design) == (
        "See [consent](consent.md#consent), [the README](index.md), [the CLI](guide/cli.md#exit-codes), "
        "[where to change what](architecture.md) and [data](reference/fields.md).\n"
    )
