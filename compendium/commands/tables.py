"""Read a spreadsheet export (CSV or XLSX) into a header and numbered rows.

Rows are numbered as the spreadsheet numbers them (the header is row 1), so
a problem can be found in Excel even when cells hold line breaks. Nothing is
evaluated: a cell holding "=HYPERLINK(…)" stays that text.

A spreadsheet comes from outside, so it is measured before it is parsed: the
file's size, and for an XLSX (a zip of XML files) what it unpacks to and how
far each part is compressed, so a zip bomb is refused unopened. Its XML may
declare no DTD or entities, which Excel never writes. Terminal escape
sequences and control characters are taken out of every cell as it is read:
no form answer holds them, and printed in a dry run they could rewrite the
terminal.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from compendium.errors import CompendiumError
from compendium.messages import N_, _

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

Cell = str | dt.date | dt.datetime
DELIMITERS = (";", ",", "\t")
# A form with 10,000 answers of 2,000 characters is a 20 MB export; these limits are far above that.
MAX_TABLE_BYTES = 50_000_000  # the file as it is on disk (CSV or XLSX)
MAX_UNPACKED_BYTES = 100_000_000  # all the parts of an XLSX together, unpacked
MAX_RATIO = 100  # Excel's XML packs 5 to 20 times; a zip bomb a thousand
RATIO_FROM_BYTES = 1_000_000  # a small part may pack far better than that, harmlessly
MAX_ROWS = 10_000  # answers, not counting empty rows
MAX_ROW_NUMBER = 1_048_576  # Excel's last row: a sheet saying it has rows below that is not Excel's
PROLOG_BYTES = 65_536  # the root element of an XLSX part starts within its first hundred bytes
XLSX_AGAIN = N_("export it again from Excel or the form")
# ESC-led sequences (CSI, OSC, DCS, PM, APC … up to their terminator), C1 controls and C0 controls but tab and line ends.
_TERMINAL = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, screen clearing
    r"|\x1b[\]PX^_].*?(?:\x07|\x1b\\|\x9c|$)"  # OSC (titles, hyperlinks), DCS, SOS, PM, APC
    r"|\x9b[0-?]*[ -/]*[@-~]"  # CSI as its one-character C1 form
    r"|[\x90\x9d\x98\x9e\x9f].*?(?:\x07|\x1b\\|\x9c|$)"  # DCS, OSC, SOS, PM, APC as C1 forms
    r"|\x1b[ -/]*[0-~]?"  # any other escape, with its intermediate and final bytes
    r"|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]",
    re.DOTALL,
)


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


def terminal_safe(text: str) -> str:
    """Take terminal escape sequences and control characters (but tab and line ends) out of a cell's text."""
    return _TERMINAL.sub("", text)


def read_table(path: Path, sheet: str | None = None) -> Table:
    """Read a CSV or XLSX file; the first non-empty row is the header."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise CompendiumError(_("{path} does not exist").format(path=path))
    size = path.stat().st_size
    if size > MAX_TABLE_BYTES:
        raise CompendiumError(
            _(
                "{name} is {size:,.1f} MB, more than the {limit} MB an export of form answers may be; split it, or remove what is not answers"
            ).format(name=path.name, size=size / 1_000_000, limit=MAX_TABLE_BYTES // 1_000_000)
        )
    if suffix == ".csv":
        if sheet is not None:
            raise CompendiumError(_("--sheet only applies to XLSX files"))
        return _read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    raise CompendiumError(
        _("{name}: unsupported file type '{suffix}'; export the form's answers as CSV or XLSX").format(
            name=path.name, suffix=suffix
        )
    )


def _decode(raw: bytes, name: str, notes: list[str]) -> str:
    """Decode UTF-8 (with or without a BOM), or Windows-1252 as older Danish Excel saves CSV."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        notes.append(
            _("{name}: warning: the file is not UTF-8; it was read as Windows-1252 (Excel's CSV)").format(name=name)
        )
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
        raise CompendiumError(
            _("{name}: row {row}: cannot read the CSV: {exc}").format(name=path.name, row=reader.line_num, exc=exc)
        ) from None
    return _table(path.name, [(n, [terminal_safe(c) for c in r]) for n, r in enumerate(records, 1)], notes)


def _read_xlsx(path: Path, sheet: str | None) -> Table:
    """Read one worksheet of an XLSX file, after measuring it; formulas are read as their text."""
    import openpyxl

    _check_archive(path)
    try:
        # data_only=False (the default) returns a formula as its text and never a computed value.
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
        try:
            rows = _sheet_rows(path.name, book, sheet)
        finally:
            book.close()
    except CompendiumError:
        raise
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, SyntaxError, TypeError) as exc:
        # defusedxml refuses DTDs and entities with a ValueError; a damaged part is a SyntaxError (ParseError).
        raise CompendiumError(
            _("{name}: not a readable XLSX file ({exc}); {xlsx_again}").format(
                name=path.name, exc=_reason(exc), xlsx_again=_(XLSX_AGAIN)
            )
        ) from None
    return _table(path.name, rows, [])


def _reason(exc: BaseException) -> str:
    """Say why openpyxl could not read a file: the first cause, which openpyxl wraps in a message of its own."""
    chain = [exc]
    while (cause := chain[-1].__cause__ or chain[-1].__context__) is not None and len(chain) < 10:
        chain.append(cause)
    # defusedxml's refusals (of a DTD, an entity or an external reference) share one base class.
    if any("DefusedXmlException" in (c.__name__ for c in type(e).__mro__) for e in chain):
        return _("its XML declares a DTD or entities, which Excel never writes")
    return str(chain[-1]) or type(chain[-1]).__name__


def _sheet_rows(name: str, book: Workbook, sheet: str | None) -> list[tuple[int, list[Cell]]]:
    """Read every row of the chosen sheet that holds anything, whatever size the sheet says it is."""
    # Worksheets only: a chart sheet has no cells.
    sheets = {ws.title: ws for ws in book.worksheets}
    if not sheets:
        raise CompendiumError(
            _("{name}: the file has no worksheet with cells; {xlsx_again}").format(name=name, xlsx_again=_(XLSX_AGAIN))
        )
    if sheet is not None and sheet not in sheets:
        raise CompendiumError(
            _("{name}: no sheet '{sheet}'; the sheets are {sheets}").format(
                name=name, sheet=sheet, sheets=", ".join(repr(n) for n in sheets)
            )
        )
    ws = next(iter(sheets.values())) if sheet is None else sheets[sheet]
    # A sheet's stored dimension (A1:C3) is what the writer claimed, not what it holds: read all rows and columns.
    ws.reset_dimensions()
    rows: list[tuple[int, list[Cell]]] = []
    for number, values in enumerate(ws.iter_rows(min_row=1, values_only=True), 1):
        if number > MAX_ROW_NUMBER:
            raise CompendiumError(
                _("{name}: the sheet has rows below row {max_row_number:,}, Excel's last; {xlsx_again}").format(
                    name=name, max_row_number=MAX_ROW_NUMBER, xlsx_again=_(XLSX_AGAIN)
                )
            )
        cells = [_xlsx_cell(v) for v in values]
        while cells and cells[-1] == "":
            cells.pop()  # a formatted but empty cell far to the right is no column
        if not cells:
            continue
        rows.append((number, cells))
        if len(rows) > MAX_ROWS + 1:  # the header is a row too; stop reading here, and let _table say so
            break
    return rows


def _check_archive(path: Path) -> None:
    """Refuse an XLSX that unpacks to far more than a form's answers, or whose XML declares a DTD."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            unpacked = sum(part.file_size for part in parts)
            if unpacked > MAX_UNPACKED_BYTES:
                raise CompendiumError(
                    _(
                        "{name} unpacks to {size:,.0f} MB, more than the {limit} MB an export of form answers may; {xlsx_again}"
                    ).format(
                        name=path.name,
                        size=unpacked / 1_000_000,
                        limit=MAX_UNPACKED_BYTES // 1_000_000,
                        xlsx_again=_(XLSX_AGAIN),
                    )
                )
            for part in parts:
                _check_part(path.name, archive, part)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise CompendiumError(
            _("{name}: not a readable XLSX file ({exc}); {xlsx_again}").format(
                name=path.name, exc=exc, xlsx_again=_(XLSX_AGAIN)
            )
        ) from None


def _check_part(name: str, archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> None:
    """Refuse one part of an XLSX packed like a zip bomb, or XML with a DTD before its root element."""
    if part.file_size > RATIO_FROM_BYTES and part.file_size > MAX_RATIO * max(part.compress_size, 1):
        raise CompendiumError(
            _(
                "{name}: its part '{filename}' unpacks to {ratio:,} times its packed size (a zip bomb; Excel's files pack at most {max_ratio} times); {xlsx_again}"
            ).format(
                name=name,
                filename=part.filename,
                ratio=part.file_size // max(part.compress_size, 1),
                max_ratio=MAX_RATIO,
                xlsx_again=_(XLSX_AGAIN),
            )
        )
    if not part.filename.endswith((".xml", ".rels")):
        return
    with archive.open(part) as handle:
        head = handle.read(PROLOG_BYTES)
    root = re.search(rb"<[A-Za-z_]", head)
    declared = head.find(b"<!DOCTYPE")
    if declared >= 0 and (root is None or declared < root.start()):
        raise CompendiumError(
            _(
                "{name}: its part '{filename}' declares a DTD (<!DOCTYPE), which can define entities that expand without end or read other files; Excel never writes one, so it is refused; {xlsx_again}"
            ).format(name=name, filename=part.filename, xlsx_again=_(XLSX_AGAIN))
        )


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
    return terminal_safe(text if isinstance(text, str) else str(value))


def _table(name: str, rows: list[tuple[int, list[Cell]]], notes: list[str]) -> Table:
    """Split off the header: the first row with anything in it."""
    filled = [(n, cells) for n, cells in rows if any(_text(c) for c in cells)]
    if not filled:
        raise CompendiumError(_("{name}: the file has no rows").format(name=name))
    (_row, header), data = filled[0], filled[1:]
    if len(data) > MAX_ROWS:
        raise CompendiumError(
            _("{name}: the file has more than {max_rows:,} answers; split it and import each part").format(
                name=name, max_rows=MAX_ROWS
            )
        )
    names = [" ".join(_text(c).split()) for c in header]
    return Table(name, names, data, notes)


def _text(cell: Cell) -> str:
    """Return a cell as stripped text."""
    return cell.isoformat() if isinstance(cell, dt.date) else cell.strip()
