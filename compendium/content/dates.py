"""Dates as precise as they are known: a year, a month or a day, perhaps approximate.

An editor writes `2020`, `2020-03` or `2020-03-08`, with `ca. ` (or `c. `, or
`~`) in front when the date is approximate: `ca. 2020-03`. YAML reads the
first as a number and the last as a date; every form arrives here as a
`PartialDate`, which keeps exactly what was known and nothing more.

The rules this module keeps:

- **A day is never made up.** Nothing turns `2020` into 1 January 2020:
  `format_date` prints only the known parts ("2020", "marts 2020",
  "8. marts 2020"), and `isoformat` writes only them ("2020", "2020-03"),
  with EDTF's `~` (ISO 8601-2) after an approximate date ("2020-03~").
- **Ordering.** Dates sort by their first possible day, and a less precise
  date sorts before a more precise one that starts on the same day:
  2020 < 2020-01 < 2020-01-01 < 2020-01-02 < 2020-02. An approximate date
  sorts right after the same exact one. The order is total and needs no
  clock, so the same inputs give the same order.
- **"Since" comparisons** (`since`) answer True or False only when every day
  the date may mean lies on one side, and None ("uncertain") otherwise: is
  `2020-03` on or after 2020-03-05? Uncertain. An approximate date may mean
  one unit of its precision more on either side: "ca. 2020" is 2019–2021,
  "ca. marts 2020" is February–April 2020, "ca. 8. marts" is 7–9 March.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any, Literal

import babel.dates
from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from compendium.errors import Fault, Refused

Precision = Literal["year", "month", "day"]
# What an editor may write in front of an approximate date (or a count); "~" may also come after (EDTF).
APPROXIMATE_PREFIXES = ("ca.", "c.", "~")
FORMS = "2020, 2020-03 or 2020-03-08 (a year, a month or a day), with 'ca. ' in front if it is approximate"
_FORM = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?")
# The widest range the tool accepts; outside it a date is a typo, not history.
# (9998 leaves room for an approximate date's year after.)
MIN_YEAR, MAX_YEAR = 1000, 9998


def split_approximate(text: str) -> tuple[str, bool]:
    """Split 'ca. 30' or '~2020' into the value's text and whether it is approximate."""
    text = text.strip()
    for prefix in APPROXIMATE_PREFIXES:
        if text[: len(prefix)].casefold() == prefix:
            return text[len(prefix) :].strip(), True
    if text.endswith("~"):
        return text[:-1].strip(), True
    return text, False


def kind_of(value: Any) -> str:
    """Name what YAML gave instead of a date or a number, for a message."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    return "a list or mapping"


@functools.total_ordering
@dataclass(frozen=True, eq=True)
class PartialDate:
    """A date known to the year, the month or the day, and whether it is only approximate."""

    year: int
    month: int | None = None
    day: int | None = None
    approximate: bool = False

    def __post_init__(self) -> None:
        """Refuse a date that does not exist, or a day without its month."""
        fault = _impossible(self.year, self.month, self.day, self.isoformat())
        if fault:
            raise Refused(fault)

    # --- reading -------------------------------------------------------------

    @classmethod
    def parse(cls, value: Any) -> PartialDate:
        """Read a date as YAML gives it: a number (2020), text ('2020-03', 'ca. 2020') or a date; refuse the rest."""
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, dt.datetime):
            raise Refused(Fault.then(f"'{value}' has a time of day", f"write the date alone, e.g. {value.date()}"))
        if isinstance(value, dt.date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, int) and not isinstance(value, bool):
            return cls._from_text(str(value))
        if isinstance(value, str):
            return cls._from_text(value)
        raise Refused(Fault.then(f"expected a date, found {kind_of(value)}", f"write {FORMS}"))

    @classmethod
    def _from_text(cls, text: str) -> PartialDate:
        """Read '2020', '2020-03', '2020-03-08', each perhaps marked approximate."""
        bare, approximate = split_approximate(text)
        found = _FORM.fullmatch(bare)
        if not found:
            raise Refused(Fault.then(f"'{text}' is not a date", f"write {FORMS}"))
        year, month, day = (int(g) if g else None for g in found.group("year", "month", "day"))
        assert year is not None  # the pattern requires it
        fault = _impossible(year, month, day, text)
        if fault:
            raise Refused(fault)
        return cls(year, month, day, approximate)

    @classmethod
    def of(cls, day: dt.date) -> PartialDate:
        """Return the exact date of a known day (a commit's date, today's for `new`)."""
        return cls(day.year, day.month, day.day)

    # --- what it says ----------------------------------------------------------

    @property
    def precision(self) -> Precision:
        """Say how precisely the date is known: 'year', 'month' or 'day'."""
        return "year" if self.month is None else "month" if self.day is None else "day"

    def isoformat(self) -> str:
        """Write only the known parts, '2020', '2020-03' or '2020-03-08', with EDTF's '~' after an approximate one."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text + ("~" if self.approximate else "")

    def __str__(self) -> str:
        """Write the date the way an editor writes it in YAML: '2020-03' or 'ca. 2020-03'."""
        return ("ca. " if self.approximate else "") + self.isoformat().rstrip("~")

    def first_day(self) -> dt.date:
        """Return the first day the date's known parts allow; for comparisons only, never for printing."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date:
        """Return the last day the date's known parts allow; for comparisons only, never for printing."""
        month = self.month or 12
        return dt.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def bounds(self) -> tuple[dt.date, dt.date]:
        """Return the first and last day the date may mean, widened by one unit when approximate."""
        first, last = self.first_day(), self.last_day()
        if not self.approximate:
            return first, last
        if self.precision == "day":
            return first - dt.timedelta(days=1), last + dt.timedelta(days=1)
        if self.precision == "month":
            return _month_start(first, -1), _month_end(last, +1)
        return dt.date(first.year - 1, 1, 1), dt.date(last.year + 1, 12, 31)

    def since(self, day: dt.date) -> bool | None:
        """Say whether the date is on or after a day: True, False, or None when its precision cannot tell."""
        first, last = self.bounds()
        if first >= day:
            return True
        if last < day:
            return False
        return None

    # --- order ---------------------------------------------------------------

    def sort_key(self) -> tuple[int, int, int, bool]:
        """Order by the first possible day, the less precise first, the exact before the approximate."""
        return (self.year, self.month or 0, self.day or 0, self.approximate)

    def __lt__(self, other: object) -> bool:
        """Compare by sort_key (see the module's docstring)."""
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self.sort_key() < other.sort_key()

    # --- pydantic ------------------------------------------------------------

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        """Validate any YAML form with parse; serialise as the editor's own form ('ca. 2020-03')."""
        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.plain_serializer_function_ser_schema(str, when_used="always")
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """Describe the forms for an editor's YAML extension."""
        # One type list rather than anyOf, so an editor's YAML extension says which form a text fails.
        return {
            "type": ["integer", "string"],
            "minimum": MIN_YEAR,
            "maximum": MAX_YEAR,
            "pattern": DATE_PATTERN,
            "description": f"A date: {FORMS}.",
            "examples": ["2020", "2020-03", "2020-03-08", "ca. 2020-03"],
        }


# The forms as one regular expression, for the JSON Schemas (the parser says more about a wrong date).
DATE_PATTERN = r"^(?:(?:[Cc][Aa]?\.\s*|~)?\d{4}(?:-\d{2}(?:-\d{2})?)?|\d{4}(?:-\d{2}(?:-\d{2})?)?~)$"
_MONTHS = tuple(calendar.month_name)  # English month names for messages; index 1 is January


def _impossible(year: int, month: int | None, day: int | None, text: str) -> Fault | None:
    """Say what makes a year, month and day not a date, or None when they are one."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return Fault.then(f"'{text}' is not a date: the year {year} is out of range", f"write {FORMS}")
    if month is None:
        return Fault.then(f"'{text}' is not a date: a day needs its month", f"write {FORMS}") if day else None
    if not 1 <= month <= 12:
        return Fault.then(f"'{text}' is not a date: there is no month {month}", f"write {FORMS}")
    if day is None:
        return None
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        fix = f"if the day is not known, write the month alone: {year:04d}-{month:02d}"
        return Fault.then(f"'{text}' is not a date: {_MONTHS[month]} {year} has no day {day}", fix)
    return None


def _month_start(day: dt.date, months: int) -> dt.date:
    """Return the first day of the month `months` away from a day's month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _month_end(day: dt.date, months: int) -> dt.date:
    """Return the last day of the month `months` away from a day's month."""
    start = _month_start(day, months)
    return start.replace(day=calendar.monthrange(start.year, start.month)[1])


@functools.lru_cache(maxsize=4096)  # Babel is slow, and a thousand stories share few dates
def format_date(value: PartialDate | dt.date, locale: str, approximately: str = "ca.") -> str:
    """Print a date as precisely as it is known, the local way: '2020', 'marts 2020', '8. marts 2020'.

    An approximate date gets `approximately` (the label, "ca." or "c.") in front.
    """
    if not isinstance(value, PartialDate):
        return babel.dates.format_date(value, format="long", locale=locale)
    first = value.first_day()  # for Babel's month name alone: the day is never printed unless known
    if value.precision == "day":
        text = babel.dates.format_date(first, format="long", locale=locale)
    elif value.precision == "month":
        text = babel.dates.format_skeleton("yMMMM", first, locale=locale)
    else:
        text = str(value.year)
    return f"{approximately} {text}" if value.approximate else text
