"""Errors that reach the user, and the one way they are formatted."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

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


def suggest(word: str, candidates: Iterable[str]) -> str:
    """Return " (did you mean 'x'?)" for the nearest candidate, or ""."""
    match = nearest(word, candidates)
    return f" (did you mean '{match}'?)" if match else ""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the inputs, with where it is."""

    file: str
    line: int = 0
    column: int = 0
    key_path: str = ""
    message: str = ""
    warning: bool = False

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}:{self.column}"
        kind = " warning:" if self.warning else ""
        key = f" {self.key_path}:" if self.key_path else ""
        if not self.line:
            where += ":"
        return f"{where}{kind}{key} {self.message}"


class CompendiumError(Exception):
    """An error the user can fix; printed without a traceback."""

    exit_code = 1


class InputError(CompendiumError):
    """One or more problems in the inputs, reported together."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def summary(self) -> str:
        """Say how many problems there were."""
        n = len(self.problems)
        warnings = sum(p.warning for p in self.problems)
        why = f" ({warnings} of them warnings, which --strict treats as errors)" if warnings else ""
        return f"{plural(n, 'problem')} found{why}; nothing was written."


def plural(n: int, word: str, many: str | None = None) -> str:
    """Return '1 problem' or '2 problems' ('1 story', '2 stories' with many='stories')."""
    return f"{n} {word if n == 1 else many or word + 's'}"
