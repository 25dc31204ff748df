"""Faithfulness: every number the publication states in its own words must be a key figure with a source.

The texts looked at are the ones the publisher speaks in: the compendium's
foreword, the debate paper's main message and call to action, and each
theme's introduction and questions. Quotes, stories and proposals are what
others said, and are not looked at.

What counts as a number (the rule the README gives):
- digits, with Danish grouping and decimals ("1.200", "3,5"; in English
  "1,200", "3.5"), optionally followed by a scale word ("mia.", "millioner",
  "tusind"), which multiplies it: "1,3 mia. kr." is 1,300,000,000;
- not a year (four digits from 1900 to 2099 without grouping), a date
  ("7. februar", "2023-03-08", "8/3"), a time ("12:30"), an ordinal ("3. plads",
  a numbered list's "1."), nor digits inside a word or a link's address;
- numbers written in words ("halvdelen", "fem") are not looked for.
Two numbers are the same when their values are: "1.200" = "1200", "25 %" =
"25 pct." = "25 procent" (units other than scale words are not compared).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from compendium.content import model as m
from compendium.content.load import Located
from compendium.content.walk import values_at
from compendium.errors import KeyPath, Problem
from compendium.messages import N_, _

MONTHS = (
    "januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december|"
    "january|february|march|may|june|july|october"
)
SCALES = {
    "tusind": 10**3,
    "tusinde": 10**3,
    "thousand": 10**3,
    "mio": 10**6,
    "mio.": 10**6,
    "mill.": 10**6,
    "million": 10**6,
    "millioner": 10**6,
    "millions": 10**6,
    "mia": 10**9,
    "mia.": 10**9,
    "milliard": 10**9,
    "milliarder": 10**9,
    "billion": 10**9,
    "billions": 10**9,
}
# A number as written: digits, perhaps grouped in threes and with decimals, not inside a word.
NUMBER = re.compile(r"(?<![\w.,:/])\d+(?:[.,]\d+)*(?![\w:/]|[.,]\d)")
SCALE = re.compile(r"\s*(" + "|".join(re.escape(s) for s in sorted(SCALES, key=len, reverse=True)) + r")(?!\w)")
DATE_AFTER = re.compile(rf"\.\s*(?:{MONTHS})\b", re.IGNORECASE)
ORDINAL_AFTER = re.compile(r"\.\s+[a-zæøå]")
LIST_ITEM = re.compile(r"^\s*$")  # only spaces before the number on its line: a numbered list item ("1. ")
# What Markdown hides or is not prose: link addresses, footnote labels, code.
NOT_PROSE = re.compile(
    r"(?is:<(script|style)\b.*?</\1\s*>)|\]\([^)]*\)|<[^>]*>|\[\^[^\]]*\]|`[^`]*`|https?://\S+|\d{4}-\d{2}(?:-\d{2})?|\d+/\d+"
)


@dataclass(frozen=True)
class Stated:
    """A number a text states: as written, its value, and where it starts in the text."""

    written: str
    value: Decimal
    offset: int


def numbers(text: str, language: str = "da") -> Iterator[Stated]:
    """Yield every number a text states, by the rule in this module's docstring."""
    blanked = NOT_PROSE.sub(lambda hit: " " * len(hit.group()), text)
    for hit in NUMBER.finditer(blanked):
        after = blanked[hit.end() :]
        if _not_a_quantity(blanked, hit, after):
            continue
        value = _value(hit.group(), language)
        if value is None:
            continue
        scale = SCALE.match(after)
        written = hit.group() + (scale.group() if scale else "")
        yield Stated(written, value * SCALES[scale.group(1).lower()] if scale else value, hit.start())


def _not_a_quantity(text: str, hit: re.Match[str], after: str) -> bool:
    """Tell whether digits are a year, a date, an ordinal or a list item's number rather than a quantity."""
    digits = hit.group()
    if digits.isdigit() and len(digits) == 4 and 1900 <= int(digits) <= 2099:
        return True
    if digits.isdigit() and (DATE_AFTER.match(after) or ORDINAL_AFTER.match(after)):
        return True
    line_start = text.rfind("\n", 0, hit.start()) + 1
    return digits.isdigit() and after.startswith(".") and bool(LIST_ITEM.match(text[line_start : hit.start()]))


def _value(written: str, language: str) -> Decimal | None:
    """Read a number written the language's way: Danish groups with '.' and has ',' for decimals, English the reverse."""
    group, decimal = (",", ".") if language == "en" else (".", ",")
    parts = written.split(decimal)
    if len(parts) > 2:
        return None
    whole = parts[0]
    if group in whole:
        groups = whole.split(group)
        if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
            return None  # "1.2.3" is no number this rule reads
        whole = "".join(groups)
    try:
        return Decimal(whole + ("." + parts[1] if len(parts) == 2 else ""))
    except InvalidOperation:
        return None


@dataclass(frozen=True)
class Figure:
    """A key figure's id, value as written, the numbers it states, and whether it has a source."""

    id: str
    value: str
    values: tuple[Decimal, ...]
    sourced: bool


# The texts in the publisher's own words, by file: (key path pattern, what to call it). "*" is every list item.
TEXTS: dict[str, tuple[tuple[str, ...], ...]] = {
    "publication.yaml": (
        ("foreword",),
        ("debate_paper", "main_message"),
        ("debate_paper", "call_to_action"),
    ),
    "themes.yaml": (("themes", "*", "introduction"), ("themes", "*", "questions", "*")),
}
FIX = N_("add it to inputs/key-figures.yaml with its source, or correct the number")


def faithfulness_warnings(
    located: list[Located], key_figures: list[m.KeyFigure], language: str, figures_file: Located | None
) -> list[Problem]:
    """Warn about each number the publisher's texts state that no key figure with a source states too."""
    figures = [
        Figure(f.id, f.value, tuple(s.value for s in numbers(f.value, language)), f.source is not None)
        for f in key_figures
    ]
    problems = _unsourced(key_figures, figures_file)
    for file in located:
        for pattern in TEXTS.get(file.file.rsplit("/", 1)[-1], ()):
            for path, text in values_at(file.data, pattern):
                if not isinstance(text, str):
                    continue
                problems += [
                    _mismatch(file, path, text, stated, figures)
                    for stated in numbers(text, language)
                    if not any(stated.value in f.values for f in figures if f.sourced)
                ]
    return problems


def _unsourced(key_figures: list[m.KeyFigure], figures_file: Located | None) -> list[Problem]:
    """Warn about each key figure without a source."""
    if figures_file is None:
        return []
    fix = _("add 'source' with the id of a source in publication.yaml")
    return [
        figures_file.problem(
            ("key_figures", i),
            _("key figure '{id}' has no source; {fix}").format(id=f.id, fix=fix),
            hint=fix,
            warning=True,
            key=False,
        )
        for i, f in enumerate(key_figures)
        if f.source is None
    ]


def _mismatch(file: Located, path: KeyPath, text: str, stated: Stated, figures: list[Figure]) -> Problem:
    """Say that a number matches no key figure with a source, naming the nearest key figure."""
    same = next((f for f in figures if stated.value in f.values), None)
    if same is not None:
        why = _("it is key figure '{id}' ({value}), which has no source").format(id=same.id, value=same.value)
    else:
        nearest = _nearest(stated.value, figures)
        why = _("no key figure states it") + (
            _("; the nearest is '{id}' ({value})").format(id=nearest.id, value=nearest.value) if nearest else ""
        )
    message = _("the number '{written}' is not a key figure with a source: {why}; {fix}").format(
        written=stated.written, why=why, fix=_(FIX)
    )
    at = file.where_in(path, text, stated.offset)
    return file.problem(path, message, hint=_(FIX), warning=True, at=at)


def _nearest(value: Decimal, figures: list[Figure]) -> Figure | None:
    """Find the key figure whose number is closest to a value, relative to its size."""
    scored = [
        (abs(v - value) / max(abs(v), abs(value), Decimal(1)), i, f) for i, f in enumerate(figures) for v in f.values
    ]
    return min(scored, key=lambda s: (s[0], s[1]))[2] if scored else None
