"""Errors that reach the user, and one formatter for each place they are shown.

A Problem's message is the sentence an editor reads, its fix included; the hint is
that fix on its own, set where the problem is found, for tools that read the JSON.
The formatters: text (the terminal), GitHub annotations, JSON (`check --format`)
and the items of serve's error overlay.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from compendium.messages import _, ngettext

KeyPath = tuple[str | int, ...]


def format_key_path(path: KeyPath) -> str:
    """Format ("statements", 2, "speaker") as "statements[2].speaker"."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


# Editors write Danish documents, so a key is often the Danish word for an English field.
# Spelling similarity can't find those; this glossary can.
DANISH_KEYS = {
    "navn": "name",
    "titel": "title",
    "undertitel": "subtitle",
    "rolle": "role",
    "arbejdsplads": "workplace",
    "samtykke": "consent",
    "dato": "date",
    "sted": "place",
    "tema": "themes",
    "temaer": "themes",
    "tekst": "text",
    "billede": "photo",
    "billeder": "photos",
    "billedtekst": "caption",
    "forslag": "proposals",
    "udsagn": "statements",
    "deltager": "participant",
    "deltagere": "participants",
    "kommune": "municipality",
    "resume": "summary",
    "begrundelse": "rationale",
    "kilde": "source",
    "kilder": "sources",
    "fortæller": "teller",
    "taler": "speaker",
    "behold": "keep",
    "drop": "discard",
    "arrangør": "organiser",
    "metode": "method",
    "varighed": "duration",
    "spørgsmål": "questions",
    "ønsker": "wishes",
    "værdi": "value",
    "etiket": "label",
}


def nearest(word: str, candidates: Iterable[str]) -> str | None:
    """Find the candidate a misspelt or Danish word most likely means."""
    options = list(candidates)
    translated = DANISH_KEYS.get(word.lower())
    if translated in options:
        return translated
    matches = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """Return the hint "did you mean 'x'?" for the nearest candidate, or ""."""
    match = nearest(word, candidates)
    return _("did you mean '{match}'?").format(match=match) if match else ""


def in_brackets(hint: str) -> str:
    """Return " (hint)" to end a message with, or "" when there is no hint."""
    return f" ({hint})" if hint else ""


def suggest(word: str, candidates: Iterable[str]) -> str:
    """Return " (did you mean 'x'?)" for the nearest candidate, or ""."""
    return in_brackets(did_you_mean(word, candidates))


@dataclass(frozen=True)
class Fault:
    """What is wrong, in an editor's words, and the fix on its own: a Problem before it has a place."""

    message: str
    hint: str = ""

    @classmethod
    def then(cls, what: str, fix: str) -> Fault:
        """Say what is wrong, then how to fix it after "; "."""
        return cls(f"{what}; {fix}", fix)


class Refused(ValueError):
    """A value one of our own model validators refuses; pydantic keeps it for explain to read."""

    def __init__(self, fault: Fault) -> None:
        super().__init__(fault.message)
        self.fault = fault

    def __reduce__(self) -> tuple[type[Refused], tuple[Fault]]:
        """Pickle with the fault, which args (the message alone) would lose."""
        return (Refused, (self.fault,))


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the inputs: where it is, what it is and how to fix it."""

    file: str
    line: int = 0
    column: int = 0
    key_path: str = ""
    message: str = ""  # the whole sentence, the fix included: "unknown theme 'tilid' (did you mean 'tillid'?)"
    warning: bool = False
    hint: str = ""  # the fix alone, or "": "did you mean 'tillid'?"

    def __str__(self) -> str:
        return text_line(self)


def position(problem: Problem) -> str:
    """Return where a problem is: "file:line:column", "file:line" (a template line has no column), or the file alone."""
    if not problem.line:
        return problem.file
    return f"{problem.file}:{problem.line}:{problem.column}" if problem.column else f"{problem.file}:{problem.line}"


def _what(problem: Problem) -> str:
    """Return "warning: key.path: message", leaving out what the problem does not have."""
    kind = _("warning: ") if problem.warning else ""
    key = f"{problem.key_path}: " if problem.key_path else ""
    return f"{kind}{key}{problem.message}"


def text_line(problem: Problem) -> str:
    """Format a problem for the terminal: "file:3:9 themes[0]: unknown theme 'tilid' (did you mean 'tillid'?)"."""
    # Without a position the file name needs a colon of its own to end it.
    return f"{position(problem)}{'' if problem.line else ':'} {_what(problem)}"


def page_item(problem: Problem) -> dict[str, str]:
    """Format a problem for serve's error overlay and page script: where it is, and what it is."""
    return {"where": position(problem), "message": _what(problem)}


def json_item(problem: Problem) -> dict[str, Any]:
    """Format a problem in the JSON shape of `check --format json` (version 1)."""
    return {
        "file": problem.file or None,
        "line": problem.line or None,
        "column": problem.column or None,
        "key_path": problem.key_path,
        "message": problem.message,
        "hint": problem.hint or None,
        "severity": "warning" if problem.warning else "error",
    }


def _escape_data(text: str) -> str:
    """Escape an annotation's message as GitHub's workflow commands require."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """Escape an annotation property (file, title), where ':' and ',' also end the value."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(problem: Problem) -> str:
    """Format a problem as a GitHub Actions ::error or ::warning command."""
    command = "warning" if problem.warning else "error"
    props = []
    if problem.file:
        props.append(f"file={_escape_property(problem.file)}")
    if problem.line:
        props.append(f"line={problem.line}")
        if problem.column:
            props.append(f"col={problem.column}")
    if problem.key_path:
        props.append(f"title={_escape_property(problem.key_path)}")
    where = f" {','.join(props)}" if props else ""
    return f"::{command}{where}::{_escape_data(problem.message)}"


class CompendiumError(Exception):
    """An error the user can fix; printed without a traceback.

    The hint is the fix the message ends with, for `check --format json`.
    """

    exit_code = 1

    def __init__(self, message: str = "", *, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint

    def as_problem(self) -> Problem:
        """Return the error as a problem with the project as a whole."""
        return Problem("", message=str(self), hint=self.hint)


class InputError(CompendiumError):
    """One or more problems in the inputs, reported together."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def summary(self) -> str:
        """Say how many problems there were."""
        n = len(self.problems)
        warnings = sum(p.warning for p in self.problems)
        if warnings:
            return ngettext(
                "{n} problem found ({warnings} of them warnings, which --strict treats as errors); nothing was written.",
                "{n} problems found ({warnings} of them warnings, which --strict treats as errors); nothing was written.",
                n,
            ).format(n=n, warnings=warnings)
        return ngettext(
            "{n} problem found; nothing was written.", "{n} problems found; nothing was written.", n
        ).format(n=n)


def plural(n: int, one: str, many: str) -> str:
    """Return '1 problem' or '2 problems' in the messages' language: plural(n, "{n} problem", "{n} problems")."""
    return ngettext(one, many, n).format(n=n)
