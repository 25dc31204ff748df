"""Read a spreadsheet export (CSV or XLSX) into a header and numbered rows.

Rows are numbered as the spreadsheet numbers them (the header is row 1), so
a problem can be found in Excel even when cells hold line breaks. Nothing is
evaluated: a cell holding "=HYPERLINK(…)" stays that text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from compendium.errors import CompendiumError

Cell = str | dt.date | dt.datetime
DELIMITERS = (";", ",", "\t")


@dataclass
class Table:
    """A header row and the data rows below it, each with its spreadsheet row number."""

    name: str
    header: list[str]
    rows: list[tuple[int, list[Cell]]]
    notes: list[str] = field(default_factory=list)


def column_letter(index: int) -> str:
    """Return the spreadsheet letter of a 0-based column index: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def read_table(path: Path, sheet: str | None = None) -> Table:
    """Read a CSV or XLSX file; the first non-empty row is the header."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise CompendiumError(f"{path} does not exist")
    if suffix == ".csv":
        if sheet is not None:
            raise CompendiumError("--sheet only applies to XLSX files")
        return _read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    raise CompendiumError(f"{path.name}: unsupported file type '{suffix}'; export the form's answers as CSV or XLSX")


def _decode(raw: bytes, name: str, notes: list[str]) -> str:
    """Decode UTF-8 (with or without a BOM), or Windows-1252 as older Danish Excel saves CSV."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        notes.append(f"{name}: warning: the file is not UTF-8; it was read as Windows-1252 (Excel's CSV)")
        return raw.decode("cp1252", errors="replace")


def sniff_delimiter(text: str) -> str:
    """Pick ';', ',' or tab: whichever splits the header line into the most columns.

    Danish Excel writes ';' because ',' is the decimal comma. Only the header
    is looked at, as answers are full of commas and semicolons.
    """

    def width(delimiter: str) -> int:
        return len(next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), []))

    return max(DELIMITERS, key=width)


def _read_csv(path: Path) -> Table:
    """Read a CSV file, keeping line breaks inside quoted cells."""
    notes: list[str] = []
    text = _decode(path.read_bytes(), path.name, notes)
    # newline="" hands line breaks inside quoted cells to the csv module intact.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text), strict=False)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise CompendiumError(f"{path.name}: row {reader.line_num}: cannot read the CSV: {exc}") from None
    return _table(path.name, [(n, list[Cell](r)) for n, r in enumerate(records, 1)], notes)


def _read_xlsx(path: Path, sheet: str | None) -> Table:
    """Read one worksheet of an XLSX file; formulas are read as their text."""
    import zipfile

    import openpyxl

    try:
        # data_only=False (the default) returns a formula as its text and never a computed value.
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise CompendiumError(f"{path.name}: not a readable XLSX file ({exc}); export it again from Excel") from None
    try:
        if sheet is None:
            ws = book.worksheets[0]
        elif sheet in book.sheetnames:
            ws = book[sheet]
        else:
            names = ", ".join(f"'{n}'" for n in book.sheetnames)
            raise CompendiumError(f"{path.name}: no sheet '{sheet}'; the sheets are {names}")
        rows = [
            (n, [_xlsx_cell(v) for v in values])
            for n, values in enumerate(ws.iter_rows(min_row=1, values_only=True), 1)
        ]
    finally:
        book.close()
    return _table(path.name, rows, [])


def _xlsx_cell(value: object) -> Cell:
    """Turn a cell value into text or a date; numbers are text as the sheet shows them."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    # An array formula is an object holding its text; keep the text, as for any formula.
    text = getattr(value, "text", None)
    return text if isinstance(text, str) else str(value)


def _table(name: str, rows: list[tuple[int, list[Cell]]], notes: list[str]) -> Table:
    """Split off the header: the first row with anything in it."""
    filled = [(n, cells) for n, cells in rows if any(_text(c) for c in cells)]
    if not filled:
        raise CompendiumError(f"{name}: the file has no rows")
    (_, header), data = filled[0], filled[1:]
    names = [" ".join(_text(c).split()) for c in header]
    return Table(name, names, data, notes)


def _text(cell: Cell) -> str:
    """Return a cell as stripped text."""
    return cell.isoformat() if isinstance(cell, dt.date) else cell.strip()
