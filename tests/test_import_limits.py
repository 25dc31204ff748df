"""`compendium import stories` measures a spreadsheet before it parses it, and never fails with an internal error."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compendium.commands import importer
from compendium.commands.tables import MAX_ROWS, terminal_safe
from tests.conftest import run, snapshot

MAPS = ["-m", "Titel=title", "-m", "Sted=workplace", "-m", "Tekst=body", "-m", "Tema=themes", "-m", "Dato=date"]
HEADER = ["Titel", "Sted", "Tekst", "Tema", "Dato"]
SHEET = "xl/worksheets/sheet1.xml"
AGAIN = "export it again from Excel or the form"


def answers(n: int) -> list[list[str]]:
    """Return n good answers."""
    return [[f"Historie {i}", "Jobcenter Viborg", f"Det skete {i}.", "tillid", "2026-10-12"] for i in range(1, n + 1)]


def xlsx(path: Path, rows: list[list[str]], change: Callable[[str, bytes], bytes] | None = None) -> Path:
    """Save a workbook of these rows, each part passed through change (name, bytes) → bytes, and return its path."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    if change:
        with zipfile.ZipFile(path) as source:
            parts = [(info, source.read(info)) for info in source.infolist()]
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
            for info, data in parts:
                target.writestr(info.filename, change(info.filename, data))
    return path


def in_sheet(old: str, new: str) -> Callable[[str, bytes], bytes]:
    """Replace a text in the first worksheet's XML."""

    def change(name: str, data: bytes) -> bytes:
        if name != SHEET:
            return data
        assert old.encode() in data
        return data.replace(old.encode(), new.encode(), 1)

    return change


def imported(project: Path, path: Path, *more: str) -> tuple[int, str]:
    """Run a dry-run import and return its exit code and output, asserting the project is untouched."""
    before = snapshot(project)
    result = run("import", "stories", path, *MAPS, *more, "--project", project)
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output
    if "--write" not in more or result.exit_code:
        assert snapshot(project) == before
    return result.exit_code, result.output


def test_every_row_is_read_when_the_sheet_says_it_is_smaller(project: Path) -> None:
    path = xlsx(
        project.parent / "svar.xlsx",
        [HEADER, *answers(5)],
        in_sheet('<dimension ref="A1:E6"/>', '<dimension ref="A1:B3"/>'),
    )
    code, output = imported(project, path)
    assert code == 0, output
    assert "Would create 5 stories from svar.xlsx:\n" in output
    assert "(row 6) Historie 5\n" in output


def test_a_zip_bomb_is_refused_before_it_is_parsed(project: Path) -> None:
    padding = b" " * 20_000_000  # 20 MB of spaces pack to 20 kB

    def pad(name: str, data: bytes) -> bytes:
        return data.replace(b"<sheetData>", b"<sheetData>" + padding) if name == SHEET else data

    path = xlsx(project.parent / "bomb.xlsx", [HEADER, *answers(1)], pad)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(SHEET)
    ratio = info.file_size // info.compress_size
    code, output = imported(project, path)
    assert (code, output) == (
        1,
        f"Error: bomb.xlsx: its part '{SHEET}' unpacks to {ratio:,} times its packed size (a zip bomb; Excel's "
        f"files pack at most 100 times); {AGAIN}\n",
    )


def test_an_xlsx_unpacking_to_more_than_the_limit_is_refused(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("compendium.commands.tables.MAX_UNPACKED_BYTES", 5_000)
    path = xlsx(project.parent / "big.xlsx", [HEADER, *answers(3)])
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    code, output = imported(project, path)
    assert (code, output) == (
        1,
        f"Error: big.xlsx unpacks to {unpacked / 1_000_000:,.0f} MB, more than the 0 MB an export of form answers "
        f"may; {AGAIN}\n",
    )


def test_a_spreadsheet_over_50_mb_is_refused_unread(project: Path) -> None:
    path = project.parent / "svar.csv"
    with path.open("wb") as handle:
        handle.truncate(60_000_000)  # sparse: no bytes written
    code, output = imported(project, path)
    assert (code, output) == (
        1,
        "Error: svar.csv is 60.0 MB, more than the 50 MB an export of form answers may be; split it, or remove "
        "what is not answers\n",
    )


def test_more_answers_than_the_limit_are_refused(project: Path) -> None:
    path = project.parent / "svar.csv"
    lines = [",".join(HEADER)] + [",".join(row) for row in answers(MAX_ROWS + 1)]
    path.write_text("\n".join(lines), encoding="utf-8")
    code, output = imported(project, path)
    assert (code, output) == (
        1,
        "Error: svar.csv: the file has more than 10,000 answers; split it and import each part\n",
    )


def test_a_row_below_excels_last_is_refused_without_reading_a_billion_rows(project: Path) -> None:
    path = xlsx(project.parent / "svar.xlsx", [HEADER, *answers(1)], in_sheet('<row r="2">', '<row r="999999999">'))
    code, output = imported(project, path)
    assert (code, output) == (1, f"Error: svar.xlsx: the sheet has rows below row 1,048,576, Excel's last; {AGAIN}\n")


XXE = '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "haha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
)


@pytest.mark.parametrize("prolog", [XXE, LAUGHS], ids=["xxe", "billion-laughs"])
def test_an_xlsx_declaring_entities_is_refused_as_input(project: Path, prolog: str) -> None:
    dtd = in_sheet("<worksheet ", prolog + "<worksheet ")
    uses = in_sheet("Historie 1", "&e;&d;")
    path = xlsx(project.parent / "svar.xlsx", [HEADER, *answers(1)], lambda name, data: uses(name, dtd(name, data)))
    code, output = imported(project, path)
    assert (code, output) == (
        1,
        f"Error: svar.xlsx: its part '{SHEET}' declares a DTD (<!DOCTYPE), which can define entities that expand "
        f"without end or read other files; Excel never writes one, so it is refused; {AGAIN}\n",
    )


def test_a_dtd_hidden_behind_a_long_comment_is_refused_by_the_xml_parser(project: Path) -> None:
    prolog = '<?xml version="1.0"?><!--' + "x" * 100_000 + "-->" + LAUGHS.removeprefix('<?xml version="1.0"?>')
    path = xlsx(project.parent / "svar.xlsx", [HEADER, *answers(1)], in_sheet("<worksheet ", prolog + "<worksheet "))
    code, output = imported(project, path)
    assert (code, output) == (
        1,
        f"Error: svar.xlsx: not a readable XLSX file (its XML declares a DTD or entities, which Excel never writes); "
        f"{AGAIN}\n",
    )


def test_terminal_escapes_in_cells_are_not_printed(project: Path) -> None:
    path = project.parent / "svar.csv"
    title = "\x1b]0;pwned\x07Mødet\x1b[2J\x1b[31m i kantinen\x9b1m\x1b]8;;https://example.org\x1b\\"
    path.write_text(",".join(HEADER) + f"\n{title},Jobcenter Viborg,Det skete.,tillid,2026-10-12\n", encoding="utf-8")
    code, output = imported(project, path)
    assert code == 0, output
    assert "\x1b" not in output and "\x9b" not in output and "pwned" not in output
    assert "(row 2) Mødet i kantinen\n" in output


def test_terminal_safe_keeps_text_tabs_and_line_ends() -> None:
    assert terminal_safe("Æ\tø\nå\r\n\x07\x00\x85x\x1b(B") == "Æ\tø\nå\r\nx"


def test_a_folder_that_cannot_be_written_leaves_nothing_half_written(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = project.parent / "svar.csv"
    path.write_text("\n".join(",".join(row) for row in [HEADER, *answers(3)]), encoding="utf-8")
    real, calls = importer.create_file, []

    def refuse_second(target: Path, text: str) -> None:
        calls.append(target)
        if len(calls) == 2:  # as a read-only folder would (the tests may run as root, who may write anywhere)
            raise PermissionError(13, "Permission denied", str(target))
        real(target, text)

    monkeypatch.setattr(importer, "create_file", refuse_second)
    before = snapshot(project)
    result = run("import", "stories", path, *MAPS, "--write", "--project", project)
    assert (result.exit_code, result.output) == (
        1,
        f"Error: cannot write {project / 'inputs/stories/historie-2.yaml'}: Permission denied; nothing was imported "
        "(check that the folder exists and that you may write to it)\n",
    )
    assert snapshot(project) == before


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x2FF)))
def test_terminal_safe_leaves_no_control_character(text: str) -> None:
    cleaned = terminal_safe(text)
    assert not [c for c in cleaned if (ord(c) < 0x20 and c not in "\t\n\r") or 0x7F <= ord(c) <= 0x9F]
    # Text without controls is left as it is.
    plain = "".join(c for c in text if not ((ord(c) < 0x20 and c not in "\t\n\r") or 0x7F <= ord(c) <= 0x9F))
    assert terminal_safe(plain) == plain


def test_a_chart_sheet_is_no_sheet_of_answers(project: Path) -> None:
    from openpyxl.chart import BarChart

    book = openpyxl.Workbook()
    chart = book.create_chartsheet("Diagram")
    chart.add_chart(BarChart())
    book.save(project.parent / "svar.xlsx")
    code, output = imported(project, project.parent / "svar.xlsx", "--sheet", "Diagram")
    assert (code, output) == (1, "Error: svar.xlsx: no sheet 'Diagram'; the sheets are 'Sheet'\n")
    book.remove(book["Sheet"])
    book.save(project.parent / "svar.xlsx")
    code, output = imported(project, project.parent / "svar.xlsx")
    assert (code, output) == (1, f"Error: svar.xlsx: the file has no worksheet with cells; {AGAIN}\n")
