"""`compendium import stories` on real CSV and XLSX exports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from compendium.commands.importer import consent_level, parse_date, plan_import, slug, write_stories
from compendium.commands.tables import column_letter, read_table
from compendium.content.dates import PartialDate
from compendium.errors import CompendiumError
from compendium.project import find_project
from tests.conftest import run, snapshot

# A Microsoft Forms export saved by Danish Excel: BOM, ';' between cells, CRLF
# line ends, line breaks inside quoted cells, a formula, a duplicate and a bad row.
FORMS_CSV = (
    "\ufeffID;Starttidspunkt;Titel på historien;Arbejdsplads;Fortæl historien;Tema;Må vi bruge dit navn?;Navn;Din rolle\r\n"
    '1;12-10-2026 09:15:02;Mødet i kantinen;Jobcenter Viborg;"Vi holdt mødet i kantinen.\r\n\r\n'
    'Borgeren slappede af; det gjorde en forskel.";Tillid;Ja, med navn;Sofie Lindholm;jobkonsulent\r\n'
    '2;13-10-2026 10:00:00;"=HYPERLINK(""https://example.org"";""Planen"")";Jobcenter Holstebro;'
    '"=1+1 stod der på tavlen.";"Resultater frem for processer; faglighed";Kun rolle;Per Hansen;sagsbehandler\r\n'
    '3;13-10-2026 10:05:00;Mødet i kantinen;Jobcenter Viborg;"Vi holdt mødet i kantinen.\r\n\r\n'
    'Borgeren slappede af; det gjorde en forskel.";Tillid;Ja, med navn;Sofie Lindholm;jobkonsulent\r\n'
    "4;31-02-2026 11:00:00;;Jobcenter Skive;Noget skete.;Tilid;Måske;;\r\n"
)
MAPS = [
    "-m", "Titel på historien=title", "-m", "Arbejdsplads=workplace", "-m", "Fortæl historien=body",
    "-m", "Tema=themes", "-m", "Må vi bruge dit navn?=consent", "-m", "Navn=teller.name",
    "-m", "Din rolle=teller.role", "-m", "B=date",
]  # fmt: skip
ROW_5_PROBLEMS = (
    "svar.csv: row 5, column B 'Starttidspunkt': '31-02-2026 11:00:00' is not a date; "
    "write e.g. 2026-10-12 or 12-10-2026 (day first), or 2026-10 or 2026 when the day is not known\n"
    "svar.csv: row 5, column C 'Titel på historien': empty; every story needs a title\n"
    "svar.csv: row 5, column F 'Tema': unknown theme 'Tilid' (did you mean 'tillid'?)\n"
    "svar.csv: row 5, column G 'Må vi bruge dit navn?': unknown answer 'Måske'; expected e.g. "
    "'Ja, med navn' (named), 'Kun rolle' (role-only), 'Nej' (anonymous); see the README for all"
)
KANTINEN = """\
# Imported from svar.csv, row 2, by 'compendium import stories'.
id: moedet-i-kantinen
title: Mødet i kantinen
workplace: Jobcenter Viborg
teller:
  name: Sofie Lindholm
  role: jobkonsulent
  consent: named
date: 2026-10-12
themes:
- tillid
body: |-
  Vi holdt mødet i kantinen.

  Borgeren slappede af; det gjorde en forskel.
"""
HYPERLINK = """\
# Imported from svar.csv, row 3, by 'compendium import stories'.
id: hyperlink-https-example-org-planen
title: =HYPERLINK("https://example.org";"Planen")
workplace: Jobcenter Holstebro
teller:
  name: Per Hansen
  role: sagsbehandler
  consent: role-only
date: 2026-10-13
themes:
- resultater-frem-for-processer
- faglighed
body: =1+1 stod der på tavlen.
"""


@pytest.fixture
def export(project: Path) -> Path:
    """The CSV export, saved beside the project."""
    path = project.parent / "svar.csv"
    path.write_bytes(FORMS_CSV.encode("utf-8"))
    return path


def stories(project: Path) -> Path:
    """Return the stories folder."""
    return project / "inputs" / "stories"


def test_csv_dry_run_reports_rows_and_writes_nothing(project: Path, export: Path) -> None:
    before = snapshot(project)
    result = run("import", "stories", export, *MAPS, "--project", project)
    assert result.exit_code == 1
    assert result.output == (
        "svar.csv: row 4: warning: duplicate of row 2 (same title and story); skipped\n"
        f"{ROW_5_PROBLEMS}\n"
        "Error: 4 problems found; nothing was written.\n"
    )
    assert snapshot(project) == before


def test_csv_dry_run_with_skip_invalid_shows_the_plan(project: Path, export: Path) -> None:
    before = snapshot(project)
    result = run("import", "stories", export, *MAPS, "--skip-invalid", "--project", project)
    assert result.exit_code == 0, result.output
    skipped = "".join(f"{line} (row skipped)\n" for line in ROW_5_PROBLEMS.splitlines())
    assert result.output == (
        "svar.csv: row 4: warning: duplicate of row 2 (same title and story); skipped\n"
        f"{skipped}"
        "Would create 2 stories from svar.csv:\n"
        f"  {project / 'inputs/stories/moedet-i-kantinen.yaml'}  (row 2) Mødet i kantinen\n"
        f"  {project / 'inputs/stories/hyperlink-https-example-org-planen.yaml'}  (row 3) "
        '=HYPERLINK("https://example.org";"Planen")\n'
        "Dry run: nothing was written. Add --write to create these files.\n"
    )
    assert snapshot(project) == before


def test_csv_write_creates_files_that_pass_check(project: Path, export: Path) -> None:
    result = run("import", "stories", export, *MAPS, "--skip-invalid", "--write", "--project", project)
    assert result.exit_code == 0, result.output
    assert "Created 2 stories from svar.csv:\n" in result.output
    # Formulas stay literal text: nothing is evaluated.
    assert (stories(project) / "moedet-i-kantinen.yaml").read_text(encoding="utf-8") == KANTINEN
    assert (stories(project) / "hyperlink-https-example-org-planen.yaml").read_text(encoding="utf-8") == HYPERLINK
    checked = run("check", "--project", project)
    assert checked.exit_code == 0, checked.output
    stories_now = len(list(stories(project).glob("*.yaml")))
    assert checked.output.startswith("OK: ") and f" {stories_now} stories; " in checked.output, checked.output


def test_write_never_overwrites(project: Path, export: Path) -> None:
    # A different story already has the name the first row would get.
    (stories(project) / "moedet-i-kantinen.yaml").write_text(
        (stories(project) / "gaaturen.yaml")
        .read_text(encoding="utf-8")
        .replace("id: gaaturen", "id: moedet-i-kantinen"),
        encoding="utf-8",
    )
    before = snapshot(stories(project))
    result = run("import", "stories", export, *MAPS, "--skip-invalid", "--write", "--project", project)
    assert result.exit_code == 0, result.output
    assert f"  {project / 'inputs/stories/moedet-i-kantinen-2.yaml'}  (row 2) Mødet i kantinen\n" in result.output
    after = snapshot(stories(project))
    assert {k: after[k] for k in before} == before
    # Run again: everything is already there, and nothing changes.
    again = run("import", "stories", export, *MAPS, "--skip-invalid", "--write", "--project", project)
    assert again.exit_code == 0, again.output
    assert "svar.csv: row 2: warning: already imported as inputs/stories/moedet-i-kantinen-2.yaml; skipped\n" in (
        again.output
    )
    assert again.output.endswith("Nothing to import from svar.csv.\n")
    assert snapshot(stories(project)) == after


def test_a_file_that_appears_meanwhile_is_not_overwritten(project: Path, export: Path) -> None:
    table = read_table(export)
    from compendium.commands.importer import make_mapping

    mapping = make_mapping(table, [MAPS[i] for i in range(1, len(MAPS), 2)], [])
    plan = plan_import(find_project(explicit=project), table, mapping)
    (stories(project) / "moedet-i-kantinen.yaml").write_text("# someone else's\n", encoding="utf-8")
    with pytest.raises(CompendiumError) as caught:
        write_stories(plan, "svar.csv")
    assert str(caught.value) == (
        f"{stories(project) / 'moedet-i-kantinen.yaml'} appeared while importing; it was not overwritten, "
        "and nothing was imported"
    )
    assert (stories(project) / "moedet-i-kantinen.yaml").read_text(encoding="utf-8") == "# someone else's\n"


def test_xlsx_export(project: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Formularsvar 1"
    sheet.append(["Tidsstempel", "Overskrift", "Jobcenter", "Historien", "Temaer", "Samtykke", "Kilde"])
    sheet.append(
        [
            dt.datetime(2026, 10, 20, 14, 3),
            "Gåturen i Ølgod",
            "Jobcenter Varde",
            "Første linje.\nAnden linje.",
            "Tillid, Faglighed",
            "Nej",
            '=HYPERLINK("https://example.org","Kilde")',
        ]
    )
    sheet.append([dt.datetime(2026, 10, 21, 9, 0), "Anden historie", "Jobcenter Varde", "Tekst.", "tillid", "Ja", ""])
    path = project.parent / "svar.xlsx"
    book.save(path)
    maps = ["-m", "Overskrift=title", "-m", "Jobcenter=workplace", "-m", "Historien=body", "-m", "G=body"]
    maps += ["-m", "Temaer=themes", "-m", "Samtykke=consent", "-m", "Tidsstempel=date"]
    result = run("import", "stories", path, *maps, "--skip-invalid", "--write", "--project", project)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        "svar.xlsx: row 3, column F 'Samtykke': unknown answer 'Ja'; expected e.g. 'Ja, med navn' (named), "
        "'Kun rolle' (role-only), 'Nej' (anonymous); see the README for all (row skipped)\n"
        "Created 1 story from svar.xlsx:\n"
    )
    assert (stories(project) / "gaaturen-i-oelgod.yaml").read_text(encoding="utf-8") == (
        "# Imported from svar.xlsx, row 2, by 'compendium import stories'.\n"
        "id: gaaturen-i-oelgod\n"
        "title: Gåturen i Ølgod\n"
        "workplace: Jobcenter Varde\n"
        "teller:\n"
        "  consent: anonymous\n"
        "date: 2026-10-20\n"
        "themes:\n"
        "- tillid\n"
        "- faglighed\n"
        "body: |-\n"
        "  Første linje.\n"
        "  Anden linje.\n"
        "\n"
        '  =HYPERLINK("https://example.org","Kilde")\n'
    )
    assert run("check", "--project", project).exit_code == 0


def test_xlsx_unknown_sheet(project: Path) -> None:
    path = project.parent / "svar.xlsx"
    openpyxl.Workbook().save(path)
    result = run("import", "stories", path, "--sheet", "Ark2", "--project", project)
    assert result.exit_code == 1
    assert result.output == "Error: svar.xlsx: no sheet 'Ark2'; the sheets are 'Sheet'\n"


def test_without_a_consent_column_tellers_are_anonymous(project: Path) -> None:
    path = project.parent / "svar.csv"
    path.write_text("Titel,Tekst,Navn\nEn dag,Det gik godt.,Anna Berg\n", encoding="utf-8")
    maps = ["-m", "Titel=title", "-m", "Tekst=body", "-m", "Navn=teller.name"]
    sets = ["--set", "workplace=Jobcenter Aarhus", "--set", "themes=tillid", "--set", "date=2026-11-01"]
    result = run("import", "stories", path, *maps, *sets, "--write", "--project", project)
    assert result.exit_code == 0, result.output
    text = (stories(project) / "en-dag.yaml").read_text(encoding="utf-8")
    assert "teller:\n  name: Anna Berg\n  consent: anonymous\n" in text
    assert run("check", "--project", project).exit_code == 0


def test_a_story_from_a_press_report_is_imported_with_its_source_and_no_workplace(project: Path) -> None:
    path = project.parent / "svar.csv"
    path.write_text("Titel,Tekst,Kilde\nEn dag,Det gik godt.,artikel-2023-midtvest\n", encoding="utf-8")
    maps = ["-m", "Titel=title", "-m", "Tekst=body", "-m", "Kilde=teller.source"]
    sets = ["--set", "themes=tillid", "--set", "date=2026-11-01"]
    result = run("import", "stories", path, *maps, *sets, "--write", "--project", project)
    assert result.exit_code == 0, result.output
    text = (stories(project) / "en-dag.yaml").read_text(encoding="utf-8")
    assert "teller:\n  source: artikel-2023-midtvest\n" in text
    assert "workplace" not in text and "consent" not in text
    assert run("check", "--project", project).exit_code == 0


def test_an_unknown_source_of_an_imported_story_is_a_row_error(project: Path) -> None:
    path = project.parent / "svar.csv"
    path.write_text("Titel,Tekst,Kilde\nEn dag,Det gik godt.,artikel-2023-midvest\n", encoding="utf-8")
    maps = ["-m", "Titel=title", "-m", "Tekst=body", "-m", "Kilde=teller.source"]
    sets = ["--set", "themes=tillid", "--set", "date=2026-11-01"]
    result = run("import", "stories", path, *maps, *sets, "--project", project)
    assert result.exit_code == 1
    assert result.output == (
        "svar.csv: row 2, column C 'Kilde': unknown source 'artikel-2023-midvest' (did you mean "
        "'artikel-2023-midtvest'?)\nError: 1 problem found; nothing was written.\n"
    )


def test_a_withheld_name_in_the_story_is_a_row_error(project: Path) -> None:
    path = project.parent / "svar.csv"
    path.write_text(
        "Titel;Tekst;Navn;Samtykke\nEn dag;Anna Berg fortalte om sin dag.;Anna Berg;Kun rolle\n", encoding="utf-8"
    )
    maps = ["-m", "Titel=title", "-m", "Tekst=body", "-m", "Navn=teller.name", "-m", "Samtykke=consent"]
    sets = ["--set", "workplace=Jobcenter Aarhus", "--set", "themes=tillid", "--set", "date=2026-11-01"]
    result = run("import", "stories", path, *maps, *sets, "--project", project)
    assert result.exit_code == 1
    assert result.output == (
        "svar.csv: row 2, column B 'Tekst': names the teller 'Anna Berg', whose consent is 'role-only'; "
        "remove the name from the text\n"
        "Error: 1 problem found; nothing was written.\n"
    )


def test_a_withheld_name_in_the_genitive_is_a_row_error_too(project: Path) -> None:
    # The row check found the whole name only; validation, with its genitive, then blamed the row less precisely.
    path = project.parent / "svar.csv"
    path.write_text("Titel;Tekst;Navn;Samtykke\nEn dag;Anna Bergs dag.;Anna Berg;Kun rolle\n", encoding="utf-8")
    maps = ["-m", "Titel=title", "-m", "Tekst=body", "-m", "Navn=teller.name", "-m", "Samtykke=consent"]
    sets = ["--set", "workplace=Jobcenter Aarhus", "--set", "themes=tillid", "--set", "date=2026-11-01"]
    result = run("import", "stories", path, *maps, *sets, "--project", project)
    assert result.exit_code == 1
    assert result.output == (
        "svar.csv: row 2, column B 'Tekst': names the teller 'Anna Berg', whose consent is 'role-only'; "
        "remove the name from the text\n"
        "Error: 1 problem found; nothing was written.\n"
    )


def test_mapping_errors(project: Path, export: Path) -> None:
    result = run("import", "stories", export, "-m", "Titel=title", "--project", project)
    assert result.exit_code == 1
    assert result.output == (
        "Error: --map: no column 'Titel' in svar.csv (did you mean 'Titel på historien'?); its columns are A 'ID', "
        "B 'Starttidspunkt', C 'Titel på historien', D 'Arbejdsplads', E 'Fortæl historien', F 'Tema', "
        "G 'Må vi bruge dit navn?', H 'Navn', I 'Din rolle'\n"
    )
    result = run("import", "stories", export, "-m", "Tema=theme", "--project", project)
    assert result.output == (
        "Error: --map: unknown field 'theme' (did you mean 'themes'?); the fields are title, workplace, "
        "municipality, date, themes, event, body, teller.name, teller.role, teller.workplace, teller.source, consent\n"
    )
    result = run("import", "stories", export, "-m", "C=title", "--project", project)
    assert result.output.startswith(
        "Error: no column is mapped to 'date', 'themes', 'body'; add --map 'COLUMN=FIELD' "
        "(or --set FIELD=VALUE) for each. The columns of svar.csv are: A 'ID', "
    )


def test_unsupported_file_type(project: Path) -> None:
    path = project.parent / "svar.ods"
    path.write_bytes(b"")
    result = run("import", "stories", path, "--project", project)
    assert result.exit_code == 1
    assert result.output == "Error: svar.ods: unsupported file type '.ods'; export the form's answers as CSV or XLSX\n"


def test_windows_1252_csv_is_read_with_a_warning(project: Path) -> None:
    path = project.parent / "svar.csv"
    path.write_bytes("Titel;Tekst\nGåturen;Vi gik en tur.\n".encode("cp1252"))
    table = read_table(path)
    assert table.notes == ["svar.csv: warning: the file is not UTF-8; it was read as Windows-1252 (Excel's CSV)"]
    assert table.rows == [(2, ["Gåturen", "Vi gik en tur."])]


@pytest.mark.parametrize(
    ("answer", "level"),
    [
        ("Ja, med navn", "named"),
        ("ja med navn.", "named"),
        ("Yes, with my name", "named"),
        ("Kun rolle", "role-only"),
        ("Ja, uden navn", "role-only"),
        ("Only my role", "role-only"),
        ("Nej", "anonymous"),
        ("  anonymt ", "anonymous"),
        ("No", "anonymous"),
    ],
)
def test_consent_answers(answer: str, level: str) -> None:
    assert consent_level(answer) == level


@pytest.mark.parametrize("answer", ["Ja", "Måske", "", "named please"])
def test_unknown_consent_answers(answer: str) -> None:
    with pytest.raises(KeyError):
        consent_level(answer)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-10-12", PartialDate(2026, 10, 12)),
        ("2026-10-12T09:15:00", PartialDate(2026, 10, 12)),
        ("12-10-2026 09:15:02", PartialDate(2026, 10, 12)),
        ("12.10.2026", PartialDate(2026, 10, 12)),
        ("12/10/26 9:15", PartialDate(2026, 10, 12)),
        ("12. oktober 2026", PartialDate(2026, 10, 12)),
        ("2026/10/12 2:03:22 PM GMT+2", PartialDate(2026, 10, 12)),
        ("12/10/2026 14.03.22", PartialDate(2026, 10, 12)),
        (dt.datetime(2026, 10, 12, 9, 15), PartialDate(2026, 10, 12)),
        # A form's answer may know only the month or the year, or say it is approximate: no day is made up.
        ("oktober 2026", PartialDate(2026, 10)),
        ("2026-10", PartialDate(2026, 10)),
        ("2026", PartialDate(2026)),
        ("ca. oktober 2026", PartialDate(2026, 10, approximate=True)),
        ("ca. 12. oktober 2026", PartialDate(2026, 10, 12, approximate=True)),
    ],
)
def test_dates(value: str | dt.datetime, expected: PartialDate) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["13-13-2026", "2026-13", "30. februar 2026", "snart", "oktober"])
def test_not_dates(value: str) -> None:
    with pytest.raises(ValueError):
        parse_date(value)


def test_slugs_and_letters() -> None:
    assert slug("Gåturen i Ølgod – en æblekage!") == "gaaturen-i-oelgod-en-aeblekage"
    assert slug("???") == "historie"
    assert len(slug("ord " * 40)) <= 50
    assert [column_letter(i) for i in (0, 25, 26, 27)] == ["A", "Z", "AA", "AB"]


def test_event_and_municipality_columns(project: Path) -> None:
    path = project.parent / "svar.csv"
    path.write_text(
        "Titel,Tekst,Arrangement,Kommune,Arbejdsplads\n"
        'En dag,Det gik godt.,"Møde om fremtidens beskæftigelsesindsats i HK Kommunal MidtVest",Viborg,Jobcenter Viborg\n'
        "En anden dag,Det gik også godt.,2021-amager,,Jobcenter Amager\n"
        "En tredje dag,Hm.,Julefrokost,,Jobcenter Amager\n",
        encoding="utf-8",
    )
    maps = ["-m", "Titel=title", "-m", "Tekst=body", "-m", "Arrangement=event", "-m", "Kommune=municipality"]
    maps += ["-m", "E=workplace", "--set", "themes=Tillid", "--set", "date=2026-11-01"]
    result = run("import", "stories", path, *maps, "--skip-invalid", "--write", "--project", project)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        "svar.csv: row 4, column C 'Arrangement': unknown event 'Julefrokost' (row skipped)\n"
    )
    first = (stories(project) / "en-dag.yaml").read_text(encoding="utf-8")
    assert "municipality: Viborg\n" in first and "event: 2023-midtvest\n" in first
    assert "event: 2021-amager\n" in (stories(project) / "en-anden-dag.yaml").read_text(encoding="utf-8")
    assert run("check", "--project", project).exit_code == 0


def test_a_date_known_to_the_month_or_approximately_is_imported_as_known(project: Path) -> None:
    path = project.parent / "svar.csv"
    path.write_text(
        "Titel,Tekst,Dato\nEn dag,Det gik godt.,oktober 2026\nEn anden dag,Også godt.,ca. 2026\n", encoding="utf-8"
    )
    maps = ["-m", "Titel=title", "-m", "Tekst=body", "-m", "Dato=date", "--set", "themes=Tillid"]
    maps += ["--set", "workplace=Jobcenter Viborg"]
    result = run("import", "stories", path, *maps, "--write", "--project", project)
    assert result.exit_code == 0, result.output
    assert "\ndate: 2026-10\n" in (stories(project) / "en-dag.yaml").read_text(encoding="utf-8")
    assert "\ndate: ca. 2026\n" in (stories(project) / "en-anden-dag.yaml").read_text(encoding="utf-8")
    assert run("check", "--project", project).exit_code == 0
