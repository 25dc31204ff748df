"""Dates as precise as they are known: reading, printing, ordering and 'since'."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compendium.content.dates import FORMS, MAX_YEAR, MIN_YEAR, PartialDate, format_date
from compendium.errors import Refused


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (2020, PartialDate(2020)),
        ("2020", PartialDate(2020)),
        ("2020-03", PartialDate(2020, 3)),
        (dt.date(2020, 3, 8), PartialDate(2020, 3, 8)),
        ("2020-03-08", PartialDate(2020, 3, 8)),
        ("ca. 2020", PartialDate(2020, approximate=True)),
        ("Ca. 2020-03", PartialDate(2020, 3, approximate=True)),
        ("c. 2020-03-08", PartialDate(2020, 3, 8, approximate=True)),
        ("~2020-03", PartialDate(2020, 3, approximate=True)),
        ("2020-03~", PartialDate(2020, 3, approximate=True)),
    ],
)
def test_every_form_an_editor_writes_is_read(written: object, expected: PartialDate) -> None:
    assert PartialDate.parse(written) == expected


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("2020-13", f"'2020-13' is not a date: there is no month 13; write {FORMS}"),
        ("2020-00", f"'2020-00' is not a date: there is no month 0; write {FORMS}"),
        (
            "2020-02-30",
            "'2020-02-30' is not a date: February 2020 has no day 30; "
            "if the day is not known, write the month alone: 2020-02",
        ),
        ("20201", f"'20201' is not a date; write {FORMS}"),
        (20201, f"'20201' is not a date; write {FORMS}"),
        ("2020-3", f"'2020-3' is not a date; write {FORMS}"),
        ("marts 2020", f"'marts 2020' is not a date; write {FORMS}"),
        ("0999", f"'0999' is not a date: the year 999 is out of range; write {FORMS}"),
        (True, f"expected a date, found true/false; write {FORMS}"),
        (None, f"expected a date, found nothing; write {FORMS}"),
        ([2020], f"expected a date, found a list or mapping; write {FORMS}"),
        (
            dt.datetime(2020, 3, 8, 10, 0),
            "'2020-03-08 10:00:00' has a time of day; write the date alone, e.g. 2020-03-08",
        ),
    ],
)
def test_a_wrong_date_is_refused_with_the_forms(written: object, message: str) -> None:
    with pytest.raises(Refused) as caught:
        PartialDate.parse(written)
    assert caught.value.fault.message == message


def test_forms_name_the_three_precisions_and_ca() -> None:
    assert FORMS == "2020, 2020-03 or 2020-03-08 (a year, a month or a day), with 'ca. ' in front if it is approximate"


@pytest.mark.parametrize(
    ("written", "danish", "english"),
    [
        ("2020", "2020", "2020"),
        ("2020-03", "marts 2020", "March 2020"),
        ("2020-03-08", "8. marts 2020", "8 March 2020"),
        ("ca. 2020", "ca. 2020", "c. 2020"),
        ("ca. 2020-03", "ca. marts 2020", "c. March 2020"),
        ("ca. 2020-03-08", "ca. 8. marts 2020", "c. 8 March 2020"),
    ],
)
def test_a_date_prints_only_what_is_known(written: str, danish: str, english: str) -> None:
    date = PartialDate.parse(written)
    assert format_date(date, "da_DK", "ca.") == danish
    assert format_date(date, "en_GB", "c.") == english


@pytest.mark.parametrize(
    ("written", "iso", "editor"),
    [
        ("2020", "2020", "2020"),
        ("2020-03", "2020-03", "2020-03"),
        ("2020-03-08", "2020-03-08", "2020-03-08"),
        ("~2020-03", "2020-03~", "ca. 2020-03"),
    ],
)
def test_a_date_is_written_back_without_a_made_up_day(written: str, iso: str, editor: str) -> None:
    date = PartialDate.parse(written)
    assert (date.isoformat(), str(date)) == (iso, editor)
    assert PartialDate.parse(str(date)) == date


def test_dates_sort_by_first_day_the_less_precise_first() -> None:
    written = ["2020-02", "2020-01-02", "ca. 2020", "2020-01-01", "2020", "2019-12-31", "2020-01"]
    ordered = sorted(PartialDate.parse(w) for w in written)
    assert [str(d) for d in ordered] == [
        "2019-12-31",
        "2020",
        "ca. 2020",
        "2020-01",
        "2020-01-01",
        "2020-01-02",
        "2020-02",
    ]


@pytest.mark.parametrize(
    ("written", "day", "since"),
    [
        ("2020-03", dt.date(2020, 3, 1), True),
        ("2020-03", dt.date(2020, 3, 5), None),  # some of March is before the 5th, some after
        ("2020-03", dt.date(2020, 4, 1), False),
        ("2020", dt.date(2020, 6, 1), None),
        ("2020-03-08", dt.date(2020, 3, 8), True),
        ("2020-03-08", dt.date(2020, 3, 9), False),
        ("ca. 2020-03", dt.date(2020, 3, 1), None),  # about March may be late February
        ("ca. 2020-03", dt.date(2020, 2, 1), True),
        ("ca. 2020-03", dt.date(2020, 5, 1), False),
        ("ca. 2020", dt.date(2021, 12, 31), None),
        ("ca. 2020", dt.date(2022, 1, 1), False),
        ("ca. 2020-03-08", dt.date(2020, 3, 8), None),
        ("ca. 2020-03-08", dt.date(2020, 3, 7), True),
    ],
)
def test_since_is_uncertain_where_the_precision_cannot_tell(written: str, day: dt.date, since: bool | None) -> None:
    assert PartialDate.parse(written).since(day) is since


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate:
    """Draw any valid date at any precision, approximate or not."""
    day = draw(st.dates(min_value=dt.date(MIN_YEAR, 1, 1), max_value=dt.date(MAX_YEAR, 12, 31)))
    precision = draw(st.sampled_from(["year", "month", "day"]))
    month = day.month if precision != "year" else None
    return PartialDate(day.year, month, day.day if precision == "day" else None, draw(st.booleans()))


@settings(max_examples=200, deadline=None)
@given(partial_dates(), partial_dates())
def test_any_date_reads_back_orders_by_first_day_and_prints_no_made_up_day(a: PartialDate, b: PartialDate) -> None:
    assert PartialDate.parse(str(a)) == a
    assert PartialDate.parse(a.isoformat()) == a
    if a.first_day() < b.first_day():
        assert a < b
    first, last = a.bounds()
    assert first <= a.first_day() <= a.last_day() <= last
    printed = format_date(a, "da_DK", "ca.")
    if a.precision != "day":
        assert not re.search(r"\d+\. ", printed), printed
    if a.precision == "year":
        assert printed.removeprefix("ca. ") == str(a.year)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=20), st.integers(), st.floats(), st.none(), st.booleans(), st.dates()))
def test_any_value_is_a_date_or_refused_with_a_message(value: object) -> None:
    try:
        PartialDate.parse(value)
    except Refused as refused:
        assert refused.fault.message
