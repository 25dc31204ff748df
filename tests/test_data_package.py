"""The open-data package (build --format data): valid Frictionless, what the public edition prints, the same bytes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import frictionless
import pytest

from benchmarks import corpus
from compendium.consent import withheld_names
from compendium.content.validate import load_content
from compendium.project import find_project
from tests.base import CONSENT_MIX, EVENT, MINIMAL, PUBLICATION, write_project
from tests.conftest import run, snapshot
from tests.test_word import WITHHELD, all_words


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The consent mix's data package, built once."""
    root = write_project(tmp_path_factory.mktemp("data") / "project", CONSENT_MIX)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COMPENDIUM_COMMIT", "")
        result = run("build", "--format", "data", "--quiet", "--project", root)
    assert result.exit_code == 0, result.output
    return root / "build" / "data"


def rows(folder: Path, name: str) -> list[dict[str, str]]:
    """Read one resource's CSV file."""
    with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_the_package_is_a_valid_frictionless_data_package(package: Path) -> None:
    report = frictionless.validate(package / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    names = [r["path"] for r in descriptor["resources"]]
    kinds = ("themes", "events", "proposals", "statements", "wishes", "practice_examples", "stories")
    kinds += ("key_figures", "sources")
    assert names == [f"{kind}.{fmt}" for kind in kinds for fmt in ("csv", "json")]


def test_every_resource_is_the_same_in_csv_and_json(package: Path) -> None:
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"][::2]:
        name = resource["path"].removesuffix(".csv")
        as_json = json.loads((package / f"{name}.json").read_text(encoding="utf-8"))
        table = frictionless.Resource(
            package / resource["path"], schema=frictionless.Schema.from_descriptor(resource["schema"])
        )
        assert [dict(row) for row in table.read_rows()] == as_json, name


def test_no_withheld_name_is_in_any_file_and_speakers_are_credited_as_printed(package: Path) -> None:
    for path in sorted(package.iterdir()):
        text = path.read_text(encoding="utf-8")
        assert [name for name in WITHHELD if name in text] == [], path.name
    speakers = {row["id"]: row["speaker"] for row in rows(package, "statements")}
    assert speakers == {
        "lene": "Lene Buhl",
        "jobkonsulenten": "Jobkonsulent, Jobcenter Fjordby",  # role-only: as the printed provenance line says
        "tr": "Tillidsrepræsentanterne",  # a group, by its description
        "ukendt": "En leder fra salen",
    }
    assert [row["teller"] for row in rows(package, "stories")] == ["Jobkonsulent, Jobcenter Fjordby"]
    # Ole withdrew: his statement is absent, and the proposal credits only who may still be credited.
    assert "Det trukne udsagn." not in (package / "statements.json").read_text(encoding="utf-8")
    assert [row["credited"] for row in rows(package, "proposals")] == ['["Jobkonsulent, Jobcenter Fjordby"]']
    assert json.loads(rows(package, "events")[0]["participants"]) == [
        "Lene Buhl", "Jobkonsulent, Jobcenter Fjordby", "Tillidsrepræsentanterne",
    ]  # fmt: skip


def test_the_readme_describes_every_field_of_every_file_in_danish(package: Path) -> None:
    readme = (package / "README.md").read_text(encoding="utf-8")
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"][::2]:
        section = readme.split(f"`{resource['path']}`", 1)[1].split("\n## ", 1)[0]
        for field in resource["schema"]["fields"]:
            assert f"| `{field['name']}` |" in section, (resource["path"], field["name"])
    assert "| `speaker` | tekst | Hvem der sagde det, som udgivelsen skriver det" in readme


def test_the_package_has_the_same_bytes_every_time(package: Path, tmp_path: Path) -> None:
    project = package.parent.parent
    again = run(
        "build", "--format", "data", "--no-cache", "--quiet", "--output", tmp_path / "out", "--project", project
    )
    assert again.exit_code == 0, again.output
    assert snapshot(tmp_path / "out" / "data") == snapshot(package)


def test_an_id_that_names_a_withheld_person_stops_the_package_and_nothing_is_written(tmp_path: Path) -> None:
    """Statement ids are published though the documents do not print them: the leak check reads them too."""
    files = dict(CONSENT_MIX)
    files[EVENT] = str(files[EVENT]).replace("id: jobkonsulenten", "id: karinas-udsagn")
    root = write_project(tmp_path / "project", files)
    assert run("build", "--format", "html", "--quiet", "--project", root).exit_code == 0
    before = snapshot(root / "build")
    result = run("build", "--format", "data", "--quiet", "--project", root)
    assert result.exit_code == 1
    assert (
        f"{EVENT}:7:27 the public edition would print 'Karina' (participant karina, consent 'role-only') "
        "in data/statements.csv; remove it from the text"
    ) in result.output
    assert snapshot(root / "build") == before


def test_check_finds_what_the_package_would_print_when_the_publication_makes_one(tmp_path: Path) -> None:
    """What passes `check` passes a build: with `formats: [.., data]`, check reads the package's ids too."""
    files = dict(CONSENT_MIX)
    files[EVENT] = str(files[EVENT]).replace("id: jobkonsulenten", "id: karinas-udsagn")
    files[PUBLICATION] = MINIMAL[PUBLICATION].rstrip(" ") + "        formats: [html, data]\n"
    root = write_project(tmp_path / "project", files)
    result = run("check", "--project", root)
    assert result.exit_code == 1
    assert (
        f"{EVENT}:7:27 the public edition would print 'Karina' (participant karina, consent 'role-only') "
        "in data/statements.csv; remove it from the text"
    ) in result.output
    files[PUBLICATION] = MINIMAL[PUBLICATION]
    assert run("check", "--project", write_project(tmp_path / "other", files)).exit_code == 0


def test_a_generated_corpus_exports_no_withheld_name(tmp_path: Path) -> None:
    """The corpus generator's consents, all three, at a small scale: the Word edition and the data package."""
    root = tmp_path / "corpus"
    corpus.write(corpus.generate(12, 6, 3), root)
    for fmt in ("data", "docx"):
        result = run("build", "--format", fmt, "--quiet", "--project", root)
        assert result.exit_code == 0, result.output
    content = load_content(find_project(explicit=root), checks=())
    full_names = [name for name in withheld_names(content, "public") if " " in name]
    assert len(full_names) >= 3
    texts = [p.read_text(encoding="utf-8") for p in sorted((root / "build" / "data").iterdir())]
    texts += [all_words(root / "build" / f"{doc}.docx") for doc in ("compendium", "debate-paper")]
    assert [name for name in full_names if any(name in text for text in texts)] == []
